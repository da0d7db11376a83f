package vendoring

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/safefs"
	"github.com/kpgen/kpgen/internal/testutil"
)

func project(t *testing.T, version string) string {
	dir := filepath.Join(t.TempDir(), "jsonnet")
	testutil.WriteFile(t, filepath.Join(dir, File), testutil.StandinJsonnetfile(version))
	return dir
}

func TestInstallThroughInsteadOf(t *testing.T) {
	bare := testutil.StandinRepo(t, testutil.Version{Tag: "v0.18.0"})
	testutil.GitRewriteEnv(t, map[string]string{testutil.StandinRemote: bare})
	dir := project(t, "v0.18.0")

	res, err := Install(Options{JsonnetDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if !res.LockChanged || !reflect.DeepEqual(res.Packages, []string{"git.kpgen.invalid/prometheus-operator/kube-prometheus/jsonnet/kube-prometheus"}) {
		t.Errorf("result %+v", res)
	}
	for _, p := range []string{"vendor/kube-prometheus/main.libsonnet", "vendor/git.kpgen.invalid/prometheus-operator/kube-prometheus/jsonnet/kube-prometheus/main.libsonnet"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	var lock struct {
		Dependencies []struct{ Version, Sum string }
	}
	b, _ := os.ReadFile(filepath.Join(dir, LockFile))
	if err := json.Unmarshal(b, &lock); err != nil || len(lock.Dependencies) != 1 {
		t.Fatalf("lock %s: %v", b, err)
	}
	commit := testutil.Git(t, bare, "rev-parse", "v0.18.0^{commit}")
	if d := lock.Dependencies[0]; d.Version != commit || d.Sum == "" {
		t.Errorf("lock pins %+v, want the tag's commit %s and a checksum", d, commit)
	}

	// A second install with everything intact changes nothing.
	before := testutil.Snapshot(t, dir)
	res, err = Install(Options{JsonnetDir: dir})
	if err != nil || res.LockChanged {
		t.Fatalf("second install: %+v %v", res, err)
	}
	if after := testutil.Snapshot(t, dir); !reflect.DeepEqual(before, after) {
		t.Error("a second install must leave vendor and the lock as they were")
	}

	// A file tampered with is restored from the locked commit.
	main := filepath.Join(dir, "vendor/kube-prometheus/main.libsonnet")
	os.WriteFile(main, []byte("{}"), 0o644)
	if _, err := Install(Options{JsonnetDir: dir}); err != nil {
		t.Fatal(err)
	}
	if after := testutil.Snapshot(t, dir); !reflect.DeepEqual(before, after) {
		t.Error("an altered package must be re-fetched")
	}
}

func TestInstallUnreachableNamesDependencyAndKeepsVendor(t *testing.T) {
	bare := testutil.StandinRepo(t, testutil.Version{Tag: "v0.18.0"})
	testutil.GitRewriteEnv(t, map[string]string{testutil.StandinRemote: bare})
	dir := project(t, "v0.18.0")
	if _, err := Install(Options{JsonnetDir: dir}); err != nil {
		t.Fatal(err)
	}
	// Ask for another version, then make the remote unreachable.
	testutil.WriteFile(t, filepath.Join(dir, File), testutil.StandinJsonnetfile("v0.19.0"))
	os.Remove(filepath.Join(dir, LockFile))
	before := testutil.Snapshot(t, dir)
	testutil.GitRewriteEnv(t, map[string]string{testutil.StandinRemote: filepath.Join(t.TempDir(), "nothing-here.git")})

	_, err := Install(Options{JsonnetDir: dir})
	if err == nil {
		t.Fatal("want an error")
	}
	for _, want := range []string{"git.kpgen.invalid/prometheus-operator/kube-prometheus/jsonnet/kube-prometheus@v0.19.0", testutil.StandinRemote, "does not appear to be a git repository", "insteadOf"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
	if after := testutil.Snapshot(t, dir); !reflect.DeepEqual(before, after) {
		t.Error("a failed install must leave jsonnet/ as it was")
	}
}

func TestInstallMissingVersionKeepsVendor(t *testing.T) {
	bare := testutil.StandinRepo(t, testutil.Version{Tag: "v0.18.0"})
	testutil.GitRewriteEnv(t, map[string]string{testutil.StandinRemote: bare})
	dir := project(t, "v0.18.0")
	if _, err := Install(Options{JsonnetDir: dir}); err != nil {
		t.Fatal(err)
	}
	testutil.WriteFile(t, filepath.Join(dir, File), testutil.StandinJsonnetfile("v9.9.9"))
	os.Remove(filepath.Join(dir, LockFile))
	before := testutil.Snapshot(t, dir)
	_, err := Install(Options{JsonnetDir: dir})
	if err == nil || !strings.Contains(err.Error(), "v9.9.9") {
		t.Fatalf("err = %v, want it to name the missing version", err)
	}
	if after := testutil.Snapshot(t, dir); !reflect.DeepEqual(before, after) {
		t.Error("a failed install must leave jsonnet/ as it was")
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".vendor-stage-*")); len(left) > 0 {
		t.Errorf("staging directories left: %v", left)
	}
}

func TestVerify(t *testing.T) {
	bare := testutil.StandinRepo(t, testutil.Version{Tag: "v0.18.0"})
	testutil.GitRewriteEnv(t, map[string]string{testutil.StandinRemote: bare})
	dir := project(t, "v0.18.0")
	const pkg = "git.kpgen.invalid/prometheus-operator/kube-prometheus/jsonnet/kube-prometheus"

	mm, err := Verify(dir, "")
	if err != nil || len(mm) != 1 || !strings.Contains(mm[0].String(), pkg+": wanted at v0.18.0") {
		t.Fatalf("before install: %v %v", mm, err)
	}
	if _, err := Install(Options{JsonnetDir: dir}); err != nil {
		t.Fatal(err)
	}
	if mm, err := Verify(dir, ""); err != nil || len(mm) != 0 {
		t.Fatalf("after install: %v %v", mm, err)
	}
	os.WriteFile(filepath.Join(dir, "vendor", pkg, "main.libsonnet"), []byte("{}"), 0o644)
	if mm, _ := Verify(dir, ""); len(mm) != 1 || !strings.Contains(mm[0].String(), pkg+": checksum") {
		t.Errorf("edited package: %v", mm)
	}
	os.RemoveAll(filepath.Join(dir, "vendor", pkg))
	if mm, _ := Verify(dir, ""); len(mm) != 1 || !strings.Contains(mm[0].String(), "missing") {
		t.Errorf("missing package: %v", mm)
	}
}

func TestDropHints(t *testing.T) {
	var out strings.Builder
	d := &dropHints{w: &out}
	for _, chunk := range []string{"hint: Using 'master'\nhint: more\nInitial", "ized empty Git repository\n", "hint: x\nHEAD is now at abc\n"} {
		d.Write([]byte(chunk))
	}
	if got, want := out.String(), "Initialized empty Git repository\nHEAD is now at abc\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// Re-fetching a package at its locked commit leaves the lock's bytes alone
// and says so.
func TestRefetchKeepsLock(t *testing.T) {
	bare := testutil.StandinRepo(t, testutil.Version{Tag: "v0.18.0"})
	testutil.GitRewriteEnv(t, map[string]string{testutil.StandinRemote: bare})
	dir := project(t, "v0.18.0")
	if _, err := Install(Options{JsonnetDir: dir}); err != nil {
		t.Fatal(err)
	}
	lock, _ := os.ReadFile(filepath.Join(dir, LockFile))
	os.RemoveAll(filepath.Join(dir, "vendor"))
	res, err := Install(Options{JsonnetDir: dir})
	if err != nil || res.UpToDate || res.LockChanged {
		t.Fatalf("re-fetch: %+v %v, want fetched with the lock unchanged", res, err)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, LockFile)); string(again) != string(lock) {
		t.Errorf("lock rewritten:\n%s\nwas:\n%s", again, lock)
	}
}

// What a killed install leaves is repaired by the next one: a vendor tree
// moved aside and not replaced comes back, stages and a half-written lock
// are removed.
func TestInstallRecoversFromAKilledRun(t *testing.T) {
	bare := testutil.StandinRepo(t, testutil.Version{Tag: "v0.18.0"})
	testutil.GitRewriteEnv(t, map[string]string{testutil.StandinRemote: bare})
	dir := project(t, "v0.18.0")
	if _, err := Install(Options{JsonnetDir: dir}); err != nil {
		t.Fatal(err)
	}
	want := testutil.Snapshot(t, dir)
	// Killed between the two renames of the fallback swap, and while
	// writing the lock.
	stage := filepath.Join(dir, stagePrefix+"123")
	os.MkdirAll(filepath.Join(stage, "new"), 0o755)
	if err := os.Rename(filepath.Join(dir, "vendor"), filepath.Join(stage, "old")); err != nil {
		t.Fatal(err)
	}
	testutil.WriteFile(t, filepath.Join(dir, LockFile+tmpSuffix), "{")
	res, err := Install(Options{JsonnetDir: dir})
	if err != nil || !res.UpToDate {
		t.Fatalf("%+v %v: the restored vendor tree is up to date", res, err)
	}
	if got := testutil.Snapshot(t, dir); !reflect.DeepEqual(got, want) {
		t.Errorf("after recovery the jsonnet directory differs")
	}
}

// A bump killed while it committed is finished or undone by the next run,
// never left with a vendor tree that its lock does not describe.
func TestRecoverBump(t *testing.T) {
	bare := testutil.StandinReleases(t)
	testutil.GitRewriteEnv(t, map[string]string{testutil.StandinRemote: bare})
	// The old and the new state of a project: vendored at v0.18.0 and at v0.19.0.
	dirs := map[string]string{}
	for _, v := range []string{"v0.18.0", "v0.19.0"} {
		dirs[v] = project(t, v)
		if _, err := Install(Options{JsonnetDir: dirs[v]}); err != nil {
			t.Fatal(err)
		}
	}
	snap := func(dir string) map[string]string { return testutil.Snapshot(t, dir) }
	oldState, newState := snap(dirs["v0.18.0"]), snap(dirs["v0.19.0"])
	// stage makes the project at v0.18.0 with a bump to v0.19.0 staged, and
	// kill applies what the killed commit had done.
	tests := []struct {
		name string
		kill func(dir, stage string)
		want map[string]string
	}{
		{"killed before the swap", func(dir, stage string) {}, oldState},
		{"killed between the fallback's renames", func(dir, stage string) {
			os.Rename(filepath.Join(dir, "vendor"), filepath.Join(stage, "vendor-old"))
		}, oldState},
		{"killed after the swap", func(dir, stage string) {
			os.Rename(filepath.Join(dir, "vendor"), filepath.Join(stage, "vendor-old"))
			os.Rename(filepath.Join(stage, "jsonnet", "vendor"), filepath.Join(dir, "vendor"))
		}, newState},
		{"killed after the lock moved in", func(dir, stage string) {
			os.Rename(filepath.Join(dir, "vendor"), filepath.Join(stage, "vendor-old"))
			os.Rename(filepath.Join(stage, "jsonnet", "vendor"), filepath.Join(dir, "vendor"))
			os.Rename(filepath.Join(stage, "jsonnet", LockFile), filepath.Join(dir, LockFile))
		}, newState},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "jsonnet")
			cpa(t, dirs["v0.18.0"], dir)
			stage, err := Stage(dir, BumpStagePrefix)
			if err != nil {
				t.Fatal(err)
			}
			cpa(t, dirs["v0.19.0"], filepath.Join(stage, "jsonnet"))
			tt.kill(dir, stage)
			did, err := Recover(dir, filepath.Join(dir, "vendor"))
			if err != nil {
				t.Fatal(err)
			}
			if got := snap(dir); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("after recovery (%v): %d files, not the wanted state", did, len(got))
			}
		})
	}
}

