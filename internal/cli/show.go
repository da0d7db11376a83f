package cli

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/kpgen/kpgen/internal/build"
	"github.com/kpgen/kpgen/internal/manifest"
	"github.com/kpgen/kpgen/internal/output"
	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/render"
)

const showHelp = `Render one cluster exactly as 'kpgen build' does, validate it the same way,
and print its files, or the objects and files selected, on stdout. Nothing is
written: neither out/ nor the cache (out/ need not exist).

The cluster is a vars file (vars/prod.jsonnet) or a cluster name (prod): the
vars file in vars/ whose cluster.name it is.

With no selector, every file of the cluster is printed (kustomization.yaml,
then manifests/, in path order) as one YAML stream: each document is '---', a
'# Source: <file>' line, and exactly the bytes a build writes to
out/<cluster>/<file>. Selectors narrow it down:

  KIND/NAME            an object by kind (in any case) and name
                       (Deployment/grafana, prometheusrule/velero-rules)
  KIND/NAMESPACE/NAME  the same, when the name is taken in several namespaces
  FILE                 a file as laid out in out/<cluster>/: a selector ending
                       in .yaml, or starting with a directory of it (manifests/)

Kinds, namespaces, names and files may be globs (*, ?, [a-z]; * stops at /).
What the selectors match is printed in their order, each object or file once.
An object inside a List (the dashboards' ConfigMapList, a RoleList) is printed
on its own: its Source line names the item, its YAML is encoded as a build
encodes the file. A selector that matches nothing fails the command and names
the closest objects or files; so does a KIND/NAME taken in several namespaces.
Then, as when the cluster fails, nothing is printed on stdout.

--no-validate skips the object and rule checks (a build's step 2: well-formed
objects, no object twice, safe file names, PrometheusRules through rulefmt and
the duplicate-rule lint), to look at a cluster that fails them. The vars are
still checked (that is part of the render), and a Jsonnet error still fails.

Examples:
  kpgen show prod                                   # the whole cluster
  kpgen show vars/prod.jsonnet prometheusrule/velero-rules
  kpgen show prod 'role/*/prometheus-k8s'           # the Role in every namespace
  kpgen show prod manifests/velero-prometheusRule.yaml Deployment/grafana
  kpgen show prod --files 'manifests/setup/*'       # only the file names
  kpgen show prod deployment/grafana --format json | jq '.[0].object.spec.replicas'
  kpgen show --no-validate prod manifests/velero-prometheusRule.yaml

Exit status: 0 shown; 1 the cluster is not found, fails to render or
validate, or a selector matches nothing; 2 usage error.`

