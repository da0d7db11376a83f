package validate

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/render"
)

// ruleFile is a PrometheusRule whose spec.groups is the given JSON.
func ruleFile(path, groups string) render.File {
	name := strings.TrimSuffix(path[strings.LastIndex(path, "/")+1:], ".yaml")
	return render.File{Path: path, JSON: []byte(`{"apiVersion":"monitoring.coreos.com/v1","kind":"PrometheusRule",
		"metadata":{"name":"` + name + `","namespace":"monitoring"},"spec":{"groups":` + groups + `}}`)}
}

const goodAlert = `{"alert":"HighLoad","expr":"node_load1 > 4","for":"5m","labels":{"severity":"warning"},"annotations":{"summary":"load is {{ $value }}"}}`

func TestFiles(t *testing.T) {
	tests := []struct {
		name     string
		files    []render.File
		problems []string // substrings, one per expected problem, in order
		warnings []string
	}{
		{
			name:  "valid rules",
			files: []render.File{ruleFile("manifests/a.yaml", `[{"name":"g","rules":[`+goodAlert+`,{"record":"job:up:sum","expr":"sum by (job) (up)"}]}]`)},
		},
		{
			name:     "invalid PromQL names file, object, group and rule",
			files:    []render.File{ruleFile("manifests/a.yaml", `[{"name":"g","rules":[{"alert":"Broken","expr":"sum(rate(x[5m])"}]}]`)},
			problems: []string{`manifests/a.yaml: PrometheusRule monitoring/a: group "g": alert "Broken": could not parse expression`},
		},
		{
			name:     "a duration that does not parse names the rule",
			files:    []render.File{ruleFile("manifests/a.yaml", `[{"name":"g","rules":[`+goodAlert+`,{"alert":"Slow","expr":"up == 0","for":"abc"}]}]`)},
			problems: []string{`manifests/a.yaml: PrometheusRule monitoring/a: group "g": alert "Slow": for: not a valid duration string: "abc"`},
		},
		{
			name:     "alert and record in one rule",
			files:    []render.File{ruleFile("manifests/a.yaml", `[{"name":"g","rules":[{"record":"a:b","alert":"A","expr":"up"}]}]`)},
			problems: []string{`group "g": alert "A": only one of 'record' and 'alert' must be set`},
		},
		{
			name:     "bad template in annotation",
			files:    []render.File{ruleFile("manifests/a.yaml", `[{"name":"g","rules":[{"alert":"A","expr":"up","annotations":{"summary":"{{ $labels.x "}}]}]`)},
			problems: []string{`alert "A": annotation "summary"`},
		},
		{
			name:     "unknown rule field is an error",
			files:    []render.File{ruleFile("manifests/a.yaml", `[{"name":"g","rules":[{"alert":"A","expr":"up","expresion":"up"}]}]`)},
			problems: []string{`group "g": field expresion not found`},
		},
		{
			name:  "operator-only fields are accepted",
			files: []render.File{ruleFile("manifests/a.yaml", `[{"name":"g","interval":"","partial_response_strategy":"warn","rules":[`+goodAlert+`]}]`)},
		},
		{
			name:     "exact duplicate rule is an error",
			files:    []render.File{ruleFile("manifests/a.yaml", `[{"name":"g","rules":[`+goodAlert+`]},{"name":"h","rules":[`+goodAlert+`]}]`)},
			problems: []string{`group "h": alert "HighLoad": duplicate rule`},
		},
		{
			name:     "same name and labels, other expression, is a warning",
			files:    []render.File{ruleFile("manifests/a.yaml", `[{"name":"g","rules":[{"record":"r:x","expr":"sum(a)"},{"record":"r:x","expr":"sum(b)"},{"record":"r:x","expr":"sum(c)"}]}]`)},
			warnings: []string{`group "g": record "r:x": 3 rules share this name and labels`},
		},
		{
			name:  "same name, other labels, is fine",
			files: []render.File{ruleFile("manifests/a.yaml", `[{"name":"g","rules":[`+goodAlert+`,`+strings.Replace(goodAlert, "warning", "critical", 1)+`]}]`)},
		},
		{
			name:     "repeated group name",
			files:    []render.File{ruleFile("manifests/a.yaml", `[{"name":"g","rules":[`+goodAlert+`]},{"name":"g","rules":[{"record":"a:b","expr":"up"}]}]`)},
			problems: []string{`group "g": group name is repeated`},
		},
		{
			name: "every problem is reported, across files",
			files: []render.File{
				ruleFile("manifests/a.yaml", `[{"name":"g","rules":[{"alert":"A","expr":"up >"}]}]`),
				ruleFile("manifests/b.yaml", `[{"name":"h","rules":[{"alert":"B","expr":"up","for":"five minutes"}]}]`),
			},
			problems: []string{`manifests/a.yaml: PrometheusRule monitoring/a: group "g": alert "A"`, `manifests/b.yaml: PrometheusRule monitoring/b: group "h": alert "B": for: not a valid duration string: "five minutes"`},
		},
		{
			name:     "bad output path",
			files:    []render.File{{Path: "../evil.yaml", JSON: []byte(`{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"}}`)}},
			problems: []string{`../evil.yaml: bad output path`},
		},
		{
			name: "paths that one case-insensitive file system would merge",
			files: []render.File{
				{Path: "manifests/A.yaml", JSON: []byte(`{"apiVersion":"v1","kind":"Secret","metadata":{"name":"a"}}`)},
				{Path: "manifests/a.yaml", JSON: []byte(`{"apiVersion":"v1","kind":"Secret","metadata":{"name":"b"}}`)},
			},
			problems: []string{`manifests/a.yaml: bad output path: "manifests/A.yaml" and "manifests/a.yaml" differ only in case`},
		},
		{
			name:     "a hidden path segment",
			files:    []render.File{{Path: ".git/hooks/x.yaml", JSON: []byte(`{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x"}}`)}},
			problems: []string{`.git/hooks/x.yaml: bad output path: ".git/hooks/x.yaml": ".git" must start with a letter or digit`},
		},
		{
			name:     "object without a name",
			files:    []render.File{{Path: "manifests/x.yaml", JSON: []byte(`{"apiVersion":"v1","kind":"Secret","metadata":{}}`)}},
			problems: []string{`manifests/x.yaml: Secret : missing metadata.name`},
		},
		{
			name:     "an Alertmanager configuration the loader refuses, named once",
			files:    []render.File{{Path: "manifests/am.yaml", JSON: []byte(`{"apiVersion":"v1","kind":"Secret","metadata":{"name":"am","namespace":"m"},"stringData":{"alertmanager.yaml":"global: {}\n"}}`)}},
			problems: []string{`manifests/am.yaml: Secret m/am: alertmanager.yaml: Alertmanager's configuration loader: no routes provided`},
		},
		{
			name: "names no API server takes",
			files: []render.File{
				{Path: "manifests/a.yaml", JSON: []byte(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"../../etc","namespace":"m"}}`)},
				{Path: "manifests/b.yaml", JSON: []byte(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b","namespace":"../kube-system"}}`)},
				{Path: "manifests/c.yaml", JSON: []byte(`{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"system:kpgen"}}`)},
			},
			problems: []string{
				`manifests/a.yaml: ConfigMap m/../../etc: metadata.name "../../etc": may not contain '/'`,
				`manifests/b.yaml: ConfigMap ../kube-system/b: metadata.namespace "../kube-system": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
			},
		},
		{
			name: "the same object twice",
			files: []render.File{
				{Path: "manifests/a.yaml", JSON: []byte(`{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x","namespace":"m"}}`)},
				{Path: "manifests/b.yaml", JSON: []byte(`{"apiVersion":"v1","kind":"SecretList","items":[{"apiVersion":"v1","kind":"Secret","metadata":{"name":"x","namespace":"m"}}]}`)},
			},
			problems: []string{`manifests/b.yaml: Secret m/x: object is also generated in manifests/a.yaml`},
		},
		{
			name:  "kustomization needs no metadata",
			files: []render.File{{Path: "kustomization.yaml", JSON: []byte(`{"apiVersion":"kustomize.config.k8s.io/v1beta1","kind":"Kustomization","resources":[]}`)}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := Files(tt.files)
			check(t, "problem", rep.Problems, tt.problems)
			check(t, "warning", withoutNamespaceWarning(rep.Warnings), tt.warnings)
		})
	}
}

