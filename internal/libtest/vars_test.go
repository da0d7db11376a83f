package libtest

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/testutil"
)

func TestVarsProblems(t *testing.T) {
	tests := []struct {
		name string
		vars string
		want []string // exactly these problems, in this order
	}{
		{
			name: "valid minimal vars",
			vars: minimal,
		},
		{
			name: "unknown top-level key with a suggestion",
			vars: "{ cluster: { name: 'a' }, promethues: {} }",
			want: []string{`vars.promethues: unknown key (did you mean "prometheus"?)`},
		},
		{
			name: "unknown deep key with a suggestion",
			vars: "{ cluster: { name: 'a' }, prometheus: { replcas: 2 } }",
			want: []string{`vars.prometheus.replcas: unknown key (did you mean "replicas"?)`},
		},
		{
			name: "unknown key three levels down, suggestion ignoring case",
			vars: "{ cluster: { name: 'a' }, prometheus: { storage: { Size: '10Gi' } } }",
			want: []string{`vars.prometheus.storage.Size: unknown key (did you mean "size"?)`},
		},
		{
			name: "unknown key far from every valid key lists them",
			vars: "{ cluster: { name: 'a' }, kubelet: { zzzzzzzz: 1 } }",
			want: []string{`vars.kubelet.zzzzzzzz: unknown key (valid keys: certExpirationCriticalSeconds, certExpirationWarningSeconds, probesDuplicateFix)`},
		},
		{
			name: "unknown key in a remote write entry",
			vars: "{ cluster: { name: 'a' }, prometheus: { remoteWrite: [{ url: 'http://x' }, { urll: 'http://y' }] } }",
			want: []string{
				`vars.prometheus.remoteWrite[1].url: required`,
				`vars.prometheus.remoteWrite[1].urll: unknown key (did you mean "url"?)`,
			},
		},
		{
			name: "wrong scalar type names expected and actual",
			vars: "{ cluster: { name: 'a' }, prometheus: { replicas: '2' } }",
			want: []string{`vars.prometheus.replicas: expected number, got string "2"`},
		},
		{
			name: "wrong type for a section",
			vars: "{ cluster: { name: 'a' }, alertmanager: [] }",
			want: []string{`vars.alertmanager: expected object, got array`},
		},
		{
			name: "wrong type inside a map",
			vars: "{ cluster: { name: 'a' }, prometheus: { externalLabels: { team: 3 }, resources: { limits: { cpu: true } } } }",
			want: []string{
				`vars.prometheus.externalLabels.team: expected string, got number 3`,
				`vars.prometheus.resources.limits.cpu: expected string or number, got boolean true`,
			},
		},
		{
			name: "enum value with a suggestion",
			vars: "{ cluster: { name: 'a' }, kubelet: { probesDuplicateFix: 'dropendpoint' } }",
			want: []string{`vars.kubelet.probesDuplicateFix: expected one of "metricRelabelings", "dropEndpoint", "off", got "dropendpoint" (did you mean "dropEndpoint"?)`},
		},
		{
			name: "vars not an object",
			vars: "[]",
			want: []string{`vars: expected object, got array`},
		},
		{
			name: "missing cluster.name",
			vars: "{}",
			want: []string{`vars.cluster.name: required (a DNS-1123 label naming the cluster)`},
		},
		{
			name: "null cluster.name",
			vars: "{ cluster: { name: null } }",
			want: []string{`vars.cluster.name: expected string, got null`},
		},
		{
			name: "cluster.name not a DNS-1123 label",
			vars: "{ cluster: { name: 'Prod_1' } }",
			want: []string{`vars.cluster.name: "Prod_1" is not a DNS-1123 label (lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters)`},
		},
		{
			name: "bad durations and sizes",
			vars: "{ cluster: { name: 'a' }, prometheus: { retention: '10 days', retentionSize: '10G' }, rules: { override: { Watchdog: { 'for': '5x' } } } }",
			want: []string{
				`vars.prometheus.retention: "10 days" is not a Prometheus duration (e.g. "30m", "1h30m", "15d")`,
				`vars.prometheus.retentionSize: "10G" is not a size in bytes (e.g. "50GB", "512MiB")`,
				`vars.rules.override.Watchdog.for: "5x" is not a Prometheus duration (e.g. "30m", "1h30m", "15d")`,
			},
		},
		{
			name: "unknown mixin",
			vars: "{ cluster: { name: 'a' }, mixins: { veleor: { enabled: true } } }",
			want: []string{`vars.mixins.veleor: unknown key (did you mean "velero"?)`},
		},
		{
			name: "cross-key checks",
			vars: "{ cluster: { name: 'a' }, prometheus: { storage: { class: 'gp3' } }, kubelet: { certExpirationWarningSeconds: 3600, certExpirationCriticalSeconds: 7200 } }",
			want: []string{
				`vars.prometheus.storage.class: needs vars.prometheus.storage.size (without a size no volume is claimed)`,
				`vars.kubelet.certExpirationWarningSeconds: 3600 must be greater than vars.kubelet.certExpirationCriticalSeconds (7200)`,
			},
		},
		{
			name: "rules naming no alert, with a suggestion",
			vars: "{ cluster: { name: 'a' }, rules: { disable: ['Watchdog', 'WatchDog'], override: { TargetDwn: { severity: 'info' } } } }",
			want: []string{
				`vars.rules.disable[1]: no rule named "WatchDog" in any PrometheusRule (did you mean "Watchdog"?)`,
				`vars.rules.override.TargetDwn: no rule named "TargetDwn" in any PrometheusRule (did you mean "TargetDown"?)`,
			},
		},
		{
			name: "every problem at once",
			vars: `{
				cluster: { name: 'Bad_Name', provder: 'aws' },
				namespace: 'Monitoring',
				prometheus: { replicas: -1, replcas: 2 },
				grafana: { enabled: 'yes' },
				kubelet: { certExpirationWarningSeconds: 60, certExpirationCriticalSeconds: 600 },
			}`,
			want: []string{
				`vars.cluster.name: "Bad_Name" is not a DNS-1123 label (lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters)`,
				`vars.cluster.provder: unknown key (did you mean "provider"?)`,
				`vars.grafana.enabled: expected boolean, got string "yes"`,
				`vars.namespace: "Monitoring" is not a DNS-1123 label (lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters)`,
				`vars.prometheus.replcas: unknown key (did you mean "replicas"?)`,
				`vars.prometheus.replicas: -1: expected a whole number from 0 to 2147483647`,
				`vars.kubelet.certExpirationWarningSeconds: 60 must be greater than vars.kubelet.certExpirationCriticalSeconds (600)`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := newStack(t, tt.vars).problems()
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems:%s\nwant:%s", joinLines(got), joinLines(tt.want))
			}
		})
	}
}

