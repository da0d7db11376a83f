package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/testutil"
)

// A vars file (or anything it imports) reads only the project's files: not
// the process's environment, not a key beside the project, not through a
// link the repository commits — each is refused by name, nothing written,
// the secret in no output. The project's own files import as before.
func TestImportsConfinedToTheProject(t *testing.T) {
	outside := filepath.Join(t.TempDir(), "secret")
	testutil.WriteFile(t, outside, "TOPSECRET123\n")
	tests := []struct {
		name, expr, want string
		link             bool
	}{
		{"an absolute path", "importstr '" + outside + "'", "is outside the project", false},
		{"the environment", "importstr '/proc/self/environ'", "/proc/self/environ is outside the project", false},
		{"a relative path out of the project", "importstr '" + strings.Repeat("../", 12) + strings.TrimPrefix(outside, "/") + "'", "is outside the project", false},
		{"a committed link out of the project", "importstr 'leak.txt'", "leak.txt is a link out of the project", true},
		{"a file of the project", "importstr 'label.txt'", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := testutil.Project(t, map[string]string{
				"c.jsonnet": "{ cluster: { name: 'c' }, prometheus: { externalLabels: { env: std.stripChars(" + tt.expr + ", '\\n') } } }\n",
				"label.txt": "prod\n",
			})
			if tt.link {
				if err := os.Symlink(outside, filepath.Join(dir, "vars", "leak.txt")); err != nil {
					t.Fatal(err)
				}
			}
			code, stdout, stderr := run("build", "--root", dir)
			written, _ := os.ReadFile(filepath.Join(dir, "out", "c", "manifests", "prometheus-prometheus.yaml"))
			if tt.want == "" {
				if code != 0 || !strings.Contains(string(written), "env: prod") {
					t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
				}
				return
			}
			if code != ExitFailed || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, want a failure saying %q:\n%s%s", code, tt.want, stdout, stderr)
			}
			if strings.Contains(stdout+stderr+string(written), "TOPSECRET123") {
				t.Error("the secret is in kpgen's output")
			}
			if _, err := os.Stat(filepath.Join(dir, "out", "c")); err == nil {
				t.Error("a refused import wrote the cluster")
			}
		})
	}
}
