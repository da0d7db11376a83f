package libtest

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// promtool returns promtool's path, failing the test when it is missing (as
// internal/mixintest does: the rule tests are part of the suite).
func promtool(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("promtool")
	if err != nil {
		t.Fatalf("promtool not found in PATH (%v): install it with `apt-get install prometheus` (Debian/Ubuntu)", err)
	}
	return p
}

// writeRuleFiles writes each rendered PrometheusRule's groups as a
// Prometheus rule file into dir, returning the file names.
func writeRuleFiles(t *testing.T, files map[string]map[string]any, dir string) []string {
	t.Helper()
	var names []string
	for path, o := range files {
		if o["kind"] != "PrometheusRule" {
			continue
		}
		j, err := json.Marshal(map[string]any{"groups": get(o, "spec", "groups")})
		if err != nil {
			t.Fatal(err)
		}
		y, err := yaml.JSONToYAML(j)
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(path), ".yaml") + ".rules.yaml"
		if err := os.WriteFile(filepath.Join(dir, name), y, 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// The rules as vars.rules leaves them pass `promtool check rules` and behave
// as written in Prometheus' own rule engine (`promtool test rules`): an
// overridden expression and `for`, an alert label on every alert but not
// over a rule's own, a rule disabled by severity, a recording rule's
// expression, the cluster's own groups.
func TestRulesPromtool(t *testing.T) {
	bin := promtool(t)
	files := newStack(t, `{ cluster: { name: 'test' }, rules: {
		groups: {
			'sre.rules': { interval: '1m', rules: [
				{ alert: 'SREDown', expr: 'up{job="sre"} == 0', 'for': '5m', labels: { severity: 'critical', team: 'sre' },
				  annotations: { summary: 'SRE is down.', description: '{{ $labels.instance }} is down.' } },
				{ record: 'job:up:sum', expr: 'sum by (job) (up)' },
			] },
		},
		alertLabels: { team: 'platform' },
		override: {
			TargetDown: { expr: 'avg by (job) (1 - up) > 0.5', 'for': '20m', annotations: { description: '{{ $labels.job }} is down.' } },
			KubeletClientCertificateExpiration: { bySeverity: { warning: { disable: true }, critical: { labels: { page: 'true' } } } },
			'node:kubelet_running_pods:sum': { expr: 'count by (node) (kubelet_running_pods)' },
		},
	} }`).files()
	dir := t.TempDir()
	ruleFiles := writeRuleFiles(t, files, dir)
	if out, err := run(dir, bin, append([]string{"check", "rules"}, ruleFiles...)...); err != nil {
		t.Fatalf("promtool check rules: %v\n%s", err, out)
	}
	test := `rule_files: [` + strings.Join(ruleFiles, ", ") + `]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'up{job="sre", instance="sre-1"}'
        values: '0x30'
      - series: 'up{job="api", instance="api-1"}'
        values: '0x30'
      - series: 'up{job="api", instance="api-2"}'
        values: '1x30'
      - series: 'kubelet_certificate_manager_client_ttl_seconds{job="kubelet", metrics_path="/metrics", node="n1"}'
        values: '3600x30'
      - series: 'kubelet_running_pods{job="kubelet", metrics_path="/metrics", node="n1", instance="a"}'
        values: '7x30'
      - series: 'kubelet_running_pods{job="kubelet", metrics_path="/metrics", node="n1", instance="b"}'
        values: '9x30'
    alert_rule_test:
      # The cluster's own alert keeps its own team label.
      - eval_time: 4m
        alertname: SREDown
      - eval_time: 10m
        alertname: SREDown
        exp_alerts:
          - exp_labels: { alertname: SREDown, severity: critical, team: sre, job: sre, instance: sre-1 }
            exp_annotations: { summary: SRE is down., description: sre-1 is down. }
      # TargetDown's new expression (jobs at least half down) and for (20m).
      - eval_time: 15m
        alertname: TargetDown
      - eval_time: 25m
        alertname: TargetDown
        exp_alerts:
          - exp_labels: { alertname: TargetDown, severity: warning, team: platform, job: sre }
            exp_annotations:
              description: sre is down.
              summary: Some scrape targets cannot be reached.
              runbook_url: https://runbooks.example.org/kube-prometheus-standin/general/targetdown
      # Only the critical rule of the name is left, with its page label.
      - eval_time: 5m
        alertname: KubeletClientCertificateExpiration
        exp_alerts:
          - exp_labels: { alertname: KubeletClientCertificateExpiration, severity: critical, page: "true", team: platform, node: n1 }
            exp_annotations:
              summary: A kubelet client certificate is close to expiry.
              description: The client certificate of the kubelet on n1 is valid for only 1h 0m 0s more.
              runbook_url: https://runbooks.example.org/kube-prometheus-standin/kubernetes/kubeletclientcertificateexpiration
    promql_expr_test:
      # The recording rule's new expression: count, not sum; no alert labels.
      - expr: node:kubelet_running_pods:sum
        eval_time: 5m
        exp_samples:
          - labels: 'node:kubelet_running_pods:sum{node="n1"}'
            value: 2
      - expr: job:up:sum{job="api"}
        eval_time: 5m
        exp_samples:
          - labels: 'job:up:sum{job="api"}'
            value: 1
`
	if err := os.WriteFile(filepath.Join(dir, "test.yaml"), []byte(test), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := run(dir, bin, "test", "rules", "test.yaml"); err != nil {
		t.Fatalf("promtool test rules: %v\n%s", err, out)
	}
}

func run(dir, bin string, args ...string) (string, error) {
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return string(out), err
}
