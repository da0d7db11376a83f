// The vars of multi-cluster topologies (vars.topology, and the keys of
// vars.prometheus a spoke uses: alerting.alertmanagers, remoteWrite's
// credentials and relabelling). What they render: patches/topology.libsonnet;
// docs/topologies.md. Credentials are only ever Secret references
// ({ name, key }, of Secrets in the stack's namespace), in the shapes
// prometheus-operator's CRDs take them.
local c = import '../mixins/kpgen-common/checks.libsonnet';
local s = import 'schema.libsonnet';

local ref = s.record({
  name: s.required(s.string(check=c.dnsSubdomain)),
  key: s.required(s.string(check=c.secretKey)),
}, unset=true, secret=true);

// SecretOrConfigMap: a CA or a client certificate.
local secretOrConfigMap = s.record({ secret: ref, configMap: ref }, unset=true, check=function(v)
  if (std.get(v, 'secret') != null) == (std.get(v, 'configMap') != null) then 'needs exactly one of secret and configMap'
  else null);

// A label name in a relabel config, internal ones (__name__, __address__,
// __meta_…) included.
local letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_';
local relabelLabel(v) =
  if v != '' && std.stripChars(v, letters + '0123456789') == '' && std.stripChars(v[0], letters) == '' then null
  else '%s is not a label name (letters, digits and "_", not starting with a digit)' % c.quote(v);

{
  // prometheus-operator's SafeTLSConfig.
  tlsConfig: s.record({
    ca: secretOrConfigMap,
    cert: secretOrConfigMap,
    keySecret: ref,
    serverName: s.string(check=c.nonEmpty),
    insecureSkipVerify: s.boolean(),
    minVersion: s.enum(['TLS10', 'TLS11', 'TLS12', 'TLS13']),
    maxVersion: s.enum(['TLS10', 'TLS11', 'TLS12', 'TLS13']),
  }, unset=true, check=function(v)
    if (std.get(v, 'cert') != null) != (std.get(v, 'keySecret') != null) then 'a client certificate needs both cert and keySecret'
    else null),

  basicAuth: s.record({
    username: s.required(ref),
    password: s.required(ref),
  }, unset=true),

  // The credentials of an Authorization header (type Bearer by default).
  authorization: s.record({
    type: s.string(check=c.nonEmpty),
    credentials: s.required(ref),
  }, unset=true),

  // A relabel config as the CRDs take it (camelCase).
  relabelConfig: s.record({
    sourceLabels: s.list(s.string(check=relabelLabel), default=null),
    separator: s.string(),
    targetLabel: s.string(check=c.nonEmpty),  // may hold ${1}
    regex: s.string(),
    modulus: s.number(check=c.wholeNumber(1, 18446744073709551615)),
    replacement: s.string(),
    action: s.enum(['replace', 'keep', 'drop', 'hashmod', 'labelmap', 'labeldrop', 'labelkeep', 'lowercase', 'uppercase', 'keepequal', 'dropequal']),
  }, unset=true),

  // An Alertmanager outside the cluster (the hub's), reached at url: its
  // scheme, host, port and path prefix.
  externalAlertmanager: s.record({
    url: s.required(s.string(check=c.httpURL)),
    timeout: s.string(check=c.duration),
    basicAuth: $.basicAuth,
    authorization: $.authorization,
    tlsConfig: $.tlsConfig,
  }, unset=true),

  topology: s.record({
    role: s.enum(['standalone', 'spoke', 'hub', 'management'], 'standalone'),

    // hub: the clusters whose data it shows (and, with federate, scrapes).
    spokes: s.list(s.record({
      name: s.required(s.string(check=c.dnsLabel, doc='the spoke cluster.name, its cluster label')),
      // A Prometheus-compatible query endpoint of the spoke (Grafana's datasource).
      url: s.string(check=c.httpURL),
      datasource: s.record({
        jsonData: s.map(s.any()),
        secureJsonData: s.map(ref),
        basicAuth: s.boolean(),
        basicAuthUser: s.string(),
      }),
      // The hub's Prometheus scrapes the spoke's /federate.
      federate: s.record({
        url: s.required(s.string(check=c.httpURL)),
        match: s.required(s.list(s.string(check=c.nonEmpty), check=c.nonEmptyList)),
        interval: s.string(check=c.duration),
        basicAuth: $.basicAuth,
        authorization: $.authorization,
        tlsConfig: $.tlsConfig,
      }, unset=true),
    }, unset=true, fill=true)),

    // hub: the central store spokes remote-write to, one datasource for all
    // clusters (its series carry the cluster label).
    store: s.record({
      name: s.string('central', check=c.nonEmpty),
      type: s.enum(['prometheus', 'thanos', 'mimir', 'victoriametrics'], 'prometheus'),
      url: s.required(s.string(check=c.httpURL)),
      jsonData: s.map(s.any()),
      secureJsonData: s.map(ref),
      basicAuth: s.boolean(),
      basicAuthUser: s.string(),
    }, unset=true, fill=true),

    // management: the clusters whose nodes and pods its Prometheus scrapes
    // through their API servers.
    managedClusters: s.list(s.record({
      name: s.required(s.string(check=c.dnsLabel, doc='the managed cluster name, its cluster label')),
      apiServer: s.required(s.string(check=c.httpURL)),
      tlsConfig: $.tlsConfig,
      authorization: $.authorization,
      scrapeInterval: s.string(check=c.duration),
      kubelet: s.boolean(true),
      cadvisor: s.boolean(true),
      nodeExporter: s.record({
        enabled: s.boolean(true),
        namespace: s.string('kube-system', check=c.dnsLabel),
        labelSelector: s.string('app.kubernetes.io/name=node-exporter', check=c.nonEmpty),
        port: s.number(9100, check=c.wholeNumber(1, 65535)),
        scheme: s.enum(['http', 'https'], 'http'),
      }),
    }, unset=true, fill=true)),
  }),
}