// cpa copies a tree as it is, symlinks included.
func cpa(t *testing.T, src, dst string) {
	t.Helper()
	if out, err := exec.Command("cp", "-a", src, dst).CombinedOutput(); err != nil {
		t.Fatalf("cp -a: %v\n%s", err, out)
	}
}

// Missing names the locked packages the vendor directory lacks (directory
// or legacy link), by short name, in lock order; no lock, nothing missing.
func TestMissing(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "jsonnet")
	testutil.WriteFile(t, filepath.Join(dir, File), `{"version": 1, "dependencies": [], "legacyImports": true}`)
	vendor := filepath.Join(dir, "vendor")
	if got, err := Missing(dir, vendor); err != nil || len(got) != 0 {
		t.Errorf("no lock: %q, %v", got, err)
	}
	testutil.WriteFile(t, filepath.Join(dir, LockFile), `{"version": 1, "dependencies": [
	  {"source": {"git": {"remote": "https://github.com/a/kube-prometheus.git", "subdir": "jsonnet/kube-prometheus"}}, "version": "1"},
	  {"source": {"git": {"remote": "https://github.com/b/grafonnet.git", "subdir": "gen/grafonnet-latest"}}, "version": "1"},
	  {"source": {"git": {"remote": "https://github.com/c/mixin.git", "subdir": ""}}, "version": "1"},
	  {"source": {"local": {"directory": "../mine"}}, "version": ""}
	]}`)
	testutil.WriteFile(t, filepath.Join(vendor, "github.com/a/kube-prometheus/jsonnet/kube-prometheus/main.libsonnet"), "{}")
	os.Symlink("github.com/a/kube-prometheus/jsonnet/kube-prometheus", filepath.Join(vendor, "kube-prometheus"))
	testutil.WriteFile(t, filepath.Join(vendor, "github.com/b/grafonnet/gen/grafonnet-latest/main.libsonnet"), "{}") // no legacy link
	want := []string{"grafonnet-latest", "mixin", "mine"}
	if got, err := Missing(dir, vendor); err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("Missing = %q, %v; want %q", got, err, want)
	}
	testutil.WriteFile(t, filepath.Join(dir, File), `{"version": 1, "dependencies": [], "legacyImports": false}`)
	if got, err := Missing(dir, vendor); err != nil || !reflect.DeepEqual(got, []string{"mixin", "mine"}) {
		t.Errorf("without legacy imports: %q, %v", got, err)
	}
}

