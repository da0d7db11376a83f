package cli

import (
	"bytes"
	"crypto/rsa"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	ssv1 "github.com/bitnami-labs/sealed-secrets/pkg/apis/sealedsecrets/v1alpha1"
	sscrypto "github.com/bitnami-labs/sealed-secrets/pkg/crypto"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/runtime/serializer"
	"sigs.k8s.io/yaml"

	"github.com/kpgen/kpgen/internal/testutil"
)

// controllerKey makes a key pair and a self-signed certificate as the
// Sealed Secrets controller does (its own GeneratePrivateKeyAndCert).
func controllerKey(t *testing.T, validFor time.Duration) (*rsa.PrivateKey, []byte) {
	t.Helper()
	key, cert, err := sscrypto.GeneratePrivateKeyAndCert(2048, validFor, "sealed-secret")
	if err != nil {
		t.Fatal(err)
	}
	return key, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
}

// runSealWith runs kpgen seal with stdin.
func runSealWith(t *testing.T, in string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	old := stdin
	stdin = strings.NewReader(in)
	defer func() { stdin = old }()
	return run(append([]string{"seal"}, args...)...)
}

// unseal decrypts a rendered SealedSecret with sealed-secrets' own Unseal.
func unseal(t *testing.T, yamlDoc []byte, key *rsa.PrivateKey) (map[string][]byte, error) {
	t.Helper()
	var ss ssv1.SealedSecret
	if err := yaml.Unmarshal(yamlDoc, &ss); err != nil {
		t.Fatal(err)
	}
	s, err := ss.Unseal(serializer.NewCodecFactory(runtime.NewScheme()), map[string]*rsa.PrivateKey{"k": key})
	if err != nil {
		return nil, err
	}
	return s.Data, nil
}

var entryRE = regexp.MustCompile(`(?m)^'([^']+)': (\{.*\}),$`)

// Seal through the command, paste what it prints into the vars, build,
// and unseal the SealedSecret kpgen wrote with the controller's key: the
// value comes back, for each scope, and only under that scope's label.
func TestSealBuildUnseal(t *testing.T) {
	key, certPEM := controllerKey(t, 24*time.Hour)
	const secret = "https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXX"
	for _, tt := range []struct {
		scope, args, rename string
	}{
		{"strict", "", "metadata.name"},
		{"namespace-wide", "--scope namespace-wide", "metadata.namespace"},
		{"cluster-wide", "--scope cluster-wide", "scope annotation"},
	} {
		t.Run(tt.scope, func(t *testing.T) {
			dir := testutil.Project(t, map[string]string{"standin.jsonnet": "{ cluster: { name: 'standin' }, sealedSecrets: { certificate: 'certs/standin.pem' } }\n"})
			testutil.WriteFile(t, filepath.Join(dir, "certs", "standin.pem"), string(certPEM))
			args := append([]string{"--root", dir, "--cluster", "standin", "--name", "alertmanager-slack", "--key", "url"}, strings.Fields(tt.args)...)
			code, stdout, stderr := runSealWith(t, secret+"\n", args...)
			if code != 0 {
				t.Fatalf("seal: exit %d\n%s", code, stderr)
			}
			target := "monitoring/alertmanager-slack"
			if tt.scope == "cluster-wide" {
				target = "alertmanager-slack" // no namespace in its label
			}
			if want := fmt.Sprintf("SUCCESS: sealed %d bytes for Secret %s (%s) with standin's certificate certs/standin.pem\n", len(secret), target, tt.scope); stderr != want {
				t.Errorf("stderr: %s", stderr)
			}
			if strings.Contains(stdout+stderr, "hooks.slack.com") {
				t.Errorf("the value is printed:\n%s%s", stdout, stderr)
			}
			m := entryRE.FindStringSubmatch(stdout)
			if m == nil || m[1] != "alertmanager-slack" {
				t.Fatalf("no vars entry in:\n%s", stdout)
			}
			vars := "{ cluster: { name: 'standin' }, sealedSecrets: { certificate: 'certs/standin.pem', secrets: { 'alertmanager-slack': " + m[2] + " } } }\n"
			testutil.WriteFile(t, filepath.Join(dir, "vars", "standin.jsonnet"), vars)
			if code, _, stderr := run("build", "--no-cache", filepath.Join(dir, "vars", "standin.jsonnet")); code != 0 {
				t.Fatalf("build: exit %d\n%s", code, stderr)
			}
			doc, err := os.ReadFile(filepath.Join(dir, "out", "standin", "manifests", "sealedSecrets-alertmanager-slack.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			data, err := unseal(t, doc, key)
			if err != nil || string(data["url"]) != secret {
				t.Fatalf("unsealed %q, %v; want the value back", data["url"], err)
			}
			// The same object elsewhere than it was sealed for.
			moved := map[string]func(string) string{
				"metadata.name":      func(s string) string { return strings.ReplaceAll(s, "name: alertmanager-slack", "name: other") },
				"metadata.namespace": func(s string) string { return strings.ReplaceAll(s, "namespace: monitoring", "namespace: default") },
				"scope annotation": func(s string) string {
					return strings.ReplaceAll(s, "sealedsecrets.bitnami.com/cluster-wide", "sealedsecrets.bitnami.com/namespace-wide")
				},
			}[tt.rename](string(doc))
			if moved == string(doc) {
				t.Fatalf("%s: the test changed nothing", tt.rename)
			}
			if data, err := unseal(t, []byte(moved), key); err == nil {
				t.Errorf("unsealed with another %s: %q", tt.rename, data["url"])
			}
		})
	}
}

func TestSealCertificateByURL(t *testing.T) {
	key, certPEM := controllerKey(t, time.Hour)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(certPEM) }))
	defer srv.Close()
	code, stdout, stderr := runSealWith(t, "hunter2", "--cert", srv.URL+"/v1/cert.pem", "--namespace", "monitoring", "--name", "grafana-admin")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	doc := "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: grafana-admin, namespace: monitoring}\nspec:\n  encryptedData: {password: " + strings.TrimSpace(stdout) + "}\n"
	data, err := unseal(t, []byte(doc), key)
	if err != nil || string(data["password"]) != "hunter2" {
		t.Errorf("unsealed %q, %v", data["password"], err)
	}
}

