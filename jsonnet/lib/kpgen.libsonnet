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

// vars.rules.groups: what the schema alone cannot say of a rule. (A list
// item keeps the keys it was given; one with a problem of its own is null.)
local customRuleProblems(groups) = std.flattenArrays([
  local r = groups[g].rules[i];
  local path = '%s.rules[%d]' % [str.path('vars.rules.groups', g), i];
  local has(f) = std.get(r, f) != null;
  if r == null then []
  else if has('alert') == has('record') then [path + ': needs exactly one of alert and record']
  else if has('record') then [
    '%s.%s: a recording rule has no %s (only alerting rules do)' % [path, f, f]
    for f in ['for', 'keep_firing_for', 'annotations']
    if has(f)
  ]
  else []
  for g in std.objectFields(groups)
  for i in std.range(0, std.length(groups[g].rules) - 1)
]);

// vars.rules.override: severity is labels.severity, set once.
local overrideProblems(override) =
  local layer(path, l) =
    if l.severity != null && std.objectHas(l.labels, 'severity')
    then ['%s.severity: also set as %s.labels.severity: set one of them' % [path, path]]
    else [];
  std.flattenArrays([
    local e = override[n];
    local p = str.path('vars.rules.override', n);
    layer(p, e)
    + std.flattenArrays([layer(str.path(p + '.bySeverity', s), e.bySeverity[s]) for s in std.objectFields(e.bySeverity)])
    + std.flattenArrays([
      local bp = str.path(p + '.byGroup', g);
      layer(bp, e.byGroup[g])
      + std.flattenArrays([layer(str.path(bp + '.bySeverity', s), e.byGroup[g].bySeverity[s]) for s in std.objectFields(e.byGroup[g].bySeverity)])
      for g in std.objectFields(e.byGroup)
    ])
    for n in std.objectFields(override)
  ]);

// vars.topology: what each role needs, names unique.
local topologyProblems(cfg) =
  local t = cfg.topology;
  local q = std.escapeStringJson;
  local named(path, xs) =
    local ok = [i for i in std.range(0, std.length(xs) - 1) if xs[i] != null];
    std.flattenArrays([
      local n = xs[i].name;
      local before = [j for j in ok if j < i && xs[j].name == n];
      (if before != [] then ['%s[%d].name: %s is also the name of %s[%d]' % [path, i, q(n), path, before[0]]] else [])
      + (if n == cfg.cluster.name then ['%s[%d].name: %s is this cluster (vars.cluster.name)' % [path, i, q(n)]] else [])
      for i in ok
    ]);
  (if t.role == 'spoke' && cfg.prometheus.alerting.alertmanagers == []
   then ["vars.topology.role: a spoke runs no Alertmanager: set vars.prometheus.alerting.alertmanagers to the hub's"]
   else [])
  + (if t.role == 'spoke' && cfg.alertmanager.config != null
     then ["vars.alertmanager.config: a spoke runs no Alertmanager: route its alerts in the hub's vars.alertmanager.config (matching its cluster label)"]
     else [])
  + (if t.role == 'spoke' && cfg.alertmanager.replicas != null
     then ['vars.alertmanager.replicas: a spoke runs no Alertmanager']
     else [])
  + (if t.role == 'spoke' && !std.objectHas(cfg.prometheus.externalLabels, 'cluster')
     then ['vars.prometheus.externalLabels.cluster: a spoke needs the cluster label on every series and alert it sends (do not drop it)']
     else [])
  + (if t.role != 'hub' && t.spokes != [] then ['vars.topology.spokes: only a hub (vars.topology.role: "hub") has spokes'] else [])
  + (if t.role != 'hub' && t.store != null then ['vars.topology.store: only a hub (vars.topology.role: "hub") shows a central store'] else [])
  + (if t.role == 'hub' && t.spokes == [] && t.store == null then ['vars.topology.role: a hub needs vars.topology.spokes or vars.topology.store'] else [])
  + (if t.role != 'management' && t.managedClusters != [] then ['vars.topology.managedClusters: only a management cluster (vars.topology.role: "management") scrapes managed clusters'] else [])
  + (if t.role == 'management' && t.managedClusters == [] then ['vars.topology.role: a management cluster needs vars.topology.managedClusters'] else [])
  + named('vars.topology.spokes', t.spokes)
  + named('vars.topology.managedClusters', t.managedClusters)
  + std.flattenArrays([
    local x = t.spokes[i];
    if x == null then []
    else if std.get(x, 'url') == null && std.get(x, 'federate') == null
    then ['vars.topology.spokes[%d]: needs url (a Grafana datasource), federate (the hub scrapes its /federate), or both' % i]
    // Whether a spoke has a datasource or a federation job is its shape
    // (std.objectHas), so that their values are read only where used.
    else [
      'vars.topology.spokes[%d].%s: null: leave the key out instead' % [i, k]
      for k in ['url', 'federate']
      if std.objectHas(x, k) && x[k] == null
    ]
    for i in std.range(0, std.length(t.spokes) - 1)
  ]);

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
  )
  + topologyProblems(cfg)
  + customRuleProblems(cfg.rules.groups)
  + overrideProblems(cfg.rules.override);

