package build

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/cache"
	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/testutil"
)

// Each cluster's cache entry depends on what its own vars import, and only
// on that: a vars file importing another cluster's vars file (a base) is
// rebuilt when the base changes, and editing a file only one cluster imports
// rebuilds that cluster only.
func TestCacheDependsOnEachClustersOwnImports(t *testing.T) {
	dir := testutil.Project(t, map[string]string{
		"base.jsonnet":             "{ cluster: { name: 'base' }, prometheus: { replicas: 1 } }\n",
		"derived.jsonnet":          "(import 'base.jsonnet') + { cluster+: { name: 'derived' } }\n",
		"other.jsonnet":            "{ cluster: { name: 'other' }, prometheus: { replicas: (import 'other-replicas.libsonnet') } }\n",
		"other-replicas.libsonnet": "2\n",
	})
	root := project.Root{Dir: dir}
	var vars []string
	for _, v := range []string{"base", "derived", "other"} {
		vars = append(vars, filepath.Join(dir, "vars", v+".jsonnet"))
	}
	out := filepath.Join(dir, "out")
	build := func() map[string]bool {
		cached := map[string]bool{}
		for _, r := range Run(Options{Root: root, OutDir: out, Jobs: 2, Shards: 2, Mode: Write, Cache: cache.Open(filepath.Join(dir, ".kpgen-cache"))}, vars) {
			if r.Failed() {
				t.Fatal(r.Label(), r.Err, r.Problems)
			}
			cached[r.Cluster] = r.Cached
		}
		return cached
	}
	build()
	if got := build(); !got["base"] || !got["derived"] || !got["other"] {
		t.Fatalf("nothing changed, yet not all cached: %v", got)
	}

	testutil.WriteFile(t, vars[0], "{ cluster: { name: 'base' }, prometheus: { replicas: 3 } }\n")
	if got := build(); got["base"] || got["derived"] || !got["other"] {
		t.Errorf("after editing the base: cached %v, want only other", got)
	}
	b, _ := os.ReadFile(filepath.Join(out, "derived", "manifests", "prometheus-prometheus.yaml"))
	if !strings.Contains(string(b), "replicas: 3") {
		t.Errorf("derived does not have its base's new replicas:\n%s", b)
	}

	testutil.WriteFile(t, filepath.Join(dir, "vars", "other-replicas.libsonnet"), "4\n")
	if got := build(); !got["base"] || !got["derived"] || got["other"] {
		t.Errorf("after editing a file only other imports: cached %v, want base and derived", got)
	}
}
