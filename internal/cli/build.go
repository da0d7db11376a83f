package cli

import (
	"fmt"
	"io"

	"github.com/kpgen/kpgen/internal/build"
)

const buildHelp = `Render each cluster's vars file with the embedded Jsonnet VM, validate every
PrometheusRule (Prometheus's rulefmt, promtool's duplicate-rule lint) and every
manifest, and write out/<cluster.name>/: kustomization.yaml plus one YAML file
per object under manifests/. A cluster's directory is replaced atomically and
only when everything succeeded; a failed cluster's output is left as it was.

With no VARS, every vars/*.jsonnet and vars/*.json is built. With --check,
nothing is written: the command fails, naming each stale, missing or extra
file, unless out/ is exactly what a build would write (for CI).`

func runBuild(args []string, stdout, stderr io.Writer) int {
	var (
		cf    clusterFlags
		check bool
	)
	fs := newFlags("build", "[VARS...]", buildHelp, stderr)
	cf.register(fs, true)
	cf.registerCache(fs)
	fs.BoolVar(&check, "check", false, "compare with out/ instead of writing; exit 1 if anything is stale, missing or extra")
	if done, code := parse(fs, args, stdout); done {
		return code
	}
	mode := build.Write
	if check {
		mode = build.Check
	}
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
	outDir := cf.outDir(root)
	limit := build.TuneGC(cf.jobs, len(vars))
	results := build.Run(build.Options{
		Root:     root,
		OutDir:   outDir,
		Jobs:     cf.jobs,
		Shards:   build.Shards(cf.jobs, len(vars), limit),
		Mode:     mode,
		Cache:    cf.cache(root),
		Trace:    cf.trace,
		Progress: progress(stderr, cf.quiet, len(vars)),
	}, vars)
	if report(stdout, stderr, cf.quiet, mode, results, outDir) > 0 {
		return ExitFailed
	}
	return ExitOK
}
