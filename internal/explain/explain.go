// Package explain says where each value of a cluster's merged vars comes
// from: kpgen's defaults, the platform's defaults, a preset, or the
// cluster's vars file (kpgen vars --explain).
package explain

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
)

// Layer is one layer of vars, as the library merged them, first to last.
type Layer struct {
	Label string          `json:"label"`
	Value json.RawMessage `json:"value"`
}

// Entry is one value of the merged vars.
type Entry struct {
	Path   string `json:"path"`
	Value  any    `json:"value"`
	Origin string `json:"origin"` // a layer's label, or Default
}

// Default is the origin of a value no layer sets: the library's default.
const Default = "default"

// Explain lists every leaf of config (objects are walked, lists and
// scalars are leaves), sorted by path, each with the last layer that sets
// it.
func Explain(config json.RawMessage, layers []Layer) ([]Entry, error) {
	cfg, err := decode(config)
	if err != nil {
		return nil, fmt.Errorf("the merged vars: %w", err)
	}
	raw := make([]any, len(layers))
	for i, l := range layers {
		if raw[i], err = decode(l.Value); err != nil {
			return nil, fmt.Errorf("layer %s: %w", l.Label, err)
		}
	}
	var out []Entry
	var walk func(path []string, v any)
	walk = func(path []string, v any) {
		if m, ok := v.(map[string]any); ok && len(m) > 0 {
			keys := make([]string, 0, len(m))
			for k := range m {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, k := range keys {
				walk(append(path[:len(path):len(path)], k), m[k])
			}
			return
		}
		origin := Default
		for i := len(layers) - 1; i >= 0; i-- {
			if has(raw[i], path) {
				origin = layers[i].Label
				break
			}
		}
		out = append(out, Entry{Path: Path(path), Value: v, Origin: origin})
	}
	walk(nil, cfg)
	return out, nil
}

// has reports whether the value v sets the path.
func has(v any, path []string) bool {
	for _, k := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		if v, ok = m[k]; !ok {
			return false
		}
	}
	return true
}

func decode(b []byte) (any, error) {
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	err := d.Decode(&v)
	return v, err
}

// Path writes a key path as vars messages do: a.b.c, or a["b.c"] for a key
// that would read ambiguously.
func Path(keys []string) string {
	var b bytes.Buffer
	for i, k := range keys {
		switch {
		case plainKey.MatchString(k) && i == 0:
			b.WriteString(k)
		case plainKey.MatchString(k):
			b.WriteString("." + k)
		default:
			q, _ := json.Marshal(k)
			b.WriteString("[" + string(q) + "]")
		}
	}
	return b.String()
}

var plainKey = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
