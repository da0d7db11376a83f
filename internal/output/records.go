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

// recordText is what out/.kpgen/<cluster> holds: the same for every cluster
// and every run, so that the record never changes once committed.
const recordText = `kpgen wrote the directory of the cluster this file is named after, and
replaces or removes only the cluster directories recorded here. Commit this
file with the cluster's directory; 'kpgen build --prune' removes both when no
vars file builds the cluster any more.
`

// Owned reports whether kpgen's record says it wrote outDir/<cluster>.
func Owned(outDir, cluster string) (bool, error) {
	if err := ownDir(outDir, RecordDir); err != nil {
		return false, err
	}
	fi, err := os.Lstat(filepath.Join(outDir, RecordDir, cluster))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	case err != nil:
		return false, err
	}
	return fi.Mode().IsRegular(), nil
}

// record writes out/.kpgen/<cluster>, durably, unless it is there.
func (o *Out) record(cluster string) error {
	dir := filepath.Join(o.dir, RecordDir)
	path := filepath.Join(dir, cluster)
	// Look before reading: a repository can commit a symlink here (to
	// /dev/zero, a FIFO...); rename below replaces it without following it.
	if fi, err := os.Lstat(path); err == nil && fi.Mode().IsRegular() && fi.Size() == int64(len(recordText)) {
		if b, err := os.ReadFile(path); err == nil && bytes.Equal(b, []byte(recordText)) {
			return nil
		}
	}
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return err
	}
	tmp, err := o.temp("record-"+cluster+"-", true)
	if err != nil {
		return err
	}
	if err := writeSynced(tmp, []byte(recordText)); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(dir)
}

// Prune removes out/<cluster> and its record. It refuses a directory kpgen
// has no record of writing.
func (o *Out) Prune(cluster string) error {
	if err := CheckCluster(cluster); err != nil {
		return err
	}
	owned, err := Owned(o.dir, cluster)
	if err != nil {
		return err
	}
	target := filepath.Join(o.dir, cluster)
	if !owned {
		return &NotOwnedError{Dir: target, What: "a directory"}
	}
	if _, err := os.Lstat(target); err == nil {
		gone, err := o.tempDir("gone-" + cluster + "-")
		if err != nil {
			return err
		}
		os.Remove(gone)
		if err := os.Rename(target, gone); err != nil {
			return err
		}
		if err := syncDir(o.dir); err != nil {
			return err
		}
		defer func() {
			os.RemoveAll(gone)
			o.dropTmpRoot()
		}()
	}
	if err := os.Remove(filepath.Join(o.dir, RecordDir, cluster)); err != nil {
		return err
	}
	os.Remove(filepath.Join(o.dir, RecordDir)) // when empty
	return syncDir(o.dir)
}

// recoverDir, with the output directory locked, undoes what an interrupted
// write left: a cluster directory moved aside and not replaced is moved
// back (it is complete: the new tree had not been swapped in), every other
// temporary tree is removed. It returns what it did.
func recoverDir(dir string) ([]string, error) {
	var did []string
	tmpRoot := filepath.Join(dir, TmpDir)
	type left struct{ path, name string }
	var lefts []left
	entries, err := os.ReadDir(tmpRoot)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, e := range entries {
		if e.Name() != ".gitignore" {
			lefts = append(lefts, left{filepath.Join(tmpRoot, e.Name()), e.Name()})
		}
	}
	// Trees left beside the clusters by kpgen before out/.kpgen-tmp/ existed:
	// .<cluster>.kpgen-new-<n> and .<cluster>.kpgen-old-<n>.
	top, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	for _, e := range top {
		n := e.Name()
		for _, kind := range []string{"new", "old"} {
			if c, suffix, ok := strings.Cut(n, ".kpgen-"+kind+"-"); ok && strings.HasPrefix(c, ".") {
				lefts = append(lefts, left{filepath.Join(dir, n), kind + "-" + c[1:] + "-" + suffix})
			}
		}
	}
	sort.Slice(lefts, func(i, j int) bool { return lefts[i].name < lefts[j].name })
	for _, l := range lefts {
		if cluster, ok := movedAside(l.name); ok {
			target := filepath.Join(dir, cluster)
			if _, err := os.Lstat(target); errors.Is(err, fs.ErrNotExist) {
				if err := os.Rename(l.path, target); err != nil {
					return did, err
				}
				did = append(did, fmt.Sprintf("restored %s, which an interrupted build had moved aside", Display(target)))
				continue
			}
		}
		if err := os.RemoveAll(l.path); err != nil {
			return did, err
		}
		did = append(did, fmt.Sprintf("removed %s, left by an interrupted build", Display(l.path)))
	}
	dropTmpRoot(dir)
	if len(did) > 0 {
		if err := syncDir(dir); err != nil {
			return did, err
		}
	}
	return did, nil
}

