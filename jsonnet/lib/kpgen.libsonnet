// vars → stack. new(vars) returns what kpgen needs from one cluster:
//   cluster:  the cluster's name (out/<cluster>/)
//   problems: everything wrong with the vars, as messages (empty when valid)
//   files:    { 'relative/path.yaml': object }
// and, hidden, config (the vars merged onto the defaults), stack (the
// kube-prometheus object, before vars.rules), objects (the stack after
// vars.rules) and index ({ path: [component, key] }: which object each file
// is), which let kpgen evaluate a few files without laying out all of them.
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
local ruleNameProblems(cfg, stack) =
  local known = rules.alertNames(stack);
  local check(path, name) =
    if std.setMember(name, known) then []
    else
      local near = str.closest(name, known);
      ['%s: no alert named "%s" in any PrometheusRule%s' % [path, name, if near != null then ' (did you mean "%s"?)' % near else '']];
  std.flattenArrays(
    [check('vars.rules.disable[%d]' % i, cfg.rules.disable[i]) for i in std.range(0, std.length(cfg.rules.disable) - 1)]
    + [check(str.path('vars.rules.override', a), a) for a in std.objectFields(cfg.rules.override)]
  );

// The stack and its files from the merged config and the enabled mixins.
// Everything a cluster's files depend on comes in through cfg, which lets
// kpgen pass cfg as data whose reads it observes (see render/memo.go).
local stackFrom(cfg, enabled) = u.compose(import 'kube-prometheus/main.libsonnet', [
  (import 'patches/settings.libsonnet')(cfg),
  (import 'patches/kubelet-probes.libsonnet')(cfg.kubelet.probesDuplicateFix),
  (import 'patches/kubelet-cert-expiry.libsonnet')(cfg.kubelet),
  (import 'patches/wiring.libsonnet')(cfg, enabled),
]);

// The stack as laid out in files: after vars.rules.
local laidOut(cfg, kp) = if rules.active(cfg.rules) then rules.apply(kp, cfg.rules) else kp;

{
  // fromConfig(cfg) is what new(vars) is for a cluster whose vars merged
  // onto the defaults are cfg (new(vars).config): the same files, objects and
  // index.
  fromConfig(cfg):: {
    local enabled = [n for n in std.objectFields(cfg.mixins) if cfg.mixins[n].enabled],
    local objects = laidOut(cfg, stackFrom(cfg, enabled)),
    files: layout.files(objects),
    objects:: objects,
    index:: layout.index(objects),
  },

  new(vars):: {
    local merged = schema.apply(varsSchema, vars, merged.value),
    local cfg = merged.value,
    // A key with a problem has its default in cfg, so crossChecks stays sound.
    local varsProblems = merged.problems + crossChecks(cfg),

    // The mixins this cluster enables. Only mixins the vars file mentions
    // are looked at, so the others are never imported.
    local given = if std.isObject(vars) && std.isObject(std.get(vars, 'mixins')) then vars.mixins else {},
    local enabled = [
      n
      for n in std.objectFields(mixins)
      if std.isObject(std.get(given, n)) && std.get(given[n], 'enabled') == true
    ],

    local kp = stackFrom(cfg, enabled),
    local objects = laidOut(cfg, kp),

    cluster: cfg.cluster.name,
    problems: varsProblems + (
      if varsProblems == [] && rules.active(cfg.rules) then ruleNameProblems(cfg, kp) else []
    ),
    config:: cfg,
    stack:: kp,
    files:
      if varsProblems != [] then error 'invalid vars:\n' + std.join('\n', varsProblems)
      else layout.files(objects),
    // files[p] is objects[index[p][0]][index[p][1]] (kustomization.yaml aside).
    objects:: objects,
    index:: layout.index(objects),
  },
}
