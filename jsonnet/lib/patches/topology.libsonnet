// Multi-cluster topologies (vars.topology, vars.prometheus.alerting;
// docs/topologies.md).
//
//   spoke       no Alertmanager of its own (the alertmanager component is
//               hidden, the Prometheus is not pointed at it): alerts go to
//               the Alertmanagers of vars.prometheus.alerting (the hub's).
//   any role    vars.prometheus.alerting.alertmanagers → the Secret
//               kpgenTopology-alertmanagers (Prometheus' alertmanager_config
//               list, no credential in it: credentials are files of the
//               Secrets the Prometheus mounts, spec.secrets), referenced by
//               spec.additionalAlertManagerConfigs.
//   hub         a Grafana datasource per spoke with a url, one for the
//               central store (vars.topology.store), and a ScrapeConfig per
//               spoke with federate (the hub's Prometheus scrapes /federate).
//   management  ScrapeConfigs per managed cluster: kubelet, cAdvisor and
//               node-exporter through the managed cluster's API server proxy
//               (managed.libsonnet).
//
// The role and the lists add and remove objects, so they are read wherever
// the stack is built (like the addons); each spoke's or managed cluster's
// settings only by its own objects.
local managed = import 'managed.libsonnet';
local url = import 'url.libsonnet';

local mountedSecrets = '/etc/prometheus/secrets/';
local mountedConfigMaps = '/etc/prometheus/configmaps/';

// The Secret and ConfigMap references of a CRD-style auth block, and its
// Prometheus configuration with files where the CRD has references.
local fileOf(r) = mountedSecrets + r.name + '/' + r.key;
local caFileOf(x) =
  if std.get(x, 'secret') != null then fileOf(x.secret)
  else mountedConfigMaps + x.configMap.name + '/' + x.configMap.key;
local pruned(o) = { [k]: o[k] for k in std.objectFields(o) if o[k] != null };
local tlsFiles(t) = if t == null then {} else {
  tls_config: pruned({
    ca_file: if std.get(t, 'ca') != null then caFileOf(t.ca),
    cert_file: if std.get(t, 'cert') != null then caFileOf(t.cert),
    key_file: if std.get(t, 'keySecret') != null then fileOf(t.keySecret),
    server_name: std.get(t, 'serverName'),
    insecure_skip_verify: std.get(t, 'insecureSkipVerify'),
    min_version: std.get(t, 'minVersion'),
    max_version: std.get(t, 'maxVersion'),
  }),
};
local refsOf(a) =
  local t = std.get(a, 'tlsConfig');
  local tls(kind) = if t == null then [] else [
    x[kind]
    for x in [std.get(t, 'ca'), std.get(t, 'cert')]
    if x != null && std.get(x, kind) != null
  ];
  {
    secrets: [r.name for r in tls('secret')]
             + (if t != null && std.get(t, 'keySecret') != null then [t.keySecret.name] else [])
             + (if std.get(a, 'basicAuth') != null then [a.basicAuth.username.name, a.basicAuth.password.name] else [])
             + (if std.get(a, 'authorization') != null then [a.authorization.credentials.name] else []),
    configMaps: [r.name for r in tls('configMap')],
  };

// An external Alertmanager as Prometheus' alertmanager_config.
local alertmanagerConfig(am) =
  local u = url.parse(am.url);
  {
    scheme: u.scheme,
    api_version: 'v2',
    static_configs: [{ targets: [u.hostPort] }],
  }
  + (if u.path != '' then { path_prefix: u.path } else {})
  + (if std.get(am, 'timeout') != null then { timeout: am.timeout } else {})
  + (if std.get(am, 'basicAuth') != null then {
       basic_auth: { username_file: fileOf(am.basicAuth.username), password_file: fileOf(am.basicAuth.password) },
     } else {})
  + (if std.get(am, 'authorization') != null then {
       authorization: {
         type: if std.get(am.authorization, 'type') != null then am.authorization.type else 'Bearer',
         credentials_file: fileOf(am.authorization.credentials),
       },
     } else {})
  + tlsFiles(std.get(am, 'tlsConfig'));

// A Grafana datasource of the hub's; its secureJsonData entries come from
// Secrets through the grafana container's environment ($NAME, which Grafana
// expands once), as vars.grafana.datasources' do (grafana.libsonnet).
// Grafana expands "$" in every provisioned value: the vars' own "$" is
// written "$$" (a literal "$"), as grafana.libsonnet writes it.
local literal(v) =
  if std.isString(v) then std.strReplace(v, '$', '$$')
  else if std.isArray(v) then [literal(x) for x in v if x != null]
  else if std.isObject(v) then { [k]: literal(v[k]) for k in std.objectFields(v) if v[k] != null }
  else v;
local datasource(d, env, secure) =
  literal(d)
  + (if secure == {} then {} else { secureJsonData: { [k]: '$' + env(k) for k in std.objectFields(secure) } });
local secretEnv(env, secure) = [
  { name: env(k), valueFrom: { secretKeyRef: { name: secure[k].name, key: secure[k].key } } }
  for k in std.objectFields(secure)
];
local promType = { prometheus: 'Prometheus', thanos: 'Thanos', mimir: 'Mimir', victoriametrics: 'Prometheus' };
local uidOf(prefix, name) =
  local uid = prefix + name;
  if std.length(uid) <= 40 then uid else prefix + std.substr(std.md5(name), 0, 40 - std.length(prefix));

local labels = { 'app.kubernetes.io/name': 'kpgen-topology', 'app.kubernetes.io/part-of': 'kube-prometheus' };

