// vars.alertmanager.config (schema: alertmanager-schema.libsonnet) → the
// alertmanager-main Secret's alertmanager.yaml, the file kube-prometheus
// ships and prometheus-operator hands to Alertmanager (docs/alertmanager.md
// says why this rather than AlertmanagerConfig objects).
//
// Each Secret reference { name, key } becomes Alertmanager's *_file field,
// /etc/alertmanager/secrets/<name>/<key>, where prometheus-operator mounts
// every Secret listed in the Alertmanager's spec.secrets; the names are
// added there. The root route's first two children are kpgen's: the
// Watchdog alert to vars' watchdog.receiver (else to the empty receiver
// "null"), and InfoInhibitor to "null" (it only inhibits); the vars' routes
// follow, in order. internal/check/alertmanager relies on that (and on the
// Secret's kpgen.dev/source annotation) to name vars keys in its problems.
//
// Unset (null), nothing changes: the fields below keep upstream's values,
// byte for byte. Read only by the Secret and the Alertmanager resource.
local secretsDir = '/etc/alertmanager/secrets/';

// Fields whose value, when an object, is a Secret reference; each is
// written as <field>_file.
local credentialFields = std.set([
  'smtp_auth_password',
  'slack_api_url',
  'opsgenie_api_key',
  'api_url',
  'routing_key',
  'service_key',
  'api_key',
  'auth_password',
  'url',
  'webhook_url',
  'credentials',
  'password',
  'client_secret',
  'ca',
  'cert',
  'key',
]);
local isRef(k, v) = std.setMember(k, credentialFields) && std.isObject(v);
local path(r) = secretsDir + r.name + '/' + r.key;

// A value as Alertmanager reads it: nulls (unset) left out, references
// turned into files.
local write(v) =
  if std.isArray(v) then [write(x) for x in v if x != null]
  else if std.isObject(v) then {
    [if isRef(k, v[k]) then k + '_file' else k]: if isRef(k, v[k]) then path(v[k]) else write(v[k])
    for k in std.objectFields(v)
    if v[k] != null
  }
  else v;

// Every Secret reference in a value.
local refs(v) =
  if std.isArray(v) then std.flattenArrays([refs(x) for x in v])
  else if std.isObject(v) then std.flattenArrays([
    if isRef(k, v[k]) then [v[k].name] else refs(v[k])
    for k in std.objectFields(v)
    if v[k] != null
  ])
  else [];

local nullReceiver = 'null';

// The configuration file, as an object.
local config(c) =
  local r = c.route;
  local w = c.watchdog;
  local watchdog =
    if w.receiver == null then { receiver: nullReceiver, matchers: ['alertname = Watchdog'] }
    else {
      receiver: w.receiver,
      matchers: ['alertname = Watchdog'],
      group_wait: '0s',
      group_interval: w.repeat_interval,
      repeat_interval: w.repeat_interval,
    };
  local receivers = c.receivers + (if std.objectHas(c.receivers, nullReceiver) then {} else { [nullReceiver]: {} });
  std.prune(write({
    global: c.global,
    route: r {
      routes: [watchdog, { receiver: nullReceiver, matchers: ['alertname = InfoInhibitor'] }] + r.routes,
    },
    receivers: [{ name: n } + receivers[n] for n in std.objectFields(receivers)],
    inhibit_rules: c.inhibit_rules,
    time_intervals: [{ name: n, time_intervals: c.time_intervals[n] } for n in std.objectFields(c.time_intervals)],
  }));

// The Secrets the configuration refers to, each once, in order.
local secretNames(c) = std.set(refs([c.global, c.receivers]));

{
  config:: config,
  secretNames:: secretNames,
  secretsDir:: secretsDir,

  patch(c):: {
    alertmanager+: {
      secret+: {
        metadata+: if c == null then {} else {
          annotations+: { 'kpgen.dev/source': 'vars.alertmanager.config' },
        },
        stringData: if c == null then super.stringData else {
          'alertmanager.yaml': std.manifestYamlDoc(config(c)),
        },
      },
      alertmanager+: {
        spec+: {
          secrets:
            if c == null then super.secrets
            else super.secrets + [n for n in secretNames(c) if !std.member(super.secrets, n)],
        },
      },
    },
  },
}
