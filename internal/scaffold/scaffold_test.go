package scaffold

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestScaffold(t *testing.T) {
	local := t.TempDir()
	os.MkdirAll(filepath.Join(local, "jsonnet", "lib"), 0o755)
	os.WriteFile(filepath.Join(local, "jsonnet", "lib", "main.jsonnet"), []byte("function(vars) {}"), 0o644)
	tests := []struct {
		name    string
		opts    Options
		library string
		jsonnet string // in jsonnetfile.json
		err     string
	}{
		{"git", Options{Platform: "https://git.example.com/acme/monitoring-platform.git@v1.2.0"}, "monitoring-platform",
			`"remote": "https://git.example.com/acme/monitoring-platform.git"`, ""},
		{"ssh, own name and subdir", Options{Platform: "git@github.com:acme/p.git@abc123", Name: "acme", Subdir: "lib/jsonnet"}, "acme",
			`"subdir": "lib/jsonnet"`, ""},
		{"local checkout", Options{Platform: local, Name: "plat"}, "plat", `"local": {`, ""},
		{"no version", Options{Platform: "https://git.example.com/a/b.git@"}, "", "", "no version after @"},
		{"not a platform", Options{Platform: t.TempDir()}, "", "", "nor a platform checkout"},
		{"bad cluster", Options{Platform: local, Cluster: "Prod"}, "", "", "not a DNS-1123 label"},
		{"bad name", Options{Platform: local, Name: "../x"}, "", "", "cannot be an import name"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Dir = filepath.Join(t.TempDir(), "repo")
			res, err := Scaffold(tt.opts)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err %v, want %q", err, tt.err)
				}
				if _, err := os.Stat(tt.opts.Dir); !os.IsNotExist(err) {
					t.Error("a failed scaffold wrote files")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if res.Library != tt.library {
				t.Errorf("library %q, want %q", res.Library, tt.library)
			}
			jf, _ := os.ReadFile(filepath.Join(tt.opts.Dir, "jsonnet", "jsonnetfile.json"))
			if !strings.Contains(string(jf), tt.jsonnet) || !strings.Contains(string(jf), `"name": "`+tt.library+`"`) {
				t.Errorf("jsonnetfile.json:\n%s", jf)
			}
			cfg, _ := os.ReadFile(filepath.Join(tt.opts.Dir, "kpgen.json"))
			if !strings.Contains(string(cfg), `"library": "`+tt.library+`"`) {
				t.Errorf("kpgen.json:\n%s", cfg)
			}
		})
	}
}

func TestScaffoldRefusesAFullDirectory(t *testing.T) {
	dir := t.TempDir()
	os.Mkdir(filepath.Join(dir, ".git"), 0o755)
	local := t.TempDir()
	os.MkdirAll(filepath.Join(local, "jsonnet", "lib"), 0o755)
	os.WriteFile(filepath.Join(local, "jsonnet", "lib", "main.jsonnet"), []byte("x"), 0o644)
	if _, err := Scaffold(Options{Dir: dir, Platform: local}); err != nil {
		t.Errorf("a fresh checkout (.git only): %v", err)
	}
	if _, err := Scaffold(Options{Dir: dir, Platform: local}); err == nil || !strings.Contains(err.Error(), "is not empty") {
		t.Errorf("a second scaffold: %v", err)
	}
}
