package render

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/google/go-jsonnet/ast"
)

// Imported JSON files (kube-prometheus imports its CustomResourceDefinitions,
// 5 MB of JSON) are where go-jsonnet spends half of its parsing, and their
// trees are half of the memory all trees take. A JSON document means the same
// as Jsonnet and as std.parseJson, unless an object repeats a name (an error
// in Jsonnet, the last one wins in std.parseJson). So a JSON file whose objects
// have unique names becomes an object whose fields are its top-level fields,
// each one std.parseJson(<its JSON text>) (strings stay literal): reading
// `kind` parses nothing, and the rest is parsed by Go's JSON decoder when, and
// only if, evaluation needs it.

// jsonTree returns the tree standing for a JSON file, or nil if data is not
// JSON without repeated names.
func jsonTree(path string, data []byte) ast.Node {
	data = bytes.Trim(data, " \t\r\n") // Jsonnet's white space; not \f, \v and the like
	if len(data) == 0 || !utf8.Valid(data) || !json.Valid(data) {
		return nil
	}
	top, ok := topFields(data)
	if !ok {
		return nil
	}
	loc := ast.LocationRange{FileName: path}
	ctx := "object <anonymous>"
	base := func(free ...ast.Identifier) ast.NodeBase {
		return ast.NodeBase{LocRange: loc, Ctx: &ctx, FreeVars: free}
	}
	str := func(s string) *ast.LiteralString {
		return &ast.LiteralString{NodeBase: base(), Value: s, Kind: ast.StringDouble}
	}
	parse := func(raw []byte) ast.Node { return stdCall("parseJson", string(raw), loc, &ctx) }
	if data[0] != '{' {
		return parse(data)
	}
	obj := &ast.DesugaredObject{NodeBase: base(stdVar)}
	for _, f := range top {
		var body ast.Node
		var s string
		if f.value[0] == '"' && json.Unmarshal(f.value, &s) == nil {
			body = str(s)
		} else {
			body = parse(f.value)
		}
		obj.Fields = append(obj.Fields, ast.DesugaredObjectField{
			Hide: ast.ObjectFieldInherit, Name: str(f.name), Body: body, LocRange: loc,
		})
	}
	return obj
}

// field is a top-level field of a JSON object: its name and its value's
// JSON text.
type field struct {
	name  string
	value []byte
}

// topFields scans valid JSON once: it returns the top-level fields when data
// is an object, and reports whether no object in data repeats a name. A
// name written with an escape sequence makes it give up (ok false): two
// spellings of one name would compare unequal.
func topFields(data []byte) (top []field, ok bool) {
	type open struct {
		object bool
		keys   int // where this object's names start in keys
	}
	var (
		stack []open
		keys  [][]byte // the names of the objects being read
		key   []byte   // the last top-level name
		start int      // where the current top-level value starts
	)
	expectName := func() bool { return len(stack) > 0 && stack[len(stack)-1].object }
	for i := 0; i < len(data); i++ {
		switch c := data[i]; c {
		case '{', '[':
			if len(stack) == 1 && stack[0].object {
				start = i
			}
			stack = append(stack, open{object: c == '{', keys: len(keys)})
		case '}', ']':
			o := stack[len(stack)-1]
			if o.object && repeats(keys[o.keys:]) {
				return nil, false
			}
			keys = keys[:o.keys]
			stack = stack[:len(stack)-1]
			if len(stack) == 1 && stack[0].object {
				top = append(top, field{string(key), data[start : i+1]})
			}
		case '"':
			j := i + 1
			escaped := false
			for data[j] != '"' {
				if data[j] == '\\' {
					escaped = true
					if data[j+1] == 'u' && isSurrogateEscape(data[j+2:j+6]) {
						return nil, false // Jsonnet rejects a lone one; not worth telling apart
					}
					j++
				}
				j++
			}
			// A string followed by ':' is a name.
			k := j + 1
			for k < len(data) && (data[k] == ' ' || data[k] == '\t' || data[k] == '\n' || data[k] == '\r') {
				k++
			}
			if k < len(data) && data[k] == ':' && expectName() {
				if escaped {
					return nil, false
				}
				keys = append(keys, data[i+1:j])
				if len(stack) == 1 {
					key = data[i+1 : j]
				}
			} else if len(stack) == 1 && stack[0].object {
				top = append(top, field{string(key), data[i : j+1]})
			}
			i = j
		case ':', ',', ' ', '\t', '\n', '\r':
		default: // a number, true, false or null
			j := i
			for j < len(data) && !isDelim(data[j]) {
				j++
			}
			if c == '-' || c >= '0' && c <= '9' {
				if _, err := strconv.ParseFloat(string(data[i:j]), 64); err != nil {
					return nil, false // out of range: an error only where Jsonnet reads it
				}
			}
			if len(stack) == 1 && stack[0].object {
				top = append(top, field{string(key), data[i:j]})
			}
			i = j - 1
		}
	}
	return top, true
}

// repeats reports whether names has a duplicate.
func repeats(names [][]byte) bool {
	if len(names) < 16 {
		for i := range names {
			for j := i + 1; j < len(names); j++ {
				if bytes.Equal(names[i], names[j]) {
					return true
				}
			}
		}
		return false
	}
	seen := make(map[string]bool, len(names))
	for _, n := range names {
		if seen[string(n)] {
			return true
		}
		seen[string(n)] = true
	}
	return false
}

func isDelim(c byte) bool {
	switch c {
	case ',', ']', '}', ' ', '\t', '\n', '\r':
		return true
	}
	return false
}

// isSurrogateEscape reports whether the four hex digits of a \u escape
// name a UTF-16 surrogate.
func isSurrogateEscape(h []byte) bool {
	r, err := strconv.ParseUint(string(h), 16, 32)
	return err == nil && r >= 0xd800 && r <= 0xdfff
}
