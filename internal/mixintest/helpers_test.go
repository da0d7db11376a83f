package mixintest

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	jsonnet "github.com/google/go-jsonnet"

	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/render"
	"github.com/kpgen/kpgen/internal/testutil"
)

// mixin is one of kpgen's mixins: Name is its vars key (vars.mixins.<Name>)
// and its directory under jsonnet/mixins, Key its component's field in the
// stack, hence its files' prefix (manifests/<Key>-<field>.yaml).
type mixin struct{ Name, Key string }

var mixins = []mixin{
	{"velero", "velero"},
	{"cnpg", "cnpg"},
	{"cilium", "cilium"},
	{"cert-manager", "certManager"},
}

// testVars enables every mixin; the promtool tests rely on the velero
// override.
const testVars = `{
  cluster: { name: 'mixintest' },
  mixins: {
    velero: { enabled: true, scheduleMaxAgeSeconds: { weekly: 691200 } },
    cnpg: { enabled: true },
    cilium: { enabled: true },
    'cert-manager': { enabled: true },
  },
}
`

// monitoringNamespace is where kpgen puts the stack by default.
const monitoringNamespace = "monitoring"

// rendered is one mixin's component as kpgen renders it.
type rendered struct {
	Files   []render.File              // manifests/<Key>-*.yaml
	Objects map[string]json.RawMessage // field (file name without prefix) → object
}

// renderMixins renders a project with testVars through kpgen's library, as
// `kpgen build` does, and returns each mixin's files.
func renderMixins(t *testing.T) map[string]rendered {
	t.Helper()
	dir := testutil.Project(t, map[string]string{"mixintest.jsonnet": testVars})
	res, err := render.New(project.Root{Dir: dir}).Render(filepath.Join(dir, "vars", "mixintest.jsonnet"))
	if err != nil {
		t.Fatalf("rendering the mixins through the library: %v", err)
	}
	out := map[string]rendered{}
	for _, m := range mixins {
		r := rendered{Objects: map[string]json.RawMessage{}}
		prefix := "manifests/" + m.Key + "-"
		for _, f := range res.Files {
			if strings.HasPrefix(f.Path, prefix) && strings.HasSuffix(f.Path, ".yaml") {
				r.Files = append(r.Files, f)
				r.Objects[strings.TrimSuffix(strings.TrimPrefix(f.Path, prefix), ".yaml")] = f.JSON
			}
		}
		if _, ok := r.Objects["prometheusRule"]; !ok {
			t.Fatalf("vars.mixins.%s.enabled: true rendered no %sprometheusRule.yaml (files: %s)", m.Name, prefix, paths(res.Files))
		}
		out[m.Name] = r
	}
	return out
}

func paths(files []render.File) string {
	var p []string
	for _, f := range files {
		p = append(p, f.Path)
	}
	return strings.Join(p, ", ")
}

// evalJsonnet evaluates a snippet with the repository's jsonnet/lib and
// jsonnet/mixins on the import path (our mixins import nothing from vendor).
func evalJsonnet(snippet string) ([]byte, error) {
	root := testutil.RepoRoot()
	vm := jsonnet.MakeVM()
	vm.Importer(&jsonnet.FileImporter{JPaths: []string{
		filepath.Join(root, "jsonnet", "lib"),
		filepath.Join(root, "jsonnet", "mixins"),
	}})
	out, err := vm.EvaluateAnonymousSnippet("mixintest.jsonnet", snippet)
	return []byte(out), err
}

// component evaluates <name>/component.libsonnet directly, with the given
// settings (Jsonnet), and returns its visible fields, the names of its hidden
// fields, its targetNamespaces and its mixin's _config.
type componentView struct {
	Objects          map[string]json.RawMessage `json:"objects"`
	Hidden           []string                   `json:"hidden"`
	TargetNamespaces []string                   `json:"targetNamespaces"`
	Config           map[string]any             `json:"config"`
}

func component(t *testing.T, name, settings string) (*componentView, error) {
	t.Helper()
	out, err := evalJsonnet(fmt.Sprintf(`
local c = (import %q)({ namespace: %q, ruleLabels: { role: 'alert-rules' }, config: %s });
{
  objects: c,
  hidden: [f for f in std.objectFieldsAll(c) if !std.objectHas(c, f)],
  targetNamespaces: c.targetNamespaces,
  config: c.mixin._config,
}`, name+"/component.libsonnet", monitoringNamespace, settings))
	if err != nil {
		return nil, err
	}
	var v componentView
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
	sort.Strings(v.Hidden)
	return &v, nil
}

// ruleGroups returns a PrometheusRule's spec.groups.
func ruleGroups(t *testing.T, obj json.RawMessage) []json.RawMessage {
	t.Helper()
	var pr struct {
		Kind string `json:"kind"`
		Spec struct {
			Groups []json.RawMessage `json:"groups"`
		} `json:"spec"`
	}
	if err := json.Unmarshal(obj, &pr); err != nil {
		t.Fatal(err)
	}
	if pr.Kind != "PrometheusRule" || len(pr.Spec.Groups) == 0 {
		t.Fatalf("not a PrometheusRule with groups: %.200s", obj)
	}
	return pr.Spec.Groups
}

// alertRule is the part of an alerting rule the conventions are about.
type alertRule struct {
	Alert       string            `json:"alert"`
	Record      string            `json:"record"`
	Expr        string            `json:"expr"`
	For         string            `json:"for"`
	Labels      map[string]string `json:"labels"`
	Annotations map[string]string `json:"annotations"`
}

func alertsOf(t *testing.T, obj json.RawMessage) []alertRule {
	t.Helper()
	var alerts []alertRule
	for _, g := range ruleGroups(t, obj) {
		var group struct {
			Rules []alertRule `json:"rules"`
		}
		if err := json.Unmarshal(g, &group); err != nil {
			t.Fatal(err)
		}
		for _, r := range group.Rules {
			if r.Alert != "" {
				alerts = append(alerts, r)
			}
		}
	}
	return alerts
}
