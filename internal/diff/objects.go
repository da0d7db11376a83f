package diff

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

// ReadDir reads every file below dir into a map of slash-separated relative
// path → content. A directory that does not exist reads as an empty set.
func ReadDir(dir string) (map[string][]byte, error) {
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && p == dir {
				return filepath.SkipDir
			}
			return err
		}
		if e.IsDir() {
			return nil
		}
		if !e.Type().IsRegular() {
			// Never followed: a link in a repository's out/ could put any
			// file of the machine into a report posted on a pull request.
			rel, _ := filepath.Rel(dir, p)
			return fmt.Errorf("%s is %s, not a regular file; kpgen never reads through it", filepath.ToSlash(rel), kindOf(e.Type()))
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = b
		return nil
	})
	return files, err
}

// object is one decoded object of a file set.
type object struct {
	key        string // group|kind|namespace|name, made unique
	apiVersion string
	kind       string
	namespace  string
	name       string
	file       string
	value      map[string]any
}

// fileSet is a decoded file set.
type fileSet struct {
	objects map[string]*object
	// docs holds each YAML file's decoded documents; raw the files that are
	// not YAML objects (and why not).
	docs map[string][]any
	raw  map[string]string
}

// parseFiles decodes every YAML file of files, except those skip names, into
// objects, expanding Lists. With strict unset, a file that does not decode is
// kept as a raw file instead of being an error (old output may have been
// edited by hand).
func parseFiles(files map[string][]byte, strict bool, skip func(path string) bool) (*fileSet, error) {
	fset := &fileSet{objects: map[string]*object{}, docs: map[string][]any{}, raw: map[string]string{}}
	for _, path := range sortedKeys(files) {
		if skip(path) {
			continue
		}
		if !isYAMLName(path) {
			fset.raw[path] = "not a YAML file"
			continue
		}
		docs, err := decodeYAML(files[path])
		if err != nil {
			if strict {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			fset.raw[path] = err.Error()
			continue
		}
		fset.docs[path] = docs
		for _, d := range docs {
			m, ok := d.(map[string]any)
			if !ok {
				fset.add(&object{name: path, file: path, value: map[string]any{"value": d}})
				continue
			}
			kind, _ := m["kind"].(string)
			items, isList := m["items"].([]any)
			if strings.HasSuffix(kind, "List") && isList {
				for _, it := range items {
					if im, ok := it.(map[string]any); ok {
						fset.add(newObject(im, path))
					}
				}
				continue
			}
			fset.add(newObject(m, path))
		}
	}
	return fset, nil
}

func newObject(m map[string]any, file string) *object {
	o := &object{file: file, value: m}
	o.apiVersion, _ = m["apiVersion"].(string)
	o.kind, _ = m["kind"].(string)
	if md, ok := m["metadata"].(map[string]any); ok {
		o.namespace, _ = md["namespace"].(string)
		o.name, _ = md["name"].(string)
	}
	if o.kind == "" && o.name == "" {
		o.name = file // not a Kubernetes object: identified by its file
	}
	return o
}

func (s *fileSet) add(o *object) {
	group := o.apiVersion
	if i := strings.Index(group, "/"); i >= 0 {
		group = group[:i]
	} else {
		group = "" // the core group: "v1"
	}
	base := strings.Join([]string{group, o.kind, o.namespace, o.name}, "|")
	o.key = base
	for n := 2; s.objects[o.key] != nil; n++ {
		o.key = fmt.Sprintf("%s#%d", base, n)
	}
	s.objects[o.key] = o
}

func isYAMLName(p string) bool { return strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".yml") }

// decodeYAML decodes the documents of a YAML stream into JSON-like values
// (numbers as json.Number). Empty documents are skipped.
func decodeYAML(b []byte) ([]any, error) {
	var docs []any
	for _, chunk := range splitDocuments(b) {
		j, err := yaml.YAMLToJSON(chunk)
		if err != nil {
			return nil, err
		}
		v, err := decodeJSON(j)
		if err != nil {
			return nil, err
		}
		if v != nil {
			docs = append(docs, v)
		}
	}
	return docs, nil
}

func decodeJSON(j []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	return v, nil
}

// splitDocuments splits a YAML stream at its "---" separator lines.
func splitDocuments(b []byte) [][]byte {
	var (
		docs [][]byte
		cur  []byte
	)
	for _, line := range bytes.SplitAfter(b, []byte("\n")) {
		t := bytes.TrimRight(line, " \t\r\n")
		if bytes.Equal(t, []byte("---")) || bytes.HasPrefix(t, []byte("--- ")) {
			docs = append(docs, cur)
			cur = nil
			if rest := bytes.TrimSpace(t[3:]); len(rest) > 0 {
				cur = append(cur, rest...)
				cur = append(cur, '\n')
			}
			continue
		}
		cur = append(cur, line...)
	}
	docs = append(docs, cur)
	var out [][]byte
	for _, d := range docs {
		if len(bytes.TrimSpace(d)) > 0 {
			out = append(out, d)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// kindOf names a file type for messages.
func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}
