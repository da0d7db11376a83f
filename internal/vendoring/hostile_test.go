package vendoring

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/testutil"
)

// jsonnetfile writes a jsonnetfile.json with one git dependency.
func gitJsonnetfile(remote, subdir, version, name string) string {
	return `{"version": 1, "legacyImports": true, "dependencies": [{"source": {"git": {"remote": "` + remote +
		`", "subdir": "` + subdir + `"}}, "version": "` + version + `", "name": "` + name + `"}]}` + "\n"
}

// A jsonnetfile — the project's, or one a fetched package brings — cannot
// make vendoring remove, move or link anything outside jsonnet/vendor, nor
// pass an option to git: each is refused, naming the file and dependency,
// and the victim beside the project stays as it was.
func TestHostileJsonnetfiles(t *testing.T) {
	deep := "https://git.kpgen.invalid/a/b/c/d/e/platform.git"
	// A package whose own jsonnetfile reaches out.
	evil, _ := testutil.GitRepo(t, testutil.Version{Tag: "v1", Files: map[string]string{
		"jsonnet/main.libsonnet":   "{}\n",
		"jsonnet/jsonnetfile.json": gitJsonnetfile(deep, "../../../../../../../../victim", "v1", "x"),
	}})
	plain, _ := testutil.GitRepo(t, testutil.Version{Tag: "v1", Files: map[string]string{"jsonnet/main.libsonnet": "{}\n"}})
	testutil.GitRewriteEnv(t, map[string]string{
		"https://git.kpgen.invalid/evil/platform.git": evil,
		deep: plain,
	})
	tests := []struct {
		name, jsonnetfile, lock, want string
	}{
		{"a subdir out of vendor", gitJsonnetfile(deep, "../../../../../../victim", "v1", "p"), "",
			`jsonnetfile.json: dependency "git.kpgen.invalid/a/b/c/d/e/platform/../../../../../../victim": its path in jsonnet/vendor "git.kpgen.invalid/a/b/c/d/e/platform/../../../../../../victim" has a part ".."`},
		{"a fetched package's subdir out of vendor", gitJsonnetfile("https://git.kpgen.invalid/evil/platform.git", "jsonnet", "v1", "evil"), "",
			`git.kpgen.invalid/evil/platform/jsonnet/jsonnetfile.json: dependency "git.kpgen.invalid/a/b/c/d/e/platform/../../../../../../../../victim"`},
		{"a name out of vendor", gitJsonnetfile(deep, "jsonnet", "v1", "../../../victim"), "",
			`name "../../../victim": not a single directory name`},
		{"a version that is an option to git", gitJsonnetfile(deep, "jsonnet", "--upload-pack=touch PWNED;git-upload-pack", "p"), "",
			`version "--upload-pack=touch PWNED;git-upload-pack" is empty or starts with '-'`},
		{"a locked version that is an option to git", gitJsonnetfile(deep, "jsonnet", "v1", "p"),
			`{"version": 1, "dependencies": [{"source": {"git": {"remote": "` + deep + `", "subdir": "jsonnet"}}, "version": "--upload-pack=touch PWNED;git-upload-pack", "sum": "x"}]}`,
			`jsonnetfile.lock.json: dependency git.kpgen.invalid/a/b/c/d/e/platform/jsonnet: version "--upload-pack=touch PWNED;git-upload-pack"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parent := t.TempDir()
			victim := filepath.Join(parent, "victim")
			testutil.WriteFile(t, filepath.Join(victim, "data"), "precious\n")
			dir := filepath.Join(parent, "project", "jsonnet")
			testutil.WriteFile(t, filepath.Join(dir, File), tt.jsonnetfile)
			if tt.lock != "" {
				testutil.WriteFile(t, filepath.Join(dir, LockFile), tt.lock)
			}
			t.Chdir(dir)
			_, err := Install(Options{JsonnetDir: dir})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v\nwant an error containing %s", err, tt.want)
			}
			if b, err := os.ReadFile(filepath.Join(victim, "data")); err != nil || string(b) != "precious\n" {
				t.Errorf("the directory beside the project changed: %q %v", b, err)
			}
			if entries, _ := os.ReadDir(parent); len(entries) != 2 {
				t.Errorf("vendoring wrote beside the project: %v", entries)
			}
			if _, err := os.Stat(filepath.Join(dir, "PWNED")); err == nil {
				t.Error("git ran an option given as a version")
			}
		})
	}
}
