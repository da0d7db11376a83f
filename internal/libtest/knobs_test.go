package libtest

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/manifest"
	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/render"
	"github.com/kpgen/kpgen/internal/testutil"
)

// Issue 10, upstream knobs: the vars reach kube-prometheus' own knobs (its
// mixins' _config, its addons, its images, every component's scheduling and
// resources, Prometheus' and Grafana's settings). Each test asserts the
// rendered objects' fields exactly, and the exact problems of bad values.

// fieldCase is a vars file and the exact value of fields of the rendered
// objects: file → path in the object → value (decoded JSON; nil: absent).
type fieldCase struct {
	name string
	vars string
	want map[string]map[string]any
}

// at walks a decoded object along a dotted path ("spec.template.spec"),
// numbers indexing lists.
func at(o any, path string) any {
	if path == "" {
		return o
	}
	var p []any
	for _, k := range strings.Split(path, ".") {
		if n, err := strconv.Atoi(k); err == nil {
			p = append(p, n)
		} else {
			p = append(p, k)
		}
	}
	return get(o, p...)
}

// jsonValue decodes JSON written in a test (numbers as float64, as files' are).
func jsonValue(t *testing.T, s string) any {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad JSON in test %s: %v", s, err)
	}
	return v
}

func checkFields(t *testing.T, tests []fieldCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := newStack(t, tt.vars).files()
			for file, fields := range tt.want {
				o, ok := files[file]
				if !ok {
					t.Errorf("%s not rendered", file)
					continue
				}
				for path, want := range fields {
					if s, ok := want.(string); ok && strings.HasPrefix(s, "json:") {
						want = jsonValue(t, strings.TrimPrefix(s, "json:"))
					}
					if got := at(o, path); !reflect.DeepEqual(got, want) {
						g, _ := json.Marshal(got)
						w, _ := json.Marshal(want)
						t.Errorf("%s: %s = %s, want %s", file, path, g, w)
					}
				}
			}
		})
	}
}

// alertExpr is the expression of the one alert of that name and severity.
func alertExpr(t *testing.T, files map[string]map[string]any, alert, severity string) string {
	t.Helper()
	var found []string
	for _, r := range alerts(files)[alert] {
		if severity == "" || get(r, "labels", "severity") == severity {
			found = append(found, r["expr"].(string))
		}
	}
	if len(found) != 1 {
		t.Fatalf("%d alerts %s (severity %q), want 1", len(found), alert, severity)
	}
	return found[0]
}

const (
	kcpRules   = "manifests/kubernetesControlPlane-prometheusRule.yaml"
	promDeploy = "manifests/prometheus-prometheus.yaml"
)

// vars.upstream.<mixin> sets the upstream mixin's _config keys, read by
// that component's rules; keys left out keep upstream's values.
func TestUpstreamMixinSettings(t *testing.T) {
	const cadvisor = `job="kubelet", metrics_path="/metrics/cadvisor"`
	throttling := func(percent string) string {
		return `sum by (namespace, pod, container) (increase(container_cpu_cfs_throttled_periods_total{` + cadvisor + `, container!=""}[5m])) / sum by (namespace, pod, container) (increase(container_cpu_cfs_periods_total{` + cadvisor + `, container!=""}[5m])) > (` + percent + ` / 100)`
	}
	tests := []struct {
		name, vars   string
		alert, sev   string
		want         string
		runbookAlert string // when set: want is this alert's runbook_url instead
	}{
		{"kubernetes-mixin default", minimal, "CPUThrottlingHigh", "", throttling("25"), ""},
		{"kubernetes-mixin threshold", `{ cluster: { name: 'a' }, upstream: { kubernetesMixin: { cpuThrottlingPercent: 50 } } }`,
			"CPUThrottlingHigh", "", throttling("50"), ""},
		{"kubernetes-mixin selector and threshold together", `{ cluster: { name: 'a' }, upstream: { kubernetesMixin: { cpuThrottlingPercent: 12.5, cpuThrottlingSelector: 'namespace!="batch"' } } }`,
			"CPUThrottlingHigh", "", strings.ReplaceAll(throttling("12.5"), `container!=""}`, `container!="", namespace!="batch"}`), ""},
		{"a null key keeps upstream's value", `{ cluster: { name: 'a' }, upstream: { kubernetesMixin: { cpuThrottlingPercent: null } } }`,
			"CPUThrottlingHigh", "", throttling("25"), ""},
		{"kubernetes-mixin certificate thresholds", `{ cluster: { name: 'a' }, upstream: { kubernetesMixin: { certExpirationWarningSeconds: 1209600 } } }`,
			"KubeClientCertificateExpiration", "warning",
			`histogram_quantile(0.01, sum by (job, le) (rate(apiserver_client_certificate_expiration_seconds_bucket{job="apiserver"}[5m]))) < 1209600`, ""},
		{"node-mixin", `{ cluster: { name: 'a' }, upstream: { nodeMixin: { fsSpaceFillingUpCriticalThreshold: 5, nodeExporterSelector: 'job="node"' } } }`,
			"NodeFilesystemAlmostOutOfSpace", "critical",
			`100 * node_filesystem_avail_bytes{job="node",fstype!="",mountpoint!=""} / node_filesystem_size_bytes{job="node",fstype!="",mountpoint!=""} < 5`, ""},
		{"alertmanager-mixin", `{ cluster: { name: 'a' }, upstream: { alertmanagerMixin: { alertmanagerSelector: 'job="am"' } } }`,
			"AlertmanagerFailedReload", "", `min by (namespace, pod) (alertmanager_config_last_reload_successful{job="am"}) < 1`, ""},
		{"prometheus-mixin", `{ cluster: { name: 'a' }, upstream: { prometheusMixin: { prometheusSelector: 'job="prom"' } } }`,
			"PrometheusBadConfig", "", `min by (namespace, pod) (prometheus_config_last_reload_successful{job="prom"}) < 1`, ""},
		{"kube-state-metrics mixin", `{ cluster: { name: 'a' }, upstream: { kubeStateMetricsMixin: { kubeStateMetricsSelector: 'job="ksm"' } } }`,
			"KubeStateMetricsListErrors", "", `sum by (namespace) (rate(kube_state_metrics_list_total{job="ksm",result="error"}[5m])) / sum by (namespace) (rate(kube_state_metrics_list_total{job="ksm"}[5m])) > 0.01`, ""},
		{"prometheus-operator mixin", `{ cluster: { name: 'a' }, upstream: { prometheusOperatorMixin: { prometheusOperatorSelector: 'job="po"' } } }`,
			"PrometheusOperatorNotReady", "", `max by (controller, namespace) (last_over_time(prometheus_operator_ready{job="po"}[10m])) < 1`, ""},
		{"kube-prometheus' own mixin", `{ cluster: { name: 'a' }, upstream: { kubePrometheusMixin: { targetDownPercent: 25 } } }`,
			"TargetDown", "", `100 * avg by (namespace, job, service) (1 - up) > 25`, ""},
		{"grafana mixin runbook URLs", `{ cluster: { name: 'a' }, upstream: { grafanaMixin: { runbookURLPattern: 'https://wiki.example.com/grafana/%s' } } }`,
			"", "", "https://wiki.example.com/grafana/grafanarequestsfailing", "GrafanaRequestsFailing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := newStack(t, tt.vars).files()
			if tt.runbookAlert != "" {
				rs := alerts(files)[tt.runbookAlert]
				if len(rs) != 1 || get(rs[0], "annotations", "runbook_url") != tt.want {
					t.Errorf("%s runbook_url: %v, want %s", tt.runbookAlert, rs, tt.want)
				}
				return
			}
			if got := alertExpr(t, files, tt.alert, tt.sev); got != tt.want {
				t.Errorf("%s expr:\n got %s\nwant %s", tt.alert, got, tt.want)
			}
		})
	}
	// A mixin's setting is that mixin's: the others keep their selectors.
	files := newStack(t, `{ cluster: { name: 'a' }, upstream: { kubernetesMixin: { cadvisorSelector: 'job="cadvisor"' } } }`).files()
	if got := alertExpr(t, files, "CPUThrottlingHigh", ""); !strings.Contains(got, `{job="cadvisor", container!=""}`) {
		t.Errorf("CPUThrottlingHigh: %s", got)
	}
	if got := alertExpr(t, files, "KubeletClientCertificateExpiration", "warning"); got != `min by (node) (kubelet_certificate_manager_client_ttl_seconds{job="kubelet", metrics_path="/metrics"}) < 604800` {
		t.Errorf("KubeletClientCertificateExpiration: %s", got)
	}
}

