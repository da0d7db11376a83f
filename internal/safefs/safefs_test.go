package safefs

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func mk(t *testing.T, dir, content string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "f"), []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func content(t *testing.T, dir string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, "f"))
	if err != nil {
		return "<" + err.Error() + ">"
	}
	return string(b)
}

func TestReplace(t *testing.T) {
	for _, exchange := range []bool{true, false} {
		d := t.TempDir()
		src, dst, aside := filepath.Join(d, "src"), filepath.Join(d, "dst"), filepath.Join(d, "aside")
		mk(t, src, "new")
		if err := Replace(src, dst, aside); err != nil || content(t, dst) != "new" {
			t.Fatalf("into nothing: %v, %s", err, content(t, dst))
		}
		mk(t, src, "newer")
		if err := Exchange(src, src); err != nil && exchange {
			t.Skipf("no atomic exchange here: %v", err)
		}
		if err := Replace(src, dst, aside); err != nil || content(t, dst) != "newer" {
			t.Fatalf("over a tree: %v, %s", err, content(t, dst))
		}
		for _, p := range []string{src, aside} {
			if _, err := os.Lstat(p); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("%s left: %v", p, err)
			}
		}
	}
}

// Restore moves back a tree that a Replace killed between its renames left
// aside, and removes one whose replacement is in place.
func TestRestore(t *testing.T) {
	d := t.TempDir()
	dst, aside := filepath.Join(d, "dst"), filepath.Join(d, "aside")
	if did, err := Restore(dst, aside); did || err != nil {
		t.Errorf("nothing aside: %v %v", did, err)
	}
	mk(t, aside, "old")
	if did, err := Restore(dst, aside); !did || err != nil || content(t, dst) != "old" {
		t.Errorf("dst missing: %v %v %s", did, err, content(t, dst))
	}
	mk(t, aside, "older")
	if did, err := Restore(dst, aside); !did || err != nil || content(t, dst) != "old" {
		t.Errorf("dst present: %v %v %s", did, err, content(t, dst))
	}
	if _, err := os.Lstat(aside); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("aside left: %v", err)
	}
}

func TestWriteFileIgnoresUmaskAndSyncs(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	if err := WriteFile(p, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(p); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("%v %v", fi.Mode(), err)
	}
	if err := SyncDir(filepath.Dir(p)); err != nil {
		t.Error(err)
	}
}

func TestLock(t *testing.T) {
	d := t.TempDir()
	unlock, err := Lock(d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Lock(d); !errors.Is(err, ErrLocked) {
		t.Errorf("second lock: %v", err)
	}
	unlock()
	unlock2, err := Lock(d)
	if err != nil {
		t.Errorf("after unlock: %v", err)
	} else {
		unlock2()
	}
}
