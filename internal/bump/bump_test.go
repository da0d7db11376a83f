package bump

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/build"
	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/testutil"
	"github.com/kpgen/kpgen/internal/vendoring"
)

// bumpProject is a project vendored from the stand-in repository at v0.18.0,
// with two clusters built into out/.
func bumpProject(t *testing.T) (root project.Root, bare string) {
	bare = testutil.StandinReleases(t)
	testutil.GitRewriteEnv(t, map[string]string{testutil.StandinRemote: bare})
	dir := testutil.Project(t, map[string]string{
		"a.jsonnet": "{ cluster: { name: 'a' } }\n",
		"b.jsonnet": "{ cluster: { name: 'b' } }\n",
	})
	root = project.Root{Dir: dir}
	os.RemoveAll(root.VendorDir())
	testutil.WriteFile(t, filepath.Join(root.JsonnetDir(), vendoring.File), testutil.StandinJsonnetfile("v0.18.0"))
	if _, err := vendoring.Install(vendoring.Options{JsonnetDir: root.JsonnetDir()}); err != nil {
		t.Fatal(err)
	}
	vars, _ := root.AllVars()
	for _, r := range build.Run(build.Options{Root: root, OutDir: root.DefaultOut(), Jobs: 2, Mode: build.Write}, vars) {
		if r.Failed() {
			t.Fatalf("%s: %v %v", r.Label(), r.Err, r.Problems)
		}
	}
	return root, bare
}

const ruleFile = "manifests/nodeExporter-prometheusRule.yaml"

func TestBump(t *testing.T) {
	root, bare := bumpProject(t)
	res, err := Run(Options{Root: root, OutDir: root.DefaultOut(), Jobs: 2, Target: "kube-prometheus@v0.19.0"})
	if err != nil {
		t.Fatal(err)
	}
	if res.From != "v0.18.0" || res.To != "v0.19.0" || !strings.HasSuffix(res.Dependency, "/kube-prometheus/jsonnet/kube-prometheus") {
		t.Errorf("result %+v", res)
	}
	if len(res.Clusters) != 2 {
		t.Fatalf("%d clusters", len(res.Clusters))
	}
	for _, c := range []string{"a", "b"} {
		old := string(res.Old[c][ruleFile])
		now, err := os.ReadFile(filepath.Join(root.DefaultOut(), c, ruleFile))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(old, "> 90") || !strings.Contains(string(now), "> 95") || !strings.Contains(string(now), "for: 30m") {
			t.Errorf("cluster %s: the rule did not move from v0.18.0 to v0.19.0", c)
		}
	}
	jf, _ := os.ReadFile(filepath.Join(root.JsonnetDir(), vendoring.File))
	if !strings.Contains(string(jf), `"version": "v0.19.0"`) {
		t.Errorf("jsonnetfile.json:\n%s", jf)
	}
	if mm, err := vendoring.Verify(root.JsonnetDir(), ""); err != nil || len(mm) != 0 {
		t.Errorf("vendor does not match the new lock: %v %v", mm, err)
	}
	lock, _ := os.ReadFile(filepath.Join(root.JsonnetDir(), vendoring.LockFile))
	if commit := testutil.Git(t, bare, "rev-parse", "v0.19.0^{commit}"); !strings.Contains(string(lock), commit) {
		t.Errorf("the lock does not pin v0.19.0's commit %s:\n%s", commit, lock)
	}
	if left, _ := filepath.Glob(filepath.Join(root.Dir, ".kpgen-bump-*")); len(left) > 0 {
		t.Errorf("staging left behind: %v", left)
	}
}

