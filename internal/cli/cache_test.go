package cli

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/cache"
	"github.com/kpgen/kpgen/internal/testutil"
)

// TestIncrementalBuilds: an unchanged cluster is not re-rendered; any change
// to what it read (vars, an imported file, a new file shadowing an import),
// to its output, or to the cache entry itself makes it render again, and the
// output is the same either way.
func TestIncrementalBuilds(t *testing.T) {
	t.Setenv(cache.Env, t.TempDir())
	dir := testutil.Project(t, map[string]string{"standin.jsonnet": minimalVars})
	vars := filepath.Join(dir, "vars", "standin.jsonnet")
	out := filepath.Join(dir, "out")
	build := func(extra ...string) string {
		t.Helper()
		code, stdout, stderr := run(append([]string{"build", "--root", dir, vars}, extra...)...)
		if code != 0 {
			t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
		}
		return stdout
	}
	cached := func(stdout string) bool { return strings.Contains(stdout, "(cached)") }

	if cached(build()) {
		t.Fatal("the first build cannot be cached")
	}
	want := testutil.Snapshot(t, out)
	if !cached(build()) {
		t.Fatal("an unchanged cluster must come from the cache")
	}
	if !cached(build("-j", "1")) {
		t.Error("the cache must not depend on parallelism")
	}
	if cached(build("--no-cache")) {
		t.Error("--no-cache must render")
	}

	steps := []struct {
		name   string
		change func()
		undo   func()
	}{
		{"vars edited",
			func() { testutil.WriteFile(t, vars, "// a comment\n"+minimalVars) },
			func() { testutil.WriteFile(t, vars, minimalVars) }},
		{"imported library file edited",
			func() { appendTo(t, filepath.Join(dir, "jsonnet/lib/layout.libsonnet"), "\n// edited\n") },
			func() {}},
		{"vendored file edited",
			func() {
				appendTo(t, filepath.Join(dir, "jsonnet/vendor/kube-prometheus/main.libsonnet"), "\n// edited\n")
			},
			func() {}},
		{"new file shadowing an import",
			func() {
				testutil.CopyTree(t, testutil.StandinDir(), filepath.Join(dir, "jsonnet/mixins/kube-prometheus"))
			},
			func() { os.RemoveAll(filepath.Join(dir, "jsonnet/mixins/kube-prometheus")) }},
		{"output hand-edited",
			func() { appendTo(t, filepath.Join(out, "standin/kustomization.yaml"), "# edited\n") },
			func() {}},
		{"output file added",
			func() { testutil.WriteFile(t, filepath.Join(out, "standin/manifests/extra.yaml"), "x: 1\n") },
			func() {}},
		{"cache entry corrupted",
			func() { corruptCache(t, dir, func(b []byte) []byte { return append(b[:len(b)/2], '}') }) },
			func() {}},
		{"cache entry tampered with",
			func() {
				corruptCache(t, dir, func(b []byte) []byte {
					return []byte(strings.Replace(string(b), `"cluster":"standin"`, `"cluster":"other"`, 1))
				})
			},
			func() {}},
	}
	for _, s := range steps {
		s.change()
		if cached(build()) {
			t.Errorf("%s: the cluster must be rendered again", s.name)
		}
		if s.name != "vars edited" && !reflect.DeepEqual(testutil.Snapshot(t, out), want) {
			t.Errorf("%s: output differs from the first build", s.name)
		}
		s.undo()
		build() // settle the cache after the undo
		if !cached(build()) {
			t.Errorf("after %s: an unchanged cluster must come from the cache again", s.name)
		}
	}
}

func appendTo(t *testing.T, path, s string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(s)
	f.Close()
}

func corruptCache(t *testing.T, dir string, f func([]byte) []byte) {
	t.Helper()
	entries, _ := filepath.Glob(filepath.Join(os.Getenv(cache.Env), "*.json"))
	if len(entries) == 0 {
		t.Fatal("no cache entry")
	}
	for _, e := range entries {
		b, _ := os.ReadFile(e)
		os.WriteFile(e, f(b), 0o644)
	}
}
