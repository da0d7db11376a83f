package output

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
)

func files(kv ...string) []File {
	var out []File
	for i := 0; i < len(kv); i += 2 {
		out = append(out, File{Path: kv[i], Data: []byte(kv[i+1])})
	}
	return out
}

// read returns every file below dir (symlinks as "→ target").
func read(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if d.Type()&fs.ModeSymlink != 0 {
			target, _ := os.Readlink(p)
			got[filepath.ToSlash(rel)] = "→ " + target
			return nil
		}
		b, _ := os.ReadFile(p)
		got[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	return got
}

func open(t *testing.T, dir string) *Out {
	t.Helper()
	o, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(o.Close)
	return o
}

// leftovers lists what an output directory holds besides clusters and
// records.
func leftoversOf(t *testing.T, dir string) []string {
	t.Helper()
	inv, err := Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	return inv.Leftovers
}

func TestWriteCreatesReplacesAndPrunes(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "c1")
	o := open(t, parent)

	if _, err := o.Write("c1", files("kustomization.yaml", "k1", "manifests/a.yaml", "a1", "manifests/setup/ns.yaml", "ns")); err != nil {
		t.Fatal(err)
	}
	if got := read(t, dir); !reflect.DeepEqual(got, map[string]string{"kustomization.yaml": "k1", "manifests/a.yaml": "a1", "manifests/setup/ns.yaml": "ns"}) {
		t.Fatalf("first write: %v", got)
	}
	if owned, err := Owned(parent, "c1"); !owned || err != nil {
		t.Fatalf("no record of writing c1: %v", err)
	}

	res, err := o.Write("c1", files("kustomization.yaml", "k2", "manifests/b.yaml", "b"))
	if err != nil || res.Unchanged {
		t.Fatalf("second write: %+v %v", res, err)
	}
	if got := read(t, dir); !reflect.DeepEqual(got, map[string]string{"kustomization.yaml": "k2", "manifests/b.yaml": "b"}) {
		t.Fatalf("stale files must disappear: %v", got)
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o755 {
		t.Errorf("dir mode %v, want 0755", fi.Mode().Perm())
	}
	if left := leftoversOf(t, parent); len(left) != 0 {
		t.Errorf("temporary trees left behind: %v", left)
	}
}

func TestWriteUnchangedTouchesNothing(t *testing.T) {
	parent := t.TempDir()
	o := open(t, parent)
	want := files("kustomization.yaml", "k", "manifests/a.yaml", "a")
	if _, err := o.Write("c1", want); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(filepath.Join(parent, "c1", "manifests", "a.yaml"))
	var calls atomic.Int32
	o.WriteFile = func(string, []byte) error { calls.Add(1); return nil }
	res, err := o.Write("c1", want)
	if err != nil || !res.Unchanged || calls.Load() != 0 {
		t.Fatalf("res %+v err %v calls %d, want unchanged and no writes", res, err, calls.Load())
	}
	after, _ := os.Stat(filepath.Join(parent, "c1", "manifests", "a.yaml"))
	if !os.SameFile(before, after) {
		t.Error("an unchanged output must not be replaced")
	}
	// A mode change or an empty directory is a change: the tree is rewritten.
	o.WriteFile = nil
	os.Chmod(filepath.Join(parent, "c1", "manifests", "a.yaml"), 0o755)
	os.Mkdir(filepath.Join(parent, "c1", "empty"), 0o755)
	if res, err := o.Write("c1", want); err != nil || res.Unchanged {
		t.Fatalf("after chmod +x and mkdir: %+v %v, want a rewrite", res, err)
	}
	if d, err := Compare(filepath.Join(parent, "c1"), want); err != nil || !d.Empty() {
		t.Errorf("after the rewrite: %+v %v", d, err)
	}
}

func TestWriteFailureLeavesOutputAsItWas(t *testing.T) {
	for _, existing := range []bool{true, false} {
		parent := t.TempDir()
		dir := filepath.Join(parent, "c1")
		o := open(t, parent)
		old := map[string]string{"kustomization.yaml": "old", "manifests/a.yaml": "old a"}
		if existing {
			if _, err := o.Write("c1", files("kustomization.yaml", "old", "manifests/a.yaml", "old a")); err != nil {
				t.Fatal(err)
			}
		}
		var n atomic.Int32
		o.WriteFile = func(name string, data []byte) error {
			if n.Add(1) == 2 {
				return &fs.PathError{Op: "write", Path: name, Err: syscall.ENOSPC}
			}
			return os.WriteFile(name, data, 0o644)
		}
		_, err := o.Write("c1", files("kustomization.yaml", "new", "manifests/a.yaml", "new a", "manifests/b.yaml", "b"))
		if !errors.Is(err, syscall.ENOSPC) {
			t.Fatalf("err = %v, want ENOSPC", err)
		}
		got := read(t, dir)
		if existing && !reflect.DeepEqual(got, old) {
			t.Errorf("existing output changed after a failed write: %v", got)
		}
		if !existing {
			if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("a failed first write must not create %s", dir)
			}
		}
		if left := leftoversOf(t, parent); len(left) != 0 {
			t.Errorf("temporary trees left behind: %v", left)
		}
	}
}

