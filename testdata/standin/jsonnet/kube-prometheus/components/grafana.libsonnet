// Grafana with file-provisioned dashboards: one ConfigMap per entry of
// `dashboards` (Grafana's Default folder) and of each folder of
// `folderDashboards` (folder → file → dashboard), each mounted into the
// Deployment, as upstream's kubernetes-grafana does.
local defaults = {
  local defaults = self,
  name:: 'grafana',
  namespace:: error 'grafana: namespace is required',
  version:: error 'grafana: version is required',
  image:: error 'grafana: image is required',
  prometheusName:: error 'grafana: prometheusName is required',
  replicas:: 1,
  port:: 3000,
  resources:: {
    requests: { cpu: '100m', memory: '100Mi' },
    limits: { cpu: '200m', memory: '200Mi' },
  },
  commonLabels:: {
    'app.kubernetes.io/name': defaults.name,
    'app.kubernetes.io/version': defaults.version,
    'app.kubernetes.io/component': 'grafana',
    'app.kubernetes.io/part-of': 'kube-prometheus',
  },
  selectorLabels:: {
    [k]: defaults.commonLabels[k]
    for k in std.objectFields(defaults.commonLabels)
    if k != 'app.kubernetes.io/version'
  },
  dashboards:: {},
  folderDashboards:: {},
  datasources:: [{
    name: 'prometheus',
    type: 'prometheus',
    access: 'proxy',
    orgId: 1,
    url: 'http://prometheus-%s.%s.svc:9090' % [defaults.prometheusName, defaults.namespace],
    version: 1,
    editable: false,
  }],
  // Sections of grafana.ini.
  config:: {
    sections: {
      date_formats: { default_timezone: 'UTC' },
    },
  },
  // Plugins Grafana installs at start (GF_INSTALL_PLUGINS), the grafana
  // container's environment, and containers running beside it.
  plugins:: [],
  env:: [],
  containers:: [],
  mixin:: {
    ruleLabels: {},
    _config: {
      runbookURLPattern: 'https://runbooks.example.org/kube-prometheus-standin/grafana/%s',
    },
  },
};

local dashboardName(file) = 'grafana-dashboard-' + std.strReplace(file, '.json', '');

