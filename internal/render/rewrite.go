package render

import (
	"fmt"
	"slices"

	"github.com/google/go-jsonnet/ast"
)

// stdVar is the name under which go-jsonnet binds the standard library for
// the code its desugaring generates; no user code can rebind it.
const stdVar ast.Identifier = "$std"

// children returns pointers to the direct children of a node of a desugared
// tree. It fails on a node the desugared form does not have.
func children(n ast.Node) ([]*ast.Node, error) {
	var out []*ast.Node
	add := func(ps ...*ast.Node) {
		for _, p := range ps {
			if *p != nil {
				out = append(out, p)
			}
		}
	}
	switch n := n.(type) {
	case *ast.Apply:
		add(&n.Target)
		for i := range n.Arguments.Positional {
			add(&n.Arguments.Positional[i].Expr)
		}
		for i := range n.Arguments.Named {
			add(&n.Arguments.Named[i].Arg)
		}
	case *ast.Array:
		for i := range n.Elements {
			add(&n.Elements[i].Expr)
		}
	case *ast.Binary:
		add(&n.Left, &n.Right)
	case *ast.Conditional:
		add(&n.Cond, &n.BranchTrue, &n.BranchFalse)
	case *ast.DesugaredObject:
		for i := range n.Asserts {
			add(&n.Asserts[i])
		}
		for i := range n.Locals {
			add(&n.Locals[i].Body)
		}
		for i := range n.Fields {
			add(&n.Fields[i].Name, &n.Fields[i].Body)
		}
	case *ast.Error:
		add(&n.Expr)
	case *ast.Function:
		for i := range n.Parameters {
			add(&n.Parameters[i].DefaultArg)
		}
		add(&n.Body)
	case *ast.Index:
		add(&n.Target, &n.Index)
	case *ast.InSuper:
		add(&n.Index)
	case *ast.Local:
		for i := range n.Binds {
			if n.Binds[i].Fun != nil {
				return nil, fmt.Errorf("%s: local function not desugared", n.Loc())
			}
			add(&n.Binds[i].Body)
		}
		add(&n.Body)
	case *ast.SuperIndex:
		add(&n.Index)
	case *ast.Unary:
		add(&n.Expr)
	case *ast.Import, *ast.ImportStr, *ast.ImportBin, *ast.LiteralBoolean, *ast.LiteralNull,
		*ast.LiteralNumber, *ast.LiteralString, *ast.Self, *ast.Var:
	default:
		return nil, fmt.Errorf("%s: unexpected %T in a desugared tree", n.Loc(), n)
	}
	return out, nil
}

// walk calls f with every node of a desugared tree, parents first, and fails
// on a node the desugared form does not have.
func walk(n ast.Node, f func(ast.Node)) error {
	f(n)
	cs, err := children(n)
	if err != nil {
		return err
	}
	for _, c := range cs {
		if err := walk(*c, f); err != nil {
			return err
		}
	}
	return nil
}

// importsOf lists the paths a tree's code imports name.
func importsOf(n ast.Node) []string {
	var out []string
	walk(n, func(n ast.Node) {
		if im, ok := n.(*ast.Import); ok {
			out = append(out, im.File.Value)
		}
	})
	return out
}

// rewrite replaces, in the tree at *root, each import of a file for which
// bound(path) holds with std.extVar(<its key>), and adds $std to the free
// variables of every node above such a call: go-jsonnet captures a closure's
// or a thunk's environment from its node's free variables, so each node on
// the way must carry it. The tree must have passed walk.
//
// bound must only hold for files every VM evaluating the tree has bound:
// for a file's tree, the files its scan found (added with it); for kpgen's
// own snippets, the files loaded just before.
func (p *Program) rewrite(root *ast.Node, bound func(path string) bool) {
	var visit func(n *ast.Node) bool
	visit = func(n *ast.Node) bool {
		if im, ok := (*n).(*ast.Import); ok {
			at, _, err := p.res.resolve(im.Loc().FileName, im.File.Value)
			if err == nil && bound(at) {
				*n = extVarCall(extPrefix+at, im)
				return true
			}
			return false
		}
		if isStdCall(*n, "mod") {
			// `a % b`: the prelude's mod (see format.go).
			ap := (*n).(*ast.Apply)
			ix := ap.Target.(*ast.Index)
			ap.Target = &ast.Index{NodeBase: ix.NodeBase, Target: extVarNode(preludeKey, ix.LocRange, ix.Ctx), Index: ix.Index}
		}
		cs, _ := children(*n)
		found := false
		for _, c := range cs {
			if visit(c) {
				found = true
			}
		}
		if found && !slices.Contains((*n).FreeVariables(), stdVar) {
			(*n).SetFreeVariables(append(slices.Clip((*n).FreeVariables()), stdVar))
		}
		return found
	}
	visit(root)
}

// isStdCall reports whether n is $std.<name>(…), as go-jsonnet's desugaring
// writes calls to the standard library.
func isStdCall(n ast.Node, name string) bool {
	ap, ok := n.(*ast.Apply)
	if !ok {
		return false
	}
	ix, ok := ap.Target.(*ast.Index)
	if !ok {
		return false
	}
	v, ok := ix.Target.(*ast.Var)
	if !ok || v.Id != stdVar {
		return false
	}
	s, ok := ix.Index.(*ast.LiteralString)
	return ok && s.Value == name
}

// extVarCall is the tree of $std.extVar(key), standing where im was.
func extVarCall(key string, im *ast.Import) ast.Node {
	return extVarNode(key, im.LocRange, im.Ctx)
}

// extVarNode is the tree of $std.extVar(key), placed at loc.
func extVarNode(key string, loc ast.LocationRange, ctx ast.Context) ast.Node {
	return stdCall("extVar", key, loc, ctx)
}

// stdCall is the tree of $std.<fn>(<arg as a string>), placed at loc, as
// go-jsonnet's desugaring writes calls to the standard library (with the free
// variables analysis would give it).
func stdCall(fn, arg string, loc ast.LocationRange, ctx ast.Context) ast.Node {
	base := func(free ...ast.Identifier) ast.NodeBase {
		return ast.NodeBase{LocRange: loc, Ctx: ctx, FreeVars: free}
	}
	str := func(s string) *ast.LiteralString {
		return &ast.LiteralString{NodeBase: base(), Value: s, Kind: ast.StringDouble}
	}
	return &ast.Apply{
		NodeBase: base(stdVar),
		Target: &ast.Index{
			NodeBase: base(stdVar),
			Target:   &ast.Var{NodeBase: base(stdVar), Id: stdVar},
			Index:    str(fn),
		},
		Arguments: ast.Arguments{Positional: []ast.CommaSeparatedExpr{{Expr: str(arg)}}},
	}
}