func TestUpstreamMixinProblems(t *testing.T) {
	checkProblems(t, []problemsCase{
		{
			name: "unknown keys with the closest key of the mixin's own _config",
			vars: `{ cluster: { name: 'a' }, upstream: {
				kubernetesMixin: { cpuThrottlingPercnt: 50, kubeletSelectr: 'job="k"' },
				nodeMixin: { fsSpaceFillingUpCriticalTreshold: 5 },
				kubernetesMixn: {},
			} }`,
			want: []string{
				`vars.upstream.kubernetesMixin.cpuThrottlingPercnt: unknown key (did you mean "cpuThrottlingPercent"?)`,
				`vars.upstream.kubernetesMixin.kubeletSelectr: unknown key (did you mean "kubeletSelector"?)`,
				`vars.upstream.kubernetesMixn: unknown key (did you mean "kubernetesMixin"?)`,
				`vars.upstream.nodeMixin.fsSpaceFillingUpCriticalTreshold: unknown key (did you mean "fsSpaceFillingUpCriticalThreshold"?)`,
			},
		},
		{
			name: "types from the defaults, and kpgen's checks of well-known keys",
			vars: `{ cluster: { name: 'a' }, upstream: {
				kubernetesMixin: { cpuThrottlingPercent: 150, kubeletSelector: 3, certExpirationWarningSeconds: 0.5, runbookURLPattern: 'https://x/%s/%s' },
				nodeMixin: { fsSpaceFillingUpWarningThreshold: '15' },
				prometheusMixin: { prometheusSelector: ['job="p"'] },
			} }`,
			want: []string{
				`vars.upstream.kubernetesMixin.certExpirationWarningSeconds: 0.5` + notSeconds,
				`vars.upstream.kubernetesMixin.cpuThrottlingPercent: 150: expected a percentage from 0 to 100`,
				`vars.upstream.kubernetesMixin.kubeletSelector: expected string, got number 3`,
				`vars.upstream.kubernetesMixin.runbookURLPattern: "https://x/%s/%s"` + notRunbookURL,
				`vars.upstream.nodeMixin.fsSpaceFillingUpWarningThreshold: expected number, got string "15"`,
				`vars.upstream.prometheusMixin.prometheusSelector: expected string, got array`,
			},
		},
		{
			name: "the kubelet certificate thresholds have their own keys",
			vars: `{ cluster: { name: 'a' }, upstream: { kubernetesMixin: { kubeletCertExpirationWarningSeconds: 86400, kubeletCertExpirationCriticalSeconds: null } } }`,
			want: []string{
				`vars.upstream.kubernetesMixin.kubeletCertExpirationWarningSeconds: set by vars.kubelet.certExpirationWarningSeconds, not here`,
			},
		},
		{
			name: "a mixin's settings are an object",
			vars: `{ cluster: { name: 'a' }, upstream: { alertmanagerMixin: null, grafanaMixin: 'x' } }`,
			want: []string{
				`vars.upstream.alertmanagerMixin: expected object, got null`,
				`vars.upstream.grafanaMixin: expected object, got string "x"`,
			},
		},
	})
}

