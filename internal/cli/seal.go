package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/kpgen/kpgen/internal/render"
	"github.com/kpgen/kpgen/internal/safefs"
	"github.com/kpgen/kpgen/internal/seal"
)

const sealHelp = `Seal a value for a cluster's Sealed Secrets controller, as kubeseal --raw
does (with sealed-secrets' own code), and print what to paste into the vars
(see docs/secrets.md). Only the controller can unseal it, into the Secret it
was sealed for.

The value is read from stdin (one trailing newline dropped), or exactly as it
is from --from-file: never from the command line, which shell history keeps.

The certificate is the cluster's (vars.sealedSecrets.certificate, a path
from the project's root or a URL) with --cluster, or --cert's. The Secret's
namespace and scope default to its declaration in the cluster's
vars.sealedSecrets.secrets, else to the stack's namespace and strict.

  printf %s "$SLACK_URL" | kpgen seal --cluster prod --name alertmanager-slack --key url
  kpgen seal --cert certs/prod.pem --namespace monitoring --name grafana-admin \
      --key admin-password --from-file ./password.txt

With --key, it prints the vars.sealedSecrets.secrets entry; without, the sealed
value alone.`

// stdin is where kpgen seal reads a value (tests replace it).
var stdin io.Reader = os.Stdin

// maxSealBytes bounds a value: a Secret holds at most 1 MiB.
const maxSealBytes = 1 << 20

func runSeal(args []string, stdout, stderr io.Writer) int {
	var (
		cf                         clusterFlags
		cluster, cert, fromFile    string
		name, namespace, key, scop string
	)
	fs := newFlags("seal", "", sealHelp, stderr)
	fs.StringVar(&cluster, "cluster", "", "the cluster (a vars file or a cluster's name) whose certificate to use")
	fs.StringVar(&cert, "cert", "", "the controller's certificate: a path or an http(s) URL (instead of --cluster)")
	fs.StringVar(&name, "name", "", "the Secret's name (required, but for --scope cluster-wide)")
	fs.StringVar(&namespace, "namespace", "", "the Secret's namespace (default: its declaration's, or the stack's namespace with --cluster)")
	fs.StringVar(&scop, "scope", "", "strict, namespace-wide or cluster-wide (default: its declaration's, or strict)")
	fs.StringVar(&key, "key", "", "the Secret's key: print the whole vars entry, not only the sealed value")
	fs.StringVar(&fromFile, "from-file", "", "read the value from this file, exactly, instead of stdin")
	fs.StringVar(&cf.root, "root", "", "project root (default: found from the vars file, or the current directory)")
	if done, code := parse(fs, args, stdout); done {
		return code
	}
	if fs.NArg() > 0 {
		return usageError(stderr, "seal", "unexpected argument %q: the value is read from stdin or --from-file, never from the command line (shell history keeps it)", fs.Arg(0))
	}
	if (cluster == "") == (cert == "") {
		return usageError(stderr, "seal", "want exactly one of --cluster and --cert")
	}
	if key != "" {
		if msg := secretKeyProblem(key); msg != "" {
			return usageError(stderr, "seal", "--key: %s", msg)
		}
	}
	t := seal.Target{Name: name, Namespace: namespace, Scope: seal.Scope(scop)}
	label := cert
	if cluster != "" {
		cf.jobs = 1
		r, vars, _, code := resolveCluster("seal", cf, cluster, stderr)
		if code != ExitOK {
			return code
		}
		rd := render.New(r)
		cfgJSON, err := rd.Field(vars, "config")
		if err != nil {
			fmt.Fprintf(stderr, "FAILED: %s: %v\n", rd.Rel(vars), err)
			return ExitFailed
		}
		var cfg sealConfig
		if err := json.Unmarshal(cfgJSON, &cfg); err != nil {
			fmt.Fprintf(stderr, "FAILED: %s: the library's config: %v\n", rd.Rel(vars), err)
			return ExitFailed
		}
		ss := cfg.SealedSecrets
		if ss.Certificate == "" {
			fmt.Fprintf(stderr, "FAILED: %s: vars.sealedSecrets.certificate is not set: fetch the controller's certificate into the repository (kubeseal --fetch-cert --controller-name %s --controller-namespace %s > certs/%s.pem), set vars.sealedSecrets.certificate to it, or pass --cert\n",
				rd.Rel(vars), ss.ControllerName, ss.ControllerNamespace, cfg.Cluster.Name)
			return ExitFailed
		}
		cert = ss.Certificate
		label = cert
		if !seal.IsURL(cert) && !filepath.IsAbs(cert) {
			cert = filepath.Join(r.Dir, cert)
		}
		if d, ok := ss.Secrets[name]; ok {
			if t.Namespace == "" {
				t.Namespace = d.Namespace
			}
			if t.Scope == "" {
				t.Scope = seal.Scope(d.Scope)
			}
		}
		if t.Namespace == "" && t.Scope != seal.ClusterWide {
			t.Namespace = cfg.Namespace
		}
		label = fmt.Sprintf("%s's certificate %s", cfg.Cluster.Name, label)
	}
	if t.Scope == "" {
		t.Scope = seal.Strict
	}
	if err := t.Check(); err != nil {
		return usageError(stderr, "seal", "%v (--name, --namespace, --scope)", err)
	}
	value, err := readValue(fromFile, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "FAILED: %v\n", err)
		return ExitFailed
	}
	pub, err := seal.LoadCert(context.Background(), cert, time.Now())
	if err != nil {
		fmt.Fprintf(stderr, "FAILED: %v\n", err)
		return ExitFailed
	}
	sealed, err := seal.Value(nil, pub, t, value)
	if err != nil {
		fmt.Fprintf(stderr, "FAILED: %v\n", err)
		return ExitFailed
	}
	if key == "" {
		fmt.Fprintln(stdout, sealed)
	} else {
		fmt.Fprint(stdout, entry(t, key, sealed))
	}
	fmt.Fprintf(stderr, "SUCCESS: sealed %d bytes for Secret %s (%s) with %s\n", len(value), secretName(t), t.Scope, label)
	return ExitOK
}

