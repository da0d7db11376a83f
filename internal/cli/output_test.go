package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/cache"
	"github.com/kpgen/kpgen/internal/render"
	"github.com/kpgen/kpgen/internal/testutil"
)

// What kpgen promises about out/ (issue 9), each broken promise a case.

// setEntrypointCluster makes the project's entrypoint return another
// cluster name than the vars give: a customised library is untrusted.
func setEntrypointCluster(t *testing.T, dir, name string) {
	t.Helper()
	wrap := "function(vars) (import 'kpgen.libsonnet').new(vars) { cluster: " + name + " }\n"
	testutil.WriteFile(t, filepath.Join(dir, "jsonnet", "lib", "main.jsonnet"), wrap)
}

// Case 1: the cluster name is checked in Go, whatever the entrypoint returns.
func TestEntrypointClusterNamesCannotEscapeOut(t *testing.T) {
	for _, name := range []string{`'..'`, `'.'`, `'../victim'`, `'a/b'`, `'.kpgen'`, `'UPPER'`, `'x' + std.repeat('y', 63)`} {
		t.Run(name, func(t *testing.T) {
			dir := testutil.Project(t, map[string]string{"a.jsonnet": "{ cluster: { name: 'a' } }\n", "b.jsonnet": "{ cluster: { name: 'b' } }\n"})
			if code, o, e := run("build", "--root", dir); code != 0 {
				t.Fatalf("first build: exit %d\n%s%s", code, o, e)
			}
			os.MkdirAll(filepath.Join(dir, "victim"), 0o755)
			testutil.WriteFile(t, filepath.Join(dir, "victim", "keep"), "keep")
			before := testutil.Snapshot(t, dir)
			setEntrypointCluster(t, dir, name)
			code, stdout, stderr := run("build", "--root", dir, filepath.Join(dir, "vars", "a.jsonnet"))
			if code != ExitFailed || !strings.Contains(stderr, "is not a DNS-1123 label") {
				t.Errorf("exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			after := testutil.Snapshot(t, dir)
			delete(after, "jsonnet/lib/main.jsonnet")
			delete(before, "jsonnet/lib/main.jsonnet")
			if !reflect.DeepEqual(before, after) {
				t.Errorf("the project changed")
			}
		})
	}
}

// Case 1: a directory at out/<name> that kpgen did not write is never
// replaced, whatever its name.
func TestBuildRefusesDirectoryItDidNotWrite(t *testing.T) {
	dir := testutil.Project(t, map[string]string{"a.jsonnet": "{ cluster: { name: 'a' } }\n"})
	t.Chdir(dir) // paths in messages are relative to the working directory
	testutil.WriteFile(t, filepath.Join(dir, "out", "a", "notes.txt"), "mine")
	before := testutil.Snapshot(t, filepath.Join(dir, "out"))
	code, _, stderr := run("build", "--root", dir)
	if code != ExitFailed || !strings.Contains(stderr, "refusing to replace out/a: it is a directory that kpgen has no record of writing (out/.kpgen/a)") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	if after := testutil.Snapshot(t, filepath.Join(dir, "out")); !reflect.DeepEqual(before, after) {
		t.Errorf("out/ changed: %v", after)
	}
	// --out pointing at the project, or above it, is refused: kpgen would
	// take the project's directories for clusters.
	testutil.WriteFile(t, filepath.Join(dir, "vars", "a.jsonnet"), "{ cluster: { name: 'vars' } }\n")
	before = testutil.Snapshot(t, dir)
	for _, out := range []string{dir, ".", filepath.Dir(dir), "/"} {
		if code, _, stderr := run("build", "--root", dir, "--out", out); code != ExitFailed || !strings.Contains(stderr, "holds the project") {
			t.Errorf("--out %s: exit %d\n%s", out, code, stderr)
		}
	}
	if after := testutil.Snapshot(t, dir); !reflect.DeepEqual(before, after) {
		t.Error("the project changed")
	}
	// Elsewhere, a directory kpgen did not write is still never replaced.
	other := t.TempDir()
	testutil.WriteFile(t, filepath.Join(other, "vars", "notes.txt"), "mine")
	if code, _, stderr := run("build", "--root", dir, "--out", other); code != ExitFailed || !strings.Contains(stderr, "no record of writing") {
		t.Errorf("--out elsewhere: exit %d\n%s", code, stderr)
	}
}

// A run in which every cluster fails creates nothing, not even out/; a vars
// file given twice is built once.
func TestFailedRunCreatesNothing(t *testing.T) {
	dir := testutil.Project(t, map[string]string{"a.jsonnet": "{ cluster: { name: 'a' }, prometheus: { replicas: -1 } }\n"})
	if code, _, _ := run("build", "--root", dir); code != ExitFailed {
		t.Fatalf("exit %d", code)
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); !os.IsNotExist(err) {
		t.Errorf("out/ was created: %v", err)
	}
	testutil.WriteFile(t, filepath.Join(dir, "vars", "a.jsonnet"), "{ cluster: { name: 'a' } }\n")
	a := filepath.Join(dir, "vars", "a.jsonnet")
	if code, o, e := run("build", "--root", dir, a, dir+"/vars/../vars/a.jsonnet", a); code != 0 || strings.Contains(o+e, "2 clusters") {
		t.Errorf("a vars file given thrice: exit %d\n%s%s", code, o, e)
	}
}

// Case 3: a cluster whose vars file is gone is reported by build --check and
// diff, warned about by build, and removed by build --prune; so is an
// empty directory, and a file made executable.
func TestOrphansAndPrune(t *testing.T) {
	dir := testutil.Project(t, map[string]string{"a.jsonnet": "{ cluster: { name: 'a' } }\n", "b.jsonnet": "{ cluster: { name: 'b' } }\n"})
	t.Chdir(dir) // paths in messages are relative to the working directory
	if code, o, e := run("build", "--root", dir); code != 0 {
		t.Fatalf("first build: exit %d\n%s%s", code, o, e)
	}
	if code, o, e := run("build", "--root", dir, "--check"); code != 0 {
		t.Fatalf("check after build: exit %d\n%s%s", code, o, e)
	}
	os.Remove(filepath.Join(dir, "vars", "b.jsonnet"))
	testutil.WriteFile(t, filepath.Join(dir, "out", "handmade", "x.yaml"), "x: 1\n")

	code, _, stderr := run("build", "--root", dir, "--check")
	for _, want := range []string{
		"FAILED: out/b: no vars file builds cluster \"b\" any more (`kpgen build --prune` removes it)",
		"FAILED: out/handmade: no vars file builds a cluster \"handmade\", and kpgen has no record of writing it",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("check: stderr lacks %q:\n%s", want, stderr)
		}
	}
	if code != ExitFailed {
		t.Errorf("check: exit %d", code)
	}
	code, stdout, stderr := run("diff", "--root", dir)
	if code != ExitChanged || !strings.Contains(stdout, "ORPHANED: out/b: no vars file builds cluster \"b\"") {
		t.Errorf("diff: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	code, stdout, _ = run("diff", "--root", dir, "--format", "json")
	var rep struct {
		Changed  bool
		Orphaned []struct{ Cluster string }
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != ExitChanged || !rep.Changed || len(rep.Orphaned) != 2 {
		t.Errorf("diff --format json: exit %d, %+v, %v\n%s", code, rep, err, stdout)
	}
	// A build of one cluster says nothing of the others.
	if code, _, stderr := run("build", "--root", dir, "--check", filepath.Join(dir, "vars", "a.jsonnet")); code != 0 || strings.Contains(stderr, "out/b") {
		t.Errorf("check of one cluster: exit %d\n%s", code, stderr)
	}
	// build warns, and keeps everything.
	code, _, stderr = run("build", "--root", dir)
	if code != 0 || !strings.Contains(stderr, "WARNING: out/b: no vars file builds cluster \"b\" any more") {
		t.Errorf("build: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "b", "kustomization.yaml")); err != nil {
		t.Error("build without --prune removed out/b")
	}
	// --prune removes what kpgen wrote, and only that.
	code, stdout, stderr = run("build", "--root", dir, "--prune")
	if code != 0 || !strings.Contains(stdout, "PRUNED: out/b: no vars file builds it any more") {
		t.Errorf("prune: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	for p, gone := range map[string]bool{"out/b": true, "out/.kpgen/b": true, "out/handmade/x.yaml": false, "out/a/kustomization.yaml": false} {
		if _, err := os.Stat(filepath.Join(dir, p)); os.IsNotExist(err) != gone {
			t.Errorf("after prune, %s: exists %v", p, !gone)
		}
	}
	if code, _, e := run("build", "--root", dir, "--prune", filepath.Join(dir, "vars", "a.jsonnet")); code != ExitUsage {
		t.Errorf("--prune with VARS: exit %d\n%s", code, e)
	}

	// Empty directories and mode changes are differences too.
	os.RemoveAll(filepath.Join(dir, "out", "handmade"))
	kust := filepath.Join(dir, "out", "a", "kustomization.yaml")
	os.Chmod(kust, 0o755)
	os.Mkdir(filepath.Join(dir, "out", "a", "manifests", "empty"), 0o755)
	code, _, stderr = run("build", "--root", dir, "--check")
	if code != ExitFailed || !strings.Contains(stderr, "mode:    kustomization.yaml") || !strings.Contains(stderr, "extra:   manifests/empty/") {
		t.Errorf("check after chmod +x and mkdir: exit %d\n%s", code, stderr)
	}
	if code, o, e := run("build", "--root", dir); code != 0 || strings.Contains(o, "unchanged") {
		t.Errorf("build must rewrite: exit %d\n%s%s", code, o, e)
	}
	if code, o, e := run("build", "--root", dir, "--check"); code != 0 {
		t.Errorf("check after the rebuild: exit %d\n%s%s", code, o, e)
	}
}

// Case 7: the CI gate cannot be fooled by a cache the repository carries:
// build --check renders, and the cache is never in the project.
func TestCheckCannotBeFooledByACache(t *testing.T) {
	t.Setenv(cache.Env, t.TempDir())
	dir := testutil.Project(t, map[string]string{"a.jsonnet": "{ cluster: { name: 'a' } }\n"})
	if code, o, e := run("build", "--root", dir); code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, o, e)
	}
	// Hand-edit the output, and forge every cache entry to match it (the
	// checksum recomputed), in the user's cache and in the repository,
	// where kpgen before 0.2 kept it.
	kust := filepath.Join(dir, "out", "a", "kustomization.yaml")
	appendTo(t, kust, "# hand-edited\n")
	edited, _ := os.ReadFile(kust)
	entries, _ := filepath.Glob(filepath.Join(os.Getenv(cache.Env), "*.json"))
	if len(entries) == 0 {
		t.Fatal("no cache entry")
	}
	for _, p := range entries {
		forged := forgeEntry(t, p, "kustomization.yaml", edited)
		testutil.WriteFile(t, filepath.Join(dir, ".kpgen-cache", filepath.Base(p)), string(forged))
		os.WriteFile(p, forged, 0o644)
	}
	code, _, stderr := run("build", "--root", dir, "--check")
	if code != ExitFailed || !strings.Contains(stderr, "stale:   kustomization.yaml") {
		t.Errorf("check passed on hand-edited output: exit %d\n%s", code, stderr)
	}
	// A cache directory inside the project is refused.
	t.Setenv(cache.Env, filepath.Join(dir, ".kpgen-cache"))
	code, stdout, stderr := run("build", "--root", dir)
	if code != 0 || !strings.Contains(stderr, "WARNING: building without a cache: the cache directory") || strings.Contains(stdout, "cached") {
		t.Errorf("cache inside the project: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
	}
	if b, _ := os.ReadFile(kust); string(b) == string(edited) {
		t.Error("the hand-edited output was not rebuilt")
	}
}

// forgeEntry rewrites a cache entry's hash of one output file to match
// data, with a valid checksum, as an attacker with the source would.
func forgeEntry(t *testing.T, path, file string, data []byte) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var e cache.Entry
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatal(err)
	}
	e.Outputs[file] = cache.Outputs(map[string][]byte{file: data})[file]
	e.Sum = ""
	unsummed, _ := json.Marshal(e)
	e.Sum = render.Sum(unsummed)
	forged, _ := json.Marshal(e)
	return forged
}

// build --check of a cluster never built says so in one line, instead of
// listing every file as missing; a built one that lost a file lists it.
func TestCheckNeverBuilt(t *testing.T) {
	dir := testutil.Project(t, map[string]string{"a.jsonnet": "{ cluster: { name: 'a' } }\n"})
	code, _, stderr := run("build", "--root", dir, "--check")
	if code != ExitFailed || !strings.Contains(stderr, "FAILED: a: ") || !strings.Contains(stderr, "is missing: the cluster was never built (run `kpgen build`)") || strings.Contains(stderr, "  missing: ") {
		t.Errorf("check of a cluster never built: exit %d\n%s", code, stderr)
	}
	if code, o, e := run("build", "--root", dir); code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, o, e)
	}
	if err := os.Remove(filepath.Join(dir, "out", "a", "kustomization.yaml")); err != nil {
		t.Fatal(err)
	}
	code, _, stderr = run("build", "--root", dir, "--check")
	if code != ExitFailed || !strings.Contains(stderr, "  missing: kustomization.yaml") || strings.Contains(stderr, "never built") {
		t.Errorf("check of a cluster that lost a file: exit %d\n%s", code, stderr)
	}
}
