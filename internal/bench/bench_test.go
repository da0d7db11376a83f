package bench

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/kpgen/kpgen/internal/build"
	"github.com/kpgen/kpgen/internal/cache"
	"github.com/kpgen/kpgen/internal/manifest"
	"github.com/kpgen/kpgen/internal/output"
	"github.com/kpgen/kpgen/internal/render"
	"github.com/kpgen/kpgen/internal/validate"
)

// Benchmarks on the heavy synthetic workload (testdata/bench): `make bench`.
// The end-to-end ones run build.Run exactly as `kpgen build`/`kpgen
// validate` do (kpgen's GC policy, -j = the number of CPUs unless stated);
// MB/s is YAML generated per second (JSON evaluated, for BenchmarkEval* and
// BenchmarkValidate). docs/performance.md has the method and
// the numbers, and scripts/bench-upstream.sh the comparison with upstream's
// own pipeline on the real kube-prometheus.

// BenchmarkRenderOneCluster: `kpgen validate` of one cluster (render,
// validate, encode; nothing written), the cluster spread over all CPUs.
func BenchmarkRenderOneCluster(b *testing.B) { benchBuild(b, runtime.NumCPU(), build.Validate, 1) }

// BenchmarkRenderSerial: the same on a single VM (-j 1).
func BenchmarkRenderSerial(b *testing.B) { benchBuild(b, 1, build.Validate, 1) }

// BenchmarkBuildOneCluster: `kpgen build --no-cache` of one cluster into an
// empty output directory (every file written).
func BenchmarkBuildOneCluster(b *testing.B) { benchBuild(b, runtime.NumCPU(), build.Write, 1) }

// BenchmarkBuild8Clusters: `kpgen build --no-cache` of eight clusters with
// different vars into an empty output directory.
func BenchmarkBuild8Clusters(b *testing.B) { benchBuild(b, runtime.NumCPU(), build.Write, 8) }

func benchBuild(b *testing.B, jobs int, mode build.Mode, clusters int) {
	root, vars := workload(b)
	if len(vars) < clusters {
		b.Fatalf("%d vars files, want %d", len(vars), clusters)
	}
	vars = vars[:clusters]
	shards := tuneGC(b, jobs, len(vars))
	outs := b.TempDir()
	var yamlBytes int64
	peak := startPeakRSS()
	b.ResetTimer()
	for i := range b.N {
		out := filepath.Join(outs, fmt.Sprint(i)) // empty: every file is written
		results := build.Run(build.Options{Root: root, OutDir: out, Jobs: jobs, Shards: shards, Mode: mode}, vars)
		b.StopTimer()
		yamlBytes = mustSucceed(b, results)
		if mode == build.Write {
			if err := os.RemoveAll(out); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
	}
	b.StopTimer()
	peak.report(b)
	b.SetBytes(yamlBytes)
	b.ReportMetric(float64(clusters*b.N)/b.Elapsed().Seconds(), "clusters/s")
}

// BenchmarkEvalSerial: evaluation alone (render.Files, one VM): no
// validation, no YAML.
func BenchmarkEvalSerial(b *testing.B) { benchEval(b, 1) }

// BenchmarkEvalSharded: evaluation alone, the cluster's files spread over one
// VM per CPU (render.FilesParallel, as build.Run does when there are fewer
// clusters than -j).
func BenchmarkEvalSharded(b *testing.B) { benchEval(b, runtime.NumCPU()) }

func benchEval(b *testing.B, vms int) {
	root, vars := workload(b)
	tuneGC(b, vms, 1)
	var jsonBytes int64
	peak := startPeakRSS()
	b.ResetTimer()
	for range b.N {
		rs := make([]*render.Renderer, vms) // new VMs, as each kpgen run has
		for i := range rs {
			rs[i] = render.New(root)
		}
		files, err := render.FilesParallel(rs, vars[0])
		if err != nil {
			b.Fatal(err)
		}
		jsonBytes = 0
		for _, f := range files {
			jsonBytes += int64(len(f.JSON))
		}
	}
	b.StopTimer()
	peak.report(b)
	b.SetBytes(jsonBytes)
}

// BenchmarkValidate: validate.Files on one cluster's rendered files (every
// object's metadata, every rule through rulefmt and the duplicate lint).
func BenchmarkValidate(b *testing.B) {
	files, _ := rendered(b)
	var jsonBytes int64
	for _, f := range files {
		jsonBytes += int64(len(f.JSON))
	}
	b.SetBytes(jsonBytes)
	var rules int
	b.ResetTimer()
	for range b.N {
		rep := validate.Files(files)
		if len(rep.Problems) > 0 {
			b.Fatal(rep.Problems[0])
		}
		rules = rep.Stats.Alerts + rep.Stats.Records
	}
	b.ReportMetric(float64(rules*b.N)/b.Elapsed().Seconds(), "rules/s")
}

// BenchmarkEncodeYAML: JSON → YAML of one cluster's files, on one goroutine
// (kpgen encodes on -j goroutines).
func BenchmarkEncodeYAML(b *testing.B) {
	files, yaml := rendered(b)
	var yamlBytes int64
	for _, f := range yaml {
		yamlBytes += int64(len(f.Data))
	}
	b.SetBytes(yamlBytes)
	b.ResetTimer()
	for range b.N {
		for _, f := range files {
			if _, err := manifest.ToYAML(f.JSON); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkWrite: output.Out replacing a cluster's directory; the content
// alternates between two versions, so that every iteration compares, writes
// the new tree beside the old one and swaps it in.
func BenchmarkWrite(b *testing.B) {
	_, yaml := rendered(b)
	other := make([]output.File, len(yaml))
	copy(other, yaml)
	var yamlBytes int64
	for i, f := range other {
		yamlBytes += int64(len(f.Data))
		if f.Path == "kustomization.yaml" {
			other[i].Data = append(append([]byte{}, f.Data...), "# other\n"...)
		}
	}
	versions := [][]output.File{yaml, other}
	w, err := output.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	b.SetBytes(yamlBytes)
	b.ResetTimer()
	for i := range b.N {
		res, err := w.Write("bench-0", versions[i%2])
		if err != nil {
			b.Fatal(err)
		}
		if res.Unchanged {
			b.Fatal("nothing was written")
		}
	}
}

// BenchmarkRebuildCached: `kpgen build` of one cluster whose inputs and
// output are unchanged since the last build (the cache answers).
func BenchmarkRebuildCached(b *testing.B) { benchCached(b, 1) }

// BenchmarkRebuildCached8Clusters: the same for eight clusters.
func BenchmarkRebuildCached8Clusters(b *testing.B) { benchCached(b, 8) }

func benchCached(b *testing.B, clusters int) {
	root, vars := workload(b)
	out, cacheDir := cachedBuild(b)
	vars = vars[:clusters]
	jobs := runtime.NumCPU()
	tuneGC(b, jobs, len(vars))
	b.ResetTimer()
	for range b.N {
		results := build.Run(build.Options{Root: root, OutDir: out, Jobs: jobs, Mode: build.Write, Cache: cache.Open(cacheDir)}, vars)
		for _, r := range results {
			if !r.Cached {
				b.Fatalf("%s: not answered by the cache (err %v)", r.Label(), r.Err)
			}
		}
	}
	b.ReportMetric(float64(clusters*b.N)/b.Elapsed().Seconds(), "clusters/s")
}
