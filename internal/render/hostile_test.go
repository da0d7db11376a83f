package render

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	jsonnet "github.com/google/go-jsonnet"

	"github.com/kpgen/kpgen/internal/manifest"
	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/testutil"
)

// hostileVars are vars files that reach for kpgen's natives and ext vars by
// the names they had (and might have); @ROOT@ is the project's directory.
// Rendered after another cluster on the same VMs, each must give what it
// gives alone, and what plain go-jsonnet gives.
var hostileVars = map[string]string{
	"peek.jsonnet": `local n = std.native;
{
  cluster: { name: 'peek' },
  prometheus: { retention: if std.all([n(x) == null for x in ['kpgenConfig', 'kpgenLoad', 'kpgenFormat', 'kpgenFormatCount', 'kpgenFormatKeys']]) then '10d' else '99d' },
}
`,
	"config.jsonnet":  "{ cluster: { name: 'config' }, prometheus: { retention: std.native('kpgenConfig')('/prometheus/retention') } }\n",
	"load.jsonnet":    "{ cluster: { name: 'load' }, prometheus: { retention: std.native('kpgenLoad')('x') } }\n",
	"loadkey.jsonnet": "{ cluster: { name: 'loadkey' }, prometheus: { retention: std.native('kpgenLoad')('kpgen:file:@ROOT@/vars/other.jsonnet') } }\n",
	"format.jsonnet":  "{ cluster: { name: 'format' }, prometheus: { retention: std.native('kpgenFormat')('%sd', [3]) } }\n",
	"extvar.jsonnet":  "{ cluster: { name: 'extvar' }, prometheus: { retention: std.extVar('kpgen:file:@ROOT@/vars/other.jsonnet').prometheus.retention } }\n",
	"prelude.jsonnet": "{ cluster: { name: 'prelude' }, prometheus: { retention: std.extVar('kpgen:prelude').mod('%sd', 4) } }\n",
}

// otherVars is the cluster rendered first on the same VMs: the one whose
// settings a hostile vars file would read.
const otherVars = "{ cluster: { name: 'other' }, prometheus: { retention: '31d', replicas: 3 } }\n"

// renderOutcome is a cluster's files, or its error's message and innermost
// frame (the paths relative to the project).
type renderOutcome struct {
	err   string
	files map[string]string // path → YAML
}

func (o renderOutcome) String() string {
	if o.err != "" {
		return "error " + o.err
	}
	return fmt.Sprintf("%d files", len(o.files))
}

func filesOutcome(t *testing.T, files []File) renderOutcome {
	t.Helper()
	o := renderOutcome{files: map[string]string{}}
	for _, f := range files {
		y, err := manifest.ToYAML(f.JSON)
		if err != nil {
			t.Fatal(err)
		}
		o.files[f.Path] = string(y)
	}
	return o
}

