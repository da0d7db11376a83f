package diff

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/diff")

const goldenDir = "../../testdata/diff"

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/diff -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the output (go test ./internal/diff -update rewrites it); got:\n%s", path, got)
	}
}

// clusterFiles renders one cluster's fixture output: the knobs are what
// differ between clusters and between old and new.
type knobs struct {
	cluster     string
	forDur      string
	threshold   string
	image       string
	clusterRule bool // a rule labelled with the cluster's name
	replica     bool // an external label made of the cluster's name
	extraSvc    bool
	panelTitle  string
	multiline   string
}

func clusterFiles(t *testing.T, k knobs) map[string][]byte {
	rules := l{
		alert("TargetDown", "up == 0", k.forDur, m{"severity": "warning"}),
		m{"alert": "DiskFilling", "expr": "predict_linear(disk_free[6h], 4*3600) < 0\nand\ndisk_free / disk_size < " + k.threshold, "for": "1h",
			"labels": m{"severity": "critical"}, "annotations": m{"summary": "Disk fills up within 4 hours."}},
	}
	if k.clusterRule {
		rules = append(rules, alert("ClusterDown", `absent(up{cluster="`+k.cluster+`"})`, "5m", m{"cluster": k.cluster}))
	}
	objs := map[string]any{
		"kustomization.yaml":           m{"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "resources": l{"./manifests/rules.yaml"}},
		"manifests/rules.yaml":         ruleObject("kpgen-rules", group("kpgen.rules", rules...)),
		"manifests/deployment.yaml":    deployment(k.image, nil),
		"manifests/dashboards.yaml":    dashboardConfigMap(t, "grafana-dashboard-nodes", map[string]m{"nodes.json": {"uid": "nodes", "title": "Nodes", "panels": l{panel(1, k.panelTitle, nil), panel(2, "Memory", nil)}}}),
		"manifests/prometheus.yaml":    kobj("monitoring.coreos.com/v1", "Prometheus", "monitoring", "k8s", m{"spec": m{"externalLabels": m{"cluster": k.cluster}}}),
		"manifests/configuration.yaml": kobj("v1", "Secret", "monitoring", "config", m{"stringData": m{"config.yaml": k.multiline}}),
	}
	if k.replica {
		objs["manifests/prometheus.yaml"].(m)["spec"].(m)["externalLabels"].(m)["prometheus_replica"] = k.cluster + "-0"
	}
	if k.extraSvc {
		objs["manifests/extra.yaml"] = kobj("v1", "Service", "monitoring", "extra", nil)
	}
	return fileSetOf(t, objs)
}

const config1 = "global:\n  resolve_timeout: 5m\nroute:\n  receiver: default\n  group_wait: 30s\nreceivers:\n- name: default\n"
const config2 = "global:\n  resolve_timeout: 10m\nroute:\n  receiver: default\n  group_wait: 30s\nreceivers:\n- name: default\n- name: pager\n"

func fixtureReport(t *testing.T) *Report {
	base := func(cluster string) knobs {
		return knobs{cluster: cluster, forDur: "5m", threshold: "0.1", image: "app:1.0", panelTitle: "CPU", multiline: config1}
	}
	rep := &Report{Failed: []Failure{{Cluster: "broken", Error: "vars/broken.jsonnet: invalid vars (1 problem(s)):\n  cluster.name: required"}}}
	add := func(old, new knobs) {
		d, err := Compare(new.cluster, clusterFiles(t, old), clusterFiles(t, new))
		if err != nil {
			t.Fatal(err)
		}
		rep.Clusters = append(rep.Clusters, d)
	}
	// Every changed cluster gets the new image and the renamed panel.
	// The two production clusters also change alike: a new 'for', a new
	// rule that names the cluster.
	for _, c := range []string{"prod-us", "prod-eu"} {
		old, new := base(c), base(c)
		new.image, new.panelTitle = "app:1.1", "CPU usage"
		new.forDur, new.clusterRule, new.replica = "10m", true, true
		add(old, new)
	}
	// Staging changes in every other way.
	old, new := base("staging"), base("staging")
	old.extraSvc = true
	new.threshold, new.image, new.panelTitle, new.multiline = "0.05", "app:1.1", "CPU usage", config2
	add(old, new)
	// Dev does not change.
	add(base("dev"), base("dev"))
	return rep
}

func TestMarkdownGolden(t *testing.T) {
	var b bytes.Buffer
	if err := fixtureReport(t).Markdown(&b); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.md", b.Bytes())

	b.Reset()
	d, _ := Compare("dev", clusterFiles(t, knobs{cluster: "dev"}), clusterFiles(t, knobs{cluster: "dev"}))
	(&Report{Clusters: []*ClusterDiff{d}}).Markdown(&b)
	golden(t, "nochange.md", b.Bytes())
}

func TestMarkdownBudget(t *testing.T) {
	defer func(n int) { MarkdownMaxBytes = n }(MarkdownMaxBytes)
	MarkdownMaxBytes = 1500
	var b bytes.Buffer
	fixtureReport(t).Markdown(&b)
	if b.Len() > 1500 {
		t.Errorf("markdown is %d bytes, over the budget of 1500", b.Len())
	}
	if !strings.Contains(b.String(), "left out to fit") {
		t.Errorf("truncated markdown does not say so:\n%s", b.String())
	}
	if strings.Count(b.String(), "<details>") != strings.Count(b.String(), "</details>") {
		t.Errorf("unbalanced <details>:\n%s", b.String())
	}
}

func TestTextGolden(t *testing.T) {
	var b bytes.Buffer
	if err := fixtureReport(t).Text(&b, false); err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(b.Bytes(), []byte("\033[")) {
		t.Error("text without colour holds escape sequences")
	}
	golden(t, "report.txt", b.Bytes())

	b.Reset()
	fixtureReport(t).Text(&b, true)
	if !bytes.Contains(b.Bytes(), []byte("\033[32m+")) {
		t.Errorf("text in colour has no green +:\n%s", b.String())
	}
}

func TestJSONDecodes(t *testing.T) {
	var b bytes.Buffer
	if err := fixtureReport(t).JSON(&b); err != nil {
		t.Fatal(err)
	}
	var got JSONReport
	dec := json.NewDecoder(&b)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&got); err != nil {
		t.Fatal(err)
	}
	if !got.Changed || len(got.Groups) != 2 || strings.Join(got.Unchanged, ",") != "dev" || len(got.Failed) != 1 {
		t.Fatalf("unexpected report: %+v", got)
	}
	prod := got.Groups[0]
	if strings.Join(prod.Clusters, ",") != "prod-eu,prod-us" || prod.Counts.Rules != (OpCounts{Added: 1, Changed: 1}) {
		t.Errorf("first group: %v %+v", prod.Clusters, prod.Counts)
	}
	// Partitions: the image and panel once for all three, then what the
	// production clusters share, then staging's own changes.
	var sets []string
	for _, p := range got.Partitions {
		sets = append(sets, strings.Join(p.Clusters, ","))
		if p.Complete {
			t.Errorf("partition %v is complete: every cluster has changes elsewhere", p.Clusters)
		}
	}
	if strings.Join(sets, " ") != "prod-eu,prod-us,staging prod-eu,prod-us staging" {
		t.Errorf("partitions = %v", sets)
	}
	if len(got.Partitions) == 3 {
		if c := got.Partitions[0].Counts; c.Objects.Changed != 2 || c.Dashboards.Changed != 1 || c.Rules.Total() != 0 {
			t.Errorf("shared partition counts: %+v", c)
		}
		if c := got.Partitions[1].Counts; c.Rules != (OpCounts{Added: 1, Changed: 1}) || c.Dashboards.Total() != 0 {
			t.Errorf("production partition counts: %+v", c)
		}
	}
	// Nothing is truncated in JSON: the whole new config is there.
	if !jsonHas(t, got, config2) {
		t.Error("JSON report lacks a full value")
	}
}

