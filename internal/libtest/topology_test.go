package libtest

import (
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/prometheus/prometheus/model/labels"
	"sigs.k8s.io/yaml"

	"github.com/kpgen/kpgen/internal/check/relabel"
)

// Issue 11, topologies: a spoke sends alerts to the hub's Alertmanager and
// runs none; a hub shows its spokes; a management cluster scrapes its
// managed clusters through their API servers.

const spokeVars = `{ cluster: { name: 'spoke-a' }, topology: { role: 'spoke' }, prometheus: { alerting: { alertmanagers: [
	{ url: 'https://am.hub.example.com/alertmanager/', timeout: '5s',
	  basicAuth: { username: { name: 'hub-am', key: 'user' }, password: { name: 'hub-am', key: 'pass' } },
	  tlsConfig: { ca: { configMap: { name: 'hub-ca', key: 'ca.crt' } }, cert: { secret: { name: 'client', key: 'tls.crt' } }, keySecret: { name: 'client', key: 'tls.key' }, serverName: 'am' } },
	{ url: 'http://10.0.0.7:9093', authorization: { credentials: { name: 'hub-token', key: 'token' } } },
] } } }`

func TestSpoke(t *testing.T) {
	files := newStack(t, spokeVars).files()
	for p := range files {
		if strings.HasPrefix(p, "manifests/alertmanager-") {
			t.Errorf("a spoke renders %s", p)
		}
	}
	spec := get(files[promDeploy], "spec").(map[string]any)
	if _, ok := spec["alerting"]; ok {
		t.Errorf("a spoke's Prometheus is pointed at a local Alertmanager: %v", spec["alerting"])
	}
	want := map[string]any{
		"additionalAlertManagerConfigs": map[string]any{"name": "kpgen-alertmanagers", "key": "alertmanagers.yaml"},
		"secrets":                       []any{"client", "hub-am", "hub-token"},
		"configMaps":                    []any{"hub-ca"},
	}
	for k, w := range want {
		if !reflect.DeepEqual(spec[k], w) {
			t.Errorf("spec.%s = %v, want %v", k, spec[k], w)
		}
	}
	secret := files["manifests/kpgenTopology-alertmanagers.yaml"]
	var got any
	if err := yaml.Unmarshal([]byte(get(secret, "stringData", "alertmanagers.yaml").(string)), &got); err != nil {
		t.Fatal(err)
	}
	wantCfg := jsonValue(t, `[
	  {"scheme": "https", "api_version": "v2", "path_prefix": "/alertmanager", "timeout": "5s",
	   "static_configs": [{"targets": ["am.hub.example.com:443"]}],
	   "basic_auth": {"username_file": "/etc/prometheus/secrets/hub-am/user", "password_file": "/etc/prometheus/secrets/hub-am/pass"},
	   "tls_config": {"ca_file": "/etc/prometheus/configmaps/hub-ca/ca.crt", "cert_file": "/etc/prometheus/secrets/client/tls.crt",
	                  "key_file": "/etc/prometheus/secrets/client/tls.key", "server_name": "am"}},
	  {"scheme": "http", "api_version": "v2", "static_configs": [{"targets": ["10.0.0.7:9093"]}],
	   "authorization": {"type": "Bearer", "credentials_file": "/etc/prometheus/secrets/hub-token/token"}}
	]`)
	if !reflect.DeepEqual(got, wantCfg) {
		g, _ := json.Marshal(got)
		t.Errorf("alertmanagers.yaml = %s", g)
	}
}

