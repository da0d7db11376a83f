// vars → stack. new(vars) returns what kpgen needs from one cluster:
//   cluster:  the cluster's name (out/<cluster>/)
//   problems: everything wrong with the vars, as messages (empty when valid)
//   files:    { 'relative/path.yaml': object }
// and, hidden, config (the vars merged onto the defaults), stack (the
// kube-prometheus object, before vars.rules), objects (the stack after
// vars.rules) and index ({ path: [component, key] }: which object each file
// is), which let kpgen evaluate a few files without laying out all of them.
// Everything but the vars checks comes from fromConfig.
local layout = import 'layout.libsonnet';
local mixins = import 'mixins.libsonnet';
local rules = import 'patches/rules.libsonnet';
local schema = import 'schema.libsonnet';
local str = import 'strings.libsonnet';
local u = import 'util.libsonnet';
local varsSchema = import 'vars.libsonnet';

// Problems that involve more than one key.
local crossChecks(cfg) =
  (if cfg.prometheus.storage.class != null && cfg.prometheus.storage.size == null
   then ['vars.prometheus.storage.class: needs vars.prometheus.storage.size (without a size no volume is claimed)']
   else [])
  + (
    local k = cfg.kubelet;
    if k.certExpirationWarningSeconds != null && k.certExpirationCriticalSeconds != null
       && k.certExpirationWarningSeconds <= k.certExpirationCriticalSeconds
    then ['vars.kubelet.certExpirationWarningSeconds: %s must be greater than vars.kubelet.certExpirationCriticalSeconds (%s)' % [k.certExpirationWarningSeconds, k.certExpirationCriticalSeconds]]
    else []
  );

// vars.rules names that match no alert of the stack. This evaluates every
// PrometheusRule's alert names, so it runs only when vars.rules names some.
// A disable entry with a problem of its own is null in cfg, and skipped.
local ruleNameProblems(cfg, stack) =
  local known = rules.alertNames(stack);
  local check(path, name) =
    if !std.isString(name) || std.setMember(name, known) then []
    else
      local near = str.closest(name, known);
      ['%s: no alert named %s in any PrometheusRule%s' % [path, std.escapeStringJson(name), if near != null then ' (did you mean "%s"?)' % near else '']];
  std.flattenArrays(
    [check('vars.rules.disable[%d]' % i, cfg.rules.disable[i]) for i in std.range(0, std.length(cfg.rules.disable) - 1)]
    + [check(str.path('vars.rules.override', a), a) for a in std.objectFields(cfg.rules.override)]
  );

// vars.grafana.datasources whose names Grafana would refuse: a name
// kube-prometheus' own datasources or an earlier entry has, a second
// default. Checked against the stack's datasources, so only when the vars
// add some.
local datasourceProblems(cfg, stack) =
  local ours = cfg.grafana.datasources;
  local all = [d.name for d in stack.grafana._config.datasources];
  local upstreamNames = all[0:std.length(all) - std.length([d for d in ours if d != null])];
  local path(i) = 'vars.grafana.datasources[%d]' % i;
  local ok = [i for i in std.range(0, std.length(ours) - 1) if ours[i] != null];
  std.flattenArrays([
    local d = ours[i];
    local before = [j for j in ok if j < i];
    local twin = [j for j in before if ours[j].name == d.name];
    local defaults = [j for j in before if std.get(ours[j], 'isDefault') == true];
    (if std.member(upstreamNames, d.name) then ["%s.name: %s is the name of one of kube-prometheus' own datasources" % [path(i), std.escapeStringJson(d.name)]]
     else if twin != [] then ['%s.name: %s is also the name of %s' % [path(i), std.escapeStringJson(d.name), path(twin[0])]]
     else [])
    + (if std.get(d, 'isDefault') == true && defaults != [] then ['%s.isDefault: %s is the default already (Grafana takes one default datasource)' % [path(i), path(defaults[0])]] else [])
    for i in ok
  ]);

// The stack and its files from the merged config and the enabled mixins.
// Everything a cluster's files depend on comes in through cfg, which lets
// kpgen pass cfg as data whose reads it observes (see render/memo.go).
local stackFrom(cfg, enabled) = u.compose(import 'kube-prometheus/main.libsonnet', [
  (import 'patches/addons.libsonnet')(cfg.addons),
  (import 'patches/settings.libsonnet')(cfg),
  (import 'patches/upstream-mixins.libsonnet')(cfg.upstream),
  (import 'patches/images.libsonnet')(cfg.images),
  (import 'patches/pods.libsonnet')(cfg),
  (import 'patches/grafana.libsonnet')(cfg.grafana),
  (import 'patches/kubelet-probes.libsonnet')(cfg.kubelet.probesDuplicateFix),
  (import 'patches/kubelet-cert-expiry.libsonnet')(cfg.kubelet),
  (import 'patches/wiring.libsonnet')(cfg, enabled),
]);

// The stack as laid out in files: after vars.rules.
local laidOut(cfg, kp) = if rules.active(cfg.rules) then rules.apply(kp, cfg.rules) else kp;

{
  // fromConfig(cfg): the files of a cluster whose vars merged onto the
  // defaults are cfg, with (hidden) objects, the stack after vars.rules, and
  // index, { path: [component, key] }: which object each file is
  // (kustomization.yaml aside). new(vars) takes its files from here, and
  // kpgen, rendering several clusters, calls it directly (render/memo.go):
  // change what clusters render here, or in the patches, not in new().
  // enabled lists the mixins the cluster enables (default: from cfg, which
  // reads every mixin's settings).
  fromConfig(cfg, enabled=null):: {
    local on = if enabled != null then enabled else [n for n in std.objectFields(cfg.mixins) if cfg.mixins[n].enabled],
    local stack = stackFrom(cfg, on),
    local objects = laidOut(cfg, stack),
    files: layout.files(objects),
    stack:: stack,
    objects:: objects,
    index:: layout.index(objects),
  },

  new(vars):: {
    local merged = schema.apply(varsSchema, vars, merged.value),
    local cfg = merged.value,
    // A key with a problem has its default in cfg, so crossChecks stays sound.
    local varsProblems = merged.problems + crossChecks(cfg),

    // The mixins this cluster enables. Only mixins the vars file mentions
    // are looked at, so the others are never imported; hidden fields are
    // not settings (the schema reports them), as in cfg.
    local given = if std.isObject(vars) && std.objectHas(vars, 'mixins') && std.isObject(vars.mixins) then vars.mixins else {},
    local enabled = [
      n
      for n in std.objectFields(mixins)
      if std.objectHas(given, n) && std.isObject(given[n]) && std.objectHas(given[n], 'enabled') && given[n].enabled == true
    ],
    local built = $.fromConfig(cfg, enabled),

    cluster: cfg.cluster.name,
    // Every problem at once, the rule names included: cfg holds only values
    // that passed their checks, and defaults in place of the others (see
    // schema.libsonnet), so the stack builds from it whatever the other
    // problems are, and the rule names are checked against it.
    problems: varsProblems
              + (if rules.active(cfg.rules) then ruleNameProblems(cfg, built.stack) else [])
              + (if cfg.grafana.datasources != [] then datasourceProblems(cfg, built.stack) else []),
    config:: cfg,
    stack:: built.stack,
    files:
      if varsProblems != [] then error 'invalid vars:\n' + std.join('\n', varsProblems)
      else built.files,
    objects:: built.objects,
    index:: built.index,
  },
}
