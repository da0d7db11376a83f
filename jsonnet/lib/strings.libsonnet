// String helpers for vars checking: key paths and typo suggestions (edit
// distance). The checks of values (DNS-1123 names, durations, sizes, …) are
// in jsonnet/mixins/kpgen-common/checks.libsonnet, shared with the mixins.
local lower = std.asciiLower;
local keyChars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-';

// Levenshtein distance, one row at a time.
local distance(a, b) =
  local m = std.length(b);
  local step(prev, i) = std.foldl(
    function(row, j) row + [std.min(
      std.min(prev[j + 1] + 1, row[j] + 1),
      prev[j] + (if a[i - 1] == b[j] then 0 else 1)
    )],
    std.range(0, m - 1),
    [i],
  );
  std.foldl(step, std.range(1, std.length(a)), std.range(0, m))[m];

{
  distance:: distance,

  // The valid key closest to key, if close enough to be a likely typo.
  // A few edits away, or the one key it is the start or the end of
  // ("maxAge" → "maxAgeSeconds"), ignoring case.
  closest(key, valid)::
    local k = lower(key);
    local limit = std.max(2, std.floor(std.length(key) / 3));
    // The distance is at least the difference in length: keys that far
    // apart are not scored (a long key would cost length × length steps).
    local scored = [{ k: v, d: distance(k, lower(v)) } for v in valid if std.abs(std.length(v) - std.length(k)) <= limit];
    local best = std.foldl(function(b, x) if b == null || x.d < b.d then x else b, scored, null);
    local partial = [v for v in valid if std.length(k) >= 3 && (std.startsWith(lower(v), k) || std.endsWith(lower(v), k))];
    if best != null && best.d <= limit then best.k
    else if std.length(partial) == 1 then partial[0]
    else null,

  // path + '.' + key, or path + '["key"]' for keys that would read ambiguously.
  path(path, key)::
    if key != '' && std.stripChars(key, keyChars) == ''
    then path + '.' + key
    else path + '[' + std.escapeStringJson(key) + ']',
}
