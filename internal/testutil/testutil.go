// Package testutil builds throwaway kpgen projects for tests: the repository's
// own jsonnet/lib and jsonnet/mixins, with the stand-in upstream
// (testdata/standin) vendored in place of kube-prometheus.
package testutil

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// RepoRoot is the kpgen repository checkout the tests run from.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// StandinDir is the stand-in upstream's kube-prometheus Jsonnet package.
func StandinDir() string {
	return filepath.Join(RepoRoot(), "testdata", "standin", "jsonnet", "kube-prometheus")
}

// Project creates a project in a temporary directory: jsonnet/jsonnetfile.json,
// copies of the repository's jsonnet/lib and jsonnet/mixins, the stand-in
// vendored as jsonnet/vendor/kube-prometheus (laid out as jsonnet-bundler
// lays it out), and the given vars files (name → content) under vars/.
// It returns the project's root directory.
func Project(t testing.TB, vars map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	repo := RepoRoot()
	CopyTree(t, filepath.Join(repo, "jsonnet", "lib"), filepath.Join(dir, "jsonnet", "lib"))
	CopyTree(t, filepath.Join(repo, "jsonnet", "mixins"), filepath.Join(dir, "jsonnet", "mixins"))
	WriteFile(t, filepath.Join(dir, "jsonnet", "jsonnetfile.json"), `{"version": 1, "dependencies": [], "legacyImports": true}`+"\n")
	pkg := filepath.Join(dir, "jsonnet", "vendor", "github.com", "prometheus-operator", "kube-prometheus", "jsonnet", "kube-prometheus")
	CopyTree(t, StandinDir(), pkg)
	if err := os.Symlink(filepath.Join("github.com", "prometheus-operator", "kube-prometheus", "jsonnet", "kube-prometheus"), filepath.Join(dir, "jsonnet", "vendor", "kube-prometheus")); err != nil {
		t.Fatal(err)
	}
	for name, content := range vars {
		WriteFile(t, filepath.Join(dir, "vars", name), content)
	}
	return dir
}

// WriteFile writes content to path, creating directories.
func WriteFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// CopyTree copies the directory src to dst (a missing src copies nothing).
func CopyTree(t testing.TB, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
}

// Snapshot reads every file below dir into a map (path relative to dir →
// content), for asserting that a directory is unchanged.
func Snapshot(t testing.TB, dir string) map[string]string {
	t.Helper()
	snap := map[string]string{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if d.Type()&fs.ModeSymlink != 0 {
			target, _ := os.Readlink(p)
			snap[filepath.ToSlash(rel)] = "symlink → " + target
			return nil
		}
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		snap[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	return snap
}

// Within fails the test run if the test has not finished within d: it
// crashes the test binary, naming the test, instead of letting a regression
// that blocks (a FIFO, a deadlock) hang CI until go test's own timeout.
// Call it first: defer testutil.Within(t, time.Minute)().
func Within(t testing.TB, d time.Duration) (stop func()) {
	t.Helper()
	name := t.Name()
	timer := time.AfterFunc(d, func() {
		panic(fmt.Sprintf("%s did not finish within %v: it hangs", name, d))
	})
	return func() { timer.Stop() }
}

// ErrorHead is a Jsonnet error's message (from "RUNTIME ERROR" on) and its
// innermost frame in the user's files (not kpgen's library, not jsonnet/vendor,
// not kpgen's or go-jsonnet's own code), paths relative to dir.
func ErrorHead(msg, dir string) string {
	msg = strings.ReplaceAll(msg, dir+"/", "")
	if i := strings.Index(msg, "RUNTIME ERROR"); i >= 0 {
		msg = msg[i:]
	}
	var head []string
	for _, l := range strings.Split(msg, "\n") {
		if !strings.HasPrefix(l, "\t") {
			if len(head) > 0 && head[len(head)-1] == "" || l == "" {
				continue
			}
			head = append(head, l)
			continue
		}
		if loc := strings.TrimSpace(l); !strings.HasPrefix(loc, "jsonnet/") && !strings.HasPrefix(loc, "<") && !strings.HasPrefix(loc, "(") && strings.Contains(loc, ":") {
			return strings.Join(append(head, l), "\n")
		}
	}
	return strings.Join(head, "\n")
}

// MainWithCache runs a package's tests with kpgen's build cache in a
// temporary directory, not the user's cache directory: call it from
// TestMain.
func MainWithCache(m *testing.M) {
	dir, err := os.MkdirTemp("", "kpgen-test-cache-")
	if err != nil {
		panic(err)
	}
	os.Setenv("KPGEN_CACHE", dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}
