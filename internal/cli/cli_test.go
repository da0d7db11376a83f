package cli

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/testutil"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// run runs kpgen in-process.
func run(args ...string) (code int, stdout, stderr string) {
	var o, e bytes.Buffer
	code = Main(args, &o, &e)
	return code, o.String(), e.String()
}

func TestHelpAndUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		out  string // in stdout (code 0) or stderr
	}{
		{[]string{"--help"}, 0, "Commands:"},
		{[]string{"help", "build"}, 0, "Usage: kpgen build"},
		{[]string{"build", "--help"}, 0, "--check"},
		{[]string{"validate", "--help"}, 0, "write nothing"},
		{[]string{"vendor", "--help"}, 0, "insteadOf"},
		{[]string{"version", "--help"}, 0, "Usage: kpgen version"},
		{[]string{"version"}, 0, "kpgen "},
		{[]string{"version", "--help=false"}, 0, "kpgen "},
		{[]string{}, 2, "Commands:"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"build", "--no-such-flag"}, 2, "unknown flag: --no-such-flag"},
		{[]string{"build", "-j", "0", "x.jsonnet"}, 2, ""},
		{[]string{"vendor", "extra"}, 2, "unexpected arguments"},
		{[]string{"bump", "--help"}, 0, "staging directory"},
		{[]string{"bump"}, 2, "want exactly one"},
		{[]string{"diff", "--help"}, 0, "--format"},
		{[]string{"init", "--help"}, 0, "--platform"},
		{[]string{"vars", "--help"}, 0, "--explain"},
		{[]string{"vars"}, 2, "want exactly one CLUSTER"},
		{[]string{"init"}, 2, "--platform is required"},
		{[]string{"init", "--platform", "x", "a", "b"}, 2, "want at most one DIR"},
		{[]string{"show", "--help"}, 0, "Examples:"},
		{[]string{"seal", "--help"}, 0, "never from the command line"},
		{[]string{"help", "seal"}, 0, "--from-file"},
		{[]string{"seal", "--no-such-flag"}, 2, "unknown flag: --no-such-flag"},
		{[]string{"help", "show"}, 0, "KIND/NAMESPACE/NAME"},
		{[]string{"show"}, 2, "want a cluster name or a vars file"},
		{[]string{"show", "--no-such-flag"}, 2, "unknown flag: --no-such-flag"},
	}
	for _, tt := range tests {
		code, stdout, stderr := run(tt.args...)
		if code != tt.code {
			t.Errorf("kpgen %v: exit %d, want %d\nstdout: %s\nstderr: %s", tt.args, code, tt.code, stdout, stderr)
			continue
		}
		got := stdout
		if code != 0 {
			got = stderr
		} else if strings.Count(stdout, "Usage: kpgen") > 1 || strings.Contains(stderr, "Usage:") ||
			strings.Contains(strings.Join(tt.args, " "), "--help=false") && strings.Contains(stdout, "Usage:") {
			t.Errorf("kpgen %v: the usage is printed more than once:\nstdout: %s\nstderr: %s", tt.args, stdout, stderr)
		}
		if !strings.Contains(got, tt.out) {
			t.Errorf("kpgen %v: output does not contain %q:\n%s", tt.args, tt.out, got)
		}
	}
}

const minimalVars = "{ cluster: { name: 'standin' } }\n"

// TestBuildGolden is a krusty-style test: vars in, the whole output tree
// compared with testdata/build/<cluster>/ (go test ./internal/cli -update).
func TestBuildGolden(t *testing.T) {
	dir := testutil.Project(t, map[string]string{"standin.jsonnet": minimalVars})
	code, stdout, stderr := run("build", "--root", dir, filepath.Join(dir, "vars", "standin.jsonnet"))
	if code != 0 {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	if !strings.Contains(stdout, "SUCCESS: standin: ") {
		t.Errorf("stdout: %s", stdout)
	}
	got := testutil.Snapshot(t, filepath.Join(dir, "out", "standin"))
	compareGolden(t, got, "standin")
	if _, ok := got["kustomization.yaml"]; !ok {
		t.Error("no kustomization.yaml")
	}
}

// compareGolden compares a cluster's output tree with
// testdata/build/<name>/, which -update rewrites.
func compareGolden(t *testing.T, got map[string]string, name string) {
	t.Helper()
	golden := filepath.Join("testdata", "build", name)
	if *update {
		os.RemoveAll(golden)
		for p, content := range got {
			testutil.WriteFile(t, filepath.Join(golden, p), content)
		}
	}
	want := testutil.Snapshot(t, golden)
	if len(want) == 0 {
		t.Fatal("no golden files: run go test ./internal/cli -update")
	}
	for p := range want {
		if _, ok := got[p]; !ok {
			t.Errorf("missing %s", p)
		}
	}
	for p, content := range got {
		if w, ok := want[p]; !ok {
			t.Errorf("unexpected %s", p)
		} else if w != content {
			t.Errorf("%s differs from golden %s (run with -update and review the diff)", p, golden)
		}
	}
}

func TestBuildIsDeterministic(t *testing.T) {
	vars := map[string]string{}
	for _, c := range []string{"a", "b", "c", "d"} {
		vars[c+".jsonnet"] = "{ cluster: { name: '" + c + "' } }\n"
	}
	dir := testutil.Project(t, vars)
	outs := map[string]map[string]string{}
	for _, j := range []string{"1", "4"} {
		out := filepath.Join(t.TempDir(), "out")
		if code, o, e := run("build", "--root", dir, "--out", out, "-j", j, "--quiet"); code != 0 {
			t.Fatalf("-j %s: exit %d\n%s%s", j, code, o, e)
		}
		outs[j] = testutil.Snapshot(t, out)
	}
	if len(outs["1"]) == 0 || !reflect.DeepEqual(outs["1"], outs["4"]) {
		t.Error("serial and parallel builds differ")
	}
	// A second build into the same directory changes nothing.
	out := filepath.Join(t.TempDir(), "out")
	run("build", "--root", dir, "--out", out, "-q")
	if code, o, _ := run("build", "--root", dir, "--out", out); code != 0 || strings.Count(o, "unchanged (cached) in") != 4 {
		t.Errorf("rebuild: exit %d\n%s", code, o)
	}
	if !reflect.DeepEqual(testutil.Snapshot(t, out), outs["1"]) {
		t.Error("two builds differ")
	}
}
