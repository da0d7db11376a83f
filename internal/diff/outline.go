package diff

import (
	"fmt"
	"sort"
	"strings"
)

// The outline is what the text and markdown writers draw: sections of nested
// nodes, each a marked label with children, a diff block or a list of names.

type span struct {
	text string
	code bool
}

func t(s string) span { return span{text: s} }
func c(s string) span { return span{text: s, code: true} }

type node struct {
	op    Op // "" for no mark
	label []span
	kids  []*node
	block []dline
	list  []string // names, drawn compactly
}

type section struct {
	title string
	nodes []*node
	// fold: secondary, shown folded where the format can fold.
	fold bool
}

// limits bound the outline's size.
type limits struct {
	fields int // field changes shown per object
	block  int // lines per diff block
}

// minShared is how many objects must share a field change for it to be shown
// once for all of them.
const minShared = 3

func outline(d *ClusterDiff, lim limits) []section {
	if d.New {
		return []section{newOutput(d)}
	}
	var rules, dashboards, objects, files section
	rules.title, dashboards.title, objects.title, files.title = "Rules", "Dashboards", "Objects", "Files"
	shared, hoisted := sharedFields(d)
	for _, o := range d.Objects {
		if len(o.RuleGroups) > 0 {
			rules.nodes = append(rules.nodes, ruleObjectNode(o, lim))
		}
		for _, db := range o.Dashboards {
			dashboards.nodes = append(dashboards.nodes, dashboardNode(db))
		}
		if n := objectNode(o, hoisted, lim); n != nil {
			objects.nodes = append(objects.nodes, n)
		}
	}
	for _, f := range d.Files {
		files.nodes = append(files.nodes, &node{op: f.Op, label: []span{c(f.Path), t(": " + f.Note)}})
	}
	var out []section
	for _, s := range []section{rules, dashboards, objects, shared, files} {
		if len(s.nodes) > 0 {
			out = append(out, s)
		}
	}
	return out
}

// newOutput summarises a cluster that had no output before.
func newOutput(d *ClusterDiff) section {
	kinds := map[string]int{}
	for _, o := range d.Objects {
		kinds[o.Kind]++
	}
	n := &node{op: Added, label: []span{t(count(len(d.Objects), "object") + " by kind:")}}
	for _, k := range sortedKeys(kinds) {
		n.list = append(n.list, fmt.Sprintf("%s ×%d", k, kinds[k]))
	}
	return section{title: "New output (nothing was there before)", nodes: []*node{n}}
}

func ruleObjectNode(o *ObjectDiff, lim limits) *node {
	n := &node{op: o.Op, label: []span{c(o.ID())}}
	var rc OpCounts
	rules := 0
	for _, g := range o.RuleGroups {
		rules += len(g.Rules)
		for _, r := range g.Rules {
			rc.add(r.Op)
		}
	}
	if o.Op == Changed {
		if s := opCounts(rc); s != "" {
			n.label = append(n.label, t(": rules "+s))
		}
	} else {
		n.label = append(n.label, t(": "+count(len(o.RuleGroups), "group")+", "+count(rules, "rule")))
	}
	for _, g := range o.RuleGroups {
		gn := &node{op: g.Op, label: []span{t("group "), c(g.Name)}}
		n.kids = append(n.kids, gn)
		if g.Op != Changed {
			gn.label = append(gn.label, t(": "+count(len(g.Rules), "rule")))
			for _, r := range g.Rules {
				gn.list = append(gn.list, ruleName(r))
			}
			continue
		}
		for _, f := range g.Fields {
			gn.kids = append(gn.kids, fieldNode(f, false, lim))
		}
		for _, r := range g.Rules {
			rn := &node{op: r.Op, label: []span{t(r.Type + " "), c(r.Name)}}
			if r.Qualifier != "" {
				rn.label = append(rn.label, t(" "), c("{"+r.Qualifier+"}"))
			}
			for _, f := range r.Fields {
				rn.kids = append(rn.kids, fieldNode(f, f.Path == "expr", lim))
			}
			gn.kids = append(gn.kids, rn)
		}
	}
	return n
}

