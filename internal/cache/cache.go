// Package cache makes rebuilds of unchanged clusters nearly free. After a
// successful build kpgen records, per vars file, a content hash of everything
// the render read (the vars file, every imported file, and every import
// candidate that was absent), kpgen's own build ID, and a hash of each output
// file. A later build whose inputs and out/<cluster>/ still hash the same
// skips rendering that cluster.
//
// Entries live in the user's cache directory (Dir: $KPGEN_CACHE, else
// kpgen/ in the OS's user cache directory, e.g. ~/.cache/kpgen), never in
// the repository: what a repository carries cannot vouch for its own output.
// The cache is safe to delete. Each entry carries a checksum of itself; a
// corrupted or partial entry is ignored, never trusted.
package cache

import (
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/render"
	"github.com/kpgen/kpgen/internal/safefs"
	"github.com/kpgen/kpgen/internal/validate"
)

const format = 1

// maxEntry bounds what kpgen reads of an entry (they are tens of KB).
const maxEntry = 16 << 20

// Entry is what a successful build of one vars file recorded.
type Entry struct {
	Format   int                `json:"format"`
	Kpgen    string             `json:"kpgen"`
	Vars     string             `json:"vars"`
	OutDir   string             `json:"outDir"`
	Cluster  string             `json:"cluster"`
	Deps     []render.Dep       `json:"deps"`
	Outputs  map[string]string  `json:"outputs"` // path in out/<cluster>/ → content hash
	Stats    validate.Stats     `json:"stats"`
	Warnings []validate.Problem `json:"warnings"`
	Sum      string             `json:"sum"` // of the entry with Sum empty
}

// Cache is a directory of entries. A nil *Cache caches nothing.
type Cache struct {
	dir string
	// The content hash of each dependency looked at ("" if absent), for
	// the lifetime of the Cache (one run: files do not change under it).
	// Clusters share most of their dependencies.
	mu       sync.Mutex
	sums     map[string]string
	trimOnce sync.Once
}

// Open returns the cache in dir (created on first store). A Cache remembers
// the hash of each dependency it checked, so open one per run.
func Open(dir string) *Cache { return &Cache{dir: dir, sums: map[string]string{}} }

// Env names the environment variable that sets the cache directory.
const Env = "KPGEN_CACHE"

