// node_exporter as a host-network DaemonSet, fronted by kube-rbac-proxy.
local defaults = {
  local defaults = self,
  name:: 'node-exporter',
  namespace:: error 'nodeExporter: namespace is required',
  version:: error 'nodeExporter: version is required',
  image:: error 'nodeExporter: image is required',
  kubeRbacProxyImage:: error 'nodeExporter: kubeRbacProxyImage is required',
  resources:: {
    requests: { cpu: '102m', memory: '180Mi' },
    limits: { cpu: '250m', memory: '180Mi' },
  },
  listenAddress:: '127.0.0.1',
  port:: 9100,
  internal_port:: 9101,
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
      nodeExporterSelector: 'job="' + defaults.name + '"',
      fsSpaceFillingUpWarningThreshold: 15,
      fsSpaceFillingUpCriticalThreshold: 10,
      runbookURLPattern: 'https://runbooks.example.org/kube-prometheus-standin/node/%s',
    },
  },
};

local panel(id, title, expr, x, y) = {
  id: id,
  title: title,
  type: 'timeseries',
  datasource: { type: 'prometheus', uid: '${datasource}' },
  gridPos: { h: 8, w: 12, x: x, y: y },
  targets: [{ expr: expr, legendFormat: '{{instance}}', refId: 'A' }],
};

