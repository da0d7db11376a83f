package libtest

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// vars.rules (docs/rules.md): what each setting does to the rendered rules,
// and what is a problem. The rules are the stand-in's; each expected rule
// is the rule as rendered without vars.rules, with a merge patch applied
// (RFC 7386: objects merge, null removes), so every field is compared.

const (
	kpRules      = "manifests/kubePrometheus-prometheusRule.yaml"
	k8sRules     = "manifests/kubernetesControlPlane-prometheusRule.yaml"
	nodeRules    = "manifests/nodeExporter-prometheusRule.yaml"
	customRules  = "manifests/kpgenCustom-prometheusRule.yaml"
	veleroRules  = "manifests/velero-prometheusRule.yaml"
	standinBooks = "https://runbooks.example.org/kube-prometheus-standin/"
)

// baselineVars renders the stand-in with velero and without vars.rules: what
// the expected rules are patches of.
const baselineVars = "{ cluster: { name: 'test' }, mixins: { velero: { enabled: true } } }"

// rulesNamed lists the rules called name (alert or record) in group of a
// rendered PrometheusRule, in order; nil when the group is not there.
func rulesNamed(files map[string]map[string]any, file, group, name string) []map[string]any {
	var out []map[string]any
	groups, _ := get(files[file], "spec", "groups").([]any)
	for _, g := range groups {
		if get(g, "name") != group {
			continue
		}
		for _, r := range get(g, "rules").([]any) {
			r := r.(map[string]any)
			if r["alert"] == name || r["record"] == name {
				out = append(out, r)
			}
		}
	}
	return out
}

func groupNames(files map[string]map[string]any, file string) []string {
	var out []string
	groups, _ := get(files[file], "spec", "groups").([]any)
	for _, g := range groups {
		out = append(out, get(g, "name").(string))
	}
	return out
}

// mergePatch applies an RFC 7386 merge patch to a copy of v.
func mergePatch(v, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	base, _ := v.(map[string]any)
	out := map[string]any{}
	for k, x := range base {
		out[k] = x
	}
	for k, x := range p {
		if x == nil {
			delete(out, k)
		} else {
			out[k] = mergePatch(out[k], x)
		}
	}
	return out
}

func fromYAML(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("%s: %v", s, err)
	}
	return v
}

func toYAML(v any) string {
	b, _ := json.Marshal(v)
	y, _ := yaml.JSONToYAML(b)
	return string(y)
}

// expect is one rendered rule: the rule that had severity from (""
// for a name with one rule) without vars.rules, patched.
type expect struct{ from, patch string }

type ruleWant struct {
	file, group, rule string
	rules             []expect // the rules of that name in that group, in order; none: all gone
}

func checkRules(t *testing.T, base, files map[string]map[string]any, wants []ruleWant) {
	t.Helper()
	for _, w := range wants {
		got := rulesNamed(files, w.file, w.group, w.rule)
		var want []map[string]any
		for _, e := range w.rules {
			var from map[string]any
			for _, r := range rulesNamed(base, w.file, w.group, w.rule) {
				if e.from == "" || get(r, "labels", "severity") == e.from {
					from = r
					break
				}
			}
			if from == nil {
				t.Fatalf("%s %s %s: no rule with severity %q without vars.rules", w.file, w.group, w.rule, e.from)
			}
			want = append(want, mergePatch(from, fromYAML(t, e.patch)).(map[string]any))
		}
		if len(got) != len(want) {
			t.Errorf("%s, group %s: %d rules named %s, want %d", w.file, w.group, len(got), w.rule, len(want))
			continue
		}
		for i := range got {
			if !reflect.DeepEqual(got[i], want[i]) {
				t.Errorf("%s, group %s, %s #%d:\n%s\nwant:\n%s", w.file, w.group, w.rule, i, toYAML(got[i]), toYAML(want[i]))
			}
		}
	}
}

