// A small schema language for vars files: types with defaults, and apply(),
// which merges a user's value DEEPLY onto the defaults and collects every
// problem (unknown key with the closest valid key, wrong type, failed check,
// hidden field, missing required key), each message starting with the key's
// path.
//
// A schema node is an object { kind, default, ... }:
//   record   fixed keys; a value merges key by key onto the default
//   object   an object taken whole (never merged onto a default): the keys
//            it names are checked, the others pass as they are (a Grafana
//            dashboard)
//   map      free-form keys (optionally checked) with one value type; null
//            deletes a default key
//   list     replaces the default; its items are never null
//   scalar   string, number, boolean, quantity (string or number) or enum
//   any      anything (walked only for hidden fields)
// A node whose default is null accepts null ("unset"). A record's check,
// if any, sees the merged record once its keys have no problems of their
// own (constraints between keys: a toleration's operator and value).
// patchOf(default) is the schema of a change to a value someone else
// defaults (an upstream mixin's setting): the default's type, but nothing
// of the default is merged in, at any depth.
//
// A value with a problem is replaced by its default in the merged value (a
// list item with a problem by null, a map entry with a bad key is dropped), so
// the merged value holds nothing but checked values and defaults: the
// library can still build the stack from it (kpgen.libsonnet checks the
// rule names against that stack), whatever the problems.
local checks = import '../mixins/kpgen-common/checks.libsonnet';
local str = import 'strings.libsonnet';

local node(kind, default, o) = {
  kind: kind,
  default: default,
  // defaultFrom(root), if set, computes the default from the whole merged
  // vars (e.g. a label defaulting to cluster.name).
  defaultFrom: null,
  nullable: default == null,
  required: false,
  // Only records with required keys below them are walked when absent.
  hasRequired: false,
  // check(value) → null when fine, else a message (without the path); for
  // a list, of the whole list.
  check: null,
  // Of a map: keys(key) → null when fine, else a message (without the path).
  keys: null,
  doc: null,
  // Said after a wrong type: what the value should be and how to make it.
  hint: null,
  // Derived from a mixin's _config: documented there, not walked by paths().
  derived: false,
  // A record of a type documented by reference (a Kubernetes Affinity,
  // Alertmanager's http_config, a Secret reference): docs/vars.md
  // documents the key, and the type once; not walked by paths() either.
  apiType: null,
  // A reference to a Secret: a value of the wrong type is not shown.
  secret: false,
  // Of a record whose default is null: when given, its keys' defaults are
  // merged under it.
  fill: false,
} + o;

local describe(n) =
  if n.kind == 'enum' then 'one of ' + std.join(', ', ['"%s"' % v for v in n.values])
  else if n.kind == 'record' || n.kind == 'map' || n.kind == 'object' then 'object'
  else if n.kind == 'list' then 'array'
  else if n.kind == 'quantity' then 'string or number'
  else if n.kind == 'functions' then 'array of functions'
  else n.kind;

local typeOk(n, v) =
  local t = std.type(v);
  if n.kind == 'any' then true
  else if n.kind == 'record' || n.kind == 'map' || n.kind == 'object' then t == 'object'
  else if n.kind == 'list' then t == 'array'
  else if n.kind == 'quantity' then t == 'string' || t == 'number'
  else if n.kind == 'enum' then std.member(n.values, v)
  else if n.kind == 'functions' then t == 'array' && std.all([std.isFunction(f) for f in v])
  else t == n.kind;

local show(v) =
  local t = std.type(v);
  if t == 'string' then 'string ' + checks.quote(v)
  else if t == 'number' then 'number ' + checks.number(v)
  else if t == 'boolean' then '%s %s' % [t, v]
  else t;

local defaultOf(n, root) =
  if n.defaultFrom != null then n.defaultFrom(root) else n.default;

local unknownKey(path, k, valid) =
  local near = str.closest(k, valid);
  str.path(path, k) + ': unknown key ' + (
    if near != null then '(did you mean "%s"?)' % near
    else if valid == [] then '(no keys are allowed here)'
    else '(valid keys: %s)' % std.join(', ', valid)
  );

