package vendoring

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/jsonnet-bundler/jsonnet-bundler/pkg"
	"github.com/jsonnet-bundler/jsonnet-bundler/pkg/jsonnetfile"
	v1 "github.com/jsonnet-bundler/jsonnet-bundler/spec/v1"
	"github.com/jsonnet-bundler/jsonnet-bundler/spec/v1/deps"
)

// ensure is jsonnet-bundler v0.6.0's pkg.Ensure (Apache-2.0) with every
// dependency checked (checkDependency) before jsonnet-bundler acts on it:
// the project's own jsonnetfile and lock, and the jsonnetfile of each package
// it fetches, which a package's maintainers (a platform repository, anyone
// it depends on) write. jsonnet-bundler joins a dependency's name to the
// vendor directory as it is: a subdir `../../../x` has it remove and replace
// a directory outside the project, a version `--upload-pack=…` is an option
// to git. The fetching itself stays jsonnet-bundler's (its git and local
// packages); what differs is only the checks and that nothing is printed.
func ensure(direct v1.JsonnetFile, vendorDir string, oldLocks *deps.Ordered) (*deps.Ordered, error) {
	locks, err := ensureLevel(direct.Dependencies, vendorDir, "", oldLocks, jsonnetfile.File)
	if err != nil {
		return nil, err
	}
	pkg.CleanLegacyName(locks)

	// Remove what no locked package owns.
	var dirs []string
	filepath.Walk(vendorDir, func(path string, fi os.FileInfo, err error) error {
		if err == nil && fi.IsDir() && path != vendorDir {
			dirs = append(dirs, path)
		}
		return nil
	})
	for _, dir := range dirs {
		rel, err := filepath.Rel(vendorDir, dir)
		if err != nil {
			return nil, err
		}
		if !known(locks, rel) {
			if err := os.RemoveAll(dir); err != nil {
				return nil, err
			}
		}
	}
	// Every link but local packages' goes; the legacy names come back.
	locals := map[string]bool{}
	for _, k := range locks.Keys() {
		if d, _ := locks.Get(k); d.Source.LocalSource != nil {
			locals[filepath.Join(vendorDir, d.Name())] = true
		}
	}
	err = filepath.Walk(vendorDir, func(path string, fi os.FileInfo, err error) error {
		if err != nil || locals[path] || fi.Mode()&os.ModeSymlink == 0 {
			return err
		}
		return os.Remove(path)
	})
	if err != nil || !direct.LegacyImports {
		return locks, err
	}
	for _, k := range locks.Keys() {
		d, _ := locks.Get(k)
		if d.Source.LocalSource != nil {
			continue // as jsonnet-bundler: run() links local packages' names
		}
		legacy := filepath.Join(vendorDir, d.LegacyName())
		if _, err := os.Lstat(legacy); err == nil {
			continue // taken: the absolute import still works
		}
		if err := os.Symlink(d.Name(), legacy); err != nil {
			return nil, err
		}
	}
	return locks, nil
}

// ensureLevel installs the dependencies of one jsonnetfile (from, for
// messages), then those of each package's own jsonnetfile.
func ensureLevel(direct *deps.Ordered, vendorDir, parent string, locks *deps.Ordered, from string) (*deps.Ordered, error) {
	out := deps.NewOrdered()
	for _, k := range direct.Keys() {
		d, _ := direct.Get(k)
		if err := checkDependency(d, parent == ""); err != nil {
			return nil, fmt.Errorf("%s: %w", from, err)
		}
		l, present := locks.Get(d.Name())
		if present {
			if err := checkDependency(l, parent == ""); err != nil {
				return nil, fmt.Errorf("%s: %w", LockFile, err)
			}
			d.Version = l.Version
			if intact(l, vendorDir) {
				out.Set(d.Name(), l)
				continue
			}
		}
		os.RemoveAll(filepath.Join(vendorDir, d.Name()))
		locked, err := download(d, vendorDir)
		if err != nil {
			return nil, fmt.Errorf("downloading %s: %w", d.Name(), err)
		}
		if l.Sum != "" && locked.Sum != l.Sum {
			return nil, fmt.Errorf("checksum mismatch for %s: expected %s but got %s", d.Name(), l.Sum, locked.Sum)
		}
		out.Set(d.Name(), *locked)
		locks.Set(d.Name(), *locked)
	}
	for _, k := range out.Keys() {
		d, _ := out.Get(k)
		if d.Single {
			continue
		}
		file := filepath.Join(vendorDir, d.Name(), jsonnetfile.File)
		f, err := jsonnetfile.Load(file)
		if err != nil {
			if os.IsNotExist(err) {
				continue
			}
			return nil, err
		}
		abs, err := filepath.EvalSymlinks(filepath.Join(vendorDir, d.Name()))
		if err != nil {
			return nil, err
		}
		nested, err := ensureLevel(f.Dependencies, vendorDir, abs, locks, filepath.ToSlash(filepath.Join(d.Name(), jsonnetfile.File)))
		if err != nil {
			return nil, err
		}
		for _, k := range nested.Keys() {
			n, _ := nested.Get(k)
			if _, ok := out.Get(n.Name()); !ok {
				out.Set(n.Name(), n)
			}
		}
	}
	return out, nil
}