func TestRulesOverride(t *testing.T) {
	tests := []struct {
		name  string
		rules string // vars.rules
		want  []ruleWant
		also  func(t *testing.T, files map[string]map[string]any)
	}{
		{
			name:  "the { for, severity } form of earlier versions changes every rule of the name",
			rules: "override: { KubeletClientCertificateExpiration: { 'for': '30m', severity: 'info' } }",
			want: []ruleWant{{k8sRules, "kubernetes-system-kubelet", "KubeletClientCertificateExpiration", []expect{
				{"warning", "{for: 30m, labels: {severity: info}}"},
				{"critical", "{for: 30m, labels: {severity: info}}"},
			}}},
		},
		{
			name:  "bySeverity narrows to the rule with that severity",
			rules: "override: { KubeletClientCertificateExpiration: { bySeverity: { critical: { 'for': '5m', labels: { page: 'true' } } } } }",
			want: []ruleWant{{k8sRules, "kubernetes-system-kubelet", "KubeletClientCertificateExpiration", []expect{
				{"warning", "{}"},
				{"critical", "{for: 5m, labels: {page: 'true'}}"},
			}}},
		},
		{
			name: "every field: expr, for, keep_firing_for, labels and annotations set and removed",
			rules: `override: { TargetDown: {
				expr: 'avg by (job) (1 - up) > 0.5', 'for': '20m', keep_firing_for: '5m',
				labels: { team: 'sre', severity: null },
				annotations: { runbook_url: 'https://wiki.example.com/TargetDown', description: null },
			} }`,
			want: []ruleWant{{kpRules, "general.rules", "TargetDown", []expect{{"", `{
				expr: 'avg by (job) (1 - up) > 0.5', for: 20m, keep_firing_for: 5m,
				labels: {team: sre, severity: null},
				annotations: {runbook_url: 'https://wiki.example.com/TargetDown', description: null},
			}`}}}},
		},
		{
			name:  "removing a rule's only label leaves it without labels",
			rules: "override: { Watchdog: { labels: { severity: null } } }",
			want:  []ruleWant{{kpRules, "general.rules", "Watchdog", []expect{{"", "{labels: null}"}}}},
		},
		{
			name:  "recording rules: expr and labels",
			rules: "override: { 'node:kubelet_running_pods:sum': { expr: 'sum by (node) (kubelet_running_pods)', labels: { team: 'node' } } }",
			want: []ruleWant{{k8sRules, "kubelet.rules", "node:kubelet_running_pods:sum", []expect{
				{"", "{expr: sum by (node) (kubelet_running_pods), labels: {team: node}}"},
			}}},
		},
		{
			name: "the most specific layer wins, labels merge across layers",
			rules: `override: { NodeFilesystemAlmostOutOfSpace: {
				'for': '1h', labels: { a: 'name', b: 'name', c: 'name', d: 'name' },
				byGroup: { 'node-exporter': { 'for': '2h', labels: { b: 'group', c: 'group', d: 'group' },
					bySeverity: { critical: { 'for': '4h', labels: { d: 'group+severity' } } } } },
				bySeverity: { critical: { 'for': '3h', labels: { c: 'severity', d: 'severity' } }, warning: { labels: { c: 'severity' } } },
			} }`,
			want: []ruleWant{{nodeRules, "node-exporter", "NodeFilesystemAlmostOutOfSpace", []expect{
				{"warning", "{for: 2h, labels: {a: name, b: group, c: severity, d: group}}"},
				{"critical", "{for: 4h, labels: {a: name, b: group, c: severity, d: group+severity}}"},
			}}},
		},
		{
			name: "byGroup narrows to one group of a name in two (here, with a group of the cluster's own)",
			rules: `groups: { extra: { rules: [{ alert: 'TargetDown', expr: 'up == 0', labels: { severity: 'critical' } }] } },
				override: { TargetDown: { byGroup: { 'general.rules': { 'for': '1h' } } } }`,
			want: []ruleWant{
				{kpRules, "general.rules", "TargetDown", []expect{{"", "{for: 1h}"}}},
			},
			also: func(t *testing.T, files map[string]map[string]any) {
				got := rulesNamed(files, customRules, "extra", "TargetDown")
				want := map[string]any{"alert": "TargetDown", "expr": "up == 0", "labels": map[string]any{"severity": "critical"}}
				if len(got) != 1 || !reflect.DeepEqual(got[0], want) {
					t.Errorf("the rule of the other group: %v, want it unchanged: %v", got, want)
				}
			},
		},
		{
			name:  "severity narrowing matches the rule's own severity, before any override",
			rules: "override: { KubeClientCertificateExpiration: { severity: 'info', bySeverity: { critical: { 'for': '1m' } } } }",
			want: []ruleWant{{k8sRules, "kubernetes-system-apiserver", "KubeClientCertificateExpiration", []expect{
				{"warning", "{labels: {severity: info}}"},
				{"critical", "{for: 1m, labels: {severity: info}}"},
			}}},
		},
		{
			name:  "disable: alerts and recording rules by name",
			rules: "disable: ['Watchdog', 'namespace:container_cpu_usage_seconds:sum_rate5m']",
			want: []ruleWant{
				{kpRules, "general.rules", "Watchdog", nil},
				{kpRules, "general.rules", "TargetDown", []expect{{"", "{}"}}},
				{k8sRules, "k8s.rules.container_cpu", "namespace:container_cpu_usage_seconds:sum_rate5m", nil},
			},
		},
		{
			name: "disable narrowed by severity; disable: false keeps what rules.disable names",
			rules: `disable: ['KubeletServerCertificateExpiration'],
				override: {
					KubeletClientCertificateExpiration: { bySeverity: { warning: { disable: true } } },
					KubeletServerCertificateExpiration: { bySeverity: { critical: { disable: false } } },
				}`,
			want: []ruleWant{
				{k8sRules, "kubernetes-system-kubelet", "KubeletClientCertificateExpiration", []expect{{"critical", "{}"}}},
				{k8sRules, "kubernetes-system-kubelet", "KubeletServerCertificateExpiration", []expect{{"critical", "{}"}}},
			},
		},
		{
			name:  "alertLabels: on alerts, not on recording rules, not over a rule's own label",
			rules: "alertLabels: { team: 'sre', severity: 'page' }",
			want: []ruleWant{
				{kpRules, "general.rules", "TargetDown", []expect{{"", "{labels: {team: sre}}"}}},
				{kpRules, "kube-prometheus-general.rules", "namespace_job:up:avg", []expect{{"", "{}"}}},
				{veleroRules, "velero", "VeleroBackupFailing", []expect{{"", "{labels: {team: sre}}"}}},
			},
		},
		{
			name:  "alertLabelsReplace: over the rule's own labels too; rules.override still wins",
			rules: "alertLabels: { team: 'sre', severity: 'page' }, alertLabelsReplace: true, override: { Watchdog: { labels: { team: null }, severity: 'none' } }",
			want: []ruleWant{
				{kpRules, "general.rules", "TargetDown", []expect{{"", "{labels: {team: sre, severity: page}}"}}},
				{kpRules, "general.rules", "Watchdog", []expect{{"", "{labels: {severity: none}}"}}},
			},
		},
		{
			name: "runbookURLRewrite: the longest matching prefix; an override's URL is written as given",
			rules: `runbookURLRewrite: {
				'` + standinBooks + `': 'https://wiki.example.com/kp/',
				'` + standinBooks + `general/': 'https://wiki.example.com/general/',
			}, override: { Watchdog: { annotations: { runbook_url: '` + standinBooks + `general/mine' } } }`,
			want: []ruleWant{
				{kpRules, "general.rules", "TargetDown", []expect{{"", "{annotations: {runbook_url: 'https://wiki.example.com/general/targetdown'}}"}}},
				{kpRules, "general.rules", "Watchdog", []expect{{"", "{annotations: {runbook_url: '" + standinBooks + "general/mine'}}"}}},
				{nodeRules, "node-exporter", "NodeMemoryHighUtilization", []expect{{"", "{annotations: {runbook_url: 'https://wiki.example.com/kp/node/nodememoryhighutilization'}}"}}},
			},
		},
		{
			name:  "runbookURLPattern: every mixin's runbook links",
			rules: "runbookURLPattern: 'https://wiki.example.com/runbooks/%s'",
			want: []ruleWant{
				{veleroRules, "velero", "VeleroBackupFailing", []expect{{"", "{annotations: {runbook_url: 'https://wiki.example.com/runbooks/VeleroBackupFailing'}}"}}},
				{kpRules, "general.rules", "TargetDown", []expect{{"", "{}"}}},
			},
		},
	}
	base := newStack(t, baselineVars).files()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := newStack(t, "{ cluster: { name: 'test' }, mixins: { velero: { enabled: true } }, rules: { "+tt.rules+" } }").files()
			checkRules(t, base, files, tt.want)
			if tt.also != nil {
				tt.also(t, files)
			}
		})
	}
}