// vars.addons switches kube-prometheus' own addons, applied as upstream's
// files (the stand-in's have their names and effect shape).
func TestAddons(t *testing.T) {
	hard := `json:{"podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [{
		"labelSelector": {"matchLabels": {"app.kubernetes.io/component": "prometheus", "app.kubernetes.io/instance": "k8s", "app.kubernetes.io/name": "prometheus", "app.kubernetes.io/part-of": "kube-prometheus"}},
		"namespaces": ["monitoring"], "topologyKey": "topology.kubernetes.io/zone"}]}}`
	checkFields(t, []fieldCase{
		{
			name: "anti-affinity, soft by default, on the four components upstream spreads",
			vars: `{ cluster: { name: 'a' }, addons: { antiAffinity: { enabled: true } } }`,
			want: map[string]map[string]any{
				"manifests/alertmanager-alertmanager.yaml": {"spec.affinity": `json:{"podAntiAffinity": {"preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 100, "podAffinityTerm": {
					"labelSelector": {"matchLabels": {"app.kubernetes.io/component": "alert-router", "app.kubernetes.io/instance": "main", "app.kubernetes.io/name": "alertmanager", "app.kubernetes.io/part-of": "kube-prometheus"}},
					"namespaces": ["monitoring"], "topologyKey": "kubernetes.io/hostname"}}]}}`},
				"manifests/blackboxExporter-deployment.yaml":  {"spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution.0.podAffinityTerm.topologyKey": "kubernetes.io/hostname"},
				"manifests/prometheusAdapter-deployment.yaml": {"spec.template.spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution.0.weight": 100.0},
				"manifests/grafana-deployment.yaml":           {"spec.template.spec.affinity": nil},
			},
		},
		{
			name: "anti-affinity, hard, by zone",
			vars: `{ cluster: { name: 'a' }, addons: { antiAffinity: { enabled: true, type: 'hard', topologyKey: 'topology.kubernetes.io/zone' } } }`,
			want: map[string]map[string]any{promDeploy: {"spec.affinity": hard}},
		},
		{
			name: "anti-affinity's settings without enabled change nothing",
			vars: `{ cluster: { name: 'a' }, addons: { antiAffinity: { type: 'hard' } } }`,
			want: map[string]map[string]any{promDeploy: {"spec.affinity": nil}},
		},
		{
			name: "strip-limits keeps the requests",
			vars: `{ cluster: { name: 'a' }, addons: { stripLimits: true } }`,
			want: map[string]map[string]any{
				promDeploy: {"spec.resources": `json:{"limits": {}, "requests": {"memory": "400Mi"}}`},
				"manifests/alertmanager-alertmanager.yaml":     {"spec.resources": `json:{"limits": {}, "requests": {"cpu": "4m", "memory": "100Mi"}}`},
				"manifests/grafana-deployment.yaml":            {"spec.template.spec.containers.0.resources": `json:{"limits": {}, "requests": {"cpu": "100m", "memory": "100Mi"}}`},
				"manifests/kubeStateMetrics-deployment.yaml":   {"spec.template.spec.containers.0.resources.limits": `json:{}`},
				"manifests/nodeExporter-daemonset.yaml":        {"spec.template.spec.containers.0.resources.limits": `json:{}`},
				"manifests/prometheusOperator-deployment.yaml": {"spec.template.spec.containers.0.resources.limits": `json:{}`},
				"manifests/blackboxExporter-deployment.yaml":   {"spec.template.spec.containers.0.resources.limits": `json:{}`},
				"manifests/prometheusAdapter-deployment.yaml":  {"spec.template.spec.containers.0.resources.limits": `json:{}`},
			},
		},
		{
			name: "limits set in vars survive strip-limits",
			vars: `{ cluster: { name: 'a' }, addons: { stripLimits: true }, prometheus: { resources: { limits: { memory: '4Gi' } } } }`,
			want: map[string]map[string]any{promDeploy: {"spec.resources": `json:{"limits": {"memory": "4Gi"}, "requests": {"memory": "400Mi"}}`}},
		},
		{
			name: "node-ports",
			vars: `{ cluster: { name: 'a' }, addons: { nodePorts: true } }`,
			want: map[string]map[string]any{
				"manifests/prometheus-service.yaml":   {"spec.type": "NodePort", "spec.ports": `json:[{"name": "web", "port": 9090, "targetPort": "web", "nodePort": 30900}]`},
				"manifests/alertmanager-service.yaml": {"spec.type": "NodePort", "spec.ports": `json:[{"name": "web", "port": 9093, "targetPort": "web", "nodePort": 30903}]`},
				"manifests/grafana-service.yaml":      {"spec.type": "NodePort", "spec.ports": `json:[{"name": "http", "port": 3000, "targetPort": "http", "nodePort": 30902}]`},
			},
		},
		{
			name: "all-namespaces",
			vars: `{ cluster: { name: 'a' }, addons: { allNamespaces: true } }`,
			want: map[string]map[string]any{
				"manifests/prometheus-clusterRole.yaml": {"rules": `json:[
					{"apiGroups": [""], "resources": ["nodes/metrics"], "verbs": ["get"]},
					{"nonResourceURLs": ["/metrics", "/metrics/slis"], "verbs": ["get"]},
					{"apiGroups": ["discovery.k8s.io"], "resources": ["endpointslices"], "verbs": ["get", "list", "watch"]},
					{"apiGroups": [""], "resources": ["services", "endpoints", "pods"], "verbs": ["get", "list", "watch"]},
					{"apiGroups": ["networking.k8s.io"], "resources": ["ingresses"], "verbs": ["get", "list", "watch"]}]`},
			},
		},
		{
			name: "user-facing-roles",
			vars: `{ cluster: { name: 'a' }, addons: { userFacingRoles: true } }`,
			want: map[string]map[string]any{
				"manifests/prometheusOperator-clusterRoleView.yaml": {
					"metadata.name": "monitoring-view", "metadata.namespace": nil,
					"metadata.labels": `json:{"app.kubernetes.io/component": "controller", "app.kubernetes.io/name": "prometheus-operator", "app.kubernetes.io/part-of": "kube-prometheus", "app.kubernetes.io/version": "0.92.0", "rbac.authorization.k8s.io/aggregate-to-view": "true"}`,
					"rules":           `json:[{"apiGroups": ["monitoring.coreos.com"], "resources": ["podmonitors", "probes", "prometheusrules", "servicemonitors"], "verbs": ["get", "list", "watch"]}]`,
				},
				"manifests/prometheusOperator-clusterRoleEdit.yaml": {"metadata.name": "monitoring-edit"},
			},
		},
		{
			name: "ksm-lite",
			vars: `{ cluster: { name: 'a' }, addons: { ksmLite: true } }`,
			want: map[string]map[string]any{
				"manifests/kubeStateMetrics-deployment.yaml": {"spec.template.spec.containers.0.args.4": "--metric-denylist=^kube_.+_created$,^kube_.+_metadata_resource_version$,^kube_replicaset_metadata_generation$,^kube_pod_completion_time$"},
			},
		},
	})

	// Addons that remove objects.
	for _, tt := range []struct {
		name, vars string
		gone       []string
		groupsGone []string
	}{
		{"all-namespaces: no per-namespace RBAC", `{ cluster: { name: 'a' }, addons: { allNamespaces: true }, prometheus: { extraNamespaces: ['payments'] } }`,
			[]string{roles, roleBindings}, nil},
		{"networkpolicies-disabled", `{ cluster: { name: 'a' }, addons: { networkPoliciesDisabled: true } }`,
			[]string{"manifests/alertmanager-networkPolicy.yaml", "manifests/blackboxExporter-networkPolicy.yaml", "manifests/grafana-networkPolicy.yaml",
				"manifests/kubeStateMetrics-networkPolicy.yaml", "manifests/nodeExporter-networkPolicy.yaml", "manifests/prometheus-networkPolicy.yaml",
				"manifests/prometheusAdapter-networkPolicy.yaml", "manifests/prometheusOperator-networkPolicy.yaml"}, nil},
		{"managed-cluster", `{ cluster: { name: 'a' }, addons: { managedCluster: true } }`,
			[]string{"manifests/kubernetesControlPlane-serviceMonitorKubeScheduler.yaml", "manifests/kubernetesControlPlane-serviceMonitorKubeControllerManager.yaml"},
			[]string{"kubernetes-system-scheduler", "kubernetes-system-controller-manager"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			files := newStack(t, tt.vars).files()
			before := newStack(t, minimal).files()
			for _, f := range tt.gone {
				if before[f] == nil {
					t.Errorf("%s: not rendered without the addon either", f)
				}
				if files[f] != nil {
					t.Errorf("%s rendered", f)
				}
			}
			for p := range files {
				if before[p] == nil {
					t.Errorf("%s: new file", p)
				}
			}
			if len(files)+len(tt.gone) != len(before) {
				t.Errorf("%d files, want %d", len(files), len(before)-len(tt.gone))
			}
			for _, g := range get(files[kcpRules], "spec", "groups").([]any) {
				for _, gone := range tt.groupsGone {
					if get(g, "name") == gone {
						t.Errorf("group %s still rendered", gone)
					}
				}
			}
		})
	}
	checkProblems(t, []problemsCase{{
		name: "addon switches",
		vars: `{ cluster: { name: 'a' }, addons: { stripLimits: 'yes', antiAffinity: { enabled: true, type: 'Hard', topologyKey: 'Zone Key' }, nodePort: true } }`,
		want: []string{
			`vars.addons.antiAffinity.topologyKey: "Zone Key" is not a Kubernetes label key (an optional DNS-1123 subdomain and "/", then at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit)`,
			`vars.addons.antiAffinity.type: expected one of "soft", "hard", got "Hard" (did you mean "hard"?)`,
			`vars.addons.nodePort: unknown key (did you mean "nodePorts"?)`,
			`vars.addons.stripLimits: expected boolean, got string "yes"`,
		},
	}})
}

// The stand-in's images, rewritten.
var standinImages = map[string]string{
	"alertmanager":               "prometheus/alertmanager:v0.33.0",
	"blackboxExporter":           "prometheus/blackbox-exporter:v0.28.0",
	"grafana":                    "grafana/grafana:13.0.2",
	"kubeStateMetrics":           "kube-state-metrics/kube-state-metrics:v2.19.0",
	"nodeExporter":               "prometheus/node-exporter:v1.11.1",
	"prometheus":                 "prometheus/prometheus:v3.12.0",
	"prometheusAdapter":          "prometheus-adapter/prometheus-adapter:v0.12.0",
	"prometheusOperator":         "prometheus-operator/prometheus-operator:v0.92.0",
	"prometheusOperatorReloader": "prometheus-operator/prometheus-config-reloader:v0.92.0",
	"kubeRbacProxy":              "brancz/kube-rbac-proxy:v0.22.0",
	"configmapReload":            "jimmidyson/configmap-reload:v0.15.0",
}

