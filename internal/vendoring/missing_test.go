package vendoring

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"unicode/utf8"

	"github.com/jsonnet-bundler/jsonnet-bundler/spec/v1/deps"

	"github.com/kpgen/kpgen/internal/testutil"
)

// Missing reads the lock itself, for speed: it must name every package as
// jsonnet-bundler does. The repository's own lock, and one with the odd
// cases: remotes of every form, a local package, an old "name", a repeated
// package.
func TestLockedPackagesAsJsonnetBundler(t *testing.T) {
	real, err := os.ReadFile(filepath.Join(testutil.RepoRoot(), "jsonnet", LockFile))
	if err != nil {
		t.Fatal(err)
	}
	odd := `{"version": 1, "dependencies": [
	  {"source": {"git": {"remote": "https://github.com/a/kube-prometheus.git", "subdir": "jsonnet/kube-prometheus"}}, "version": "1"},
	  {"source": {"git": {"remote": "https://gitlab.example.com/group/sub/repo.git", "subdir": "/lib/"}}, "version": "1"},
	  {"source": {"git": {"remote": "ssh://git@github.com/c/d.git", "subdir": ""}}, "version": "1"},
	  {"source": {"git": {"remote": "git@github.com:e/f.git", "subdir": "x"}}, "version": "1"},
	  {"source": {"git": {"remote": "https://github.com/g/h", "subdir": ""}}, "version": "1"},
	  {"source": {"git": {"remote": "https://github.com/k/l.git.git", "subdir": ""}}, "version": "1"},
	  {"source": {"git": {"remote": "https://github.com/m/n.git"}}, "version": "1", "name": "old-name"},
	  {"source": {"local": {"directory": "../mine"}}, "version": ""},
	  {"source": {"git": {"remote": "https://github.com/a/kube-prometheus.git", "subdir": "jsonnet/kube-prometheus"}}, "version": "2", "name": "again"}
	]}`
	for name, lock := range map[string]string{"the repository's lock": string(real), "odd": odd} {
		for _, legacy := range []string{`true`, `false`, ``} {
			dir := filepath.Join(t.TempDir(), "jsonnet")
			jf := `{"version": 1, "dependencies": []}`
			if legacy != "" {
				jf = `{"version": 1, "dependencies": [], "legacyImports": ` + legacy + `}`
			}
			testutil.WriteFile(t, filepath.Join(dir, File), jf)
			testutil.WriteFile(t, filepath.Join(dir, LockFile), lock)
			got, gotLegacy, err := lockedPackages(dir)
			if err != nil {
				t.Fatal(err)
			}
			f, l, err := load(dir)
			if err != nil {
				t.Fatal(err)
			}
			var want []lockedPackage
			for _, k := range l.Dependencies.Keys() {
				d, _ := l.Dependencies.Get(k)
				want = append(want, lockedPackage{name: k, legacy: d.LegacyName()})
			}
			if !reflect.DeepEqual(got, want) || gotLegacy != f.LegacyImports {
				t.Errorf("%s, legacyImports %q:\ngot  %v %v\nwant %v %v (jsonnet-bundler)", name, legacy, got, gotLegacy, want, f.LegacyImports)
			}
		}
	}
}

// FuzzRemoteName: kpgen names a git remote's package as jsonnet-bundler
// does, or fails where it fails.
func FuzzRemoteName(f *testing.F) {
	for _, r := range []string{
		"https://github.com/prometheus-operator/kube-prometheus.git", "https://gitlab.com/a/b/c.git", "https://github.com/a/b",
		"ssh://git@github.com/a/b.git", "git@github.com:a/b.git", "https://h.com/u/r.git/x.git", "https://a.b.c/u/r.git",
		"https://x.io:22/u/r.git", "https://h.com/u/r.git@v1", "http://h.com/u/r.git", "https://1.2.3.4/u/r.git",
	} {
		f.Add(r)
	}
	f.Fuzz(func(t *testing.T, remote string) {
		if !utf8.ValidString(remote) {
			t.Skip("a lock is JSON: UTF-8")
		}
		js, _ := json.Marshal(map[string]string{"remote": remote})
		var g deps.Git
		jbErr := json.Unmarshal(js, &g)
		name, repo, ok := remoteName(remote)
		if ok != (jbErr == nil) {
			t.Fatalf("remoteName(%q): ok %v; jsonnet-bundler: %v", remote, ok, jbErr)
		}
		if ok && (name != g.Name() || filepath.Base(repo) != g.LegacyName()) {
			t.Fatalf("remoteName(%q) = %q, %q; jsonnet-bundler: %q, %q", remote, name, filepath.Base(repo), g.Name(), g.LegacyName())
		}
	})
}