// Whatever names a library asks for, nothing is written outside the output
// directory, and nothing there that kpgen did not write is replaced.
func TestWriteRefusesBadNamesAndPaths(t *testing.T) {
	root := t.TempDir()
	parent := filepath.Join(root, "out")
	os.MkdirAll(filepath.Join(root, "victim"), 0o755)
	os.WriteFile(filepath.Join(root, "victim", "keep"), []byte("keep"), 0o644)
	o := open(t, parent)
	for _, cluster := range []string{"..", ".", "../victim", "a/b", "", "UPPER", ".kpgen", ".kpgen-tmp", "x\x00y", strings.Repeat("a", 64)} {
		if _, err := o.Write(cluster, files("kustomization.yaml", "k")); err == nil || !strings.Contains(err.Error(), "DNS-1123") {
			t.Errorf("cluster %q: err %v, want a DNS-1123 error", cluster, err)
		}
	}
	for _, p := range []string{"../x.yaml", "/abs.yaml", "a/../../x.yaml", ".git/config.yaml", "a.yaml/b.yaml"} {
		fs := files(p, "x")
		if p == "a.yaml/b.yaml" {
			fs = files("a.yaml", "a", p, "b")
		}
		if _, err := o.Write("c", fs); err == nil {
			t.Errorf("%q: want an error", p)
		}
	}
	if _, err := o.Write("c", files("manifests/A.yaml", "1", "manifests/a.yaml", "2")); err == nil || !strings.Contains(err.Error(), "differ only in case") {
		t.Errorf("case collision: %v", err)
	}
	if got := read(t, root); !reflect.DeepEqual(got, map[string]string{"victim/keep": "keep"}) {
		t.Errorf("something was written: %v", got)
	}
}

func TestWriteReplacesOnlyWhatKpgenWrote(t *testing.T) {
	parent := t.TempDir()
	o := open(t, parent)
	os.MkdirAll(filepath.Join(parent, "mine", "src"), 0o755)
	os.WriteFile(filepath.Join(parent, "mine", "src", "main.go"), []byte("package main"), 0o644)
	os.WriteFile(filepath.Join(parent, "afile"), []byte("x"), 0o644)
	os.Symlink("/etc", filepath.Join(parent, "alink"))
	os.Mkdir(filepath.Join(parent, "empty"), 0o755)
	before := read(t, parent)
	for _, c := range []string{"mine", "afile", "alink"} {
		var no *NotOwnedError
		if _, err := o.Write(c, files("kustomization.yaml", "k")); !errors.As(err, &no) {
			t.Errorf("%s: err %v, want a NotOwnedError", c, err)
		} else if !strings.Contains(err.Error(), "no record of writing") {
			t.Errorf("%s: %v", c, err)
		}
		if err := o.Prune(c); err == nil {
			t.Errorf("%s: pruned a directory kpgen did not write", c)
		}
	}
	if after := read(t, parent); !reflect.DeepEqual(before, after) {
		t.Errorf("changed: %v", after)
	}
	if _, err := o.Write("empty", files("kustomization.yaml", "k")); err != nil {
		t.Errorf("an empty directory holds nothing to lose: %v", err)
	}
}