// images walks every object for container images (fields named image,
// and image flags in args): file → images.
func imagesIn(files map[string]map[string]any) map[string][]string {
	out := map[string][]string{}
	var walk func(file string, v any, key string)
	walk = func(file string, v any, key string) {
		switch t := v.(type) {
		case map[string]any:
			for k, x := range t {
				walk(file, x, k)
			}
		case []any:
			for _, x := range t {
				walk(file, x, key)
			}
		case string:
			if key == "image" {
				out[file] = append(out[file], t)
			} else if key == "args" && strings.HasPrefix(t, "--prometheus-config-reloader=") {
				out[file] = append(out[file], strings.TrimPrefix(t, "--prometheus-config-reloader="))
			}
		}
	}
	for f, o := range files {
		walk(f, o, "")
	}
	return out
}

// vars.images: a registry rewrites every image kube-prometheus runs,
// the operator's config-reloader flag included; overrides replace one.
func TestImages(t *testing.T) {
	checkFields(t, []fieldCase{
		{
			name: "registry",
			vars: `{ cluster: { name: 'a' }, images: { registry: 'registry.internal:5000' } }`,
			want: map[string]map[string]any{
				promDeploy: {"spec.image": "registry.internal:5000/prometheus/prometheus:v3.12.0"},
				"manifests/alertmanager-alertmanager.yaml": {"spec.image": "registry.internal:5000/prometheus/alertmanager:v0.33.0"},
				"manifests/grafana-deployment.yaml":        {"spec.template.spec.containers.0.image": "registry.internal:5000/grafana/grafana:13.0.2"},
				"manifests/prometheusOperator-deployment.yaml": {
					"spec.template.spec.containers.0.image":  "registry.internal:5000/prometheus-operator/prometheus-operator:v0.92.0",
					"spec.template.spec.containers.0.args.1": "--prometheus-config-reloader=registry.internal:5000/prometheus-operator/prometheus-config-reloader:v0.92.0",
					"spec.template.spec.containers.1.image":  "registry.internal:5000/brancz/kube-rbac-proxy:v0.22.0",
				},
				"manifests/blackboxExporter-deployment.yaml": {"spec.template.spec.containers.1.image": "registry.internal:5000/jimmidyson/configmap-reload:v0.15.0"},
			},
		},
		{
			name: "a registry with a path; an override wins over it",
			vars: `{ cluster: { name: 'a' }, images: { registry: 'harbor.example.com/mirror', overrides: { grafana: 'harbor.example.com/grafana/grafana-oss:12.1.0', prometheusOperatorReloader: 'r.example.com/reloader@sha256:0123' } } }`,
			want: map[string]map[string]any{
				promDeploy:                          {"spec.image": "harbor.example.com/mirror/prometheus/prometheus:v3.12.0"},
				"manifests/grafana-deployment.yaml": {"spec.template.spec.containers.0.image": "harbor.example.com/grafana/grafana-oss:12.1.0"},
				"manifests/prometheusOperator-deployment.yaml": {
					"spec.template.spec.containers.0.args.1": "--prometheus-config-reloader=r.example.com/reloader@sha256:0123",
				},
			},
		},
		{
			name: "an override alone",
			vars: `{ cluster: { name: 'a' }, images: { overrides: { nodeExporter: 'quay.io/prometheus/node-exporter:v1.12.0' } } }`,
			want: map[string]map[string]any{
				"manifests/nodeExporter-daemonset.yaml": {
					"spec.template.spec.containers.0.image": "quay.io/prometheus/node-exporter:v1.12.0",
					"spec.template.spec.containers.1.image": "quay.io/brancz/kube-rbac-proxy:v0.22.0",
				},
			},
		},
	})

	t.Run("no image left on a public registry", func(t *testing.T) {
		files := newStack(t, `{ cluster: { name: 'a' }, images: { registry: 'registry.internal:5000' } }`).files()
		found := imagesIn(files)
		seen := map[string]bool{}
		for f, imgs := range found {
			for _, img := range imgs {
				seen[img] = true
				if !strings.HasPrefix(img, "registry.internal:5000/") {
					t.Errorf("%s: image %s not from registry.internal:5000", f, img)
				}
			}
		}
		// And no other string anywhere names a public registry.
		for f := range files {
			b, _ := json.Marshal(files[f])
			for _, public := range []string{"quay.io/", "registry.k8s.io/", "ghcr.io/", "docker.io/", "gcr.io/", `"grafana/grafana`} {
				if strings.Contains(string(b), public) {
					t.Errorf("%s still names %s", f, public)
				}
			}
		}
		// Every image of the stand-in is run somewhere and was rewritten.
		for name, path := range standinImages {
			if !seen["registry.internal:5000/"+path] {
				t.Errorf("image %s (%s) not found rewritten", name, path)
			}
		}
	})

	checkProblems(t, []problemsCase{{
		name: "registries, references and image names",
		vars: `{ cluster: { name: 'a' }, images: { registry: 'https://registry.internal', overrides: { grafna: 'x/grafana:1', prometheus: 'my registry/prometheus' } } }`,
		want: []string{
			`vars.images.overrides.grafna: "grafna" is not one of kube-prometheus' images (did you mean "grafana"?)`,
			`vars.images.overrides.prometheus: "my registry/prometheus" is not an image reference (e.g. "registry.internal:5000/grafana/grafana:12.1.0")`,
			`vars.images.registry: "https://registry.internal" is not an image registry (a host with an optional ":port" and "/path", e.g. "registry.internal:5000" or "harbor.example.com/mirror", without "https://")`,
		},
	}, {
		name: "a registry is a host with a dot or a port",
		vars: `{ cluster: { name: 'a' }, images: { registry: 'mirror' } }`,
		want: []string{
			`vars.images.registry: "mirror" is not an image registry (a host with an optional ":port" and "/path", e.g. "registry.internal:5000" or "harbor.example.com/mirror", without "https://")`,
		},
	}})
}

// Where each component's pods are in its object.
var podSpecs = map[string]string{
	"prometheus":         "manifests/prometheus-prometheus.yaml:spec",
	"alertmanager":       "manifests/alertmanager-alertmanager.yaml:spec",
	"grafana":            "manifests/grafana-deployment.yaml:spec.template.spec",
	"kubeStateMetrics":   "manifests/kubeStateMetrics-deployment.yaml:spec.template.spec",
	"nodeExporter":       "manifests/nodeExporter-daemonset.yaml:spec.template.spec",
	"prometheusOperator": "manifests/prometheusOperator-deployment.yaml:spec.template.spec",
	"blackboxExporter":   "manifests/blackboxExporter-deployment.yaml:spec.template.spec",
	"prometheusAdapter":  "manifests/prometheusAdapter-deployment.yaml:spec.template.spec",
}

// The main container's resources of each component, as upstream sets them.
var upstreamResources = map[string]string{
	"prometheus":         `{"requests": {"memory": "400Mi"}}`,
	"alertmanager":       `{"limits": {"cpu": "100m", "memory": "100Mi"}, "requests": {"cpu": "4m", "memory": "100Mi"}}`,
	"grafana":            `{"limits": {"cpu": "200m", "memory": "200Mi"}, "requests": {"cpu": "100m", "memory": "100Mi"}}`,
	"kubeStateMetrics":   `{"limits": {"cpu": "100m", "memory": "250Mi"}, "requests": {"cpu": "10m", "memory": "190Mi"}}`,
	"nodeExporter":       `{"limits": {"cpu": "250m", "memory": "180Mi"}, "requests": {"cpu": "102m", "memory": "180Mi"}}`,
	"prometheusOperator": `{"limits": {"cpu": "200m", "memory": "200Mi"}, "requests": {"cpu": "100m", "memory": "100Mi"}}`,
	"blackboxExporter":   `{"limits": {"cpu": "20m", "memory": "40Mi"}, "requests": {"cpu": "10m", "memory": "20Mi"}}`,
	"prometheusAdapter":  `{"limits": {"cpu": "250m", "memory": "180Mi"}, "requests": {"cpu": "100m", "memory": "180Mi"}}`,
}