// A mixin's settings are the keys of its _config: the fake velero mixin
// below replaces the real one, so these tests pin the derivation rules, not
// the mixin.
const fakeMixin = `{
  _config+:: {
    namespace: 'velero',
    maxAgeSeconds: 3600,
    perSchedule: {},
    selector: { job: 'velero', port: 'metrics' },
    schedules: ['daily'],
    anything: null,
    job: 'velero',
    jobSelector: 'job="%s"' % self.job,
  },
}
`

func fakeMixinStack(t *testing.T, vars string) *stack {
	s := newStack(t, vars)
	testutil.WriteFile(t, filepath.Join(s.dir, "jsonnet", "mixins", "velero", "mixin.libsonnet"), fakeMixin)
	return s
}

func TestMixinSettingsSchema(t *testing.T) {
	tests := []struct {
		name     string
		settings string
		want     []string
	}{
		{"defaults", "enabled: false", nil},
		{"free-form map (empty object default) takes any key", "perSchedule: { weekly: 9000, monthly: 'x' }", nil},
		{"record (non-empty object default) has fixed keys", "selector: { jbo: 'x' }",
			[]string{`vars.mixins.velero.selector.jbo: unknown key (did you mean "job"?)`}},
		{"record fields keep their types", "selector: { port: 8080 }",
			[]string{`vars.mixins.velero.selector.port: expected string, got number 8080`}},
		{"number", "maxAgeSeconds: '1h'", []string{`vars.mixins.velero.maxAgeSeconds: expected number, got string "1h"`}},
		{"array", "schedules: 'daily'", []string{`vars.mixins.velero.schedules: expected array, got string "daily"`}},
		{"null default takes anything", "anything: { a: [1] }", nil},
		{"enabled is a boolean", "enabled: 1", []string{`vars.mixins.velero.enabled: expected boolean, got number 1`}},
		{"unknown setting", "maxAge: 1", []string{`vars.mixins.velero.maxAge: unknown key (did you mean "maxAgeSeconds"?)`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fakeMixinStack(t, "{ cluster: { name: 'a' }, mixins: { velero: { "+tt.settings+" } } }").problems()
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems:%s\nwant:%s", joinLines(got), joinLines(tt.want))
			}
		})
	}
}

