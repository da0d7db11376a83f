package render

import (
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/manifest"
	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/testutil"
)

// Clusters whose vars differ in many ways, some in ways most files ignore.
var memoClusters = map[string]string{
	"a.jsonnet": "{ cluster: { name: 'a' } }\n",
	"b.jsonnet": "{ cluster: { name: 'b' } }\n",
	"c.jsonnet": "{ cluster: { name: 'c', environment: 'prod' }, prometheus: { replicas: 3, retention: '30d', externalLabels: { region: 'eu' } } }\n",
	"d.jsonnet": "{ cluster: { name: 'd' }, namespace: 'observability', kubelet: { probesDuplicateFix: 'dropEndpoint' } }\n",
	"e.jsonnet": `{ cluster: { name: 'e' }, mixins: { velero: { enabled: true, scheduleMaxAgeSeconds: { weekly: 700000 } }, cilium: { enabled: true } },
	  rules: { disable: ['Watchdog'], override: { TargetDown: { 'for': '30m' } } }, kubelet: { certExpirationWarningSeconds: 1209600, certExpirationCriticalSeconds: 86400 } }
`,
	"f.jsonnet": "{ cluster: { name: 'f' }, mixins: { velero: { enabled: true }, 'cert-manager': { enabled: true }, cnpg: { enabled: true, namespaces: ['db'] } }, grafana: { enabled: false } }\n",
	"g.jsonnet": `{ cluster: { name: 'g' }, grafana: { dashboards: { disable: ['Nodes (stand-in)'], add: { 'team.json': { uid: 'team', title: 'Team', panels: [] } },
	  folders: { Team: { 'team-db.json': { uid: 'team-db', title: 'Team DB' } } } } } }
`,
	"h.jsonnet": "{ cluster: { name: 'h' }, grafana: { dashboards: { disable: ['nodes.json'], add: { 'team.json': { uid: 'team', title: 'Team', panels: [{ title: 'up' }] } } } } }\n",
	// vars.rules of one shape, with other values: the rules' units share
	// what the values they read allow.
	"i.jsonnet": rulesCluster("i", "30m", "sre", "critical"),
	"j.jsonnet": rulesCluster("j", "1h", "sre", "warning"),
}

// rulesCluster is a cluster using every kind of vars.rules setting, with a
// few values to vary.
func rulesCluster(name, forDuration, team, disabledSeverity string) string {
	return `{ cluster: { name: '` + name + `' }, mixins: { velero: { enabled: true } }, rules: {
  groups: { mine: { rules: [{ alert: 'Mine', expr: 'vector(1)', labels: { severity: 'info' } }, { record: 'mine:up', expr: 'up' }] } },
  disable: ['Watchdog'],
  disableGroups: ['kubelet.rules'],
  override: {
    TargetDown: { 'for': '` + forDuration + `', labels: { team: null } },
    KubeletClientCertificateExpiration: { bySeverity: { ` + disabledSeverity + `: { disable: true } } },
    KubeClientCertificateExpiration: { byGroup: { 'kubernetes-system-apiserver': { expr: 'vector(1)', bySeverity: { critical: { 'for': '` + forDuration + `' } } } } },
    'namespace_job:up:avg': { labels: { team: '` + team + `' } },
  },
  alertLabels: { team: '` + team + `' },
  runbookURLPattern: 'https://wiki.example.com/` + team + `/%s',
  runbookURLRewrite: { 'https://runbooks.example.org/': 'https://` + team + `.example.com/' },
} }
`
}

// Sharing work across clusters must never change a byte of any cluster's
// output, whatever the order the clusters come in.
func TestMemoGivesTheSameFiles(t *testing.T) {
	dir := testutil.Project(t, memoClusters)
	root := project.Root{Dir: dir}
	names := []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"}
	want := map[string][]File{}
	for _, n := range names {
		files, err := New(root).Files(filepath.Join(dir, "vars", n+".jsonnet"))
		if err != nil {
			t.Fatal(n, err)
		}
		want[n] = files
	}
	for _, order := range [][]string{names, {"j", "i", "h", "g", "f", "e", "d", "c", "b", "a"}, {"c", "g", "a", "i", "e", "b", "h", "j", "f", "d"}} {
		m := NewMemo()
		rs := []*Renderer{New(root), New(root)}
		for _, n := range order {
			got, err := FilesMemo(rs, filepath.Join(dir, "vars", n+".jsonnet"), m)
			if err != nil {
				t.Fatal(n, err)
			}
			if len(got) != len(want[n]) {
				t.Fatalf("order %v, cluster %s: %d files, want %d", order, n, len(got), len(want[n]))
			}
			for i := range got {
				gy, err := manifest.ToYAML(got[i].JSON)
				wy, _ := manifest.ToYAML(want[n][i].JSON)
				if err != nil || got[i].Path != want[n][i].Path || !bytes.Equal(gy, wy) {
					t.Errorf("order %v, cluster %s: %s differs", order, n, want[n][i].Path)
				}
			}
		}
		if hits, misses := m.Stats(); hits == 0 || misses == 0 {
			t.Errorf("order %v: %d units reused, %d evaluated: the memo must share some work", order, hits, misses)
		}
	}
}

