package cli

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/testutil"
)

// A vars patch adding a ServiceMonitor in a namespace Prometheus has no
// Role in fails the build, nothing written; narrowing Prometheus's
// serviceMonitorNamespaceSelector so it no longer selects the namespace
// fails it with the selector's reason instead.
func TestSelectionFailsTheBuild(t *testing.T) {
	const vars = `{ cluster: { name: 'standin' }, patches: [function(stack, cfg) stack { extra+: { serviceMonitor: {
	  apiVersion: 'monitoring.coreos.com/v1', kind: 'ServiceMonitor', metadata: { name: 'payments', namespace: 'payments' },
	  spec: { selector: { matchLabels: { app: 'payments' } }, endpoints: [{ port: 'metrics' }] } } }%s }] }
`
	dir := testutil.Project(t, map[string]string{"standin.jsonnet": strings.Replace(vars, "%s", "", 1)})
	path := filepath.Join(dir, "vars", "standin.jsonnet")
	out := filepath.Join(dir, "out")
	want := "FAILED: standin (vars/standin.jsonnet): 1 problem(s), nothing written:\n" +
		"  manifests/extra-serviceMonitor.yaml: ServiceMonitor payments/payments: Prometheus monitoring/k8s (ServiceAccount monitoring/prometheus-k8s) cannot list or watch services, endpointslices.discovery.k8s.io, pods in namespace \"payments\": no Role or ClusterRole bound to it there allows it\n"
	code, _, stderr := run("build", "--no-cache", path)
	stderr = withoutWarnings(stderr) // the apply check's: namespace payments is not rendered
	if code != 1 || stderr != want {
		t.Fatalf("exit %d, stderr:\n%s\nwant:\n%s", code, stderr, want)
	}
	if snap := testutil.Snapshot(t, out); len(snap) != 0 {
		t.Errorf("written: %v", keys(snap))
	}

	// A good build, then Prometheus no longer selecting the namespace: the
	// old output stays.
	testutil.WriteFile(t, path, minimalVars)
	if code, _, stderr := run("build", "--no-cache", path); code != 0 {
		t.Fatalf("build: %s", stderr)
	}
	before := testutil.Snapshot(t, out)
	testutil.WriteFile(t, path, strings.Replace(vars, "%s",
		", prometheus+: { prometheus+: { spec+: { serviceMonitorNamespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: ['payments'] }] } } } }", 1))
	want = "FAILED: standin (vars/standin.jsonnet): 1 problem(s), nothing written:\n" +
		"  manifests/extra-serviceMonitor.yaml: ServiceMonitor payments/payments: no Prometheus selects it (Prometheus monitoring/k8s: serviceMonitorSelector {} matches, serviceMonitorNamespaceSelector {matchExpressions: [{key: kubernetes.io/metadata.name, operator: NotIn, values: [payments]}]} does not match namespace \"payments\")\n"
	code, _, stderr = run("build", "--no-cache", path)
	stderr = withoutWarnings(stderr)
	if code != 1 || stderr != want {
		t.Errorf("rebuild: exit %d, stderr:\n%s\nwant:\n%s", code, stderr, want)
	}
	if after := testutil.Snapshot(t, out); !reflect.DeepEqual(before, after) {
		t.Error("the failed build changed out/")
	}
}

// withoutWarnings drops the WARNING lines of kpgen's stderr.
func withoutWarnings(stderr string) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(stderr, "\n") {
		if !strings.HasPrefix(line, "WARNING: ") {
			b.WriteString(line)
		}
	}
	return b.String()
}
