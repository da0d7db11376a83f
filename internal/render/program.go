package render

import (
	"bytes"
	"fmt"
	"github.com/kpgen/kpgen/internal/project"
	"runtime"
	"sort"
	"strings"
	"sync"

	jsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"
)

// Program holds the project's Jsonnet, parsed at most once per run and
// shared by every VM of the run.
//
// go-jsonnet parses each imported file once per VM and keeps the syntax tree
// in the VM's private import cache: n VMs parse n times and hold n copies. A
// Program hands the same trees to every VM: the imports in a tree are
// rewritten into std.extVar(<key of the imported file>), and each VM binds
// every key with VM.ExtNode (keys and natives are named with a nonce that
// only kpgen's Go code knows: names.go). Evaluation never modifies a tree,
// so VMs on different goroutines can share them.
//
// Files are parsed when evaluation first needs them, as go-jsonnet does (a
// third of what kube-prometheus's files import is never evaluated). What a
// VM binds to a key is a small stand-in tree,
//
//	if std.native(<nativeLoad>)(<key>) then <the file's tree> else error
//
// whose first evaluation, on whichever VM, parses the file and fills in its
// tree (a sync.Once, so that every other VM reads the tree after it was
// written). The keys are known before anything is parsed: a Program finds
// what a file may import by scanning its text for `import "…"` (scanImports);
// an import the scan missed stays an import.
//
// What a VM does not share it does natively, with the same result: a file
// that does not parse becomes an import (so the error is go-jsonnet's own),
// and so does a file that uses std.thisFile (bound per file by go-jsonnet).
type Program struct {
	res *resolver

	mu      sync.Mutex
	files   map[string]*source // by path
	ordered []*source          // in load order: VMs bind a prefix
}

// source is one file of the program.
type source struct {
	path string
	sum  string
	// imports are the files the scan found it may import; deps what
	// resolving them looked at (absent candidates included).
	imports []*source
	deps    []Dep

	stand *ast.Conditional // what VMs bind to the file's key
	once  sync.Once
}

// kpgenSource is where the stand-ins' nodes are.
var kpgenSource = ast.BuildSource("<kpgen>", "")

// NewProgram returns an empty program resolving imports over jpaths (as
// `jsonnet -J`, the last one first).
func NewProgram(jpaths []string) *Program {
	return &Program{res: newResolver(jpaths), files: map[string]*source{}}
}

// ProgramFor returns an empty program resolving imports over the project's
// library paths that reads only the project's files (confined).
func ProgramFor(root project.Root) *Program {
	return &Program{res: confined(root), files: map[string]*source{}}
}

// load adds the files at the given absolute paths to the program, with
// everything they may import (read and scanned on all CPUs, not parsed).
// Files that do not exist are not added (their evaluation fails natively).
func (p *Program) load(paths ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var (
		mu    sync.Mutex // guards p.files and fresh while files are scanned
		fresh []*source
		wg    sync.WaitGroup
		sem   = make(chan struct{}, runtime.GOMAXPROCS(0))
	)
	var add func(path string, e *entry) *source
	add = func(path string, e *entry) *source {
		mu.Lock()
		defer mu.Unlock()
		if s := p.files[path]; s != nil {
			return s
		}
		s := &source{path: path, sum: e.sum, stand: standIn(path)}
		p.files[path] = s
		fresh = append(fresh, s)
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			found := scanImports(e.contents.Data())
			<-sem
			for _, imp := range found {
				at, deps, err := p.res.resolve(path, imp)
				s.deps = append(s.deps, deps...)
				if err != nil {
					continue
				}
				t, _ := p.res.lookup(at)
				s.imports = append(s.imports, add(at, t))
			}
		}()
		return s
	}
	for _, path := range paths {
		if e, err := p.res.lookup(path); err == nil && e.exists {
			add(path, e)
		}
	}
	wg.Wait()
	sort.Slice(fresh, func(i, j int) bool { return fresh[i].path < fresh[j].path })
	p.ordered = append(p.ordered, fresh...)
}