func resourcesPath(component string) (file, path string) {
	file, spec, _ := strings.Cut(podSpecs[component], ":")
	if component == "prometheus" || component == "alertmanager" {
		return file, spec + ".resources"
	}
	return file, spec + ".containers.0.resources"
}

// Scheduling and resources: each component on its own, allComponents for
// all but nodeExporter, a component's own setting after it.
func TestScheduling(t *testing.T) {
	const own = `{
		nodeSelector: { 'node-role.kubernetes.io/monitoring': 'true', 'kubernetes.io/os': null },
		tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'monitoring', effect: 'NoSchedule' }, { key: 'gone', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300, value: null }],
		affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] }] } } },
		priorityClassName: 'monitoring',
		resources: { requests: { cpu: '1' }, limits: { memory: null } },
	}`
	ownTolerations := `[{"key": "dedicated", "operator": "Equal", "value": "monitoring", "effect": "NoSchedule"}, {"key": "gone", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}]`
	ownAffinity := `{"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [{"matchExpressions": [{"key": "disk", "operator": "In", "values": ["ssd"]}]}]}}}`
	var tests []fieldCase
	components := make([]string, 0, len(podSpecs))
	for c := range podSpecs {
		components = append(components, c)
	}
	sort.Strings(components)
	for _, c := range components {
		file, spec, _ := strings.Cut(podSpecs[c], ":")
		upstreamTolerations := `null`
		if c == "nodeExporter" {
			upstreamTolerations = `[{"operator": "Exists"}]`
		}
		tolerations := ownTolerations
		if c == "nodeExporter" {
			tolerations = `[{"operator": "Exists"}, ` + strings.TrimPrefix(ownTolerations, "[")
		}
		var wantRes map[string]any
		_ = json.Unmarshal([]byte(upstreamResources[c]), &wantRes)
		req, _ := wantRes["requests"].(map[string]any)
		if req == nil {
			req = map[string]any{}
		}
		req["cpu"] = "1"
		wantRes["requests"] = req
		// Deleting from limits upstream lacks leaves them empty.
		lim, _ := wantRes["limits"].(map[string]any)
		if lim == nil {
			lim = map[string]any{}
		}
		delete(lim, "memory")
		wantRes["limits"] = lim
		resFile, resPath := resourcesPath(c)
		want := map[string]map[string]any{file: {
			spec + ".nodeSelector":      `json:{"node-role.kubernetes.io/monitoring": "true"}`,
			spec + ".tolerations":       "json:" + tolerations,
			spec + ".affinity":          "json:" + ownAffinity,
			spec + ".priorityClassName": "monitoring",
		}}
		want[resFile][resPath] = wantRes
		tests = append(tests, fieldCase{name: c, vars: `{ cluster: { name: 'a' }, ` + c + `: ` + own + ` }`, want: want})
		// Unset: upstream's own.
		tests = append(tests, fieldCase{name: c + " unset", vars: minimal, want: map[string]map[string]any{file: {
			spec + ".tolerations":  "json:" + upstreamTolerations,
			spec + ".affinity":     nil,
			spec + ".nodeSelector": `json:{"kubernetes.io/os": "linux"}`,
		}}})
	}
	checkFields(t, tests)

	const all = `allComponents: {
		nodeSelector: { pool: 'infra' },
		tolerations: [{ key: 'infra', operator: 'Exists' }],
		affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 10, preference: { matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['c'] }] } }] } },
		priorityClassName: 'infra',
		resources: { limits: { cpu: null } },
	}`
	allAffinity := `{"preferredDuringSchedulingIgnoredDuringExecution": [{"weight": 10, "preference": {"matchExpressions": [{"key": "zone", "operator": "NotIn", "values": ["c"]}]}}]}`
	checkFields(t, []fieldCase{
		{
			name: "allComponents applies to every component but nodeExporter",
			vars: `{ cluster: { name: 'a' }, ` + all + ` }`,
			want: map[string]map[string]any{
				"manifests/kubeStateMetrics-deployment.yaml": {
					"spec.template.spec.nodeSelector":                  `json:{"kubernetes.io/os": "linux", "pool": "infra"}`,
					"spec.template.spec.tolerations":                   `json:[{"key": "infra", "operator": "Exists"}]`,
					"spec.template.spec.affinity":                      `json:{"nodeAffinity": ` + allAffinity + `}`,
					"spec.template.spec.priorityClassName":             "infra",
					"spec.template.spec.containers.0.resources":        `json:{"limits": {"memory": "250Mi"}, "requests": {"cpu": "10m", "memory": "190Mi"}}`,
					"spec.template.spec.containers.1.resources.limits": `json:{"cpu": "20m", "memory": "40Mi"}`,
				},
				promDeploy: {"spec.priorityClassName": "infra", "spec.resources": `json:{"limits": {}, "requests": {"memory": "400Mi"}}`},
				"manifests/nodeExporter-daemonset.yaml": {
					"spec.template.spec.nodeSelector":           `json:{"kubernetes.io/os": "linux"}`,
					"spec.template.spec.tolerations":            `json:[{"operator": "Exists"}]`,
					"spec.template.spec.priorityClassName":      "system-cluster-critical",
					"spec.template.spec.affinity":               nil,
					"spec.template.spec.containers.0.resources": "json:" + upstreamResources["nodeExporter"],
				},
			},
		},
		{
			name: "a component's own settings come after allComponents'",
			vars: `{ cluster: { name: 'a' }, ` + all + `, grafana: {
				nodeSelector: { pool: 'grafana', 'kubernetes.io/os': null },
				tolerations: [],
				affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'db' } } }] } },
				priorityClassName: 'grafana',
				resources: { limits: { cpu: '1' } },
			} }`,
			want: map[string]map[string]any{
				"manifests/grafana-deployment.yaml": {
					"spec.template.spec.nodeSelector":           `json:{"pool": "grafana"}`,
					"spec.template.spec.tolerations":            nil,
					"spec.template.spec.affinity":               `json:{"nodeAffinity": ` + allAffinity + `, "podAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [{"topologyKey": "kubernetes.io/hostname", "labelSelector": {"matchLabels": {"app": "db"}}}]}}`,
					"spec.template.spec.priorityClassName":      "grafana",
					"spec.template.spec.containers.0.resources": `json:{"limits": {"cpu": "1", "memory": "200Mi"}, "requests": {"cpu": "100m", "memory": "100Mi"}}`,
				},
			},
		},
		{
			name: "affinity merges onto the anti-affinity addon's; null deletes it",
			vars: `{ cluster: { name: 'a' }, addons: { antiAffinity: { enabled: true } },
				prometheus: { affinity: { nodeAffinity: ` + allAffinity + ` } },
				alertmanager: { affinity: { podAntiAffinity: null } } }`,
			want: map[string]map[string]any{
				promDeploy: {
					"spec.affinity.nodeAffinity": "json:" + allAffinity,
					"spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution.0.podAffinityTerm.topologyKey": "kubernetes.io/hostname",
				},
				"manifests/alertmanager-alertmanager.yaml": {"spec.affinity": `json:{}`},
			},
		},
	})

	checkProblems(t, []problemsCase{
		{
			name: "tolerations as the API server validates them",
			vars: `{ cluster: { name: 'a' }, prometheus: { tolerations: [
				{ operator: 'Equal', value: 'x' },
				{ key: 'a', operator: 'Exists', value: 'x' },
				{ key: 'b', effect: 'NoSchedule', tolerationSeconds: 60 },
				{ key: 'c', operator: 'In', effect: 'NoSchedul' },
				{ key: 'Bad Key', value: 'not/a/value', tolerationSeconds: -1 },
				null,
			] } }`,
			want: []string{
				`vars.prometheus.tolerations[0]: a toleration without a key needs operator "Exists" (it then tolerates every taint)`,
				`vars.prometheus.tolerations[1]: a toleration with operator "Exists" takes no value`,
				`vars.prometheus.tolerations[2]: tolerationSeconds needs effect "NoExecute"`,
				`vars.prometheus.tolerations[3].effect: expected one of "NoSchedule", "PreferNoSchedule", "NoExecute", got "NoSchedul" (did you mean "NoSchedule"?)`,
				`vars.prometheus.tolerations[3].operator: expected one of "Exists", "Equal", got "In"`,
				`vars.prometheus.tolerations[4].key: "Bad Key" is not a Kubernetes label key (an optional DNS-1123 subdomain and "/", then at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit)`,
				`vars.prometheus.tolerations[4].tolerationSeconds: -1: expected a whole number from 0 to 315360000`,
				`vars.prometheus.tolerations[4].value: "not/a/value" is not a Kubernetes label value (at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit; or empty)`,
				`vars.prometheus.tolerations[5]: expected object, got null`,
			},
		},
		{
			name: "node selectors, priority classes, resources",
			vars: `{ cluster: { name: 'a' },
				allComponents: { nodeSelector: { 'node role': 'x', ok: 'a b' }, priorityClassName: 'High' },
				kubeStateMetrics: { resources: { requests: { cpu: 'lots' } } },
				nodeExporter: { affinity: 'anywhere' },
				blackboxExporter: { tolerations: {} },
			}`,
			want: []string{
				`vars.allComponents.nodeSelector["node role"]: "node role" is not a Kubernetes label key (an optional DNS-1123 subdomain and "/", then at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit)`,
				`vars.allComponents.nodeSelector.ok: "a b" is not a Kubernetes label value (at most 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit; or empty)`,
				`vars.allComponents.priorityClassName: "High"` + notDNSSubdomain,
				`vars.blackboxExporter.tolerations: expected array, got object`,
				`vars.kubeStateMetrics.resources.requests.cpu: "lots"` + notQuantity,
				`vars.nodeExporter.affinity: expected object, got string "anywhere"`,
			},
		},
		{
			name: "affinity as the API server validates it",
			vars: `{ cluster: { name: 'a' }, grafana: { affinity: {
				nodeAffinity: {
					requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [
						{ key: 'zone', operator: 'In' },
						{ key: 'zone', operator: 'Exists', values: ['a'] },
						{ key: 'cpus', operator: 'Gt', values: ['four'] },
						{ key: 'cpus', operator: 'Lt', values: ['8'] },
						{ key: 'x', operator: 'Near', values: ['y'] },
					] }] },
					preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 0, preference: {} }, { preference: {} }],
				},
				podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app: 'x' } } }] },
				podAffinty: {},
			} } }`,
			want: []string{
				`vars.grafana.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: 0: expected a whole number from 1 to 100`,
				`vars.grafana.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[1].weight: required`,
				`vars.grafana.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0]: operator "In" needs at least one value`,
				`vars.grafana.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1]: operator "Exists" takes no values`,
				`vars.grafana.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[2]: operator "Gt" needs exactly one value, a whole number`,
				`vars.grafana.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[4].operator: expected one of "In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt", got "Near"`,
				`vars.grafana.affinity.podAffinty: unknown key (did you mean "podAffinity"?)`,
				`vars.grafana.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: required`,
			},
		},
		{
			name: "a required node affinity needs terms",
			vars: `{ cluster: { name: 'a' }, allComponents: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [] } } } }, prometheusAdapter: { affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: {} } } } }`,
			want: []string{
				`vars.allComponents.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: must not be empty`,
				`vars.prometheusAdapter.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: required`,
			},
		},
	})
}

