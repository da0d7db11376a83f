package output

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
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

func read(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		b, _ := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		got[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	return got
}

func TestWriteCreatesReplacesAndPrunes(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "c1")
	var w Writer

	if _, err := w.Write(dir, files("kustomization.yaml", "k1", "manifests/a.yaml", "a1", "manifests/setup/ns.yaml", "ns")); err != nil {
		t.Fatal(err)
	}
	if got := read(t, dir); !reflect.DeepEqual(got, map[string]string{"kustomization.yaml": "k1", "manifests/a.yaml": "a1", "manifests/setup/ns.yaml": "ns"}) {
		t.Fatalf("first write: %v", got)
	}

	res, err := w.Write(dir, files("kustomization.yaml", "k2", "manifests/b.yaml", "b"))
	if err != nil || res.Unchanged {
		t.Fatalf("second write: %+v %v", res, err)
	}
	if got := read(t, dir); !reflect.DeepEqual(got, map[string]string{"kustomization.yaml": "k2", "manifests/b.yaml": "b"}) {
		t.Fatalf("stale files must disappear: %v", got)
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o755 {
		t.Errorf("dir mode %v, want 0755", fi.Mode().Perm())
	}
	if left := Leftovers(parent); len(left) != 0 {
		t.Errorf("temporary directories left behind: %v", left)
	}
}

func TestWriteUnchangedTouchesNothing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "c1")
	var w Writer
	want := files("kustomization.yaml", "k", "manifests/a.yaml", "a")
	if _, err := w.Write(dir, want); err != nil {
		t.Fatal(err)
	}
	before, _ := os.Stat(filepath.Join(dir, "manifests", "a.yaml"))
	calls := 0
	w.WriteFile = func(string, []byte, fs.FileMode) error { calls++; return nil }
	res, err := w.Write(dir, want)
	if err != nil || !res.Unchanged || calls != 0 {
		t.Fatalf("res %+v err %v calls %d, want unchanged and no writes", res, err, calls)
	}
	after, _ := os.Stat(filepath.Join(dir, "manifests", "a.yaml"))
	if !os.SameFile(before, after) {
		t.Error("an unchanged output must not be replaced")
	}
}

func TestWriteFailureLeavesOutputAsItWas(t *testing.T) {
	for _, existing := range []bool{true, false} {
		parent := t.TempDir()
		dir := filepath.Join(parent, "c1")
		old := map[string]string{"kustomization.yaml": "old", "manifests/a.yaml": "old a"}
		if existing {
			if _, err := (Writer{}).Write(dir, files("kustomization.yaml", "old", "manifests/a.yaml", "old a")); err != nil {
				t.Fatal(err)
			}
		}
		n := 0
		w := Writer{WriteFile: func(name string, data []byte, perm fs.FileMode) error {
			if n++; n == 2 {
				return &fs.PathError{Op: "write", Path: name, Err: syscall.ENOSPC}
			}
			return os.WriteFile(name, data, perm)
		}}
		_, err := w.Write(dir, files("kustomization.yaml", "new", "manifests/a.yaml", "new a", "manifests/b.yaml", "b"))
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
		if left := Leftovers(parent); len(left) != 0 {
			t.Errorf("temporary directories left behind: %v", left)
		}
	}
}

func TestWriteRefusesPathsOutsideDir(t *testing.T) {
	parent := t.TempDir()
	for _, p := range []string{"../x.yaml", "/abs.yaml", "a/../../x.yaml"} {
		if _, err := (Writer{}).Write(filepath.Join(parent, "c"), files(p, "x")); err == nil {
			t.Errorf("%q: want an error", p)
		}
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("nothing may be written: %v", entries)
	}
}

func TestCompare(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "c1")
	d, err := Compare(dir, files("a.yaml", "a"))
	if err != nil || !reflect.DeepEqual(d.Missing, []string{"a.yaml"}) || len(d.Changed)+len(d.Extra) != 0 {
		t.Fatalf("missing dir: %+v %v", d, err)
	}
	if _, err := (Writer{}).Write(dir, files("a.yaml", "a", "m/b.yaml", "b", "m/c.yaml", "c")); err != nil {
		t.Fatal(err)
	}
	d, err = Compare(dir, files("a.yaml", "A", "m/b.yaml", "b", "m/d.yaml", "d"))
	want := Diff{Changed: []string{"a.yaml"}, Missing: []string{"m/d.yaml"}, Extra: []string{"m/c.yaml"}}
	if err != nil || !reflect.DeepEqual(d, want) {
		t.Errorf("got %+v %v, want %+v", d, err, want)
	}
}
