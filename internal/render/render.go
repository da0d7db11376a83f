// Package render evaluates kpgen's Jsonnet entrypoint for one cluster in the
// embedded go-jsonnet VM and returns the files it generates.
//
// The entrypoint (jsonnet/lib/main.jsonnet) is a function of the cluster's vars,
// passed as the top-level argument `vars`, returning
//
//	{ cluster: <name>, problems: [<vars error>...], files: { <relative path>: <object> } }
//
// A Renderer owns one VM and is not safe for concurrent use; create one per
// worker. The renderers of a run share one Program: the project's Jsonnet,
// parsed once (see program.go).
package render

import (
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strings"
	"unicode/utf8"

	jsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"

	"github.com/kpgen/kpgen/internal/project"
)

// File is one generated file: its path relative to out/<cluster>/ and the
// object it holds, as JSON.
type File struct {
	Path string
	JSON []byte
}

// Result is everything one cluster renders to.
type Result struct {
	Cluster string
	Files   []File // sorted by Path
}

// Renderer evaluates the entrypoint for one cluster at a time.
type Renderer struct {
	root     project.Root
	vm       *jsonnet.VM
	importer *importer
	prog     *Program
	bound    int    // how many of prog's shared files the VM has bound
	stock    bool   // the entrypoint is stock (StockEntrypoint)
	library  string // then, the library file behind it (Library)

	cfg     *config         // the config proxy's values, during a memo evaluation
	read    map[string]bool // the config leaves read, while recording
	adopted map[string]Dep  // files other VMs read for the units this one reused
}

// New returns a Renderer for the project at root, with a Program of its own.
func New(root project.Root) *Renderer {
	return NewShared(root, ProgramFor(root))
}

// NewShared returns a Renderer for the project at root that shares the parsed
// files of prog with the other renderers using it.
func NewShared(root project.Root, prog *Program) *Renderer {
	vm := jsonnet.MakeVM()
	im := newImporter(prog.res)
	vm.Importer(im)
	vm.MaxStack = 2000
	r := &Renderer{root: root, vm: vm, importer: im, prog: prog}
	r.library, r.stock = Library(root)
	for _, f := range r.natives() {
		vm.NativeFunction(f)
	}
	vm.ExtNode(preludeKey, prelude())
	return r
}

// natives are the native functions of the renderer's VM, under names only
// kpgen's Go code knows (names.go).
func (r *Renderer) natives() []*jsonnet.NativeFunction {
	load := &jsonnet.NativeFunction{
		Name:   nativeLoad,
		Params: ast.Identifiers{"key"},
		Func: func(args []any) (any, error) {
			key, _ := args[0].(string)
			return true, r.prog.materialize(key)
		},
	}
	return append([]*jsonnet.NativeFunction{r.native(), load}, formatNatives()...)
}

// DepsOf lists what rendering the cluster of varsPath on this renderer may
// have depended on: the import closure of the entrypoint, the library and
// the vars file (every file an evaluation from them may import, found by the
// program's scan, with each absent import candidate), and whatever this VM
// imported itself (or the VMs whose units it reused). It leaves out what
// only other clusters import (their vars files, and files only those
// import).
func (r *Renderer) DepsOf(varsPath string) []Dep {
	var roots []string
	for _, p := range []string{r.root.Entrypoint(), r.library, varsPath} {
		if abs, err := absPath(p); err == nil && p != "" {
			roots = append(roots, abs)
		}
	}
	byPath := map[string]Dep{}
	for _, list := range [][]Dep{r.prog.deps(roots), r.importer.deps()} {
		for _, d := range list {
			byPath[d.Path] = d
		}
	}
	for p, d := range r.adopted {
		if _, ok := byPath[p]; !ok {
			byPath[p] = d
		}
	}
	deps := make([]Dep, 0, len(byPath))
	for _, d := range byPath {
		deps = append(deps, d)
	}
	sort.Slice(deps, func(i, j int) bool { return deps[i].Path < deps[j].Path })
	return deps
}

