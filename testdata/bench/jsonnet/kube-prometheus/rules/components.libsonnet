// Rules for the other components, generated from tables.
local r = import 'common.libsonnet';

local nodeRecords(sel) = [
  ['instance:node_num_cpu:sum', 'count without (cpu, mode) (node_cpu_seconds_total{%s, mode="idle"})' % sel],
  ['instance:node_cpu_utilisation:rate5m', '1 - avg without (cpu) (sum without (mode) (rate(node_cpu_seconds_total{%s, mode=~"idle|iowait|steal"}[5m])))' % sel],
  ['instance:node_load1_per_cpu:ratio', 'node_load1{%s} / instance:node_num_cpu:sum{%s}' % [sel, sel]],
  ['instance:node_memory_utilisation:ratio', '1 - ((node_memory_MemAvailable_bytes{%s} or (node_memory_Buffers_bytes{%s} + node_memory_Cached_bytes{%s} + node_memory_MemFree_bytes{%s} + node_memory_Slab_bytes{%s})) / node_memory_MemTotal_bytes{%s})' % [sel, sel, sel, sel, sel, sel]],
  ['instance:node_vmstat_pgmajfault:rate5m', 'rate(node_vmstat_pgmajfault{%s}[5m])' % sel],
  ['instance_device:node_disk_io_time_seconds:rate5m', 'rate(node_disk_io_time_seconds_total{%s, device=~"(/dev/)?(mmcblk.p.+|nvme.+|rbd.+|sd.+|vd.+|xvd.+|dm-.+|md.+|dasd.+)"}[5m])' % sel],
  ['instance_device:node_disk_io_time_weighted_seconds:rate5m', 'rate(node_disk_io_time_weighted_seconds_total{%s, device=~"(/dev/)?(mmcblk.p.+|nvme.+|rbd.+|sd.+|vd.+|xvd.+|dm-.+|md.+|dasd.+)"}[5m])' % sel],
] + [
  ['instance:node_network_%s_excluding_lo:rate5m' % m, 'sum without (device) (rate(node_network_%s_total{%s, device!="lo"}[5m]))' % [m, sel]]
  for m in ['receive_bytes', 'transmit_bytes', 'receive_drop', 'transmit_drop']
];

