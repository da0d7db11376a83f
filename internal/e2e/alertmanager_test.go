package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/render"
	"github.com/kpgen/kpgen/internal/testutil"
)

// A rendered alertmanager.yaml in a real Alertmanager (Debian's
// prometheus-alertmanager): alerts posted to its API v2 reach the receivers
// the vars route them to, grouped by cluster, the Watchdog alert the dead
// man's switch. Every receiver is a webhook served by the test; the Secret
// each webhook's URL comes from is a file under a temporary directory that
// stands in for /etc/alertmanager/secrets.
const amRoutingVars = `{
  cluster: { name: 'am-e2e' },
  alertmanager: { config: {
    route: {
      receiver: 'default', group_wait: '1s', group_interval: '1s',
      routes: [
        { matchers: ['severity = "critical"'], receiver: 'critical' },
        { matchers: ['namespace = "payments"'], receiver: 'payments' },
      ],
    },
    receivers: {
      default: { webhook_configs: [{ url: { name: 'am-hooks', key: 'default' } }] },
      critical: { webhook_configs: [{ url: { name: 'am-hooks', key: 'critical' } }] },
      payments: { webhook_configs: [{ url: { name: 'am-payments', key: 'url' } }] },
      dms: { webhook_configs: [{ url: { name: 'am-hooks', key: 'dms' } }] },
    },
    watchdog: { receiver: 'dms' },
  } },
}`

