package cli

import (
	"fmt"
	"io"

	"github.com/kpgen/kpgen/internal/build"
	"github.com/kpgen/kpgen/internal/cache"
)

const buildHelp = `Render each cluster's vars file with the embedded Jsonnet VM, validate every
PrometheusRule (Prometheus's rulefmt, promtool's duplicate-rule lint) and every
manifest, and write out/<cluster.name>/: kustomization.yaml plus one YAML file
per object under manifests/. A cluster's directory is replaced atomically and
only when everything succeeded; a failed cluster's output is left as it was.

With no VARS, every vars/*.jsonnet and vars/*.json is built, and a cluster
directory in out/ that no vars file builds any more is reported as an orphan;
--prune removes the orphans kpgen wrote (see docs/output.md on decommissioning
a cluster). kpgen replaces or removes only the directories it has a record
of writing (out/.kpgen/<cluster>, to be committed with out/).

With --check, nothing is written: the command renders every cluster (it
trusts no cache) and fails, naming each stale, missing or extra file or
directory, each changed file mode, each orphan and each temporary tree an
interrupted build left, unless out/ is exactly what a build writes (for CI).`

func runBuild(args []string, stdout, stderr io.Writer) int {
	var (
		cf           clusterFlags
		check, prune bool
	)
	fs := newFlags("build", "[VARS...]", buildHelp, stderr)
	cf.register(fs, true)
	cf.registerCache(fs)
	fs.BoolVar(&check, "check", false, "compare with out/ instead of writing; exit 1 if anything is stale, missing, extra or orphaned")
	fs.BoolVar(&prune, "prune", false, "remove the cluster directories kpgen wrote that no vars file builds any more (only without VARS: every cluster is built)")
	if done, code := parse(fs, args, stdout); done {
		return code
	}
	mode := build.Write
	switch {
	case check && prune:
		return usageError(stderr, "build", "--check and --prune exclude each other")
	case prune && len(fs.Args()) > 0:
		return usageError(stderr, "build", "--prune needs every cluster: give no VARS")
	case check:
		mode = build.Check
	}
	cf.prune = prune
	return runClusters("build", cf, mode, fs.Args(), stdout, stderr)
}

const validateHelp = `Render and validate each cluster's vars file exactly as 'kpgen build' does, and
write nothing. With no VARS, every vars/*.jsonnet and vars/*.json is
validated.`

func runValidate(args []string, stdout, stderr io.Writer) int {
	var cf clusterFlags
	fs := newFlags("validate", "[VARS...]", validateHelp, stderr)
	cf.register(fs, false)
	cf.registerCache(fs)
	if done, code := parse(fs, args, stdout); done {
		return code
	}
	return runClusters("validate", cf, build.Validate, fs.Args(), stdout, stderr)
}

func runClusters(cmd string, cf clusterFlags, mode build.Mode, args []string, stdout, stderr io.Writer) int {
	root, vars, err := cf.resolve(args)
	if err != nil {
		fmt.Fprintf(stderr, "kpgen %s: %v\n", cmd, err)
		return ExitUsage
	}
	if err := root.CheckVendor(); err != nil {
		fmt.Fprintf(stderr, "kpgen %s: %v\n", cmd, err)
		return ExitFailed
	}
	if err := cf.checkOut(root); err != nil {
		fmt.Fprintf(stderr, "kpgen %s: %v\n", cmd, err)
		return ExitFailed
	}
	outDir := cf.outDir(root)
	limit := build.TuneGC(cf.jobs, len(vars))
	var c *cache.Cache
	if mode != build.Check { // a check trusts nothing but a render
		c = cf.cache(root, stderr)
	}
	outcome := build.Execute(build.Options{
		Root:     root,
		OutDir:   outDir,
		Jobs:     cf.jobs,
		Shards:   build.Shards(cf.jobs, len(vars), limit),
		Mode:     mode,
		Cache:    c,
		Trace:    cf.trace,
		Orphans:  len(args) == 0 && mode != build.Validate,
		Prune:    cf.prune,
		Progress: progress(stderr, cf.quiet, len(vars)),
	}, vars)
	if outcome.Err != nil {
		fmt.Fprintf(stderr, "FAILED: %v\n", outcome.Err)
		return ExitFailed
	}
	failed := report(stdout, stderr, cf.quiet, mode, outcome.Results, outDir)
	failed += reportOutDir(stdout, stderr, cf.quiet, mode, outcome, outDir)
	if failed > 0 {
		return ExitFailed
	}
	return ExitOK
}
