// Checks of setting values, shared by kpgen's library (the vars schema,
// jsonnet/lib/vars.libsonnet) and the mixins' setting types
// (types.libsonnet). A check is a function of a value that already has the
// right type; it returns null when the value is fine, otherwise a message
// without the key's path, e.g.
//   "Bad NS" is not a DNS-1123 label (lowercase letters, digits and "-", …)
// Each mirrors what consumes the value (Kubernetes' API validation,
// Prometheus' parsers), so that a value passing it makes a valid object.
//
// Plain Jsonnet without imports, so a mixin stays usable without kpgen. The
// schema runs for every cluster: checks use native std functions
// (stripChars, split, parseJson) and scan a string character by character
// only where no native function does, after bounding its length.
local digits = '0123456789';
local lower = 'abcdefghijklmnopqrstuvwxyz';
local upper = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

// Does s consist of characters of set only (true for '')?
local only(s, set) = std.stripChars(s, set) == '';
local isDigits(s) = s != '' && only(s, digits);
local isAlnum(c) = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

// A string as messages show it: JSON-quoted (one line whatever it holds),
// at most 64 characters.
local quote(s) = std.escapeStringJson(if std.length(s) > 64 then std.substr(s, 0, 64) + '…' else s);

// A number as messages (and PromQL, see common.num) show it: whole numbers
// below 10^15 as digits, others in exponent form ('%d' of 1e308 would print
// its 309 digits). go-jsonnet's '%g' garbles subnormal numbers ("0e-308"):
// those get std.toString's 17 digits.
local number(n) =
  if n == std.floor(n) && std.abs(n) < 1e15 then '%d' % n
  else if std.abs(n) < 1e-300 then std.toString(n)
  else '%.15g' % n;

local dnsLabelRule = 'lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters';
local isDNS1123Label(s) =
  local n = std.length(s);
  n >= 1 && n <= 63 && only(s, lower + digits + '-') && isAlnum(s[0]) && isAlnum(s[n - 1]);

// k8s.io/apimachinery IsDNS1123Subdomain: dot-separated parts, each like a
// label but of any length, at most 253 characters in all.
local isDNS1123Subdomain(s) =
  local n = std.length(s);
  n >= 1 && n <= 253 && only(s, lower + digits + '-.')
  && std.all([p != '' && isAlnum(p[0]) && isAlnum(p[std.length(p) - 1]) for p in std.split(s, '.')]);

// Prometheus durations, as prometheus/common model.ParseDuration parses
// them: "0", or numbers each followed by a unit, units in decreasing order
// and at most once each. The sum must fit time.Duration, int64 nanoseconds:
// at most 2^63-1 ns, 9223372036854 whole milliseconds (every unit is a
// whole number of milliseconds), 292y24w3d23h47m16s854ms.
local unitMs = { y: 31536000000, w: 604800000, d: 86400000, h: 3600000, m: 60000, s: 1000, ms: 1 };
local unitRank = { y: 1, w: 2, d: 3, h: 4, m: 5, s: 6, ms: 7 };
local maxDurationMs = 9223372036854;
// One pass over the characters with a small state: v is the number being
// read (capped at 1e17, far above any number that fits), u the unit after it.
local addUnit(st) =
  if !std.objectHas(unitRank, st.u) || unitRank[st.u] <= st.rank then st { bad: true }
  else st { ms: std.min(st.ms + st.v * unitMs[st.u], 1e18), rank: unitRank[st.u], v: 0, u: '' };
local durationStep(st, c) =
  if st.bad then st
  else if c >= '0' && c <= '9' then
    local s = if st.u != '' then addUnit(st) else st;
    s { v: std.min(s.v * 10 + std.codepoint(c) - 48, 1e17), started: true }
  else if !st.started || std.length(st.u) >= 2 then st { bad: true }
  else st { u: st.u + c };
local parseDuration(s) =
  if s == '0' then { bad: false, ms: 0 }
  else
    local st = std.foldl(durationStep, std.stringChars(s), { bad: false, started: false, v: 0, u: '', rank: 0, ms: 0 });
    if st.bad || st.u == '' then { bad: true } else addUnit(st);