func TestSealFromFileKeepsTheBytes(t *testing.T) {
	key, certPEM := controllerKey(t, time.Hour)
	dir := t.TempDir()
	certPath := filepath.Join(dir, "cert.pem")
	testutil.WriteFile(t, certPath, string(certPEM))
	testutil.WriteFile(t, filepath.Join(dir, "v"), "line\n")
	code, stdout, stderr := runSealWith(t, "", "--cert", certPath, "--scope", "cluster-wide", "--from-file", filepath.Join(dir, "v"), "--key", "k")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stdout, "'<name>': { scope: 'cluster-wide', encryptedData: { 'k': '") {
		t.Errorf("stdout: %s", stdout)
	}
	m := regexp.MustCompile(`'k': '([^']+)'`).FindStringSubmatch(stdout)
	doc := "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: any, namespace: anywhere, annotations: {sealedsecrets.bitnami.com/cluster-wide: \"true\"}}\nspec:\n  encryptedData: {k: " + m[1] + "}\n"
	if data, err := unseal(t, []byte(doc), key); err != nil || !bytes.Equal(data["k"], []byte("line\n")) {
		t.Errorf("unsealed %q, %v; want the file's bytes", data["k"], err)
	}
}

func TestSealErrors(t *testing.T) {
	_, good := controllerKey(t, time.Hour)
	_, expired := controllerKey(t, time.Nanosecond)
	time.Sleep(time.Millisecond)
	dir := testutil.Project(t, map[string]string{
		"standin.jsonnet": "{ cluster: { name: 'standin' }, sealedSecrets: { controllerNamespace: 'sealed' } }\n",
		"old.jsonnet":     "{ cluster: { name: 'old' }, sealedSecrets: { certificate: 'certs/old.pem' } }\n",
	})
	testutil.WriteFile(t, filepath.Join(dir, "certs", "old.pem"), string(expired))
	testutil.WriteFile(t, filepath.Join(dir, "certs", "good.pem"), string(good))
	testutil.WriteFile(t, filepath.Join(dir, "certs", "junk.pem"), "not a certificate\n")
	goodCert := filepath.Join(dir, "certs", "good.pem")
	for _, tt := range []struct {
		name, in string
		args     []string
		code     int
		want     string
	}{
		{"value as an argument", "", []string{"--cert", goodCert, "--name", "s", "--namespace", "m", "hunter2"}, 2, `unexpected argument "hunter2": the value is read from stdin or --from-file, never from the command line`},
		{"neither --cluster nor --cert", "x", []string{"--name", "s"}, 2, "want exactly one of --cluster and --cert"},
		{"both", "x", []string{"--cluster", "standin", "--cert", goodCert}, 2, "want exactly one of --cluster and --cert"},
		{"no name for strict", "x", []string{"--cert", goodCert, "--namespace", "m"}, 2, "a strict sealed value needs the Secret's name"},
		{"no namespace with --cert", "x", []string{"--cert", goodCert, "--name", "s"}, 2, "a strict sealed value needs the Secret's namespace"},
		{"bad scope", "x", []string{"--cert", goodCert, "--name", "s", "--namespace", "m", "--scope", "wide"}, 2, `unknown scope "wide"`},
		{"bad key", "x", []string{"--cert", goodCert, "--name", "s", "--namespace", "m", "--key", "a b"}, 2, `--key: "a b" is not a key of a Secret`},
		{"empty value", "\n", []string{"--cert", goodCert, "--name", "s", "--namespace", "m"}, 1, "FAILED: the value is empty"},
		{"expired certificate", "x", []string{"--root", dir, "--cluster", "old", "--name", "s"}, 1, "FAILED: the certificate " + filepath.Join(dir, "certs", "old.pem") + ": expired on "},
		{"invalid certificate", "x", []string{"--cert", filepath.Join(dir, "certs", "junk.pem"), "--name", "s", "--namespace", "m"}, 1, "no PEM certificate in it"},
		{"no certificate in the vars", "x", []string{"--root", dir, "--cluster", "standin", "--name", "s"}, 1,
			"FAILED: vars/standin.jsonnet: vars.sealedSecrets.certificate is not set: fetch the controller's certificate into the repository (kubeseal --fetch-cert --controller-name sealed-secrets-controller --controller-namespace sealed > certs/standin.pem)"},
		{"no such cluster", "x", []string{"--root", dir, "--cluster", "nope", "--name", "s"}, 1, "nope"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, stdout, stderr := runSealWith(t, tt.in, tt.args...)
			if code != tt.code || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, want %d; stderr does not say %q:\n%s", code, tt.code, tt.want, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout: %s", stdout)
			}
		})
	}
}
