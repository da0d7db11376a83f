package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/testutil"
)

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
		goldenText(t, tt.golden, stderr)
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
