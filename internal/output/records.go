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

	"github.com/kpgen/kpgen/internal/safefs"
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

// leftover is a temporary tree or file of a kpgen run in the output
// directory: in .kpgen-tmp/, or beside the clusters under the names kpgen
// used before .kpgen-tmp/ existed (.<cluster>.kpgen-new-<n>,
// .<cluster>.kpgen-old-<n>).
type leftover struct {
	path string // absolute
	rel  string // relative to the output directory, for messages
	name string // as in .kpgen-tmp/: new-<cluster>-<n>, old-<cluster>-<n>, …
}

// leftovers lists an output directory's leftovers, sorted by name. Call
// ownDir first: .kpgen-tmp must be a real directory.
func leftovers(dir string) ([]leftover, error) {
	var out []leftover
	entries, err := os.ReadDir(filepath.Join(dir, TmpDir))
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, e := range entries {
		if e.Name() != ".gitignore" {
			rel := TmpDir + "/" + e.Name()
			out = append(out, leftover{filepath.Join(dir, TmpDir, e.Name()), rel, e.Name()})
		}
	}
	top, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	for _, e := range top {
		n := e.Name()
		for _, kind := range []string{"new", "old"} {
			if c, suffix, ok := strings.Cut(n, ".kpgen-"+kind+"-"); ok && strings.HasPrefix(c, ".") {
				out = append(out, leftover{filepath.Join(dir, n), n, kind + "-" + c[1:] + "-" + suffix})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

// recoverDir, with the output directory locked, undoes what an interrupted
// write left: a cluster directory moved aside and not replaced is moved
// back (it is complete: the new tree had not been swapped in), every other
// temporary tree is removed. It returns what it did. Only a cluster it
// cannot move back is an error; a tree it cannot remove is reported and
// left for a later run.
func recoverDir(dir string) ([]string, error) {
	var did []string
	lefts, err := leftovers(dir)
	if err != nil {
		return nil, err
	}
	for _, l := range lefts {
		if cluster, ok := movedAside(l.name); ok {
			target := filepath.Join(dir, cluster)
			if _, err := os.Lstat(target); errors.Is(err, fs.ErrNotExist) {
				if err := os.Rename(l.path, target); err != nil {
					return did, fmt.Errorf("moving %s back from %s: %w", Display(target), Display(l.path), err)
				}
				did = append(did, fmt.Sprintf("restored %s, which an interrupted build had moved aside", Display(target)))
				continue
			}
		}
		if err := safefs.RemoveAll(l.path); err != nil {
			did = append(did, fmt.Sprintf("could not remove %s, left by an earlier run: %v", Display(l.path), err))
			continue
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
	for _, name := range []string{RecordDir, TmpDir} {
		if err := ownDir(dir, name); err != nil {
			return inv, err
		}
	}
	for _, e := range top {
		if n := e.Name(); !strings.HasPrefix(n, ".") && e.IsDir() {
			inv.Dirs = append(inv.Dirs, n)
		}
	}
	lefts, err := leftovers(dir)
	if err != nil {
		return inv, err
	}
	for _, l := range lefts {
		inv.Leftovers = append(inv.Leftovers, l.rel)
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

// Busy reports whether another kpgen process is writing to the output
// directory dir (holds its lock).
func Busy(dir string) bool {
	unlock, err := safefs.Lock(dir)
	if err != nil {
		return errors.Is(err, safefs.ErrLocked)
	}
	unlock()
	return false
}