// Alertmanagers outside the cluster on a standalone cluster: in addition
// to its own.
func TestExternalAlertmanagersBesideTheLocalOne(t *testing.T) {
	files := newStack(t, `{ cluster: { name: 'a' }, prometheus: { alerting: { alertmanagers: [{ url: 'https://am.example.com' }] } } }`).files()
	if _, ok := files["manifests/alertmanager-alertmanager.yaml"]; !ok {
		t.Error("the local Alertmanager is gone")
	}
	if get(files[promDeploy], "spec", "alerting", "alertmanagers", 0, "name") != "alertmanager-main" {
		t.Errorf("spec.alerting = %v", get(files[promDeploy], "spec", "alerting"))
	}
	if get(files[promDeploy], "spec", "additionalAlertManagerConfigs", "name") != "kpgen-alertmanagers" {
		t.Error("no additionalAlertManagerConfigs")
	}
	if _, ok := get(files[promDeploy], "spec").(map[string]any)["secrets"]; ok {
		t.Error("secrets mounted without credentials")
	}
}

func TestTopologyUnsetRendersNoTopology(t *testing.T) {
	files := newStack(t, minimal).files()
	for p := range files {
		if strings.Contains(p, "kpgenTopology") {
			t.Errorf("%s rendered without vars.topology", p)
		}
	}
	if get(files[promDeploy], "spec", "additionalAlertManagerConfigs") != nil {
		t.Error("additionalAlertManagerConfigs without alertmanagers")
	}
}

