package manifest

import (
	"strings"
	"testing"
)

func TestCheckPath(t *testing.T) {
	tests := []struct {
		path string
		ok   bool
		msg  string
	}{
		{"manifests/prometheus-prometheus.yaml", true, ""},
		{"manifests/setup/namespace.yaml", true, ""},
		{"kustomization.yaml", true, ""},
		{"", false, "empty"},
		{"/etc/passwd.yaml", false, "absolute"},
		{"../escape.yaml", false, `".." segments`},
		{"manifests/../../escape.yaml", false, `".." segments`},
		{"manifests/./x.yaml", false, `"." segments`},
		{"manifests//x.yaml", false, "empty path segment"},
		{"manifests/with space.yaml", false, "not allowed"},
		{"manifests/ünïcode.yaml", false, "not allowed"},
		{"manifests/x.json", false, "must end in .yaml"},
		{`manifests\x.yaml`, false, "not allowed"},
	}
	for _, tt := range tests {
		err := CheckPath(tt.path)
		if (err == nil) != tt.ok {
			t.Errorf("CheckPath(%q) = %v, want ok=%v", tt.path, err, tt.ok)
			continue
		}
		if err != nil && !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("CheckPath(%q) = %q, want it to mention %q", tt.path, err, tt.msg)
		}
	}
}

func TestToYAML(t *testing.T) {
	long := strings.Repeat("word ", 40)
	tests := []struct {
		name, json, want string
	}{
		{"sorted keys", `{"kind":"A","apiVersion":"v1","metadata":{"name":"x"}}`, "apiVersion: v1\nkind: A\nmetadata:\n  name: x\n"},
		{"long strings are not folded", `{"a":"` + long + `"}`, "a: '" + long + "'\n"},
		{"multi-line strings use literal blocks", `{"expr":"sum(x)\nby (y)\n"}`, "expr: |\n  sum(x)\n  by (y)\n"},
		{"integers stay integers", `{"i":3,"f":1.5,"big":10000000}`, "big: 10000000\nf: 1.5\ni: 3\n"},
		{"YAML 1.1 booleans as keys are quoted, as gojsontoyaml does", `{"n":1,"y":2}`, "\"n\": 1\n\"y\": 2\n"},
		{"strings that look like other types are quoted", `{"a":"true","b":"1","c":"null"}`, "a: \"true\"\nb: \"1\"\nc: \"null\"\n"},
		{"empty collections", `{"a":[],"b":{}}`, "a: []\nb: {}\n"},
	}
	for _, tt := range tests {
		got, err := ToYAML([]byte(tt.json))
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if string(got) != tt.want {
			t.Errorf("%s:\ngot:\n%s\nwant:\n%s", tt.name, got, tt.want)
		}
	}
	// A key "<<" would be written bare and read back as a merge key by
	// kubectl: refused, at any depth.
	for _, j := range []string{`{"<<":"x"}`, `{"spec":{"headers":{"<<":"x"}}}`, `{"l":[{"<<":{}}]}`} {
		if got, err := ToYAML([]byte(j)); err == nil || !strings.Contains(err.Error(), `a key "<<"`) {
			t.Errorf("%s: %q, %v", j, got, err)
		}
	}
}

func TestObjects(t *testing.T) {
	objs, err := Objects([]byte(`{"apiVersion":"v1","kind":"ConfigMapList","items":[
		{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"m"}},
		{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b","namespace":"m"}}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(objs) != 2 || objs[0].ID() != "ConfigMap m/a" || objs[1].ID() != "ConfigMap m/b" {
		t.Errorf("got %+v", objs)
	}
	objs, err = Objects([]byte(`{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"monitoring"}}`))
	if err != nil || len(objs) != 1 || objs[0].ID() != "Namespace monitoring" {
		t.Errorf("got %+v, %v", objs, err)
	}
	if _, err := Objects([]byte(`[1,2]`)); err == nil {
		t.Error("a JSON array is not a Kubernetes object")
	}
}
