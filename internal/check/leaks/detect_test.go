package leaks

import (
	"reflect"
	"testing"
)

func TestDetect(t *testing.T) {
	for _, tt := range []struct {
		name, value string
		want        []hit // nil: nothing found
	}{
		// Positives.
		{"Slack webhook", "global:\n  slack_api_url: https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXX\n",
			[]hit{{2, "a Slack webhook URL (hooks.slack.com/…, its path is the token)"}}},
		{"Teams webhook", `{"url": "https://contoso.webhook.office.com/webhookb2/abc@def/IncomingWebhook/123/456"}`,
			[]hit{{1, "a Microsoft Teams webhook URL (webhook.office.com/webhookb2/…)"}}},
		{"Teams workflow", "webhook_url: 'https://prod-1.westeurope.logic.azure.com:443/workflows/1/triggers/manual/paths/invoke?api-version=2016-06-01&sig=abcDEF'",
			[]hit{{1, "a Teams workflow URL with its signature (sig=)"}, {1, "a URL with a credential in its query (sig=)"}, {1, "a value for `webhook_url`"}}},
		{"user:password@", "url: https://alice:s3cr3t@mimir.example.com/api/v1/push",
			[]hit{{1, "a URL with a password (user:password@)"}}},
		{"token= in a query", "url: https://api.example.com/alert?token=abc123", []hit{{1, "a URL with a credential in its query (token=)"}}},
		{"key= in a query", "- url: http://hook.example.com/x?a=b&key=abc123\n", []hit{{1, "a URL with a credential in its query (key=)"}}},
		{"auth_password: YAML", "receivers:\n- name: mail\n  email_configs:\n  - auth_password: hunter2\n",
			[]hit{{4, "a value for `auth_password`"}}},
		{"quoted YAML key", `"auth_password": "hunter2"`, []hit{{1, "a value for `auth_password`"}}},
		{"admin_password = INI", "[security]\nadmin_user = admin\nadmin_password = hunter2\n", []hit{{3, "a value for `admin_password`"}}},
		{"routing_key:", "pagerduty_configs:\n- routing_key: 0123456789abcdef\n", []hit{{2, "a value for `routing_key`"}}},
		{"compact JSON", `{"name":"x","secureJsonData":{"basicAuthPassword":"hunter2"}}`, []hit{{1, "a value for `basicAuthPassword`"}}},
		{".env", "DB_HOST=db\nDB_PASSWORD=hunter2\n", []hit{{2, "a value for `DB_PASSWORD`"}}},
		{"api_key, bot_token, client_secret", "api_key: a1\nbot_token: b2\nclient_secret: c3\n",
			[]hit{{1, "a value for `api_key`"}, {2, "a value for `bot_token`"}, {3, "a value for `client_secret`"}}},
		{"private key", "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----\n", []hit{{1, "a private key"}}},
		{"PKCS#8 and OpenSSH keys", "-----BEGIN PRIVATE KEY-----\nx\n-----BEGIN OPENSSH PRIVATE KEY-----\n",
			[]hit{{1, "a private key"}, {3, "a private key"}}},
		{"AWS key id", "aws_access_key_id = AKIAIOSFODNN7EXAMPLE", []hit{{1, "an AWS access key ID (AKIA…)"}}},
		{"GitHub token", "x ghp_abcdefghijklmnopqrstuvwxyz0123456789", []hit{{1, "a GitHub token (ghp_…)"}}},
		{"Slack token", "bot: xoxb-1234567890-abcdefghij", []hit{{1, "a Slack token (xox…)"}}},

		// Negatives.
		{"*_file paths", "auth_password_file: /etc/alertmanager/secrets/smtp/password\nrouting_key_file: /etc/am/pd\nbot_token_file: /x\napi_key_file: /y\ncredentials_file: /z\n", nil},
		{"Grafana's variables", `{"secureJsonData": {"basicAuthPassword": "$KPGEN_DATASOURCE_0_basicAuthPassword", "token": "${TOKEN}", "password": "$__file{/etc/secrets/pw}"}}`, nil},
		{"empty and null values", "password: ''\ntoken: null\nsecret: \napi_key: ~\n", nil},
		{"names that only contain a credential word", "secret_name: am\ntoken_url: https://auth.example.com/token\nsecretName: x\npasswordKey: admin-password\n", nil},
		{"a URL without a password", "url: http://prometheus-k8s.monitoring.svc:9090\nurl2: https://user@example.com/x\n", nil},
		{"an empty query credential", "https://x.example.com/?token=&key=$KEY", nil},
		{"templates", "text: '{{ .CommonAnnotations.summary }}'\npassword: '{{ .Values.pw }}'\n", nil},
		{"a plain slack channel", "channel: '#alerts'\nsend_resolved: true\n", nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := detect(tt.value); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("detect:\n got  %v\n want %v", got, tt.want)
			}
		})
	}
}

// Upstream's own Secrets (kube-prometheus v0.18.0's alertmanager-main with
// its null receivers, grafana-config, grafana-datasources: the stand-in's
// copies) hold no credential.
func TestUpstreamSecretsPass(t *testing.T) {
	for _, v := range []string{upstreamAlertmanager, "[date_formats]\ndefault_timezone = UTC\n", upstreamDatasources} {
		if got := detect(v); got != nil {
			t.Errorf("%v in\n%s", got, v)
		}
	}
}

const upstreamAlertmanager = `"global":
  "resolve_timeout": "5m"
"inhibit_rules":
- "equal":
  - "namespace"
  - "alertname"
  "source_matchers":
  - "severity = critical"
  "target_matchers":
  - "severity =~ warning|info"
"receivers":
- "name": "Default"
- "name": "Watchdog"
- "name": "Critical"
- "name": "null"
"route":
  "group_by":
  - "namespace"
  "group_interval": "5m"
  "group_wait": "30s"
  "receiver": "Default"
  "repeat_interval": "12h"
  "routes":
  - "matchers":
    - "alertname = Watchdog"
    "receiver": "Watchdog"`

const upstreamDatasources = `{
    "apiVersion": 1,
    "datasources": [
        {
            "access": "proxy",
            "editable": false,
            "name": "prometheus",
            "orgId": 1,
            "type": "prometheus",
            "url": "http://prometheus-k8s.monitoring.svc:9090",
            "version": 1
        }
    ]
}`