func TestTopologyProblems(t *testing.T) {
	checkProblems(t, []problemsCase{
		{
			name: "a spoke needs the hub's Alertmanager and its cluster label",
			vars: `{ cluster: { name: 'a' }, topology: { role: 'spoke' }, prometheus: { externalLabels: { cluster: null } } }`,
			want: []string{
				"vars.topology.role: a spoke runs no Alertmanager: set vars.prometheus.alerting.alertmanagers to the hub's",
				"vars.prometheus.externalLabels.cluster: a spoke needs the cluster label on every series and alert it sends (do not drop it)",
			},
		},
		{
			name: "a spoke's Alertmanager settings would be ignored",
			vars: `{ cluster: { name: 'a' }, topology: { role: 'spoke' }, prometheus: { alerting: { alertmanagers: [{ url: 'https://am.example.com' }] } },
				alertmanager: { replicas: 2, config: { receivers: { team: { webhook_configs: [{ url: { name: 'hooks', key: 'team' } }] } }, route: { receiver: 'team' } } } }`,
			want: []string{
				"vars.alertmanager.config: a spoke runs no Alertmanager: route its alerts in the hub's vars.alertmanager.config (matching its cluster label)",
				"vars.alertmanager.replicas: a spoke runs no Alertmanager",
			},
		},
		{
			name: "roles and their lists",
			vars: `{ cluster: { name: 'a' }, topology: { role: 'spoke', spokes: [{ name: 'b', url: 'https://b.example.com' }], store: { url: 'http://s:9090' },
				managedClusters: [{ name: 'm', apiServer: 'https://m:6443' }] },
				prometheus: { alerting: { alertmanagers: [{ url: 'https://am' }] } } }`,
			want: []string{
				`vars.topology.spokes: only a hub (vars.topology.role: "hub") has spokes`,
				`vars.topology.store: only a hub (vars.topology.role: "hub") shows a central store`,
				`vars.topology.managedClusters: only a management cluster (vars.topology.role: "management") scrapes managed clusters`,
			},
		},
		{
			name: "a hub and a management cluster need their lists",
			vars: `{ cluster: { name: 'a' }, topology: { role: 'hub' } }`,
			want: []string{"vars.topology.role: a hub needs vars.topology.spokes or vars.topology.store"},
		},
		{
			name: "a management cluster needs managed clusters",
			vars: `{ cluster: { name: 'a' }, topology: { role: 'managment' } }`,
			want: []string{`vars.topology.role: expected one of "standalone", "spoke", "hub", "management", got "managment" (did you mean "management"?)`},
		},
		{
			name: "names are unique and not the cluster's own",
			vars: `{ cluster: { name: 'hub' }, topology: { role: 'hub', spokes: [
				{ name: 'b', url: 'https://b.example.com' }, { name: 'b', url: 'https://c.example.com' }, { name: 'hub', url: 'https://h.example.com' }, { name: 'd' },
				{ name: 'e', url: null, federate: { url: 'https://e.example.com', match: ['up'] } },
			] } }`,
			want: []string{
				`vars.topology.spokes[1].name: "b" is also the name of vars.topology.spokes[0]`,
				`vars.topology.spokes[2].name: "hub" is this cluster (vars.cluster.name)`,
				"vars.topology.spokes[3]: needs url (a Grafana datasource), federate (the hub scrapes its /federate), or both",
				"vars.topology.spokes[4].url: null: leave the key out instead",
			},
		},
		{
			name: "credentials only by Secret reference",
			vars: `{ cluster: { name: 'a' }, prometheus: {
				alerting: { alertmanagers: [{ url: 'am.example.com', basicAuth: { username: 'u', password: 'p' }, authorization: { credentials: 'tok' },
				  tlsConfig: { ca: { secret: { name: 'c', key: 'ca' }, configMap: { name: 'c', key: 'ca' } }, cert: { secret: { name: 'c', key: 'crt' } } } }] },
				remoteWrite: [{ url: 'https://rw', bearerToken: 'tok', writeRelabelConfigs: [{ action: 'dropp', sourceLabels: ['__name__', '0x'] }] }],
			} }`,
			want: []string{
				"vars.prometheus.alerting.alertmanagers[0].authorization.credentials: expected a reference to an existing Secret ({ name, key }), got string (credentials are never values in vars)",
				"vars.prometheus.alerting.alertmanagers[0].basicAuth.password: expected a reference to an existing Secret ({ name, key }), got string (credentials are never values in vars)",
				"vars.prometheus.alerting.alertmanagers[0].basicAuth.username: expected a reference to an existing Secret ({ name, key }), got string (credentials are never values in vars)",
				"vars.prometheus.alerting.alertmanagers[0].tlsConfig.ca: needs exactly one of secret and configMap",
				`vars.prometheus.alerting.alertmanagers[0].url: "am.example.com" is not an http:// or https:// URL (with a host, without spaces)`,
				"vars.prometheus.remoteWrite[0].bearerToken: credentials are never values in vars: use authorization: { credentials: { name, key } } (a Secret reference)",
				`vars.prometheus.remoteWrite[0].writeRelabelConfigs[0].action: expected one of "replace", "keep", "drop", "hashmod", "labelmap", "labeldrop", "labelkeep", "lowercase", "uppercase", "keepequal", "dropequal", got "dropp" (did you mean "drop"?)`,
				`vars.prometheus.remoteWrite[0].writeRelabelConfigs[0].sourceLabels[1]: "0x" is not a label name (letters, digits and "_", not starting with a digit)`,
			},
		},
		{
			name: "a client certificate needs its key",
			vars: `{ cluster: { name: 'a' }, prometheus: { remoteWrite: [{ url: 'https://rw', tlsConfig: { cert: { secret: { name: 'c', key: 'crt' } } } }] } }`,
			want: []string{"vars.prometheus.remoteWrite[0].tlsConfig: a client certificate needs both cert and keySecret"},
		},
		{
			name: "managed clusters",
			vars: `{ cluster: { name: 'mgmt' }, topology: { role: 'management', managedClusters: [
				{ name: 'Alpha', apiServer: 'api:6443', nodeExporter: { port: 0, scheme: 'tcp' } }, { name: 'b' },
			] } }`,
			want: []string{
				`vars.topology.managedClusters[0].apiServer: "api:6443" is not an http:// or https:// URL (with a host, without spaces)`,
				`vars.topology.managedClusters[0].name: "Alpha" is not a DNS-1123 label (lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters)`,
				`vars.topology.managedClusters[0].nodeExporter.port: 0: expected a whole number from 1 to 65535`,
				`vars.topology.managedClusters[0].nodeExporter.scheme: expected one of "http", "https", got "tcp" (did you mean "http"?)`,
				"vars.topology.managedClusters[1].apiServer: required",
			},
		},
	})
}

