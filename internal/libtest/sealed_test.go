package libtest

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/render"
	"github.com/kpgen/kpgen/internal/testutil"
)

// Issue 11: vars.sealedSecrets.secrets rendered as SealedSecrets, laid out
// as kubeseal writes them; vars.secrets.allowPlaintext's checks.

// sealed is a well-formed sealed value (base64 of 300 bytes), as `kpgen
// seal` prints one.
var sealed = "AgB" + strings.Repeat("x", 397)

func TestSealedSecrets(t *testing.T) {
	checkFields(t, []fieldCase{{
		name: "strict, in the stack's namespace",
		vars: `{ cluster: { name: 'a' }, namespace: 'obs', sealedSecrets: { secrets: { 'alertmanager-slack': { encryptedData: { url: '` + sealed + `' } } } } }`,
		want: map[string]map[string]any{"manifests/sealedSecrets-alertmanager-slack.yaml": {"": `json:{
			"apiVersion": "bitnami.com/v1alpha1", "kind": "SealedSecret",
			"metadata": {"name": "alertmanager-slack", "namespace": "obs"},
			"spec": {"encryptedData": {"url": "` + sealed + `"},
			         "template": {"metadata": {"name": "alertmanager-slack", "namespace": "obs"}}}}`}},
	}, {
		name: "namespace-wide, type and labels",
		vars: `{ cluster: { name: 'a' }, sealedSecrets: { secrets: { s: { namespace: 'apps', scope: 'namespace-wide', type: 'kubernetes.io/basic-auth', labels: { team: 'a' },
			encryptedData: { username: '` + sealed + `', password: '` + sealed + `' } } } } }`,
		want: map[string]map[string]any{"manifests/sealedSecrets-s.yaml": {
			"metadata":           `json:{"name": "s", "namespace": "apps", "annotations": {"sealedsecrets.bitnami.com/namespace-wide": "true"}}`,
			"spec.template":      `json:{"type": "kubernetes.io/basic-auth", "metadata": {"name": "s", "namespace": "apps", "labels": {"team": "a"}, "annotations": {"sealedsecrets.bitnami.com/namespace-wide": "true"}}}`,
			"spec.encryptedData": `json:{"username": "` + sealed + `", "password": "` + sealed + `"}`,
		}},
	}, {
		name: "cluster-wide",
		vars: `{ cluster: { name: 'a' }, sealedSecrets: { secrets: { s: { scope: 'cluster-wide', encryptedData: { k: '` + sealed + `' } } } } }`,
		want: map[string]map[string]any{"manifests/sealedSecrets-s.yaml": {
			"metadata.annotations":               `json:{"sealedsecrets.bitnami.com/cluster-wide": "true"}`,
			"spec.template.metadata.annotations": `json:{"sealedsecrets.bitnami.com/cluster-wide": "true"}`,
		}},
	}, {
		name: "listed in kustomization.yaml",
		vars: `{ cluster: { name: 'a' }, sealedSecrets: { secrets: { b: { encryptedData: { k: '` + sealed + `' } }, a: { encryptedData: { k: '` + sealed + `' } } } } }`,
		want: map[string]map[string]any{"kustomization.yaml": {}},
	}})

	files := newStack(t, `{ cluster: { name: 'a' }, sealedSecrets: { secrets: { b: { encryptedData: { k: '`+sealed+`' } } } } }`).files()
	found := false
	for _, r := range at(files["kustomization.yaml"], "resources").([]any) {
		found = found || r == "./manifests/sealedSecrets-b.yaml"
	}
	if !found {
		t.Errorf("kustomization.yaml does not list the SealedSecret: %v", files["kustomization.yaml"]["resources"])
	}
	for path := range newStack(t, minimal).files() {
		if strings.Contains(path, "sealedSecrets") {
			t.Errorf("%s rendered without any sealed secret declared", path)
		}
	}
}