func check(t *testing.T, what string, got []Problem, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d %ss, want %d:\n%s", len(got), what, len(want), dump(got))
	}
	for i := range want {
		if !strings.Contains(got[i].String(), want[i]) {
			t.Errorf("%s %d = %q, want it to contain %q", what, i, got[i], want[i])
		}
	}
}

func dump(ps []Problem) string {
	b, _ := json.MarshalIndent(ps, "", "  ")
	return string(b)
}

func TestStats(t *testing.T) {
	rep := Files([]render.File{ruleFile("manifests/a.yaml", `[{"name":"g","rules":[`+goodAlert+`,{"record":"a:b","expr":"up"}]},{"name":"h","rules":[{"record":"c:d","expr":"up"}]}]`)})
	want := Stats{Files: 1, Objects: 1, RuleObjects: 1, Groups: 2, Alerts: 1, Records: 2}
	if rep.Stats != want {
		t.Errorf("stats = %+v, want %+v", rep.Stats, want)
	}
}

// A Memo shared by the clusters of a run gives each cluster the report it
// would get alone, with problems located in that cluster's files.
func TestFilesMemo(t *testing.T) {
	bad := `[{"name":"g","rules":[{"alert":"Broken","expr":"sum(rate(x[5m])"}]}]`
	good := `[{"name":"g","rules":[` + goodAlert + `]}]`
	clusters := [][]render.File{
		{ruleFile("manifests/a.yaml", bad), ruleFile("manifests/b.yaml", good)},
		{ruleFile("manifests/a.yaml", bad), ruleFile("manifests/b.yaml", good)},
		{ruleFile("manifests/other/a.yaml", bad), ruleFile("manifests/b.yaml", good), {Path: "manifests/x.yaml", JSON: []byte(`{"kind":"ConfigMap"}`)}},
		{ruleFile("manifests/a.yaml", bad), ruleFile("manifests/b.yaml", good)},
	}
	var m Memo
	for i, files := range clusters {
		want := Files(files)
		got := FilesMemo(files, &m)
		if dump(got.Problems) != dump(want.Problems) || dump(got.Warnings) != dump(want.Warnings) || got.Stats != want.Stats {
			t.Errorf("cluster %d: with the memo\n%s\n%+v\nalone\n%s\n%+v", i, dump(got.Problems), got.Stats, dump(want.Problems), want.Stats)
		}
	}
	if FilesMemo(clusters[2], &m).Problems[0].File != "manifests/other/a.yaml" {
		t.Error("a remembered problem is not located in the file at hand")
	}
}

