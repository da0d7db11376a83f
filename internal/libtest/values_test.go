package libtest

import (
	"reflect"
	"testing"
)

// Messages of the checks, as the schema words them.
const (
	notDNSLabel     = ` is not a DNS-1123 label (lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters)`
	notDNSSubdomain = ` is not a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", each dot-separated part starting and ending with a letter or digit, at most 253 characters)`
	notDuration     = ` is not a Prometheus duration (e.g. "30m", "1h30m", "15d")`
	durationRange   = ` is out of range for a Prometheus duration (at most 292y24w3d23h47m16s854ms, 2^63-1 nanoseconds)`
	notQuantity     = ` is not a Kubernetes quantity (e.g. "200Gi", "500m", "2")`
	notLabelName    = ` is not a Prometheus label name (letters, digits and "_", not starting with a digit)`
	notInt32        = `: expected a whole number from 0 to 2147483647`
	notSeconds      = `: expected a whole number of seconds from 1 to 315360000 (10 years)`
	notRunbookURL   = ` is not a runbook URL pattern (an http:// or https:// URL with exactly one "%s" for the alert name, any other "%" written "%%", no spaces and no "{{")`
	hiddenField     = ": hidden field (declared with `::`): use `:`"
)

// problemsCase is a vars file and exactly the problems it has, in order.
type problemsCase struct {
	name string
	vars string
	want []string
}

func checkProblems(t *testing.T, tests []problemsCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := newStack(t, tt.vars).problems()
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("problems:%s\nwant:%s", joinLines(got), joinLines(tt.want))
			}
		})
	}
}

// Hidden fields, at any depth, and null where a key does not take it are
// problems with the key's path, and the default stands in so that every
// other problem is still found (issue 9, item 9).
func TestHiddenFieldsAndNulls(t *testing.T) {
	checkProblems(t, []problemsCase{
		{
			name: "hidden fields anywhere",
			vars: `{ cluster: { name: 'a' },
				prometheus: { replicas:: 5, externalLabels: { team:: 'x' }, remoteWrite: [{ url: 'http://x', headers: { 'X-A':: 'b' } }] },
				mixins: { velero: { enabled: true, namespace:: 'v' } },
				extra:: 1,
				rules: { disable:: ['x'] },
			}`,
			want: []string{
				`vars.extra` + hiddenField,
				`vars.extra: unknown key (valid keys: addons, alertmanager, allComponents, apply, blackboxExporter, cluster, grafana, images, kubeStateMetrics, kubelet, mixins, namespace, nodeExporter, patches, preset, prometheus, prometheusAdapter, prometheusOperator, rules, sealedSecrets, secrets, topology, upstream)`,
				`vars.mixins.velero.namespace` + hiddenField,
				`vars.prometheus.externalLabels.team` + hiddenField,
				`vars.prometheus.remoteWrite[0].headers.X-A` + hiddenField,
				`vars.prometheus.replicas` + hiddenField,
				`vars.rules.disable` + hiddenField,
			},
		},
		{
			name: "a hidden enabled enables nothing; a hidden typo gets its suggestion",
			vars: "{ cluster: { name: 'a' }, mixins: { velero: { enabled:: true } }, prometheus: { replcas:: 2 } }",
			want: []string{
				`vars.mixins.velero.enabled` + hiddenField,
				`vars.prometheus.replcas` + hiddenField,
				`vars.prometheus.replcas: unknown key (did you mean "replicas"?)`,
			},
		},
		{
			name: "null records, and every other problem still found",
			vars: "{ cluster: { name: 'a' }, prometheus: null, mixins: { velero: null }, kubelet: { probesDuplicateFix: null }, alertmanager: { replicas: 'x' } }",
			want: []string{
				`vars.alertmanager.replicas: expected number, got string "x"`,
				`vars.kubelet.probesDuplicateFix: expected one of "metricRelabelings", "dropEndpoint", "off", got null`,
				`vars.mixins.velero: expected object, got null`,
				`vars.prometheus: expected object, got null`,
			},
		},
		{
			name: "null cluster",
			vars: "{ cluster: null }",
			want: []string{`vars.cluster: expected object, got null`},
		},
		{
			name: "null vars",
			vars: "null",
			want: []string{`vars: expected object, got null`},
		},
		{
			name: "list items are never null",
			vars: "{ cluster: { name: 'a' }, prometheus: { extraNamespaces: ['payments', null], remoteWrite: [null] } }",
			want: []string{
				`vars.prometheus.extraNamespaces[1]: expected string, got null`,
				`vars.prometheus.remoteWrite[0]: expected object, got null`,
			},
		},
	})
}

