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
local baseMixins = import 'mixins.libsonnet';
local dashboards = import 'patches/dashboards.libsonnet';
local rules = import 'patches/rules.libsonnet';
local p = import 'platform.libsonnet';
local schema = import 'schema.libsonnet';
local str = import 'strings.libsonnet';
local u = import 'util.libsonnet';
local varsSchemaOf = import 'vars.libsonnet';

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

// The stack and its files from the merged config, the enabled mixins and
// the platform's extension (platform.libsonnet): its patches come last.
// Everything a cluster's files depend on comes in through cfg, which lets
// kpgen pass cfg as data whose reads it observes (see render/memo.go).
local stackFrom(cfg, enabled, ext) = std.foldl(
  function(stack, patch) patch(stack, cfg),
  ext.patches,
  u.compose(import 'kube-prometheus/main.libsonnet', [
    (import 'patches/settings.libsonnet')(cfg),
    (import 'patches/kubelet-probes.libsonnet')(cfg.kubelet.probesDuplicateFix),
    (import 'patches/kubelet-cert-expiry.libsonnet')(cfg.kubelet),
    (import 'patches/wiring.libsonnet')(cfg, enabled, baseMixins + ext.mixins),
    dashboards.patch(cfg.grafana.dashboards),
  ]),
);

// The stack as laid out in files: after vars.rules.
local laidOut(cfg, kp) = if rules.active(cfg.rules) then rules.apply(kp, cfg.rules) else kp;

{
  // What a platform built on this library adds (see platform.libsonnet):
  // nothing, in kpgen's own.
  ext:: p.none,

  // platform(ext): this library, extended by a platform: a team's platform
  // library is `(import 'kpgen/lib/kpgen.libsonnet').platform({...})`, and
  // may be extended again the same way.
  platform(ext):: self + { ext:: p.extend(super.ext, ext) },

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
    local stack = stackFrom(cfg, on, $.ext),
    local objects = laidOut(cfg, stack),
    files: layout.files(objects),
    stack:: stack,
    objects:: objects,
    index:: layout.index(objects),
  },

  new(vars):: {
    local ext = $.ext,
    local mixins = baseMixins + ext.mixins,
    local varsSchema = varsSchemaOf(mixins, std.objectFields(ext.presets)),
    // The vars over the platform's defaults and preset, if it has any.
    local layers = p.layers(ext, vars),
    local merged =
      if std.length(layers) == 1 then schema.apply(varsSchema, vars, merged.value)
      else p.apply(varsSchema, layers, merged.value),
    local cfg = merged.value,
    // A key with a problem has its default in cfg, so crossChecks stays sound.
    local varsProblems = merged.problems + crossChecks(cfg),

    // The mixins this cluster enables. Only mixins a layer mentions are
    // looked at, so the others are never imported; hidden fields are not
    // settings (the schema reports them), as in cfg.
    local mentioned(v) = if std.isObject(v) && std.objectHas(v, 'mixins') && std.isObject(v.mixins) then std.objectFields(v.mixins) else [],
    local named = std.setInter(std.set(std.flattenArrays([mentioned(l.value) for l in layers])), std.objectFields(mixins)),
    local enabled = [n for n in named if cfg.mixins[n].enabled == true],
    local built = $.fromConfig(cfg, enabled),
    // The cluster's own patches (vars.patches), applied last: code, not
    // data, so they are not in cfg, and the cluster's files are not
    // fromConfig's (shareable tells kpgen to render it on its own).
    local patches = if std.isObject(vars) && std.objectHas(vars, 'patches') && cfg.patches > 0 then vars.patches else [],
    local patched = std.foldl(function(stack, patch) patch(stack, cfg), patches, built.objects),

    cluster: cfg.cluster.name,
    // Every problem at once, the rule names included: cfg holds only values
    // that passed their checks, and defaults in place of the others (see
    // schema.libsonnet), so the stack builds from it whatever the other
    // problems are, and the rule and dashboard names are checked against it.
    problems: varsProblems
              + (if rules.active(cfg.rules) then ruleNameProblems(cfg, built.stack) else [])
              + (if dashboards.active(cfg.grafana.dashboards) then dashboards.problems(cfg.grafana.dashboards, built.stack) else []),
    config:: cfg,
    // The layers cfg is merged from, first to last, without kpgen's own
    // defaults: [{ label, value }] (kpgen vars --explain).
    layers:: [{ label: l.label, value: l.value } for l in layers],
    stack:: built.stack,
    files:
      if varsProblems != [] then error 'invalid vars:\n' + std.join('\n', varsProblems)
      else if patches == [] then built.files
      else layout.files(patched),
    objects:: if patches == [] then built.objects else patched,
    index:: if patches == [] then built.index else layout.index(patched),
    shareable:: patches == [],
  },
}
