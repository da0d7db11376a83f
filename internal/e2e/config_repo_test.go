package e2e

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/kpgen/kpgen/internal/testutil"
)

// A config repository holds only kpgen.json, its jsonnetfile (pinning a
// platform), vars and out/: kpgen vendors the platform, kpgen's library and
// kube-prometheus, and builds its clusters with the platform's mixin,
// defaults, presets and patches.
func TestConfigRepository(t *testing.T) {
	bin := kpgenBinary(t)
	testutil.GitRewriteEnv(t, map[string]string{
		testutil.StandinRemote:  testutil.StandinRepo(t, testutil.Version{Tag: "v0.18.0"}),
		testutil.LibraryRemote:  testutil.LibraryRepo(t, "v0.18.0", testutil.Version{Tag: "v0.3.0"}),
		testutil.PlatformRemote: testutil.PlatformRepo(t, "v0.3.0", testutil.Version{Tag: "v1.0.0"}),
	})
	dir := t.TempDir()
	testutil.WriteFile(t, filepath.Join(dir, "kpgen.json"), `{"library": "platform"}`+"\n")
	testutil.WriteFile(t, filepath.Join(dir, "jsonnet", "jsonnetfile.json"), testutil.PlatformJsonnetfile("v1.0.0"))
	testutil.WriteFile(t, filepath.Join(dir, "vars", "prod.jsonnet"), `{
  cluster: { name: 'prod', environment: 'production' },
  rules: {
    override: { AcmeBillingErrors: { 'for': '20m', labels: { page: 'true' } } },
    disable: ['AcmeBillingDown'],
  },
}
`)
	testutil.WriteFile(t, filepath.Join(dir, "vars", "stage.jsonnet"), "{ cluster: { name: 'stage', environment: 'staging' }, prometheus: { retention: '3d' }, grafana: { dashboards: { disable: ['Nodes (stand-in)'] } } }\n")

	if out, code := sh(t, dir, bin, "vendor"); code != 0 {
		t.Fatalf("kpgen vendor: exit %d\n%s", code, out)
	}
	out, code := sh(t, dir, bin, "build")
	if code != 0 {
		t.Fatalf("kpgen build: exit %d\n%s", code, out)
	}
	read := func(p string) string {
		b, err := os.ReadFile(filepath.Join(dir, "out", p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	// The platform's mixin, enabled by its defaults, with its patch.
	sm := read("prod/manifests/acme-serviceMonitor.yaml")
	if !strings.Contains(sm, "acme.example/owner: platform-team") {
		t.Errorf("the platform's patch is missing:\n%s", sm)
	}
	// Layers: defaults (15d) < preset (production: 30d, 2 replicas; staging: 1 replica) < vars (3d).
	for cluster, want := range map[string][]string{
		"prod":  {"retention: 30d", "replicas: 2"},
		"stage": {"retention: 3d", "replicas: 1"},
	} {
		p := read(cluster + "/manifests/prometheus-prometheus.yaml")
		for _, w := range want {
			if !strings.Contains(p, w) {
				t.Errorf("%s: Prometheus lacks %q", cluster, w)
			}
		}
	}
	if !strings.Contains(read("stage/manifests/acme-prometheusRule.yaml"), "for: 30m") {
		t.Error("stage: the staging preset's errorRatioFor is not applied")
	}
	// Rules: the platform's alert label on every alert, prod's own override and disable.
	prodRules := read("prod/manifests/acme-prometheusRule.yaml")
	for _, want := range []string{"for: 20m", `page: "true"`, "platform: acme"} {
		if !strings.Contains(prodRules, want) {
			t.Errorf("prod: the acme rules lack %q:\n%s", want, prodRules)
		}
	}
	if strings.Contains(prodRules, "AcmeBillingDown") || !strings.Contains(read("stage/manifests/acme-prometheusRule.yaml"), "AcmeBillingDown") {
		t.Error("prod's disable of AcmeBillingDown is not applied to prod only")
	}
	if !strings.Contains(read("prod/kustomization.yaml"), "manifests/acme-serviceMonitor.yaml") {
		t.Error("the platform's objects are not in kustomization.yaml")
	}
	// The platform's dashboard, added by its defaults; stage disables one of upstream's.
	for cluster, want := range map[string]map[string]bool{"prod": {"grafana-dashboard-acme-billing": true, "grafana-dashboard-nodes": true}, "stage": {"grafana-dashboard-acme-billing": true, "grafana-dashboard-nodes": false}} {
		dash := read(cluster + "/manifests/grafana-dashboardDefinitions.yaml")
		for name, present := range want {
			if strings.Contains(dash, "name: "+name+"\n") != present {
				t.Errorf("%s: ConfigMap %s present: %v, want %v", cluster, name, !present, present)
			}
		}
	}
	if out, code := sh(t, dir, bin, "build", "--check"); code != 0 {
		t.Errorf("build --check: exit %d\n%s", code, out)
	}
	// Where each value of a cluster's vars comes from.
	out, code = sh(t, dir, bin, "vars", "stage", "--explain")
	if code != 0 {
		t.Fatalf("kpgen vars stage --explain: exit %d\n%s", code, out)
	}
	for _, re := range []string{
		`prometheus\.retention: "3d"\s+# vars/stage\.jsonnet`,
		`prometheus\.replicas: 1\s+# preset staging`,
		`mixins\.acme\.enabled: true\s+# platform defaults`,
		`mixins\.acme\.errorRatioFor: "30m"\s+# preset staging`,
		`cluster\.name: "stage"\s+# vars/stage\.jsonnet`,
	} {
		if !regexp.MustCompile(re).MatchString(out) {
			t.Errorf("kpgen vars --explain does not match %s:\n%s", re, out)
		}
	}
	if strings.Contains(out, "# default") {
		t.Errorf("kpgen's defaults are shown without --defaults:\n%s", out)
	}
	// The platform's dashboard, a long value, does not push every origin
	// to the right of it.
	if strings.Contains(out, strings.Repeat(" ", 80)) || !strings.Contains(out, "# platform defaults") {
		t.Errorf("kpgen vars --explain pads its origins far to the right:\n%s", out)
	}
	// The platform's promtool tests pass on the rules the config repository
	// renders (the staging preset's errorRatioFor included).
	promtoolTest(t, read("stage/manifests/acme-prometheusRule.yaml"),
		filepath.Join(testutil.RepoRoot(), "examples", "acme-platform", "jsonnet", "mixins", "acme", "tests", "acme.yaml"))
}

// promtoolTest runs a promtool rule test file against a PrometheusRule's
// groups, written where the test file's rule_files expects them.
func promtoolTest(t *testing.T, prometheusRule, testFile string) {
	t.Helper()
	var obj struct {
		Spec struct {
			Groups []any `json:"groups"`
		} `json:"spec"`
	}
	if err := yaml.Unmarshal([]byte(prometheusRule), &obj); err != nil {
		t.Fatal(err)
	}
	rules, err := yaml.Marshal(map[string]any{"groups": obj.Spec.Groups})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	testutil.WriteFile(t, filepath.Join(dir, "rendered-rules.yaml"), string(rules))
	b, err := os.ReadFile(testFile)
	if err != nil {
		t.Fatal(err)
	}
	testutil.WriteFile(t, filepath.Join(dir, "test.yaml"), string(b))
	if out, code := sh(t, dir, "promtool", "test", "rules", "test.yaml"); code != 0 {
		t.Errorf("promtool test rules %s: exit %d\n%s", filepath.Base(testFile), code, out)
	}
}

// kpgen init makes a config repository from a platform's URL and version,
// vendors and builds it; a second init into it refuses to overwrite.
func TestInit(t *testing.T) {
	bin := kpgenBinary(t)
	testutil.GitRewriteEnv(t, map[string]string{
		testutil.StandinRemote:  testutil.StandinRepo(t, testutil.Version{Tag: "v0.18.0"}),
		testutil.LibraryRemote:  testutil.LibraryRepo(t, "v0.18.0", testutil.Version{Tag: "v0.3.0"}),
		testutil.PlatformRemote: testutil.PlatformRepo(t, "v0.3.0", testutil.Version{Tag: "v1.0.0"}),
	})
	parent := t.TempDir()
	out, code := sh(t, parent, bin, "init", "--platform", testutil.PlatformRemote+"@v1.0.0", "--cluster", "prod-1", "customer-a")
	if code != 0 {
		t.Fatalf("kpgen init: exit %d\n%s", code, out)
	}
	dir := filepath.Join(parent, "customer-a")
	for _, want := range []string{`SUCCESS: config repository in customer-a, library "platform"`, "SUCCESS: prod-1:", "written to customer-a/out/prod-1"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, p := range []string{"kpgen.json", "jsonnet/jsonnetfile.json", "jsonnet/jsonnetfile.lock.json", "vars/prod-1.jsonnet", ".gitignore", "README.md", ".github/workflows/kpgen.yaml", "out/prod-1/manifests/acme-serviceMonitor.yaml", "out/.kpgen/prod-1"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	// Nothing of the library is copied: it is vendored, and git-ignored.
	testutil.Git(t, dir, "init", "-q")
	testutil.Git(t, dir, "add", "-A")
	if files := testutil.Git(t, dir, "ls-files"); strings.Contains(files, "jsonnet/vendor") || strings.Contains(files, ".libsonnet") {
		t.Errorf("the library is committed:\n%s", files)
	}
	if out, code := sh(t, dir, bin, "build", "--check"); code != 0 {
		t.Errorf("build --check: exit %d\n%s", code, out)
	}
	before := testutil.Snapshot(t, dir)
	if out, code := sh(t, parent, bin, "init", "--platform", testutil.PlatformRemote+"@v1.0.0", "customer-a"); code != 1 || !strings.Contains(out, "customer-a is not empty") {
		t.Errorf("a second init: exit %d\n%s", code, out)
	}
	if after := testutil.Snapshot(t, dir); len(after) != len(before) {
		t.Error("a refused init changed the repository")
	}
}

// kpgen bump of the platform in a config repository shows every change of
// the rendered output — the platform's changed alert named — and a bump to a
// release that does not build changes nothing.
func TestBumpPlatform(t *testing.T) {
	bin := kpgenBinary(t)
	mixin := "jsonnet/mixins/acme/mixin.libsonnet"
	src, err := os.ReadFile(filepath.Join(testutil.RepoRoot(), "examples", "acme-platform", mixin))
	if err != nil {
		t.Fatal(err)
	}
	v11 := strings.Replace(string(src), "errorRatioThreshold: 0.05,", "errorRatioThreshold: 0.02,", 1)
	v12 := strings.Replace(v11, "> %s\n", "> %s +\n", 1)
	if v11 == string(src) || v12 == v11 {
		t.Fatal("the acme mixin changed: update this test")
	}
	testutil.GitRewriteEnv(t, map[string]string{
		testutil.StandinRemote: testutil.StandinRepo(t, testutil.Version{Tag: "v0.18.0"}),
		testutil.LibraryRemote: testutil.LibraryRepo(t, "v0.18.0", testutil.Version{Tag: "v0.3.0"}),
		testutil.PlatformRemote: testutil.PlatformRepo(t, "v0.3.0",
			testutil.Version{Tag: "v1.0.0"},
			testutil.Version{Tag: "v1.1.0", Files: map[string]string{mixin: v11}},
			testutil.Version{Tag: "v1.2.0", Files: map[string]string{mixin: v12}}),
	})
	parent := t.TempDir()
	if out, code := sh(t, parent, bin, "init", "-q", "--platform", testutil.PlatformRemote+"@v1.0.0", "--cluster", "prod", "cfg"); code != 0 {
		t.Fatalf("kpgen init: exit %d\n%s", code, out)
	}
	dir := filepath.Join(parent, "cfg")
	testutil.WriteFile(t, filepath.Join(dir, "vars", "stage.jsonnet"), "{ cluster: { name: 'stage', environment: 'staging' } }\n")
	if out, code := sh(t, dir, bin, "build", "-q"); code != 0 {
		t.Fatalf("kpgen build: exit %d\n%s", code, out)
	}

	before := testutil.Snapshot(t, dir)
	out, code := sh(t, dir, bin, "bump", "platform@v1.2.0")
	if code != 1 || !strings.Contains(out, "AcmeBillingErrors") || !strings.Contains(out, "Nothing was changed") {
		t.Errorf("a bump to a broken release: exit %d\n%s", code, out)
	}
	if after := testutil.Snapshot(t, dir); len(after) != len(before) {
		t.Errorf("a failed bump changed the repository")
	} else {
		for p, c := range before {
			if after[p] != c {
				t.Errorf("a failed bump changed %s", p)
			}
		}
	}

	out, code = sh(t, dir, bin, "bump", "platform@v1.1.0")
	if code != 0 {
		t.Fatalf("kpgen bump platform@v1.1.0: exit %d\n%s", code, out)
	}
	for _, want := range []string{"AcmeBillingErrors", "0.05", "0.02"} {
		if !strings.Contains(out, want) {
			t.Errorf("the bump's report does not show %q:\n%s", want, out)
		}
	}
	if jf, _ := os.ReadFile(filepath.Join(dir, "jsonnet", "jsonnetfile.json")); !strings.Contains(string(jf), `"version": "v1.1.0"`) {
		t.Errorf("jsonnetfile.json:\n%s", jf)
	}
	if out, code := sh(t, dir, bin, "build", "--check"); code != 0 {
		t.Errorf("build --check after the bump: exit %d\n%s", code, out)
	}
	if out, code := sh(t, dir, bin, "vendor", "--check"); code != 0 {
		t.Errorf("vendor --check after the bump: exit %d\n%s", code, out)
	}
}

// A team's platform repository bumps kpgen's library like any dependency:
// the report shows what the new library changes in the platform's own
// clusters.
func TestBumpLibraryInPlatform(t *testing.T) {
	bin := kpgenBinary(t)
	common := "jsonnet/mixins/kpgen-common/common.libsonnet"
	src, err := os.ReadFile(filepath.Join(testutil.RepoRoot(), common))
	if err != nil {
		t.Fatal(err)
	}
	v04 := strings.Replace(string(src), "{{ with $labels.cluster }} in cluster {{ . }}{{ end }}", "{{ with $labels.cluster }} (cluster {{ . }}){{ end }}", 1)
	if v04 == string(src) {
		t.Fatal("kpgen-common's inCluster changed: update this test")
	}
	testutil.GitRewriteEnv(t, map[string]string{
		testutil.StandinRemote: testutil.StandinRepo(t, testutil.Version{Tag: "v0.18.0"}),
		testutil.LibraryRemote: testutil.LibraryRepo(t, "v0.18.0", testutil.Version{Tag: "v0.3.0"}, testutil.Version{Tag: "v0.4.0", Files: map[string]string{common: v04}}),
	})
	dir := t.TempDir()
	testutil.CopyTree(t, filepath.Join(testutil.RepoRoot(), "examples", "acme-platform"), dir)
	testutil.WriteFile(t, filepath.Join(dir, "jsonnet", "jsonnetfile.json"), testutil.LibraryJsonnetfile("v0.3.0"))
	for _, args := range [][]string{{"vendor", "-q"}, {"build", "-q"}} {
		if out, code := sh(t, dir, bin, args...); code != 0 {
			t.Fatalf("kpgen %v: exit %d\n%s", args, code, out)
		}
	}
	out, code := sh(t, dir, bin, "bump", "kpgen@v0.4.0")
	if code != 0 {
		t.Fatalf("kpgen bump kpgen@v0.4.0: exit %d\n%s", code, out)
	}
	for _, want := range []string{"AcmeBillingErrors", "(cluster {{ . }})"} {
		if !strings.Contains(out, want) {
			t.Errorf("the report does not show %q:\n%s", want, out)
		}
	}
	if out, code := sh(t, dir, bin, "build", "--check"); code != 0 {
		t.Errorf("build --check after the bump: exit %d\n%s", code, out)
	}
}

// kpgen init --platform <checkout> links a platform's checkout (to try it
// before publishing): the link is relative to jsonnet/, as jsonnet-bundler
// writes local dependencies, and resolves from wherever kpgen runs; the
// checkout's own lock pins what it pulls in.
func TestInitLinkedPlatform(t *testing.T) {
	bin := kpgenBinary(t)
	platform := testutil.PlatformRepo(t, "v0.3.0", testutil.Version{Tag: "v1.0.0"})
	testutil.GitRewriteEnv(t, map[string]string{
		testutil.StandinRemote:  testutil.StandinRepo(t, testutil.Version{Tag: "v0.18.0"}),
		testutil.LibraryRemote:  testutil.LibraryRepo(t, "v0.18.0", testutil.Version{Tag: "v0.3.0"}),
		testutil.PlatformRemote: platform,
	})
	parent := t.TempDir()
	testutil.Git(t, parent, "clone", "-q", "--branch", "v1.0.0", platform, "platform")
	// The platform's checkout, vendored (its lock written) and built.
	for _, cmd := range []string{"vendor", "build"} {
		if out, code := sh(t, filepath.Join(parent, "platform"), bin, cmd); code != 0 {
			t.Fatalf("kpgen %s in the platform: exit %d\n%s", cmd, code, out)
		}
	}
	platformLock, err := os.ReadFile(filepath.Join(parent, "platform", "jsonnet", "jsonnetfile.lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	// From the parent directory, with a relative path.
	if out, code := sh(t, parent, bin, "init", "-q", "--platform", "platform", "--cluster", "c1", "cfg"); code != 0 {
		t.Fatalf("kpgen init: exit %d\n%s", code, out)
	}
	dir := filepath.Join(parent, "cfg")
	jf, _ := os.ReadFile(filepath.Join(dir, "jsonnet", "jsonnetfile.json"))
	if !strings.Contains(string(jf), `"directory": "../../platform/jsonnet"`) {
		t.Errorf("jsonnetfile.json does not link the checkout relative to jsonnet/:\n%s", jf)
	}
	lock, _ := os.ReadFile(filepath.Join(dir, "jsonnet", "jsonnetfile.lock.json"))
	if strings.Contains(string(lock), parent) {
		t.Errorf("the lock holds an absolute path:\n%s", lock)
	}
	// What the platform pulls in is pinned as the platform's lock pins it.
	for _, line := range strings.Split(string(platformLock), "\n") {
		if strings.Contains(line, `"version"`) && !strings.Contains(string(lock), strings.TrimSpace(line)) {
			t.Errorf("the platform's lock pins %s; the config repository's:\n%s", strings.TrimSpace(line), lock)
		}
	}
	// Vendored again from the repository's root and from elsewhere.
	for _, run := range [][]string{{dir, "vendor"}, {parent, "vendor", "--root", "cfg"}, {dir, "build", "--check"}} {
		if out, code := sh(t, run[0], bin, run[1:]...); code != 0 {
			t.Errorf("kpgen %v in %s: exit %d\n%s", run[1:], run[0], code, out)
		}
	}
}
