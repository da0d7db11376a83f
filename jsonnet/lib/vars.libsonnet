// The vars schema: every key a vars file may set, its type and its default.
// This is the one place defaults live; docs/vars.md documents each key. A
// function of the platform's mixins (kpgen's own and a platform's, see
// platform.libsonnet) and the names of its presets.
//
// A default of null means "not set": kube-prometheus' own default applies
// (e.g. prometheus.replicas → upstream's 2), or nothing is rendered (e.g.
// prometheus.retention → the operator's default).
//
// Every value is checked to make a valid object (see the checks in
// jsonnet/mixins/kpgen-common/checks.libsonnet, shared with the mixins).
local c = import '../mixins/kpgen-common/checks.libsonnet';
local common = import '../mixins/kpgen-common/common.libsonnet';
local kp = import 'kube-prometheus/main.libsonnet';
local s = import 'schema.libsonnet';
local str = import 'strings.libsonnet';
// Multi-cluster topologies (patches/topology.libsonnet, docs/topologies.md).
local topo = import 'topology-schema.libsonnet';
local upstream = import 'upstream.libsonnet';

// A container's resource name: a standard one, hugepages-<size>, or an
// extended resource <domain>/<name> (Kubernetes' validation).
local standardResources = ['cpu', 'ephemeral-storage', 'memory'];
local alnum = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
// The name of a qualified name: alphanumerics, "-", "_" and ".", starting
// and ending with an alphanumeric, at most 63 characters.
local isQualifiedNamePart(p) =
  local n = std.length(p);
  n >= 1 && n <= 63 && std.stripChars(p, alnum + '-_.') == ''
  && std.stripChars(p[0], alnum) == '' && std.stripChars(p[n - 1], alnum) == '';
local resourceName(k) =
  local parts = std.split(k, '/');
  if std.member(standardResources, k)
     || (std.startsWith(k, 'hugepages-') && c.quantity(positive=true)(std.substr(k, 10, std.length(k) - 10)) == null)
     || (std.length(parts) == 2 && c.dnsSubdomain(parts[0]) == null && isQualifiedNamePart(parts[1]))
  then null
  else
    local near = str.closest(k, standardResources);
    '%s is not a resource name (cpu, memory, ephemeral-storage, hugepages-<size>, or <domain>/<name> for an extended resource)%s'
    % [c.quote(k), if near != null then ' (did you mean "%s"?)' % near else ''];

// Grafana dashboards added by vars (see patches/dashboards.libsonnet).
// A dashboard's file name: kube-prometheus names its ConfigMap and the
// Deployment's volume grafana-dashboard-<name>, which must be a DNS-1123
// label, and mounts it at /grafana-dashboard-definitions/<folder>/<name>.
local dashboardPrefix = 'grafana-dashboard-';
local dashboardFile(f) =
  local name = if std.endsWith(f, '.json') then std.substr(f, 0, std.length(f) - 5) else '';
  if name != '' && c.dnsLabel(dashboardPrefix + name) == null then null
  else '%s is not a dashboard file name (<name>.json, where %s<name> is a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, <name> at most %d characters)'
       % [c.quote(f), dashboardPrefix, 63 - std.length(dashboardPrefix)];
// A folder's name: Grafana's folder title, and a directory of the
// Deployment's (/grafana-dashboard-definitions/<folder>, where 0 is the
// Default folder's).
local folderName(f) =
  local printable = std.all([std.codepoint(ch) >= 32 && std.codepoint(ch) != 127 for ch in std.stringChars(f)]);
  if f == '' || std.length(f) > 128 then '%s is not a folder name (1 to 128 characters)' % c.quote(f)
  else if !printable || std.member(f, '/') || std.stripChars(f, ' ') != f then
    '%s is not a folder name (no "/", no control characters, no space at either end: it names a directory)' % c.quote(f)
  else if std.member(f, '$') then '%s is not a folder name (no "$": Grafana reads $NAME in its provisioning files as an environment variable)' % c.quote(f)
  else if f == '.' || f == '..' || f == '0' then "%s is not a folder name (it names a directory, and /grafana-dashboard-definitions/0 is the Default folder's)" % c.quote(f)
  else null;
