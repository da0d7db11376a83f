package output

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kpgen/kpgen/internal/manifest"
	"github.com/kpgen/kpgen/internal/safefs"
)

// Out is an output directory opened for writing: locked against other kpgen
// processes writing to it, and cleaned of whatever an interrupted run left.
type Out struct {
	dir    string
	unlock func()
	tmpMu  sync.Mutex // out/.kpgen-tmp/ is made and removed by concurrent writes
	// Repaired says what Open repaired or cleaned up, for the user.
	Repaired []string
	// WriteFile, if set, writes each file of a new tree instead of the
	// default, which also fsyncs it (tests inject disk errors here).
	WriteFile func(name string, data []byte) error
}

// Open opens the output directory dir for writing, creating it if needed.
// It waits for no one: if another kpgen is writing to dir, it fails.
func Open(dir string) (*Out, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(abs, dirMode); err != nil {
		return nil, err
	}
	unlock, err := lock(abs)
	if err != nil {
		return nil, err
	}
	for _, name := range []string{RecordDir, TmpDir} {
		if err := ownDir(abs, name); err != nil {
			unlock()
			return nil, err
		}
	}
	o := &Out{dir: abs, unlock: unlock}
	if o.Repaired, err = recoverDir(abs); err != nil {
		o.Close()
		return nil, fmt.Errorf("cleaning up after an interrupted run in %s: %w", Display(abs), err)
	}
	return o, nil
}

// Close releases the lock.
func (o *Out) Close() {
	if o.unlock != nil {
		o.unlock()
		o.unlock = nil
	}
}

// Dir is the output directory's absolute path.
func (o *Out) Dir() string { return o.dir }

// CheckCluster reports whether name may name a cluster's directory: a
// DNS-1123 label, as vars.cluster.name must be.
func CheckCluster(name string) error {
	if errs := validation.IsDNS1123Label(name); len(errs) > 0 {
		return fmt.Errorf("cluster name %q is not a DNS-1123 label: %s", name, errs[0])
	}
	return nil
}

// Result says what Write did.
type Result struct {
	Unchanged bool // the directory already held exactly these files
}

// Write makes out/<cluster> hold exactly files. When it already does,
// nothing is touched.
func (o *Out) Write(cluster string, files []File) (Result, error) {
	p, err := o.Prepare(cluster, files)
	if err != nil || p == nil {
		return Result{Unchanged: p == nil && err == nil}, err
	}
	return Result{}, p.Commit()
}

// Pending is a cluster's new tree, written beside its target, waiting to be
// swapped in by Commit or thrown away by Abort.
type Pending struct {
	o       *Out
	cluster string
	tmp     string
}

// Prepare checks that kpgen may write out/<cluster> and writes files into a
// temporary tree. It returns nil (and no error) when the directory already
// holds exactly these files.
func (o *Out) Prepare(cluster string, files []File) (*Pending, error) {
	if err := CheckCluster(cluster); err != nil {
		return nil, err
	}
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = f.Path
	}
	if err := manifest.CheckPaths(paths); err != nil {
		return nil, fmt.Errorf("refusing to write %s: %w", Display(filepath.Join(o.dir, cluster)), err)
	}
	owned, err := o.claim(cluster)
	if err != nil {
		return nil, err
	}
	target := filepath.Join(o.dir, cluster)
	if owned {
		if d, err := Compare(target, files); err == nil && d.Empty() {
			return nil, nil
		}
	}
	tmp, err := o.tempDir("new-" + cluster + "-")
	if err != nil {
		return nil, &UntouchedError{Dir: target, Err: err}
	}
	hook("created")
	if err := o.fill(tmp, files); err != nil {
		os.RemoveAll(tmp)
		o.dropTmpRoot()
		return nil, &UntouchedError{Dir: target, Err: err}
	}
	hook("filled")
	return &Pending{o: o, cluster: cluster, tmp: tmp}, nil
}

// Record writes the record that kpgen owns out/<cluster> (Commit does it
// too): a caller that must commit several things together records first,
// while a failure still changes nothing.
func (p *Pending) Record() error { return p.o.record(p.cluster) }

// Abort removes the prepared tree.
func (p *Pending) Abort() {
	os.RemoveAll(p.tmp)
	p.o.dropTmpRoot()
}

// Commit records that kpgen owns out/<cluster> and swaps the new tree in.
// An error says what is on disk: an *UntouchedError when out/<cluster> is as
// it was, a *LeftoverError when the new tree is in place but the old one is
// still on disk.
func (p *Pending) Commit() error {
	if err := p.o.record(p.cluster); err != nil {
		p.Abort()
		return &UntouchedError{Dir: p.target(), Err: err}
	}
	hook("recorded")
	err := p.o.swap(p.tmp, p.target())
	p.o.dropTmpRoot()
	return err
}

func (p *Pending) target() string { return filepath.Join(p.o.dir, p.cluster) }

// UntouchedError is a failed write that left the cluster's directory as it
// was.
type UntouchedError struct {
	Dir string
	Err error
}

func (e *UntouchedError) Error() string {
	return fmt.Sprintf("writing %s: %v (its previous content is untouched)", Display(e.Dir), e.Err)
}

func (e *UntouchedError) Unwrap() error { return e.Err }

// LeftoverError is a write that put the new tree in place, but could not
// remove the previous one.
type LeftoverError struct {
	Dir, Old string
	Err      error
}

func (e *LeftoverError) Error() string {
	return fmt.Sprintf("%s holds the new output, but its previous tree could not be removed from %s: %v (the next kpgen build removes it)", Display(e.Dir), Display(e.Old), e.Err)
}