func runShow(args []string, stdout, stderr io.Writer) int {
	var (
		cf         clusterFlags
		format     string
		files      bool
		noValidate bool
	)
	fs := newFlags("show", "<cluster|VARS> [KIND/NAME | KIND/NAMESPACE/NAME | FILE]...", showHelp, stderr)
	cf.register(fs, false)
	fs.StringVar(&format, "format", "yaml", "output format: yaml (a YAML stream, a build's bytes) or json (an array of {source, object})")
	fs.BoolVar(&files, "files", false, "print only the paths of the files shown, one per line (a JSON array with --format json)")
	fs.BoolVar(&noValidate, "no-validate", false, "skip the object and rule checks (not the vars checks), to look at a cluster that fails them")
	if done, code := parse(fs, args, stdout); done {
		return code
	}
	if format != "yaml" && format != "json" {
		return usageError(stderr, "show", "unknown --format %q (want yaml or json)", format)
	}
	if fs.NArg() == 0 {
		return usageError(stderr, "show", "want a cluster name or a vars file")
	}
	target := fs.Arg(0)
	sels := make([]*selector, 0, fs.NArg()-1)
	for _, a := range fs.Args()[1:] {
		s, err := parseSelector(a)
		if err != nil {
			return usageError(stderr, "show", "%v", err)
		}
		sels = append(sels, s)
	}

	root, vars, prog, code := resolveCluster("show", cf, target, stderr)
	if code != ExitOK {
		return code
	}

	limit := build.TuneGC(cf.jobs, 1)
	outcome := build.Execute(build.Options{
		Root:         root,
		OutDir:       root.DefaultOut(), // never written nor read: Validate mode, no cache
		Jobs:         cf.jobs,
		Shards:       build.Shards(cf.jobs, 1, limit),
		Mode:         build.Validate,
		Trace:        cf.trace,
		Program:      prog,
		KeepRendered: true,
		NoValidate:   noValidate,
	}, []string{vars})
	if outcome.Err != nil {
		fmt.Fprintf(stderr, "FAILED: %v\n", outcome.Err)
		return ExitFailed
	}
	r := outcome.Results[0]
	if !cf.quiet {
		warnings(stderr, outcome.Results)
	}
	switch {
	case r.Err != nil:
		fmt.Fprintf(stderr, "FAILED: %s: %v\n", r.Label(), r.Err)
		return ExitFailed
	case len(r.Problems) > 0:
		fmt.Fprintf(stderr, "FAILED: %s: %d problem(s), nothing shown (--no-validate shows it all the same):\n", r.Label(), len(r.Problems))
		for _, p := range r.Problems {
			fmt.Fprintf(stderr, "  %s\n", p)
		}
		return ExitFailed
	}

	docs := clusterDocs(r)
	var chosen []*doc
	for _, d := range docs {
		if d.item < 0 {
			chosen = append(chosen, d)
		}
	}
	if len(sels) > 0 {
		var (
			errs  []string
			usage error
		)
		chosen, errs, usage = selectDocs(docs, sels, r.Cluster)
		if usage != nil {
			return usageError(stderr, "show", "%v", usage)
		}
		if len(errs) > 0 {
			for _, e := range errs {
				fmt.Fprintf(stderr, "kpgen show: %s\n", e)
			}
			return ExitFailed
		}
	}
	w := bufio.NewWriter(stdout)
	if err := writeDocs(w, chosen, format, files); err != nil {
		fmt.Fprintf(stderr, "FAILED: %s: %v\n", r.Label(), err)
		return ExitFailed
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintf(stderr, "kpgen show: writing the output: %v\n", err)
		return ExitFailed
	}
	return ExitOK
}

// isVarsPath tells a vars file from a cluster name: a cluster name is a
// DNS-1123 label (no '/', no '.'), so anything else is a path; a label is a
// path too when a file (not a directory) of that name is in the working
// directory.
func isVarsPath(arg string) bool {
	if output.CheckCluster(arg) != nil {
		return true
	}
	fi, err := os.Stat(arg)
	return err == nil && !fi.IsDir()
}

// resolveCluster finds the project and the vars file of a cluster given as
// a vars file or by name (the vars file in vars/ whose cluster.name it is),
// and the program it parsed to find it (nil if it parsed none); a code other
// than ExitOK means it said why it failed.
func resolveCluster(cmd string, cf clusterFlags, target string, stderr io.Writer) (project.Root, string, *render.Program, int) {
	var given []string
	if isVarsPath(target) {
		given = []string{target}
	}
	r, vs, err := cf.resolve(given)
	if err != nil {
		fmt.Fprintf(stderr, "kpgen %s: %v\n", cmd, err)
		return r, "", nil, ExitUsage
	}
	if err := r.CheckVendor(); err != nil {
		fmt.Fprintf(stderr, "kpgen %s: %v\n", cmd, err)
		return r, "", nil, ExitFailed
	}
	if given != nil {
		return r, vs[0], nil, ExitOK
	}
	prog := render.ProgramFor(r)
	v, code := findCluster(cmd, r, prog, vs, target, cf.jobs, stderr)
	return r, v, prog, code
}

