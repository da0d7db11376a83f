package libtest

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/testutil"
)

const (
	dashboardDefs    = "manifests/grafana-dashboardDefinitions.yaml"
	dashboardSources = "manifests/grafana-dashboardSources.yaml"
	grafanaDeploy    = "manifests/grafana-deployment.yaml"
)

// grafanaDashboards is what Grafana gets of the dashboards in a rendering:
// each ConfigMap of the ConfigMapList (name → its file → the dashboard),
// the Deployment's dashboard volumes (name → ConfigMap) and mounts (name →
// path), and the providers' folders (folder → path).
type grafanaDashboards struct {
	configMaps map[string]map[string]map[string]any
	volumes    map[string]string
	mounts     map[string]string
	providers  map[string]string
}

func dashboardsOf(t *testing.T, files map[string]map[string]any) grafanaDashboards {
	t.Helper()
	g := grafanaDashboards{configMaps: map[string]map[string]map[string]any{}, volumes: map[string]string{}, mounts: map[string]string{}, providers: map[string]string{}}
	for _, it := range get(files[dashboardDefs], "items").([]any) {
		name := get(it, "metadata", "name").(string)
		g.configMaps[name] = map[string]map[string]any{}
		for file, text := range get(it, "data").(map[string]any) {
			var d map[string]any
			if err := json.Unmarshal([]byte(text.(string)), &d); err != nil {
				t.Fatalf("ConfigMap %s: %s: %v", name, file, err)
			}
			g.configMaps[name][file] = d
		}
	}
	pod := get(files[grafanaDeploy], "spec", "template", "spec")
	for _, v := range get(pod, "volumes").([]any) {
		if name := get(v, "name").(string); strings.HasPrefix(name, "grafana-dashboard-") {
			g.volumes[name], _ = get(v, "configMap", "name").(string)
		}
	}
	for _, m := range get(pod, "containers", 0, "volumeMounts").([]any) {
		if name := get(m, "name").(string); strings.HasPrefix(name, "grafana-dashboard-") {
			g.mounts[name] = get(m, "mountPath").(string)
		}
	}
	var sources map[string]any
	if err := json.Unmarshal([]byte(get(files[dashboardSources], "data", "dashboards.yaml").(string)), &sources); err != nil {
		t.Fatal(err)
	}
	for _, p := range get(sources, "providers").([]any) {
		g.providers[get(p, "folder").(string)] = get(p, "options", "path").(string)
	}
	return g
}

// consistent checks what Grafana needs to start and to find every
// dashboard: each ConfigMap mounted once, each dashboard volume's ConfigMap
// rendered, each mount under a provider's path.
func (g grafanaDashboards) consistent(t *testing.T) {
	t.Helper()
	for name := range g.configMaps {
		if g.volumes[name] != name || g.mounts[name] == "" {
			t.Errorf("ConfigMap %s: volume of ConfigMap %q, mounted at %q", name, g.volumes[name], g.mounts[name])
		}
	}
	for name, cm := range g.volumes {
		if _, ok := g.configMaps[cm]; !ok {
			t.Errorf("volume %s: its ConfigMap %s is not rendered (Grafana would not start)", name, cm)
		}
	}
	for name, path := range g.mounts {
		dir := path[:strings.LastIndex(path, "/")]
		found := false
		for _, p := range g.providers {
			found = found || p == dir
		}
		if !found {
			t.Errorf("mount %s at %s: no provider reads %s (providers: %v)", name, path, dir, g.providers)
		}
	}
}

func (g grafanaDashboards) names() []string {
	var ns []string
	for n := range g.configMaps {
		ns = append(ns, n)
	}
	sort.Strings(ns)
	return ns
}

// A dashboard exported from Grafana, as JSON.
const teamJSON = `{
  "uid": "team-overview",
  "title": "Team / Overview",
  "id": null,
  "tags": ["team"],
  "schemaVersion": 39,
  "panels": [{ "id": 1, "type": "stat", "title": "Targets up", "targets": [{ "expr": "sum(up{job=\"team\"})" }] }]
}
`

// What the stand-in renders: two dashboards in the Default folder.
var standinDashboards = []string{"grafana-dashboard-nodes", "grafana-dashboard-prometheus"}

