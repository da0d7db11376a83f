package selection

import (
	"encoding/base64"
	"testing"
)

func svc(ns, name string, selector map[string]string, ports ...m) m {
	spec := m{"ports": ports}
	if selector != nil {
		spec["selector"] = selector
	}
	return object("v1", "Service", ns, name, nil, m{"spec": spec})
}

func TestAlertmanagers(t *testing.T) {
	p := func(entries ...m) m { return prom(m{"alerting": m{"alertmanagers": entries}}) }
	entry := func(ns, name, port string) m {
		return m{"namespace": ns, "name": name, "port": port, "apiVersion": "v2"}
	}
	am := object(monitoringV1, "Alertmanager", "monitoring", "main", nil, m{"spec": m{"podMetadata": m{"labels": m{"app.kubernetes.io/part-of": "kp"}}}})
	amSvc := svc("monitoring", "alertmanager-main", map[string]string{"alertmanager": "main", "app.kubernetes.io/part-of": "kp"}, m{"name": "web", "port": 9093})

	check(t, "referenced", []m{p(entry("monitoring", "alertmanager-main", "web")), am, amSvc}, nil)
	check(t, "a Service not rendered", []m{p(entry("monitoring", "alertmanager-mian", "web")), amSvc},
		[]string{`prometheus-k8s.yaml: Prometheus monitoring/k8s: spec.alerting.alertmanagers[0]: Service monitoring/alertmanager-mian is not rendered (Services of "monitoring": alertmanager-main)`})
	check(t, "a port the Service lacks", []m{p(entry("monitoring", "alertmanager-main", "http")), amSvc, am},
		[]string{`prometheus-k8s.yaml: Prometheus monitoring/k8s: spec.alerting.alertmanagers[0]: Service monitoring/alertmanager-main has no port "http" (ports: web)`})
	check(t, "a namespace without rendered Services", []m{p(entry("elsewhere", "alertmanager", "web"))}, nil)
	check(t, "an Alertmanager no Prometheus sends to", []m{p(), am, amSvc},
		[]string{"warning: alertmanager-main.yaml: Alertmanager monitoring/main: no Prometheus sends alerts to it: no spec.alerting.alertmanagers entry names a Service selecting its pods"})
	check(t, "a Service selecting another Alertmanager's pods", []m{p(entry("monitoring", "am-other", "web")), am, amSvc,
		svc("monitoring", "am-other", map[string]string{"alertmanager": "other"}, m{"name": "web", "port": 9093})},
		[]string{"warning: alertmanager-main.yaml: Alertmanager monitoring/main: no Prometheus sends alerts to it: no spec.alerting.alertmanagers entry names a Service selecting its pods"})
}

func TestDatasources(t *testing.T) {
	ds := func(urls ...string) m {
		y := "apiVersion: 1\ndatasources:\n"
		for i, u := range urls {
			y += "- name: ds" + string(rune('0'+i)) + "\n  url: " + u + "\n"
		}
		return object("v1", "Secret", "monitoring", "grafana-datasources", nil, m{"stringData": m{"datasources.yaml": y}})
	}
	promSvc := svc("monitoring", "prometheus-k8s", nil, m{"name": "web", "port": 9090}, m{"name": "reloader", "port": 8080})
	const where = "secret-grafana-datasources.yaml: Secret monitoring/grafana-datasources: stringData \"datasources.yaml\": "

	check(t, "a rendered Service and port", []m{ds("http://prometheus-k8s.monitoring.svc:9090", "http://prometheus-k8s.monitoring.svc.cluster.local:8080/"), promSvc}, nil)
	check(t, "external and other namespaces are not checked", []m{ds("https://thanos.example.org", "http://thanos.storage.svc:10902", "http://10.0.0.1:9090"), promSvc}, nil)
	check(t, "a Service not rendered", []m{ds("http://prometheus.monitoring.svc:9090"), promSvc},
		[]string{where + `datasource "ds0": url http://prometheus.monitoring.svc:9090: Service monitoring/prometheus is not rendered (Services of "monitoring": prometheus-k8s)`})
	check(t, "a port the Service lacks", []m{ds("http://prometheus-k8s.monitoring.svc:9091", "https://prometheus-k8s.monitoring.svc"), promSvc},
		[]string{
			where + `datasource "ds0": url http://prometheus-k8s.monitoring.svc:9091: Service monitoring/prometheus-k8s has no port 9091 (ports: 9090, 8080)`,
			where + `datasource "ds1": url https://prometheus-k8s.monitoring.svc: Service monitoring/prometheus-k8s has no port 443 (ports: 9090, 8080)`,
		})
	enc := object("v1", "Secret", "monitoring", "grafana-datasources", nil, m{"data": m{"datasources.yaml": base64.StdEncoding.EncodeToString([]byte(`{"datasources":[{"name":"p","url":"http://nope.monitoring.svc:9090"}]}`))}})
	check(t, "base64 data, JSON content", []m{enc, promSvc},
		[]string{`secret-grafana-datasources.yaml: Secret monitoring/grafana-datasources: data "datasources.yaml": datasource "p": url http://nope.monitoring.svc:9090: Service monitoring/nope is not rendered (Services of "monitoring": prometheus-k8s)`})
}
