package apply

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
)

// present are the namespaces every cluster has.
var present = map[string]bool{"default": true, "kube-system": true, "kube-public": true, "kube-node-lease": true}

// missingNamespaces finds the namespaced objects whose namespace the output
// does not create (no Namespace object) and every cluster does not have:
// applying them fails with `namespaces "…" not found` until the namespace
// exists. One warning for the cluster, every namespace and what is in it.
func missingNamespaces(objs []Object) (Finding, bool) {
	created := map[string]bool{}
	for _, o := range objs {
		if o.Kind == "Namespace" && o.APIVersion == "v1" {
			created[o.Metadata.Name] = true
		}
	}
	in := map[string][]string{}
	for _, o := range objs {
		ns := o.Metadata.Namespace
		if ns == "" || created[ns] || present[ns] {
			continue
		}
		in[ns] = append(in[ns], o.Kind+" "+o.Metadata.Name)
	}
	if len(in) == 0 {
		return Finding{}, false
	}
	var parts []string
	for _, ns := range slices.Sorted(maps.Keys(in)) {
		sort.Strings(in[ns])
		parts = append(parts, fmt.Sprintf("%s (%s)", ns, strings.Join(in[ns], ", ")))
	}
	return Finding{Msg: fmt.Sprintf(
		"objects in namespaces the output does not create: %s. Applying them fails with `namespaces \"…\" not found` until those namespaces exist: create them first (they usually belong to the workloads monitored there; with ArgoCD, sync those applications in an earlier sync wave, or create the namespaces in one), then apply this output",
		strings.Join(parts, "; "))}, true
}
