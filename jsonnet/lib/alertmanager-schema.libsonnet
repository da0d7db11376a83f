// The schema of vars.alertmanager.config: Alertmanager's own configuration
// (its key names, snake_case, so that Alertmanager's documentation reads
// across), with three differences (docs/alertmanager.md):
//   - every credential is a reference to a key of an existing Secret,
//     { name, key }, never a value: kpgen writes Alertmanager's *_file field
//     for it and mounts the Secret (patches/alertmanager-config.libsonnet);
//   - receivers and time_intervals are maps by name, so that a platform's
//     defaults, a preset and a cluster's vars merge them entry by entry;
//   - watchdog names the receiver of the Watchdog alert (a dead man's
//     switch), which kpgen routes first.
// Values are checked here as far as a key alone can be; the whole rendered
// configuration is then checked by Alertmanager's own loader and kpgen's
// lint (internal/check/alertmanager) before anything is written.
local c = import '../mixins/kpgen-common/checks.libsonnet';
local s = import 'schema.libsonnet';

// A key of an existing Secret, in place of a credential.
local ref = s.record({
  name: s.required(s.string(check=c.dnsSubdomain)),
  key: s.required(s.string(check=c.secretKey)),
}, unset=true, secret=true, apiType='Secret reference');

local duration = s.string(check=c.duration);
local url = s.string(check=c.httpURL);
local strings = s.list(s.string(check=c.nonEmpty), default=null);
// A matcher as Alertmanager writes it: name, operator, value
// (`severity = "critical"`, `namespace=~"team-.*"`); Alertmanager's parser
// checks the rest.
local matcher = s.string(check=function(v)
  if std.length(std.findSubstr('=', v)) > 0 || std.length(std.findSubstr('!~', v)) > 0 then null
  else '%s is not a matcher (<label> <op> "<value>", op one of =, !=, =~, !~)' % c.quote(v));

local tlsConfig = s.record({
  ca: ref,
  cert: ref,
  key: ref,
  server_name: s.string(),
  insecure_skip_verify: s.boolean(),
  min_version: s.enum(['TLS10', 'TLS11', 'TLS12', 'TLS13']),
}, unset=true);

local httpConfig = s.record({
  authorization: s.record({
    type: s.string(check=c.nonEmpty),
    credentials: s.required(ref),
  }, unset=true),
  basic_auth: s.record({
    username: s.required(s.string(check=c.nonEmpty)),
    password: s.required(ref),
  }, unset=true),
  oauth2: s.record({
    client_id: s.required(s.string(check=c.nonEmpty)),
    client_secret: s.required(ref),
    token_url: s.required(url),
    scopes: strings,
    endpoint_params: s.map(s.string()),
  }, unset=true),
  proxy_url: url,
  follow_redirects: s.boolean(),
  enable_http2: s.boolean(),
  tls_config: tlsConfig,
}, unset=true, apiType="Alertmanager's http_config");

// What every integration has.
local integration(fields, check=null) = s.record({
  send_resolved: s.boolean(),
  http_config: httpConfig,
} + fields, unset=true, check=check);
local text = s.string();
local texts = s.map(s.string());

local slack = integration({
  api_url: ref,
  channel: text,
  username: text,
  color: text,
  title: text,
  title_link: text,
  pretext: text,
  text: text,
  footer: text,
  fallback: text,
  callback_id: text,
  icon_emoji: text,
  icon_url: text,
  image_url: text,
  thumb_url: text,
  link_names: s.boolean(),
  short_fields: s.boolean(),
  mrkdwn_in: strings,
  fields: s.list(s.any(), default=null),
  actions: s.list(s.any(), default=null),
});
local pagerduty = integration({
  routing_key: ref,
  service_key: ref,
  url: url,
  client: text,
  client_url: text,
  description: text,
  severity: text,
  class: text,
  component: text,
  group: text,
  source: text,
  details: texts,
  images: s.list(s.any(), default=null),
  links: s.list(s.any(), default=null),
}, check=function(p)
  if (std.get(p, 'routing_key') == null) == (std.get(p, 'service_key') == null)
  then 'needs exactly one of routing_key (Events API v2) and service_key (v1)'
  else null);
