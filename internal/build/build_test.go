package build

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/kpgen/kpgen/internal/output"
	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/render"
	"github.com/kpgen/kpgen/internal/testutil"
)

func TestWorkersAndShards(t *testing.T) {
	tests := []struct{ jobs, clusters, workers int }{
		{2, 1, 1}, {2, 8, 1}, {8, 3, 2}, {1, 5, 1}, {0, 0, 1}, {16, 8, 4}, {16, 2, 2},
	}
	for _, tt := range tests {
		if got := Workers(tt.jobs, tt.clusters); got != tt.workers {
			t.Errorf("Workers(%d, %d) = %d, want %d", tt.jobs, tt.clusters, got, tt.workers)
		}
	}
	if MemoryLimit(1, 2) >= MemoryLimit(2, 2) {
		t.Error("more clusters in flight need a higher memory limit")
	}
	if MemoryLimit(1, 1) >= MemoryLimit(1, 8) {
		t.Error("a run of several clusters needs room for what they share")
	}
	shards := []struct {
		jobs, clusters int
		limit          int64
		want           int
	}{
		{2, 1, MemoryLimit(1, 1), 2}, // default limit: one cluster over both CPUs
		{2, 8, MemoryLimit(1, 8), 2}, // many clusters: one at a time, over both CPUs
		{8, 8, MemoryLimit(2, 8), 4}, // -j 8: two clusters at a time, four VMs each
		{4, 2, ShardBudget - 1, 1},   // a tight GOMEMLIMIT: one VM each
		{2, 1, ShardBudget - 1, 1},   // a tight GOMEMLIMIT: one VM
		{1, 1, MemoryLimit(1, 1), 1}, // -j 1
	}
	for _, s := range shards {
		if got := Shards(s.jobs, s.clusters, s.limit); got != s.want {
			t.Errorf("Shards(%d, %d, %d MiB) = %d, want %d", s.jobs, s.clusters, s.limit>>20, got, s.want)
		}
	}
}

// One cluster with -j N is spread over N VMs: every VM renders part of it.
func TestOneClusterUsesEveryVM(t *testing.T) {
	dir := testutil.Project(t, map[string]string{"a.jsonnet": "{ cluster: { name: 'a' } }\n"})
	root := project.Root{Dir: dir}
	var used int
	opts := Options{Root: root, OutDir: filepath.Join(dir, "out"), Jobs: 3, Shards: 3, Mode: Validate}
	opts.onRenderers = func(n int) { used = n }
	res := Run(opts, []string{filepath.Join(dir, "vars", "a.jsonnet")})
	if res[0].Failed() {
		t.Fatal(res[0].Err, res[0].Problems)
	}
	if used != 3 {
		t.Errorf("one cluster with -j 3 rendered on %d VMs, want 3", used)
	}
}

// A disk error in the middle of writing a cluster fails that cluster with a
// message naming the directory and the file, and leaves its previous output
// exactly as it was.
func TestDiskErrorMidWriteLeavesOutput(t *testing.T) {
	dir := testutil.Project(t, map[string]string{"a.jsonnet": "{ cluster: { name: 'a' } }\n"})
	root := project.Root{Dir: dir}
	vars := []string{filepath.Join(dir, "vars", "a.jsonnet")}
	out := filepath.Join(dir, "out")
	if r := Run(Options{Root: root, OutDir: out, Jobs: 1, Mode: Write}, vars)[0]; r.Failed() {
		t.Fatal(r.Err, r.Problems)
	}
	// Change what the cluster renders, so that the next build must write.
	testutil.WriteFile(t, vars[0], "{ cluster: { name: 'a' }, prometheus: { replicas: 3 } }\n")
	before := testutil.Snapshot(t, out)

	writes := 0
	var mu sync.Mutex
	failing := func(name string, data []byte) error {
		mu.Lock()
		writes++
		n := writes
		mu.Unlock()
		if n == 10 {
			return &fs.PathError{Op: "write", Path: name, Err: syscall.ENOSPC}
		}
		return os.WriteFile(name, data, 0o644)
	}
	r := Run(Options{Root: root, OutDir: out, Jobs: 1, Mode: Write, WriteFile: failing}, vars)[0]
	if r.Err == nil {
		t.Fatal("want a disk error")
	}
	for _, want := range []string{"writing " + filepath.Join(out, "a"), "no space left on device", "its previous content is untouched"} {
		if !strings.Contains(r.Err.Error(), want) {
			t.Errorf("error %q does not mention %q", r.Err, want)
		}
	}
	if after := testutil.Snapshot(t, out); !reflect.DeepEqual(before, after) {
		t.Error("out/ changed after a failed write")
	}
	if inv, _ := output.Scan(out); len(inv.Leftovers) > 0 {
		t.Errorf("temporary directories left: %v", inv.Leftovers)
	}
}