// Names in vars.rules (rules, groups, severities) that match nothing in the
// stack's PrometheusRules (the cluster's own groups included), each with
// the closest name. This evaluates the name, group and severity of every
// rule, so it runs only when vars.rules names some. A list item with a
// problem of its own is null in cfg, and skipped.
local ruleNameProblems(cfg, stack, layers) =
  local R = cfg.rules;
  // The layer that set a key (the vars file, a preset, the platform's
  // defaults): its path starts the problem's.
  local has(v, keys) = std.foldl(function(acc, k) if std.isObject(acc) && std.objectHas(acc, k) then acc[k] else null, keys, v) != null;
  local origin(keys) = std.foldl(function(acc, l) if has(l.value, keys) then l.path else acc, layers, 'vars');
  local index = rules.index(stack);
  local names = std.set([x.name for x in index]);
  local groupNames = rules.groupNames(stack);
  local quote = (import '../mixins/kpgen-common/checks.libsonnet').quote;
  local suggest(near) = if near != null then ' (did you mean %s?)' % quote(near) else '';
  local noRule(path, name) =
    '%s: no rule named %s in any PrometheusRule%s' % [path, quote(name), suggest(str.closest(name, names))];
  local noGroup(path, g) =
    '%s: no group named %s in any PrometheusRule%s' % [path, quote(g), suggest(str.closest(g, groupNames))];
  local list(xs) = std.join(', ', [quote(x) for x in xs]);
  local alertOnly = ['for', 'keep_firing_for', 'severity', 'annotations'];
  // A layer that sets fields of alerts, where it matches recording rules only.
  local recordsOnly(path, name, l, matched) =
    if std.length([x for x in matched if x.alert]) > 0 then []
    else [
      '%s.%s: %s is a recording rule: only alerting rules have %s' % [path, f, quote(name), f]
      for f in alertOnly
      if l[f] != null && l[f] != {}
    ];
  // The bySeverity entries of a layer that matched the rules `matched`.
  local severities(path, name, l, matched, where) =
    local have = std.set([x.severity for x in matched if x.severity != null]);
    std.flattenArrays([
      local sp = str.path(path + '.bySeverity', s);
      local these = [x for x in matched if x.severity == s];
      if these == [] then [
        '%s: no rule named %s%s with severity %s%s' % [
          sp,
          quote(name),
          where,
          quote(s),
          local near = str.closest(s, have);
          if near != null then suggest(near)
          else if have == [] then ' (it has no severity label)'
          else ' (its severities: %s)' % list(have),
        ],
      ]
      else recordsOnly(sp, name, l.bySeverity[s], these)
      for s in std.objectFields(l.bySeverity)
    ]);
  local overrideEntry(name) =
    local e = R.override[name];
    local path = str.path(origin(['rules', 'override', name]) + '.rules.override', name);
    local matched = [x for x in index if x.name == name];
    if e.optional then []
    else if matched == [] then [noRule(path, name)]
    else
      recordsOnly(path, name, e, matched)
      + severities(path, name, e, matched, '')
      + std.flattenArrays([
        local gp = str.path(path + '.byGroup', g);
        local inGroup = [x for x in matched if x.group == g];
        local groupsOf = std.set([x.group for x in matched]);
        // The closest of the groups that hold the rule, else of all groups.
        local near = std.foldl(function(a, c) if a != null then a else str.closest(g, c), [groupsOf, groupNames], null);
        local hint = if near != null then suggest(near) else ' (%s is in %s)' % [quote(name), list(groupsOf)];
        if !std.setMember(g, groupNames) then ['%s: no group named %s in any PrometheusRule%s' % [gp, quote(g), hint]]
        else if inGroup == [] then ['%s: no rule named %s in group %s%s' % [gp, quote(name), quote(g), hint]]
        else
          recordsOnly(gp, name, e.byGroup[g], inGroup)
          + severities(gp, name, e.byGroup[g], inGroup, ' in group ' + quote(g))
        for g in std.objectFields(e.byGroup)
      ]);
  local each(xs, f) = std.flattenArrays([f(i, xs[i]) for i in std.range(0, std.length(xs) - 1)]);
  each(R.disable, function(i, n) if n == null || std.setMember(n, names) then [] else [noRule(origin(['rules', 'disable']) + '.rules.disable[%d]' % i, n)])
  + each(R.disableGroups, function(i, g) if g == null || std.setMember(g, groupNames) then [] else [noGroup(origin(['rules', 'disableGroups']) + '.rules.disableGroups[%d]' % i, g)])
  + std.flattenArrays([overrideEntry(n) for n in std.objectFields(R.override)]);

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

