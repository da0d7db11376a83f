package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/kpgen/kpgen/internal/build"
	"github.com/kpgen/kpgen/internal/cache"
	"github.com/kpgen/kpgen/internal/output"
	"github.com/kpgen/kpgen/internal/project"
)

// clusterFlags are the flags shared by the commands that take vars files.
type clusterFlags struct {
	root    string
	out     string
	jobs    int
	quiet   bool
	noCache bool
	prune   bool // build --prune
	trace   bool
}

func (c *clusterFlags) register(fs *pflag.FlagSet, withOut bool) {
	fs.StringVar(&c.root, "root", "", "project root (default: found by walking up from the first vars file, or the current directory, to the directory holding jsonnet/jsonnetfile.json)")
	if withOut {
		fs.StringVar(&c.out, "out", "", "parent directory of the output; a cluster goes to DIR/<cluster.name>/ (default <root>/out)")
	}
	fs.IntVarP(&c.jobs, "jobs", "j", runtime.NumCPU(), "Jsonnet VMs at once (each cluster is spread over them)")
	fs.BoolVarP(&c.quiet, "quiet", "q", false, "print only failures")
	fs.BoolVar(&c.trace, "trace", false, "show a Jsonnet error's whole stack, kpgen's library and jsonnet/vendor included (by default only the frames in your own files)")
}

func (c *clusterFlags) registerCache(fs *pflag.FlagSet) {
	fs.BoolVar(&c.noCache, "no-cache", false, "render every cluster even when its inputs and output are unchanged since the last build (the cache is in $KPGEN_CACHE or the user's cache directory, e.g. ~/.cache/kpgen; safe to delete)")
}

// cache opens the build cache, outside the project (see cache.Dir); without
// one, kpgen renders every cluster and says why.
func (c *clusterFlags) cache(root project.Root, stderr io.Writer) *cache.Cache {
	if c.noCache {
		return nil
	}
	dir, err := cache.Dir(root.Dir)
	if err != nil {
		if !c.quiet {
			fmt.Fprintf(stderr, "WARNING: building without a cache: %v\n", err)
		}
		return nil
	}
	return cache.Open(dir)
}

// resolve finds the project and the vars files: the arguments, or every
// vars/*.jsonnet and vars/*.json when there are none.
func (c *clusterFlags) resolve(args []string) (project.Root, []string, error) {
	var (
		root project.Root
		err  error
	)
	switch {
	case c.root != "":
		root, err = project.Open(c.root)
	case len(args) > 0:
		root, err = project.Find(args[0])
		if err != nil {
			if _, serr := project.Find("."); serr == nil {
				root, err = project.Find(".")
			}
		}
	default:
		root, err = project.Find(".")
	}
	if err != nil {
		return root, nil, err
	}
	vars := dedupe(args)
	if len(vars) == 0 {
		if vars, err = root.AllVars(); err != nil {
			return root, nil, err
		}
	}
	if c.jobs < 1 {
		return root, nil, fmt.Errorf("-j must be at least 1")
	}
	return root, vars, nil
}

func (c *clusterFlags) outDir(root project.Root) string {
	if c.out != "" {
		return c.out
	}
	return root.DefaultOut()
}

// dedupe drops vars files given more than once (as the same path, once
// made absolute), keeping the first.
func dedupe(vars []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range vars {
		abs, err := filepath.Abs(v)
		if err != nil {
			abs = v
		}
		if !seen[abs] {
			seen[abs] = true
			out = append(out, v)
		}
	}
	return out
}

// checkOut refuses a default out/ that is a symbolic link: a repository can
// carry one, pointing at another project's out/ (which --prune would empty)
// or at a directory of the CI machine (which diff would show in its report).
// An explicit --out is the user's own choice and may be one.
// An --out that is the project or holds it is refused too: kpgen would
// take the project's own directories for clusters.
func (c *clusterFlags) checkOut(root project.Root) error {
	if c.out == "" {
		if fi, err := os.Lstat(root.DefaultOut()); err == nil && fi.Mode()&os.ModeSymlink != 0 {
			return fmt.Errorf("%s is a symbolic link; kpgen does not follow it (a repository can point it anywhere): pass --out to write there", displayPath(root.DefaultOut()))
		}
		return nil
	}
	out, err := filepath.Abs(c.out)
	if err != nil {
		return err
	}
	if resolved, err := filepath.EvalSymlinks(out); err == nil {
		out = resolved
	}
	project := root.Dir
	if resolved, err := filepath.EvalSymlinks(project); err == nil {
		project = resolved
	}
	if rel, err := filepath.Rel(out, project); err == nil && (rel == "." || filepath.IsLocal(rel)) {
		return fmt.Errorf("--out %s holds the project %s: give a directory for the output only (default %s)", displayPath(c.out), displayPath(root.Dir), displayPath(root.DefaultOut()))
	}
	return nil
}

