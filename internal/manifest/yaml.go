// Package manifest turns rendered objects into the files kpgen writes: YAML
// encoded exactly as upstream's pipeline (go-jsonnet → gojsontoyaml) does, at
// paths that are checked to stay inside the cluster's output directory.
package manifest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	yamlv2 "go.yaml.in/yaml/v2"
)

func init() {
	// gojsontoyaml, which upstream's build.sh uses, never folds long strings;
	// go-yaml v2 folds them at 80 columns unless told not to. This switch is
	// process-wide, and it is what every caller of this package wants.
	yamlv2.FutureLineWrap()
}

// ToYAML converts one JSON document to YAML with sorted keys, byte-identical to
// `gojsontoyaml` (and sigs.k8s.io/yaml's JSONToYAML) on the same input.
//
// Those parse the JSON with go-yaml and marshal what they get. go-yaml's
// parser is slow on megabytes of JSON; encoding/json builds the same values
// several times faster, as long as numbers become what go-yaml would have
// made of them: int (or uint64) when the literal is an integer, float64
// otherwise.
func ToYAML(j []byte) ([]byte, error) {
	if !utf8.Valid(j) { // encoding/json would replace the bytes; go-yaml refuses them
		return nil, fmt.Errorf("the document is not valid UTF-8")
	}
	d := json.NewDecoder(bytes.NewReader(j))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := d.Token(); err != io.EOF {
		return nil, fmt.Errorf("trailing data after the JSON document")
	}
	v, err := yamlNumbers(v)
	if err != nil {
		return nil, err
	}
	return yamlv2.Marshal(v)
}

func yamlNumbers(v any) (any, error) {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if k == "<<" {
				// go-yaml writes it bare, and every YAML 1.1 reader
				// (kubectl, kustomize, the API server) takes it for a merge.
				return nil, fmt.Errorf(`a key "<<": YAML readers take it for a merge key, not a name`)
			}
			c, err := yamlNumbers(e)
			if err != nil {
				return nil, err
			}
			t[k] = c
		}
	case []any:
		for i, e := range t {
			c, err := yamlNumbers(e)
			if err != nil {
				return nil, err
			}
			t[i] = c
		}
	case json.Number:
		s := string(t)
		if i, err := strconv.ParseInt(s, 10, 64); err == nil {
			return int(i), nil
		}
		if u, err := strconv.ParseUint(s, 10, 64); err == nil {
			return u, nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			// go-yaml would write .inf; no Kubernetes field means that.
			return nil, fmt.Errorf("number %s is out of range (a float64)", s)
		}
		return f, nil
	}
	return v, nil
}
