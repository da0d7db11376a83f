package project

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestCheckVars(t *testing.T) {
	dir := t.TempDir()
	ok := filepath.Join(dir, "ok.jsonnet")
	os.WriteFile(ok, []byte("{}"), 0o644)
	big := filepath.Join(dir, "big.jsonnet")
	os.WriteFile(big, make([]byte, MaxVarsBytes+1), 0o644)
	fifo := filepath.Join(dir, "fifo.jsonnet")
	syscall.Mkfifo(fifo, 0o644)
	for p, want := range map[string]string{
		ok:                              "",
		big:                             "1048577 bytes, larger than the 1 MiB a vars file may have",
		fifo:                            "vars file: a named pipe (FIFO), not a regular file; a vars file must be a regular file",
		dir:                             "vars file: a directory, not a regular file; a vars file must be a regular file",
		filepath.Join(dir, "missing"):   "vars file: no such file or directory",
		filepath.Join(dir, "bad\xff.x"): "vars file: no such file or directory",
		filepath.Join(ok, "x"):          "vars file: not a directory",
	} {
		got := ""
		if err := CheckVars(p); err != nil {
			got = err.Error()
		}
		if got != want {
			t.Errorf("CheckVars(%q) = %q, want %q", p, got, want)
		}
	}
	bad := filepath.Join(dir, "bad\xff.jsonnet")
	if os.WriteFile(bad, []byte("{}"), 0o644) == nil {
		if err := CheckVars(bad); err == nil || !strings.Contains(err.Error(), "not valid UTF-8") {
			t.Errorf("a path that is not UTF-8: %v", err)
		}
	}
}
