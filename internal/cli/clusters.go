package cli

import (
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/kpgen/kpgen/internal/build"
	"github.com/kpgen/kpgen/internal/cache"
	"github.com/kpgen/kpgen/internal/project"
)

// clusterFlags are the flags shared by the commands that take vars files.
type clusterFlags struct {
	root    string
	out     string
	jobs    int
	quiet   bool
	noCache bool
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
	fs.BoolVar(&c.noCache, "no-cache", false, "render every cluster even when its inputs and output are unchanged since the last build (the cache is .kpgen-cache/, safe to delete)")
}

func (c *clusterFlags) cache(root project.Root) *cache.Cache {
	if c.noCache {
		return nil
	}
	return cache.Open(filepath.Join(root.Dir, ".kpgen-cache"))
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
	vars := args
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

// displayPath shows p relative to the working directory when it is below it,
// printable (project.Printable).
func displayPath(p string) string {
	if !filepath.IsAbs(p) {
		return project.Printable(p)
	}
	if wd, err := filepath.Abs("."); err == nil {
		if rel, err := filepath.Rel(wd, p); err == nil && !strings.HasPrefix(rel, "..") {
			return project.Printable(rel)
		}
	}
	return project.Printable(p)
}

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
