// The operator, a handful of its CRDs (with deliberately tiny schemas) and its own alerts.
local defaults = {
  local defaults = self,
  name:: 'prometheus-operator',
  namespace:: error 'prometheusOperator: namespace is required',
  version:: error 'prometheusOperator: version is required',
  image:: error 'prometheusOperator: image is required',
  configReloaderImage:: error 'prometheusOperator: configReloaderImage is required',
  kubeRbacProxyImage:: error 'prometheusOperator: kubeRbacProxyImage is required',
  port:: 8080,
  resources:: {
    limits: { cpu: '200m', memory: '200Mi' },
    requests: { cpu: '100m', memory: '100Mi' },
  },
  commonLabels:: {
    'app.kubernetes.io/name': defaults.name,
    'app.kubernetes.io/version': defaults.version,
    'app.kubernetes.io/component': 'controller',
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
      prometheusOperatorSelector: 'job="prometheus-operator",namespace="' + defaults.namespace + '"',
      runbookURLPattern: 'https://runbooks.example.org/kube-prometheus-standin/prometheus-operator/%s',
    },
  },
};

local crd(kind, plural, shortName, version) = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: {
    name: plural + '.monitoring.coreos.com',
    annotations: { 'operator.prometheus.io/version': version },
  },
  spec: {
    group: 'monitoring.coreos.com',
    names: {
      kind: kind,
      listKind: kind + 'List',
      plural: plural,
      singular: std.asciiLower(kind),
      shortNames: [shortName],
      categories: ['prometheus-operator'],
    },
    scope: 'Namespaced',
    versions: [{
      name: 'v1',
      served: true,
      storage: true,
      schema: {
        openAPIV3Schema: {
          type: 'object',
          properties: {
            apiVersion: { type: 'string' },
            kind: { type: 'string' },
            metadata: { type: 'object' },
            spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
          },
          required: ['spec'],
        },
      },
    }],
  },
};

function(params) {
  local po = self,
  _config:: defaults + params,
  assert std.isObject(po._config.resources),
  _metadata:: {
    name: po._config.name,
    namespace: po._config.namespace,
    labels: po._config.commonLabels,
  },

  mixin:: {
    _config:: po._config.mixin._config,
    local cfg = self._config,
    prometheusAlerts:: {
      groups: [{
        name: 'prometheus-operator',
        rules: [
          {
            alert: 'PrometheusOperatorReconcileErrors',
            expr: 'sum by (controller, namespace) (rate(prometheus_operator_reconcile_errors_total{%(prometheusOperatorSelector)s}[10m])) > 0.05' % cfg,
            'for': '15m',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'The operator keeps failing to reconcile objects.',
              description: 'Controller {{ $labels.controller }} in {{ $labels.namespace }} reports reconcile errors at {{ $value | humanize }}/s.',
              runbook_url: cfg.runbookURLPattern % 'prometheusoperatorreconcileerrors',
            },
          },
          {
            alert: 'PrometheusOperatorNotReady',
            expr: 'max by (controller, namespace) (last_over_time(prometheus_operator_ready{%(prometheusOperatorSelector)s}[10m])) < 1' % cfg,
            'for': '5m',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'An operator controller is not ready.',
              description: 'Controller {{ $labels.controller }} in {{ $labels.namespace }} has not reported ready for a while.',
              runbook_url: cfg.runbookURLPattern % 'prometheusoperatornotready',
            },
          },
        ],
      }],
    },
  },

  prometheusRule: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      labels: po._config.commonLabels + po._config.mixin.ruleLabels,
      name: po._config.name + '-rules',
      namespace: po._config.namespace,
    },
    spec: {
      local r = if std.objectHasAll(po.mixin, 'prometheusRules') then po.mixin.prometheusRules.groups else [],
      local a = if std.objectHasAll(po.mixin, 'prometheusAlerts') then po.mixin.prometheusAlerts.groups else [],
      groups: a + r,
    },
  },

  '0alertmanagerCustomResourceDefinition': crd('Alertmanager', 'alertmanagers', 'am', po._config.version),
  '0prometheusCustomResourceDefinition': crd('Prometheus', 'prometheuses', 'prom', po._config.version),
  '0prometheusruleCustomResourceDefinition': crd('PrometheusRule', 'prometheusrules', 'promrule', po._config.version),
  '0servicemonitorCustomResourceDefinition': crd('ServiceMonitor', 'servicemonitors', 'smon', po._config.version),

  clusterRole: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: po._config.name, labels: po._config.commonLabels },
    rules: [
      { apiGroups: ['monitoring.coreos.com'], resources: ['*'], verbs: ['*'] },
      { apiGroups: ['apps'], resources: ['statefulsets'], verbs: ['*'] },
      { apiGroups: [''], resources: ['configmaps', 'secrets', 'services', 'endpoints'], verbs: ['*'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list', 'delete'] },
      { apiGroups: [''], resources: ['namespaces', 'nodes'], verbs: ['get', 'list', 'watch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['*'] },
      { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
      { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
    ],
  },

  clusterRoleBinding: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: po._config.name, labels: po._config.commonLabels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: po.clusterRole.metadata.name },
    subjects: [{ kind: 'ServiceAccount', name: po.serviceAccount.metadata.name, namespace: po._config.namespace }],
  },

  serviceAccount: {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: po._metadata,
    automountServiceAccountToken: false,
  },

  service: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: po._metadata,
    spec: {
      clusterIP: 'None',
      ports: [{ name: 'https', port: 8443, targetPort: 'https' }],
      selector: po._config.selectorLabels,
    },
  },

  serviceMonitor: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: po._metadata,
    spec: {
      selector: { matchLabels: po._config.commonLabels },
      endpoints: [{
        port: 'https',
        scheme: 'https',
        honorLabels: true,
        bearerTokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
        tlsConfig: { insecureSkipVerify: true },
      }],
    },
  },

  networkPolicy: {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: po.service.metadata,
    spec: {
      podSelector: { matchLabels: po._config.selectorLabels },
      policyTypes: ['Egress', 'Ingress'],
      egress: [{}],
      ingress: [{
        from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
        ports: [{ port: p.port, protocol: 'TCP' } for p in po.service.spec.ports],
      }],
    },
  },

  deployment: {
    local operator = {
      name: po._config.name,
      image: po._config.image,
      args: [
        '--kubelet-service=kube-system/kubelet',
        '--prometheus-config-reloader=' + po._config.configReloaderImage,
      ],
      ports: [{ name: 'http', containerPort: po._config.port }],
      resources: po._config.resources,
      securityContext: {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      },
    },
    local proxy = {
      name: 'kube-rbac-proxy',
      image: po._config.kubeRbacProxyImage,
      args: [
        '--secure-listen-address=:8443',
        '--upstream=http://127.0.0.1:%d/' % po._config.port,
      ],
      ports: [{ name: 'https', containerPort: 8443 }],
      resources: {
        requests: { cpu: '10m', memory: '20Mi' },
        limits: { cpu: '20m', memory: '40Mi' },
      },
      securityContext: {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
      },
    },
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: po._metadata,
    spec: {
      replicas: 1,
      selector: { matchLabels: po._config.selectorLabels },
      template: {
        metadata: {
          annotations: { 'kubectl.kubernetes.io/default-container': operator.name },
          labels: po._config.commonLabels,
        },
        spec: {
          automountServiceAccountToken: true,
          containers: [operator, proxy],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          securityContext: { runAsNonRoot: true, runAsUser: 65534, runAsGroup: 65534 },
          serviceAccountName: po.serviceAccount.metadata.name,
        },
      },
    },
  },
}