func TestPrune(t *testing.T) {
	parent := t.TempDir()
	o := open(t, parent)
	if _, err := o.Write("c1", files("kustomization.yaml", "k")); err != nil {
		t.Fatal(err)
	}
	if err := o.Prune("c1"); err != nil {
		t.Fatal(err)
	}
	if got := read(t, parent); len(got) != 0 {
		t.Errorf("left after prune: %v", got)
	}
	// A record whose directory is gone is pruned too.
	if _, err := o.Write("c2", files("kustomization.yaml", "k")); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(parent, "c2"))
	if err := o.Prune("c2"); err != nil {
		t.Fatal(err)
	}
	if got := read(t, parent); len(got) != 0 {
		t.Errorf("left after prune: %v", got)
	}
}

func TestScanAndOrphans(t *testing.T) {
	parent := t.TempDir()
	o := open(t, parent)
	for _, c := range []string{"a", "b", "c"} {
		if _, err := o.Write(c, files("kustomization.yaml", "k")); err != nil {
			t.Fatal(err)
		}
	}
	os.RemoveAll(filepath.Join(parent, "c")) // record left
	os.Mkdir(filepath.Join(parent, "handmade"), 0o755)
	os.WriteFile(filepath.Join(parent, "README.md"), []byte("x"), 0o644)
	os.Mkdir(filepath.Join(parent, ".git"), 0o755)
	inv, err := Scan(parent)
	if err != nil {
		t.Fatal(err)
	}
	got := inv.Orphans(map[string]bool{"a": true})
	want := []Orphan{{Cluster: "b", Owned: true, HasDir: true}, {Cluster: "c", Owned: true}, {Cluster: "handmade", HasDir: true}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("orphans %+v, want %+v", got, want)
	}
}

func TestCompare(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "c1")
	d, err := Compare(dir, files("a.yaml", "a"))
	if err != nil || !reflect.DeepEqual(d.Missing, []string{"a.yaml"}) || len(d.Changed)+len(d.Extra)+len(d.Mode) != 0 {
		t.Fatalf("missing dir: %+v %v", d, err)
	}
	if _, err := open(t, parent).Write("c1", files("a.yaml", "a", "m/b.yaml", "b", "m/c.yaml", "c", "x.yaml", "x", "l.yaml", "l")); err != nil {
		t.Fatal(err)
	}
	os.Chmod(filepath.Join(dir, "x.yaml"), 0o755)
	os.Mkdir(filepath.Join(dir, "empty"), 0o755)
	os.MkdirAll(filepath.Join(dir, "m", "deeper"), 0o755)
	os.Remove(filepath.Join(dir, "l.yaml"))
	os.Symlink("a.yaml", filepath.Join(dir, "l.yaml"))
	d, err = Compare(dir, files("a.yaml", "A", "m/b.yaml", "b", "m/d.yaml", "d", "x.yaml", "x", "l.yaml", "a"))
	want := Diff{Changed: []string{"a.yaml"}, Missing: []string{"m/d.yaml"}, Extra: []string{"empty/", "m/c.yaml", "m/deeper/"}, Mode: []string{"l.yaml", "x.yaml"}}
	if err != nil || !reflect.DeepEqual(d, want) {
		t.Errorf("got %+v %v, want %+v", d, err, want)
	}
}

