// Package bump moves one Jsonnet dependency to a new version: it updates
// jsonnetfile.json, drops the lock entries that must move with it, re-vendors
// and re-renders every cluster — all in a staging directory — and only when
// everything succeeded swaps the jsonnetfile, the lock, jsonnet/vendor and
// each out/<cluster>/ into place. On any failure nothing is touched.
package bump

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/jsonnet-bundler/jsonnet-bundler/pkg/jsonnetfile"
	v1 "github.com/jsonnet-bundler/jsonnet-bundler/spec/v1"

	"github.com/kpgen/kpgen/internal/build"
	"github.com/kpgen/kpgen/internal/diff"
	"github.com/kpgen/kpgen/internal/output"
	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/safefs"
	"github.com/kpgen/kpgen/internal/vendoring"
)

// Options configure a bump.
type Options struct {
	Root   project.Root
	OutDir string
	Jobs   int
	Shards int       // VMs per cluster (build.Options.Shards)
	Target string    // <dependency>@<version>; the dependency by full or short name
	Log    io.Writer // vendoring progress
	Trace  bool      // build.Options.Trace
}

// Result describes a successful bump.
type Result struct {
	Dependency string          // full package name
	From, To   string          // versions in jsonnetfile.json
	Dropped    []string        // lock entries that moved with the dependency
	Seeded     []string        // of those, pinned from the release's own lock
	Clusters   []*build.Result // the new output of each cluster
	Old        map[string]map[string][]byte
}

// Run performs the bump described by opts.
func Run(opts Options) (*Result, error) {
	name, version, ok := strings.Cut(opts.Target, "@")
	if !ok || name == "" || version == "" {
		return nil, fmt.Errorf("%q: want <dependency>@<version>, e.g. kube-prometheus@v0.19.0", opts.Target)
	}
	jfPath := filepath.Join(opts.Root.JsonnetDir(), vendoring.File)
	jf, err := jsonnetfile.Load(jfPath)
	if err != nil {
		return nil, err
	}
	full, err := resolve(jf, name)
	if err != nil {
		return nil, err
	}
	dep, _ := jf.Dependencies.Get(full)
	res := &Result{Dependency: full, From: dep.Version, To: version}
	if dep.Version == version {
		return nil, fmt.Errorf("%s is already at %s in %s", full, version, jfPath)
	}

	// One kpgen at a time changes jsonnet/: the lock kpgen vendor takes.
	// Without it, a second bump's recoverStages removes this one's stage.
	unlock, err := safefs.Lock(opts.Root.JsonnetDir())
	if errors.Is(err, safefs.ErrLocked) {
		return nil, fmt.Errorf("another kpgen is changing %s; run again when it has finished", opts.Root.JsonnetDir())
	}
	if err != nil {
		return nil, err
	}
	defer unlock()
	// Whatever a killed bump or vendor left: a vendor tree moved aside is
	// moved back, a bump whose vendor tree was swapped in is completed.
	recovered, err := vendoring.Recover(opts.Root.JsonnetDir(), opts.Root.VendorDir())
	if err != nil {
		return nil, fmt.Errorf("cleaning up after an interrupted run: %w", err)
	}
	if opts.Log != nil {
		for _, r := range recovered {
			fmt.Fprintf(opts.Log, "NOTE: %s\n", r)
		}
	}
	stage, err := vendoring.Stage(opts.Root.JsonnetDir(), vendoring.BumpStagePrefix)
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(stage)
	shadow := project.Root{Dir: stage, Library: opts.Root.Library, Within: opts.Root.Dir}
	if err := prepareStage(opts.Root, shadow); err != nil {
		return nil, fmt.Errorf("staging: %w", err)
	}

	// The new jsonnetfile, and a lock without the entries that move.
	dep.Version = version
	jf.Dependencies.Set(full, dep)
	if err := writeJSON(filepath.Join(shadow.JsonnetDir(), vendoring.File), jf); err != nil {
		return nil, err
	}
	lock, err := jsonnetfile.Load(filepath.Join(opts.Root.JsonnetDir(), vendoring.LockFile))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	if lock.Dependencies == nil {
		lock = v1.New()
	}
	res.Dropped = pulledIn(opts.Root.VendorDir(), full, jf)
	for _, d := range res.Dropped {
		lock.Dependencies.Delete(d)
	}
	// Pin what the dependency pulls in as its release does, when the release
	// commits a lock; what it does not pin is re-resolved.
	if dep.Source.GitSource != nil {
		rel, ok, err := vendoring.ReleaseLock(dep.Source.GitSource.Remote(), version, dep.Source.GitSource.Subdir)
		if err != nil {
			return nil, fmt.Errorf("fetching %s@%s: %w", full, version, err)
		}
		if ok {
			for _, k := range rel.Dependencies.Keys() {
				if _, direct := jf.Dependencies.Get(k); direct || k == full {
					continue
				}
				d, _ := rel.Dependencies.Get(k)
				lock.Dependencies.Set(k, d)
				res.Seeded = append(res.Seeded, k)
			}
		}
	}
	if err := writeJSON(filepath.Join(shadow.JsonnetDir(), vendoring.LockFile), v1.JsonnetFile{Dependencies: lock.Dependencies}); err != nil {
		return nil, err
	}

	if _, err := vendoring.Install(vendoring.Options{JsonnetDir: shadow.JsonnetDir(), Log: opts.Log}); err != nil {
		return nil, fmt.Errorf("fetching %s@%s: %w", full, version, err)
	}

	vars, err := opts.Root.AllVars()
	if err != nil {
		return nil, err
	}
	res.Clusters = build.Run(build.Options{Root: shadow, OutDir: opts.OutDir, Jobs: opts.Jobs, Shards: opts.Shards, Mode: build.Validate, Trace: opts.Trace}, vars)
	var failed []string
	for _, r := range res.Clusters {
		if r.Failed() {
			failed = append(failed, failure(r))
		}
	}
	if len(failed) > 0 {
		return nil, fmt.Errorf("%s@%s does not build:\n%s", full, version, strings.Join(failed, "\n"))
	}

	// Everything rendered: stage each cluster's output, then swap it all in.
	out, err := output.Open(opts.OutDir)
	if err != nil {
		return nil, err
	}
	defer out.Close()
	res.Old = map[string]map[string][]byte{}
	var pending []*output.Pending
	abort := func() {
		for _, p := range pending {
			p.Abort()
		}
	}
	for _, r := range res.Clusters {
		if res.Old[r.Cluster], err = diff.ReadDir(r.Dir); err != nil {
			abort()
			return nil, fmt.Errorf("reading %s: %w", r.Dir, err)
		}
		p, err := out.Prepare(r.Cluster, r.Files)
		if err != nil {
			abort()
			return nil, err
		}
		if p != nil {
			pending = append(pending, p)
		}
	}
	// Everything that can fail on its own before anything is swapped in.
	for _, p := range pending {
		if err := p.Record(); err != nil {
			abort()
			return nil, err
		}
	}
	if err := commit(opts.Root, shadow, filepath.Join(stage, "vendor-old")); err != nil {
		abort()
		return nil, err
	}
	var errs []error
	for _, p := range pending {
		if err := p.Commit(); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return nil, &PartialError{To: version, Err: errors.Join(errs...)}
	}
	return res, nil
}

