package manifest

import (
	"fmt"
	"sort"
	"strings"
)

// Limits on output paths: well under what any file system or git allows.
const (
	maxSegment = 200
	maxPath    = 1000
)

// CheckPath reports whether p is a safe relative output path: slash-separated
// segments of [A-Za-z0-9._-], each starting with a letter or digit (so no
// ".", "..", ".git" or other hidden name), ending in .yaml.
func CheckPath(p string) error {
	if p == "" {
		return fmt.Errorf("empty file name")
	}
	if len(p) > maxPath {
		return fmt.Errorf("%.40q…: longer than %d characters", p, maxPath)
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
		switch {
		case seg == "":
			return fmt.Errorf("%q: empty path segment", p)
		case seg == "." || seg == "..":
			return fmt.Errorf("%q: %q segments are not allowed", p, seg)
		case !isAlnum(seg[0]):
			return fmt.Errorf("%q: %q must start with a letter or digit", p, seg)
		case len(seg) > maxSegment:
			return fmt.Errorf("%q: a segment is longer than %d characters", p, maxSegment)
		}
	}
	if !strings.HasSuffix(p, ".yaml") {
		return fmt.Errorf("%q: generated files must end in .yaml", p)
	}
	return nil
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// PathError is a problem with one path of a file set.
type PathError struct {
	Path string
	Err  error
}

func (e *PathError) Error() string { return e.Err.Error() }

// CheckPaths checks a whole file set: every path (CheckPath), no path given
// twice or differing from another only in case (one file on macOS and
// Windows), and none a directory of another. The error is a *PathError.
func CheckPaths(paths []string) error {
	folded := make(map[string]string, len(paths))
	dirs := map[string]string{}
	for _, p := range paths {
		if err := CheckPath(p); err != nil {
			return &PathError{Path: p, Err: err}
		}
		k := strings.ToLower(p)
		if prev, ok := folded[k]; ok {
			if prev == p {
				return &PathError{Path: p, Err: fmt.Errorf("%q is generated twice", p)}
			}
			return &PathError{Path: p, Err: fmt.Errorf("%q and %q differ only in case: on a case-insensitive file system they are one file", prev, p)}
		}
		folded[k] = p
		for d := p; strings.Contains(d, "/"); {
			d = d[:strings.LastIndex(d, "/")]
			dirs[strings.ToLower(d)] = p
		}
	}
	var conflicts []string
	for k, p := range folded {
		if _, ok := dirs[k]; ok {
			conflicts = append(conflicts, p)
		}
	}
	if len(conflicts) > 0 {
		sort.Strings(conflicts)
		p := conflicts[0]
		return &PathError{Path: p, Err: fmt.Errorf("%q is a file, but %q puts a directory there", p, dirs[strings.ToLower(p)])}
	}
	return nil
}
