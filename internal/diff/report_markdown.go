package diff

import (
	"bytes"
	"fmt"
	"html"
	"io"
	"strings"
)

// markdownLimits: a pull-request comment can hold more than a screen.
var markdownLimits = limits{fields: 30, block: 60}

// MarkdownMaxBytes keeps the markdown report under GitHub's limit for a
// comment (65536 characters); what does not fit is left out, with a note.
var MarkdownMaxBytes = 60000

// MarkdownMarker is the first line of the markdown report, for CI jobs that
// update their previous comment instead of adding one.
const MarkdownMarker = "<!-- kpgen-diff -->"

// Top-level items longer than this many lines fold into <details>.
const foldLines = 12

// Markdown writes the report for a pull request: each change once, under
// the set of clusters that have it (see Partitions), long parts in
// collapsible <details> sections. When clusters share only part of their
// changes, a table first gives each cluster's counts.
func (r *Report) Markdown(w io.Writer) error {
	var out bytes.Buffer
	parts, unchanged := r.Partitions()
	names, counts := r.clusterCounts()
	fmt.Fprintf(&out, "%s\n### kpgen diff\n\n", MarkdownMarker)
	changed := len(names)
	total := changed + len(unchanged) + len(r.Failed)
	switch {
	case changed == 0 && len(r.Failed) == 0 && len(r.Orphaned) == 0:
		fmt.Fprintf(&out, "No changes to the generated output (%s).\n", count(total, "cluster"))
	default:
		fmt.Fprintf(&out, "**Changed: %d of %s.**", changed, count(total, "cluster"))
		if len(unchanged) > 0 {
			fmt.Fprintf(&out, " Unchanged: %s.", mdNames(unchanged))
		}
		out.WriteString("\n")
	}
	for _, f := range r.Failed {
		fmt.Fprintf(&out, "\n> [!WARNING]\n> %s could not be rendered: %s\n", mdCode(f.Cluster), mdText(firstLine(f.Error)))
	}
	for _, o := range r.Orphaned {
		fmt.Fprintf(&out, "\n> [!WARNING]\n> Orphaned: %s\n", mdText(o.Message))
	}
	budget := MarkdownMaxBytes - out.Len() - 200
	truncated := false
	var body bytes.Buffer
	emit := func(b []byte) bool {
		if truncated || budget > 0 && body.Len()+len(b) > budget {
			truncated = true
			return false
		}
		body.Write(b)
		return true
	}
	if folded(parts) {
		var t bytes.Buffer
		t.WriteString("\nEach change is shown once, under the clusters it applies to.\n\n")
		if len(names) > foldLines {
			fmt.Fprintf(&t, "<details><summary>Changes per cluster (%d)</summary>\n\n", len(names))
		}
		t.WriteString("| cluster | changes |\n|---|---|\n")
		for i, n := range names {
			fmt.Fprintf(&t, "| %s | %s |\n", mdCode(n), mdText(countsSummary(counts[i], false)))
		}
		if len(names) > foldLines {
			t.WriteString("\n</details>\n")
		}
		emit(t.Bytes())
	}
	for _, p := range parts {
		if !emit(mdHead(p, names)) {
			break
		}
		for _, s := range outline(p.Diff, markdownLimits) {
			if s.fold {
				var d bytes.Buffer
				fmt.Fprintf(&d, "\n<details><summary><b>%s</b> (%d)</summary>\n\n", html.EscapeString(s.title), len(s.nodes))
				for _, n := range s.nodes {
					mdNode(&d, n, 0)
				}
				d.WriteString("\n</details>\n")
				emit(d.Bytes())
				continue
			}
			if !emit([]byte(fmt.Sprintf("\n**%s**\n\n", mdText(s.title)))) {
				break
			}
			for _, n := range s.nodes {
				if !emit(mdTopNode(n)) {
					break
				}
			}
		}
	}
	out.Write(body.Bytes())
	if truncated {
		out.WriteString("\n> [!NOTE]\n> The rest of the report is left out to fit in a comment: run `kpgen diff` locally, or see the CI job's log.\n")
	}
	_, err := w.Write(out.Bytes())
	return err
}

