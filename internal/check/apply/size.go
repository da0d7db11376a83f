package apply

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

const (
	// LastApplied is the annotation client-side `kubectl apply` (and
	// ArgoCD, unless it applies server-side) writes: the object's JSON.
	LastApplied = "kubectl.kubernetes.io/last-applied-configuration"
	// MaxAnnotationsBytes is Kubernetes' limit on metadata.annotations:
	// every key's and value's bytes together (ValidateAnnotationsSize).
	MaxAnnotationsBytes = 256 << 10
	// SyncOptions is ArgoCD's per-resource sync option annotation;
	// ServerSideApply its option that applies the object server-side.
	SyncOptions     = "argocd.argoproj.io/sync-options"
	ServerSideApply = "ServerSideApply=true"
)

// AnnotationsSize is what metadata.annotations of the object j would hold,
// in bytes, after a client-side apply: its annotations' keys and values
// (but a previous last-applied one) plus the last-applied annotation, whose
// value is the object's JSON without it as kubectl encodes it (Go's
// encoding/json: keys sorted, no spaces, <, > and & escaped, a newline at
// the end).
func AnnotationsSize(j []byte) (int, error) {
	var obj map[string]any
	d := json.NewDecoder(bytes.NewReader(j))
	d.UseNumber()
	if err := d.Decode(&obj); err != nil {
		return 0, err
	}
	size := 0
	if md, ok := obj["metadata"].(map[string]any); ok {
		if an, ok := md["annotations"].(map[string]any); ok {
			delete(an, LastApplied)
			for k, v := range an {
				s, _ := v.(string)
				size += len(k) + len(s)
			}
			if len(an) == 0 {
				delete(md, "annotations")
			}
		}
	}
	enc, err := json.Marshal(obj)
	if err != nil {
		return 0, err
	}
	return size + len(LastApplied) + len(enc) + 1, nil
}

// mayExceed is a cheap upper bound most objects are far below: the JSON
// twice (annotations are in it and beside it), plus what each escape
// kubectl adds (<, >, &, U+2028 and U+2029 become six bytes).
func mayExceed(j []byte) bool {
	esc := 0
	for _, c := range []string{"<", ">", "&", "\u2028", "\u2029"} {
		esc += bytes.Count(j, []byte(c))
	}
	return 2*len(j)+5*esc+len(LastApplied)+1 > MaxAnnotationsBytes
}

// NeedsServerSide reports whether the object j cannot be applied
// client-side: its annotations would be too large.
func NeedsServerSide(j []byte) bool {
	if !mayExceed(j) {
		return false
	}
	n, err := AnnotationsSize(j)
	return err == nil && n > MaxAnnotationsBytes
}

// serverSide reports whether annotations ask ArgoCD to apply server-side.
func serverSide(annotations map[string]string) bool {
	for _, o := range strings.Split(annotations[SyncOptions], ",") {
		if strings.TrimSpace(o) == ServerSideApply {
			return true
		}
	}
	return false
}

func tooLarge(o Object, m meta) (Finding, bool) {
	if serverSide(m.Metadata.Annotations) || !mayExceed(o.JSON) {
		return Finding{}, false
	}
	n, err := AnnotationsSize(o.JSON)
	if err != nil || n <= MaxAnnotationsBytes {
		return Finding{}, false
	}
	return Finding{File: o.File, Object: o.ID(), Msg: fmt.Sprintf(
		"a client-side apply makes metadata.annotations %s bytes (the %s annotation holds the whole object), over Kubernetes' limit of %s: `kubectl apply` fails with `Too long: may not be more than 262144 bytes`. Apply it server-side: `kubectl apply --server-side`, ArgoCD's sync option %s, or set vars apply.serverSide: true (renders %s: %s on exactly the objects that need it)",
		Thousands(n), LastApplied, Thousands(MaxAnnotationsBytes), ServerSideApply, SyncOptions, ServerSideApply)}, true
}

// Annotate adds ArgoCD's ServerSideApply=true sync option to the object j
// (or to the items of the List j) when it cannot be applied client-side,
// keeping the sync options it has. It returns j itself when nothing needs
// it (or j is no object: the validation reports that).
func Annotate(j []byte) ([]byte, error) {
	var obj map[string]any
	d := json.NewDecoder(bytes.NewReader(j))
	d.UseNumber()
	if err := d.Decode(&obj); err != nil {
		return j, nil
	}
	changed := false
	mark := func(o map[string]any, raw []byte) {
		if !NeedsServerSide(raw) {
			return
		}
		md, _ := o["metadata"].(map[string]any)
		if md == nil {
			md = map[string]any{}
			o["metadata"] = md
		}
		an, _ := md["annotations"].(map[string]any)
		if an == nil {
			an = map[string]any{}
			md["annotations"] = an
		}
		prev, _ := an[SyncOptions].(string)
		if serverSide(map[string]string{SyncOptions: prev}) {
			return
		}
		if strings.TrimSpace(prev) == "" {
			an[SyncOptions] = ServerSideApply
		} else {
			an[SyncOptions] = prev + "," + ServerSideApply
		}
		changed = true
	}
	if kind, _ := obj["kind"].(string); strings.HasSuffix(kind, "List") {
		items, _ := obj["items"].([]any)
		for _, it := range items {
			if o, ok := it.(map[string]any); ok {
				raw, err := json.Marshal(o)
				if err != nil {
					return nil, err
				}
				mark(o, raw)
			}
		}
	} else {
		mark(obj, j)
	}
	if !changed {
		return j, nil
	}
	var b bytes.Buffer
	e := json.NewEncoder(&b)
	e.SetEscapeHTML(false)
	e.SetIndent("", "  ")
	if err := e.Encode(obj); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// Thousands writes n with a comma every three digits: 262,144.
func Thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
