package cli

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/testutil"
)

// rulesVars uses every kind of vars.rules setting (docs/rules.md).
const rulesVars = `{
  cluster: { name: 'rules' },
  rules: {
    groups: {
      'sre.rules': { rules: [
        { alert: 'SREDown', expr: 'up{job="sre"} == 0', 'for': '5m', labels: { severity: 'critical' } },
        { record: 'job:up:sum', expr: 'sum by (job) (up)' },
      ] },
    },
    disable: ['Watchdog'],
    disableGroups: ['kubelet.rules'],
    override: {
      TargetDown: { 'for': '15m', labels: { team: 'sre' } },
      KubeletClientCertificateExpiration: { bySeverity: { warning: { disable: true } } },
    },
    alertLabels: { routing: 'eu' },
    runbookURLRewrite: { 'https://runbooks.example.org/kube-prometheus-standin/': 'https://wiki.example.com/' },
  },
}
`

// vars.rules end to end through `kpgen build`: the cluster's own
// PrometheusRule is written and listed in kustomization.yaml, the other
// rules are changed; a cluster built with others (sharing work) gets the
// same files as built alone.
func TestBuildRules(t *testing.T) {
	dir := testutil.Project(t, map[string]string{
		"rules.jsonnet": rulesVars,
		"other.jsonnet": strings.Replace(rulesVars, "name: 'rules'", "name: 'other'", 1),
		"plain.jsonnet": "{ cluster: { name: 'plain' } }\n",
	})
	code, stdout, stderr := run("build", "--root", dir, filepath.Join(dir, "vars", "rules.jsonnet"))
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "SUCCESS: rules: 85 files, 9 PrometheusRules, 16 groups, 28 rules (24 alerts, 4 records) written to ") {
		t.Errorf("stdout: %s", stdout)
	}
	out := testutil.Snapshot(t, filepath.Join(dir, "out", "rules"))
	custom := out["manifests/kpgenCustom-prometheusRule.yaml"]
	for _, want := range []string{
		"  name: kpgen-custom-rules\n  namespace: monitoring\n",
		"    prometheus: k8s\n    role: alert-rules\n",
		`  - name: sre.rules
    rules:
    - alert: SREDown
      expr: up{job="sre"} == 0
      for: 5m
      labels:
        routing: eu
        severity: critical
    - expr: sum by (job) (up)
      record: job:up:sum
`,
	} {
		if !strings.Contains(custom, want) {
			t.Errorf("kpgenCustom-prometheusRule.yaml does not contain\n%s\n---\n%s", want, custom)
		}
	}
	if !strings.Contains(out["kustomization.yaml"], "- ./manifests/kpgenCustom-prometheusRule.yaml\n") {
		t.Errorf("kustomization.yaml does not list the cluster's rules:\n%s", out["kustomization.yaml"])
	}
	kp := out["manifests/kubePrometheus-prometheusRule.yaml"]
	if want := `    - alert: TargetDown
      annotations:
        description: About {{ $value | humanize }}% of targets behind {{ $labels.namespace }}/{{ $labels.service }} are failing their scrapes.
        runbook_url: https://wiki.example.com/general/targetdown
        summary: Some scrape targets cannot be reached.
      expr: 100 * avg by (namespace, job, service) (1 - up) > 10
      for: 15m
      labels:
        routing: eu
        severity: warning
        team: sre
  - name: kube-prometheus-general.rules
`; !strings.Contains(kp, want) || strings.Contains(kp, "Watchdog") {
		t.Errorf("kubePrometheus-prometheusRule.yaml: want TargetDown changed and Watchdog gone:\n%s", kp)
	}
	k8s := out["manifests/kubernetesControlPlane-prometheusRule.yaml"]
	if strings.Count(k8s, "alert: KubeletClientCertificateExpiration") != 1 || strings.Contains(k8s, "kubelet.rules") {
		t.Errorf("kubernetesControlPlane-prometheusRule.yaml: want one KubeletClientCertificateExpiration and no kubelet.rules:\n%s", k8s)
	}

	// Three clusters in one run share work; each gets the files it gets alone.
	all := filepath.Join(t.TempDir(), "out")
	if code, o, e := run("build", "--root", dir, "--out", all); code != 0 {
		t.Fatalf("build of every cluster: exit %d\n%s%s", code, o, e)
	}
	shared := testutil.Snapshot(t, filepath.Join(all, "rules"))
	if !reflect.DeepEqual(shared, out) {
		t.Error("the cluster built with others differs from the cluster built alone")
	}
	other := testutil.Snapshot(t, filepath.Join(all, "other"))
	if len(other) != len(out) || other["manifests/kpgenCustom-prometheusRule.yaml"] != custom {
		t.Error("a second cluster with the same rules renders other rules")
	}
	if _, ok := testutil.Snapshot(t, filepath.Join(all, "plain"))["manifests/kpgenCustom-prometheusRule.yaml"]; ok {
		t.Error("a cluster without rules.groups has the cluster's own PrometheusRule")
	}
}

