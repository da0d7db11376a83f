package render

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	jsonnet "github.com/google/go-jsonnet"
)

// importer resolves imports as go-jsonnet's FileImporter does (the importing
// file's directory first, then the library paths, the last one first) and
// records every path it looked at — the files it read, with their content
// hash, and the candidates that did not exist — so that a later build can
// tell, without evaluating anything, whether an import would resolve to other
// content.
type importer struct {
	jpaths []string
	cache  map[string]*entry
}

type entry struct {
	exists   bool
	contents jsonnet.Contents
	sum      string
}

// Dep is one path an evaluation depended on: its content hash, or "" for a
// candidate path that must stay absent.
type Dep struct {
	Path string `json:"path"`
	Sum  string `json:"sum"`
}

func newImporter(jpaths []string) *importer {
	return &importer{jpaths: jpaths, cache: map[string]*entry{}}
}

func (im *importer) Import(importedFrom, importedPath string) (jsonnet.Contents, string, error) {
	dir, _ := filepath.Split(importedFrom)
	found, c, at, err := im.try(dir, importedPath)
	for i := len(im.jpaths) - 1; err == nil && !found && i >= 0; i-- {
		found, c, at, err = im.try(im.jpaths[i], importedPath)
	}
	if err != nil {
		return jsonnet.Contents{}, "", err
	}
	if !found {
		return jsonnet.Contents{}, "", fmt.Errorf("couldn't open import %#v: no match locally or in the Jsonnet library paths", importedPath)
	}
	return c, at, nil
}

func (im *importer) try(dir, importedPath string) (bool, jsonnet.Contents, string, error) {
	p := importedPath
	if !filepath.IsAbs(p) {
		p = filepath.Join(dir, p)
	}
	if e, ok := im.cache[p]; ok {
		return e.exists, e.contents, p, nil
	}
	b, err := os.ReadFile(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		im.cache[p] = &entry{}
		return false, jsonnet.Contents{}, p, nil
	case err != nil:
		return false, jsonnet.Contents{}, "", err
	}
	e := &entry{exists: true, contents: jsonnet.MakeContentsRaw(b), sum: Sum(b)}
	im.cache[p] = e
	return true, e.contents, p, nil
}

// deps lists every path looked at so far, sorted.
func (im *importer) deps() []Dep {
	out := make([]Dep, 0, len(im.cache))
	for p, e := range im.cache {
		out = append(out, Dep{Path: p, Sum: e.sum})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// Sum is the content hash kpgen uses: hex SHA-256.
func Sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}
