package diff

import (
	"encoding/json"
	"reflect"
	"strconv"
	"strings"
)

// diffFields compares two JSON-like values and returns the changed leaves
// (or whole subtrees added or removed), in a deterministic order.
func diffFields(a, b any) []FieldDiff {
	var out []FieldDiff
	diffValues("", a, b, &out)
	return out
}

func diffValues(path string, a, b any, out *[]FieldDiff) {
	switch av := a.(type) {
	case map[string]any:
		if bv, ok := b.(map[string]any); ok {
			diffMaps(path, av, bv, out)
			return
		}
	case []any:
		if bv, ok := b.([]any); ok {
			diffLists(path, av, bv, out)
			return
		}
	}
	if !reflect.DeepEqual(a, b) {
		*out = append(*out, FieldDiff{Path: rootPath(path), Op: Changed, Old: a, New: b})
	}
}

func diffMaps(path string, a, b map[string]any, out *[]FieldDiff) {
	keys := map[string]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	for _, k := range sortedKeys(keys) {
		av, inA := a[k]
		bv, inB := b[k]
		p := keyPath(path, k)
		switch {
		case !inA:
			*out = append(*out, FieldDiff{Path: p, Op: Added, New: bv})
		case !inB:
			*out = append(*out, FieldDiff{Path: p, Op: Removed, Old: av})
		default:
			diffValues(p, av, bv, out)
		}
	}
}

// diffLists matches list items by their name when every item has a distinct
// one, and otherwise aligns equal items (longest common subsequence) and
// compares the items between them in order.
func diffLists(path string, a, b []any, out *[]FieldDiff) {
	if an, ok := itemNames(a); ok {
		if bn, ok := itemNames(b); ok {
			inB := map[string]int{}
			for j, n := range bn {
				inB[n] = j
			}
			inA := map[string]bool{}
			for i, n := range an {
				inA[n] = true
				p := path + "[name=" + quoteName(n) + "]"
				if j, ok := inB[n]; ok {
					diffValues(p, a[i], b[j], out)
				} else {
					*out = append(*out, FieldDiff{Path: p, Op: Removed, Old: a[i]})
				}
			}
			for j, n := range bn {
				if !inA[n] {
					*out = append(*out, FieldDiff{Path: path + "[name=" + quoteName(n) + "]", Op: Added, New: b[j]})
				}
			}
			return
		}
	}
	ak, bk := canonicalAll(a), canonicalAll(b)
	pairs := align(ak, bk)
	i, j := 0, 0
	for _, m := range append(pairs, [2]int{len(a), len(b)}) {
		// The gap a[i:m[0]], b[j:m[1]]: pair items in order, then the rest.
		for i < m[0] && j < m[1] {
			diffValues(indexPath(path, j), a[i], b[j], out)
			i, j = i+1, j+1
		}
		for ; i < m[0]; i++ {
			*out = append(*out, FieldDiff{Path: indexPath(path, i), Op: Removed, Old: a[i]})
		}
		for ; j < m[1]; j++ {
			*out = append(*out, FieldDiff{Path: indexPath(path, j), Op: Added, New: b[j]})
		}
		i, j = m[0]+1, m[1]+1
	}
}

// itemNames returns the "name" of every item when all items are objects with
// distinct non-empty names.
func itemNames(l []any) ([]string, bool) {
	if len(l) == 0 {
		return nil, true
	}
	names := make([]string, len(l))
	seen := map[string]bool{}
	for i, it := range l {
		m, ok := it.(map[string]any)
		if !ok {
			return nil, false
		}
		n, ok := m["name"].(string)
		if !ok || n == "" || seen[n] {
			return nil, false
		}
		seen[n] = true
		names[i] = n
	}
	return names, true
}

func canonicalAll(l []any) []string {
	out := make([]string, len(l))
	for i, v := range l {
		out[i] = canonical(v)
	}
	return out
}

