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
local s = import 'schema.libsonnet';
local str = import 'strings.libsonnet';

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

// A Prometheus RemoteWriteSpec, passed through to spec.remoteWrite. Its keys
// are the CRD's (prometheus-operator v0.92, kube-prometheus v0.18.0), so a
// misspelt key is caught here; the values are checked by the API server.
local remoteWrite = s.record({ url: s.required(s.string(check=c.nonEmpty)) } + {
  [k]: s.any()
  for k in [
    'authorization',
    'azureAd',
    'basicAuth',
    'bearerToken',
    'bearerTokenFile',
    'enableHTTP2',
    'followRedirects',
    'headers',
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
    'tlsConfig',
    'writeRelabelConfigs',
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
local mixinSchema(m) =
  local config = m.mixin._config;
  local types = if std.objectHasAll(m.mixin, '_configTypes') then m.mixin._configTypes else {};
  s.record(
    { enabled: s.boolean(false) } + {
      [k]: if std.objectHasAll(types, k) then s.fromType(types[k], config[k]) else s.fromDefault(config[k])
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
  }),

  alertmanager: s.record({
    replicas: s.number(check=c.int32),
    resources: resources,
  }),

  grafana: s.record({
    enabled: s.boolean(true),
    dashboards: s.record({
      // Titles, uids or file names, of any dashboard (upstream's, the
      // mixins', added ones).
      disable: s.list(s.string(check=c.nonEmpty)),
      add: s.map(dashboard, keys=dashboardFile),
      folders: s.map(s.map(dashboard, keys=dashboardFile), keys=folderName),
    }),
  }),

  kubelet: s.record({
    probesDuplicateFix: s.enum(['metricRelabelings', 'dropEndpoint', 'off'], 'metricRelabelings'),
    certExpirationWarningSeconds: s.number(check=c.seconds),
    certExpirationCriticalSeconds: s.number(check=c.seconds),
  }),

  mixins: s.record({ [name]: mixinSchema(mixins[name]) for name in std.objectFields(mixins) }),

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
