// Package build runs the per-cluster pipeline — render, validate, encode,
// write — over many vars files in parallel, one Jsonnet VM per worker.
package build

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/kpgen/kpgen/internal/cache"
	"github.com/kpgen/kpgen/internal/check/apply"
	"github.com/kpgen/kpgen/internal/manifest"
	"github.com/kpgen/kpgen/internal/output"
	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/render"
	"github.com/kpgen/kpgen/internal/validate"
)

// Mode selects what happens after a cluster has rendered and validated.
type Mode int

const (
	Write    Mode = iota // write out/<cluster>/
	Validate             // write nothing
	Check                // compare with out/<cluster>/, write nothing
)

// Options configure a run.
type Options struct {
	Root   project.Root
	OutDir string // parent of the clusters' directories
	Jobs   int    // Jsonnet VMs (cores) in use at once; clusters run in parallel up to this
	Shards int    // above 1: clusters may spread over several VMs, the run using -j of them (see Shards); else one VM per cluster
	Mode   Mode
	// WriteFile, if set, writes each output file instead of the default
	// (tests inject disk errors; see output.Out).
	WriteFile func(name string, data []byte) error
	Cache     *cache.Cache // nil: always render
	// Orphans: vars are every cluster of the project, so a cluster
	// directory in OutDir that none of them builds is an orphan (see
	// Outcome.Orphans). Prune (Write mode) removes the orphans kpgen wrote.
	Orphans, Prune bool
	// NoShare renders every cluster on its own. By default, the clusters of a
	// run share the work whose inputs are equal (render.Memo).
	NoShare bool
	// Trace: a Jsonnet error shows the whole stack, kpgen's library and
	// jsonnet/vendor included (render.EvalError), not only the user's files.
	Trace bool
	// Progress, if set, is called as each cluster finishes (from one goroutine at a time).
	Progress func(done, total int, r *Result)
	// Program, if set, is the parsed Jsonnet the run's VMs share (a caller
	// that evaluated heads already passes its own); else the run parses it.
	Program *render.Program
	// KeepRendered: each Result.Rendered holds its files' JSON as rendered
	// (kpgen show selects objects in it and prints it as JSON).
	KeepRendered bool
	// NoValidate (Validate mode only): skip the object and rule checks of
	// validate.Files; the files are encoded and returned whatever they hold
	// (kpgen show --no-validate). A run that writes or checks always
	// validates.
	NoValidate bool

	onRenderers func(n int) // tests: how many VMs render each cluster
}

// Result is the outcome for one vars file.
type Result struct {
	Vars      string // as given
	VarsRel   string // relative to the project root, for messages
	Cluster   string // empty when the vars could not be read
	Dir       string // out/<cluster>
	Files     []output.File
	Rendered  []render.File // with Options.KeepRendered: the files' JSON, in the order of Files
	Problems  []validate.Problem
	Warnings  []validate.Problem
	Stats     validate.Stats
	Err       error             // evaluation, vars, encoding or disk error
	Unchanged bool              // Write: the directory already held this output
	Cached    bool              // inputs and output unchanged since the last build: not rendered
	shareable bool              // the cluster may share work with others (render.Head)
	allow     map[string]string // the leak check's exceptions (render.Head)
	ssa       bool              // vars apply.serverSide (render.Head)
	Diff      output.Diff
	Elapsed   time.Duration
}

// Label names the cluster in messages: "name (vars file)", or the vars file
// alone when the name is not known.
func (r *Result) Label() string {
	if r.Cluster == "" {
		return r.VarsRel
	}
	return r.Cluster + " (" + r.VarsRel + ")"
}

// Failed reports whether this cluster failed.
func (r *Result) Failed() bool { return r.Err != nil || len(r.Problems) > 0 }

// Stale reports whether, in Check mode, out/ differs from what a build writes.
func (r *Result) Stale() bool { return !r.Diff.Empty() }