// checkDependency refuses what jsonnet-bundler would turn into a path out
// of the vendor directory or an option to git: a name (host/user/repo/subdir)
// or legacy name with an empty, `.` or `..` part or absolute, a legacy name
// of several parts, a remote or version starting with `-` or holding spaces
// or control characters, and a local package anywhere but in the project's
// own jsonnetfile (a published package cannot point at a directory of the
// machine that vendors it).
func checkDependency(d deps.Dependency, top bool) error {
	name := d.Name()
	if err := relPath(name); err != nil {
		return fmt.Errorf("dependency %q: its path in jsonnet/vendor %w", name, err)
	}
	if legacy := d.LegacyName(); strings.ContainsAny(legacy, `/\`) || relPath(legacy) != nil {
		return fmt.Errorf("dependency %s: name %q: not a single directory name", name, legacy)
	}
	if d.Source.LocalSource != nil && !top {
		return fmt.Errorf("dependency %s: a local directory (%q) in a fetched package's jsonnetfile", name, d.Source.LocalSource.Directory)
	}
	if g := d.Source.GitSource; g != nil {
		if err := gitArg(g.Remote()); err != nil {
			return fmt.Errorf("dependency %s: remote %w", name, err)
		}
	}
	if err := gitArg(d.Version); err != nil && d.Version != "" {
		return fmt.Errorf("dependency %s: version %w", name, err)
	}
	return nil
}

// relPath checks a slash-separated relative path without empty, `.` or
// `..` parts.
func relPath(p string) error {
	if p == "" || filepath.IsAbs(p) || strings.HasPrefix(p, "/") {
		return fmt.Errorf("%q is empty or absolute", p)
	}
	for _, part := range strings.Split(strings.ReplaceAll(p, `\`, "/"), "/") {
		if part == "" || part == "." || part == ".." {
			return fmt.Errorf("%q has a part %q", p, part)
		}
	}
	return nil
}

// gitArg checks a string kpgen or jsonnet-bundler passes to git.
func gitArg(s string) error {
	if s == "" || strings.HasPrefix(s, "-") {
		return fmt.Errorf("%q is empty or starts with '-'", s)
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7f {
			return fmt.Errorf("%q holds a space or control character", s)
		}
	}
	return nil
}

// intact is jsonnet-bundler's check: a local package exists, a fetched
// one's files match the lock's sum.
func intact(d deps.Dependency, vendorDir string) bool {
	if d.Source.LocalSource != nil {
		ok, err := jsonnetfile.Exists(filepath.Join(vendorDir, d.Name()))
		return err == nil && ok
	}
	return d.Sum != "" && HashDir(filepath.Join(vendorDir, d.Name())) == d.Sum
}

// download is jsonnet-bundler's: fetch with its git or local package, then
// sum the files. A local package's directory is relative to the working
// directory (toWorkingDir made it so).
func download(d deps.Dependency, vendorDir string) (*deps.Dependency, error) {
	var p pkg.Interface
	switch {
	case d.Source.GitSource != nil:
		p = pkg.NewGitPackage(d.Source.GitSource)
	case d.Source.LocalSource != nil:
		p = pkg.NewLocalPackage(d.Source.LocalSource)
	default:
		return nil, fmt.Errorf("either git or local source is required")
	}
	version, err := p.Install(context.TODO(), d.Name(), vendorDir, d.Version)
	if err != nil {
		return nil, err
	}
	d.Version, d.Sum = version, ""
	if d.Source.LocalSource == nil {
		// Links and special files in a fetched package could reach out of
		// it when imported; none of kube-prometheus's packages has any.
		if d.Sum = HashDir(filepath.Join(vendorDir, d.Name())); d.Sum == notRegular {
			return nil, fmt.Errorf("%s holds a symbolic link or special file", d.Name())
		}
	}
	return &d, nil
}

// known is jsonnet-bundler's: whether a path of the vendor directory belongs
// to a locked package (is one, or lies above or below one).
func known(locks *deps.Ordered, p string) bool {
	p = filepath.ToSlash(p)
	for _, k := range locks.Keys() {
		d, _ := locks.Get(k)
		name := filepath.ToSlash(d.Name())
		if strings.HasPrefix(p, name) || strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}