func TestRulesDisableGroups(t *testing.T) {
	files := newStack(t, `{ cluster: { name: 'test' }, rules: {
		disableGroups: ['kubelet.rules'],
		// Both rules of this one-rule group: the group goes too.
		disable: ['namespace:container_cpu_usage_seconds:sum_rate5m'],
	} }`).files()
	if got, want := groupNames(files, k8sRules), []string{"kubernetes-system-kubelet", "kubernetes-resources", "kubernetes-system-apiserver", "kubernetes-system-scheduler", "kubernetes-system-controller-manager"}; !reflect.DeepEqual(got, want) {
		t.Errorf("groups %v, want %v", got, want)
	}
}

// A mixin's own runbookURLPattern wins over rules.runbookURLPattern.
func TestRulesRunbookURLPatternPerMixin(t *testing.T) {
	files := newStack(t, `{ cluster: { name: 'test' },
		mixins: { velero: { enabled: true, runbookURLPattern: 'https://velero.example.com/%s' }, cnpg: { enabled: true } },
		rules: { runbookURLPattern: 'https://wiki.example.com/%s.html' } }`).files()
	for _, c := range []struct{ file, alert, url string }{
		{veleroRules, "VeleroBackupTooOld", "https://velero.example.com/VeleroBackupTooOld"},
		{"manifests/cnpg-prometheusRule.yaml", "CNPGInstanceDown", "https://wiki.example.com/CNPGInstanceDown.html"},
	} {
		as := alerts(map[string]map[string]any{c.file: files[c.file]})[c.alert]
		if len(as) != 1 || get(as[0], "annotations", "runbook_url") != c.url {
			t.Errorf("%s runbook_url: %v, want %s", c.alert, as, c.url)
		}
	}
}

