package build

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	jsonnet "github.com/google/go-jsonnet"

	"github.com/kpgen/kpgen/internal/cache"
	"github.com/kpgen/kpgen/internal/manifest"
	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/render"
	"github.com/kpgen/kpgen/internal/testutil"
)

var equivClusters = map[string]string{
	"a.jsonnet": "{ cluster: { name: 'a' } }\n",
	"b.jsonnet": "{ cluster: { name: 'b' } }\n",
	"c.jsonnet": "{ cluster: { name: 'c', environment: 'prod' }, prometheus: { replicas: 3, retention: '30d', externalLabels: { region: 'eu' } } }\n",
	"d.jsonnet": "{ cluster: { name: 'd' }, namespace: 'observability', kubelet: { probesDuplicateFix: 'dropEndpoint' } }\n",
	"e.jsonnet": `{ cluster: { name: 'e' }, mixins: { velero: { enabled: true, scheduleMaxAgeSeconds: { weekly: 700000 } }, cilium: { enabled: true } },
	  rules: { disable: ['Watchdog'], override: { TargetDown: { 'for': '30m' } } }, kubelet: { certExpirationWarningSeconds: 1209600, certExpirationCriticalSeconds: 86400 } }
`,
	"f.jsonnet": "{ cluster: { name: 'f' }, mixins: { velero: { enabled: true }, 'cert-manager': { enabled: true }, cnpg: { enabled: true, namespaces: ['db'] } }, grafana: { enabled: false } }\n",
	// Same shape as g-ok but a value that fails validation.
	"g.jsonnet":  "{ cluster: { name: 'g' }, mixins: { cnpg: { enabled: true, replicationLagFor: 'abc' } } }\n",
	"h.jsonnet":  "{ cluster: { name: 'h' }, mixins: { cnpg: { enabled: true, replicationLagFor: '7m' } } }\n",
	"ev.jsonnet": "{ cluster: { name: 'ev' }, prometheus: { remoteWrite: [{ url: 'http://x', headers: { a: error 'boom in ev' } }] } }\n",
	"vx.jsonnet": "{ cluster: { name: 'vx' }, prometheus: { replicas: 'three' } }\n",
	"sx.jsonnet": "{ cluster: { name: 'sx' \n",
	// Hostile vars files reaching for kpgen's natives and ext vars by the
	// names they had; @ROOT@ is the project's directory.
	"hpeek.jsonnet": `local n = std.native;
{
  cluster: { name: 'hpeek' },
  prometheus: { retention: if std.all([n(x) == null for x in ['kpgenConfig', 'kpgenLoad', 'kpgenFormat', 'kpgenFormatCount', 'kpgenFormatKeys']]) then '10d' else '99d' },
}
`,
	"hconfig.jsonnet":  "{ cluster: { name: 'hconfig' }, prometheus: { retention: std.native('kpgenConfig')('/prometheus/retention') } }\n",
	"hformat.jsonnet":  "{ cluster: { name: 'hformat' }, prometheus: { retention: std.native('kpgenFormat')('%sd', [3]) } }\n",
	"hextvar.jsonnet":  "{ cluster: { name: 'hextvar' }, prometheus: { retention: std.extVar('kpgen:file:@ROOT@/vars/c.jsonnet').prometheus.retention } }\n",
	"hprelude.jsonnet": "{ cluster: { name: 'hprelude' }, prometheus: { retention: std.extVar('kpgen:prelude').mod('%sd', 4) } }\n",
	"hloadkey.jsonnet": "{ cluster: { name: 'hloadkey' }, prometheus: { retention: std.native('kpgenLoad')('kpgen:file:@ROOT@/vars/c.jsonnet') } }\n",
	// Last (in order): on main, it left the program's lock held, and every
	// later cluster waited for ever.
	"zload.jsonnet": "{ cluster: { name: 'zload' }, prometheus: { retention: std.native('kpgenLoad')('x') } }\n",
}

// equivProject writes equivClusters into a project, @ROOT@ replaced.
func equivProject(t *testing.T) string {
	dir := testutil.Project(t, nil)
	for name, content := range equivClusters {
		testutil.WriteFile(t, filepath.Join(dir, "vars", name), strings.ReplaceAll(content, "@ROOT@", dir))
	}
	return dir
}

type outcome struct {
	cluster  string
	err      string
	problems []string
	warnings []string
	stats    string
	files    map[string]string
}