// A symlink is never followed: its target's content is neither read nor
// compared.
func TestCompareDoesNotFollowSymlinks(t *testing.T) {
	parent := t.TempDir()
	secret := filepath.Join(parent, "secret")
	os.WriteFile(secret, []byte("a"), 0o644)
	dir := filepath.Join(parent, "c1")
	os.MkdirAll(dir, 0o755)
	os.Symlink(secret, filepath.Join(dir, "a.yaml"))
	d, err := Compare(dir, files("a.yaml", "a"))
	if err != nil || !reflect.DeepEqual(d.Mode, []string{"a.yaml"}) {
		t.Errorf("%+v %v", d, err)
	}
	os.RemoveAll(dir)
	os.Symlink(parent, dir) // the cluster directory itself
	if d, err := Compare(dir, files("secret", "a")); err != nil || !reflect.DeepEqual(d, Diff{Missing: []string{"secret"}, Mode: []string{"."}}) {
		t.Errorf("a symlinked cluster directory: %+v %v", d, err)
	}
	// A directory of the tree that is a link: nothing below it is looked at.
	os.Remove(dir)
	os.MkdirAll(dir, 0o755)
	os.Symlink(parent, filepath.Join(dir, "m"))
	if d, err := Compare(dir, files("m/secret", "a")); err != nil || !reflect.DeepEqual(d, Diff{Missing: []string{"m/secret"}, Mode: []string{"m"}}) {
		t.Errorf("a symlinked directory in the tree: %+v %v", d, err)
	}
}

// When the old tree cannot be removed after the swap, the message says the
// new output is in place, and the next run removes the old tree.
func TestLeftoverAfterSwap(t *testing.T) {
	for _, fallback := range []bool{false, true} {
		parent := t.TempDir()
		o := open(t, parent)
		if _, err := o.Write("c1", files("k.yaml", "old")); err != nil {
			t.Fatal(err)
		}
		if fallback {
			defer setExchange(func(a, b string) error { return errors.ErrUnsupported })()
		}
		replacer.RemoveAll = func(string) error { return syscall.EBUSY }
		_, err := o.Write("c1", files("k.yaml", "new"))
		replacer.RemoveAll = nil
		var le *LeftoverError
		if !errors.As(err, &le) || !strings.Contains(err.Error(), "holds the new output") || strings.Contains(err.Error(), "untouched") {
			t.Fatalf("fallback %v: %v", fallback, err)
		}
		if got := read(t, filepath.Join(parent, "c1")); got["k.yaml"] != "new" {
			t.Errorf("fallback %v: %v", fallback, got)
		}
		o.Close()
		o2 := open(t, parent)
		if len(o2.Repaired) != 1 || len(leftoversOf(t, parent)) != 0 {
			t.Errorf("fallback %v: the next run must remove the old tree: %v %v", fallback, o2.Repaired, leftoversOf(t, parent))
		}
		if got := read(t, filepath.Join(parent, "c1")); got["k.yaml"] != "new" {
			t.Errorf("fallback %v: after recovery: %v", fallback, got)
		}
	}
}

func setExchange(f func(a, b string) error) (restore func()) {
	old := replacer.Exchange
	replacer.Exchange = f
	return func() { replacer.Exchange = old }
}

func TestSecondWriterIsRefused(t *testing.T) {
	parent := t.TempDir()
	open(t, parent)
	if _, err := Open(parent); err == nil || !strings.Contains(err.Error(), "another kpgen is writing") {
		t.Errorf("second Open: %v", err)
	}
}

// Trees that kpgen before out/.kpgen-tmp/ left beside the clusters are
// cleaned up, and a cluster moved aside is moved back.
func TestRecoverLegacyLeftovers(t *testing.T) {
	parent := t.TempDir()
	os.MkdirAll(filepath.Join(parent, ".prod.kpgen-new-123", "manifests"), 0o755)
	os.MkdirAll(filepath.Join(parent, ".dev.kpgen-old-456"), 0o755)
	os.WriteFile(filepath.Join(parent, ".dev.kpgen-old-456", "k.yaml"), []byte("dev"), 0o644)
	o := open(t, parent)
	if len(o.Repaired) != 2 {
		t.Errorf("repaired: %v", o.Repaired)
	}
	if got := read(t, parent); !reflect.DeepEqual(got, map[string]string{"dev/k.yaml": "dev"}) {
		t.Errorf("after recovery: %v", got)
	}
}
