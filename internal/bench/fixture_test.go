package bench

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/kpgen/kpgen/internal/build"
	"github.com/kpgen/kpgen/internal/cache"
	"github.com/kpgen/kpgen/internal/manifest"
	"github.com/kpgen/kpgen/internal/output"
	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/render"
)

// The workload is laid out, rendered and built once per test binary: the
// benchmark framework calls each benchmark function several times (to find
// b.N, and -count times), and a render takes seconds.
var shared struct {
	dir string // removed by TestMain

	projectOnce sync.Once
	root        project.Root
	vars        []string

	renderOnce sync.Once
	files      []render.File // bench-0, rendered by one VM
	yaml       []output.File // the same, as YAML

	cachedOnce sync.Once
	out        string // every cluster built into it, recorded in cacheDir
	cacheDir   string
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// workload returns the shared project and its vars files (bench-0 … bench-7).
func workload(t testing.TB) (project.Root, []string) {
	t.Helper()
	shared.projectOnce.Do(func() {
		dir, err := os.MkdirTemp("", "kpgen-bench-")
		if err != nil {
			t.Fatal(err)
		}
		shared.dir = dir
		NewProject(t, filepath.Join(dir, "project"))
		shared.root = project.Root{Dir: filepath.Join(dir, "project")}
		shared.vars = Vars(t, shared.root.Dir)
	})
	if shared.vars == nil {
		t.Fatal("the shared benchmark project could not be made (see the first failure)")
	}
	return shared.root, shared.vars
}

// rendered returns bench-0's files, rendered by a single VM, as JSON and as
// YAML.
func rendered(t testing.TB) ([]render.File, []output.File) {
	t.Helper()
	root, vars := workload(t)
	shared.renderOnce.Do(func() {
		files, err := render.New(root).Files(vars[0])
		if err != nil {
			t.Fatal(err)
		}
		yaml := make([]output.File, len(files))
		for i, f := range files {
			y, err := manifest.ToYAML(f.JSON)
			if err != nil {
				t.Fatalf("%s: %v", f.Path, err)
			}
			yaml[i] = output.File{Path: f.Path, Data: y}
		}
		shared.files, shared.yaml = files, yaml
	})
	if shared.yaml == nil {
		t.Fatal("the workload could not be rendered (see the first failure)")
	}
	return shared.files, shared.yaml
}

// cachedBuild builds every cluster once with the cache on and returns the
// output directory and the cache directory, for rebuilds that find nothing
// changed.
func cachedBuild(t testing.TB) (out, cacheDir string) {
	t.Helper()
	root, vars := workload(t)
	shared.cachedOnce.Do(func() {
		out := filepath.Join(shared.dir, "cached-out")
		cacheDir := filepath.Join(shared.dir, "cache")
		results := build.Run(build.Options{Root: root, OutDir: out, Jobs: runtime.NumCPU(), Mode: build.Write, Cache: cache.Open(cacheDir)}, vars)
		mustSucceed(t, results)
		shared.out, shared.cacheDir = out, cacheDir
	})
	if shared.out == "" {
		t.Fatal("the cached build failed (see the first failure)")
	}
	return shared.out, shared.cacheDir
}

// mustSucceed fails t unless every cluster built without errors, problems or
// warnings; it returns the YAML bytes the clusters generated.
func mustSucceed(t testing.TB, results []*build.Result) (yamlBytes int64) {
	t.Helper()
	for _, r := range results {
		if r.Err != nil {
			t.Fatalf("%s: %v", r.Label(), r.Err)
		}
		for _, p := range r.Problems {
			t.Errorf("%s: %s", r.Label(), p)
		}
		for _, p := range r.Warnings {
			// The workload's CRDs are as large as kube-prometheus' own: the
			// apply check warns about them as about upstream's.
			if !strings.Contains(p.Msg, "a client-side apply makes metadata.annotations") {
				t.Errorf("%s: %s", r.Label(), p)
			}
		}
		for _, f := range r.Files {
			yamlBytes += int64(len(f.Data))
		}
	}
	if t.Failed() {
		t.FailNow()
	}
	return yamlBytes
}

// tuneGC applies kpgen's GC policy for a run of `clusters` clusters with -j
// jobs, as the CLI does, for the rest of the benchmark, and returns the VMs
// per cluster the CLI would use under it.
func tuneGC(b *testing.B, jobs, clusters int) (shards int) {
	percent := debug.SetGCPercent(100)
	debug.SetGCPercent(percent)
	limit := debug.SetMemoryLimit(-1)
	shards = build.Shards(jobs, clusters, build.TuneGC(jobs, clusters))
	b.Cleanup(func() {
		debug.SetGCPercent(percent)
		debug.SetMemoryLimit(limit)
	})
	return shards
}

// peakRSS reports the process's peak resident set size over a benchmark's
// loop as the metric peak-RSS-MiB (Linux only: the high-water mark is reset
// through /proc/self/clear_refs, after a collection that returns freed
// memory to the OS). It includes what the test binary holds anyway (the
// shared fixtures, a few MiB), so it is an upper bound on the work's own.
type peakRSS struct{ ok bool }

func startPeakRSS() peakRSS {
	runtime.GC()
	debug.FreeOSMemory()
	return peakRSS{ok: os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil}
}

func (p peakRSS) report(b *testing.B) {
	if !p.ok {
		return
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return
	}
	sc := bufio.NewScanner(bytes.NewReader(status))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			if err == nil {
				b.ReportMetric(float64(kb)/1024, "peak-RSS-MiB")
			}
			return
		}
	}
}
