// prometheus-adapter serving the resource metrics API (kubectl top, HPAs on CPU and memory) from Prometheus.
local defaults = {
  local defaults = self,
  name:: 'prometheus-adapter',
  namespace:: error 'prometheusAdapter: namespace is required',
  version:: error 'prometheusAdapter: version is required',
  image: error 'prometheusAdapter: image is required',
  prometheusURL:: error 'prometheusAdapter: prometheusURL is required',
  resources:: {
    requests: { cpu: '100m', memory: '180Mi' },
    limits: { cpu: '250m', memory: '180Mi' },
  },
  replicas:: 2,
  rangeIntervals:: { kubelet: '4m', nodeExporter: '4m' },
  commonLabels:: {
    'app.kubernetes.io/name': defaults.name,
    'app.kubernetes.io/version': defaults.version,
    'app.kubernetes.io/component': 'metrics-adapter',
    'app.kubernetes.io/part-of': 'kube-prometheus',
  },
  selectorLabels:: {
    [k]: defaults.commonLabels[k]
    for k in std.objectFields(defaults.commonLabels)
    if k != 'app.kubernetes.io/version'
  },
  // The adapter's configuration file.
  config:: {
    resourceRules: {
      cpu: {
        containerQuery: 'sum by (<<.GroupBy>>) (rate(container_cpu_usage_seconds_total{<<.LabelMatchers>>,container!=""}[%s]))' % defaults.rangeIntervals.kubelet,
        nodeQuery: 'sum by (<<.GroupBy>>) (1 - rate(node_cpu_seconds_total{mode="idle",<<.LabelMatchers>>}[%s]))' % defaults.rangeIntervals.nodeExporter,
        resources: { overrides: { node: { resource: 'node' }, namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
        containerLabel: 'container',
      },
      memory: {
        containerQuery: 'sum by (<<.GroupBy>>) (container_memory_working_set_bytes{<<.LabelMatchers>>,container!=""})',
        nodeQuery: 'sum by (<<.GroupBy>>) (node_memory_MemTotal_bytes{<<.LabelMatchers>>} - node_memory_MemAvailable_bytes{<<.LabelMatchers>>})',
        resources: { overrides: { node: { resource: 'node' }, namespace: { resource: 'namespace' }, pod: { resource: 'pod' } } },
        containerLabel: 'container',
      },
      window: '5m',
    },
  },
};

function(params) {
  local pa = self,
  _config:: defaults + params,
  assert std.isObject(pa._config.resources),
  _metadata:: {
    name: pa._config.name,
    namespace: pa._config.namespace,
    labels: pa._config.commonLabels,
  },

  apiService: {
    apiVersion: 'apiregistration.k8s.io/v1',
    kind: 'APIService',
    metadata: { name: 'v1beta1.metrics.k8s.io', labels: pa._config.commonLabels },
    spec: {
      service: { name: pa.service.metadata.name, namespace: pa._config.namespace },
      group: 'metrics.k8s.io',
      version: 'v1beta1',
      insecureSkipTLSVerify: true,
      groupPriorityMinimum: 100,
      versionPriority: 100,
    },
  },

  configMap: {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: pa._metadata { name: 'adapter-config' },
    data: { 'config.yaml': std.manifestYamlDoc(pa._config.config) },
  },

  serviceAccount: {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: pa._metadata,
    automountServiceAccountToken: false,
  },

  clusterRole: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: pa._config.name, labels: pa._config.commonLabels },
    rules: [{ apiGroups: [''], resources: ['nodes', 'namespaces', 'pods', 'services'], verbs: ['get', 'list', 'watch'] }],
  },

  clusterRoleBinding: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: pa._config.name, labels: pa._config.commonLabels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: pa.clusterRole.metadata.name },
    subjects: [{ kind: 'ServiceAccount', name: pa.serviceAccount.metadata.name, namespace: pa._config.namespace }],
  },

  service: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: pa._metadata,
    spec: {
      ports: [{ name: 'https', port: 443, targetPort: 6443 }],
      selector: pa._config.selectorLabels,
    },
  },

  serviceMonitor: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: pa._metadata,
    spec: {
      selector: { matchLabels: pa._config.selectorLabels },
      endpoints: [{
        port: 'https',
        scheme: 'https',
        interval: '30s',
        bearerTokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
        tlsConfig: { insecureSkipVerify: true },
      }],
    },
  },

  networkPolicy: {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: pa.service.metadata,
    spec: {
      podSelector: { matchLabels: pa._config.selectorLabels },
      policyTypes: ['Egress', 'Ingress'],
      egress: [{}],
      // The API server calls it on behalf of every client of the metrics API.
      ingress: [{}],
    },
  },

  deployment: {
    local adapter = {
      name: pa._config.name,
      image: pa._config.image,
      args: [
        '--cert-dir=/var/run/serving-cert',
        '--config=/etc/adapter/config.yaml',
        '--prometheus-url=' + pa._config.prometheusURL,
        '--secure-port=6443',
      ],
      ports: [{ name: 'https', containerPort: 6443 }],
      resources: pa._config.resources,
      volumeMounts: [
        { name: 'tmpfs', mountPath: '/tmp', readOnly: false },
        { name: 'volume-serving-cert', mountPath: '/var/run/serving-cert', readOnly: false },
        { name: 'config', mountPath: '/etc/adapter', readOnly: false },
      ],
      securityContext: {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        runAsNonRoot: true,
        capabilities: { drop: ['ALL'] },
      },
    },
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: pa._metadata,
    spec: {
      replicas: pa._config.replicas,
      selector: { matchLabels: pa._config.selectorLabels },
      strategy: { rollingUpdate: { maxSurge: 1, maxUnavailable: 1 } },
      template: {
        metadata: {
          annotations: { 'checksum.config/md5': std.md5(std.manifestYamlDoc(pa._config.config)) },
          labels: pa._config.commonLabels,
        },
        spec: {
          automountServiceAccountToken: true,
          containers: [adapter],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          serviceAccountName: pa.serviceAccount.metadata.name,
          volumes: [
            { name: 'tmpfs', emptyDir: {} },
            { name: 'volume-serving-cert', emptyDir: {} },
            { name: 'config', configMap: { name: pa.configMap.metadata.name } },
          ],
        },
      },
    },
  },
}
