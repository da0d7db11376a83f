package mixintest

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/kpgen/kpgen/internal/testutil"
)

// rulesPlaceholder is what every test file's rule_files names: the test
// writes the mixin's rendered rules under that name next to a copy of the
// test file.
const rulesPlaceholder = "rendered-rules.yaml"

// promtool returns promtool's path, failing the test when it is missing:
// the rule tests are part of the suite, never skipped.
func promtool(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("promtool")
	if err != nil {
		t.Fatalf("promtool not found in PATH (%v): the mixins' rule tests need it; install it with `apt-get install prometheus` (Debian/Ubuntu) or put a Prometheus release's promtool on PATH", err)
	}
	return p
}

// ruleTests lists jsonnet/mixins/<name>/tests/*.yaml.
func ruleTests(t *testing.T, name string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(testutil.RepoRoot(), "jsonnet", "mixins", name, "tests", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("mixin %s has no rule tests (jsonnet/mixins/%s/tests/*.yaml)", name, name)
	}
	return files
}

// TestPromtoolRuleTests runs each mixin's promtool rule tests against the
// rules the mixin renders to through kpgen's library.
func TestPromtoolRuleTests(t *testing.T) {
	bin := promtool(t)
	stack := renderMixins(t)
	for _, m := range mixins {
		t.Run(m.Name, func(t *testing.T) {
			dir := t.TempDir()
			groups := ruleGroups(t, stack[m.Name].Objects["prometheusRule"])
			j, err := json.Marshal(map[string]any{"groups": groups})
			if err != nil {
				t.Fatal(err)
			}
			y, err := yaml.JSONToYAML(j)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, rulesPlaceholder), y, 0o644); err != nil {
				t.Fatal(err)
			}
			var args []string
			for _, src := range ruleTests(t, m.Name) {
				b, err := os.ReadFile(src)
				if err != nil {
					t.Fatal(err)
				}
				var head struct {
					RuleFiles []string `json:"rule_files"`
				}
				if err := yaml.Unmarshal(b, &head); err != nil {
					t.Fatalf("%s: %v", src, err)
				}
				if !reflect.DeepEqual(head.RuleFiles, []string{rulesPlaceholder}) {
					t.Fatalf("%s: rule_files must be exactly [%s] (the test puts the rendered rules there), got %q", src, rulesPlaceholder, head.RuleFiles)
				}
				dst := filepath.Join(dir, filepath.Base(src))
				if err := os.WriteFile(dst, b, 0o644); err != nil {
					t.Fatal(err)
				}
				args = append(args, filepath.Base(dst))
			}
			cmd := exec.Command(bin, append([]string{"test", "rules"}, args...)...)
			cmd.Dir = dir
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("promtool test rules %v: %v\n%s\nrendered rules:\n%s", args, err, out, y)
			}
			t.Logf("%s", out)
		})
	}
}