func runAll(t *testing.T, root project.Root, out string, vars []string, opts Options) map[string]outcome {
	t.Helper()
	opts.Root, opts.OutDir = root, out
	if opts.Mode == 0 {
		opts.Mode = Write
	}
	var mu sync.Mutex
	var seen []int
	opts.Progress = func(done, total int, r *Result) {
		mu.Lock()
		seen = append(seen, done)
		mu.Unlock()
	}
	res := Run(opts, vars)
	if len(seen) != len(vars) {
		t.Errorf("progress called %d times for %d clusters", len(seen), len(vars))
	}
	for i, d := range seen {
		if d != i+1 {
			t.Errorf("progress done sequence %v", seen)
			break
		}
	}
	got := map[string]outcome{}
	for i, r := range res {
		if r.Vars != vars[i] {
			t.Errorf("result %d is for %s, want %s", i, r.Vars, vars[i])
		}
		o := outcome{cluster: r.Cluster, stats: fmt.Sprint(r.Stats)}
		if r.Err != nil {
			o.err = r.Err.Error()
		}
		for _, p := range r.Problems {
			o.problems = append(o.problems, p.String())
		}
		for _, p := range r.Warnings {
			o.warnings = append(o.warnings, p.String())
		}
		if r.Cluster != "" && !r.Failed() {
			o.files = testutil.Snapshot(t, filepath.Join(out, r.Cluster))
		}
		got[filepath.Base(r.Vars)] = o
	}
	return got
}

func compareOutcomes(t *testing.T, label string, want, got map[string]outcome) {
	t.Helper()
	for name, w := range want {
		g := got[name]
		if w.cluster != g.cluster || w.err != g.err || !reflect.DeepEqual(w.problems, g.problems) || !reflect.DeepEqual(w.warnings, g.warnings) || w.stats != g.stats {
			t.Errorf("%s: %s: outcome differs:\nwant cluster=%q err=%q problems=%q warnings=%q stats=%s\ngot  cluster=%q err=%q problems=%q warnings=%q stats=%s",
				label, name, w.cluster, w.err, w.problems, w.warnings, w.stats, g.cluster, g.err, g.problems, g.warnings, g.stats)
			continue
		}
		if len(w.files) != len(g.files) {
			t.Errorf("%s: %s: %d files, want %d", label, name, len(g.files), len(w.files))
		}
		for p, c := range w.files {
			if g.files[p] != c {
				t.Errorf("%s: %s: %s differs", label, name, p)
			}
		}
	}
}

func equivVars(dir string) []string {
	var names []string
	for n := range equivClusters {
		names = append(names, n)
	}
	sort.Strings(names)
	var vars []string
	for _, n := range names {
		vars = append(vars, filepath.Join(dir, "vars", n))
	}
	return vars
}