// Outcome is what a run did, cluster by cluster and as a whole.
type Outcome struct {
	Results []*Result // in the order of the vars files
	// Err fails the run as a whole (the output directory cannot be opened
	// for writing); no cluster was written.
	Err error
	// Repaired says what the run repaired or cleaned up in the output
	// directory, left by an interrupted run.
	Repaired []string
	// Orphans (with Options.Orphans) are cluster directories, or records
	// of them, that no vars file of the run builds; Pruned those removed
	// (with Options.Prune). OrphansUnknown says why orphans could not be
	// told (a vars file whose cluster name is not known).
	Orphans        []output.Orphan
	OrphansUnknown string
	// Leftovers (Check mode) are temporary trees of interrupted runs in the
	// output directory, which the next build removes.
	Leftovers []string
	// OutDirErr: the output directory cannot be looked at (e.g. kpgen's
	// own .kpgen is a symbolic link), or is being written by another run.
	OutDirErr error
	Pruned    []string
	PruneErrs []error
}

// Run processes every vars file; results come back in the order of vars.
// A run-level error (Outcome.Err) fails every cluster.
func Run(opts Options, vars []string) []*Result {
	o := Execute(opts, vars)
	if o.Err != nil {
		for _, r := range o.Results {
			if r.Err == nil {
				r.Err, r.Unchanged, r.Cached = o.Err, false, false
			}
		}
	}
	return o.Results
}