func ruleName(r RuleDiff) string {
	if r.Qualifier != "" {
		return r.Name + "{" + r.Qualifier + "}"
	}
	return r.Name
}

func dashboardNode(db DashboardDiff) *node {
	n := &node{op: db.Op}
	if db.OldTitle != "" {
		n.label = append(n.label, c(db.OldTitle), t(" → "))
	}
	title := db.Title
	if title == "" {
		title = db.Key
	}
	n.label = append(n.label, c(title))
	if db.UID != "" {
		n.label = append(n.label, t(" (uid "), c(db.UID), t(")"))
	}
	if db.Op != Changed {
		n.label = append(n.label, t(": "+count(db.Panels, "panel")))
		return n
	}
	var parts []string
	if db.PanelsChanged > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d changed", db.PanelsChanged, db.Panels))
	}
	if db.PanelsAdded > 0 {
		parts = append(parts, fmt.Sprintf("%d added", db.PanelsAdded))
	}
	if db.PanelsRemoved > 0 {
		parts = append(parts, fmt.Sprintf("%d removed", db.PanelsRemoved))
	}
	var what []string
	if len(parts) > 0 {
		what = append(what, "panels "+strings.Join(parts, ", "))
	}
	if len(db.OtherFields) > 0 {
		what = append(what, "also "+strings.Join(db.OtherFields, ", "))
	}
	if db.OldKey != "" {
		what = append(what, "file "+db.OldKey+" → "+db.Key)
	}
	if len(what) > 0 {
		n.label = append(n.label, t(": "+strings.Join(what, "; ")))
	}
	return n
}

// objectNode shows an object's field changes (less those shown once for
// many objects), or its addition or removal. Rule groups and dashboards are
// in their own sections.
func objectNode(o *ObjectDiff, hoisted map[*FieldDiff]bool, lim limits) *node {
	n := &node{op: o.Op, label: []span{c(o.ID())}}
	if o.Op != Changed {
		if len(o.RuleGroups) > 0 || len(o.Dashboards) > 0 {
			return nil
		}
		return n
	}
	if o.Moved() {
		n.kids = append(n.kids, &node{label: []span{t("file: "), c(o.OldFile), t(" → "), c(o.NewFile)}})
	}
	crd := o.Kind == "CustomResourceDefinition"
	shown, more, descriptions := 0, 0, 0
	for i := range o.Fields {
		f := &o.Fields[i]
		if hoisted[f] {
			continue
		}
		var fn *node
		if crd {
			if field, kw, ok := schemaPath(f.Path); ok {
				if kw == "description" {
					descriptions++
					continue
				}
				fn = schemaNode(*f, field, kw, lim)
			}
		}
		if lim.fields > 0 && shown >= lim.fields {
			more++
			continue
		}
		shown++
		if fn == nil {
			fn = fieldNode(*f, false, lim)
		}
		n.kids = append(n.kids, fn)
	}
	if descriptions > 0 {
		n.kids = append(n.kids, &node{op: Changed, label: []span{t(fmt.Sprintf("%d schema description%s reworded", descriptions, plural(descriptions)))}})
	}
	if more > 0 {
		n.kids = append(n.kids, &node{label: []span{t(fmt.Sprintf("… %d more field change%s (--format json lists them all)", more, plural(more)))}})
	}
	if len(n.kids) == 0 {
		return nil
	}
	return n
}

// schemaNode shows a change to a CustomResourceDefinition's schema as the
// custom resource's field: "v1: spec.x[].y" added, "v1: spec.z (pattern)"
// changed.
func schemaNode(f FieldDiff, field, keyword string, lim limits) *node {
	if keyword == "" {
		switch f.Op {
		case Added:
			return &node{op: Added, label: []span{c(field), t(": "), c(schemaType(f.New))}}
		case Removed:
			return &node{op: Removed, label: []span{c(field), t(": "), c(schemaType(f.Old))}}
		}
	}
	f.Path = field
	if keyword != "" {
		f.Path += " (" + keyword + ")"
	}
	return fieldNode(f, false, lim)
}

