package libtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/golang/snappy"
	"github.com/prometheus/prometheus/prompb"
	"sigs.k8s.io/yaml"

	"github.com/kpgen/kpgen/internal/check/relabel"
)

// A real Prometheus (Debian's prometheus package, which .ci/run installs
// for promtool) runs a rendered spoke's remote write and alerting, its
// Prometheus object translated into prometheus.yml the way
// prometheus-operator does it, pointed at loopback servers: a remote-write
// receiver and a fake central Alertmanager. Series must arrive with the
// cluster label, without what the write relabel configs drop, and the
// spoke's always-firing alert must reach the Alertmanager with the spoke's
// credentials. Skipped without the binary unless CI is set.
func TestSpokeOnARealPrometheus(t *testing.T) {
	bin, err := exec.LookPath("prometheus")
	if err != nil {
		if os.Getenv("CI") == "" {
			t.Skip("prometheus not installed (apt-get install prometheus); required when CI is set")
		}
		t.Fatal("CI is set and the prometheus binary is missing: ", err)
	}

	rw := newReceiver(t)
	am := newFakeAlertmanager(t)
	vars := fmt.Sprintf(`{
	  cluster: { name: 'spoke-a', environment: 'test' },
	  topology: { role: 'spoke' },
	  prometheus: {
	    alerting: { alertmanagers: [{ url: '%s/hub', authorization: { credentials: { name: 'hub-am', key: 'token' } } }] },
	    remoteWrite: [{
	      url: '%s/api/v1/receive',
	      authorization: { credentials: { name: 'hub-rw', key: 'token' } },
	      queueConfig: { batchSendDeadline: '500ms' },
	      writeRelabelConfigs: [{ action: 'drop', sourceLabels: ['__name__'], regex: 'go_.*' }],
	    }],
	  },
	  rules: { groups: { 'spoke-test': { interval: '1s', rules: [{ alert: 'SpokeAlwaysFiring', expr: 'vector(1)', labels: { severity: 'warning' } }] } } },
	}`, am.URL, rw.URL)
	files := newStack(t, vars).files()

	dir := t.TempDir()
	secrets := map[string]string{"hub-am/token": "am-secret-token", "hub-rw/token": "rw-secret-token"}
	for p, v := range secrets {
		writeFile(t, filepath.Join(dir, "secrets", p), v)
	}
	port := freePort(t)
	cfg := operatorConfig(t, files, dir, secrets, port)
	writeFile(t, filepath.Join(dir, "prometheus.yml"), cfg)
	groups, _ := json.Marshal(map[string]any{"groups": get(files["manifests/kpgenCustom-prometheusRule.yaml"], "spec", "groups")})
	writeFile(t, filepath.Join(dir, "rules.yml"), string(groups))

	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin,
		"--config.file="+filepath.Join(dir, "prometheus.yml"),
		"--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address=127.0.0.1:"+port,
		// The first alert may come before the Alertmanager is discovered
		// (dropped): resend it within a second, not a minute.
		"--rules.alert.resend-delay=1s",
		"--log.level=warn")
	var log strings.Builder
	cmd.Stdout, cmd.Stderr = &log, &log
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })

	deadline := time.Now().Add(40 * time.Second)
	for time.Now().Before(deadline) && !(rw.seen("up") && am.fired("SpokeAlwaysFiring")) {
		time.Sleep(200 * time.Millisecond)
	}
	if !rw.seen("up") || !am.fired("SpokeAlwaysFiring") {
		t.Fatalf("remote write saw up: %v, Alertmanager saw the alert: %v (requests: %q)\nPrometheus' Alertmanagers: %s\nPrometheus' alerts: %s\nprometheus.yml:\n%s\nprometheus log:\n%s",
			rw.seen("up"), am.fired("SpokeAlwaysFiring"), am.requests(), apiGet(port, "alertmanagers"), apiGet(port, "alerts")+notifierMetrics(port), cfg, log.String())
	}
	rw.check(t)
	am.check(t)
}

