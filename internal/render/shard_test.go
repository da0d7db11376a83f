package render

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/kpgen/kpgen/internal/manifest"
	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/testutil"
)

// Sharded rendering must give exactly the files a single evaluation gives.
func TestFilesParallelEqualsFiles(t *testing.T) {
	dir := testutil.Project(t, map[string]string{"c.jsonnet": "{ cluster: { name: 'c' } }\n"})
	root := project.Root{Dir: dir}
	vars := filepath.Join(dir, "vars", "c.jsonnet")
	want, err := New(root).Files(vars)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []int{1, 2, 3, 8} {
		rs := make([]*Renderer, n)
		for i := range rs {
			rs[i] = New(root)
		}
		got, err := FilesParallel(rs, vars)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(want) {
			t.Fatalf("%d shards: %d files, want %d", n, len(got), len(want))
		}
		for i := range want {
			wy, _ := manifest.ToYAML(want[i].JSON)
			gy, err := manifest.ToYAML(got[i].JSON)
			if err != nil || got[i].Path != want[i].Path || !bytes.Equal(wy, gy) {
				t.Errorf("%d shards: %s differs (%v)", n, want[i].Path, err)
			}
		}
	}
}

func TestPlanCoversEveryFileOnce(t *testing.T) {
	info := map[string]fileInfo{
		"manifests/grafana-dashboardDefinitions.yaml": {Kind: "ConfigMapList", Items: 10},
		"manifests/a-prometheusRule.yaml":             {Kind: "PrometheusRule"},
		"manifests/a-service.yaml":                    {Kind: "Service"},
		"manifests/b-roles.yaml":                      {Kind: "RoleList", Items: 3},
	}
	units := plan(info)
	whole := map[string]int{}
	items := map[int]int{}
	shells, sawLight := 0, false
	for _, u := range units {
		if !u.heavy && !u.shell {
			sawLight = true
		} else if u.heavy && sawLight {
			t.Errorf("heavy unit %+v after a light one: heaviest first", u)
		}
		switch {
		case u.shell:
			shells++
		case u.list != "":
			if u.to-u.from > itemsPerUnit {
				t.Errorf("unit of %d items", u.to-u.from)
			}
			for i := u.from; i < u.to; i++ {
				items[i]++
			}
		default:
			for _, f := range u.files {
				whole[f]++
				if f == "manifests/a-prometheusRule.yaml" && len(u.files) != 1 {
					t.Error("a rule file is a unit of its own")
				}
			}
		}
	}
	if shells != 1 || len(items) != 10 || whole["manifests/a-service.yaml"] != 1 || whole["manifests/b-roles.yaml"] != 1 || whole["manifests/a-prometheusRule.yaml"] != 1 {
		t.Errorf("coverage: shells %d items %v whole %v", shells, items, whole)
	}
	for i, n := range items {
		if n != 1 {
			t.Errorf("item %d evaluated %d times", i, n)
		}
	}
}