// alertmanagerBinary is the Alertmanager to run: the test skips without one
// only outside CI (CI installs Debian's package: .ci/run).
func alertmanagerBinary(t *testing.T) string {
	for _, name := range []string{"prometheus-alertmanager", "alertmanager"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "" {
		t.Skip("no alertmanager binary (apt-get install prometheus-alertmanager); CI=true makes this a failure")
	}
	t.Fatal("CI is set and there is no alertmanager binary: .ci/run installs prometheus-alertmanager")
	return ""
}

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// notification is what Alertmanager's webhook posts (the fields we check).
type notification struct {
	Receiver    string            `json:"receiver"`
	GroupLabels map[string]string `json:"groupLabels"`
	Alerts      []struct {
		Labels map[string]string `json:"labels"`
	} `json:"alerts"`
}

func TestRealAlertmanagerRoutes(t *testing.T) {
	bin := alertmanagerBinary(t)
	dir := testutil.Project(t, map[string]string{"am.jsonnet": amRoutingVars})
	res, err := render.New(project.Root{Dir: dir}).Render(filepath.Join(dir, "vars", "am.jsonnet"))
	if err != nil {
		t.Fatal(err)
	}
	var config string
	for _, f := range res.Files {
		if f.Path == "manifests/alertmanager-secret.yaml" {
			var s struct {
				StringData map[string]string `json:"stringData"`
			}
			if err := json.Unmarshal(f.JSON, &s); err != nil {
				t.Fatal(err)
			}
			config = s.StringData["alertmanager.yaml"]
		}
	}
	if config == "" {
		t.Fatal("no alertmanager.yaml rendered")
	}

	var (
		mu  sync.Mutex
		got = map[string][]notification{} // URL path → notifications
	)
	hooks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var n notification
		if err := json.NewDecoder(r.Body).Decode(&n); err != nil {
			t.Errorf("webhook %s: %v", r.URL.Path, err)
		}
		mu.Lock()
		got[r.URL.Path] = append(got[r.URL.Path], n)
		mu.Unlock()
	}))
	defer hooks.Close()

	tmp := t.TempDir()
	secrets := filepath.Join(tmp, "secrets") + "/"
	for file, path := range map[string]string{
		"am-hooks/default": "/default", "am-hooks/critical": "/critical", "am-hooks/dms": "/dms", "am-payments/url": "/payments",
	} {
		testutil.WriteFile(t, filepath.Join(secrets, file), hooks.URL+path)
	}
	if !strings.Contains(config, "/etc/alertmanager/secrets/") {
		t.Fatalf("no Secret file in the configuration:\n%s", config)
	}
	config = strings.ReplaceAll(config, "/etc/alertmanager/secrets/", secrets)
	if v := alertmanagerMinor(t, bin); v < 26 {
		// Alertmanager reads a webhook's url_file from 0.26 on (kube-prometheus
		// v0.18.0 deploys 0.33); Debian's 0.25 gets the file's content, as a
		// newer Alertmanager would read it.
		config = urlFile.ReplaceAllStringFunc(config, func(m string) string {
			b, err := os.ReadFile(urlFile.FindStringSubmatch(m)[1])
			if err != nil {
				t.Fatal(err)
			}
			return fmt.Sprintf(`"url": %q`, b)
		})
	}
	cfgFile := filepath.Join(tmp, "alertmanager.yaml")
	testutil.WriteFile(t, cfgFile, config)
	if out, err := exec.Command(filepath.Join(filepath.Dir(bin), "amtool"), "check-config", cfgFile).CombinedOutput(); err != nil {
		t.Fatalf("amtool check-config: %v\n%s", err, out)
	}

	addr := freePort(t)
	cmd := exec.Command(bin, "--config.file="+cfgFile, "--storage.path="+filepath.Join(tmp, "data"),
		"--web.listen-address="+addr, "--cluster.listen-address=")
	var logs bytes.Buffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("alertmanager's log:\n%s", logs.String())
		}
	})
	base := "http://" + addr
	waitFor(t, 30*time.Second, "Alertmanager ready", func() bool {
		r, err := http.Get(base + "/-/ready")
		if err != nil {
			return false
		}
		r.Body.Close()
		return r.StatusCode == http.StatusOK
	})

	alert := func(labels ...string) map[string]any {
		l := map[string]string{}
		for i := 0; i < len(labels); i += 2 {
			l[labels[i]] = labels[i+1]
		}
		return map[string]any{"labels": l}
	}
	body, _ := json.Marshal([]map[string]any{
		alert("alertname", "Watchdog", "severity", "none", "cluster", "c1"),
		alert("alertname", "NodeDown", "severity", "critical", "cluster", "c1", "namespace", "ops"),
		alert("alertname", "NodeDown", "severity", "critical", "cluster", "c2", "namespace", "ops"),
		alert("alertname", "PaymentsAPIDown", "severity", "warning", "cluster", "c1", "namespace", "payments"),
		alert("alertname", "DiskFull", "severity", "warning", "cluster", "c1", "namespace", "ops"),
	})
	r, err := http.Post(base+"/api/v2/alerts", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusOK {
		t.Fatalf("POST /api/v2/alerts: %s", r.Status)
	}

	// path → receiver, then "alertname/cluster" of each notification's alerts.
	want := map[string][]string{
		"/dms":      {"dms: Watchdog/c1"},
		"/critical": {"critical: NodeDown/c1", "critical: NodeDown/c2"},
		"/payments": {"payments: PaymentsAPIDown/c1"},
		"/default":  {"default: DiskFull/c1"},
	}
	summary := func() map[string][]string {
		mu.Lock()
		defer mu.Unlock()
		s := map[string][]string{}
		for path, ns := range got {
			for _, n := range ns {
				var alerts []string
				for _, a := range n.Alerts {
					alerts = append(alerts, a.Labels["alertname"]+"/"+a.Labels["cluster"])
				}
				s[path] = append(s[path], n.Receiver+": "+strings.Join(alerts, ","))
				if n.GroupLabels["cluster"] == "" {
					t.Errorf("%s: a notification grouped without cluster: %v", path, n.GroupLabels)
				}
			}
			sort.Strings(s[path])
		}
		return s
	}
	waitFor(t, 30*time.Second, "every receiver notified", func() bool { return reflect.DeepEqual(summary(), want) })
}

func waitFor(t *testing.T, d time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %s waiting for %s", d, what)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

var (
	urlFile        = regexp.MustCompile(`"url_file": "([^"]+)"`)
	versionPattern = regexp.MustCompile(`version 0\.(\d+)\.`)
)

// alertmanagerMinor is the binary's minor version (0.<minor>.x).
func alertmanagerMinor(t *testing.T, bin string) int {
	out, err := exec.Command(bin, "--version").CombinedOutput()
	m := versionPattern.FindSubmatch(out)
	if err != nil || m == nil {
		t.Fatalf("%s --version: %v\n%s", bin, err, out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}