// Dir is where kpgen keeps its cache for the project at root: $KPGEN_CACHE,
// else kpgen/ in the user's cache directory. It fails when that directory
// is unknown (no home directory) or lies inside the project, where a
// repository could carry forged entries: then kpgen builds without a cache.
func Dir(root string) (string, error) {
	dir := os.Getenv(Env)
	if dir == "" {
		base, err := os.UserCacheDir()
		if err != nil {
			return "", fmt.Errorf("no cache directory (%v); set %s", err, Env)
		}
		dir = filepath.Join(base, "kpgen")
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	if within(dir, root) {
		return "", fmt.Errorf("the cache directory %s is inside the project %s, where a repository could carry forged entries; set %s to a directory outside it", dir, root, Env)
	}
	return dir, nil
}

// within reports whether path is dir or below it (after resolving
// symlinks where they exist).
func within(path, dir string) bool {
	resolve := func(p string) string {
		if r, err := filepath.EvalSymlinks(p); err == nil {
			return r
		}
		return filepath.Clean(p)
	}
	path, dir = resolve(path), resolve(dir)
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

func (c *Cache) path(vars, outDir string) string {
	h := sha256.Sum256([]byte(vars + "\x00" + outDir))
	return filepath.Join(c.dir, hex.EncodeToString(h[:12])+".json")
}

// Lookup returns the entry for a vars file built into outDir if one exists,
// is intact and is still fresh: same kpgen, same inputs, and out/<cluster>/
// holding exactly the recorded output.
func (c *Cache) Lookup(vars, outDir string) *Entry {
	if c == nil {
		return nil
	}
	b, err := safefs.ReadRegular(c.path(vars, outDir), maxEntry)
	if err != nil {
		return nil
	}
	var e Entry
	if json.Unmarshal(b, &e) != nil || e.Format != format || e.Vars != vars || e.OutDir != outDir || e.Sum != e.checksum() {
		return nil
	}
	if e.Kpgen != Self() || !c.depsFresh(e.Deps) || !outputsFresh(filepath.Join(outDir, e.Cluster), e.Outputs) {
		return nil
	}
	c.touch(c.path(vars, outDir))
	return &e
}

// Entries unused for this long are removed (see trim): those of projects
// moved, deleted or built once in a temporary directory.
const (
	maxUnused = 30 * 24 * time.Hour
	trimEvery = 24 * time.Hour
)

// touch marks an entry used, at most once a day (as Go's build cache does).
func (c *Cache) touch(path string) {
	if fi, err := os.Stat(path); err == nil && time.Since(fi.ModTime()) > trimEvery {
		now := time.Now()
		os.Chtimes(path, now, now)
	}
}

// trim removes entries unused for maxUnused, at most once a day.
func (c *Cache) trim() {
	mark := filepath.Join(c.dir, "trimmed")
	if fi, err := os.Stat(mark); err == nil && time.Since(fi.ModTime()) < trimEvery {
		return
	}
	entries, _ := os.ReadDir(c.dir)
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil {
			continue
		}
		age := time.Since(fi.ModTime())
		// Temporary entries older than an hour were left by a killed run.
		if strings.HasSuffix(e.Name(), ".json") && age > maxUnused || strings.HasPrefix(e.Name(), ".entry-") && age > time.Hour {
			os.Remove(filepath.Join(c.dir, e.Name()))
		}
	}
	os.WriteFile(mark, nil, 0o644)
	now := time.Now()
	os.Chtimes(mark, now, now)
}

// Store records e, atomically.
func (c *Cache) Store(e *Entry) error {
	if c == nil {
		return nil
	}
	e.Format, e.Kpgen = format, Self()
	e.Sum = e.checksum()
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(c.dir, 0o755); err != nil {
		return err
	}
	c.trimOnce.Do(c.trim)
	tmp, err := os.CreateTemp(c.dir, ".entry-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(b); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), c.path(e.Vars, e.OutDir))
}

func (e Entry) checksum() string {
	e.Sum = ""
	b, _ := json.Marshal(e)
	return render.Sum(b)
}

func (c *Cache) depsFresh(deps []render.Dep) bool {
	for _, d := range deps {
		sum, err := c.sum(d.Path)
		if err != nil || sum != d.Sum {
			return false // changed, or a file now shadows an import
		}
	}
	return true
}

// sum is the content hash of the file at path, "" if it does not exist.
func (c *Cache) sum(path string) (string, error) {
	c.mu.Lock()
	sum, ok := c.sums[path]
	c.mu.Unlock()
	if ok {
		return sum, nil
	}
	b, err := safefs.ReadRegular(path, project.MaxImportBytes)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		sum = ""
	case err != nil:
		return "", err
	default:
		sum = render.Sum(b)
	}
	c.mu.Lock()
	if c.sums == nil {
		c.sums = map[string]string{}
	}
	c.sums[path] = sum
	c.mu.Unlock()
	return sum, nil
}

// Outputs hashes the files a build wrote.
func Outputs(files map[string][]byte) map[string]string {
	out := make(map[string]string, len(files))
	for p, b := range files {
		out[p] = render.Sum(b)
	}
	return out
}

func outputsFresh(dir string, want map[string]string) bool {
	dirs := map[string]bool{}
	for p := range want {
		for strings.Contains(p, "/") {
			p = p[:strings.LastIndex(p, "/")]
			dirs[p] = true
		}
	}
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && !dirs[rel] {
				return errStale // a directory a build does not make, empty or not
			}
			return nil
		}
		sum, ok := want[rel]
		if !ok || !d.Type().IsRegular() {
			return errStale
		}
		// What a build writes exactly: a plain file, not executable.
		if fi, err := d.Info(); err != nil || fi.Mode().Perm()&0o111 != 0 {
			return errStale
		}
		b, err := safefs.ReadRegular(p, project.MaxImportBytes)
		if err != nil || render.Sum(b) != sum {
			return errStale
		}
		n++
		return nil
	})
	return err == nil && n == len(want)
}

var errStale = errors.New("stale")

var (
	selfOnce sync.Once
	selfID   string
)

// Self identifies the running kpgen binary: its Go build ID (a hash of
// everything it was built from), or a hash of the executable when that is
// not available.
func Self() string {
	selfOnce.Do(func() {
		exe, err := os.Executable()
		if err != nil {
			selfID = "unknown"
			return
		}
		if f, err := elf.Open(exe); err == nil {
			if s := f.Section(".note.go.buildid"); s != nil {
				if b, err := s.Data(); err == nil && len(b) > 16 {
					selfID = "buildid:" + render.Sum(b)
				}
			}
			f.Close()
		}
		if selfID == "" {
			if f, err := os.Open(exe); err == nil {
				h := sha256.New()
				io.Copy(h, f)
				f.Close()
				selfID = "exe:" + hex.EncodeToString(h.Sum(nil))
			}
		}
	})
	return selfID
}

// Deps merges dependency lists, dropping the given paths (other clusters'
// vars files, which a shared VM read too), sorted.
func Deps(lists [][]render.Dep, drop map[string]bool) []render.Dep {
	seen := map[string]render.Dep{}
	for _, l := range lists {
		for _, d := range l {
			if !drop[d.Path] {
				seen[d.Path] = d
			}
		}
	}
	out := make([]render.Dep, 0, len(seen))
	for _, d := range seen {
		out = append(out, d)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}