// operatorConfig is prometheus.yml as prometheus-operator generates it from
// the rendered Prometheus object (external labels, the operator's own
// prometheus and prometheus_replica labels, remote write with its Secret
// values read in, the additional Alertmanager configs appended, with the
// Secrets it mounts under /etc/prometheus/secrets mounted in dir), plus a
// self-scrape and the rule file.
func operatorConfig(t *testing.T, files map[string]map[string]any, dir string, secrets map[string]string, port string) string {
	t.Helper()
	prom := files[promDeploy]
	var spec struct {
		ExternalLabels map[string]string `json:"externalLabels"`
		Alerting       any               `json:"alerting"`
		RemoteWrite    []struct {
			URL           string `json:"url"`
			Authorization struct {
				Credentials struct{ Name, Key string } `json:"credentials"`
			} `json:"authorization"`
			QueueConfig struct {
				BatchSendDeadline string `json:"batchSendDeadline"`
			} `json:"queueConfig"`
			WriteRelabelConfigs []relabel.CRDConfig `json:"writeRelabelConfigs"`
		} `json:"remoteWrite"`
		AdditionalAlertManagerConfigs struct{ Name, Key string } `json:"additionalAlertManagerConfigs"`
	}
	raw, _ := json.Marshal(get(prom, "spec"))
	if err := json.Unmarshal(raw, &spec); err != nil {
		t.Fatal(err)
	}
	if spec.Alerting != nil {
		t.Fatalf("the spoke's Prometheus also alerts a local Alertmanager: %v", spec.Alerting)
	}
	external := map[string]string{
		"prometheus":         fmt.Sprintf("%s/%s", get(prom, "metadata", "namespace"), get(prom, "metadata", "name")),
		"prometheus_replica": "prometheus-k8s-0",
	}
	for k, v := range spec.ExternalLabels {
		external[k] = v
	}
	var remoteWrite []map[string]any
	for _, r := range spec.RemoteWrite {
		cfgs, err := relabel.Convert(r.WriteRelabelConfigs)
		if err != nil {
			t.Fatal(err)
		}
		ref := r.Authorization.Credentials
		remoteWrite = append(remoteWrite, map[string]any{
			"url":                   r.URL,
			"authorization":         map[string]any{"type": "Bearer", "credentials": secrets[ref.Name+"/"+ref.Key]},
			"queue_config":          map[string]any{"batch_send_deadline": r.QueueConfig.BatchSendDeadline},
			"write_relabel_configs": cfgs,
		})
	}
	// The Secret the Prometheus names in additionalAlertManagerConfigs.
	var amSecret map[string]any
	for _, o := range files {
		if o["kind"] == "Secret" && get(o, "metadata", "name") == spec.AdditionalAlertManagerConfigs.Name {
			amSecret = o
		}
	}
	text, _ := get(amSecret, "stringData", spec.AdditionalAlertManagerConfigs.Key).(string)
	var alertmanagers []any
	if err := yaml.Unmarshal([]byte(strings.ReplaceAll(text, "/etc/prometheus/secrets/", filepath.Join(dir, "secrets")+"/")), &alertmanagers); err != nil || len(alertmanagers) == 0 {
		t.Fatalf("additional Alertmanager configs %q: %v", text, err)
	}
	cfg := map[string]any{
		"global":     map[string]any{"scrape_interval": "1s", "evaluation_interval": "1s", "external_labels": external},
		"rule_files": []string{filepath.Join(dir, "rules.yml")},
		"scrape_configs": []any{map[string]any{
			"job_name": "prometheus", "static_configs": []any{map[string]any{"targets": []string{"127.0.0.1:" + port}}},
		}},
		"remote_write": remoteWrite,
		"alerting":     map[string]any{"alertmanagers": alertmanagers},
	}
	b, err := yaml.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// receiver is a remote-write endpoint: snappy-compressed protobuf
// WriteRequests.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	series []map[string]string
	auth   map[string]bool
	errs   []string
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{auth: map[string]bool{}}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(req.Body)
		var wr prompb.WriteRequest
		if err == nil {
			body, err = snappy.Decode(nil, body)
		}
		if err == nil {
			err = wr.Unmarshal(body)
		}
		r.mu.Lock()
		defer r.mu.Unlock()
		r.auth[req.Header.Get("Authorization")] = true
		if req.URL.Path != "/api/v1/receive" || err != nil {
			r.errs = append(r.errs, fmt.Sprintf("%s: %v", req.URL.Path, err))
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		for _, ts := range wr.Timeseries {
			l := map[string]string{}
			for _, x := range ts.Labels {
				l[x.Name] = x.Value
			}
			r.series = append(r.series, l)
		}
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) seen(name string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, s := range r.series {
		if s["__name__"] == name {
			return true
		}
	}
	return false
}

func (r *receiver) check(t *testing.T) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.errs) > 0 {
		t.Errorf("remote write requests refused: %v", r.errs)
	}
	if !r.auth["Bearer rw-secret-token"] || len(r.auth) != 1 {
		t.Errorf("remote write Authorization headers %v, want only the hub-rw Secret's token", r.auth)
	}
	for _, s := range r.series {
		if s["cluster"] != "spoke-a" || s["environment"] != "test" {
			t.Fatalf("a series without the spoke's cluster and environment labels: %v", s)
		}
		if strings.HasPrefix(s["__name__"], "go_") {
			t.Fatalf("a series the write relabel configs drop arrived: %v", s)
		}
	}
}

