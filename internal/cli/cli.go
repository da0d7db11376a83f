// Package cli implements kpgen's commands. Every command parses its flags
// from its own pflag.FlagSet and writes to the io.Writers it is given, so that
// tests can run it in-process.
package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/spf13/pflag"
)

// Exit codes.
const (
	ExitOK      = 0
	ExitFailed  = 1 // evaluation, validation, check or disk failure
	ExitUsage   = 2 // bad command line
	ExitChanged = 1 // diff: there are changes
)

// Version is set at build time (-ldflags "-X github.com/kpgen/kpgen/internal/cli.Version=…").
var Version = ""

type command struct {
	name, summary string
	run           func(args []string, stdout, stderr io.Writer) int
}

func commands() []command {
	return []command{
		{"init", "Create a config repository pinning a platform library, and build it", runInit},
		{"build", "Render, validate and write out/<cluster>/ for each vars file", runBuild},
		{"validate", "Render and validate each vars file; write nothing", runValidate},
		{"diff", "Show how a build would change out/<cluster>/, rule by rule", runDiff},
		{"vars", "Print a cluster's merged vars, and with --explain where each value comes from", runVars},
		{"show", "Print a cluster's rendered files or selected objects; write nothing", runShow},
		{"seal", "Seal a value with a cluster's Sealed Secrets certificate, for its vars", runSeal},
		{"vendor", "Fetch the Jsonnet dependencies into jsonnet/vendor (jb install)", runVendor},
		{"bump", "Move a Jsonnet dependency to a new version, re-vendor, re-render, show the diff", runBump},
		{"version", "Print kpgen's version", runVersion},
	}
}

const intro = `kpgen renders the kube-prometheus monitoring stack plus kpgen's mixins from one
vars file per cluster, validates every rule and manifest, and writes reviewable
YAML into out/<cluster>/.

Usage:
  kpgen <command> [flags] [args]

Commands:
`

func usage(w io.Writer) {
	fmt.Fprint(w, intro)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-9s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run 'kpgen <command> --help' for a command's flags.

Exit status: 0 success, 1 failure (evaluation, validation, stale output),
2 usage error; for diff, as diff(1): 0 no change, 1 changes, 2 error.
`)
}

// Main runs kpgen with args (without the program name) and returns the exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return ExitUsage
	}
	switch args[0] {
	case "-h", "--help", "help":
		if len(args) > 1 && args[0] == "help" {
			return Main([]string{args[1], "--help"}, stdout, stderr)
		}
		usage(stdout)
		return ExitOK
	case "--version":
		return runVersion(nil, stdout, stderr)
	}
	for _, c := range commands() {
		if c.name == args[0] {
			return c.run(args[1:], stdout, stderr)
		}
	}
	fmt.Fprintf(stderr, "kpgen: unknown command %q\n\n", args[0])
	usage(stderr)
	return ExitUsage
}

// newFlags returns a FlagSet whose --help prints the command's usage.
func newFlags(name, argsUsage, description string, stderr io.Writer) *pflag.FlagSet {
	fs := pflag.NewFlagSet("kpgen "+name, pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SortFlags = false
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: kpgen %s [flags] %s\n\n%s\n\nFlags:\n%s", name, argsUsage, strings.TrimSpace(description), fs.FlagUsages())
	}
	return fs
}

// parse parses args; done reports that the command must return code now
// (after --help, or a usage error).
func parse(fs *pflag.FlagSet, args []string, stdout io.Writer) (done bool, code int) {
	// pflag itself prints the usage on --help and on errors; it is printed
	// once, below, where it belongs.
	if fs.Lookup("help") == nil { // last in the usage
		fs.BoolP("help", "h", false, "show this help")
	}
	out := fs.Output()
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	fs.SetOutput(out)
	if help, _ := fs.GetBool("help"); err == nil && help {
		err = pflag.ErrHelp
	}
	if err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			fs.SetOutput(stdout)
			fs.Usage()
			return true, ExitOK
		}
		fmt.Fprintf(fs.Output(), "%s: %v\nRun '%s --help' for usage.\n", fs.Name(), err, fs.Name())
		return true, ExitUsage
	}
	return false, 0
}

func usageError(stderr io.Writer, cmd, format string, a ...any) int {
	fmt.Fprintf(stderr, "kpgen %s: %s\nRun 'kpgen %s --help' for usage.\n", cmd, fmt.Sprintf(format, a...), cmd)
	return ExitUsage
}

func versionString() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func runVersion(args []string, stdout, stderr io.Writer) int {
	fs := newFlags("version", "", "Print kpgen's version.", stderr)
	if done, code := parse(fs, args, stdout); done {
		return code
	}
	fmt.Fprintf(stdout, "kpgen %s\n", versionString())
	return ExitOK
}

// isTerminal reports whether w is a terminal (a character device).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
