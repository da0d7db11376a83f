package render

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	jsonnet "github.com/google/go-jsonnet"
	"github.com/google/go-jsonnet/ast"
)

// Sharing work across the clusters of one run.
//
// Clusters differ only in their vars, and most files depend on few of them:
// the Grafana dashboards of two clusters with the same namespace are the
// same, whatever their Prometheus retention. kpgen finds out which settings
// each unit of work read, instead of being told: a cluster's config (its
// vars merged onto the defaults) is passed to the library as data whose
// every leaf is a call to the native function nativeConfig, which records
// the leaf's path. Jsonnet is lazy and deterministic, so a unit's output is
// a function of the leaves it read (and of the config's shape: its keys and
// list lengths, which the code sees without reading a leaf) — and of the
// code, the same for every cluster of a run. A later cluster whose config
// has the same shape and the same values at those paths gets the unit's
// output without evaluating it.

// Memo holds unit outputs for the clusters of one run; safe for concurrent use.
type Memo struct {
	mu      sync.Mutex
	entries map[string][]memoEntry
	bytes   int64
	hits    atomic.Int64
	misses  atomic.Int64
}

// memoBytes bounds what a memo keeps, so that a large fleet whose clusters
// share little does not hold every cluster's output in memory. The units
// met first (the heaviest, for the first clusters) are the ones kept.
const memoBytes = 128 << 20

type memoEntry struct {
	paths []string // the leaves the unit read, sorted
	sum   string   // their values
	out   map[string]json.RawMessage
	deps  []Dep // the files the evaluating VM had read: the reuser depends on them too
}

// NewMemo returns an empty memo.
func NewMemo() *Memo { return &Memo{entries: map[string][]memoEntry{}} }

// Stats reports how many units were reused and how many evaluated.
func (m *Memo) Stats() (hits, misses int64) { return m.hits.Load(), m.misses.Load() }

func (m *Memo) lookup(key string, c *config) *memoEntry {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i, e := range m.entries[key] {
		if c.sum(e.paths) == e.sum {
			m.hits.Add(1)
			return &m.entries[key][i]
		}
	}
	return nil
}

func (m *Memo) store(key string, c *config, read map[string]bool, out map[string]json.RawMessage, deps []Dep) {
	paths := make([]string, 0, len(read))
	for p := range read {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	size := int64(0)
	for k, v := range out {
		size += int64(len(k) + len(v))
	}
	m.misses.Add(1)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.bytes+size > memoBytes {
		return
	}
	m.bytes += size
	m.entries[key] = append(m.entries[key], memoEntry{paths: paths, sum: c.sum(paths), out: out, deps: deps})
}

// config is a cluster's merged config as an observed proxy.
type config struct {
	leaves map[string]any // JSON pointer → scalar value
	code   string         // the proxy: the config's shape, each leaf a nativeConfig call
	node   ast.Node       // code, parsed once for every evaluation of the cluster
	shape  string         // hash of code
}

func newConfig(cfgJSON []byte) (*config, error) {
	var v any
	if err := json.Unmarshal(cfgJSON, &v); err != nil {
		return nil, fmt.Errorf("the library's config is not JSON data: %w", err)
	}
	c := &config{leaves: map[string]any{}}
	var b strings.Builder
	b.WriteString("local c = std.native('" + nativeConfig + "'); ")
	c.proxy(&b, "", v)
	c.code = b.String()
	node, err := jsonnet.SnippetToAST("<kpgen>", c.code)
	if err != nil {
		return nil, fmt.Errorf("internal error: the config proxy does not parse: %w", err)
	}
	c.node = node
	h := sha256.Sum256([]byte(c.code))
	c.shape = hex.EncodeToString(h[:])
	return c, nil
}

func (c *config) proxy(b *strings.Builder, path string, v any) {
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString("{")
		for _, k := range keys {
			kq, _ := json.Marshal(k)
			b.Write(kq)
			b.WriteString(": ")
			c.proxy(b, path+"/"+pointerEscape(k), t[k])
			b.WriteString(", ")
		}
		b.WriteString("}")
	case []any:
		b.WriteString("[")
		for i, e := range t {
			c.proxy(b, path+"/"+strconv.Itoa(i), e)
			b.WriteString(", ")
		}
		b.WriteString("]")
	default:
		c.leaves[path] = t
		pq, _ := json.Marshal(path)
		b.WriteString("c(")
		b.Write(pq)
		b.WriteString(")")
	}
}

func pointerEscape(k string) string {
	return strings.ReplaceAll(strings.ReplaceAll(k, "~", "~0"), "/", "~1")
}

// sum hashes the values of the given leaves.
func (c *config) sum(paths []string) string {
	h := sha256.New()
	for _, p := range paths {
		v, _ := json.Marshal(c.leaves[p])
		fmt.Fprintf(h, "%s\x00%s\x00", p, v)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// native is the nativeConfig function of a renderer's VM: the current
// config's leaf at a path, recorded as read.
func (r *Renderer) native() *jsonnet.NativeFunction {
	return &jsonnet.NativeFunction{
		Name:   nativeConfig,
		Params: ast.Identifiers{"path"},
		Func: func(args []any) (any, error) {
			p, _ := args[0].(string)
			if r.cfg == nil {
				return nil, fmt.Errorf("kpgen: a config leaf read outside a config evaluation")
			}
			v, ok := r.cfg.leaves[p]
			if !ok {
				return nil, fmt.Errorf("kpgen: no config leaf %q", p)
			}
			if r.read != nil {
				r.read[p] = true
			}
			return v, nil
		},
	}
}

// configOf evaluates a cluster's merged config (the entrypoint's hidden
// `config`) as JSON.
func (r *Renderer) configOf(varsPath string) ([]byte, error) {
	out, err := r.eval(varsPath, "function(vars) (import %s)(vars).config")
	return []byte(out), err
}

// evalConfig evaluates body — where m stands for the library's fromConfig
// applied to the config proxy — with c as the config, which the VM forgets
// afterwards.
func (r *Renderer) evalConfig(c *config, body string) (string, error) {
	r.cfg = c
	defer func() { r.cfg = nil }()
	r.vm.TLAReset()
	r.vm.TLANode("cfg", c.node)
	return r.evaluate("function(cfg) local m = (import " + jsonnetString(r.library) + ").fromConfig(cfg); " + body)
}
