// Package safefs holds the few file system operations kpgen needs to never
// lose a user's file nor be stopped by one: files written and synced,
// directories synced, directories swapped atomically where the OS allows, a
// lock on a directory, and reads of regular files only, within a limit (a
// named pipe never blocks kpgen, a device never fills its memory). It knows
// nothing of kpgen's layout.
package safefs

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFile creates name with data and mode perm, whatever the umask, and
// fsyncs it: after a crash, a file that was renamed into place holds every
// byte.
func WriteFile(name string, data []byte, perm fs.FileMode) error {
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(perm)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// SyncDir fsyncs a directory, so that the entries made in it (files,
// renames) survive a crash. File systems that cannot sync a directory say
// so (EINVAL, ENOTSUP), which is not an error here.
func SyncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Sync(); err != nil && !syncUnsupported(err) {
		return fmt.Errorf("syncing %s: %w", dir, err)
	}
	return nil
}

// ErrLocked is Lock's error when another process holds the lock.
var ErrLocked = errors.New("locked by another process")

// Replacer puts a directory in place of another. Its fields, all
// optional, let tests take the fallback path, fail, or stop at a step.
type Replacer struct {
	Exchange  func(a, b string) error // default: Exchange
	RemoveAll func(string) error      // default: RemoveAll
	Hook      func(step string)       // called at "moved-aside" and "swapped"
}

// ReplaceError is a failed Replace, saying what is on disk.
type ReplaceError struct {
	// Swapped: dst holds the new tree, but the old one could not be
	// removed (it is at Old) or the swap not synced. Otherwise dst is as
	// it was — or, when Aside is set, missing, with its old tree at Aside
	// (Restore moves it back).
	Swapped    bool
	Old, Aside string
	Err        error
}

func (e *ReplaceError) Error() string { return e.Err.Error() }
func (e *ReplaceError) Unwrap() error { return e.Err }

// Replace puts the directory src at dst and removes what dst held: an atomic
// exchange where the file system offers one, else two renames with dst's
// old tree moved to aside first. If the process dies between those two,
// dst is missing and aside holds its complete old tree: Restore(dst, aside)
// moves it back. src and aside must be on dst's file system. Errors are
// *ReplaceError.
func (r Replacer) Replace(src, dst, aside string) error {
	exchange, removeAll, hook := r.Exchange, r.RemoveAll, r.Hook
	if exchange == nil {
		exchange = Exchange
	}
	if removeAll == nil {
		removeAll = RemoveAll
	}
	if hook == nil {
		hook = func(string) {}
	}
	swapped := func(old string) error {
		hook("swapped")
		if err := SyncDir(filepath.Dir(dst)); err != nil {
			return &ReplaceError{Swapped: true, Err: err}
		}
		if old != "" {
			if err := removeAll(old); err != nil {
				return &ReplaceError{Swapped: true, Old: old, Err: err}
			}
		}
		return nil
	}
	if _, err := os.Lstat(dst); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(src, dst); err != nil {
			return &ReplaceError{Err: err}
		}
		return swapped("")
	}
	if err := exchange(src, dst); err == nil {
		return swapped(src) // src holds the old tree now
	}
	if err := os.Rename(dst, aside); err != nil {
		return &ReplaceError{Err: err}
	}
	hook("moved-aside")
	if err := os.Rename(src, dst); err != nil {
		if rerr := os.Rename(aside, dst); rerr != nil {
			return &ReplaceError{Aside: aside, Err: fmt.Errorf("%w; moving the previous tree back from %s failed too: %v", err, aside, rerr)}
		}
		return &ReplaceError{Err: err}
	}
	return swapped(aside)
}

// Replace is Replacer{}.Replace.
func Replace(src, dst, aside string) error { return Replacer{}.Replace(src, dst, aside) }

// RemoveAll removes path and everything below it, making directories
// writable first where that is what stands in the way (a tree can hold a
// read-only directory: kpgen's own trees are its to remove).
func RemoveAll(path string) error {
	err := os.RemoveAll(path)
	if err == nil || !errors.Is(err, fs.ErrPermission) {
		return err
	}
	filepath.WalkDir(path, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			if info, err := d.Info(); err == nil {
				os.Chmod(p, info.Mode().Perm()|0o700)
			}
		}
		return nil
	})
	return os.RemoveAll(path)
}

// Restore undoes what a Replace killed between its two renames left: when
// dst is missing and aside exists, aside moves back to dst; otherwise aside
// is removed. It reports whether there was anything to do.
func Restore(dst, aside string) (bool, error) {
	if _, err := os.Lstat(aside); errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if _, err := os.Lstat(dst); errors.Is(err, fs.ErrNotExist) {
		return true, os.Rename(aside, dst)
	}
	return true, RemoveAll(aside)
}