// Hostile overrides: an expression that is not PromQL (one also trying to
// add a rule of its own through YAML), a template that does not parse. They
// pass the vars checks (any string may be an expression) and are caught by
// the validation of the rendered rules, which names file, object, group
// and rule; nothing is written. Names that match nothing are vars
// problems, reported before anything is rendered.
func TestBuildRulesHostile(t *testing.T) {
	tests := []struct {
		name  string
		rules string
		want  []string // the lines of stderr, after the first
	}{
		{
			name: "expressions and templates that do not parse",
			rules: `override: {
				KubeletClientCertificateExpiration: { bySeverity: { critical: { expr: 'sum(rate(up[5m])' } } },
				TargetDown: { expr: 'up\n    - alert: Injected\n      expr: vector(1)' },
				Watchdog: { annotations: { description: '{{ .Broken' } },
			},
			groups: { mine: { rules: [{ record: 'job:up:sum', expr: 'sum(up' }] } }`,
			want: []string{
				`  manifests/kpgenCustom-prometheusRule.yaml: PrometheusRule monitoring/kpgen-custom-rules: group "mine": record "job:up:sum": could not parse expression: 1:7: parse error: unclosed left parenthesis`,
				`  manifests/kubePrometheus-prometheusRule.yaml: PrometheusRule monitoring/kube-prometheus-rules: group "general.rules": alert "TargetDown": could not parse expression: 2:14: parse error: unexpected identifier "Injected"`,
				`  manifests/kubePrometheus-prometheusRule.yaml: PrometheusRule monitoring/kube-prometheus-rules: group "general.rules": alert "Watchdog": annotation "description": template: __alert_Watchdog:1: unclosed action`,
				`  manifests/kubernetesControlPlane-prometheusRule.yaml: PrometheusRule monitoring/kubernetes-monitoring-rules: group "kubernetes-system-kubelet": alert "KubeletClientCertificateExpiration": could not parse expression: 1:17: parse error: unclosed left parenthesis`,
			},
		},
		{
			name:  "names that match nothing",
			rules: "disable: ['WatchDog'], override: { TargetDown: { bySeverity: { critcal: { 'for': '1h' } } } }",
			want: []string{
				`  vars.rules.disable[0]: no rule named "WatchDog" in any PrometheusRule (did you mean "Watchdog"?)`,
				`  vars.rules.override.TargetDown.bySeverity.critcal: no rule named "TargetDown" with severity "critcal" (its severities: "warning")`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := testutil.Project(t, map[string]string{"rules.jsonnet": rulesVars})
			vars := filepath.Join(dir, "vars", "rules.jsonnet")
			if code, o, e := run("build", "--root", dir, vars); code != 0 {
				t.Fatalf("first build: exit %d\n%s%s", code, o, e)
			}
			before := testutil.Snapshot(t, filepath.Join(dir, "out"))
			testutil.WriteFile(t, vars, "{ cluster: { name: 'rules' }, rules: { "+tt.rules+" } }\n")
			code, stdout, stderr := run("build", "--root", dir, vars)
			if code != ExitFailed {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, ExitFailed, stdout, stderr)
			}
			lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			var problems []string
			for _, l := range lines[1:] {
				if strings.HasPrefix(l, "  ") {
					problems = append(problems, l)
				}
			}
			if !reflect.DeepEqual(problems, tt.want) {
				t.Errorf("problems:\n%s\nwant:\n%s\nstderr:\n%s", strings.Join(problems, "\n"), strings.Join(tt.want, "\n"), stderr)
			}
			if len(tt.want) > 0 && strings.HasPrefix(tt.want[0], "  manifests/") && !strings.Contains(lines[0], "nothing written") {
				t.Errorf("stderr does not say nothing was written: %s", lines[0])
			}
			if after := testutil.Snapshot(t, filepath.Join(dir, "out")); !reflect.DeepEqual(before, after) {
				t.Error("out/ changed after a failed build")
			}
			if _, err := os.Stat(filepath.Join(dir, "out", "rules", "manifests", "kpgenCustom-prometheusRule.yaml")); err != nil {
				t.Errorf("the previous build's output is gone: %v", err)
			}
		})
	}
}
