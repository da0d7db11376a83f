// Building blocks for the generated rules. Every expression must pass
// Prometheus's rule parser: kpgen validates each one.
{
  // Selectors and thresholds the generated rules use, on top of each
  // component's own mixin _config (which wins).
  defaults:: {
    kubeStateMetricsSelector: 'job="kube-state-metrics"',
    cadvisorSelector: 'job="kubelet", metrics_path="/metrics/cadvisor"',
    kubeletSelector: 'job="kubelet", metrics_path="/metrics"',
    kubeApiserverSelector: 'job="apiserver"',
    kubeSchedulerSelector: 'job="kube-scheduler"',
    kubeControllerManagerSelector: 'job="kube-controller-manager"',
    nodeExporterSelector: 'job="node-exporter"',
    prometheusSelector: 'job="prometheus-k8s"',
    alertmanagerSelector: 'job="alertmanager-main"',
    prometheusOperatorSelector: 'job="prometheus-operator"',
    kubeStateMetricsSelectorSelf: 'job="kube-state-metrics"',
    clusterLabel: 'cluster',
    podLabel: 'pod',
    kubeletPodLimit: 110,
    cpuThrottlingPercent: 25,
    fsSpaceFillingUpWarning: 40,
    fsSpaceFillingUpCritical: 20,
    fsAvailableWarning: 5,
    fsAvailableCritical: 3,
    apiserverSLO: 0.99,
    runbookURLPattern: 'https://runbooks.example.org/kube-prometheus-bench/%s',
  },

  // rows: [name, severity, for ('' for none), expr, summary, description, labels?]
  alerts(cfg, rows):: [
    {
      alert: r[0],
      expr: r[3],
      [if r[2] != '' then 'for']: r[2],
      labels: { severity: r[1] } + (if std.length(r) > 6 then r[6] else {}),
      annotations: {
        summary: r[4],
        description: r[5],
        runbook_url: cfg.runbookURLPattern % std.asciiLower(r[0]),
      },
    }
    for r in rows
  ],

  // rows: [record, expr] or [record, expr, labels]
  records(rows):: [
    { record: r[0], expr: r[1] } + (if std.length(r) > 2 then { labels: r[2] } else {})
    for r in rows
  ],

  group(name, rules, interval=''):: { name: name, rules: rules } + (if interval != '' then { interval: interval } else {}),
}
