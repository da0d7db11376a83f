// vars.rules: disable alerts by name, override an alert's `for` and
// severity, in every PrometheusRule of the stack (upstream's and ours).
// Only PrometheusRule objects are touched: the other objects pass through
// unevaluated, so each file stays lazily computable.
local u = import '../util.libsonnet';

local patchRule(rules, r) =
  if !std.objectHas(r, 'alert') || !std.objectHas(rules.override, r.alert) then r
  else
    local o = rules.override[r.alert];
    r + u.ifSet('for', o['for'])
    + (if o.severity != null then { labels+: { severity: o.severity } } else {});

local patchObject(rules, obj) = obj {
  spec+: {
    groups: std.filter(function(g) g.rules != [], [
      g { rules: [
        patchRule(rules, r)
        for r in super.rules
        if !(std.objectHas(r, 'alert') && std.member(rules.disable, r.alert))
      ] }
      for g in super.groups
    ]),
  },
};

{
  // Is there anything to do?
  active(rules):: rules.disable != [] || rules.override != {},

  // The stack's components with the rules patched (visible fields only: the
  // result is what gets laid out as files).
  apply(stack, rules):: {
    [c]: {
      [k]: (
        local obj = stack[c][k];
        if obj.kind == 'PrometheusRule' then patchObject(rules, obj) else obj
      )
      for k in std.objectFields(stack[c])
    }
    for c in std.objectFields(stack)
  },

  // Every alert name in the stack's PrometheusRules. CRDs, by upstream's
  // key names, are skipped unevaluated: their kind alone means parsing
  // megabytes of JSON schema.
  alertNames(stack):: std.set(std.flattenArrays([
    [r.alert for g in stack[c][k].spec.groups for r in g.rules if std.objectHas(r, 'alert')]
    for c in std.objectFields(stack)
    for k in std.objectFields(stack[c])
    if !std.endsWith(k, 'CustomResourceDefinition') && stack[c][k].kind == 'PrometheusRule'
  ])),
}
