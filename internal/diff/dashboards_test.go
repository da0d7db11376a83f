package diff

import (
	"strings"
	"testing"
)

func TestDashboards(t *testing.T) {
	dash := func(uid, title string, panels ...any) m {
		return m{"uid": uid, "title": title, "panels": l(panels), "schemaVersion": 39}
	}
	row := func(id int, title string, panels ...any) m {
		return m{"id": id, "title": title, "type": "row", "panels": l(panels)}
	}
	list := func(cms ...any) map[string]any {
		return map[string]any{"manifests/grafana-dashboardDefinitions.yaml": m{"apiVersion": "v1", "kind": "ConfigMapList", "items": l(cms)}}
	}
	p1, p2, p3 := panel(1, "CPU", nil), panel(2, "Memory", nil), panel(3, "Disk", nil)
	tests := []struct {
		name     string
		old, new map[string]any
		want     []string
	}{{
		name: "dashboard added with its ConfigMap",
		old:  list(dashboardConfigMap(t, "grafana-dashboard-a", map[string]m{"a.json": dash("a", "A", p1)})),
		new: list(
			dashboardConfigMap(t, "grafana-dashboard-a", map[string]m{"a.json": dash("a", "A", p1)}),
			dashboardConfigMap(t, "grafana-dashboard-b", map[string]m{"b.json": dash("b", "B", p1, p2)})),
		want: []string{"+ ConfigMap monitoring/grafana-dashboard-b", `  + dashboard "B" uid=b key=b.json panels=2`},
	}, {
		name: "dashboard removed",
		old: list(
			dashboardConfigMap(t, "grafana-dashboard-a", map[string]m{"a.json": dash("a", "A", p1)}),
			dashboardConfigMap(t, "grafana-dashboard-b", map[string]m{"b.json": dash("b", "B", p1)})),
		new:  list(dashboardConfigMap(t, "grafana-dashboard-a", map[string]m{"a.json": dash("a", "A", p1)})),
		want: []string{"- ConfigMap monitoring/grafana-dashboard-b", `  - dashboard "B" uid=b key=b.json panels=1`},
	}, {
		name: "panels changed, added, removed, by id; other fields named",
		old:  list(dashboardConfigMap(t, "grafana-dashboard-a", map[string]m{"a.json": dash("a", "A", p1, p2)})),
		new: list(dashboardConfigMap(t, "grafana-dashboard-a", map[string]m{"a.json": func() m {
			d := dash("a", "A", panel(1, "CPU usage", nil), p3)
			d["templating"] = m{"list": l{}}
			return d
		}()})),
		want: []string{
			"~ ConfigMap monitoring/grafana-dashboard-a",
			`  ~ dashboard "A" uid=a key=a.json panels=2 changed=1 added=1 removed=1 other=templating`,
		},
	}, {
		name: "panels nested in rows, and a new title",
		old: list(dashboardConfigMap(t, "grafana-dashboard-a", map[string]m{"a.json": dash("a", "A",
			row(10, "Row", p1, p2), row(11, "Other"), p3)})),
		new: list(dashboardConfigMap(t, "grafana-dashboard-a", map[string]m{"a.json": dash("a", "A2",
			row(10, "Row", p1, panel(2, "Memory", m{"unit": "bytes"})), row(11, "Other"), p3)})),
		want: []string{
			"~ ConfigMap monitoring/grafana-dashboard-a",
			`  ~ dashboard "A2" uid=a key=a.json panels=5 was="A" changed=1 added=0 removed=0`,
		},
	}, {
		name: "old-style rows[].panels, panels without id matched by title",
		old: list(dashboardConfigMap(t, "grafana-dashboard-a", map[string]m{"a.json": {"uid": "a", "title": "A",
			"rows": l{m{"title": "r", "panels": l{m{"title": "x", "span": 6}, m{"title": "y"}}}}}})),
		new: list(dashboardConfigMap(t, "grafana-dashboard-a", map[string]m{"a.json": {"uid": "a", "title": "A",
			"rows": l{m{"title": "r", "panels": l{m{"title": "y"}, m{"title": "x", "span": 12}}}}}})),
		want: []string{
			"~ ConfigMap monitoring/grafana-dashboard-a",
			`  ~ dashboard "A" uid=a key=a.json panels=2 changed=1 added=0 removed=0`,
		},
	}, {
		name: "data key renamed: dashboard matched by uid is not added and removed",
		old:  list(dashboardConfigMap(t, "grafana-dashboard-a", map[string]m{"a.json": dash("a", "A", p1)})),
		new:  list(dashboardConfigMap(t, "grafana-dashboard-a", map[string]m{"renamed.json": dash("a", "A", p1)})),
		want: []string{
			"~ ConfigMap monitoring/grafana-dashboard-a",
			`  ~ dashboard "A" uid=a key=renamed.json panels=1 changed=0 added=0 removed=0`,
		},
	}, {
		name: "other data of a dashboard ConfigMap is a field",
		old:  list(dashboardConfigMap(t, "grafana-dashboard-a", map[string]m{"a.json": dash("a", "A", p1)})),
		new: list(func() m {
			cm := dashboardConfigMap(t, "grafana-dashboard-a", map[string]m{"a.json": dash("a", "A", p1)})
			cm["data"].(m)["README"] = "hello"
			return cm
		}()),
		want: []string{"~ ConfigMap monitoring/grafana-dashboard-a", "  + data.README: hello"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkLines(t, describe(compare(t, tt.old, tt.new)), tt.want)
		})
	}
}

func TestDashboardJSONNeverDumped(t *testing.T) {
	big := m{"uid": "a", "title": "A", "panels": l{panel(1, "CPU", m{"targets": l{m{"expr": strings.Repeat("rate(x[5m]) + ", 50)}}})}}
	changed := m{"uid": "a", "title": "A", "panels": l{panel(1, "CPU", m{"targets": l{m{"expr": "y"}}})}}
	d := compare(t,
		map[string]any{"d.yaml": dashboardConfigMap(t, "grafana-dashboard-a", map[string]m{"a.json": big})},
		map[string]any{"d.yaml": dashboardConfigMap(t, "grafana-dashboard-a", map[string]m{"a.json": changed})})
	rep := &Report{Clusters: []*ClusterDiff{d}}
	var text, md, js strings.Builder
	rep.Text(&text, false)
	rep.Markdown(&md)
	rep.JSON(&js)
	for name, out := range map[string]string{"text": text.String(), "markdown": md.String(), "json": js.String()} {
		if strings.Contains(out, "rate(x[5m])") || strings.Contains(out, `"targets"`) {
			t.Errorf("%s output holds the dashboard JSON:\n%s", name, out)
		}
		if !strings.Contains(out, "A") {
			t.Errorf("%s output does not name the dashboard:\n%s", name, out)
		}
	}
}
