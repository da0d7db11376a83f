// vars.rules, applied to every PrometheusRule of the stack (upstream's, the
// mixins' and the cluster's own groups, kpgenCustom): rules and groups
// disabled, any field of a rule overridden by its name (narrowed by group
// and severity), labels added to every alert, runbook URLs rewritten. See
// docs/rules.md.
//
// Only PrometheusRule objects are touched: the other objects pass through
// unevaluated, so each file stays lazily computable. kpgen renders a
// PrometheusRule's groups a few at a time (render/shard.go) and shares each
// piece's output across clusters by the settings it read (render/memo.go),
// so settings are looked up by the rule's name (the keys of a map are its
// shape, read for free), never scanned: a rule's override is read only by
// the group that holds a rule of that name. The disable settings of the
// names an object holds (and the lists rules.disable and
// rules.disableGroups) are read for each of its groups, since whether a
// group is left empty decides the position of every group after it.
local u = import '../util.libsonnet';

local nameOf(r) =
  if std.objectHas(r, 'alert') then r.alert
  else if std.objectHas(r, 'record') then r.record
  else null;

local severityOf(r) =
  local l = std.get(r, 'labels', {});
  if std.isObject(l) then std.get(l, 'severity') else null;

// A set of strings as an object, for lookups by key (list items with a
// problem are null in cfg).
local setOf(list) = { [x]: true for x in std.set([x for x in list if x != null]) };

// The layers of vars.rules.override that apply to rule r of group g, the
// least specific first: the name's own fields, byGroup.<g>,
// bySeverity.<severity>, byGroup.<g>.bySeverity.<severity>. The severity is
// the one the rule has itself.
local layers(R, g, r) =
  local n = nameOf(r);
  if n == null || !std.objectHas(R.override, n) then []
  else
    local e = R.override[n];
    local inGroup = std.objectHas(e.byGroup, g);
    local bg = if inGroup then e.byGroup[g] else null;
    local narrowed = std.length(e.bySeverity) > 0 || (inGroup && std.length(bg.bySeverity) > 0);
    local sev = if narrowed then severityOf(r) else null;
    local bySeverity(x) = if std.isString(sev) && std.objectHas(x.bySeverity, sev) then [x.bySeverity[sev]] else [];
    [e]
    + (if inGroup then [bg] else [])
    + bySeverity(e)
    + (if inGroup then bySeverity(bg) else []);

// The most specific non-null value of field f.
local pick(ls, f) = std.foldl(function(acc, l) if l[f] != null then l[f] else acc, ls, null);

// A layer's labels, its severity shorthand included.
local labelsOf(l) = l.labels + (if l.severity != null then { severity: l.severity } else {});

// base with changes applied: a null value removes the key.
local applyMap(base, changes) =
  local m = base + changes;
  { [k]: m[k] for k in std.objectFields(m) if m[k] != null };

// url with its longest prefix in rewrite replaced.
local rewriteURL(rewrite, url) =
  local prefixes = [p for p in std.objectFields(rewrite) if std.startsWith(url, p)];
  if prefixes == [] then url
  else
    local p = std.foldl(function(a, x) if std.length(x) > std.length(a) then x else a, prefixes, '');
    rewrite[p] + std.substr(url, std.length(p), std.length(url) - std.length(p));

local isDisabled(R, sets, g, r) =
  local d = pick(layers(R, g, r), 'disable');
  if d != null then d
  else
    local n = nameOf(r);
    n != null && std.objectHas(sets.disable, n);

