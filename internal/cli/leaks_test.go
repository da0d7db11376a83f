package cli

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/testutil"
)

// A vars patch adding a Secret with a Slack webhook: the leak check fails
// the build, nothing is written (a first build writes no directory, a
// rebuild leaves the old output as it was); an exception with a reason
// lets it through; a stale exception fails.
func TestLeakFailsTheBuild(t *testing.T) {
	const leak = `{ cluster: { name: 'standin' }, patches: [function(stack, cfg) stack { extra+: { secret: {
	  apiVersion: 'v1', kind: 'Secret', metadata: { name: 'slack', namespace: cfg.namespace },
	  stringData: { 'alertmanager.yaml': 'global:\n  slack_api_url: https://hooks.slack.com/services/T0/B0/XXXXXXXX\nroute:\n  receiver: slack\nreceivers:\n- name: slack\n' } } } }] %s }
`
	dir := testutil.Project(t, map[string]string{"standin.jsonnet": strings.Replace(leak, "%s", "", 1)})
	vars := filepath.Join(dir, "vars", "standin.jsonnet")
	out := filepath.Join(dir, "out")
	want := "FAILED: standin (vars/standin.jsonnet): 1 problem(s), nothing written:\n" +
		"  manifests/extra-secret.yaml: Secret monitoring/slack: stringData \"alertmanager.yaml\", line 2: a Slack webhook URL (hooks.slack.com/…, its path is the token) in plaintext: the output is committed to git. Seal it (`kpgen seal --cluster standin`, then vars.sealedSecrets.secrets) or keep it in a Secret that exists in the cluster and reference that; if it is no credential, allow it: vars.secrets.allowPlaintext: { 'monitoring/slack': '<why>' }\n"

	code, _, stderr := run("build", "--no-cache", vars)
	if code != 1 || stderr != want {
		t.Fatalf("exit %d, stderr:\n%s\nwant:\n%s", code, stderr, want)
	}
	if snap := testutil.Snapshot(t, out); len(snap) != 0 {
		t.Errorf("written: %v", keys(snap))
	}

	// A good build, then the leak again: the old output stays.
	testutil.WriteFile(t, vars, minimalVars)
	if code, _, stderr := run("build", "--no-cache", vars); code != 0 {
		t.Fatalf("build: %s", stderr)
	}
	before := testutil.Snapshot(t, out)
	testutil.WriteFile(t, vars, strings.Replace(leak, "%s", "", 1))
	if code, _, stderr := run("build", "--no-cache", vars); code != 1 || stderr != want {
		t.Errorf("rebuild: exit %d, stderr:\n%s", code, stderr)
	}
	if after := testutil.Snapshot(t, out); !reflect.DeepEqual(before, after) {
		t.Error("the failed build changed out/")
	}

	testutil.WriteFile(t, vars, strings.Replace(leak, "%s", ", secrets: { allowPlaintext: { 'monitoring/slack': 'a test hook, revoked' } }", 1))
	if code, stdout, stderr := run("build", "--no-cache", vars); code != 0 || !strings.Contains(stdout, "SUCCESS: standin") {
		t.Errorf("allowed: exit %d\n%s%s", code, stdout, stderr)
	}
	testutil.WriteFile(t, vars, "{ cluster: { name: 'standin' }, secrets: { allowPlaintext: { 'monitoring/slack': 'gone' } } }\n")
	code, _, stderr = run("validate", vars)
	if code != 1 || !strings.Contains(stderr, `  vars.secrets.allowPlaintext: "monitoring/slack" names no Secret of the output (remove the exception)`) {
		t.Errorf("stale exception: exit %d\n%s", code, stderr)
	}
}

func keys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}

// A sealed Secret named like a Secret the output renders: the controller
// would never replace it, and the build says so.
func TestSealedSecretShadowedFailsTheBuild(t *testing.T) {
	sealed := "AgB" + strings.Repeat("x", 397)
	dir := testutil.Project(t, map[string]string{"standin.jsonnet": "{ cluster: { name: 'standin' }, sealedSecrets: { secrets: { 'grafana-config': { encryptedData: { 'grafana.ini': '" + sealed + "' } } } } }\n"})
	code, _, stderr := run("validate", filepath.Join(dir, "vars", "standin.jsonnet"))
	want := "  manifests/sealedSecrets-grafana-config.yaml: SealedSecret monitoring/grafana-config: unseals into Secret monitoring/grafana-config, which manifests/grafana-config.yaml renders too"
	if code != 1 || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stderr:\n%s\nwant: %s", code, stderr, want)
	}
}
