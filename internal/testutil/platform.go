package testutil

import (
	"path/filepath"
	"testing"
)

// Made-up https addresses tests publish kpgen's library and the example
// platform at (git rewrites them to local bare repositories, see
// GitRewriteEnv).
const (
	LibraryRemote  = "https://git.kpgen.invalid/kpgen/kpgen.git"
	PlatformRemote = "https://git.kpgen.invalid/acme/platform.git"
)

// LibraryRepo publishes this checkout's Jsonnet library as kpgen's
// repository would release it: jsonnet/lib, jsonnet/mixins and a
// jsonnet/jsonnetfile.json depending on the stand-in upstream at
// standinVersion; one tagged commit per version (overlays as in
// StandinRepo, paths from the repository's root). It returns the bare
// repository.
func LibraryRepo(t testing.TB, standinVersion string, versions ...Version) string {
	t.Helper()
	work := filepath.Join(t.TempDir(), "kpgen")
	CopyTree(t, filepath.Join(RepoRoot(), "jsonnet", "lib"), filepath.Join(work, "jsonnet", "lib"))
	CopyTree(t, filepath.Join(RepoRoot(), "jsonnet", "mixins"), filepath.Join(work, "jsonnet", "mixins"))
	WriteFile(t, filepath.Join(work, "jsonnet", "jsonnetfile.json"), StandinJsonnetfile(standinVersion))
	return publish(t, work, versions)
}

// PlatformRepo publishes examples/acme-platform, depending on kpgen's
// library at libraryVersion, one tagged commit per version.
func PlatformRepo(t testing.TB, libraryVersion string, versions ...Version) string {
	t.Helper()
	work := filepath.Join(t.TempDir(), "platform")
	CopyTree(t, filepath.Join(RepoRoot(), "examples", "acme-platform"), work)
	WriteFile(t, filepath.Join(work, "jsonnet", "jsonnetfile.json"), LibraryJsonnetfile(libraryVersion))
	return publish(t, work, versions)
}

// LibraryJsonnetfile is a jsonnetfile.json depending on kpgen's library at
// version, imported as kpgen/.
func LibraryJsonnetfile(version string) string {
	return dependencyJsonnetfile(LibraryRemote, "jsonnet", version, "kpgen")
}

// PlatformJsonnetfile is a config repository's jsonnetfile.json depending on
// the example platform at version, imported as platform/.
func PlatformJsonnetfile(version string) string {
	return dependencyJsonnetfile(PlatformRemote, "jsonnet", version, "platform")
}

func dependencyJsonnetfile(remote, subdir, version, name string) string {
	return `{
  "version": 1,
  "dependencies": [
    {
      "source": {
        "git": {
          "remote": "` + remote + `",
          "subdir": "` + subdir + `"
        }
      },
      "version": "` + version + `",
      "name": "` + name + `"
    }
  ],
  "legacyImports": true
}
`
}
