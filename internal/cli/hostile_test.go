package cli

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/safefs"
	"github.com/kpgen/kpgen/internal/testutil"
)

// Hostile-review regression tests: each fails on main at 75b95d6.

func twoClusters(t *testing.T) string {
	t.Helper()
	dir := testutil.Project(t, map[string]string{"a.jsonnet": "{ cluster: { name: 'a' } }\n", "b.jsonnet": "{ cluster: { name: 'b' } }\n"})
	t.Chdir(dir)
	if code, o, e := run("build", "-q", "--root", dir); code != 0 {
		t.Fatalf("first build: exit %d\n%s%s", code, o, e)
	}
	return dir
}

func exists(p string) bool { _, err := os.Lstat(p); return err == nil }

// H1: out/.kpgen-tmp committed as a symlink: the "clean-up" of an
// interrupted run deletes everything in the link's target. With `..` that
// is the project itself, .git included.
func TestHostileTmpSymlinkDeletesTarget(t *testing.T) {
	dir := twoClusters(t)
	victim := t.TempDir()
	testutil.WriteFile(t, filepath.Join(victim, "precious", "data"), "keep me\n")
	if err := os.Symlink(victim, filepath.Join(dir, "out", ".kpgen-tmp")); err != nil {
		t.Fatal(err)
	}
	code, _, stderr := run("build", "--root", dir, "--no-cache")
	if !exists(filepath.Join(victim, "precious", "data")) {
		t.Errorf("exit %d: kpgen deleted a file outside out/ through out/.kpgen-tmp:\n%s", code, stderr)
	}
}

// H2: out/.kpgen committed as a symlink: records are written outside out/
// (replacing a file named like a cluster), and --prune deletes every
// regular file with a DNS-label name in the link's target.
func TestHostileRecordDirSymlink(t *testing.T) {
	dir := twoClusters(t)
	victim := t.TempDir()
	testutil.WriteFile(t, filepath.Join(victim, "hosts"), "127.0.0.1 localhost\n")
	testutil.WriteFile(t, filepath.Join(victim, "passwd"), "root:x:0:0\n")
	os.RemoveAll(filepath.Join(dir, "out", ".kpgen"))
	os.RemoveAll(filepath.Join(dir, "out", "b"))
	if err := os.Symlink(victim, filepath.Join(dir, "out", ".kpgen")); err != nil {
		t.Fatal(err)
	}
	testutil.WriteFile(t, filepath.Join(dir, "vars", "b.jsonnet"), "{ cluster: { name: 'hosts' } }\n")
	os.RemoveAll(filepath.Join(dir, "out", "a"))
	run("build", "--root", dir, "--prune")
	if b, _ := os.ReadFile(filepath.Join(victim, "hosts")); string(b) != "127.0.0.1 localhost\n" {
		t.Errorf("a file outside out/ was overwritten through out/.kpgen: %q", b)
	}
	if !exists(filepath.Join(victim, "passwd")) {
		t.Errorf("--prune deleted a file outside out/ through out/.kpgen")
	}
}

// H3: a run that fails because two vars files name one cluster ("nothing is
// written") still prunes: the cluster whose vars file was overwritten by a
// copy-paste loses its output.
func TestHostileDuplicatesStillPrune(t *testing.T) {
	dir := twoClusters(t)
	testutil.WriteFile(t, filepath.Join(dir, "vars", "b.jsonnet"), "{ cluster: { name: 'a' } }\n") // copy-paste slip
	code, stdout, stderr := run("build", "--root", dir, "--prune")
	if code == 0 {
		t.Errorf("duplicates must fail the run")
	}
	if !exists(filepath.Join(dir, "out", "b", "kustomization.yaml")) {
		t.Errorf("a run failed for duplicate names removed out/b:\n%s%s", stdout, stderr)
	}
}

// H4: --prune removes the output of a cluster whose vars file is JSON,
// although `build --help` says vars/*.json are built.
func TestHostilePruneRemovesJSONVarsCluster(t *testing.T) {
	dir := twoClusters(t)
	testutil.WriteFile(t, filepath.Join(dir, "vars", "c.json"), `{"cluster": {"name": "c"}}`+"\n")
	if code, o, e := run("build", "--root", dir, filepath.Join(dir, "vars", "c.json")); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, o, e)
	}
	code, stdout, _ := run("build", "--root", dir, "--prune")
	if !exists(filepath.Join(dir, "out", "c", "kustomization.yaml")) {
		t.Errorf("exit %d: --prune removed out/c, built from vars/c.json:\n%s", code, stdout)
	}
}

// H5: a tree kpgen cannot remove after the swap is promised to be removed by
// the next build; instead every later build fails as a whole. (Not as root.)
func TestHostileLeftoverBlocksEveryBuild(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root ignores directory permissions")
	}
	dir := twoClusters(t)
	os.Chmod(filepath.Join(dir, "out", "a", "manifests"), 0o555)
	testutil.WriteFile(t, filepath.Join(dir, "vars", "a.jsonnet"), "{ cluster: { name: 'a' }, prometheus: { replicas: 3 } }\n")
	_, _, stderr := run("build", "--root", dir)
	if !strings.Contains(stderr, "the next kpgen build removes it") {
		t.Skipf("no leftover: %s", stderr)
	}
	if code, _, stderr := run("build", "--root", dir, "--no-cache"); code != 0 {
		t.Errorf("the next build: exit %d\n%s", code, stderr)
	}
}

