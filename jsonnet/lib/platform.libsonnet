// Platforms: what a team's platform library adds to kpgen's, and the layers
// of defaults a cluster's vars are merged onto.
//
// A platform library is kpgen's library (or another platform) extended with
// platform(ext), ext being any of:
//   mixins:   { <vars name>: { key, mixin, component } }, registered as
//             kpgen's own are (lib/mixins.libsonnet): their _config becomes
//             vars.mixins.<name>, their objects a component of the stack;
//   defaults: vars, as a vars file writes them, that every cluster of the
//             platform starts from;
//   presets:  { <name>: vars }, layered over the defaults for the clusters
//             that choose them (vars.preset, or cluster.environment naming one);
//   patches:  [ function(stack, cfg) stack ], applied in order to the stack
//             (kube-prometheus's object, components of objects) after kpgen's
//             own patches and before vars.rules: what no setting covers. A
//             patch's objects are laid out in files and kustomization.yaml
//             like every other, and validated alike.
// A platform of a platform adds to it: mixins and presets by name (a later
// one replaces a same-named earlier one), defaults merged deeply, patches
// after the earlier ones.
local s = import 'schema.libsonnet';

local extKeys = ['name', 'mixins', 'defaults', 'presets', 'patches'];

local misplacedKeys = {
  patches: "only a cluster's vars file holds patches; a platform's go in platform(ext).patches",
  preset: "only a cluster's vars file chooses its preset (or its cluster.environment does)",
};

// A deep merge of vars-shaped objects: objects merge key by key, anything
// else is replaced (a null too: the schema reads it as "unset").
local deepMerge(a, b) =
  if std.isObject(a) && std.isObject(b) then
    a + { [k]: if std.objectHas(a, k) then deepMerge(a[k], b[k]) else b[k] for k in std.objectFields(b) }
  else b;

// The schema n with value v as its defaults: each layer of vars is applied
// over what the layers under it made.
local withDefault(n, v) =
  if n.kind == 'record' && std.isObject(v) then n {
    default: v,
    defaultFrom: null,
    fields: {
      [k]: if std.objectHas(v, k) then withDefault(n.fields[k], v[k]) else n.fields[k]
      for k in std.objectFields(n.fields)
    },
  }
  // A required key a lower layer sets is set: the layers above may leave
  // it out (a platform's default receiver).
  else n { default: v, defaultFrom: null, required: n.required && v == null };

// The schema n without required keys: a layer of defaults need not name
// the cluster.
local optional(n) =
  if n.kind == 'record' then n {
    required: false,
    hasRequired: false,
    fields: { [k]: optional(n.fields[k]) for k in std.objectFields(n.fields) },
  }
  else n { required: false };

{
  // The extension of kpgen's own library: nothing.
  none:: { name: 'kpgen', mixins: {}, defaults: {}, presets: {}, patches: [] },

  // ext merged onto base (see the top of this file).
  extend(base, ext)::
    assert std.isObject(ext) : 'platform(ext): ext must be an object, got %s' % std.type(ext);
    local unknown = [k for k in std.objectFields(ext) if !std.member(extKeys, k)];
    assert unknown == [] : 'platform(ext): unknown key(s) %s (known: %s)' % [std.join(', ', unknown), std.join(', ', extKeys)];
    local get(k, d) = std.get(ext, k, d);
    local bad = [
      n
      for n in std.objectFields(get('mixins', {}))
      if !std.isObject(ext.mixins[n]) || !std.objectHas(ext.mixins[n], 'key') || !std.objectHas(ext.mixins[n], 'mixin') || !std.objectHas(ext.mixins[n], 'component')
    ];
    assert bad == [] : 'platform(ext): mixins %s: each needs key (its component name), mixin and component' % std.join(', ', bad);
    assert std.isArray(get('patches', [])) && std.all([std.isFunction(p) for p in get('patches', [])]) : 'platform(ext): patches must be a list of functions(stack, cfg)';
    {
      name: get('name', base.name),
      mixins: base.mixins + get('mixins', {}),
      defaults: deepMerge(base.defaults, get('defaults', {})),
      presets: base.presets + {
        [p]: deepMerge(std.get(base.presets, p, {}), ext.presets[p])
        for p in std.objectFields(get('presets', {}))
      },
      patches: base.patches + get('patches', []),
    },

  // The name of the preset a cluster's vars (over the platform's defaults)
  // choose: vars.preset, else the preset named like cluster.environment,
  // else none. Read from the raw layers: presets are chosen before the
  // schema merges anything.
  presetOf(ext, vars)::
    local raw(v) = if std.isObject(v) then v else {};
    local field(o, path) = std.foldl(function(acc, k) if std.isObject(acc) && std.objectHas(acc, k) then acc[k] else null, path, o);
    local explicit = if ext.presets == {} then null else field(raw(vars), ['preset']);
    local env = std.foldl(function(acc, l) local e = field(raw(l), ['cluster', 'environment']); if std.isString(e) then e else acc, [ext.defaults, vars], null);
    if ext.presets == {} then null
    else if std.isString(explicit) then explicit
    else if env != null && std.objectHas(ext.presets, env) then env
    else null,

  // The layers a cluster's config is merged from, first to last, each
  // { label, path, value }: path starts its problems' keys.
  layers(ext, vars)::
    local preset = $.presetOf(ext, vars);
    (if ext.defaults != {} then [{ label: 'platform defaults', path: 'platform.defaults', value: ext.defaults }] else [])
    + (if preset != null && std.objectHas(ext.presets, preset) then [{ label: 'preset ' + preset, path: 'platform.presets.' + preset, value: ext.presets[preset] }] else [])
    + [{ label: 'vars', path: 'vars', value: vars }],

  // schema.apply over the layers: each merged onto what the ones under it
  // made, its problems under its own path. Every layer but the last may
  // leave required keys out. root is the final value, for defaultFrom.
  apply(schema, layers, root)::
    local n = std.length(layers);
    std.foldl(function(acc, i)
      local l = layers[i];
      local base = if i == 0 then schema else withDefault(schema, acc.value);
      local r = s.apply(if i < n - 1 then optional(base) else base, l.value, root, l.path);
      // What only a cluster's vars file may hold: a layer's would be
      // ignored (patches are functions, and the preset is chosen from the
      // vars file).
      local misplaced = if i < n - 1 && std.isObject(l.value) then [
        l.path + '.' + k + ': ' + misplacedKeys[k]
        for k in std.objectFields(misplacedKeys)
        if std.objectHas(l.value, k)
      ] else [];
      { value: r.value, problems: acc.problems + misplaced + r.problems }, std.range(0, n - 1), { value: null, problems: [] }),
}
