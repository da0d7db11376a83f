// Package selection checks, on one cluster's rendered objects, that what is
// meant to be scraped, evaluated and reached is: every ServiceMonitor,
// PodMonitor, Probe, ScrapeConfig and PrometheusRule is selected by some
// Prometheus (prometheus-operator's selector semantics, evaluated with the
// Kubernetes project's own label-selector code); each Prometheus's
// ServiceAccount may list and watch what its ServiceMonitors and PodMonitors
// look for, where they look (rbac.go); each Prometheus's Alertmanagers and
// each Grafana datasource's in-cluster URL name a rendered Service, and each
// Alertmanager is sent alerts by some Prometheus (refs.go).
//
// What the render does not hold is not guessed: a namespace not rendered is
// known by its kubernetes.io/metadata.name label only, a Service is looked
// for only in a namespace the render has Services in, and a binding to a
// ClusterRole not rendered (other than Kubernetes' own view, edit, admin and
// cluster-admin) is assumed to allow what is needed.
package selection

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/kpgen/kpgen/internal/manifest"
)

// Object is a rendered object and the file it is in.
type Object struct {
	File string // relative to the cluster's output directory
	manifest.Object
}

// Finding is one problem, on File's Object; Warning ones do not fail a build.
type Finding struct {
	File, Object, Msg string
	Warning           bool
}

// meta is the part of every object the checks read.
type meta struct {
	Kind     string `json:"kind"`
	Metadata struct {
		Name      string            `json:"name"`
		Namespace string            `json:"namespace"`
		Labels    map[string]string `json:"labels"`
	} `json:"metadata"`
}

// item is one decoded object of the cluster.
type item struct {
	file, id, apiVersion string
	meta
	raw json.RawMessage
}

// read reports whether the checks read an object of this kind: the others,
// dashboards and CRDs the largest, are not decoded again.
func read(o Object) bool {
	switch o.Kind {
	case "Namespace", "Service", "Prometheus", "Alertmanager",
		"Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding":
		return true
	case "Secret", "ConfigMap":
		return bytes.Contains(o.JSON, []byte("datasources.yaml"))
	}
	return fieldOf(o.Kind) != ""
}

// cluster is what the checks know of the cluster's objects.
type cluster struct {
	items      []item
	namespaces map[string]map[string]string  // rendered Namespace → labels
	services   map[string]map[string]service // namespace → name → Service
	prometheus []prometheus
	rbac       rbac
	findings   []Finding
}

const (
	monitoringV1 = "monitoring.coreos.com/v1"
	nameLabel    = "kubernetes.io/metadata.name" // every namespace's, set by the API server
)

// Check runs every check of the package on one cluster's objects.
func Check(objs []Object) []Finding {
	c := &cluster{namespaces: map[string]map[string]string{}, services: map[string]map[string]service{}}
	for _, o := range objs {
		if !read(o) {
			continue
		}
		var m meta
		if err := json.Unmarshal(o.JSON, &m); err != nil {
			continue // validate reports objects that do not decode
		}
		it := item{file: o.File, id: o.ID(), apiVersion: o.APIVersion, meta: m, raw: o.JSON}
		c.items = append(c.items, it)
		switch {
		case o.Kind == "Namespace" && o.APIVersion == "v1":
			c.namespaces[m.Metadata.Name] = m.Metadata.Labels
		case o.Kind == "Service" && o.APIVersion == "v1":
			var s service
			if json.Unmarshal(o.JSON, &s) == nil {
				if c.services[m.Metadata.Namespace] == nil {
					c.services[m.Metadata.Namespace] = map[string]service{}
				}
				c.services[m.Metadata.Namespace][m.Metadata.Name] = s
			}
		case o.Kind == "Prometheus" && o.APIVersion == monitoringV1:
			if p, ok := c.decodePrometheus(it); ok {
				c.prometheus = append(c.prometheus, p)
			}
		}
		c.rbac.add(it)
	}
	c.checkSelection()
	c.checkAlertmanagers()
	c.checkDatasources()
	sort.SliceStable(c.findings, func(i, j int) bool {
		a, b := c.findings[i], c.findings[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Msg < b.Msg
	})
	return c.findings
}

func (c *cluster) add(it item, warning bool, format string, args ...any) {
	c.findings = append(c.findings, Finding{File: it.file, Object: it.id, Msg: fmt.Sprintf(format, args...), Warning: warning})
}

// nsLabels is what a namespace selector sees of namespace ns, and whether
// the namespace is rendered (else only its name label is known).
func (c *cluster) nsLabels(ns string) (map[string]string, bool) {
	l, rendered := c.namespaces[ns]
	out := map[string]string{}
	for k, v := range l {
		out[k] = v
	}
	out[nameLabel] = ns
	return out, rendered
}
