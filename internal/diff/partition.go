package diff

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
)

// Clusters rarely change in exactly the same way: they differ in a mixin, a
// replica count, a namespace. So the report folds change by change rather
// than change set by change set: every cluster's changes are cut into items,
// each item is matched across clusters by its content (with the cluster's
// own name read as Placeholder), and the items are partitioned by the exact
// set of clusters that have them. A bump over fifty clusters then shows the
// upstream changes once, under "50 clusters", and after them what only some
// of the clusters have.
//
// An item is one of:
//   - an object added or removed (with its rule groups and dashboards);
//   - a changed object's move to another file;
//   - one changed field of a changed object;
//   - a rule group added or removed, one changed field of a rule group, or
//     one rule added, removed or changed, within its PrometheusRule;
//   - one dashboard added, removed or changed, within its ConfigMap;
//   - one file-level change;
//   - for a cluster that had no output before, the whole of it.

// Partition is a set of clusters and the changes that exactly those
// clusters have.
type Partition struct {
	Clusters []string // sorted
	// Diff holds the changes, in the layout of a ClusterDiff (an object whose
	// changes are split between partitions appears in each, with its share).
	// With several clusters, the cluster's own name reads Placeholder and
	// Cluster is empty.
	Diff *ClusterDiff
	// Complete is set when these are all the changes of each of the
	// clusters: they are in no other partition.
	Complete bool
}

// Partitions cuts the changed clusters' changes into items and groups the
// items by the set of clusters that have them: the partition of the most
// clusters first, then by cluster names. It also lists the unchanged
// clusters (sorted). Clusters that changed identically make one complete
// partition, as in Groups.
func (r *Report) Partitions() (parts []Partition, unchanged []string) {
	type member struct {
		d, generic *ClusterDiff
		keys       []string // the items of generic, in walk order
	}
	var changed []*member
	for _, c := range r.Clusters {
		if c.Empty() {
			unchanged = append(unchanged, c.Cluster)
			continue
		}
		m := &member{d: c, generic: genericDiff(c)}
		m.keys = itemKeys(m.generic)
		changed = append(changed, m)
	}
	sort.Strings(unchanged)
	sort.SliceStable(changed, func(i, j int) bool { return changed[i].d.Cluster < changed[j].d.Cluster })

	owners := map[string][]int{} // item → the clusters (indexes in changed) that have it
	for i, m := range changed {
		for _, k := range m.keys {
			owners[k] = append(owners[k], i)
		}
	}
	type part struct {
		members []int
		keys    map[string]bool
	}
	bySet := map[string]*part{}
	var sets []*part
	for _, m := range changed {
		for _, k := range m.keys {
			o := owners[k]
			sig := fmt.Sprint(o)
			p := bySet[sig]
			if p == nil {
				p = &part{members: o, keys: map[string]bool{}}
				bySet[sig] = p
				sets = append(sets, p)
			}
			p.keys[k] = true
		}
	}
	memberships := make([]int, len(changed))
	for _, p := range sets {
		for _, i := range p.members {
			memberships[i]++
		}
	}
	for _, p := range sets {
		first := changed[p.members[0]]
		src := first.d
		if len(p.members) > 1 {
			src = first.generic
		}
		n := 0
		d := walkItems(src, func([]any) bool {
			keep := p.keys[first.keys[n]]
			n++
			return keep
		})
		part := Partition{Diff: d, Complete: true}
		for _, i := range p.members {
			part.Clusters = append(part.Clusters, changed[i].d.Cluster)
			part.Complete = part.Complete && memberships[i] == 1
		}
		parts = append(parts, part)
	}
	sort.Slice(parts, func(i, j int) bool {
		a, b := parts[i].Clusters, parts[j].Clusters
		if len(a) != len(b) {
			return len(a) > len(b)
		}
		for k := range a {
			if a[k] != b[k] {
				return a[k] < b[k]
			}
		}
		return false
	})
	return parts, unchanged
}

// itemKeys lists the keys of d's items in walk order: a digest of each
// item's content, with a count appended to the second and later of equal
// items, so that every key is unique within d.
func itemKeys(d *ClusterDiff) []string {
	var keys []string
	seen := map[string]int{}
	walkItems(d, func(item []any) bool {
		b, err := json.Marshal(item)
		if err != nil { // cannot happen with decoded YAML; keep the item apart
			b = []byte(fmt.Sprintf("%#v", item))
		}
		sum := sha256.Sum256(b)
		k := string(sum[:])
		seen[k]++
		if n := seen[k]; n > 1 {
			k += "#" + strconv.Itoa(n)
		}
		keys = append(keys, k)
		return true
	})
	return keys
}

