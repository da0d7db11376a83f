package testutil

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// StandinRemote is the made-up https address tests publish the stand-in
// upstream at. jsonnet-bundler v0.6.0 refuses file:// remotes, so tests use
// this address and let git rewrite it to a local bare repository.
const StandinRemote = "https://git.kpgen.invalid/prometheus-operator/kube-prometheus.git"

// Git runs git in dir with a configuration isolated from the user's.
func Git(t testing.TB, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(isolatedGitEnv(),
		"GIT_AUTHOR_NAME=kpgen tests", "GIT_AUTHOR_EMAIL=tests@kpgen.invalid",
		"GIT_COMMITTER_NAME=kpgen tests", "GIT_COMMITTER_EMAIL=tests@kpgen.invalid",
		"GIT_AUTHOR_DATE=2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE=2026-01-01T00:00:00Z")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

func isolatedGitEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GIT_") {
			env = append(env, kv)
		}
	}
	return append(env, "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1", "GIT_TERMINAL_PROMPT=0")
}

// Version is one release of a repository: files (path → content) laid over
// the previous release's tree, then committed and tagged.
type Version struct {
	Tag   string
	Files map[string]string // overlay; "" content deletes the file
}

// StandinRepo publishes the stand-in upstream as a bare git repository, one
// tagged commit per version (the first version starts from testdata/standin),
// and returns the bare repository's path.
func StandinRepo(t testing.TB, versions ...Version) string {
	t.Helper()
	work := filepath.Join(t.TempDir(), "work")
	CopyTree(t, filepath.Join(RepoRoot(), "testdata", "standin"), work)
	return publish(t, work, versions)
}

// GitRepo publishes a bare repository built from nothing: one commit per
// version, tagged when the version has a tag. It returns the bare
// repository's path and the commits, in order.
func GitRepo(t testing.TB, versions ...Version) (bare string, commits []string) {
	t.Helper()
	work := filepath.Join(t.TempDir(), "work")
	os.MkdirAll(work, 0o755)
	bare = publish(t, work, versions)
	for i := range versions {
		commits = append(commits, Git(t, bare, "rev-parse", fmt.Sprintf("main~%d", len(versions)-1-i)))
	}
	return bare, commits
}

func publish(t testing.TB, work string, versions []Version) string {
	Git(t, work, "init", "-q", "-b", "main")
	for _, v := range versions {
		for p, content := range v.Files {
			if content == "" {
				os.Remove(filepath.Join(work, p))
				continue
			}
			WriteFile(t, filepath.Join(work, p), content)
		}
		Git(t, work, "add", "-A")
		Git(t, work, "commit", "-q", "--allow-empty", "-m", "release "+v.Tag)
		if v.Tag != "" {
			Git(t, work, "tag", v.Tag)
		}
	}
	bare := filepath.Join(t.TempDir(), filepath.Base(work)+".git")
	Git(t, filepath.Dir(bare), "clone", "-q", "--bare", work, bare)
	return bare
}

// GitRewriteEnv sets, for the rest of the test, a git configuration isolated
// from the user's that rewrites each remote (key) to a local path (value),
// through git's GIT_CONFIG_COUNT/KEY/VALUE environment.
func GitRewriteEnv(t testing.TB, rewrites map[string]string) {
	t.Helper()
	t.Setenv("GIT_CONFIG_GLOBAL", "/dev/null")
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_TERMINAL_PROMPT", "0")
	n := 0
	set := func(k, v string) {
		t.Setenv(fmt.Sprintf("GIT_CONFIG_KEY_%d", n), k)
		t.Setenv(fmt.Sprintf("GIT_CONFIG_VALUE_%d", n), v)
		n++
	}
	set("protocol.file.allow", "always")
	set("init.defaultBranch", "main")
	set("advice.detachedHead", "false")
	for remote, path := range rewrites {
		set("url.file://"+path+".insteadOf", remote)
	}
	t.Setenv("GIT_CONFIG_COUNT", fmt.Sprint(n))
}

// StandinJsonnetfile is a jsonnetfile.json depending on the stand-in at version.
func StandinJsonnetfile(version string) string {
	return `{
  "version": 1,
  "dependencies": [
    {
      "source": {
        "git": {
          "remote": "` + StandinRemote + `",
          "subdir": "jsonnet/kube-prometheus"
        }
      },
      "version": "` + version + `"
    }
  ],
  "legacyImports": true
}
`
}
