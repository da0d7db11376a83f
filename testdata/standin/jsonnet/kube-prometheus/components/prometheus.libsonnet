// The Prometheus server (a Prometheus custom resource), its RBAC and its self-monitoring.
local defaults = {
  local defaults = self,
  name:: error 'prometheus: name is required',
  namespace:: error 'prometheus: namespace is required',
  version: error 'prometheus: version is required',
  image: error 'prometheus: image is required',
  resources: {
    requests: { memory: '400Mi' },
  },
  alerting: {},
  namespaces:: ['default', 'kube-system', defaults.namespace],
  replicas: 2,
  externalLabels: {},
  enableFeatures: [],
  ruleSelector: {},
  commonLabels:: {
    'app.kubernetes.io/name': 'prometheus',
    'app.kubernetes.io/instance': defaults.name,
    'app.kubernetes.io/version': defaults.version,
    'app.kubernetes.io/component': 'prometheus',
    'app.kubernetes.io/part-of': 'kube-prometheus',
  },
  selectorLabels:: {
    [k]: defaults.commonLabels[k]
    for k in std.objectFields(defaults.commonLabels)
    if k != 'app.kubernetes.io/version'
  },
  serviceDiscoveryRole:: 'EndpointSlice',
  reloaderPort:: 8080,
  mixin:: {
    ruleLabels: {},
    _config: {
      prometheusSelector: 'job="prometheus-' + defaults.name + '",namespace="' + defaults.namespace + '"',
      runbookURLPattern: 'https://runbooks.example.org/kube-prometheus-standin/prometheus/%s',
    },
  },
};

local panel(id, title, expr, legend, x, y) = {
  id: id,
  title: title,
  type: 'timeseries',
  datasource: { type: 'prometheus', uid: '${datasource}' },
  gridPos: { h: 8, w: 12, x: x, y: y },
  targets: [{ expr: expr, legendFormat: legend, refId: 'A' }],
};

