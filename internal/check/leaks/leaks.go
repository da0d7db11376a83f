// Package leaks is the leak check: no plaintext credential in a cluster's
// output. Every Secret (kind Secret, apiVersion v1, Lists' items too) has
// each value of its data (base64-decoded) and stringData looked at for what
// looks like a credential: a receiver URL carrying its token (Slack, Teams,
// Discord webhooks; user:password@; token=, key=, sig= and the like in the
// query), a credential-named key with a value in YAML, JSON, INI or .env
// content (auth_password:, admin_password =, routing_key:, …; *_file keys,
// paths and $VARIABLES are references, not values), a private key, or a
// well-known token format (AWS AKIA…, GitHub ghp_…, Slack xox…). A finding
// never shows the value.
//
// The output is committed to git: a credential there is a leak. Credentials
// reach the stack sealed (vars.sealedSecrets, `kpgen seal`) or as references
// to Secrets that exist in the cluster; vars.secrets.allowPlaintext lets a
// Secret through, with a reason.
package leaks

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Object is a rendered object and the file it is in: the Secrets and
// SealedSecrets of the output.
type Object struct {
	File       string // relative to the cluster's output directory
	APIVersion string
	Kind       string
	Namespace  string
	Name       string
	JSON       []byte
}

// Finding is one problem: File and Object locate it ("" File for a problem
// of the vars' exceptions themselves).
type Finding struct {
	File, Object, Msg string
}

// AllowKey is where vars.secrets.allowPlaintext's problems are reported.
const AllowKey = "vars.secrets.allowPlaintext"

// Check looks at every Secret of a cluster's objects. cluster names the
// cluster in the advice; allow is vars.secrets.allowPlaintext
// ("namespace/name" → reason): those Secrets are not looked at, and an
// entry naming no Secret of the output is a finding of its own (a stale
// exception would let a later Secret of that name through unseen).
func Check(cluster string, objs []Object, allow map[string]string) []Finding {
	if cluster == "" {
		cluster = "<cluster>"
	}
	var out []Finding
	used := map[string]bool{}
	for _, o := range objs {
		if o.Kind != "Secret" || o.APIVersion != "v1" {
			continue
		}
		ref := o.Namespace + "/" + o.Name
		if _, ok := allow[ref]; ok {
			used[ref] = true
			continue
		}
		id := "Secret " + ref
		if o.Namespace == "" {
			id = "Secret " + o.Name
		}
		for _, v := range values(o.JSON) {
			for _, h := range detect(v.value) {
				out = append(out, Finding{File: o.File, Object: id, Msg: fmt.Sprintf(
					"%s %q, line %d: %s in plaintext: the output is committed to git. Seal it (`kpgen seal --cluster %s`, then vars.sealedSecrets.secrets) or keep it in a Secret that exists in the cluster and reference that; if it is no credential, allow it: %s: { '%s': '<why>' }",
					v.field, v.key, h.line, h.what, cluster, AllowKey, ref)})
			}
		}
	}
	out = append(out, shadowed(objs)...)
	var stale []string
	for ref := range allow {
		if !used[ref] {
			stale = append(stale, ref)
		}
	}
	sort.Strings(stale)
	for _, ref := range stale {
		out = append(out, Finding{File: AllowKey, Msg: fmt.Sprintf("%q names no Secret of the output (remove the exception)", ref)})
	}
	return out
}

type value struct {
	field, key, value string
}

// values are a Secret's values: data's decoded, stringData's as they are,
// sorted by field and key.
func values(j []byte) []value {
	var s struct {
		Data       map[string]string `json:"data"`
		StringData map[string]string `json:"stringData"`
	}
	if err := json.Unmarshal(j, &s); err != nil {
		// Not a well-formed Secret: look at the whole object.
		return []value{{"object", "", string(j)}}
	}
	var out []value
	for k, v := range s.Data {
		b, err := base64.StdEncoding.DecodeString(strings.TrimSpace(v))
		if err != nil {
			b = []byte(v) // the API server refuses it; still no place for a credential
		}
		out = append(out, value{"data", k, string(b)})
	}
	for k, v := range s.StringData {
		out = append(out, value{"stringData", k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].field != out[j].field {
			return out[i].field < out[j].field
		}
		return out[i].key < out[j].key
	})
	return out
}

// shadowed: a SealedSecret unseals into the Secret of its own namespace and
// name; the controller refuses to overwrite a Secret it does not own, so a
// Secret of that name in the output (kube-prometheus' own grafana-config,
// say) is one the SealedSecret never replaces.
func shadowed(objs []Object) []Finding {
	secrets := map[string]string{}
	for _, o := range objs {
		if o.Kind == "Secret" && o.APIVersion == "v1" {
			secrets[o.Namespace+"/"+o.Name] = o.File
		}
	}
	var out []Finding
	for _, o := range objs {
		if o.Kind != "SealedSecret" || !strings.HasPrefix(o.APIVersion, "bitnami.com/") {
			continue
		}
		ref := o.Namespace + "/" + o.Name
		if file, ok := secrets[ref]; ok {
			out = append(out, Finding{File: o.File, Object: "SealedSecret " + ref, Msg: fmt.Sprintf(
				"unseals into Secret %s, which %s renders too: the controller does not overwrite a Secret it does not own (rename the sealed Secret, or remove the other with vars.patches)", ref, file)})
		}
	}
	return out
}
