package libtest

import (
	"testing"
)

// A topology setting's values are read only by the objects they change:
// two clusters of the same role and shape, differing in one value, rendered
// through one memo — the second evaluates no more units than it has
// changed files (as TestKnobsReadOnlyWhereUsed does for kube-prometheus'
// knobs).
func TestTopologyReadOnlyWhereUsed(t *testing.T) {
	spoke := func(am string) string {
		return `{ cluster: { name: 's' }, topology: { role: 'spoke' }, prometheus: { alerting: { alertmanagers: [{ url: '` + am + `' }] } } }`
	}
	hub := func(url string) string {
		return `{ cluster: { name: 'h' }, topology: { role: 'hub', spokes: [{ name: 'a', url: '` + url + `' }] } }`
	}
	mgmt := func(api string) string {
		return `{ cluster: { name: 'm' }, topology: { role: 'management', managedClusters: [{ name: 'a', apiServer: '` + api + `' }, { name: 'b', apiServer: 'https://b:6443' }] } }`
	}
	for _, tt := range []struct{ name, a, b string }{
		{"a spoke's Alertmanager URL", spoke("https://am-1.example.com"), spoke("https://am-2.example.com")},
		{"a spoke's datasource URL on the hub", hub("https://a-1.example.com"), hub("https://a-2.example.com")},
		{"a managed cluster's API server", mgmt("https://a-1:6443"), mgmt("https://a-2:6443")},
	} {
		t.Run(tt.name, func(t *testing.T) { readOnlyWhereUsed(t, tt.a, tt.b) })
	}
}
