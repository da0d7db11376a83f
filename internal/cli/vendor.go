package cli

import (
	"fmt"
	"io"

	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/vendoring"
)

const vendorHelp = `Install the Jsonnet dependencies of jsonnet/jsonnetfile.json, at the versions
pinned in jsonnet/jsonnetfile.lock.json, into jsonnet/vendor — what 'jb install'
does, done in-process. Packages already present with the locked checksum are
kept; the lock is rewritten only when it changed. A failed fetch leaves
jsonnet/vendor and the lock as they were.

Offline or air-gapped, point git at mirrors; jsonnet-bundler runs git, which
honours url.<base>.insteadOf rewrites, e.g.:
  git config --global url."https://git.internal/mirrors/kube-prometheus.git".insteadOf \
      https://github.com/prometheus-operator/kube-prometheus.git`

func runVendor(args []string, stdout, stderr io.Writer) int {
	var (
		root  string
		quiet bool
		check bool
	)
	fs := newFlags("vendor", "", vendorHelp, stderr)
	fs.StringVar(&root, "root", "", "project root (default: the directory holding jsonnet/jsonnetfile.json, found from the current directory)")
	fs.BoolVarP(&quiet, "quiet", "q", false, "print only failures")
	fs.BoolVar(&check, "check", false, "fetch nothing: verify that jsonnet/vendor matches the lock (checksums) and name each package that differs")
	if done, code := parse(fs, args, stdout); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(stderr, "vendor", "unexpected arguments: %v", fs.Args())
	}
	r, err := findRoot(root)
	if err != nil {
		fmt.Fprintf(stderr, "kpgen vendor: %v\n", err)
		return ExitUsage
	}
	if check {
		return vendorCheck(r, quiet, stdout, stderr)
	}
	var log io.Writer = stderr
	if quiet {
		log = nil
	}
	res, err := vendoring.Install(vendoring.Options{JsonnetDir: r.JsonnetDir(), Log: log})
	if err != nil {
		fmt.Fprintf(stderr, "FAILED: kpgen vendor: %v\n", err)
		return ExitFailed
	}
	if !quiet {
		lock := "lock unchanged"
		switch {
		case res.UpToDate:
			lock = "already up to date"
		case res.LockChanged:
			lock = "lock updated"
		}
		fmt.Fprintf(stdout, "SUCCESS: %d packages in %s (%s)\n", len(res.Packages), displayPath(r.VendorDir()), lock)
	}
	return ExitOK
}

func findRoot(flag string) (project.Root, error) {
	if flag != "" {
		return project.Open(flag)
	}
	return project.Find(".")
}

func vendorCheck(r project.Root, quiet bool, stdout, stderr io.Writer) int {
	mm, err := vendoring.Verify(r.JsonnetDir(), r.VendorDir())
	if err != nil {
		fmt.Fprintf(stderr, "FAILED: kpgen vendor --check: %v\n", err)
		return ExitFailed
	}
	if len(mm) > 0 {
		fmt.Fprintf(stderr, "FAILED: %s does not match %s (run `kpgen vendor`):\n", displayPath(r.VendorDir()), vendoring.LockFile)
		for _, m := range mm {
			fmt.Fprintf(stderr, "  %s\n", m)
		}
		return ExitFailed
	}
	if !quiet {
		fmt.Fprintf(stdout, "SUCCESS: %s matches %s\n", displayPath(r.VendorDir()), vendoring.LockFile)
	}
	return ExitOK
}
