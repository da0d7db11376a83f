// Package relabel reads the relabel configs of prometheus-operator's CRDs
// (camelCase: sourceLabels, targetLabel, …) into Prometheus's own
// relabel.Config, as the operator writes them into prometheus.yml, and
// checks that a Prometheus's remote write cannot lose its cluster label.
package relabel

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/prometheus/common/model"
	"github.com/prometheus/prometheus/model/labels"
	prom "github.com/prometheus/prometheus/model/relabel"
)

// CRDConfig is a RelabelConfig as the CRDs spell it.
type CRDConfig struct {
	SourceLabels []string `json:"sourceLabels"`
	Separator    *string  `json:"separator"`
	TargetLabel  string   `json:"targetLabel"`
	Regex        *string  `json:"regex"`
	Modulus      uint64   `json:"modulus"`
	Replacement  *string  `json:"replacement"`
	Action       string   `json:"action"`
}

// Convert turns CRD relabel configs into Prometheus's, with Prometheus's
// defaults for what they leave out (separator ";", regex "(.*)",
// replacement "$1", action replace), and validates each.
func Convert(in []CRDConfig) ([]*prom.Config, error) {
	out := make([]*prom.Config, 0, len(in))
	for i, c := range in {
		pc := prom.DefaultRelabelConfig
		pc.SourceLabels = nil
		for _, l := range c.SourceLabels {
			pc.SourceLabels = append(pc.SourceLabels, model.LabelName(l))
		}
		if c.Separator != nil {
			pc.Separator = *c.Separator
		}
		if c.Regex != nil {
			re, err := prom.NewRegexp(*c.Regex)
			if err != nil {
				return nil, fmt.Errorf("[%d].regex: %v", i, err)
			}
			pc.Regex = re
		}
		if c.Replacement != nil {
			pc.Replacement = *c.Replacement
		}
		if c.Action != "" {
			pc.Action = prom.Action(strings.ToLower(c.Action))
		}
		pc.TargetLabel, pc.Modulus = c.TargetLabel, c.Modulus
		pc.NameValidationScheme = model.UTF8Validation
		if err := pc.Validate(model.UTF8Validation); err != nil {
			return nil, fmt.Errorf("[%d]: %v", i, err)
		}
		out = append(out, &pc)
	}
	return out, nil
}

// Process applies cfgs to lset as Prometheus does; ok is false when the
// target or series is dropped.
func Process(lset labels.Labels, cfgs []*prom.Config) (labels.Labels, bool) {
	lb := labels.NewBuilder(lset)
	if !prom.ProcessBuilder(lb, cfgs...) {
		return labels.EmptyLabels(), false
	}
	return lb.Labels(), true
}

// ClusterLabel is the external label that tells clusters apart.
const ClusterLabel = "cluster"

// writesTo reports whether an action writes target_label.
func writesTo(a prom.Action) bool {
	switch a {
	case prom.Replace, prom.HashMod, prom.Lowercase, prom.Uppercase:
		return true
	}
	return false
}

// ClusterLabelProblems checks a Prometheus object (its JSON): when it has
// a cluster external label, no write relabel config of its remote writes
// may drop, overwrite or rename it. Prometheus adds the external labels
// before write relabelling, so a relabel config could otherwise send series
// without it to the central store, where clusters could not be told apart.
// Each problem is "spec.remoteWrite[i].writeRelabelConfigs[j]: …".
func ClusterLabelProblems(obj json.RawMessage) []string {
	var p struct {
		Spec struct {
			ExternalLabels map[string]string `json:"externalLabels"`
			RemoteWrite    []struct {
				WriteRelabelConfigs []CRDConfig `json:"writeRelabelConfigs"`
			} `json:"remoteWrite"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(obj, &p); err != nil {
		return []string{"spec: " + err.Error()}
	}
	cluster, ok := p.Spec.ExternalLabels[ClusterLabel]
	if !ok {
		return nil
	}
	var problems []string
	for i, rw := range p.Spec.RemoteWrite {
		path := fmt.Sprintf("spec.remoteWrite[%d].writeRelabelConfigs", i)
		cfgs, err := Convert(rw.WriteRelabelConfigs)
		if err != nil {
			problems = append(problems, path+err.Error())
			continue
		}
		found := len(problems)
		for j, c := range cfgs {
			if msg := clusterLost(c); msg != "" {
				problems = append(problems, fmt.Sprintf("%s[%d]: %s: series would reach the remote store without this cluster's %q label", path, j, msg, ClusterLabel))
			}
		}
		if len(problems) > found {
			continue
		}
		// Whatever the configs do together, a series that is kept keeps
		// the label's value.
		b := labels.NewBuilder(labels.FromStrings("__name__", "up", "job", "kpgen", "instance", "kpgen:9090"))
		for k, v := range p.Spec.ExternalLabels {
			b.Set(k, v)
		}
		if out, kept := Process(b.Labels(), cfgs); kept && out.Get(ClusterLabel) != cluster {
			problems = append(problems, fmt.Sprintf("%s: a series leaves with %s=%q instead of %q: series would reach the remote store without this cluster's %q label", path, ClusterLabel, out.Get(ClusterLabel), cluster, ClusterLabel))
		}
	}
	return problems
}

// clusterLost says how a single config loses the cluster label, or "".
func clusterLost(c *prom.Config) string {
	switch {
	case writesTo(c.Action) && c.TargetLabel == ClusterLabel:
		return fmt.Sprintf("action %s writes target_label %q", c.Action, ClusterLabel)
	case writesTo(c.Action) && strings.Contains(c.TargetLabel, "$"):
		return fmt.Sprintf("action %s writes a target_label made from the series (%q), which may be %q", c.Action, c.TargetLabel, ClusterLabel)
	case c.Action == prom.LabelDrop && c.Regex.MatchString(ClusterLabel):
		return fmt.Sprintf("labeldrop's regex %q matches %q", c.Regex.String(), ClusterLabel)
	case c.Action == prom.LabelKeep && !c.Regex.MatchString(ClusterLabel):
		return fmt.Sprintf("labelkeep's regex %q does not match %q", c.Regex.String(), ClusterLabel)
	case c.Action == prom.LabelMap && c.Replacement == ClusterLabel:
		return fmt.Sprintf("labelmap writes %q", ClusterLabel)
	}
	return ""
}