func jsonHas(t *testing.T, r JSONReport, s string) bool {
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	q, _ := json.Marshal(s)
	return bytes.Contains(b, q)
}

func TestFold(t *testing.T) {
	rep := fixtureReport(t)
	groups, unchanged := rep.Groups()
	if len(groups) != 2 {
		t.Fatalf("got %d groups, want 2", len(groups))
	}
	if got := strings.Join(groups[0].Clusters, ","); got != "prod-eu,prod-us" {
		t.Errorf("first group = %s, want prod-eu,prod-us", got)
	}
	if got := strings.Join(groups[1].Clusters, ","); got != "staging" {
		t.Errorf("second group = %s, want staging", got)
	}
	if strings.Join(unchanged, ",") != "dev" {
		t.Errorf("unchanged = %v", unchanged)
	}
	// The shared change set names the cluster by placeholder.
	var found bool
	for _, o := range groups[0].Diff.Objects {
		for _, g := range o.RuleGroups {
			for _, r := range g.Rules {
				found = found || r.Name == "ClusterDown" && r.Op == Added
			}
		}
	}
	if !found {
		t.Errorf("ClusterDown not in the shared change set: %s", describe(groups[0].Diff))
	}
	b, _ := json.Marshal(groups[0].Diff)
	if bytes.Contains(b, []byte("prod-")) {
		t.Errorf("shared change set still names a cluster: %s", b)
	}
	// The staging group keeps its own name.
	if groups[1].Diff.Cluster != "staging" {
		t.Errorf("single-cluster group lost its name")
	}
	if !rep.Changed() {
		t.Error("Changed() = false")
	}
	if (&Report{Clusters: []*ClusterDiff{{Cluster: "x"}}}).Changed() {
		t.Error("empty diff: Changed() = true")
	}
}