// The VMs are shared out among the clusters in flight as evenly as possible,
// one each when clusters may not spread.
func TestPool(t *testing.T) {
	vms := func(n int) []*render.Renderer { return make([]*render.Renderer, n) }
	sizes := func(pools [][]*render.Renderer) []int {
		var out []int
		for _, p := range pools {
			out = append(out, len(p))
		}
		return out
	}
	tests := []struct {
		vms, workers int
		spread       bool
		want         []int
	}{
		{2, 1, true, []int{2}},
		{5, 2, true, []int{3, 2}},
		{16, 3, true, []int{6, 5, 5}},
		{7, 2, true, []int{4, 3}},
		{4, 4, false, []int{1, 1, 1, 1}},
		{2, 5, true, []int{1, 1}},
		{3, 0, true, []int{3}},
	}
	for _, tt := range tests {
		if got := sizes(pool(vms(tt.vms), tt.workers, tt.spread)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("pool(%d VMs, %d workers, spread %v) = %v, want %v", tt.vms, tt.workers, tt.spread, got, tt.want)
		}
	}
}

// Under a tight memory limit (no spreading) each cluster renders on one VM.
func TestTightMemoryKeepsClustersInFlight(t *testing.T) {
	vars := map[string]string{}
	var paths []string
	for _, c := range []string{"a", "b", "c", "d", "e", "f"} {
		vars[c+".jsonnet"] = "{ cluster: { name: '" + c + "' } }\n"
	}
	dir := testutil.Project(t, vars)
	for _, c := range []string{"a", "b", "c", "d", "e", "f"} {
		paths = append(paths, filepath.Join(dir, "vars", c+".jsonnet"))
	}
	var (
		mu   sync.Mutex
		most int
	)
	opts := Options{Root: project.Root{Dir: dir}, OutDir: filepath.Join(dir, "out"), Jobs: 8, Shards: 1, Mode: Validate}
	opts.onRenderers = func(n int) {
		mu.Lock()
		defer mu.Unlock()
		most = max(most, n)
	}
	for _, r := range Run(opts, paths) {
		if r.Failed() {
			t.Fatal(r.Label(), r.Err, r.Problems)
		}
	}
	if most != 1 {
		t.Errorf("a cluster was rendered on %d VMs without spreading", most)
	}
}

// KeepRendered returns each file's JSON beside its YAML; NoValidate (in
// Validate mode only) returns a cluster that fails validation, never one a
// build writes; a Program given is the one the run uses.
func TestKeepRenderedAndNoValidate(t *testing.T) {
	dir := testutil.Project(t, map[string]string{"a.jsonnet": "{ cluster: { name: 'a' } }\n"})
	lib := filepath.Join(dir, "jsonnet", "lib")
	if err := os.Rename(filepath.Join(lib, "main.jsonnet"), filepath.Join(lib, "real-main.jsonnet")); err != nil {
		t.Fatal(err)
	}
	// An object twice: a validation problem.
	testutil.WriteFile(t, filepath.Join(lib, "main.jsonnet"), `function(vars) local s = (import 'real-main.jsonnet')(vars); s { files+: {
  'manifests/x-a.yaml': { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'monitoring' } },
  'manifests/x-b.yaml': { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'monitoring' } },
  'kustomization.yaml'+: { resources+: ['./manifests/x-a.yaml', './manifests/x-b.yaml'] },
} }
`)
	root := project.Root{Dir: dir}
	vars := []string{filepath.Join(dir, "vars", "a.jsonnet")}
	out := filepath.Join(t.TempDir(), "out")
	prog := render.NewProgram(root.JPath())
	opts := Options{Root: root, OutDir: out, Jobs: 1, Mode: Validate, KeepRendered: true, Program: prog}
	r := Run(opts, vars)[0]
	if len(r.Problems) != 1 || !strings.Contains(r.Problems[0].String(), "also generated in") {
		t.Fatalf("validated: %v %v", r.Err, r.Problems)
	}
	opts.NoValidate = true
	r = Run(opts, vars)[0]
	if r.Failed() || len(r.Files) == 0 || len(r.Rendered) != len(r.Files) {
		t.Fatalf("--no-validate: %v %v, %d files, %d rendered", r.Err, r.Problems, len(r.Files), len(r.Rendered))
	}
	for i, f := range r.Files {
		if r.Rendered[i].Path != f.Path {
			t.Fatalf("Rendered[%d] is %s, Files[%d] %s", i, r.Rendered[i].Path, i, f.Path)
		}
	}
	opts.Mode = Write
	if r = Run(opts, vars)[0]; len(r.Problems) != 1 {
		t.Fatalf("a build with NoValidate must still validate: %v %v", r.Err, r.Problems)
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("out/ was created: %v", err)
	}
}
