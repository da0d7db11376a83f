package cli

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/testutil"
)

// A dashboard ConfigMap too large for a client-side apply: without
// apply.serverSide the build warns, naming it, and writes the output as
// rendered; with it, exactly that object carries ArgoCD's
// ServerSideApply=true sync option, and the warning is gone.
func TestApplyServerSide(t *testing.T) {
	const vars = `{ cluster: { name: 'standin' }, patches: [function(stack, cfg) stack { extra+: {
	  big: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', namespace: cfg.namespace }, data: { 'd.json': std.repeat('x', 300000) } },
	  small: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'small', namespace: cfg.namespace }, data: { 'd.json': 'x' } } } }] %s }
`
	dir := testutil.Project(t, map[string]string{"standin.jsonnet": strings.Replace(vars, "%s", "", 1)})
	path := filepath.Join(dir, "vars", "standin.jsonnet")
	manifests := filepath.Join(dir, "out", "standin", "manifests")
	const annotation = "argocd.argoproj.io/sync-options: ServerSideApply=true"

	code, _, stderr := run("build", "--no-cache", path)
	warning := "WARNING: standin: manifests/extra-big.yaml: ConfigMap monitoring/big: a client-side apply makes metadata.annotations 300,159 bytes"
	if code != 0 || !strings.Contains(stderr, warning) || !strings.Contains(stderr, "or set vars apply.serverSide: true") {
		t.Fatalf("exit %d, stderr:\n%.2000s\nwant: %s", code, stderr, warning)
	}
	before := testutil.Snapshot(t, manifests)
	for f, content := range before {
		if strings.Contains(content, annotation) {
			t.Errorf("%s: annotated without apply.serverSide", f)
		}
	}

	testutil.WriteFile(t, path, strings.Replace(vars, "%s", ", apply: { serverSide: true }", 1))
	code, _, stderr = run("build", "--no-cache", path)
	if code != 0 || strings.Contains(stderr, "client-side apply") {
		t.Fatalf("exit %d, stderr:\n%.2000s", code, stderr)
	}
	after := testutil.Snapshot(t, manifests)
	var annotated []string
	for f, content := range after {
		if strings.Contains(content, annotation) {
			annotated = append(annotated, f)
		} else if content != before[f] {
			t.Errorf("%s changed", f)
		}
	}
	if len(annotated) != 1 || annotated[0] != "extra-big.yaml" {
		t.Errorf("annotated: %v, want [extra-big.yaml]", annotated)
	}
	if got, want := after["extra-big.yaml"], strings.Replace(before["extra-big.yaml"], "metadata:\n", "metadata:\n  annotations:\n    "+annotation+"\n", 1); got != want {
		t.Errorf("extra-big.yaml is not the old file with the annotation:\n%.400s", got)
	}
}
