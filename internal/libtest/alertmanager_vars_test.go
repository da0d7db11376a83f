package libtest

import (
	"reflect"
	"strings"
	"testing"
)

// The problems of vars.alertmanager.config, exactly: a credential given as
// a value (never shown), keys Alertmanager does not have, bad values.
func TestAlertmanagerProblems(t *testing.T) {
	checkProblems(t, []problemsCase{
		{
			name: "a credential as a plain string, anywhere",
			vars: `{ cluster: { name: 'a' }, alertmanager: { config: {
				global: { slack_api_url: 'https://hooks.slack.com/services/SECRET' },
				route: { receiver: 'r' },
				receivers: { r: {
					slack_configs: [{ api_url: 'https://hooks.slack.com/services/SECRET' }],
					webhook_configs: [{ url: 'https://example.com/hook', http_config: { basic_auth: { username: 'u', password: 'hunter2' } } }],
				} },
			} } }`,
			want: []string{
				`vars.alertmanager.config.global.slack_api_url: expected a reference to an existing Secret ({ name, key }), got string (credentials are never values in vars)`,
				`vars.alertmanager.config.receivers.r.slack_configs[0].api_url: expected a reference to an existing Secret ({ name, key }), got string (credentials are never values in vars)`,
				`vars.alertmanager.config.receivers.r.webhook_configs[0].http_config.basic_auth.password: expected a reference to an existing Secret ({ name, key }), got string (credentials are never values in vars)`,
				`vars.alertmanager.config.receivers.r.webhook_configs[0].url: expected a reference to an existing Secret ({ name, key }), got string (credentials are never values in vars)`,
			},
		},
		{
			name: "a root receiver is required; unknown keys with the closest one",
			vars: `{ cluster: { name: 'a' }, alertmanager: { config: {
				route: { group_by: ['cluster'], routes: [{ receiver: 'x', matcher: ['a="b"'] }] },
				receivers: { x: { slack_config: [] } },
				inhibit_rule: [],
			} } }`,
			want: []string{
				`vars.alertmanager.config.inhibit_rule: unknown key (did you mean "inhibit_rules"?)`,
				`vars.alertmanager.config.receivers.x.slack_config: unknown key (did you mean "slack_configs"?)`,
				`vars.alertmanager.config.route.receiver: required (the receiver of every alert no child route takes)`,
				`vars.alertmanager.config.route.routes[0].matcher: unknown key (did you mean "matchers"?)`,
			},
		},
		{
			name: "values: durations, matchers, references, PagerDuty's key",
			vars: `{ cluster: { name: 'a' }, alertmanager: { config: {
				route: { receiver: 'r', group_wait: '30 s', routes: [{ matchers: ['severity'] }] },
				receivers: { r: {
					pagerduty_configs: [{ url: 'https://events.pagerduty.com/v2/enqueue' }],
					msteams_configs: [{ webhook_url: { name: 'Teams_Secret', key: 'url' } }],
				} },
				watchdog: { receiver: 'r', repeat_interval: 'often' },
			} } }`,
			want: []string{
				`vars.alertmanager.config.receivers.r.msteams_configs[0].webhook_url.name: "Teams_Secret"` + notDNSSubdomain,
				`vars.alertmanager.config.receivers.r.pagerduty_configs[0]: needs exactly one of routing_key (Events API v2) and service_key (v1)`,
				`vars.alertmanager.config.route.group_wait: "30 s"` + notDuration,
				`vars.alertmanager.config.route.routes[0].matchers[0]: "severity" is not a matcher (<label> <op> "<value>", op one of =, !=, =~, !~)`,
				`vars.alertmanager.config.watchdog.repeat_interval: "often"` + notDuration,
			},
		},
	})
}

// Unset, nothing changes: config null renders the same files as no
// alertmanager key at all (vars/upstream-defaults.jsonnet on the real
// kube-prometheus is checked byte for byte against upstream in the
// real-upstream check).
func TestAlertmanagerUnsetRendersAsBefore(t *testing.T) {
	want := newStack(t, minimal).files()
	got := newStack(t, `{ cluster: { name: 'test' }, alertmanager: { config: null } }`).files()
	if !reflect.DeepEqual(got, want) {
		t.Error("alertmanager.config: null changed the rendered files")
	}
	if a := get(want[amSecret], "metadata", "annotations"); a != nil {
		t.Errorf("upstream's Secret got annotations %v", a)
	}
}

// A platform's defaults and preset are layers under the vars: receivers and
// time intervals merge by name, the route key by key, lists are replaced.
func TestAlertmanagerLayers(t *testing.T) {
	s := newStack(t, `{ cluster: { name: 'a', environment: 'production' }, alertmanager: { config: {
		route: { group_wait: '10s' },
		receivers: { team: { slack_configs: [{ api_url: { name: 'team', key: 'url' } }] } },
	} } }`)
	var text string
	s.mustEval(`(import 'kpgen.libsonnet').platform({
		defaults: { alertmanager: { config: {
			route: { receiver: 'ops', routes: [{ matchers: ['team = "x"'], receiver: 'team' }] },
			receivers: { ops: { email_configs: [{ to: 'ops@example.com' }] }, team: {} },
		} } },
		presets: { production: { alertmanager: { config: {
			receivers: { dms: { webhook_configs: [{ url: { name: 'dms', key: 'url' } }] } },
			watchdog: { receiver: 'dms' },
		} } } },
	}).new(vars).files['manifests/alertmanager-secret.yaml'].stringData['alertmanager.yaml']`, &text)
	cfg := decodeYAML(t, text)
	var names []string
	for _, r := range cfg["receivers"].([]any) {
		names = append(names, r.(map[string]any)["name"].(string))
	}
	if want := []string{"dms", "null", "ops", "team"}; !reflect.DeepEqual(names, want) {
		t.Errorf("receivers %v, want %v", names, want)
	}
	route := cfg["route"].(map[string]any)
	if route["receiver"] != "ops" || route["group_wait"] != "10s" || route["repeat_interval"] != "12h" {
		t.Errorf("route %v: want receiver ops (defaults), group_wait 10s (vars), repeat_interval 12h (kpgen's)", route)
	}
	routes := route["routes"].([]any)
	if len(routes) != 3 || routes[0].(map[string]any)["receiver"] != "dms" || routes[2].(map[string]any)["receiver"] != "team" {
		t.Errorf("routes %v: want the watchdog to dms (preset), InfoInhibitor, team (defaults)", routes)
	}
	if !strings.Contains(text, "/etc/alertmanager/secrets/team/url") {
		t.Errorf("the vars' team receiver is not in:\n%s", text)
	}
}
