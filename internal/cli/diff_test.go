package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/testutil"
)

func runCLI(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Main(args, &out, &errb)
	return code, out.String(), errb.String()
}

// editRuleFor changes the first `for:` of a PrometheusRule file in dir and
// returns the old value.
func editRuleFor(t *testing.T, dir, to string) (file, old string) {
	t.Helper()
	files, _ := filepath.Glob(filepath.Join(dir, "manifests", "*.yaml"))
	re := regexp.MustCompile(`(?m)^(\s+for: )(\S+)$`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(b, []byte("kind: PrometheusRule")) {
			continue
		}
		if m := re.FindSubmatchIndex(b); m != nil {
			old = string(b[m[4]:m[5]])
			b = append(b[:m[4]:m[4]], append([]byte(to), b[m[5]:]...)...)
			if err := os.WriteFile(f, b, 0o644); err != nil {
				t.Fatal(err)
			}
			return f, old
		}
	}
	t.Fatal("no PrometheusRule with a `for` in the output")
	return "", ""
}

func TestDiffCommand(t *testing.T) {
	dir := testutil.Project(t, map[string]string{"a.jsonnet": "{cluster: {name: 'a'}}"})
	out := filepath.Join(dir, "out", "a")

	// Nothing built yet: everything is new.
	code, stdout, stderr := runCLI(t, "diff", "--root", dir)
	if code != ExitChanged || !strings.Contains(stdout, "new output") {
		t.Fatalf("diff before build: exit %d, stdout:\n%s\nstderr:\n%s", code, stdout, stderr)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("diff wrote out/a")
	}

	if code, _, stderr := runCLI(t, "build", "--root", dir, "-q"); code != ExitOK {
		t.Fatalf("build: exit %d: %s", code, stderr)
	}
	snap := testutil.Snapshot(t, out)

	// Built: no change, for every format.
	for _, format := range []string{"text", "markdown", "json"} {
		code, stdout, stderr := runCLI(t, "diff", "--root", dir, "--format", format)
		if code != ExitOK {
			t.Errorf("--format %s after build: exit %d, stdout:\n%s\nstderr:\n%s", format, code, stdout, stderr)
		}
		if format == "text" && !strings.Contains(stdout, "no changes") {
			t.Errorf("text after build does not say no changes:\n%s", stdout)
		}
	}

	// A hand edit: the diff names the rule's `for` going back.
	file, old := editRuleFor(t, out, "999m")
	code, stdout, stderr = runCLI(t, "diff", "--root", dir, "--no-color", filepath.Join(dir, "vars", "a.jsonnet"))
	if code != ExitChanged {
		t.Fatalf("after an edit: exit %d, want %d; stdout:\n%s\nstderr:\n%s", code, ExitChanged, stdout, stderr)
	}
	for _, want := range []string{"rules: 1 changed", "for: 999m → " + old, "~ alert "} {
		if !strings.Contains(stdout, want) {
			t.Errorf("text report lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, "\033[") {
		t.Error("--no-color output holds escape sequences")
	}

	// Markdown and JSON say the same.
	code, stdout, _ = runCLI(t, "diff", "--root", dir, "--format", "markdown")
	if code != ExitChanged || !strings.Contains(stdout, "`for`: `999m` → `"+old+"`") {
		t.Errorf("markdown: exit %d:\n%s", code, stdout)
	}
	code, stdout, _ = runCLI(t, "diff", "--root", dir, "--format", "json")
	var rep struct {
		Changed bool
		Groups  []struct {
			Clusters []string
			Counts   struct{ Rules struct{ Changed int } }
		}
	}
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil || code != ExitChanged {
		t.Fatalf("json: exit %d, %v:\n%s", code, err, stdout)
	}
	if !rep.Changed || len(rep.Groups) != 1 || rep.Groups[0].Clusters[0] != "a" || rep.Groups[0].Counts.Rules.Changed != 1 {
		t.Errorf("json: %+v", rep)
	}

	// A renamed file still holds the same object.
	renamed := filepath.Join(out, "manifests", "renamed.yaml")
	if err := os.Rename(file, renamed); err != nil {
		t.Fatal(err)
	}
	_, stdout, _ = runCLI(t, "diff", "--root", dir)
	rel, _ := filepath.Rel(out, file)
	if !strings.Contains(stdout, "file: manifests/renamed.yaml → "+filepath.ToSlash(rel)) || strings.Contains(stdout, "+ PrometheusRule") {
		t.Errorf("renamed file:\n%s", stdout)
	}

	// diff never writes.
	os.Rename(renamed, file)
	got := testutil.Snapshot(t, out)
	for p, content := range snap {
		if got[p] != content && !strings.HasSuffix(file, filepath.FromSlash(p)) {
			t.Errorf("diff changed %s", p)
		}
	}
}

func TestDiffCommandErrors(t *testing.T) {
	dir := testutil.Project(t, map[string]string{
		"a.jsonnet":      "{cluster: {name: 'a'}}",
		"broken.jsonnet": "{cluster: {name: 'broken'}} +",
	})
	if code, _, stderr := runCLI(t, "build", "--root", dir, "-q", filepath.Join(dir, "vars", "a.jsonnet")); code != ExitOK {
		t.Fatalf("build: exit %d: %s", code, stderr)
	}
	code, stdout, stderr := runCLI(t, "diff", "--root", dir, "-q")
	if code != 2 {
		t.Errorf("a cluster fails to render: exit %d, want 2", code)
	}
	if !strings.Contains(stderr, "FAILED: ") || !strings.Contains(stdout, "FAILED: ") {
		t.Errorf("failure not reported; stdout:\n%s\nstderr:\n%s", stdout, stderr)
	}
	if !strings.Contains(stdout, "unchanged: a") {
		t.Errorf("the other cluster is not reported:\n%s", stdout)
	}

	if code, _, stderr := runCLI(t, "diff", "--root", dir, "--format", "yaml"); code != 2 || !strings.Contains(stderr, "--format") {
		t.Errorf("bad --format: exit %d: %s", code, stderr)
	}
	if code, stdout, _ := runCLI(t, "diff", "--help"); code != ExitOK || !strings.Contains(stdout, "Exit status") {
		t.Errorf("--help: exit %d:\n%s", code, stdout)
	}
}
