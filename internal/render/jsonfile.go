package render

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"

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
	data = bytes.TrimSpace(data)
	if len(data) == 0 || !uniqueNames(data) {
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
	parse := func(raw []byte) ast.Node {
		return &ast.Apply{
			NodeBase: base(stdVar),
			Target: &ast.Index{
				NodeBase: base(stdVar),
				Target:   &ast.Var{NodeBase: base(stdVar), Id: stdVar},
				Index:    str("parseJson"),
			},
			Arguments: ast.Arguments{Positional: []ast.CommaSeparatedExpr{{Expr: str(string(raw))}}},
		}
	}
	if data[0] != '{' {
		return parse(data)
	}
	obj := &ast.DesugaredObject{NodeBase: base(stdVar)}
	d := json.NewDecoder(bytes.NewReader(data))
	if _, err := d.Token(); err != nil { // {
		return nil
	}
	for d.More() {
		tok, err := d.Token()
		name, ok := tok.(string)
		var raw json.RawMessage
		if err != nil || !ok || d.Decode(&raw) != nil {
			return nil
		}
		var body ast.Node
		var s string
		if raw[0] == '"' && json.Unmarshal(raw, &s) == nil {
			body = str(s)
		} else {
			body = parse(raw)
		}
		obj.Fields = append(obj.Fields, ast.DesugaredObjectField{
			Hide: ast.ObjectFieldInherit, Name: str(name), Body: body, LocRange: loc,
		})
	}
	return obj
}

// uniqueNames reports whether data is one JSON value in which no object
// repeats a name.
func uniqueNames(data []byte) bool {
	if !json.Valid(data) {
		return false
	}
	type level struct {
		object bool
		names  map[string]bool
		key    bool // the next string token is a name
	}
	var stack []level
	d := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return true
		}
		if err != nil {
			return false
		}
		var top *level
		if len(stack) > 0 {
			top = &stack[len(stack)-1]
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, level{object: true, names: map[string]bool{}, key: true})
				continue
			case '[':
				stack = append(stack, level{})
				continue
			default:
				stack = stack[:len(stack)-1]
			}
		case string:
			if top != nil && top.object && top.key {
				if top.names[t] {
					return false
				}
				top.names[t] = true
				top.key = false
				continue
			}
		}
		// A value ended: in an object, a name comes next.
		if len(stack) > 0 && stack[len(stack)-1].object {
			stack[len(stack)-1].key = true
		}
	}
}