// PartialError is a bump that failed after jsonnet/ had moved to the new
// version: some clusters' output may still be the old one.
type PartialError struct {
	To  string
	Err error
}

func (e *PartialError) Error() string {
	return fmt.Sprintf("jsonnet/ is now at %s, but writing the output failed: %v; run `kpgen build` to finish", e.To, e.Err)
}

func (e *PartialError) Unwrap() error { return e.Err }

// resolve finds the direct dependency a user means by name: its full name,
// its legacy (import) name, or the last element(s) of its full name.
func resolve(jf v1.JsonnetFile, name string) (string, error) {
	var matches, all []string
	for _, k := range jf.Dependencies.Keys() {
		d, _ := jf.Dependencies.Get(k)
		all = append(all, d.LegacyName())
		if k == name || d.LegacyName() == name || strings.HasSuffix(k, "/"+name) {
			matches = append(matches, k)
		}
	}
	switch len(matches) {
	case 1:
		return matches[0], nil
	case 0:
		return "", fmt.Errorf("no dependency %q in %s (it has: %s)", name, vendoring.File, strings.Join(all, ", "))
	}
	return "", fmt.Errorf("%q is ambiguous: %s", name, strings.Join(matches, ", "))
}

// pulledIn lists the dependency and everything its vendored jsonnetfiles pull
// in, transitively — except what the project itself depends on directly.
func pulledIn(vendorDir, name string, direct v1.JsonnetFile) []string {
	seen := map[string]bool{}
	var walk func(string)
	walk = func(n string) {
		if seen[n] {
			return
		}
		seen[n] = true
		jf, err := jsonnetfile.Load(filepath.Join(vendorDir, n, vendoring.File))
		if err != nil {
			return
		}
		for _, k := range jf.Dependencies.Keys() {
			walk(k)
		}
	}
	walk(name)
	var out []string
	for n := range seen {
		if _, isDirect := direct.Dependencies.Get(n); isDirect && n != name {
			continue
		}
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// prepareStage makes a shadow project: the jsonnet dir with a linked copy of
// the vendor tree, and, in a platform repository, the library and mixins
// linked from the real project (a config repository's library is in the
// vendor tree, which the bump moves).
func prepareStage(root, shadow project.Root) error {
	if err := os.MkdirAll(shadow.JsonnetDir(), 0o755); err != nil {
		return err
	}
	if err := vendoring.LinkTree(root.VendorDir(), shadow.VendorDir()); err != nil {
		return err
	}
	if root.IsConfig() {
		return nil
	}
	// Everything of the platform's own: lib/, mixins/ and whatever else its
	// Jsonnet imports (dashboards/, …), but what the bump changes.
	entries, err := os.ReadDir(root.JsonnetDir())
	if err != nil {
		return err
	}
	for _, e := range entries {
		switch n := e.Name(); {
		case n == "vendor", n == vendoring.File, n == vendoring.LockFile, strings.HasPrefix(n, "."):
		default:
			if err := os.Symlink(filepath.Join(root.JsonnetDir(), n), filepath.Join(shadow.JsonnetDir(), n)); err != nil {
				return err
			}
		}
	}
	return nil
}

// commit moves the staged vendor tree, lock and jsonnetfile into the
// project, in that order (vendoring.Recover completes a commit killed
// half-way); the old vendor tree is moved aside if it cannot be exchanged.
func commit(root, shadow project.Root, aside string) error {
	if err := safefs.Replace(shadow.VendorDir(), root.VendorDir(), aside); err != nil {
		return fmt.Errorf("replacing %s: %w", root.VendorDir(), err)
	}
	for _, f := range []string{vendoring.LockFile, vendoring.File} {
		if err := os.Rename(filepath.Join(shadow.JsonnetDir(), f), filepath.Join(root.JsonnetDir(), f)); err != nil {
			return err
		}
	}
	return safefs.SyncDir(root.JsonnetDir())
}

func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func failure(r *build.Result) string {
	if r.Err != nil {
		return fmt.Sprintf("  %s: %v", r.Label(), r.Err)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "  %s: %d problem(s):", r.Label(), len(r.Problems))
	for _, p := range r.Problems {
		b.WriteString("\n    " + p.String())
	}
	return b.String()
}