{
  nodeExporter(cfg):: {
    local sel = cfg.nodeExporterSelector,
    local fs = sel + ', fstype!="", mountpoint!=""',
    records: [r.group('node-exporter-bench.rules', r.records(nodeRecords(sel)))],
    alerts: [
      r.group('node-exporter-bench', r.alerts(cfg, [
        ['NodeFilesystem%sFillingUp' % k[0], k[1], '1h', '(node_filesystem_%s{%s} / node_filesystem_%s{%s} * 100 < %d and predict_linear(node_filesystem_%s{%s}[6h], %d * 60 * 60) < 0 and node_filesystem_readonly{%s} == 0)' % [k[2], fs, k[3], fs, k[4], k[2], fs, k[5], fs], 'A filesystem is predicted to run out of %s.' % k[6], '{{ $labels.mountpoint }} on {{ $labels.instance }} has {{ printf "%.2f" $value }}% left and is filling up.']
        for k in [
          ['Space', 'warning', 'avail_bytes', 'size_bytes', cfg.fsSpaceFillingUpWarning, 24, 'space'],
          ['Space', 'critical', 'avail_bytes', 'size_bytes', cfg.fsSpaceFillingUpCritical, 4, 'space'],
          ['Files', 'warning', 'files_free', 'files', 40, 24, 'inodes'],
          ['Files', 'critical', 'files_free', 'files', 20, 4, 'inodes'],
        ]
      ] + [
        ['NodeFilesystemAlmostOutOfFiles', k[0], '1h', '(node_filesystem_files_free{%s} / node_filesystem_files{%s} * 100 < %d and node_filesystem_readonly{%s} == 0)' % [fs, fs, k[1], fs], 'A filesystem has few inodes left.', '{{ $labels.mountpoint }} on {{ $labels.instance }} has {{ printf "%.2f" $value }}% inodes left.']
        for k in [['warning', cfg.fsAvailableWarning], ['critical', cfg.fsAvailableCritical]]
      ] + [
        ['NodeNetwork%sErrs' % d, 'warning', '1h', 'rate(node_network_%s_errs_total{%s}[2m]) / rate(node_network_%s_packets_total{%s}[2m]) > 0.01' % [std.asciiLower(d), sel, std.asciiLower(d), sel], 'A network interface reports many %s errors.' % std.asciiLower(d), '{{ $labels.instance }} interface {{ $labels.device }} has {{ printf "%%.0f" $value }} %s errors.' % std.asciiLower(d)]
        for d in ['Receive', 'Transmit']
      ] + [
        ['NodeHighNumberConntrackEntriesUsed', 'warning', '', '(node_nf_conntrack_entries{%s} / node_nf_conntrack_entries_limit) > 0.75' % sel, 'The conntrack table is filling up.', '{{ $labels.instance }} uses {{ $value | humanizePercentage }} of its conntrack entries.'],
        ['NodeBondingDegraded', 'warning', '5m', '(node_bonding_slaves{%s} - node_bonding_active{%s}) != 0' % [sel, sel], 'A bonding interface is degraded.', 'Bond {{ $labels.master }} on {{ $labels.instance }} is degraded.'],
      ] + [
        ['NodeTextFileCollectorScrapeError', 'warning', '', 'node_textfile_scrape_error{%s} == 1' % sel, 'The textfile collector failed.', 'Node exporter on {{ $labels.instance }} could not read its text files.'],
        ['NodeClockSkewDetected', 'warning', '10m', '((node_timex_offset_seconds{%s} > 0.05 and deriv(node_timex_offset_seconds{%s}[5m]) >= 0) or (node_timex_offset_seconds{%s} < -0.05 and deriv(node_timex_offset_seconds{%s}[5m]) <= 0))' % [sel, sel, sel, sel], 'The clock is skewed.', 'The clock on {{ $labels.instance }} is out of sync by more than 0.05s.'],
        ['NodeClockNotSynchronising', 'warning', '10m', 'min_over_time(node_timex_sync_status{%s}[5m]) == 0 and node_timex_maxerror_seconds{%s} >= 16' % [sel, sel], 'The clock is not synchronising.', 'The clock on {{ $labels.instance }} is not synchronising.'],
        ['NodeRAIDDegraded', 'critical', '15m', 'node_md_disks_required{%s, device=~"(/dev/)?(mmcblk.p.+|nvme.+|sd.+|vd.+|xvd.+|md.+)"} - ignoring (state) (node_md_disks{state="active", %s, device=~"(/dev/)?(mmcblk.p.+|nvme.+|sd.+|vd.+|xvd.+|md.+)"}) > 0' % [sel, sel], 'A RAID array is degraded.', 'RAID array {{ $labels.device }} on {{ $labels.instance }} lacks disks.'],
        ['NodeRAIDDiskFailure', 'warning', '', 'node_md_disks{state="failed", %s, device=~"(/dev/)?(mmcblk.p.+|nvme.+|sd.+|vd.+|xvd.+|md.+)"} > 0' % sel, 'A RAID disk failed.', 'A disk of {{ $labels.device }} on {{ $labels.instance }} failed.'],
        ['NodeSystemdServiceFailed', 'warning', '5m', 'node_systemd_unit_state{%s, state="failed"} == 1' % sel, 'A systemd service failed.', 'Service {{ $labels.name }} on {{ $labels.instance }} failed.'],
        ['NodeSystemdServiceCrashlooping', 'warning', '15m', 'increase(node_systemd_service_restart_total{%s}[5m]) > 2' % sel, 'A systemd service keeps restarting.', 'Service {{ $labels.name }} on {{ $labels.instance }} restarts often.'],
      ] + [
        ['NodeFileDescriptorLimit', k[0], '15m', '(node_filefd_allocated{%s} * 100 / node_filefd_maximum{%s} > %d)' % [sel, sel, k[1]], 'The kernel is running out of file descriptors.', '{{ $labels.instance }} has used {{ printf "%.2f" $value }}% of its file descriptors.']
        for k in [['warning', 70], ['critical', 90]]
      ] + [
        ['NodeCPUHighUsage', 'info', '15m', 'sum without (mode) (avg without (cpu) (rate(node_cpu_seconds_total{%s, mode!~"idle|iowait"}[2m]))) * 100 > 90' % sel, 'High CPU usage.', 'CPU usage on {{ $labels.instance }} is {{ printf "%.2f" $value }}%.'],
        ['NodeSystemSaturation', 'warning', '15m', 'node_load1{%s} / count without (cpu, mode) (node_cpu_seconds_total{%s, mode="idle"}) > 2' % [sel, sel], 'The system load is high.', 'Load per core on {{ $labels.instance }} is {{ printf "%.2f" $value }}.'],
        ['NodeMemoryMajorPagesFaults', 'warning', '15m', 'rate(node_vmstat_pgmajfault{%s}[5m]) > 500' % sel, 'Many major page faults.', '{{ $labels.instance }} sees {{ printf "%.2f" $value }} major page faults per second.'],
        ['NodeDiskIOSaturation', 'warning', '30m', 'rate(node_disk_io_time_weighted_seconds_total{%s, device=~"(/dev/)?(mmcblk.p.+|nvme.+|rbd.+|sd.+|vd.+|xvd.+|dm-.+|md.+|dasd.+)"}[5m]) > 10' % sel, 'Disk IO queue is high.', 'Disk {{ $labels.device }} on {{ $labels.instance }} has an IO queue of {{ printf "%.2f" $value }}.'],
      ])),
    ],
  },

  prometheus(cfg):: {
    local sel = cfg.prometheusSelector,
    records: [
      r.group('prometheus-bench.rules', r.records([
        ['job:prometheus_tsdb_head_series:sum', 'sum by (job, namespace) (prometheus_tsdb_head_series{%s})' % sel],
        ['job:prometheus_tsdb_head_samples_appended:rate5m', 'sum by (job, namespace) (rate(prometheus_tsdb_head_samples_appended_total{%s}[5m]))' % sel],
        ['job:prometheus_sd_discovered_targets:sum', 'sum by (job, namespace) (prometheus_sd_discovered_targets{%s})' % sel],
        ['job:prometheus_engine_query_duration_seconds:p90', 'max by (job, namespace, slice) (prometheus_engine_query_duration_seconds{%s, quantile="0.9"})' % sel],
        ['job:prometheus_remote_storage_samples:rate5m', 'sum by (job, namespace, remote_name) (rate(prometheus_remote_storage_samples_total{%s}[5m]))' % sel],
      ])),
    ],
    alerts: [
      r.group('prometheus-bench', r.alerts(cfg, [
        ['PrometheusSDRefreshFailure', 'warning', '20m', 'increase(prometheus_sd_refresh_failures_total{%s}[10m]) > 0' % sel, 'Service discovery fails to refresh.', 'Prometheus {{ $labels.namespace }}/{{ $labels.pod }} failed to refresh {{ $labels.mechanism }} discovery.'],
        ['PrometheusKubernetesListWatchFailures', 'warning', '15m', 'increase(prometheus_sd_kubernetes_failures_total{%s}[5m]) > 0' % sel, 'Kubernetes discovery fails.', 'Kubernetes discovery of {{ $labels.namespace }}/{{ $labels.pod }} sees {{ printf "%.0f" $value }} failures.'],
        ['PrometheusNotificationQueueRunningFull', 'warning', '15m', '(predict_linear(prometheus_notifications_queue_length{%s}[5m], 60 * 30) > min_over_time(prometheus_notifications_queue_capacity{%s}[5m]))' % [sel, sel], 'The notification queue is filling up.', 'The alert queue of {{ $labels.namespace }}/{{ $labels.pod }} will be full within half an hour.'],
        ['PrometheusErrorSendingAlertsToAnyAlertmanager', 'critical', '15m', 'min without (alertmanager) (rate(prometheus_notifications_errors_total{%s, alertmanager!~""}[5m]) / rate(prometheus_notifications_sent_total{%s, alertmanager!~""}[5m])) * 100 > 3' % [sel, sel], 'Prometheus cannot send alerts.', '{{ printf "%.1f" $value }}% of alerts from {{ $labels.namespace }}/{{ $labels.pod }} fail to reach every Alertmanager.'],
        ['PrometheusTSDBReloadsFailing', 'warning', '4h', 'increase(prometheus_tsdb_reloads_failures_total{%s}[3h]) > 0' % sel, 'TSDB reloads fail.', '{{ $labels.namespace }}/{{ $labels.pod }} had {{ $value | humanize }} reload failures.'],
        ['PrometheusTSDBCompactionsFailing', 'warning', '4h', 'increase(prometheus_tsdb_compactions_failed_total{%s}[3h]) > 0' % sel, 'TSDB compactions fail.', '{{ $labels.namespace }}/{{ $labels.pod }} had {{ $value | humanize }} compaction failures.'],
        ['PrometheusNotIngestingSamples', 'warning', '10m', '(sum without (type) (rate(prometheus_tsdb_head_samples_appended_total{%s}[5m])) <= 0 and (sum without (scrape_job) (prometheus_target_metadata_cache_entries{%s}) > 0 or sum without (rule_group) (prometheus_rule_group_rules{%s}) > 0))' % [sel, sel, sel], 'Prometheus ingests nothing.', 'Prometheus {{ $labels.namespace }}/{{ $labels.pod }} is not ingesting samples.'],
        ['PrometheusDuplicateTimestamps', 'warning', '10m', 'rate(prometheus_target_scrapes_sample_duplicate_timestamp_total{%s}[5m]) > 0' % sel, 'Samples with duplicate timestamps are dropped.', '{{ $labels.namespace }}/{{ $labels.pod }} drops {{ printf "%.4g" $value }} samples/s.'],
        ['PrometheusOutOfOrderTimestamps', 'warning', '10m', 'rate(prometheus_target_scrapes_sample_out_of_order_total{%s}[5m]) > 0' % sel, 'Out-of-order samples are dropped.', '{{ $labels.namespace }}/{{ $labels.pod }} drops {{ printf "%.4g" $value }} samples/s.'],
        ['PrometheusRemoteStorageFailures', 'critical', '15m', '((rate(prometheus_remote_storage_failed_samples_total{%s}[5m]) or rate(prometheus_remote_storage_samples_failed_total{%s}[5m])) / ((rate(prometheus_remote_storage_failed_samples_total{%s}[5m]) or rate(prometheus_remote_storage_samples_failed_total{%s}[5m])) + (rate(prometheus_remote_storage_succeeded_samples_total{%s}[5m]) or rate(prometheus_remote_storage_samples_total{%s}[5m])))) * 100 > 1' % [sel, sel, sel, sel, sel, sel], 'Remote write fails.', '{{ $labels.namespace }}/{{ $labels.pod }} fails to send {{ printf "%.1f" $value }}% of samples to {{ $labels.remote_name }}.'],
        ['PrometheusRemoteWriteBehind', 'critical', '15m', '(max_over_time(prometheus_remote_storage_highest_timestamp_in_seconds{%s}[5m]) - ignoring (remote_name, url) group_right () max_over_time(prometheus_remote_storage_queue_highest_sent_timestamp_seconds{%s}[5m])) > 120' % [sel, sel], 'Remote write is behind.', 'Remote write of {{ $labels.namespace }}/{{ $labels.pod }} is {{ printf "%.1f" $value }}s behind.'],
        ['PrometheusRemoteWriteDesiredShards', 'warning', '15m', '(max_over_time(prometheus_remote_storage_shards_desired{%s}[5m]) > max_over_time(prometheus_remote_storage_shards_max{%s}[5m]))' % [sel, sel], 'Remote write wants more shards.', 'Remote write of {{ $labels.namespace }}/{{ $labels.pod }} wants {{ $value }} shards.'],
        ['PrometheusMissingRuleEvaluations', 'warning', '15m', 'increase(prometheus_rule_group_iterations_missed_total{%s}[5m]) > 0' % sel, 'Rule group evaluations are missed.', '{{ $labels.namespace }}/{{ $labels.pod }} missed {{ printf "%.0f" $value }} rule group evaluations.'],
        ['PrometheusTargetLimitHit', 'warning', '15m', 'increase(prometheus_target_scrape_pool_exceeded_target_limit_total{%s}[5m]) > 0' % sel, 'Targets are dropped by the target limit.', '{{ $labels.namespace }}/{{ $labels.pod }} dropped {{ printf "%.0f" $value }} targets.'],
        ['PrometheusLabelLimitHit', 'warning', '15m', 'increase(prometheus_target_scrape_pool_exceeded_label_limits_total{%s}[5m]) > 0' % sel, 'Targets are dropped by label limits.', '{{ $labels.namespace }}/{{ $labels.pod }} dropped {{ printf "%.0f" $value }} targets.'],
        ['PrometheusScrapeBodySizeLimitHit', 'warning', '15m', 'increase(prometheus_target_scrapes_exceeded_body_size_limit_total{%s}[5m]) > 0' % sel, 'Scrapes exceed the body size limit.', '{{ $labels.namespace }}/{{ $labels.pod }} failed {{ printf "%.0f" $value }} scrapes.'],
        ['PrometheusScrapeSampleLimitHit', 'warning', '15m', 'increase(prometheus_target_scrapes_exceeded_sample_limit_total{%s}[5m]) > 0' % sel, 'Scrapes exceed the sample limit.', '{{ $labels.namespace }}/{{ $labels.pod }} failed {{ printf "%.0f" $value }} scrapes.'],
        ['PrometheusTargetSyncFailure', 'critical', '5m', 'increase(prometheus_target_sync_failed_total{%s}[30m]) > 0' % sel, 'Targets cannot be synchronised.', '{{ printf "%.0f" $value }} targets of {{ $labels.namespace }}/{{ $labels.pod }} failed to sync.'],
        ['PrometheusErrorSendingAlertsToSomeAlertmanagers', 'warning', '15m', '(rate(prometheus_notifications_errors_total{%s}[5m]) / rate(prometheus_notifications_sent_total{%s}[5m])) * 100 > 1' % [sel, sel], 'Some alerts do not reach an Alertmanager.', '{{ printf "%.1f" $value }}% of alerts from {{ $labels.namespace }}/{{ $labels.pod }} fail to reach {{ $labels.alertmanager }}.'],
        ['PrometheusRuleEvaluationSlow', 'warning', '15m', 'prometheus_rule_group_last_duration_seconds{%s} > prometheus_rule_group_interval_seconds{%s}' % [sel, sel], 'Rule groups take longer than their interval.', 'Group {{ $labels.rule_group }} of {{ $labels.namespace }}/{{ $labels.pod }} takes longer than its interval.'],
        ['PrometheusTSDBWALCorruptions', 'warning', '4h', 'increase(prometheus_tsdb_wal_corruptions_total{%s}[3h]) > 0' % sel, 'The write-ahead log is corrupted.', '{{ $labels.namespace }}/{{ $labels.pod }} found {{ $value | humanize }} WAL corruptions.'],
        ['PrometheusHeadSeriesChurn', 'info', '30m', 'rate(prometheus_tsdb_head_series_created_total{%s}[1h]) > 2 * avg_over_time(rate(prometheus_tsdb_head_series_created_total{%s}[1h])[1d:1h])' % [sel, sel], 'Series churn is unusually high.', '{{ $labels.namespace }}/{{ $labels.pod }} creates series twice as fast as usual.'],
        ['PrometheusHighQueryLoad', 'warning', '15m', 'avg_over_time(prometheus_engine_queries{%s}[5m]) / max_over_time(prometheus_engine_queries_concurrent_max{%s}[5m]) > 0.8' % [sel, sel], 'The query engine is busy.', '{{ $labels.namespace }}/{{ $labels.pod }} runs at {{ $value | humanizePercentage }} of its query capacity.'],
      ])),
    ],
  },

  alertmanager(cfg):: {
    local sel = cfg.alertmanagerSelector,
    alerts: [
      r.group('alertmanager-bench', r.alerts(cfg, [
        ['AlertmanagerMembersInconsistent', 'critical', '15m', 'max_over_time(alertmanager_cluster_members{%s}[5m]) < on (namespace, service) group_left () count by (namespace, service) (max_over_time(alertmanager_cluster_members{%s}[5m]))' % [sel, sel], 'Alertmanager members disagree.', '{{ $labels.namespace }}/{{ $labels.pod }} sees only {{ $value }} cluster members.'],
        ['AlertmanagerNotificationsDropped', 'warning', '15m', 'rate(alertmanager_notifications_failed_total{%s, reason="clientError"}[15m]) > 0' % sel, 'Alertmanager drops notifications.', '{{ $labels.namespace }}/{{ $labels.pod }} drops {{ $labels.integration }} notifications the receiver rejects.'],
        ['AlertmanagerClusterMembersMissing', 'warning', '15m', 'count by (namespace, service) (up{%s} == 1) < max by (namespace, service) (alertmanager_cluster_members{%s})' % [sel, sel], 'Alertmanager members are missing.', 'Fewer Alertmanager pods are up than the cluster has members.'],
        ['AlertmanagerConfigInconsistent', 'critical', '20m', 'count by (namespace, service) (count_values by (namespace, service) ("config_hash", alertmanager_config_hash{%s})) != 1' % sel, 'Alertmanager instances run different configurations.', 'Alertmanager {{ $labels.namespace }}/{{ $labels.service }} instances run different configurations.'],
        ['AlertmanagerClusterDown', 'critical', '5m', '(count by (namespace, service) (avg_over_time(up{%s}[5m]) < 0.5) / count by (namespace, service) (up{%s})) >= 0.5' % [sel, sel], 'Half of the Alertmanager cluster is down.', '{{ $value | humanizePercentage }} of {{ $labels.namespace }}/{{ $labels.service }} are down.'],
        ['AlertmanagerClusterCrashlooping', 'critical', '5m', '(count by (namespace, service) (changes(process_start_time_seconds{%s}[10m]) > 4) / count by (namespace, service) (up{%s})) >= 0.5' % [sel, sel], 'Half of the Alertmanager cluster is crashlooping.', '{{ $value | humanizePercentage }} of {{ $labels.namespace }}/{{ $labels.service }} restarted often.'],
      ] + [
        ['AlertmanagerClusterFailedToSendAlerts', k[0], '5m', 'min by (namespace, service, integration) (rate(alertmanager_notifications_failed_total{%s, integration=~"%s"}[5m]) / ignoring (reason) group_left () rate(alertmanager_notifications_total{%s, integration=~"%s"}[5m])) > 0.01' % [sel, k[1], sel, k[1]], 'Every Alertmanager fails to send notifications.', 'The cluster fails {{ $value | humanizePercentage }} of its {{ $labels.integration }} notifications.']
        for k in [['critical', '.*'], ['warning', 'webhook|email']]
      ])),
    ],
  },

  prometheusOperator(cfg):: {
    local sel = cfg.prometheusOperatorSelector,
    alerts: [
      r.group('prometheus-operator-bench', r.alerts(cfg, [
        ['PrometheusOperator%sErrors' % k, 'warning', '15m', '(sum by (cluster, controller, namespace) (rate(prometheus_operator_%s_operations_failed_total{%s}[5m])) / sum by (cluster, controller, namespace) (rate(prometheus_operator_%s_operations_total{%s}[5m]))) > 0.4' % [std.asciiLower(k), sel, std.asciiLower(k), sel], 'The operator fails %s operations.' % std.asciiLower(k), '{{ $labels.controller }} in {{ $labels.namespace }} fails {{ $value | humanizePercentage }} of its %s operations.' % std.asciiLower(k)]
        for k in ['List', 'Watch']
      ] + [
        ['PrometheusOperatorSyncFailed', 'warning', '10m', 'min_over_time(prometheus_operator_syncs{status="failed", %s}[5m]) > 0' % sel, 'The operator fails to sync objects.', '{{ $labels.controller }} in {{ $labels.namespace }} failed to sync {{ $value }} objects.'],
        ['PrometheusOperatorNodeLookupErrors', 'warning', '10m', 'rate(prometheus_operator_node_address_lookup_errors_total{%s}[5m]) > 0.1' % sel, 'The operator cannot look up node addresses.', '{{ $labels.controller }} in {{ $labels.namespace }} fails node lookups.'],
        ['PrometheusOperatorRejectedResources', 'warning', '5m', 'min_over_time(prometheus_operator_managed_resources{state="rejected", %s}[5m]) > 0' % sel, 'The operator rejects resources.', '{{ $labels.controller }} in {{ $labels.namespace }} rejected {{ printf "%0.0f" $value }} {{ $labels.resource }}.'],
        ['PrometheusOperatorStatusUpdateErrors', 'warning', '15m', '(sum by (cluster, controller, namespace) (rate(prometheus_operator_status_update_errors_total{%s}[5m])) / sum by (cluster, controller, namespace) (rate(prometheus_operator_status_update_operations_total{%s}[5m]))) > 0.1' % [sel, sel], 'The operator fails to update statuses.', '{{ $labels.controller }} in {{ $labels.namespace }} fails {{ $value | humanizePercentage }} of status updates.'],
      ])),
    ],
  },

  kubeStateMetrics(cfg):: {
    local sel = cfg.kubeStateMetricsSelectorSelf,
    alerts: [
      r.group('kube-state-metrics', r.alerts(cfg, [
        ['KubeStateMetrics%sErrors' % k, 'critical', '15m', '(sum by (cluster) (rate(kube_state_metrics_%s_total{%s, result="error"}[5m])) / sum by (cluster) (rate(kube_state_metrics_%s_total{%s}[5m]))) > 0.01' % [std.asciiLower(k), sel, std.asciiLower(k), sel], 'kube-state-metrics fails %s operations.' % std.asciiLower(k), 'kube-state-metrics sees {{ $value | humanizePercentage }} errors in %s operations.' % std.asciiLower(k)]
        for k in ['List', 'Watch']
      ] + [
        ['KubeStateMetricsShardingMismatch', 'critical', '15m', 'stdvar by (cluster) (kube_state_metrics_total_shards{%s}) != 0' % sel, 'kube-state-metrics shards disagree.', 'kube-state-metrics pods run with different shard counts.'],
        ['KubeStateMetricsShardsMissing', 'critical', '15m', '2 ^ max by (cluster) (kube_state_metrics_total_shards{%s}) - 1 - sum by (cluster) (2 ^ max by (cluster, shard_ordinal) (kube_state_metrics_shard_ordinal{%s})) != 0' % [sel, sel], 'kube-state-metrics shards are missing.', 'Some kube-state-metrics shards are missing: some objects are not exposed.'],
      ])),
    ],
  },

  kubePrometheus(cfg):: {
    local node = cfg.nodeExporterSelector,
    records: [
      r.group('kube-prometheus-node-recording.rules', r.records([
        ['instance:node_cpu:rate:sum', 'sum by (instance) (rate(node_cpu_seconds_total{mode!="idle", mode!="iowait", mode!="steal"}[3m]))'],
        ['instance:node_network_receive_bytes:rate:sum', 'sum by (instance) (rate(node_network_receive_bytes_total[3m]))'],
        ['instance:node_network_transmit_bytes:rate:sum', 'sum by (instance) (rate(node_network_transmit_bytes_total[3m]))'],
        ['instance:node_cpu:ratio', 'sum without (cpu, mode) (rate(node_cpu_seconds_total{mode!="idle", mode!="iowait", mode!="steal"}[5m])) / on (instance) group_left () count by (instance) (sum by (instance, cpu) (node_cpu_seconds_total))'],
        ['cluster:node_cpu:sum_rate5m', 'sum(rate(node_cpu_seconds_total{mode!="idle", mode!="iowait", mode!="steal"}[5m]))'],
        ['cluster:node_cpu:ratio', 'cluster:node_cpu:sum_rate5m / count(sum by (instance, cpu) (node_cpu_seconds_total))'],
      ])),
      r.group('kube-prometheus-bench.rules', r.records([
        ['count:up1', 'count without (instance, pod, node) (up == 1)'],
        ['count:up0', 'count without (instance, pod, node) (up == 0)'],
      ])),
    ],
    alerts: [
      r.group('node-network', r.alerts(cfg, [
        ['NodeNetworkInterfaceFlapping', 'warning', '2m', 'changes(node_network_up{%s, device!~"veth.+"}[2m]) > 2' % node, 'A network interface flaps.', 'Interface {{ $labels.device }} on {{ $labels.instance }} keeps changing state.'],
      ])),
      r.group('general-bench.rules', r.alerts(cfg, [
        ['InfoInhibitor', 'none', '', 'ALERTS{severity="info"} == 1 unless on (namespace) ALERTS{alertname!="InfoInhibitor", severity=~"warning|critical", alertstate="firing"} == 1', 'Inhibits info alerts.', 'Fires while a warning or critical alert fires in the same namespace, so that info alerts there are inhibited.'],
      ])),
    ],
  },
}