// The stack and its files from the merged config, the enabled mixins and
// the platform's extension (platform.libsonnet): its patches come last.
// Everything a cluster's files depend on comes in through cfg, which lets
// kpgen pass cfg as data whose reads it observes (see render/memo.go).
local stackFrom(cfg, enabled, ext) = u.applyPatches(
  u.compose(import 'kube-prometheus/main.libsonnet', [
    (import 'patches/addons.libsonnet')(cfg.addons),
    (import 'patches/settings.libsonnet')(cfg),
    (import 'patches/upstream-mixins.libsonnet')(cfg.upstream),
    (import 'patches/images.libsonnet')(cfg.images),
    (import 'patches/pods.libsonnet')(cfg),
    (import 'patches/grafana.libsonnet')(cfg.grafana),
    (import 'patches/alertmanager-config.libsonnet').patch(cfg.alertmanager.config),
    (import 'patches/topology.libsonnet')(cfg),
    (import 'patches/kubelet-probes.libsonnet')(cfg.kubelet.probesDuplicateFix),
    (import 'patches/kubelet-cert-expiry.libsonnet')(cfg.kubelet),
    (import 'patches/custom-rules.libsonnet')(cfg.rules.groups),
    (import 'patches/wiring.libsonnet')(cfg, enabled, baseMixins + ext.mixins),
    dashboards.patch(cfg.grafana.dashboards),
    (import 'patches/sealed-secrets.libsonnet')(cfg.sealedSecrets, cfg.namespace),
  ]),
  ext.patches,
  cfg,
  'platform patches',
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
    local patched = u.applyPatches(built.objects, patches, cfg, 'vars.patches'),

    cluster: cfg.cluster.name,
    // Every problem at once, the rule names included: cfg holds only values
    // that passed their checks, and defaults in place of the others (see
    // schema.libsonnet), so the stack builds from it whatever the other
    // problems are, and the rule, dashboard and datasource names are checked
    // against it.
    problems: varsProblems
              + (if rules.namesRules(cfg.rules) then ruleNameProblems(cfg, built.stack, layers) else [])
              + (if dashboards.active(cfg.grafana.dashboards) then dashboards.problems(cfg.grafana.dashboards, built.stack) else [])
              + (if cfg.grafana.datasources != [] then datasourceProblems(cfg, built.stack) else []),
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
