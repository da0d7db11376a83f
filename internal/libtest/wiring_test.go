package libtest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/manifest"
	"github.com/kpgen/kpgen/internal/testutil"
)

const (
	roles        = "manifests/prometheus-roleSpecificNamespaces.yaml"
	roleBindings = "manifests/prometheus-roleBindingSpecificNamespaces.yaml"
	kubeletSM    = "manifests/kubernetesControlPlane-serviceMonitorKubelet.yaml"
	prometheusCR = "manifests/prometheus-prometheus.yaml"
)

// upstream's own namespaces for Prometheus' Roles: default, kube-system and
// the monitoring namespace.
var upstreamNamespaces = []string{"default", "kube-system", "monitoring"}

func TestMixinRBAC(t *testing.T) {
	t.Run("velero: Role and RoleBinding in its namespace", func(t *testing.T) {
		files := newStack(t, "{ cluster: { name: 'test' }, mixins: { velero: { enabled: true } } }").files()
		want := append(upstreamNamespaces[:3:3], "velero")
		for _, f := range []string{roles, roleBindings} {
			if got := itemNamespaces(files[f]); !reflect.DeepEqual(got, want) {
				t.Errorf("%s: namespaces %v, want %v", f, got, want)
			}
		}
		for _, f := range []string{"manifests/velero-prometheusRule.yaml", "manifests/velero-serviceMonitor.yaml"} {
			if files[f] == nil {
				t.Errorf("%s not rendered", f)
			}
		}
		rb := get(files[roleBindings], "items", 3).(map[string]any)
		if get(rb, "roleRef", "name") != "prometheus-k8s" || get(rb, "subjects", 0, "namespace") != "monitoring" {
			t.Errorf("velero RoleBinding does not bind monitoring's Prometheus: %v", rb)
		}
	})

	t.Run("namespace moved, extra namespaces, duplicates once", func(t *testing.T) {
		files := newStack(t, `{
			cluster: { name: 'test' },
			prometheus: { extraNamespaces: ['payments', 'backup', 'kube-system'] },
			mixins: {
				velero: { enabled: true, namespace: 'backup' },
				cilium: { enabled: true },  // kube-system, already upstream's
				cnpg: { enabled: true, namespaces: ['payments', 'orders'] },
			},
		}`).files()
		got := itemNamespaces(files[roles])
		want := []string{"default", "kube-system", "monitoring", "orders", "payments", "backup"}
		sort.Strings(got[3:])
		sort.Strings(want[3:])
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Role namespaces %v, want %v (upstream's first, each once)", got, want)
		}
	})

	t.Run("nothing enabled: upstream's namespaces only", func(t *testing.T) {
		files := newStack(t, minimal).files()
		if got := itemNamespaces(files[roles]); !reflect.DeepEqual(got, upstreamNamespaces) {
			t.Errorf("Role namespaces %v, want %v", got, upstreamNamespaces)
		}
	})
}

func TestMixinsSelectedByPrometheus(t *testing.T) {
	s := newStack(t, "{ cluster: { name: 'test' }, mixins: { velero: { enabled: true }, cilium: { enabled: true } } }")
	spec := get(s.files()[prometheusCR], "spec")
	for _, k := range []string{"serviceMonitorSelector", "serviceMonitorNamespaceSelector", "podMonitorSelector", "podMonitorNamespaceSelector", "ruleSelector", "ruleNamespaceSelector"} {
		if !reflect.DeepEqual(get(spec, k), map[string]any{}) {
			t.Errorf("Prometheus %s = %v, want {} (everything)", k, get(spec, k))
		}
	}
	// A Prometheus selecting by labels our monitors lack is an error, not
	// a silently unmonitored component.
	var v any
	err := s.eval("(k.stack + { prometheus+: { prometheus+: { spec+: { serviceMonitorSelector: { matchLabels: { team: 'x' } } } } } }).prometheus.prometheus.spec", &v)
	if err == nil || !strings.Contains(err.Error(), "ServiceMonitor monitoring/velero is not selected by the Prometheus") {
		t.Errorf("want an unselected-monitor error, got %v", err)
	}
	// matchLabels the monitors carry are fine.
	if err := s.eval("(k.stack + { prometheus+: { prometheus+: { spec+: { podMonitorSelector: { matchLabels: { 'app.kubernetes.io/part-of': 'kpgen' } } } } } }).prometheus.prometheus.spec", &v); err != nil {
		t.Errorf("matching selector: %v", err)
	}
}

func kubeletEndpoints(t *testing.T, fix string) []any {
	t.Helper()
	vars := "{ cluster: { name: 'test' }, kubelet: { probesDuplicateFix: '" + fix + "' } }"
	return get(newStack(t, vars).files()[kubeletSM], "spec", "endpoints").([]any)
}

func endpointByPath(eps []any, path string) map[string]any {
	for _, e := range eps {
		p, _ := get(e, "path").(string)
		if p == path {
			return e.(map[string]any)
		}
	}
	return nil
}

