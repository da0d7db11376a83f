package diff

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
)

// Placeholder stands for a cluster's name in a change set shared by several
// clusters, when the changes mention the name.
const Placeholder = "<cluster>"

// Report is the outcome of a diff over many clusters.
type Report struct {
	Clusters []*ClusterDiff // unchanged clusters included
	Failed   []Failure      // clusters that could not be rendered or compared
}

// Failure is a cluster that could not be diffed.
type Failure struct {
	Cluster string `json:"cluster"`
	Error   string `json:"error"`
}

// Group is a set of clusters whose change sets are identical once each
// cluster's own name is taken out.
type Group struct {
	Clusters []string
	// Diff is the shared change set. When it has several clusters and the
	// changes mention the cluster's name, the name reads Placeholder.
	Diff *ClusterDiff
}

// Changed reports whether any cluster changed.
func (r *Report) Changed() bool {
	for _, c := range r.Clusters {
		if !c.Empty() {
			return true
		}
	}
	return false
}

// Groups folds the changed clusters into groups of identical change sets,
// largest group first, and lists the unchanged clusters (sorted).
func (r *Report) Groups() (groups []Group, unchanged []string) {
	type entry struct {
		names   []string
		first   *ClusterDiff
		generic []byte
	}
	byPrint := map[string]*entry{}
	for _, c := range r.Clusters {
		if c.Empty() {
			unchanged = append(unchanged, c.Cluster)
			continue
		}
		generic := genericJSON(c)
		e := byPrint[string(generic)]
		if e == nil {
			e = &entry{first: c, generic: generic}
			byPrint[string(generic)] = e
		}
		e.names = append(e.names, c.Cluster)
	}
	for _, e := range byPrint {
		sort.Strings(e.names)
		d := e.first
		if len(e.names) > 1 {
			d = &ClusterDiff{}
			dec := json.NewDecoder(bytes.NewReader(e.generic))
			dec.UseNumber()
			if err := dec.Decode(d); err != nil {
				d = e.first
			}
			d.Cluster = ""
		}
		groups = append(groups, Group{Clusters: e.names, Diff: d})
	}
	sort.Slice(groups, func(i, j int) bool {
		if len(groups[i].Clusters) != len(groups[j].Clusters) {
			return len(groups[i].Clusters) > len(groups[j].Clusters)
		}
		return groups[i].Clusters[0] < groups[j].Clusters[0]
	})
	sort.Strings(unchanged)
	return groups, unchanged
}

// genericJSON is d as JSON without its cluster name: the cluster field is
// dropped and the name, where it stands as a word in any string, is replaced
// by Placeholder.
func genericJSON(d *ClusterDiff) []byte {
	c := *d
	c.Cluster = ""
	b, _ := json.Marshal(&c)
	if d.Cluster == "" || !bytes.Contains(b, []byte(d.Cluster)) {
		return b
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return b
	}
	out, _ := json.Marshal(replaceName(v, d.Cluster))
	return out
}

func replaceName(v any, name string) any {
	switch x := v.(type) {
	case string:
		return replaceWord(x, name)
	case []any:
		for i := range x {
			x[i] = replaceName(x[i], name)
		}
		return x
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[replaceWord(k, name)] = replaceName(e, name)
		}
		return m
	}
	return v
}

// replaceWord replaces name in s with Placeholder where it is not part of a
// longer word (letters and digits).
func replaceWord(s, name string) string {
	if name == "" || !strings.Contains(s, name) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, name)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		end := i + len(name)
		if (i == 0 || !isWordByte(s[i-1])) && (end == len(s) || !isWordByte(s[end])) {
			b.WriteString(s[:i])
			b.WriteString(Placeholder)
		} else {
			b.WriteString(s[:end])
		}
		s = s[end:]
	}
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}