func (e *LeftoverError) Unwrap() error { return e.Err }

// NotOwnedError refuses to replace or remove a directory kpgen did not write.
type NotOwnedError struct {
	Dir  string
	What string // what is there
}

func (e *NotOwnedError) Error() string {
	return fmt.Sprintf("refusing to replace %s: it is %s that kpgen has no record of writing (%s); move it away, or delete it if an earlier kpgen wrote it, and build again",
		Display(e.Dir), e.What, Display(filepath.Join(filepath.Dir(e.Dir), RecordDir, filepath.Base(e.Dir))))
}

// claim reports whether kpgen wrote out/<cluster> (its record exists), and
// fails unless kpgen may replace what is there: nothing, an empty
// directory, or a directory kpgen wrote.
func (o *Out) claim(cluster string) (owned bool, err error) {
	target := filepath.Join(o.dir, cluster)
	fi, err := os.Lstat(target)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if !fi.IsDir() {
		what := "a file"
		if fi.Mode()&fs.ModeSymlink != 0 {
			what = "a symbolic link"
		}
		return false, &NotOwnedError{Dir: target, What: what}
	}
	owned, err = Owned(o.dir, cluster)
	if err != nil || owned {
		return owned, err
	}
	if entries, err := os.ReadDir(target); err == nil && len(entries) == 0 {
		return false, nil
	}
	return false, &NotOwnedError{Dir: target, What: "a directory"}
}

func (o *Out) fill(tmp string, files []File) error {
	if err := os.Chmod(tmp, dirMode); err != nil {
		return err
	}
	write := o.WriteFile
	if write == nil {
		write = writeSynced
	}
	dirs := []string{tmp}
	made := map[string]bool{tmp: true}
	for _, f := range files {
		name := filepath.Join(tmp, filepath.FromSlash(f.Path))
		for d := filepath.Dir(name); !made[d]; d = filepath.Dir(d) {
			made[d] = true
			dirs = append(dirs, d)
		}
	}
	sort.Strings(dirs) // parents first
	for _, d := range dirs[1:] {
		if err := os.Mkdir(d, dirMode); err != nil {
			return err
		}
		if err := os.Chmod(d, dirMode); err != nil { // whatever the umask
			return err
		}
	}
	if err := writeAll(files, tmp, write); err != nil {
		return err
	}
	for _, d := range dirs {
		if err := syncDir(d); err != nil {
			return err
		}
	}
	return nil
}

// swap puts the tree tmp at target and removes what target held: an atomic
// exchange where the file system offers one, else two renames, the old tree
// moved aside to .kpgen-tmp/old-<cluster>-… first (if kpgen is killed
// between them, the next run moves it back).
func (o *Out) swap(tmp, target string) error {
	old := filepath.Join(filepath.Dir(tmp), "old-"+strings.TrimPrefix(filepath.Base(tmp), "new-"))
	err := replacer.Replace(tmp, target, old)
	var re *safefs.ReplaceError
	switch {
	case err == nil:
		return nil
	case !errors.As(err, &re):
		return err
	case re.Swapped && re.Old != "":
		return &LeftoverError{Dir: target, Old: re.Old, Err: re.Err}
	case re.Swapped:
		return fmt.Errorf("%s holds the new output, but it could not be made durable: %w", Display(target), re.Err)
	case re.Aside != "":
		return fmt.Errorf("writing %s: %w (its previous tree is at %s: the next kpgen build moves it back)", Display(target), re.Err, Display(re.Aside))
	}
	os.RemoveAll(tmp)
	return &UntouchedError{Dir: target, Err: re.Err}
}

// tmpIgnore is out/.kpgen-tmp/.gitignore: git ignores the directory's
// content wherever out/ is committed, so an interrupted run's leftovers
// never reach a commit.
const tmpIgnore = "# Temporary trees of kpgen runs in progress (or interrupted: the next run removes them).\n*\n"

// tempDir makes a directory in out/.kpgen-tmp/ (made first, with its
// .gitignore), named prefix and a random number; file makes it a file.
func (o *Out) temp(prefix string, file bool) (string, error) {
	o.tmpMu.Lock()
	defer o.tmpMu.Unlock()
	dir := filepath.Join(o.dir, TmpDir)
	if err := os.MkdirAll(dir, dirMode); err != nil {
		return "", err
	}
	ignore := filepath.Join(dir, ".gitignore")
	if _, err := os.Lstat(ignore); err != nil {
		if err := writeSynced(ignore, []byte(tmpIgnore)); err != nil {
			return "", err
		}
	}
	if !file {
		return os.MkdirTemp(dir, prefix)
	}
	f, err := os.CreateTemp(dir, prefix)
	if err != nil {
		return "", err
	}
	return f.Name(), f.Close()
}

func (o *Out) tempDir(prefix string) (string, error) { return o.temp(prefix, false) }

// dropTmpRoot removes out/.kpgen-tmp/ when nothing but its .gitignore is
// left in it.
func (o *Out) dropTmpRoot() {
	o.tmpMu.Lock()
	defer o.tmpMu.Unlock()
	dropTmpRoot(o.dir)
}

func dropTmpRoot(dir string) {
	tmp := filepath.Join(dir, TmpDir)
	if entries, err := os.ReadDir(tmp); err == nil && len(entries) == 1 && entries[0].Name() == ".gitignore" {
		os.Remove(filepath.Join(tmp, ".gitignore"))
	}
	os.Remove(tmp)
}

// hook, in tests, is called at each step of a write ("created", "filled",
// "recorded", and the swap's "moved-aside", "swapped"), to stop the process
// there.
var hook = func(step string) {}
