package seal

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/kpgen/kpgen/internal/safefs"
)

// maxCertBytes bounds what is read of a certificate (the controller's is
// about 1.7 KB).
const maxCertBytes = 1 << 20

// IsURL reports whether a certificate's location is a URL (http or https)
// rather than a path.
func IsURL(loc string) bool {
	return strings.HasPrefix(loc, "https://") || strings.HasPrefix(loc, "http://")
}

// LoadCert reads the controller's certificate from a path or an http(s)
// URL and returns its RSA public key, refusing (as kubeseal does) a
// certificate that has expired, and one that is not valid yet.
func LoadCert(ctx context.Context, loc string, now time.Time) (*rsa.PublicKey, error) {
	var (
		data []byte
		err  error
	)
	if IsURL(loc) {
		data, err = fetch(ctx, loc)
	} else {
		data, err = safefs.ReadRegular(loc, maxCertBytes)
	}
	if err != nil {
		return nil, fmt.Errorf("reading the certificate %s: %w", loc, err)
	}
	key, err := ParseCert(data, now)
	if err != nil {
		return nil, fmt.Errorf("the certificate %s: %w", loc, err)
	}
	return key, nil
}

func fetch(ctx context.Context, url string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxCertBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxCertBytes {
		return nil, fmt.Errorf("GET %s: more than %d bytes: not a certificate", url, maxCertBytes)
	}
	return data, nil
}

// ParseCert reads the first certificate of PEM data (what `kubeseal
// --fetch-cert` prints) and returns its RSA public key.
func ParseCert(data []byte, now time.Time) (*rsa.PublicKey, error) {
	var block *pem.Block
	rest := data
	for {
		block, rest = pem.Decode(rest)
		if block == nil {
			return nil, errors.New("no PEM certificate in it (want the controller's certificate, as `kubeseal --fetch-cert` prints it)")
		}
		if block.Type == "CERTIFICATE" {
			break
		}
	}
	cert, err := x509.ParseCertificate(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("not a valid certificate: %w", err)
	}
	key, ok := cert.PublicKey.(*rsa.PublicKey)
	if !ok {
		return nil, fmt.Errorf("its public key is %T, not RSA (the Sealed Secrets controller's is RSA)", cert.PublicKey)
	}
	if now.After(cert.NotAfter) {
		return nil, fmt.Errorf("expired on %s: fetch the controller's current certificate (kubeseal --fetch-cert)", cert.NotAfter.UTC().Format(time.DateOnly))
	}
	if now.Before(cert.NotBefore) {
		return nil, fmt.Errorf("not valid before %s", cert.NotBefore.UTC().Format(time.RFC3339))
	}
	return key, nil
}
