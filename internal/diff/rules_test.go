package diff

import "testing"

func TestRules(t *testing.T) {
	const expr = `up{job="a"} == 0`
	crit := m{"severity": "critical"}
	base := func(rules ...any) map[string]any {
		all := append(l{alert("Keep", "vector(1)", "", nil)}, rules...)
		return map[string]any{"rules.yaml": ruleObject("r", group("g", all...))}
	}
	tests := []struct {
		name     string
		old, new map[string]any
		want     []string
	}{{
		name: "alert added",
		old:  base(),
		new:  base(alert("Down", expr, "5m", crit)),
		want: []string{"~ PrometheusRule monitoring/r", "  ~ group g", "    + alert Down"},
	}, {
		name: "record removed",
		old:  base(m{"record": "job:up:sum", "expr": "sum by (job) (up)"}),
		new:  base(),
		want: []string{"~ PrometheusRule monitoring/r", "  ~ group g", "    - record job:up:sum"},
	}, {
		name: "expression changed",
		old:  base(alert("Down", expr, "5m", crit)),
		new:  base(alert("Down", `up{job="b"} == 0`, "5m", crit)),
		want: []string{"~ PrometheusRule monitoring/r", "  ~ group g", "    ~ alert Down", `      ~ expr: up{job="a"} == 0 → up{job="b"} == 0`},
	}, {
		name: "for changed, added, removed",
		old:  base(alert("Down", expr, "5m", crit), alert("Gone", expr, "1m", nil)),
		new:  base(alert("Down", expr, "10m", crit), alert("Gone", expr, "", nil)),
		want: []string{
			"~ PrometheusRule monitoring/r", "  ~ group g",
			"    ~ alert Down", "      ~ for: 5m → 10m",
			"    ~ alert Gone", "      - for: 1m",
		},
	}, {
		name: "labels and annotations",
		old: base(func() m {
			a := alert("Down", expr, "5m", m{"severity": "warning", "team": "a"})
			a["annotations"] = m{"summary": "down", "runbook_url": "https://x/down"}
			return a
		}()),
		new: base(func() m {
			a := alert("Down", expr, "5m", m{"severity": "critical"})
			a["annotations"] = m{"summary": "it is down", "description": "more"}
			return a
		}()),
		want: []string{
			"~ PrometheusRule monitoring/r", "  ~ group g", "    ~ alert Down",
			"      + annotations.description: more",
			"      - annotations.runbook_url: https://x/down",
			"      ~ annotations.summary: down → it is down",
			"      ~ labels.severity: warning → critical",
			"      - labels.team: a",
		},
	}, {
		name: "same alert at two severities: matched by labels",
		old:  base(alert("Full", "x > 0.9", "", m{"severity": "warning"}), alert("Full", "x > 0.99", "", crit)),
		new:  base(alert("Full", "x > 0.9", "", m{"severity": "warning"}), alert("Full", "x > 0.98", "", crit)),
		want: []string{
			"~ PrometheusRule monitoring/r", "  ~ group g",
			`    ~ alert Full{severity="critical"}`, "      ~ expr: x > 0.99 → x > 0.98",
		},
	}, {
		name: "group added, removed, interval changed",
		old: map[string]any{"rules.yaml": ruleObject("r",
			group("old", alert("A", expr, "", nil)),
			m{"name": "kept", "interval": "30s", "rules": l{alert("B", expr, "", nil)}})},
		new: map[string]any{"rules.yaml": ruleObject("r",
			m{"name": "kept", "interval": "1m", "rules": l{alert("B", expr, "", nil)}},
			group("new", alert("C", expr, "", nil), m{"record": "r:c", "expr": "c"}))},
		want: []string{
			"~ PrometheusRule monitoring/r",
			"  ~ group kept", "    ~ interval: 30s → 1m",
			"  + group new", "    + alert C", "    + record r:c",
			"  - group old", "    - alert A",
		},
	}, {
		name: "rule object added with its rules",
		old:  map[string]any{},
		new:  map[string]any{"rules.yaml": ruleObject("r", group("g", alert("A", expr, "", nil)))},
		want: []string{"+ PrometheusRule monitoring/r", "  + group g", "    + alert A"},
	}, {
		name: "rule moved to another PrometheusRule",
		old: map[string]any{
			"a.yaml": ruleObject("a", group("g", alert("A", expr, "", nil), alert("B", expr, "", nil))),
			"b.yaml": ruleObject("b", group("h", alert("C", expr, "", nil)))},
		new: map[string]any{
			"a.yaml": ruleObject("a", group("g", alert("A", expr, "", nil))),
			"b.yaml": ruleObject("b", group("h", alert("C", expr, "", nil), alert("B", expr, "", nil)))},
		want: []string{
			"~ PrometheusRule monitoring/a", "  ~ group g", "    - alert B",
			"~ PrometheusRule monitoring/b", "  ~ group h", "    + alert B",
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkLines(t, describe(compare(t, tt.old, tt.new)), tt.want)
		})
	}
}
