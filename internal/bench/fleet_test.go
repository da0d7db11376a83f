package bench

import (
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/kpgen/kpgen/internal/build"
	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/render"
)

// BenchmarkFleet30ConfigVsPlatform: 30 clusters (the workload's eight,
// each under several names) built in a platform repository, whose library
// is its own jsonnet/lib, and in a config repository, whose library is
// vendored, alternately in the same run. Reports each side's time and the
// ratio config/platform (issue 10's bar: at most 1.1).
func BenchmarkFleet30ConfigVsPlatform(b *testing.B) {
	const n = 30
	dirs := map[string]string{"platform": filepath.Join(b.TempDir(), "platform"), "config": filepath.Join(b.TempDir(), "config")}
	NewProject(b, dirs["platform"])
	NewConfigProject(b, dirs["config"])
	roots, vars := map[string]project.Root{}, map[string][]string{}
	for kind, dir := range dirs {
		r, err := project.Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		if _, ok := render.Library(r); !ok {
			b.Fatalf("%s: the entrypoint is not stock: clusters would not share work", kind)
		}
		roots[kind], vars[kind] = r, Fleet(b, dir, n)
	}
	if !roots["config"].IsConfig() || roots["platform"].IsConfig() {
		b.Fatal("the projects are not of the kinds wanted")
	}
	jobs := runtime.NumCPU()
	shards := tuneGC(b, jobs, n)
	took := map[string]time.Duration{}
	outs := b.TempDir()
	b.ResetTimer()
	for i := range b.N {
		for _, kind := range []string{"platform", "config"} {
			start := time.Now()
			res := build.Run(build.Options{Root: roots[kind], OutDir: filepath.Join(outs, fmt.Sprint(kind, i)), Jobs: jobs, Shards: shards, Mode: build.Write}, vars[kind])
			took[kind] += time.Since(start)
			mustSucceed(b, res)
		}
	}
	b.StopTimer()
	b.ReportMetric(took["platform"].Seconds()/float64(b.N), "platform-s/op")
	b.ReportMetric(took["config"].Seconds()/float64(b.N), "config-s/op")
	b.ReportMetric(took["config"].Seconds()/took["platform"].Seconds(), "config/platform")
}