func TestHub(t *testing.T) {
	files := newStack(t, `{ cluster: { name: 'hub' }, topology: { role: 'hub',
		store: { type: 'mimir', url: 'http://mimir.mimir.svc:8080/prometheus', secureJsonData: { httpHeaderValue1: { name: 'mimir', key: 'tenant' } }, jsonData: { httpHeaderName1: 'X-Scope-OrgID', note: 'costs $5' } },
		spokes: [
			{ name: 'a', url: 'https://prom.a.example.com' },
			{ name: 'b', federate: { url: 'https://prom.b.example.com/prometheus', match: ['{__name__="ALERTS"}'], authorization: { credentials: { name: 'b', key: 'token' } } } },
		] } }`).files()
	ds := datasources(t, files)
	names := []string{}
	for _, d := range ds {
		names = append(names, get(d, "name").(string))
	}
	if !reflect.DeepEqual(names, []string{"prometheus", "a", "central"}) {
		t.Errorf("datasources %v, want prometheus (kube-prometheus'), a (spoke with a url), central (the store)", names)
	}
	if w := jsonValue(t, `{"name": "central", "type": "prometheus", "uid": "kpgen-store", "url": "http://mimir.mimir.svc:8080/prometheus", "access": "proxy", "editable": false,
		"jsonData": {"prometheusType": "Mimir", "httpHeaderName1": "X-Scope-OrgID", "note": "costs $$5"}, "secureJsonData": {"httpHeaderValue1": "$KPGEN_STORE_httpHeaderValue1"}}`); !reflect.DeepEqual(ds[2], w) {
		g, _ := json.Marshal(ds[2])
		t.Errorf("store datasource %s", g)
	}
	env := get(files["manifests/grafana-deployment.yaml"], "spec", "template", "spec", "containers", 0, "env")
	if w := jsonValue(t, `[{"name": "KPGEN_STORE_httpHeaderValue1", "valueFrom": {"secretKeyRef": {"name": "mimir", "key": "tenant"}}}]`); !reflect.DeepEqual(env, w) {
		t.Errorf("grafana env %v", env)
	}
	fed := files["manifests/kpgenTopology-federate-b.yaml"]
	if w := jsonValue(t, `{"honorLabels": true, "metricsPath": "/prometheus/federate", "params": {"match[]": ["{__name__=\"ALERTS\"}"]}, "scheme": "HTTPS",
		"staticConfigs": [{"targets": ["prom.b.example.com:443"], "labels": {"cluster": "b"}}],
		"authorization": {"credentials": {"name": "b", "key": "token"}}}`); !reflect.DeepEqual(get(fed, "spec"), w) {
		g, _ := json.Marshal(get(fed, "spec"))
		t.Errorf("federation ScrapeConfig spec %s", g)
	}
	if _, ok := files["manifests/alertmanager-alertmanager.yaml"]; !ok {
		t.Error("the hub has no Alertmanager")
	}
}

// A discovered target of the fixture: its labels before relabelling.
type target map[string]string

func (tg target) labels() labels.Labels { return labels.FromMap(tg) }

