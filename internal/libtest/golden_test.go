package libtest

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/kpgen/kpgen/internal/manifest"
	"github.com/kpgen/kpgen/internal/testutil"
	"github.com/kpgen/kpgen/internal/validate"
)

// The AWS example (everything on), the air-gapped one (every upstream knob) and the topology examples (hub, spokes, management), rendered on the stand-in upstream, file by file
// against the repository's testdata/golden/<example>/ (refresh: go test ./internal/libtest -update).
func TestGoldenExamples(t *testing.T) {
	for _, example := range []string{"example-aws", "example-airgapped", "example-hub", "example-spoke-a", "example-spoke-b", "example-management"} {
		t.Run(example, func(t *testing.T) {
			s := newStack(t, "")
			testutil.CopyTree(t, filepath.Join(testutil.RepoRoot(), "vars", example+".jsonnet"), s.vars)
			res, err := s.renderer().Render(s.vars)
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join(testutil.RepoRoot(), "testdata", "golden", example)
			got := map[string][]byte{}
			for _, f := range res.Files {
				y, err := manifest.ToYAML(f.JSON)
				if err != nil {
					t.Fatalf("%s: %v", f.Path, err)
				}
				got[f.Path] = y
			}
			if *update {
				if err := os.RemoveAll(golden); err != nil {
					t.Fatal(err)
				}
				for p, y := range got {
					testutil.WriteFile(t, filepath.Join(golden, filepath.FromSlash(p)), string(y))
				}
				return
			}
			want := map[string][]byte{}
			err = filepath.WalkDir(golden, func(p string, d fs.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				b, err := os.ReadFile(p)
				rel, _ := filepath.Rel(golden, p)
				want[filepath.ToSlash(rel)] = b
				return err
			})
			if err != nil {
				t.Fatalf("%v (run with -update to create the golden files)", err)
			}
			for p, y := range got {
				w, ok := want[p]
				switch {
				case !ok:
					t.Errorf("%s: new file, not in %s (run with -update and review)", p, golden)
				case !bytes.Equal(y, w):
					t.Errorf("%s differs from golden (run with -update and review the diff)", p)
				}
			}
			for p := range want {
				if _, ok := got[p]; !ok {
					t.Errorf("%s: in %s, no longer rendered", p, golden)
				}
			}
		})
	}
}

// Every vars file of the repository renders on the stand-in and passes
// kpgen's validation (the same checks a build runs).
func TestExamplesValidate(t *testing.T) {
	examples, err := filepath.Glob(filepath.Join(testutil.RepoRoot(), "vars", "*.jsonnet"))
	if err != nil || len(examples) < 3 {
		t.Fatalf("vars/*.jsonnet: %v %v", examples, err)
	}
	for _, path := range examples {
		t.Run(filepath.Base(path), func(t *testing.T) {
			s := newStack(t, "")
			testutil.CopyTree(t, path, s.vars)
			res, err := s.renderer().Render(s.vars)
			if err != nil {
				t.Fatal(err)
			}
			report := validate.Files(res.Files)
			for _, p := range report.Problems {
				t.Error(p)
			}
			if report.Stats.RuleObjects == 0 {
				t.Error("no PrometheusRule rendered")
			}
		})
	}
}
