package libtest

import (
	"encoding/json"
	"errors"
	"flag"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	jsonnet "github.com/google/go-jsonnet"

	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/render"
	"github.com/kpgen/kpgen/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// minimal is the smallest valid vars file.
const minimal = "{ cluster: { name: 'test' } }"

// stack is a project holding one vars file, vars/test.jsonnet.
type stack struct {
	t    testing.TB
	dir  string
	vars string
}

func newStack(t testing.TB, vars string) *stack {
	t.Helper()
	dir := testutil.Project(t, map[string]string{"test.jsonnet": vars})
	return &stack{t: t, dir: dir, vars: filepath.Join(dir, "vars", "test.jsonnet")}
}

func (s *stack) renderer() *render.Renderer { return render.New(project.Root{Dir: s.dir}) }

// problems returns the vars problems kpgen reports (nil when the vars are valid).
func (s *stack) problems() []string {
	s.t.Helper()
	_, err := s.renderer().Head(s.vars)
	if err == nil {
		return nil
	}
	var ve *render.VarsError
	if !errors.As(err, &ve) {
		s.t.Fatalf("Head: %v", err)
	}
	return ve.Problems
}

// files renders the cluster: path → decoded object.
func (s *stack) files() map[string]map[string]any {
	s.t.Helper()
	res, err := s.renderer().Render(s.vars)
	if err != nil {
		s.t.Fatalf("Render: %v", err)
	}
	out := map[string]map[string]any{}
	for _, f := range res.Files {
		var o map[string]any
		if err := json.Unmarshal(f.JSON, &o); err != nil {
			s.t.Fatalf("%s: %v", f.Path, err)
		}
		out[f.Path] = o
	}
	return out
}

// eval evaluates a Jsonnet expression in which `k` is kpgen.new(vars) and
// `vars` the vars file, decoding the JSON result into v.
func (s *stack) eval(expr string, v any) error {
	vm := jsonnet.MakeVM()
	vm.Importer(&jsonnet.FileImporter{JPaths: project.Root{Dir: s.dir}.JPath()})
	code := "local vars = import " + strconv.Quote(s.vars) + "; local k = (import 'kpgen.libsonnet').new(vars); " + expr
	out, err := vm.EvaluateAnonymousSnippet("test.jsonnet", code)
	if err != nil {
		return err
	}
	return json.Unmarshal([]byte(out), v)
}

func (s *stack) mustEval(expr string, v any) {
	s.t.Helper()
	if err := s.eval(expr, v); err != nil {
		s.t.Fatalf("eval %s: %v", expr, err)
	}
}

// get walks a decoded object: get(o, "spec", "endpoints", 0).
func get(v any, path ...any) any {
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			l, _ := v.([]any)
			if k >= len(l) {
				return nil
			}
			v = l[k]
		}
	}
	return v
}

// alerts lists every alerting rule (name → rules with that name) in the
// rendered PrometheusRules.
func alerts(files map[string]map[string]any) map[string][]map[string]any {
	out := map[string][]map[string]any{}
	for _, o := range files {
		if o["kind"] != "PrometheusRule" {
			continue
		}
		for _, g := range get(o, "spec", "groups").([]any) {
			for _, r := range get(g, "rules").([]any) {
				r := r.(map[string]any)
				if name, ok := r["alert"].(string); ok {
					out[name] = append(out[name], r)
				}
			}
		}
	}
	return out
}

// itemNamespaces lists the namespaces of a List's items.
func itemNamespaces(list map[string]any) []string {
	var ns []string
	for _, it := range get(list, "items").([]any) {
		ns = append(ns, get(it, "metadata", "namespace").(string))
	}
	return ns
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func joinLines(ss []string) string { return "\n  " + strings.Join(ss, "\n  ") }

// readOnlyWhereUsed renders vars a, then b, sharing work (render.FilesMemo):
// the second cluster evaluates again no more units than it has files that
// differ from the first's, so the setting that differs is read only by the
// objects it changes.
func readOnlyWhereUsed(t *testing.T, a, b string) {
	t.Helper()
	dir := testutil.Project(t, map[string]string{"a.jsonnet": a, "b.jsonnet": b})
	root := project.Root{Dir: dir}
	m := render.NewMemo()
	rs := []*render.Renderer{render.New(root), render.New(root)}
	first, err := render.FilesMemo(rs, filepath.Join(dir, "vars", "a.jsonnet"), m)
	if err != nil {
		t.Fatal(err)
	}
	_, units := m.Stats()
	second, err := render.FilesMemo(rs, filepath.Join(dir, "vars", "b.jsonnet"), m)
	if err != nil {
		t.Fatal(err)
	}
	_, after := m.Stats()
	changed := 0
	for i := range first {
		if string(first[i].JSON) != string(second[i].JSON) {
			changed++
		}
	}
	if changed == 0 {
		t.Fatal("the setting changed no file")
	}
	if evaluated := after - units; evaluated > int64(changed) {
		t.Errorf("%d of %d units evaluated again for %d changed files: the setting is read where it is not used", evaluated, units, changed)
	}
}
