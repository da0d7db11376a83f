// The vars schema: every key a vars file may set, its type and its default.
// This is the one place defaults live; docs/vars.md documents each key.
//
// A default of null means "not set": kube-prometheus' own default applies
// (e.g. prometheus.replicas → upstream's 2), or nothing is rendered (e.g.
// prometheus.retention → the operator's default).
local mixins = import 'mixins.libsonnet';
local s = import 'schema.libsonnet';
local str = import 'strings.libsonnet';

local check(ok, msg) = function(v) if ok(v) then null else msg(v);
local dnsLabel = check(str.isDNS1123Label, function(v) '"%s" is not a DNS-1123 label (lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters)' % v);
local duration = check(str.isDuration, function(v) '"%s" is not a Prometheus duration (e.g. "30m", "1h30m", "15d")' % v);
local byteSize = check(
  function(v) std.length(v) >= 2 && std.endsWith(v, 'B') && std.all([std.member('0123456789.KMGTPEi', c) for c in std.stringChars(std.substr(v, 0, std.length(v) - 1))]),
  function(v) '"%s" is not a size in bytes (e.g. "50GB", "512MiB")' % v,
);
local count = check(function(v) v >= 0 && v == std.floor(v), function(v) '%s: expected a whole number >= 0' % v);
local seconds = check(function(v) v > 0, function(v) '%s: expected a number of seconds > 0' % v);
local nonEmpty = check(function(v) v != '', function(v) 'must not be empty');

// Merged onto upstream's resources; null deletes one of upstream's entries.
local resources = s.record({
  requests: s.map(s.quantity(), keepNulls=true),
  limits: s.map(s.quantity(), keepNulls=true),
}, unset=true);

// A Prometheus RemoteWriteSpec, passed through to spec.remoteWrite. Its keys
// are the CRD's (prometheus-operator v0.92, kube-prometheus v0.18.0), so a
// misspelt key is caught here; the values are checked by the API server.
local remoteWrite = s.record({ url: s.required(s.string(check=nonEmpty)) } + {
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

// The schema of vars.mixins.<name>: `enabled` plus exactly the keys of the
// mixin's _config, with its defaults (see schema.fromDefault). Built only
// when a vars file mentions the mixin, so unused mixins cost nothing.
local mixinSchema(m) =
  local config = m.mixin._config;
  s.record(
    { enabled: s.boolean(false) } + { [k]: s.fromDefault(config[k]) for k in std.objectFields(config) },
    base={ enabled: false } + config,
  ) + {
    // Known without looking at the mixin, so that an unmentioned mixin is
    // never imported.
    defaultFrom: null,
    hasRequired: false,
    derived: true,
  };

s.record({
  cluster: s.record({
    name: s.required(s.string(check=dnsLabel, doc='a DNS-1123 label naming the cluster')),
    provider: s.enum(['aws', 'azure', 'gcp', 'baremetal', 'other'], 'other'),
    environment: s.string(check=nonEmpty),
    platform: s.enum(['aks', 'aws', 'bootkube', 'eks', 'gke', 'kops', 'kops_coredns', 'kubeadm', 'kubespray']),
  }),
  namespace: s.string('monitoring', check=dnsLabel),

  prometheus: s.record({
    replicas: s.number(check=count),
    retention: s.string(check=duration),
    retentionSize: s.string(check=byteSize),
    storage: s.record({
      size: s.quantity(),
      class: s.string(check=nonEmpty),
    }),
    resources: resources,
    // cluster (= cluster.name) and, when cluster.environment is set,
    // environment; set a label to null to drop it.
    externalLabels: s.map(s.string(), defaultFrom=function(root)
      { cluster: root.cluster.name }
      + (if root.cluster.environment != null then { environment: root.cluster.environment } else {})),
    remoteWrite: s.list(remoteWrite),
    extraNamespaces: s.list(s.string(check=dnsLabel)),
  }),

  alertmanager: s.record({
    replicas: s.number(check=count),
    resources: resources,
  }),

  grafana: s.record({
    enabled: s.boolean(true),
  }),

  kubelet: s.record({
    probesDuplicateFix: s.enum(['metricRelabelings', 'dropEndpoint', 'off'], 'metricRelabelings'),
    certExpirationWarningSeconds: s.number(check=seconds),
    certExpirationCriticalSeconds: s.number(check=seconds),
  }),

  mixins: s.record({ [name]: mixinSchema(mixins[name]) for name in std.objectFields(mixins) }),

  rules: s.record({
    disable: s.list(s.string(check=nonEmpty)),
    override: s.map(s.record({
      'for': s.string(check=duration),
      severity: s.string(check=nonEmpty),
    })),
  }),
})
