package libtest

import (
	"reflect"
	"testing"
)

// Messages of the checks, as the schema words them.
const (
	notDNSLabel     = ` is not a DNS-1123 label (lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters)`
	notDNSSubdomain = ` is not a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", each dot-separated part starting and ending with a letter or digit, at most 253 characters)`
	notDuration     = ` is not a Prometheus duration (e.g. "30m", "1h30m", "15d")`
	durationRange   = ` is out of range for a Prometheus duration (at most 292y24w3d23h47m16s854ms, 2^63-1 nanoseconds)`
	notQuantity     = ` is not a Kubernetes quantity (e.g. "200Gi", "500m", "2")`
	notLabelName    = ` is not a Prometheus label name (letters, digits and "_", not starting with a digit)`
	notInt32        = `: expected a whole number from 0 to 2147483647`
	notSeconds      = `: expected a whole number of seconds from 1 to 315360000 (10 years)`
	notRunbookURL   = ` is not a runbook URL pattern (an http:// or https:// URL with exactly one "%s" for the alert name, any other "%" written "%%", no spaces and no "{{")`
	hiddenField     = ": hidden field (declared with `::`): use `:`"
)

// problemsCase is a vars file and exactly the problems it has, in order.
type problemsCase struct {
	name string
	vars string
	want []string
}

func checkProblems(t *testing.T, tests []problemsCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := newStack(t, tt.vars).problems()
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems:%s\nwant:%s", joinLines(got), joinLines(tt.want))
			}
		})
	}
}

// Hidden fields, at any depth, and null where a key does not take it are
// problems with the key's path, and the default stands in so that every
// other problem is still found (issue 9, item 9).
func TestHiddenFieldsAndNulls(t *testing.T) {
	checkProblems(t, []problemsCase{
		{
			name: "hidden fields anywhere",
			vars: `{ cluster: { name: 'a' },
				prometheus: { replicas:: 5, externalLabels: { team:: 'x' }, remoteWrite: [{ url: 'http://x', headers: { 'X-A':: 'b' } }] },
				mixins: { velero: { enabled: true, namespace:: 'v' } },
				extra:: 1,
				rules: { disable:: ['x'] },
			}`,
			want: []string{
				`vars.extra` + hiddenField,
				`vars.extra: unknown key (valid keys: alertmanager, cluster, grafana, kubelet, mixins, namespace, prometheus, rules)`,
				`vars.mixins.velero.namespace` + hiddenField,
				`vars.prometheus.externalLabels.team` + hiddenField,
				`vars.prometheus.remoteWrite[0].headers.X-A` + hiddenField,
				`vars.prometheus.replicas` + hiddenField,
				`vars.rules.disable` + hiddenField,
			},
		},
		{
			name: "a hidden enabled enables nothing; a hidden typo gets its suggestion",
			vars: "{ cluster: { name: 'a' }, mixins: { velero: { enabled:: true } }, prometheus: { replcas:: 2 } }",
			want: []string{
				`vars.mixins.velero.enabled` + hiddenField,
				`vars.prometheus.replcas` + hiddenField,
				`vars.prometheus.replcas: unknown key (did you mean "replicas"?)`,
			},
		},
		{
			name: "null records, and every other problem still found",
			vars: "{ cluster: { name: 'a' }, prometheus: null, mixins: { velero: null }, kubelet: { probesDuplicateFix: null }, alertmanager: { replicas: 'x' } }",
			want: []string{
				`vars.alertmanager.replicas: expected number, got string "x"`,
				`vars.kubelet.probesDuplicateFix: expected one of "metricRelabelings", "dropEndpoint", "off", got null`,
				`vars.mixins.velero: expected object, got null`,
				`vars.prometheus: expected object, got null`,
			},
		},
		{
			name: "null cluster",
			vars: "{ cluster: null }",
			want: []string{`vars.cluster: expected object, got null`},
		},
		{
			name: "null vars",
			vars: "null",
			want: []string{`vars: expected object, got null`},
		},
		{
			name: "list items are never null",
			vars: "{ cluster: { name: 'a' }, prometheus: { extraNamespaces: ['payments', null], remoteWrite: [null] } }",
			want: []string{
				`vars.prometheus.extraNamespaces[1]: expected string, got null`,
				`vars.prometheus.remoteWrite[0]: expected object, got null`,
			},
		},
	})
}
