package mixintest

import (
	"encoding/json"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

type endpoint struct {
	Port        string           `json:"port"`
	HonorLabels *bool            `json:"honorLabels"`
	Relabelings []map[string]any `json:"relabelings"`
}

type monitor struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"metadata"`
	Spec struct {
		NamespaceSelector struct {
			MatchNames []string `json:"matchNames"`
		} `json:"namespaceSelector"`
		Selector struct {
			MatchLabels      map[string]string `json:"matchLabels"`
			MatchExpressions []struct {
				Key      string `json:"key"`
				Operator string `json:"operator"`
			} `json:"matchExpressions"`
		} `json:"selector"`
		Endpoints           []endpoint `json:"endpoints"`
		PodMetricsEndpoints []endpoint `json:"podMetricsEndpoints"`
	} `json:"spec"`
}

func (m monitor) endpoint() endpoint {
	eps := m.Spec.Endpoints
	if m.Kind == "PodMonitor" {
		eps = m.Spec.PodMetricsEndpoints
	}
	if len(eps) != 1 {
		return endpoint{}
	}
	return eps[0]
}

// job is the fixed job label the monitor's relabelings set.
func (m monitor) job() string {
	for _, r := range m.endpoint().Relabelings {
		if r["targetLabel"] == "job" {
			s, _ := r["replacement"].(string)
			return s
		}
	}
	return ""
}

// wantMonitor is what a monitor must select: what the projects expose.
type wantMonitor struct {
	mixin, field, kind string
	namespaces         []string
	matchLabels        map[string]string
	exists             []string // label keys the selector requires to exist
	port, job          string
}

var wantMonitors = []wantMonitor{
	{"velero", "serviceMonitor", "ServiceMonitor", []string{"velero"},
		map[string]string{"app.kubernetes.io/name": "velero"}, nil, "http-monitoring", "velero"},
	{"cnpg", "podMonitor", "PodMonitor", []string{"default"},
		map[string]string{"cnpg.io/podRole": "instance"}, []string{"cnpg.io/cluster"}, "metrics", "cnpg"},
	{"cilium", "podMonitorAgent", "PodMonitor", []string{"kube-system"},
		map[string]string{"k8s-app": "cilium"}, nil, "prometheus", "cilium-agent"},
	{"cilium", "podMonitorOperator", "PodMonitor", []string{"kube-system"},
		map[string]string{"io.cilium/app": "operator"}, nil, "prometheus", "cilium-operator"},
	{"cilium", "serviceMonitorHubble", "ServiceMonitor", []string{"kube-system"},
		map[string]string{"k8s-app": "hubble"}, nil, "hubble-metrics", "hubble"},
	{"cert-manager", "serviceMonitor", "ServiceMonitor", []string{"cert-manager"},
		map[string]string{"app.kubernetes.io/name": "cert-manager", "app.kubernetes.io/component": "controller"}, nil, "tcp-prometheus-servicemonitor", "cert-manager"},
}

var upJob = regexp.MustCompile(`up\{job="([^"]+)"\}`)

// TestMonitors checks the rendered monitors against what Velero, CloudNativePG,
// Cilium and cert-manager expose, and that every job the alerts watch is one
// a monitor scrapes.
func TestMonitors(t *testing.T) {
	stack := renderMixins(t)
	for _, m := range mixins {
		r := stack[m.Name]
		want := map[string]wantMonitor{}
		for _, w := range wantMonitors {
			if w.mixin == m.Name {
				want[w.field] = w
			}
		}
		jobs := map[string]bool{}
		for field, obj := range r.Objects {
			if field == "prometheusRule" {
				checkRule(t, m, obj)
				continue
			}
			w, ok := want[field]
			if !ok {
				t.Errorf("%s: unexpected object %s", m.Name, field)
				continue
			}
			delete(want, field)
			var got monitor
			if err := json.Unmarshal(obj, &got); err != nil {
				t.Fatal(err)
			}
			checkMonitor(t, m.Name+"."+field, got, w)
			jobs[got.job()] = true
		}
		for field := range want {
			t.Errorf("%s: no %s-%s.yaml", m.Name, m.Key, field)
		}
		for _, a := range alertsOf(t, r.Objects["prometheusRule"]) {
			for _, j := range upJob.FindAllStringSubmatch(a.Expr, -1) {
				if !jobs[j[1]] {
					t.Errorf("%s: alert %s watches job %q, which no monitor of the mixin sets", m.Name, a.Alert, j[1])
				}
			}
		}
	}
}

func checkRule(t *testing.T, m mixin, obj json.RawMessage) {
	t.Helper()
	var got monitor
	if err := json.Unmarshal(obj, &got); err != nil {
		t.Fatal(err)
	}
	if got.Kind != "PrometheusRule" || got.Metadata.Name != m.Name+"-rules" || got.Metadata.Namespace != monitoringNamespace {
		t.Errorf("%s: PrometheusRule is %s %s/%s, want PrometheusRule %s/%s-rules", m.Name, got.Kind, got.Metadata.Namespace, got.Metadata.Name, monitoringNamespace, m.Name)
	}
}

