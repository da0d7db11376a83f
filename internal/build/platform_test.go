package build

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/render"
	"github.com/kpgen/kpgen/internal/testutil"
	"github.com/kpgen/kpgen/internal/vendoring"
)

// configProject makes a config repository pinning the example platform at
// v1.0.0 (over kpgen's library at v0.3.0 and the stand-in), vendored, with
// the given vars files.
func configProject(t *testing.T, vars map[string]string) project.Root {
	t.Helper()
	testutil.GitRewriteEnv(t, map[string]string{
		testutil.StandinRemote:  testutil.StandinRepo(t, testutil.Version{Tag: "v0.18.0"}),
		testutil.LibraryRemote:  testutil.LibraryRepo(t, "v0.18.0", testutil.Version{Tag: "v0.3.0"}),
		testutil.PlatformRemote: testutil.PlatformRepo(t, "v0.3.0", testutil.Version{Tag: "v1.0.0"}),
	})
	dir := t.TempDir()
	testutil.WriteFile(t, filepath.Join(dir, project.ConfigFile), `{"library": "platform"}`+"\n")
	testutil.WriteFile(t, filepath.Join(dir, "jsonnet", "jsonnetfile.json"), testutil.PlatformJsonnetfile("v1.0.0"))
	for name, content := range vars {
		testutil.WriteFile(t, filepath.Join(dir, "vars", name), content)
	}
	if _, err := vendoring.Install(vendoring.Options{JsonnetDir: filepath.Join(dir, "jsonnet")}); err != nil {
		t.Fatal(err)
	}
	root, err := project.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// A config repository's clusters share work as a platform repository's
// do: kpgen goes around the platform library's entrypoint.
func TestConfigRepositoryShares(t *testing.T) {
	root := configProject(t, map[string]string{"a.jsonnet": "{ cluster: { name: 'a' } }\n"})
	lib, ok := render.Library(root)
	if !ok {
		t.Fatalf("the platform's entrypoint %s is not recognised as stock", root.Entrypoint())
	}
	if want := filepath.Join(root.VendorDir(), "platform", "lib", "platform.libsonnet"); lib != want {
		t.Errorf("library %s, want %s", lib, want)
	}
}

// A config repository's clusters render as plain go-jsonnet renders its
// platform's entrypoint, whether they share work or not, at any -j: the
// platform's layers, mixin and patches included, and a cluster whose vars
// the platform's schema refuses.
func TestConfigRepositoryMatchesGoJsonnet(t *testing.T) {
	root := configProject(t, map[string]string{
		"prod.jsonnet":  "{ cluster: { name: 'prod', environment: 'production' } }\n",
		"stage.jsonnet": "{ cluster: { name: 'stage', environment: 'staging' }, prometheus: { retention: '3d' } }\n",
		"other.jsonnet": "{ cluster: { name: 'other' }, preset: 'staging', mixins: { acme: { errorRatioThreshold: 0.2 } } }\n",
		"bad.jsonnet":   "{ cluster: { name: 'bad' }, preset: 'prod', mixins: { acme: { errorRatioThreshold: 2 } } }\n",
	})
	vars, err := root.AllVars()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	want := runAll(t, root, out, vars, Options{Jobs: 1, NoShare: true})
	for name, o := range want {
		comparePlain(t, root, filepath.Join(root.VarsDir(), name), o)
	}
	if !strings.Contains(want["bad.jsonnet"].err, `vars.preset: no preset named "prod" in the platform (did you mean "production"?)`) ||
		!strings.Contains(want["bad.jsonnet"].err, "vars.mixins.acme.errorRatioThreshold: 2: expected a ratio") {
		t.Errorf("bad.jsonnet: %s", want["bad.jsonnet"].err)
	}
	for _, opts := range []Options{{Jobs: 4, Shards: 2}, {Jobs: 2, Shards: 2}, {Jobs: 3}} {
		compareOutcomes(t, fmt.Sprintf("%+v", opts), want, runAll(t, root, filepath.Join(t.TempDir(), "out"), vars, opts))
	}
}

// A cluster's own patches (vars.patches, the escape hatch) are applied
// last, to that cluster only, and laid out in kustomization.yaml; the
// cluster is rendered on its own, so the clusters it is built with share
// nothing with it, and its output is plain go-jsonnet's.
func TestVarsPatches(t *testing.T) {
	root := configProject(t, map[string]string{
		"a.jsonnet": "{ cluster: { name: 'a' } }\n",
		"b.jsonnet": `{
  cluster: { name: 'b' },
  patches: [
    function(stack, cfg) stack { extra+: { configMap: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b-extra', namespace: 'monitoring' }, data: { retention: cfg.prometheus.retention } } } },
    function(stack, cfg) stack { acme+: { serviceMonitor+: { metadata+: { labels+: { patched: 'yes' } } } } },
  ],
}
`,
		"c.jsonnet":  "{ cluster: { name: 'c' }, patches: [{}] }\n",
		"c2.jsonnet": "{ cluster: { name: 'c2' }, patches: function(s, c) s }\n",
	})
	vars, err := root.AllVars()
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	got := runAll(t, root, out, vars, Options{Jobs: 2, Shards: 2})
	for name, o := range got {
		comparePlain(t, root, filepath.Join(root.VarsDir(), name), o)
	}
	b := got["b.jsonnet"].files
	if !strings.Contains(b["manifests/extra-configMap.yaml"], "retention: 15d") || !strings.Contains(b["kustomization.yaml"], "./manifests/extra-configMap.yaml") {
		t.Errorf("b: the patch's object, from its config, laid out: %q", b["manifests/extra-configMap.yaml"])
	}
	if !strings.Contains(b["manifests/acme-serviceMonitor.yaml"], "patched: \"yes\"") && !strings.Contains(b["manifests/acme-serviceMonitor.yaml"], "patched: yes") {
		t.Error("b: the second patch is missing")
	}
	if a := got["a.jsonnet"].files; strings.Contains(a["manifests/acme-serviceMonitor.yaml"], "patched") || a["manifests/extra-configMap.yaml"] != "" {
		t.Error("a has b's patches")
	}
	for _, c := range []string{"c.jsonnet", "c2.jsonnet"} {
		if !strings.Contains(got[c].err, "vars.patches: expected array of functions") {
			t.Errorf("%s: %q", c, got[c].err)
		}
	}
	compareOutcomes(t, "alone", got, runAll(t, root, filepath.Join(t.TempDir(), "out"), vars, Options{Jobs: 1, NoShare: true}))
}
