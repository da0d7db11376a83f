package cache

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/kpgen/kpgen/internal/render"
)

// fixture: a vars file, an imported file, an absent import candidate and a
// cluster's output, recorded in a cache.
func fixture(t *testing.T) (c *Cache, vars, out, dep, absent string) {
	t.Helper()
	dir := t.TempDir()
	vars = filepath.Join(dir, "vars", "a.jsonnet")
	dep = filepath.Join(dir, "lib", "x.libsonnet")
	absent = filepath.Join(dir, "mixins", "x.libsonnet")
	out = filepath.Join(dir, "out")
	for p, s := range map[string]string{vars: "{}", dep: "{ x: 1 }", filepath.Join(out, "a", "kustomization.yaml"): "k: 1\n"} {
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(s), 0o644)
	}
	c = Open(filepath.Join(dir, ".kpgen-cache"))
	err := c.Store(&Entry{
		Vars: vars, OutDir: out, Cluster: "a",
		Deps:    []render.Dep{{Path: vars, Sum: render.Sum([]byte("{}"))}, {Path: dep, Sum: render.Sum([]byte("{ x: 1 }"))}, {Path: absent}},
		Outputs: Outputs(map[string][]byte{"kustomization.yaml": []byte("k: 1\n")}),
	})
	if err != nil {
		t.Fatal(err)
	}
	return c, vars, out, dep, absent
}

func TestLookup(t *testing.T) {
	tests := []struct {
		name   string
		change func(c *Cache, vars, out, dep, absent string)
		fresh  bool
	}{
		{"nothing changed", func(*Cache, string, string, string, string) {}, true},
		{"vars edited", func(_ *Cache, vars, _, _, _ string) { os.WriteFile(vars, []byte("{ }"), 0o644) }, false},
		{"import edited", func(_ *Cache, _, _, dep, _ string) { os.WriteFile(dep, []byte("{ x: 2 }"), 0o644) }, false},
		{"import removed", func(_ *Cache, _, _, dep, _ string) { os.Remove(dep) }, false},
		{"import replaced by a named pipe (never waited on)", func(_ *Cache, _, _, dep, _ string) {
			os.Remove(dep)
			syscall.Mkfifo(dep, 0o644)
		}, false},
		{"output replaced by a named pipe", func(_ *Cache, _, out, _, _ string) {
			k := filepath.Join(out, "a", "kustomization.yaml")
			os.Remove(k)
			syscall.Mkfifo(k, 0o644)
		}, false},
		{"absent candidate now exists", func(_ *Cache, _, _, _, absent string) {
			os.MkdirAll(filepath.Dir(absent), 0o755)
			os.WriteFile(absent, []byte("{}"), 0o644)
		}, false},
		{"output edited", func(_ *Cache, _, out, _, _ string) {
			os.WriteFile(filepath.Join(out, "a", "kustomization.yaml"), []byte("k: 2\n"), 0o644)
		}, false},
		{"output file added", func(_ *Cache, _, out, _, _ string) {
			os.WriteFile(filepath.Join(out, "a", "extra.yaml"), []byte("x: 1\n"), 0o644)
		}, false},
		{"output removed", func(_ *Cache, _, out, _, _ string) { os.RemoveAll(filepath.Join(out, "a")) }, false},
		{"output made executable", func(_ *Cache, _, out, _, _ string) {
			os.Chmod(filepath.Join(out, "a", "kustomization.yaml"), 0o755)
		}, false},
		{"empty directory added", func(_ *Cache, _, out, _, _ string) { os.Mkdir(filepath.Join(out, "a", "empty"), 0o755) }, false},
		{"output replaced by a symlink to the same content", func(_ *Cache, _, out, _, _ string) {
			k := filepath.Join(out, "a", "kustomization.yaml")
			os.WriteFile(filepath.Join(out, "elsewhere"), []byte("k: 1\n"), 0o644)
			os.Remove(k)
			os.Symlink(filepath.Join(out, "elsewhere"), k)
		}, false},
		{"entry truncated", func(c *Cache, vars, out, _, _ string) {
			p := c.path(vars, out)
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:len(b)/2], 0o644)
		}, false},
		{"entry altered", func(c *Cache, vars, out, _, _ string) {
			p := c.path(vars, out)
			b, _ := os.ReadFile(p)
			b[len(b)/2] ^= 1
			os.WriteFile(p, b, 0o644)
		}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, vars, out, dep, absent := fixture(t)
			tt.change(c, vars, out, dep, absent)
			e := c.Lookup(vars, out)
			if (e != nil) != tt.fresh {
				t.Fatalf("Lookup fresh = %v, want %v", e != nil, tt.fresh)
			}
			if e != nil && e.Cluster != "a" {
				t.Errorf("cluster %q", e.Cluster)
			}
		})
	}
}

func TestOtherOutDirOrNoCache(t *testing.T) {
	c, vars, out, _, _ := fixture(t)
	if c.Lookup(vars, out+"-elsewhere") != nil {
		t.Error("an entry is for one output directory")
	}
	var none *Cache
	if none.Lookup(vars, out) != nil || none.Store(&Entry{}) != nil {
		t.Error("a nil cache caches nothing")
	}
	if Self() == "" || Self() == "unknown" {
		t.Errorf("Self() = %q", Self())
	}
}
