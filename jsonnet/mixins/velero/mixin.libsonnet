// Velero: backups of each schedule are recent and succeed.
//
// Metrics (vmware-tanzu/velero pkg/metrics), all labelled by `schedule`
// (empty for ad-hoc backups, which these rules ignore):
//   velero_backup_last_successful_timestamp  completion time of the newest
//     Completed backup of the schedule, recomputed from the Backup objects
//     every resync (survives Velero restarts).
//   velero_backup_last_status  1 if the schedule's last backup completed, 0
//     if it failed, partially failed or failed validation. Kept in memory:
//     a Velero restart resets it to 0 together with the counters below.
//   velero_backup_attempt_total, velero_backup_validation_failure_total
//     counters since the Velero process started.
local common = import '../kpgen-common/common.libsonnet';
local t = import '../kpgen-common/types.libsonnet';

{
  _config+:: common.defaults {
    // Namespace Velero runs in.
    namespace: 'velero',
    // A schedule alerts when its newest successful backup is older than this
    // (seconds). The default suits a daily schedule: 25h.
    backupMaxAgeSeconds: 90000,
    // Per-schedule overrides of backupMaxAgeSeconds: schedule name → seconds.
    scheduleMaxAgeSeconds: {},
    // How long a backup must stay too old before VeleroBackupTooOld fires.
    backupTooOldFor: '15m',
    // How long the last backup must stay failed before VeleroBackupFailing fires.
    backupFailingFor: '10m',
  },

  // What each setting may be (kpgen's vars schema checks them).
  _configTypes+:: common.defaultTypes {
    namespace: t.namespace,
    backupMaxAgeSeconds: t.seconds,
    // Keys are Velero Schedule names (Kubernetes object names), which the
    // rules match in the `schedule` label.
    scheduleMaxAgeSeconds: t.map(t.seconds, keys=t.objectNames),
    backupTooOldFor: t.duration,
    backupFailingFor: t.duration,
  },

  local c = $._config,
  local metric = 'velero_backup_last_successful_timestamp',
  local overrides = std.objectFields(c.scheduleMaxAgeSeconds),
  local age(selector, maxAge) =
    '(time() - %s{%s}) > %s' % [metric, selector, common.num(maxAge)],

  // Schedules with an override use their own threshold; every other
  // schedule uses the default. Schedule names are quoted as PromQL strings.
  local tooOldExpr = std.join('\nor\n', [
    age(std.join(', ', ['schedule!=""'] + [common.matcher('schedule', '!=', s) for s in overrides]), c.backupMaxAgeSeconds),
  ] + [
    age(common.matcher('schedule', '=', s), c.scheduleMaxAgeSeconds[s])
    for s in overrides
  ]),

  prometheusAlerts+:: {
    groups+: [{
      name: 'velero',
      rules: [
        common.alert(c, {
          name: 'VeleroBackupTooOld',
          severity: 'critical',
          expr: tooOldExpr,
          'for': c.backupTooOldFor,
          summary: 'The newest successful backup of a Velero schedule is too old.',
          description: 'The newest successful backup of Velero schedule {{ $labels.schedule }} (namespace {{ $labels.namespace }}%s) completed {{ $value | humanizeDuration }} ago, longer than the schedule is allowed to go without a successful backup.' % common.inCluster,
        }),
        common.alert(c, {
          name: 'VeleroBackupFailing',
          severity: 'warning',
          // A restart of Velero resets last_status to 0 before any backup
          // ran; the counters, reset at the same time, tell the two apart.
          expr: |||
            velero_backup_last_status{schedule!=""} == 0
            unless
            (velero_backup_attempt_total{schedule!=""} == 0 and velero_backup_validation_failure_total{schedule!=""} == 0)
          |||,
          'for': c.backupFailingFor,
          summary: 'The last backup of a Velero schedule failed.',
          description: 'The last backup of Velero schedule {{ $labels.schedule }} (namespace {{ $labels.namespace }}%s) failed or partially failed. The alert stays until a backup of the schedule completes successfully.' % common.inCluster,
        }),
        common.targetDownAlert(c, {
          name: 'VeleroTargetDown',
          severity: 'critical',
          job: 'velero',
          whenAbsent: true,
          'for': '15m',
          summary: 'Prometheus cannot scrape Velero.',
          description: 'Prometheus has no successful scrape of Velero{{ with $labels.pod }} pod {{ . }}{{ end }} (job {{ $labels.job }}%s). Backups may not be running, and VeleroBackupTooOld cannot fire without these metrics.' % common.inCluster,
        }),
      ],
    }],
  },
}
