package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/kpgen/kpgen/internal/build"
	"github.com/kpgen/kpgen/internal/bump"
	"github.com/kpgen/kpgen/internal/diff"
)

const bumpHelp = `Move one Jsonnet dependency to a new version and show what it changes:
updates jsonnet/jsonnetfile.json, drops the lock entries that must move with
it (the dependency and everything it pulls in), re-vendors, re-renders and
validates every vars/*.jsonnet and vars/*.json, writes out/, and prints the
kpgen diff report.

The dependency is named as in the jsonnetfile, or by its short name
(kube-prometheus@v0.19.0). Everything happens in a staging directory first:
if fetching, rendering or validation fails, jsonnetfile.json, the lock,
jsonnet/vendor and out/ are all left as they were.`

func runBump(args []string, stdout, stderr io.Writer) int {
	var (
		cf clusterFlags
		rf reportFlags
	)
	fs := newFlags("bump", "<dependency>@<version>", bumpHelp, stderr)
	cf.register(fs, true)
	rf.register(fs)
	if done, code := parse(fs, args, stdout); done {
		return code
	}
	if fs.NArg() != 1 {
		return usageError(stderr, "bump", "want exactly one <dependency>@<version>, e.g. kube-prometheus@v0.19.0")
	}
	if err := rf.check(); err != nil {
		return usageError(stderr, "bump", "%v", err)
	}
	root, vars, err := cf.resolve(nil)
	if err != nil {
		fmt.Fprintf(stderr, "kpgen bump: %v\n", err)
		return ExitUsage
	}
	if err := cf.checkOut(root); err != nil {
		fmt.Fprintf(stderr, "kpgen bump: %v\n", err)
		return ExitFailed
	}
	limit := build.TuneGC(cf.jobs, len(vars))
	// git's own output goes into the error when a fetch fails.
	res, err := bump.Run(bump.Options{Root: root, OutDir: cf.outDir(root), Jobs: cf.jobs, Shards: build.Shards(cf.jobs, len(vars), limit), Target: fs.Arg(0), Trace: cf.trace})
	if err != nil {
		var partial *bump.PartialError
		if errors.As(err, &partial) {
			fmt.Fprintf(stderr, "FAILED: kpgen bump %s: %v\n", fs.Arg(0), err)
			return ExitFailed
		}
		fmt.Fprintf(stderr, "FAILED: kpgen bump %s: %v\nNothing was changed.\n", fs.Arg(0), err)
		return ExitFailed
	}
	rep := &diff.Report{}
	for _, r := range res.Clusters {
		files := map[string][]byte{}
		for _, f := range r.Files {
			files[f.Path] = f.Data
		}
		cd, err := diff.Compare(r.Cluster, res.Old[r.Cluster], files)
		if err != nil {
			rep.Failed = append(rep.Failed, diff.Failure{Cluster: r.Cluster, Error: err.Error()})
			continue
		}
		rep.Clusters = append(rep.Clusters, cd)
	}
	status := "SUCCESS"
	if len(rep.Failed) > 0 {
		status = "FAILED"
	}
	fmt.Fprintf(stderr, "%s: %s %s → %s: %s moved with it (%d pinned as the release's own lock pins them), %s re-rendered into %s",
		status, res.Dependency, res.From, res.To, count(len(res.Dropped), "lock entry", "lock entries"), len(res.Seeded), count(len(res.Clusters), "cluster", "clusters"), displayPath(cf.outDir(root)))
	if len(rep.Failed) > 0 {
		fmt.Fprintf(stderr, "; %d could not be compared (see the report)", len(rep.Failed))
	}
	fmt.Fprintln(stderr)
	if err := rf.write(stdout, rep); err != nil {
		fmt.Fprintf(stderr, "kpgen bump: writing the report: %v\n", err)
		return ExitFailed
	}
	if len(rep.Failed) > 0 {
		return ExitFailed
	}
	return ExitOK
}

// count says n things: "1 cluster", "2 clusters".
func count(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}