// vars.prometheus: externalUrl, enableFeatures, additionalScrapeConfigs (a
// SecretKeySelector: the scrape configs stay in their Secret).
func TestPrometheusSettings(t *testing.T) {
	checkFields(t, []fieldCase{
		{
			name: "set",
			vars: `{ cluster: { name: 'a' }, prometheus: {
				externalUrl: 'https://prometheus.example.com/eu',
				enableFeatures: ['exemplar-storage', 'native-histograms'],
				additionalScrapeConfigs: { name: 'extra-scrape-configs', key: 'scrape.yaml', optional: true },
			} }`,
			want: map[string]map[string]any{promDeploy: {
				"spec.externalUrl":             "https://prometheus.example.com/eu",
				"spec.enableFeatures":          `json:["exemplar-storage", "native-histograms"]`,
				"spec.additionalScrapeConfigs": `json:{"name": "extra-scrape-configs", "key": "scrape.yaml", "optional": true}`,
			}},
		},
		{
			name: "unset",
			vars: minimal,
			want: map[string]map[string]any{promDeploy: {
				"spec.externalUrl":             nil,
				"spec.enableFeatures":          `json:[]`,
				"spec.additionalScrapeConfigs": nil,
			}},
		},
	})
	checkProblems(t, []problemsCase{{
		name: "URLs, feature names, Secret references",
		vars: `{ cluster: { name: 'a' }, prometheus: {
			externalUrl: 'prometheus.example.com',
			enableFeatures: ['exemplar-storage,native-histograms', ''],
			additionalScrapeConfigs: { name: 'Extra', key: 'scrape configs', optionl: true },
		} }`,
		want: []string{
			`vars.prometheus.additionalScrapeConfigs.key: "scrape configs" is not a key of a Secret (letters, digits, "-", "_" and ".", at most 253 characters)`,
			`vars.prometheus.additionalScrapeConfigs.name: "Extra"` + notDNSSubdomain,
			`vars.prometheus.additionalScrapeConfigs.optionl: unknown key (did you mean "optional"?)`,
			`vars.prometheus.enableFeatures[0]: "exemplar-storage,native-histograms" is not a feature name (letters, digits, "-", "_" and ".", e.g. "exemplar-storage")`,
			`vars.prometheus.enableFeatures[1]: "" is not a feature name (letters, digits, "-", "_" and ".", e.g. "exemplar-storage")`,
			`vars.prometheus.externalUrl: "prometheus.example.com" is not an http:// or https:// URL (with a host, without spaces)`,
		},
	}, {
		name: "scrape configs are a Secret's, never the vars'",
		vars: `{ cluster: { name: 'a' }, prometheus: { additionalScrapeConfigs: '- job_name: x' } }`,
		want: []string{
			`vars.prometheus.additionalScrapeConfigs: expected a reference to an existing Secret ({ name, key }), got string (credentials are never values in vars)`,
		},
	}})
}

// The Grafana datasources Secret's provisioning file, decoded.
func datasources(t *testing.T, files map[string]map[string]any) []any {
	t.Helper()
	var d struct{ Datasources []any }
	if err := json.Unmarshal([]byte(get(files["manifests/grafana-dashboardDatasources.yaml"], "stringData", "datasources.yaml").(string)), &d); err != nil {
		t.Fatal(err)
	}
	return d.Datasources
}