// Grafana's dashboard uid: at most 40 letters, digits, "-" and "_".
local grafanaUid(u) =
  if u != '' && std.length(u) <= 40 && std.stripChars(u, alnum + '-_') == '' then null
  else '%s is not a Grafana dashboard uid (1 to 40 letters, digits, "-" and "_")' % c.quote(u);
local dashboard = s.object({
  uid: s.required(s.string(check=grafanaUid, doc='unique across the dashboards: Grafana identifies a dashboard by it')),
  title: s.required(s.string(check=c.nonEmpty, doc='unique across the dashboards')),
}, hint='a Grafana dashboard: read a JSON file with std.parseJson(importstr "<file>.json")');

// Merged onto upstream's resources; null deletes one of upstream's entries.
local resources = s.record({
  requests: s.map(s.quantity(check=c.quantity()), keepNulls=true, keys=resourceName),
  limits: s.map(s.quantity(check=c.quantity()), keepNulls=true, keys=resourceName),
}, unset=true);

// Scheduling. Each value is checked as the API server's validation of a
// PodSpec checks it, so a value that passes makes a valid object.
local toleration = s.record({
  key: s.string(check=c.labelKey),
  operator: s.enum(['Exists', 'Equal']),
  value: s.string(check=c.k8sLabelValue),
  effect: s.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
  tolerationSeconds: s.number(check=c.wholeNumber(0, 315360000)),
}, unset=true, check=function(t)
  local key = std.get(t, 'key');
  local op = std.get(t, 'operator');
  local value = std.get(t, 'value');
  if (key == null || key == '') && op != 'Exists' then 'a toleration without a key needs operator "Exists" (it then tolerates every taint)'
  else if op == 'Exists' && value != null && value != '' then 'a toleration with operator "Exists" takes no value'
  else if std.get(t, 'tolerationSeconds') != null && std.get(t, 'effect') != 'NoExecute' then 'tolerationSeconds needs effect "NoExecute"'
  else null);

// A label selector's or a node selector's requirement.
local requirement(operators) = s.record({
  key: s.required(s.string(check=c.labelKey)),
  operator: s.required(s.enum(operators)),
  values: s.list(s.string(check=c.k8sLabelValue), default=null),
}, unset=true, check=function(r)
  local values = std.get(r, 'values');
  local n = if values == null then 0 else std.length(values);
  local isInteger(v) = local d = std.lstripChars(v, '-'); d != '' && std.length(d) <= 18 && std.stripChars(d, '0123456789') == '' && std.length(v) - std.length(d) <= 1;
  if std.member(['In', 'NotIn'], r.operator) && n == 0 then 'operator "%s" needs at least one value' % r.operator
  else if std.member(['Exists', 'DoesNotExist'], r.operator) && n > 0 then 'operator "%s" takes no values' % r.operator
  else if std.member(['Gt', 'Lt'], r.operator) && !(n == 1 && isInteger(values[0])) then 'operator "%s" needs exactly one value, a whole number' % r.operator
  else null);
