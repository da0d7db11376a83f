package render

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
)

// Sharded rendering. Jsonnet is lazy, so a VM that manifests only some of a
// cluster's files computes only what those files need: one cluster can be
// spread over several VMs (one per core). Large Lists (the Grafana dashboards
// ConfigMapList is about half of kube-prometheus's evaluation) are split by
// item. The output is the same as Files' whatever the number of shards.

// unit is one evaluation: whole files, or a range of one List file's items.
type unit struct {
	files      []string // whole files
	list       string   // a List file whose items [from, to) this unit evaluates
	from, to   int
	shell      bool // evaluate the List file without its items
	heavy      bool
	sequenceNo int
}

// fileInfo is what the cheap first pass learns about each file.
type fileInfo struct {
	Kind  string `json:"kind"`
	Items int    `json:"items"`
}

const (
	// splitItems is the smallest List that is split by item.
	splitItems = 8
	// itemsPerUnit keeps per-evaluation overhead (each evaluation recomputes
	// the stack's shape) small against the work.
	itemsPerUnit = 4
)

// FilesParallel evaluates a cluster's files over the given renderers (each
// used by one goroutine), returning the same files as Files.
//
// Every renderer starts with the cheap planning pass itself: its first
// evaluation parses the imports (about a third of a second for
// kube-prometheus), which each VM must do once anyway, so they do it at the
// same time rather than one after the other. The first plan ready is used.
func FilesParallel(rs []*Renderer, varsPath string) ([]File, error) {
	if len(rs) == 1 {
		return rs[0].Files(varsPath)
	}
	return filesUnits(rs, varsPath, nil, nil)
}

// FilesMemo evaluates a cluster's files, as FilesParallel does, sharing work
// with the other clusters of the run through m (see memo.go). It returns
// the same files as Files.
func FilesMemo(rs []*Renderer, varsPath string, m *Memo) ([]File, error) {
	cfgJSON, err := rs[0].configOf(varsPath)
	if err != nil {
		return nil, err
	}
	c, err := newConfig(cfgJSON)
	if err != nil {
		return nil, err
	}
	return filesUnits(rs, varsPath, c, m)
}

func filesUnits(rs []*Renderer, varsPath string, c *config, m *Memo) ([]File, error) {
	var (
		mu       sync.Mutex
		planned  = make(chan struct{})
		once     sync.Once
		info     map[string]fileInfo
		units    []unit
		next     int
		firstErr error
		results  []map[string]json.RawMessage
		wg       sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
		once.Do(func() { close(planned) })
	}
	for _, r := range rs {
		wg.Add(1)
		go func(r *Renderer) {
			defer wg.Done()
			fi, err := r.fileInfo(varsPath, c)
			if err != nil {
				fail(err)
				return
			}
			once.Do(func() {
				info, units = fi, plan(fi)
				results = make([]map[string]json.RawMessage, len(units))
				close(planned)
			})
			<-planned
			for {
				mu.Lock()
				if firstErr != nil || next >= len(units) {
					mu.Unlock()
					return
				}
				i := next
				next++
				mu.Unlock()
				out, err := r.evalUnit(varsPath, units[i], c, m)
				if err != nil {
					fail(err)
					return
				}
				mu.Lock()
				results[i] = out
				mu.Unlock()
			}
		}(r)
	}
	wg.Wait()
	if firstErr != nil {
		return nil, firstErr
	}
	return assemble(units, results, info)
}

// fileInfo evaluates every file's kind and, for Lists, its number of items.
func (r *Renderer) fileInfo(varsPath string, c *config) (map[string]fileInfo, error) {
	const body = `{
	  [k]: { kind: f[k].kind, items: if std.endsWith(f[k].kind, 'List') then std.length(f[k].items) else 0 }
	  for k in std.objectFields(f)
	}`
	var (
		out string
		err error
	)
	if c == nil {
		out, err = r.eval(varsPath, "function(vars) local f = (import %s)(vars).files; "+body)
	} else {
		out, err = r.evalConfig(c, body)
	}
	if err != nil {
		return nil, err
	}
	var info map[string]fileInfo
	if err := json.Unmarshal([]byte(out), &info); err != nil {
		return nil, err
	}
	return info, nil
}

