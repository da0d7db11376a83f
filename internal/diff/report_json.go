package diff

import (
	"encoding/json"
	"io"
)

// JSONReport is the shape of the JSON report.
type JSONReport struct {
	Changed   bool        `json:"changed"`
	Groups    []JSONGroup `json:"groups"`
	Unchanged []string    `json:"unchanged"`
	Failed    []Failure   `json:"failed"`
}

// JSONGroup is one set of clusters that changed alike, with the change set
// they share (in which a cluster's own name may read "<cluster>").
type JSONGroup struct {
	Clusters []string `json:"clusters"`
	Counts   Counts   `json:"counts"`
	*ClusterDiff
}

// JSON writes the report as one JSON document (see JSONReport), for tools.
// Every change is there: nothing is truncated or shared between objects.
func (r *Report) JSON(w io.Writer) error {
	groups, unchanged := r.Groups()
	out := JSONReport{Changed: len(groups) > 0, Groups: []JSONGroup{}, Unchanged: unchanged, Failed: r.Failed}
	if out.Unchanged == nil {
		out.Unchanged = []string{}
	}
	if out.Failed == nil {
		out.Failed = []Failure{}
	}
	for _, g := range groups {
		d := *g.Diff
		d.Cluster = ""
		out.Groups = append(out.Groups, JSONGroup{Clusters: g.Clusters, Counts: d.Counts(), ClusterDiff: &d})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