// findCluster returns the vars file of all whose cluster.name is name,
// evaluating only the heads of the vars files (render.Renderer.Head), on up
// to jobs VMs sharing prog.
func findCluster(cmd string, root project.Root, prog *render.Program, all []string, name string, jobs int, stderr io.Writer) (string, int) {
	type head struct {
		rel, cluster string
		err          error
	}
	heads := make([]head, len(all))
	var (
		wg   sync.WaitGroup
		next = make(chan int)
	)
	for range max(1, min(jobs, len(all))) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := render.NewShared(root, prog)
			for i := range next {
				heads[i].rel = r.Rel(all[i])
				if h, err := r.Head(all[i]); err != nil {
					heads[i].err = err
				} else {
					heads[i].cluster = h.Cluster
				}
			}
		}()
	}
	for i := range all {
		next <- i
	}
	close(next)
	wg.Wait()

	var (
		matches, known, failed []string
		matched                string
	)
	for i, h := range heads {
		switch {
		case h.err != nil:
			failed = append(failed, h.rel)
			// The vars file named after the cluster is most likely the
			// one meant: say why it fails, as a build would.
			if base := path.Base(h.rel); strings.TrimSuffix(strings.TrimSuffix(base, ".jsonnet"), ".json") == name {
				fmt.Fprintf(stderr, "FAILED: %s: %v\n", h.rel, h.err)
				return "", ExitFailed
			}
		case h.cluster == name:
			matches = append(matches, h.rel)
			matched = all[i]
		default:
			known = append(known, h.cluster)
		}
	}
	switch {
	case len(matches) == 1:
		return matched, ExitOK
	case len(matches) > 1:
		fmt.Fprintf(stderr, "kpgen %s: cluster %q is named by %d vars files (%s): give the vars file\n", cmd, name, len(matches), strings.Join(matches, ", "))
		return "", ExitFailed
	}
	sort.Strings(known)
	known = compactStrings(known)
	var b strings.Builder
	fmt.Fprintf(&b, "kpgen %s: no vars file in %s/ names a cluster %q", cmd, displayPath(root.VarsDir()), name)
	var near []string // a small typo, or a part of the name
	for _, k := range known {
		if distance(name, k) <= max(2, len(name)/3) || strings.Contains(k, name) {
			near = append(near, k)
		}
	}
	if c := closest(name, near, 1); len(c) == 1 {
		fmt.Fprintf(&b, " (did you mean %q?)", c[0])
	}
	if len(known) > 0 {
		fmt.Fprintf(&b, "; the clusters: %s", strings.Join(known, ", "))
	}
	if len(failed) > 0 {
		fmt.Fprintf(&b, "; the cluster name of %s is not known: it fails to render (`kpgen validate` says why)", strings.Join(failed, ", "))
	}
	fmt.Fprintln(stderr, b.String())
	return "", ExitFailed
}

