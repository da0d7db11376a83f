package diff

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// describe flattens a ClusterDiff into one line per change, for tables.
func describe(d *ClusterDiff) []string {
	var out []string
	field := func(indent string, f FieldDiff) {
		switch f.Op {
		case Added:
			out = append(out, fmt.Sprintf("%s+ %s: %s", indent, f.Path, short(f.New)))
		case Removed:
			out = append(out, fmt.Sprintf("%s- %s: %s", indent, f.Path, short(f.Old)))
		default:
			out = append(out, fmt.Sprintf("%s~ %s: %s → %s", indent, f.Path, short(f.Old), short(f.New)))
		}
	}
	for _, o := range d.Objects {
		line := fmt.Sprintf("%s %s", mark(o.Op), o.ID())
		if o.Moved() {
			line += fmt.Sprintf(" (file %s → %s)", o.OldFile, o.NewFile)
		}
		out = append(out, line)
		for _, f := range o.Fields {
			field("  ", f)
		}
		for _, g := range o.RuleGroups {
			out = append(out, fmt.Sprintf("  %s group %s", mark(g.Op), g.Name))
			for _, f := range g.Fields {
				field("    ", f)
			}
			for _, r := range g.Rules {
				out = append(out, fmt.Sprintf("    %s %s %s", mark(r.Op), r.Type, ruleName(r)))
				for _, f := range r.Fields {
					field("      ", f)
				}
			}
		}
		for _, db := range o.Dashboards {
			line := fmt.Sprintf("  %s dashboard %q uid=%s key=%s panels=%d", mark(db.Op), db.Title, db.UID, db.Key, db.Panels)
			if db.OldTitle != "" {
				line += fmt.Sprintf(" was=%q", db.OldTitle)
			}
			if db.Op == Changed {
				line += fmt.Sprintf(" changed=%d added=%d removed=%d", db.PanelsChanged, db.PanelsAdded, db.PanelsRemoved)
				if len(db.OtherFields) > 0 {
					line += " other=" + strings.Join(db.OtherFields, ",")
				}
			}
			out = append(out, line)
		}
	}
	for _, f := range d.Files {
		out = append(out, fmt.Sprintf("%s file %s: %s", mark(f.Op), f.Path, f.Note))
	}
	return out
}