// A setting is read where it is used: an added dashboard's content only by
// the unit that renders its ConfigMap, so two clusters that differ in it
// share every other unit, the Grafana Deployment (which mounts it) and the
// other dashboards included.
func TestMemoDashboardReadWhereUsed(t *testing.T) {
	defer func(a, b int) { splitItems, itemsPerUnit = a, b }(splitItems, itemsPerUnit)
	splitItems, itemsPerUnit = 2, 1
	vars := func(panel string) string {
		return "{ cluster: { name: 'x' }, grafana: { dashboards: { disable: ['Nodes (stand-in)'], add: { 'team.json': { uid: 'team', title: 'Team', panels: [{ title: '" + panel + "' }] } } } } }\n"
	}
	dir := testutil.Project(t, map[string]string{"a.jsonnet": vars("one"), "b.jsonnet": vars("two")})
	root := project.Root{Dir: dir}
	m := NewMemo()
	rs := []*Renderer{New(root), New(root)}
	if _, err := FilesMemo(rs, filepath.Join(dir, "vars", "a.jsonnet"), m); err != nil {
		t.Fatal(err)
	}
	_, first := m.Stats()
	files, err := FilesMemo(rs, filepath.Join(dir, "vars", "b.jsonnet"), m)
	if err != nil {
		t.Fatal(err)
	}
	hits, misses := m.Stats()
	if misses-first != 1 {
		t.Errorf("the second cluster evaluated %d units (reused %d), want 1: the ConfigMap of the dashboard that differs", misses-first, hits)
	}
	for _, f := range files {
		if f.Path == "manifests/grafana-dashboardDefinitions.yaml" && !strings.Contains(string(f.JSON), `\"title\": \"two\"`) {
			t.Errorf("the second cluster's dashboard is not its own: %s", f.JSON)
		}
	}
}