// Values that pass a type check but would make invalid objects are vars
// problems, reported with the key's path, all at once (issue 9, item 9).
func TestVarsValuesMakeValidObjects(t *testing.T) {
	checkProblems(t, []problemsCase{
		{
			name: "replicas are int32, numbers shown short",
			vars: "{ cluster: { name: 'a' }, prometheus: { replicas: 1e308 }, alertmanager: { replicas: 2147483648 }, grafana: { enabled: 1e308 } }",
			want: []string{
				`vars.alertmanager.replicas: 2147483648` + notInt32,
				`vars.grafana.enabled: expected boolean, got number 1e+308`,
				`vars.prometheus.replicas: 1e+308` + notInt32,
			},
		},
		{
			name: "replicas are whole",
			vars: "{ cluster: { name: 'a' }, prometheus: { replicas: 2.5 }, alertmanager: { replicas: 2147483647 } }",
			want: []string{`vars.prometheus.replicas: 2.5` + notInt32},
		},
		{
			name: "quantities, resource names and storage classes",
			vars: `{ cluster: { name: 'a' },
				prometheus: {
					storage: { size: 'lots', class: 'GP3' },
					resources: { requests: { memory: '8 Gi', cpuu: '1', 'nvidia.com/gpu': 1 }, limits: { cpu: -1, 'hugepages-2Mi': '1Gi' } },
				},
				alertmanager: { resources: { limits: { memory: '1e400' } } },
			}`,
			want: []string{
				`vars.alertmanager.resources.limits.memory: "1e400" is out of range for a Kubernetes quantity (less than 2^63, 8Ei; a larger one is capped)`,
				`vars.prometheus.resources.limits.cpu: -1: expected a quantity >= 0`,
				`vars.prometheus.resources.requests.cpuu: "cpuu" is not a resource name (cpu, memory, ephemeral-storage, hugepages-<size>, or <domain>/<name> for an extended resource) (did you mean "cpu"?)`,
				`vars.prometheus.resources.requests.memory: "8 Gi"` + notQuantity,
				`vars.prometheus.storage.class: "GP3"` + notDNSSubdomain,
				`vars.prometheus.storage.size: "lots"` + notQuantity,
			},
		},
		{
			name: "a volume has a size",
			vars: "{ cluster: { name: 'a' }, prometheus: { storage: { size: '0' } } }",
			want: []string{`vars.prometheus.storage.size: "0": expected a quantity > 0`},
		},
		{
			name: "valid quantities",
			vars: `{ cluster: { name: 'a' }, prometheus: { storage: { size: '1.5Ti' }, resources: { requests: { cpu: '500m', memory: 1e9, 'ephemeral-storage': '1e9' }, limits: { cpu: 2.5, memory: '.5Gi' } } } }`,
		},
		{
			name: "retention sizes as Prometheus parses them",
			vars: "{ cluster: { name: 'a' }, prometheus: { retentionSize: '..B' } }",
			want: []string{`vars.prometheus.retentionSize: "..B" is not a size in bytes (e.g. "50GB", "512MiB")`},
		},
		{
			name: "retention sizes fit int64",
			vars: "{ cluster: { name: 'a' }, prometheus: { retentionSize: '8EiB' } }",
			want: []string{`vars.prometheus.retentionSize: "8EiB" is out of range for a size in bytes (less than 8EiB)`},
		},
		{
			name: "external label names and values",
			vars: "{ cluster: { name: 'a', environment: '' }, prometheus: { externalLabels: { '': 'x', __tenant: 'a', 'team-name': 'b', team: '', cluster: null } } }",
			want: []string{
				`vars.cluster.environment: must not be empty (an empty label value is no label)`,
				`vars.prometheus.externalLabels[""]: ""` + notLabelName,
				`vars.prometheus.externalLabels.__tenant: "__tenant" is a reserved label name (names starting with "__" are for Prometheus' internal use)`,
				`vars.prometheus.externalLabels.team: must not be empty (an empty label value is no label)`,
				`vars.prometheus.externalLabels.team-name: "team-name"` + notLabelName,
			},
		},
		{
			name: "durations fit int64 nanoseconds",
			vars: "{ cluster: { name: 'a' }, prometheus: { retention: '99999999999999999999d' }, rules: { override: { TargetDown: { 'for': '106752d' } } } }",
			want: []string{
				`vars.prometheus.retention: "99999999999999999999d"` + durationRange,
				`vars.rules.override.TargetDown.for: "106752d"` + durationRange,
			},
		},
		{
			name: "severities are not templates",
			vars: `{ cluster: { name: 'a' }, rules: { override: { TargetDown: { severity: '{{ with query "up" }}x{{ end }}' }, Watchdog: { severity: '' } } } }`,
			want: []string{
				`vars.rules.override.TargetDown.severity: "{{ with query \"up\" }}x{{ end }}" must not contain "{{" (alert labels are templates: it would be expanded)`,
				`vars.rules.override.Watchdog.severity: must not be empty (an empty label value is no label)`,
			},
		},
		{
			name: "the longest durations",
			vars: "{ cluster: { name: 'a' }, prometheus: { retention: '106751d' }, rules: { override: { TargetDown: { 'for': '292y24w3d23h47m16s854ms' }, Watchdog: { 'for': '0' } } } }",
		},
		{
			name: "kubelet thresholds in whole seconds, up to 10 years",
			vars: "{ cluster: { name: 'a' }, kubelet: { certExpirationWarningSeconds: 0.5, certExpirationCriticalSeconds: 1e12 } }",
			want: []string{
				`vars.kubelet.certExpirationCriticalSeconds: 1000000000000` + notSeconds,
				`vars.kubelet.certExpirationWarningSeconds: 0.5` + notSeconds,
			},
		},
	})
}

