package selection

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/manifest"
)

type m = map[string]any

// obj makes a rendered object of a Go value; the file is named after it.
func obj(t *testing.T, v m) Object {
	t.Helper()
	j, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	objs, err := manifest.Objects(j)
	if err != nil || len(objs) != 1 {
		t.Fatalf("%s: %v", j, err)
	}
	return Object{File: strings.ToLower(objs[0].Kind) + "-" + objs[0].Metadata.Name + ".yaml", Object: objs[0]}
}

func object(apiVersion, kind, ns, name string, labels map[string]string, rest m) m {
	md := m{"name": name}
	if ns != "" {
		md["namespace"] = ns
	}
	if labels != nil {
		md["labels"] = labels
	}
	o := m{"apiVersion": apiVersion, "kind": kind, "metadata": md}
	for k, v := range rest {
		o[k] = v
	}
	return o
}

// prom is Prometheus monitoring/k8s (ServiceAccount prometheus-k8s) with spec.
func prom(spec m) m {
	s := m{"serviceAccountName": "prometheus-k8s"}
	for k, v := range spec {
		s[k] = v
	}
	return object(monitoringV1, "Prometheus", "monitoring", "k8s", nil, m{"spec": s})
}

// readAll lets prometheus-k8s read everything everywhere.
func readAll() []m {
	return []m{
		object(rbacV1, "ClusterRole", "", "read-all", nil, m{"rules": []m{{"apiGroups": []string{"*"}, "resources": []string{"*"}, "verbs": []string{"*"}}}}),
		crb("read-all", "read-all"),
	}
}

func crb(name, role string) m {
	return object(rbacV1, "ClusterRoleBinding", "", name, nil, m{
		"roleRef":  m{"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role},
		"subjects": []m{{"kind": "ServiceAccount", "name": "prometheus-k8s", "namespace": "monitoring"}},
	})
}

func rb(ns, name, kind, role string) m {
	return object(rbacV1, "RoleBinding", ns, name, nil, m{
		"roleRef":  m{"apiGroup": "rbac.authorization.k8s.io", "kind": kind, "name": role},
		"subjects": []m{{"kind": "ServiceAccount", "name": "prometheus-k8s", "namespace": "monitoring"}},
	})
}

func sm(ns, name string, labels map[string]string, spec m) m {
	if spec == nil {
		spec = m{}
	}
	return object(monitoringV1, "ServiceMonitor", ns, name, labels, m{"spec": spec})
}

func run(t *testing.T, objs []m) []string {
	t.Helper()
	var in []Object
	for _, o := range objs {
		in = append(in, obj(t, o))
	}
	var out []string
	for _, f := range Check(in) {
		s := f.File + ": " + f.Object + ": " + f.Msg
		if f.Warning {
			s = "warning: " + s
		}
		out = append(out, s)
	}
	return out
}

func check(t *testing.T, name string, objs []m, want []string) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		got := run(t, objs)
		if !reflect.DeepEqual(got, want) {
			t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})
}

func with(base []m, more ...m) []m { return append(append([]m{}, base...), more...) }

const unsel = "servicemonitor-app.yaml: ServiceMonitor apps/app: no Prometheus selects it (Prometheus monitoring/k8s: "

