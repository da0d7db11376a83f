// Scrape configuration and rules for the Kubernetes control plane and kubelets.
local defaults = {
  namespace:: error 'kubernetesControlPlane: namespace is required',
  commonLabels:: {
    'app.kubernetes.io/name': 'kube-prometheus',
    'app.kubernetes.io/part-of': 'kube-prometheus',
    'app.kubernetes.io/component': 'kubernetes',
  },
  mixin:: {
    ruleLabels: {},
    // Key names follow kubernetes-mixin's _config.
    _config: {
      cadvisorSelector: 'job="kubelet", metrics_path="/metrics/cadvisor"',
      kubeletSelector: 'job="kubelet", metrics_path="/metrics"',
      kubeApiserverSelector: 'job="apiserver"',
      kubeSchedulerSelector: 'job="kube-scheduler"',
      kubeControllerManagerSelector: 'job="kube-controller-manager"',
      cpuThrottlingPercent: 25,
      cpuThrottlingSelector: '',
      kubeletCertExpirationWarningSeconds: 7 * 24 * 3600,
      kubeletCertExpirationCriticalSeconds: 1 * 24 * 3600,
      certExpirationWarningSeconds: 7 * 24 * 3600,
      certExpirationCriticalSeconds: 1 * 24 * 3600,
      runbookURLPattern: 'https://runbooks.example.org/kube-prometheus-standin/kubernetes/%s',
    },
  },
};

local tokenFile = '/var/run/secrets/kubernetes.io/serviceaccount/token';
local keepMetricsPath = [{
  action: 'replace',
  sourceLabels: ['__metrics_path__'],
  targetLabel: 'metrics_path',
}];