func TestKubeletProbesDuplicateFix(t *testing.T) {
	upstream := kubeletEndpoints(t, "off")
	if len(upstream) != 3 || endpointByPath(upstream, "/metrics/probes") == nil {
		t.Fatalf("stand-in kubelet endpoints changed: %v", upstream)
	}
	var plain []any
	newStack(t, minimal).mustEval("(import 'kube-prometheus/main.libsonnet').kubernetesControlPlane.serviceMonitorKubelet.spec.endpoints", &plain)
	if !reflect.DeepEqual(upstream, plain) {
		t.Errorf("off: endpoints differ from upstream's:\n%v\n%v", upstream, plain)
	}
	drop := map[string]any{"sourceLabels": []any{"__name__"}, "regex": "process_start_time_seconds", "action": "drop"}

	t.Run("default is metricRelabelings on /metrics/probes only", func(t *testing.T) {
		def := get(newStack(t, minimal).files()[kubeletSM], "spec", "endpoints").([]any)
		mr := kubeletEndpoints(t, "metricRelabelings")
		if !reflect.DeepEqual(def, mr) {
			t.Errorf("default differs from metricRelabelings")
		}
		if len(mr) != len(upstream) {
			t.Fatalf("%d endpoints, want %d", len(mr), len(upstream))
		}
		for i, e := range mr {
			p, _ := get(e, "path").(string)
			if p != "/metrics/probes" {
				if !reflect.DeepEqual(e, upstream[i]) {
					t.Errorf("endpoint %q changed: %v", p, e)
				}
				continue
			}
			rel := get(e, "metricRelabelings").([]any)
			if !reflect.DeepEqual(rel, []any{drop}) {
				t.Errorf("probes metricRelabelings = %v, want [%v]", rel, drop)
			}
			if !reflect.DeepEqual(get(e, "relabelings"), get(upstream[i], "relabelings")) {
				t.Errorf("probes relabelings changed: %v", get(e, "relabelings"))
			}
		}
	})

	t.Run("dropEndpoint removes /metrics/probes, keeps /metrics and /metrics/cadvisor", func(t *testing.T) {
		eps := kubeletEndpoints(t, "dropEndpoint")
		if endpointByPath(eps, "/metrics/probes") != nil {
			t.Errorf("/metrics/probes still scraped")
		}
		if len(eps) != 2 || endpointByPath(eps, "") == nil || endpointByPath(eps, "/metrics/cadvisor") == nil {
			t.Errorf("endpoints %v, want /metrics and /metrics/cadvisor", eps)
		}
	})
}

func TestExternalLabels(t *testing.T) {
	labels := func(vars string) any {
		return get(newStack(t, vars).files()[prometheusCR], "spec", "externalLabels")
	}
	tests := []struct {
		vars string
		want map[string]any
	}{
		{minimal, map[string]any{"cluster": "test"}},
		{"{ cluster: { name: 'test', environment: 'prod' }, prometheus: { externalLabels: { region: 'eu' } } }",
			map[string]any{"cluster": "test", "environment": "prod", "region": "eu"}},
		{"{ cluster: { name: 'test' }, prometheus: { externalLabels: { cluster: 'other' } } }", map[string]any{"cluster": "other"}},
		{"{ cluster: { name: 'test' }, prometheus: { externalLabels: { cluster: null } } }", map[string]any{}},
	}
	for _, tt := range tests {
		if got := labels(tt.vars); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: externalLabels %v, want %v", tt.vars, got, tt.want)
		}
	}
}

func TestRules(t *testing.T) {
	base := alerts(newStack(t, minimal).files())
	if len(base["Watchdog"]) != 1 || len(base["TargetDown"]) != 1 {
		t.Fatalf("stand-in alerts changed: %v", base)
	}

	t.Run("disable removes the alert everywhere", func(t *testing.T) {
		got := alerts(newStack(t, "{ cluster: { name: 'test' }, rules: { disable: ['Watchdog', 'KubeletClientCertificateExpiration'] } }").files())
		for _, a := range []string{"Watchdog", "KubeletClientCertificateExpiration"} {
			if len(got[a]) != 0 {
				t.Errorf("%s still rendered", a)
			}
		}
		if len(got) != len(base)-2 {
			t.Errorf("%d alert names left, want %d", len(got), len(base)-2)
		}
	})

	t.Run("override sets for and severity", func(t *testing.T) {
		got := alerts(newStack(t, "{ cluster: { name: 'test' }, rules: { override: { TargetDown: { 'for': '30m', severity: 'critical' }, Watchdog: { severity: 'info' } } } }").files())
		td := got["TargetDown"][0]
		if td["for"] != "30m" || get(td, "labels", "severity") != "critical" {
			t.Errorf("TargetDown = %v", td)
		}
		if td["expr"] != base["TargetDown"][0]["expr"] {
			t.Errorf("TargetDown expr changed")
		}
		wd := got["Watchdog"][0]
		if wd["for"] != base["Watchdog"][0]["for"] || get(wd, "labels", "severity") != "info" {
			t.Errorf("Watchdog = %v", wd)
		}
	})

	t.Run("override reaches our mixins' alerts", func(t *testing.T) {
		got := alerts(newStack(t, "{ cluster: { name: 'test' }, mixins: { velero: { enabled: true } }, rules: { override: { VeleroBackupFailing: { severity: 'critical' } } } }").files())
		if get(got["VeleroBackupFailing"][0], "labels", "severity") != "critical" {
			t.Errorf("VeleroBackupFailing = %v", got["VeleroBackupFailing"])
		}
	})
}

