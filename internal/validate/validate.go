// Package validate checks rendered files before anything is written: every
// object is a well-formed Kubernetes object, no object is generated twice,
// every ConfigMap and Secret fits the API server's and etcd's size limits
// (size.go), every object can be applied as it is (internal/check/apply:
// names and labels within Kubernetes' limits; warnings for objects too
// large for a client-side apply and for namespaces the output does not
// create), no Secret holds a plaintext credential (internal/check/leaks),
// every PrometheusRule's groups pass Prometheus's own rule parser (rulefmt)
// and promtool's duplicate-rule lint, every Alertmanager configuration
// passes Alertmanager's own loader and kpgen's lint
// (internal/check/alertmanager), and no remote write of a Prometheus can
// lose its cluster external label (check/relabel), and what is meant to be
// scraped, evaluated and reached is: selected by a Prometheus allowed to
// read its targets, Alertmanagers and datasources naming rendered Services
// (check/selection).
package validate

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

	"k8s.io/apimachinery/pkg/api/validation/path"
	"k8s.io/apimachinery/pkg/util/validation"

	"github.com/kpgen/kpgen/internal/check/alertmanager"
	"github.com/kpgen/kpgen/internal/check/apply"
	"github.com/kpgen/kpgen/internal/check/leaks"
	"github.com/kpgen/kpgen/internal/check/relabel"
	"github.com/kpgen/kpgen/internal/check/selection"
	"github.com/kpgen/kpgen/internal/manifest"
	"github.com/kpgen/kpgen/internal/render"
)

// Problem is one validation failure, located as precisely as possible.
type Problem struct {
	File   string // path relative to the cluster's output directory
	Object string // "Kind namespace/name"
	Group  string // rule group, for rule problems
	Rule   string // `alert "X"` or `record "y"`, for rule problems
	Msg    string
}

func (p Problem) String() string {
	var parts []string
	if p.File != "" {
		parts = append(parts, p.File)
	}
	if p.Object != "" {
		parts = append(parts, p.Object)
	}
	if p.Group != "" {
		parts = append(parts, fmt.Sprintf("group %q", p.Group))
	}
	if p.Rule != "" {
		parts = append(parts, p.Rule)
	}
	if len(parts) == 0 {
		return p.Msg // about the cluster as a whole
	}
	return strings.Join(parts, ": ") + ": " + p.Msg
}

// Stats counts what was checked, for the SUCCESS line.
type Stats struct {
	Files, Objects, RuleObjects, Groups, Alerts, Records int
}

// Report is the outcome of validating one cluster's files.
type Report struct {
	Problems []Problem // each one fails the build
	Warnings []Problem // reported, not fatal
	Stats    Stats
}

// Memo remembers, for a run of several clusters, what validating a file and
// a PrometheusRule found, by content: clusters share most of their files
// byte for byte. Safe for concurrent use; the zero value is ready, and a
// nil *Memo remembers nothing.
type Memo struct {
	objects sync.Map // sha256 of a file's JSON → objectsResult
	rules   sync.Map // sha256 of a PrometheusRule's JSON → rulesResult
	held    atomic.Int64
}

// memoBytes bounds the JSON the objects memo keeps alive.
const memoBytes = 64 << 20

type objectsResult struct {
	objs []manifest.Object
	err  error
}

type rulesResult struct {
	stats              Stats
	problems, warnings []Problem
}

func (m *Memo) objectsOf(j []byte) ([]manifest.Object, error) {
	if m == nil {
		return manifest.Objects(j)
	}
	key := sha256.Sum256(j)
	if r, ok := m.objects.Load(key); ok {
		return r.(objectsResult).objs, r.(objectsResult).err
	}
	objs, err := manifest.Objects(j)
	if m.held.Add(int64(len(j))) <= memoBytes {
		m.objects.Store(key, objectsResult{objs, err})
	}
	return objs, err
}