// rules.groups render as one PrometheusRule of their own, labelled so that
// Prometheus selects it, listed in kustomization.yaml; vars.rules applies
// to them like to every other rule.
func TestRulesGroupsOfTheCluster(t *testing.T) {
	files := newStack(t, `{ cluster: { name: 'test' }, namespace: 'observability', rules: {
		groups: {
			'sre.rules': {
				interval: '1m', limit: 10, query_offset: '30s', labels: { source: 'sre' },
				rules: [
					{ alert: 'SREDown', expr: 'up{job="sre"} == 0', 'for': '5m', keep_firing_for: '1m', labels: { severity: 'critical', team: 'sre' },
					  annotations: { summary: 'SRE is down', description: '{{ $labels.instance }} is down.' } },
					{ record: 'job:up:sum', expr: 'sum by (job) (up)', labels: { source: 'sre' } },
				],
			},
			'a.rules': { rules: [{ alert: 'AAlert', expr: 'vector(1)' }] },
		},
		alertLabels: { team: 'platform' },
		override: { AAlert: { labels: { severity: 'info' } } },
	} }`).files()
	want := `apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata:
  labels:
    app.kubernetes.io/component: monitoring
    app.kubernetes.io/name: kpgen-custom
    app.kubernetes.io/part-of: kpgen
    prometheus: k8s
    role: alert-rules
  name: kpgen-custom-rules
  namespace: observability
spec:
  groups:
  - name: a.rules
    rules:
    - alert: AAlert
      expr: vector(1)
      labels:
        severity: info
        team: platform
  - interval: 1m
    labels:
      source: sre
    limit: 10
    name: sre.rules
    query_offset: 30s
    rules:
    - alert: SREDown
      annotations:
        description: '{{ $labels.instance }} is down.'
        summary: SRE is down
      expr: up{job="sre"} == 0
      for: 5m
      keep_firing_for: 1m
      labels:
        severity: critical
        team: sre
    - expr: sum by (job) (up)
      labels:
        source: sre
      record: job:up:sum
`
	if got := toYAML(files[customRules]); got != want {
		t.Errorf("%s:\n%s\nwant:\n%s", customRules, got, want)
	}
	resources, _ := get(files["kustomization.yaml"], "resources").([]any)
	if !contains(toStrings(resources), "./"+customRules) {
		t.Errorf("kustomization.yaml does not list %s: %v", customRules, resources)
	}
	// Prometheus selects it: upstream's {} selectors (the wiring asserts it).
	if sel := get(files["manifests/prometheus-prometheus.yaml"], "spec", "ruleSelector"); !reflect.DeepEqual(sel, map[string]any{}) {
		t.Errorf("ruleSelector %v", sel)
	}
	// No groups, no file.
	if _, ok := newStack(t, minimal).files()[customRules]; ok {
		t.Errorf("%s rendered without rules.groups", customRules)
	}
}