// H6: a failed bump after the vendor tree and jsonnetfile were swapped in
// says "Nothing was changed".
func TestHostileBumpPartialFailureSaysNothingChanged(t *testing.T) {
	dir := vendoredProject(t)
	os.RemoveAll(filepath.Join(dir, "out", "b"))
	os.Remove(filepath.Join(dir, "out", ".kpgen", "b"))
	rec := filepath.Join(dir, "out", ".kpgen")
	// An immutable record directory (works as root): the record of b cannot be written.
	if err := exec.Command("chattr", "+i", rec).Run(); err != nil {
		if os.Geteuid() == 0 {
			t.Skipf("chattr: %v", err)
		}
		os.Chmod(rec, 0o555)
	}
	defer exec.Command("chattr", "-i", rec).Run()
	defer os.Chmod(rec, 0o755)
	jf, _ := os.ReadFile(filepath.Join(dir, "jsonnet", "jsonnetfile.json"))
	code, _, stderr := run("bump", "--root", dir, "kube-prometheus@v0.19.0")
	jf2, _ := os.ReadFile(filepath.Join(dir, "jsonnet", "jsonnetfile.json"))
	if code != 0 && strings.Contains(stderr, "Nothing was changed") && string(jf) != string(jf2) {
		t.Errorf("bump says nothing was changed, but jsonnetfile.json (and vendor/, out/a) moved to v0.19.0:\n%s", stderr)
	}
}

// H7: a record that is a symlink to /dev/zero: record() reads it whole
// before looking at what it is. (Run with a memory limit: ulimit -v.)
func TestHostileRecordSymlinkToDevZero(t *testing.T) {
	if os.Getenv("HOSTILE_OOM") == "" {
		t.Skip("exhausts memory on main; set HOSTILE_OOM=1 under ulimit -v")
	}
	dir := testutil.Project(t, map[string]string{"a.jsonnet": "{ cluster: { name: 'a' } }\n"})
	t.Chdir(dir)
	os.MkdirAll(filepath.Join(dir, "out", ".kpgen"), 0o755)
	os.Symlink("/dev/zero", filepath.Join(dir, "out", ".kpgen", "a"))
	run("build", "--root", dir)
}

// H8: bump takes no lock on the project: a running `kpgen vendor` (which
// holds the lock on jsonnet/) does not stop it, and a second bump's
// recoverStages removes the first one's live stage.
func TestHostileBumpIgnoresTheVendorLock(t *testing.T) {
	dir := vendoredProject(t)
	unlock, err := safefs.Lock(filepath.Join(dir, "jsonnet"))
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	if code, _, _ := run("bump", "--root", dir, "kube-prometheus@v0.19.0"); code == 0 {
		t.Errorf("bump replaced jsonnet/vendor while another kpgen held jsonnet/ locked")
	}
}

// H9: leftovers of a killed run survive a build whose clusters are all
// cached, while `build --check` says the next build removes them.
func TestHostileLeftoverSurvivesCachedBuild(t *testing.T) {
	dir := twoClusters(t)
	os.MkdirAll(filepath.Join(dir, "out", ".kpgen-tmp", "new-a-123", "manifests"), 0o755)
	if code, o, e := run("build", "--root", dir); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, o, e)
	}
	if code, _, stderr := run("build", "--root", dir, "--check"); code != 0 {
		t.Errorf("check after a build: exit %d\n%s", code, stderr)
	}
}

// H10: out/ itself committed as a symlink: --prune empties another
// project's out/, and diff's report (posted on the pull request) shows
// files of the machine it runs on — which docs/output.md says cannot happen.
func TestHostileOutSymlink(t *testing.T) {
	victim := twoClusters(t)
	dir := testutil.Project(t, map[string]string{"z.jsonnet": "{ cluster: { name: 'z' } }\n"})
	t.Chdir(dir)
	if err := os.Symlink(filepath.Join(victim, "out"), filepath.Join(dir, "out")); err != nil {
		t.Fatal(err)
	}
	run("build", "--root", dir, "--prune")
	if !exists(filepath.Join(victim, "out", "a", "kustomization.yaml")) {
		t.Errorf("--prune through a symlinked out/ removed another project's cluster")
	}

	host := t.TempDir()
	testutil.WriteFile(t, filepath.Join(host, "kubernetes", "manifests", "kube-apiserver.yaml"),
		"apiVersion: v1\nkind: Pod\nmetadata: {name: kube-apiserver, namespace: kube-system}\nspec: {containers: [{name: a, command: [--secret=SUPERSECRET]}]}\n")
	os.Remove(filepath.Join(dir, "out"))
	os.Symlink(host, filepath.Join(dir, "out"))
	testutil.WriteFile(t, filepath.Join(dir, "vars", "z.jsonnet"), "{ cluster: { name: 'kubernetes' } }\n")
	testutil.WriteFile(t, filepath.Join(dir, "jsonnet", "lib", "main.jsonnet"),
		"function(vars) (import 'kpgen.libsonnet').new(vars) { files+: { 'manifests/kube-apiserver.yaml': "+
			"{ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'kube-apiserver', namespace: 'kube-system' }, spec: { containers: [{ name: 'a', command: [] }] } } } }\n")
	_, stdout, _ := run("diff", "--root", dir, "--format", "markdown")
	if strings.Contains(stdout, "SUPERSECRET") {
		t.Errorf("diff's report shows a file of this machine, read through a symlinked out/")
	}
}