// progress prints one line per finished cluster on stderr: rewritten in
// place on a terminal, plain lines otherwise. Single-cluster runs print none.
func progress(stderr io.Writer, quiet bool, total int) func(done, total int, r *build.Result) {
	if quiet || total < 2 {
		return nil
	}
	tty := isTerminal(stderr)
	return func(done, total int, r *build.Result) {
		name := r.Cluster
		if name == "" {
			name = r.VarsRel
		}
		status := "ok"
		if r.Failed() {
			status = "FAILED"
		}
		line := fmt.Sprintf("[%d/%d] %s %s %s", done, total, name, status, r.Elapsed.Round(10*time.Millisecond))
		if tty {
			fmt.Fprintf(stderr, "\r\033[K%s", line)
			if done == total {
				fmt.Fprintln(stderr)
			}
			return
		}
		fmt.Fprintln(stderr, line)
	}
}

// report prints promtool-style result lines and returns how many failed.
func report(stdout, stderr io.Writer, quiet bool, mode build.Mode, results []*build.Result, outDir string) (failed int) {
	if !quiet {
		warnings(stderr, results)
	}
	for _, r := range results {
		name := r.Cluster
		if name == "" {
			name = r.VarsRel
		}
		switch {
		case r.Err != nil:
			failed++
			fmt.Fprintf(stderr, "FAILED: %s: %v\n", r.Label(), r.Err)
		case len(r.Problems) > 0:
			failed++
			fmt.Fprintf(stderr, "FAILED: %s: %d problem(s), nothing written:\n", r.Label(), len(r.Problems))
			for _, p := range r.Problems {
				fmt.Fprintf(stderr, "  %s\n", p)
			}
		case mode == build.Check && r.Stale() && neverBuilt(r.Dir):
			failed++
			fmt.Fprintf(stderr, "FAILED: %s: %s is missing: the cluster was never built (run `kpgen build`)\n", name, displayPath(r.Dir))
		case mode == build.Check && r.Stale():
			failed++
			fmt.Fprintf(stderr, "FAILED: %s: %s is not what a build writes (run `kpgen build`):\n", name, displayPath(r.Dir))
			for _, p := range r.Diff.Changed {
				fmt.Fprintf(stderr, "  stale:   %s\n", p)
			}
			for _, p := range r.Diff.Missing {
				fmt.Fprintf(stderr, "  missing: %s\n", p)
			}
			for _, p := range r.Diff.Extra {
				fmt.Fprintf(stderr, "  extra:   %s\n", p)
			}
			for _, p := range r.Diff.Mode {
				fmt.Fprintf(stderr, "  mode:    %s (not a plain, non-executable file)\n", p)
			}
			if r.Diff.NoRecord {
				fmt.Fprintf(stderr, "  missing: %s (kpgen's record of writing the cluster)\n", displayPath(filepath.Join(filepath.Dir(r.Dir), output.RecordDir, r.Cluster)))
			}
		case !quiet:
			st := r.Stats
			what := fmt.Sprintf("%d files, %d PrometheusRules, %d groups, %d rules (%d alerts, %d records)",
				st.Files, st.RuleObjects, st.Groups, st.Alerts+st.Records, st.Alerts, st.Records)
			switch mode {
			case build.Write:
				verb := "written to"
				switch {
				case r.Cached:
					verb = "unchanged (cached) in"
				case r.Unchanged:
					verb = "unchanged in"
				}
				fmt.Fprintf(stdout, "SUCCESS: %s: %s %s %s [%s]\n", name, what, verb, displayPath(r.Dir), r.Elapsed.Round(time.Millisecond))
			case build.Check:
				fmt.Fprintf(stdout, "SUCCESS: %s: %s is up to date (%s)\n", name, displayPath(r.Dir), what)
			default:
				fmt.Fprintf(stdout, "SUCCESS: %s: %s valid [%s]\n", name, what, r.Elapsed.Round(time.Millisecond))
			}
		}
	}
	if len(results) > 1 {
		w := stdout
		if failed > 0 {
			w = stderr
		}
		if failed > 0 || !quiet {
			fmt.Fprintf(w, "%d clusters: %d ok, %d failed\n", len(results), len(results)-failed, failed)
		}
	}
	return failed
}

