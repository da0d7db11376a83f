package vendoring

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/kpgen/kpgen/internal/safefs"
)

// HashDir is jsonnet-bundler's package checksum: SHA-256 over the contents of
// every regular file below dir, in lexical walk order, base64-encoded.
func HashDir(dir string) string {
	h := sha256.New()
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		if info.IsDir() {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(h, f)
		return err
	})
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

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

// Recover undoes what an interrupted Install (or bump) left in jsonnetDir:
// a vendor tree moved aside and not replaced is moved back, staging trees
// and temporary lock files are removed.
func Recover(jsonnetDir, vendorDir string) error {
	entries, err := os.ReadDir(jsonnetDir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		p := filepath.Join(jsonnetDir, e.Name())
		switch {
		case strings.HasPrefix(e.Name(), stagePrefix):
			if _, err := safefs.Restore(vendorDir, filepath.Join(p, "old")); err != nil {
				return err
			}
			if err := os.RemoveAll(p); err != nil {
				return err
			}
		case strings.HasSuffix(e.Name(), tmpSuffix):
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	return nil
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