// rulesOf checks one PrometheusRule (see rules); the problems it returns
// are the caller's to locate.
func (m *Memo) rulesOf(o manifest.Object) (Stats, []Problem, []Problem) {
	var key [32]byte
	if m != nil {
		key = sha256.Sum256(o.JSON)
		if r, ok := m.rules.Load(key); ok {
			r := r.(rulesResult)
			return r.stats, slices.Clone(r.problems), slices.Clone(r.warnings)
		}
	}
	var st Stats
	problems, warnings := rules(o, &st)
	if m != nil {
		m.rules.Store(key, rulesResult{st, slices.Clone(problems), slices.Clone(warnings)})
	}
	return st, problems, warnings
}

// Files validates every file of one cluster and reports every problem found.
// PrometheusRule objects, where the time goes, are checked in parallel.
func Files(files []render.File) Report { return FilesMemo(files, nil) }

// Policy is what a cluster's vars say about its checks.
type Policy struct {
	Cluster        string            // the cluster's name, in advice
	AllowPlaintext map[string]string // vars.secrets.allowPlaintext: the leak check's exceptions
}

// FilesMemo is Files, remembering in m what other clusters of the run may
// share.
func FilesMemo(files []render.File, m *Memo) Report { return FilesPolicy(files, m, Policy{}) }

// FilesPolicy is FilesMemo for a cluster whose vars set p: every Secret
// goes through the leak check (internal/check/leaks) but the ones p allows.
func FilesPolicy(files []render.File, m *Memo, p Policy) Report {
	var (
		problems, warnings []Problem
		st                 Stats
		seen               = map[string]string{} // object key → file
		ruleObjs           []ruleObj
		secrets            []leaks.Object
		all                []selection.Object
		applied            []apply.Object
		refused            = map[string]bool{} // file and object too large to store at all
	)
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = f.Path
	}
	pathsOK := true
	for _, f := range files {
		st.Files++
		if err := manifest.CheckPath(f.Path); err != nil {
			pathsOK = false
			problems = append(problems, Problem{File: f.Path, Msg: "bad output path: " + err.Error()})
			continue
		}
		objs, err := m.objectsOf(f.JSON)
		if err != nil {
			problems = append(problems, Problem{File: f.Path, Msg: err.Error()})
			continue
		}
		for _, o := range objs {
			st.Objects++
			if msg := checkMeta(o.Meta); msg != "" {
				problems = append(problems, Problem{File: f.Path, Object: o.ID(), Msg: msg})
				continue
			}
			all = append(all, selection.Object{File: f.Path, Object: o})
			applied = append(applied, apply.Object{File: f.Path, Object: o})
			if msg := sizeProblem(o); msg != "" {
				refused[f.Path+"\x00"+o.ID()] = true
				problems = append(problems, Problem{File: f.Path, Object: o.ID(), Msg: msg})
			}
			key := o.APIVersion + " " + o.ID()
			if prev, dup := seen[key]; dup {
				problems = append(problems, Problem{File: f.Path, Object: o.ID(), Msg: "object is also generated in " + prev})
			} else {
				seen[key] = f.Path
			}
			if o.Kind == "Prometheus" && o.APIVersion == "monitoring.coreos.com/v1" {
				for _, msg := range relabel.ClusterLabelProblems(o.JSON) {
					problems = append(problems, Problem{File: f.Path, Object: o.ID(), Msg: msg})
				}
			}
			if o.Kind == "Secret" {
				for _, ap := range alertmanager.Check(o.JSON) {
					msg := ap.String()
					if ap.Field != alertmanager.Key {
						msg = alertmanager.Key + ": " + msg
					}
					problems = append(problems, Problem{File: f.Path, Object: o.ID(), Msg: msg})
				}
			}
			if o.Kind == "Secret" || o.Kind == "SealedSecret" {
				secrets = append(secrets, leaks.Object{File: f.Path, APIVersion: o.APIVersion, Kind: o.Kind,
					Namespace: o.Metadata.Namespace, Name: o.Metadata.Name, JSON: o.JSON})
			}
			if o.Kind == "PrometheusRule" {
				st.RuleObjects++
				ruleObjs = append(ruleObjs, ruleObj{file: f.Path, obj: o})
			}
		}
	}
	problems = append(problems, checkKustomization(files)...)
	for _, f := range leaks.Check(p.Cluster, secrets, p.AllowPlaintext) {
		problems = append(problems, Problem{File: f.File, Object: f.Object, Msg: f.Msg})
	}
	for _, f := range selection.Check(all) {
		pr := Problem{File: f.File, Object: f.Object, Msg: f.Msg}
		if f.Warning {
			warnings = append(warnings, pr)
		} else {
			problems = append(problems, pr)
		}
	}
	applyProblems, applyWarnings := apply.Check(applied)
	for _, f := range applyProblems {
		problems = append(problems, Problem{File: f.File, Object: f.Object, Msg: f.Message()})
	}
	for _, f := range applyWarnings {
		if refused[f.File+"\x00"+f.Object] {
			continue // how to apply it is moot: it is refused whichever way
		}
		warnings = append(warnings, Problem{File: f.File, Object: f.Object, Msg: f.Message()})
	}
	// The paths one by one are fine: now as a set (case, file/directory clashes).
	var pe *manifest.PathError
	if err := manifest.CheckPaths(paths); pathsOK && errors.As(err, &pe) {
		problems = append(problems, Problem{File: pe.Path, Msg: "bad output path: " + pe.Error()})
	}
	var wg sync.WaitGroup
	for i := range ruleObjs {
		wg.Add(1)
		go func(r *ruleObj) {
			defer wg.Done()
			r.stats, r.problems, r.warnings = m.rulesOf(r.obj)
		}(&ruleObjs[i])
	}
	wg.Wait()
	for _, r := range ruleObjs {
		problems = append(problems, locate(r.problems, r.file, r.obj.ID())...)
		warnings = append(warnings, locate(r.warnings, r.file, r.obj.ID())...)
		st.Groups += r.stats.Groups
		st.Alerts += r.stats.Alerts
		st.Records += r.stats.Records
	}
	sort.SliceStable(problems, func(i, j int) bool { return problems[i].File < problems[j].File })
	return Report{Problems: problems, Warnings: warnings, Stats: st}
}

