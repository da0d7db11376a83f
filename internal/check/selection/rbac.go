package selection

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

const rbacV1 = "rbac.authorization.k8s.io/v1"

type policyRule struct {
	APIGroups     []string `json:"apiGroups"`
	Resources     []string `json:"resources"`
	Verbs         []string `json:"verbs"`
	ResourceNames []string `json:"resourceNames"`
}

type role struct {
	labels      map[string]string
	Rules       []policyRule `json:"rules"`
	Aggregation *struct {
		Selectors []metav1.LabelSelector `json:"clusterRoleSelectors"`
	} `json:"aggregationRule"`
}

type subject struct {
	Kind      string `json:"kind"`
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
}

type binding struct {
	namespace string // "" for a ClusterRoleBinding
	RoleRef   struct {
		Kind string `json:"kind"`
		Name string `json:"name"`
	} `json:"roleRef"`
	Subjects []subject `json:"subjects"`
}

// rbac is the rendered Roles, ClusterRoles and their bindings.
type rbac struct {
	roles        map[string]*role // namespace/name
	clusterRoles map[string]*role
	bindings     []binding
}

func (r *rbac) add(it item) {
	if it.apiVersion != rbacV1 {
		return
	}
	if r.roles == nil {
		r.roles, r.clusterRoles = map[string]*role{}, map[string]*role{}
	}
	switch it.Kind {
	case "Role", "ClusterRole":
		var ro role
		if json.Unmarshal(it.raw, &ro) != nil {
			return
		}
		ro.labels = it.Metadata.Labels
		if it.Kind == "Role" {
			r.roles[it.Metadata.Namespace+"/"+it.Metadata.Name] = &ro
		} else {
			r.clusterRoles[it.Metadata.Name] = &ro
		}
	case "RoleBinding", "ClusterRoleBinding":
		var b binding
		if json.Unmarshal(it.raw, &b) != nil {
			return
		}
		if it.Kind == "RoleBinding" {
			b.namespace = it.Metadata.Namespace
		}
		r.bindings = append(r.bindings, b)
	}
}

// binds reports whether b binds ServiceAccount saNS/sa.
func (b binding) binds(saNS, sa string) bool {
	for _, s := range b.Subjects {
		switch s.Kind {
		case "ServiceAccount":
			ns := s.Namespace
			if ns == "" {
				ns = b.namespace
			}
			if ns == saNS && s.Name == sa {
				return true
			}
		case "Group":
			if s.Name == "system:serviceaccounts" || s.Name == "system:serviceaccounts:"+saNS || s.Name == "system:authenticated" {
				return true
			}
		case "User":
			if s.Name == "system:serviceaccount:"+saNS+":"+sa {
				return true
			}
		}
	}
	return false
}

// rulesOf is what b grants; known is false for a role the render lacks
// (it may exist in the cluster: Kubernetes' own view, edit, admin, …).
func (r *rbac) rulesOf(b binding) (rules []policyRule, known bool) {
	var ro *role
	if b.RoleRef.Kind == "Role" {
		ro = r.roles[b.namespace+"/"+b.RoleRef.Name]
	} else {
		ro = r.clusterRoles[b.RoleRef.Name]
	}
	if ro == nil {
		return nil, false
	}
	rules = slices.Clone(ro.Rules)
	if b.RoleRef.Kind == "ClusterRole" && ro.Aggregation != nil {
		for _, other := range r.clusterRoles {
			for i := range ro.Aggregation.Selectors {
				if ok, _ := matches(&ro.Aggregation.Selectors[i], other.labels); ok {
					rules = append(rules, other.Rules...)
					break
				}
			}
		}
	}
	return rules, true
}

// allowed reports whether ServiceAccount saNS/sa may verb resource (of
// group) in namespace ns, "*" meaning all namespaces at once (a
// ClusterRoleBinding).
func (r *rbac) allowed(saNS, sa, ns, group, resource, verb string) bool {
	for _, b := range r.bindings {
		if !b.binds(saNS, sa) || (b.namespace != "" && b.namespace != ns) {
			continue
		}
		rules, known := r.rulesOf(b)
		if !known {
			return true
		}
		for _, ru := range rules {
			if len(ru.ResourceNames) == 0 && has(ru.APIGroups, group) && has(ru.Resources, resource) && has(ru.Verbs, verb) {
				return true
			}
		}
	}
	return false
}

func has(list []string, v string) bool {
	return slices.Contains(list, v) || slices.Contains(list, "*")
}

type resource struct{ group, name string }

func (r resource) String() string {
	if r.group == "" {
		return r.name
	}
	return r.name + "." + r.group
}

var (
	services       = resource{"", "services"}
	endpoints      = resource{"", "endpoints"}
	endpointSlices = resource{"discovery.k8s.io", "endpointslices"}
	pods           = resource{"", "pods"}
)

// checkAccess reports what p's ServiceAccount may not list or watch in the
// namespaces where it, a ServiceMonitor or PodMonitor p selects, looks for
// targets.
func (c *cluster) checkAccess(p prometheus, it item) {
	if it.Kind != "ServiceMonitor" && it.Kind != "PodMonitor" {
		return
	}
	var m struct {
		Spec struct {
			NamespaceSelector struct {
				Any        bool     `json:"any"`
				MatchNames []string `json:"matchNames"`
			} `json:"namespaceSelector"`
		} `json:"spec"`
	}
	if json.Unmarshal(it.raw, &m) != nil {
		return
	}
	namespaces := m.Spec.NamespaceSelector.MatchNames
	if m.Spec.NamespaceSelector.Any {
		namespaces = []string{"*"}
	} else if len(namespaces) == 0 {
		namespaces = []string{it.Metadata.Namespace}
	}
	sa := p.serviceAccount()
	saNS := p.Metadata.Namespace
	for _, ns := range namespaces {
		missing := func(res resource) string {
			var verbs []string
			for _, v := range []string{"list", "watch"} {
				if !c.rbac.allowed(saNS, sa, ns, res.group, res.name, v) {
					verbs = append(verbs, v)
				}
			}
			return strings.Join(verbs, " or ")
		}
		var gaps []struct{ verbs, res string }
		need := []resource{pods}
		if it.Kind == "ServiceMonitor" {
			ep := endpoints
			if p.Spec.ServiceDiscoveryRole == "EndpointSlice" {
				ep = endpointSlices
			}
			// Either kind of endpoints will do: the operator's role decides
			// which one is named.
			if missing(endpoints) == "" || missing(endpointSlices) == "" {
				need = []resource{services, pods}
			} else {
				need = []resource{services, ep, pods}
			}
		}
		for _, res := range need {
			if v := missing(res); v != "" {
				gaps = append(gaps, struct{ verbs, res string }{v, res.String()})
			}
		}
		if len(gaps) == 0 {
			continue
		}
		var parts []string
		for i, g := range gaps {
			if i > 0 && gaps[i-1].verbs == g.verbs {
				parts[len(parts)-1] += ", " + g.res
				continue
			}
			parts = append(parts, g.verbs+" "+g.res)
		}
		where := fmt.Sprintf("in namespace %q: no Role or ClusterRole bound to it there allows it", ns)
		if ns == "*" {
			where = "in all namespaces (namespaceSelector any: true): no ClusterRole bound to it by a ClusterRoleBinding allows it"
		}
		c.add(it, false, "Prometheus %s/%s (ServiceAccount %s/%s) cannot %s %s",
			p.Metadata.Namespace, p.Metadata.Name, saNS, sa, strings.Join(parts, "; "), where)
	}
}
