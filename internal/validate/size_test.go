package validate

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/render"
)

// configMap is a ConfigMap monitoring/<name> with the given data and
// binaryData (raw bytes, base64-encoded here) and metadata annotations.
func configMap(name string, data, binary, annotations map[string]string) map[string]any {
	cm := map[string]any{
		"apiVersion": "v1",
		"kind":       "ConfigMap",
		"metadata":   map[string]any{"name": name, "namespace": "monitoring"},
	}
	if annotations != nil {
		cm["metadata"].(map[string]any)["annotations"] = annotations
	}
	if data != nil {
		cm["data"] = data
	}
	if binary != nil {
		enc := map[string]string{}
		for k, v := range binary {
			enc[k] = base64.StdEncoding.EncodeToString([]byte(v))
		}
		cm["binaryData"] = enc
	}
	return cm
}

func jsonFile(t *testing.T, path string, obj any) render.File {
	t.Helper()
	j, err := json.Marshal(obj)
	if err != nil {
		t.Fatal(err)
	}
	return render.File{Path: path, JSON: j}
}

func list(items ...map[string]any) map[string]any {
	return map[string]any{"apiVersion": "v1", "kind": "ConfigMapList", "items": items}
}

func TestConfigMapSize(t *testing.T) {
	const MiB = 1 << 20
	n := func(k int) string { return strings.Repeat("x", k) }
	// JSON that escapes: each of these bytes is two or six bytes of JSON.
	escaped := func(k int) string { return strings.Repeat("\"\n<", k/3) + n(k%3) }
	tests := []struct {
		name string
		file any
		want string // the problem, "" for none
	}{
		{
			name: "1 MiB - 1 of data passes",
			file: configMap("a", map[string]string{"a.json": n(MiB - 1)}, nil, nil),
		},
		{
			name: "exactly 1 MiB passes",
			file: configMap("a", map[string]string{"a.json": n(MiB - 10), "b.json": n(10)}, nil, nil),
		},
		{
			name: "1 MiB + 1 of data fails, naming it",
			file: configMap("big", map[string]string{"a.json": n(MiB + 1)}, nil, nil),
			want: "manifests/x.yaml: ConfigMap monitoring/big: data and binaryData hold 1,048,577 bytes, over Kubernetes' limit of 1,048,576 bytes (1 MiB) for a ConfigMap: the API server refuses it",
		},
		{
			name: "a dashboard ConfigMap in a ConfigMapList",
			file: list(
				configMap("grafana-dashboard-small", map[string]string{"small.json": n(100)}, nil, nil),
				configMap("grafana-dashboard-huge", map[string]string{"huge.json": n(MiB - 4)}, map[string]string{"logo.png": n(5)}, nil),
			),
			want: "manifests/x.yaml: ConfigMap monitoring/grafana-dashboard-huge: data and binaryData hold 1,048,577 bytes, over Kubernetes' limit of 1,048,576 bytes (1 MiB) for a ConfigMap: the API server refuses it",
		},
		{
			name: "values are counted unescaped: 1 MiB - 1 bytes of quotes and newlines pass",
			file: configMap("a", map[string]string{"a.json": escaped(MiB - 1)}, nil, nil),
		},
		{
			name: "binaryData is counted decoded",
			file: configMap("a", nil, map[string]string{"a.bin": n(MiB - 1)}, nil),
		},
		{
			name: "binaryData decoded, over",
			file: configMap("bin", nil, map[string]string{"a.bin": n(MiB + 1)}, nil),
			want: "ConfigMap monitoring/bin: data and binaryData hold 1,048,577 bytes",
		},
		{
			name: "a Secret's data and stringData",
			file: map[string]any{
				"apiVersion": "v1", "kind": "Secret", "metadata": map[string]any{"name": "s", "namespace": "monitoring"},
				"data":       map[string]string{"a": base64.StdEncoding.EncodeToString([]byte(n(MiB)))},
				"stringData": map[string]string{"b": "x"},
			},
			want: "Secret monitoring/s: data and stringData hold 1,048,577 bytes, over Kubernetes' limit of 1,048,576 bytes (1 MiB) for a Secret",
		},
		{
			name: "a Secret's stringData replaces the same key of its data",
			file: map[string]any{
				"apiVersion": "v1", "kind": "Secret", "metadata": map[string]any{"name": "s", "namespace": "monitoring"},
				"data":       map[string]string{"a": base64.StdEncoding.EncodeToString([]byte(n(MiB)))},
				"stringData": map[string]string{"a": "x"},
			},
		},
		{
			name: "data within the limit, the object over etcd's",
			file: configMap("meta", map[string]string{"a.json": n(MiB - 1)}, nil, map[string]string{"note": n(600 << 10)}),
			want: "manifests/x.yaml: ConfigMap monitoring/meta: the object is about 1,663,097 bytes as stored (1,048,575 of them data), over etcd's default request limit of 1,572,864 bytes (1.5 MiB): the API server cannot store it",
		},
		{
			name: "other kinds are not ConfigMaps",
			file: map[string]any{"apiVersion": "v1", "kind": "Other", "metadata": map[string]any{"name": "o"}, "data": map[string]string{"a": n(MiB + 1)}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := Files([]render.File{jsonFile(t, "manifests/x.yaml", tt.file)})
			switch {
			case tt.want == "" && len(rep.Problems) > 0:
				t.Errorf("problems: %s", dump(rep.Problems))
			case tt.want != "" && (len(rep.Problems) != 1 || !strings.Contains(rep.Problems[0].String(), tt.want)):
				t.Errorf("problems: %s\nwant one containing %q", dump(rep.Problems), tt.want)
			}
		})
	}
}
