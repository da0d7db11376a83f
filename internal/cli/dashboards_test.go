package cli

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/testutil"
)

// A cluster that disables one of the stand-in's two dashboards (by title),
// adds a JSON dashboard read from a file and a Jsonnet one in a folder of
// its own.
const dashboardsVars = `{
  cluster: { name: 'dashboards' },
  grafana: {
    dashboards: {
      disable: ['Nodes (stand-in)'],
      add: { 'team-overview.json': std.parseJson(importstr 'dashboards/team-overview.json') },
      folders: {
        Payments: {
          'payments.json': {
            uid: 'payments',
            title: 'Payments',
            tags: ['payments'],
            panels: [{ id: 1, type: 'stat', title: 'Checkouts/s', targets: [{ expr: 'sum(rate(checkouts_total[5m]))' }] }],
          },
        },
      },
    },
  },
}
`

const teamOverviewJSON = `{
  "uid": "team-overview",
  "title": "Team / Overview",
  "schemaVersion": 39,
  "panels": [{ "id": 1, "type": "stat", "title": "Targets up", "targets": [{ "expr": "sum(up)" }] }]
}
`

// kpgen build of a cluster with dashboards disabled and added, together
// with a cluster without (the two share work): each output tree is its
// golden (testdata/build/dashboards, testdata/build/standin).
func TestBuildDashboards(t *testing.T) {
	dir := testutil.Project(t, map[string]string{
		"standin.jsonnet":               minimalVars,
		"dashboards.jsonnet":            dashboardsVars,
		"dashboards/team-overview.json": teamOverviewJSON,
	})
	// Every cluster: vars/dashboards/*.json are no vars files.
	code, stdout, stderr := run("build", "--root", dir)
	if code != 0 || !strings.Contains(stdout, "2 clusters: 2 ok, 0 failed") {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	got := testutil.Snapshot(t, filepath.Join(dir, "out", "dashboards"))
	compareGolden(t, got, "dashboards")
	compareGolden(t, testutil.Snapshot(t, filepath.Join(dir, "out", "standin")), "standin")

	// What the golden shows, said outright: the disabled dashboard's
	// ConfigMap, volume and mount are gone, the added ones are there,
	// mounted where a provider reads them.
	defs, deploy, sources := got["manifests/grafana-dashboardDefinitions.yaml"], got["manifests/grafana-deployment.yaml"], got["manifests/grafana-dashboardSources.yaml"]
	if strings.Contains(defs+deploy, "grafana-dashboard-nodes") {
		t.Error("the disabled dashboard nodes.json is still rendered or mounted")
	}
	for _, want := range []string{
		"name: grafana-dashboard-team-overview",
		"mountPath: /grafana-dashboard-definitions/0/team-overview",
		"name: grafana-dashboard-payments",
		"mountPath: /grafana-dashboard-definitions/Payments/payments",
	} {
		if !strings.Contains(deploy, want) {
			t.Errorf("the Grafana Deployment lacks %q", want)
		}
	}
	for _, want := range []string{"team-overview.json: |-", `"title": "Team / Overview"`, "payments.json: |-", "name: grafana-dashboard-prometheus"} {
		if !strings.Contains(defs, want) {
			t.Errorf("grafana-dashboardDefinitions.yaml lacks %q", want)
		}
	}
	if !strings.Contains(sources, `"path": "/grafana-dashboard-definitions/Payments"`) {
		t.Errorf("no provider for the Payments folder:\n%s", sources)
	}
}

func TestBuildDashboardErrors(t *testing.T) {
	tests := []struct {
		name string
		vars string
		want []string // the lines of stderr that matter, in order
	}{
		{
			name: "vars problems: every one, with the others",
			vars: `{
  cluster: { name: 'standin' },
  prometheus: { replcas: 2 },
  grafana: { dashboards: {
    disable: ['Nodes (standin)'],
    add: { 'mine.json': { uid: 'standin-prometheus', title: 'Mine' }, 'prometheus.json': { uid: 'p', title: 'P' } },
  } },
}
`,
			want: []string{
				"FAILED: vars/standin.jsonnet: invalid vars (4 problem(s)):",
				`  vars.prometheus.replcas: unknown key (did you mean "replicas"?)`,
				`  vars.grafana.dashboards.add["mine.json"].uid: "standin-prometheus" is also the uid of the stack's dashboard "prometheus.json" (uids are unique across the dashboards Grafana gets)`,
				`  vars.grafana.dashboards.add["prometheus.json"]: the file name is taken by the stack's dashboard "prometheus.json" (it names the ConfigMap and the volume grafana-dashboard-prometheus): choose another, and disable that dashboard to replace it`,
				`  vars.grafana.dashboards.disable[0]: no dashboard has the title, uid or file name "Nodes (standin)" (did you mean "Nodes (stand-in)"?)`,
			},
		},
		{
			name: "a dashboard over 1 MiB",
			vars: `{
  cluster: { name: 'standin' },
  grafana: { dashboards: { add: { 'huge.json': { uid: 'huge', title: 'Huge', description: importstr 'dashboards/1MiB.txt' } } } },
}
`,
			want: []string{
				"FAILED: standin (vars/standin.jsonnet): 1 problem(s), nothing written:",
				"  manifests/grafana-dashboardDefinitions.yaml: ConfigMap monitoring/grafana-dashboard-huge: data and binaryData hold 1,048,641 bytes, over Kubernetes' limit of 1,048,576 bytes (1 MiB) for a ConfigMap: the API server refuses it",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := testutil.Project(t, map[string]string{"standin.jsonnet": minimalVars})
			vars := filepath.Join(dir, "vars", "standin.jsonnet")
			if code, o, e := run("build", "--root", dir, vars); code != 0 {
				t.Fatalf("first build: exit %d\n%s%s", code, o, e)
			}
			before := testutil.Snapshot(t, filepath.Join(dir, "out"))
			testutil.WriteFile(t, vars, tt.vars)
			testutil.WriteFile(t, filepath.Join(dir, "vars", "dashboards", "1MiB.txt"), strings.Repeat("x", 1<<20))
			code, stdout, stderr := run("build", "--root", dir, vars)
			if code != ExitFailed {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, ExitFailed, stdout, stderr)
			}
			lines := strings.Split(stderr, "\n")
			if len(lines) < len(tt.want) || !reflect.DeepEqual(lines[:len(tt.want)], tt.want) {
				t.Errorf("stderr:\n%s\nwant it to start with:\n%s", stderr, strings.Join(tt.want, "\n"))
			}
			if after := testutil.Snapshot(t, filepath.Join(dir, "out")); !reflect.DeepEqual(before, after) {
				t.Error("out/ changed after a failed build")
			}
		})
	}
}