// Execute processes every vars file, and the output directory as a whole.
func Execute(opts Options, vars []string) *Outcome {
	results := make([]*Result, len(vars))
	for i, v := range vars {
		results[i] = &Result{Vars: v}
	}
	outcome := &Outcome{Results: results}
	jobs := max(1, opts.Jobs)

	// The VMs: -j of them when the memory limit lets clusters spread over
	// several (opts.Shards > 1), else one per cluster in flight.
	spread := opts.Shards > 1
	vms := jobs
	if !spread {
		vms = Workers(jobs, len(vars))
	}
	prog := opts.Program
	if prog == nil {
		prog = render.ProgramFor(opts.Root)
	}
	all := make([]*render.Renderer, vms)
	for i := range all {
		all[i] = render.NewShared(opts.Root, prog)
	}

	// Pass 1, cheap: cluster names and vars problems, so that two vars
	// files naming the same cluster are caught before anything is written.
	// The heads are evaluated on every VM; the checks run in order.
	var todo []*Result
	for _, res := range results {
		res.VarsRel = all[0].Rel(res.Vars)
		start := time.Now()
		// Before the cache hashes it: a named pipe would block, a device
		// fill the memory.
		if res.Err = project.CheckVars(res.Vars); res.Err != nil {
			continue
		}
		if e := opts.Cache.Lookup(absPath(res.Vars), absPath(opts.OutDir)); e != nil && recorded(opts.OutDir, e.Cluster) {
			res.Cached, res.Unchanged = true, true
			res.Cluster, res.Stats, res.Warnings = e.Cluster, e.Stats, e.Warnings
			res.Dir = filepath.Join(opts.OutDir, e.Cluster)
			res.Elapsed = time.Since(start)
		} else {
			todo = append(todo, res)
		}
	}
	var (
		headMu sync.Mutex
		headAt int
		heads  sync.WaitGroup
	)
	for _, r := range all[:min(len(all), len(todo))] {
		heads.Add(1)
		go func() {
			defer heads.Done()
			for {
				headMu.Lock()
				i := headAt
				headAt++
				headMu.Unlock()
				if i >= len(todo) {
					return
				}
				res := todo[i]
				start := time.Now()
				head, err := r.Head(res.Vars)
				res.Elapsed = time.Since(start)
				switch {
				case err != nil:
					res.Err = err
				default:
					// Whatever the entrypoint returns, the name becomes a
					// directory only if it is a DNS-1123 label.
					if err := output.CheckCluster(head.Cluster); err != nil {
						res.Err = fmt.Errorf("the entrypoint returned %w", err)
						break
					}
					res.Cluster = head.Cluster
					res.Dir = filepath.Join(opts.OutDir, head.Cluster)
					res.shareable = head.Shareable
					res.allow = head.AllowPlaintext
					res.ssa = head.ServerSide
				}
			}
		}()
	}
	heads.Wait()
	// Two vars files naming one cluster fail the whole run: which one
	// would win is not for kpgen to guess, and nothing is written.
	dups := duplicates(results)
	if dups > 0 {
		for _, res := range results {
			if res.Err == nil {
				res.Err = fmt.Errorf("not built: %d vars files name a cluster another one names (see above), so nothing is written", dups)
				res.Cached, res.Unchanged = false, false
			}
		}
	}
	// Pass 2: each worker renders clusters one after the other, each spread
	// over its VMs (see render.FilesParallel and Workers). The VMs are
	// shared out among the workers, sized on the clusters left to render.
	todo = todo[:0]
	for _, res := range results {
		if res.Err == nil && !res.Cached {
			todo = append(todo, res)
		}
	}
	if dups > 0 {
		// "Nothing is written" includes pruning: the vars file that now
		// names another cluster is what made a directory look orphaned.
		opts.Prune = false
	}
	// The output directory is opened (locked, and cleaned of what a killed
	// run left) when the first cluster is written, so that a run in which
	// every cluster fails creates nothing; at once to prune or to clean up.
	var (
		outOnce sync.Once
		out     *output.Out
		outErr  error
	)
	openOut := func() (*output.Out, error) {
		outOnce.Do(func() {
			if out, outErr = output.Open(opts.OutDir); outErr == nil {
				out.WriteFile = opts.WriteFile
				outcome.Repaired = out.Repaired
			}
		})
		return out, outErr
	}
	defer func() {
		if out != nil {
			out.Close()
		}
	}()
	if opts.Mode == Write && (opts.Prune || leftovers(opts.OutDir)) {
		if _, err := openOut(); err != nil {
			outcome.Err = err
			return outcome
		}
	}
	pools := pool(all, Workers(jobs, len(todo)), spread)
	var (
		memo  *render.Memo
		ym    *yamlMemo
		vmemo *validate.Memo
	)
	if !opts.NoShare && len(vars) > 1 && render.StockEntrypoint(opts.Root) {
		memo, ym, vmemo = render.NewMemo(), &yamlMemo{byKey: map[[32]byte][]byte{}}, &validate.Memo{}
	}
	var (
		mu   sync.Mutex
		done int
		next = make(chan *Result)
		wg   sync.WaitGroup
	)
	finish := func(res *Result) {
		mu.Lock()
		defer mu.Unlock()
		done++
		if opts.Progress != nil {
			opts.Progress(done, len(results), res)
		}
	}
	for _, rs := range pools {
		// Each worker renders its clusters one after the other on its VMs,
		// and hands each rendered cluster to its finisher, which validates,
		// encodes and writes it while the VMs render the next one.
		rendered := make(chan *rendering, 1)
		wg.Add(2)
		go func() {
			defer wg.Done()
			defer close(rendered)
			for res := range next {
				if opts.onRenderers != nil {
					opts.onRenderers(len(rs))
				}
				rendered <- renderCluster(rs, res, memo)
			}
		}()
		go func() {
			defer wg.Done()
			for rd := range rendered {
				start := time.Now()
				if rd.res.Err == nil {
					finishCluster(rd.files, len(rs), opts, openOut, rd.res, ym, vmemo)
				}
				if !rd.res.Failed() && (opts.Mode == Write || opts.Mode == Check && !rd.res.Stale()) {
					remember(opts, rd.deps, rd.res)
				}
				rd.res.Elapsed += time.Since(start)
				finish(rd.res)
			}
		}()
	}
	for _, res := range results {
		if res.Err != nil || res.Cached {
			finish(res)
			continue
		}
		next <- res
	}
	close(next)
	wg.Wait()
	for _, res := range results {
		var evalErr *render.EvalError
		if errors.As(res.Err, &evalErr) {
			evalErr.Trace = opts.Trace
		}
	}
	if opts.Orphans {
		orphans(opts, out, outcome)
	}
	if opts.Mode == Check {
		switch inv, err := output.Scan(opts.OutDir); {
		case err != nil:
			outcome.OutDirErr = err
		case len(inv.Leftovers) > 0 && output.Busy(opts.OutDir):
			outcome.OutDirErr = fmt.Errorf("another kpgen is writing to %s: check again when it has finished", output.Display(opts.OutDir))
		default:
			outcome.Leftovers = inv.Leftovers
		}
	}
	return outcome
}

// duplicates fails every cluster whose name another vars file of the run
// names too, and returns how many.
func duplicates(results []*Result) int {
	by := map[string][]*Result{}
	for _, res := range results {
		if res.Err == nil {
			by[res.Cluster] = append(by[res.Cluster], res)
		}
	}
	n := 0
	for name, rs := range by {
		if len(rs) < 2 {
			continue
		}
		var files []string
		for _, r := range rs {
			files = append(files, r.VarsRel)
		}
		for _, r := range rs {
			n++
			r.Err = fmt.Errorf("cluster %q is built from %d vars files (%s): each cluster needs its own name; nothing is written", name, len(rs), strings.Join(files, ", "))
			r.Cached, r.Unchanged = false, false
		}
	}
	return n
}

