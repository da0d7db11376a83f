package libtest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/render"
	"github.com/kpgen/kpgen/internal/testutil"
)

// fuzzMaxInput bounds what one input may be: larger ones are skipped, so
// each input's evaluation stays short.
const fuzzMaxInput = 4 << 10

// fuzzTimeout is how long the schema may take on one input.
const fuzzTimeout = 20 * time.Second

var dnsLabel = regexp.MustCompile(`^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$`)

// FuzzVarsSchema feeds JSON vars through the library's schema, as kpgen
// evaluates it before anything else (render.Renderer.Head), and requires a
// valid cluster name or a VarsError whose every problem is one line starting
// with "vars": never a panic, never a raw Jsonnet error, in bounded time.
//
// An input is JSON; an object key ending in "::" becomes a hidden field of
// that name (what JSON cannot write), so the corpus covers hidden fields
// too. Inputs that are not JSON, larger than 4 KiB, with a number float64
// cannot hold or with a key twice (after that rewriting) are skipped: they
// are the user's Jsonnet errors, not the schema's. The seed corpus is
// testdata/fuzz/FuzzVarsSchema (issue 9's cases among them).
//
//	go test -run '^$' -fuzz FuzzVarsSchema -fuzztime 30s ./internal/libtest
func FuzzVarsSchema(f *testing.F) {
	for _, seed := range []string{
		`{"cluster": {"name": "a"}}`,
		`{"cluster": {"name": "a"}, "rules": {"disable": ["WatchDog"]}}`,
		`{"cluster": {"name": "a"}, "mixins": {"velero": {"enabled": true, "scheduleMaxAgeSeconds": {"a\"} or vector(1)": 60}}}}`,
		`{"cluster": {"name": "a"}, "grafana": {"dashboards": {"disable": ["Nodes", "nodes.json", null, 3], "add": {"a.json": {"uid": "standin-nodes", "title": "A", "panels::": []}, "B.json": "x"}, "folders": {"0": {"x.json": {}}, "F": {"y.json": {"uid": "y", "title": "A"}}}}}}`,
		`{"cluster": {"name": "a"}, "grafana": {"dashboards": {"disable": ["Nodes (stand-in)"], "add": {"a.json": {"uid": "a", "title": "A"}}, "folders": {"F": {"f.json": {"uid": "f", "title": "F", "panels": [{"targets": [{"expr": "up"}]}]}}}}}}`,
		`{"cluster": {"name": "a"}, "rules": {"groups": {"g": {"rules": [{"alert": "A", "expr": "up"}, {"record": "r", "for": "1m"}, null]}},
		  "disableGroups": ["general.rule"], "alertLabels": {"team": "x"}, "runbookURLRewrite": {"https://a/": "https://b/"},
		  "override": {"TargetDown": {"bySeverity": {"warn": {"disable": true}}, "byGroup": {"g": {"labels": {"x": null}}}}, "r": {"for": "1m"}}}}`,
	} {
		f.Add([]byte(seed))
	}
	dir := testutil.Project(f, nil)
	// One Renderer for many inputs (a new one costs more than most
	// evaluations), each input under a path of its own since a Renderer's
	// Program keeps what it read by path; a fresh Renderer now and then
	// keeps that small.
	var (
		r *render.Renderer
		n int
	)
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > fuzzMaxInput {
			t.Skip("input too large")
		}
		code, ok := jsonnetOf(data)
		if !ok {
			t.Skip("not JSON vars")
		}
		if n%256 == 0 {
			r = render.New(project.Root{Dir: dir})
		}
		n++
		vars := filepath.Join(dir, "vars", fmt.Sprintf("fuzz-%d.jsonnet", n))
		testutil.WriteFile(t, vars, code)
		defer os.Remove(vars)
		type result struct {
			head *render.Head
			err  error
		}
		done := make(chan result, 1)
		go func() {
			h, err := r.Head(vars)
			done <- result{h, err}
		}()
		var res result
		select {
		case res = <-done:
		case <-time.After(fuzzTimeout):
			t.Fatalf("the schema took more than %v on %s", fuzzTimeout, code)
		}
		if res.err == nil {
			if !dnsLabel.MatchString(res.head.Cluster) {
				t.Fatalf("valid vars with cluster name %q, not a DNS-1123 label:\n%s", res.head.Cluster, code)
			}
			return
		}
		var ve *render.VarsError
		if !errors.As(res.err, &ve) {
			t.Fatalf("not a vars error: %v\nvars:\n%s", res.err, code)
		}
		if len(ve.Problems) == 0 {
			t.Fatalf("a vars error without problems\nvars:\n%s", code)
		}
		for _, p := range ve.Problems {
			if !strings.HasPrefix(p, "vars") || strings.ContainsAny(p, "\n\r") {
				t.Fatalf("problem %q does not start with the key's path on one line\nvars:\n%s", p, code)
			}
		}
	})
}

// jsonnetOf writes JSON as Jsonnet, keys ending in "::" as hidden fields.
func jsonnetOf(data []byte) (string, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return "", false
	}
	if _, err := dec.Token(); err == nil {
		return "", false // more than one value
	}
	var b strings.Builder
	if !writeJsonnet(&b, v) {
		return "", false
	}
	b.WriteString("\n")
	return b.String(), true
}

func writeJsonnet(b *strings.Builder, v any) bool {
	switch t := v.(type) {
	case map[string]any:
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		seen := map[string]bool{}
		b.WriteString("{")
		for _, k := range keys {
			name, sep := k, ": "
			if strings.HasSuffix(k, "::") {
				name, sep = strings.TrimSuffix(k, "::"), ":: "
			}
			if seen[name] {
				return false
			}
			seen[name] = true
			q, _ := json.Marshal(name)
			b.Write(q)
			b.WriteString(sep)
			if !writeJsonnet(b, t[k]) {
				return false
			}
			b.WriteString(", ")
		}
		b.WriteString("}")
	case []any:
		b.WriteString("[")
		for _, e := range t {
			if !writeJsonnet(b, e) {
				return false
			}
			b.WriteString(", ")
		}
		b.WriteString("]")
	case json.Number:
		f, err := strconv.ParseFloat(string(t), 64)
		if err != nil {
			return false // out of float64's range: Jsonnet rejects the literal
		}
		b.WriteString(strconv.FormatFloat(f, 'g', -1, 64))
	case string:
		q, _ := json.Marshal(t)
		b.Write(q)
	default: // bool, nil
		fmt.Fprint(b, jsonLiteral(t))
	}
	return true
}

func jsonLiteral(v any) string {
	switch v {
	case nil:
		return "null"
	case true:
		return "true"
	default:
		return "false"
	}
}
