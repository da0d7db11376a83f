// Package output writes a cluster's generated files to out/<cluster>/
// atomically: everything is written into a temporary directory beside the
// target, which is then swapped into place, so that a failed build leaves the
// previous output byte-for-byte as it was and files no longer generated
// disappear.
package output

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// File is one file to write, at a path relative to the cluster directory.
type File struct {
	Path string
	Data []byte
}

// Writer writes cluster directories. The zero value writes to disk; tests
// replace WriteFile to inject failures.
type Writer struct {
	WriteFile func(name string, data []byte, perm fs.FileMode) error
}

// Result says what Write did.
type Result struct {
	Unchanged bool // the directory already held exactly these files
}

const (
	tmpInfix = ".kpgen-new-"
	oldInfix = ".kpgen-old-"
)

// Write makes dir hold exactly files. When dir already does, nothing is touched.
func (w Writer) Write(dir string, files []File) (Result, error) {
	p, err := w.Prepare(dir, files)
	if err != nil || p == nil {
		return Result{Unchanged: p == nil && err == nil}, err
	}
	return Result{}, p.Commit()
}

// Pending is a new directory written beside its target, waiting to be
// swapped in by Commit (or thrown away by Abort).
type Pending struct {
	tmp, dir string
}

// Prepare writes files into a temporary directory beside dir. It returns nil
// (and no error) when dir already holds exactly these files.
func (w Writer) Prepare(dir string, files []File) (*Pending, error) {
	for _, f := range files {
		if !filepath.IsLocal(filepath.FromSlash(f.Path)) {
			return nil, fmt.Errorf("refusing to write %q outside %s", f.Path, dir)
		}
	}
	if d, err := Compare(dir, files); err == nil && d.Empty() {
		return nil, nil
	}
	parent, base := filepath.Split(filepath.Clean(dir))
	if parent == "" {
		parent = "."
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(parent, "."+base+tmpInfix)
	if err != nil {
		return nil, err
	}
	if err := w.fill(tmp, files); err != nil {
		os.RemoveAll(tmp)
		return nil, err
	}
	return &Pending{tmp: tmp, dir: dir}, nil
}

// Commit swaps the prepared directory into place.
func (p *Pending) Commit() error {
	if err := swap(p.tmp, p.dir); err != nil {
		os.RemoveAll(p.tmp)
		return err
	}
	return nil
}

// Abort removes the prepared directory.
func (p *Pending) Abort() { os.RemoveAll(p.tmp) }

// ReplaceDir puts the directory src at dst (atomically where the OS allows)
// and removes what dst held.
func ReplaceDir(src, dst string) error { return swap(src, dst) }

func (w Writer) fill(tmp string, files []File) error {
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	write := w.WriteFile
	if write == nil {
		write = os.WriteFile
	}
	made := map[string]bool{}
	for _, f := range files {
		name := filepath.Join(tmp, filepath.FromSlash(f.Path))
		if d := filepath.Dir(name); !made[d] {
			if err := os.MkdirAll(d, 0o755); err != nil {
				return err
			}
			made[d] = true
		}
		if err := write(name, f.Data, 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", f.Path, err)
		}
	}
	return nil
}

// swap puts the directory tmp at dir, atomically where the OS allows, and
// removes what was at dir.
func swap(tmp, dir string) error {
	if _, err := os.Lstat(dir); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, dir)
	}
	if err := exchange(tmp, dir); err == nil {
		return os.RemoveAll(tmp) // tmp now holds the old output
	}
	// No atomic exchange here: move the old directory aside, then the new one in.
	parent, base := filepath.Split(dir)
	old, err := os.MkdirTemp(parent, "."+base+oldInfix)
	if err != nil {
		return err
	}
	os.Remove(old)
	if err := os.Rename(dir, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		if rerr := os.Rename(old, dir); rerr != nil {
			return fmt.Errorf("%w (and restoring %s from %s failed: %v)", err, dir, old, rerr)
		}
		return err
	}
	return os.RemoveAll(old)
}

// Diff lists how a directory differs from the files a build would write.
type Diff struct {
	Changed, Missing, Extra []string // paths relative to the directory
}

// Empty reports whether there is no difference.
func (d Diff) Empty() bool { return len(d.Changed)+len(d.Missing)+len(d.Extra) == 0 }

// Compare compares dir with files. A directory that does not exist has every
// file missing.
func Compare(dir string, files []File) (Diff, error) {
	var d Diff
	want := make(map[string]bool, len(files))
	for _, f := range files {
		want[f.Path] = true
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		switch {
		case errors.Is(err, fs.ErrNotExist):
			d.Missing = append(d.Missing, f.Path)
		case err != nil:
			return d, err
		case !bytes.Equal(got, f.Data):
			d.Changed = append(d.Changed, f.Path)
		}
	}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == dir {
				return filepath.SkipDir
			}
			return err
		}
		if e.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		if rel = filepath.ToSlash(rel); !want[rel] {
			d.Extra = append(d.Extra, rel)
		}
		return nil
	})
	sort.Strings(d.Changed)
	sort.Strings(d.Missing)
	sort.Strings(d.Extra)
	return d, err
}

// Leftovers lists temporary directories an interrupted write left in parent.
func Leftovers(parent string) []string {
	entries, _ := os.ReadDir(parent)
	var left []string
	for _, e := range entries {
		if strings.Contains(e.Name(), tmpInfix) || strings.Contains(e.Name(), oldInfix) {
			left = append(left, filepath.Join(parent, e.Name()))
		}
	}
	return left
}
