package testutil

import (
	"os"
	"path/filepath"
	"testing"
)

func TestProjectHasStandinVendored(t *testing.T) {
	dir := Project(t, map[string]string{"a.jsonnet": "{cluster: {name: 'a'}}"})
	for _, p := range []string{
		"jsonnet/jsonnetfile.json",
		"jsonnet/lib/main.jsonnet",
		"jsonnet/vendor/kube-prometheus/main.libsonnet",
		"vars/a.jsonnet",
	} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
}