// kustomization.yaml lists exactly the rendered files.
func TestKustomizationListsEveryFile(t *testing.T) {
	cm := func(p, name string) render.File {
		return render.File{Path: p, JSON: []byte(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"` + name + `","namespace":"m"}}`)}
	}
	kust := func(resources string) render.File {
		return render.File{Path: "kustomization.yaml", JSON: []byte(`{"apiVersion":"kustomize.config.k8s.io/v1beta1","kind":"Kustomization","resources":[` + resources + `]}`)}
	}
	tests := []struct {
		name     string
		files    []render.File
		problems []string
	}{
		{"all listed", []render.File{kust(`"./manifests/a.yaml","manifests/b.yaml"`), cm("manifests/a.yaml", "a"), cm("manifests/b.yaml", "b")}, nil},
		{"one unlisted", []render.File{kust(`"./manifests/a.yaml"`), cm("manifests/a.yaml", "a"), cm("manifests/b.yaml", "b")},
			[]string{"manifests/b.yaml: not listed in kustomization.yaml's resources: kubectl apply -k and ArgoCD would not apply it"}},
		{"one listed, not rendered", []render.File{kust(`"./manifests/a.yaml","./manifests/gone.yaml"`), cm("manifests/a.yaml", "a")},
			[]string{"kustomization.yaml: resources lists ./manifests/gone.yaml, which is not rendered"}},
		{"no kustomization", []render.File{cm("manifests/a.yaml", "a")}, nil},
	}
	for _, tt := range tests {
		rep := Files(tt.files)
		var got []string
		for _, p := range rep.Problems {
			got = append(got, p.String())
		}
		if len(got) != len(tt.problems) {
			t.Errorf("%s: problems %q, want %q", tt.name, got, tt.problems)
			continue
		}
		for i, want := range tt.problems {
			if !strings.HasPrefix(got[i], want) {
				t.Errorf("%s: %q, want it to start with %q", tt.name, got[i], want)
			}
		}
	}
}

// withoutNamespaceWarning drops the apply check's warning about namespaces
// the output does not create: these tables' objects live in namespaces of
// their own (TestApplyCheck tests it).
func withoutNamespaceWarning(ws []Problem) []Problem {
	var out []Problem
	for _, w := range ws {
		if !strings.HasPrefix(w.Msg, "objects in namespaces the output does not create: ") {
			out = append(out, w)
		}
	}
	return out
}
