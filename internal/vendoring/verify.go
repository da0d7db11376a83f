package vendoring

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/jsonnet-bundler/jsonnet-bundler/pkg/jsonnetfile"
	v1 "github.com/jsonnet-bundler/jsonnet-bundler/spec/v1"

	"github.com/kpgen/kpgen/internal/safefs"
)

// Mismatch is a package that jsonnet/vendor does not hold as the lock says.
type Mismatch struct {
	Package string
	Problem string
}

func (m Mismatch) String() string { return m.Package + ": " + m.Problem }

// Verify compares the vendor directory with the jsonnetfile and its lock:
// every direct dependency must be locked, and every locked package present
// with the locked checksum (jsonnet-bundler's), with its legacy import name
// linked when the jsonnetfile asks for legacy imports.
func Verify(jsonnetDir, vendorDir string) ([]Mismatch, error) {
	return verifyFiles(filepath.Join(jsonnetDir, File), filepath.Join(jsonnetDir, LockFile), vendorDir, jsonnetDir)
}

// verifyFiles is Verify with the jsonnetfile and lock at the given paths.
func verifyFiles(jfPath, lockPath, vendorDir, jsonnetDir string) ([]Mismatch, error) {
	if vendorDir == "" {
		vendorDir = filepath.Join(jsonnetDir, "vendor")
	}
	jf, lock, err := loadFiles(jfPath, lockPath)
	if err != nil {
		return nil, err
	}
	var out []Mismatch
	for _, name := range jf.Dependencies.Keys() {
		d, _ := jf.Dependencies.Get(name)
		if _, ok := lock.Dependencies.Get(name); !ok {
			out = append(out, Mismatch{name, fmt.Sprintf("wanted at %s by %s but not in %s", d.Version, File, LockFile)})
		}
	}
	for _, name := range lock.Dependencies.Keys() {
		d, _ := lock.Dependencies.Get(name)
		dir := filepath.Join(vendorDir, name)
		if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
			out = append(out, Mismatch{name, "missing from " + vendorDir})
			continue
		}
		if d.Source.GitSource == nil {
			continue // local packages are not checksummed
		}
		if got := HashDir(dir); got != d.Sum {
			out = append(out, Mismatch{name, fmt.Sprintf("checksum %s, the lock says %s (edited, or another version)", got, d.Sum)})
			continue
		}
		if jf.LegacyImports && d.LegacyName() != name {
			if _, err := os.Stat(filepath.Join(vendorDir, d.LegacyName())); err != nil {
				out = append(out, Mismatch{name, "legacy import name " + d.LegacyName() + " is not linked"})
			}
		}
	}
	return out, nil
}

// maxJsonnetfile bounds what kpgen reads of a jsonnetfile or lock.
const maxJsonnetfile = 16 << 20

func load(jsonnetDir string) (jf, lock v1.JsonnetFile, err error) {
	return loadFiles(filepath.Join(jsonnetDir, File), filepath.Join(jsonnetDir, LockFile))
}

func loadFiles(jfPath, lockPath string) (jf, lock v1.JsonnetFile, err error) {
	b, err := safefs.ReadRegular(jfPath, maxJsonnetfile)
	if err != nil {
		return jf, lock, err
	}
	if jf, err = jsonnetfile.Unmarshal(b); err != nil {
		return jf, lock, fmt.Errorf("%s: %w", jfPath, err)
	}
	b, err = safefs.ReadRegular(lockPath, maxJsonnetfile)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return jf, lock, err
	}
	if lock, err = jsonnetfile.Unmarshal(b); err != nil {
		return jf, lock, fmt.Errorf("%s: %w", lockPath, err)
	}
	return jf, lock, nil
}
