package diff

import (
	"encoding/json"
	"io"
)

// JSONReport is the shape of the JSON report:
//
//	{
//	  "changed": true,
//	  "groups": [            // each changed cluster once, with all its changes
//	    {"clusters": ["a", "b"], "counts": {…}, "objects": […], "files": […]},
//	    {"clusters": ["c"], "counts": {…}, "objects": […]}
//	  ],
//	  "partitions": [        // each change once, with the clusters that have it
//	    {"clusters": ["a", "b", "c"], "complete": false, "counts": {…}, "objects": […]},
//	    {"clusters": ["c"], "complete": false, "counts": {…}, "objects": […]}
//	  ],
//	  "unchanged": ["d"],
//	  "failed": [{"cluster": "e", "error": "…"}]
//	}
//
// groups fold clusters whose whole change sets are identical (what the
// report has always held: a tool that wants one cluster's changes finds
// them in the one group that names it). partitions fold change by change,
// as the text and markdown reports do (see Partitions): every change item
// (an object added or removed, one field of a changed object, one rule, one
// dashboard, one file) is in exactly one partition, the one listing exactly
// the clusters that have it; a changed object whose changes are split
// between partitions appears in each with its share. partitions are sorted
// by the number of clusters, most first, then by cluster names; complete
// says the partition holds all the changes of each of its clusters.
//
// In both, an entry of several clusters reads "<cluster>" where a cluster's
// own name was; an entry of one cluster keeps its name. The rest of an
// entry is a ClusterDiff without its "cluster" field ("clusters" names them).
type JSONReport struct {
	Changed    bool            `json:"changed"`
	Groups     []JSONGroup     `json:"groups"`
	Partitions []JSONPartition `json:"partitions"`
	Unchanged  []string        `json:"unchanged"`
	Failed     []Failure       `json:"failed"`
	Orphaned   []Orphaned      `json:"orphaned"`
}

// JSONGroup is one set of clusters that changed alike, with the change set
// they share (in which a cluster's own name may read "<cluster>").
type JSONGroup struct {
	Clusters []string `json:"clusters"`
	Counts   Counts   `json:"counts"`
	*ClusterDiff
}

// JSONPartition is one set of clusters with the changes that exactly these
// clusters have (see JSONReport).
type JSONPartition struct {
	Clusters []string `json:"clusters"`
	Complete bool     `json:"complete"`
	Counts   Counts   `json:"counts"`
	*ClusterDiff
}

// JSON writes the report as one JSON document (see JSONReport), for tools.
// Every change is there: nothing is truncated or shared between objects.
func (r *Report) JSON(w io.Writer) error {
	groups, unchanged := r.Groups()
	parts, _ := r.Partitions()
	out := JSONReport{
		Changed: len(groups) > 0 || len(r.Orphaned) > 0, Groups: []JSONGroup{}, Partitions: []JSONPartition{},
		Unchanged: unchanged, Failed: r.Failed, Orphaned: r.Orphaned,
	}
	if out.Orphaned == nil {
		out.Orphaned = []Orphaned{}
	}
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
	for _, p := range parts {
		d := *p.Diff
		d.Cluster = ""
		out.Partitions = append(out.Partitions, JSONPartition{Clusters: p.Clusters, Complete: p.Complete, Counts: d.Counts(), ClusterDiff: &d})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
