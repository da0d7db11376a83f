package cli

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/testutil"
)

// The repository's topology examples (a hub, two spokes, a management
// cluster) build together with `kpgen build`, each to its own directory:
// the spokes without an Alertmanager, the hub with its spokes'
// datasources, the management cluster with its ScrapeConfigs.
func TestBuildTopologyExamples(t *testing.T) {
	examples := []string{"example-hub", "example-spoke-a", "example-spoke-b", "example-management"}
	vars := map[string]string{}
	for _, e := range examples {
		b, err := os.ReadFile(filepath.Join(testutil.RepoRoot(), "vars", e+".jsonnet"))
		if err != nil {
			t.Fatal(err)
		}
		vars[e+".jsonnet"] = string(b)
	}
	dir := testutil.Project(t, vars)
	args := []string{"build", "--root", dir}
	for _, e := range examples {
		args = append(args, filepath.Join(dir, "vars", e+".jsonnet"))
	}
	code, stdout, stderr := run(args...)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, c := range []string{"hub", "spoke-a", "spoke-b", "mgmt"} {
		if !strings.Contains(stdout, "SUCCESS: "+c+": ") {
			t.Errorf("no SUCCESS line for %s:\n%s", c, stdout)
		}
	}
	files := func(cluster, prefix string) []string {
		var out []string
		for p := range testutil.Snapshot(t, filepath.Join(dir, "out", cluster)) {
			if strings.HasPrefix(p, "manifests/"+prefix) {
				out = append(out, strings.TrimPrefix(p, "manifests/"))
			}
		}
		sort.Strings(out)
		return out
	}
	for _, spoke := range []string{"spoke-a", "spoke-b"} {
		if am := files(spoke, "alertmanager-"); len(am) != 0 {
			t.Errorf("%s renders an Alertmanager: %v", spoke, am)
		}
		if got := files(spoke, "kpgenTopology-"); strings.Join(got, " ") != "kpgenTopology-alertmanagers.yaml" {
			t.Errorf("%s topology files %v", spoke, got)
		}
	}
	if g := files("spoke-a", "grafana-"); len(g) != 0 {
		t.Errorf("spoke-a runs no Grafana, got %v", g)
	}
	if g := files("spoke-b", "grafana-"); len(g) == 0 {
		t.Error("spoke-b keeps its Grafana")
	}
	if got := strings.Join(files("hub", "kpgenTopology-"), " "); got != "kpgenTopology-federate-spoke-b.yaml" {
		t.Errorf("hub topology files %s", got)
	}
	if len(files("hub", "alertmanager-alertmanager")) != 1 {
		t.Error("the hub has no Alertmanager")
	}
	ds := testutil.Snapshot(t, filepath.Join(dir, "out", "hub"))["manifests/grafana-dashboardDatasources.yaml"]
	for _, name := range []string{`"name": "spoke-a"`, `"name": "spoke-b"`, `"name": "central"`, `"prometheusType": "Thanos"`} {
		if !strings.Contains(ds, name) {
			t.Errorf("hub datasources lack %s", name)
		}
	}
	want := "kpgenTopology-managed-wc-alpha-cadvisor.yaml kpgenTopology-managed-wc-alpha-kubelet.yaml kpgenTopology-managed-wc-alpha-node-exporter.yaml " +
		"kpgenTopology-managed-wc-beta-kubelet.yaml kpgenTopology-managed-wc-beta-node-exporter.yaml"
	if got := strings.Join(files("mgmt", "kpgenTopology-"), " "); got != want {
		t.Errorf("mgmt topology files %s, want %s", got, want)
	}
}
