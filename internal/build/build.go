// Package build runs the per-cluster pipeline — render, validate, encode,
// write — over many vars files in parallel, one Jsonnet VM per worker.
package build

import (
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"time"

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
	Jobs   int    // clusters in parallel
	Mode   Mode
	Writer output.Writer
	// Progress, if set, is called as each cluster finishes (from one goroutine at a time).
	Progress func(done, total int, r *Result)
}

// Result is the outcome for one vars file.
type Result struct {
	Vars      string // as given
	VarsRel   string // relative to the project root, for messages
	Cluster   string // empty when the vars could not be read
	Dir       string // out/<cluster>
	Files     []output.File
	Problems  []validate.Problem
	Warnings  []validate.Problem
	Stats     validate.Stats
	Err       error // evaluation, vars, encoding or disk error
	Unchanged bool  // Write: the directory already held this output
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

// Run processes every vars file; results come back in the order of vars.
func Run(opts Options, vars []string) []*Result {
	results := make([]*Result, len(vars))
	for i, v := range vars {
		results[i] = &Result{Vars: v}
	}
	jobs := opts.Jobs
	if jobs < 1 {
		jobs = 1
	}
	if jobs > len(vars) {
		jobs = len(vars)
	}

	// Pass 1, serial and cheap: cluster names and vars problems, so that two
	// vars files naming the same cluster are caught before anything is written.
	r := render.New(opts.Root)
	owner := map[string]string{}
	for _, res := range results {
		res.VarsRel = r.Rel(res.Vars)
		start := time.Now()
		head, err := r.Head(res.Vars)
		res.Elapsed = time.Since(start)
		if err != nil {
			res.Err = err
			continue
		}
		res.Cluster = head.Cluster
		res.Dir = filepath.Join(opts.OutDir, head.Cluster)
		if prev, dup := owner[head.Cluster]; dup {
			res.Err = fmt.Errorf("cluster %q is already built from %s: each cluster needs its own name", head.Cluster, prev)
			continue
		}
		owner[head.Cluster] = res.VarsRel
	}

	// Pass 2: the clusters in parallel, one renderer (VM) per worker.
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
	for w := 0; w < jobs; w++ {
		rr := r
		if w > 0 {
			rr = render.New(opts.Root)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for res := range next {
				start := time.Now()
				cluster(rr, opts, res)
				res.Elapsed += time.Since(start)
				finish(res)
			}
		}()
	}
	for _, res := range results {
		if res.Err != nil {
			finish(res)
			continue
		}
		next <- res
	}
	close(next)
	wg.Wait()
	return results
}

// cluster runs render → validate → encode → write/compare for one cluster.
func cluster(r *render.Renderer, opts Options, res *Result) {
	files, err := r.Files(res.Vars)
	if err != nil {
		res.Err = err
		return
	}
	rep := validate.Files(files)
	res.Problems, res.Warnings, res.Stats = rep.Problems, rep.Warnings, rep.Stats
	if len(res.Problems) > 0 {
		return
	}
	res.Files = make([]output.File, len(files))
	for i, f := range files {
		y, err := manifest.ToYAML(f.JSON)
		if err != nil {
			res.Err = fmt.Errorf("%s: encoding YAML: %w", f.Path, err)
			return
		}
		res.Files[i] = output.File{Path: f.Path, Data: y}
	}
	switch opts.Mode {
	case Write:
		wr, err := opts.Writer.Write(res.Dir, res.Files)
		if err != nil {
			res.Err = fmt.Errorf("writing %s: %w (the previous output is untouched)", res.Dir, err)
			return
		}
		res.Unchanged = wr.Unchanged
	case Check:
		res.Diff, res.Err = output.Compare(res.Dir, res.Files)
	}
}

// ErrFailed is returned by callers when any cluster failed.
var ErrFailed = errors.New("one or more clusters failed")