// mdHead is a partition's heading, its clusters and its counts.
func mdHead(p Partition, changed []string) []byte {
	var b bytes.Buffer
	title := partitionTitle(p)
	if len(p.Clusters) == 1 {
		fmt.Fprintf(&b, "\n#### %s%s\n\n", mdCode(p.Clusters[0]), mdText(strings.TrimPrefix(title, p.Clusters[0])))
	} else {
		fmt.Fprintf(&b, "\n#### %s\n\n", mdText(title))
		if but := allBut(p, changed); but != nil && len(p.Clusters) > foldLines {
			fmt.Fprintf(&b, "All but %s.\n\n<details><summary>The %d clusters</summary>\n\n%s\n\n</details>\n\n", mdNames(but), len(p.Clusters), mdNames(p.Clusters))
		} else {
			fmt.Fprintf(&b, "%s\n\n", mdNames(p.Clusters))
		}
	}
	fmt.Fprintf(&b, "%s\n", mdText(summary(p.Diff)))
	return b.Bytes()
}

// mdTopNode draws a section's node: a list item, or a <details> block when
// it is long.
func mdTopNode(n *node) []byte {
	var b bytes.Buffer
	mdNode(&b, n, 0)
	lines := bytes.Count(b.Bytes(), []byte("\n"))
	if lines <= foldLines && b.Len() < 1500 {
		return b.Bytes()
	}
	var d bytes.Buffer
	fmt.Fprintf(&d, "\n<details><summary>%s%s</summary>\n\n", mdMark(n.op), spansHTML(n.label))
	for _, k := range n.kids {
		mdNode(&d, k, 0)
	}
	if len(n.block) > 0 || len(n.list) > 0 {
		leaf := *n
		leaf.kids, leaf.label, leaf.op = nil, nil, ""
		mdBody(&d, &leaf, 0)
	}
	d.WriteString("\n</details>\n\n")
	return d.Bytes()
}

func mdNode(b *bytes.Buffer, n *node, depth int) {
	pad := strings.Repeat("  ", depth)
	fmt.Fprintf(b, "%s- %s%s\n", pad, mdMark(n.op), spansMD(n.label))
	mdBody(b, n, depth+1)
	for _, k := range n.kids {
		mdNode(b, k, depth+1)
	}
}

// mdBody draws a node's diff block and list, indented under its item.
func mdBody(b *bytes.Buffer, n *node, depth int) {
	pad := strings.Repeat("  ", depth)
	if len(n.block) > 0 {
		fence := "```"
		for _, l := range n.block {
			for strings.Contains(l.text, fence) {
				fence += "`"
			}
		}
		fmt.Fprintf(b, "%s%sdiff\n", pad, fence)
		for _, l := range n.block {
			switch l.op {
			case '…':
				fmt.Fprintf(b, "%s@@ %s @@\n", pad, l.text)
			default:
				fmt.Fprintf(b, "%s%c %s\n", pad, l.op, l.text)
			}
		}
		fmt.Fprintf(b, "%s%s\n", pad, fence)
	}
	if len(n.list) > 0 {
		parts := make([]string, len(n.list))
		for i, s := range n.list {
			parts[i] = mdCode(s)
		}
		fmt.Fprintf(b, "%s- %s\n", pad, strings.Join(parts, ", "))
	}
}

func mdMark(op Op) string {
	switch op {
	case Added:
		return "➕ "
	case Removed:
		return "➖ "
	case Changed:
		return "✏️ "
	}
	return ""
}

func spansMD(spans []span) string {
	var b strings.Builder
	for _, s := range spans {
		if s.code {
			b.WriteString(mdCode(s.text))
		} else {
			b.WriteString(mdText(s.text))
		}
	}
	return b.String()
}

func spansHTML(spans []span) string {
	var b strings.Builder
	for _, s := range spans {
		if s.code {
			b.WriteString("<code>" + html.EscapeString(s.text) + "</code>")
		} else {
			b.WriteString(html.EscapeString(s.text))
		}
	}
	return b.String()
}

// mdCode is s as an inline code span.
func mdCode(s string) string {
	if s == "" {
		return "` `"
	}
	fence := "`"
	for strings.Contains(s, fence) {
		fence += "`"
	}
	if len(fence) > 1 || strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

var mdEscaper = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", "&lt;", ">", "&gt;", "#", `\#`, "|", `\|`, "~", `\~`,
)

// mdText escapes what markdown would otherwise interpret.
func mdText(s string) string { return mdEscaper.Replace(s) }

func mdNames(names []string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = mdCode(n)
	}
	return strings.Join(parts, ", ")
}