// Each mixin setting is checked against the type the mixin declares in
// _configTypes: namespaces, thresholds, durations, runbook URLs, and the
// keys of velero's per-schedule map (issue 9, item 9).
func TestMixinSettingsChecked(t *testing.T) {
	checkProblems(t, []problemsCase{
		{
			name: "mixin namespaces are DNS-1123 labels",
			vars: "{ cluster: { name: 'a' }, mixins: { velero: { enabled: true, namespace: 'Bad NS' }, cilium: { namespace: '' }, 'cert-manager': { namespace: 'a/b' } } }",
			want: []string{
				`vars.mixins.cert-manager.namespace: "a/b"` + notDNSLabel,
				`vars.mixins.cilium.namespace: ""` + notDNSLabel,
				`vars.mixins.velero.namespace: "Bad NS"` + notDNSLabel,
			},
		},
		{
			name: "cnpg namespaces are DNS-1123 labels, never null",
			vars: "{ cluster: { name: 'a' }, mixins: { cnpg: { enabled: true, namespaces: ['', 'Bad NS', 'a/b', null, 'ok'] } } }",
			want: []string{
				`vars.mixins.cnpg.namespaces[0]: ""` + notDNSLabel,
				`vars.mixins.cnpg.namespaces[1]: "Bad NS"` + notDNSLabel,
				`vars.mixins.cnpg.namespaces[2]: "a/b"` + notDNSLabel,
				`vars.mixins.cnpg.namespaces[3]: expected string, got null`,
			},
		},
		{
			name: "cnpg needs a namespace",
			vars: "{ cluster: { name: 'a' }, mixins: { cnpg: { enabled: true, namespaces: [] } } }",
			want: []string{`vars.mixins.cnpg.namespaces: must not be empty`},
		},
		{
			name: "mixin thresholds, durations and runbook URLs",
			vars: `{ cluster: { name: 'a' }, mixins: {
				velero: { backupMaxAgeSeconds: 0, backupTooOldFor: '1 day', backupFailingFor: '300y' },
				cnpg: { replicationLagThresholdSeconds: 1e308, replicationLagFor: '5m30' },
				cilium: { bpfMapPressureThreshold: 90, runbookURLPattern: 'https://wiki/%s/%s' },
				'cert-manager': { certExpirySoonSeconds: 14 * 24 * 3600 * 1000, renewalOverdueSeconds: '1d', runbookURLPattern: 'https://wiki/{{ . }}/%s' },
			} }`,
			want: []string{
				`vars.mixins.cert-manager.certExpirySoonSeconds: 1209600000` + notSeconds,
				`vars.mixins.cert-manager.renewalOverdueSeconds: expected number, got string "1d"`,
				`vars.mixins.cert-manager.runbookURLPattern: "https://wiki/{{ . }}/%s"` + notRunbookURL,
				`vars.mixins.cilium.bpfMapPressureThreshold: 90: expected a ratio greater than 0 and less than 1`,
				`vars.mixins.cilium.runbookURLPattern: "https://wiki/%s/%s"` + notRunbookURL,
				`vars.mixins.cnpg.replicationLagFor: "5m30"` + notDuration,
				`vars.mixins.cnpg.replicationLagThresholdSeconds: 1e+308` + notSeconds,
				`vars.mixins.velero.backupFailingFor: "300y"` + durationRange,
				`vars.mixins.velero.backupMaxAgeSeconds: 0` + notSeconds,
				`vars.mixins.velero.backupTooOldFor: "1 day"` + notDuration,
			},
		},
		{
			name: "a runbook URL pattern with an escaped percent sign is fine",
			vars: "{ cluster: { name: 'a' }, mixins: { velero: { enabled: true, runbookURLPattern: 'https://wiki.example.com/Runbooks%%20Velero/%s' } } }",
		},
		{
			name: "velero schedule names are Kubernetes object names, the key named in the path",
			vars: `{ cluster: { name: 'a' }, mixins: { velero: { enabled: true, scheduleMaxAgeSeconds: {
				'a"} or vector(1)': 60, weekly: 691200, Daily: 90000, daily: -1, 'db.nightly-1': 90000,
			} } } }`,
			want: []string{
				`vars.mixins.velero.scheduleMaxAgeSeconds.Daily: "Daily"` + notDNSSubdomain,
				`vars.mixins.velero.scheduleMaxAgeSeconds["a\"} or vector(1)"]: "a\"} or vector(1)"` + notDNSSubdomain,
				`vars.mixins.velero.scheduleMaxAgeSeconds.daily: -1` + notSeconds,
			},
		},
	})
}