// reportOutDir prints what a run found in the output directory as a whole:
// what it repaired, orphaned clusters, what it pruned, and (with --check)
// temporary trees an interrupted build left. It returns how many of those
// fail the run.
func reportOutDir(stdout, stderr io.Writer, quiet bool, mode build.Mode, o *build.Outcome, outDir string) (failed int) {
	for _, r := range o.Repaired {
		fmt.Fprintf(stderr, "NOTE: %s\n", r)
	}
	for _, c := range o.Pruned {
		if !quiet {
			fmt.Fprintf(stdout, "PRUNED: %s: no vars file builds it any more\n", displayPath(filepath.Join(outDir, c)))
		}
	}
	for _, err := range o.PruneErrs {
		failed++
		fmt.Fprintf(stderr, "FAILED: pruning: %v\n", err)
	}
	if o.OutDirErr != nil {
		failed++
		fmt.Fprintf(stderr, "FAILED: %v\n", o.OutDirErr)
	}
	level := "WARNING"
	if mode == build.Check {
		level = "FAILED"
	}
	for _, orphan := range o.Orphans {
		if mode == build.Check {
			failed++
		}
		fmt.Fprintf(stderr, "%s: %s\n", level, orphanMessage(orphan, outDir))
	}
	if o.OrphansUnknown != "" && !quiet && mode != build.Validate {
		fmt.Fprintf(stderr, "NOTE: orphaned cluster directories not looked for: %s\n", o.OrphansUnknown)
	}
	for _, l := range o.Leftovers {
		failed++
		fmt.Fprintf(stderr, "FAILED: %s: left by an interrupted or failed kpgen run (the next `kpgen build` removes it)\n", displayPath(filepath.Join(outDir, l)))
	}
	return failed
}

// orphanMessage says what an orphan is and what to do about it.
func orphanMessage(o output.Orphan, outDir string) string {
	dir := displayPath(filepath.Join(outDir, o.Cluster))
	switch {
	case o.Owned && o.HasDir:
		return fmt.Sprintf("%s: no vars file builds cluster %q any more (`kpgen build --prune` removes it)", dir, o.Cluster)
	case o.Owned:
		return fmt.Sprintf("%s: kpgen's record of cluster %q is left, but no vars file builds it and its directory is gone (`kpgen build --prune` removes the record)",
			displayPath(filepath.Join(outDir, output.RecordDir, o.Cluster)), o.Cluster)
	default:
		return fmt.Sprintf("%s: no vars file builds a cluster %q, and kpgen has no record of writing it: remove it by hand if it is not needed", dir, o.Cluster)
	}
}

// displayPath shows p relative to the working directory when it is below
// it, printable (output.Display).
func displayPath(p string) string { return output.Display(p) }

// warnings prints each distinct warning once, naming the clusters it applies
// to (upstream's own lint warnings would otherwise repeat for every cluster).
func warnings(stderr io.Writer, results []*build.Result) {
	var order []string
	clusters := map[string][]string{}
	for _, r := range results {
		for _, w := range r.Warnings {
			msg := w.String()
			if clusters[msg] == nil {
				order = append(order, msg)
			}
			clusters[msg] = append(clusters[msg], r.Cluster)
		}
	}
	for _, msg := range order {
		names := clusters[msg]
		who := names[0]
		if len(names) > 1 {
			who = fmt.Sprintf("%d clusters (%s)", len(names), strings.Join(names, ", "))
		}
		fmt.Fprintf(stderr, "WARNING: %s: %s\n", who, msg)
	}
}

// neverBuilt says whether a cluster's output directory is absent (not a
// directory nor anything else where it should be).
func neverBuilt(dir string) bool {
	_, err := os.Lstat(dir)
	return errors.Is(err, fs.ErrNotExist)
}
