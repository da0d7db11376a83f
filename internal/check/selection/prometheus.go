package selection

import (
	"encoding/json"
	"fmt"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// prometheus is what the checks read of a Prometheus.
type prometheus struct {
	item
	Spec struct {
		ServiceAccountName   string `json:"serviceAccountName"`
		ServiceDiscoveryRole string `json:"serviceDiscoveryRole"`
		Alerting             *struct {
			Alertmanagers []amEndpoint `json:"alertmanagers"`
		} `json:"alerting"`
	} `json:"spec"`
	// selectors by field name (serviceMonitorSelector, …); a nil value is
	// an absent selector.
	selectors map[string]*metav1.LabelSelector
}

type amEndpoint struct {
	Namespace string          `json:"namespace"`
	Name      string          `json:"name"`
	Port      json.RawMessage `json:"port"`
}

// selected is each kind a Prometheus selects and its fields' prefix.
var selected = []struct{ kind, field string }{
	{"ServiceMonitor", "serviceMonitor"},
	{"PodMonitor", "podMonitor"},
	{"Probe", "probe"},
	{"ScrapeConfig", "scrapeConfig"},
	{"PrometheusRule", "rule"},
}

func fieldOf(kind string) string {
	for _, s := range selected {
		if s.kind == kind {
			return s.field
		}
	}
	return ""
}

// decodePrometheus reads a Prometheus; a selector that does not decode or
// is invalid is a finding on it, and the Prometheus is then left out.
func (c *cluster) decodePrometheus(it item) (prometheus, bool) {
	p := prometheus{item: it, selectors: map[string]*metav1.LabelSelector{}}
	var spec struct {
		Spec map[string]json.RawMessage `json:"spec"`
	}
	if err := json.Unmarshal(it.raw, &p); err != nil {
		c.add(it, false, "spec: %v", err)
		return p, false
	}
	if err := json.Unmarshal(it.raw, &spec); err != nil {
		return p, false
	}
	ok := true
	for _, s := range selected {
		for _, f := range []string{s.field + "Selector", s.field + "NamespaceSelector"} {
			raw, set := spec.Spec[f]
			if !set || string(raw) == "null" {
				continue
			}
			var ls metav1.LabelSelector
			if err := json.Unmarshal(raw, &ls); err != nil {
				c.add(it, false, "spec.%s: %v", f, err)
				ok = false
				continue
			}
			if _, err := metav1.LabelSelectorAsSelector(&ls); err != nil {
				c.add(it, false, "spec.%s: %v", f, err)
				ok = false
				continue
			}
			p.selectors[f] = &ls
		}
	}
	return p, ok
}

func (p prometheus) serviceAccount() string {
	if p.Spec.ServiceAccountName != "" {
		return p.Spec.ServiceAccountName
	}
	return "default"
}

// selects reports whether p selects it (of a selected kind), and if not why.
func (c *cluster) selects(p prometheus, it item) (bool, string) {
	field := fieldOf(it.Kind)
	sel, nsSel := p.selectors[field+"Selector"], p.selectors[field+"NamespaceSelector"]
	ns := it.Metadata.Namespace
	var why []string
	labelsOK, _ := matches(sel, it.Metadata.Labels)
	switch {
	case sel == nil:
		why = append(why, field+"Selector is absent (selects nothing)")
	case labelsOK:
		why = append(why, field+"Selector "+format(sel)+" matches")
	default:
		why = append(why, fmt.Sprintf("%sSelector %s does not match its labels %s", field, format(sel), formatLabels(it.Metadata.Labels)))
	}
	nsOK := false
	if nsSel == nil {
		nsOK = ns == p.Metadata.Namespace
		if !nsOK {
			why = append(why, fmt.Sprintf("%sNamespaceSelector is absent (only its own namespace %q)", field, p.Metadata.Namespace))
		}
	} else {
		l, rendered := c.nsLabels(ns)
		nsOK, _ = matches(nsSel, l)
		switch {
		case nsOK:
			why = append(why, field+"NamespaceSelector "+format(nsSel)+" matches")
		case rendered || onlyNameKey(nsSel):
			why = append(why, fmt.Sprintf("%sNamespaceSelector %s does not match namespace %q", field, format(nsSel), ns))
		default:
			why = append(why, fmt.Sprintf("%sNamespaceSelector %s does not match namespace %q (not rendered: only its kubernetes.io/metadata.name label is known)", field, format(nsSel), ns))
		}
	}
	if labelsOK && nsOK {
		return true, ""
	}
	return false, "Prometheus " + p.Metadata.Namespace + "/" + p.Metadata.Name + ": " + strings.Join(why, ", ")
}

// checkSelection reports what no Prometheus selects, and for what each
// Prometheus selects, what its ServiceAccount may not read (rbac.go).
// A render without a Prometheus selects for one elsewhere: nothing to say.
func (c *cluster) checkSelection() {
	if len(c.prometheus) == 0 {
		return
	}
	for _, it := range c.items {
		if fieldOf(it.Kind) == "" || !strings.HasPrefix(it.apiVersion, "monitoring.coreos.com/") {
			continue
		}
		var whys []string
		selectedBy := false
		for _, p := range c.prometheus {
			ok, why := c.selects(p, it)
			if ok {
				selectedBy = true
				c.checkAccess(p, it)
				continue
			}
			whys = append(whys, why)
		}
		if !selectedBy {
			c.add(it, false, "no Prometheus selects it (%s)", strings.Join(whys, "; "))
		}
	}
}

// onlyNameKey reports whether s reads no label but the name label every
// namespace has: then a namespace not rendered is known well enough.
func onlyNameKey(s *metav1.LabelSelector) bool {
	for k := range s.MatchLabels {
		if k != nameLabel {
			return false
		}
	}
	for _, e := range s.MatchExpressions {
		if e.Key != nameLabel {
			return false
		}
	}
	return true
}
