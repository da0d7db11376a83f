package mixintest

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/prometheus/prometheus/promql/parser"
)

var promql = parser.NewParser(parser.Options{})

// hostile are strings a setting could splice into PromQL: quotes, escapes,
// line breaks, control characters, U+FFFD (which PromQL's lexer takes for
// invalid UTF-8 when it appears literally), and non-ASCII text.
var hostile = []string{
	`a"} or vector(1)`,
	`a\"} or vector(1) or up{x="`,
	`back\slash`,
	"new\nline",
	"tab\tand\rreturn\b\f\v\a",
	"nul\x00 del\x7f c1\u0085",
	"\ufffd",
	"région 東京 🚀",
	"`raw` 'single'",
	"",
}

// TestPromQLString: common.promqlString makes a PromQL string literal that
// reads back as exactly the string, whatever it holds, and common.matcher
// a matcher on exactly that value (issue 9: a vars value spliced into
// PromQL must not change the expression).
func TestPromQLString(t *testing.T) {
	in, _ := json.Marshal(hostile)
	out, err := evalJsonnet(fmt.Sprintf(`
local common = import 'kpgen-common/common.libsonnet';
[{ lit: common.promqlString(s), sel: 'up{%%s}' %% common.matcher('schedule', '!=', s) } for s in %s]`, in))
	if err != nil {
		t.Fatal(err)
	}
	var got []struct{ Lit, Sel string }
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	for i, s := range hostile {
		expr, err := promql.ParseExpr(got[i].Lit)
		if err != nil {
			t.Errorf("%q: literal %s does not parse: %v", s, got[i].Lit, err)
			continue
		}
		if lit, ok := expr.(*parser.StringLiteral); !ok || lit.Val != s {
			t.Errorf("%q: literal %s reads back as %#v", s, got[i].Lit, expr)
		}
		expr, err = promql.ParseExpr(got[i].Sel)
		if err != nil {
			t.Errorf("%q: selector %s does not parse: %v", s, got[i].Sel, err)
			continue
		}
		vs, ok := expr.(*parser.VectorSelector)
		if !ok {
			t.Errorf("%q: %s is not a single selector: %s", s, got[i].Sel, expr)
			continue
		}
		var found bool
		for _, m := range vs.LabelMatchers {
			if m.Name == "schedule" {
				found = m.Value == s && m.Type.String() == "!="
			}
		}
		if !found {
			t.Errorf("%q: %s has no matcher schedule!= on exactly the string: %v", s, got[i].Sel, vs.LabelMatchers)
		}
	}
}

// TestVeleroScheduleNamesQuoted: even used on its own, without kpgen's
// schema to reject such a schedule name, the velero mixin cannot be made to
// run other PromQL through scheduleMaxAgeSeconds: each key is one matcher's
// value.
func TestVeleroScheduleNamesQuoted(t *testing.T) {
	schedules := map[string]int{}
	for i, s := range hostile {
		schedules[s] = 1000 + i
	}
	in, _ := json.Marshal(schedules)
	v, err := component(t, "velero", fmt.Sprintf(`{ scheduleMaxAgeSeconds: %s }`, in))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range alertsOf(t, v.Objects["prometheusRule"]) {
		if a.Alert != "VeleroBackupTooOld" {
			continue
		}
		expr, err := promql.ParseExpr(a.Expr)
		if err != nil {
			t.Fatalf("VeleroBackupTooOld: %v\n%s", err, a.Expr)
		}
		// One selector for the default threshold, one per schedule, and
		// nothing else selects or calls anything but time().
		sels := parser.ExtractSelectors(expr)
		if len(sels) != 1+len(hostile) {
			t.Errorf("VeleroBackupTooOld selects %d times, want %d:\n%s", len(sels), 1+len(hostile), a.Expr)
		}
		parser.Inspect(expr, func(n parser.Node, _ []parser.Node) error {
			if c, ok := n.(*parser.Call); ok && c.Func.Name != "time" {
				t.Errorf("VeleroBackupTooOld calls %s:\n%s", c.Func.Name, a.Expr)
			}
			return nil
		})
		equal := map[string]bool{}
		for _, ms := range sels {
			for _, m := range ms {
				if m.Name == "schedule" && m.Type.String() == "=" {
					equal[m.Value] = true
				}
			}
		}
		for _, s := range hostile {
			if !equal[s] {
				t.Errorf("no selector schedule=%q in\n%s", s, a.Expr)
			}
		}
		return
	}
	t.Fatal("no VeleroBackupTooOld")
}

// TestNum: thresholds read by PromQL as the number they are, never as the
// hundreds of digits '%d' prints for a huge number.
func TestNum(t *testing.T) {
	out, err := evalJsonnet(`local common = import 'kpgen-common/common.libsonnet';
[common.num(n) for n in [0, 1, 300, 0.9, 1209600, 2764800.5, 1e15, 1e308, -5, 5e-324]]`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	want := []string{"0", "1", "300", "0.9", "1209600", "2764800.5", "1000000000000000", "1e+308", "-5", "4.9406564584124654e-324"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("num: %q, want %q", got, want)
	}
	for _, s := range got {
		if _, err := promql.ParseExpr(s); err != nil {
			t.Errorf("%s: %v", s, err)
		}
	}
}