// sealConfig is what kpgen seal reads of a cluster's merged vars.
type sealConfig struct {
	Cluster struct {
		Name string `json:"name"`
	} `json:"cluster"`
	Namespace     string `json:"namespace"`
	SealedSecrets struct {
		Certificate         string `json:"certificate"`
		ControllerName      string `json:"controllerName"`
		ControllerNamespace string `json:"controllerNamespace"`
		Secrets             map[string]struct {
			Namespace string `json:"namespace"`
			Scope     string `json:"scope"`
		} `json:"secrets"`
	} `json:"sealedSecrets"`
}

// readValue reads the value to seal: a file's bytes exactly, or stdin's
// without its trailing newline (what echo and a terminal add).
func readValue(fromFile string, stderr io.Writer) ([]byte, error) {
	var (
		b   []byte
		err error
	)
	if fromFile != "" {
		if b, err = safefs.ReadRegular(fromFile, maxSealBytes); err != nil {
			return nil, fmt.Errorf("--from-file: %w", err)
		}
	} else {
		if isTerminal(stderr) {
			if f, ok := stdin.(*os.File); ok && isTerminal(f) {
				fmt.Fprintln(stderr, "Reading the value from the terminal; end it with Ctrl-D.")
			}
		}
		if b, err = io.ReadAll(io.LimitReader(stdin, maxSealBytes+1)); err != nil {
			return nil, fmt.Errorf("reading stdin: %w", err)
		}
		if len(b) > maxSealBytes {
			return nil, fmt.Errorf("the value is over 1 MiB, more than a Secret holds")
		}
		b = []byte(strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r"))
	}
	if len(b) == 0 {
		return nil, fmt.Errorf("the value is empty: nothing to seal (give it on stdin or with --from-file)")
	}
	return b, nil
}

func secretName(t seal.Target) string {
	switch {
	case t.Namespace == "":
		return t.Name
	case t.Name == "":
		return t.Namespace + "/*"
	}
	return t.Namespace + "/" + t.Name
}

// entry is the vars.sealedSecrets.secrets entry holding one sealed value.
func entry(t seal.Target, key, sealed string) string {
	q := func(s string) string { return "'" + s + "'" }
	var b strings.Builder
	fmt.Fprintf(&b, "// vars.sealedSecrets.secrets (sealed by kpgen seal, scope %s):\n", t.Scope)
	fields := []string{}
	if t.Namespace != "" {
		fields = append(fields, "namespace: "+q(t.Namespace))
	}
	if t.Scope != seal.Strict {
		fields = append(fields, "scope: "+q(string(t.Scope)))
	}
	fields = append(fields, "encryptedData: { "+q(key)+": "+q(sealed)+" }")
	name := t.Name
	if name == "" {
		name = "<name>"
	}
	fmt.Fprintf(&b, "%s: { %s },\n", q(name), strings.Join(fields, ", "))
	return b.String()
}

// secretKeyProblem checks a Secret's key as the API server does.
func secretKeyProblem(k string) string {
	if len(k) > 253 || k == "." || k == ".." || strings.Trim(k, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") != "" {
		return fmt.Sprintf("%q is not a key of a Secret (letters, digits, \"-\", \"_\" and \".\", at most 253 characters)", k)
	}
	return ""
}
