package cli

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/testutil"
)

var libPosition = regexp.MustCompile(`(jsonnet/lib/[^:\s]+):[0-9():\-]+`)

// A Jsonnet error shows the message and the user's own file:line:col first;
// the frames in kpgen's library and jsonnet/vendor only with --trace. The
// messages are golden files (testdata/inputs/, go test ./internal/cli
// -update).
func TestJsonnetErrorsShowTheUsersFilesFirst(t *testing.T) {
	dir := testutil.Project(t, map[string]string{
		"syntax.jsonnet":  "{\n  cluster: { name: 'syntax' }\n  prometheus: {},\n}\n",
		"runtime.jsonnet": "local x = error 'boom';\n{ cluster: { name: x } }\n",
		// The error is raised in a file of the user's, imported from the vars.
		"helper.jsonnet": "local h = import 'helpers/retention.libsonnet';\n{ cluster: { name: 'helper' }, prometheus: { retention: h.days(0) } }\n",
	})
	testutil.WriteFile(t, filepath.Join(dir, "vars", "helpers", "retention.libsonnet"), "{\n  days(n):: if n < 1 then error 'retention: at least one day' else '%dd' % n,\n}\n")
	for _, tt := range []struct {
		golden string
		args   []string
	}{
		{"syntax-error.txt", []string{"build", "vars/syntax.jsonnet"}},
		{"syntax-error-trace.txt", []string{"build", "--trace", "vars/syntax.jsonnet"}},
		{"runtime-error.txt", []string{"validate", "vars/runtime.jsonnet"}},
		{"runtime-error-trace.txt", []string{"validate", "--trace", "vars/runtime.jsonnet"}},
		{"helper-error.txt", []string{"diff", "vars/helper.jsonnet"}},
		{"helper-error-trace.txt", []string{"diff", "--trace", "vars/helper.jsonnet"}},
	} {
		args := append([]string{tt.args[0], "--root", dir}, tt.args[1:]...)
		args[len(args)-1] = filepath.Join(dir, args[len(args)-1])
		code, stdout, stderr := run(args...)
		if code == 0 {
			t.Errorf("kpgen %v: exit 0\n%s", tt.args, stdout)
		}
		// Positions in kpgen's own library change with every edit of it:
		// the goldens keep the files, not the lines.
		goldenText(t, tt.golden, libPosition.ReplaceAllString(stderr, "$1:…"))
		trace := strings.Contains(strings.Join(tt.args, " "), "--trace")
		if lib := strings.Contains(stderr, "jsonnet/lib/"); lib != trace {
			t.Errorf("kpgen %v: frames in jsonnet/lib shown: %v, want %v:\n%s", tt.args, lib, trace, stderr)
		}
	}
}

// An error with no frame in the user's files (here a customised
// entrypoint's) still says where it is: the innermost frame.
func TestJsonnetErrorInTheLibraryHasAPosition(t *testing.T) {
	dir := testutil.Project(t, map[string]string{"a.jsonnet": minimalVars})
	wrapEntrypoint(t, dir, `{ 'manifests/x.yaml': error 'the library is broken' }`)
	code, _, stderr := run("build", "--root", dir, filepath.Join(dir, "vars", "a.jsonnet"))
	if code != ExitFailed {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	goldenText(t, "library-error.txt", stderr)
}

func TestTraceInHelp(t *testing.T) {
	for _, cmd := range []string{"build", "validate", "diff", "bump"} {
		if code, stdout, _ := run(cmd, "--help"); code != 0 || !strings.Contains(stdout, "--trace") {
			t.Errorf("kpgen %s --help does not list --trace:\n%s", cmd, stdout)
		}
	}
}

// halfVendoredLock lists three packages; the test vendors only grafonnet.
const halfVendoredLock = `{
  "version": 1,
  "dependencies": [
    {"source": {"git": {"remote": "https://github.com/prometheus-operator/kube-prometheus.git", "subdir": "jsonnet/kube-prometheus"}}, "version": "v0.18.0", "sum": "x"},
    {"source": {"git": {"remote": "https://github.com/grafana/grafonnet.git", "subdir": "gen/grafonnet-latest"}}, "version": "1", "sum": "y"},
    {"source": {"git": {"remote": "https://github.com/kubernetes-monitoring/kubernetes-mixin.git", "subdir": ""}}, "version": "2", "sum": "z"}
  ],
  "legacyImports": false
}
`

// A half-filled jsonnet/vendor is named as such, with the packages it
// lacks and the command that fetches them, before anything is evaluated
// (it said: couldn't open import "kube-prometheus/main.libsonnet").
func TestHalfFilledVendor(t *testing.T) {
	dir := testutil.Project(t, map[string]string{"a.jsonnet": minimalVars})
	vendor := filepath.Join(dir, "jsonnet", "vendor")
	testutil.WriteFile(t, filepath.Join(dir, "jsonnet", "jsonnetfile.lock.json"), halfVendoredLock)
	os.RemoveAll(filepath.Join(vendor, "github.com", "prometheus-operator"))
	os.Remove(filepath.Join(vendor, "kube-prometheus"))
	testutil.WriteFile(t, filepath.Join(vendor, "github.com", "grafana", "grafonnet", "gen", "grafonnet-latest", "main.libsonnet"), "{}\n")
	if err := os.Symlink(filepath.Join("github.com", "grafana", "grafonnet", "gen", "grafonnet-latest"), filepath.Join(vendor, "grafonnet-latest")); err != nil {
		t.Fatal(err)
	}
	for _, cmd := range []string{"build", "validate", "diff"} {
		code, stdout, stderr := run(cmd, "--root", dir, filepath.Join(dir, "vars", "a.jsonnet"))
		if code == 0 || strings.Contains(stderr, "RUNTIME ERROR") {
			t.Errorf("%s: exit %d\n%s%s", cmd, code, stdout, stderr)
		}
		goldenText(t, "vendor-incomplete-"+cmd+".txt", strings.ReplaceAll(stderr, dir, "<root>"))
	}
	// The legacy import name is part of a package: a broken link is a
	// missing package.
	os.Remove(filepath.Join(vendor, "grafonnet-latest"))
	os.Symlink("nowhere", filepath.Join(vendor, "grafonnet-latest"))
	_, _, stderr := run("build", "--root", dir, filepath.Join(dir, "vars", "a.jsonnet"))
	if !strings.Contains(stderr, "is incomplete: kube-prometheus, grafonnet-latest, kubernetes-mixin missing (run `kpgen vendor`)") {
		t.Errorf("a broken legacy link:\n%s", stderr)
	}
}
