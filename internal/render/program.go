package render

import (
	"bytes"
	"runtime"
	"sort"
	"sync"

	jsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"
)

// Program holds the project's Jsonnet parsed once, shared by every VM of a
// run.
//
// go-jsonnet parses each imported file once per VM and keeps the syntax tree
// in the VM's private import cache: n VMs parse n times and hold n copies
// (about a third of a CPU-second and 50 MiB for kube-prometheus). A Program
// parses each file once, on all CPUs, and hands the same trees to every VM:
// the imports in a tree are rewritten into std.extVar(<key of the imported
// file>) and each VM binds the keys to the trees with VM.ExtNode. Evaluation
// never modifies a tree, so VMs on different goroutines can share them.
//
// A file is loaded with every file its imports name, recursively: imports are
// literal strings, so this closure is known before evaluation. What a VM does
// not share it does natively, with the same result: an import that does not
// resolve or a file that does not parse stays an import (so the error is
// go-jsonnet's own, raised only if evaluation reaches it), and so do the
// files that use std.thisFile (bound per file by go-jsonnet).
type Program struct {
	res *resolver

	mu      sync.Mutex
	files   map[string]*source // by path
	ordered []*source          // shared files in load order: VMs bind a prefix
}

// source is one loaded file.
type source struct {
	path string
	sum  string
	node ast.Node // the rewritten tree; nil if VMs import the file natively
	err  error    // why the file is not shared (parse error)
	// imports are the files this one's imports resolved to; deps what
	// resolving them looked at (absent candidates included).
	imports []*source
	deps    []Dep
}

// extPrefix starts the ext var keys of shared files.
const extPrefix = "kpgen:file:"

// NewProgram returns an empty program resolving imports over jpaths (as
// `jsonnet -J`, the last one first).
func NewProgram(jpaths []string) *Program {
	return &Program{res: newResolver(jpaths), files: map[string]*source{}}
}

// load makes sure the files at the given absolute paths, and everything they
// import, are loaded, parsing what is new on all CPUs: each file is parsed as
// soon as a file importing it is. Files that do not exist are not loaded
// (their evaluation fails natively).
func (p *Program) load(paths ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var (
		mu    sync.Mutex // guards p.files and fresh while files are parsed
		fresh []*source
		wg    sync.WaitGroup
		sem   = make(chan struct{}, runtime.GOMAXPROCS(0))
	)
	// add starts loading the file at path, found by a resolution, unless it
	// is known; it returns the file's source.
	var add func(path string, e *entry) *source
	add = func(path string, e *entry) *source {
		mu.Lock()
		defer mu.Unlock()
		if s := p.files[path]; s != nil {
			return s
		}
		s := &source{path: path, sum: e.sum}
		p.files[path] = s
		fresh = append(fresh, s)
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			s.node, s.err = parse(path, e.contents.Data())
			<-sem
			if s.node == nil {
				return
			}
			for _, imp := range importsOf(s.node) {
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
	// Rewrite once every file is known to be shared or not, in a stable
	// order.
	sort.Slice(fresh, func(i, j int) bool { return fresh[i].path < fresh[j].path })
	for _, s := range fresh {
		if s.node != nil {
			p.rewrite(&s.node)
			p.ordered = append(p.ordered, s)
		}
	}
}

// parse returns the tree of a file for the VMs to share, or why they must
// import it themselves: JSON takes the fast path (see jsonfile.go), a file
// using std.thisFile (bound per file by go-jsonnet) is not shared, nor is a
// tree that is not in the desugared form the rewriting knows.
func parse(path string, data []byte) (ast.Node, error) {
	if n := jsonTree(path, data); n != nil {
		return n, nil
	}
	if bytes.Contains(data, []byte("thisFile")) {
		return nil, nil
	}
	n, err := jsonnet.SnippetToAST(path, string(data))
	if err == nil {
		err = walk(n, func(ast.Node) {})
	}
	if err != nil {
		return nil, err
	}
	return n, nil
}

// shared returns the files loaded so far whose trees VMs share, from the
// n-th on (in load order).
func (p *Program) shared(from int) []*source {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.ordered[from:len(p.ordered):len(p.ordered)]
}

// deps lists what evaluating the files at paths may depend on: the closure of
// their imports, with each file's content hash, and every import candidate
// found absent.
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
	var visit func(s *source)
	visited := map[*source]bool{}
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
