package cli

import (
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/kpgen/kpgen/internal/explain"
	"github.com/kpgen/kpgen/internal/render"
)

const varsHelp = `Print a cluster's merged vars: its vars file over its platform preset, over
the platform's defaults, over kpgen's defaults (see docs/vars.md). With
--explain, each value says where it comes from: the vars file, a preset,
the platform's defaults, or kpgen's (default).

CLUSTER is a vars file, or the name of a cluster of vars/:

  kpgen vars prod-eu-1 --explain
  kpgen vars vars/prod-eu-1.jsonnet --format json`

// maxAligned is the longest line whose origin --explain aligns with the
// others'.
const maxAligned = 100

func runVars(args []string, stdout, stderr io.Writer) int {
	var (
		cf     clusterFlags
		all    bool
		format string
		why    bool
	)
	fs := newFlags("vars", "CLUSTER", varsHelp, stderr)
	cf.register(fs, false)
	fs.BoolVar(&why, "explain", false, "say where each value comes from")
	fs.StringVar(&format, "format", "text", "text (one key per line) or json")
	fs.BoolVar(&all, "defaults", false, "print every key, defaults included (without it, the text format leaves out keys at kpgen's defaults)")
	if done, code := parse(fs, args, stdout); done {
		return code
	}
	if fs.NArg() != 1 {
		return usageError(stderr, "vars", "want exactly one CLUSTER (a vars file or a cluster's name)")
	}
	if format != "text" && format != "json" {
		return usageError(stderr, "vars", "unknown --format %q (want text or json)", format)
	}
	r, vars, prog, code := resolveCluster("vars", cf, fs.Arg(0), stderr)
	if code != ExitOK {
		return code
	}
	if prog == nil {
		prog = render.ProgramFor(r)
	}
	rd := render.NewShared(r, prog)
	config, err := rd.Field(vars, "config")
	if err != nil {
		fmt.Fprintf(stderr, "FAILED: %s: %v\n", rd.Rel(vars), err)
		return ExitFailed
	}
	layersJSON, err := rd.Field(vars, "layers")
	if err != nil {
		fmt.Fprintf(stderr, "FAILED: %s: %v\n", rd.Rel(vars), err)
		return ExitFailed
	}
	var layers []explain.Layer
	if err := json.Unmarshal(layersJSON, &layers); err != nil {
		fmt.Fprintf(stderr, "FAILED: %s: the library's layers: %v\n", rd.Rel(vars), err)
		return ExitFailed
	}
	for i := range layers {
		if layers[i].Label == "vars" {
			layers[i].Label = rd.Rel(vars)
		}
	}
	entries, err := explain.Explain(config, layers)
	if err != nil {
		fmt.Fprintf(stderr, "FAILED: %s: %v\n", rd.Rel(vars), err)
		return ExitFailed
	}
	if format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if why {
			enc.Encode(entries)
		} else {
			var v any
			json.Unmarshal(config, &v)
			enc.Encode(v)
		}
		return ExitOK
	}
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	for _, e := range entries {
		if !all && e.Origin == explain.Default {
			continue
		}
		v, _ := json.Marshal(e.Value)
		switch line := fmt.Sprintf("%s: %s", e.Path, v); {
		case why && len(line) > maxAligned:
			// Not aligned: one long value (a dashboard) would push every
			// origin far to the right.
			fmt.Fprintf(tw, "%s  # %s\n", line, e.Origin)
		case why:
			fmt.Fprintf(tw, "%s\t# %s\n", line, e.Origin)
		default:
			fmt.Fprintln(tw, line)
		}
	}
	tw.Flush()
	return ExitOK
}
