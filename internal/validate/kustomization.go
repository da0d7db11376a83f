package validate

import (
	"encoding/json"
	"path"
	"sort"
	"strings"

	"github.com/kpgen/kpgen/internal/render"
)

// kustomizationFile lists a cluster's other files as its resources: what
// `kubectl apply -k` and ArgoCD apply.
const kustomizationFile = "kustomization.yaml"

// checkKustomization checks that kustomization.yaml lists exactly the
// files of the render: a file it leaves out is silently not applied (a
// customised entrypoint or a patch that adds a file must get it listed),
// one it lists that is not rendered fails `kubectl apply -k`. A render
// without kustomization.yaml is not checked.
func checkKustomization(files []render.File) []Problem {
	var k *render.File
	rendered := map[string]bool{}
	for i, f := range files {
		if f.Path == kustomizationFile {
			k = &files[i]
			continue
		}
		rendered[f.Path] = true
	}
	if k == nil {
		return nil
	}
	var doc struct {
		Resources []string `json:"resources"`
	}
	if err := json.Unmarshal(k.JSON, &doc); err != nil {
		return []Problem{{File: kustomizationFile, Msg: "not a Kustomization: " + err.Error()}}
	}
	var problems []Problem
	listed := map[string]bool{}
	for _, r := range doc.Resources {
		p := path.Clean(strings.TrimPrefix(r, "./"))
		listed[p] = true
		if !rendered[p] {
			problems = append(problems, Problem{File: kustomizationFile, Msg: "resources lists " + r + ", which is not rendered (kubectl apply -k would fail)"})
		}
	}
	var missing []string
	for p := range rendered {
		if !listed[p] {
			missing = append(missing, p)
		}
	}
	sort.Strings(missing)
	for _, p := range missing {
		problems = append(problems, Problem{File: p, Msg: "not listed in kustomization.yaml's resources: kubectl apply -k and ArgoCD would not apply it (lay it out with the stack's objects, or list it)"})
	}
	return problems
}
