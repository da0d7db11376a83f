package cli

import (
	"fmt"
	"io"
	"path/filepath"
	"runtime"

	"github.com/kpgen/kpgen/internal/build"
	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/scaffold"
	"github.com/kpgen/kpgen/internal/vendoring"
)

const initHelp = `Create a config repository in DIR (default: the current directory, which must
be empty but for a .git directory): kpgen.json naming the platform library,
jsonnet/jsonnetfile.json pinning it, vars/<cluster>.jsonnet for one example
cluster, .gitignore, a README and a GitHub Actions workflow. Then vendor the
platform (and, through it, kpgen's library and kube-prometheus) and build the
example cluster into out/.

--platform is a platform repository and version, URL@VERSION (a tag or a
commit; the library package is in its jsonnet/ directory unless --subdir says
otherwise), or the path of a platform checkout, to try one out before it is
published (jsonnet-bundler then links it; kpgen bump does not move it).
kpgen's own repository is a platform too:

  kpgen init --platform https://github.com/acme/monitoring-platform.git@v1.4.0 customer-a
  kpgen init --platform https://github.com/kpgen/kpgen.git@v0.3.0 --name kpgen .
  kpgen init --platform ../monitoring-platform --cluster prod-eu-1 customer-b

Offline, point git at mirrors with url.<mirror>.insteadOf (see 'kpgen vendor --help').`

func runInit(args []string, stdout, stderr io.Writer) int {
	var (
		o       scaffold.Options
		noBuild bool
		quiet   bool
	)
	fs := newFlags("init", "[DIR]", initHelp, stderr)
	fs.StringVar(&o.Platform, "platform", "", "the platform library: URL@VERSION of its git repository, or the path of a checkout (required)")
	fs.StringVar(&o.Subdir, "subdir", "jsonnet", "the library package's directory in the platform repository")
	fs.StringVar(&o.Name, "name", "", "the package's import name (default: the repository's name)")
	fs.StringVar(&o.Cluster, "cluster", "example", "the example cluster's name (a DNS-1123 label)")
	fs.BoolVar(&noBuild, "no-build", false, "write the files only: do not vendor nor build")
	fs.BoolVarP(&quiet, "quiet", "q", false, "print only failures")
	if done, code := parse(fs, args, stdout); done {
		return code
	}
	if o.Platform == "" {
		return usageError(stderr, "init", "--platform is required (URL@VERSION of the platform repository, or the path of a checkout)")
	}
	if fs.NArg() > 1 {
		return usageError(stderr, "init", "want at most one DIR, got %v", fs.Args())
	}
	o.Dir = "."
	if fs.NArg() == 1 {
		o.Dir = fs.Arg(0)
	}
	o.Kpgen = versionString()
	res, err := scaffold.Scaffold(o)
	if err != nil {
		fmt.Fprintf(stderr, "FAILED: kpgen init: %v\n", err)
		return ExitFailed
	}
	if !quiet {
		fmt.Fprintf(stdout, "SUCCESS: config repository in %s, library %q: %d files\n", displayPath(o.Dir), res.Library, len(res.Files))
	}
	if noBuild {
		return ExitOK
	}
	root, err := project.Open(o.Dir)
	if err != nil {
		fmt.Fprintf(stderr, "FAILED: kpgen init: %v\n", err)
		return ExitFailed
	}
	var log io.Writer = stderr
	if quiet {
		log = nil
	}
	if _, err := vendoring.Install(vendoring.Options{JsonnetDir: root.JsonnetDir(), Log: log}); err != nil {
		fmt.Fprintf(stderr, "FAILED: kpgen vendor: %v\nThe files are written: once the dependency named above can be fetched (the platform's address or version is in %s), run `kpgen vendor` and `kpgen build` in %s.\n",
			err, displayPath(filepath.Join(root.JsonnetDir(), vendoring.File)), displayPath(root.Dir))
		return ExitFailed
	}
	jobs := runtime.NumCPU()
	vars := []string{filepath.Join(root.Dir, res.Vars)}
	limit := build.TuneGC(jobs, 1)
	outcome := build.Execute(build.Options{
		Root: root, OutDir: root.DefaultOut(), Jobs: jobs, Shards: build.Shards(jobs, 1, limit), Mode: build.Write,
	}, vars)
	if outcome.Err != nil {
		fmt.Fprintf(stderr, "FAILED: %v\n", outcome.Err)
		return ExitFailed
	}
	if report(stdout, stderr, quiet, build.Write, outcome.Results, root.DefaultOut()) > 0 {
		return ExitFailed
	}
	if !quiet {
		fmt.Fprintf(stdout, "Next: edit %s, add a vars file per cluster, `kpgen build`, and commit everything but jsonnet/vendor.\n", res.Vars)
	}
	return ExitOK
}