// Sharing through a memo needs kpgen's own entrypoint: the memo evaluates
// the library's fromConfig, so a customised entrypoint would be bypassed.
func TestStockEntrypoint(t *testing.T) {
	stockLib, err := os.ReadFile(filepath.Join(testutil.RepoRoot(), "jsonnet", "lib", "kpgen.libsonnet"))
	if err != nil {
		t.Fatal(err)
	}
	lib := string(stockLib)
	stock := "function(vars) (import 'kpgen.libsonnet').new(vars)\n"
	tests := []struct {
		main, lib string
		want      bool
	}{
		{stock, lib, true},
		{"// ours\n/* really */ function(vars)\n  (import \"kpgen.libsonnet\").new(vars)  # yes\n", lib, true},
		{"function(vars) local s = (import 'kpgen.libsonnet').new(vars); s { files+: {} }\n", lib, false},
		{"function(vars) (import 'other.libsonnet').new(vars)\n", lib, false},
		// new() changed: its files no longer come from fromConfig alone.
		{stock, strings.Replace(lib, "then built.files", "then built.files + { 'x.yaml': {} }", 1), false},
		{stock, "{\n  fromConfig(cfg):: {},\n  new(vars):: {},\n}\n", false},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		for name, content := range map[string]string{
			"jsonnet/lib/main.jsonnet":    tt.main,
			"jsonnet/lib/kpgen.libsonnet": tt.lib,
		} {
			p := filepath.Join(dir, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if got := StockEntrypoint(project.Root{Dir: dir}); got != tt.want {
			t.Errorf("StockEntrypoint with main.jsonnet %q (library changed: %v) = %v, want %v", tt.main, tt.lib != lib, got, tt.want)
		}
	}
	if !StockEntrypoint(project.Root{Dir: testutil.RepoRoot()}) {
		t.Error("the repository's own library is not recognised as kpgen's own")
	}
	if lib == strings.Replace(lib, "then built.files", "", 1) {
		t.Error("the test no longer changes the library: update it")
	}
}

// A platform library built on kpgen's is stock too: a file whose value is
// <library>.platform(...), through locals, of a platform of a platform.
func TestPlatformLibrary(t *testing.T) {
	stockLib, err := os.ReadFile(filepath.Join(testutil.RepoRoot(), "jsonnet", "lib", "kpgen.libsonnet"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		platform string
		want     bool
	}{
		{"direct", "(import 'kpgen.libsonnet').platform({ name: 'acme' })\n", true},
		{"through a local", "local k = import 'kpgen.libsonnet';\nlocal x = 1;\nk.platform({ defaults: { a: x } })\n", true},
		{"a platform of a platform", "(import 'base.libsonnet').platform({})\n", true},
		{"extended afterwards", "(import 'kpgen.libsonnet').platform({}) + { new(vars):: {} }\n", false},
		{"another method", "(import 'kpgen.libsonnet').other({})\n", false},
		{"a local shadowing the import", "local k = import 'kpgen.libsonnet';\nlocal k = { platform(x):: {} };\nk.platform({})\n", false},
		{"not kpgen's", "(import 'other.libsonnet').platform({})\n", false},
		{"does not parse", "(import 'kpgen.libsonnet').platform({\n", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range map[string]string{
				"jsonnet/lib/main.jsonnet":       "function(vars) (import 'platform.libsonnet').new(vars)\n",
				"jsonnet/lib/platform.libsonnet": tt.platform,
				"jsonnet/lib/base.libsonnet":     "local kpgen = import 'kpgen.libsonnet'; kpgen.platform({ name: 'base' })\n",
				"jsonnet/lib/kpgen.libsonnet":    string(stockLib),
				"jsonnet/lib/other.libsonnet":    "{ platform(x):: self, other(x):: self, new(vars):: {} }\n",
			} {
				testutil.WriteFile(t, filepath.Join(dir, name), content)
			}
			lib, got := Library(project.Root{Dir: dir})
			if got != tt.want {
				t.Fatalf("Library = %q, %v; want %v", lib, got, tt.want)
			}
			if got && lib != filepath.Join(dir, "jsonnet", "lib", "platform.libsonnet") {
				t.Errorf("library %s", lib)
			}
		})
	}
}

// vars.rules are read where they are used (jsonnet/lib/patches/rules.libsonnet):
// with every PrometheusRule split one group per unit, a cluster that differs
// from the previous one in a single value of vars.rules re-evaluates only
// the units that value changes.
func TestMemoRulesReadWhereUsed(t *testing.T) {
	defer func(a, b int) { splitGroups, groupsPerUnit = a, b }(splitGroups, groupsPerUnit)
	splitGroups, groupsPerUnit = 1, 1
	// The same cluster name everywhere: only vars.rules differs.
	base := rulesCluster("r", "30m", "sre", "critical")
	tests := []struct {
		name   string
		vars   string
		misses int64
	}{
		{"nothing changed", base, 0},
		// Read by the group that holds the rule only.
		{"the for of an override narrowed to a group and severity", strings.Replace(base, "bySeverity: { critical: { 'for': '30m' }", "bySeverity: { critical: { 'for': '2h' }", 1), 1},
		{"the labels of a recording rule's override", strings.Replace(base, "labels: { team: 'sre' } },\n  },", "labels: { team: 'db' } },\n  },", 1), 1},
		// Read by every group that holds alerts, in any PrometheusRule (14:
		// 12 of the stand-in, velero's, the cluster's own), less general.rules,
		// whose only alert left removes the label again.
		{"an alert label", strings.Replace(base, "alertLabels: { team: 'sre' }", "alertLabels: { team: 'db' }", 1), 13},
		// Disabling decides which groups an object keeps: every group unit of
		// that object (the kubernetes control plane's 6, kubelet.rules being
		// disabled) and the plan, which counts the groups.
		{"whether a rule is disabled", strings.Replace(base, "bySeverity: { critical: { disable: true } }", "bySeverity: { critical: { disable: false } }", 1), 7},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := testutil.Project(t, map[string]string{"base.jsonnet": base, "changed.jsonnet": tt.vars})
			root := project.Root{Dir: dir}
			rs := []*Renderer{New(root), New(root)}
			m := NewMemo()
			if _, err := FilesMemo(rs, filepath.Join(dir, "vars", "base.jsonnet"), m); err != nil {
				t.Fatal(err)
			}
			_, before := m.Stats()
			got, err := FilesMemo(rs, filepath.Join(dir, "vars", "changed.jsonnet"), m)
			if err != nil {
				t.Fatal(err)
			}
			_, after := m.Stats()
			if after-before != tt.misses {
				t.Errorf("%d units evaluated again, want %d", after-before, tt.misses)
			}
			want, err := New(root).Files(filepath.Join(dir, "vars", "changed.jsonnet"))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(paths(got), paths(want)) {
				t.Fatalf("files %v, want %v", paths(got), paths(want))
			}
			for i := range got {
				gy, _ := manifest.ToYAML(got[i].JSON)
				wy, _ := manifest.ToYAML(want[i].JSON)
				if !bytes.Equal(gy, wy) {
					t.Errorf("%s differs from the cluster rendered on its own", got[i].Path)
				}
			}
		})
	}
}

func paths(files []File) []string {
	var out []string
	for _, f := range files {
		out = append(out, f.Path)
	}
	return out
}