func compactStrings(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// doc is one document show can print: a whole file, or an item of a file
// that holds a List.
type doc struct {
	file     string // path in out/<cluster>/
	item     int    // index in the List's items, or -1 for the whole file
	listKind string // the List's kind, for an item
	meta     manifest.Meta
	object   bool // meta is known: the file (or item) is an object
	yaml     []byte
	json     []byte
}

// source is the '# Source:' of a document.
func (d *doc) source() string {
	if d.item < 0 {
		return project.Printable(d.file)
	}
	return fmt.Sprintf("%s (%s .items[%d])", project.Printable(d.file), d.listKind, d.item)
}

// clusterDocs lists a rendered cluster's files, each followed by the items
// of its List, if it is one.
func clusterDocs(r *build.Result) []*doc {
	var docs []*doc
	for i, f := range r.Files {
		d := &doc{file: f.Path, item: -1, yaml: f.Data}
		if i < len(r.Rendered) {
			d.json = r.Rendered[i].JSON
		}
		docs = append(docs, d)
		var top manifest.Meta
		if json.Unmarshal(d.json, &top) != nil {
			continue // with --no-validate: not an object; shown as a file
		}
		if !top.IsList() {
			d.meta, d.object = top, true
			continue
		}
		objs, err := manifest.Objects(d.json)
		if err != nil {
			continue
		}
		for n, o := range objs {
			docs = append(docs, &doc{file: f.Path, item: n, listKind: top.Kind, meta: o.Meta, object: true, json: o.JSON})
		}
	}
	return docs
}

// selector is one argument after the cluster.
type selector struct {
	raw   string
	parts []string // slash-separated, cleaned
	file  bool     // a FILE (decided by parseSelector, or once the files are known)
}

func hasGlob(s string) bool { return strings.ContainsAny(s, "*?[") }

// parseSelector checks a selector's syntax; whether it names a file or an
// object is decided for good once the cluster's directories are known.
func parseSelector(raw string) (*selector, error) {
	s := &selector{raw: raw}
	clean := path.Clean(strings.TrimSpace(raw))
	switch {
	case strings.TrimSpace(raw) == "":
		return nil, fmt.Errorf("an empty selector")
	case strings.HasSuffix(clean, ".jsonnet") || strings.HasSuffix(clean, ".json"):
		return nil, fmt.Errorf("%s: kpgen show shows one cluster; a selector is KIND/NAME, KIND/NAMESPACE/NAME or a file (manifests/…yaml)", project.Printable(raw))
	case strings.HasSuffix(clean, ".yaml") || strings.HasPrefix(clean, "manifests/"):
		s.file = true
	case !strings.Contains(clean, "/"):
		return nil, fmt.Errorf("%s: want KIND/NAME, KIND/NAMESPACE/NAME or a file (manifests/…yaml)", project.Printable(raw))
	}
	s.parts = strings.Split(strings.TrimPrefix(clean, "/"), "/")
	for _, p := range s.parts {
		if _, err := path.Match(p, ""); err != nil {
			return nil, fmt.Errorf("%s: bad glob %q", project.Printable(raw), p)
		}
		if p == "" || p == ".." {
			return nil, fmt.Errorf("%s: an empty or '..' segment", project.Printable(raw))
		}
	}
	return s, nil
}

// matches reports whether the document is what s names.
func (s *selector) matches(d *doc) bool {
	if s.file {
		if d.item >= 0 {
			return false
		}
		ok, _ := path.Match(strings.Join(s.parts, "/"), d.file)
		return ok
	}
	if !d.object {
		return false
	}
	kind, ns, name := s.parts[0], "", s.parts[len(s.parts)-1]
	if len(s.parts) == 3 {
		ns = s.parts[1]
	}
	if ok, _ := path.Match(strings.ToLower(kind), strings.ToLower(d.meta.Kind)); !ok {
		return false
	}
	if ok, _ := path.Match(name, d.meta.Metadata.Name); !ok {
		return false
	}
	if len(s.parts) == 3 {
		ok, _ := path.Match(ns, d.meta.Metadata.Namespace)
		return ok
	}
	return true
}

// selectDocs returns what the selectors match, in their order, each
// document once, or an error message for each selector that matches nothing
// or, as KIND/NAME, objects in several namespaces; usage, for a selector
// that is neither a file nor an object.
func selectDocs(docs []*doc, sels []*selector, cluster string) (chosen []*doc, errs []string, usage error) {
	dirs := map[string]bool{}
	for _, d := range docs {
		if i := strings.Index(d.file, "/"); i > 0 {
			dirs[d.file[:i]] = true
		}
	}
	seen := map[*doc]bool{}
	for _, s := range sels {
		if !s.file && dirs[s.parts[0]] {
			s.file = true
		}
		if !s.file && len(s.parts) > 3 {
			return nil, nil, fmt.Errorf("%s: want KIND/NAME, KIND/NAMESPACE/NAME or a file (manifests/…yaml)", project.Printable(s.raw))
		}
		var got []*doc
		for _, d := range docs {
			if s.matches(d) {
				got = append(got, d)
			}
		}
		if len(got) == 0 {
			errs = append(errs, noMatch(s, docs, dirs, cluster))
			continue
		}
		if !s.file && len(s.parts) == 2 && !hasGlob(s.parts[0]) && !hasGlob(s.parts[1]) && len(got) > 1 {
			var ids []string
			for _, d := range got {
				ids = append(ids, objectID(d, true))
			}
			sort.Strings(ids)
			errs = append(errs, fmt.Sprintf("%s is ambiguous in cluster %s, %d objects: %s (give KIND/NAMESPACE/NAME, or a glob for all of them)",
				project.Printable(s.raw), cluster, len(got), strings.Join(ids, ", ")))
			continue
		}
		for _, d := range got {
			if !seen[d] {
				seen[d] = true
				chosen = append(chosen, d)
			}
		}
	}
	return chosen, errs, nil
}

// objectID is how show names an object: Kind/name, or Kind/namespace/name.
func objectID(d *doc, withNamespace bool) string {
	if withNamespace && d.meta.Metadata.Namespace != "" {
		return d.meta.Kind + "/" + d.meta.Metadata.Namespace + "/" + d.meta.Metadata.Name
	}
	return d.meta.Kind + "/" + d.meta.Metadata.Name
}

// noMatch says that s matches nothing, with the closest candidates: the
// objects of its kind when there are some, else every object (or, when its
// first segment is near a directory of the output, every file).
func noMatch(s *selector, docs []*doc, dirs map[string]bool, cluster string) string {
	want := strings.Join(s.parts, "/")
	byFile := s.file
	var cands []string
	if !s.file {
		kind, ofKind := strings.ToLower(s.parts[0]), false
		for _, d := range docs {
			ofKind = ofKind || d.object && strings.ToLower(d.meta.Kind) == kind
		}
		near := false
		for dir := range dirs {
			near = near || distance(kind, strings.ToLower(dir)) <= 2
		}
		byFile = !ofKind && near
		if !byFile {
			// Kind/name where that names one object, else Kind/namespace/name.
			n := map[string]int{}
			for _, d := range docs {
				if d.object {
					n[strings.ToLower(objectID(d, false))]++
				}
			}
			set := map[string]bool{}
			for _, d := range docs {
				if !d.object || d.meta.Kind == "" || d.meta.Metadata.Name == "" || ofKind && strings.ToLower(d.meta.Kind) != kind {
					continue
				}
				id := objectID(d, len(s.parts) == 3 || n[strings.ToLower(objectID(d, false))] > 1)
				if !set[id] {
					set[id] = true
					cands = append(cands, id)
				}
			}
		}
	}
	if byFile {
		for _, d := range docs {
			if d.item < 0 {
				cands = append(cands, d.file)
			}
		}
	}
	what := "no object"
	switch {
	case s.file:
		what = "no file"
	case byFile:
		what = "nothing" // a kind it is not, a file it may have meant
	}
	msg := fmt.Sprintf("%s matches %s of cluster %s", project.Printable(s.raw), what, cluster)
	if c := closest(want, cands, 3); len(c) > 0 {
		msg += "; the closest: " + strings.Join(c, ", ")
	}
	return msg
}

// closest returns up to n of cands nearest to want: the edit distance of
// what precedes the last '/' (kind, namespace, directory) plus that of what
// follows (name, file name); case and glob characters ignored; ties by name.
func closest(want string, cands []string, n int) []string {
	split := func(s string) (string, string) {
		s = strings.ToLower(s)
		i := strings.LastIndex(s, "/")
		return s[:max(0, i)], s[i+1:]
	}
	wantDir, wantBase := split(strings.NewReplacer("*", "", "?", "").Replace(want))
	type scored struct {
		s string
		d int
	}
	var all []scored
	for _, c := range cands {
		dir, base := split(c)
		d := distance(wantDir, dir)
		if wantBase != "" { // else a glob: any name is as near
			d += distance(wantBase, base)
		}
		all = append(all, scored{c, d})
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].d != all[j].d {
			return all[i].d < all[j].d
		}
		return all[i].s < all[j].s
	})
	var out []string
	for _, c := range all[:min(n, len(all))] {
		out = append(out, c.s)
	}
	return out
}

