package diff

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// textLimits keep the text report to a few screens.
var textLimits = limits{fields: 12, block: 40}

const textWidth = 100

// maxListLines bounds a list of names (objects sharing a change, rules of a
// new group) in text; markdown shows them all.
const maxListLines = 4

type ansi struct{ on bool }

func (a ansi) wrap(code, s string) string {
	if !a.on || s == "" {
		return s
	}
	return "\033[" + code + "m" + s + "\033[0m"
}

func (a ansi) bold(s string) string { return a.wrap("1", s) }
func (a ansi) dim(s string) string  { return a.wrap("2", s) }
func (a ansi) op(op Op, s string) string {
	switch op {
	case Added:
		return a.wrap("32", s)
	case Removed:
		return a.wrap("31", s)
	case Changed:
		return a.wrap("33", s)
	}
	return s
}

func mark(op Op) string {
	switch op {
	case Added:
		return "+"
	case Removed:
		return "-"
	case Changed:
		return "~"
	}
	return " "
}

// Text writes the report for a terminal or a log, in colour if color is set.
// Each change is shown once, under the set of clusters that have it (see
// Partitions); when clusters share only part of their changes, a header
// first gives each cluster's counts.
func (r *Report) Text(w io.Writer, color bool) error {
	bw := bufio.NewWriter(w)
	a := ansi{on: color}
	parts, unchanged := r.Partitions()
	names, counts := r.clusterCounts()
	if folded(parts) {
		fmt.Fprintf(bw, "%s: each change is shown once, under the clusters it applies to\n", a.bold(count(len(names), "cluster")+" changed"))
		width := 0
		for _, n := range names {
			width = max(width, len(n))
		}
		for i, n := range names {
			fmt.Fprintf(bw, "  %-*s  %s\n", width, n, countsSummary(counts[i], false))
		}
		fmt.Fprintln(bw)
	}
	for i, p := range parts {
		if i > 0 {
			fmt.Fprintln(bw)
		}
		textTitle(bw, a, p, names)
		fmt.Fprintf(bw, "  %s\n", summary(p.Diff))
		for _, s := range outline(p.Diff, textLimits) {
			fmt.Fprintf(bw, "\n  %s\n", a.bold(s.title))
			for _, n := range s.nodes {
				textNode(bw, a, n, 4)
			}
		}
	}
	if len(parts) > 0 && (len(unchanged) > 0 || len(r.Failed) > 0 || len(r.Orphaned) > 0) {
		fmt.Fprintln(bw)
	}
	for _, o := range r.Orphaned {
		fmt.Fprintf(bw, "%s: %s\n", a.op(Removed, "ORPHANED"), o.Message)
	}
	if len(parts) == 0 && len(r.Failed) == 0 && len(r.Orphaned) == 0 {
		fmt.Fprintf(bw, "no changes (%s)\n", count(len(unchanged), "cluster"))
	} else if len(unchanged) > 0 {
		fmt.Fprintf(bw, "unchanged: %s\n", clusterList(unchanged, 0))
	}
	for _, f := range r.Failed {
		fmt.Fprintf(bw, "%s: %s: %s\n", a.op(Removed, "FAILED"), f.Cluster, firstLine(f.Error))
	}
	return bw.Flush()
}

// textTitle writes a partition's title: "prod", "prod only", or "3 clusters,
// changed alike: a, b, c" with the names on the line when they fit, else
// wrapped below it (and, when "all but" a few says it shorter, only the
// first lines of them).
func textTitle(w io.Writer, a ansi, p Partition, changed []string) {
	title := partitionTitle(p)
	if len(p.Clusters) == 1 {
		fmt.Fprintln(w, a.bold(title))
		return
	}
	if line := title + ": " + clusterList(p.Clusters, 0); len(line) <= textWidth {
		fmt.Fprintln(w, a.bold(line))
		return
	}
	lines := wrapList(p.Clusters, textWidth-2)
	if but := allBut(p, changed); but != nil {
		title += " (all but " + strings.Join(but, ", ") + ")"
		if len(lines) > maxListLines {
			shown := strings.Count(strings.Join(lines[:maxListLines-1], " "), ",")
			lines = append(lines[:maxListLines-1:maxListLines-1], fmt.Sprintf("… and %d more", len(p.Clusters)-shown))
		}
	}
	fmt.Fprintln(w, a.bold(title+":"))
	for _, l := range lines {
		fmt.Fprintf(w, "  %s\n", a.dim(l))
	}
}

func textNode(w io.Writer, a ansi, n *node, indent int) {
	pad := strings.Repeat(" ", indent)
	var label strings.Builder
	for _, s := range n.label {
		label.WriteString(s.text)
	}
	m := mark(n.op)
	fmt.Fprintf(w, "%s%s %s\n", pad, a.op(n.op, m), label.String())
	for _, l := range n.block {
		switch l.op {
		case '-':
			fmt.Fprintf(w, "%s    %s\n", pad, a.op(Removed, "- "+l.text))
		case '+':
			fmt.Fprintf(w, "%s    %s\n", pad, a.op(Added, "+ "+l.text))
		case '…':
			fmt.Fprintf(w, "%s    %s\n", pad, a.dim("… "+l.text))
		default:
			fmt.Fprintf(w, "%s      %s\n", pad, l.text)
		}
	}
	if len(n.list) > 0 {
		lines := wrapList(n.list, textWidth-indent-4)
		if len(lines) > maxListLines {
			shown := strings.Count(strings.Join(lines[:maxListLines-1], " "), ",")
			lines = append(lines[:maxListLines-1:maxListLines-1], fmt.Sprintf("… and %d more", len(n.list)-shown))
		}
		for _, line := range lines {
			fmt.Fprintf(w, "%s    %s\n", pad, a.dim(line))
		}
	}
	for _, k := range n.kids {
		textNode(w, a, k, indent+4)
	}
}

// wrapList joins names with commas into lines of about width columns.
func wrapList(names []string, width int) []string {
	var (
		lines []string
		cur   string
	)
	for i, n := range names {
		if i < len(names)-1 {
			n += ","
		}
		if cur != "" && len(cur)+1+len(n) > width {
			lines = append(lines, cur)
			cur = ""
		}
		if cur != "" {
			cur += " "
		}
		cur += n
	}
	if cur != "" {
		lines = append(lines, cur)
	}
	return lines
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}
