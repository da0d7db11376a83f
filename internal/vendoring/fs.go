package vendoring

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/kpgen/kpgen/internal/safefs"
)

// HashDir is jsonnet-bundler's package checksum: SHA-256 over the contents of
// every regular file below dir, in lexical walk order, base64-encoded. A
// file that is not a regular one (say a link to /dev/zero, which
// jsonnet-bundler would read forever) makes the checksum one no lock holds.
func HashDir(dir string) string {
	h := sha256.New()
	err := filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if info.IsDir() {
			return nil
		}
		f, err := safefs.OpenRegular(path, 1<<40)
		if err != nil {
			return errNotRegular
		}
		defer f.Close()
		_, err = io.Copy(h, f)
		return err
	})
	if errors.Is(err, errNotRegular) {
		return notRegular
	}
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

var errNotRegular = errors.New("not a regular file")

// notRegular is HashDir's sum of a tree holding anything but directories
// and regular files: no lock's sum.
const notRegular = "not-regular"

// LinkTree recreates src under dst with hard links (copies where linking
// fails), keeping symlinks as they are. jsonnet-bundler never edits a file in
// place, so sharing inodes with the live tree is safe. A missing src is fine.
func LinkTree(src, dst string) error {
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(target, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		default:
			if os.Link(p, target) == nil {
				return nil
			}
			return copyFile(p, target)
		}
	})
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// stagePrefix starts the names of the directories Install stages vendor
// trees in, beside jsonnet/vendor.
const stagePrefix = ".vendor-stage-"

func fileExists(p string) bool {
	fi, err := os.Lstat(p)
	return err == nil && fi.Mode().IsRegular()
}

// BumpStagePrefix starts the names of the directories in which `kpgen
// bump` stages a shadow project, in jsonnet/: <stage>/jsonnet/ holds the new
// jsonnetfile, lock and vendor tree, <stage>/vendor-old the old vendor tree
// if it had to be moved aside.
const BumpStagePrefix = ".bump-stage-"

// Stage makes a staging directory in dir whose name starts with prefix,
// with a .gitignore that keeps it, and whatever a killed run leaves in it,
// out of every commit.
func Stage(dir, prefix string) (string, error) {
	stage, err := os.MkdirTemp(dir, prefix)
	if err != nil {
		return "", err
	}
	if err := os.WriteFile(filepath.Join(stage, ".gitignore"), []byte("# kpgen's staging directory (the next kpgen run removes it).\n*\n"), 0o644); err != nil {
		os.RemoveAll(stage)
		return "", err
	}
	return stage, nil
}

// Recover undoes what an interrupted Install or bump left in jsonnetDir: a
// vendor tree moved aside and not replaced is moved back; a bump killed
// after its vendor tree was swapped in is completed (its jsonnetfile and
// lock moved in too); staging trees and temporary lock files are removed.
// It returns what it did.
func Recover(jsonnetDir, vendorDir string) ([]string, error) {
	entries, err := os.ReadDir(jsonnetDir)
	if err != nil {
		return nil, err
	}
	var did []string
	for _, e := range entries {
		p := filepath.Join(jsonnetDir, e.Name())
		switch {
		case strings.HasPrefix(e.Name(), stagePrefix):
			if _, err := safefs.Restore(vendorDir, filepath.Join(p, "old")); err != nil {
				return did, err
			}
			if err := safefs.RemoveAll(p); err != nil {
				return did, err
			}
			did = append(did, "removed "+p+", left by an interrupted kpgen vendor")
		case strings.HasPrefix(e.Name(), BumpStagePrefix):
			msg, err := recoverBump(jsonnetDir, vendorDir, p)
			if err != nil {
				return did, err
			}
			did = append(did, msg)
		case strings.HasSuffix(e.Name(), tmpSuffix):
			if err := os.Remove(p); err != nil {
				return did, err
			}
		}
	}
	return did, nil
}

// recoverBump finishes or undoes a bump killed while it committed: the
// vendor tree is swapped in first, then the lock, then the jsonnetfile. A
// vendor tree that was moved aside and not replaced comes back (the bump
// did not happen); a vendor tree that matches the staged lock was swapped
// in, so the staged lock and jsonnetfile follow it (the bump happened).
// The clusters' output is the next build's to bring up to date.
func recoverBump(jsonnetDir, vendorDir, stage string) (string, error) {
	defer safefs.RemoveAll(stage)
	aside := filepath.Join(stage, "vendor-old")
	if _, err := os.Lstat(vendorDir); errors.Is(err, fs.ErrNotExist) {
		if _, err := os.Lstat(aside); err == nil {
			if err := os.Rename(aside, vendorDir); err != nil {
				return "", fmt.Errorf("moving %s back from %s: %w", vendorDir, aside, err)
			}
			return "restored " + vendorDir + ", which an interrupted kpgen bump had moved aside", nil
		}
	}
	staged := filepath.Join(stage, "jsonnet")
	// Each of the two files staged, or already moved in.
	pick := func(f string) (string, bool) {
		if p := filepath.Join(staged, f); fileExists(p) {
			return p, true
		}
		return filepath.Join(jsonnetDir, f), false
	}
	lock, lockStaged := pick(LockFile)
	jf, jfStaged := pick(File)
	if !lockStaged && !jfStaged {
		return "removed " + stage + ", left by an interrupted kpgen bump", nil
	}
	if mm, err := verifyFiles(jf, lock, vendorDir, jsonnetDir); err != nil || len(mm) > 0 {
		return "removed " + stage + ", left by an interrupted kpgen bump (nothing had changed)", nil
	}
	for _, f := range []string{LockFile, File} {
		src := filepath.Join(staged, f)
		if _, err := os.Stat(src); err != nil {
			continue
		}
		if err := os.Rename(src, filepath.Join(jsonnetDir, f)); err != nil {
			return "", fmt.Errorf("completing an interrupted kpgen bump: %w", err)
		}
	}
	if err := safefs.SyncDir(jsonnetDir); err != nil {
		return "", err
	}
	return "completed an interrupted kpgen bump: " + vendorDir + " had been replaced, and " + File + " and " + LockFile + " now match it (run `kpgen build` for the clusters)", nil
}

const tmpSuffix = ".kpgen-tmp"

// writeFileAtomic replaces path with data, durably.
func writeFileAtomic(path string, data []byte) error {
	tmp := path + tmpSuffix
	if err := safefs.WriteFile(tmp, data, 0o644); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	return safefs.SyncDir(filepath.Dir(path))
}

// Interrupted fails when jsonnetDir holds the stage of a kpgen vendor or
// bump: one running now (it holds the lock), or one that was killed and
// may have left the vendor tree and the lock disagreeing, which the next
// `kpgen vendor` settles (Recover). A build must not render meanwhile.
func Interrupted(jsonnetDir string) error {
	entries, err := os.ReadDir(jsonnetDir)
	if err != nil {
		return nil // the callers' own checks name a missing directory
	}
	for _, e := range entries {
		if n := e.Name(); strings.HasPrefix(n, stagePrefix) || strings.HasPrefix(n, BumpStagePrefix) {
			if unlock, err := safefs.Lock(jsonnetDir); err == nil {
				unlock()
				return fmt.Errorf("an interrupted kpgen vendor or bump left %s: run `kpgen vendor` to finish or undo it", filepath.Join(jsonnetDir, n))
			}
			return fmt.Errorf("another kpgen is vendoring or bumping in %s: run again when it has finished", jsonnetDir)
		}
	}
	return nil
}
