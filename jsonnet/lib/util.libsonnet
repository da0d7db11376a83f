// Small helpers for patching kube-prometheus.
{
  // A patch that merges obj DEEPLY into whatever it is added to (nested
  // `+:`), keeping the other side's keys and its late binding; a null value
  // deletes the key (hides it). A key it sets is visible, even where an
  // earlier patch deleted it (patches of several layers: allComponents,
  // then a component's own).
  deepPatch(obj)::
    std.foldl(function(acc, k)
      local v = obj[k];
      acc + (
        if v == null then { [k]:: null }
        else if std.isObject(v) then { [k]+::: $.deepPatch(v) }
        else { [k]::: v }
      ), std.objectFields(obj), {}),

  // Like deepPatch, but a null value leaves the key as it is ("not set")
  // instead of deleting it.
  deepSet(obj)::
    std.foldl(function(acc, k)
      local v = obj[k];
      acc + (
        if v == null then {}
        else if std.isObject(v) then { [k]+: $.deepSet(v) }
        else { [k]: v }
      ), std.objectFields(obj), {}),

  // { key: value } when value is set (not null, {} or []), else {}.
  ifSet(key, value)::
    if value == null || value == {} || value == [] then {} else { [key]: value },

  // Has obj no fields at all, hidden ones included?
  isEmpty(obj):: std.length(std.objectFieldsAll(obj)) == 0,

  // { key+: patch } when patch has fields, else {}: an empty patch would
  // still add a layer every lookup goes through.
  patchIfAny(key, patch):: if $.isEmpty(patch) then {} else { [key]+: patch },

  // base + each patch that has fields.
  compose(base, patches):: std.foldl(function(acc, p) if $.isEmpty(p) then acc else acc + p, patches, base),

  // Applies functions(stack, cfg) in order; what names the list in errors
  // ('vars.patches', 'platform patches').
  applyPatches(stack, patches, cfg, what)::
    std.foldl(function(acc, i)
                local p = patches[i];
                local out =
                  if !std.isFunction(p) then error '%s[%d]: a patch is a function(stack, cfg), not %s' % [what, i, std.type(p)]
                  else if std.length(p) != 2 then error '%s[%d]: a patch is a function(stack, cfg), this one takes %d parameter(s)' % [what, i, std.length(p)]
                  else p(acc, cfg);
                if std.isObject(out) then out
                else error '%s[%d] returned %s, not the stack (an object of components)' % [what, i, std.type(out)],
              std.range(0, std.length(patches) - 1),
              stack),

  // Appends the members of extra that list lacks, in order, once each.
  appendNew(list, extra)::
    std.foldl(function(acc, x) if std.member(acc, x) then acc else acc + [x], extra, list),
}
