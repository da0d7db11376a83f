package safefs

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// ReadRegular reads regular files within the limit, and refuses anything
// else at once: a named pipe (without waiting for a writer), a device, a
// directory, a file over the limit.
func TestReadRegular(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, n int) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(strings.Repeat("x", n)), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	exact := write("exact", 100)
	over := write("over", 101)
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link")
	os.Symlink("exact", link)
	dangling := filepath.Join(dir, "dangling")
	os.Symlink("nowhere", dangling)
	zero := filepath.Join(dir, "zero")
	os.Symlink("/dev/zero", zero)

	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, p := range []string{exact, link} {
			if b, err := ReadRegular(p, 100); err != nil || len(b) != 100 {
				t.Errorf("%s: %d bytes, %v", p, len(b), err)
			}
		}
		var tooLarge *TooLargeError
		if _, err := ReadRegular(over, 100); !errors.As(err, &tooLarge) || err.Error() != "101 bytes, larger than the 100 bytes kpgen reads" {
			t.Errorf("over the limit: %v", err)
		}
		for p, kind := range map[string]string{fifo: "a named pipe (FIFO)", zero: "a character device", "/dev/null": "a character device", dir: "a directory"} {
			var nr *NotRegularError
			if _, err := ReadRegular(p, 100); !errors.As(err, &nr) || nr.Kind != kind {
				t.Errorf("%s: %v, want %s", p, err, kind)
			}
		}
		if _, err := ReadRegular(dangling, 100); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("a dangling link: %v", err)
		}
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		if w, err := os.OpenFile(fifo, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close()
		}
		t.Fatal("ReadRegular waited on a named pipe")
	}
}