local flatten(xss) = std.foldl(function(acc, xs) acc + xs, xss, []);

local hidden(path, k) = str.path(path, k) + ': hidden field (declared with `::`): use `:`';

// The hidden fields of a value of free form, at any depth (bounded: the walk
// is recursive, and Jsonnet's stack is not deep).
local maxDepth = 32;
local hiddenIn(path, v, depth) =
  if !std.isObject(v) && !std.isArray(v) then []
  else if depth >= maxDepth then [path + ': nested more than %d levels deep' % maxDepth]
  else if std.isArray(v) then
    flatten([hiddenIn('%s[%d]' % [path, i], v[i], depth + 1) for i in std.range(0, std.length(v) - 1)])
  else
    local visible = std.objectFields(v);
    local hide = std.setDiff(std.objectFieldsAll(v), visible);
    flatten([
      if std.setMember(k, hide) then [hidden(path, k)] else hiddenIn(str.path(path, k), v[k], depth + 1)
      for k in std.objectFieldsAll(v)
    ]);

local apply(n, path, has, u, root) =
  local d = defaultOf(n, root);
  if !has then {
    value: d,
    problems:
      if n.required then [path + ': required' + (if n.doc != null then ' (%s)' % n.doc else '')]
      else if n.hasRequired && n.kind == 'record' then apply(n, path, true, {}, root).problems
      else [],
  }
  else if u == null then
    if n.nullable && !n.required then { value: null, problems: [] }
    // The default stands in, so that every other problem is still found.
    else { value: d, problems: [path + ': expected %s, got null' % describe(n)] }
  else if !typeOk(n, u) && n.secret then {
    value: d,
    // Never shown: it may be a credential.
    problems: [path + ': expected %s, got %s (credentials are never values in vars)' % [
      if n.kind == 'map' then 'a map of references to existing Secrets'
      else if n.kind == 'record' then
        local first = [f for f in ['name', 'key'] if std.objectHas(n.fields, f)];
        'a reference to an existing Secret ({ %s })' % std.join(', ', first + [f for f in std.objectFields(n.fields) if !std.member(first + ['optional'], f)])
      else 'a reference to an existing Secret',
      std.type(u),
    ]],
  }
  else if !typeOk(n, u) then {
    value: d,
    problems: [path + (
      if n.kind == 'enum' && std.isString(u) then
        local near = str.closest(u, n.values);
        ': expected %s, got %s%s' % [describe(n), checks.quote(u), if near != null then ' (did you mean "%s"?)' % near else '']
      else ': expected %s, got %s' % [describe(n), show(u)]
    ) + (if n.hint != null then ' (%s)' % n.hint else '')],
  }
  else if n.kind == 'record' then
    local valid = std.objectFields(n.fields);
    local given = std.objectFields(u);
    local all = std.objectFieldsAll(u);
    local hide = std.setDiff(all, given);
    local child = {
      [k]: apply(n.fields[k], str.path(path, k), std.objectHas(u, k), if std.objectHas(u, k) then u[k], root)
      for k in valid
    };
    local base =
      if d != null then d
      else if n.fill then { [k]: n.fields[k].default for k in valid }
      else {};
    // A record failing its check stands for its default, like a scalar.
    local checked(r) =
      local msg = if r.problems != [] then null else n.check(r.value);
      if msg == null then r else { value: d, problems: [path + ': ' + msg] };
    (if n.check == null then function(r) r else checked)({
      value: base + { [k]: child[k].value for k in given if std.objectHas(n.fields, k) },
      // In key order, each unknown or hidden key where it would sort.
      problems: flatten([
        if std.setMember(k, hide) then
          [hidden(path, k)] + (if std.objectHas(n.fields, k) then [] else [unknownKey(path, k, valid)])
        else if std.objectHas(n.fields, k) then child[k].problems
        else [unknownKey(path, k, valid)]
        for k in std.setUnion(valid, all)
      ]),
    })
  else if n.kind == 'object' then
    local given = std.objectFields(u);
    local hide = std.setDiff(std.objectFieldsAll(u), given);
    local child = {
      [k]: apply(n.fields[k], str.path(path, k), std.objectHas(u, k), if std.objectHas(u, k) then u[k], root)
      for k in std.objectFields(n.fields)
    };
    {
      // Its visible fields, as manifesting it would keep them: a hidden one
      // (a builder's helper) is no part of the value. A checked field with
      // a problem is left out.
      value: {
        [k]: if std.objectHas(child, k) then child[k].value else u[k]
        for k in given
        if !std.objectHas(child, k) || child[k].problems == []
      },
      problems: flatten([
        if std.setMember(k, hide) then [hidden(path, k)] else child[k].problems
        for k in std.objectFields(n.fields)
      ]),
    }
  else if n.kind == 'map' then
    local base = if d == null then {} else d;
    local given = std.objectFields(u);
    local hide = std.setDiff(std.objectFieldsAll(u), given);
    local badKey = if n.keys == null then {} else {
      [k]: m
      for k in given
      for m in [n.keys(k)]
      if m != null
    };
    local ok = [k for k in given if !std.objectHas(badKey, k)];
    local child = {
      [k]: apply(n.values + (if std.objectHas(base, k) then { default: base[k] } else {}), str.path(path, k), true, u[k], root)
      for k in ok
      if u[k] != null
    };
    local merged = base + { [k]: if u[k] == null then null else child[k].value for k in ok };
    {
      // null deletes a key, including one the default has; with keepNulls
      // the null stays, for a consumer that deletes upstream's key.
      value: if n.keepNulls then merged else { [k]: merged[k] for k in std.objectFields(merged) if merged[k] != null },
      problems: flatten([
        if std.setMember(k, hide) then [hidden(path, k)]
        else if std.objectHas(badKey, k) then [str.path(path, k) + ': ' + badKey[k]]
        else if std.objectHas(child, k) then child[k].problems
        else []
        for k in std.objectFieldsAll(u)
      ]),
    }
  else if n.kind == 'list' then
    local items = [
      apply(n.items { nullable: false }, '%s[%d]' % [path, i], true, u[i], root)
      for i in std.range(0, std.length(u) - 1)
    ];
    local msg = if n.check == null then null else n.check(u);
    {
      // The list as given (items are not merged onto defaults), each item
      // with a problem null.
      value: if msg != null then d else [if items[i].problems == [] then u[i] else null for i in std.range(0, std.length(u) - 1)],
      problems: (if msg != null then [path + ': ' + msg] else []) + flatten([x.problems for x in items]),
    }
  else if n.kind == 'any' then {
    local msg = if n.check == null then null else n.check(u),
    value: if msg == null then u else d,
    problems: if msg == null then hiddenIn(path, u, 0) else [path + ': ' + msg],
  }
  // Code, not data: the config holds how many there are (it is data that
  // kpgen passes around as JSON); the functions are the library's to take
  // from the vars.
  else if n.kind == 'functions' then {
    value: std.length(u),
    problems: [],
  }
  else {
    local msg = if n.check == null then null else n.check(u),
    value: if msg == null then u else d,
    problems: if msg == null then [] else [path + ': ' + msg],
  };