// plainOutcome evaluates the entrypoint with the vars on a plain go-jsonnet
// VM, as `jsonnet -J … --tla-code vars='import "…"'` would.
func plainOutcome(t *testing.T, root project.Root, vars string) renderOutcome {
	t.Helper()
	vm := jsonnet.MakeVM()
	vm.MaxStack = 2000 // as kpgen's VMs
	vm.Importer(&jsonnet.FileImporter{JPaths: root.JPath()})
	vm.TLACode("vars", "import "+jsonnetString(vars))
	out, err := vm.EvaluateFile(root.Entrypoint())
	if err != nil {
		return renderOutcome{err: testutil.ErrorHead(err.Error(), root.Dir)}
	}
	var res struct {
		Files map[string]json.RawMessage `json:"files"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	var files []File
	for p, j := range res.Files {
		files = append(files, File{Path: p, JSON: j})
	}
	return filesOutcome(t, files)
}

func kpgenOutcome(t *testing.T, root project.Root, vars string, files func() ([]File, error), head *Renderer) renderOutcome {
	t.Helper()
	if _, err := head.Head(vars); err != nil {
		return renderOutcome{err: testutil.ErrorHead(err.Error(), root.Dir)}
	}
	fs, err := files()
	if err != nil {
		return renderOutcome{err: testutil.ErrorHead(err.Error(), root.Dir)}
	}
	return filesOutcome(t, fs)
}

// A vars file cannot reach kpgen's natives or ext vars: rendered alone, on
// VMs that have just rendered another cluster (sharing work through a memo
// or not), it gives exactly what plain go-jsonnet gives, error text
// included.
func TestHostileVarsMatchGoJsonnet(t *testing.T) {
	// On main, std.native('kpgenLoad')('x') panicked with the program's
	// lock held, and the next evaluation waited for ever.
	defer testutil.Within(t, 2*time.Minute)()
	files := map[string]string{"other.jsonnet": otherVars}
	dir := testutil.Project(t, files)
	for name, content := range hostileVars {
		testutil.WriteFile(t, filepath.Join(dir, "vars", name), strings.ReplaceAll(content, "@ROOT@", dir))
	}
	root := project.Root{Dir: dir}
	other := filepath.Join(dir, "vars", "other.jsonnet")
	for name := range hostileVars {
		t.Run(name, func(t *testing.T) {
			vars := filepath.Join(dir, "vars", name)
			want := plainOutcome(t, root, vars)
			if name == "peek.jsonnet" && (want.err != "" || !strings.Contains(want.files["manifests/prometheus-prometheus.yaml"], "retention: 10d")) {
				t.Fatalf("go-jsonnet: %v", want)
			}
			if name != "peek.jsonnet" && want.err == "" {
				t.Fatalf("go-jsonnet rendered %s", name)
			}

			alone := New(root)
			got := map[string]renderOutcome{
				"alone": kpgenOutcome(t, root, vars, func() ([]File, error) { return alone.Files(vars) }, alone),
			}
			// After another cluster, on the same VMs: spread over them, and
			// sharing work through a memo.
			prog := NewProgram(root.JPath())
			rs := []*Renderer{NewShared(root, prog), NewShared(root, prog)}
			if _, err := rs[0].Head(other); err != nil {
				t.Fatal(err)
			}
			if _, err := FilesParallel(rs, other); err != nil {
				t.Fatal(err)
			}
			got["after another cluster"] = kpgenOutcome(t, root, vars, func() ([]File, error) { return FilesParallel(rs, vars) }, rs[1])
			m := NewMemo()
			if _, err := FilesMemo(rs, other, m); err != nil {
				t.Fatal(err)
			}
			for _, r := range rs {
				if r.cfg != nil {
					t.Error("a VM still holds the config of the cluster it rendered")
				}
			}
			got["after another cluster, through a memo"] = kpgenOutcome(t, root, vars, func() ([]File, error) { return FilesMemo(rs, vars, m) }, rs[0])

			for how, g := range got {
				if g.err != want.err {
					t.Errorf("%s: error\n%s\nwant (go-jsonnet)\n%s", how, g.err, want.err)
					continue
				}
				if len(g.files) != len(want.files) {
					t.Errorf("%s: %d files, want %d (go-jsonnet)", how, len(g.files), len(want.files))
				}
				for p, y := range want.files {
					if g.files[p] != y {
						t.Errorf("%s: %s differs from go-jsonnet's", how, p)
					}
				}
				if strings.Contains(g.err, nonce) {
					t.Errorf("%s: the error names kpgen's nonce: %s", how, g.err)
				}
			}
		})
	}
}

// kpgen's native functions answer any arguments without panicking: the
// names are private, but a native must not crash kpgen whatever it is given.
func TestNativesNeverPanic(t *testing.T) {
	defer testutil.Within(t, 2*time.Minute)()
	dir := testutil.Project(t, map[string]string{"a.jsonnet": "{ cluster: { name: 'a' } }\n"})
	r := New(project.Root{Dir: dir})
	values := []any{nil, "", "x", "kpgen:", extPrefix, extPrefix + "/nowhere", "/", "%", "%(", "%*d", "%(a)s%s", "%-0+ #123.456x",
		1.0, -1e308, true, []any{}, []any{nil, "a", 1.0, []any{"b"}}, map[string]any{}, map[string]any{"a": map[string]any{"b": nil}}}
	for _, f := range r.natives() {
		var calls [][]any
		switch len(f.Params) {
		case 1:
			for _, a := range values {
				calls = append(calls, []any{a})
			}
		case 2:
			for _, a := range values {
				for _, b := range values {
					calls = append(calls, []any{a, b})
				}
			}
		default:
			t.Fatalf("native with %d parameters", len(f.Params))
		}
		for _, args := range calls {
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Errorf("a native function (parameters %v) panicked on %#v: %v", f.Params, args, p)
					}
				}()
				f.Func(args)
			}()
		}
	}
	// Through the VM, the same: an error, not a crash.
	if _, err := r.evaluate(fmt.Sprintf("std.native(%s)('x')", jsonnetString(nativeLoad))); err == nil || strings.Contains(err.Error(), "panic") {
		t.Errorf("the load native called with a bad key: %v", err)
	}
	if _, err := r.evaluate(fmt.Sprintf("std.native(%s)('/x')", jsonnetString(nativeConfig))); err == nil || strings.Contains(err.Error(), "panic") {
		t.Errorf("the config native called outside a config evaluation: %v", err)
	}
}