// Every cluster's outcome (files, error, problems, warnings, stats) is the
// same built alone with -j 1 as built with the others at any -j, with or
// without sharing, spread over VMs or not, in another order, and answered
// by the cache — failing clusters included (a validation error, an
// evaluation error mid-render, a vars error, a syntax error). Written by a
// review helper.
func TestOutcomeIndependentOfParallelismSharingAndCache(t *testing.T) {
	// On main, a hostile vars file could leave a lock held: fail, not hang.
	defer testutil.Within(t, 8*time.Minute)()
	dir := equivProject(t)
	// Cluster g needs a value that the vars schema lets through and
	// validation rejects: kpgen's mixins declare the type of every setting,
	// so this project's cnpg mixin leaves one out.
	cnpg := filepath.Join(dir, "jsonnet", "mixins", "cnpg", "mixin.libsonnet")
	src, err := os.ReadFile(cnpg)
	if err != nil {
		t.Fatal(err)
	}
	untyped := strings.Replace(string(src), "replicationLagFor: t.duration,", "", 1)
	if untyped == string(src) {
		t.Fatal("the cnpg mixin no longer declares replicationLagFor: t.duration")
	}
	testutil.WriteFile(t, cnpg, untyped)
	root := project.Root{Dir: dir}
	vars := equivVars(dir)
	want := map[string]outcome{}
	for i, v := range vars {
		got := runAll(t, root, filepath.Join(dir, fmt.Sprintf("alone%d", i)), []string{v}, Options{Jobs: 1})
		for k, o := range got {
			want[k] = o
		}
	}
	// Alone, each cluster is what plain go-jsonnet makes of the
	// entrypoint and its vars: the files, or the error at the same place.
	for _, v := range vars {
		comparePlain(t, root, v, want[filepath.Base(v)])
	}
	if o := want["hpeek.jsonnet"]; !strings.Contains(o.files["manifests/prometheus-prometheus.yaml"], "retention: 10d") {
		t.Errorf("cluster hpeek: %+v", o)
	}
	if o := want["g.jsonnet"]; len(o.problems) == 0 {
		t.Fatal("cluster g should fail validation")
	}
	if o := want["ev.jsonnet"]; o.err == "" {
		t.Fatal("cluster ev should fail to render")
	}
	if o := want["a.jsonnet"]; len(o.files) == 0 {
		t.Fatal("cluster a rendered nothing")
	}
	for _, jobs := range []int{1, 2, 5, 16} {
		for _, noShare := range []bool{false, true} {
			for _, limit := range []int64{MemoryLimit(Workers(jobs, len(vars)), len(vars)), 100 << 20} {
				label := fmt.Sprintf("-j %d noShare=%v limit=%dMiB", jobs, noShare, limit>>20)
				out := filepath.Join(dir, fmt.Sprintf("out-%d-%v-%d", jobs, noShare, limit>>20))
				got := runAll(t, root, out, vars, Options{Jobs: jobs, Shards: Shards(jobs, len(vars), limit), NoShare: noShare})
				compareOutcomes(t, label, want, got)
			}
		}
	}
	// Reverse order.
	rev := append([]string(nil), vars...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	compareOutcomes(t, "reversed", want, runAll(t, root, filepath.Join(dir, "out-rev"), rev, Options{Jobs: 4, Shards: 2}))

	// Cached: build twice into the same out with a cache; the second is
	// answered from the cache with the same outcome.
	c := cache.Open(filepath.Join(dir, ".cache"))
	out := filepath.Join(dir, "out-cached")
	compareOutcomes(t, "cache first", want, runAll(t, root, out, vars, Options{Jobs: 4, Shards: 2, Cache: c}))
	c2 := cache.Open(filepath.Join(dir, ".cache"))
	res := Run(Options{Root: root, OutDir: out, Jobs: 4, Shards: 2, Cache: c2, Mode: Write}, vars)
	for _, r := range res {
		if !r.Failed() && !r.Cached {
			t.Errorf("%s: not cached on the second build", r.Label())
		}
	}
	compareOutcomes(t, "cache second", want, runAll(t, root, out, vars, Options{Jobs: 4, Shards: 2, Cache: cache.Open(filepath.Join(dir, ".cache"))}))
}

// comparePlain checks a cluster's outcome against plain go-jsonnet's
// evaluation of the entrypoint with its vars (`jsonnet -J … --tla-code
// vars='import "…"'`), read as kpgen reads it (the name and the vars
// problems, then the files): the same error, the same vars problems, or,
// where kpgen's own checks passed, the same files.
func comparePlain(t *testing.T, root project.Root, vars string, got outcome) {
	t.Helper()
	name := filepath.Base(vars)
	eval := func(snippet string) (string, error) {
		vm := jsonnet.MakeVM()
		vm.MaxStack = 2000 // as kpgen's VMs
		vm.Importer(&jsonnet.FileImporter{JPaths: root.JPath()})
		vm.TLACode("vars", "import "+strconv.Quote(vars))
		return vm.EvaluateAnonymousSnippet("<plain>", fmt.Sprintf(snippet, strconv.Quote(root.Entrypoint())))
	}
	sameError := func(err error) {
		if want := testutil.ErrorHead(err.Error(), root.Dir); testutil.ErrorHead(got.err, root.Dir) != want {
			t.Errorf("%s: error\n%s\nwant (go-jsonnet)\n%s", name, got.err, want)
		}
	}
	out, err := eval("function(vars) local s = (import %s)(vars); { problems: s.problems, cluster: if s.problems == [] then s.cluster }")
	if err != nil {
		sameError(err)
		return
	}
	var head struct {
		Cluster  string   `json:"cluster"`
		Problems []string `json:"problems"`
	}
	if err := json.Unmarshal([]byte(out), &head); err != nil {
		t.Fatal(err)
	}
	if len(head.Problems) > 0 {
		if want := (&render.VarsError{Problems: head.Problems}).Error(); got.err != want {
			t.Errorf("%s: %q, want (go-jsonnet) %q", name, got.err, want)
		}
		return
	}
	if out, err = eval("function(vars) (import %s)(vars).files"); err != nil {
		sameError(err)
		return
	}
	var files map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &files); err != nil {
		t.Fatal(err)
	}
	if got.err != "" || len(got.problems) > 0 {
		if got.err != "" {
			t.Errorf("%s: %s; go-jsonnet rendered it", name, got.err)
		}
		return // a validation problem: kpgen's own checks
	}
	if got.cluster != head.Cluster || len(got.files) != len(files) {
		t.Errorf("%s: cluster %q, %d files; go-jsonnet: %q, %d files", name, got.cluster, len(got.files), head.Cluster, len(files))
	}
	for p, j := range files {
		y, err := manifest.ToYAML(j)
		if err != nil {
			t.Fatal(err)
		}
		if got.files[p] != string(y) {
			t.Errorf("%s: %s differs from go-jsonnet's", name, p)
		}
	}
}