// A ruleSelector that would not select the cluster's own rules fails the
// render, naming the object.
func TestRulesGroupsMustBeSelected(t *testing.T) {
	s := newStack(t, `{ cluster: { name: 'test' }, rules: { groups: { x: { rules: [{ alert: 'X', expr: 'vector(1)' }] } } } }`)
	var v any
	err := s.eval("(k.stack + { prometheus+: { prometheus+: { spec+: { ruleSelector: { matchLabels: { team: 'x' } } } } } }).prometheus.prometheus.spec", &v)
	if err == nil || !strings.Contains(err.Error(), `PrometheusRule monitoring/kpgen-custom-rules is not selected by the Prometheus (ruleSelector: {"matchLabels":{"team":"x"}}`) {
		t.Errorf("want an unselected-rule error, got %v", err)
	}
	// The labels it carries (kube-prometheus' ruleLabels) are fine.
	if err := s.eval("(k.stack + { prometheus+: { prometheus+: { spec+: { ruleSelector: { matchLabels: { role: 'alert-rules' } } } } } }).prometheus.prometheus.spec", &v); err != nil {
		t.Errorf("matching selector: %v", err)
	}
}

func toStrings(xs []any) []string {
	var out []string
	for _, x := range xs {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

func TestRulesProblems(t *testing.T) {
	checkProblems(t, []problemsCase{
		{
			name: "rule, group and severity names that match nothing, each with the closest",
			vars: `{ cluster: { name: 'a' }, rules: {
				disable: ['WatchDog', 'namespace_job:up:avgg', std.repeat('x', 70)],
				disableGroups: ['general.rule', 'zzzzzzzzzzzzzzzzzzzz'],
				override: {
					TargetDwn: { 'for': '1m' },
					KubeletClientCertificateExpiration: {
						bySeverity: { warn: {}, info: {} },
						byGroup: { kubelet: {}, 'kubernetes-system-apiserver': {}, 'kubernetes-system-kubelet': { bySeverity: { critcal: {} } } },
					},
					Watchdog: { bySeverity: { warning: {} } },
					'node:kubelet_running_pods:sum': { bySeverity: { warning: {} } },
				},
			} }`,
			want: []string{
				`vars.rules.disable[0]: no rule named "WatchDog" in any PrometheusRule (did you mean "Watchdog"?)`,
				`vars.rules.disable[1]: no rule named "namespace_job:up:avgg" in any PrometheusRule (did you mean "namespace_job:up:avg"?)`,
				// A long name is cut in the message (it could be a file's
				// contents).
				`vars.rules.disable[2]: no rule named "` + strings.Repeat("x", 64) + `…" in any PrometheusRule`,
				`vars.rules.disableGroups[0]: no group named "general.rule" in any PrometheusRule (did you mean "general.rules"?)`,
				`vars.rules.disableGroups[1]: no group named "zzzzzzzzzzzzzzzzzzzz" in any PrometheusRule`,
				`vars.rules.override.KubeletClientCertificateExpiration.bySeverity.info: no rule named "KubeletClientCertificateExpiration" with severity "info" (its severities: "critical", "warning")`,
				`vars.rules.override.KubeletClientCertificateExpiration.bySeverity.warn: no rule named "KubeletClientCertificateExpiration" with severity "warn" (did you mean "warning"?)`,
				`vars.rules.override.KubeletClientCertificateExpiration.byGroup.kubelet: no group named "kubelet" in any PrometheusRule (did you mean "kubernetes-system-kubelet"?)`,
				`vars.rules.override.KubeletClientCertificateExpiration.byGroup.kubernetes-system-apiserver: no rule named "KubeletClientCertificateExpiration" in group "kubernetes-system-apiserver" (did you mean "kubernetes-system-kubelet"?)`,
				`vars.rules.override.KubeletClientCertificateExpiration.byGroup.kubernetes-system-kubelet.bySeverity.critcal: no rule named "KubeletClientCertificateExpiration" in group "kubernetes-system-kubelet" with severity "critcal" (did you mean "critical"?)`,
				`vars.rules.override.TargetDwn: no rule named "TargetDwn" in any PrometheusRule (did you mean "TargetDown"?)`,
				`vars.rules.override.Watchdog.bySeverity.warning: no rule named "Watchdog" with severity "warning" (its severities: "none")`,
				`vars.rules.override["node:kubelet_running_pods:sum"].bySeverity.warning: no rule named "node:kubelet_running_pods:sum" with severity "warning" (it has no severity label)`,
			},
		},
		{
			name: "a byGroup key far from every group lists the groups of the rule",
			vars: "{ cluster: { name: 'a' }, rules: { override: { TargetDown: { byGroup: { 'zzzzzzzzzzzzzzzzzzzz': {} } } } } }",
			want: []string{
				`vars.rules.override.TargetDown.byGroup.zzzzzzzzzzzzzzzzzzzz: no group named "zzzzzzzzzzzzzzzzzzzz" in any PrometheusRule ("TargetDown" is in "general.rules")`,
			},
		},
		{
			name: "fields of alerts set for recording rules",
			vars: `{ cluster: { name: 'a' }, rules: { override: { 'namespace_job:up:avg': {
				'for': '5m', keep_firing_for: '1m', severity: 'info', annotations: { a: 'b' }, labels: { ok: 'yes' }, expr: 'vector(1)',
				byGroup: { 'kube-prometheus-general.rules': { 'for': '1m' } },
			} } } }`,
			want: []string{
				`vars.rules.override["namespace_job:up:avg"].for: "namespace_job:up:avg" is a recording rule: only alerting rules have for`,
				`vars.rules.override["namespace_job:up:avg"].keep_firing_for: "namespace_job:up:avg" is a recording rule: only alerting rules have keep_firing_for`,
				`vars.rules.override["namespace_job:up:avg"].severity: "namespace_job:up:avg" is a recording rule: only alerting rules have severity`,
				`vars.rules.override["namespace_job:up:avg"].annotations: "namespace_job:up:avg" is a recording rule: only alerting rules have annotations`,
				`vars.rules.override["namespace_job:up:avg"].byGroup["kube-prometheus-general.rules"].for: "namespace_job:up:avg" is a recording rule: only alerting rules have for`,
			},
		},
		{
			name: "optional: an override of a rule the cluster lacks (velero is off)",
			vars: "{ cluster: { name: 'a' }, rules: { override: { VeleroBackupTooOld: { optional: true, labels: { team: 'backup' }, bySeverity: { info: {} } } } } }",
		},
		{
			name: "the rules of the cluster's own groups and of enabled mixins can be named",
			vars: `{ cluster: { name: 'a' }, mixins: { velero: { enabled: true } }, rules: {
				groups: { mine: { rules: [{ alert: 'Mine', expr: 'vector(1)', labels: { severity: 'info' } }] } },
				disable: ['VeleroBackupFailing'], disableGroups: ['mine'],
				override: { Mine: { byGroup: { mine: { bySeverity: { info: { 'for': '1m' } } } } } },
			} }`,
		},
		{
			name: "values: durations, labels, templates, URLs",
			vars: `{ cluster: { name: 'a' }, rules: {
				override: { TargetDown: {
					'for': '5 minutes', keep_firing_for: '5x', expr: '',
					labels: { 'bad-name': 'x', team: '{{ $labels.team }}', empty: '' },
					annotations: { __reserved: 'x', summary: '' },
					disable: 'yes',
					bySeverity: { '': {} },
				} },
				alertLabels: { '1team': 'x', team: '{{ . }}' },
				alertLabelsReplace: 'no',
				runbookURLPattern: 'https://wiki/%s/%s',
				runbookURLRewrite: { 'ftp://x/': 'https://y/', 'https://a/': 'https://b/ {{ . }}' },
			} }`,
			want: []string{
				`vars.rules.alertLabels.1team: "1team"` + notLabelName,
				`vars.rules.alertLabels.team: "{{ . }}" must not contain "{{" (alert labels are templates: it would be expanded)`,
				`vars.rules.alertLabelsReplace: expected boolean, got string "no"`,
				`vars.rules.override.TargetDown.annotations.__reserved: "__reserved" is a reserved label name (names starting with "__" are for Prometheus' internal use)`,
				`vars.rules.override.TargetDown.annotations.summary: must not be empty`,
				`vars.rules.override.TargetDown.bySeverity[""]: must not be empty (an empty label value is no label)`,
				`vars.rules.override.TargetDown.disable: expected boolean, got string "yes"`,
				`vars.rules.override.TargetDown.expr: must not be empty`,
				`vars.rules.override.TargetDown.for: "5 minutes"` + notDuration,
				`vars.rules.override.TargetDown.keep_firing_for: "5x"` + notDuration,
				`vars.rules.override.TargetDown.labels.bad-name: "bad-name"` + notLabelName,
				`vars.rules.override.TargetDown.labels.empty: must not be empty (an empty label value is no label)`,
				`vars.rules.override.TargetDown.labels.team: "{{ $labels.team }}" must not contain "{{" (alert labels are templates: it would be expanded)`,
				`vars.rules.runbookURLPattern: "https://wiki/%s/%s"` + notRunbookURL,
				`vars.rules.runbookURLRewrite["ftp://x/"]: "ftp://x/" is not an http:// or https:// URL (no spaces and no "{{")`,
				`vars.rules.runbookURLRewrite["https://a/"]: "https://b/ {{ . }}" is not an http:// or https:// URL (no spaces and no "{{")`,
			},
		},
		{
			name: "severity and labels.severity in one layer",
			vars: "{ cluster: { name: 'a' }, rules: { override: { TargetDown: { severity: 'info', labels: { severity: 'page' }, byGroup: { 'general.rules': { severity: 'x', labels: { severity: 'y' } } } } } } }",
			want: []string{
				`vars.rules.override.TargetDown.severity: also set as vars.rules.override.TargetDown.labels.severity: set one of them`,
				`vars.rules.override.TargetDown.byGroup["general.rules"].severity: also set as vars.rules.override.TargetDown.byGroup["general.rules"].labels.severity: set one of them`,
			},
		},
		{
			name: "the cluster's own groups: keys, types, required, alert or record",
			vars: `{ cluster: { name: 'a' }, rules: { groups: {
				empty: { rules: [] },
				none: { interval: '1m' },
				'': { rules: [{ alert: 'X', expr: 'vector(1)' }] },
				bad: {
					interval: 'often', limit: -1, labels: { 'a-b': 'x' }, parallel: true,
					rules: [
						{ alert: 'A', expr: 'vector(1)', anotations: {} },
						{ alert: 'B', record: 'b', expr: 'vector(1)' },
						{ expr: 'vector(1)' },
						{ record: 'c', expr: 'vector(1)', 'for': '5m', annotations: { a: 'b' } },
						{ alert: 'D' },
						{ alert: 'E', expr: 'vector(1)', 'for': 5, labels: { severity: '' } },
						null,
					],
				},
			} } }`,
			want: []string{
				`vars.rules.groups[""]: must not be empty`,
				`vars.rules.groups.bad.interval: "often"` + notDuration,
				`vars.rules.groups.bad.labels.a-b: "a-b"` + notLabelName,
				`vars.rules.groups.bad.limit: -1` + notInt32,
				`vars.rules.groups.bad.parallel: unknown key (valid keys: interval, labels, limit, query_offset, rules)`,
				`vars.rules.groups.bad.rules[0].anotations: unknown key (did you mean "annotations"?)`,
				`vars.rules.groups.bad.rules[4].expr: required`,
				`vars.rules.groups.bad.rules[5].for: expected string, got number 5`,
				`vars.rules.groups.bad.rules[5].labels.severity: must not be empty (an empty label value is no label)`,
				`vars.rules.groups.bad.rules[6]: expected object, got null`,
				`vars.rules.groups.empty.rules: must not be empty`,
				`vars.rules.groups.none.rules: required`,
				`vars.rules.groups.bad.rules[1]: needs exactly one of alert and record`,
				`vars.rules.groups.bad.rules[2]: needs exactly one of alert and record`,
				`vars.rules.groups.bad.rules[3].for: a recording rule has no for (only alerting rules do)`,
				`vars.rules.groups.bad.rules[3].annotations: a recording rule has no annotations (only alerting rules do)`,
			},
		},
		{
			name: "names are checked together with every other problem",
			vars: "{ cluster: { name: 'Bad_Name' }, prometheus: { replicas: -1 }, rules: { disableGroups: ['general.rule'], override: { TargetDown: { 'for': 'x', bySeverity: { warn: {} } } } } }",
			want: []string{
				`vars.cluster.name: "Bad_Name"` + notDNSLabel,
				`vars.prometheus.replicas: -1` + notInt32,
				`vars.rules.override.TargetDown.for: "x"` + notDuration,
				`vars.rules.disableGroups[0]: no group named "general.rule" in any PrometheusRule (did you mean "general.rules"?)`,
				`vars.rules.override.TargetDown.bySeverity.warn: no rule named "TargetDown" with severity "warn" (did you mean "warning"?)`,
			},
		},
	})
}
