package cli

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/testutil"
)

// A vars.alertmanager.config that Alertmanager's loader or kpgen's lint
// refuses fails the build before anything is written; the message names
// the cluster, the file and object, the vars key and the loader's message.
func TestAlertmanagerConfigErrors(t *testing.T) {
	tests := []struct {
		name, vars string
		want       []string // stderr starts with these lines
	}{
		{
			name: "the loader refuses an undefined receiver",
			vars: `{ cluster: { name: 'standin' }, alertmanager: { config: {
  route: { receiver: 'team', routes: [{ matchers: ['severity = "critical"'], receiver: 'pager' }] },
  receivers: { team: {} },
} } }
`,
			want: []string{
				"FAILED: standin (vars/standin.jsonnet): 1 problem(s), nothing written:",
				`  manifests/alertmanager-secret.yaml: Secret monitoring/alertmanager-main: alertmanager.yaml: vars.alertmanager.config: Alertmanager's configuration loader: undefined receiver "pager" used in route`,
			},
		},
		{
			name: "the lint: a route after a catch-all, a contradiction, an unused receiver",
			vars: `{ cluster: { name: 'standin' }, alertmanager: { config: {
  route: { receiver: 'team', routes: [
    { matchers: ['severity = "critical"'], receiver: 'team', routes: [{ matchers: ['severity = "info"'] }] },
    { receiver: 'team' },
    { matchers: ['namespace = "payments"'], receiver: 'team' },
  ] },
  receivers: { team: {}, unused: {} },
} } }
`,
			want: []string{
				"FAILED: standin (vars/standin.jsonnet): 3 problem(s), nothing written:",
				`  manifests/alertmanager-secret.yaml: Secret monitoring/alertmanager-main: alertmanager.yaml: vars.alertmanager.config.route.routes[0].routes[0]: can never match: matcher severity="info" contradicts a parent route's severity="critical"`,
				`  manifests/alertmanager-secret.yaml: Secret monitoring/alertmanager-main: alertmanager.yaml: vars.alertmanager.config.route.routes[2]: can never match: vars.alertmanager.config.route.routes[1] before it takes every alert that reaches it (no matchers, no continue)`,
				`  manifests/alertmanager-secret.yaml: Secret monitoring/alertmanager-main: alertmanager.yaml: vars.alertmanager.config.receivers.unused: receiver "unused" is used by no route`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := testutil.Project(t, map[string]string{"standin.jsonnet": minimalVars})
			vars := filepath.Join(dir, "vars", "standin.jsonnet")
			if code, o, e := run("build", "--root", dir, vars); code != 0 {
				t.Fatalf("first build: exit %d\n%s%s", code, o, e)
			}
			before := testutil.Snapshot(t, filepath.Join(dir, "out"))
			testutil.WriteFile(t, vars, tt.vars)
			code, stdout, stderr := run("build", "--root", dir, vars)
			if code != ExitFailed {
				t.Fatalf("exit %d, want %d\nstdout: %s\nstderr: %s", code, ExitFailed, stdout, stderr)
			}
			lines := strings.Split(stderr, "\n")
			if len(lines) < len(tt.want) || !reflect.DeepEqual(lines[:len(tt.want)], tt.want) {
				t.Errorf("stderr:\n%s\nwant it to start with:\n%s", stderr, strings.Join(tt.want, "\n"))
			}
			if after := testutil.Snapshot(t, filepath.Join(dir, "out")); !reflect.DeepEqual(before, after) {
				t.Error("out/ changed after a failed build")
			}
		})
	}
}