// canonical is a string equal for equal values (encoding/json sorts keys).
func canonical(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// align returns the index pairs (i, j), increasing, of a longest common
// subsequence of a and b. Beyond a size limit, only the common prefix and
// suffix are aligned.
func align(a, b []string) [][2]int {
	var pre [][2]int
	for len(pre) < len(a) && len(pre) < len(b) && a[len(pre)] == b[len(pre)] {
		pre = append(pre, [2]int{len(pre), len(pre)})
	}
	p := len(pre)
	s := 0
	for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	am, bm := a[p:len(a)-s], b[p:len(b)-s]
	pairs := pre
	if len(am) > 0 && len(bm) > 0 && len(am)*len(bm) <= 1<<20 {
		// lcs[i][j] is the LCS length of am[i:], bm[j:].
		lcs := make([][]int32, len(am)+1)
		for i := range lcs {
			lcs[i] = make([]int32, len(bm)+1)
		}
		for i := len(am) - 1; i >= 0; i-- {
			for j := len(bm) - 1; j >= 0; j-- {
				if am[i] == bm[j] {
					lcs[i][j] = lcs[i+1][j+1] + 1
				} else {
					lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
				}
			}
		}
		for i, j := 0, 0; i < len(am) && j < len(bm); {
			switch {
			case am[i] == bm[j]:
				pairs = append(pairs, [2]int{p + i, p + j})
				i, j = i+1, j+1
			case lcs[i+1][j] >= lcs[i][j+1]:
				i++
			default:
				j++
			}
		}
	}
	for k := s; k > 0; k-- {
		pairs = append(pairs, [2]int{len(a) - k, len(b) - k})
	}
	return pairs
}

// Paths.

func rootPath(p string) string {
	if p == "" {
		return "."
	}
	return p
}

func keyPath(path, key string) string {
	if isPlainKey(key) {
		if path == "" {
			return key
		}
		return path + "." + key
	}
	return path + "[" + strconv.Quote(key) + "]"
}

func indexPath(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func isPlainKey(k string) bool {
	if k == "" {
		return false
	}
	for i, c := range k {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && (c == '-' || c >= '0' && c <= '9')) {
			return false
		}
	}
	return true
}

func quoteName(n string) string {
	if strings.ContainsAny(n, "[]=\" ") {
		return strconv.Quote(n)
	}
	return n
}

// lastKey returns the map key a path ends with, if it ends with one.
func lastKey(path string) (string, bool) {
	if strings.HasSuffix(path, `"]`) {
		if i := strings.LastIndex(path, `["`); i >= 0 {
			if k, err := strconv.Unquote(path[i+1 : len(path)-1]); err == nil {
				return k, true
			}
		}
		return "", false
	}
	if strings.HasSuffix(path, "]") || path == "." {
		return "", false
	}
	return path[strings.LastIndex(path, ".")+1:], true
}

// pathSeg is one segment of a field path: a map key, or a bracketed
// index or name selector (raw, brackets included).
type pathSeg struct {
	key   string
	isKey bool
	raw   string
}

// splitPath splits a path made by keyPath, indexPath and diffLists.
func splitPath(p string) []pathSeg {
	var segs []pathSeg
	for i := 0; i < len(p); {
		switch p[i] {
		case '.':
			i++
			continue
		case '[':
			if i+1 < len(p) && p[i+1] == '"' {
				if q, err := strconv.QuotedPrefix(p[i+1:]); err == nil {
					k, _ := strconv.Unquote(q)
					segs = append(segs, pathSeg{key: k, isKey: true})
					i += 1 + len(q) + 1
					continue
				}
			}
			j := strings.IndexByte(p[i:], ']')
			if j < 0 {
				j = len(p) - i - 1
			}
			segs = append(segs, pathSeg{raw: p[i : i+j+1]})
			i += j + 1
		default:
			j := strings.IndexAny(p[i:], ".[")
			if j < 0 {
				j = len(p) - i
			}
			segs = append(segs, pathSeg{key: p[i : i+j], isKey: true})
			i += j
		}
	}
	return segs
}

// schemaPath turns a path into a CustomResourceDefinition's schema
// (spec.versions[name=v1].schema.openAPIV3Schema.properties.spec.properties.x.items.properties.y.description)
// into the field it describes and the schema keyword changed:
// "v1: spec.x[].y (description)". keyword is "" when the path is a property.
func schemaPath(p string) (field, keyword string, ok bool) {
	const pre, mid = "spec.versions[name=", "].schema.openAPIV3Schema"
	i := strings.Index(p, mid)
	if !strings.HasPrefix(p, pre) || i < 0 {
		return "", "", false
	}
	var b strings.Builder
	segs := splitPath(p[i+len(mid):])
	k := 0
loop:
	for ; k < len(segs); k++ {
		s := segs[k]
		switch {
		case s.isKey && s.key == "properties" && k+1 < len(segs) && segs[k+1].isKey:
			k++
			if b.Len() == 0 && isPlainKey(segs[k].key) {
				b.WriteString(segs[k].key)
			} else {
				b.WriteString(keyPath(".", segs[k].key)[1:])
			}
		case s.isKey && s.key == "items":
			b.WriteString("[]")
		case s.isKey && s.key == "additionalProperties":
			b.WriteString("[*]")
		default:
			break loop
		}
	}
	kw := ""
	for _, s := range segs[k:] {
		if s.isKey {
			kw = keyPath(kw, s.key)
		} else {
			kw += s.raw
		}
	}
	field = b.String()
	if field == "" {
		field = "(root)"
	}
	return p[len(pre):i] + ": " + field, kw, true
}
