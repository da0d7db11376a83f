package manifest

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Meta is the identity of a Kubernetes object.
type Meta struct {
	APIVersion string `json:"apiVersion"`
	Kind       string `json:"kind"`
	Metadata   struct {
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	} `json:"metadata"`
}

// ID is "Kind namespace/name" (or "Kind name" for cluster-scoped objects).
func (m Meta) ID() string {
	return m.Kind + " " + m.NamespacedName()
}

// NamespacedName is "namespace/name", or "name" when there is no namespace.
func (m Meta) NamespacedName() string {
	if m.Metadata.Namespace == "" {
		return m.Metadata.Name
	}
	return m.Metadata.Namespace + "/" + m.Metadata.Name
}

// IsList reports whether the object is a List kind holding items.
func (m Meta) IsList() bool { return strings.HasSuffix(m.Kind, "List") }

// Object is a rendered object: its identity and its JSON.
type Object struct {
	Meta
	JSON json.RawMessage
}

// Objects decodes one file's JSON into the objects it holds: the object
// itself, or a List's items.
func Objects(j []byte) ([]Object, error) {
	var top struct {
		Meta
		Items []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(j, &top); err != nil {
		return nil, fmt.Errorf("not a Kubernetes object: %w", err)
	}
	if !top.IsList() {
		return []Object{{Meta: top.Meta, JSON: j}}, nil
	}
	objs := make([]Object, 0, len(top.Items))
	for i, raw := range top.Items {
		var m Meta
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, fmt.Errorf("%s item %d: not a Kubernetes object: %w", top.Kind, i, err)
		}
		objs = append(objs, Object{Meta: m, JSON: raw})
	}
	return objs, nil
}
