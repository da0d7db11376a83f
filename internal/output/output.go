// Package output owns the output directory (out/): the clusters' directories
// kpgen writes there, the record of which ones it wrote, and the temporary
// trees of writes in progress.
//
//	out/<cluster>/          a cluster's files, exactly what a build renders
//	out/.kpgen/<cluster>    the record that kpgen wrote out/<cluster>/ (commit it)
//	out/.kpgen-tmp/         trees being written; whatever a killed run left
//	                        here, the next run that writes removes or restores
//
// A cluster's new tree is written, fsynced, into out/.kpgen-tmp/ and then
// swapped with out/<cluster>/ (an atomic exchange where the OS offers one),
// so that out/<cluster>/ is always the complete old or the complete new
// tree. kpgen replaces or removes only a directory its record says it wrote
// (or an empty one), never anything else, whatever name a library asks for.
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
	"syscall"

	"github.com/kpgen/kpgen/internal/project"
)

// File is one file to write, at a slash-separated path relative to the
// cluster directory.
type File struct {
	Path string
	Data []byte
}

// Modes of what kpgen writes, whatever the umask: git records only the
// executable bit, and a --check on another machine must agree.
const (
	fileMode fs.FileMode = 0o644
	dirMode  fs.FileMode = 0o755
)

// Names inside the output directory that are kpgen's own. Cluster names are
// DNS-1123 labels, so neither can be a cluster's.
const (
	RecordDir = ".kpgen"
	TmpDir    = ".kpgen-tmp"
)

// ownDir checks that dir/name, one of kpgen's own directories, is a real
// directory or absent: never a symbolic link (which a repository can carry,
// pointing anywhere) nor a file. kpgen writes, reads and removes below it, so
// it must not lead out of the output directory.
func ownDir(dir, name string) error {
	fi, err := os.Lstat(filepath.Join(dir, name))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return err
	case fi.Mode()&fs.ModeSymlink != 0:
		return fmt.Errorf("%s is a symbolic link; it is kpgen's own directory and kpgen never follows it: remove it", Display(filepath.Join(dir, name)))
	case !fi.IsDir():
		return fmt.Errorf("%s is not a directory; it is kpgen's own directory: remove it", Display(filepath.Join(dir, name)))
	}
	return nil
}

// Diff lists how a cluster directory differs from the files a build writes.
type Diff struct {
	Changed []string // content differs
	Missing []string // not there
	Extra   []string // there but not written by a build; directories end in "/"
	Mode    []string // not a plain file as kpgen writes it: executable, a symlink, a directory
	// NoRecord: out/.kpgen/<cluster>, the record that kpgen wrote the
	// directory, is missing (Compare leaves this to its caller).
	NoRecord bool
}

// Empty reports whether there is no difference.
func (d Diff) Empty() bool {
	return len(d.Changed)+len(d.Missing)+len(d.Extra)+len(d.Mode) == 0 && !d.NoRecord
}

// Compare compares the directory dir with files. A directory that does not
// exist has every file missing. Nothing is followed: a symlink where a file
// belongs is a mode difference, whatever it points at.
func Compare(dir string, files []File) (Diff, error) {
	var d Diff
	want := make(map[string]bool, len(files))
	dirs := map[string]bool{}
	// realDir says whether a directory of the tree (relative, "" the tree
	// itself) is a directory, not a link to one: nothing below a link is
	// looked at.
	real := map[string]bool{}
	realDir := func(rel string) bool {
		ok, seen := real[rel]
		if !seen {
			fi, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(rel)))
			ok = err == nil && fi.IsDir()
			real[rel] = ok
		}
		return ok
	}
	parentsReal := func(p string) bool {
		if !realDir("") {
			return false
		}
		for i := range p {
			if p[i] == '/' && !realDir(p[:i]) {
				return false
			}
		}
		return true
	}
	for _, f := range files {
		want[f.Path] = true
		for p := f.Path; strings.Contains(p, "/"); {
			p = p[:strings.LastIndex(p, "/")]
			dirs[p] = true
		}
		if !parentsReal(f.Path) {
			d.Missing = append(d.Missing, f.Path)
			continue
		}
		name := filepath.Join(dir, filepath.FromSlash(f.Path))
		fi, err := os.Lstat(name)
		switch {
		case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
			d.Missing = append(d.Missing, f.Path)
			continue
		case err != nil:
			return d, err
		case !fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 != 0:
			d.Mode = append(d.Mode, f.Path)
			continue
		}
		got, err := os.ReadFile(name)
		if err != nil {
			return d, err
		}
		if !bytes.Equal(got, f.Data) {
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
		if p == dir {
			if !e.IsDir() { // a file or a symlink where the directory belongs
				d.Mode = append(d.Mode, ".")
			}
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case e.IsDir() && !dirs[rel]:
			d.Extra = append(d.Extra, rel+"/")
			return filepath.SkipDir
		case e.IsDir():
			return nil
		case !want[rel] && !dirs[rel]:
			d.Extra = append(d.Extra, rel)
		case dirs[rel]: // a file or symlink where a directory belongs
			d.Mode = append(d.Mode, rel)
		}
		return nil
	})
	for _, l := range []*[]string{&d.Changed, &d.Missing, &d.Extra, &d.Mode} {
		sort.Strings(*l)
	}
	return d, err
}

// Display shows p for messages: relative to the working directory when it
// is below it, quoted when it is not plain printable text
// (project.Printable).
func Display(p string) string {
	if filepath.IsAbs(p) {
		if wd, err := os.Getwd(); err == nil {
			if rel, err := filepath.Rel(wd, p); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				p = rel
			}
		}
	}
	return project.Printable(p)
}