// schemaType describes a property's schema briefly: "string", "object (3 properties)".
func schemaType(v any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return short(v)
	}
	typ, _ := m["type"].(string)
	if typ == "" {
		typ = "any"
	}
	if p, ok := m["properties"].(map[string]any); ok {
		typ += " (" + count(len(p), "property") + ")"
	}
	if it, ok := m["items"].(map[string]any); ok {
		typ += " of " + schemaType(it)
	}
	return typ
}

// fieldNode shows one field change. Multi-line strings (and, when full, any
// long string) show as a line diff.
func fieldNode(f FieldDiff, full bool, lim limits) *node {
	switch f.Op {
	case Added:
		return &node{op: Added, label: []span{c(f.Path), t(": "), c(short(f.New))}}
	case Removed:
		return &node{op: Removed, label: []span{c(f.Path), t(": "), c(short(f.Old))}}
	}
	os, ok1 := f.Old.(string)
	ns, ok2 := f.New.(string)
	if ok1 && ok2 {
		if isMultiline(os) || isMultiline(ns) || full && len(os)+len(ns) > maxValue {
			ctx := 2
			if full {
				ctx = -1
			}
			return &node{label: []span{c(f.Path), t(":")}, block: lineDiff(os, ns, ctx, lim.block)}
		}
		a, b := shortPair(os, ns)
		return &node{label: []span{c(f.Path), t(": "), c(a), t(" → "), c(b)}}
	}
	return &node{label: []span{c(f.Path), t(": "), c(short(f.Old)), t(" → "), c(short(f.New))}}
}

// sharedFields finds the changes of one map key from one value to another
// (a version label, say) that at least minShared objects share, and shows
// each once with the list of objects.
func sharedFields(d *ClusterDiff) (section, map[*FieldDiff]bool) {
	type change struct {
		key   string
		f     *FieldDiff
		objs  []string
		paths map[string]bool
		all   []*FieldDiff
	}
	byKey := map[string]*change{}
	for _, o := range d.Objects {
		if o.Op != Changed {
			continue
		}
		seen := map[string]bool{}
		for i := range o.Fields {
			f := &o.Fields[i]
			key, ok := lastKey(f.Path)
			if !ok || isMultiline(f.Old) || isMultiline(f.New) {
				continue
			}
			id := strings.Join([]string{key, string(f.Op), canonical(f.Old), canonical(f.New)}, "\x00")
			ch := byKey[id]
			if ch == nil {
				ch = &change{key: key, f: f, paths: map[string]bool{}}
				byKey[id] = ch
			}
			ch.all = append(ch.all, f)
			ch.paths[f.Path] = true
			if !seen[id] {
				seen[id] = true
				ch.objs = append(ch.objs, o.ID())
			}
		}
	}
	s := section{title: "Changes shared by several objects", fold: true}
	hoisted := map[*FieldDiff]bool{}
	var ids []string
	for id, ch := range byKey {
		if len(ch.objs) >= minShared {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	for _, id := range ids {
		ch := byKey[id]
		for _, f := range ch.all {
			hoisted[f] = true
		}
		f := *ch.f
		f.Path = ch.key
		if len(ch.paths) == 1 {
			f.Path = ch.f.Path
		}
		n := fieldNode(f, false, limits{})
		n.label = append(n.label, t(fmt.Sprintf(" in %d objects", len(ch.objs))))
		if len(ch.paths) > 1 {
			n.label = append(n.label, t(fmt.Sprintf(" (%d paths)", len(ch.paths))))
		}
		n.list = ch.objs
		s.nodes = append(s.nodes, n)
	}
	return s, hoisted
}