func checkMonitor(t *testing.T, what string, got monitor, w wantMonitor) {
	t.Helper()
	if got.APIVersion != "monitoring.coreos.com/v1" || got.Kind != w.kind {
		t.Errorf("%s: %s %s, want monitoring.coreos.com/v1 %s", what, got.APIVersion, got.Kind, w.kind)
	}
	if got.Metadata.Namespace != monitoringNamespace {
		t.Errorf("%s: in namespace %q, want the monitoring namespace %q", what, got.Metadata.Namespace, monitoringNamespace)
	}
	if !reflect.DeepEqual(got.Spec.NamespaceSelector.MatchNames, w.namespaces) {
		t.Errorf("%s: namespaceSelector.matchNames = %q, want %q", what, got.Spec.NamespaceSelector.MatchNames, w.namespaces)
	}
	if !reflect.DeepEqual(got.Spec.Selector.MatchLabels, w.matchLabels) {
		t.Errorf("%s: selector.matchLabels = %v, want %v", what, got.Spec.Selector.MatchLabels, w.matchLabels)
	}
	var exists []string
	for _, e := range got.Spec.Selector.MatchExpressions {
		if e.Operator == "Exists" {
			exists = append(exists, e.Key)
		} else {
			t.Errorf("%s: unexpected selector expression %s %s", what, e.Key, e.Operator)
		}
	}
	if !reflect.DeepEqual(exists, w.exists) {
		t.Errorf("%s: selector requires %q to exist, want %q", what, exists, w.exists)
	}
	ep := got.endpoint()
	if ep.Port != w.port {
		t.Errorf("%s: one endpoint on port %q expected, got %+v", what, w.port, got.Spec)
	}
	if ep.HonorLabels == nil || *ep.HonorLabels {
		t.Errorf("%s: honorLabels must be false (the rules rely on exported_* labels), got %v", what, ep.HonorLabels)
	}
	if got.job() != w.job {
		t.Errorf("%s: job label %q, want %q", what, got.job(), w.job)
	}
}

// TestComponentContract evaluates each component.libsonnet directly, the way
// the library calls it: visible fields are objects in the monitoring
// namespace, mixin and targetNamespaces are hidden, and the settings reach
// the monitors.
func TestComponentContract(t *testing.T) {
	cases := []struct {
		name, settings string
		namespaces     []string
	}{
		{"velero", `{}`, []string{"velero"}},
		{"velero", `{ namespace: 'backup' }`, []string{"backup"}},
		{"cnpg", `{}`, []string{"default"}},
		{"cnpg", `{ namespaces: ['db-a', 'db-b'] }`, []string{"db-a", "db-b"}},
		{"cilium", `{ namespace: 'cilium' }`, []string{"cilium"}},
		{"cert-manager", `{ enabled: true, namespace: 'certs' }`, []string{"certs"}},
	}
	for _, c := range cases {
		v, err := component(t, c.name, c.settings)
		if err != nil {
			t.Errorf("%s %s: %v", c.name, c.settings, err)
			continue
		}
		if !reflect.DeepEqual(v.Hidden, []string{"mixin", "targetNamespaces"}) {
			t.Errorf("%s: hidden fields %q, want [mixin targetNamespaces]", c.name, v.Hidden)
		}
		if !reflect.DeepEqual(v.TargetNamespaces, c.namespaces) {
			t.Errorf("%s %s: targetNamespaces = %q, want %q", c.name, c.settings, v.TargetNamespaces, c.namespaces)
		}
		for field, obj := range v.Objects {
			var o monitor
			if err := json.Unmarshal(obj, &o); err != nil {
				t.Fatal(err)
			}
			if o.Metadata.Namespace != monitoringNamespace {
				t.Errorf("%s.%s: namespace %q, want %q", c.name, field, o.Metadata.Namespace, monitoringNamespace)
			}
			if o.Kind != "PrometheusRule" && !reflect.DeepEqual(o.Spec.NamespaceSelector.MatchNames, c.namespaces) {
				t.Errorf("%s %s: %s selects namespaces %q, want %q", c.name, c.settings, field, o.Spec.NamespaceSelector.MatchNames, c.namespaces)
			}
		}
		var pr struct {
			Metadata struct {
				Labels map[string]string `json:"labels"`
			} `json:"metadata"`
		}
		if err := json.Unmarshal(v.Objects["prometheusRule"], &pr); err != nil {
			t.Fatal(err)
		}
		if pr.Metadata.Labels["role"] != "alert-rules" {
			t.Errorf("%s: PrometheusRule labels %v lack the ruleLabels", c.name, pr.Metadata.Labels)
		}
	}
}

// TestComponentSettingsErrors: settings the mixin does not know, and values
// PromQL cannot take, fail the evaluation with a message naming them.
func TestComponentSettingsErrors(t *testing.T) {
	cases := []struct{ name, settings, want string }{
		{"cilium", `{ namespce: 'x' }`, "cilium: unknown setting(s) namespce"},
		{"cnpg", `{ namespace: 'x' }`, "cnpg: unknown setting(s) namespace"},
		{"velero", `{ scheduleMaxAgeSeconds: { weekly: '8d' } }`, "expected a number"},
	}
	for _, c := range cases {
		_, err := component(t, c.name, c.settings)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s: error %v, want one containing %q", c.name, c.settings, err, c.want)
		}
	}
}

// TestVeleroScheduleOverride: each overridden schedule gets its own
// threshold and is excluded from the default one.
func TestVeleroScheduleOverride(t *testing.T) {
	v, err := component(t, "velero", `{ backupMaxAgeSeconds: 1000, scheduleMaxAgeSeconds: { weekly: 691200, monthly: 2764800.5 } }`)
	if err != nil {
		t.Fatal(err)
	}
	var expr string
	for _, a := range alertsOf(t, v.Objects["prometheusRule"]) {
		if a.Alert == "VeleroBackupTooOld" {
			expr = a.Expr
		}
	}
	for _, want := range []string{
		`velero_backup_last_successful_timestamp{schedule!="", schedule!="monthly", schedule!="weekly"}) > 1000`,
		`velero_backup_last_successful_timestamp{schedule="monthly"}) > 2764800.5`,
		`velero_backup_last_successful_timestamp{schedule="weekly"}) > 691200`,
	} {
		if !strings.Contains(expr, want) {
			t.Errorf("VeleroBackupTooOld expr lacks %q:\n%s", want, expr)
		}
	}
}
