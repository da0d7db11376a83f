// CloudNativePG: replicas follow their primary, WAL archiving works.
//
// Metrics come from each instance's instance manager (port `metrics`, 9187),
// from CloudNativePG's default monitoring queries:
//   cnpg_pg_replication_lag  seconds since the last replayed transaction on a
//     replica that has received WAL it has not replayed yet; 0 on the primary
//     and on a replica that has replayed everything it received — including
//     one whose WAL receiver is down.
//   cnpg_pg_replication_in_recovery  1 on replicas, 0 on the primary.
//   cnpg_pg_replication_is_wal_receiver_up  1 while the WAL receiver streams.
//   cnpg_pg_stat_archiver_last_archived_time / _last_failed_time  epoch of the
//     last successful / failed WAL archival (-1: never), on the primary.
//   cnpg_collector_up  1 if the instance manager reaches PostgreSQL.
// The PodMonitor adds `cnpg_cluster` (the Cluster's name) to every series.
local common = import '../kpgen-common/common.libsonnet';
local t = import '../kpgen-common/types.libsonnet';

{
  _config+:: common.defaults {
    // Namespaces holding CloudNativePG Clusters (Prometheus is given access
    // to each).
    namespaces: ['default'],
    // A replica alerts when its replication lag exceeds this (seconds).
    replicationLagThresholdSeconds: 300,
    // How long the lag must stay over the threshold.
    replicationLagFor: '5m',
    // How long a replica may be without a WAL receiver.
    replicaNotStreamingFor: '5m',
  },

  // What each setting may be (kpgen's vars schema checks them).
  _configTypes+:: common.defaultTypes {
    namespaces: t.namespaces,
    replicationLagThresholdSeconds: t.seconds,
    replicationLagFor: t.duration,
    replicaNotStreamingFor: t.duration,
  },

  local c = $._config,
  local replica = 'on (namespace, pod) cnpg_pg_replication_in_recovery == 1',
  local instance = 'CloudNativePG instance {{ $labels.namespace }}/{{ $labels.pod }} (cluster {{ $labels.cnpg_cluster }}%s)' % common.inCluster,

  prometheusAlerts+:: {
    groups+: [{
      name: 'cnpg',
      rules: [
        common.alert(c, {
          name: 'CNPGReplicationLagHigh',
          severity: 'warning',
          expr: 'cnpg_pg_replication_lag > %s\nand %s' % [common.num(c.replicationLagThresholdSeconds), replica],
          'for': c.replicationLagFor,
          summary: 'A CloudNativePG replica lags behind its primary.',
          description: 'Replica %s is {{ $value | humanizeDuration }} behind its primary (threshold %s seconds).' % [instance, common.num(c.replicationLagThresholdSeconds)],
        }),
        common.alert(c, {
          name: 'CNPGReplicaNotStreaming',
          severity: 'warning',
          // The lag of such a replica reads 0 once it has replayed what it
          // had received, so the lag alert never sees it.
          expr: 'cnpg_pg_replication_is_wal_receiver_up == 0\nand %s' % replica,
          'for': c.replicaNotStreamingFor,
          summary: 'A CloudNativePG replica is not streaming WAL from its primary.',
          description: 'Replica %s is in recovery but its WAL receiver is down: it receives no changes from the primary and falls behind silently (its replication lag reads 0).' % instance,
        }),
        common.alert(c, {
          name: 'CNPGWALArchivingFailing',
          severity: 'warning',
          expr: 'cnpg_pg_stat_archiver_last_failed_time > cnpg_pg_stat_archiver_last_archived_time',
          'for': '15m',
          summary: 'A CloudNativePG primary fails to archive WAL.',
          description: 'The last WAL archival attempt of %s failed. Point-in-time recovery is at risk and pg_wal grows until archiving works again.' % instance,
        }),
        common.alert(c, {
          name: 'CNPGInstanceDown',
          severity: 'warning',
          expr: 'cnpg_collector_up == 0',
          'for': '5m',
          summary: 'A CloudNativePG instance manager cannot reach PostgreSQL.',
          // cnpg_collector_up carries the Cluster's name as `cluster`: no
          // cluster suffix here.
          description: 'The instance manager of CloudNativePG instance {{ $labels.namespace }}/{{ $labels.pod }} (cluster {{ $labels.cnpg_cluster }}) cannot connect to PostgreSQL.',
        }),
        common.targetDownAlert(c, {
          name: 'CNPGTargetDown',
          severity: 'warning',
          job: 'cnpg',
          'for': '10m',
          summary: 'Prometheus cannot scrape a CloudNativePG instance.',
          description: 'Prometheus cannot scrape the metrics of %s.' % instance,
        }),
      ],
    }],
  },
}