// The management cluster's ScrapeConfigs, their relabelings replayed on
// discovered targets with Prometheus's own relabelling: each kept target
// is scraped at the API server's proxy path, labelled with the managed
// cluster.
func TestManagedClusterScrapeConfigsReplay(t *testing.T) {
	files := newStack(t, `{ cluster: { name: 'mgmt' }, topology: { role: 'management', managedClusters: [
		{ name: 'wc-a', apiServer: 'https://api.wc-a.example.com:6443', authorization: { credentials: { name: 'wc-a', key: 'token' } },
		  tlsConfig: { ca: { secret: { name: 'wc-a', key: 'ca.crt' } } } },
		{ name: 'wc-b', apiServer: 'https://rancher.example.com/k8s/clusters/c-123', scrapeInterval: '60s', cadvisor: false,
		  nodeExporter: { namespace: 'monitoring', port: 9443, scheme: 'https', labelSelector: 'app=ne' } },
	] } }`).files()
	var got []string
	for p := range files {
		if strings.HasPrefix(p, "manifests/kpgenTopology-") {
			got = append(got, p)
		}
	}
	sort.Strings(got)
	wantFiles := []string{
		"manifests/kpgenTopology-managed-wc-a-cadvisor.yaml",
		"manifests/kpgenTopology-managed-wc-a-kubelet.yaml",
		"manifests/kpgenTopology-managed-wc-a-node-exporter.yaml",
		"manifests/kpgenTopology-managed-wc-b-kubelet.yaml",
		"manifests/kpgenTopology-managed-wc-b-node-exporter.yaml",
	}
	if !reflect.DeepEqual(got, wantFiles) {
		t.Fatalf("files %v, want %v", got, wantFiles)
	}
	node := target{"__address__": "10.0.1.5:10250", "__scheme__": "https", "__metrics_path__": "/metrics", "job": "scrapeConfig/monitoring/x",
		"__meta_kubernetes_node_name": "ip-10-0-1-5", "__meta_kubernetes_node_label_kubernetes_io_os": "linux"}
	pod := func(port, ns string) target {
		return target{"__address__": "10.0.1.5:" + port, "__scheme__": "https", "__metrics_path__": "/metrics", "job": "scrapeConfig/monitoring/x",
			"__meta_kubernetes_namespace": ns, "__meta_kubernetes_pod_name": "node-exporter-x7k2p",
			"__meta_kubernetes_pod_node_name": "ip-10-0-1-5", "__meta_kubernetes_pod_container_port_number": port}
	}
	tests := []struct {
		file   string
		in     target
		want   map[string]string // nil: dropped
		sd     string            // kubernetesSDConfigs[0].role
		scheme string
	}{
		{"managed-wc-a-kubelet", node, map[string]string{
			"__address__": "api.wc-a.example.com:6443", "__metrics_path__": "/api/v1/nodes/ip-10-0-1-5/proxy/metrics",
			"cluster": "wc-a", "job": "kubelet", "instance": "ip-10-0-1-5", "node": "ip-10-0-1-5", "metrics_path": "/metrics"}, "Node", "HTTPS"},
		{"managed-wc-a-cadvisor", node, map[string]string{
			"__address__": "api.wc-a.example.com:6443", "__metrics_path__": "/api/v1/nodes/ip-10-0-1-5/proxy/metrics/cadvisor",
			"cluster": "wc-a", "job": "kubelet", "instance": "ip-10-0-1-5", "node": "ip-10-0-1-5", "metrics_path": "/metrics/cadvisor"}, "Node", "HTTPS"},
		{"managed-wc-a-node-exporter", pod("9100", "kube-system"), map[string]string{
			"__address__": "api.wc-a.example.com:6443", "__metrics_path__": "/api/v1/namespaces/kube-system/pods/node-exporter-x7k2p:9100/proxy/metrics",
			"cluster": "wc-a", "job": "node-exporter", "instance": "ip-10-0-1-5", "node": "ip-10-0-1-5", "namespace": "kube-system", "pod": "node-exporter-x7k2p"}, "Pod", "HTTPS"},
		{"managed-wc-a-node-exporter", pod("9101", "kube-system"), nil, "Pod", "HTTPS"},
		{"managed-wc-b-kubelet", node, map[string]string{
			"__address__": "rancher.example.com:443", "__metrics_path__": "/k8s/clusters/c-123/api/v1/nodes/ip-10-0-1-5/proxy/metrics",
			"cluster": "wc-b", "job": "kubelet", "instance": "ip-10-0-1-5", "node": "ip-10-0-1-5", "metrics_path": "/metrics"}, "Node", "HTTPS"},
		{"managed-wc-b-node-exporter", pod("9443", "monitoring"), map[string]string{
			"__address__": "rancher.example.com:443", "__metrics_path__": "/k8s/clusters/c-123/api/v1/namespaces/monitoring/pods/https:node-exporter-x7k2p:9443/proxy/metrics",
			"cluster": "wc-b", "job": "node-exporter", "instance": "ip-10-0-1-5", "node": "ip-10-0-1-5", "namespace": "monitoring", "pod": "node-exporter-x7k2p"}, "Pod", "HTTPS"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			o := files["manifests/kpgenTopology-"+tt.file+".yaml"]
			if o["kind"] != "ScrapeConfig" || o["apiVersion"] != "monitoring.coreos.com/v1alpha1" {
				t.Fatalf("%v %v", o["apiVersion"], o["kind"])
			}
			if r := get(o, "spec", "kubernetesSDConfigs", 0, "role"); r != tt.sd {
				t.Errorf("role %v, want %s", r, tt.sd)
			}
			if s := get(o, "spec", "scheme"); s != tt.scheme {
				t.Errorf("scheme %v, want %s", s, tt.scheme)
			}
			raw, _ := json.Marshal(get(o, "spec", "relabelings"))
			var crd []relabel.CRDConfig
			if err := json.Unmarshal(raw, &crd); err != nil {
				t.Fatal(err)
			}
			cfgs, err := relabel.Convert(crd)
			if err != nil {
				t.Fatal(err)
			}
			out, kept := relabel.Process(tt.in.labels(), cfgs)
			if tt.want == nil {
				if kept {
					t.Errorf("target kept: %v", out)
				}
				return
			}
			if !kept {
				t.Fatal("target dropped")
			}
			for k, v := range tt.want {
				if out.Get(k) != v {
					t.Errorf("%s = %q, want %q", k, out.Get(k), v)
				}
			}
		})
	}
	a := files["manifests/kpgenTopology-managed-wc-a-kubelet.yaml"]
	if w := jsonValue(t, `[{"apiServer": "https://api.wc-a.example.com:6443", "role": "Node", "authorization": {"credentials": {"name": "wc-a", "key": "token"}},
		"tlsConfig": {"ca": {"secret": {"name": "wc-a", "key": "ca.crt"}}}}]`); !reflect.DeepEqual(get(a, "spec", "kubernetesSDConfigs"), w) {
		t.Errorf("kubernetesSDConfigs %v", get(a, "spec", "kubernetesSDConfigs"))
	}
	if get(a, "spec", "authorization", "credentials", "name") != "wc-a" || get(a, "spec", "tlsConfig", "ca", "secret", "name") != "wc-a" {
		t.Errorf("the scrape itself does not authenticate to the API server: %v", get(a, "spec"))
	}
	b := files["manifests/kpgenTopology-managed-wc-b-node-exporter.yaml"]
	if w := jsonValue(t, `{"names": ["monitoring"]}`); !reflect.DeepEqual(get(b, "spec", "kubernetesSDConfigs", 0, "namespaces"), w) {
		t.Errorf("namespaces %v", get(b, "spec", "kubernetesSDConfigs", 0, "namespaces"))
	}
	if get(b, "spec", "kubernetesSDConfigs", 0, "selectors", 0, "label") != "app=ne" || get(b, "spec", "scrapeInterval") != "60s" {
		t.Errorf("selector or interval: %v", get(b, "spec"))
	}
	// Prometheus selects them: its scrapeConfigSelector and namespace
	// selector are {} (the wiring asserts it at render time).
	if w := jsonValue(t, `{}`); !reflect.DeepEqual(get(files[promDeploy], "spec", "scrapeConfigSelector"), w) {
		t.Errorf("scrapeConfigSelector %v", get(files[promDeploy], "spec", "scrapeConfigSelector"))
	}
}
