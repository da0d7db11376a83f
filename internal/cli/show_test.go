package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/cache"
	"github.com/kpgen/kpgen/internal/testutil"
)

// showProject is a project of two clusters, neither named after its vars
// file, the working directory its root.
func showProject(t *testing.T) string {
	t.Helper()
	dir := testutil.Project(t, map[string]string{
		"one.jsonnet": minimalVars, // standin
		"two.json":    `{"cluster": {"name": "other"}}` + "\n",
	})
	t.Chdir(dir)
	return dir
}

// golden compares got with testdata/show/<name> (go test ./internal/cli -update).
func golden(t *testing.T, name, got string) {
	t.Helper()
	p := filepath.Join(testutil.RepoRoot(), "internal", "cli", "testdata", "show", name)
	if *update {
		testutil.WriteFile(t, p, got)
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/cli -update)", err)
	}
	if string(want) != got {
		t.Errorf("output differs from %s (run with -update and review the diff):\n%s", p, got)
	}
}

// The whole cluster, by name or by vars file, is every file a build writes,
// in path order, byte for byte, each after '---' and its '# Source:'.
func TestShowWholeCluster(t *testing.T) {
	dir := showProject(t)
	code, stdout, stderr := run("show", "standin")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	golden(t, "standin.yaml", stdout)

	// The same bytes as the build's golden tree (TestBuildGolden).
	built := testutil.Snapshot(t, filepath.Join(testutil.RepoRoot(), "internal", "cli", "testdata", "build", "standin"))
	var paths []string
	for p := range built {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var want strings.Builder
	for _, p := range paths {
		want.WriteString("---\n# Source: " + p + "\n" + built[p])
	}
	if stdout != want.String() {
		t.Error("kpgen show standin is not the files kpgen build writes (testdata/build/standin), in path order")
	}

	for _, args := range [][]string{
		{"show", "vars/one.jsonnet"},
		{"show", "./vars/one.jsonnet", "-j", "1"},
		{"show", "--root", ".", "standin"},
	} {
		if code, o, e := run(args...); code != 0 || o != stdout {
			t.Errorf("kpgen %v: exit %d, not the same output\n%s", args, code, e)
		}
	}
	// The other cluster, from a JSON vars file.
	if code, o, e := run("show", "other", "--files"); code != 0 || !strings.HasPrefix(o, "kustomization.yaml\nmanifests/") {
		t.Errorf("show other --files: exit %d\n%s%s", code, o, e)
	}
	// From outside the project: by name with --root, by vars file alone.
	t.Chdir(t.TempDir())
	for _, args := range [][]string{
		{"show", "--root", dir, "standin"},
		{"show", filepath.Join(dir, "vars", "one.jsonnet")},
	} {
		if code, o, e := run(args...); code != 0 || o != stdout {
			t.Errorf("kpgen %v: exit %d, not the same output\n%s", args, code, e)
		}
	}
	if code, _, e := run("show", "standin"); code != ExitUsage || !strings.Contains(e, "no kpgen project found") {
		t.Errorf("a name outside a project: exit %d\n%s", code, e)
	}
}

func TestShowSelectors(t *testing.T) {
	showProject(t)
	tests := []struct {
		golden string
		args   []string
	}{
		// A file by path, an object by kind (any case) and name.
		{"file.yaml", []string{"manifests/grafana-service.yaml"}},
		{"kind-name.yaml", []string{"deployment/grafana"}},
		{"kind-namespace-name.yaml", []string{"Service/monitoring/grafana"}},
		// An object in a List, alone; globs; several selectors, in their
		// order, each document once.
		{"list-item.yaml", []string{"ConfigMap/grafana-dashboard-nodes"}},
		{"namespace-glob.yaml", []string{"role/*/prometheus-k8s"}},
		{"several.yaml", []string{"service/grafana", "manifests/grafana-service.yaml", "serviceaccount/graf*", "Service/grafana"}},
		{"files.txt", []string{"--files", "manifests/setup/*", "*/grafana", "configmap/*"}},
		{"files.json", []string{"--files", "--format", "json", "./manifests/setup/*"}},
		{"json.json", []string{"--format", "json", "ConfigMap/grafana-dashboard-prometheus", "ServiceAccount/grafana"}},
	}
	for _, tt := range tests {
		t.Run(tt.golden, func(t *testing.T) {
			args := append([]string{"show", "standin"}, tt.args...)
			code, stdout, stderr := run(args...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
			}
			golden(t, tt.golden, stdout)
		})
	}
	// A whole file is the build's bytes.
	_, stdout, _ := run("show", "standin", "manifests/prometheusOperator-deployment.yaml")
	want, _ := os.ReadFile(filepath.Join(testutil.RepoRoot(), "internal", "cli", "testdata", "build", "standin", "manifests", "prometheusOperator-deployment.yaml"))
	if stdout != "---\n# Source: manifests/prometheusOperator-deployment.yaml\n"+string(want) {
		t.Errorf("not the file a build writes:\n%s", stdout)
	}
}

// --format json is one JSON array of {source, item, object}, the objects
// as rendered (what the YAML encodes).
func TestShowJSON(t *testing.T) {
	showProject(t)
	code, stdout, stderr := run("show", "standin", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	var all []struct {
		Source string         `json:"source"`
		Item   *int           `json:"item"`
		Object map[string]any `json:"object"`
	}
	if err := json.Unmarshal([]byte(stdout), &all); err != nil {
		t.Fatal(err)
	}
	_, files, _ := run("show", "standin", "--files")
	var sources []string
	for _, e := range all {
		if e.Item != nil || e.Object["kind"] == nil {
			t.Errorf("%s: item %v, kind %v", e.Source, e.Item, e.Object["kind"])
		}
		sources = append(sources, e.Source)
	}
	if strings.Join(sources, "\n")+"\n" != files {
		t.Errorf("the JSON's sources are not the files:\n%v", sources)
	}
	// PromQL keeps its '>' and '&'.
	if strings.Contains(stdout, `\u003e`) || strings.Contains(stdout, `\u0026`) {
		t.Error("HTML-escaped JSON")
	}
	_, stdout, _ = run("show", "standin", "--format", "json", "role/default/prometheus-k8s")
	var items []map[string]any
	if err := json.Unmarshal([]byte(stdout), &items); err != nil || len(items) != 1 || items[0]["item"] != float64(0) {
		t.Errorf("an item of a List: %v\n%s", err, stdout)
	}
}

func TestShowErrors(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(t *testing.T, dir string)
		args   []string
		code   int
		stderr string // exactly
	}{
		{
			name: "unknown cluster, a typo",
			args: []string{"standn"},
			code: ExitFailed,
			stderr: `kpgen show: no vars file in vars/ names a cluster "standn" (did you mean "standin"?); the clusters: other, standin
`,
		},
		{
			name: "unknown cluster, a part of a name",
			args: []string{"stand", "deployment/grafana"},
			code: ExitFailed,
			stderr: `kpgen show: no vars file in vars/ names a cluster "stand" (did you mean "standin"?); the clusters: other, standin
`,
		},
		{
			name: "unknown cluster, nothing near",
			args: []string{"prod"},
			code: ExitFailed,
			stderr: `kpgen show: no vars file in vars/ names a cluster "prod"; the clusters: other, standin
`,
		},
		{
			name: "unknown cluster, a vars file fails",
			setup: func(t *testing.T, dir string) {
				testutil.WriteFile(t, filepath.Join(dir, "vars", "broken.jsonnet"), "{ cluster: { name: 'broken' }, prometheus: { replcas: 2 } }\n")
			},
			args: []string{"prod"},
			code: ExitFailed,
			stderr: "kpgen show: no vars file in vars/ names a cluster \"prod\"; the clusters: other, standin; " +
				"the cluster name of vars/broken.jsonnet is not known: it fails to render (`kpgen validate` says why)\n",
		},
		{
			name: "the vars file named after the cluster fails",
			setup: func(t *testing.T, dir string) {
				testutil.WriteFile(t, filepath.Join(dir, "vars", "broken.jsonnet"), "{ cluster: { name: 'broken' }, prometheus: { replcas: 2 } }\n")
			},
			args: []string{"broken"},
			code: ExitFailed,
			stderr: `FAILED: vars/broken.jsonnet: invalid vars (1 problem(s)):
  vars.prometheus.replcas: unknown key (did you mean "replicas"?)
`,
		},
		{
			name: "a cluster named by two vars files",
			setup: func(t *testing.T, dir string) {
				testutil.WriteFile(t, filepath.Join(dir, "vars", "copy.jsonnet"), minimalVars)
			},
			args:   []string{"standin"},
			code:   ExitFailed,
			stderr: "kpgen show: cluster \"standin\" is named by 2 vars files (vars/copy.jsonnet, vars/one.jsonnet): give the vars file\n",
		},
		{
			name:   "a missing vars file",
			args:   []string{"vars/nope.jsonnet"},
			code:   ExitFailed,
			stderr: "FAILED: vars/nope.jsonnet: vars file: no such file or directory\n",
		},
		{
			name: "no object",
			args: []string{"standin", "deploymnt/grafana"},
			code: ExitFailed,
			stderr: `kpgen show: deploymnt/grafana matches no object of cluster standin; the closest: Deployment/grafana, Service/grafana, ServiceMonitor/grafana
`,
		},
		{
			name: "no file",
			args: []string{"standin", "manifests/grafana-Service.yaml"},
			code: ExitFailed,
			stderr: `kpgen show: manifests/grafana-Service.yaml matches no file of cluster standin; the closest: manifests/grafana-service.yaml, manifests/grafana-config.yaml, manifests/grafana-serviceAccount.yaml
`,
		},
		{
			name: "a file, mistyped, outside manifests/",
			args: []string{"standin", "manifest/setup/*"},
			code: ExitFailed,
			stderr: `kpgen show: manifest/setup/* matches nothing of cluster standin; the closest: manifests/setup/0alertmanagerCustomResourceDefinition.yaml, manifests/setup/0prometheusCustomResourceDefinition.yaml, manifests/setup/0prometheusruleCustomResourceDefinition.yaml
`,
		},
		{
			name: "every failing selector, and nothing printed",
			args: []string{"standin", "deployment/grafana", "Secret/nope", "manifests/nope.yaml"},
			code: ExitFailed,
			stderr: `kpgen show: Secret/nope matches no object of cluster standin; the closest: Secret/grafana-config, Secret/alertmanager-main, Secret/grafana-datasources
kpgen show: manifests/nope.yaml matches no file of cluster standin; the closest: manifests/grafana-config.yaml, manifests/setup/namespace.yaml, manifests/grafana-service.yaml
`,
		},
		{
			name: "a name in several namespaces",
			args: []string{"standin", "role/prometheus-k8s"},
			code: ExitFailed,
			stderr: `kpgen show: role/prometheus-k8s is ambiguous in cluster standin, 3 objects: Role/default/prometheus-k8s, Role/kube-system/prometheus-k8s, Role/monitoring/prometheus-k8s (give KIND/NAMESPACE/NAME, or a glob for all of them)
`,
		},
		{
			name: "not a selector",
			args: []string{"standin", "grafana"},
			code: ExitUsage,
			stderr: `kpgen show: grafana: want KIND/NAME, KIND/NAMESPACE/NAME or a file (manifests/…yaml)
Run 'kpgen show --help' for usage.
`,
		},
		{
			name: "a second vars file",
			args: []string{"standin", "vars/two.json"},
			code: ExitUsage,
			stderr: `kpgen show: vars/two.json: kpgen show shows one cluster; a selector is KIND/NAME, KIND/NAMESPACE/NAME or a file (manifests/…yaml)
Run 'kpgen show --help' for usage.
`,
		},
		{
			name: "a bad glob",
			args: []string{"standin", "deployment/graf[ana"},
			code: ExitUsage,
			stderr: `kpgen show: deployment/graf[ana: bad glob "graf[ana"
Run 'kpgen show --help' for usage.
`,
		},
		{
			name: "too many segments",
			args: []string{"standin", "deployment/a/b/c"},
			code: ExitUsage,
			stderr: `kpgen show: deployment/a/b/c: want KIND/NAME, KIND/NAMESPACE/NAME or a file (manifests/…yaml)
Run 'kpgen show --help' for usage.
`,
		},
		{
			name: "an unknown format",
			args: []string{"standin", "--format", "xml"},
			code: ExitUsage,
			stderr: `kpgen show: unknown --format "xml" (want yaml or json)
Run 'kpgen show --help' for usage.
`,
		},
		{
			name: "no cluster",
			args: []string{},
			code: ExitUsage,
			stderr: `kpgen show: want a cluster name or a vars file
Run 'kpgen show --help' for usage.
`,
		},
		{
			name: "no vendor",
			setup: func(t *testing.T, dir string) {
				os.RemoveAll(filepath.Join(dir, "jsonnet", "vendor"))
			},
			args:   []string{"standin"},
			code:   ExitFailed,
			stderr: "kpgen show: jsonnet/vendor is missing or empty: run `kpgen vendor` (or ./build.sh) to fetch the Jsonnet dependencies\n",
		},
		{
			name: "a Jsonnet error",
			setup: func(t *testing.T, dir string) {
				testutil.WriteFile(t, filepath.Join(dir, "vars", "one.jsonnet"), "local x = error 'boom';\n{ cluster: { name: x } }\n")
			},
			args: []string{"vars/one.jsonnet"},
			code: ExitFailed,
			stderr: `FAILED: vars/one.jsonnet: jsonnet evaluation failed:
RUNTIME ERROR: boom
	vars/one.jsonnet:1:11-23	thunk <x> from <$>
	vars/one.jsonnet:2:20-21	object <anonymous>
	(and N frame(s) in jsonnet/lib and jsonnet/vendor: --trace shows them)
`,
		},
		{
			name: "a cluster that fails validation",
			setup: func(t *testing.T, dir string) {
				wrapEntrypoint(t, dir, strings.Replace(badRuleFile, "%s", `[{ alert: 'Broken', expr: 'sum(rate(up[5m])' }]`, 1))
			},
			args: []string{"standin", "deployment/grafana"},
			code: ExitFailed,
			stderr: `FAILED: standin (vars/one.jsonnet): 2 problem(s), nothing shown (--no-validate shows it all the same):
  manifests/extra-prometheusRule.yaml: not listed in kustomization.yaml's resources: kubectl apply -k and ArgoCD would not apply it (lay it out with the stack's objects, or list it)
  manifests/extra-prometheusRule.yaml: PrometheusRule monitoring/extra-rules: group "extra.rules": alert "Broken": could not parse expression: 1:17: parse error: unclosed left parenthesis
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := showProject(t)
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			code, stdout, stderr := run(append([]string{"show"}, tt.args...)...)
			if code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
			// The library's frames come and go with it; the vendor's path is absolute.
			stderr = regexp.MustCompile(`\(and \d+ frame`).ReplaceAllString(stderr, "(and N frame")
			stderr = strings.ReplaceAll(stderr, dir+string(filepath.Separator), "")
			if stderr != tt.stderr {
				t.Errorf("stderr:\n%s\nwant:\n%s", stderr, tt.stderr)
			}
			if stdout != "" {
				t.Errorf("stdout is not empty:\n%.500s", stdout)
			}
		})
	}
}

// A Jsonnet error shows the user's frames; --trace the library's too.
func TestShowTrace(t *testing.T) {
	dir := showProject(t)
	testutil.WriteFile(t, filepath.Join(dir, "vars", "one.jsonnet"), "local x = error 'boom';\n{ cluster: { name: x } }\n")
	code, _, stderr := run("show", "--trace", "vars/one.jsonnet")
	if code != ExitFailed || !strings.Contains(stderr, "vars/one.jsonnet:1:11-23") || !strings.Contains(stderr, "jsonnet/lib/") || strings.Contains(stderr, "--trace shows them") {
		t.Errorf("exit %d\n%s", code, stderr)
	}
}

// --no-validate shows a cluster that fails validation; the vars are still
// checked.
func TestShowNoValidate(t *testing.T) {
	dir := showProject(t)
	wrapEntrypoint(t, dir, strings.Replace(badRuleFile, "%s", `[{ alert: 'Broken', expr: 'sum(rate(up[5m])' }]`, 1))
	code, stdout, stderr := run("show", "--no-validate", "standin", "prometheusrule/extra-rules")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	golden(t, "no-validate.yaml", stdout)
	if code, _, _ := run("show", "standin", "prometheusrule/extra-rules"); code != ExitFailed {
		t.Errorf("without --no-validate: exit %d", code)
	}
	testutil.WriteFile(t, filepath.Join(dir, "vars", "one.jsonnet"), "{ cluster: { name: 'standin' }, prometheus: { replcas: 2 } }\n")
	code, _, stderr = run("show", "--no-validate", "vars/one.jsonnet")
	if code != ExitFailed || !strings.Contains(stderr, `vars.prometheus.replcas: unknown key`) {
		t.Errorf("bad vars with --no-validate: exit %d\n%s", code, stderr)
	}
}

// show writes nothing: not out/ (absent or built), not the cache.
func TestShowWritesNothing(t *testing.T) {
	cacheDir := t.TempDir()
	t.Setenv(cache.Env, cacheDir)
	// The user's cache directory is a temporary one too: other kpgen runs on
	// a shared machine may write to the real one meanwhile.
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	t.Setenv("HOME", t.TempDir())
	userCache := ""
	if base, err := os.UserCacheDir(); err == nil {
		userCache = filepath.Join(base, "kpgen")
	}
	dir := showProject(t)
	out := filepath.Join(dir, "out")
	shows := [][]string{
		{"show", "standin"},
		{"show", "vars/two.json", "--format", "json"},
		{"show", "standin", "--files", "deployment/grafana"},
		{"show", "standin", "nope/nope"},
		{"show", "--no-validate", "standin"},
		{"show", "nope"},
	}
	runAll := func() {
		t.Helper()
		for _, args := range shows {
			if code, _, stderr := run(args...); code != 0 && !strings.Contains(stderr, "nope") {
				t.Fatalf("kpgen %v: exit %d\n%s", args, code, stderr)
			}
		}
	}
	userBefore := testutil.Snapshot(t, userCache)
	runAll()
	if _, err := os.Lstat(out); !os.IsNotExist(err) {
		t.Errorf("show created out/: %v", err)
	}
	if s := testutil.Snapshot(t, cacheDir); len(s) > 0 {
		t.Errorf("show wrote the cache: %v", s)
	}
	// After a build: out/ and the cache stay as they are.
	if code, o, e := run("build", "-q"); code != 0 {
		t.Fatalf("build: exit %d\n%s%s", code, o, e)
	}
	outBefore, cacheBefore := testutil.Snapshot(t, out), testutil.Snapshot(t, cacheDir)
	if len(outBefore) == 0 || len(cacheBefore) == 0 {
		t.Fatal("the build wrote no out/ or no cache")
	}
	runAll()
	if !reflect.DeepEqual(outBefore, testutil.Snapshot(t, out)) {
		t.Error("show changed out/")
	}
	if !reflect.DeepEqual(cacheBefore, testutil.Snapshot(t, cacheDir)) {
		t.Error("show changed the cache")
	}
	if !reflect.DeepEqual(userBefore, testutil.Snapshot(t, userCache)) {
		t.Errorf("show changed %s", userCache)
	}
	if rest, _ := os.ReadDir(filepath.Join(out, ".kpgen-tmp")); len(rest) > 0 {
		t.Error("show left a temporary tree")
	}
}