function(params) {
  local ne = self,
  _config:: defaults + params,
  assert std.isObject(ne._config.resources),
  assert std.isObject(ne._config.mixin._config),
  _metadata:: {
    name: ne._config.name,
    namespace: ne._config.namespace,
    labels: ne._config.commonLabels,
  },

  mixin:: {
    _config:: ne._config.mixin._config,
    local cfg = self._config,
    local fs = cfg.nodeExporterSelector + ',fstype!="",mountpoint!=""',
    prometheusAlerts:: {
      groups: [{
        name: 'node-exporter',
        rules: [
          {
            alert: 'NodeFilesystemAlmostOutOfSpace',
            expr: '100 * node_filesystem_avail_bytes{%s} / node_filesystem_size_bytes{%s} < %d' % [fs, fs, cfg.fsSpaceFillingUpWarningThreshold],
            'for': '30m',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'A filesystem is running low on free space.',
              description: '{{ $labels.mountpoint }} on {{ $labels.instance }} has {{ $value | humanize }}% left.',
              runbook_url: cfg.runbookURLPattern % 'nodefilesystemalmostoutofspace',
            },
          },
          {
            alert: 'NodeFilesystemAlmostOutOfSpace',
            expr: '100 * node_filesystem_avail_bytes{%s} / node_filesystem_size_bytes{%s} < %d' % [fs, fs, cfg.fsSpaceFillingUpCriticalThreshold],
            'for': '30m',
            labels: { severity: 'critical' },
            annotations: {
              summary: 'A filesystem is nearly full.',
              description: '{{ $labels.mountpoint }} on {{ $labels.instance }} has only {{ $value | humanize }}% left.',
              runbook_url: cfg.runbookURLPattern % 'nodefilesystemalmostoutofspace',
            },
          },
          {
            alert: 'NodeMemoryHighUtilization',
            expr: '100 * (1 - node_memory_MemAvailable_bytes{%(nodeExporterSelector)s} / node_memory_MemTotal_bytes{%(nodeExporterSelector)s}) > 90' % cfg,
            'for': '15m',
            labels: { severity: 'warning' },
            annotations: {
              summary: 'A node is short of memory.',
              description: '{{ $labels.instance }} has used {{ $value | humanize }}% of its memory for a quarter of an hour.',
              runbook_url: cfg.runbookURLPattern % 'nodememoryhighutilization',
            },
          },
        ],
      }],
    },
    prometheusRules:: {
      groups: [{
        name: 'node-exporter.rules',
        rules: [{
          record: 'instance:node_cpu_busy:ratio_rate5m',
          expr: '1 - avg by (instance) (rate(node_cpu_seconds_total{%(nodeExporterSelector)s,mode="idle"}[5m]))' % cfg,
        }],
      }],
    },
    grafanaDashboards:: {
      'nodes.json': {
        title: 'Nodes (stand-in)',
        uid: 'standin-nodes',
        tags: ['node-exporter-mixin'],
        schemaVersion: 39,
        time: { from: 'now-1h', to: 'now' },
        templating: { list: [{ name: 'datasource', type: 'datasource', query: 'prometheus' }] },
        panels: [
          panel(1, 'CPU busy', 'instance:node_cpu_busy:ratio_rate5m', 0, 0),
          panel(2, 'Memory available', 'node_memory_MemAvailable_bytes{%(nodeExporterSelector)s}' % cfg, 12, 0),
        ],
      },
    },
  },

  prometheusRule: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: ne._metadata {
      labels+: ne._config.mixin.ruleLabels,
      name: ne._config.name + '-rules',
    },
    spec: {
      local r = if std.objectHasAll(ne.mixin, 'prometheusRules') then ne.mixin.prometheusRules.groups else [],
      local a = if std.objectHasAll(ne.mixin, 'prometheusAlerts') then ne.mixin.prometheusAlerts.groups else [],
      groups: a + r,
    },
  },

  clusterRole: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    metadata: { name: ne._config.name, labels: ne._config.commonLabels },
    rules: [
      { apiGroups: ['authentication.k8s.io'], resources: ['tokenreviews'], verbs: ['create'] },
      { apiGroups: ['authorization.k8s.io'], resources: ['subjectaccessreviews'], verbs: ['create'] },
    ],
  },

  clusterRoleBinding: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    metadata: { name: ne._config.name, labels: ne._config.commonLabels },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: ne.clusterRole.metadata.name },
    subjects: [{ kind: 'ServiceAccount', name: ne.serviceAccount.metadata.name, namespace: ne._config.namespace }],
  },

  serviceAccount: {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: ne._metadata,
    automountServiceAccountToken: false,
  },

  service: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: ne._metadata,
    spec: {
      ports: [{ name: 'https', port: ne._config.port, targetPort: 'https' }],
      selector: ne._config.selectorLabels,
      clusterIP: 'None',
    },
  },

  serviceMonitor: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: ne._metadata,
    spec: {
      jobLabel: 'app.kubernetes.io/name',
      selector: { matchLabels: ne._config.selectorLabels },
      endpoints: [{
        port: 'https',
        scheme: 'https',
        interval: '15s',
        bearerTokenFile: '/var/run/secrets/kubernetes.io/serviceaccount/token',
        tlsConfig: { insecureSkipVerify: true },
        relabelings: [{
          action: 'replace',
          sourceLabels: ['__meta_kubernetes_pod_node_name'],
          targetLabel: 'instance',
        }],
      }],
    },
  },

  networkPolicy: {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: ne.service.metadata,
    spec: {
      podSelector: { matchLabels: ne._config.selectorLabels },
      policyTypes: ['Egress', 'Ingress'],
      egress: [{}],
      ingress: [{
        from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
        ports: [{ port: p.port, protocol: 'TCP' } for p in ne.service.spec.ports],
      }],
    },
  },

  daemonset: {
    local exporter = {
      name: ne._config.name,
      image: ne._config.image,
      args: [
        '--web.listen-address=%s:%d' % [ne._config.listenAddress, ne._config.internal_port],
        '--path.sysfs=/host/sys',
        '--path.rootfs=/host/root',
        '--no-collector.wifi',
      ],
      volumeMounts: [
        { name: 'sys', mountPath: '/host/sys', mountPropagation: 'HostToContainer', readOnly: true },
        { name: 'root', mountPath: '/host/root', mountPropagation: 'HostToContainer', readOnly: true },
      ],
      resources: ne._config.resources,
      securityContext: {
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'], add: ['SYS_TIME'] },
      },
    },
    local proxy = {
      name: 'kube-rbac-proxy',
      image: ne._config.kubeRbacProxyImage,
      args: [
        '--secure-listen-address=[$(IP)]:%d' % ne._config.port,
        '--upstream=http://127.0.0.1:%d/' % ne._config.internal_port,
      ],
      env: [{ name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } }],
      // hostPort is declared so the scheduler accounts for the port on the node.
      ports: [{ name: 'https', containerPort: ne._config.port, hostPort: ne._config.port }],
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
    kind: 'DaemonSet',
    metadata: ne._metadata,
    spec: {
      selector: { matchLabels: ne._config.selectorLabels },
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '10%' } },
      template: {
        metadata: {
          annotations: { 'kubectl.kubernetes.io/default-container': exporter.name },
          labels: ne._config.commonLabels,
        },
        spec: {
          containers: [exporter, proxy],
          volumes: [
            { name: 'sys', hostPath: { path: '/sys' } },
            { name: 'root', hostPath: { path: '/' } },
          ],
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          tolerations: [{ operator: 'Exists' }],
          automountServiceAccountToken: true,
          serviceAccountName: ne.serviceAccount.metadata.name,
          priorityClassName: 'system-cluster-critical',
          securityContext: { runAsUser: 65534, runAsGroup: 65534, runAsNonRoot: true },
          hostPID: true,
          hostNetwork: true,
        },
      },
    },
  },
}