func TestDashboards(t *testing.T) {
	teamDashboard := map[string]any{}
	if err := json.Unmarshal([]byte(teamJSON), &teamDashboard); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		vars  string            // the cluster's grafana.dashboards
		files map[string]string // more files beside the vars file
		// ConfigMaps rendered, and where each is mounted (the Default
		// folder's unless said).
		want    []string
		mounts  map[string]string
		folders []string // the providers' folders
		check   func(t *testing.T, g grafanaDashboards)
	}{
		{
			name:    "nothing set: upstream's",
			vars:    "{}",
			want:    standinDashboards,
			folders: []string{"Default"},
		},
		{
			name:    "disable by title",
			vars:    "{ disable: ['Nodes (stand-in)'] }",
			want:    []string{"grafana-dashboard-prometheus"},
			folders: []string{"Default"},
		},
		{
			name:    "disable by uid",
			vars:    "{ disable: ['standin-prometheus'] }",
			want:    []string{"grafana-dashboard-nodes"},
			folders: []string{"Default"},
		},
		{
			name:    "disable by file name",
			vars:    "{ disable: ['nodes.json'] }",
			want:    []string{"grafana-dashboard-prometheus"},
			folders: []string{"Default"},
		},
		{
			name: "disable every dashboard: no provider either (upstream's rule)",
			vars: "{ disable: ['nodes.json', 'Prometheus (stand-in)'] }",
		},
		{
			name:    "add JSON read from a file",
			vars:    "{ add: { 'team.json': std.parseJson(importstr 'dashboards/team.json') } }",
			files:   map[string]string{"dashboards/team.json": teamJSON},
			want:    []string{"grafana-dashboard-nodes", "grafana-dashboard-prometheus", "grafana-dashboard-team"},
			folders: []string{"Default"},
			check: func(t *testing.T, g grafanaDashboards) {
				if got := g.configMaps["grafana-dashboard-team"]["team.json"]; !reflect.DeepEqual(got, teamDashboard) {
					t.Errorf("team.json = %v, want the file's dashboard %v", got, teamDashboard)
				}
				if g.mounts["grafana-dashboard-team"] != "/grafana-dashboard-definitions/0/team" {
					t.Errorf("mounted at %s", g.mounts["grafana-dashboard-team"])
				}
			},
		},
		{
			name: "add Jsonnet: hidden fields are left out, as when manifested",
			vars: `{ add: { 'built.json': {
				panel(t):: { type: 'timeseries', title: t },
				uid: 'built', title: 'Built', panels: [self.panel('a')],
			} } }`,
			want:    []string{"grafana-dashboard-built", "grafana-dashboard-nodes", "grafana-dashboard-prometheus"},
			folders: []string{"Default"},
			check: func(t *testing.T, g grafanaDashboards) {
				want := map[string]any{"uid": "built", "title": "Built", "panels": []any{map[string]any{"type": "timeseries", "title": "a"}}}
				if got := g.configMaps["grafana-dashboard-built"]["built.json"]; !reflect.DeepEqual(got, want) {
					t.Errorf("built.json = %v, want %v", got, want)
				}
			},
		},
		{
			name:    "add to folders: a provider each, mounted under the folder",
			vars:    "{ folders: { Payments: { 'pay.json': { uid: 'pay', title: 'Pay' }, 'pay-db.json': { uid: 'pay-db', title: 'Pay DB' } }, 'Team B': { 'b.json': { uid: 'b', title: 'B' } } } }",
			want:    []string{"grafana-dashboard-b", "grafana-dashboard-nodes", "grafana-dashboard-pay", "grafana-dashboard-pay-db", "grafana-dashboard-prometheus"},
			mounts:  map[string]string{"grafana-dashboard-pay": "/grafana-dashboard-definitions/Payments/pay", "grafana-dashboard-pay-db": "/grafana-dashboard-definitions/Payments/pay-db", "grafana-dashboard-b": "/grafana-dashboard-definitions/Team B/b"},
			folders: []string{"Default", "Payments", "Team B"},
		},
		{
			name:    "a disabled dashboard's uid and title may be reused",
			vars:    "{ disable: ['nodes.json'], add: { 'my-nodes.json': { uid: 'standin-nodes', title: 'Nodes (stand-in)' } } }",
			want:    []string{"grafana-dashboard-my-nodes", "grafana-dashboard-prometheus"},
			folders: []string{"Default"},
		},
		{
			name:    "an added dashboard disabled by title, and a folder left empty",
			vars:    "{ disable: ['Team', 'Team B'], add: { 'team.json': { uid: 'team', title: 'Team' } }, folders: { B: { 'b.json': { uid: 'b', title: 'Team B' } } } }",
			want:    standinDashboards,
			folders: []string{"Default"},
		},
		{
			name: "the platform's dashboards, from a file the vars import, disabled in part by the cluster",
			vars: "(import 'platform.libsonnet').dashboards + { disable: ['Platform / Two', 'nodes.json'] }",
			files: map[string]string{
				"platform.libsonnet": `{ dashboards: {
					add: { 'one.json': std.parseJson(importstr 'dashboards/team.json') + { uid: 'one', title: 'Platform / One' } },
					folders: { Platform: { 'two.json': { uid: 'two', title: 'Platform / Two' }, 'three.json': { uid: 'three', title: 'Platform / Three' } } },
				} }`,
				"dashboards/team.json": teamJSON,
			},
			want:    []string{"grafana-dashboard-one", "grafana-dashboard-prometheus", "grafana-dashboard-three"},
			mounts:  map[string]string{"grafana-dashboard-three": "/grafana-dashboard-definitions/Platform/three"},
			folders: []string{"Default", "Platform"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newStack(t, "{ cluster: { name: 'test' }, grafana: { dashboards: "+tt.vars+" } }")
			for name, content := range tt.files {
				testutil.WriteFile(t, filepath.Join(filepath.Dir(s.vars), name), content)
			}
			files := s.files()
			g := dashboardsOf(t, files)
			g.consistent(t)
			if got := g.names(); !reflect.DeepEqual(got, tt.want) && (len(got) > 0 || len(tt.want) > 0) {
				t.Errorf("ConfigMaps %v, want %v", got, tt.want)
			}
			for _, name := range tt.want {
				want := "/grafana-dashboard-definitions/0/" + strings.TrimPrefix(name, "grafana-dashboard-")
				if m, ok := tt.mounts[name]; ok {
					want = m
				}
				if g.mounts[name] != want {
					t.Errorf("%s mounted at %q, want %q", name, g.mounts[name], want)
				}
			}
			var folders []string
			for f := range g.providers {
				folders = append(folders, f)
			}
			sort.Strings(folders)
			if !reflect.DeepEqual(folders, tt.folders) && (len(folders) > 0 || len(tt.folders) > 0) {
				t.Errorf("providers' folders %v, want %v", folders, tt.folders)
			}
			if tt.check != nil {
				tt.check(t, g)
			}
		})
	}
}

