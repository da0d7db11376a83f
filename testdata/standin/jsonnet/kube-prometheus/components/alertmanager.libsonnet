// Alertmanager cluster (an Alertmanager custom resource) with a minimal routing config.
local defaults = {
  local defaults = self,
  name:: error 'alertmanager: name is required',
  namespace:: error 'alertmanager: namespace is required',
  version: error 'alertmanager: version is required',
  image: error 'alertmanager: image is required',
  resources: {
    limits: { cpu: '100m', memory: '100Mi' },
    requests: { cpu: '4m', memory: '100Mi' },
  },
  replicas: 3,
  secrets: [],
  alertmanagerConfigSelector: {},
  reloaderPort:: 8080,
  commonLabels:: {
    'app.kubernetes.io/name': 'alertmanager',
    'app.kubernetes.io/instance': defaults.name,
    'app.kubernetes.io/version': defaults.version,
    'app.kubernetes.io/component': 'alert-router',
    'app.kubernetes.io/part-of': 'kube-prometheus',
  },
  selectorLabels:: {
    [k]: defaults.commonLabels[k]
    for k in std.objectFields(defaults.commonLabels)
    if k != 'app.kubernetes.io/version'
  },
  // Either an object (rendered to YAML) or a ready-made YAML string.
  config:: {
    global: { resolve_timeout: '5m' },
    route: {
      receiver: 'Default',
      group_by: ['namespace'],
      group_wait: '30s',
      group_interval: '5m',
      repeat_interval: '12h',
      routes: [
        { receiver: 'Watchdog', matchers: ['alertname = Watchdog'] },
        { receiver: 'Critical', matchers: ['severity = critical'] },
      ],
    },
    inhibit_rules: [{
      source_matchers: ['severity = critical'],
      target_matchers: ['severity = warning'],
      equal: ['namespace', 'alertname'],
    }],
    receivers: [{ name: 'Default' }, { name: 'Watchdog' }, { name: 'Critical' }],
  },
  mixin:: {
    ruleLabels: {},
    _config: {
      alertmanagerSelector: 'job="alertmanager-' + defaults.name + '",container="alertmanager",namespace="' + defaults.namespace + '"',
      runbookURLPattern: 'https://runbooks.example.org/kube-prometheus-standin/alertmanager/%s',
    },
  },
};

function(params) {
  local am = self,
  _config:: defaults + params,
  assert std.isObject(am._config.resources),
  assert std.isObject(am._config.mixin._config),
  _metadata:: {
    name: 'alertmanager-' + am._config.name,
    namespace: am._config.namespace,
    labels: am._config.commonLabels,
  },

  mixin:: {
    _config:: am._config.mixin._config,
    local cfg = self._config,
    prometheusAlerts:: {
      groups: [{
        name: 'alertmanager.rules',
        rules: [
          {
            alert: 'AlertmanagerFailedReload',
            expr: 'min by (namespace, pod) (alertmanager_config_last_reload_successful{%(alertmanagerSelector)s}) < 1' % cfg,
            'for': '10m',
            labels: { severity: 'critical' },
            annotations: {
              summary: 'Alertmanager could not load its configuration.',
              description: '{{ $labels.namespace }}/{{ $labels.pod }} keeps serving an older configuration after a failed reload.',
              runbook_url: cfg.runbookURLPattern % 'alertmanagerfailedreload',
            },
          },
          {
            alert: 'AlertmanagerFailedToSendAlerts',
            expr: 'sum by (namespace, pod, integration) (rate(alertmanager_notifications_failed_total{%(alertmanagerSelector)s}[15m])) / sum by (namespace, pod, integration) (rate(alertmanager_notifications_total{%(alertmanagerSelector)s}[15m])) > 0.01' % cfg,
            'for': '5m',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'Notifications are being dropped.',
              description: '{{ $labels.namespace }}/{{ $labels.pod }} fails {{ $value | humanizePercentage }} of deliveries via {{ $labels.integration }}.',
              runbook_url: cfg.runbookURLPattern % 'alertmanagerfailedtosendalerts',
            },
          },
        ],
      }],
    },
  },

  prometheusRule: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: am._metadata {
      labels+: am._config.mixin.ruleLabels,
      name: am._metadata.name + '-rules',
    },
    spec: {
      local r = if std.objectHasAll(am.mixin, 'prometheusRules') then am.mixin.prometheusRules.groups else [],
      local a = if std.objectHasAll(am.mixin, 'prometheusAlerts') then am.mixin.prometheusAlerts.groups else [],
      groups: a + r,
    },
  },

  networkPolicy: {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: am.service.metadata,
    spec: {
      podSelector: { matchLabels: am._config.selectorLabels },
      policyTypes: ['Egress', 'Ingress'],
      egress: [{}],
      ingress: [
        {
          from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
          ports: [{ port: p.port, protocol: 'TCP' } for p in am.service.spec.ports],
        },
        {
          // gossip between cluster peers
          from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'alertmanager' } } }],
          ports: [{ port: 9094, protocol: 'TCP' }, { port: 9094, protocol: 'UDP' }],
        },
      ],
    },
  },

  secret: {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: am._metadata,
    stringData: {
      'alertmanager.yaml':
        if std.isObject(am._config.config) then std.manifestYamlDoc(am._config.config)
        else am._config.config,
    },
  },

  serviceAccount: {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: am._metadata,
    automountServiceAccountToken: false,
  },

  service: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: am._metadata,
    spec: {
      ports: [
        { name: 'web', port: 9093, targetPort: 'web' },
        { name: 'reloader-web', port: am._config.reloaderPort, targetPort: 'reloader-web' },
      ],
      selector: am._config.selectorLabels,
      sessionAffinity: 'ClientIP',
    },
  },

  serviceMonitor: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: am._metadata,
    spec: {
      selector: { matchLabels: am._config.selectorLabels },
      endpoints: [
        { port: 'web', interval: '30s' },
        { port: 'reloader-web', interval: '30s' },
      ],
    },
  },

  [if (defaults + params).replicas > 1 then 'podDisruptionBudget']: {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: am._metadata,
    spec: {
      maxUnavailable: 1,
      selector: { matchLabels: am._config.selectorLabels },
    },
  },

  alertmanager: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'Alertmanager',
    metadata: am._metadata { name: am._config.name },
    spec: {
      replicas: am._config.replicas,
      version: am._config.version,
      image: am._config.image,
      podMetadata: { labels: am.alertmanager.metadata.labels },
      resources: am._config.resources,
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      secrets: am._config.secrets,
      serviceAccountName: am.serviceAccount.metadata.name,
      securityContext: { runAsUser: 1000, runAsNonRoot: true, fsGroup: 2000 },
      alertmanagerConfigSelector: am._config.alertmanagerConfigSelector,
      [if std.objectHas(params, 'storage') then 'storage']: am._config.storage,
    },
  },
}