func TestSelection(t *testing.T) {
	all := m{"serviceMonitorSelector": m{}, "serviceMonitorNamespaceSelector": m{}}
	app := sm("apps", "app", map[string]string{"team": "a", "tier": "web"}, nil)
	ns := object("v1", "Namespace", "", "apps", map[string]string{"env": "prod"}, nil)
	sel := func(s, nsSel m) m {
		spec := m{}
		if s != nil {
			spec["serviceMonitorSelector"] = s
		}
		if nsSel != nil {
			spec["serviceMonitorNamespaceSelector"] = nsSel
		}
		return prom(spec)
	}
	expr := func(key, op string, values ...string) m {
		e := m{"key": key, "operator": op}
		if len(values) > 0 {
			e["values"] = values
		}
		return m{"matchExpressions": []m{e}}
	}
	check(t, "empty selectors select everything", with(readAll(), prom(all), app), nil)
	check(t, "no Prometheus: nothing to say", []m{app}, nil)
	check(t, "absent selector selects nothing", with(readAll(), sel(nil, m{}), app),
		[]string{unsel + "serviceMonitorSelector is absent (selects nothing), serviceMonitorNamespaceSelector {} matches)"})
	check(t, "absent namespace selector: own namespace only", with(readAll(), sel(m{}, nil), app),
		[]string{unsel + "serviceMonitorSelector {} matches, serviceMonitorNamespaceSelector is absent (only its own namespace \"monitoring\"))"})
	check(t, "absent namespace selector, own namespace", with(readAll(), sel(m{}, nil), sm("monitoring", "x", nil, nil)), nil)
	check(t, "matchLabels match", with(readAll(), sel(m{"matchLabels": m{"team": "a"}}, m{}), app), nil)
	check(t, "matchLabels no match", with(readAll(), sel(m{"matchLabels": m{"team": "b"}}, m{}), app),
		[]string{unsel + "serviceMonitorSelector {matchLabels: {team: b}} does not match its labels {team: a, tier: web}, serviceMonitorNamespaceSelector {} matches)"})
	check(t, "In", with(readAll(), sel(expr("tier", "In", "web", "db"), m{}), app), nil)
	check(t, "In no match", with(readAll(), sel(expr("tier", "In", "db"), m{}), app),
		[]string{unsel + "serviceMonitorSelector {matchExpressions: [{key: tier, operator: In, values: [db]}]} does not match its labels {team: a, tier: web}, serviceMonitorNamespaceSelector {} matches)"})
	check(t, "NotIn", with(readAll(), sel(expr("tier", "NotIn", "db"), m{}), app), nil)
	check(t, "NotIn no match", with(readAll(), sel(expr("tier", "NotIn", "web"), m{}), app),
		[]string{unsel + "serviceMonitorSelector {matchExpressions: [{key: tier, operator: NotIn, values: [web]}]} does not match its labels {team: a, tier: web}, serviceMonitorNamespaceSelector {} matches)"})
	check(t, "Exists", with(readAll(), sel(expr("team", "Exists"), m{}), app), nil)
	check(t, "DoesNotExist no match", with(readAll(), sel(expr("team", "DoesNotExist"), m{}), app),
		[]string{unsel + "serviceMonitorSelector {matchExpressions: [{key: team, operator: DoesNotExist}]} does not match its labels {team: a, tier: web}, serviceMonitorNamespaceSelector {} matches)"})
	check(t, "namespace labels of a rendered Namespace", with(readAll(), sel(m{}, m{"matchLabels": m{"env": "prod"}}), app, ns), nil)
	check(t, "namespace labels do not match", with(readAll(), sel(m{}, m{"matchLabels": m{"env": "dev"}}), app, ns),
		[]string{unsel + "serviceMonitorSelector {} matches, serviceMonitorNamespaceSelector {matchLabels: {env: dev}} does not match namespace \"apps\")"})
	check(t, "namespace not rendered: only its name is known", with(readAll(), sel(m{}, m{"matchLabels": m{"env": "prod"}}), app),
		[]string{unsel + "serviceMonitorSelector {} matches, serviceMonitorNamespaceSelector {matchLabels: {env: prod}} does not match namespace \"apps\" (not rendered: only its kubernetes.io/metadata.name label is known))"})
	check(t, "the name label of a namespace not rendered", with(readAll(), sel(m{}, expr(nameLabel, "In", "apps")), app), nil)
	// The one selecting it reads it as ServiceAccount "default" (no
	// serviceAccountName), which nothing lets read.
	check(t, "several Prometheuses: one selecting is enough", with(readAll(), sel(nil, nil), app,
		object(monitoringV1, "Prometheus", "apps", "apps", nil, m{"spec": m{"serviceMonitorSelector": m{}}})),
		[]string{"servicemonitor-app.yaml: ServiceMonitor apps/app: Prometheus apps/apps (ServiceAccount apps/default) cannot list or watch services, endpoints, pods in namespace \"apps\": no Role or ClusterRole bound to it there allows it"})
	check(t, "several Prometheuses: each says why not", with(readAll(), sel(nil, nil), app,
		object(monitoringV1, "Prometheus", "other", "other", nil, m{"spec": m{"serviceMonitorSelector": m{}}})),
		[]string{unsel + "serviceMonitorSelector is absent (selects nothing), serviceMonitorNamespaceSelector is absent (only its own namespace \"monitoring\"); Prometheus other/other: serviceMonitorSelector {} matches, serviceMonitorNamespaceSelector is absent (only its own namespace \"other\"))"})
	check(t, "each kind has its own selectors", with(readAll(), prom(m{"ruleSelector": m{}, "ruleNamespaceSelector": m{}}),
		object(monitoringV1, "PrometheusRule", "apps", "r", nil, nil),
		object("monitoring.coreos.com/v1alpha1", "ScrapeConfig", "apps", "s", nil, nil)),
		[]string{"scrapeconfig-s.yaml: ScrapeConfig apps/s: no Prometheus selects it (Prometheus monitoring/k8s: scrapeConfigSelector is absent (selects nothing), scrapeConfigNamespaceSelector is absent (only its own namespace \"monitoring\"))"})
	check(t, "an invalid selector is the Prometheus's problem", with(readAll(), sel(expr("tier", "In"), m{})),
		[]string{"prometheus-k8s.yaml: Prometheus monitoring/k8s: spec.serviceMonitorSelector: values: Invalid value: null: for 'in', 'notin' operators, values set can't be empty"})
}
