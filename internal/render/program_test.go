package render

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	jsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"

	"github.com/kpgen/kpgen/internal/project"
)

// TestProgramMatchesGoJsonnet evaluates small programs through a shared
// Program (imports rewritten into ext vars, JSON files read by the fast path)
// and with go-jsonnet alone, and requires the same output, or the same error
// at the same place.
func TestProgramMatchesGoJsonnet(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string // main.jsonnet imports the others; lib/ is a library path
	}{
		{"import in a local, a field, a function and an array", map[string]string{
			"main.jsonnet": `local a = import 'a.libsonnet';
				local f(x, d=(import 'b.libsonnet').d) = x + d + (import 'b.libsonnet').d;
				{ a: a.v, f: f(1), arr: [import 'b.libsonnet', 1], [(import 'b.libsonnet').name]: 2,
				  nested: { deep: function(y) y + (import 'a.libsonnet').v }.deep(3) }`,
			"a.libsonnet": `{ v: 40 + (import 'b.libsonnet').d }`,
			"b.libsonnet": `{ d: 1, name: 'computed' }`,
		}},
		{"library path, last one first, and the importing directory first", map[string]string{
			"main.jsonnet":        `{ lib: import 'x.libsonnet', sub: import 'sub/y.libsonnet' }`,
			"lib/x.libsonnet":     `'from lib'`,
			"sub/y.libsonnet":     `import 'x.libsonnet'`,
			"sub/x.libsonnet":     `'from sub'`,
			"lib/sub/y.libsonnet": `'shadowed'`,
		}},
		{"self, super, $ and object locals around imports", map[string]string{
			"main.jsonnet": `local base = import 'base.libsonnet';
				base { local extra = import 'extra.libsonnet', b: super.b + extra, c: $.a + self.b,
				  assert self.c > 0 : 'c must be positive' }`,
			"base.libsonnet":  `{ a: 1, b: 2 }`,
			"extra.libsonnet": `10`,
		}},
		{"mutual imports, evaluated lazily", map[string]string{
			"main.jsonnet":   `(import 'ping.libsonnet').value(3)`,
			"ping.libsonnet": `{ value(n):: if n == 0 then 'done' else (import 'pong.libsonnet').value(n - 1) }`,
			"pong.libsonnet": `{ value(n):: (import 'ping.libsonnet').value(n) }`,
		}},
		{"std.thisFile is per file", map[string]string{
			"main.jsonnet":    `{ main: std.length(std.thisFile) > 0, other: std.endsWith((import 'other.libsonnet').f, 'other.libsonnet') }`,
			"other.libsonnet": `{ f: std.thisFile }`,
		}},
		{"importstr and importbin", map[string]string{
			"main.jsonnet":   `{ s: importstr 'data.txt', b: std.length(importbin 'data.txt'), j: import 'data.libsonnet' }`,
			"data.txt":       "text\n",
			"data.libsonnet": `{ s: importstr 'data.txt' }`,
		}},
		{"JSON files: objects, arrays, scalars, escapes", map[string]string{
			"main.jsonnet": `{ crd: import 'crd.json', kind: (import 'crd.json').kind, arr: import 'arr.json',
				num: import 'num.json', merged: (import 'crd.json') + { spec+: { extra: true } } }`,
			"crd.json": `{"apiVersion": "v1", "kind": "CustomResourceDefinition", "n": -1.5e3,
				"spec": {"names": ["a", "b"], "desc": "tab\there \u00e9 \"q\" \/", "null": null, "t": true}}`,
			"arr.json": ` [1, {"a": [2, 3]}, "x"] `,
			"num.json": `42`,
		}},
		{"a JSON file repeating a name fails as in Jsonnet", map[string]string{
			"main.jsonnet": `import 'dup.json'`,
			"dup.json":     `{"a": {"b": 1, "b": 2}}`,
		}},
		{"a missing import fails only when evaluated", map[string]string{
			"main.jsonnet": `{ ok: 1, lazy:: import 'missing.libsonnet' }`,
		}},
		{"a missing import that is evaluated", map[string]string{
			"main.jsonnet": `{ a: (import 'a.libsonnet').x }`,
			"a.libsonnet":  `{ x: import 'missing.libsonnet' }`,
		}},
		{"a file that does not parse, imported but not evaluated", map[string]string{
			"main.jsonnet":     `{ ok: 1, lazy:: import 'broken.libsonnet' }`,
			"broken.libsonnet": `{ a: }`,
		}},
		{"a file that does not parse, evaluated", map[string]string{
			"main.jsonnet":     `{ x: (import 'a.libsonnet').y }`,
			"a.libsonnet":      `{ y: import 'broken.libsonnet' }`,
			"broken.libsonnet": "{\n  a: 1,\n  b: ,\n}",
		}},
		{"a runtime error in an imported file", map[string]string{
			"main.jsonnet": `{ x: (import 'a.libsonnet').f(0) }`,
			"a.libsonnet":  "{\n  f(n):: if n == 0 then error 'n must not be 0' else n,\n}",
		}},
		// kpgen's natives and ext vars are not reachable from the user's
		// code: by any name it can know, there is no such native (null) and
		// no such ext var, as in a plain VM. @DIR@ is the test's directory.
		{"kpgen's natives are not there", map[string]string{
			"main.jsonnet": `{ a: import 'a.libsonnet', natives: [std.native(n) for n in ['kpgenLoad', 'kpgenConfig', 'kpgenFormat', 'kpgenFormatCount', 'kpgenFormatKeys', 'kpgen:load', 'kpgen:config']] }`,
			"a.libsonnet":  `'%s and %d' % ['x', 1]`,
		}},
		{"kpgenLoad called by hand", map[string]string{
			"main.jsonnet": `{ a: import 'a.libsonnet', x: std.native('kpgenLoad')('x') }`,
			"a.libsonnet":  `1`,
		}},
		{"kpgenLoad called by hand with a file's key", map[string]string{
			"main.jsonnet": `{ a: import 'a.libsonnet', x: std.native('kpgenLoad')('kpgen:file:@DIR@/a.libsonnet') }`,
			"a.libsonnet":  `1`,
		}},
		{"kpgenConfig called by hand", map[string]string{
			"main.jsonnet": `std.native('kpgenConfig')('/prometheus/retention')`,
		}},
		{"kpgenFormat called by hand", map[string]string{
			"main.jsonnet": `std.native('kpgenFormat')('%s', ['x'])`,
		}},
		{"a shared file read as an ext var", map[string]string{
			"main.jsonnet": `{ a: import 'a.libsonnet', b: std.extVar('kpgen:file:@DIR@/a.libsonnet') }`,
			"a.libsonnet":  `{ secret: 1 }`,
		}},
		{"the format prelude read as an ext var", map[string]string{
			"main.jsonnet": `{ a: '%s' % 'x', p: std.extVar('kpgen:prelude') }`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, content := range tt.files {
				p := filepath.Join(dir, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(strings.ReplaceAll(content, "@DIR@", dir)), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			main := filepath.Join(dir, "main.jsonnet")
			jpaths := []string{filepath.Join(dir, "nowhere"), filepath.Join(dir, "lib")}

			vm := jsonnet.MakeVM()
			vm.MaxStack = 2000 // as kpgen's VMs
			vm.Importer(&jsonnet.FileImporter{JPaths: jpaths})
			want, wantErr := vm.EvaluateFile(main)

			r := NewShared(project.Root{Dir: dir}, NewProgram(jpaths))
			got, gotErr := r.evaluate("import " + strconv.Quote(main))
			if (wantErr == nil) != (gotErr == nil) {
				t.Fatalf("go-jsonnet: %v, %v\nshared: %v, %v", want, wantErr, got, gotErr)
			}
			if gotErr != nil && strings.Contains(gotErr.Error(), nonce) {
				t.Errorf("the error names kpgen's private names: %v", gotErr)
			}
			if wantErr != nil {
				// Same message and the same innermost position.
				wantLines := strings.Split(strings.ReplaceAll(wantErr.Error(), dir+"/", ""), "\n")
				gotLines := strings.Split(gotErr.Error(), "\n")
				if len(gotLines) < 3 || gotLines[1] != wantLines[0] || strings.TrimSpace(gotLines[2]) != strings.TrimSpace(wantLines[1]) {
					t.Errorf("error\n%s\nwant (go-jsonnet)\n%s", gotErr, strings.Join(wantLines, "\n"))
				}
				return
			}
			if got != want {
				t.Errorf("got\n%s\nwant (go-jsonnet)\n%s", got, want)
			}
		})
	}
}

// TestProgramSharedByConcurrentVMs evaluates one Program's trees on several
// VMs at once (run with -race).
func TestProgramSharedByConcurrentVMs(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"main.jsonnet":  `local lib = import 'lib.libsonnet'; { [std.toString(i)]: lib.f(i) for i in std.range(0, 200) }`,
		"lib.libsonnet": `{ f(i):: { i: i, sq: i * i, doc: (import 'doc.json').kind } }`,
		"doc.json":      `{"kind": "Doc", "spec": {"a": [1, 2, 3]}}`,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	prog := NewProgram(nil)
	code := "import " + strconv.Quote(filepath.Join(dir, "main.jsonnet"))
	// Cold: every VM starts at once, so files are loaded and parsed while
	// the others evaluate.
	first, err := jsonnet.MakeVM().EvaluateFile(filepath.Join(dir, "main.jsonnet"))
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	outs := make([]string, 8)
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := NewShared(project.Root{Dir: dir}, prog)
			for range 3 {
				out, err := r.evaluate(code)
				if err != nil {
					t.Error(err)
				}
				outs[i] = out
			}
		}()
	}
	wg.Wait()
	for i, out := range outs {
		if out != first {
			t.Errorf("VM %d: output differs from go-jsonnet's", i)
		}
	}
}

