package diff

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"
)

// maxValue is the longest value shown inline, in runes.
const maxValue = 80

// short formats a value on one line, truncated: strings as they are, other
// scalars and structures as compact JSON.
func short(v any) string {
	switch x := v.(type) {
	case string:
		if x == "" {
			return `""`
		}
		if i := strings.IndexByte(x, '\n'); i >= 0 {
			n := strings.Count(strings.TrimRight(x, "\n"), "\n") + 1
			return truncate(x[:i], maxValue) + fmt.Sprintf(" … (%d lines)", n)
		}
		return truncate(x, maxValue)
	case nil:
		return "null"
	case json.Number:
		return x.String()
	case bool:
		return fmt.Sprint(x)
	}
	b, _ := json.Marshal(v)
	return truncate(string(b), maxValue)
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// shortPair formats two long single-line strings around where they differ.
func shortPair(a, b string) (string, string) {
	if utf8.RuneCountInString(a) <= maxValue+40 && utf8.RuneCountInString(b) <= maxValue+40 {
		return a, b
	}
	ra, rb := []rune(a), []rune(b)
	p := 0
	for p < len(ra) && p < len(rb) && ra[p] == rb[p] {
		p++
	}
	s := 0
	for s < len(ra)-p && s < len(rb)-p && ra[len(ra)-1-s] == rb[len(rb)-1-s] {
		s++
	}
	const ctx = 30
	cut := func(r []rune) string {
		start, end := max(0, p-ctx), len(r)-max(0, s-ctx)
		out := string(r[start:end])
		out = truncate(out, maxValue-2)
		if start > 0 {
			out = "…" + out
		}
		if end < len(r) && !strings.HasSuffix(out, "…") {
			out += "…"
		}
		return out
	}
	return cut(ra), cut(rb)
}

func isMultiline(v any) bool {
	s, ok := v.(string)
	return ok && strings.Contains(strings.TrimRight(s, "\n"), "\n")
}

// dline is one line of a diff block: op is ' ', '-', '+', or '…' for a
// note about elided lines.
type dline struct {
	op   rune
	text string
}

// lineDiff compares two texts line by line, keeping context unchanged lines
// around each change (all of them when context < 0) and at most maxLines
// lines in all.
func lineDiff(a, b string, context, maxLines int) []dline {
	al := strings.Split(strings.TrimRight(a, "\n"), "\n")
	bl := strings.Split(strings.TrimRight(b, "\n"), "\n")
	if a == "" {
		al = nil
	}
	if b == "" {
		bl = nil
	}
	var all []dline
	i, j := 0, 0
	for _, m := range append(align(al, bl), [2]int{len(al), len(bl)}) {
		for ; i < m[0]; i++ {
			all = append(all, dline{'-', al[i]})
		}
		for ; j < m[1]; j++ {
			all = append(all, dline{'+', bl[j]})
		}
		if m[0] < len(al) {
			all = append(all, dline{' ', al[m[0]]})
		}
		i, j = m[0]+1, m[1]+1
	}
	if context >= 0 {
		keep := make([]bool, len(all))
		for k, l := range all {
			if l.op != ' ' {
				for c := max(0, k-context); c <= min(len(all)-1, k+context); c++ {
					keep[c] = true
				}
			}
		}
		var out []dline
		for k := 0; k < len(all); {
			if keep[k] {
				out = append(out, all[k])
				k++
				continue
			}
			n := 0
			for k+n < len(all) && !keep[k+n] {
				n++
			}
			if n == 1 { // a note would take as much room as the line
				out = append(out, all[k])
			} else {
				out = append(out, dline{'…', fmt.Sprintf("%d unchanged lines", n)})
			}
			k += n
		}
		all = out
	}
	if maxLines > 0 && len(all) > maxLines {
		rest := len(all) - maxLines + 1
		all = append(all[:maxLines-1:maxLines-1], dline{'…', fmt.Sprintf("%d more line%s", rest, plural(rest))})
	}
	return all
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// count formats "1 rule", "3 rules", "2 properties".
func count(n int, what string) string {
	if n != 1 && strings.HasSuffix(what, "y") {
		return fmt.Sprintf("%d %sies", n, what[:len(what)-1])
	}
	return fmt.Sprintf("%d %s%s", n, what, plural(n))
}

// opCounts formats "2 added, 1 removed, 5 changed", leaving out zeros.
func opCounts(c OpCounts) string {
	var parts []string
	if c.Added > 0 {
		parts = append(parts, fmt.Sprintf("%d added", c.Added))
	}
	if c.Removed > 0 {
		parts = append(parts, fmt.Sprintf("%d removed", c.Removed))
	}
	if c.Changed > 0 {
		parts = append(parts, fmt.Sprintf("%d changed", c.Changed))
	}
	return strings.Join(parts, ", ")
}

// summary is a one-line account of a change set.
func summary(d *ClusterDiff) string {
	return countsSummary(d.Counts(), d.New)
}

// countsSummary is "objects: 1 added, 2 changed · rules: 3 changed · …".
func countsSummary(c Counts, isNew bool) string {
	var parts []string
	for _, p := range []struct {
		what string
		c    OpCounts
	}{{"objects", c.Objects}, {"rules", c.Rules}, {"dashboards", c.Dashboards}} {
		if p.c.Total() > 0 {
			parts = append(parts, p.what+": "+opCounts(p.c))
		}
	}
	if c.Files > 0 {
		parts = append(parts, "files: "+count(c.Files, "other change"))
	}
	s := strings.Join(parts, " · ")
	if isNew {
		s = "new output · " + s
	}
	return s
}

// clusterList formats cluster names, the first max of them.
func clusterList(names []string, max int) string {
	if max > 0 && len(names) > max {
		return strings.Join(names[:max], ", ") + fmt.Sprintf(", … (%d more)", len(names)-max)
	}
	return strings.Join(names, ", ")
}
