package diff

import (
	"encoding/json"
	"sort"
	"strings"
)

// Placeholder stands for a cluster's name in a change shared by several
// clusters, when the change mentions the name.
const Placeholder = "<cluster>"

// Report is the outcome of a diff over many clusters.
type Report struct {
	Clusters []*ClusterDiff // unchanged clusters included
	Failed   []Failure      // clusters that could not be rendered or compared
	// Orphaned are cluster directories in out/ that no vars file builds
	// any more: the change that decommissions them is their removal.
	Orphaned []Orphaned
}

// Orphaned is a cluster directory that no vars file builds, and what to do.
type Orphaned struct {
	Cluster string `json:"cluster"`
	Message string `json:"message"`
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
	if len(r.Orphaned) > 0 {
		return true
	}
	for _, c := range r.Clusters {
		if !c.Empty() {
			return true
		}
	}
	return false
}

// Groups folds the changed clusters into groups of identical change sets,
// largest group first, and lists the unchanged clusters (sorted). Partitions
// folds finer, change by change.
func (r *Report) Groups() (groups []Group, unchanged []string) {
	type entry struct {
		names   []string
		first   *ClusterDiff
		generic *ClusterDiff
	}
	byPrint := map[string]*entry{}
	for _, c := range r.Clusters {
		if c.Empty() {
			unchanged = append(unchanged, c.Cluster)
			continue
		}
		generic := genericDiff(c)
		b, _ := json.Marshal(generic)
		e := byPrint[string(b)]
		if e == nil {
			e = &entry{first: c, generic: generic}
			byPrint[string(b)] = e
		}
		e.names = append(e.names, c.Cluster)
	}
	for _, e := range byPrint {
		sort.Strings(e.names)
		d := e.first
		if len(e.names) > 1 {
			d = e.generic
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

// genericDiff is a copy of d without its cluster name: Cluster is empty and
// the name, where it stands as a word in any string (values and map keys
// included), reads Placeholder. Every string field of the model must be
// replaced here.
func genericDiff(d *ClusterDiff) *ClusterDiff {
	name := d.Cluster
	rs := func(s string) string { return replaceWord(s, name) }
	fields := func(fs []FieldDiff) []FieldDiff {
		if fs == nil {
			return nil
		}
		out := make([]FieldDiff, len(fs))
		for i, f := range fs {
			out[i] = FieldDiff{Path: rs(f.Path), Op: f.Op, Old: replaceName(f.Old, name), New: replaceName(f.New, name)}
		}
		return out
	}
	g := &ClusterDiff{New: d.New}
	if d.Objects != nil {
		g.Objects = make([]*ObjectDiff, len(d.Objects))
	}
	for i, o := range d.Objects {
		c := &ObjectDiff{
			Op: o.Op, APIVersion: rs(o.APIVersion), Kind: rs(o.Kind), Namespace: rs(o.Namespace), Name: rs(o.Name),
			OldFile: rs(o.OldFile), NewFile: rs(o.NewFile), Fields: fields(o.Fields),
		}
		if o.RuleGroups != nil {
			c.RuleGroups = make([]RuleGroupDiff, len(o.RuleGroups))
		}
		for j, rg := range o.RuleGroups {
			cg := RuleGroupDiff{Name: rs(rg.Name), Op: rg.Op, Fields: fields(rg.Fields)}
			if rg.Rules != nil {
				cg.Rules = make([]RuleDiff, len(rg.Rules))
			}
			for k, r := range rg.Rules {
				cg.Rules[k] = RuleDiff{Op: r.Op, Type: rs(r.Type), Name: rs(r.Name), Qualifier: rs(r.Qualifier), Fields: fields(r.Fields)}
			}
			c.RuleGroups[j] = cg
		}
		if o.Dashboards != nil {
			c.Dashboards = make([]DashboardDiff, len(o.Dashboards))
		}
		for j, db := range o.Dashboards {
			cd := db
			cd.Title, cd.OldTitle, cd.UID, cd.Key, cd.OldKey = rs(db.Title), rs(db.OldTitle), rs(db.UID), rs(db.Key), rs(db.OldKey)
			if db.OtherFields != nil {
				cd.OtherFields = make([]string, len(db.OtherFields))
				for k, s := range db.OtherFields {
					cd.OtherFields[k] = rs(s)
				}
			}
			c.Dashboards[j] = cd
		}
		g.Objects[i] = c
	}
	if d.Files != nil {
		g.Files = make([]FileDiff, len(d.Files))
	}
	for i, f := range d.Files {
		g.Files[i] = FileDiff{Path: rs(f.Path), Op: f.Op, Note: rs(f.Note)}
	}
	return g
}

// replaceName returns v with name replaced as a word in every string and
// map key; v is not modified.
func replaceName(v any, name string) any {
	if name == "" {
		return v
	}
	switch x := v.(type) {
	case string:
		return replaceWord(x, name)
	case []any:
		out := make([]any, len(x))
		for i := range x {
			out[i] = replaceName(x[i], name)
		}
		return out
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
