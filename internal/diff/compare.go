package diff

import (
	"bytes"
	"reflect"
	"sort"
)

// Compare describes how a cluster's output changes from old to new, both maps
// of relative path → file content (old as read from out/<cluster>/, new as a
// build would write it). Objects are matched by identity, so an object that
// moved to another file is a change of file, not a removal and an addition.
// Only new must decode: an old file that is not valid YAML is reported as a
// changed file.
func Compare(cluster string, old, new map[string][]byte) (*ClusterDiff, error) {
	// A file identical on both sides holds only unchanged objects: it need
	// not be decoded (which is most of the time this takes).
	same := func(p string) bool {
		o, ok1 := old[p]
		n, ok2 := new[p]
		return ok1 && ok2 && bytes.Equal(o, n)
	}
	var (
		ofs, nfs *fileSet
		err      error
		done     = make(chan struct{})
	)
	go func() {
		defer close(done)
		ofs, _ = parseFiles(old, false, same) // never fails when not strict
	}()
	nfs, err = parseFiles(new, true, same)
	<-done
	if err != nil {
		return nil, err
	}
	d := &ClusterDiff{Cluster: cluster, New: len(old) == 0 && len(new) > 0}

	keys := map[string]bool{}
	for k := range ofs.objects {
		keys[k] = true
	}
	for k := range nfs.objects {
		keys[k] = true
	}
	for k := range keys {
		o, n := ofs.objects[k], nfs.objects[k]
		switch {
		case o == nil:
			d.Objects = append(d.Objects, wholeObject(Added, n))
		case n == nil:
			d.Objects = append(d.Objects, wholeObject(Removed, o))
		default:
			if od := compareObjects(o, n); od != nil {
				d.Objects = append(d.Objects, od)
			}
		}
	}
	sort.Slice(d.Objects, func(i, j int) bool { return objectLess(d.Objects[i], d.Objects[j]) })
	d.Files = compareFiles(old, new, ofs, nfs)
	return d, nil
}

func objectLess(a, b *ObjectDiff) bool {
	if a.Kind != b.Kind {
		return a.Kind < b.Kind
	}
	if a.Namespace != b.Namespace {
		return a.Namespace < b.Namespace
	}
	if a.Name != b.Name {
		return a.Name < b.Name
	}
	if a.APIVersion != b.APIVersion {
		return a.APIVersion < b.APIVersion
	}
	return a.NewFile+a.OldFile < b.NewFile+b.OldFile
}

func header(op Op, o *object) *ObjectDiff {
	return &ObjectDiff{Op: op, APIVersion: o.apiVersion, Kind: o.kind, Namespace: o.namespace, Name: o.name}
}

// wholeObject describes an object added or removed: its rule groups and
// dashboards are added or removed with it.
func wholeObject(op Op, o *object) *ObjectDiff {
	od := header(op, o)
	if op == Added {
		od.NewFile = o.file
	} else {
		od.OldFile = o.file
	}
	if isRuleObject(o) {
		var none []any
		if op == Added {
			od.RuleGroups = diffRuleGroups(none, ruleGroups(o.value))
		} else {
			od.RuleGroups = diffRuleGroups(ruleGroups(o.value), none)
		}
	}
	if isConfigMap(o) {
		dbs := parseDashboards(configMapData(o.value))
		if op == Added {
			od.Dashboards = diffDashboards(nil, dbs)
		} else {
			od.Dashboards = diffDashboards(dbs, nil)
		}
	}
	return od
}

// compareObjects returns how o became n, or nil when it did not change.
func compareObjects(o, n *object) *ObjectDiff {
	od := header(Changed, n)
	od.OldFile, od.NewFile = o.file, n.file
	ov, nv := any(o.value), any(n.value)
	if isRuleObject(o) && isRuleObject(n) {
		od.RuleGroups = diffRuleGroups(ruleGroups(o.value), ruleGroups(n.value))
		ov, nv = without(ov, "spec", "groups"), without(nv, "spec", "groups")
	}
	if isConfigMap(o) && isConfigMap(n) {
		odbs, ndbs := parseDashboards(configMapData(o.value)), parseDashboards(configMapData(n.value))
		od.Dashboards = diffDashboards(odbs, ndbs)
		for k := range odbs {
			ov, nv = without(ov, "data", k), without(nv, "data", k)
		}
		for k := range ndbs {
			ov, nv = without(ov, "data", k), without(nv, "data", k)
		}
	}
	od.Fields = diffFields(ov, nv)
	if len(od.Fields) == 0 && len(od.RuleGroups) == 0 && len(od.Dashboards) == 0 && !od.Moved() {
		return nil
	}
	return od
}

// without returns v without the field at path, copying only the maps on the
// way to it.
func without(v any, path ...string) any {
	m, ok := v.(map[string]any)
	if !ok || len(path) == 0 {
		return v
	}
	if _, ok := m[path[0]]; !ok {
		return v
	}
	c := make(map[string]any, len(m))
	for k, x := range m {
		c[k] = x
	}
	if len(path) == 1 {
		delete(c, path[0])
	} else {
		c[path[0]] = without(m[path[0]], path[1:]...)
	}
	return c
}

// compareFiles reports the file-level changes objects do not show: files
// that are not YAML objects, and files reformatted without an object change.
func compareFiles(old, new map[string][]byte, ofs, nfs *fileSet) []FileDiff {
	var out []FileDiff
	paths := map[string]bool{}
	for p := range ofs.raw {
		paths[p] = true
	}
	for p := range nfs.raw {
		paths[p] = true
	}
	for p := range paths {
		ob, inOld := old[p]
		nb, inNew := new[p]
		note := nfs.raw[p]
		if note == "" {
			note = ofs.raw[p]
			if inNew && inOld {
				note = "the previous version did not decode: " + note
			}
		}
		switch {
		case !inOld:
			out = append(out, FileDiff{Path: p, Op: Added, Note: note})
		case !inNew:
			out = append(out, FileDiff{Path: p, Op: Removed, Note: note})
		case !bytes.Equal(ob, nb):
			out = append(out, FileDiff{Path: p, Op: Changed, Note: note})
		}
	}
	for p, ndocs := range nfs.docs {
		odocs, ok := ofs.docs[p]
		if ok && !bytes.Equal(old[p], new[p]) && reflect.DeepEqual(odocs, ndocs) {
			out = append(out, FileDiff{Path: p, Op: Changed, Note: "formatting only, same content"})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}
