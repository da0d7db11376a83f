package render

import (
	"regexp"
	"strings"

	jsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"

	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/safefs"
)

// StockEntrypoint reports whether kpgen may go around the project's
// entrypoint (see Library).
func StockEntrypoint(root project.Root) bool {
	_, ok := Library(root)
	return ok
}

// Library finds the library file behind the project's entrypoint, when the
// entrypoint is stock: `function(vars) (import '<library>').new(vars)`
// (comments and white space aside), over a library file that is kpgen's
// own kpgen.libsonnet, unchanged in what matters (new(vars) takes its
// files, objects and index from fromConfig), or a platform built on it:
// a file whose value is `<a library>.platform(...)` (after local bindings),
// as a team's platform library is. Only then may kpgen go around the
// entrypoint: share work between the clusters of a run through a Memo,
// which evaluates the library's fromConfig, and read a file's object
// through the library's index. Any other entrypoint is evaluated as such:
// each cluster on its own, each file through files.
func Library(root project.Root) (string, bool) {
	main, err := safefs.ReadRegular(root.Entrypoint(), project.MaxImportBytes)
	if err != nil {
		return "", false
	}
	m := stockMain.FindStringSubmatch(strings.ReplaceAll(squeeze(main), `"`, "'"))
	if m == nil {
		return "", false
	}
	res := confined(root)
	lib, _, err := res.resolve(root.Entrypoint(), m[1])
	if err != nil || !isLibrary(res, lib, 0) {
		return "", false
	}
	return lib, true
}

var stockMain = regexp.MustCompile(`^function\(vars\)\(import'([^']+)'\)\.new\(vars\)$`)

// isLibrary reports whether the file at path is kpgen's library or a
// platform built on one (depth bounds platforms of platforms).
func isLibrary(res *resolver, path string, depth int) bool {
	src, err := safefs.ReadRegular(path, project.MaxImportBytes)
	if err != nil || depth > 8 {
		return false
	}
	// kpgen's own library: new(vars) takes its files, objects and index
	// from fromConfig, as the library ships it, but for a cluster with
	// patches of its own, which it says is not shareable (Head).
	l := squeeze(src)
	own := true
	for _, want := range []string{"fromConfig(cfg", "localbuilt=$.fromConfig(", "ifpatches==[]thenbuilt.fileselselayout.files(patched),", "objects::ifpatches==[]thenbuilt.objectselsepatched,", "index::ifpatches==[]thenbuilt.indexelselayout.index(patched),", "shareable::patches==[],"} {
		if !strings.Contains(l, want) {
			own = false
			break
		}
	}
	if own {
		return true
	}
	// A platform: <library>.platform(...), the library imported directly
	// or through a local.
	node, err := jsonnet.SnippetToAST(path, string(src))
	if err != nil {
		return false
	}
	imports := map[ast.Identifier]string{}
	for {
		local, ok := node.(*ast.Local)
		if !ok {
			break
		}
		for _, b := range local.Binds {
			if imp, ok := b.Body.(*ast.Import); ok && b.Fun == nil {
				imports[b.Variable] = imp.File.Value
			} else {
				delete(imports, b.Variable)
			}
		}
		node = local.Body
	}
	call, ok := node.(*ast.Apply)
	if !ok {
		return false
	}
	index, ok := call.Target.(*ast.Index)
	if !ok {
		return false
	}
	if name, ok := index.Index.(*ast.LiteralString); !ok || name.Value != "platform" {
		return false
	}
	var file string
	switch t := index.Target.(type) {
	case *ast.Import:
		file = t.File.Value
	case *ast.Var:
		if file, ok = imports[t.Id]; !ok {
			return false
		}
	default:
		return false
	}
	base, _, err := res.resolve(path, file)
	return err == nil && isLibrary(res, base, depth+1)
}