// Alert names in vars.rules that match no alert are reported with every
// other problem, in one run (issue 9, item 11): the stack they are checked
// against is built from the defaults of the keys with problems.
func TestRuleNamesReportedWithOtherProblems(t *testing.T) {
	checkProblems(t, []problemsCase{
		{
			name: "misspelt names beside other problems, rules' own included",
			vars: "{ cluster: { name: 'a' }, prometheus: { replicas: -1 }, rules: { disable: ['WatchDog', ''], override: { TargetDwn: { 'for': '5x' } } } }",
			want: []string{
				`vars.prometheus.replicas: -1` + notInt32,
				`vars.rules.disable[1]: must not be empty`,
				`vars.rules.override.TargetDwn.for: "5x"` + notDuration,
				`vars.rules.disable[0]: no rule named "WatchDog" in any PrometheusRule (did you mean "Watchdog"?)`,
				`vars.rules.override.TargetDwn: no rule named "TargetDwn" in any PrometheusRule (did you mean "TargetDown"?)`,
			},
		},
		{
			name: "broken settings of the mixins whose alerts are named",
			vars: `{ cluster: { name: 'Bad_Name' },
				mixins: {
					velero: { enabled: true, namespace: 'Bad NS', scheduleMaxAgeSeconds: { 'a"} or vector(1)': 60 }, runbookURLPattern: 'x' },
					cnpg: { enabled: true, namespaces: [] },
				},
				rules: { disable: ['VeleroBackupTooOld', 'CNPGInstanceDwn'] },
			}`,
			want: []string{
				`vars.cluster.name: "Bad_Name"` + notDNSLabel,
				`vars.mixins.cnpg.namespaces: must not be empty`,
				`vars.mixins.velero.namespace: "Bad NS"` + notDNSLabel,
				`vars.mixins.velero.runbookURLPattern: "x"` + notRunbookURL,
				`vars.mixins.velero.scheduleMaxAgeSeconds["a\"} or vector(1)"]: "a\"} or vector(1)"` + notDNSSubdomain,
				`vars.rules.disable[1]: no rule named "CNPGInstanceDwn" in any PrometheusRule (did you mean "CNPGInstanceDown"?)`,
			},
		},
		{
			name: "a section of the wrong type",
			vars: "{ cluster: { name: 'a' }, prometheus: 'big', rules: { disable: ['Watchdog', 'TargetDwn'] } }",
			want: []string{
				`vars.prometheus: expected object, got string "big"`,
				`vars.rules.disable[1]: no rule named "TargetDwn" in any PrometheusRule (did you mean "TargetDown"?)`,
			},
		},
	})
}