function(params) {
  local k8s = self,
  _config:: defaults + params,
  _metadata:: {
    labels: k8s._config.commonLabels,
    namespace: k8s._config.namespace,
  },

  mixin:: {
    _config:: k8s._config.mixin._config,
    local cfg = self._config,
    local certAlert(name, metric, threshold, severity, what) = {
      alert: name,
      expr: 'min by (node) (%s{%s}) < %d' % [metric, cfg.kubeletSelector, threshold],
      labels: { severity: severity },
      annotations: {
        summary: 'A kubelet %s certificate is close to expiry.' % what,
        description: 'The %s certificate of the kubelet on {{ $labels.node }} is valid for only {{ $value | humanizeDuration }} more.' % what,
        runbook_url: cfg.runbookURLPattern % std.asciiLower(name),
      },
    },
    local renewAlert(name, metric, what) = {
      alert: name,
      expr: 'sum by (node) (rate(%s{%s}[10m])) > 0' % [metric, cfg.kubeletSelector],
      'for': '15m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'A kubelet cannot renew its %s certificate.' % what,
        description: 'The kubelet on {{ $labels.node }} keeps hitting errors while renewing its %s certificate.' % what,
        runbook_url: cfg.runbookURLPattern % std.asciiLower(name),
      },
    },
    local clientTTL = 'kubelet_certificate_manager_client_ttl_seconds',
    local serverTTL = 'kubelet_certificate_manager_server_ttl_seconds',
    prometheusAlerts:: {
      groups: [
        {
          name: 'kubernetes-system-kubelet',
          rules: [
            certAlert('KubeletClientCertificateExpiration', clientTTL, cfg.kubeletCertExpirationWarningSeconds, 'warning', 'client'),
            certAlert('KubeletClientCertificateExpiration', clientTTL, cfg.kubeletCertExpirationCriticalSeconds, 'critical', 'client'),
            certAlert('KubeletServerCertificateExpiration', serverTTL, cfg.kubeletCertExpirationWarningSeconds, 'warning', 'server'),
            certAlert('KubeletServerCertificateExpiration', serverTTL, cfg.kubeletCertExpirationCriticalSeconds, 'critical', 'server'),
            renewAlert('KubeletClientCertificateRenewalErrors', 'kubelet_certificate_manager_client_expiration_renew_errors', 'client'),
            renewAlert('KubeletServerCertificateRenewalErrors', 'kubelet_server_expiration_renew_errors', 'server'),
          ],
        },
        {
          name: 'kubernetes-resources',
          rules: [{
            alert: 'CPUThrottlingHigh',
            expr: 'sum by (namespace, pod, container) (increase(container_cpu_cfs_throttled_periods_total{%s, container!=""%s}[5m])) / sum by (namespace, pod, container) (increase(container_cpu_cfs_periods_total{%s, container!=""%s}[5m])) > (%s / 100)' % [
              cfg.cadvisorSelector,
              if cfg.cpuThrottlingSelector == '' then '' else ', ' + cfg.cpuThrottlingSelector,
              cfg.cadvisorSelector,
              if cfg.cpuThrottlingSelector == '' then '' else ', ' + cfg.cpuThrottlingSelector,
              cfg.cpuThrottlingPercent,
            ],
            'for': '15m',
            labels: { severity: 'info' },
            annotations: {
              summary: 'A container spends much of its time throttled.',
              description: 'Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} was throttled in {{ $value | humanizePercentage }} of its CPU periods.',
              runbook_url: cfg.runbookURLPattern % 'cputhrottlinghigh',
            },
          }],
        },
        {
          name: 'kubernetes-system-apiserver',
          rules: [
            {
              local threshold =
                if severity == 'warning' then cfg.certExpirationWarningSeconds else cfg.certExpirationCriticalSeconds,
              alert: 'KubeClientCertificateExpiration',
              expr: 'histogram_quantile(0.01, sum by (job, le) (rate(apiserver_client_certificate_expiration_seconds_bucket{%s}[5m]))) < %d' % [cfg.kubeApiserverSelector, threshold],
              'for': '5m',
              labels: { severity: severity },
              annotations: {
                summary: 'Clients of the API server present certificates that expire soon.',
                description: 'Some client certificates seen by {{ $labels.job }} expire within {{ $value | humanizeDuration }}.',
                runbook_url: cfg.runbookURLPattern % 'kubeclientcertificateexpiration',
              },
            }
            for severity in ['warning', 'critical']
          ],
        },
      ] + [
        {
          name: 'kubernetes-system-' + c.group,
          rules: [{
            alert: c.alert,
            expr: 'absent(up{%s} == 1)' % c.selector,
            'for': '15m',
            labels: { severity: 'critical' },
            annotations: {
              summary: 'Prometheus scrapes no %s.' % c.what,
              description: 'No %s target has been up for a quarter of an hour: it is down, or no longer discovered.' % c.what,
              runbook_url: cfg.runbookURLPattern % std.asciiLower(c.alert),
            },
          }],
        }
        for c in [
          { group: 'scheduler', alert: 'KubeSchedulerDown', selector: cfg.kubeSchedulerSelector, what: 'kube-scheduler' },
          { group: 'controller-manager', alert: 'KubeControllerManagerDown', selector: cfg.kubeControllerManagerSelector, what: 'kube-controller-manager' },
        ]
      ],
    },
    prometheusRules:: {
      groups: [
        {
          name: 'kubelet.rules',
          rules: [{
            record: 'node:kubelet_running_pods:sum',
            expr: 'sum by (node) (kubelet_running_pods{%(kubeletSelector)s})' % cfg,
          }],
        },
        {
          name: 'k8s.rules.container_cpu',
          rules: [{
            record: 'namespace:container_cpu_usage_seconds:sum_rate5m',
            expr: 'sum by (namespace) (rate(container_cpu_usage_seconds_total{%(cadvisorSelector)s, container!=""}[5m]))' % cfg,
          }],
        },
      ],
    },
  },

  prometheusRule: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: k8s._metadata {
      name: 'kubernetes-monitoring-rules',
      labels+: k8s._config.mixin.ruleLabels,
    },
    spec: {
      local r = if std.objectHasAll(k8s.mixin, 'prometheusRules') then k8s.mixin.prometheusRules.groups else [],
      local a = if std.objectHasAll(k8s.mixin, 'prometheusAlerts') then k8s.mixin.prometheusAlerts.groups else [],
      groups: a + r,
    },
  },

  serviceMonitorKubelet: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: k8s._metadata {
      name: 'kubelet',
      labels+: { 'app.kubernetes.io/name': 'kubelet' },
    },
    spec: {
      local common = {
        port: 'https-metrics',
        scheme: 'https',
        interval: '30s',
        honorLabels: true,
        tlsConfig: { insecureSkipVerify: true },
        bearerTokenFile: tokenFile,
        relabelings: keepMetricsPath,
      },
      jobLabel: 'app.kubernetes.io/name',
      endpoints: [
        // No path: the default /metrics endpoint.
        common {
          metricRelabelings: [{
            sourceLabels: ['__name__'],
            regex: 'kubelet_(pod_worker_latency_microseconds|runtime_operations_latency_microseconds)_.*',
            action: 'drop',
          }],
        },
        common {
          path: '/metrics/cadvisor',
          honorTimestamps: false,
          metricRelabelings: [
            {
              sourceLabels: ['__name__'],
              regex: 'container_(tasks_state|network_udp_usage_total|network_tcp_usage_total)',
              action: 'drop',
            },
            {
              // series of cgroups that do not belong to a pod
              sourceLabels: ['__name__', 'pod', 'namespace'],
              regex: '(container_spec_.*|container_last_seen);;',
              action: 'drop',
            },
          ],
        },
        common { path: '/metrics/probes' },
      ],
      selector: { matchLabels: { 'app.kubernetes.io/name': 'kubelet' } },
      namespaceSelector: { matchNames: ['kube-system'] },
    },
  },

  // The scheduler and the controller manager, scraped where they run (a
  // managed control plane hides them: see addons/managed-cluster).
  local controlPlaneMonitor(name, port) = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: k8s._metadata {
      name: name,
      labels+: { 'app.kubernetes.io/name': name },
    },
    spec: {
      jobLabel: 'app.kubernetes.io/name',
      selector: { matchLabels: { 'app.kubernetes.io/name': name } },
      namespaceSelector: { matchNames: ['kube-system'] },
      endpoints: [{
        port: port,
        scheme: 'https',
        interval: '30s',
        bearerTokenFile: tokenFile,
        tlsConfig: { insecureSkipVerify: true },
      }],
    },
  },
  serviceMonitorKubeScheduler: controlPlaneMonitor('kube-scheduler', 'https-metrics'),
  serviceMonitorKubeControllerManager: controlPlaneMonitor('kube-controller-manager', 'https-metrics'),

  serviceMonitorApiserver: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: k8s._metadata {
      name: 'kube-apiserver',
      labels+: { 'app.kubernetes.io/name': 'apiserver' },
    },
    spec: {
      jobLabel: 'component',
      selector: { matchLabels: { component: 'apiserver', provider: 'kubernetes' } },
      namespaceSelector: { matchNames: ['default'] },
      endpoints: [{
        port: 'https',
        interval: '30s',
        scheme: 'https',
        tlsConfig: {
          caFile: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
          serverName: 'kubernetes',
        },
        bearerTokenFile: tokenFile,
        metricRelabelings: [{
          sourceLabels: ['__name__'],
          regex: 'etcd_(debugging|disk)_.*',
          action: 'drop',
        }],
      }],
    },
  },
}