func TestFailedBumpTouchesNothing(t *testing.T) {
	root, _ := bumpProject(t)
	before := testutil.Snapshot(t, root.Dir)
	tests := []struct{ target, want string }{
		{"kube-prometheus@v9.9.9", "v9.9.9"},
		{"kube-prometheus@v0.20.0", "could not parse expression"},
		{"no-such-dependency@v1.0.0", `no dependency "no-such-dependency"`},
		{"kube-prometheus", "want <dependency>@<version>"},
		{"kube-prometheus@v0.18.0", "already at v0.18.0"},
	}
	for _, tt := range tests {
		_, err := Run(Options{Root: root, OutDir: root.DefaultOut(), Jobs: 2, Target: tt.target})
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("bump %s: err = %v, want it to mention %q", tt.target, err, tt.want)
		}
		if after := testutil.Snapshot(t, root.Dir); !reflect.DeepEqual(before, after) {
			for p := range after {
				if before[p] != after[p] {
					t.Errorf("bump %s changed %s", tt.target, p)
				}
			}
			for p := range before {
				if _, ok := after[p]; !ok {
					t.Errorf("bump %s removed %s", tt.target, p)
				}
			}
			t.FailNow()
		}
	}
}

// A release that commits a root jsonnetfile.lock.json gets what it pulls in
// pinned as that lock pins it, not at its branch's newest commit.
func TestBumpPinsAsTheReleaseLockDoes(t *testing.T) {
	const extraRemote = "https://git.kpgen.invalid/acme/extra.git"
	extra, commits := testutil.GitRepo(t,
		testutil.Version{Files: map[string]string{"mixin/extra.libsonnet": "{ generation: 1 }\n"}},
		testutil.Version{Files: map[string]string{"mixin/extra.libsonnet": "{ generation: 2 }\n"}},
	)
	kpJsonnetfile := `{"version": 1, "dependencies": [{"source": {"git": {"remote": "` + extraRemote + `", "subdir": "mixin"}}, "version": "main"}], "legacyImports": true}` + "\n"
	releaseLock := `{"version": 1, "dependencies": [{"source": {"git": {"remote": "` + extraRemote + `", "subdir": "mixin"}}, "version": "` + commits[0] + `", "sum": ""}], "legacyImports": false}` + "\n"
	standin := testutil.StandinRepo(t,
		testutil.Version{Tag: "v0.18.0"},
		testutil.Version{Tag: "v0.19.0", Files: map[string]string{
			"jsonnet/kube-prometheus/jsonnetfile.json": kpJsonnetfile,
			"jsonnetfile.lock.json":                    releaseLock,
		}},
	)
	testutil.GitRewriteEnv(t, map[string]string{testutil.StandinRemote: standin, extraRemote: extra})
	dir := testutil.Project(t, map[string]string{"a.jsonnet": "{ cluster: { name: 'a' } }\n"})
	root := project.Root{Dir: dir}
	os.RemoveAll(root.VendorDir())
	testutil.WriteFile(t, filepath.Join(root.JsonnetDir(), vendoring.File), testutil.StandinJsonnetfile("v0.18.0"))
	if _, err := vendoring.Install(vendoring.Options{JsonnetDir: root.JsonnetDir()}); err != nil {
		t.Fatal(err)
	}

	res, err := Run(Options{Root: root, OutDir: root.DefaultOut(), Jobs: 1, Target: "kube-prometheus@v0.19.0"})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Seeded) != 1 || res.Seeded[0] != "git.kpgen.invalid/acme/extra/mixin" {
		t.Errorf("seeded %v", res.Seeded)
	}
	lock, _ := os.ReadFile(filepath.Join(root.JsonnetDir(), vendoring.LockFile))
	if !strings.Contains(string(lock), commits[0]) || strings.Contains(string(lock), commits[1]) {
		t.Errorf("the lock must pin extra at the release's commit %s, not main's %s:\n%s", commits[0], commits[1], lock)
	}
	got, err := os.ReadFile(filepath.Join(root.VendorDir(), "git.kpgen.invalid/acme/extra/mixin/extra.libsonnet"))
	if err != nil || string(got) != "{ generation: 1 }\n" {
		t.Errorf("vendored extra: %q %v", got, err)
	}
}