// TestJSONTree checks which files take the JSON fast path: JSON documents
// whose objects do not repeat a name, and nothing else.
func TestJSONTree(t *testing.T) {
	tests := []struct {
		data string
		fast bool
	}{
		{`{"kind": "A", "spec": {"x": [1, {"y": null}]}}`, true},
		{"\n  [1, 2]\n", true},
		{`"text"`, true},
		{`{"a": {"b": 1}, "c": {"b": 2}}`, true}, // the same name in two objects
		{`{"a": 1, "a": 2}`, false},
		{`{"a": [{"b": 1, "b": 1}]}`, false},
		{`{"a": {"b": {"c": 1, "d": 2, "c": 3}}}`, false},
		{`{"a\u0062": 1, "ab": 2}`, false}, // escaped names: not compared, not fast
		{`{"s": "x\"y", "n": -1.5e3, "t": true, "z": null, "o": {"p": [1, "]}"]}}`, true},
		{`{a: 1}`, false},                   // Jsonnet, not JSON
		{"// generated\n{\"a\": 1}", false}, // a comment
		{`{"a": 1} {"b": 2}`, false},
		{"\f{\"a\": 1}", false}, // not Jsonnet white space
		{"{\"a\": 1}\u00a0", false},
		{`{"s": "\ud800"}`, false},             // a lone surrogate: Jsonnet rejects it
		{`{"a": {"x": 1e400, "y": 1}}`, false}, // out of range: an error only where read
		{"{\"\xff\": 1, \"\xfe\": 2}", false},  // not UTF-8
		{``, false},
	}
	for _, tt := range tests {
		if got := jsonTree("f.json", []byte(tt.data)) != nil; got != tt.fast {
			t.Errorf("jsonTree(%q) fast = %v, want %v", tt.data, got, tt.fast)
		}
	}
}