// adopt makes the files another VM read for a reused unit this renderer's
// dependencies too.
func (r *Renderer) adopt(deps []Dep) {
	if r.adopted == nil {
		r.adopted = map[string]Dep{}
	}
	for _, d := range deps {
		r.adopted[d.Path] = d
	}
}

// VarsError reports problems with a vars file found by the library's schema.
type VarsError struct {
	Vars     string
	Problems []string
}

func (e *VarsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "invalid vars (%d problem(s)):", len(e.Problems))
	for _, p := range e.Problems {
		b.WriteString("\n  ")
		b.WriteString(p)
	}
	return b.String()
}

// Render evaluates the entrypoint with the vars file at varsPath.
func (r *Renderer) Render(varsPath string) (*Result, error) {
	head, err := r.Head(varsPath)
	if err != nil {
		return nil, err
	}
	files, err := r.Files(varsPath)
	if err != nil {
		return nil, err
	}
	return &Result{Cluster: head.Cluster, Files: files}, nil
}

// Files evaluates the files a cluster generates, sorted by path. Call Head
// first: Files does not report vars problems as such.
func (r *Renderer) Files(varsPath string) ([]File, error) {
	out, err := r.eval(varsPath, "function(vars) (import %s)(vars).files")
	if err != nil {
		return nil, err
	}
	return decodeFiles([]byte(out))
}

// Field evaluates one field of what the entrypoint returns for the vars
// file (hidden ones too, e.g. config or layers), as JSON; a function in it
// (vars.patches) is the string "<function>".
func (r *Renderer) Field(varsPath, name string) ([]byte, error) {
	if _, err := r.Head(varsPath); err != nil {
		return nil, err
	}
	out, err := r.eval(varsPath, printable+"function(vars) printable((import %s)(vars)["+jsonnetString(name)+"])")
	return []byte(out), err
}

// printable binds a function that replaces every function in a value by
// "<function>", so that the value manifests as JSON.
const printable = `local printable(v) =
  if std.isFunction(v) then '<function>'
  else if std.isObject(v) then { [k]: printable(v[k]) for k in std.objectFields(v) }
  else if std.isArray(v) then std.map(printable, v)
  else v;
`

// Head is the cheap part of a render: the cluster's name, after the vars have
// passed the library's checks.
type Head struct {
	Cluster string `json:"cluster"`
	// Shareable: the cluster's files are the library's fromConfig of its
	// config, so it may share work with other clusters (false for a
	// cluster with patches of its own in its vars).
	Shareable bool `json:"shareable"`
	// AllowPlaintext is the vars' secrets.allowPlaintext ("namespace/name"
	// → reason): the Secrets the leak check lets through (empty for an
	// entrypoint without kpgen's config).
	AllowPlaintext map[string]string `json:"secretsAllowPlaintext"`
	// ServerSide is the vars' apply.serverSide: the objects too large for
	// a client-side apply get ArgoCD's ServerSideApply=true sync option
	// (internal/check/apply.Annotate).
	ServerSide bool `json:"serverSideApply"`
}