// Prometheus byte sizes (retention.size): what both prometheus-operator's
// ByteSize pattern and Prometheus' units.ParseBase2Bytes accept: "0", or a
// number (digits, optionally a fraction; no sign, no trailing ".") and one
// unit, 1KB = 1KiB = 1024B, less than 2^63 bytes (8EiB).
local byteUnits = {
  B: 1,
  KB: 1024,
  MB: std.pow(1024, 2),
  GB: std.pow(1024, 3),
  TB: std.pow(1024, 4),
  PB: std.pow(1024, 5),
  EB: std.pow(1024, 6),
  KiB: 1024,
  MiB: std.pow(1024, 2),
  GiB: std.pow(1024, 3),
  TiB: std.pow(1024, 4),
  PiB: std.pow(1024, 5),
  EiB: std.pow(1024, 6),
};
local max63 = std.pow(2, 63);

// A decimal number: digits with an optional fraction ("1", "1.5", ".5",
// and with trailingDot "1."). null when it is not one, else { int, frac,
// value }, int and frac without leading zeros; value is null when the
// integer part has more than 20 digits (far beyond any range checked here).
local decimal(s, trailingDot=false) =
  local parts = std.split(s, '.');
  local int = parts[0];
  local frac = if std.length(parts) == 2 then parts[1] else '';
  if std.length(parts) > 2 || !only(int, digits) || !only(frac, digits)
     || (int == '' && frac == '') || (std.length(parts) == 2 && frac == '' && !trailingDot)
  then null
  else
    local i = std.lstripChars(int, '0');
    local f = std.rstripChars(frac, '0');
    {
      int: i,
      frac: f,
      zero: i == '' && f == '',
      // significant digits of the fraction as written (units.ParseBase2Bytes
      // reads it into an int64: more than 18 may overflow)
      fracDigits: std.length(std.lstripChars(frac, '0')),
      value: if std.length(i) > 20 then null
      else std.parseJson((if i == '' then '0' else i) + (if f == '' then '' else '.' + std.substr(f, 0, 20))),
    };

local parseByteSize(s) =
  if s == '0' then { bad: false, over: false }
  else
    local units = [u for u in std.objectFields(byteUnits) if std.endsWith(s, u) && std.length(u) < std.length(s)];
    // the longest unit that ends s ("GiB" before "B")
    local unit = std.foldl(function(a, u) if std.length(u) > std.length(a) then u else a, units, '');
    local num = if unit == '' then null else decimal(std.substr(s, 0, std.length(s) - std.length(unit)));
    if num == null then { bad: true }
    // Prometheus takes up to 2^63 and converts it to int64: 2^63 wraps round.
    else { bad: false, over: num.value == null || num.fracDigits > 18 || num.value * byteUnits[unit] >= max63 };

// Kubernetes quantities, as k8s.io/apimachinery resource.ParseQuantity and
// the OpenAPI pattern of Quantity accept them: an optional sign, a number
// ("1", "1.5", "1.", ".5") and a suffix: a binary one (Ki … Ei), a decimal
// one (n u m "" k M G T P E) or an integer exponent (e3, E-2). No quantity
// may exceed 2^63-1: a larger one is silently capped. (Compared in float64,
// 2^63-1 itself counts as too large.)
local binarySuffixes = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
local decimalSuffixes = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
local parseQuantity(s) =
  local negative = std.startsWith(s, '-');
  local unsigned = if negative || std.startsWith(s, '+') then std.substr(s, 1, std.length(s) - 1) else s;
  local suffix = std.lstripChars(unsigned, digits + '.');
  local num = decimal(std.substr(unsigned, 0, std.length(unsigned) - std.length(suffix)), trailingDot=true);
  local exp =
    if std.objectHas(binarySuffixes, suffix) then { two: binarySuffixes[suffix], ten: 0 }
    else if std.objectHas(decimalSuffixes, suffix) then { two: 0, ten: decimalSuffixes[suffix] }
    else if std.member(['e', 'E'], std.substr(suffix, 0, 1)) then
      local e = std.substr(suffix, 1, std.length(suffix) - 1);
      local sign = std.substr(e, 0, 1);
      local d = if sign == '+' || sign == '-' then std.substr(e, 1, std.length(e) - 1) else e;
      if !isDigits(d) then null
      else
        local mag = std.lstripChars(d, '0');
        // |exponent| > 100 is out of range (or rounds to a tiny value)
        local n = if std.length(mag) > 3 then 1000 else if mag == '' then 0 else std.parseInt(mag);
        { two: 0, ten: if sign == '-' then -n else n }
    else null;
  if num == null || exp == null then { bad: true }
  else {
    bad: false,
    negative: negative && !num.zero,
    zero: num.zero,
    over: !num.zero && (
      num.value == null || exp.ten > 100
      || (exp.ten >= -100 && num.value * std.pow(2, exp.two) * std.pow(10, exp.ten) >= max63)
    ),
  };

