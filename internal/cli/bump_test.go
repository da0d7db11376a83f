package cli

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/testutil"
	"github.com/kpgen/kpgen/internal/vendoring"
)

// vendoredProject is a project whose kube-prometheus is the stand-in,
// vendored at v0.18.0 from a git repository that also has v0.19.0 and v0.20.0,
// with clusters a and b built.
func vendoredProject(t *testing.T) string {
	bare := testutil.StandinReleases(t)
	testutil.GitRewriteEnv(t, map[string]string{testutil.StandinRemote: bare})
	dir := testutil.Project(t, map[string]string{
		"a.jsonnet": "{ cluster: { name: 'a' } }\n",
		"b.jsonnet": "{ cluster: { name: 'b' } }\n",
	})
	os.RemoveAll(filepath.Join(dir, "jsonnet", "vendor"))
	testutil.WriteFile(t, filepath.Join(dir, "jsonnet", vendoring.File), testutil.StandinJsonnetfile("v0.18.0"))
	for _, args := range [][]string{{"vendor", "-q", "--root", dir}, {"build", "-q", "--root", dir}} {
		if code, o, e := run(args...); code != 0 {
			t.Fatalf("kpgen %v: exit %d\n%s%s", args, code, o, e)
		}
	}
	return dir
}

func TestBumpPrintsThePerRuleDiff(t *testing.T) {
	dir := vendoredProject(t)
	code, stdout, stderr := run("bump", "--root", dir, "--no-color", "kube-prometheus@v0.19.0")
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "v0.18.0 → v0.19.0") {
		t.Errorf("stderr: %s", stderr)
	}
	// Both clusters changed the same way: one group, the rule named with
	// what changed, nothing else.
	for _, want := range []string{
		"2 clusters, changed alike: a, b",
		"PrometheusRule monitoring/node-exporter-rules",
		"alert NodeMemoryHighUtilization",
		"for: 15m → 30m",
		"> 90",
		"> 95",
	} {
		if !strings.Contains(stdout, want) {
			t.Errorf("report lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Count(stdout, "~ alert") != 1 {
		t.Errorf("exactly one alert changed:\n%s", stdout)
	}
	// out/ is now what a build at v0.19.0 writes.
	if code, o, e := run("build", "--check", "--root", dir); code != 0 {
		t.Errorf("build --check after bump: exit %d\n%s%s", code, o, e)
	}
	if code, o, e := run("vendor", "--check", "--root", dir); code != 0 {
		t.Errorf("vendor --check after bump: exit %d\n%s%s", code, o, e)
	}
	if code, o, _ := run("diff", "--root", dir); code != 0 {
		t.Errorf("diff after bump: exit %d\n%s", code, o)
	}
}

func TestFailedBumpLeavesEverything(t *testing.T) {
	dir := vendoredProject(t)
	before := testutil.Snapshot(t, dir)
	for _, target := range []string{"kube-prometheus@v9.9.9", "kube-prometheus@v0.20.0"} {
		code, _, stderr := run("bump", "--root", dir, target)
		if code != ExitFailed || !strings.Contains(stderr, "Nothing was changed") {
			t.Errorf("bump %s: exit %d\n%s", target, code, stderr)
		}
		if !reflect.DeepEqual(before, testutil.Snapshot(t, dir)) {
			t.Fatalf("bump %s changed the project", target)
		}
	}
}
