// Package diff compares a cluster's output as it is on disk (out/<cluster>/)
// with what a build would write, and describes the change so that a person
// can review it: objects added, removed and changed (matched by identity, not
// by file), PrometheusRules rule by rule, Grafana dashboards by title and uid
// with a count of changed panels, and everything else as a compact
// structural diff of the changed fields.
//
// Everything here is a pure function over file sets (relative path → bytes);
// the report writers (Text, Markdown, JSON) show each change once, with the
// set of clusters that have it (see Report.Partitions). Every list is
// sorted, so output is deterministic.
package diff

// Op is what happened to a thing.
type Op string

const (
	Added   Op = "added"
	Removed Op = "removed"
	Changed Op = "changed"
)

// ClusterDiff is how one cluster's output changes.
type ClusterDiff struct {
	Cluster string `json:"cluster,omitempty"`
	// New is set when there was no previous output at all.
	New     bool          `json:"new,omitempty"`
	Objects []*ObjectDiff `json:"objects,omitempty"`
	// Files lists file-level changes that are not object changes: files that
	// are not YAML objects, and files whose bytes changed but not their objects.
	Files []FileDiff `json:"files,omitempty"`
}

// Empty reports whether nothing changed.
func (d *ClusterDiff) Empty() bool { return len(d.Objects) == 0 && len(d.Files) == 0 }

// ObjectDiff is one Kubernetes object added, removed or changed. Objects are
// matched across the two file sets by (API group, kind, namespace, name);
// List objects are expanded to their items.
type ObjectDiff struct {
	Op         Op     `json:"op"`
	APIVersion string `json:"apiVersion,omitempty"`
	Kind       string `json:"kind,omitempty"`
	Namespace  string `json:"namespace,omitempty"`
	Name       string `json:"name,omitempty"`
	OldFile    string `json:"oldFile,omitempty"`
	NewFile    string `json:"newFile,omitempty"`
	// Fields are the changed fields, except PrometheusRule groups and
	// dashboard JSON, which RuleGroups and Dashboards describe.
	Fields     []FieldDiff     `json:"fields,omitempty"`
	RuleGroups []RuleGroupDiff `json:"ruleGroups,omitempty"`
	Dashboards []DashboardDiff `json:"dashboards,omitempty"`
}

// ID is "Kind namespace/name", or "Kind name" without a namespace.
func (o *ObjectDiff) ID() string {
	n := o.Name
	if o.Namespace != "" {
		n = o.Namespace + "/" + n
	}
	if o.Kind == "" {
		return n
	}
	if n == "" {
		return o.Kind
	}
	return o.Kind + " " + n
}

// Moved reports whether the object is now in another file.
func (o *ObjectDiff) Moved() bool {
	return o.Op == Changed && o.OldFile != "" && o.NewFile != "" && o.OldFile != o.NewFile
}

// FieldDiff is one changed field. Path is YAML-path-like:
// spec.template.spec.containers[name=prometheus].image, metadata.labels["app.kubernetes.io/version"].
// Old is absent for Added, New for Removed.
type FieldDiff struct {
	Path string `json:"path"`
	Op   Op     `json:"op"`
	Old  any    `json:"old,omitempty"`
	New  any    `json:"new,omitempty"`
}

// RuleGroupDiff is one rule group of a PrometheusRule added, removed or changed.
type RuleGroupDiff struct {
	Name   string      `json:"name"`
	Op     Op          `json:"op"`
	Fields []FieldDiff `json:"fields,omitempty"` // interval, limit, …
	Rules  []RuleDiff  `json:"rules,omitempty"`
}

// RuleDiff is one alerting or recording rule added, removed or changed.
type RuleDiff struct {
	Op   Op     `json:"op"`
	Type string `json:"type"` // alert or record
	Name string `json:"name"`
	// Qualifier tells apart rules of one group that share a name (their
	// labels, e.g. severity="critical").
	Qualifier string      `json:"qualifier,omitempty"`
	Fields    []FieldDiff `json:"fields,omitempty"` // expr, for, labels.x, annotations.x
}

// DashboardDiff is one Grafana dashboard (held in a ConfigMap's data as JSON)
// added, removed or changed. Panels nested in rows count one by one.
type DashboardDiff struct {
	Op       Op     `json:"op"`
	Title    string `json:"title"`
	OldTitle string `json:"oldTitle,omitempty"`
	UID      string `json:"uid,omitempty"`
	Key      string `json:"key"`              // the data key, e.g. nodes.json
	OldKey   string `json:"oldKey,omitempty"` // when the data key changed
	Panels   int    `json:"panels,omitempty"`
	// For a changed dashboard: panels changed, added and removed, and the
	// other top-level fields that changed (templating, time, …).
	PanelsChanged int      `json:"panelsChanged,omitempty"`
	PanelsAdded   int      `json:"panelsAdded,omitempty"`
	PanelsRemoved int      `json:"panelsRemoved,omitempty"`
	OtherFields   []string `json:"otherFields,omitempty"`
}

// FileDiff is a file-level change that is not an object change.
type FileDiff struct {
	Path string `json:"path"`
	Op   Op     `json:"op"`
	Note string `json:"note,omitempty"`
}

// Counts summarises a ClusterDiff.
type Counts struct {
	Objects    OpCounts `json:"objects"`
	Rules      OpCounts `json:"rules"`
	Dashboards OpCounts `json:"dashboards"`
	Files      int      `json:"files,omitempty"`
}

// OpCounts counts things added, removed and changed.
type OpCounts struct {
	Added   int `json:"added"`
	Removed int `json:"removed"`
	Changed int `json:"changed"`
}

func (c *OpCounts) add(op Op) {
	switch op {
	case Added:
		c.Added++
	case Removed:
		c.Removed++
	case Changed:
		c.Changed++
	}
}

// Total is the number of things counted.
func (c OpCounts) Total() int { return c.Added + c.Removed + c.Changed }

// Counts counts the changes of d. Rules and dashboards of added or removed
// objects count as added or removed.
func (d *ClusterDiff) Counts() Counts {
	var c Counts
	for _, o := range d.Objects {
		c.Objects.add(o.Op)
		for _, g := range o.RuleGroups {
			for _, r := range g.Rules {
				c.Rules.add(r.Op)
			}
		}
		for _, db := range o.Dashboards {
			c.Dashboards.add(db.Op)
		}
	}
	c.Files = len(d.Files)
	return c
}
