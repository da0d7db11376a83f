package render

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"sync"

	jsonnet "github.com/google/go-jsonnet"

	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/safefs"
)

// resolver resolves imports as go-jsonnet's FileImporter does (the importing
// file's directory first, then the library paths, the last one first) and
// reads each path once. It is safe for concurrent use: the VMs of a run and
// their Program share one.
type resolver struct {
	jpaths []string
	mu     sync.Mutex
	cache  map[string]*entry
	// Where imports may be read (confined): the project's directory, by
	// name and once links are followed (links in jsonnet/vendor may point
	// at a linked platform's checkout). Empty: anywhere.
	root, realRoot, vendor string
}

type entry struct {
	once     sync.Once
	err      error // reading failed (other than not existing)
	exists   bool
	contents jsonnet.Contents
	sum      string
}

// Dep is one path an evaluation depended on: its content hash, or "" for a
// candidate path that must stay absent.
type Dep struct {
	Path string `json:"path"`
	Sum  string `json:"sum"`
}

func newResolver(jpaths []string) *resolver {
	return &resolver{jpaths: jpaths, cache: map[string]*entry{}}
}

// confined returns a resolver that reads only the project's files: a vars
// file, a library or a repository's link cannot import /proc/self/environ or
// ~/.ssh/id_rsa and publish it in out/ or a review comment.
func confined(root project.Root) *resolver {
	r := newResolver(root.JPath())
	r.root = filepath.Clean(root.Confine())
	r.realRoot = r.root
	if real, err := filepath.EvalSymlinks(r.root); err == nil {
		r.realRoot = real
	}
	r.vendor = filepath.Clean(root.VendorDir())
	return r
}

// within says whether path p is dir or below it (both clean).
func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && filepath.IsLocal(rel) || rel == "."
}

// check refuses an import path out of the project, by name, or, outside
// jsonnet/vendor, once links are followed.
func (r *resolver) check(importedPath, p string) error {
	if r.root == "" {
		return nil
	}
	if !within(r.root, p) {
		return fmt.Errorf("couldn't open import %#v: %s is outside the project %s: kpgen imports only the project's files", importedPath, project.Printable(p), project.Printable(r.root))
	}
	if within(r.vendor, p) {
		return nil
	}
	if real, err := filepath.EvalSymlinks(p); err == nil && !within(r.realRoot, real) {
		return fmt.Errorf("couldn't open import %#v: %s is a link out of the project (to %s): kpgen imports only the project's files", importedPath, project.Printable(p), project.Printable(real))
	}
	return nil
}

// resolve finds what importedPath, imported from the file importedFrom, is,
// and returns every path it looked at (each candidate before the match, found
// absent, then the match with its hash). An I/O error other than absence is
// returned as such.
func (r *resolver) resolve(importedFrom, importedPath string) (at string, deps []Dep, err error) {
	dir, _ := filepath.Split(importedFrom)
	dirs := []string{dir}
	for i := len(r.jpaths) - 1; i >= 0; i-- {
		dirs = append(dirs, r.jpaths[i])
	}
	for _, d := range dirs {
		p := importedPath
		if !filepath.IsAbs(p) {
			p = filepath.Join(d, p)
		}
		if err := r.check(importedPath, filepath.Clean(p)); err != nil {
			return "", deps, err
		}
		e, err := r.lookup(p)
		if err != nil {
			return "", deps, err
		}
		deps = append(deps, Dep{Path: p, Sum: e.sum})
		if e.exists {
			return p, deps, nil
		}
		if filepath.IsAbs(importedPath) {
			break
		}
	}
	return "", deps, fmt.Errorf("couldn't open import %#v: no match locally or in the Jsonnet library paths", importedPath)
}

// lookup reads the file at p once (other paths are read meanwhile): a
// regular file of at most project.MaxImportBytes, so that a named pipe
// cannot block a VM, nor a device (/dev/zero) fill its memory.
func (r *resolver) lookup(p string) (*entry, error) {
	r.mu.Lock()
	e, ok := r.cache[p]
	if !ok {
		e = &entry{}
		r.cache[p] = e
	}
	r.mu.Unlock()
	e.once.Do(func() {
		b, err := safefs.ReadRegular(p, project.MaxImportBytes)
		var (
			notRegular *safefs.NotRegularError
			tooLarge   *safefs.TooLargeError
		)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case errors.As(err, &notRegular):
			e.err = fmt.Errorf("%s: %v: kpgen imports only regular files", project.Printable(p), err)
		case errors.As(err, &tooLarge):
			e.err = fmt.Errorf("%s: %d bytes, larger than the %s kpgen reads from an imported file", project.Printable(p), tooLarge.Size, safefs.Bytes(tooLarge.Limit))
		case err != nil:
			e.err = fmt.Errorf("%s: %w", project.Printable(p), err)
		default:
			e.exists, e.contents, e.sum = true, jsonnet.MakeContentsRaw(b), Sum(b)
		}
	})
	if e.err != nil {
		return nil, e.err
	}
	return e, nil
}

// importer is a VM's go-jsonnet Importer: the shared resolver, recording
// every path the VM's own imports looked at, so that a later build can tell,
// without evaluating anything, whether an import would resolve to other
// content.
type importer struct {
	res  *resolver
	seen map[string]Dep
}

func newImporter(res *resolver) *importer {
	return &importer{res: res, seen: map[string]Dep{}}
}

func (im *importer) Import(importedFrom, importedPath string) (jsonnet.Contents, string, error) {
	at, deps, err := im.res.resolve(importedFrom, importedPath)
	for _, d := range deps {
		im.seen[d.Path] = d
	}
	if err != nil {
		return jsonnet.Contents{}, "", err
	}
	e, _ := im.res.lookup(at)
	return e.contents, at, nil
}

// deps lists every path looked at so far, sorted.
func (im *importer) deps() []Dep {
	out := make([]Dep, 0, len(im.seen))
	for _, d := range im.seen {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// Sum is the content hash kpgen uses: hex SHA-256.
func Sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
