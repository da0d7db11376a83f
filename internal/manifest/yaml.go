// Package manifest turns rendered objects into the files kpgen writes: YAML
// encoded exactly as upstream's pipeline (go-jsonnet → gojsontoyaml) does, at
// paths that are checked to stay inside the cluster's output directory.
package manifest

import (
	yamlv2 "go.yaml.in/yaml/v2"
	"sigs.k8s.io/yaml"
)

func init() {
	// gojsontoyaml, which upstream's build.sh uses, never folds long strings;
	// go-yaml v2 folds them at 80 columns unless told not to. This switch is
	// process-wide, and it is what every caller of this package wants.
	yamlv2.FutureLineWrap()
}

// ToYAML converts one JSON document to YAML with sorted keys, byte-identical to
// `gojsontoyaml` on the same input.
func ToYAML(j []byte) ([]byte, error) {
	return yaml.JSONToYAML(j)
}