func checkLines(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func TestCompareObjects(t *testing.T) {
	svc := func(ns, name string, port int) m {
		return kobj("v1", "Service", ns, name, m{"spec": m{"ports": l{m{"name": "web", "port": port}}}})
	}
	tests := []struct {
		name     string
		old, new map[string]any
		want     []string
	}{{
		name: "unchanged",
		old:  map[string]any{"a.yaml": svc("monitoring", "a", 80)},
		new:  map[string]any{"a.yaml": svc("monitoring", "a", 80)},
		want: nil,
	}, {
		name: "object added",
		old:  map[string]any{"a.yaml": svc("monitoring", "a", 80)},
		new:  map[string]any{"a.yaml": svc("monitoring", "a", 80), "b.yaml": svc("monitoring", "b", 80)},
		want: []string{"+ Service monitoring/b"},
	}, {
		name: "object removed",
		old:  map[string]any{"a.yaml": svc("monitoring", "a", 80), "b.yaml": svc("", "b", 80)},
		new:  map[string]any{"a.yaml": svc("monitoring", "a", 80)},
		want: []string{"- Service b"},
	}, {
		name: "field changed, list item by name",
		old:  map[string]any{"a.yaml": svc("monitoring", "a", 80)},
		new:  map[string]any{"a.yaml": svc("monitoring", "a", 8080)},
		want: []string{"~ Service monitoring/a", "  ~ spec.ports[name=web].port: 80 → 8080"},
	}, {
		name: "file renamed, same object",
		old:  map[string]any{"manifests/old.yaml": svc("monitoring", "a", 80)},
		new:  map[string]any{"manifests/new.yaml": svc("monitoring", "a", 80)},
		want: []string{"~ Service monitoring/a (file manifests/old.yaml → manifests/new.yaml)"},
	}, {
		name: "file renamed and changed",
		old:  map[string]any{"old.yaml": svc("monitoring", "a", 80)},
		new:  map[string]any{"new.yaml": svc("monitoring", "a", 81)},
		want: []string{"~ Service monitoring/a (file old.yaml → new.yaml)", "  ~ spec.ports[name=web].port: 80 → 81"},
	}, {
		name: "same name in another namespace is another object",
		old:  map[string]any{"a.yaml": svc("one", "a", 80)},
		new:  map[string]any{"a.yaml": svc("two", "a", 80)},
		want: []string{"- Service one/a", "+ Service two/a"},
	}, {
		name: "apiVersion bump within a group is a change",
		old:  map[string]any{"p.yaml": kobj("policy/v1beta1", "PodDisruptionBudget", "monitoring", "p", nil)},
		new:  map[string]any{"p.yaml": kobj("policy/v1", "PodDisruptionBudget", "monitoring", "p", nil)},
		want: []string{"~ PodDisruptionBudget monitoring/p", "  ~ apiVersion: policy/v1beta1 → policy/v1"},
	}, {
		name: "List items are objects of their own",
		old: map[string]any{"roles.yaml": m{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleList", "items": l{
			kobj("rbac.authorization.k8s.io/v1", "Role", "default", "r", m{"rules": l{m{"verbs": l{"get"}}}}),
			kobj("rbac.authorization.k8s.io/v1", "Role", "kube-system", "r", nil),
		}}},
		new: map[string]any{"roles.yaml": m{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleList", "items": l{
			kobj("rbac.authorization.k8s.io/v1", "Role", "default", "r", m{"rules": l{m{"verbs": l{"get", "list"}}}}),
			kobj("rbac.authorization.k8s.io/v1", "Role", "monitoring", "r", nil),
		}}},
		want: []string{
			"~ Role default/r", "  + rules[0].verbs[1]: list",
			"- Role kube-system/r",
			"+ Role monitoring/r",
		},
	}, {
		name: "kustomization resources",
		old:  map[string]any{"kustomization.yaml": m{"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "resources": l{"./a.yaml", "./b.yaml", "./c.yaml"}}},
		new:  map[string]any{"kustomization.yaml": m{"apiVersion": "kustomize.config.k8s.io/v1beta1", "kind": "Kustomization", "resources": l{"./a.yaml", "./ab.yaml", "./c.yaml", "./d.yaml"}}},
		want: []string{"~ Kustomization", "  ~ resources[1]: ./b.yaml → ./ab.yaml", "  + resources[3]: ./d.yaml"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			checkLines(t, describe(compare(t, tt.old, tt.new)), tt.want)
		})
	}
}

func TestFieldPaths(t *testing.T) {
	tests := []struct {
		name string
		a, b any
		want []string
	}{{
		name: "nested key, quoted keys",
		a:    m{"metadata": m{"labels": m{"app.kubernetes.io/version": "1", "app": "x"}}},
		b:    m{"metadata": m{"labels": m{"app.kubernetes.io/version": "2", "app": "x", "new": "y"}}},
		want: []string{`~ metadata.labels["app.kubernetes.io/version"]: 1 → 2`, `+ metadata.labels.new: y`},
	}, {
		name: "list items by name, reordered is no change",
		a:    m{"containers": l{m{"name": "a", "image": "a:1"}, m{"name": "b", "image": "b:1"}}},
		b:    m{"containers": l{m{"name": "b", "image": "b:2"}, m{"name": "a", "image": "a:1"}}},
		want: []string{"~ containers[name=b].image: b:1 → b:2"},
	}, {
		name: "list item added and removed by name",
		a:    m{"volumes": l{m{"name": "a"}, m{"name": "b"}}},
		b:    m{"volumes": l{m{"name": "a"}, m{"name": "c", "emptyDir": m{}}}},
		want: []string{`- volumes[name=b]: {"name":"b"}`, `+ volumes[name=c]: {"emptyDir":{},"name":"c"}`},
	}, {
		name: "unnamed items aligned: an insertion is not a change of every later item",
		a:    m{"args": l{"--a", "--b", "--c"}},
		b:    m{"args": l{"--a", "--x", "--b", "--c"}},
		want: []string{"+ args[1]: --x"},
	}, {
		name: "unnamed objects compared in place",
		a:    m{"ingress": l{m{"port": 1}, m{"port": 2}}},
		b:    m{"ingress": l{m{"port": 1}, m{"port": 3}}},
		want: []string{"~ ingress[1].port: 2 → 3"},
	}, {
		name: "type change",
		a:    m{"x": "1"},
		b:    m{"x": m{"y": 1}},
		want: []string{`~ x: 1 → {"y":1}`},
	}, {
		name: "long values are truncated",
		a:    m{"x": strings.Repeat("a", 200)},
		b:    m{"x": strings.Repeat("b", 200)},
		want: []string{"~ x: " + strings.Repeat("a", 79) + "… → " + strings.Repeat("b", 79) + "…"},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range diffFields(tt.a, tt.b) {
				switch f.Op {
				case Added:
					got = append(got, fmt.Sprintf("+ %s: %s", f.Path, short(f.New)))
				case Removed:
					got = append(got, fmt.Sprintf("- %s: %s", f.Path, short(f.Old)))
				default:
					got = append(got, fmt.Sprintf("~ %s: %s → %s", f.Path, short(f.Old), short(f.New)))
				}
			}
			checkLines(t, got, tt.want)
		})
	}
}

