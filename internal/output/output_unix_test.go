//go:build unix

package output

import (
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Modes are kpgen's, whatever the umask: a --check elsewhere must agree.
func TestWriteModesIgnoreUmask(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	parent := t.TempDir()
	if _, err := open(t, parent).Write("c1", files("manifests/a.yaml", "a")); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]fs.FileMode{"c1": 0o755, "c1/manifests": 0o755, "c1/manifests/a.yaml": 0o644} {
		if fi, err := os.Stat(filepath.Join(parent, p)); err != nil || fi.Mode().Perm() != want {
			t.Errorf("%s: mode %v (%v), want %v", p, fi.Mode().Perm(), err, want)
		}
	}
}
