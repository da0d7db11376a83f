package render

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Sharded rendering. Jsonnet is lazy, so a VM that manifests only some of a
// cluster's files computes only what those files need: one cluster can be
// spread over several VMs (one per core). The large arrays are split by
// element: a List's items (the Grafana dashboards ConfigMapList is about half
// of kube-prometheus's evaluation) and a PrometheusRule's groups (the
// kubernetes-mixin's rules are a quarter). The output is the same as Files'
// whatever the number of shards.

// unit is one evaluation: whole files, or a range of one array of one file.
type unit struct {
	files    []string // whole files
	file     string   // the file whose array elements [from, to) this unit evaluates
	arr      *array
	from, to int
	shell    bool // evaluate file without its array
	heavy    bool
	body     string // the Jsonnet object evaluated (see unitBody)
}

// array is a splittable array of a file: its path in the object.
type array struct {
	name string   // in fileInfo
	path []string // fields from the object to the array
}

var (
	listItems  = &array{name: "items", path: []string{"items"}}
	ruleGroups = &array{name: "groups", path: []string{"spec", "groups"}}
)

// fileInfo is what the cheap first pass learns about each file.
type fileInfo struct {
	Kind   string `json:"kind"`
	Items  int    `json:"items"`  // a List's items
	Groups int    `json:"groups"` // a PrometheusRule's groups
	// At is where the file's object is in the entrypoint's objects
	// ([component, key]), if its index says so: reading it there spares
	// laying out every file.
	At []string `json:"at"`
}

var (
	// splitItems is the smallest List that is split by item.
	splitItems = 8
	// itemsPerUnit keeps per-evaluation overhead (each evaluation recomputes
	// the stack's shape) small against the work.
	itemsPerUnit = 3
	// splitGroups is the smallest PrometheusRule split by group, groupsPerUnit
	// how many groups a unit evaluates.
	splitGroups, groupsPerUnit = 8, 4 // variables, so that tests can split small stacks
)

