package alertmanager

import (
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// kube-prometheus v0.18.0's own configuration: it must pass.
const upstream = `global:
  resolve_timeout: 5m
inhibit_rules:
- equal: [namespace, alertname]
  source_matchers: ["severity = critical"]
  target_matchers: ["severity =~ warning|info"]
- equal: [namespace]
  source_matchers: ["alertname = InfoInhibitor"]
  target_matchers: ["severity = info"]
receivers:
- name: Default
- name: Watchdog
- name: Critical
- name: "null"
route:
  group_by: [namespace]
  receiver: Default
  routes:
  - matchers: ["alertname = Watchdog"]
    receiver: Watchdog
  - matchers: ["alertname = InfoInhibitor"]
    receiver: "null"
  - matchers: ["severity = critical"]
    receiver: Critical
`

func TestCheckText(t *testing.T) {
	tests := []struct {
		name, text, source string
		want               []string
	}{
		{name: "upstream's configuration", text: upstream},
		{
			name: "the loader's message, located at the vars key",
			text: "route:\n  receiver: a\nreceivers:\n- name: b\n", source: "vars.alertmanager.config",
			want: []string{`vars.alertmanager.config: Alertmanager's configuration loader: undefined receiver "a" used in route`},
		},
		{
			name: "the loader's message, in a configuration not from vars",
			text: "route:\n  receiver: a\n  matchers: ['x=\"y\"']\nreceivers:\n- name: a\n",
			want: []string{`alertmanager.yaml: Alertmanager's configuration loader: root route must not have any matchers`},
		},
		{
			name: "no route",
			text: "receivers:\n- name: a\n",
			want: []string{`alertmanager.yaml: Alertmanager's configuration loader: no routes provided`},
		},
		{
			name: "unused receivers, a child after a catch-all, contradicting matchers",
			text: `route:
  receiver: a
  routes:
  - matchers: ['severity="critical"']
    receiver: a
    routes:
    - matchers: ['severity="warning"']
  - matchers: ['team="x"', 'team=~"y|z"']
  - receiver: a
  - matchers: ['team="y"']
receivers:
- name: a
- name: unused
`,
			want: []string{
				`route.routes[0].routes[0]: can never match: matcher severity="warning" contradicts a parent route's severity="critical"`,
				`route.routes[1]: can never match: matcher team="x" contradicts its own team=~"y|z"`,
				`route.routes[3]: can never match: route.routes[2] before it takes every alert that reaches it (no matchers, no continue)`,
				`receivers[1] ("unused"): receiver "unused" is used by no route`,
			},
		},
		{
			name: "a catch-all with continue hides nothing; != and regexps are no contradiction",
			text: `route:
  receiver: a
  routes:
  - receiver: b
    continue: true
  - matchers: ['severity!="info"']
    routes:
    - matchers: ['severity="critical"', 'team=~"a|b"']
receivers:
- name: a
- name: b
`,
		},
		{
			name:   "vars keys for a configuration rendered from vars (the library's two routes first)",
			source: "vars.alertmanager.config",
			text: `route:
  receiver: a
  routes:
  - matchers: ['alertname="Watchdog"']
    receiver: "null"
  - matchers: ['alertname="InfoInhibitor"']
    receiver: "null"
  - receiver: a
  - matchers: ['x="y"']
    receiver: a
receivers:
- name: a
- name: "null"
- name: team-b.x
`,
			want: []string{
				`vars.alertmanager.config.route.routes[1]: can never match: vars.alertmanager.config.route.routes[0] before it takes every alert that reaches it (no matchers, no continue)`,
				`vars.alertmanager.config.receivers["team-b.x"]: receiver "team-b.x" is used by no route`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, p := range CheckText(tt.text, tt.source) {
				got = append(got, p.String())
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

// Check finds the configuration in stringData or data (base64), takes the
// vars key from the annotation, and ignores other objects.
func TestCheckSecret(t *testing.T) {
	bad := "route:\n  receiver: a\n"
	obj := func(v any) json.RawMessage {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	want := `Alertmanager's configuration loader: undefined receiver "a" used in route`
	cases := []struct {
		name  string
		obj   json.RawMessage
		field string // "" : no problem
	}{
		{"stringData", obj(map[string]any{"kind": "Secret", "stringData": map[string]string{Key: bad}}), Key},
		{"data", obj(map[string]any{"kind": "Secret", "data": map[string]string{Key: base64.StdEncoding.EncodeToString([]byte(bad))}}), Key},
		{"annotated", obj(map[string]any{"kind": "Secret", "metadata": map[string]any{"annotations": map[string]string{SourceAnnotation: "vars.alertmanager.config"}}, "stringData": map[string]string{Key: bad}}), "vars.alertmanager.config"},
		{"other key", obj(map[string]any{"kind": "Secret", "stringData": map[string]string{"other.yaml": bad}}), ""},
		{"ConfigMap", obj(map[string]any{"kind": "ConfigMap", "data": map[string]string{Key: bad}}), ""},
	}
	for _, c := range cases {
		ps := Check(c.obj)
		if c.field == "" {
			if len(ps) != 0 {
				t.Errorf("%s: got %v, want no problem", c.name, ps)
			}
			continue
		}
		if len(ps) != 1 || ps[0].Field != c.field || ps[0].Msg != want {
			t.Errorf("%s: got %#v, want one problem at %s: %s", c.name, ps, c.field, want)
		}
	}
}