func TestSealedSecretsProblems(t *testing.T) {
	checkProblems(t, []problemsCase{{
		name: "plaintext where a sealed value goes",
		vars: `{ cluster: { name: 'a' }, sealedSecrets: { secrets: { s: { encryptedData: { url: 'https://hooks.slack.com/services/T0/B0/XXXX', short: 'QUJD' } } } } }`,
		want: []string{
			"vars.sealedSecrets.secrets.s.encryptedData.short: not a sealed value (the base64 text `kpgen seal` prints; credentials are never values in vars: seal them with `kpgen seal --cluster <name>`, or reference an existing Secret)",
			"vars.sealedSecrets.secrets.s.encryptedData.url: not a sealed value (the base64 text `kpgen seal` prints; credentials are never values in vars: seal them with `kpgen seal --cluster <name>`, or reference an existing Secret)",
		},
	}, {
		name: "names, scopes, keys",
		vars: `{ cluster: { name: 'a' }, sealedSecrets: { certificate: 'ftp://x', controllerName: 'Sealed', secrets: {
			'Bad': { encryptedData: { k: '` + sealed + `' } },
			s: { namespace: 'a/b', scope: 'wide', encryptedData: { 'a b': '` + sealed + `' } },
			e: { encryptedData: {} },
		} } }`,
		want: []string{
			`vars.sealedSecrets.controllerName: "Sealed" is not a DNS-1123 label (lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters)`,
			`vars.sealedSecrets.secrets.Bad: "Bad" is not a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", each dot-separated part starting and ending with a letter or digit, at most 253 characters)`,
			`vars.sealedSecrets.secrets.e: encryptedData: at least one sealed value`,
			`vars.sealedSecrets.secrets.s.encryptedData["a b"]: "a b" is not a key of a Secret (letters, digits, "-", "_" and ".", at most 253 characters)`,
			`vars.sealedSecrets.secrets.s.namespace: "a/b" is not a DNS-1123 label (lowercase letters, digits and "-", starting and ending with a letter or digit, at most 63 characters)`,
			`vars.sealedSecrets.secrets.s.scope: expected one of "strict", "namespace-wide", "cluster-wide", got "wide"`,
		},
	}, {
		name: "an exception needs a reason and names namespace/name",
		vars: `{ cluster: { name: 'a' }, secrets: { allowPlaintext: { 'monitoring/grafana-config': '', 'grafana-config': 'x' } } }`,
		want: []string{
			`vars.secrets.allowPlaintext.grafana-config: "grafana-config" is not "<namespace>/<name>" of a Secret`,
			`vars.secrets.allowPlaintext["monitoring/grafana-config"]: a reason is required: say why this Secret may hold plaintext`,
		},
	}})
}

// The leak check's exceptions are read by kpgen's validation (through the
// vars' head), never by a file: clusters differing in them alone share
// every unit of work.
func TestAllowPlaintextReadByNoFile(t *testing.T) {
	cluster := func(reason string) string {
		return `{ cluster: { name: 'a' }, secrets: { allowPlaintext: { 'monitoring/grafana-config': '` + reason + `' } } }`
	}
	dir := testutil.Project(t, map[string]string{"a.jsonnet": cluster("one"), "b.jsonnet": cluster("two")})
	root := project.Root{Dir: dir}
	m := render.NewMemo()
	rs := []*render.Renderer{render.New(root)}
	if _, err := render.FilesMemo(rs, filepath.Join(dir, "vars", "a.jsonnet"), m); err != nil {
		t.Fatal(err)
	}
	_, units := m.Stats()
	if _, err := render.FilesMemo(rs, filepath.Join(dir, "vars", "b.jsonnet"), m); err != nil {
		t.Fatal(err)
	}
	if _, after := m.Stats(); after != units {
		t.Errorf("%d units evaluated again for a cluster differing only in secrets.allowPlaintext's reasons", after-units)
	}
}