// movedAside parses "old-<cluster>-<n>", a cluster's previous tree moved
// aside by a swap.
func movedAside(name string) (cluster string, ok bool) {
	rest, ok := strings.CutPrefix(name, "old-")
	if !ok {
		return "", false
	}
	i := strings.LastIndex(rest, "-")
	if i < 0 {
		return "", false
	}
	cluster = rest[:i]
	return cluster, CheckCluster(cluster) == nil
}

// Inventory is what an output directory holds, as far as kpgen is concerned.
type Inventory struct {
	Recorded  []string // clusters kpgen's records say it wrote
	Dirs      []string // directories that may be clusters' (not hidden)
	Leftovers []string // temporary trees of interrupted runs, relative to the directory
}

// Scan reads an output directory's inventory; one that does not exist is
// empty.
func Scan(dir string) (Inventory, error) {
	var inv Inventory
	top, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return inv, nil
	}
	if err != nil {
		return inv, err
	}
	for _, e := range top {
		n := e.Name()
		switch {
		case strings.Contains(n, ".kpgen-new-") || strings.Contains(n, ".kpgen-old-"):
			inv.Leftovers = append(inv.Leftovers, n)
		case n == TmpDir:
			if sub, err := os.ReadDir(filepath.Join(dir, n)); err == nil {
				for _, e := range sub {
					if e.Name() != ".gitignore" {
						inv.Leftovers = append(inv.Leftovers, n+"/"+e.Name())
					}
				}
			}
		case strings.HasPrefix(n, "."):
		case e.IsDir():
			inv.Dirs = append(inv.Dirs, n)
		}
	}
	for _, name := range []string{RecordDir, TmpDir} {
		if err := ownDir(dir, name); err != nil {
			return inv, err
		}
	}
	recs, err := os.ReadDir(filepath.Join(dir, RecordDir))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return inv, err
	}
	for _, e := range recs {
		if e.Type().IsRegular() && CheckCluster(e.Name()) == nil {
			inv.Recorded = append(inv.Recorded, e.Name())
		}
	}
	return inv, nil
}

// Orphan is a cluster directory, or a record of one, that no vars file of
// the run builds.
type Orphan struct {
	Cluster string
	Owned   bool // kpgen's record says it wrote it (build --prune removes it)
	HasDir  bool // the directory exists (else only the record is left)
}

// Orphans lists what the output directory holds for clusters not in built.
func (inv Inventory) Orphans(built map[string]bool) []Orphan {
	byName := map[string]*Orphan{}
	for _, c := range inv.Recorded {
		if !built[c] {
			byName[c] = &Orphan{Cluster: c, Owned: true}
		}
	}
	for _, d := range inv.Dirs {
		if built[d] {
			continue
		}
		if o := byName[d]; o != nil {
			o.HasDir = true
		} else {
			byName[d] = &Orphan{Cluster: d, HasDir: true}
		}
	}
	out := make([]Orphan, 0, len(byName))
	for _, o := range byName {
		out = append(out, *o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Cluster < out[j].Cluster })
	return out
}
