package cli

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/testutil"
)

// wrapEntrypoint makes the project's entrypoint add extra files (Jsonnet
// object fields) to whatever the library renders, to inject bad output.
func wrapEntrypoint(t *testing.T, dir, extra string) {
	lib := filepath.Join(dir, "jsonnet", "lib")
	if _, err := os.Stat(filepath.Join(lib, "real-main.jsonnet")); err != nil { // not wrapped yet
		if err := os.Rename(filepath.Join(lib, "main.jsonnet"), filepath.Join(lib, "real-main.jsonnet")); err != nil {
			t.Fatal(err)
		}
	}
	testutil.WriteFile(t, filepath.Join(lib, "main.jsonnet"),
		"function(vars) local s = (import 'real-main.jsonnet')(vars); s { files+: "+extra+" }\n")
}

const badRuleFile = `{
  'manifests/extra-prometheusRule.yaml': {
    apiVersion: 'monitoring.coreos.com/v1', kind: 'PrometheusRule',
    metadata: { name: 'extra-rules', namespace: 'monitoring' },
    spec: { groups: [{ name: 'extra.rules', rules: %s }] },
  },
}`

func TestBuildErrorsLeaveOutputUnchanged(t *testing.T) {
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string) // breaks the project after a good build
		vars  string                         // vars file to build (default standin.jsonnet)
		want  []string                       // in stderr
	}{
		{
			name: "jsonnet syntax error in vars",
			setup: func(t *testing.T, dir string) {
				testutil.WriteFile(t, filepath.Join(dir, "vars", "standin.jsonnet"), "{\n  cluster: { name: 'standin' }\n  prometheus: {},\n}\n")
			},
			want: []string{"FAILED: vars/standin.jsonnet", "jsonnet evaluation failed", "vars/standin.jsonnet:3:3"},
		},
		{
			name: "runtime error in vars keeps the stack trace",
			setup: func(t *testing.T, dir string) {
				testutil.WriteFile(t, filepath.Join(dir, "vars", "standin.jsonnet"), "local x = error 'boom';\n{ cluster: { name: x } }\n")
			},
			want: []string{"RUNTIME ERROR: boom", "vars/standin.jsonnet:1:11"},
		},
		{
			name: "invalid PromQL",
			setup: func(t *testing.T, dir string) {
				wrapEntrypoint(t, dir, strings.Replace(badRuleFile, "%s", `[{ alert: 'Broken', expr: 'sum(rate(up[5m])' }]`, 1))
			},
			want: []string{`FAILED: standin (`, `manifests/extra-prometheusRule.yaml: PrometheusRule monitoring/extra-rules: group "extra.rules": alert "Broken": could not parse expression`, "nothing written"},
		},
		{
			name: "duplicate rule",
			setup: func(t *testing.T, dir string) {
				r := `{ alert: 'Twice', expr: 'up == 0', labels: { severity: 'warning' } }`
				wrapEntrypoint(t, dir, strings.Replace(badRuleFile, "%s", "["+r+","+r+"]", 1))
			},
			want: []string{`group "extra.rules": alert "Twice": duplicate rule`},
		},
		{
			name: "bad output path",
			setup: func(t *testing.T, dir string) {
				wrapEntrypoint(t, dir, `{ '../../escape.yaml': { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } } }`)
			},
			want: []string{`../../escape.yaml: bad output path`},
		},
		{
			name: "missing vendor",
			setup: func(t *testing.T, dir string) {
				os.RemoveAll(filepath.Join(dir, "jsonnet", "vendor"))
			},
			want: []string{"jsonnet/vendor is missing or empty: run `kpgen vendor`"},
		},
		{
			name: "no cluster name",
			setup: func(t *testing.T, dir string) {
				testutil.WriteFile(t, filepath.Join(dir, "vars", "standin.jsonnet"), "{ cluster: {} }\n")
			},
			want: []string{"vars/standin.jsonnet: invalid vars", "vars.cluster.name"},
		},
		{
			name: "missing vars file",
			vars: "nope.jsonnet",
			want: []string{"vars file", "nope.jsonnet", "no such file or directory"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := testutil.Project(t, map[string]string{"standin.jsonnet": minimalVars})
			vars := filepath.Join(dir, "vars", "standin.jsonnet")
			if code, o, e := run("build", "--root", dir, vars); code != 0 {
				t.Fatalf("first build: exit %d\n%s%s", code, o, e)
			}
			before := testutil.Snapshot(t, filepath.Join(dir, "out"))
			if tt.setup != nil {
				tt.setup(t, dir)
			}
			if tt.vars != "" {
				vars = filepath.Join(dir, "vars", tt.vars)
			}
			code, stdout, stderr := run("build", "--root", dir, vars)
			if code != ExitFailed {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, ExitFailed, stdout, stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr does not contain %q:\n%s", w, stderr)
				}
			}
			if after := testutil.Snapshot(t, filepath.Join(dir, "out")); !reflect.DeepEqual(before, after) {
				t.Error("out/ changed after a failed build")
			}
			if _, err := os.Stat(filepath.Join(dir, "escape.yaml")); err == nil {
				t.Error("a file was written outside out/")
			}
		})
	}
}

