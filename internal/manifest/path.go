package manifest

import (
	"fmt"
	"strings"
)

// CheckPath reports whether p is a safe relative output path: slash-separated,
// made of [A-Za-z0-9._-] segments, no empty, "." or ".." segment, ending in .yaml.
func CheckPath(p string) error {
	if p == "" {
		return fmt.Errorf("empty file name")
	}
	if strings.HasPrefix(p, "/") {
		return fmt.Errorf("%q: absolute paths are not allowed", p)
	}
	for _, c := range p {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("._/-", c)) {
			return fmt.Errorf("%q: character %q is not allowed (only [A-Za-z0-9._/-])", p, c)
		}
	}
	for _, seg := range strings.Split(p, "/") {
		switch seg {
		case "":
			return fmt.Errorf("%q: empty path segment", p)
		case ".", "..":
			return fmt.Errorf("%q: %q segments are not allowed", p, seg)
		}
	}
	if !strings.HasSuffix(p, ".yaml") {
		return fmt.Errorf("%q: generated files must end in .yaml", p)
	}
	return nil
}
