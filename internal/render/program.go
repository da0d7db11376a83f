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
	data []byte
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
// import, are loaded, parsing what is new on all CPUs. Files that do not
// exist are not loaded (their evaluation fails natively).
func (p *Program) load(paths ...string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	var fresh []*source
	var wave []*source
	for _, path := range paths {
		if p.files[path] != nil {
			continue
		}
		e, err := p.res.lookup(path)
		if err != nil || !e.exists {
			continue
		}
		s := &source{path: path, sum: e.sum, data: e.contents.Data()}
		p.files[path] = s
		wave = append(wave, s)
	}
	for len(wave) > 0 {
		parseAll(wave)
		fresh = append(fresh, wave...)
		var next []*source
		for _, s := range wave {
			if s.node == nil {
				continue
			}
			for _, imp := range importsOf(s.node) {
				at, deps, err := p.res.resolve(s.path, imp)
				s.deps = append(s.deps, deps...)
				if err != nil {
					continue
				}
				t := p.files[at]
				if t == nil {
					e, _ := p.res.lookup(at)
					t = &source{path: at, sum: e.sum, data: e.contents.Data()}
					p.files[at] = t
					next = append(next, t)
				}
				s.imports = append(s.imports, t)
			}
		}
		wave = next
	}
	// Rewrite once every file is known to be shared or not.
	for _, s := range fresh {
		if s.node != nil {
			p.rewrite(&s.node)
			p.ordered = append(p.ordered, s)
		}
		s.data = nil
	}
}

// parseAll parses the files of a wave in parallel, largest first. A tree
// that is not in the desugared form the rewriting knows is not shared.
func parseAll(wave []*source) {
	order := append([]*source(nil), wave...)
	sort.SliceStable(order, func(i, j int) bool { return len(order[i].data) > len(order[j].data) })
	work := make(chan *source)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(order)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for s := range work {
				if s.node = jsonTree(s.path, s.data); s.node != nil {
					continue
				}
				if bytes.Contains(s.data, []byte("thisFile")) {
					continue // std.thisFile is bound per file: the VMs import it natively
				}
				s.node, s.err = jsonnet.SnippetToAST(s.path, string(s.data))
				if s.err == nil {
					s.err = walk(s.node, func(ast.Node) {})
				}
				if s.err != nil {
					s.node = nil
				}
			}
		}()
	}
	for _, s := range order {
		work <- s
	}
	close(work)
	wg.Wait()
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