function(params) {
  local g = self,
  _config:: defaults + params,
  assert std.isObject(g._config.resources),
  _metadata:: {
    name: 'grafana',
    namespace: g._config.namespace,
    labels: g._config.commonLabels,
  },

  // Alerts only; this mixin carries no dashboards of its own.
  mixin:: {
    _config:: g._config.mixin._config,
    local cfg = self._config,
    prometheusAlerts:: {
      groups: [{
        name: 'GrafanaAlerts',
        rules: [{
          alert: 'GrafanaRequestsFailing',
          expr: 'sum by (namespace, job, handler) (rate(grafana_http_request_duration_seconds_count{status_code=~"5.."}[5m])) / sum by (namespace, job, handler) (rate(grafana_http_request_duration_seconds_count[5m])) > 0.5',
          'for': '5m',
          labels: { severity: 'warning' },
          annotations: {
            summary: 'Grafana answers many requests with server errors.',
            description: 'Handler {{ $labels.handler }} of {{ $labels.namespace }}/{{ $labels.job }} fails {{ $value | humanizePercentage }} of requests.',
            runbook_url: cfg.runbookURLPattern % 'grafanarequestsfailing',
          },
        }],
      }],
    },
  },

  prometheusRule: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: {
      labels: g._config.commonLabels + g._config.mixin.ruleLabels,
      name: g._config.name + '-rules',
      namespace: g._config.namespace,
    },
    spec: {
      local r = if std.objectHasAll(g.mixin, 'prometheusRules') then g.mixin.prometheusRules.groups else [],
      local a = if std.objectHasAll(g.mixin, 'prometheusAlerts') then g.mixin.prometheusAlerts.groups else [],
      groups: a + r,
    },
  },

  config: {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: g._metadata { name: 'grafana-config' },
    stringData: { 'grafana.ini': std.manifestIni(g._config.config) },
  },

  dashboardDatasources: {
    apiVersion: 'v1',
    kind: 'Secret',
    type: 'Opaque',
    metadata: g._metadata { name: 'grafana-datasources' },
    stringData: {
      'datasources.yaml': std.manifestJsonEx({ apiVersion: 1, datasources: g._config.datasources }, '    '),
    },
  },

  dashboardSources: {
    local default = if std.length(g._config.dashboards) == 0 then [] else [{
      name: '0',
      orgId: 1,
      folder: 'Default',
      folderUid: '',
      type: 'file',
      options: { path: '/grafana-dashboard-definitions/0' },
    }],
    local providers = {
      apiVersion: 1,
      providers: default + [
        {
          name: folder,
          orgId: 1,
          folder: folder,
          folderUid: '',
          type: 'file',
          options: { path: '/grafana-dashboard-definitions/' + folder },
        }
        for folder in std.objectFields(g._config.folderDashboards)
      ],
    },
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: g._metadata { name: 'grafana-dashboards' },
    data: { 'dashboards.yaml': std.manifestJsonEx(providers, '    ') },
  },

  dashboardDefinitions: {
    apiVersion: 'v1',
    kind: 'ConfigMapList',
    items: [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: g._metadata { name: dashboardName(file) },
        data: { [file]: std.manifestJsonEx(g._config.dashboards[file], '    ') },
      }
      for file in std.objectFields(g._config.dashboards)
    ] + [
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: g._metadata { name: dashboardName(file) },
        data: { [file]: std.manifestJsonEx(g._config.folderDashboards[folder][file], '    ') },
      }
      for folder in std.objectFields(g._config.folderDashboards)
      for file in std.objectFields(g._config.folderDashboards[folder])
    ],
  },

  serviceAccount: {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: g._metadata,
    automountServiceAccountToken: false,
  },

  service: {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: g._metadata,
    spec: {
      selector: g._config.selectorLabels,
      ports: [{ name: 'http', port: g._config.port, targetPort: 'http' }],
    },
  },

  serviceMonitor: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: g._metadata,
    spec: {
      selector: { matchLabels: { 'app.kubernetes.io/name': 'grafana' } },
      endpoints: [{ port: 'http', interval: '15s' }],
    },
  },

  networkPolicy: {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: g.service.metadata,
    spec: {
      podSelector: { matchLabels: g._config.selectorLabels },
      policyTypes: ['Egress', 'Ingress'],
      egress: [{}],
      ingress: [{
        from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }],
        ports: [{ port: p.port, protocol: 'TCP' } for p in g.service.spec.ports],
      }],
    },
  },

  deployment: {
    local files = std.objectFields(g._config.dashboards),
    local inFolders = [
      { folder: folder, file: file }
      for folder in std.objectFields(g._config.folderDashboards)
      for file in std.objectFields(g._config.folderDashboards[folder])
    ],
    local volumes = [
      { name: 'grafana-storage', emptyDir: {} },
      { name: 'grafana-datasources', secret: { secretName: g.dashboardDatasources.metadata.name } },
      { name: 'grafana-dashboards', configMap: { name: g.dashboardSources.metadata.name } },
      { name: 'tmp-plugins', emptyDir: { medium: 'Memory' } },
    ] + [
      { name: dashboardName(f), configMap: { name: dashboardName(f) } }
      for f in files
    ] + [
      { name: dashboardName(d.file), configMap: { name: dashboardName(d.file) } }
      for d in inFolders
    ] + [
      { name: 'grafana-config', secret: { secretName: g.config.metadata.name } },
    ],
    local mounts = [
      { name: 'grafana-storage', mountPath: '/var/lib/grafana', readOnly: false },
      { name: 'grafana-datasources', mountPath: '/etc/grafana/provisioning/datasources', readOnly: false },
      { name: 'grafana-dashboards', mountPath: '/etc/grafana/provisioning/dashboards', readOnly: false },
      { name: 'tmp-plugins', mountPath: '/tmp', readOnly: false },
    ] + [
      {
        name: dashboardName(f),
        mountPath: '/grafana-dashboard-definitions/0/' + std.strReplace(f, '.json', ''),
        readOnly: false,
      }
      for f in files
    ] + [
      {
        name: dashboardName(d.file),
        mountPath: '/grafana-dashboard-definitions/' + d.folder + '/' + std.strReplace(d.file, '.json', ''),
        readOnly: false,
      }
      for d in inFolders
    ] + [
      { name: 'grafana-config', mountPath: '/etc/grafana', readOnly: false },
    ],
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: g._metadata,
    spec: {
      replicas: g._config.replicas,
      selector: { matchLabels: g._config.selectorLabels },
      template: {
        metadata: {
          labels: g._config.commonLabels,
          annotations: {
            'checksum/grafana-config': std.md5(std.toString(g.config)),
            'checksum/grafana-datasources': std.md5(std.toString(g.dashboardDatasources)),
          },
        },
        spec: {
          automountServiceAccountToken: false,
          containers: [{
            name: 'grafana',
            image: g._config.image,
            env: g._config.env + (
              if g._config.plugins == [] then []
              else [{ name: 'GF_INSTALL_PLUGINS', value: std.join(',', g._config.plugins) }]
            ),
            ports: [{ name: 'http', containerPort: g._config.port }],
            readinessProbe: { httpGet: { path: '/api/health', port: 'http' } },
            resources: g._config.resources,
            volumeMounts: mounts,
            securityContext: {
              allowPrivilegeEscalation: false,
              readOnlyRootFilesystem: true,
              capabilities: { drop: ['ALL'] },
              seccompProfile: { type: 'RuntimeDefault' },
            },
          }] + g._config.containers,
          volumes: volumes,
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          serviceAccountName: g.serviceAccount.metadata.name,
          securityContext: { fsGroup: 65534, runAsGroup: 65534, runAsNonRoot: true, runAsUser: 65534 },
        },
      },
    },
  },
}
