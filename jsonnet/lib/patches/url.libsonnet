// parse(url): the parts of an http(s) URL (checked by checks.httpURL) that
// Prometheus' configuration takes apart: scheme, host:port (the scheme's
// default port when none is given) and path (no trailing "/"; "" for none).
{
  parse(u)::
    local scheme = if std.startsWith(u, 'https://') then 'https' else 'http';
    local rest = std.substr(u, std.length(scheme) + 3, std.length(u));
    local noQuery = std.split(std.split(rest, '?')[0], '#')[0];
    local parts = std.split(noQuery, '/');
    local host = parts[0];
    local path = std.rstripChars(std.join('/', [''] + parts[1:]), '/');
    local hasPort = std.length(std.split(host, ':')) > 1 && !std.endsWith(host, ']');
    {
      scheme: scheme,
      hostPort: if hasPort then host else host + (if scheme == 'https' then ':443' else ':80'),
      path: path,
    },
}