// objectRef names a changed object in an item: what matches it across
// clusters (its files do not).
type objectRef struct {
	APIVersion string `json:"apiVersion,omitempty"`
	Kind       string `json:"kind,omitempty"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name,omitempty"`
}

// walkItems calls keep with each item of d, in order, as a list of the
// values that make it (see the list at the top of this file), and returns
// d with only the items keep returns true for. It shares what it keeps with
// d, and it must visit the items in the same order whatever keep returns:
// Partitions relies on it.
func walkItems(d *ClusterDiff, keep func(item []any) bool) *ClusterDiff {
	out := &ClusterDiff{Cluster: d.Cluster, New: d.New}
	if d.New {
		whole := *d
		whole.Cluster = ""
		if keep([]any{"new", &whole}) {
			out.Objects, out.Files = d.Objects, d.Files
		}
		return out
	}
	for _, o := range d.Objects {
		if o.Op != Changed {
			if keep([]any{"object", o}) {
				out.Objects = append(out.Objects, o)
			}
			continue
		}
		ref := objectRef{APIVersion: o.APIVersion, Kind: o.Kind, Namespace: o.Namespace, Name: o.Name}
		c := *o
		c.Fields, c.RuleGroups, c.Dashboards = nil, nil, nil
		moved := o.Moved() && keep([]any{"moved", ref, o.OldFile, o.NewFile})
		if !moved && c.NewFile != "" {
			c.OldFile = c.NewFile
		}
		for _, g := range o.RuleGroups {
			if g.Op != Changed {
				if keep([]any{"group", ref, g}) {
					c.RuleGroups = append(c.RuleGroups, g)
				}
				continue
			}
			cg := g
			cg.Fields, cg.Rules = nil, nil
			for _, f := range g.Fields {
				if keep([]any{"group field", ref, g.Name, f}) {
					cg.Fields = append(cg.Fields, f)
				}
			}
			for _, r := range g.Rules {
				if keep([]any{"rule", ref, g.Name, r}) {
					cg.Rules = append(cg.Rules, r)
				}
			}
			if len(cg.Fields) > 0 || len(cg.Rules) > 0 {
				c.RuleGroups = append(c.RuleGroups, cg)
			}
		}
		for _, db := range o.Dashboards {
			if keep([]any{"dashboard", ref, db}) {
				c.Dashboards = append(c.Dashboards, db)
			}
		}
		for _, f := range o.Fields {
			if keep([]any{"field", ref, f}) {
				c.Fields = append(c.Fields, f)
			}
		}
		if moved || len(c.Fields) > 0 || len(c.RuleGroups) > 0 || len(c.Dashboards) > 0 {
			out.Objects = append(out.Objects, &c)
		}
	}
	for _, f := range d.Files {
		if keep([]any{"file", f}) {
			out.Files = append(out.Files, f)
		}
	}
	return out
}

// clusterCounts is, for each changed cluster of r (sorted by name), its
// name and the counts of its changes.
func (r *Report) clusterCounts() (names []string, counts []Counts) {
	var changed []*ClusterDiff
	for _, c := range r.Clusters {
		if !c.Empty() {
			changed = append(changed, c)
		}
	}
	sort.SliceStable(changed, func(i, j int) bool { return changed[i].Cluster < changed[j].Cluster })
	for _, c := range changed {
		names = append(names, c.Cluster)
		counts = append(counts, c.Counts())
	}
	return names, counts
}

// folded reports whether parts need the multi-cluster layout: a header with
// each cluster's counts, and titles that say which changes are shared. When
// every partition is complete, the report is one section per set of
// identically changed clusters, as it always was.
func folded(parts []Partition) bool {
	for _, p := range parts {
		if !p.Complete {
			return true
		}
	}
	return false
}

// partitionTitle is "prod", "prod only", "3 clusters, changed alike" or
// "3 clusters, in common", without the names of several clusters.
func partitionTitle(p Partition) string {
	switch {
	case len(p.Clusters) == 1 && p.Complete:
		return p.Clusters[0]
	case len(p.Clusters) == 1:
		return p.Clusters[0] + " only"
	case p.Complete:
		return fmt.Sprintf("%d clusters, changed alike", len(p.Clusters))
	}
	return fmt.Sprintf("%d clusters, in common", len(p.Clusters))
}

// allBut lists the changed clusters that are not in p, when there are a few
// of them and p is larger: "all but a, b" reads better than 48 names.
func allBut(p Partition, changed []string) []string {
	in := map[string]bool{}
	for _, c := range p.Clusters {
		in[c] = true
	}
	var rest []string
	for _, c := range changed {
		if !in[c] {
			rest = append(rest, c)
		}
	}
	if len(rest) == 0 || len(rest) > 3 || len(rest) >= len(p.Clusters) {
		return nil
	}
	return rest
}