// Prometheus' legacy label names: see docs/vars.md for why not UTF-8 names.
local isLabelName(s) =
  s != '' && only(s, lower + upper + digits + '_') && !(s[0] >= '0' && s[0] <= '9');

local check(ok, msg) = function(v) if ok(v) then null else msg(v);

// No credentials in a URL (user:password@host, with or without a scheme):
// the message never shows the value.
local noURLCredentials(v) =
  local parts = std.split(v, '://');
  local rest = if std.length(parts) > 1 then std.join('://', parts[1:]) else v;
  if std.member(std.split(rest, '/')[0], '@') then
    'a URL with credentials in it (user:password@host), not shown: credentials are never values in vars (give them as a Secret reference)'
  else null;


// No white space or control characters (nor DEL).
local noSpace(s) = std.all([c > ' ' && c != '\u007f' for c in std.stringChars(s)]);

// k8s.io/apimachinery's qualified name: at most 63 letters, digits, "-",
// "_" and ".", starting and ending with a letter or digit.
local isAlnumAny(c) = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
local isQualifiedName(s) =
  local n = std.length(s);
  n >= 1 && n <= 63 && only(s, lower + upper + digits + '-_.') && isAlnumAny(s[0]) && isAlnumAny(s[n - 1]);
// A label key: a qualified name, optionally after a DNS-1123 subdomain and "/".
local isLabelKey(s) =
  local parts = std.split(s, '/');
  if std.length(parts) == 1 then isQualifiedName(s)
  else std.length(parts) == 2 && isDNS1123Subdomain(parts[0]) && isQualifiedName(parts[1]);

// An image registry as a reference's first component reads it (a host
// with a dot or a port, or localhost), with an optional path below it.
local isHostPart(p) = p != '' && std.length(p) <= 63 && only(p, lower + upper + digits + '-') && isAlnumAny(p[0]) && isAlnumAny(p[std.length(p) - 1]);
local isPathPart(p) = p != '' && only(p, lower + digits + '-_.') && isAlnum(p[0]) && isAlnum(p[std.length(p) - 1]);
local isRegistry(s) =
  local parts = std.split(s, '/');
  local hostPort = std.split(parts[0], ':');
  local host = hostPort[0];
  std.length(s) <= 255
  && std.all([isHostPart(p) for p in std.split(host, '.')])
  && (std.length(hostPort) == 1 || (std.length(hostPort) == 2 && isDigits(hostPort[1]) && std.length(hostPort[1]) <= 5 && std.parseInt(hostPort[1]) <= 65535))
  && (std.length(std.split(host, '.')) > 1 || std.length(hostPort) == 2 || host == 'localhost')
  && std.all([isPathPart(p) for p in parts[1:]]);

local httpURLShape = check(
  function(v)
    local rest =
      if std.startsWith(v, 'https://') then std.substr(v, 8, std.length(v) - 8)
      else if std.startsWith(v, 'http://') then std.substr(v, 7, std.length(v) - 7)
      else '';
    rest != '' && !std.startsWith(rest, '/') && std.length(v) <= 2048 && noSpace(v),
  function(v) '%s is not an http:// or https:// URL (with a host, without spaces)' % quote(v),
);

