// Package safefs holds the few file system operations kpgen needs to never
// lose a user's file: files written and synced, directories synced,
// directories swapped atomically where the OS allows, and a lock on a
// directory. It knows nothing of kpgen's layout; output and vendoring use it.
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

// Replace puts the directory src at dst and removes what dst held: an atomic
// exchange where the file system offers one, else two renames with dst's
// old tree moved to aside first. If the process dies between those two,
// dst is missing and aside holds its complete old tree: Restore(dst, aside)
// moves it back. src and aside must be on dst's file system.
func Replace(src, dst, aside string) error {
	if _, err := os.Lstat(dst); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(src, dst); err != nil {
			return err
		}
		return SyncDir(filepath.Dir(dst))
	}
	if err := Exchange(src, dst); err == nil {
		if err := SyncDir(filepath.Dir(dst)); err != nil {
			return err
		}
		return os.RemoveAll(src) // the old tree now
	}
	if err := os.Rename(dst, aside); err != nil {
		return err
	}
	if err := os.Rename(src, dst); err != nil {
		if rerr := os.Rename(aside, dst); rerr != nil {
			return fmt.Errorf("%w; moving %s back from %s failed too: %v", err, dst, aside, rerr)
		}
		return err
	}
	if err := SyncDir(filepath.Dir(dst)); err != nil {
		return err
	}
	return os.RemoveAll(aside)
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
	return true, os.RemoveAll(aside)
}