// fakeAlertmanager is the central Alertmanager's API v2 alerts endpoint.
type fakeAlertmanager struct {
	*httptest.Server
	mu     sync.Mutex
	alerts []map[string]string // labels
	reqs   []string            // method, path and Authorization of each request
}

func newFakeAlertmanager(t *testing.T) *fakeAlertmanager {
	a := &fakeAlertmanager{}
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var alerts []struct {
			Labels map[string]string `json:"labels"`
		}
		err := json.NewDecoder(req.Body).Decode(&alerts)
		a.mu.Lock()
		defer a.mu.Unlock()
		a.reqs = append(a.reqs, req.Method+" "+req.URL.Path+" "+req.Header.Get("Authorization"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		for _, x := range alerts {
			a.alerts = append(a.alerts, x.Labels)
		}
	}))
	t.Cleanup(a.Close)
	return a
}

func (a *fakeAlertmanager) fired(name string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, l := range a.alerts {
		if l["alertname"] == name {
			return true
		}
	}
	return false
}

func (a *fakeAlertmanager) check(t *testing.T) {
	t.Helper()
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, r := range a.reqs {
		if r != "POST /hub/api/v2/alerts Bearer am-secret-token" {
			t.Errorf("Alertmanager request %q, want POST /hub/api/v2/alerts with the hub-am Secret's token", r)
		}
	}
	for _, l := range a.alerts {
		if l["alertname"] == "SpokeAlwaysFiring" && (l["cluster"] != "spoke-a" || l["severity"] != "warning") {
			t.Errorf("alert labels %v, want cluster spoke-a", l)
		}
	}
}

func (a *fakeAlertmanager) requests() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.reqs...)
}

// apiGet is Prometheus' /api/v1/<what>, for a failure's message.
func apiGet(port, what string) string {
	resp, err := http.Get("http://127.0.0.1:" + port + "/api/v1/" + what)
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// notifierMetrics are Prometheus' prometheus_notifications_* metrics.
func notifierMetrics(port string) string {
	resp, err := http.Get("http://127.0.0.1:" + port + "/metrics")
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "prometheus_notifications_") {
			out = append(out, l)
		}
	}
	return "\n" + strings.Join(out, "\n")
}

func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	_, port, _ := net.SplitHostPort(l.Addr().String())
	return port
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}
