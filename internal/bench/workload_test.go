package bench

import (
	"bytes"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/kpgen/kpgen/internal/build"
	"github.com/kpgen/kpgen/internal/manifest"
	"github.com/kpgen/kpgen/internal/render"
)

// The benchmark workload must keep kube-prometheus's size and shape, and
// render and validate cleanly, or the benchmarks measure something else.
// It also checks that build.Run with several jobs (which may spread the
// cluster over several VMs) gives exactly the single-VM output.
func TestWorkloadShape(t *testing.T) {
	if testing.Short() {
		t.Skip("renders the heavy workload twice")
	}
	root, vars := workload(t)
	files, yaml := rendered(t)

	jobs := max(3, runtime.NumCPU())
	res := build.Run(build.Options{Root: root, OutDir: t.TempDir(), Jobs: jobs, Mode: build.Validate}, vars[:1])[0]
	mustSucceed(t, []*build.Result{res})
	if len(res.Files) != len(yaml) {
		t.Fatalf("build.Run with -j %d: %d files, the single-VM render %d", jobs, len(res.Files), len(yaml))
	}
	var total int
	for i, f := range res.Files {
		total += len(f.Data)
		if f.Path != yaml[i].Path || !bytes.Equal(f.Data, yaml[i].Data) {
			t.Errorf("build.Run with -j %d: %s differs from the single-VM render's %s", jobs, f.Path, yaml[i].Path)
		}
	}

	st := res.Stats
	t.Logf("%d files, %d objects, %.2f MB of YAML, %d PrometheusRules, %d groups, %d alerts, %d records",
		st.Files, st.Objects, float64(total)/1e6, st.RuleObjects, st.Groups, st.Alerts, st.Records)
	if st.Files < 90 || st.Files > 110 {
		t.Errorf("%d files, want about 96 (kube-prometheus v0.18.0 renders 96)", st.Files)
	}
	if total < 4_000_000 {
		t.Errorf("%d bytes of YAML, want at least 4 MB (kube-prometheus v0.18.0: 5.7 MB)", total)
	}
	if st.RuleObjects < 8 || st.Alerts+st.Records < 200 || st.Alerts < 120 || st.Records < 80 {
		t.Errorf("%d PrometheusRules, %d alerts, %d records; want at least 8, and about 138 alerts and 95 records", st.RuleObjects, st.Alerts, st.Records)
	}
	dashboards := 0
	for _, f := range files {
		if filepath.Base(f.Path) != "grafana-dashboardDefinitions.yaml" {
			continue
		}
		objs, err := manifest.Objects(f.JSON)
		if err != nil {
			t.Fatal(err)
		}
		dashboards = len(objs)
	}
	if dashboards < 20 {
		t.Errorf("the dashboards ConfigMapList has %d items, want at least 20 (kube-prometheus v0.18.0: 33)", dashboards)
	}
}

// One VM or several (the ConfigMapList split by item, rule files on their
// own), the files are byte for byte the same.
func TestWorkloadShardedRenderIdentical(t *testing.T) {
	if testing.Short() {
		t.Skip("renders the heavy workload twice")
	}
	root, vars := workload(t)
	_, want := rendered(t)
	for _, n := range []int{5} { // TestWorkloadShape's build.Run uses max(3, CPUs)
		rs := make([]*render.Renderer, n)
		for i := range rs {
			rs[i] = render.New(root)
		}
		got, err := render.FilesParallel(rs, vars[0])
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%d VMs: %d files, want %d", n, len(got), len(want))
		}
		for i, f := range got {
			y, err := manifest.ToYAML(f.JSON)
			if err != nil {
				t.Fatalf("%d VMs: %s: %v", n, f.Path, err)
			}
			if f.Path != want[i].Path || !bytes.Equal(y, want[i].Data) {
				t.Errorf("%d VMs: %s differs from the single-VM render", n, f.Path)
			}
		}
	}
}

// The eight clusters' vars pass the library's checks and name different
// clusters (cheap: only the vars are evaluated, not the stack).
func TestBenchVarsValid(t *testing.T) {
	root, vars := workload(t)
	if len(vars) != 8 {
		t.Fatalf("%d vars files, want 8", len(vars))
	}
	r := render.New(root)
	seen := map[string]string{}
	for _, v := range vars {
		head, err := r.Head(v)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(v), err)
			continue
		}
		if prev, dup := seen[head.Cluster]; dup {
			t.Errorf("%s and %s both name cluster %q", prev, filepath.Base(v), head.Cluster)
		}
		seen[head.Cluster] = filepath.Base(v)
	}
}