func TestOneFailingClusterDoesNotStopTheOthers(t *testing.T) {
	dir := testutil.Project(t, map[string]string{
		"a.jsonnet":   "{ cluster: { name: 'a' } }\n",
		"bad.jsonnet": "{ cluster: { name: 'bad' }, \n",
		"c.jsonnet":   "{ cluster: { name: 'c' } }\n",
	})
	code, stdout, stderr := run("build", "--root", dir, "-j", "2")
	if code != ExitFailed {
		t.Fatalf("exit %d, want 1", code)
	}
	for _, c := range []string{"a", "c"} {
		if _, err := os.Stat(filepath.Join(dir, "out", c, "kustomization.yaml")); err != nil {
			t.Errorf("cluster %s was not built: %v", c, err)
		}
	}
	if !strings.Contains(stderr, "FAILED: vars/bad.jsonnet") || !strings.Contains(stderr, "3 clusters: 2 ok, 1 failed") {
		t.Errorf("stdout: %s\nstderr: %s", stdout, stderr)
	}
}

// A build of every cluster includes vars/*.json (the README allows JSON
// vars), and builds them as a build naming them does.
func TestBuildAllIncludesJSONVars(t *testing.T) {
	dir := testutil.Project(t, map[string]string{
		"a.jsonnet": "{ cluster: { name: 'a' } }\n",
		"b.json":    `{"cluster": {"name": "b"}, "prometheus": {"retention": "3d"}}` + "\n",
	})
	code, stdout, stderr := run("build", "--root", dir)
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "2 clusters: 2 ok, 0 failed") {
		t.Errorf("stdout: %s", stdout)
	}
	b, err := os.ReadFile(filepath.Join(dir, "out", "b", "manifests", "prometheus-prometheus.yaml"))
	if err != nil || !strings.Contains(string(b), "retention: 3d") {
		t.Errorf("cluster b (vars/b.json) was not built from its vars: %v\n%s", err, b)
	}
}

// Two vars files naming one cluster fail the whole run before anything is
// written: not the second cluster only, after the first was written (issue
// 9, case 2).
func TestTwoVarsFilesNamingOneCluster(t *testing.T) {
	dir := testutil.Project(t, map[string]string{
		"a.jsonnet": "{ cluster: { name: 'same' } }\n",
		"b.jsonnet": "{ cluster: { name: 'same' }, prometheus: { replicas: 3 } }\n",
		"c.jsonnet": "{ cluster: { name: 'other' } }\n",
	})
	code, _, stderr := run("build", "--root", dir)
	for _, want := range []string{
		`FAILED: same (vars/a.jsonnet): cluster "same" is built from 2 vars files (vars/a.jsonnet, vars/b.jsonnet): each cluster needs its own name; nothing is written`,
		`FAILED: same (vars/b.jsonnet): cluster "same" is built from 2 vars files`,
		`FAILED: other (vars/c.jsonnet): not built: 2 vars files name a cluster another one names`,
		"3 clusters: 0 ok, 3 failed",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr lacks %q", want)
		}
	}
	if code != ExitFailed {
		t.Errorf("exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); !os.IsNotExist(err) {
		t.Errorf("out/ was written: %v\n%s", testutil.Snapshot(t, filepath.Join(dir, "out")), stderr)
	}
}

// A customised entrypoint is honoured when several clusters are built
// together too (they then do not share work: see render.Library); a file it
// adds must be listed in kustomization.yaml, or kubectl apply -k would skip
// it: kpgen refuses to write it unlisted.
func TestCustomEntrypointWithManyClusters(t *testing.T) {
	dir := testutil.Project(t, map[string]string{"a.jsonnet": "{ cluster: { name: 'a' } }\n", "b.jsonnet": "{ cluster: { name: 'b' } }\n"})
	extra := `{ 'manifests/extra-configMap.yaml': { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'extra', namespace: 'monitoring' } } }`
	wrapEntrypoint(t, dir, extra)
	code, _, stderr := run("build", "--root", dir, "-j", "2")
	if code != ExitFailed || !strings.Contains(stderr, "manifests/extra-configMap.yaml: not listed in kustomization.yaml's resources: kubectl apply -k and ArgoCD would not apply it") {
		t.Fatalf("an unlisted file: exit %d\n%s", code, stderr)
	}
	wrapEntrypoint(t, dir, strings.TrimSuffix(extra, " }")+`, 'kustomization.yaml'+: { resources+: ['./manifests/extra-configMap.yaml'] } }`)
	if code, o, e := run("build", "--root", dir, "-j", "2"); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, o, e)
	}
	for _, c := range []string{"a", "b"} {
		if _, err := os.Stat(filepath.Join(dir, "out", c, "manifests", "extra-configMap.yaml")); err != nil {
			t.Errorf("cluster %s: the entrypoint's extra file is missing: %v", c, err)
		}
	}
}

// A customised entrypoint that changes upstream's files is honoured when
// one cluster is spread over several VMs: its units read files through the
// entrypoint's files, not through the library's index.
func TestCustomEntrypointChangingFiles(t *testing.T) {
	dir := testutil.Project(t, map[string]string{"a.jsonnet": "{ cluster: { name: 'a' } }\n"})
	wrapEntrypoint(t, dir, `{ [k]+: { metadata+: { labels+: { wrapped: 'yes' } } } for k in std.objectFields(super.files) if std.endsWith(k, 'serviceAccount.yaml') }`)
	if code, o, e := run("build", "--root", dir, "-j", "3"); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, o, e)
	}
	matches, _ := filepath.Glob(filepath.Join(dir, "out", "a", "manifests", "*serviceAccount.yaml"))
	if len(matches) == 0 {
		t.Fatal("no ServiceAccount files")
	}
	for _, m := range matches {
		if b, _ := os.ReadFile(m); !strings.Contains(string(b), "wrapped: \"yes\"") && !strings.Contains(string(b), "wrapped: yes") {
			t.Errorf("%s lost the entrypoint's label:\n%s", filepath.Base(m), b)
		}
	}
}