// Head evaluates only the cluster name and the vars problems.
func (r *Renderer) Head(varsPath string) (*Head, error) {
	if err := project.CheckVars(varsPath); err != nil {
		return nil, err
	}
	if err := r.root.CheckVendor(); err != nil {
		return nil, err
	}
	if _, err := os.Stat(r.root.Entrypoint()); err != nil {
		return nil, fmt.Errorf("entrypoint %s is missing", r.rel(r.root.Entrypoint()))
	}
	out, err := r.eval(varsPath, "function(vars) local s = (import %s)(vars); { problems: s.problems, cluster: if s.problems == [] then s.cluster, shareable: !std.objectHasAll(s, 'shareable') || s.shareable, secretsAllowPlaintext: if s.problems == [] && std.objectHasAll(s, 'config') && std.isObject(s.config) && std.isObject(std.get(s.config, 'secrets')) then std.get(s.config.secrets, 'allowPlaintext', {}) else {}, serverSideApply: s.problems == [] && std.objectHasAll(s, 'config') && std.isObject(s.config) && std.isObject(std.get(s.config, 'apply')) && std.get(s.config.apply, 'serverSide', false) == true }")
	if err != nil {
		return nil, err
	}
	var h struct {
		Problems  []string          `json:"problems"`
		Cluster   *string           `json:"cluster"`
		Shareable bool              `json:"shareable"`
		Allow     map[string]string `json:"secretsAllowPlaintext"`
		Server    bool              `json:"serverSideApply"`
	}
	if err := json.Unmarshal([]byte(out), &h); err != nil {
		return nil, fmt.Errorf("the entrypoint must return {cluster: string, problems: [string], files: {...}}: %w", err)
	}
	if len(h.Problems) > 0 {
		return nil, &VarsError{Vars: r.rel(varsPath), Problems: h.Problems}
	}
	if h.Cluster == nil || *h.Cluster == "" {
		return nil, &VarsError{Vars: r.rel(varsPath), Problems: []string{"vars.cluster.name: required (a DNS-1123 label naming the cluster)"}}
	}
	return &Head{Cluster: *h.Cluster, Shareable: h.Shareable, AllowPlaintext: h.Allow, ServerSide: h.Server}, nil
}

// eval evaluates a snippet that applies the entrypoint to the vars, where %s in
// snippet stands for the entrypoint's quoted path.
func (r *Renderer) eval(varsPath, snippet string) (string, error) {
	abs, err := absPath(varsPath)
	if err != nil {
		return "", err
	}
	for _, p := range []string{abs, r.root.Entrypoint()} {
		if !utf8.ValidString(p) {
			return "", fmt.Errorf("%s: the path is not valid UTF-8, and Jsonnet imports only paths that are (rename it)", r.rel(p))
		}
	}
	vars, err := r.parse("import " + jsonnetString(abs))
	if err != nil {
		return "", err
	}
	r.vm.TLAReset()
	r.vm.TLANode("vars", vars)
	return r.evaluate(fmt.Sprintf(snippet, jsonnetString(r.root.Entrypoint())))
}

// parse parses a snippet of kpgen's own, whose imports name absolute paths,
// loading what they import into the program.
func (r *Renderer) parse(code string) (ast.Node, error) {
	node, err := jsonnet.SnippetToAST("<kpgen>", code)
	if err != nil {
		return nil, fmt.Errorf("internal error: kpgen's snippet: %w", err)
	}
	r.prog.load(importsOf(node)...)
	r.prog.rewrite(&node, r.prog.known)
	return node, nil
}

// evaluate evaluates a snippet of kpgen's own with the VM's top-level
// arguments, after binding the files the program has shared since the last
// evaluation.
func (r *Renderer) evaluate(code string) (string, error) {
	node, err := r.parse(code)
	if err != nil {
		return "", err
	}
	for _, s := range r.prog.shared(r.bound) {
		r.vm.ExtNode(extPrefix+s.path, s.stand)
		r.bound++
	}
	out, err := r.vm.Evaluate(node)
	if err != nil {
		return "", r.evalError(err)
	}
	return out, nil
}

// Rel shows p relative to the project root when it is below it, printable
// (project.Printable).
func (r *Renderer) Rel(p string) string { return r.rel(p) }

func (r *Renderer) rel(p string) string {
	if abs, err := absPath(p); err == nil {
		p = abs
	}
	return project.Printable(strings.TrimPrefix(p, r.root.Dir+string(os.PathSeparator)))
}

// decodeFiles splits the entrypoint's files object into sorted files, keeping
// each object's JSON as go-jsonnet printed it.
func decodeFiles(out []byte) ([]File, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(out, &m); err != nil {
		return nil, fmt.Errorf("the entrypoint's files must be an object of path → object: %w", err)
	}
	files := make([]File, 0, len(m))
	for p, raw := range m {
		files = append(files, File{Path: p, JSON: raw})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, nil
}
