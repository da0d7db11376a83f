package libtest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/kpgen/kpgen/internal/check/alertmanager"
)

// Issue 11, Alertmanager's configuration from vars.alertmanager.config
// (patches/alertmanager-config.libsonnet): the alertmanager-main Secret's
// alertmanager.yaml, Secret references as *_file fields, the Secrets in the
// Alertmanager's spec.secrets.

const (
	amSecret   = "manifests/alertmanager-secret.yaml"
	amResource = "manifests/alertmanager-alertmanager.yaml"
)

// amConfigOf returns the alertmanager.yaml text of rendered files.
func amConfigOf(t *testing.T, files map[string]map[string]any) string {
	t.Helper()
	s, _ := get(files[amSecret], "stringData", "alertmanager.yaml").(string)
	if s == "" {
		t.Fatalf("%s has no stringData.alertmanager.yaml", amSecret)
	}
	return s
}

// decodeYAML decodes a configuration as JSON does (numbers float64).
func decodeYAML(t *testing.T, text string) map[string]any {
	t.Helper()
	var v map[string]any
	if err := yaml.Unmarshal([]byte(text), &v); err != nil {
		t.Fatalf("%v\n%s", err, text)
	}
	return v
}

// Every receiver type, references, time intervals, inhibit rules and the
// watchdog: byte for byte against testdata/alertmanager.yaml (refresh with
// -update), accepted by Alertmanager's loader and the lint, the Secrets in
// spec.secrets, the source annotation on the Secret.
func TestAlertmanagerConfigGolden(t *testing.T) {
	files := newStack(t, amEveryReceiver).files()
	got := amConfigOf(t, files)
	golden := filepath.Join("testdata", "alertmanager.yaml")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if got != string(want) {
		t.Errorf("alertmanager.yaml differs from %s (run with -update and review the diff):\n%s", golden, got)
	}
	if ps := alertmanager.CheckText(got, "vars.alertmanager.config"); len(ps) != 0 {
		t.Errorf("the rendered configuration has problems: %v", ps)
	}
	secrets := get(files[amResource], "spec", "secrets")
	wantSecrets := []any{"am-dms", "am-email", "am-opsgenie", "am-pagerduty", "am-slack", "am-teams", "am-webhook"}
	if !reflect.DeepEqual(secrets, wantSecrets) {
		t.Errorf("spec.secrets = %v, want %v", secrets, wantSecrets)
	}
	if a := get(files[amSecret], "metadata", "annotations", alertmanager.SourceAnnotation); a != "vars.alertmanager.config" {
		t.Errorf("annotation %s = %v", alertmanager.SourceAnnotation, a)
	}
}

const amEveryReceiver = `{
  cluster: { name: 'amtest' },
  alertmanager: { config: {
    global: { smtp_smarthost: 'smtp.example.com:587', smtp_from: 'alerts@example.com', smtp_auth_username: 'alerts', smtp_auth_password: { name: 'am-email', key: 'password' } },
    route: {
      receiver: 'team-slack',
      routes: [
        { matchers: ['severity = "critical"'], receiver: 'pager', continue: true },
        { matchers: ['severity = "critical"'], receiver: 'opsgenie', active_time_intervals: ['business-hours'] },
        { matchers: ['namespace = "payments"'], receiver: 'payments', mute_time_intervals: ['maintenance'],
          routes: [{ matchers: ['alertname = "PaymentsAPIDown"'], receiver: 'hook', group_by: ['...'] }] },
      ],
    },
    receivers: {
      'team-slack': { slack_configs: [{ api_url: { name: 'am-slack', key: 'url' }, channel: '#alerts', send_resolved: true }] },
      pager: { pagerduty_configs: [{ routing_key: { name: 'am-pagerduty', key: 'routing-key' }, severity: 'critical' }] },
      opsgenie: { opsgenie_configs: [{ api_key: { name: 'am-opsgenie', key: 'api-key' }, priority: 'P1', responders: [{ name: 'sre', type: 'team' }] }] },
      payments: {
        email_configs: [{ to: 'payments@example.com' }],
        msteams_configs: [{ webhook_url: { name: 'am-teams', key: 'url' } }],
      },
      hook: { webhook_configs: [{ url: { name: 'am-webhook', key: 'url' }, http_config: { authorization: { credentials: { name: 'am-webhook', key: 'token' } } } }] },
      dms: { webhook_configs: [{ url: { name: 'am-dms', key: 'url' }, send_resolved: false }] },
    },
    time_intervals: {
      'business-hours': [{ weekdays: ['monday:friday'], times: [{ start_time: '09:00', end_time: '17:00' }], location: 'Europe/Berlin' }],
      maintenance: [{ weekdays: ['sunday'], times: [{ start_time: '02:00', end_time: '04:00' }] }],
    },
    watchdog: { receiver: 'dms' },
  } },
}`

