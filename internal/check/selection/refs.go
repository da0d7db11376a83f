package selection

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net"
	"net/url"
	"sort"
	"strconv"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"sigs.k8s.io/yaml"
)

type service struct {
	Spec struct {
		Selector map[string]string `json:"selector"`
		Ports    []struct {
			Name string `json:"name"`
			Port int    `json:"port"`
		} `json:"ports"`
	} `json:"spec"`
}

func (s service) portNames() []string {
	var out []string
	for _, p := range s.Spec.Ports {
		out = append(out, p.Name)
	}
	return out
}

// service looks up a Service; known is false when the render has no
// Service in ns, so nothing can be said.
func (c *cluster) service(ns, name string) (s service, found, known bool) {
	svcs, known := c.services[ns]
	s, found = svcs[name]
	return s, found, known
}

// checkAlertmanagers: each spec.alerting.alertmanagers entry of a
// Prometheus names a rendered Service (with its port, when named), and each
// Alertmanager is sent alerts by some Prometheus (a warning).
func (c *cluster) checkAlertmanagers() {
	type ref struct {
		ns  string
		svc *service // nil: not rendered
	}
	var refs []ref
	for _, p := range c.prometheus {
		if p.Spec.Alerting == nil {
			continue
		}
		for i, e := range p.Spec.Alerting.Alertmanagers {
			ns := e.Namespace
			if ns == "" {
				ns = p.Metadata.Namespace
			}
			s, found, known := c.service(ns, e.Name)
			switch {
			case !known:
				refs = append(refs, ref{ns, nil})
			case !found:
				c.add(p.item, false, "spec.alerting.alertmanagers[%d]: Service %s/%s is not rendered (Services of %q: %s)",
					i, ns, e.Name, ns, strings.Join(c.serviceNames(ns), ", "))
			default:
				refs = append(refs, ref{ns, &s})
				var port string
				if json.Unmarshal(e.Port, &port) == nil && port != "" && len(s.Spec.Ports) > 0 && !contains(s.portNames(), port) {
					c.add(p.item, false, "spec.alerting.alertmanagers[%d]: Service %s/%s has no port %q (ports: %s)",
						i, ns, e.Name, port, strings.Join(s.portNames(), ", "))
				}
			}
		}
	}
	for _, it := range c.items {
		if it.Kind != "Alertmanager" || it.apiVersion != monitoringV1 {
			continue
		}
		var am struct {
			Spec struct {
				PodMetadata struct {
					Labels map[string]string `json:"labels"`
				} `json:"podMetadata"`
			} `json:"spec"`
		}
		_ = json.Unmarshal(it.raw, &am)
		// The labels prometheus-operator gives an Alertmanager's pods.
		pod := map[string]string{}
		for k, v := range am.Spec.PodMetadata.Labels {
			pod[k] = v
		}
		pod["app.kubernetes.io/name"] = "alertmanager"
		pod["app.kubernetes.io/managed-by"] = "prometheus-operator"
		pod["app.kubernetes.io/instance"] = it.Metadata.Name
		pod["alertmanager"] = it.Metadata.Name
		referenced := false
		for _, r := range refs {
			if r.ns != it.Metadata.Namespace {
				continue
			}
			if r.svc == nil || len(r.svc.Spec.Selector) == 0 {
				referenced = true
				break
			}
			if ok, _ := matches(&metav1.LabelSelector{MatchLabels: r.svc.Spec.Selector}, pod); ok {
				referenced = true
				break
			}
		}
		if !referenced {
			c.add(it, true, "no Prometheus sends alerts to it: no spec.alerting.alertmanagers entry names a Service selecting its pods")
		}
	}
}

func (c *cluster) serviceNames(ns string) []string {
	var out []string
	for n := range c.services[ns] {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// checkDatasources: every Grafana datasource URL of the form
// scheme://<service>.<namespace>.svc[...][:port] names a rendered Service,
// and a port it lists. Datasources are the datasources.yaml of a Secret or
// ConfigMap (kube-prometheus's Secret grafana-datasources).
func (c *cluster) checkDatasources() {
	for _, it := range c.items {
		if (it.Kind != "Secret" && it.Kind != "ConfigMap") || it.apiVersion != "v1" {
			continue
		}
		var o struct {
			Data       map[string]string `json:"data"`
			StringData map[string]string `json:"stringData"`
		}
		if json.Unmarshal(it.raw, &o) != nil {
			continue
		}
		files := map[string]string{}
		for k, v := range o.Data {
			if it.Kind == "Secret" {
				b, err := base64.StdEncoding.DecodeString(v)
				if err != nil {
					continue
				}
				v = string(b)
			}
			files["data \""+k+"\""] = v
		}
		for k, v := range o.StringData {
			files["stringData \""+k+"\""] = v
		}
		keys := make([]string, 0, len(files))
		for k := range files {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			if !strings.HasSuffix(k, "datasources.yaml\"") {
				continue
			}
			c.checkDatasourceFile(it, k, files[k])
		}
	}
}

func (c *cluster) checkDatasourceFile(it item, key, content string) {
	var f struct {
		Datasources []struct {
			Name string `json:"name"`
			URL  string `json:"url"`
		} `json:"datasources"`
	}
	if yaml.Unmarshal([]byte(content), &f) != nil {
		return
	}
	for _, d := range f.Datasources {
		u, err := url.Parse(d.URL)
		if err != nil || u.Hostname() == "" {
			continue
		}
		labels := strings.Split(u.Hostname(), ".")
		if len(labels) < 3 || labels[2] != "svc" || net.ParseIP(u.Hostname()) != nil {
			continue // not an in-cluster Service name
		}
		name, ns := labels[0], labels[1]
		s, found, known := c.service(ns, name)
		where := fmt.Sprintf("%s: datasource %q: url %s", key, d.Name, d.URL)
		switch {
		case !known:
		case !found:
			c.add(it, false, "%s: Service %s/%s is not rendered (Services of %q: %s)", where, ns, name, ns, strings.Join(c.serviceNames(ns), ", "))
		case len(s.Spec.Ports) > 0:
			port := u.Port()
			if port == "" {
				port = map[string]string{"https": "443"}[u.Scheme]
				if port == "" {
					port = "80"
				}
			}
			var ports []string
			ok := false
			for _, p := range s.Spec.Ports {
				ports = append(ports, strconv.Itoa(p.Port))
				ok = ok || strconv.Itoa(p.Port) == port
			}
			if !ok {
				c.add(it, false, "%s: Service %s/%s has no port %s (ports: %s)", where, ns, name, port, strings.Join(ports, ", "))
			}
		}
	}
}