// distance is the Levenshtein distance between a and b, in runes.
func distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// showEntry is one document of --format json.
type showEntry struct {
	Source string          `json:"source"`
	Item   *int            `json:"item,omitempty"` // index in the List's items
	Object json.RawMessage `json:"object"`
}

// writeDocs prints the documents: a YAML stream (a build's bytes, each
// document after '---' and its '# Source:'), a JSON array, or the files.
func writeDocs(w io.Writer, docs []*doc, format string, filesOnly bool) error {
	if filesOnly {
		var paths []string
		seen := map[string]bool{}
		for _, d := range docs {
			if !seen[d.file] {
				seen[d.file] = true
				paths = append(paths, d.file)
			}
		}
		if format == "json" {
			return writeJSON(w, paths)
		}
		for _, p := range paths {
			fmt.Fprintln(w, project.Printable(p))
		}
		return nil
	}
	if format == "json" {
		entries := make([]showEntry, 0, len(docs))
		for _, d := range docs {
			e := showEntry{Source: d.file, Object: d.json}
			if d.item >= 0 {
				e.Item = &d.item
			}
			entries = append(entries, e)
		}
		return writeJSON(w, entries)
	}
	for _, d := range docs {
		if d.yaml == nil { // an item: encoded as a build encodes a file
			y, err := manifest.ToYAML(d.json)
			if err != nil {
				return fmt.Errorf("%s: encoding YAML: %w", d.source(), err)
			}
			d.yaml = y
		}
	}
	for _, d := range docs {
		fmt.Fprintf(w, "---\n# Source: %s\n", d.source())
		w.Write(d.yaml)
	}
	return nil
}

// writeJSON writes v indented, '<', '>' and '&' as they are (PromQL).
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
