package seal

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/pem"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	ssv1 "github.com/bitnami-labs/sealed-secrets/pkg/apis/sealedsecrets/v1alpha1"
	sscrypto "github.com/bitnami-labs/sealed-secrets/pkg/crypto"
)

// keyPair makes a key and a self-signed certificate as the controller does
// (sealed-secrets' own GeneratePrivateKeyAndCert), valid for validFor.
func keyPair(t *testing.T, validFor time.Duration) (*rsa.PrivateKey, []byte) {
	t.Helper()
	key, cert, err := sscrypto.GeneratePrivateKeyAndCert(2048, validFor, "sealed-secret")
	if err != nil {
		t.Fatal(err)
	}
	return key, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})
}

var upstreamScope = map[Scope]ssv1.SealingScope{
	Strict:        ssv1.StrictScope,
	NamespaceWide: ssv1.NamespaceWideScope,
	ClusterWide:   ssv1.ClusterWideScope,
}

func TestLabelAndAnnotationsAreSealedSecrets(t *testing.T) {
	for sc, up := range upstreamScope {
		if got, want := Label("monitoring", "slack", sc), ssv1.EncryptionLabel("monitoring", "slack", up); !bytes.Equal(got, want) {
			t.Errorf("%s: label %q, sealed-secrets says %q", sc, got, want)
		}
	}
	if NamespaceWideAnnotation != ssv1.SealedSecretNamespaceWideAnnotation || ClusterWideAnnotation != ssv1.SealedSecretClusterWideAnnotation {
		t.Errorf("annotations %q %q differ from sealed-secrets' %q %q", NamespaceWideAnnotation, ClusterWideAnnotation,
			ssv1.SealedSecretNamespaceWideAnnotation, ssv1.SealedSecretClusterWideAnnotation)
	}
}

func TestValueDecryptsWithTheScopesLabelOnly(t *testing.T) {
	key, certPEM := keyPair(t, time.Hour)
	pub, err := ParseCert(certPEM, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]*rsa.PrivateKey{"k": key}
	secret := []byte("https://hooks.slack.com/services/T000/B000/XXXX")
	for sc, up := range upstreamScope {
		sealed, err := Value(nil, pub, Target{Namespace: "monitoring", Name: "slack", Scope: sc}, secret)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := base64.StdEncoding.DecodeString(sealed)
		if err != nil {
			t.Fatal(err)
		}
		got, err := sscrypto.HybridDecrypt(rand.Reader, keys, raw, ssv1.EncryptionLabel("monitoring", "slack", up))
		if err != nil || !bytes.Equal(got, secret) {
			t.Errorf("%s: decrypted %q, %v; want the value back", sc, got, err)
		}
		// Another Secret's label: the controller refuses to unseal it there.
		other := map[Scope][]byte{
			Strict:        ssv1.EncryptionLabel("monitoring", "other", ssv1.StrictScope),
			NamespaceWide: ssv1.EncryptionLabel("default", "slack", ssv1.NamespaceWideScope),
			ClusterWide:   ssv1.EncryptionLabel("monitoring", "slack", ssv1.StrictScope),
		}[sc]
		if got, err := sscrypto.HybridDecrypt(rand.Reader, keys, raw, other); err == nil {
			t.Errorf("%s: decrypted under label %q: %q", sc, other, got)
		}
	}
}

func TestTargetNeedsWhatItsScopeLabels(t *testing.T) {
	key, _ := keyPair(t, time.Hour)
	for _, tc := range []struct {
		t    Target
		want string
	}{
		{Target{Name: "x", Scope: Strict}, "needs the Secret's namespace"},
		{Target{Namespace: "m", Scope: Strict}, "needs the Secret's name"},
		{Target{Scope: NamespaceWide}, "needs the Secret's namespace"},
		{Target{Namespace: "m", Name: "x", Scope: "wide"}, `unknown scope "wide"`},
	} {
		if _, err := Value(nil, &key.PublicKey, tc.t, []byte("v")); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.t, err, tc.want)
		}
	}
	if _, err := Value(nil, &key.PublicKey, Target{Scope: ClusterWide}, []byte("v")); err != nil {
		t.Errorf("cluster-wide needs neither name nor namespace: %v", err)
	}
}

func TestLoadCert(t *testing.T) {
	_, good := keyPair(t, time.Hour)
	_, expired := keyPair(t, time.Nanosecond)
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/cert.pem" {
			http.NotFound(w, r)
			return
		}
		w.Write(good)
	}))
	defer srv.Close()
	later := time.Now().Add(time.Minute)
	ok := func(loc string) {
		t.Helper()
		if k, err := LoadCert(context.Background(), loc, later); err != nil || k == nil {
			t.Errorf("%s: %v", loc, err)
		}
	}
	ok(write("good.pem", good))
	ok(srv.URL + "/v1/cert.pem")
	junkFirst := func() []byte {
		_, certPEM := keyPair(t, time.Hour)
		return append([]byte("junk before\n"), certPEM...)
	}()
	ok(write("leading-junk.pem", junkFirst))
	for loc, want := range map[string]string{
		write("expired.pem", expired):                 "expired on ",
		write("text.pem", []byte("hello")):            "no PEM certificate",
		write("bad.pem", pemOf("CERTIFICATE", 9)):     "not a valid certificate",
		filepath.Join(dir, "missing.pem"):             "no such file",
		srv.URL + "/nothing.pem":                      "404 Not Found",
		write("key.pem", pemOf("RSA PRIVATE KEY", 9)): "no PEM certificate",
	} {
		_, err := LoadCert(context.Background(), loc, later)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), loc) {
			t.Errorf("%s: %v, want an error naming it and saying %q", loc, err, want)
		}
	}
}

func TestParseCertRefusesANonRSAKey(t *testing.T) {
	// An Ed25519 certificate, self-signed.
	der := ed25519Cert(t)
	_, err := ParseCert(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), time.Now())
	if err == nil || !strings.Contains(err.Error(), "not RSA") {
		t.Errorf("got %v, want a refusal of a non-RSA key", err)
	}
}

func pemOf(typ string, n int) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: bytes.Repeat([]byte{1}, n)})
}
