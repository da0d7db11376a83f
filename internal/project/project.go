// Package project locates a kpgen project on disk: its root (the directory
// holding jsonnet/jsonnetfile.json), its Jsonnet directories and its vars files.
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
	return Root{Dir: abs}, nil
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
			return Root{Dir: dir}, nil
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

// LibDir holds our Jsonnet library (vars → stack).
func (r Root) LibDir() string { return filepath.Join(r.Dir, "jsonnet", "lib") }

// MixinsDir holds our mixins.
func (r Root) MixinsDir() string { return filepath.Join(r.Dir, "jsonnet", "mixins") }

// Entrypoint is the Jsonnet file kpgen evaluates for each cluster.
func (r Root) Entrypoint() string { return filepath.Join(r.LibDir(), "main.jsonnet") }

// JPath is the Jsonnet import path in `jsonnet -J` order: a later directory
// takes precedence, so our library and mixins win over a vendored package of
// the same name.
func (r Root) JPath() []string { return []string{r.VendorDir(), r.LibDir(), r.MixinsDir()} }

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