// vars.grafana: datasources beside the default one, credentials only from
// Secrets; plugins; admin credentials from a Secret.
func TestGrafanaSettings(t *testing.T) {
	files := newStack(t, `{ cluster: { name: 'a' }, grafana: {
		datasources: [
			{ name: 'Loki', type: 'loki', url: 'http://loki.logging:3100', access: 'proxy', basicAuth: true, basicAuthUser: 'grafana',
			  jsonData: { derivedFields: [{ name: 'trace', url: '${__value.raw}', matcherRegex: 'trace=(\\w+)' }], maxLines: 1000 },
			  secureJsonData: { basicAuthPassword: { name: 'loki-credentials', key: 'password' } } },
			{ name: 'Thanos', type: 'prometheus', url: 'https://thanos.example.com', isDefault: true, editable: null,
			  secureJsonData: { httpHeaderValue1: { name: 'thanos', key: 'token' }, tlsClientKey: { name: 'thanos-tls', key: 'tls.key' } },
			  jsonData: { httpHeaderName1: 'Authorization' } },
		],
		plugins: ['grafana-piechart-panel', 'grafana-clock-panel 2.1.3'],
		adminSecret: { name: 'grafana-admin' },
	} }`).files()
	want := jsonValue(t, `[
		{"access": "proxy", "editable": false, "name": "prometheus", "orgId": 1, "type": "prometheus", "url": "http://prometheus-k8s.monitoring.svc:9090", "version": 1},
		{"name": "Loki", "type": "loki", "url": "http://loki.logging:3100", "access": "proxy", "basicAuth": true, "basicAuthUser": "grafana",
		 "jsonData": {"derivedFields": [{"name": "trace", "url": "$${__value.raw}", "matcherRegex": "trace=(\\w+)"}], "maxLines": 1000},
		 "secureJsonData": {"basicAuthPassword": "$KPGEN_DATASOURCE_0_basicAuthPassword"}},
		{"name": "Thanos", "type": "prometheus", "url": "https://thanos.example.com", "isDefault": true,
		 "jsonData": {"httpHeaderName1": "Authorization"},
		 "secureJsonData": {"httpHeaderValue1": "$KPGEN_DATASOURCE_1_httpHeaderValue1", "tlsClientKey": "$KPGEN_DATASOURCE_1_tlsClientKey"}}
	]`)
	if got := datasources(t, files); !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", " ")
		t.Errorf("datasources:\n%s", g)
	}
	env := get(files["manifests/grafana-deployment.yaml"], "spec", "template", "spec", "containers", 0, "env")
	wantEnv := jsonValue(t, `[
		{"name": "GF_SECURITY_ADMIN_USER", "valueFrom": {"secretKeyRef": {"name": "grafana-admin", "key": "admin-user"}}},
		{"name": "GF_SECURITY_ADMIN_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "grafana-admin", "key": "admin-password"}}},
		{"name": "KPGEN_DATASOURCE_0_basicAuthPassword", "valueFrom": {"secretKeyRef": {"name": "loki-credentials", "key": "password"}}},
		{"name": "KPGEN_DATASOURCE_1_httpHeaderValue1", "valueFrom": {"secretKeyRef": {"name": "thanos", "key": "token"}}},
		{"name": "KPGEN_DATASOURCE_1_tlsClientKey", "valueFrom": {"secretKeyRef": {"name": "thanos-tls", "key": "tls.key"}}},
		{"name": "GF_INSTALL_PLUGINS", "value": "grafana-piechart-panel,grafana-clock-panel 2.1.3"}
	]`)
	if !reflect.DeepEqual(env, wantEnv) {
		g, _ := json.MarshalIndent(env, "", " ")
		t.Errorf("grafana env:\n%s", g)
	}
	// The credentials appear nowhere but as Secret references.
	b, _ := json.Marshal(files)
	if strings.Contains(string(b), "hunter2") {
		t.Error("a credential value rendered")
	}

	checkFields(t, []fieldCase{{
		name: "admin Secret keys",
		vars: `{ cluster: { name: 'a' }, grafana: { adminSecret: { name: 'admin', userKey: 'user', passwordKey: 'pass' } } }`,
		want: map[string]map[string]any{"manifests/grafana-deployment.yaml": {"spec.template.spec.containers.0.env": `json:[
			{"name": "GF_SECURITY_ADMIN_USER", "valueFrom": {"secretKeyRef": {"name": "admin", "key": "user"}}},
			{"name": "GF_SECURITY_ADMIN_PASSWORD", "valueFrom": {"secretKeyRef": {"name": "admin", "key": "pass"}}}]`}},
	}, {
		name: "unset",
		vars: minimal,
		want: map[string]map[string]any{"manifests/grafana-deployment.yaml": {"spec.template.spec.containers.0.env": `json:[]`}},
	}})

	checkProblems(t, []problemsCase{
		{
			name: "credentials are never values",
			vars: `{ cluster: { name: 'a' }, grafana: { datasources: [
				{ name: 'x', type: 'loki', password: 'hunter2', basicAuthPassword: 'hunter2', secureJsonData: { token: 'hunter2', key: ['hunter2'] } },
			] } }`,
			want: []string{
				`vars.grafana.datasources[0].basicAuthPassword: credentials are never values in vars: set secureJsonData.basicAuthPassword to a Secret reference { name, key }`,
				`vars.grafana.datasources[0].password: credentials are never values in vars: set secureJsonData.password to a Secret reference { name, key }`,
				`vars.grafana.datasources[0].secureJsonData.key: expected a reference to an existing Secret ({ name, key }), got array (credentials are never values in vars)`,
				`vars.grafana.datasources[0].secureJsonData.token: expected a reference to an existing Secret ({ name, key }), got string (credentials are never values in vars)`,
			},
		},
		{
			// A credential given where a reference belongs is never echoed.
			name: "credentials in place of references are not shown",
			vars: `{ cluster: { name: 'a' }, grafana: { adminSecret: 'admin:SEKRET1', datasources: [{ name: 'x', type: 'loki', secureJsonData: 'SEKRET2' }] } }`,
			want: []string{
				`vars.grafana.adminSecret: expected a reference to an existing Secret ({ name, passwordKey, userKey }), got string (credentials are never values in vars)`,
				`vars.grafana.datasources[0].secureJsonData: expected a map of references to existing Secrets, got string (credentials are never values in vars)`,
			},
		},
		{
			name: "datasource fields",
			vars: `{ cluster: { name: 'a' }, grafana: { datasources: [
				{ type: 'loki', acces: 'proxy', uid: 'a b', secureJsonData: { 'http-header': { name: 'x', key: 'y' }, token: { name: 'Bad', key: '' } } },
			], plugins: ['a,b'], adminSecret: { userKey: 'user name' } } }`,
			want: []string{
				`vars.grafana.adminSecret.name: required`,
				`vars.grafana.adminSecret.userKey: "user name" is not a key of a Secret (letters, digits, "-", "_" and ".", at most 253 characters)`,
				`vars.grafana.datasources[0].acces: unknown key (did you mean "access"?)`,
				`vars.grafana.datasources[0].name: required`,
				`vars.grafana.datasources[0].secureJsonData.http-header: "http-header" is not a secureJsonData key (letters, digits and "_", not starting with a digit)`,
				`vars.grafana.datasources[0].secureJsonData.token.key: "" is not a key of a Secret (letters, digits, "-", "_" and ".", at most 253 characters)`,
				`vars.grafana.datasources[0].secureJsonData.token.name: "Bad"` + notDNSSubdomain,
				`vars.grafana.datasources[0].uid: "a b" is not a Grafana uid (at most 40 letters, digits, "-" and "_")`,
				`vars.grafana.plugins[0]: "a,b" is not a Grafana plugin (an id, optionally a space and a version, or "<url>;<id>"; no ",")`,
			},
		},
		{
			name: "names Grafana would refuse, with the other problems",
			vars: `{ cluster: { name: 'a' }, grafana: { datasources: [
				{ name: 'prometheus', type: 'prometheus', url: 'http://x' },
				{ name: 'Loki', type: 'loki', isDefault: true },
				{ name: 'Loki', type: 'loki', isDefault: true },
				{ name: 'Tempo', type: 'tempo', password: 'x' },
			] }, namespace: 'Bad' }`,
			want: []string{
				`vars.grafana.datasources[3].password: credentials are never values in vars: set secureJsonData.password to a Secret reference { name, key }`,
				`vars.namespace: "Bad"` + notDNSLabel,
				`vars.grafana.datasources[0].name: "prometheus" is the name of one of kube-prometheus' own datasources`,
				`vars.grafana.datasources[2].name: "Loki" is also the name of vars.grafana.datasources[1]`,
				`vars.grafana.datasources[2].isDefault: vars.grafana.datasources[1] is the default already (Grafana takes one default datasource)`,
			},
		},
	})
}