// Missing runs before every build (an unchanged cluster's rebuild takes
// milliseconds): with the repository's real lock, a stat per package.
func BenchmarkMissing(b *testing.B) {
	dir := filepath.Join(b.TempDir(), "jsonnet")
	lock, err := os.ReadFile(filepath.Join(testutil.RepoRoot(), "jsonnet", LockFile))
	if err != nil {
		b.Fatal(err)
	}
	testutil.WriteFile(b, filepath.Join(dir, File), `{"version": 1, "dependencies": [], "legacyImports": true}`)
	testutil.WriteFile(b, filepath.Join(dir, LockFile), string(lock))
	b.ResetTimer()
	for range b.N {
		if _, err := Missing(dir, filepath.Join(dir, "vendor")); err != nil {
			b.Fatal(err)
		}
	}
}

// A build refuses to render over a vendor tree that a killed bump may have
// left disagreeing with the lock, until `kpgen vendor` settles it.
func TestInterrupted(t *testing.T) {
	dir := t.TempDir()
	if err := Interrupted(dir); err != nil {
		t.Fatal(err)
	}
	stage, err := Stage(dir, BumpStagePrefix)
	if err != nil {
		t.Fatal(err)
	}
	if err := Interrupted(dir); err == nil || !strings.Contains(err.Error(), "an interrupted kpgen vendor or bump left "+stage+": run `kpgen vendor`") {
		t.Errorf("a stage left: %v", err)
	}
	unlock, _ := safefs.Lock(dir)
	defer unlock()
	if err := Interrupted(dir); err == nil || !strings.Contains(err.Error(), "another kpgen is vendoring or bumping") {
		t.Errorf("a stage of a running bump: %v", err)
	}
}

