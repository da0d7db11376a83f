package project

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// kpgen.json: one object with a library name that is one path segment;
// anything else is an error naming the file.
func TestReadConfig(t *testing.T) {
	tests := []struct {
		name, content, library, err string
	}{
		{"a library", `{"library": "platform"}`, "platform", ""},
		{"none", `{}`, "", "the import name of the library package is required"},
		{"an unknown key", `{"libary": "x"}`, "", `unknown field "libary"`},
		{"a second value after the object", `{"library":"x"} {"library":"../.."}`, "", "more than one JSON value"},
		{"a path out", `{"library": "../.."}`, "", "library: "},
		{"absolute", `{"library": "/etc"}`, "", "library: "},
		{"not JSON", `library: x`, "", "invalid character"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, ConfigFile), []byte(tt.content), 0o644); err != nil {
				t.Fatal(err)
			}
			c, err := ReadConfig(dir)
			if tt.err == "" {
				if err != nil || c.Library != tt.library {
					t.Errorf("got %+v, %v; want library %q", c, err, tt.library)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.err) || !strings.Contains(err.Error(), ConfigFile) {
				t.Errorf("got %+v, %v; want an error naming %s and containing %q", c, err, ConfigFile, tt.err)
			}
		})
	}
}
