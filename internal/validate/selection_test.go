package validate

import (
	"reflect"
	"testing"

	"github.com/kpgen/kpgen/internal/render"
)

// The selection checks see every object, a List's items included, and
// their warnings stay warnings: an unselected ServiceMonitor in a List
// fails, an Alertmanager no Prometheus sends to only warns.
func TestFilesSelectionCheck(t *testing.T) {
	files := []render.File{
		{Path: "manifests/ns.yaml", JSON: []byte(`{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"monitoring"}}`)},
		{Path: "manifests/p.yaml", JSON: []byte(`{"apiVersion":"monitoring.coreos.com/v1","kind":"Prometheus","metadata":{"name":"k8s","namespace":"monitoring"},"spec":{}}`)},
		{Path: "manifests/am.yaml", JSON: []byte(`{"apiVersion":"monitoring.coreos.com/v1","kind":"Alertmanager","metadata":{"name":"main","namespace":"monitoring"},"spec":{}}`)},
		{Path: "manifests/sm.yaml", JSON: []byte(`{"apiVersion":"v1","kind":"List","items":[
			{"apiVersion":"monitoring.coreos.com/v1","kind":"ServiceMonitor","metadata":{"name":"x","namespace":"monitoring"},"spec":{}}]}`)},
	}
	r := Files(files)
	var problems, warnings []string
	for _, p := range r.Problems {
		problems = append(problems, p.String())
	}
	for _, p := range r.Warnings {
		warnings = append(warnings, p.String())
	}
	if want := []string{"manifests/sm.yaml: ServiceMonitor monitoring/x: no Prometheus selects it (Prometheus monitoring/k8s: serviceMonitorSelector is absent (selects nothing))"}; !reflect.DeepEqual(problems, want) {
		t.Errorf("problems:\n%q\nwant:\n%q", problems, want)
	}
	if want := []string{"manifests/am.yaml: Alertmanager monitoring/main: no Prometheus sends alerts to it: no spec.alerting.alertmanagers entry names a Service selecting its pods"}; !reflect.DeepEqual(warnings, want) {
		t.Errorf("warnings:\n%q\nwant:\n%q", warnings, want)
	}
}