// FilesParallel evaluates a cluster's files over the given renderers (each
// used by one goroutine), returning the same files as Files.
//
// The first renderer plans (a cheap evaluation of every file's kind); the
// others wait for the plan, then every renderer takes units in turn.
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
	for k, r := range rs {
		wg.Add(1)
		go func(r *Renderer) {
			defer wg.Done()
			if k == 0 {
				// One VM plans; the others wait (the plan is cheap, and
				// the first evaluation of a run parses for everyone).
				fi, err := r.fileInfo(varsPath, c, m)
				if err != nil {
					fail(err)
					return
				}
				once.Do(func() {
					units = plan(fi)
					results = make([]map[string]json.RawMessage, len(units))
					close(planned)
				})
			}
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
	return assemble(units, results)
}

// infoBody evaluates every file's kind and the lengths of its splittable
// arrays (0 where the object does not have the usual shape); %s is the
// index of the files' objects ({} for none).
const infoBody = `{
  local at(o, path) = std.foldl(function(v, k) if std.isObject(v) && std.objectHas(v, k) then v[k] else null, path, o),
  local count(v) = if std.isArray(v) then std.length(v) else 0,
  local f = m.files,
  local index = %s,
  [k]: (
    local o = f[k];
    local kind = if std.isObject(o) then std.get(o, 'kind', '') else '';
    {
      kind: if std.isString(kind) then kind else '',
      items: if std.endsWith(self.kind, 'List') then count(at(o, ['items'])) else 0,
      groups: if self.kind == 'PrometheusRule' then count(at(o, ['spec', 'groups'])) else 0,
      at: std.get(index, k),
    }
  )
  for k in std.objectFields(m.files)
}`

// fileInfo evaluates what planning needs to know of every file: a unit of
// its own, so that with a memo, clusters share it too.
func (r *Renderer) fileInfo(varsPath string, c *config, m *Memo) (map[string]fileInfo, error) {
	// The library's index says where each file's object is, unless a
	// customised entrypoint changes files (then index would be wrong).
	index := "{}"
	if r.stock {
		index = "if std.objectHasAll(m, 'index') then m.index else {}"
	}
	out, err := r.evalUnit(varsPath, unit{body: fmt.Sprintf(infoBody, index)}, c, m)
	if err != nil {
		return nil, err
	}
	info := make(map[string]fileInfo, len(out))
	for p, raw := range out {
		var fi fileInfo
		if err := json.Unmarshal(raw, &fi); err != nil {
			return nil, err
		}
		info[p] = fi
	}
	return info, nil
}

// plan splits the files into units, the expensive ones first, so that
// dynamic scheduling over the workers balances: large arrays are split into
// units of a few elements, CustomResourceDefinitions (large, and evaluated
// together) go first, and the many small objects share a few units, last.
func plan(info map[string]fileInfo) []unit {
	paths := make([]string, 0, len(info))
	for p := range info {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	var crds, heavy, light []unit
	var small, defs []string
	split := func(p string, arr *array, n, per int) {
		heavy = append(heavy, unit{file: p, arr: arr, shell: true})
		for from := 0; from < n; from += per {
			heavy = append(heavy, unit{file: p, arr: arr, from: from, to: min(from+per, n), heavy: true})
		}
	}
	for _, p := range paths {
		fi := info[p]
		switch {
		case fi.Items >= splitItems:
			split(p, listItems, fi.Items, itemsPerUnit)
		case fi.Groups >= splitGroups:
			split(p, ruleGroups, fi.Groups, groupsPerUnit)
		case fi.Kind == "PrometheusRule":
			heavy = append(heavy, unit{files: []string{p}, heavy: true})
		case fi.Kind == "CustomResourceDefinition":
			defs = append(defs, p)
		default:
			small = append(small, p)
		}
	}
	if len(defs) > 0 {
		crds = append(crds, unit{files: defs, heavy: true})
	}
	// The small files in a few batches, by component so that each batch
	// shares its components' evaluation.
	const batches = 4
	per := (len(small) + batches - 1) / batches
	for i := 0; i < len(small); i += per {
		light = append(light, unit{files: small[i:min(i+per, len(small))]})
	}
	units := append(append(crds, heavy...), light...)
	for i := range units {
		units[i].body = unitBody(units[i], info)
	}
	return units
}

// unitBody is the Jsonnet object a unit evaluates, where m is what the
// entrypoint returns.
func unitBody(u unit, info map[string]fileInfo) string {
	file := func(p string) string {
		if at := info[p].At; len(at) == 2 {
			return fmt.Sprintf("m.objects[%s][%s]", jsonnetString(at[0]), jsonnetString(at[1]))
		}
		return fmt.Sprintf("m.files[%s]", jsonnetString(p))
	}
	var fields []string
	switch {
	case u.shell:
		return fmt.Sprintf("{ %s: %s }", jsonnetString(u.file), without(file(u.file), u.arr.path, 0))
	case u.file != "":
		for i := u.from; i < u.to; i++ {
			fields = append(fields, fmt.Sprintf("%s: %s%s[%d]", jsonnetString(itemKey(u.file, i)), file(u.file), jsonnetPath(u.arr.path), i))
		}
	default:
		for _, p := range u.files {
			fields = append(fields, fmt.Sprintf("%s: %s", jsonnetString(p), file(p)))
		}
	}
	return "{ " + strings.Join(fields, ", ") + " }"
}

// without is the Jsonnet for the object expr without the field at path: its
// other visible fields, read from the object itself (so that what they say
// of the array, through self, is unchanged).
func without(expr string, path []string, depth int) string {
	o, k := fmt.Sprintf("o%d", depth), jsonnetString(path[0])
	if len(path) == 1 {
		return fmt.Sprintf("(local %s = %s; { [k]: %s[k] for k in std.objectFields(%s) if k != %s })", o, expr, o, o, k)
	}
	return fmt.Sprintf("(local %s = %s; { [k]: if k == %s then %s else %s[k] for k in std.objectFields(%s) })",
		o, expr, k, without(o+"["+k+"]", path[1:], depth+1), o, o)
}

func jsonnetPath(path []string) string {
	var b strings.Builder
	for _, k := range path {
		fmt.Fprintf(&b, "[%s]", jsonnetString(k))
	}
	return b.String()
}

// key identifies a unit (with the shape of the config it runs on) in a memo.
func (u unit) key(shape string) string { return shape + "\x00" + u.body }

// evalUnit evaluates one unit, returning file path (or list item key) → JSON.
// With a config (memo mode) it evaluates through the library's
// fromConfig, reusing the memo's output when the leaves the unit reads
// for another cluster had the same values.
func (r *Renderer) evalUnit(varsPath string, u unit, c *config, m *Memo) (map[string]json.RawMessage, error) {
	var (
		out string
		err error
	)
	if c == nil {
		out, err = r.eval(varsPath, "function(vars) local m = (import %s)(vars); "+u.body)
	} else {
		key := u.key(c.shape)
		if hit := m.lookup(key, c); hit != nil {
			r.adopt(hit.deps)
			return hit.out, nil
		}
		r.read = map[string]bool{}
		out, err = r.evalConfig(c, u.body)
		read := r.read
		r.read = nil
		if err == nil {
			var res map[string]json.RawMessage
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				return nil, err
			}
			// Reusers depend on what this VM imported itself (the program's
			// closure they have already).
			m.store(key, c, read, res, r.importer.deps())
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
func assemble(units []unit, results []map[string]json.RawMessage) ([]File, error) {
	whole := map[string]json.RawMessage{}
	type split struct {
		arr   *array
		elems []json.RawMessage
	}
	splits := map[string]*split{}
	for i, u := range units {
		switch {
		case u.shell:
			whole[u.file] = results[i][u.file]
		case u.file != "":
			sp := splits[u.file]
			if sp == nil {
				sp = &split{arr: u.arr}
				splits[u.file] = sp
			}
			for j := u.from; j < u.to; j++ {
				for len(sp.elems) <= j {
					sp.elems = append(sp.elems, nil)
				}
				sp.elems[j] = results[i][itemKey(u.file, j)]
			}
		default:
			for _, p := range u.files {
				whole[p] = results[i][p]
			}
		}
	}
	for file, sp := range splits {
		elems, err := json.Marshal(sp.elems)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		if whole[file], err = setPath(whole[file], sp.arr.path, elems); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
	}
	files := make([]File, 0, len(whole))
	for p, j := range whole {
		files = append(files, File{Path: p, JSON: j})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, nil
}

// setPath returns the JSON object obj with the value at path replaced by v.
func setPath(obj json.RawMessage, path []string, v json.RawMessage) (json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(obj, &m); err != nil {
		return nil, err
	}
	if len(path) > 1 {
		var err error
		if v, err = setPath(m[path[0]], path[1:], v); err != nil {
			return nil, err
		}
	}
	m[path[0]] = v
	return json.Marshal(m)
}