// Each credential of each receiver type becomes its *_file field under
// /etc/alertmanager/secrets/<Secret>/<key>; the other fields pass as given.
func TestAlertmanagerReceivers(t *testing.T) {
	tests := []struct {
		name, receiver, want string
	}{
		{"slack", `{ slack_configs: [{ api_url: { name: 's', key: 'url' }, channel: '#a', title: 't' }] }`,
			`{"slack_configs": [{"api_url_file": "/etc/alertmanager/secrets/s/url", "channel": "#a", "title": "t"}]}`},
		{"pagerduty v2", `{ pagerduty_configs: [{ routing_key: { name: 'p', key: 'k' }, details: { cluster: '{{ .CommonLabels.cluster }}' } }] }`,
			`{"pagerduty_configs": [{"routing_key_file": "/etc/alertmanager/secrets/p/k", "details": {"cluster": "{{ .CommonLabels.cluster }}"}}]}`},
		{"pagerduty v1", `{ pagerduty_configs: [{ service_key: { name: 'p', key: 'k' } }] }`,
			`{"pagerduty_configs": [{"service_key_file": "/etc/alertmanager/secrets/p/k"}]}`},
		{"opsgenie", `{ opsgenie_configs: [{ api_key: { name: 'o', key: 'k' }, api_url: 'https://api.eu.opsgenie.com/' }] }`,
			`{"opsgenie_configs": [{"api_key_file": "/etc/alertmanager/secrets/o/k", "api_url": "https://api.eu.opsgenie.com/"}]}`},
		{"email", `{ email_configs: [{ to: 'a@example.com', smarthost: 'smtp:25', auth_username: 'u', auth_password: { name: 'e', key: 'pw' } }] }`,
			`{"email_configs": [{"to": "a@example.com", "smarthost": "smtp:25", "auth_username": "u", "auth_password_file": "/etc/alertmanager/secrets/e/pw"}]}`},
		{"webhook with http_config credentials", `{ webhook_configs: [{ url: { name: 'w', key: 'url' }, max_alerts: 10, http_config: {
			basic_auth: { username: 'u', password: { name: 'w', key: 'pw' } },
			tls_config: { ca: { name: 'w', key: 'ca.crt' } } } }] }`,
			`{"webhook_configs": [{"url_file": "/etc/alertmanager/secrets/w/url", "max_alerts": 10, "http_config": {
			"basic_auth": {"username": "u", "password_file": "/etc/alertmanager/secrets/w/pw"},
			"tls_config": {"ca_file": "/etc/alertmanager/secrets/w/ca.crt"}}}]}`},
		{"msteams", `{ msteams_configs: [{ webhook_url: { name: 't', key: 'url' }, title: 'x' }] }`,
			`{"msteams_configs": [{"webhook_url_file": "/etc/alertmanager/secrets/t/url", "title": "x"}]}`},
		{"oauth2", `{ webhook_configs: [{ url: { name: 'w', key: 'url' }, http_config: { oauth2: { client_id: 'c', client_secret: { name: 'o', key: 's' }, token_url: 'https://idp/token' } } }] }`,
			`{"webhook_configs": [{"url_file": "/etc/alertmanager/secrets/w/url", "http_config": {"oauth2": {"client_id": "c", "client_secret_file": "/etc/alertmanager/secrets/o/s", "token_url": "https://idp/token"}}}]}`},
		{"no integration", `{}`, `{}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars := `{ cluster: { name: 'a' }, alertmanager: { config: { route: { receiver: 'r' }, receivers: { r: ` + tt.receiver + ` } } } }`
			cfg := decodeYAML(t, amConfigOf(t, newStack(t, vars).files()))
			var got any
			for _, r := range cfg["receivers"].([]any) {
				if r.(map[string]any)["name"] == "r" {
					got = r
					delete(r.(map[string]any), "name")
				}
			}
			if want := jsonValue(t, tt.want); !reflect.DeepEqual(got, want) {
				g, _ := json.Marshal(got)
				t.Errorf("receiver r = %s\nwant %s", g, tt.want)
			}
		})
	}
}