func TestDashboardProblems(t *testing.T) {
	tests := []struct {
		name string
		vars string // grafana.dashboards
		more string // the rest of the vars
		want []string
	}{
		{
			name: "names that match no dashboard, with the closest",
			vars: "{ disable: ['Nodes (standin)', 'prometheus.jsn', 'standin-prometeus', 'nothing like it', 'nodes.json'] }",
			want: []string{
				`vars.grafana.dashboards.disable[0]: no dashboard has the title, uid or file name "Nodes (standin)" (did you mean "Nodes (stand-in)"?)`,
				`vars.grafana.dashboards.disable[1]: no dashboard has the title, uid or file name "prometheus.jsn" (did you mean "prometheus.json"?)`,
				`vars.grafana.dashboards.disable[2]: no dashboard has the title, uid or file name "standin-prometeus" (did you mean "standin-prometheus"?)`,
				`vars.grafana.dashboards.disable[3]: no dashboard has the title, uid or file name "nothing like it"`,
			},
		},
		{
			name: "added dashboards' names are known",
			vars: "{ disable: ['Team', 'team-uid', 'team.json', 'Tem'], add: { 'team.json': { uid: 'team-uid', title: 'Team' } } }",
			want: []string{`vars.grafana.dashboards.disable[3]: no dashboard has the title, uid or file name "Tem" (did you mean "Team"?)`},
		},
		{
			name: "uids and titles unique across the dashboards",
			vars: `{
				add: { 'a.json': { uid: 'standin-nodes', title: 'A' }, 'b.json': { uid: 'b', title: 'Prometheus (stand-in)' }, 'c.json': { uid: 'c', title: 'A' } },
				folders: { F: { 'd.json': { uid: 'b', title: 'D' } } },
			}`,
			want: []string{
				`vars.grafana.dashboards.add["a.json"].uid: "standin-nodes" is also the uid of the stack's dashboard "nodes.json" (uids are unique across the dashboards Grafana gets)`,
				`vars.grafana.dashboards.add["b.json"].title: "Prometheus (stand-in)" is also the title of the stack's dashboard "prometheus.json" (titles are unique across the dashboards Grafana gets)`,
				`vars.grafana.dashboards.add["c.json"].title: "A" is also the title of vars.grafana.dashboards.add["a.json"] (titles are unique across the dashboards Grafana gets)`,
				`vars.grafana.dashboards.folders.F["d.json"].uid: "b" is also the uid of vars.grafana.dashboards.add["b.json"] (uids are unique across the dashboards Grafana gets)`,
			},
		},
		{
			name: "file names taken",
			vars: `{
				disable: ['Prometheus (stand-in)'],
				add: { 'nodes.json': { uid: 'n', title: 'N' }, 'prometheus.json': { uid: 'p', title: 'P' }, 'x.json': { uid: 'x', title: 'X' } },
				folders: { F: { 'x.json': { uid: 'y', title: 'Y' } } },
			}`,
			want: []string{
				`vars.grafana.dashboards.add["nodes.json"]: the file name is taken by the stack's dashboard "nodes.json" (it names the ConfigMap and the volume grafana-dashboard-nodes): choose another, and disable that dashboard to replace it`,
				`vars.grafana.dashboards.add["prometheus.json"]: the file name is taken by the stack's dashboard "prometheus.json" (it names the ConfigMap and the volume grafana-dashboard-prometheus): choose another (a disabled dashboard keeps its file name)`,
				`vars.grafana.dashboards.folders.F["x.json"]: the file name is taken by vars.grafana.dashboards.add["x.json"] (it names the ConfigMap and the volume grafana-dashboard-x)`,
			},
		},
		{
			name: "what a dashboard must be",
			vars: `{
				add: {
					'no-uid.json': { title: 'T' },
					'bad.json': { uid: 'has space', title: '' },
					'long.json': { uid: '` + strings.Repeat("u", 41) + `', title: 'L', panels:: [] },
					'hidden.json': { uid:: 'h', title: 'H' },
					'string.json': '{"uid": "s", "title": "S"}',
					'Upper.json': { uid: 'up', title: 'Up' },
					'no-extension': { uid: 'ne', title: 'NE' },
					'` + strings.Repeat("n", 46) + `.json': { uid: 'nn', title: 'NN' },
				},
				folders: { '0': {}, '': {}, 'a/b': {}, ' x': {}, 'Costs $HOME': {} },
			}`,
			want: []string{
				`vars.grafana.dashboards.add["Upper.json"]: "Upper.json" is not a dashboard file name (<name>.json, where grafana-dashboard-<name> is a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, <name> at most 45 characters)`,
				`vars.grafana.dashboards.add["bad.json"].title: must not be empty`,
				`vars.grafana.dashboards.add["bad.json"].uid: "has space" is not a Grafana dashboard uid (1 to 40 letters, digits, "-" and "_")`,
				`vars.grafana.dashboards.add["hidden.json"].uid: hidden field (declared with ` + "`::`" + `): use ` + "`:`",
				`vars.grafana.dashboards.add["long.json"].uid: "uuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuuu" is not a Grafana dashboard uid (1 to 40 letters, digits, "-" and "_")`,
				`vars.grafana.dashboards.add["nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn.json"]: "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn.json" is not a dashboard file name (<name>.json, where grafana-dashboard-<name> is a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, <name> at most 45 characters)`,
				`vars.grafana.dashboards.add.no-extension: "no-extension" is not a dashboard file name (<name>.json, where grafana-dashboard-<name> is a DNS-1123 label: lowercase letters, digits and "-", starting and ending with a letter or digit, <name> at most 45 characters)`,
				`vars.grafana.dashboards.add["no-uid.json"].uid: required (unique across the dashboards: Grafana identifies a dashboard by it)`,
				`vars.grafana.dashboards.add["string.json"]: expected object, got string "{\"uid\": \"s\", \"title\": \"S\"}" (a Grafana dashboard: read a JSON file with std.parseJson(importstr "<file>.json"))`,
				`vars.grafana.dashboards.folders[""]: "" is not a folder name (1 to 128 characters)`,
				`vars.grafana.dashboards.folders[" x"]: " x" is not a folder name (no "/", no control characters, no space at either end: it names a directory)`,
				`vars.grafana.dashboards.folders.0: "0" is not a folder name (it names a directory, and /grafana-dashboard-definitions/0 is the Default folder's)`,
				`vars.grafana.dashboards.folders["Costs $HOME"]: "Costs $HOME" is not a folder name (no "$": Grafana reads $NAME in its provisioning files as an environment variable)`,
				`vars.grafana.dashboards.folders["a/b"]: "a/b" is not a folder name (no "/", no control characters, no space at either end: it names a directory)`,
			},
		},
		{
			name: "with every other vars problem",
			vars: "{ disable: ['Nodes'], add: { 'a.json': { uid: 'standin-nodes', title: 'A' } } }",
			more: "prometheus: { replcas: 2 }",
			want: []string{
				`vars.prometheus.replcas: unknown key (did you mean "replicas"?)`,
				`vars.grafana.dashboards.add["a.json"].uid: "standin-nodes" is also the uid of the stack's dashboard "nodes.json" (uids are unique across the dashboards Grafana gets)`,
				`vars.grafana.dashboards.disable[0]: no dashboard has the title, uid or file name "Nodes"`,
			},
		},
		{
			name: "grafana off: still checked (a platform's dashboards stay right for its other clusters)",
			vars: "{ disable: ['Nodes (standin)'] }, enabled: false",
			want: []string{`vars.grafana.dashboards.disable[0]: no dashboard has the title, uid or file name "Nodes (standin)" (did you mean "Nodes (stand-in)"?)`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := newStack(t, "{ cluster: { name: 'test' }, grafana: { dashboards: "+tt.vars+" } } + {"+tt.more+"}").problems()
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems:%s\nwant:%s", joinLines(got), joinLines(tt.want))
			}
		})
	}
}