local patchRule(R, g, r) =
  local ls = layers(R, g, r);
  local alert = std.objectHas(r, 'alert');
  // Most rules have nothing to change: they stay as they are.
  if ls == [] && !(alert && (std.length(R.alertLabels) > 0 || std.length(R.runbookURLRewrite) > 0)) then r
  else
    local own = std.get(r, 'labels', {});
    // vars.rules.alertLabels: on alerts, beside (or, with alertLabelsReplace,
    // over) the rule's own labels.
    local withAlertLabels =
      if !alert || std.length(R.alertLabels) == 0 then own
      else if R.alertLabelsReplace then own + R.alertLabels
      else R.alertLabels + own;
    local labelChanges = std.foldl(function(acc, l) acc + labelsOf(l), ls, {});
    local labels = applyMap(withAlertLabels, labelChanges);
    local ownAnnotations = std.get(r, 'annotations', {});
    local rewritten =
      if alert && std.length(R.runbookURLRewrite) > 0 && std.isObject(ownAnnotations)
         && std.objectHas(ownAnnotations, 'runbook_url') && std.isString(ownAnnotations.runbook_url)
      then ownAnnotations { runbook_url: rewriteURL(R.runbookURLRewrite, ownAnnotations.runbook_url) }
      else ownAnnotations;
    local annotationChanges = std.foldl(function(acc, l) acc + l.annotations, ls, {});
    local annotations = applyMap(rewritten, annotationChanges);
    local touchesLabels = std.length(labelChanges) > 0 || (alert && std.length(R.alertLabels) > 0);
    local touchesAnnotations = alert && (std.length(annotationChanges) > 0 || std.length(R.runbookURLRewrite) > 0);
    r
    + u.ifSet('expr', pick(ls, 'expr'))
    + (if alert then u.ifSet('for', pick(ls, 'for')) + u.ifSet('keep_firing_for', pick(ls, 'keep_firing_for')) else {})
    + (
      if !touchesLabels then {}
      else if labels == {} then { labels:: null }
      else { labels: labels }
    )
    + (
      if !touchesAnnotations then {}
      else if annotations == {} then { annotations:: null }
      else { annotations: annotations }
    );

local patchObject(R, sets, obj) = obj {
  spec+: {
    groups:
      // Nothing can be disabled (only alertLabels or runbookURLRewrite are
      // set): each group is patched on its own, without looking at the others.
      if !sets.filter then [
        g { rules: [patchRule(R, g.name, r) for r in super.rules] }
        for g in super.groups
      ]
      else [
        pg
        for g in super.groups
        if !std.objectHas(sets.groups, g.name)
        for pg in [g {
          rules: [patchRule(R, g.name, r) for r in super.rules if !isDisabled(R, sets, g.name, r)],
        }]
        // A group left without rules is dropped.
        if pg.rules != []
      ],
  },
};

{
  // Is there anything to patch?
  active(R):: R.disable != [] || R.disableGroups != [] || R.override != {}
              || R.alertLabels != {} || R.runbookURLRewrite != {},

  // Does vars.rules name rules or groups (to be checked against the stack)?
  namesRules(R):: R.disable != [] || R.disableGroups != [] || R.override != {},

  // The stack's components with the rules patched (visible fields only: the
  // result is what gets laid out as files).
  apply(stack, R)::
    local sets = {
      disable: setOf(R.disable),
      groups: setOf(R.disableGroups),
      // Whether anything may be disabled (the lists' and the map's shape).
      filter: R.disable != [] || R.disableGroups != [] || R.override != {},
    };
    {
      [c]: {
        [k]: (
          local obj = stack[c][k];
          if obj.kind == 'PrometheusRule' then patchObject(R, sets, obj) else obj
        )
        for k in std.objectFields(stack[c])
      }
      for c in std.objectFields(stack)
    },

  // Every rule of the stack's PrometheusRules: { name, alert (is it an
  // alerting rule), group, severity (its own, or null) }. CRDs, by
  // upstream's key names, are skipped unevaluated: their kind alone means
  // parsing megabytes of JSON schema.
  index(stack):: std.flattenArrays([
    [
      { name: nameOf(r), alert: std.objectHas(r, 'alert'), group: g.name, severity: severityOf(r) }
      for g in stack[c][k].spec.groups
      for r in g.rules
      if nameOf(r) != null
    ]
    for c in std.objectFields(stack)
    for k in std.objectFields(stack[c])
    if !std.endsWith(k, 'CustomResourceDefinition') && stack[c][k].kind == 'PrometheusRule'
  ]),

  // Every group name of the stack's PrometheusRules, rules or not.
  groupNames(stack):: std.set(std.flattenArrays([
    [g.name for g in stack[c][k].spec.groups]
    for c in std.objectFields(stack)
    for k in std.objectFields(stack[c])
    if !std.endsWith(k, 'CustomResourceDefinition') && stack[c][k].kind == 'PrometheusRule'
  ])),
}
