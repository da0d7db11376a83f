package leaks

import (
	"regexp"
	"strings"
)

// A hit is one credential-looking thing in a Secret's value: what it is
// and on which line, never the value itself.
type hit struct {
	line int
	what string
}

// Well-known formats of tokens and keys, anywhere in a value.
var formats = []struct {
	re   *regexp.Regexp
	what string
}{
	{regexp.MustCompile(`-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----`), "a private key"},
	{regexp.MustCompile(`https://hooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9/_-]+`), "a Slack webhook URL (hooks.slack.com/…, its path is the token)"},
	{regexp.MustCompile(`https://[A-Za-z0-9.-]+\.webhook\.office\.com/webhookb2/[^\s"']+`), "a Microsoft Teams webhook URL (webhook.office.com/webhookb2/…)"},
	{regexp.MustCompile(`https://[A-Za-z0-9.-]+\.logic\.azure\.com[:/][^\s"']*[?&]sig=[^&\s"']+`), "a Teams workflow URL with its signature (sig=)"},
	{regexp.MustCompile(`https://(?:discord(?:app)?\.com)/api/webhooks/[0-9]+/[A-Za-z0-9_-]+`), "a Discord webhook URL"},
	{regexp.MustCompile(`\b(?:AKIA|ASIA)[0-9A-Z]{16}\b`), "an AWS access key ID (AKIA…)"},
	{regexp.MustCompile(`\bgh[pousr]_[A-Za-z0-9]{36,}\b|\bgithub_pat_[A-Za-z0-9_]{22,}`), "a GitHub token (ghp_…)"},
	{regexp.MustCompile(`\bxox[abposr]-[A-Za-z0-9-]{10,}`), "a Slack token (xox…)"},
	{regexp.MustCompile(`\bglpat-[A-Za-z0-9_-]{20,}`), "a GitLab token (glpat-…)"},
	{regexp.MustCompile(`\bAIza[0-9A-Za-z_-]{35}\b`), "a Google API key (AIza…)"},
	{regexp.MustCompile(`\bsk_live_[0-9A-Za-z]{20,}`), "a Stripe secret key (sk_live_…)"},
}

// A URL's user information with a password: scheme://user:password@host.
var userinfo = regexp.MustCompile(`[A-Za-z][A-Za-z0-9+.-]*://([^/\s"'@:]*):([^/\s"'@]+)@[A-Za-z0-9.\[-]`)

// A URL's query parameter that carries a credential.
var queryCred = regexp.MustCompile(`(?i)[?&]((?:access_?|api_?|auth_?|private_?|bearer_?)?(?:token|key|apikey|secret|password|passwd|pwd|sig|signature))=([^&#\s"']*)`)

// A key and its value in YAML, JSON, INI, .env and properties files:
// `key: value`, `"key": "value"`, `key = value`, `KEY=value`.
var assignment = regexp.MustCompile(`(?:^|[\s{,;])["']?([A-Za-z0-9_.\-]+)["']?[ \t]*[:=][ \t]*("(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\s,{}\[\]#;"']*)`)

// credentialKeys are the endings of a key (lowercased, without "_", "-"
// and ".") whose value is a credential. An ending, so that token_url,
// secret_name and password_file (a path) are not taken for one.
var credentialKeys = []string{
	"password", "passwd", "secret", "token", "apikey", "routingkey", "servicekey",
	"accesskey", "secretkey", "privatekey", "credentials", "authkey", "integrationkey",
	"webhookurl", "clientsecret",
}

func credentialKey(k string) bool {
	n := strings.ToLower(strings.NewReplacer("_", "", "-", "", ".", "").Replace(k))
	for _, e := range credentialKeys {
		if strings.HasSuffix(n, e) {
			return true
		}
	}
	return false
}

// reference reports whether a value names where the credential is rather
// than being it: empty, null, a variable Grafana or a shell expands ($X,
// ${X}, $__file{…}, $__env{…}), a template, a placeholder, a path.
func reference(v string) bool {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
		v = strings.TrimSpace(v[1 : len(v)-1])
	}
	switch strings.ToLower(v) {
	case "", "null", "~", "none", "true", "false", "|", "|-", ">", ">-", "{", "[", "{}", "[]", "<secret>", "<redacted>", "changeme":
		return true
	}
	return strings.HasPrefix(v, "$") || strings.HasPrefix(v, "{{") || strings.HasPrefix(v, "/") || strings.HasPrefix(v, "<")
}

// detect finds what looks like a credential in one value of a Secret.
func detect(value string) []hit {
	var hits []hit
	lineOf := func(at int) int { return strings.Count(value[:at], "\n") + 1 }
	seen := map[[2]int]bool{} // line, kind: one report of a kind per line
	add := func(at, kind int, what string) {
		l := lineOf(at)
		if seen[[2]int{l, kind}] {
			return
		}
		seen[[2]int{l, kind}] = true
		hits = append(hits, hit{l, what})
	}
	for i, f := range formats {
		for _, m := range f.re.FindAllStringIndex(value, -1) {
			add(m[0], i, f.what)
		}
	}
	for _, m := range userinfo.FindAllStringSubmatchIndex(value, -1) {
		if pw := value[m[4]:m[5]]; !reference(pw) {
			add(m[0], 100, "a URL with a password (user:password@)")
		}
	}
	for _, m := range queryCred.FindAllStringSubmatchIndex(value, -1) {
		if v := value[m[4]:m[5]]; !reference(v) {
			add(m[0], 101, "a URL with a credential in its query ("+value[m[2]:m[3]]+"=)")
		}
	}
	for _, m := range assignment.FindAllStringSubmatchIndex(value, -1) {
		key, v := value[m[2]:m[3]], value[m[4]:m[5]]
		if credentialKey(key) && !reference(v) {
			add(m[2], 102, "a value for "+quoteKey(key))
		}
	}
	return hits
}

func quoteKey(k string) string { return "`" + k + "`" }
