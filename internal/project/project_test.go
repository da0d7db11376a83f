package project

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func touch(t *testing.T, p string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(p), 0o755)
	if err := os.WriteFile(p, []byte("{}"), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestFindOpenAndVars(t *testing.T) {
	dir := t.TempDir()
	touch(t, filepath.Join(dir, Marker))
	touch(t, filepath.Join(dir, "vars", "b.jsonnet"))
	touch(t, filepath.Join(dir, "vars", "a.jsonnet"))
	touch(t, filepath.Join(dir, "vars", "notes.txt"))

	for _, start := range []string{dir, filepath.Join(dir, "vars"), filepath.Join(dir, "vars", "a.jsonnet"), filepath.Join(dir, "vars", "missing.jsonnet")} {
		r, err := Find(start)
		if err != nil || r.Dir != dir {
			t.Errorf("Find(%s) = %v, %v; want %s", start, r.Dir, err, dir)
		}
	}
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	vars, err := r.AllVars()
	want := []string{filepath.Join(dir, "vars", "a.jsonnet"), filepath.Join(dir, "vars", "b.jsonnet")}
	if err != nil || !reflect.DeepEqual(vars, want) {
		t.Errorf("AllVars = %v, %v", vars, err)
	}
	if jp := r.JPath(); jp[len(jp)-1] != r.MixinsDir() || jp[0] != r.VendorDir() {
		t.Errorf("JPath %v: vendor must have the lowest precedence (first), ours the highest", jp)
	}
	if err := r.CheckVendor(); err == nil || !strings.Contains(err.Error(), "kpgen vendor") {
		t.Errorf("CheckVendor on no vendor dir: %v", err)
	}
}

// vars/*.json are vars files too (the README allows JSON vars): AllVars
// lists them with the *.jsonnet, in one sorted list.
func TestAllVarsListsJSON(t *testing.T) {
	dir := t.TempDir()
	touch(t, filepath.Join(dir, Marker))
	for _, n := range []string{"c.jsonnet", "b.json", "a.jsonnet", "a.json", "notes.txt", "d.json.bak", "e.libsonnet"} {
		touch(t, filepath.Join(dir, "vars", n))
	}
	r, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, n := range []string{"a.json", "a.jsonnet", "b.json", "c.jsonnet"} {
		want = append(want, filepath.Join(dir, "vars", n))
	}
	for range 3 {
		got, err := r.AllVars()
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Fatalf("AllVars = %q, %v\nwant %q", got, err, want)
		}
	}
	only := t.TempDir()
	touch(t, filepath.Join(only, Marker))
	touch(t, filepath.Join(only, "vars", "x.json"))
	if got, err := (Root{Dir: only}).AllVars(); err != nil || len(got) != 1 {
		t.Errorf("a project with JSON vars only: %q, %v", got, err)
	}
}

func TestNotAProject(t *testing.T) {
	dir := t.TempDir()
	if _, err := Find(dir); err == nil || !strings.Contains(err.Error(), "--root") {
		t.Errorf("Find: %v", err)
	}
	if _, err := Open(dir); err == nil || !strings.Contains(err.Error(), "not a kpgen project") {
		t.Errorf("Open: %v", err)
	}
	touch(t, filepath.Join(dir, Marker))
	r, _ := Open(dir)
	if _, err := r.AllVars(); err == nil || !strings.Contains(err.Error(), "no vars files") {
		t.Errorf("AllVars: %v", err)
	}
}
