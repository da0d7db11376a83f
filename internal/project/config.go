package project

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/kpgen/kpgen/internal/safefs"
)

// ConfigFile is the project file of a config repository, at its root.
const ConfigFile = "kpgen.json"

// Config is what kpgen.json says.
type Config struct {
	// Library is the import name (jsonnet-bundler's legacy name) of the
	// vendored package that holds the library: its lib/main.jsonnet renders
	// every cluster. The package is pinned in jsonnet/jsonnetfile.json.
	Library string `json:"library"`
}

// ReadConfig reads dir/kpgen.json; a project without one is a platform
// repository (zero Config).
func ReadConfig(dir string) (Config, error) {
	var c Config
	path := filepath.Join(dir, ConfigFile)
	b, err := safefs.ReadRegular(path, 1<<20)
	if errors.Is(err, fs.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, fmt.Errorf("%s: %w", Printable(path), err)
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	err = d.Decode(&c)
	if err == nil && d.More() {
		err = errors.New("more than one JSON value")
	}
	if err != nil {
		return c, fmt.Errorf("%s: %w (it holds {\"library\": \"<import name of the vendored library package>\"})", Printable(path), err)
	}
	if err := checkName(c.Library); err != nil {
		return c, fmt.Errorf("%s: library: %w", Printable(path), err)
	}
	return c, nil
}

// WriteConfig writes dir/kpgen.json.
func WriteConfig(dir string, c Config) error {
	if err := checkName(c.Library); err != nil {
		return err
	}
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return err
	}
	return safefs.WriteFile(filepath.Join(dir, ConfigFile), append(b, '\n'), 0o644)
}

// checkName checks a package's import name: one path segment of
// [A-Za-z0-9._-], not starting with a dot.
func checkName(n string) error {
	if n == "" {
		return fmt.Errorf("the import name of the library package is required")
	}
	for i, c := range n {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' && i > 0) {
			return fmt.Errorf("%q is not a package import name (letters, digits, '.', '_' and '-', as in jsonnet/vendor/<name>)", n)
		}
	}
	return nil
}