// A ScrapeConfig federating a spoke's Prometheus.
local federation(ns, spoke) =
  local f = spoke.federate;
  local u = url.parse(f.url);
  {
    apiVersion: 'monitoring.coreos.com/v1alpha1',
    kind: 'ScrapeConfig',
    metadata: { name: 'federate-' + spoke.name, namespace: ns, labels: labels },
    spec: {
            // The spoke's series keep their labels, its cluster label (an
            // external label, which /federate adds) included.
            honorLabels: true,
            metricsPath: u.path + '/federate',
            params: { 'match[]': f.match },
            scheme: std.asciiUpper(u.scheme),
            staticConfigs: [{ targets: [u.hostPort], labels: { cluster: spoke.name } }],
          }
          + (if std.get(f, 'interval') != null then { scrapeInterval: f.interval } else {})
          + { [k]: f[k] for k in ['basicAuth', 'authorization', 'tlsConfig'] if std.get(f, k) != null },
  };

function(cfg)
  local t = cfg.topology;
  local ns = cfg.namespace;
  local ams = [a for a in cfg.prometheus.alerting.alertmanagers if a != null];
  // List items are as given (the schema merges no defaults into them).
  local spokeOf(x) = if x == null then null else x {
    datasource: { jsonData: {}, secureJsonData: {}, basicAuth: null, basicAuthUser: null } + std.get(x, 'datasource', {}),
  };
  local managedOf(m) = m {
    scrapeInterval: std.get(m, 'scrapeInterval'),
    kubelet: std.get(m, 'kubelet', true),
    cadvisor: std.get(m, 'cadvisor', true),
    nodeExporter: { enabled: true, namespace: 'kube-system', labelSelector: 'app.kubernetes.io/name=node-exporter', port: 9100, scheme: 'http' }
                  + std.get(m, 'nodeExporter', {}),
  };
  local allSpokes = [spokeOf(x) for x in t.spokes];
  local spokes = [x for x in allSpokes if x != null];
  local clusters = [managedOf(x) for x in t.managedClusters if x != null];
  local federated = [x for x in spokes if std.objectHas(x, 'federate')];
  local objects =
    (if ams == [] then {} else {
       alertmanagers: {
         apiVersion: 'v1',
         kind: 'Secret',
         metadata: { name: 'kpgen-alertmanagers', namespace: ns, labels: labels },
         type: 'Opaque',
         // Where alerts go; no credential is in it (they are files of the
         // Secrets spec.secrets mounts).
         stringData: { 'alertmanagers.yaml': std.manifestYamlDoc([alertmanagerConfig(a) for a in ams], indent_array_in_object=true, quote_keys=false) },
       },
     })
    + { ['federate-' + x.name]: federation(ns, x) for x in federated }
    + std.foldl(function(acc, m) acc + managed.scrapeConfigs(ns, labels, m), clusters, {});
  local refs = [refsOf(a) for a in ams];
  local secrets = std.set(std.flattenArrays([r.secrets for r in refs]));
  local configMaps = std.set(std.flattenArrays([r.configMaps for r in refs]));
  local storeEnv(k) = 'KPGEN_STORE_' + k;
  local spokeEnv(i) = function(k) 'KPGEN_SPOKE_%d_%s' % [i, k];
  local dsList =
    [
      local x = allSpokes[i];
      datasource({
        name: x.name,
        type: 'prometheus',
        uid: uidOf('kpgen-spoke-', x.name),
        url: x.url,
        access: 'proxy',
        editable: false,
        jsonData: x.datasource.jsonData,
        basicAuth: x.datasource.basicAuth,
        basicAuthUser: x.datasource.basicAuthUser,
      }, spokeEnv(i), x.datasource.secureJsonData)
      for i in std.range(0, std.length(t.spokes) - 1)
      if t.spokes[i] != null && std.objectHas(t.spokes[i], 'url')
    ]
    + (if t.store == null then [] else [datasource({
         name: t.store.name,
         type: 'prometheus',
         uid: 'kpgen-store',
         url: t.store.url,
         access: 'proxy',
         editable: false,
         jsonData: { prometheusType: promType[t.store.type] } + t.store.jsonData,
         basicAuth: t.store.basicAuth,
         basicAuthUser: t.store.basicAuthUser,
       }, storeEnv, t.store.secureJsonData)]);
  local dsEnv =
    std.flattenArrays([
      secretEnv(spokeEnv(i), allSpokes[i].datasource.secureJsonData)
      for i in std.range(0, std.length(t.spokes) - 1)
      if t.spokes[i] != null && std.objectHas(t.spokes[i], 'url')
    ])
    + (if t.store == null then [] else secretEnv(storeEnv, t.store.secureJsonData));
  {
    [if t.role == 'spoke' then 'alertmanager']:: super.alertmanager,
    [if t.role == 'spoke' || ams != [] then 'prometheus']+: {
      prometheus+: {
        spec+: (if t.role == 'spoke' then { alerting:: null } else {})
               + (if ams == [] then {} else {
                    additionalAlertManagerConfigs: { name: 'kpgen-alertmanagers', key: 'alertmanagers.yaml' },
                  })
               + (if secrets == [] then {} else { secrets+: secrets })
               + (if configMaps == [] then {} else { configMaps+: configMaps }),
      },
    },
    [if objects != {} then 'kpgenTopology']: objects,
    [if dsList != [] then 'grafana']+: {
      _config+:: {
        datasources+: dsList,
        env+: dsEnv,
      },
    },
  }