// standIn is the tree VMs bind to a file's key: it loads the file, then
// evaluates its tree (filled in by materialize). Its nodes are placed in
// "<kpgen>", whose frames error messages leave out (Renderer.evalError).
func standIn(path string) *ast.Conditional {
	loc := ast.MakeLocationRange("<kpgen>", kpgenSource, ast.Location{Line: 1, Column: 1}, ast.Location{Line: 1, Column: 1})
	base := ast.NodeBase{LocRange: loc, FreeVars: ast.Identifiers{stdVar}}
	str := func(s string) *ast.LiteralString {
		return &ast.LiteralString{NodeBase: ast.NodeBase{LocRange: loc}, Value: s, Kind: ast.StringDouble}
	}
	call := func(target ast.Node, arg string) *ast.Apply {
		return &ast.Apply{NodeBase: base, Target: target, Arguments: ast.Arguments{Positional: []ast.CommaSeparatedExpr{{Expr: str(arg)}}}}
	}
	native := &ast.Index{NodeBase: base, Target: &ast.Var{NodeBase: base, Id: stdVar}, Index: str("native")}
	return &ast.Conditional{
		NodeBase:    base,
		Cond:        call(call(native, nativeLoad), extPrefix+path),
		BranchFalse: &ast.Error{NodeBase: ast.NodeBase{LocRange: loc}, Expr: str("kpgen: " + path + " was not loaded")},
	}
}

// materialize parses the file whose key is given, once, and fills in its
// stand-in's tree. Any key that is not a file's fails, none panics.
func (p *Program) materialize(key string) error {
	path, ok := strings.CutPrefix(key, extPrefix)
	p.mu.Lock()
	s := p.files[path]
	p.mu.Unlock()
	if !ok || s == nil {
		return fmt.Errorf("kpgen: no file %q in the program", key)
	}
	s.once.Do(func() { s.stand.BranchTrue = p.tree(s) })
	return nil
}

// tree is the tree a stand-in evaluates: the file's, parsed and rewritten,
// or, if the VMs must import the file themselves, an import of it (so that
// go-jsonnet reports its errors). A panic while parsing or rewriting gives
// the import too, not a stand-in without a tree.
func (p *Program) tree(s *source) (tree ast.Node) {
	native := &ast.Import{NodeBase: ast.NodeBase{LocRange: s.stand.LocRange}, File: &ast.LiteralString{Value: s.path, Kind: ast.StringDouble}}
	defer func() {
		if recover() != nil {
			tree = native
		}
	}()
	e, err := p.res.lookup(s.path)
	if err != nil || !e.exists || e.sum != s.sum {
		return native
	}
	if tree = parse(s.path, e.contents.Data()); tree == nil {
		return native
	}
	p.mu.Lock()
	scanned := map[string]bool{}
	for _, t := range s.imports {
		scanned[t.path] = true
	}
	p.mu.Unlock()
	p.rewrite(&tree, func(path string) bool { return scanned[path] })
	return tree
}

// parse returns the tree of a file for the VMs to share, or nil if they must
// import it themselves: JSON takes the fast path (see jsonfile.go); a file
// using std.thisFile, a file that does not parse, and a tree that is not in
// the desugared form the rewriting knows are not shared.
func parse(path string, data []byte) ast.Node {
	if n := jsonTree(path, data); n != nil {
		return n
	}
	if bytes.Contains(data, []byte("thisFile")) {
		return nil
	}
	n, err := jsonnet.SnippetToAST(path, string(data))
	if err != nil || walk(n, func(ast.Node) {}) != nil {
		return nil
	}
	return n
}

// shared returns the files added so far, from the n-th on (in load order).
func (p *Program) shared(from int) []*source {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.ordered[from:len(p.ordered):len(p.ordered)]
}

// known reports whether the file at path is in the program (so that VMs
// bind its key).
func (p *Program) known(path string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.files[path] != nil
}

// deps lists what evaluating the files at paths may depend on: everything
// they may import, recursively, with each file's content hash, and every
// import candidate found absent.
func (p *Program) deps(paths []string) []Dep {
	p.mu.Lock()
	defer p.mu.Unlock()
	seen := map[string]bool{}
	var out []Dep
	add := func(d Dep) {
		if !seen[d.Path] {
			seen[d.Path] = true
			out = append(out, d)
		}
	}
	visited := map[*source]bool{}
	var visit func(s *source)
	visit = func(s *source) {
		if visited[s] {
			return
		}
		visited[s] = true
		add(Dep{Path: s.path, Sum: s.sum})
		for _, d := range s.deps {
			add(d)
		}
		for _, t := range s.imports {
			visit(t)
		}
	}
	for _, path := range paths {
		if s := p.files[path]; s != nil {
			visit(s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}
