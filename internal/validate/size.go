package validate

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/kpgen/kpgen/internal/check/apply"
	"github.com/kpgen/kpgen/internal/manifest"
)

// The sizes the API server and etcd accept. A ConfigMap (or a Secret) whose
// data is larger is refused when it is applied; Grafana, whose Deployment
// mounts every dashboard's ConfigMap, then does not start.
const (
	// MaxDataBytes is Kubernetes' limit on what a ConfigMap's data and
	// binaryData hold together (a Secret's data, likewise): the values'
	// bytes, binaryData decoded, keys not counted (ValidateConfigMap,
	// ValidateSecret: core.MaxSecretSize).
	MaxDataBytes = 1 << 20
	// MaxStoredBytes is etcd's default request limit (--max-request-bytes,
	// 1.5 MiB), which the whole object, as the API server stores it, must
	// fit in.
	MaxStoredBytes = 1536 << 10
)

// sizeProblem checks a ConfigMap's or a Secret's size against Kubernetes'
// and etcd's limits (see MaxDataBytes, MaxStoredBytes), returning "" when it
// fits. Other kinds are not looked at.
func sizeProblem(o manifest.Object) string {
	if (o.Kind != "ConfigMap" && o.Kind != "Secret") || o.APIVersion != "v1" {
		return ""
	}
	// A value's bytes never outnumber its JSON (escapes and base64 only
	// add), so an object whose JSON fits needs no closer look.
	if len(o.JSON) <= MaxDataBytes {
		return ""
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(o.JSON, &obj); err != nil {
		return "" // not an object: reported as such elsewhere
	}
	data, keys, err := payload(o.Kind, obj)
	if err != nil {
		return err.Error()
	}
	if data > MaxDataBytes {
		what := "data and binaryData hold"
		if o.Kind == "Secret" {
			what = "data and stringData hold"
		}
		return fmt.Sprintf("%s %s bytes, over Kubernetes' limit of %s bytes (1 MiB) for a %s: the API server refuses it",
			what, apply.Thousands(data), apply.Thousands(MaxDataBytes), o.Kind)
	}
	// The object as stored: its other fields (metadata above all) as JSON,
	// and the payload's raw bytes.
	for _, f := range []string{"data", "binaryData", "stringData"} {
		delete(obj, f)
	}
	rest, err := json.Marshal(obj)
	if err != nil {
		return ""
	}
	if stored := len(rest) + keys + data; stored > MaxStoredBytes {
		return fmt.Sprintf("the object is about %s bytes as stored (%s of them data), over etcd's default request limit of %s bytes (1.5 MiB): the API server cannot store it",
			apply.Thousands(stored), apply.Thousands(data), apply.Thousands(MaxStoredBytes))
	}
	return ""
}

// payload is what a ConfigMap's data and binaryData, or a Secret's data and
// stringData, hold: the values' bytes (binary ones decoded), and the keys'.
// A key in a Secret's stringData replaces the same key of its data.
func payload(kind string, obj map[string]json.RawMessage) (data, keys int, err error) {
	strs := func(field string) (map[string]string, error) {
		var m map[string]string
		if raw, ok := obj[field]; ok && string(raw) != "null" {
			if err := json.Unmarshal(raw, &m); err != nil {
				return nil, fmt.Errorf("%s: not a map of strings: %w", field, err)
			}
		}
		return m, nil
	}
	text, binary := "data", "binaryData"
	if kind == "Secret" {
		text, binary = "stringData", "data"
	}
	plain, err := strs(text)
	if err != nil {
		return 0, 0, err
	}
	encoded, err := strs(binary)
	if err != nil {
		return 0, 0, err
	}
	for _, k := range slices.Sorted(maps.Keys(encoded)) {
		b, err := base64.StdEncoding.DecodeString(encoded[k])
		if err != nil {
			return 0, 0, fmt.Errorf("%s[%q]: not base64: %w", binary, k, err)
		}
		if _, replaced := plain[k]; replaced && kind == "Secret" {
			continue
		}
		data += len(b)
		keys += len(k)
	}
	for k, v := range plain {
		data += len(v)
		keys += len(k)
	}
	return data, keys, nil
}