function(params) {
  local p = self,
  _config:: defaults + params,
  assert std.isObject(p._config.resources),
  assert std.isObject(p._config.mixin._config),
  _metadata:: {
    name: 'prometheus-' + p._config.name,
    namespace: p._config.namespace,
    labels: p._config.commonLabels,
  },

  mixin:: {
    _config:: p._config.mixin._config,
    local cfg = self._config,
    prometheusAlerts:: {
      groups: [{
        name: 'prometheus',
        rules: [
          {
            alert: 'PrometheusBadConfig',
            expr: 'min by (namespace, pod) (prometheus_config_last_reload_successful{%(prometheusSelector)s}) < 1' % cfg,
            'for': '10m',
            labels: { severity: 'critical' },
            annotations: {
              summary: 'Prometheus is running with a stale configuration.',
              description: '{{ $labels.namespace }}/{{ $labels.pod }} could not load its latest configuration.',
              runbook_url: cfg.runbookURLPattern % 'prometheusbadconfig',
            },
          },
          {
            alert: 'PrometheusRuleFailures',
            expr: 'sum by (namespace, pod) (increase(prometheus_rule_evaluation_failures_total{%(prometheusSelector)s}[10m])) > 0' % cfg,
            'for': '15m',
            labels: { severity: 'critical' },
            annotations: {
              summary: 'Rule evaluation is failing.',
              description: '{{ $labels.namespace }}/{{ $labels.pod }} failed {{ $value | humanize }} rule evaluations in ten minutes.',
              runbook_url: cfg.runbookURLPattern % 'prometheusrulefailures',
            },
          },
          {
            alert: 'PrometheusNotConnectedToAlertmanagers',
            expr: 'max by (namespace, pod) (prometheus_notifications_alertmanagers_discovered{%(prometheusSelector)s}) == 0' % cfg,
            'for': '10m',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'Prometheus has no Alertmanager to send to.',
              description: '{{ $labels.namespace }}/{{ $labels.pod }} currently discovers zero Alertmanagers.',
              runbook_url: cfg.runbookURLPattern % 'prometheusnotconnectedtoalertmanagers',
            },
          },
        ],
      }],
    },
    grafanaDashboards:: {
      'prometheus.json': {
        title: 'Prometheus (stand-in)',
        uid: 'standin-prometheus',
        tags: ['prometheus-mixin'],
        schemaVersion: 39,
        time: { from: 'now-1h', to: 'now' },
        templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus' }] },
        panels: [
          panel(1, 'Scraped targets', 'count by (job) (up == 1)', '{{job}}', 0, 0),
          panel(2, 'Ingested samples/s', 'sum by (pod) (rate(prometheus_tsdb_head_samples_appended_total[5m]))', '{{pod}}', 12, 0),
          panel(3, 'Head series', 'max by (pod) (prometheus_tsdb_head_series)', '{{pod}}', 0, 8),
        ],
      },
    },
  },

  prometheusRule: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: p._metadata {
      labels+: p._config.mixin.ruleLabels,
      name: p._metadata.name + '-prometheus-rules',
    },
    spec: {
      local r = if std.objectHasAll(p.mixin, 'prometheusRules') then p.mixin.prometheusRules.groups else [],
      local a = if std.objectHasAll(p.mixin, 'prometheusAlerts') then p.mixin.prometheusAlerts.groups else [],
      groups: a + r,
    },
  },

  networkPolicy: {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: p.service.metadata,
    spec: {
      podSelector: { matchLabels: p._config.selectorLabels },
      policyTypes: ['Egress', 'Ingress'],
      egress: [{}],
      ingress: [
        {
          from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
          ports: [{ port: port.port, protocol: 'TCP' } for port in p.service.spec.ports],
        },
        {
          from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'grafana' } } }],
          ports: [{ port: 9090, protocol: 'TCP' }],
        },
      ],
    },
  },

  serviceAccount: {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: p._metadata,
    automountServiceAccountToken: true,
  },

  service: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: p._metadata,
    spec: {
      ports: [
        { name: 'web', port: 9090, targetPort: 'web' },
        { name: 'reloader-web', port: p._config.reloaderPort, targetPort: 'reloader-web' },
      ],
      selector: p._config.selectorLabels,
      sessionAffinity: 'ClientIP',
    },
  },

  local subjects = [{
    kind: 'ServiceAccount',
    name: p.serviceAccount.metadata.name,
    namespace: p._config.namespace,
  }],

  roleSpecificNamespaces: {
    local discovery =
      if p._config.serviceDiscoveryRole == 'EndpointSlice' then
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] }
      else if p._config.serviceDiscoveryRole == 'Endpoints' then
        { apiGroups: [''], resources: ['endpoints'], verbs: ['get', 'list', 'watch'] }
      else error 'prometheus: unknown serviceDiscoveryRole ' + p._config.serviceDiscoveryRole,
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleList',
    items: [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'Role',
        metadata: p._metadata { namespace: ns },
        rules: [
          discovery,
          { apiGroups: [''], resources: ['services', 'pods'], verbs: ['get', 'list', 'watch'] },
          { apiGroups: ['networking.k8s.io'], resources: ['ingresses'], verbs: ['get', 'list', 'watch'] },
        ],
      }
      for ns in p._config.namespaces
    ],
  },

  roleBindingSpecificNamespaces: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBindingList',
    items: [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata: p._metadata { namespace: ns },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: p._metadata.name },
        subjects: subjects,
      }
      for ns in p._config.namespaces
    ],
  },

  clusterRole: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: p._metadata { namespace:: null },
    rules: [
      { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
      { nonResourceURLs: ['/metrics', '/metrics/slis'], verbs: ['get'] },
    ],
  },

  clusterRoleBinding: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: p._metadata { namespace:: null },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: p.clusterRole.metadata.name },
    subjects: subjects,
  },

  roleConfig: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: p._metadata { name: p._metadata.name + '-config' },
    rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }],
  },

  roleBindingConfig: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    metadata: p._metadata { name: p._metadata.name + '-config' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: p.roleConfig.metadata.name },
    subjects: subjects,
  },

  [if (defaults + params).replicas > 1 then 'podDisruptionBudget']: {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: p._metadata,
    spec: {
      minAvailable: 1,
      selector: { matchLabels: p._config.selectorLabels },
    },
  },

  prometheus: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'Prometheus',
    metadata: p._metadata { name: p._config.name },
    spec: {
      replicas: p._config.replicas,
      version: p._config.version,
      image: p._config.image,
      podMetadata: { labels: p.prometheus.metadata.labels },
      serviceDiscoveryRole: p._config.serviceDiscoveryRole,
      externalLabels: p._config.externalLabels,
      enableFeatures: p._config.enableFeatures,
      serviceAccountName: p.serviceAccount.metadata.name,
      serviceMonitorSelector: {},
      serviceMonitorNamespaceSelector: {},
      podMonitorSelector: {},
      podMonitorNamespaceSelector: {},
      probeSelector: {},
      probeNamespaceSelector: {},
      scrapeConfigSelector: {},
      scrapeConfigNamespaceSelector: {},
      ruleSelector: p._config.ruleSelector,
      ruleNamespaceSelector: {},
      nodeSelector: { 'kubernetes.io/os': 'linux' },
      resources: p._config.resources,
      alerting: p._config.alerting,
      securityContext: { runAsUser: 1000, runAsNonRoot: true, fsGroup: 2000 },
      [if std.objectHas(params, 'storage') then 'storage']: p._config.storage,
    },
  },

  serviceMonitor: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: p._metadata,
    spec: {
      selector: { matchLabels: p._config.selectorLabels },
      endpoints: [
        { port: 'web', interval: '30s' },
        { port: 'reloader-web', interval: '30s' },
      ],
    },
  },
}