func TestPathHelpers(t *testing.T) {
	for _, tt := range []struct{ path, key string }{
		{"spec.image", "image"},
		{`metadata.labels["app.kubernetes.io/version"]`, "app.kubernetes.io/version"},
		{"spec.containers[name=a]", ""},
		{"args[1]", ""},
	} {
		k, ok := lastKey(tt.path)
		if k != tt.key || ok != (tt.key != "") {
			t.Errorf("lastKey(%q) = %q, %v; want %q", tt.path, k, ok, tt.key)
		}
	}
	for _, tt := range []struct{ path, field, kw string }{
		{"spec.versions[name=v1].schema.openAPIV3Schema.properties.spec.properties.receivers.items.properties.threading", "v1: spec.receivers[].threading", ""},
		{"spec.versions[name=v1].schema.openAPIV3Schema.properties.spec.properties.x.description", "v1: spec.x", "description"},
		{"spec.versions[name=v1].schema.openAPIV3Schema.properties.spec.x-kubernetes-validations[2].rule", "v1: spec", "x-kubernetes-validations[2].rule"},
		{"spec.versions[name=v1].schema.openAPIV3Schema.properties.spec.properties.m.additionalProperties.type", "v1: spec.m[*]", "type"},
	} {
		f, kw, ok := schemaPath(tt.path)
		if !ok || f != tt.field || kw != tt.kw {
			t.Errorf("schemaPath(%q) = %q, %q, %v; want %q, %q", tt.path, f, kw, ok, tt.field, tt.kw)
		}
	}
}

func TestCompareFiles(t *testing.T) {
	svc := toYAML(t, kobj("v1", "Service", "monitoring", "a", nil))
	old := map[string][]byte{
		"broken.yaml":   []byte("a: [\n"),
		"notes.txt":     []byte("x"),
		"reformat.yaml": []byte("kind: Service\napiVersion: v1\nmetadata: {name: r}\n"),
		"multi.yaml":    append(append([]byte("---\n"), svc...), []byte("---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\n")...),
	}
	new := map[string][]byte{
		"broken.yaml":   toYAML(t, kobj("v1", "Service", "monitoring", "fixed", nil)),
		"reformat.yaml": toYAML(t, m{"apiVersion": "v1", "kind": "Service", "metadata": m{"name": "r"}}),
		"multi.yaml":    svc,
	}
	d, err := Compare("c", old, new)
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, describe(d), []string{
		"- Service b",
		"+ Service monitoring/fixed",
		"~ file broken.yaml: the previous version did not decode: yaml: line 1: did not find expected node content",
		"- file notes.txt: not a YAML file",
		"~ file reformat.yaml: formatting only, same content",
	})
	if _, err := Compare("c", nil, map[string][]byte{"x.yaml": []byte("a: [\n")}); err == nil {
		t.Error("Compare accepted new output that is not YAML")
	}
	if d, _ := Compare("c", nil, new); !d.New {
		t.Error("no old output: want New")
	}
}

// A symbolic link in out/ is never read through: a repository could point
// one at any file of the machine, and the report is posted publicly.
func TestReadDirDoesNotFollowSymlinks(t *testing.T) {
	dir := t.TempDir()
	secret := filepath.Join(t.TempDir(), "secret")
	os.WriteFile(secret, []byte("kind: Secret\n"), 0o644)
	os.MkdirAll(filepath.Join(dir, "c", "manifests"), 0o755)
	os.Symlink(secret, filepath.Join(dir, "c", "manifests", "x.yaml"))
	if _, err := ReadDir(filepath.Join(dir, "c")); err == nil || !strings.Contains(err.Error(), "manifests/x.yaml is a symbolic link, not a regular file") {
		t.Errorf("ReadDir through a symlink: %v", err)
	}
	os.Symlink(filepath.Dir(secret), filepath.Join(dir, "linked"))
	if files, err := ReadDir(filepath.Join(dir, "linked")); err == nil {
		t.Errorf("ReadDir of a symlinked directory: %v", files)
	}
}
