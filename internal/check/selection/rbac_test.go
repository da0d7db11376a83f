package selection

import "testing"

func TestAccess(t *testing.T) {
	p := prom(m{"serviceMonitorSelector": m{}, "serviceMonitorNamespaceSelector": m{}, "podMonitorSelector": m{}, "podMonitorNamespaceSelector": m{}})
	pSlices := prom(m{"serviceMonitorSelector": m{}, "serviceMonitorNamespaceSelector": m{}, "serviceDiscoveryRole": "EndpointSlice"})
	rule := func(groups, resources, verbs []string) m {
		return m{"apiGroups": groups, "resources": resources, "verbs": verbs}
	}
	core := []string{""}
	read := []string{"get", "list", "watch"}
	role := func(kind, ns, name string, rules ...m) m {
		return object(rbacV1, kind, ns, name, nil, m{"rules": rules})
	}
	reader := role("ClusterRole", "", "reader", rule(core, []string{"services", "endpoints", "pods"}, read))
	app := sm("apps", "app", nil, nil)
	const cannot = "servicemonitor-app.yaml: ServiceMonitor apps/app: Prometheus monitoring/k8s (ServiceAccount monitoring/prometheus-k8s) cannot "
	const there = " in namespace \"apps\": no Role or ClusterRole bound to it there allows it"

	check(t, "nothing bound", []m{p, app}, []string{cannot + "list or watch services, endpoints, pods" + there})
	check(t, "Role and RoleBinding", []m{p, app, role("Role", "apps", "r", rule(core, []string{"services", "endpoints", "pods"}, read)), rb("apps", "r", "Role", "r")}, nil)
	check(t, "a RoleBinding to a ClusterRole", []m{p, app, reader, rb("apps", "r", "ClusterRole", "reader")}, nil)
	check(t, "a RoleBinding in another namespace", []m{p, app, reader, rb("other", "r", "ClusterRole", "reader")},
		[]string{cannot + "list or watch services, endpoints, pods" + there})
	check(t, "a ClusterRoleBinding", []m{p, app, reader, crb("r", "reader")}, nil)
	check(t, "wildcards", []m{p, app, role("ClusterRole", "", "all", rule([]string{"*"}, []string{"*"}, []string{"*"})), crb("r", "all")}, nil)
	check(t, "a missing verb", []m{p, app, role("ClusterRole", "", "c", rule(core, []string{"services", "endpoints", "pods"}, []string{"get", "list"})), crb("r", "c")},
		[]string{cannot + "watch services, endpoints, pods" + there})
	check(t, "a missing resource", []m{p, app, role("ClusterRole", "", "c", rule(core, []string{"services", "pods"}, read)), crb("r", "c")},
		[]string{cannot + "list or watch endpoints" + there})
	check(t, "resourceNames do not allow list", []m{p, app, role("ClusterRole", "", "c", m{"apiGroups": core, "resources": []string{"services", "endpoints", "pods"}, "verbs": read, "resourceNames": []string{"x"}}), crb("r", "c")},
		[]string{cannot + "list or watch services, endpoints, pods" + there})
	check(t, "endpointslices will do", []m{p, app, role("ClusterRole", "", "c", rule(core, []string{"services", "pods"}, read), rule([]string{"discovery.k8s.io"}, []string{"endpointslices"}, read)), crb("r", "c")}, nil)
	check(t, "EndpointSlice role names endpointslices", []m{pSlices, app, role("ClusterRole", "", "c", rule(core, []string{"services", "pods"}, read)), crb("r", "c")},
		[]string{cannot + "list or watch endpointslices.discovery.k8s.io" + there})
	check(t, "a PodMonitor needs pods only", []m{p, object(monitoringV1, "PodMonitor", "apps", "pm", nil, m{"spec": m{}}),
		role("ClusterRole", "", "c", rule(core, []string{"pods"}, read)), rb("apps", "r", "ClusterRole", "c")}, nil)
	check(t, "matchNames: each namespace", []m{p, sm("apps", "app", nil, m{"namespaceSelector": m{"matchNames": []string{"apps", "db"}}}), reader, rb("apps", "r", "ClusterRole", "reader")},
		[]string{cannot + "list or watch services, endpoints, pods in namespace \"db\": no Role or ClusterRole bound to it there allows it"})
	anyNS := sm("apps", "app", nil, m{"namespaceSelector": m{"any": true}})
	check(t, "any: RoleBindings are not enough", []m{p, anyNS, reader, rb("apps", "r", "ClusterRole", "reader")},
		[]string{cannot + "list or watch services, endpoints, pods in all namespaces (namespaceSelector any: true): no ClusterRole bound to it by a ClusterRoleBinding allows it"})
	check(t, "any: a ClusterRoleBinding", []m{p, anyNS, reader, crb("r", "reader")}, nil)
	check(t, "a ClusterRole the render lacks may exist", []m{p, app, crb("r", "view")}, nil)
	check(t, "an aggregated ClusterRole", []m{p, app,
		object(rbacV1, "ClusterRole", "", "agg", nil, m{"aggregationRule": m{"clusterRoleSelectors": []m{{"matchLabels": m{"agg": "yes"}}}}, "rules": []m{}}),
		object(rbacV1, "ClusterRole", "", "part", map[string]string{"agg": "yes"}, m{"rules": []m{rule(core, []string{"services", "endpoints", "pods"}, read)}}),
		crb("r", "agg")}, nil)
	check(t, "a Group subject", []m{p, app, reader, object(rbacV1, "ClusterRoleBinding", "", "g", nil, m{
		"roleRef": m{"kind": "ClusterRole", "name": "reader"}, "subjects": []m{{"kind": "Group", "name": "system:serviceaccounts:monitoring"}}})}, nil)
	check(t, "another ServiceAccount bound", []m{p, app, reader, object(rbacV1, "ClusterRoleBinding", "", "g", nil, m{
		"roleRef": m{"kind": "ClusterRole", "name": "reader"}, "subjects": []m{{"kind": "ServiceAccount", "name": "other", "namespace": "monitoring"}}})},
		[]string{cannot + "list or watch services, endpoints, pods" + there})
}