type ruleObj struct {
	file               string
	obj                manifest.Object
	stats              Stats
	problems, warnings []Problem
}

func locate(ps []Problem, file, object string) []Problem {
	for i := range ps {
		ps[i].File, ps[i].Object = file, object
	}
	return ps
}

func checkMeta(m manifest.Meta) string {
	var missing []string
	if m.APIVersion == "" {
		missing = append(missing, "apiVersion")
	}
	if m.Kind == "" {
		missing = append(missing, "kind")
	}
	// A Kustomization has no metadata.
	if m.Metadata.Name == "" && m.Kind != "Kustomization" {
		missing = append(missing, "metadata.name")
	}
	if len(missing) > 0 {
		return "missing " + strings.Join(missing, ", ")
	}
	// What every kind's names must be (the API server checks each kind's
	// own, often stricter, rules): a name is a path segment of the API's
	// URLs, a namespace a DNS-1123 label.
	if m.Kind != "Kustomization" {
		if errs := path.ValidatePathSegmentName(m.Metadata.Name, false); len(errs) > 0 {
			return fmt.Sprintf("metadata.name %q: %s", m.Metadata.Name, strings.Join(errs, "; "))
		}
		if ns := m.Metadata.Namespace; ns != "" {
			if errs := validation.IsDNS1123Label(ns); len(errs) > 0 {
				return fmt.Sprintf("metadata.namespace %q: %s", ns, strings.Join(errs, "; "))
			}
		}
	}
	return ""
}
