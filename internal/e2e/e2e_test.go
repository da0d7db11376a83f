// Package e2e runs kpgen the way a user does: ./build.sh in a copy of the
// repository, vendoring the stand-in upstream from a git remote, then the
// built binary.
package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kpgen/kpgen/internal/testutil"
)

// checkout copies the repository's files (tracked and untracked, not ignored)
// into a temporary directory, like a fresh clone of the working tree.
func checkout(t *testing.T) string {
	t.Helper()
	repo := testutil.RepoRoot()
	out, err := exec.Command("git", "-C", repo, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	dir := filepath.Join(t.TempDir(), "kpgen")
	for _, p := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		src := filepath.Join(repo, p)
		fi, err := os.Stat(src)
		if err != nil { // deleted in the working tree
			continue
		}
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		dst := filepath.Join(dir, p)
		os.MkdirAll(filepath.Dir(dst), 0o755)
		if err := os.WriteFile(dst, b, fi.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// sh runs a command in dir and returns its combined output and exit code.
func sh(t *testing.T, dir string, name string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out), code
}

func TestBuildShLikeAUser(t *testing.T) {
	dir := checkout(t)
	// The stand-in upstream, published at a remote the jsonnetfile names and
	// reached through an insteadOf rewrite (the air-gapped users' recipe).
	bare := testutil.StandinRepo(t, testutil.Version{Tag: "v0.18.0"})
	testutil.GitRewriteEnv(t, map[string]string{testutil.StandinRemote: bare})
	testutil.WriteFile(t, filepath.Join(dir, "jsonnet", "jsonnetfile.json"), testutil.StandinJsonnetfile("v0.18.0"))
	os.Remove(filepath.Join(dir, "jsonnet", "jsonnetfile.lock.json"))

	// 1. One cluster, from scratch: builds kpgen, vendors, renders.
	out, code := sh(t, dir, "./build.sh", "vars/upstream-defaults.jsonnet")
	if code != 0 {
		t.Fatalf("./build.sh vars/upstream-defaults.jsonnet: exit %d\n%s", code, out)
	}
	if !strings.Contains(out, "SUCCESS: upstream-defaults:") {
		t.Errorf("output:\n%s", out)
	}
	for _, p := range []string{"bin/kpgen", "jsonnet/jsonnetfile.lock.json", "jsonnet/vendor/kube-prometheus/main.libsonnet", "out/upstream-defaults/kustomization.yaml", "out/upstream-defaults/manifests/setup/namespace.yaml"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}

	// 2. Every cluster; then again: nothing changes.
	if out, code := sh(t, dir, "./build.sh"); code != 0 {
		t.Fatalf("./build.sh: exit %d\n%s", code, out)
	}
	first := testutil.Snapshot(t, filepath.Join(dir, "out"))
	out, code = sh(t, dir, "./build.sh")
	if code != 0 || strings.Contains(out, "written to") {
		t.Errorf("second ./build.sh: exit %d, want every cluster unchanged:\n%s", code, out)
	}
	if !reflect.DeepEqual(first, testutil.Snapshot(t, filepath.Join(dir, "out"))) {
		t.Error("a second build changed out/")
	}

	// 3. The binary itself: version, validate, vendor --check, build --check.
	for _, args := range [][]string{{"version"}, {"validate"}, {"vendor", "--check"}, {"build", "--check"}} {
		if out, code := sh(t, dir, "bin/kpgen", args...); code != 0 {
			t.Errorf("kpgen %v: exit %d\n%s", args, code, out)
		}
	}

	// 4. build --check catches a hand-edited, a missing and an extra file, and writes nothing.
	ns := filepath.Join(dir, "out/upstream-defaults/manifests/setup/namespace.yaml")
	os.WriteFile(ns, []byte("hand-edited: true\n"), 0o644)
	os.Remove(filepath.Join(dir, "out/upstream-defaults/kustomization.yaml"))
	os.WriteFile(filepath.Join(dir, "out/upstream-defaults/manifests/extra.yaml"), []byte("x: 1\n"), 0o644)
	before := testutil.Snapshot(t, filepath.Join(dir, "out"))
	out, code = sh(t, dir, "bin/kpgen", "build", "--check", "vars/upstream-defaults.jsonnet")
	if code != 1 {
		t.Errorf("build --check on a stale tree: exit %d, want 1\n%s", code, out)
	}
	for _, want := range []string{"stale:   manifests/setup/namespace.yaml", "missing: kustomization.yaml", "extra:   manifests/extra.yaml"} {
		if !strings.Contains(out, want) {
			t.Errorf("build --check output lacks %q:\n%s", want, out)
		}
	}
	if !reflect.DeepEqual(before, testutil.Snapshot(t, filepath.Join(dir, "out"))) {
		t.Error("build --check wrote to out/")
	}

	// 5. Devices: a vars file that is a link to /dev/zero, and vars files
	// importing it, once filled kpgen's memory. Each runs under a memory
	// limit and a timeout, so that a regression fails instead of taking
	// the machine's memory or hanging CI.
	if err := os.Symlink("/dev/zero", filepath.Join(dir, "vars", "zero.jsonnet")); err != nil {
		t.Fatal(err)
	}
	testutil.WriteFile(t, filepath.Join(dir, "vars", "import-zero.jsonnet"), "{ cluster: { name: import '/dev/zero' } }\n")
	testutil.WriteFile(t, filepath.Join(dir, "vars", "importstr-zero.jsonnet"), "{ cluster: { name: importstr '/dev/zero' } }\n")
	// A named pipe in the project would block a reader forever.
	if err := syscall.Mkfifo(filepath.Join(dir, "vars", "pipe.txt"), 0o644); err != nil {
		t.Fatal(err)
	}
	testutil.WriteFile(t, filepath.Join(dir, "vars", "importstr-pipe.jsonnet"), "{ cluster: { name: importstr 'pipe.txt' } }\n")
	for vars, want := range map[string]string{
		"vars/zero.jsonnet":           "FAILED: vars/zero.jsonnet: vars file: a character device, not a regular file (a link to /dev/zero); a vars file must be a regular file",
		"vars/import-zero.jsonnet":    `RUNTIME ERROR: couldn't open import "/dev/zero": /dev/zero is outside the project`,
		"vars/importstr-zero.jsonnet": `RUNTIME ERROR: couldn't open import "/dev/zero": /dev/zero is outside the project`,
		"vars/importstr-pipe.jsonnet": "vars/pipe.txt: a named pipe (FIFO), not a regular file: kpgen imports only regular files",
	} {
		out, code := limited(t, dir, "bin/kpgen", "validate", vars)
		if code != 1 || !strings.Contains(out, want) {
			t.Errorf("kpgen validate %s: exit %d, want 1 and %q:\n%.2000s", vars, code, want, out)
		}
	}
}

// limited runs a command in dir as sh does, with at most 1 GiB of data
// memory and two minutes, and returns its combined output and exit code.
func limited(t *testing.T, dir string, name string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", append([]string{"-c", `ulimit -d 1048576 && exec "$0" "$@"`, name}, args...)...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Errorf("%s %v: did not finish within two minutes", name, args)
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out), code
}
