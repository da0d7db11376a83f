package manifest

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"sigs.k8s.io/yaml"
)

// FuzzToYAML: for any JSON document, ToYAML writes exactly what
// sigs.k8s.io/yaml's JSONToYAML (upstream's pipeline) writes, and the YAML
// reads back as the same document. Seeds: testdata/fuzz/FuzzToYAML.
func FuzzToYAML(f *testing.F) {
	for _, s := range []string{`{"a":1}`, `{"s":"yes","n":"0x10","m":"a\nb"}`, `[1.5,-0,1e400]`, `"x"`, `{"":{"":[]}}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !json.Valid(data) || !utf8.Valid(data) {
			if _, err := ToYAML(data); err == nil {
				t.Fatalf("ToYAML accepted %q, invalid JSON or UTF-8", data)
			}
			return
		}
		got, err := ToYAML(data)
		want, werr := yaml.JSONToYAML(data)
		if err != nil && strings.Contains(err.Error(), "out of range") {
			return // JSONToYAML writes such a number as .inf; kpgen refuses it
		}
		if err != nil {
			t.Fatalf("ToYAML(%q): %v (JSONToYAML: %v)", data, err, werr)
		}
		// go-yaml's parser, under JSONToYAML, refuses some valid JSON (a
		// tab before a value) that go-jsonnet never writes: compare only
		// where it reads the document.
		if werr == nil && !bytes.Equal(got, want) {
			t.Fatalf("ToYAML(%q):\n%s\nJSONToYAML:\n%s", data, got, want)
		}
		back, err := yaml.YAMLToJSON(got)
		if err != nil {
			t.Fatalf("the YAML of %q does not read back: %v\n%s", data, err, got)
		}
		var a, b any
		json.Unmarshal(data, &a)
		json.Unmarshal(back, &b)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("%q reads back as %s", data, back)
		}
	})
}

// FuzzCheckPaths: whatever paths an entrypoint returns, a set CheckPaths
// accepts stays inside the directory it is written to, names no hidden
// file, and holds no two paths that one case-insensitive file system would
// merge, nor a file where another path needs a directory.
func FuzzCheckPaths(f *testing.F) {
	for _, s := range []string{"manifests/a.yaml", "../x.yaml", "a/./b.yaml", ".git/x.yaml", "A.yaml\na.yaml", "a.yaml\na.yaml/b.yaml", "x\x00.yaml", "m//a.yaml", "/etc/x.yaml"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, list string) {
		paths := strings.Split(list, "\n")
		if CheckPaths(paths) != nil {
			return
		}
		folded := map[string]bool{}
		for _, p := range paths {
			if !filepath.IsLocal(filepath.FromSlash(p)) {
				t.Fatalf("%q escapes its directory", p)
			}
			joined := filepath.Join("/out/c", filepath.FromSlash(p))
			if !strings.HasPrefix(joined, "/out/c/") || filepath.Clean(joined) != joined {
				t.Fatalf("%q is written at %s", p, joined)
			}
			for _, seg := range strings.Split(p, "/") {
				if seg == "" || seg[0] == '.' || seg[0] == '-' {
					t.Fatalf("%q has the segment %q", p, seg)
				}
			}
			if !strings.HasSuffix(p, ".yaml") {
				t.Fatalf("%q is not a .yaml file", p)
			}
			k := strings.ToLower(p)
			if folded[k] {
				t.Fatalf("%q twice, up to case", p)
			}
			folded[k] = true
		}
		for _, p := range paths {
			for d := p; strings.Contains(d, "/"); {
				d = d[:strings.LastIndex(d, "/")]
				if folded[strings.ToLower(d)] {
					t.Fatalf("%q is a file and a directory of %q", d, p)
				}
			}
		}
	})
}