// Paths of every key in a schema (for documentation checks); maps and lists
// end the walk.
local paths(n, path) =
  if n.kind == 'record' && !n.derived && n.apiType == null then
    flatten([[str.path(path, k)] + paths(n.fields[k], str.path(path, k)) for k in std.objectFields(n.fields)])
  else [];

{
  string(default=null, check=null, doc=null):: node('string', default, { check: check, doc: doc }),
  number(default=null, check=null, doc=null):: node('number', default, { check: check, doc: doc }),
  boolean(default=null, doc=null):: node('boolean', default, { doc: doc }),
  quantity(default=null, check=null, doc=null):: node('quantity', default, { check: check, doc: doc }),
  enum(values, default=null, doc=null):: node('enum', default, { values: values, doc: doc }),
  any(default=null, doc=null):: node('any', default, { nullable: true, doc: doc }),
  // A list of functions; in the merged value, their number (default 0).
  functions(doc=null):: node('functions', 0, { doc: doc }),
  // An object taken whole, whose fields (a record's) are checked; its other
  // keys pass unchecked. hint is said when the value is no object.
  object(fields, hint=null, doc=null):: node('object', null, { fields: fields, hint: hint, doc: doc }),
  list(items, default=[], check=null, doc=null):: node('list', default, { items: items, check: check, doc: doc }),
  map(values, default={}, defaultFrom=null, keepNulls=false, keys=null, doc=null)::
    node('map', default, { values: values, defaultFrom: defaultFrom, keepNulls: keepNulls, keys: keys, doc: doc }),
  // A record's default is its fields' defaults, or base when given (base is
  // merged with `+`, so a base object's self-references see the user's
  // values); unset=true makes the default null (e.g. "keep upstream's").
  // fill=true (with unset=true): a record given merges onto its keys'
  // defaults. secret=true: a Secret reference, whose value is never shown.
  record(fields, base=null, unset=false, check=null, fill=false, secret=false, apiType=null, doc=null)::
    local computed = !unset && base == null;
    local fromRoot = computed && std.foldl(function(acc, k) acc || fields[k].defaultFrom != null, std.objectFields(fields), false);
    node('record', if unset then null else if base != null then base else {
      [k]: fields[k].default
      for k in std.objectFields(fields)
    }, {
      // A field's defaultFrom makes the record's default depend on root too.
      defaultFrom: if !fromRoot then null else function(root) {
        [k]: defaultOf(fields[k], root)
        for k in std.objectFields(fields)
      },
      fields: fields,
      check: check,
      fill: fill,
      secret: secret,
      apiType: apiType,
      doc: doc,
      // A record that may be left unset checks its required keys only when
      // it is given.
      hasRequired: !unset && std.foldl(function(acc, k) acc || fields[k].required || fields[k].hasRequired, std.objectFields(fields), false),
    }),

  // A key that may not be set here: msg says where to set it instead.
  forbidden(msg):: node('any', null, { check: function(v) if v == null then null else msg }),

  // Marks a node required.
  required(n):: n { required: true, nullable: false },

  // The schema of a value, derived from its default: an empty object is a
  // free-form map, any other object a fixed-key record (merged onto the
  // default with `+`), null anything, and the rest by std.type.
  fromDefault(v)::
    local t = std.type(v);
    if t == 'object' then
      if std.length(v) == 0 then self.map(self.any(), default=v)
      else self.record({ [k]: $.fromDefault(v[k]) for k in std.objectFields(v) }, base=v)
    else if t == 'array' then self.list(self.any(), default=v)
    else if t == 'null' then self.any()
    else node(t, v, {}),

  // The schema of a change to a value whose default is v, someone else's
  // (an upstream mixin's _config entry): v's type as fromDefault derives it
  // (an empty object is a free-form map, any other object a record with
  // v's keys, null anything), but its value holds only what is given: null
  // when unset, a record only its given keys, at every depth. null is
  // always accepted ("keep the default"). Nothing of v is evaluated before
  // its key is given.
  patchOf(v)::
    local t = std.type(v);
    local kind =
      if t == 'object' then (if std.length(v) == 0 then 'map' else 'record')
      else if t == 'array' then 'list'
      else if t == 'null' then 'any'
      else t;
    node(kind, if kind == 'record' then {} else null, {
      nullable: true,
      derived: true,
      fields: { [k]: $.patchOf(v[k]) for k in std.objectFields(v) },
      values: $.any(),
      items: $.any(),
      keepNulls: false,
    }),

  // The node of a mixin setting whose type the mixin declares (see
  // jsonnet/mixins/kpgen-common/types.libsonnet), with its default.
  fromType(t, default)::
    if t.kind == 'list' then self.list(self.fromType(t.items, null), default=default, check=t.check)
    else if t.kind == 'map' then self.map(self.fromType(t.values, null), default=default, keys=t.keys)
    else node(t.kind, default, { check: t.check }),

  // apply(schema, value, root) → { value: the merged value, problems: [...] }.
  // root is the whole merged value, for defaultFrom; pass the result's own
  // value lazily: local r = apply(s, v, r.value).
  apply(schema, value, root, path='vars'):: apply(schema, path, true, value, root),

  paths(schema, path='vars'):: paths(schema, path),
}