{
  quote:: quote,
  number:: number,

  // A Kubernetes object name that must be a DNS-1123 label: namespaces,
  // the cluster's name.
  dnsLabel:: check(isDNS1123Label, function(v) '%s is not a DNS-1123 label (%s)' % [quote(v), dnsLabelRule]),

  // A Kubernetes object name that must be a DNS-1123 subdomain: most object
  // names (StorageClasses, Velero schedules).
  dnsSubdomain:: check(isDNS1123Subdomain, function(v)
    '%s is not a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", each dot-separated part starting and ending with a letter or digit, at most 253 characters)' % quote(v)),

  nonEmpty:: check(function(v) v != '', function(v) 'must not be empty'),

  // A Prometheus label value: any string but the empty one, which means
  // "no label".
  labelValue:: check(function(v) v != '', function(v) 'must not be empty (an empty label value is no label)'),

  // The value of an alerting rule's label (a severity): a label value that
  // Prometheus, which expands alert labels as Go templates, keeps as it is.
  alertLabelValue(v)::
    if v == '' then 'must not be empty (an empty label value is no label)'
    else if std.length(std.split(v, '{{')) > 1 then '%s must not contain "{{" (alert labels are templates: it would be expanded)' % quote(v)
    else null,

  // A Prometheus label name, legacy syntax, not reserved.
  labelName(v)::
    if !isLabelName(v) then '%s is not a Prometheus label name (letters, digits and "_", not starting with a digit)' % quote(v)
    else if std.startsWith(v, '__') then '%s is a reserved label name (names starting with "__" are for Prometheus\' internal use)' % quote(v)
    else null,

  duration(v)::
    local d = parseDuration(v);
    if d.bad then '%s is not a Prometheus duration (e.g. "30m", "1h30m", "15d")' % quote(v)
    else if d.ms > maxDurationMs then '%s is out of range for a Prometheus duration (at most 292y24w3d23h47m16s854ms, 2^63-1 nanoseconds)' % quote(v)
    else null,

  byteSize(v)::
    local b = parseByteSize(v);
    if b.bad then '%s is not a size in bytes (e.g. "50GB", "512MiB")' % quote(v)
    else if b.over then '%s is out of range for a size in bytes (less than 8EiB)' % quote(v)
    else null,

  // A Kubernetes quantity, a string or a number, >= 0 (resource requests and
  // limits); positive=true also rejects 0 (a volume's size).
  quantity(positive=false)::
    function(v)
      if std.isNumber(v) then
        if v < 0 || (positive && v == 0) then '%s: expected a quantity %s' % [number(v), if positive then '> 0' else '>= 0']
        else if v >= max63 then '%s: expected a quantity less than 2^63 (a larger one is capped)' % number(v)
        else null
      else
        local q = parseQuantity(v);
        if q.bad then '%s is not a Kubernetes quantity (e.g. "200Gi", "500m", "2")' % quote(v)
        else if q.negative then '%s: expected a quantity >= 0' % quote(v)
        else if positive && q.zero then '%s: expected a quantity > 0' % quote(v)
        else if q.over then '%s is out of range for a Kubernetes quantity (less than 2^63, 8Ei; a larger one is capped)' % quote(v)
        else null,

  // A whole number that becomes an int32 field (replicas).
  int32:: check(
    function(v) v >= 0 && v <= 2147483647 && v == std.floor(v),
    function(v) '%s: expected a whole number from 0 to 2147483647' % number(v),
  ),

  // A threshold in seconds, rendered into PromQL: whole, positive, at most
  // 10 years (a larger one is a unit mistake: milliseconds, or minutes
  // written as seconds).
  seconds:: check(
    function(v) v >= 1 && v <= 315360000 && v == std.floor(v),
    function(v) '%s: expected a whole number of seconds from 1 to 315360000 (10 years)' % number(v),
  ),

  // A ratio threshold, rendered into PromQL.
  ratio:: check(
    function(v) v > 0 && v < 1,
    function(v) '%s: expected a ratio greater than 0 and less than 1' % number(v),
  ),

  nonEmptyList:: check(function(v) v != [], function(v) 'must not be empty'),

  // An http(s) URL, or the start of one, that goes into an annotation as it
  // is (vars.rules.runbookURLRewrite): no white space and no "{{", since
  // Prometheus expands annotations as Go templates.
  url(v)::
    local ok =
      (std.startsWith(v, 'https://') || std.startsWith(v, 'http://'))
      && std.length(std.split(v, '{{')) == 1
      && std.length(v) <= 2048
      && std.all([c > ' ' && c != '\u007f' for c in std.stringChars(v)]);
    if ok then null
    else '%s is not an http:// or https:// URL (no spaces and no "{{")' % quote(v),

  // A whole number from lo to hi (weights, seconds fields of Kubernetes
  // objects).
  wholeNumber(lo, hi)::
    check(
      function(v) v >= lo && v <= hi && v == std.floor(v),
      function(v) '%s: expected a whole number from %s to %s' % [number(v), number(lo), number(hi)],
    ),

  // A percentage threshold, rendered into PromQL.
  percent:: check(
    function(v) v >= 0 && v <= 100,
    function(v) '%s: expected a percentage from 0 to 100' % number(v),
  ),

  // A Kubernetes label key (and the key of a node selector, a taint, a
  // topology key): an optional DNS-1123 subdomain prefix and "/", then a
  // name of at most 63 letters, digits, "-", "_" or ".", starting and
  // ending with a letter or digit.
  labelKey:: check(isLabelKey, function(v)
    '%s is not a Kubernetes label key (an optional DNS-1123 subdomain and "/", then at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit)' % quote(v)),

  // A Kubernetes label value (of a node selector, a toleration, a label
  // selector): empty, or at most 63 letters, digits, "-", "_" or ".",
  // starting and ending with a letter or digit.
  k8sLabelValue:: check(function(v) v == '' || isQualifiedName(v), function(v)
    '%s is not a Kubernetes label value (at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit; or empty)' % quote(v)),

  // The key of a Secret's entry (k8s.io/apimachinery IsConfigMapKey).
  secretKey:: check(
    function(v) std.length(v) >= 1 && std.length(v) <= 253 && only(v, lower + upper + digits + '-_.') && v != '.' && v != '..',
    function(v) '%s is not a key of a Secret (letters, digits, "-", "_" and ".", at most 253 characters)' % quote(v),
  ),

  // An http:// or https:// URL with a host, without white space (a URL
  // Prometheus or Grafana shows and links to).
  httpURL:: function(v) local cred = noURLCredentials(v); if cred != null then cred else httpURLShape(v),

  // A URL with no credentials in it (of any scheme, or none).
  noURLCredentials:: noURLCredentials,

  // An image registry: a host (letters, digits, "-" and "."), an optional
  // port, and an optional path of lowercase components, e.g.
  // "registry.internal:5000" or "harbor.example.com/mirror".
  imageRegistry:: check(isRegistry, function(v)
    '%s is not an image registry (a host with an optional ":port" and "/path", e.g. "registry.internal:5000" or "harbor.example.com/mirror", without "https://")' % quote(v)),

  // A complete image reference: a registry, a repository and a tag or
  // digest; nothing a container runtime would refuse outright.
  imageReference:: check(
    function(v)
      v != '' && std.length(v) <= 1024 && noSpace(v) && std.length(std.findSubstr('://', v)) == 0
      && !std.member(['/', '-', '.', ':', '@'], v[0]) && !std.member(['/', ':', '@'], v[std.length(v) - 1]),
    function(v) '%s is not an image reference (e.g. "registry.internal:5000/grafana/grafana:12.1.0")' % quote(v),
  ),

  // One of Prometheus' feature flags (--enable-feature takes them
  // comma-separated, so one never holds a comma).
  featureName:: check(
    function(v) v != '' && std.length(v) <= 253 && only(v, lower + upper + digits + '-_.'),
    function(v) '%s is not a feature name (letters, digits, "-", "_" and ".", e.g. "exemplar-storage")' % quote(v),
  ),

  // A Grafana plugin to install (GF_INSTALL_PLUGINS, comma-separated): an
  // id, optionally a space and a version, or "<url>;<id>".
  grafanaPlugin:: check(
    function(v)
      local parts = std.split(v, ' ');
      v != '' && std.length(v) <= 2048 && std.length(std.findSubstr(',', v)) == 0
      && std.length(parts) <= 2 && std.all([p != '' && noSpace(p) for p in parts]),
    function(v) '%s is not a Grafana plugin (an id, optionally a space and a version, or "<url>;<id>"; no ",")' % quote(v),
  ),

  // A runbook URL pattern, formatted with `pattern % alertName` and written
  // into the runbook_url annotation, which Prometheus expands as a Go
  // template: an http(s) URL with exactly one %s, every other "%" written
  // "%%", no white space and no "{{".
  runbookURLPattern(v)::
    local directives = std.split(std.strReplace(v, '%%', ''), '%');
    local ok =
      (std.startsWith(v, 'https://') || std.startsWith(v, 'http://'))
      && std.length(directives) == 2 && std.startsWith(directives[1], 's')
      && std.length(std.split(v, '{{')) == 1
      && std.length(v) <= 2048
      && std.all([c > ' ' && c != '\u007f' for c in std.stringChars(v)]);
    if ok then null
    else '%s is not a runbook URL pattern (an http:// or https:// URL with exactly one "%%s" for the alert name, any other "%%" written "%%%%", no spaces and no "{{")' % quote(v),
}