// plan splits the files into units, heaviest first, so that dynamic
// scheduling over the workers balances: rule files and large Lists' items
// (where evaluation time goes) are units of their own; the many small
// objects share a few units.
func plan(info map[string]fileInfo) []unit {
	paths := make([]string, 0, len(info))
	for p := range info {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var heavy, light []unit
	var small []string
	for _, p := range paths {
		fi := info[p]
		switch {
		case fi.Items >= splitItems:
			heavy = append(heavy, unit{list: p, shell: true})
			for from := 0; from < fi.Items; from += itemsPerUnit {
				heavy = append(heavy, unit{list: p, from: from, to: min(from+itemsPerUnit, fi.Items), heavy: true})
			}
		case fi.Kind == "PrometheusRule":
			heavy = append(heavy, unit{files: []string{p}, heavy: true})
		default:
			small = append(small, p)
		}
	}
	// The small files in a few batches, by component so that each batch
	// shares its components' evaluation.
	const batches = 4
	per := (len(small) + batches - 1) / batches
	for i := 0; i < len(small); i += per {
		light = append(light, unit{files: small[i:min(i+per, len(small))]})
	}
	units := append(heavy, light...)
	for i := range units {
		units[i].sequenceNo = i
	}
	return units
}

// unitBody is the Jsonnet object a unit evaluates, where f is the files.
func unitBody(u unit) string {
	var fields []string
	switch {
	case u.shell:
		return fmt.Sprintf("{ %s: std.objectRemoveKey(f[%s], 'items') }", strconv.Quote(u.list), strconv.Quote(u.list))
	case u.list != "":
		for i := u.from; i < u.to; i++ {
			fields = append(fields, fmt.Sprintf("%s: f[%s].items[%d]", strconv.Quote(itemKey(u.list, i)), strconv.Quote(u.list), i))
		}
	default:
		for _, p := range u.files {
			fields = append(fields, fmt.Sprintf("%s: f[%s]", strconv.Quote(p), strconv.Quote(p)))
		}
	}
	return "{ " + strings.Join(fields, ", ") + " }"
}

// key identifies a unit (with the shape of the config it runs on) in a memo.
func (u unit) key(shape string) string {
	return fmt.Sprintf("%s\x00%v\x00%s\x00%d-%d\x00%v", shape, u.files, u.list, u.from, u.to, u.shell)
}

// evalUnit evaluates one unit, returning file path (or list item key) → JSON.
// With a config (memo mode) it evaluates through the library's
// filesFromConfig, reusing the memo's output when the leaves the unit reads
// for another cluster had the same values.
func (r *Renderer) evalUnit(varsPath string, u unit, c *config, m *Memo) (map[string]json.RawMessage, error) {
	var (
		out string
		err error
	)
	if c == nil {
		out, err = r.eval(varsPath, "function(vars) local f = (import %s)(vars).files; "+unitBody(u))
	} else {
		key := u.key(c.shape)
		if hit := m.lookup(key, c); hit != nil {
			r.adopt(hit.deps)
			return hit.out, nil
		}
		r.read = map[string]bool{}
		out, err = r.evalConfig(c, unitBody(u))
		read := r.read
		r.read = nil
		if err == nil {
			var res map[string]json.RawMessage
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				return nil, err
			}
			m.store(key, c, read, res, r.Deps())
			return res, nil
		}
	}
	if err != nil {
		return nil, err
	}
	var res map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		return nil, err
	}
	return res, nil
}

func itemKey(list string, i int) string { return fmt.Sprintf("%s#%d", list, i) }

// assemble puts the units' results back together as whole files.
func assemble(units []unit, results []map[string]json.RawMessage, info map[string]fileInfo) ([]File, error) {
	whole := map[string]json.RawMessage{}
	items := map[string][]json.RawMessage{}
	for i, u := range units {
		switch {
		case u.shell:
			whole[u.list] = results[i][u.list]
		case u.list != "":
			if items[u.list] == nil {
				items[u.list] = make([]json.RawMessage, info[u.list].Items)
			}
			for j := u.from; j < u.to; j++ {
				items[u.list][j] = results[i][itemKey(u.list, j)]
			}
		default:
			for _, p := range u.files {
				whole[p] = results[i][p]
			}
		}
	}
	for list, its := range items {
		var shell map[string]json.RawMessage
		if err := json.Unmarshal(whole[list], &shell); err != nil {
			return nil, fmt.Errorf("%s: %w", list, err)
		}
		b, err := json.Marshal(its)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", list, err)
		}
		shell["items"] = b
		if whole[list], err = json.Marshal(shell); err != nil {
			return nil, fmt.Errorf("%s: %w", list, err)
		}
	}
	files := make([]File, 0, len(whole))
	for p, j := range whole {
		files = append(files, File{Path: p, JSON: j})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, nil
}
