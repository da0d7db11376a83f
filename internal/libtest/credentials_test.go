package libtest

import "testing"

// Credentials inside URLs and headers are problems whose messages never
// show them (a hostile review found them rendered into out/ as they were).
func TestCredentialsInURLsAndHeaders(t *testing.T) {
	checkProblems(t, []problemsCase{
		{
			name: "user:password@ in URLs, credential headers",
			vars: `{ cluster: { name: 'a' },
  prometheus: { remoteWrite: [
    { url: 'https://user:hunter2@mimir.example.com/push', headers: { Authorization: 'Bearer SEKRET2', 'X-Scope-OrgID': 'tenant-1' } },
    { url: 'https://mimir.example.com/push', headers: { 'x-api-key': 'SEKRET3' } },
  ] },
  grafana: { datasources: [{ name: 'pg', type: 'postgres', url: 'admin:SEKRET7@db:5432' }] },
}`,
			want: []string{
				`vars.grafana.datasources[0].url: a URL with credentials in it (user:password@host), not shown: credentials are never values in vars (give them as a Secret reference)`,
				`vars.prometheus.remoteWrite[0].headers.Authorization: the header "Authorization" carries credentials, which are never values in vars: use authorization or basicAuth with a Secret reference`,
				`vars.prometheus.remoteWrite[0].url: a URL with credentials in it (user:password@host), not shown: credentials are never values in vars (give them as a Secret reference)`,
				`vars.prometheus.remoteWrite[1].headers.x-api-key: the header "x-api-key" carries credentials, which are never values in vars: use authorization or basicAuth with a Secret reference`,
			},
		},
	})
}