func TestKubeletCertExpiryThresholds(t *testing.T) {
	base := alerts(newStack(t, minimal).files())
	got := alerts(newStack(t, "{ cluster: { name: 'test' }, kubelet: { certExpirationWarningSeconds: 1209600, certExpirationCriticalSeconds: 259200 } }").files())
	for _, a := range []string{"KubeletClientCertificateExpiration", "KubeletServerCertificateExpiration", "KubeletClientCertificateRenewalErrors", "KubeletServerCertificateRenewalErrors"} {
		if len(got[a]) != len(base[a]) || len(base[a]) == 0 {
			t.Errorf("%s: %d rules, upstream has %d (never duplicated)", a, len(got[a]), len(base[a]))
		}
	}
	for _, r := range got["KubeletClientCertificateExpiration"] {
		want := map[string]string{"warning": "1209600", "critical": "259200"}[get(r, "labels", "severity").(string)]
		if !strings.Contains(r["expr"].(string), want) {
			t.Errorf("%s alert expr %q lacks threshold %s", get(r, "labels", "severity"), r["expr"], want)
		}
	}
}

func TestSettings(t *testing.T) {
	files := newStack(t, `{
		cluster: { name: 'test' },
		prometheus: { replicas: 1, retention: '7d', retentionSize: '40GB', storage: { size: '50Gi', class: 'fast' },
		              remoteWrite: [{ url: 'https://m.example/push' }] },
		alertmanager: { replicas: 1 },
		grafana: { enabled: false },
	}`).files()
	spec := get(files[prometheusCR], "spec")
	if get(spec, "replicas") != 1.0 || get(spec, "retention") != "7d" || get(spec, "retentionSize") != "40GB" {
		t.Errorf("Prometheus spec: %v", spec)
	}
	if get(spec, "storage", "volumeClaimTemplate", "spec", "storageClassName") != "fast" ||
		get(spec, "storage", "volumeClaimTemplate", "spec", "resources", "requests", "storage") != "50Gi" {
		t.Errorf("storage: %v", get(spec, "storage"))
	}
	if get(spec, "remoteWrite", 0, "url") != "https://m.example/push" {
		t.Errorf("remoteWrite: %v", get(spec, "remoteWrite"))
	}
	if get(files["manifests/alertmanager-alertmanager.yaml"], "spec", "replicas") != 1.0 {
		t.Errorf("alertmanager replicas")
	}
	for p := range files {
		if strings.HasPrefix(p, "manifests/grafana-") || p == "manifests/prometheus-podDisruptionBudget.yaml" || p == "manifests/alertmanager-podDisruptionBudget.yaml" {
			t.Errorf("%s rendered", p)
		}
	}
}

// vars/upstream-defaults.jsonnet switches every addition off: on the stand-in
// it renders exactly what plain kube-prometheus renders with upstream's
// kustomize layout (examples/kustomize.jsonnet).
func TestUpstreamDefaultsIsUpstream(t *testing.T) {
	s := newStack(t, "")
	testutil.CopyTree(t, filepath.Join(testutil.RepoRoot(), "vars", "upstream-defaults.jsonnet"), s.vars)
	res, err := s.renderer().Render(s.vars)
	if err != nil {
		t.Fatal(err)
	}
	var plain map[string]json.RawMessage
	s.mustEval("(import 'layout.libsonnet').files((import 'kube-prometheus/main.libsonnet') + { values+:: { common+: { namespace: 'monitoring' } } })", &plain)
	if len(res.Files) != len(plain) {
		t.Errorf("%d files, plain kube-prometheus has %d", len(res.Files), len(plain))
	}
	for _, f := range res.Files {
		want, ok := plain[f.Path]
		if !ok {
			t.Errorf("%s: not in plain kube-prometheus", f.Path)
			continue
		}
		gy, err1 := manifest.ToYAML(f.JSON)
		wy, err2 := manifest.ToYAML(want)
		if err1 != nil || err2 != nil || !bytes.Equal(gy, wy) {
			t.Errorf("%s differs from plain kube-prometheus", f.Path)
		}
	}
}

// A mixin no vars file mentions is never imported: removing its directory
// changes nothing for clusters that don't use it.
func TestUnusedMixinsNotLoaded(t *testing.T) {
	s := newStack(t, "{ cluster: { name: 'test' }, mixins: { velero: { enabled: true } } }")
	for _, m := range []string{"cnpg", "cilium", "cert-manager"} {
		if err := os.RemoveAll(filepath.Join(s.dir, "jsonnet", "mixins", m)); err != nil {
			t.Fatal(err)
		}
	}
	if p := s.problems(); p != nil {
		t.Fatalf("problems: %v", p)
	}
	if files := s.files(); files["manifests/velero-prometheusRule.yaml"] == nil {
		t.Error("velero not rendered")
	}
}
