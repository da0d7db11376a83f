// Package seal encrypts values for the Sealed Secrets controller
// (bitnami-labs/sealed-secrets), as kubeseal does: each value on its own
// (kubeseal --raw), with the controller's public certificate, under the
// label of a scope. It uses sealed-secrets' own pkg/crypto (HybridEncrypt);
// the scope labels and annotations are those of its v1alpha1 API, restated
// here so that kpgen's binary does not link client-go's whole API scheme
// (the tests check them against v1alpha1 itself). The CLI calls this
// package; render never does.
package seal

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"fmt"
	"io"

	sscrypto "github.com/bitnami-labs/sealed-secrets/pkg/crypto"
)

// Scope says where a sealed value may be unsealed (sealed-secrets'
// SealingScope): the label it is encrypted under.
type Scope string

const (
	// Strict: only into the Secret of that name in that namespace.
	Strict Scope = "strict"
	// NamespaceWide: into any Secret of that namespace.
	NamespaceWide Scope = "namespace-wide"
	// ClusterWide: into any Secret of the cluster.
	ClusterWide Scope = "cluster-wide"
)

// The annotations sealed-secrets reads the scope of a SealedSecret from
// (v1alpha1.SealedSecretNamespaceWideAnnotation, …ClusterWideAnnotation).
const (
	NamespaceWideAnnotation = "sealedsecrets.bitnami.com/namespace-wide"
	ClusterWideAnnotation   = "sealedsecrets.bitnami.com/cluster-wide"
)

// Scopes lists the scopes, strictest first.
var Scopes = []Scope{Strict, NamespaceWide, ClusterWide}

// ParseScope reads a scope's name.
func ParseScope(s string) (Scope, error) {
	for _, sc := range Scopes {
		if string(sc) == s {
			return sc, nil
		}
	}
	return "", fmt.Errorf("unknown scope %q (want strict, namespace-wide or cluster-wide)", s)
}

// Label is the label a value of the Secret namespace/name is encrypted
// under in scope (v1alpha1.EncryptionLabel): "namespace/name", "namespace"
// or nothing.
func Label(namespace, name string, scope Scope) []byte {
	switch scope {
	case ClusterWide:
		return []byte{}
	case NamespaceWide:
		return []byte(namespace)
	default:
		return []byte(namespace + "/" + name)
	}
}

// Target is the Secret a value is sealed for.
type Target struct {
	Namespace, Name string
	Scope           Scope
}

// Check says what the target lacks for its scope.
func (t Target) Check() error {
	if _, err := ParseScope(string(t.Scope)); err != nil {
		return err
	}
	if t.Scope != ClusterWide && t.Namespace == "" {
		return fmt.Errorf("a %s sealed value needs the Secret's namespace", t.Scope)
	}
	if t.Scope == Strict && t.Name == "" {
		return fmt.Errorf("a strict sealed value needs the Secret's name")
	}
	return nil
}

// Value seals one value for the target with the public key, as kubeseal
// --raw does, and returns it base64-encoded: a value of a SealedSecret's
// spec.encryptedData. rnd is crypto/rand's Reader when nil.
func Value(rnd io.Reader, key *rsa.PublicKey, t Target, value []byte) (string, error) {
	if err := t.Check(); err != nil {
		return "", err
	}
	if rnd == nil {
		rnd = rand.Reader
	}
	out, err := sscrypto.HybridEncrypt(rnd, key, value, Label(t.Namespace, t.Name, t.Scope))
	if err != nil {
		return "", fmt.Errorf("sealing: %w", err)
	}
	return base64.StdEncoding.EncodeToString(out), nil
}
