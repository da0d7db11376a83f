// kube-state-metrics behind two kube-rbac-proxies (its metrics and its own telemetry), with a few alerts.
local defaults = {
  local defaults = self,
  name:: 'kube-state-metrics',
  namespace:: error 'kubeStateMetrics: namespace is required',
  version:: error 'kubeStateMetrics: version is required',
  image:: error 'kubeStateMetrics: image is required',
  kubeRbacProxyImage:: error 'kubeStateMetrics: kubeRbacProxyImage is required',
  resources:: {
    requests: { cpu: '10m', memory: '190Mi' },
    limits: { cpu: '100m', memory: '250Mi' },
  },
  scrapeInterval:: '30s',
  scrapeTimeout:: '30s',
  commonLabels:: {
    'app.kubernetes.io/name': defaults.name,
    'app.kubernetes.io/version': defaults.version,
    'app.kubernetes.io/component': 'exporter',
    'app.kubernetes.io/part-of': 'kube-prometheus',
  },
  selectorLabels:: {
    [k]: defaults.commonLabels[k]
    for k in std.objectFields(defaults.commonLabels)
    if k != 'app.kubernetes.io/version'
  },
  mixin:: {
    ruleLabels: {},
    _config: {
      kubeStateMetricsSelector: 'job="' + defaults.name + '"',
      runbookURLPattern: 'https://runbooks.example.org/kube-prometheus-standin/kube-state-metrics/%s',
    },
  },
};

local proxy(name, port, upstreamPort, image) = {
  name: name,
  image: image,
  args: [
    '--secure-listen-address=:%d' % port,
    '--upstream=http://127.0.0.1:%d/' % upstreamPort,
  ],
  ports: [{ name: std.strReplace(name, 'kube-rbac-proxy', 'https'), containerPort: port }],
  resources: {
    requests: { cpu: '10m', memory: '20Mi' },
    limits: { cpu: '20m', memory: '40Mi' },
  },
  securityContext: {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    runAsUser: 65532,
    capabilities: { drop: ['ALL'] },
  },
};

function(params) {
  local ksm = self,
  _config:: defaults + params,
  assert std.isObject(ksm._config.resources),
  assert std.isObject(ksm._config.mixin._config),
  _metadata:: {
    name: ksm._config.name,
    namespace: ksm._config.namespace,
    labels: ksm._config.commonLabels,
  },

  mixin:: {
    _config:: ksm._config.mixin._config,
    local cfg = self._config,
    prometheusAlerts:: {
      groups: [{
        name: 'kube-state-metrics',
        rules: [{
          alert: 'KubeStateMetricsListErrors',
          expr: 'sum by (namespace) (rate(kube_state_metrics_list_total{%(kubeStateMetricsSelector)s,result="error"}[5m])) / sum by (namespace) (rate(kube_state_metrics_list_total{%(kubeStateMetricsSelector)s}[5m])) > 0.01' % cfg,
          'for': '15m',
          labels: { severity: 'critical' },
          annotations: {
            summary: 'kube-state-metrics cannot list some objects.',
            description: 'More than one percent of the list requests of kube-state-metrics fail: its metrics are incomplete.',
            runbook_url: cfg.runbookURLPattern % 'kubestatemetricslisterrors',
          },
        }],
      }],
    },
  },

  prometheusRule: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: ksm._metadata {
      labels+: ksm._config.mixin.ruleLabels,
      name: ksm._config.name + '-rules',
    },
    spec: {
      local r = if std.objectHasAll(ksm.mixin, 'prometheusRules') then ksm.mixin.prometheusRules.groups else [],
      local a = if std.objectHasAll(ksm.mixin, 'prometheusAlerts') then ksm.mixin.prometheusAlerts.groups else [],
      groups: a + r,
    },
  },

  clusterRole: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: ksm._config.name, labels: ksm._config.commonLabels },
    rules: [
      { apiGroups: [''], resources: ['configmaps', 'nodes', 'pods', 'services', 'namespaces', 'persistentvolumeclaims', 'persistentvolumes'], verbs: ['list', 'watch'] },
      { apiGroups: ['apps'], resources: ['daemonsets', 'deployments', 'replicasets', 'statefulsets'], verbs: ['list', 'watch'] },
      { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
      { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
    ],
  },

  clusterRoleBinding: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: ksm._config.name, labels: ksm._config.commonLabels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: ksm.clusterRole.metadata.name },
    subjects: [{ kind: 'ServiceAccount', name: ksm.serviceAccount.metadata.name, namespace: ksm._config.namespace }],
  },

  serviceAccount: {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: ksm._metadata,
    automountServiceAccountToken: false,
  },

  service: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: ksm._metadata,
    spec: {
      clusterIP: 'None',
      ports: [
        { name: 'https-main', port: 8443, targetPort: 'https-main' },
        { name: 'https-self', port: 9443, targetPort: 'https-self' },
      ],
      selector: ksm._config.selectorLabels,
    },
  },

  serviceMonitor: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: ksm._metadata,
    spec: {
      jobLabel: 'app.kubernetes.io/name',
      selector: { matchLabels: ksm._config.selectorLabels },
      endpoints: [
        {
          port: 'https-main',
          scheme: 'https',
          interval: ksm._config.scrapeInterval,
          scrapeTimeout: ksm._config.scrapeTimeout,
          honorLabels: true,
          bearerTokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
          relabelings: [{ regex: '(pod|service|endpoint|namespace)', action: 'labeldrop' }],
          tlsConfig: { insecureSkipVerify: true },
        },
        {
          port: 'https-self',
          scheme: 'https',
          interval: ksm._config.scrapeInterval,
          bearerTokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
          tlsConfig: { insecureSkipVerify: true },
        },
      ],
    },
  },

  networkPolicy: {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: ksm.service.metadata,
    spec: {
      podSelector: { matchLabels: ksm._config.selectorLabels },
      policyTypes: ['Egress', 'Ingress'],
      egress: [{}],
      ingress: [{
        from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
        ports: [{ port: p.port, protocol: 'TCP' } for p in ksm.service.spec.ports],
      }],
    },
  },

  deployment: {
    local exporter = {
      name: 'kube-state-metrics',
      image: ksm._config.image,
      args: ['--host=127.0.0.1', '--port=8081', '--telemetry-host=127.0.0.1', '--telemetry-port=8082'],
      resources: ksm._config.resources,
      securityContext: {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        runAsUser: 65534,
        runAsGroup: 65534,
        capabilities: { drop: ['ALL'] },
      },
    },
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: ksm._metadata,
    spec: {
      replicas: 1,
      selector: { matchLabels: ksm._config.selectorLabels },
      template: {
        metadata: {
          annotations: { 'kubectl.kubernetes.io/default-container': exporter.name },
          labels: ksm._config.commonLabels,
        },
        spec: {
          automountServiceAccountToken: true,
          containers: [
            exporter,
            proxy('kube-rbac-proxy-main', 8443, 8081, ksm._config.kubeRbacProxyImage),
            proxy('kube-rbac-proxy-self', 9443, 8082, ksm._config.kubeRbacProxyImage),
          ],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          serviceAccountName: ksm.serviceAccount.metadata.name,
        },
      },
    },
  },
}