// A config repository's first install pins what its platform pulls in as
// the platform's release pins it (the release's own lock, in the package's
// directory), not at the branch heads its jsonnetfile names.
func TestFirstInstallPinsAsTheReleaseDoes(t *testing.T) {
	standin := testutil.StandinReleases(t) // main is v0.20.0
	pinned := testutil.Git(t, standin, "rev-parse", "v0.18.0^{commit}")
	lock := `{"version": 1, "dependencies": [{"source": {"git": {"remote": "` + testutil.StandinRemote + `", "subdir": "jsonnet/kube-prometheus"}}, "version": "` + pinned + `", "sum": ""}], "legacyImports": false}` + "\n"
	testutil.GitRewriteEnv(t, map[string]string{
		testutil.StandinRemote: standin,
		testutil.LibraryRemote: testutil.LibraryRepo(t, "main", testutil.Version{Tag: "v0.3.0", Files: map[string]string{"jsonnet/jsonnetfile.lock.json": lock}}),
	})
	dir := filepath.Join(t.TempDir(), "jsonnet")
	testutil.WriteFile(t, filepath.Join(dir, File), testutil.LibraryJsonnetfile("v0.3.0"))
	if _, err := Install(Options{JsonnetDir: dir}); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(filepath.Join(dir, LockFile))
	if !strings.Contains(string(b), pinned) {
		t.Errorf("the stand-in is not pinned at the release's commit %s:\n%s", pinned, b)
	}
}
