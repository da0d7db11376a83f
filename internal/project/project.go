// Package project knows what kind of kpgen project a directory is, where
// its library, entrypoint and dependencies are, and which clusters it has.
//
// A project is a directory holding jsonnet/jsonnetfile.json (its Jsonnet
// dependencies, vendored into jsonnet/vendor), vars/ (one vars file per
// cluster) and out/. It is one of two kinds:
//
//   - a platform repository holds its library itself, in jsonnet/lib
//     (entrypoint jsonnet/lib/main.jsonnet) and jsonnet/mixins: kpgen's own
//     repository, or a team's platform built on kpgen's library;
//   - a config repository holds only vars and output, and names in kpgen.json
//     the vendored package whose lib/main.jsonnet renders its clusters:
//     {"library": "platform"}.
package project

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/kpgen/kpgen/internal/vendoring"
)

// Marker is the file, relative to the root, that identifies a kpgen project.
const Marker = "jsonnet/jsonnetfile.json"

// Root describes a project checkout. All paths are absolute.
type Root struct {
	Dir string
	// Library is, in a config repository, the import name of the vendored
	// package that holds the library (kpgen.json's "library"); "" in a
	// platform repository, whose library is its own jsonnet/lib.
	Library string
	// Within is the directory the project's imports must stay in, when it
	// is not Dir: a staging copy of a project (kpgen bump's) links back to
	// the project it stands in.
	Within string
}

// Confine is the directory the project's imports must stay in: Within, or
// else Dir.
func (r Root) Confine() string {
	if r.Within != "" {
		return r.Within
	}
	return r.Dir
}

// Open returns the project rooted at dir, checking that it is one.
func Open(dir string) (Root, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Root{}, err
	}
	if _, err := os.Stat(filepath.Join(abs, Marker)); err != nil {
		return Root{}, fmt.Errorf("%s is not a kpgen project: %s not found", Printable(abs), Marker)
	}
	return load(abs)
}

// load reads the project at dir, a directory holding the marker.
func load(dir string) (Root, error) {
	r := Root{Dir: dir}
	cfg, err := ReadConfig(dir)
	if err != nil {
		return r, err
	}
	r.Library = cfg.Library
	return r, nil
}

// Find walks up from start (a file or a directory) to the first directory
// that holds jsonnet/jsonnetfile.json.
func Find(start string) (Root, error) {
	abs, err := filepath.Abs(start)
	if err != nil {
		return Root{}, err
	}
	if fi, err := os.Stat(abs); err == nil && !fi.IsDir() {
		abs = filepath.Dir(abs)
	}
	for dir := abs; ; dir = filepath.Dir(dir) {
		if _, err := os.Stat(filepath.Join(dir, Marker)); err == nil {
			return load(dir)
		}
		if parent := filepath.Dir(dir); parent == dir {
			break
		}
	}
	return Root{}, fmt.Errorf("no kpgen project found: no %s in %s or any parent directory (use --root)", Marker, Printable(abs))
}

// JsonnetDir holds jsonnetfile.json, the lock, lib/, mixins/ and vendor/.
func (r Root) JsonnetDir() string { return filepath.Join(r.Dir, "jsonnet") }

// VendorDir is where `kpgen vendor` installs Jsonnet dependencies.
func (r Root) VendorDir() string { return filepath.Join(r.Dir, "jsonnet", "vendor") }

// IsConfig reports whether the project is a config repository (its
// library is a vendored package).
func (r Root) IsConfig() bool { return r.Library != "" }

// PackageDir is the directory of the library's package: jsonnet/ in a
// platform repository, jsonnet/vendor/<library> in a config repository.
func (r Root) PackageDir() string {
	if r.IsConfig() {
		return filepath.Join(r.VendorDir(), r.Library)
	}
	return r.JsonnetDir()
}

// LibDir holds the Jsonnet library (vars → stack).
func (r Root) LibDir() string { return filepath.Join(r.PackageDir(), "lib") }

// MixinsDir holds the library's mixins.
func (r Root) MixinsDir() string { return filepath.Join(r.PackageDir(), "mixins") }

// Entrypoint is the Jsonnet file kpgen evaluates for each cluster.
func (r Root) Entrypoint() string { return filepath.Join(r.LibDir(), "main.jsonnet") }

// JPath is the Jsonnet import path in `jsonnet -J` order: a later directory
// takes precedence, so a platform repository's library and mixins win over
// a vendored package of the same name. A config repository imports from
// jsonnet/vendor only, as its library does wherever it is vendored.
func (r Root) JPath() []string {
	if r.IsConfig() {
		return []string{r.VendorDir()}
	}
	return []string{r.VendorDir(), r.LibDir(), r.MixinsDir()}
}

// VarsDir holds one vars file per cluster.
func (r Root) VarsDir() string { return filepath.Join(r.Dir, "vars") }

// DefaultOut is the default parent directory of the clusters' output.
func (r Root) DefaultOut() string { return filepath.Join(r.Dir, "out") }

// CheckVendor reports whether jsonnet/vendor has been populated: it exists,
// and holds every package the lock lists (a stat per package, no hashing:
// `kpgen vendor --check` verifies the contents).
func (r Root) CheckVendor() error {
	if err := vendoring.Interrupted(r.JsonnetDir()); err != nil {
		return err
	}
	entries, err := os.ReadDir(r.VendorDir())
	if errors.Is(err, os.ErrNotExist) || (err == nil && len(entries) == 0) {
		return fmt.Errorf("%s is missing or empty: run `kpgen vendor` (or ./build.sh) to fetch the Jsonnet dependencies", Printable(r.VendorDir()))
	}
	if err != nil {
		return err
	}
	missing, err := vendoring.Missing(r.JsonnetDir(), r.VendorDir())
	if err != nil {
		return fmt.Errorf("checking %s: %w", Printable(r.VendorDir()), err)
	}
	if len(missing) > 0 {
		return fmt.Errorf("%s is incomplete: %s missing (run `kpgen vendor`)", Printable(r.VendorDir()), strings.Join(missing, ", "))
	}
	return nil
}

// VarsPatterns are the names of vars files in vars/: Jsonnet or JSON.
var VarsPatterns = []string{"*.jsonnet", "*.json"}

// AllVars lists vars/*.jsonnet and vars/*.json, sorted by path.
func (r Root) AllVars() ([]string, error) {
	var files []string
	for _, pat := range VarsPatterns {
		m, err := filepath.Glob(filepath.Join(r.VarsDir(), pat))
		if err != nil {
			return nil, err
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("no vars files: %s has no *.jsonnet or *.json", Printable(r.VarsDir()))
	}
	sort.Strings(files)
	return files, nil
}