local labelSelector = s.record({
  matchLabels: s.map(s.string(check=c.k8sLabelValue), keys=c.labelKey),
  matchExpressions: s.list(requirement(['In', 'NotIn', 'Exists', 'DoesNotExist'])),
}, unset=true);
local nodeSelectorTerm = s.record({
  matchExpressions: s.list(requirement(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'])),
  matchFields: s.list(requirement(['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'])),
}, unset=true);
local weight = s.number(check=c.wholeNumber(1, 100));
local podAffinityTerm = s.record({
  labelSelector: labelSelector,
  namespaceSelector: labelSelector,
  namespaces: s.list(s.string(check=c.dnsLabel)),
  topologyKey: s.required(s.string(check=c.labelKey)),
  matchLabelKeys: s.list(s.string(check=c.labelKey)),
  mismatchLabelKeys: s.list(s.string(check=c.labelKey)),
}, unset=true);
local podAffinity = s.record({
  requiredDuringSchedulingIgnoredDuringExecution: s.list(podAffinityTerm),
  preferredDuringSchedulingIgnoredDuringExecution: s.list(s.record({
    weight: s.required(weight),
    podAffinityTerm: s.required(podAffinityTerm),
  }, unset=true)),
}, unset=true);
local affinity = s.record({
  nodeAffinity: s.record({
    requiredDuringSchedulingIgnoredDuringExecution: s.record({
      nodeSelectorTerms: s.required(s.list(nodeSelectorTerm, check=c.nonEmptyList)),
    }, unset=true),
    preferredDuringSchedulingIgnoredDuringExecution: s.list(s.record({
      weight: s.required(weight),
      preference: s.required(nodeSelectorTerm),
    }, unset=true)),
  }, unset=true),
  podAffinity: podAffinity,
  podAntiAffinity: podAffinity,
}, unset=true, apiType='Affinity');

// Where a component's pods run. resources=false for the components whose
// resources the vars set already (prometheus, alertmanager).
local pods(withResources=true) = {
  nodeSelector: s.map(s.string(check=c.k8sLabelValue), keepNulls=true, keys=c.labelKey),
  tolerations: s.list(toleration, default=null),
  affinity: affinity,
  priorityClassName: s.string(check=c.dnsSubdomain),
} + (if withResources then { resources: resources } else {});

// A key of an existing Secret: how credentials reach the stack.
local secretKeySelector(optional=false) = s.record({
  name: s.required(s.string(check=c.dnsSubdomain)),
  key: s.required(s.string(check=c.secretKey)),
} + (if optional then { optional: s.boolean() } else {}), unset=true, secret=true);

// A Grafana datasource, provisioned beside kube-prometheus' own Prometheus
// one (see kube-prometheus' grafana datasources). Its credentials are only
// ever Secret references, in secureJsonData.
local noCredentials(key) = s.forbidden('credentials are never values in vars: set secureJsonData.%s to a Secret reference { name, key }' % key);
local datasource = s.record({
  name: s.required(s.string(check=c.nonEmpty)),
  type: s.required(s.string(check=c.nonEmpty)),
  uid: s.string(check=function(v)
    if v != '' && std.length(v) <= 40 && std.stripChars(v, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_') == '' then null
    else '%s is not a Grafana uid (at most 40 letters, digits, "-" and "_")' % c.quote(v)),
  url: s.string(check=function(v) local e = c.nonEmpty(v); if e != null then e else c.noURLCredentials(v)),
  access: s.enum(['proxy', 'direct']),
  orgId: s.number(check=c.wholeNumber(1, 2147483647)),
  isDefault: s.boolean(),
  editable: s.boolean(),
  database: s.string(),
  user: s.string(),
  basicAuth: s.boolean(),
  basicAuthUser: s.string(),
  withCredentials: s.boolean(),
  version: s.number(check=c.wholeNumber(1, 2147483647)),
  jsonData: s.map(s.any()),
  secureJsonData: s.map(secretKeySelector(), keys=function(k)
    if k != '' && std.length(k) <= 100 && std.stripChars(k, 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_') == '' && std.stripChars(k[0], '0123456789') != '' then null
    else '%s is not a secureJsonData key (letters, digits and "_", not starting with a digit)' % c.quote(k)) + { secret: true },
  password: noCredentials('password'),
  basicAuthPassword: noCredentials('basicAuthPassword'),
}, unset=true);

// vars.sealedSecrets: Secrets whose values are sealed (encrypted with the
// cluster's Sealed Secrets certificate by `kpgen seal`), rendered as
// SealedSecret objects (patches/sealed-secrets.libsonnet). Only the
// controller can unseal them, into the Secret of that name.
local b64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
local sealedValue(v) =
  local body = std.rstripChars(v, '=');
  // A sealed value holds an RSA-OAEP ciphertext (256 bytes or more) and the
  // value's AES-GCM ciphertext, base64-encoded.
  if std.length(v) >= 344 && std.length(v) % 4 == 0 && std.length(v) - std.length(body) <= 2 && std.stripChars(body, b64) == '' then null
  else 'not a sealed value (the base64 text `kpgen seal` prints; credentials are never values in vars: seal them with `kpgen seal --cluster <name>`, or reference an existing Secret)';
local certificateLocation(v) =
  if std.startsWith(v, 'https://') || std.startsWith(v, 'http://') then c.httpURL(v)
  else if v == '' || std.member(v, '\n') then '%s is not a path or an http(s) URL' % c.quote(v)
  else null;
local sealedSecret = s.record({
  namespace: s.string(check=c.dnsLabel, doc="default: the stack's namespace"),
  scope: s.enum(['strict', 'namespace-wide', 'cluster-wide'], 'strict'),
  type: s.string(check=c.nonEmpty),
  labels: s.map(s.string(check=c.k8sLabelValue), keys=c.labelKey),
  encryptedData: s.required(s.map(s.string(check=sealedValue), keys=c.secretKey)),
}, check=function(x) if std.length(x.encryptedData) == 0 then 'encryptedData: at least one sealed value' else null);
// vars.secrets.allowPlaintext: "namespace/name" of a Secret of the output.
local objectRef(k) =
  local parts = std.split(k, '/');
  if std.length(parts) == 2 && c.dnsLabel(parts[0]) == null && c.dnsSubdomain(parts[1]) == null then null
  else '%s is not "<namespace>/<name>" of a Secret' % c.quote(k);

// The schema of vars.upstream.<name>: the keys of the upstream mixin's own
// _config (kube-prometheus' <component>.mixin._config, derived from its
// defaults as for kpgen's mixins, without their values: a key left out
// keeps upstream's value, whatever it is computed from). Built only when
// a vars file sets the key, so kube-prometheus' mixins are not looked at
// otherwise.
local upstreamMixinSchema(name) =
  local component = upstream.mixins[name];
  local config =
    if std.objectHasAll(kp, component) && std.objectHasAll(kp[component], 'mixin') && std.objectHasAll(kp[component].mixin, '_config')
    then kp[component].mixin._config
    else {};
  local types = std.get(upstream.types, name, {});
  local elsewhere = std.get(upstream.setElsewhere, name, {});
  s.record({
    [k]:
      if std.objectHas(elsewhere, k) then s.forbidden('set by %s, not here' % elsewhere[k])
      else if std.objectHas(types, k) then s.fromType(types[k], null)
      else s.patchOf(config[k])
    for k in std.objectFields(config)
  }, base={}) + {
    defaultFrom: null,
    hasRequired: false,
    derived: true,
  };

// The names of kube-prometheus' images (values.common.images).
local imageNames = std.objectFields(kp.values.common.images);

// A Prometheus RemoteWriteSpec, passed through to spec.remoteWrite. Its keys
// are the CRD's (prometheus-operator v0.92, kube-prometheus v0.18.0), so a
// misspelt key is caught here; the values are checked by the API server.
// Header names that carry credentials: never values in vars.
local credentialHeaders = ['authorization', 'proxy-authorization', 'cookie', 'x-api-key', 'api-key', 'x-auth-token', 'x-vault-token'];
local headers = s.map(s.string(), keys=function(k)
  if std.member(credentialHeaders, std.asciiLower(k)) then
    'the header %s carries credentials, which are never values in vars: use authorization or basicAuth with a Secret reference' % c.quote(k)
  else null);

local remoteWrite = s.record({
  url: s.required(s.string(check=c.httpURL)),
  headers: headers,
  bearerToken: s.forbidden('credentials are never values in vars: use authorization: { credentials: { name, key } } (a Secret reference)'),
  basicAuth: topo.basicAuth,
  authorization: topo.authorization,
  tlsConfig: topo.tlsConfig,
  writeRelabelConfigs: s.list(topo.relabelConfig),
} + {
  [k]: s.any()
  for k in [
    'azureAd',
    'bearerTokenFile',
    'enableHTTP2',
    'followRedirects',
    'messageVersion',
    'metadataConfig',
    'name',
    'noProxy',
    'oauth2',
    'proxyConnectHeader',
    'proxyFromEnvironment',
    'proxyUrl',
    'queueConfig',
    'remoteTimeout',
    'roundRobinDNS',
    'sendExemplars',
    'sendNativeHistograms',
    'sigv4',
  ]
});

// vars.rules.groups.<name>: a Prometheus rule group of the cluster's own
// (its name is the key). Its keys are the PrometheusRule CRD's, so that a
// misspelt one is caught here; kpgen's validation parses every expression
// and template, like every other rule's.
local rule = s.record({
  alert: s.string(check=c.nonEmpty),
  record: s.string(check=c.nonEmpty),
  expr: s.required(s.string(check=c.nonEmpty)),
  'for': s.string(check=c.duration),
  keep_firing_for: s.string(check=c.duration),
  labels: s.map(s.string(check=c.labelValue), keys=c.labelName),
  annotations: s.map(s.string(), keys=c.labelName),
});
local ruleGroup = s.record({
  interval: s.string(check=c.duration),
  query_offset: s.string(check=c.duration),
  limit: s.number(check=c.int32),
  labels: s.map(s.string(check=c.labelValue), keys=c.labelName),
  rules: s.required(s.list(rule, check=c.nonEmptyList)),
});

// vars.rules.override.<rule name> and its narrower layers (byGroup.<group>,
// bySeverity.<severity>, byGroup.<group>.bySeverity.<severity>): what to
// change in the rules it matches. null leaves a field as it is; a label or
// annotation set to null is removed.
local change(extra={}) = s.record({
  expr: s.string(check=c.nonEmpty),
  'for': s.string(check=c.duration),
  keep_firing_for: s.string(check=c.duration),
  severity: s.string(check=c.alertLabelValue),
  labels: s.map(s.string(check=c.alertLabelValue), keepNulls=true, keys=c.labelName),
  annotations: s.map(s.string(check=c.nonEmpty), keepNulls=true, keys=c.labelName),
  disable: s.boolean(),
} + extra);

// The schema of vars.mixins.<name>: `enabled` plus exactly the keys of the
// mixin's _config, with its defaults, each of the type the mixin declares in
// _configTypes (see kpgen-common/types.libsonnet), or else of the type of
// its default (see schema.fromDefault). Built only when a vars file
// mentions the mixin, so unused mixins cost nothing.
local kinds = ['string', 'number', 'boolean', 'list', 'map'];
local checkedType(name, key, t) =
  if std.isObject(t) && std.objectHasAll(t, 'kind') && std.member(kinds, t.kind) then
    // (Compared with null to be checked now, not when an item is.)
    local inner(k) = local i = checkedType(name, key + '.' + k, t[k]); if i == null then t else t { [k]: i };
    if t.kind == 'list' then inner('items')
    else if t.kind == 'map' then inner('values')
    else t
  else error 'mixin %s: _configTypes.%s is not a type but %s%s (see kpgen-common/types.libsonnet)' % [
    name,
    key,
    std.type(t),
    if std.isFunction(t) then ': call it, e.g. t.number() for t.number' else '',
  ];
local mixinSchema(name, m) =
  local config = m.mixin._config;
  local types = if std.objectHasAll(m.mixin, '_configTypes') then m.mixin._configTypes else {};
  s.record(
    { enabled: s.boolean(false) } + {
      [k]: if std.objectHasAll(types, k) then s.fromType(checkedType(name, k, types[k]), config[k]) else s.fromDefault(config[k])
      for k in std.objectFields(config)
    },
    base={ enabled: false } + config,
  ) + {
    // A mixin's runbookURLPattern defaults to vars.rules.runbookURLPattern
    // when that is set: the runbook links are set once for every mixin,
    // kpgen's and a platform's. Unset, each mixin keeps its own default (a
    // platform's mixin may link to the platform's wiki). (A function: the
    // mixin is imported only when the default is looked at.)
    defaultFrom: function(root)
      { enabled: false } + config
      + (if std.objectHas(config, 'runbookURLPattern') && root.rules.runbookURLPattern != null then { runbookURLPattern: root.rules.runbookURLPattern } else {}),
    // Known without looking at the mixin, so that an unmentioned mixin is
    // never imported.
    hasRequired: false,
    derived: true,
  };

function(mixins, presets=[]) s.record({
  // The escape hatch: functions(stack, cfg) → stack applied last, to this
  // cluster only (kpgen.libsonnet's new; a cluster with patches is rendered
  // on its own).
  patches: s.functions(),
  // The preset of the platform's to layer under the vars (see
  // platform.libsonnet); chosen before the schema merges anything.
  preset: s.string(check=function(v)
    if std.member(presets, v) then null
    else
      local near = str.closest(v, presets);
      'no preset named %s in the platform%s' % [c.quote(v), if near != null then ' (did you mean "%s"?)' % near else if presets == [] then ' (it has none)' else ' (presets: %s)' % std.join(', ', presets)]),
  cluster: s.record({
    name: s.required(s.string(check=c.dnsLabel, doc='a DNS-1123 label naming the cluster')),
    provider: s.enum(['aws', 'azure', 'gcp', 'baremetal', 'other'], 'other'),
    // Also the environment external label's value.
    environment: s.string(check=c.labelValue),
    platform: s.enum(['aks', 'aws', 'bootkube', 'eks', 'gke', 'kops', 'kops_coredns', 'kubeadm', 'kubespray']),
  }),
  namespace: s.string('monitoring', check=c.dnsLabel),

  prometheus: s.record({
    replicas: s.number(check=c.int32),
    retention: s.string(check=c.duration),
    retentionSize: s.string(check=c.byteSize),
    storage: s.record({
      size: s.quantity(check=c.quantity(positive=true)),
      class: s.string(check=c.dnsSubdomain),
    }),
    resources: resources,
    // cluster (= cluster.name) and, when cluster.environment is set,
    // environment; set a label to null to drop it.
    externalLabels: s.map(s.string(check=c.labelValue), keys=c.labelName, defaultFrom=function(root)
      { cluster: root.cluster.name }
      + (if root.cluster.environment != null then { environment: root.cluster.environment } else {})),
    remoteWrite: s.list(remoteWrite),
    extraNamespaces: s.list(s.string(check=c.dnsLabel)),
    externalUrl: s.string(check=c.httpURL),
    enableFeatures: s.list(s.string(check=c.featureName)),
    additionalScrapeConfigs: secretKeySelector(optional=true),
    // Alertmanagers outside the cluster (a hub's): a spoke's only ones.
    alerting: s.record({
      alertmanagers: s.list(topo.externalAlertmanager),
    }),
  } + pods(withResources=false)),

  topology: topo.topology,

  alertmanager: s.record({
    replicas: s.number(check=c.int32),
    resources: resources,
    // Alertmanager's configuration (unset: kube-prometheus' own).
    config: import 'alertmanager-schema.libsonnet',
  } + pods(withResources=false)),

  grafana: s.record({
    enabled: s.boolean(true),
    dashboards: s.record({
      // Titles, uids or file names, of any dashboard (upstream's, the
      // mixins', added ones).
      disable: s.list(s.string(check=c.nonEmpty)),
      add: s.map(dashboard, keys=dashboardFile),
      folders: s.map(s.map(dashboard, keys=dashboardFile), keys=folderName),
    }),
    plugins: s.list(s.string(check=c.grafanaPlugin)),
    datasources: s.list(datasource),
    adminSecret: s.record({
      name: s.required(s.string(check=c.dnsSubdomain)),
      userKey: s.string('admin-user', check=c.secretKey),
      passwordKey: s.string('admin-password', check=c.secretKey),
    }, unset=true, fill=true, secret=true),
  } + pods()),

  kubeStateMetrics: s.record(pods()),
  nodeExporter: s.record(pods()),
  prometheusOperator: s.record(pods()),
  blackboxExporter: s.record(pods()),
  prometheusAdapter: s.record(pods()),
  // Every component but nodeExporter (which runs on every node).
  allComponents: s.record(pods()),

  images: s.record({
    registry: s.string(check=c.imageRegistry),
    overrides: s.map(s.string(check=c.imageReference), keys=function(k)
      if std.member(imageNames, k) then null
      else
        local near = str.closest(k, imageNames);
        "%s is not one of kube-prometheus' images (%s)" % [c.quote(k), if near != null then 'did you mean "%s"?' % near else std.join(', ', imageNames)]),
  }),

  addons: s.record({
    allNamespaces: s.boolean(false),
    antiAffinity: s.record({
      enabled: s.boolean(false),
      type: s.enum(['soft', 'hard'], 'soft'),
      topologyKey: s.string('kubernetes.io/hostname', check=c.labelKey),
    }),
    ksmLite: s.boolean(false),
    managedCluster: s.boolean(false),
    networkPoliciesDisabled: s.boolean(false),
    nodePorts: s.boolean(false),
    stripLimits: s.boolean(false),
    userFacingRoles: s.boolean(false),
  }),

  sealedSecrets: s.record({
    // Read by `kpgen seal --cluster` only: a path (from the project's root)
    // or an http(s) URL of the controller's public certificate.
    certificate: s.string(check=certificateLocation),
    controllerName: s.string('sealed-secrets-controller', check=c.dnsLabel),
    controllerNamespace: s.string('kube-system', check=c.dnsLabel),
    secrets: s.map(sealedSecret, keys=c.dnsSubdomain),
  }),
  secrets: s.record({
    // Secrets of the output whose data the leak check lets through, each
    // with the reason why.
    allowPlaintext: s.map(s.string(check=function(v) if std.stripChars(v, ' ') == '' then 'a reason is required: say why this Secret may hold plaintext' else null), keys=objectRef),
  }),

  apply: s.record({
    // Read by kpgen's Go side: ArgoCD's ServerSideApply=true sync option on
    // exactly the objects too large for a client-side apply.
    serverSide: s.boolean(false),
  }),

  upstream: s.record({ [name]: upstreamMixinSchema(name) for name in std.objectFields(upstream.mixins) }),

  kubelet: s.record({
    probesDuplicateFix: s.enum(['metricRelabelings', 'dropEndpoint', 'off'], 'metricRelabelings'),
    certExpirationWarningSeconds: s.number(check=c.seconds),
    certExpirationCriticalSeconds: s.number(check=c.seconds),
  }),

  mixins: s.record({ [name]: mixinSchema(name, mixins[name]) for name in std.objectFields(mixins) }),

  rules: s.record({
    groups: s.map(ruleGroup, keys=c.nonEmpty),
    disable: s.list(s.string(check=c.nonEmpty)),
    disableGroups: s.list(s.string(check=c.nonEmpty)),
    override: s.map(change({
      optional: s.boolean(false),
      bySeverity: s.map(change(), keys=c.alertLabelValue),
      byGroup: s.map(change({ bySeverity: s.map(change(), keys=c.alertLabelValue) }), keys=c.nonEmpty),
    })),
    alertLabels: s.map(s.string(check=c.alertLabelValue), keys=c.labelName),
    alertLabelsReplace: s.boolean(false),
    runbookURLPattern: s.string(check=c.runbookURLPattern),
    runbookURLRewrite: s.map(s.string(check=c.url), keys=c.url),
  }),
})