func TestDeepMerge(t *testing.T) {
	type cfg = map[string]any
	defaults := func(t *testing.T) cfg {
		var c cfg
		fakeMixinStack(t, minimal).mustEval("k.config", &c)
		return c
	}(t)

	t.Run("a mixin setting keeps the other mixins and the mixin's other defaults", func(t *testing.T) {
		var c cfg
		fakeMixinStack(t, "{ cluster: { name: 'test' }, mixins: { velero: { enabled: true, selector: { port: 'http' } } } }").mustEval("k.config", &c)
		for _, m := range []string{"cnpg", "cilium", "cert-manager"} {
			if !reflect.DeepEqual(get(c, "mixins", m), get(defaults, "mixins", m)) {
				t.Errorf("mixins.%s = %v, want the defaults %v", m, get(c, "mixins", m), get(defaults, "mixins", m))
			}
		}
		want := get(defaults, "mixins", "velero").(map[string]any)
		want["enabled"] = true
		want["selector"] = map[string]any{"job": "velero", "port": "http"}
		if got := get(c, "mixins", "velero"); !reflect.DeepEqual(got, want) {
			t.Errorf("mixins.velero = %v, want %v", got, want)
		}
	})

	t.Run("mixin defaults that refer to other settings see the vars", func(t *testing.T) {
		var sel string
		fakeMixinStack(t, "{ cluster: { name: 'test' }, mixins: { velero: { job: 'backups' } } }").mustEval("k.config.mixins.velero.jobSelector", &sel)
		if sel != `job="backups"` {
			t.Errorf("jobSelector = %s, want job=\"backups\"", sel)
		}
	})

	t.Run("one key of a section keeps the section's other defaults", func(t *testing.T) {
		var c cfg
		newStack(t, "{ cluster: { name: 'test', environment: 'prod' }, prometheus: { storage: { size: '10Gi' } } }").mustEval("k.config", &c)
		if got := get(c, "prometheus", "storage"); !reflect.DeepEqual(got, map[string]any{"size": "10Gi", "class": nil}) {
			t.Errorf("prometheus.storage = %v", got)
		}
		if got := get(c, "cluster", "provider"); got != "other" {
			t.Errorf("cluster.provider = %v, want the default", got)
		}
		if got := get(c, "kubelet", "probesDuplicateFix"); got != "metricRelabelings" {
			t.Errorf("kubelet.probesDuplicateFix = %v, want the default", got)
		}
	})

	t.Run("resources.limits keeps upstream's requests", func(t *testing.T) {
		files := newStack(t, "{ cluster: { name: 'test' }, prometheus: { resources: { limits: { memory: '2Gi' } } }, alertmanager: { resources: { limits: { cpu: null } } } }").files()
		got := get(files["manifests/prometheus-prometheus.yaml"], "spec", "resources")
		want := map[string]any{"requests": map[string]any{"memory": "400Mi"}, "limits": map[string]any{"memory": "2Gi"}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("Prometheus resources = %v, want %v", got, want)
		}
		// null deletes one of upstream's entries.
		got = get(files["manifests/alertmanager-alertmanager.yaml"], "spec", "resources", "limits")
		if !reflect.DeepEqual(got, map[string]any{"memory": "100Mi"}) {
			t.Errorf("Alertmanager limits = %v, want upstream's without cpu", got)
		}
	})
}

// Every key of the schema is documented in docs/vars.md.
func TestVarsDocumented(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join(testutil.RepoRoot(), "docs", "vars.md"))
	if err != nil {
		t.Fatal(err)
	}
	var paths []string
	newStack(t, minimal).mustEval("(import 'schema.libsonnet').paths((import 'vars.libsonnet')(import 'mixins.libsonnet'))", &paths)
	if len(paths) < 20 {
		t.Fatalf("only %d paths: %v", len(paths), paths)
	}
	// Each mixin's settings are the keys of its _config.
	var mixins map[string]map[string]any
	newStack(t, minimal).mustEval("k.config.mixins", &mixins)
	for name, settings := range mixins {
		for key := range settings {
			paths = append(paths, "vars.mixins."+name+"."+key)
		}
	}
	for _, p := range paths {
		key := "`" + strings.TrimPrefix(p, "vars.") + "`"
		if !strings.Contains(string(doc), key) {
			t.Errorf("docs/vars.md does not document %s", key)
		}
	}
}
