package manifest

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"sigs.k8s.io/yaml"

	"github.com/kpgen/kpgen/internal/testutil"
)

// ToYAML must produce what sigs.k8s.io/yaml's JSONToYAML (go-yaml parsing
// the JSON, as gojsontoyaml does) produces, byte for byte.
func TestToYAMLMatchesJSONToYAML(t *testing.T) {
	docs := []string{
		`{"a":1,"b":-2,"c":1.5,"d":1e3,"e":1E-7,"f":0,"g":-0,"h":9223372036854775807,"i":18446744073709551615,"j":1.0,"k":123456789012345678901234567890}`,
		`{"s":["yes","no","on","off","y","n","~","null","true","1","1.0","0x10","1e3",".inf","-.nan","2001-12-14","a: b","- x","#c","' q","\"dq\"","tab\there",""," lead","trail "]}`,
		`{"multi":"line one\nline two\n","nofinal":"a\nb","crlf":"a\r\nb","unicode":"é – ✓ 😀","ctrl":"\u0001\u007f","long":"` + string(bytes.Repeat([]byte("word "), 50)) + `"}`,
		`{"nested":{"z":{"y":[{"x":null,"w":true,"v":false}]},"a10":1,"a9":2,"A":3,"_":4,"1":5,"10":6,"2":7}}`,
		`{"empty":{"o":{},"a":[],"s":""}}`,
		`[1,"two",{"three":3}]`,
		`"just a string"`,
		`42`,
	}
	// Plus every object the stand-in renders.
	root := testutil.RepoRoot()
	filepath.Walk(filepath.Join(root, "internal", "cli", "testdata", "build"), func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return nil
		}
		y, _ := os.ReadFile(p)
		j, err := yaml.YAMLToJSON(y)
		if err == nil {
			docs = append(docs, string(j))
		}
		return nil
	})
	for _, d := range docs {
		want, err := yaml.JSONToYAML([]byte(d))
		if err != nil {
			t.Fatalf("JSONToYAML(%.60s): %v", d, err)
		}
		got, err := ToYAML([]byte(d))
		if err != nil {
			t.Fatalf("ToYAML(%.60s): %v", d, err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("ToYAML(%.80s):\ngot:\n%s\nwant:\n%s", d, got, want)
		}
	}
	if len(docs) < 50 {
		t.Errorf("only %d documents compared", len(docs))
	}
}

func TestToYAMLRejectsBadJSON(t *testing.T) {
	for _, d := range []string{`{"a":`, `{"a":1} {"b":2}`, `nope`} {
		if _, err := ToYAML([]byte(d)); err == nil {
			t.Errorf("ToYAML(%q): want an error", d)
		}
	}
	var v any
	if json.Unmarshal([]byte(`{}`), &v) != nil {
		t.Fatal("sanity")
	}
}
