package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kpgen/kpgen/internal/testutil"
)

// Inputs that used to hang kpgen, fill its memory or crash it: each run
// the way a user runs kpgen, its message compared with a golden file
// (testdata/inputs/, go test ./internal/cli -update).

// runGuarded runs kpgen in-process, and fails the test if it has not
// returned within d, after unblocking whatever waits on the named pipes
// (opening a pipe for writing and closing it gives its reader an end of
// file), so that a regression fails instead of hanging CI.
func runGuarded(t *testing.T, d time.Duration, fifos []string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	type result struct {
		code           int
		stdout, stderr string
	}
	done := make(chan result, 1)
	go func() {
		c, o, e := run(args...)
		done <- result{c, o, e}
	}()
	select {
	case r := <-done:
		return r.code, r.stdout, r.stderr
	case <-time.After(d):
	}
	for {
		for _, f := range fifos {
			if w, err := os.OpenFile(f, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
				w.Close()
			}
		}
		select {
		case r := <-done:
			t.Fatalf("kpgen %s did not finish within %v: it waited on a named pipe\nstdout: %s\nstderr: %s", strings.Join(args, " "), d, r.stdout, r.stderr)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// goldenText compares a message a user reads with testdata/inputs/<name>.
func goldenText(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "inputs", name)
	if *update {
		testutil.WriteFile(t, path, got)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/cli -update)", err)
	}
	if got != string(want) {
		t.Errorf("%s: got\n%s\nwant (%s)\n%s", name, got, path, want)
	}
}

func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
}

// A named pipe as vars file is refused at once, also when the cache holds
// an entry for that path (whose check hashed the file).
func TestVarsFileIsANamedPipe(t *testing.T) {
	dir := testutil.Project(t, map[string]string{"fifo.jsonnet": minimalVars})
	vars := filepath.Join(dir, "vars", "fifo.jsonnet")
	if code, o, e := run("build", "--root", dir, vars); code != 0 {
		t.Fatalf("first build: exit %d\n%s%s", code, o, e)
	}
	os.Remove(vars)
	mkfifo(t, vars)
	for _, cmd := range []string{"build", "validate", "diff"} {
		code, _, stderr := runGuarded(t, time.Minute, []string{vars}, cmd, "--root", dir, vars)
		if code != ExitFailed && !(cmd == "diff" && code == exitDiffError) {
			t.Errorf("%s: exit %d\n%s", cmd, code, stderr)
		}
		if cmd == "build" {
			goldenText(t, "fifo-vars.txt", stderr)
		}
	}
}

// A vars file larger than 1 MiB is refused before it is read.
func TestVarsFileTooLarge(t *testing.T) {
	dir := testutil.Project(t, map[string]string{"ok.jsonnet": minimalVars})
	big := filepath.Join(dir, "vars", "x.jsonnet")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	// 50 MiB, sparse: it took go-jsonnet minutes to reject it.
	if err := f.Truncate(50 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	code, _, stderr := runGuarded(t, time.Minute, nil, "build", "--root", dir, big)
	if code != ExitFailed {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	goldenText(t, "large-vars.txt", stderr)
	// Exactly 1 MiB is allowed (and fails as Jsonnet, not for its size).
	if err := os.WriteFile(big, []byte("{ cluster: { name: 'x' } }\n"+strings.Repeat(" ", 1<<20-27)), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, o, e := run("validate", "--root", dir, big); code != 0 {
		t.Errorf("a vars file of exactly 1 MiB: exit %d\n%s%s", code, o, e)
	}
}

// A vars path Jsonnet cannot name (not UTF-8) gets a clear error, its name
// printed quoted; a path Jsonnet can name, however odd, builds, and its
// name is printed quoted, never as raw control characters.
func TestVarsPathsThatAreHardToName(t *testing.T) {
	defer testutil.Within(t, 3*time.Minute)()
	dir := testutil.Project(t, map[string]string{"ok.jsonnet": minimalVars})
	bad := filepath.Join(dir, "vars", "bad\xff.jsonnet")
	if err := os.WriteFile(bad, []byte(minimalVars), 0o644); err != nil {
		t.Skipf("this file system refuses names that are not UTF-8: %v", err)
	}
	code, stdout, stderr := run("build", "--root", dir, bad)
	if code != ExitFailed || strings.Contains(stderr, "internal error") {
		t.Errorf("exit %d\n%s%s", code, stdout, stderr)
	}
	goldenText(t, "invalid-utf8-vars.txt", stderr)

	odd := filepath.Join(dir, "vars", "odd \x1b[31m\\\"q'\u202e.jsonnet")
	testutil.WriteFile(t, odd, "{ cluster: { name: 'odd' } }\n")
	if code, o, e := run("build", "--root", dir, odd); code != 0 || !strings.Contains(o, "SUCCESS: odd:") {
		t.Errorf("a vars file with control characters in its name: exit %d\n%s%s", code, o, e)
	}
	testutil.WriteFile(t, odd, "{ cluster: { name: 'odd' }, prometheus: { replcas: 1 } }\n")
	code, _, stderr = run("validate", "--root", dir, odd)
	if code != ExitFailed || strings.ContainsAny(stderr, "\x1b\u202e") {
		t.Errorf("exit %d; raw control characters in:\n%q", code, stderr)
	}
	goldenText(t, "control-characters-vars.txt", stderr)
}

// An import of a named pipe, or of a file larger than kpgen reads, fails
// with a message naming it, without waiting on the pipe.
func TestImportsOfFilesThatAreNotRegular(t *testing.T) {
	dir := testutil.Project(t, map[string]string{
		"pipe.jsonnet":  "{ cluster: { name: import 'pipe' } }\n",
		"big.jsonnet":   "{ cluster: { name: 'big' }, prometheus: { retention: importstr 'big.txt' } }\n",
		"lazy.jsonnet":  "{ cluster: { name: 'lazy' }, local unused = import 'pipe' }\n",
		"lazy2.jsonnet": "local unused = importstr 'big.txt'; { cluster: { name: 'lazy2' } }\n",
	})
	pipe := filepath.Join(dir, "vars", "pipe")
	mkfifo(t, pipe)
	f, err := os.Create(filepath.Join(dir, "vars", "big.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(33 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	for _, name := range []string{"pipe", "big"} {
		code, _, stderr := runGuarded(t, time.Minute, []string{pipe}, "build", "--root", dir, filepath.Join(dir, "vars", name+".jsonnet"))
		if code != ExitFailed {
			t.Errorf("%s: exit %d\n%s", name, code, stderr)
		}
		goldenText(t, "import-"+name+".txt", stderr)
	}
	// Imported but never evaluated: no harm done, as in go-jsonnet.
	for _, name := range []string{"lazy", "lazy2"} {
		if code, o, e := runGuarded(t, time.Minute, []string{pipe}, "build", "--root", dir, filepath.Join(dir, "vars", name+".jsonnet")); code != 0 {
			t.Errorf("%s: exit %d\n%s%s", name, code, o, e)
		}
	}
}
