package apply

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/manifest"
)

func obj(t *testing.T, file, j string) Object {
	t.Helper()
	objs, err := manifest.Objects([]byte(j))
	if err != nil || len(objs) != 1 {
		t.Fatalf("%s: %v", j, err)
	}
	return Object{File: file, Object: objs[0]}
}

// big is a ConfigMap whose data holds n bytes.
func big(name string, n int, extra string) string {
	return `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"` + name + `","namespace":"monitoring"` + extra + `},"data":{"d.json":"` + strings.Repeat("x", n) + `"}}`
}

const ns = `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"monitoring"}}`

func TestCheck(t *testing.T) {
	long := strings.Repeat("a", 254)
	for _, tt := range []struct {
		name               string
		objs               []string
		problems, warnings []string
	}{
		{"nothing wrong", []string{ns, `{"apiVersion":"v1","kind":"Service","metadata":{"name":"grafana","namespace":"monitoring","labels":{"app.kubernetes.io/name":"grafana"}}}`}, nil, nil},
		{"a name over 253 characters",
			[]string{`{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"` + long + `"}}`},
			[]string{"a.yaml: ClusterRole " + long + ": metadata.name: 254 characters: must be no more than 253"}, nil},
		{"a ClusterRole's name may hold colons",
			[]string{`{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRole","metadata":{"name":"system:kpgen"}}`}, nil, nil},
		{"a Service's name is a DNS-1035 label",
			[]string{ns, `{"apiVersion":"v1","kind":"Service","metadata":{"name":"` + strings.Repeat("s", 64) + `","namespace":"monitoring"}}`},
			[]string{"a.yaml: Service monitoring/" + strings.Repeat("s", 64) + ": metadata.name: \"" + strings.Repeat("s", 64) + "\" (a Service's name is a DNS-1035 label): must be no more than 63 characters"}, nil},
		{"a Namespace's name is a DNS-1123 label",
			[]string{`{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"a.b"}}`},
			[]string{`a.yaml: Namespace a.b: metadata.name: "a.b" (a Namespace's name is a DNS-1123 label): must not contain dots`}, nil},
		{"label values and keys, the pod template's too",
			[]string{ns, `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","namespace":"monitoring","labels":{"team":"` + strings.Repeat("v", 64) + `","bad key":"x"}},"spec":{"template":{"metadata":{"labels":{"v":"-x"}}}}}`},
			[]string{
				`a.yaml: Deployment monitoring/d: metadata.labels: label key "bad key": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
				`a.yaml: Deployment monitoring/d: metadata.labels.team: label value "` + strings.Repeat("v", 64) + `": must be no more than 63 bytes`,
				`a.yaml: Deployment monitoring/d: spec.template.metadata.labels.v: label value "-x": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
			}, nil},
		{"a ConfigMap too large for a client-side apply",
			[]string{ns, big("dash", 262144-159, "")},
			nil, []string{"a.yaml: ConfigMap monitoring/dash: a client-side apply makes metadata.annotations 262,145 bytes (the kubectl.kubernetes.io/last-applied-configuration annotation holds the whole object), over Kubernetes' limit of 262,144: `kubectl apply` fails with `Too long: may not be more than 262144 bytes`. Apply it server-side: `kubectl apply --server-side`, ArgoCD's sync option ServerSideApply=true, or set vars apply.serverSide: true (renders argocd.argoproj.io/sync-options: ServerSideApply=true on exactly the objects that need it)"}},
		{"one that fits, to the byte",
			[]string{ns, big("dash", 262144-160, "")}, nil, nil},
		{"one that ArgoCD applies server-side",
			[]string{ns, big("dash", 300000, `,"annotations":{"argocd.argoproj.io/sync-options":"Prune=false, ServerSideApply=true"}`)}, nil, nil},
		{"namespaces the output does not create, one warning",
			[]string{ns,
				`{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"prometheus-k8s","namespace":"velero"}}`,
				`{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"prometheus-k8s","namespace":"velero"}}`,
				`{"apiVersion":"monitoring.coreos.com/v1","kind":"PodMonitor","metadata":{"name":"cnpg","namespace":"payments"}}`,
				`{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"prometheus-k8s","namespace":"kube-system"}}`,
			},
			nil, []string{"objects in namespaces the output does not create: payments (PodMonitor cnpg); velero (Role prometheus-k8s, RoleBinding prometheus-k8s). Applying them fails with `namespaces \"…\" not found` until those namespaces exist: create them first (they usually belong to the workloads monitored there; with ArgoCD, sync those applications in an earlier sync wave, or create the namespaces in one), then apply this output"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var objs []Object
			for _, j := range tt.objs {
				objs = append(objs, obj(t, "a.yaml", j))
			}
			problems, warnings := Check(objs)
			if got := texts(problems); !reflect.DeepEqual(got, tt.problems) {
				t.Errorf("problems:\n got  %q\n want %q", got, tt.problems)
			}
			if got := texts(warnings); !reflect.DeepEqual(got, tt.warnings) {
				t.Errorf("warnings:\n got  %q\n want %q", got, tt.warnings)
			}
		})
	}
}

func texts(fs []Finding) []string {
	var out []string
	for _, f := range fs {
		parts := []string{}
		if f.File != "" {
			parts = append(parts, f.File)
		}
		if f.Object != "" {
			parts = append(parts, f.Object)
		}
		out = append(out, strings.Join(append(parts, f.Message()), ": "))
	}
	return out
}

// The size is kubectl's: the annotation's key, the object's compact JSON
// with <, > and & escaped and a newline, and the other annotations.
func TestAnnotationsSize(t *testing.T) {
	j := `{"kind":"ConfigMap","metadata":{"name":"x","annotations":{"a":"bc","kubectl.kubernetes.io/last-applied-configuration":"old"}},"data":{"q":"a>b"}}`
	enc := `{"data":{"q":"a\u003eb"},"kind":"ConfigMap","metadata":{"annotations":{"a":"bc"},"name":"x"}}` + "\n"
	got, err := AnnotationsSize([]byte(j))
	if want := len(LastApplied) + len(enc) + len("a") + len("bc"); err != nil || got != want {
		t.Errorf("AnnotationsSize = %d, %v; want %d", got, err, want)
	}
}

func TestAnnotate(t *testing.T) {
	small := big("small", 10, "")
	if got, err := Annotate([]byte(small)); err != nil || string(got) != small {
		t.Errorf("a small object changed: %s, %v", got, err)
	}
	for _, tt := range []struct{ extra, want string }{
		{"", ServerSideApply},
		{`,"annotations":{"argocd.argoproj.io/sync-options":"Prune=false"}`, "Prune=false," + ServerSideApply},
	} {
		got, err := Annotate([]byte(big("dash", 300000, tt.extra)))
		if err != nil {
			t.Fatal(err)
		}
		var o struct {
			Metadata struct{ Annotations map[string]string } `json:"metadata"`
			Data     map[string]string                       `json:"data"`
		}
		if err := json.Unmarshal(got, &o); err != nil {
			t.Fatal(err)
		}
		if o.Metadata.Annotations[SyncOptions] != tt.want || len(o.Data["d.json"]) != 300000 {
			t.Errorf("annotations %v, data of %d bytes; want %s: %s", o.Metadata.Annotations, len(o.Data["d.json"]), tt.want, tt.want)
		}
	}
	list := `{"apiVersion":"v1","kind":"List","items":[` + big("a", 10, "") + `,` + big("b", 300000, "") + `]}`
	got, err := Annotate([]byte(list))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(got), ServerSideApply); n != 1 {
		t.Errorf("a List with one large item: %d annotations", n)
	}
}
