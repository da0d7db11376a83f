package cli

import (
	"fmt"
	"io"
	"os"
	"sort"
	"sync"

	"github.com/spf13/pflag"

	"github.com/kpgen/kpgen/internal/build"
	"github.com/kpgen/kpgen/internal/diff"
)

const diffHelp = `Render each cluster's vars file exactly as 'kpgen build' does, write nothing,
and show how out/<cluster>/ would change, for review:

  - objects added, removed and changed, by kind and namespace/name (an object
    that moved to another file is matched to itself);
  - PrometheusRules rule by rule, grouped by rule group: alerts and records
    added or removed, and for a changed rule its expression, 'for', labels and
    annotations, old → new;
  - Grafana dashboards by title and uid, with a count of changed panels (never
    the dashboard JSON);
  - everything else as the changed fields, e.g.
    spec.template.spec.containers[name=grafana].image: grafana:12 → grafana:13

With several clusters, each change is shown once, under the set of clusters it
applies to (a cluster's own name in a change reads <cluster>).
--format markdown writes a report ready to post on a pull request (see
docs/ci.md); --format json is for tools and lists every change.

Exit status, like diff(1): 0 no change, 1 changes, 2 error (a cluster that
fails to render, or a bad command line). The other clusters are still shown.`

// exitDiffError is diff's exit status for an error, as diff(1)'s.
const exitDiffError = 2

func runDiff(args []string, stdout, stderr io.Writer) int {
	var (
		cf clusterFlags
		rf reportFlags
	)
	fs := newFlags("diff", "[VARS...]", diffHelp, stderr)
	cf.register(fs, true)
	rf.register(fs)
	if done, code := parse(fs, args, stdout); done {
		return code
	}
	if err := rf.check(); err != nil {
		return usageError(stderr, "diff", "%v", err)
	}
	root, vars, err := cf.resolve(fs.Args())
	if err != nil {
		fmt.Fprintf(stderr, "kpgen diff: %v\n", err)
		return exitDiffError
	}
	if err := root.CheckVendor(); err != nil {
		fmt.Fprintf(stderr, "kpgen diff: %v\n", err)
		return exitDiffError
	}
	limit := build.TuneGC(cf.jobs, len(vars))
	// No build cache: a cluster served from the cache has no Files to compare.
	if err := cf.checkOut(root); err != nil {
		fmt.Fprintf(stderr, "kpgen diff: %v\n", err)
		return exitDiffError
	}
	outDir := cf.outDir(root)
	outcome := build.Execute(build.Options{
		Root:     root,
		OutDir:   outDir,
		Jobs:     cf.jobs,
		Shards:   build.Shards(cf.jobs, len(vars), limit),
		Mode:     build.Validate,
		Orphans:  len(fs.Args()) == 0,
		Trace:    cf.trace,
		Progress: progress(stderr, cf.quiet, len(vars)),
	}, vars)
	results := outcome.Results

	if !cf.quiet {
		warnings(stderr, results)
	}
	diffs, errs := compareAll(results, cf.jobs)
	rep := &diff.Report{}
	for i, r := range results {
		name := r.Cluster
		if name == "" {
			name = r.VarsRel
		}
		if msg := renderFailure(stderr, r); msg != "" {
			rep.Failed = append(rep.Failed, diff.Failure{Cluster: name, Error: msg})
			continue
		}
		cd, err := diffs[i], errs[i]
		if err != nil {
			fmt.Fprintf(stderr, "FAILED: %s: %v\n", name, err)
			rep.Failed = append(rep.Failed, diff.Failure{Cluster: name, Error: err.Error()})
			continue
		}
		rep.Clusters = append(rep.Clusters, cd)
	}
	sort.Slice(rep.Failed, func(i, j int) bool { return rep.Failed[i].Cluster < rep.Failed[j].Cluster })
	for _, o := range outcome.Orphans {
		rep.Orphaned = append(rep.Orphaned, diff.Orphaned{Cluster: o.Cluster, Message: orphanMessage(o, outDir)})
	}

	err = rf.write(stdout, rep)
	switch {
	case err != nil:
		fmt.Fprintf(stderr, "kpgen diff: writing the report: %v\n", err)
		return exitDiffError
	case len(rep.Failed) > 0:
		return exitDiffError
	case rep.Changed():
		return ExitChanged
	}
	return ExitOK
}

// renderFailure prints why a cluster failed to render or validate, as
// 'kpgen build' does, and returns a one-line account ("" if it did not fail).
func renderFailure(stderr io.Writer, r *build.Result) string {
	switch {
	case r.Err != nil:
		fmt.Fprintf(stderr, "FAILED: %s: %v\n", r.Label(), r.Err)
		return r.Err.Error()
	case len(r.Problems) > 0:
		fmt.Fprintf(stderr, "FAILED: %s: %d problem(s):\n", r.Label(), len(r.Problems))
		for _, p := range r.Problems {
			fmt.Fprintf(stderr, "  %s\n", p)
		}
		return fmt.Sprintf("%d validation problem(s), the first: %s", len(r.Problems), r.Problems[0])
	}
	return ""
}

// compareAll compares the clusters that rendered, jobs at a time.
func compareAll(results []*build.Result, jobs int) ([]*diff.ClusterDiff, []error) {
	diffs := make([]*diff.ClusterDiff, len(results))
	errs := make([]error, len(results))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < max(1, jobs); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				diffs[i], errs[i] = compareCluster(results[i])
			}
		}()
	}
	for i, r := range results {
		if !r.Failed() {
			next <- i
		}
	}
	close(next)
	wg.Wait()
	return diffs, errs
}

// compareCluster compares what is in out/<cluster>/ with what a build writes.
func compareCluster(r *build.Result) (*diff.ClusterDiff, error) {
	old, err := diff.ReadDir(r.Dir)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", displayPath(r.Dir), err)
	}
	new := make(map[string][]byte, len(r.Files))
	for _, f := range r.Files {
		new[f.Path] = f.Data
	}
	return diff.Compare(r.Cluster, old, new)
}

// reportFlags are the flags of the commands that print a diff report.
type reportFlags struct {
	format  string
	noColor bool
}

func (r *reportFlags) register(fs *pflag.FlagSet) {
	fs.StringVar(&r.format, "format", "text", "report format: text, markdown or json")
	fs.BoolVar(&r.noColor, "no-color", false, "no colour in text output (colour is used only on a terminal, and not when NO_COLOR is set)")
}

func (r *reportFlags) check() error {
	switch r.format {
	case "text", "markdown", "md", "json":
		return nil
	}
	return fmt.Errorf("unknown --format %q (want text, markdown or json)", r.format)
}

// write writes a diff report in the chosen format; colour only on a
// terminal, never with --no-color or NO_COLOR.
func (r *reportFlags) write(w io.Writer, rep *diff.Report) error {
	switch r.format {
	case "json":
		return rep.JSON(w)
	case "markdown", "md":
		return rep.Markdown(w)
	default:
		return rep.Text(w, !r.noColor && os.Getenv("NO_COLOR") == "" && isTerminal(w))
	}
}