// leftovers reports whether an interrupted run left something in outDir
// (Open cleans it up, even when every cluster comes from the cache).
func leftovers(outDir string) bool {
	inv, err := output.Scan(outDir)
	return err != nil || len(inv.Leftovers) > 0
}

// recorded reports whether kpgen's record says it wrote outDir/<cluster>.
func recorded(outDir, cluster string) bool {
	ok, err := output.Owned(outDir, cluster)
	return ok && err == nil && output.CheckCluster(cluster) == nil
}

// orphans finds the cluster directories no vars file of the run builds and,
// with Prune, removes those kpgen wrote.
func orphans(opts Options, out *output.Out, o *Outcome) {
	built := map[string]bool{}
	for _, r := range o.Results {
		if r.Cluster == "" {
			// Its directory could be any of them: tell none, prune none.
			o.OrphansUnknown = fmt.Sprintf("the cluster name of %s is not known", r.VarsRel)
			return
		}
		built[r.Cluster] = true
	}
	inv, err := output.Scan(opts.OutDir)
	if err != nil {
		o.OutDirErr = err
		return
	}
	o.Orphans = inv.Orphans(built)
	if !opts.Prune || out == nil || len(o.Orphans) == 0 {
		return
	}
	// Decommissioning is a step of a run that otherwise went through.
	failed := 0
	for _, r := range o.Results {
		if r.Failed() {
			failed++
		}
	}
	if failed > 0 {
		o.PruneErrs = append(o.PruneErrs, fmt.Errorf("nothing pruned: %d cluster(s) failed", failed))
		return
	}
	kept := o.Orphans[:0]
	for _, orphan := range o.Orphans {
		if !orphan.Owned {
			kept = append(kept, orphan)
			continue
		}
		if err := out.Prune(orphan.Cluster); err != nil {
			o.PruneErrs = append(o.PruneErrs, err)
			kept = append(kept, orphan)
			continue
		}
		o.Pruned = append(o.Pruned, orphan.Cluster)
	}
	o.Orphans = kept
}

// pool shares the VMs out among that many workers: as evenly as possible
// when clusters spread over VMs, else one each.
func pool(all []*render.Renderer, workers int, spread bool) [][]*render.Renderer {
	workers = max(1, min(workers, len(all)))
	pools := make([][]*render.Renderer, workers)
	if !spread {
		for w := range pools {
			pools[w] = all[w : w+1]
		}
		return pools
	}
	at := 0
	for w := range pools {
		n := len(all) / workers
		if w < len(all)%workers {
			n++
		}
		pools[w] = all[at : at+n]
		at += n
	}
	return pools
}

// rendering is a rendered cluster on its way to its finisher.
type rendering struct {
	res   *Result
	files []render.File
	deps  [][]render.Dep // what the renderers had read when it was rendered
}

// renderCluster renders one cluster over the renderers.
func renderCluster(rs []*render.Renderer, res *Result, memo *render.Memo) *rendering {
	start := time.Now()
	defer func() { res.Elapsed += time.Since(start) }()
	rd := &rendering{res: res}
	if memo != nil && res.shareable {
		rd.files, res.Err = render.FilesMemo(rs, res.Vars, memo)
		var evalErr *render.EvalError
		if errors.As(res.Err, &evalErr) {
			// Through the memo, the error's trace runs through the config;
			// through the entrypoint, it names the file the error is in,
			// as a build of this cluster alone says.
			if _, err := render.FilesParallel(rs, res.Vars); err != nil {
				res.Err = err
			}
		}
	} else {
		rd.files, res.Err = render.FilesParallel(rs, res.Vars)
	}
	if res.Err == nil {
		for _, r := range rs {
			rd.deps = append(rd.deps, r.DepsOf(res.Vars))
		}
	}
	return rd
}

