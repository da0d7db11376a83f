package render

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/manifest"
	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/testutil"
)

// Sharded rendering must give exactly the files a single evaluation gives.
func TestFilesParallelEqualsFiles(t *testing.T) {
	// Split the stand-in's small Lists and PrometheusRules too.
	defer func(a, b, c, d int) { splitItems, itemsPerUnit, splitGroups, groupsPerUnit = a, b, c, d }(splitItems, itemsPerUnit, splitGroups, groupsPerUnit)
	splitItems, itemsPerUnit, splitGroups, groupsPerUnit = 2, 1, 2, 1
	dir := testutil.Project(t, map[string]string{
		"c.jsonnet": "{ cluster: { name: 'c' } }\n",
		"d.jsonnet": "{ cluster: { name: 'd' }, mixins: { velero: { enabled: true } }, rules: { disable: ['Watchdog'], override: { KubeletDown: { severity: 'warning' } } } }\n",
		"e.jsonnet": rulesCluster("e", "1h", "sre", "warning"),
	})
	root := project.Root{Dir: dir}
	for _, name := range []string{"c", "d", "e"} {
		vars := filepath.Join(dir, "vars", name+".jsonnet")
		t.Run(name, func(t *testing.T) { testFilesParallel(t, root, vars) })
	}
}

func testFilesParallel(t *testing.T, root project.Root, vars string) {
	want, err := New(root).Files(vars)
	if err != nil {
		t.Fatal(err)
	}
	var splits int
	fi, err := New(root).fileInfo(vars, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range plan(fi) {
		if u.file != "" {
			splits++
		}
	}
	if splits < 10 {
		t.Fatalf("only %d units of array elements: the test splits too little", splits)
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
		"manifests/a-prometheusRule.yaml":             {Kind: "PrometheusRule", Groups: 3},
		"manifests/big-prometheusRule.yaml":           {Kind: "PrometheusRule", Groups: 25},
		"manifests/a-service.yaml":                    {Kind: "Service"},
		"manifests/b-roles.yaml":                      {Kind: "RoleList", Items: 3},
		"manifests/setup/a-crd.yaml":                  {Kind: "CustomResourceDefinition"},
		"manifests/setup/b-crd.yaml":                  {Kind: "CustomResourceDefinition"},
	}
	units := plan(info)
	whole := map[string]int{}
	elems := map[string]map[int]int{}
	shells, sawLight := map[string]int{}, false
	for i, u := range units {
		if !u.heavy && !u.shell {
			sawLight = true
		} else if u.heavy && sawLight {
			t.Errorf("heavy unit %+v after a light one: heaviest first", u)
		}
		switch {
		case u.shell:
			shells[u.file]++
		case u.file != "":
			if max := map[*array]int{listItems: itemsPerUnit, ruleGroups: groupsPerUnit}[u.arr]; u.to-u.from > max {
				t.Errorf("unit of %d %s", u.to-u.from, u.arr.name)
			}
			if elems[u.file] == nil {
				elems[u.file] = map[int]int{}
			}
			for i := u.from; i < u.to; i++ {
				elems[u.file][i]++
			}
		default:
			for _, f := range u.files {
				whole[f]++
				if f == "manifests/a-prometheusRule.yaml" && len(u.files) != 1 {
					t.Error("a rule file is a unit of its own")
				}
				if strings.Contains(f, "crd") && i != 0 {
					t.Error("the CustomResourceDefinitions are the first unit")
				}
			}
		}
	}
	if len(shells) != 2 || shells["manifests/grafana-dashboardDefinitions.yaml"] != 1 || shells["manifests/big-prometheusRule.yaml"] != 1 {
		t.Errorf("shells %v", shells)
	}
	for file, n := range map[string]int{"manifests/grafana-dashboardDefinitions.yaml": 10, "manifests/big-prometheusRule.yaml": 25} {
		if len(elems[file]) != n {
			t.Errorf("%s: elements %v, want 0..%d", file, elems[file], n-1)
		}
		for i, times := range elems[file] {
			if times != 1 {
				t.Errorf("%s: element %d evaluated %d times", file, i, times)
			}
		}
	}
	for _, f := range []string{"manifests/a-service.yaml", "manifests/b-roles.yaml", "manifests/a-prometheusRule.yaml", "manifests/setup/a-crd.yaml", "manifests/setup/b-crd.yaml"} {
		if whole[f] != 1 {
			t.Errorf("%s evaluated whole %d times", f, whole[f])
		}
	}
}

// A List whose other fields read its items through self renders the same
// split as whole: the shell unit leaves the items out, it does not empty
// them.
func TestSplitKeepsSelfReferences(t *testing.T) {
	defer func(a, b int) { splitItems, itemsPerUnit = a, b }(splitItems, itemsPerUnit)
	splitItems, itemsPerUnit = 2, 1
	dir := t.TempDir()
	lib := `{
	  new(vars):: {
	    cluster: vars.cluster.name,
	    problems: [],
	    files: {
	      'list.yaml': {
	        local o = self,
	        apiVersion: 'v1',
	        kind: 'ConfigMapList',
	        metadata: { annotations: { count: std.toString(std.length(o.items)) } },
	        items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' + i } } for i in std.range(1, 5)],
	        assert std.length(self.items) == 5 : 'five items',
	      },
	      'rules.yaml': {
	        local o = self,
	        apiVersion: 'monitoring.coreos.com/v1',
	        kind: 'PrometheusRule',
	        metadata: { name: 'r', annotations: { groups: std.toString(std.length(o.spec.groups)) } },
	        spec: { note: std.length(self.groups), groups: [{ name: 'g' + i, rules: [] } for i in std.range(1, 9)] },
	      },
	    },
	  },
	}`
	for name, content := range map[string]string{
		"jsonnet/jsonnetfile.json":  `{"version": 1, "dependencies": []}`,
		"jsonnet/lib/main.jsonnet":  "function(vars) (import 'lib.libsonnet').new(vars)",
		"jsonnet/lib/lib.libsonnet": lib,
		"vars/c.jsonnet":            "{ cluster: { name: 'c' } }",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "jsonnet", "vendor"), 0o755); err != nil {
		t.Fatal(err)
	}
	root := project.Root{Dir: dir}
	testFilesParallel(t, root, filepath.Join(dir, "vars", "c.jsonnet"))
}