func TestFoldDistinguishesValues(t *testing.T) {
	mk := func(cluster, from, to string) *ClusterDiff {
		d, err := Compare(cluster,
			fileSetOf(t, map[string]any{"r.yaml": ruleObject("r", group("g", alert("A", "up == 0", from, nil)))}),
			fileSetOf(t, map[string]any{"r.yaml": ruleObject("r", group("g", alert("A", "up == 0", to, nil)))}))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	rep := &Report{Clusters: []*ClusterDiff{mk("a", "5m", "10m"), mk("b", "5m", "10m"), mk("c", "5m", "15m")}}
	groups, _ := rep.Groups()
	if len(groups) != 2 || len(groups[0].Clusters) != 2 || groups[1].Clusters[0] != "c" {
		t.Errorf("groups = %+v", groups)
	}
}

func TestReplaceWord(t *testing.T) {
	for _, tt := range []struct{ s, name, want string }{
		{"prod", "prod", Placeholder},
		{`up{cluster="prod"}`, "prod", `up{cluster="` + Placeholder + `"}`},
		{"production", "prod", "production"},
		{"prod-eu", "prod", Placeholder + "-eu"},
		{"a", "a", Placeholder},
		{"data", "a", "data"},
	} {
		if got := replaceWord(tt.s, tt.name); got != tt.want {
			t.Errorf("replaceWord(%q, %q) = %q, want %q", tt.s, tt.name, got, tt.want)
		}
	}
}

func TestNewOutput(t *testing.T) {
	d, err := Compare("new", nil, clusterFiles(t, knobs{cluster: "new", forDur: "5m", threshold: "0.1", image: "a", panelTitle: "CPU"}))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	(&Report{Clusters: []*ClusterDiff{d}}).Text(&b, false)
	for _, want := range []string{"new output", "6 objects by kind:", "PrometheusRule ×1"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("new cluster's report lacks %q:\n%s", want, b.String())
		}
	}
}
