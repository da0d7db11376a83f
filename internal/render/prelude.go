package render

import (
	"strings"
	"sync"

	jsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"
)

// formatPrelude is the Jsonnet behind `%` on strings (see the top of this
// file). VMs bind it as the ext var preludeKey; Program.rewrite points
// std.mod at it.
const formatPrelude = `
local prim(v) = std.isString(v) || std.isNumber(v) || std.isBoolean(v) || v == null;
local native = std.native('@FORMAT@');
local countOf = std.native('@COUNT@');
local keysOf = std.native('@KEYS@');
// The values are looked at (forced) only where std.format would look at
// them all, in the same order: with the right count, or the keys present.
local format(str, vals) =
  local r =
    if std.isArray(vals) then
      if countOf(str) == std.length(vals) && std.all(std.map(prim, vals)) then native(str, vals) else null
    else if std.isObject(vals) then
      local keys = keysOf(str);
      if keys != null && std.all([std.objectHasAll(vals, k) && prim(vals[k]) for k in keys])
      then native(str, { [k]: vals[k] for k in keys })
      else null
    else if countOf(str) == 1 && prim(vals) then native(str, [vals])
    else null;
  if r == null then std.format(str, vals) else r;
{
  mod(a, b):: if std.isString(a) then format(a, b) else std.mod(a, b),
}
`

var (
	preludeOnce sync.Once
	preludeTree ast.Node
)

// prelude is formatPrelude's tree, with the natives' names, parsed once: in
// "<kpgen>", whose frames error messages leave out.
func prelude() ast.Node {
	preludeOnce.Do(func() {
		code := strings.NewReplacer("@FORMAT@", nativeFormat, "@COUNT@", nativeFormatCount, "@KEYS@", nativeFormatKeys).Replace(formatPrelude)
		n, err := jsonnet.SnippetToAST("<kpgen>", code)
		if err != nil {
			panic("kpgen: the format prelude does not parse: " + err.Error())
		}
		preludeTree = n
	})
	return preludeTree
}

// formatNatives are the native functions the prelude calls.
func formatNatives() []*jsonnet.NativeFunction {
	return []*jsonnet.NativeFunction{
		{
			Name:   nativeFormat,
			Params: ast.Identifiers{"str", "vals"},
			Func: func(args []any) (any, error) {
				str, _ := args[0].(string)
				p := planFormat(str)
				var (
					s  string
					ok bool
				)
				switch v := args[1].(type) {
				case []any:
					s, ok = formatArray(p, v)
				case map[string]any:
					s, ok = formatObject(p, v)
				}
				if !ok {
					return nil, nil
				}
				return s, nil
			},
		},
		{
			Name:   nativeFormatCount,
			Params: ast.Identifiers{"str"},
			Func: func(args []any) (any, error) {
				str, _ := args[0].(string)
				p := planFormat(str)
				if !p.ok {
					return nil, nil
				}
				return float64(p.count), nil
			},
		},
		{
			Name:   nativeFormatKeys,
			Params: ast.Identifiers{"str"},
			Func: func(args []any) (any, error) {
				str, _ := args[0].(string)
				p := planFormat(str)
				if !p.ok || !p.named {
					return nil, nil
				}
				keys := make([]any, len(p.keys))
				for i, k := range p.keys {
					keys[i] = k
				}
				return keys, nil
			},
		},
	}
}
