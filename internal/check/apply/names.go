package apply

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"k8s.io/apimachinery/pkg/util/validation"
)

// labelNames are the kinds whose names are DNS labels: a Namespace's is a
// DNS-1123 label, a Service's a DNS-1035 label (it becomes a DNS name of
// its own).
var labelNames = map[string]struct {
	what  string
	check func(string) []string
}{
	"Namespace": {"DNS-1123 label", validation.IsDNS1123Label},
	"Service":   {"DNS-1035 label", validation.IsDNS1035Label},
}

// names checks the object's name and its labels (and its pod template's).
func names(o Object, m meta) []Finding {
	var out []Finding
	add := func(field, msg string) {
		out = append(out, Finding{File: o.File, Object: o.ID(), Field: field, Msg: msg})
	}
	name := o.Metadata.Name
	if l, ok := labelNames[o.Kind]; ok && o.APIVersion == "v1" {
		if errs := l.check(name); len(errs) > 0 {
			add("metadata.name", fmt.Sprintf("%q (a %s's name is a %s): %s", name, o.Kind, l.what, strings.Join(errs, "; ")))
		}
	} else if len(name) > validation.DNS1123SubdomainMaxLength {
		add("metadata.name", fmt.Sprintf("%d characters: must be no more than %d", len(name), validation.DNS1123SubdomainMaxLength))
	}
	labels := func(field string, ls map[string]string) {
		for _, k := range slices.Sorted(maps.Keys(ls)) {
			if errs := validation.IsQualifiedName(k); len(errs) > 0 {
				add(field, fmt.Sprintf("label key %q: %s", k, strings.Join(errs, "; ")))
			}
			if errs := validation.IsValidLabelValue(ls[k]); len(errs) > 0 {
				add(field+"."+k, fmt.Sprintf("label value %q: %s", ls[k], strings.Join(errs, "; ")))
			}
		}
	}
	labels("metadata.labels", m.Metadata.Labels)
	labels("spec.template.metadata.labels", m.Spec.Template.Metadata.Labels)
	return out
}
