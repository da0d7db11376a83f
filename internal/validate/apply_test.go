package validate

import (
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/render"
)

// The apply check runs on every object: its name problems fail, its
// warnings about the cluster as a whole print without a file, and an
// object refused for its size gets no advice on how to apply it.
func TestApplyCheck(t *testing.T) {
	huge := strings.Repeat("x", MaxDataBytes+1)
	rep := Files([]render.File{
		{Path: "manifests/ns.yaml", JSON: []byte(`{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"monitoring"}}`)},
		{Path: "manifests/role.yaml", JSON: []byte(`{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"Role","metadata":{"name":"prometheus-k8s","namespace":"velero"}}`)},
		{Path: "manifests/svc.yaml", JSON: []byte(`{"apiVersion":"v1","kind":"Service","metadata":{"name":"Grafana","namespace":"monitoring"}}`)},
		{Path: "manifests/huge.yaml", JSON: []byte(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"huge","namespace":"monitoring"},"data":{"d":"` + huge + `"}}`)},
	})
	check(t, "problem", rep.Problems, []string{
		"manifests/huge.yaml: ConfigMap monitoring/huge: data and binaryData hold 1,048,577 bytes, over Kubernetes' limit of 1,048,576 bytes (1 MiB) for a ConfigMap: the API server refuses it",
		`manifests/svc.yaml: Service monitoring/Grafana: metadata.name: "Grafana" (a Service's name is a DNS-1035 label): a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
	})
	check(t, "warning", rep.Warnings, []string{
		"objects in namespaces the output does not create: velero (Role prometheus-k8s). Applying them fails with `namespaces \"…\" not found` until those namespaces exist: create them first (they usually belong to the workloads monitored there; with ArgoCD, sync those applications in an earlier sync wave, or create the namespaces in one), then apply this output",
	})
}
