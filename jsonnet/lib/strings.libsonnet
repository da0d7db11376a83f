// String helpers for vars checking: key paths, typo suggestions (edit
// distance), DNS-1123 labels and Prometheus durations.
local lower = std.asciiLower;
local digits = std.set(std.stringChars('0123456789'));
local keyChars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-';
local labelChars = std.set(std.stringChars('abcdefghijklmnopqrstuvwxyz0123456789-'));

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

// Prometheus durations: units in decreasing order, each at most once
// ("1h30m", "15m", "0s").
local units = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
local parseDuration(s, i, minUnit) =
  if i == std.length(s) then true
  else
    local numEnd = std.foldl(function(end, j) if end == j && std.setMember(s[j], digits) then j + 1 else end, std.range(i, std.length(s) - 1), i);
    local unit =
      if numEnd + 2 <= std.length(s) && std.substr(s, numEnd, 2) == 'ms' then 'ms'
      else if numEnd < std.length(s) then s[numEnd]
      else '';
    local rank = std.find(unit, units);
    numEnd > i && rank != [] && rank[0] >= minUnit
    && parseDuration(s, numEnd + std.length(unit), rank[0] + 1);

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

  isDNS1123Label(s)::
    local n = std.length(s);
    n >= 1 && n <= 63
    && std.all([std.setMember(c, labelChars) for c in std.stringChars(s)])
    && s[0] != '-' && s[n - 1] != '-',

  isDuration(s):: s != '' && parseDuration(s, 0, 0),
}