local opsgenie = integration({
  api_key: ref,
  api_url: url,
  message: text,
  description: text,
  source: text,
  details: texts,
  entity: text,
  responders: s.list(s.record({
    id: s.string(),
    name: s.string(),
    username: s.string(),
    type: s.required(s.enum(['team', 'teams', 'user', 'escalation', 'schedule'])),
  }, unset=true), default=null),
  actions: text,
  tags: text,
  note: text,
  priority: text,
  update_alerts: s.boolean(),
});
local email = integration({
  to: s.required(s.string(check=c.nonEmpty)),
  from: text,
  smarthost: text,
  hello: text,
  auth_username: text,
  auth_identity: text,
  auth_password: ref,
  require_tls: s.boolean(),
  tls_config: tlsConfig,
  headers: texts,
  html: text,
  text: text,
});
local webhook = integration({
  url: s.required(ref),
  max_alerts: s.number(check=c.wholeNumber(0, 2147483647)),
  timeout: duration,
});
local msteams = integration({
  webhook_url: s.required(ref),
  title: text,
  summary: text,
  text: text,
});

local receiver = s.record({
  slack_configs: s.list(slack),
  pagerduty_configs: s.list(pagerduty),
  opsgenie_configs: s.list(opsgenie),
  email_configs: s.list(email),
  webhook_configs: s.list(webhook),
  msteams_configs: s.list(msteams),
}, unset=true, fill=true);

// A route below the root: recursive (lists are walked item by item, so the
// recursion ends with the vars).
local route = s.record({
  receiver: s.string(check=c.nonEmpty),
  matchers: s.list(matcher, default=null),
  group_by: strings,
  group_wait: duration,
  group_interval: duration,
  repeat_interval: duration,
  continue: s.boolean(),
  mute_time_intervals: strings,
  active_time_intervals: strings,
  routes: s.list(route, default=null),
}, unset=true);

local timeRange = s.record({
  times: s.list(s.record({ start_time: s.required(s.string()), end_time: s.required(s.string()) }, unset=true), default=null),
  weekdays: strings,
  days_of_month: strings,
  months: strings,
  years: strings,
  location: s.string(check=c.nonEmpty),
}, unset=true);

local inhibitRule = s.record({
  source_matchers: s.required(s.list(matcher, check=c.nonEmptyList)),
  target_matchers: s.required(s.list(matcher, check=c.nonEmptyList)),
  equal: strings,
}, unset=true);

// kube-prometheus' inhibit rules, each within a cluster too.
local inhibitDefaults = [{
  source_matchers: ['severity = critical'],
  target_matchers: ['severity =~ warning|info'],
  equal: ['cluster', 'namespace', 'alertname'],
}, {
  source_matchers: ['severity = warning'],
  target_matchers: ['severity = info'],
  equal: ['cluster', 'namespace', 'alertname'],
}, {
  source_matchers: ['alertname = InfoInhibitor'],
  target_matchers: ['severity = info'],
  equal: ['cluster', 'namespace'],
}];

s.record({
  global: s.record({
    resolve_timeout: s.string('5m', check=c.duration),
    smtp_from: s.string(),
    smtp_smarthost: s.string(),
    smtp_hello: s.string(),
    smtp_auth_username: s.string(),
    smtp_auth_identity: s.string(),
    smtp_auth_password: ref,
    smtp_require_tls: s.boolean(),
    slack_api_url: ref,
    pagerduty_url: url,
    opsgenie_api_url: url,
    opsgenie_api_key: ref,
    http_config: httpConfig,
  }),
  route: s.record({
    receiver: s.required(s.string(check=c.nonEmpty, doc='the receiver of every alert no child route takes')),
    group_by: s.list(s.string(check=c.nonEmpty), default=['cluster', 'namespace', 'alertname']),
    group_wait: s.string('30s', check=c.duration),
    group_interval: s.string('5m', check=c.duration),
    repeat_interval: s.string('12h', check=c.duration),
    routes: s.list(route),
  }),
  receivers: s.map(receiver, keys=c.nonEmpty),
  inhibit_rules: s.list(inhibitRule, default=inhibitDefaults),
  time_intervals: s.map(s.list(timeRange, check=c.nonEmptyList), keys=c.nonEmpty),
  watchdog: s.record({
    receiver: s.string(check=c.nonEmpty),
    repeat_interval: s.string('1m', check=c.duration),
  }),
}, unset=true, fill=true)