// finishCluster validates, encodes (on up to n goroutines) and writes or
// compares a rendered cluster.
func finishCluster(files []render.File, n int, opts Options, openOut func() (*output.Out, error), res *Result, ym *yamlMemo, vm *validate.Memo) {
	// Validation and encoding at the same time: most clusters pass, and
	// what a failed one encoded is dropped.
	var (
		rep     validate.Report
		encoded []output.File
		encErr  error
		wg      sync.WaitGroup
	)
	if res.ssa {
		if files, res.Err = annotateServerSide(files); res.Err != nil {
			return
		}
	}
	if opts.KeepRendered {
		res.Rendered = files
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		encoded, encErr = encode(files, n, ym)
	}()
	if !opts.NoValidate || opts.Mode != Validate {
		rep = validate.FilesPolicy(files, vm, validate.Policy{Cluster: res.Cluster, AllowPlaintext: res.allow})
	}
	wg.Wait()
	res.Problems, res.Warnings, res.Stats = rep.Problems, rep.Warnings, rep.Stats
	if len(res.Problems) > 0 {
		return
	}
	if res.Files, res.Err = encoded, encErr; res.Err != nil {
		return
	}
	switch opts.Mode {
	case Write:
		out, err := openOut()
		if err != nil {
			res.Err = err
			return
		}
		wr, err := out.Write(res.Cluster, res.Files)
		if err != nil {
			res.Err = err
			return
		}
		res.Unchanged = wr.Unchanged
	case Check:
		res.Diff, res.Err = output.Compare(res.Dir, res.Files)
		res.Diff.NoRecord = res.Err == nil && !recorded(opts.OutDir, res.Cluster)
	}
}

// ErrFailed is returned by callers when any cluster failed.
var ErrFailed = errors.New("one or more clusters failed")

// yamlMemo remembers the YAML of JSON documents already encoded in this run
// (clusters share many files byte for byte), up to a bound.
type yamlMemo struct {
	mu    sync.Mutex
	byKey map[[32]byte][]byte
	bytes int
}

const yamlMemoBytes = 64 << 20

func (m *yamlMemo) toYAML(j []byte) ([]byte, error) {
	if m == nil {
		return manifest.ToYAML(j)
	}
	key := sha256.Sum256(j)
	m.mu.Lock()
	y, ok := m.byKey[key]
	m.mu.Unlock()
	if ok {
		return y, nil
	}
	y, err := manifest.ToYAML(j)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	if m.bytes+len(y) <= yamlMemoBytes {
		m.byKey[key] = y
		m.bytes += len(y)
	}
	m.mu.Unlock()
	return y, nil
}

// encode converts every file to YAML, on up to n goroutines, the largest
// files first.
func encode(files []render.File, n int, memo *yamlMemo) ([]output.File, error) {
	out := make([]output.File, len(files))
	errs := make([]error, len(files))
	order := make([]int, len(files))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return len(files[order[a]].JSON) > len(files[order[b]].JSON) })
	var wg sync.WaitGroup
	sem := make(chan struct{}, max(1, n))
	for _, i := range order {
		f := files[i]
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			y, err := memo.toYAML(f.JSON)
			if err != nil {
				errs[i] = fmt.Errorf("%s: encoding YAML: %w", f.Path, err)
			}
			out[i] = output.File{Path: f.Path, Data: y}
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// remember records a successful cluster in the cache. Its dependencies are
// what its renderers say it may have read (render.Renderer.DepsOf): the
// import closure of its own entrypoint and vars — another cluster's vars file
// only if this one imports it.
func remember(opts Options, lists [][]render.Dep, res *Result) {
	if opts.Cache == nil {
		return
	}
	self := absPath(res.Vars)
	outputs := map[string][]byte{}
	for _, f := range res.Files {
		outputs[f.Path] = f.Data
	}
	// A cache that cannot be written only costs the next build time.
	_ = opts.Cache.Store(&cache.Entry{
		Vars:     self,
		OutDir:   absPath(opts.OutDir),
		Cluster:  res.Cluster,
		Deps:     cache.Deps(lists, nil),
		Outputs:  cache.Outputs(outputs),
		Stats:    res.Stats,
		Warnings: res.Warnings,
	})
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return p
}

// annotateServerSide gives the objects too large for a client-side apply ArgoCD's
// ServerSideApply=true sync option (vars apply.serverSide). It is done here,
// not in Jsonnet, because whether an object needs it is kubectl's size of
// its JSON (Go's encoding, escapes included), which the check computes too:
// the option lands on exactly the objects the check would warn about.
func annotateServerSide(files []render.File) ([]render.File, error) {
	out := make([]render.File, len(files))
	for i, f := range files {
		j, err := apply.Annotate(f.JSON)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Path, err)
		}
		out[i] = render.File{Path: f.Path, JSON: j}
	}
	return out, nil
}
