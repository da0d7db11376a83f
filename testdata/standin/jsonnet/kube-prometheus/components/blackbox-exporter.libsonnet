// The blackbox exporter for probes, with a reloader for its module ConfigMap, fronted by kube-rbac-proxy.
local defaults = {
  local defaults = self,
  name:: 'blackbox-exporter',
  namespace:: error 'blackboxExporter: namespace is required',
  version:: error 'blackboxExporter: version is required',
  image:: error 'blackboxExporter: image is required',
  configmapReloaderImage:: error 'blackboxExporter: configmapReloaderImage is required',
  kubeRbacProxyImage:: error 'blackboxExporter: kubeRbacProxyImage is required',
  resources:: {
    requests: { cpu: '10m', memory: '20Mi' },
    limits: { cpu: '20m', memory: '40Mi' },
  },
  port:: 9115,
  internalPort:: 19115,
  replicas:: 1,
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
  modules:: {
    http_2xx: { prober: 'http', http: { preferred_ip_protocol: 'ip4' } },
    tcp_connect: { prober: 'tcp', tcp: { preferred_ip_protocol: 'ip4' } },
  },
};

local hardened = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  runAsUser: 65534,
  runAsGroup: 65534,
  capabilities: { drop: ['ALL'] },
};

function(params) {
  local bb = self,
  _config:: defaults + params,
  assert std.isObject(bb._config.resources),
  _metadata:: {
    name: bb._config.name,
    namespace: bb._config.namespace,
    labels: bb._config.commonLabels,
  },

  configuration: {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: bb._metadata { name: bb._config.name + '-configuration' },
    data: { 'config.yml': std.manifestYamlDoc({ modules: bb._config.modules }) },
  },

  serviceAccount: {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: bb._metadata,
    automountServiceAccountToken: false,
  },

  clusterRole: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: bb._config.name, labels: bb._config.commonLabels },
    rules: [
      { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
      { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
    ],
  },

  clusterRoleBinding: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: bb._config.name, labels: bb._config.commonLabels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: bb.clusterRole.metadata.name },
    subjects: [{ kind: 'ServiceAccount', name: bb.serviceAccount.metadata.name, namespace: bb._config.namespace }],
  },

  service: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: bb._metadata,
    spec: {
      ports: [
        { name: 'https', port: bb._config.port, targetPort: 'https' },
        { name: 'probe', port: bb._config.internalPort, targetPort: 'http' },
      ],
      selector: bb._config.selectorLabels,
    },
  },

  serviceMonitor: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: bb._metadata,
    spec: {
      selector: { matchLabels: bb._config.selectorLabels },
      endpoints: [{
        port: 'https',
        scheme: 'https',
        path: '/metrics',
        interval: '30s',
        bearerTokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
        tlsConfig: { insecureSkipVerify: true },
      }],
    },
  },

  networkPolicy: {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: bb.service.metadata,
    spec: {
      podSelector: { matchLabels: bb._config.selectorLabels },
      policyTypes: ['Egress', 'Ingress'],
      egress: [{}],
      ingress: [{
        from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
        ports: [{ port: p.port, protocol: 'TCP' } for p in bb.service.spec.ports],
      }],
    },
  },

  deployment: {
    local mount = { name: 'config', mountPath: '/etc/blackbox_exporter/', readOnly: true },
    local exporter = {
      name: 'blackbox-exporter',
      image: bb._config.image,
      args: [
        '--config.file=/etc/blackbox_exporter/config.yml',
        '--web.listen-address=:%d' % bb._config.internalPort,
      ],
      ports: [{ name: 'http', containerPort: bb._config.internalPort }],
      resources: bb._config.resources,
      securityContext: hardened,
      volumeMounts: [mount],
    },
    // Same resources as the exporter, as upstream does.
    local reloader = {
      name: 'module-configmap-reloader',
      image: bb._config.configmapReloaderImage,
      args: [
        '--webhook-url=http://localhost:%d/-/reload' % bb._config.internalPort,
        '--volume-dir=/etc/blackbox_exporter/',
      ],
      resources: bb._config.resources,
      securityContext: hardened,
      volumeMounts: [mount],
    },
    local proxy = {
      name: 'kube-rbac-proxy',
      image: bb._config.kubeRbacProxyImage,
      args: [
        '--secure-listen-address=:%d' % bb._config.port,
        '--upstream=http://127.0.0.1:%d/' % bb._config.internalPort,
      ],
      ports: [{ name: 'https', containerPort: bb._config.port }],
      resources: bb._config.resources,
      securityContext: hardened { runAsUser: 65532, runAsGroup: 65532 },
    },
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: bb._metadata,
    spec: {
      replicas: bb._config.replicas,
      selector: { matchLabels: bb._config.selectorLabels },
      template: {
        metadata: {
          annotations: { 'kubectl.kubernetes.io/default-container': exporter.name },
          labels: bb._config.commonLabels,
        },
        spec: {
          automountServiceAccountToken: true,
          containers: [exporter, reloader, proxy],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          serviceAccountName: bb.serviceAccount.metadata.name,
          volumes: [{ name: 'config', configMap: { name: bb.configuration.metadata.name } }],
        },
      },
    },
  },
}