// Every knob unset, spelt out: the render is exactly what the vars without
// them render (and so what kpgen rendered before the knobs existed: the
// goldens of testdata/golden and internal/cli/testdata did not change).
func TestKnobsUnsetRenderAsBefore(t *testing.T) {
	pod := `{ nodeSelector: {}, tolerations: null, affinity: null, priorityClassName: null, resources: null }`
	unset := `{
		cluster: { name: 'test' },
		allComponents: ` + pod + `,
		prometheus: { nodeSelector: {}, tolerations: null, affinity: null, priorityClassName: null, externalUrl: null, enableFeatures: [], additionalScrapeConfigs: null },
		alertmanager: { nodeSelector: {}, tolerations: null, affinity: null, priorityClassName: null },
		grafana: { datasources: [], plugins: [], adminSecret: null, nodeSelector: {}, tolerations: null, affinity: null, priorityClassName: null, resources: null },
		kubeStateMetrics: ` + pod + `, nodeExporter: ` + pod + `, prometheusOperator: ` + pod + `,
		blackboxExporter: ` + pod + `, prometheusAdapter: ` + pod + `,
		images: { registry: null, overrides: {} },
		addons: { allNamespaces: false, antiAffinity: { enabled: false, type: 'hard' }, ksmLite: false, managedCluster: false,
		          networkPoliciesDisabled: false, nodePorts: false, stripLimits: false, userFacingRoles: false },
		upstream: { alertmanagerMixin: {}, grafanaMixin: {}, kubePrometheusMixin: {}, kubeStateMetricsMixin: {},
		            kubernetesMixin: { cpuThrottlingPercent: null }, nodeMixin: {}, prometheusMixin: {}, prometheusOperatorMixin: {} },
	}`
	render := func(vars string) map[string][]byte {
		s := newStack(t, vars)
		res, err := s.renderer().Render(s.vars)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][]byte{}
		for _, f := range res.Files {
			y, err := manifest.ToYAML(f.JSON)
			if err != nil {
				t.Fatal(err)
			}
			out[f.Path] = y
		}
		return out
	}
	got, want := render(unset), render(minimal)
	if len(got) != len(want) {
		t.Errorf("%d files, want %d", len(got), len(want))
	}
	for p, w := range want {
		if string(got[p]) != string(w) {
			t.Errorf("%s differs", p)
		}
	}
}

// Each knob is read only by the objects it changes, so that clusters that
// differ in it share every other piece of work (docs/performance.md): two
// clusters of the same shape, differing in one knob, are rendered through
// one memo, and the second evaluates no more units than it has changed
// files. (A knob every unit read would make it evaluate them all.)
func TestKnobsReadOnlyWhereUsed(t *testing.T) {
	cluster := func(name, knobs string) string {
		return `{ cluster: { name: '` + name + `' }, ` + knobs + ` }`
	}
	for _, tt := range []struct{ name, a, b string }{
		{"image registry", `images: { registry: 'one.example.com' }`, `images: { registry: 'two.example.com' }`},
		{"one image", `images: { overrides: { grafana: 'r.example.com/grafana:1' } }`, `images: { overrides: { grafana: 'r.example.com/grafana:2' } }`},
		{"a component's priority class", `kubeStateMetrics: { priorityClassName: 'a' }`, `kubeStateMetrics: { priorityClassName: 'b' }`},
		{"every component's node selector", `allComponents: { nodeSelector: { pool: 'a' } }`, `allComponents: { nodeSelector: { pool: 'b' } }`},
		{"resources", `allComponents: { resources: { requests: { cpu: '1' } } }`, `allComponents: { resources: { requests: { cpu: '2' } } }`},
		{"an upstream mixin threshold", `upstream: { kubernetesMixin: { cpuThrottlingPercent: 30 } }`, `upstream: { kubernetesMixin: { cpuThrottlingPercent: 60 } }`},
		{"a Grafana plugin", `grafana: { plugins: ['a'] }`, `grafana: { plugins: ['b'] }`},
		{"a datasource's Secret", `grafana: { datasources: [{ name: 'l', type: 'loki', secureJsonData: { password: { name: 's', key: 'a' } } }] }`,
			`grafana: { datasources: [{ name: 'l', type: 'loki', secureJsonData: { password: { name: 's', key: 'b' } } }] }`},
		{"Prometheus' external URL", `prometheus: { externalUrl: 'https://a.example.com' }`, `prometheus: { externalUrl: 'https://b.example.com' }`},
		{"a sealed value", `sealedSecrets: { secrets: { s: { encryptedData: { k: '` + sealed + `' } } } }`, `sealedSecrets: { secrets: { s: { encryptedData: { k: '` + strings.Replace(sealed, "x", "y", 1) + `' } } } }`},
		{"anti-affinity's topology", `addons: { antiAffinity: { enabled: true, topologyKey: 'a' } }`, `addons: { antiAffinity: { enabled: true, topologyKey: 'b' } }`},
		// Read by the alertmanager-main Secret and the Alertmanager resource only.
		{"Alertmanager's routes", `alertmanager: { config: { route: { receiver: 'r', group_wait: '10s' }, receivers: { r: {} } } }`,
			`alertmanager: { config: { route: { receiver: 'r', group_wait: '20s' }, receivers: { r: {} } } }`},
		{"an Alertmanager receiver's Secret", `alertmanager: { config: { route: { receiver: 'r' }, receivers: { r: { webhook_configs: [{ url: { name: 'a', key: 'url' } }] } } } }`,
			`alertmanager: { config: { route: { receiver: 'r' }, receivers: { r: { webhook_configs: [{ url: { name: 'b', key: 'url' } }] } } } }`},
	} {
		t.Run(tt.name, func(t *testing.T) { readOnlyWhereUsed(t, cluster("a", tt.a), cluster("a", tt.b)) })
	}
}

// Everything a knob changes comes from the merged config: the library's
// fromConfig, which kpgen calls with each cluster's config when it renders
// several (and which defaults layered under the vars will reach the same
// way), renders what new(vars) renders, every knob set.
func TestKnobsComeFromTheConfig(t *testing.T) {
	s := newStack(t, "")
	testutil.CopyTree(t, filepath.Join(testutil.RepoRoot(), "vars", "example-airgapped.jsonnet"), s.vars)
	root := project.Root{Dir: s.dir}
	want, err := render.New(root).Files(s.vars)
	if err != nil {
		t.Fatal(err)
	}
	got, err := render.FilesMemo([]*render.Renderer{render.New(root)}, s.vars, render.NewMemo())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("%d files through fromConfig, %d through new(vars)", len(got), len(want))
	}
	for i := range want {
		if got[i].Path != want[i].Path || string(got[i].JSON) != string(want[i].JSON) {
			t.Errorf("%s differs through fromConfig", want[i].Path)
		}
	}
}
