// Package apply is the apply-safety check: what makes a cluster's rendered
// objects fail when they are applied, though each one is valid.
//
//   - size.go: an object whose client-side apply annotation
//     (kubectl.kubernetes.io/last-applied-configuration) would take
//     metadata.annotations over Kubernetes' 256 KiB must be applied
//     server-side (a warning, unless the object carries ArgoCD's
//     ServerSideApply=true sync option, which Annotate adds);
//   - names.go: names and labels within Kubernetes' syntax and length
//     limits (problems);
//   - namespaces.go: namespaced objects in namespaces the output does not
//     create (one warning per cluster).
package apply

import (
	"encoding/json"

	"github.com/kpgen/kpgen/internal/manifest"
)

// Object is a rendered object and the file it is in.
type Object struct {
	File string // relative to the cluster's output directory
	manifest.Object
}

// Finding is one problem or warning. Object is "" for a finding about the
// cluster as a whole; Field names the field when there is one.
type Finding struct {
	File, Object, Field, Msg string
}

// Message is the finding's text with its field in front.
func (f Finding) Message() string {
	if f.Field == "" {
		return f.Msg
	}
	return f.Field + ": " + f.Msg
}

// Check looks at every object of a cluster: it returns the problems (that
// fail the build) and the warnings.
func Check(objs []Object) (problems, warnings []Finding) {
	for _, o := range objs {
		var m meta
		if err := json.Unmarshal(o.JSON, &m); err != nil {
			continue // not an object: reported as such elsewhere
		}
		problems = append(problems, names(o, m)...)
		if w, ok := tooLarge(o, m); ok {
			warnings = append(warnings, w)
		}
	}
	if w, ok := missingNamespaces(objs); ok {
		warnings = append(warnings, w)
	}
	return problems, warnings
}

// meta is what the checks read of an object.
type meta struct {
	Metadata struct {
		Labels      map[string]string `json:"labels"`
		Annotations map[string]string `json:"annotations"`
	} `json:"metadata"`
	Spec struct {
		Template struct {
			Metadata struct {
				Labels map[string]string `json:"labels"`
			} `json:"metadata"`
		} `json:"template"`
	} `json:"spec"`
}
