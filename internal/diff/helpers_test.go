package diff

import (
	"encoding/json"
	"testing"

	"sigs.k8s.io/yaml"
)

// m is shorthand for a JSON-like object in fixtures.
type m = map[string]any

// l is shorthand for a JSON-like list in fixtures.
type l = []any

func kobj(apiVersion, kind, ns, name string, rest m) m {
	md := m{"name": name}
	if ns != "" {
		md["namespace"] = ns
	}
	o := m{"apiVersion": apiVersion, "kind": kind, "metadata": md}
	for k, v := range rest {
		o[k] = v
	}
	return o
}

func toYAML(t testing.TB, v any) []byte {
	t.Helper()
	j, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	y, err := yaml.JSONToYAML(j)
	if err != nil {
		t.Fatal(err)
	}
	return y
}

// fileSetOf encodes path → object fixtures as YAML files.
func fileSetOf(t testing.TB, objs map[string]any) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for p, o := range objs {
		out[p] = toYAML(t, o)
	}
	return out
}

func compare(t testing.TB, old, new map[string]any) *ClusterDiff {
	t.Helper()
	d, err := Compare("c", fileSetOf(t, old), fileSetOf(t, new))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func ruleObject(name string, groups ...any) m {
	return kobj("monitoring.coreos.com/v1", "PrometheusRule", "monitoring", name, m{"spec": m{"groups": l(groups)}})
}

func group(name string, rules ...any) m { return m{"name": name, "rules": l(rules)} }

func alert(name, expr, forDur string, labels m) m {
	r := m{"alert": name, "expr": expr}
	if forDur != "" {
		r["for"] = forDur
	}
	if labels != nil {
		r["labels"] = labels
	}
	return r
}

func dashboardJSON(t testing.TB, d m) string {
	t.Helper()
	b, err := json.MarshalIndent(d, "", "    ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func dashboardConfigMap(t testing.TB, name string, dashboards map[string]m) m {
	data := m{}
	for k, d := range dashboards {
		data[k] = dashboardJSON(t, d)
	}
	return kobj("v1", "ConfigMap", "monitoring", name, m{"data": data})
}

func panel(id int, title string, extra m) m {
	p := m{"id": id, "title": title, "type": "timeseries"}
	for k, v := range extra {
		p[k] = v
	}
	return p
}

func deployment(image string, extra m) m {
	c := m{"name": "app", "image": image}
	for k, v := range extra {
		c[k] = v
	}
	return kobj("apps/v1", "Deployment", "monitoring", "app", m{"spec": m{"template": m{"spec": m{
		"containers": l{c, m{"name": "sidecar", "image": "sidecar:1"}},
	}}}})
}