// TestProgramShares checks what a Program shares, and when it parses: a file
// is parsed when evaluation first reaches it (never, if it does not); JSON
// files take the fast path; a file using std.thisFile or one that does not
// parse is left to the VMs to import themselves.
func TestProgramShares(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"main.jsonnet":     `{ a: import 'a.libsonnet', b: import 'b.json', this: import 'this.libsonnet', lazy:: import 'lazy.libsonnet', broken:: import 'broken.libsonnet' }`,
		"a.libsonnet":      `1`,
		"b.json":           `{"b": 2}`,
		"this.libsonnet":   `std.thisFile`,
		"lazy.libsonnet":   `import 'deeper.libsonnet'`,
		"deeper.libsonnet": `3`,
		"broken.libsonnet": `{`,
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	prog := NewProgram(nil)
	r := NewShared(project.Root{Dir: dir}, prog)
	if _, err := r.evaluate("import " + strconv.Quote(filepath.Join(dir, "main.jsonnet"))); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, s := range prog.shared(0) {
		kind := "shared"
		switch n := s.stand.BranchTrue.(type) {
		case nil:
			kind = "not parsed"
		case *ast.Import:
			kind = "imported by the VMs"
		case *ast.DesugaredObject:
			if n.Loc().Begin.Line == 0 {
				kind = "JSON"
			}
		}
		got[filepath.Base(s.path)] = kind
	}
	want := map[string]string{
		"main.jsonnet":     "shared",
		"a.libsonnet":      "shared",
		"b.json":           "JSON",
		"this.libsonnet":   "imported by the VMs",
		"lazy.libsonnet":   "not parsed",
		"deeper.libsonnet": "not parsed",
		"broken.libsonnet": "not parsed",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
}

// TestScanImports checks the scan that finds what a file may import without
// parsing it.
func TestScanImports(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{`local a = import 'a.libsonnet'; import "b.json"`, []string{"a.libsonnet", "b.json"}},
		{`import @'c\d.libsonnet' + import @"e""f"`, []string{`c\d.libsonnet`, `e"f`}},
		{"import /* why */ 'g' + import // line\n 'h'", []string{"g", "h"}},
		{"import\n\t'i'", []string{"i"}},
		{`importstr 'x.txt' + importbin 'y.bin' + imports + reimport 'z'`, nil},
		{"// import 'commented'\n# import 'hash'\n/* import 'block' */ 1", nil},
		{`'import "in a string"' + "import 'x'" + @'import ''v''' + 1`, nil},
		{"|||\n  import 'in a text block'\n|||", nil},
		{`{ f: import 'esc\u0061ped\n' }`, []string{"escaped\n"}},
		{`import`, nil},
		{`import 'unterminated`, []string{"unterminated"}},
		{`@ | x`, nil},
	}
	for _, tt := range tests {
		if got := scanImports([]byte(tt.src)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("scanImports(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

// TestTopFields checks the one-pass scan of JSON files: top-level fields
// and their JSON text.
func TestTopFields(t *testing.T) {
	data := `{ "kind": "K", "spec": {"a": [1, {"b": "}"}]}, "n": -2, "list": [ "x" ], "s": "q\"uote" }`
	top, ok := topFields([]byte(data))
	var got []string
	for _, f := range top {
		got = append(got, f.name+"="+string(f.value))
	}
	want := []string{`kind="K"`, `spec={"a": [1, {"b": "}"}]}`, `n=-2`, `list=[ "x" ]`, `s="q\"uote"`}
	if !ok || !reflect.DeepEqual(got, want) {
		t.Errorf("topFields = %q, %v; want %q", got, ok, want)
	}
	many := `{"k0": 0, "k1": 1, "k2": 2, "k3": 3, "k4": 4, "k5": 5, "k6": 6, "k7": 7, "k8": 8, "k9": 9, "k10": 10, "k11": 11, "k12": 12, "k13": 13, "k14": 14, "k15": 15, "k16": 16, "k3": 17}`
	if _, ok := topFields([]byte(many)); ok {
		t.Error("a repeated name among many was not found")
	}
}

// TestScanImportsEdges: text blocks that mention |||, and surrogate pairs.
func TestScanImportsEdges(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{"local doc = |||\n  mentions ||| here\n|||;\n{ y: import 'y.libsonnet' }", []string{"y.libsonnet"}},
		{"local doc = |||-\n    a\n    |||\n; import 'z'", []string{"z"}},
		{`import 'd\ud83d\ude00.libsonnet'`, []string{"d😀.libsonnet"}},
	}
	for _, tt := range tests {
		if got := scanImports([]byte(tt.src)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("scanImports(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}
