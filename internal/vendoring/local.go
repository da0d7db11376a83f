package vendoring

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/jsonnet-bundler/jsonnet-bundler/spec/v1/deps"
)

// localDeps carries a run's local dependencies (a platform's checkout
// linked with `kpgen init --platform <dir>`) through jsonnet-bundler, which
// resolves a local directory against the process's working directory (`jb
// install` runs in jsonnet/; kpgen runs wherever the user stands) and links
// it relative to the directory it installs into (kpgen's stage, not
// jsonnet/vendor).
type localDeps struct {
	written map[string]string // as jsonnet-bundler is given it -> as written
	abs     map[string]string // package name -> absolute directory
}

// toWorkingDir rewrites the directory of every local dependency of sets,
// written relative to jsonnetDir, to one relative to the working directory,
// as jsonnet-bundler reads it.
func toWorkingDir(jsonnetDir string, sets ...*deps.Ordered) (*localDeps, error) {
	l := &localDeps{written: map[string]string{}, abs: map[string]string{}}
	wd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	for _, set := range sets {
		if set == nil {
			continue
		}
		for _, name := range set.Keys() {
			d, _ := set.Get(name)
			src := d.Source.LocalSource
			if src == nil {
				continue
			}
			abs := filepath.FromSlash(src.Directory)
			if !filepath.IsAbs(abs) {
				abs = filepath.Join(jsonnetDir, abs)
			}
			rel, err := filepath.Rel(wd, abs)
			if err != nil {
				return nil, fmt.Errorf("local dependency %s: %w", name, err)
			}
			l.written[rel] = src.Directory
			l.abs[filepath.Base(abs)] = abs
			d.Source.LocalSource = &deps.Local{Directory: rel}
			set.Set(name, d)
		}
	}
	return l, nil
}

// restore puts the directories as written back into a lock
// jsonnet-bundler returns, so the lock keeps the portable form, and links
// each local package in stage relative to vendorDir, where stage moves.
func (l *localDeps) restore(set *deps.Ordered, stage, vendorDir string) error {
	for _, name := range set.Keys() {
		d, _ := set.Get(name)
		src := d.Source.LocalSource
		if src == nil {
			continue
		}
		// jsonnet-bundler links a local package's legacy name for no one
		// (its linkLegacy skips them): the name kpgen.json imports it by.
		if legacy := d.LegacyName(); legacy != d.Name() && d.Name() != "" {
			if err := relink(filepath.Join(stage, legacy), d.Name()); err != nil {
				return err
			}
		}
		if as, ok := l.written[src.Directory]; ok {
			d.Source.LocalSource = &deps.Local{Directory: as}
			set.Set(name, d)
		}
	}
	for name, abs := range l.abs {
		link := filepath.Join(stage, name)
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			continue
		}
		target, err := filepath.Rel(vendorDir, abs)
		if err != nil {
			target = abs
		}
		if err := relink(link, target); err != nil {
			return err
		}
	}
	return nil
}

// relink makes link a symbolic link to target, replacing a link (never
// anything else) already there.
func relink(link, target string) error {
	if fi, err := os.Lstat(link); err == nil {
		if fi.Mode()&os.ModeSymlink == 0 {
			return fmt.Errorf("%s: a local package's name is taken by a directory or file", link)
		}
		if err := os.Remove(link); err != nil {
			return err
		}
	}
	return os.Symlink(target, link)
}
