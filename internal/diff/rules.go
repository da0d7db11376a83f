package diff

import (
	"fmt"
	"sort"
	"strings"
)

func isRuleObject(o *object) bool {
	return o.kind == "PrometheusRule" && strings.HasPrefix(o.apiVersion, "monitoring.coreos.com/")
}

func ruleGroups(v map[string]any) []any {
	spec, _ := v["spec"].(map[string]any)
	groups, _ := spec["groups"].([]any)
	return groups
}

// groupsByName indexes rule groups by name (made unique if need be).
func groupsByName(groups []any) map[string]map[string]any {
	m := map[string]map[string]any{}
	for _, g := range groups {
		gm, ok := g.(map[string]any)
		if !ok {
			continue
		}
		name, _ := gm["name"].(string)
		key := name
		for n := 2; m[key] != nil; n++ {
			key = fmt.Sprintf("%s#%d", name, n)
		}
		m[key] = gm
	}
	return m
}

// diffRuleGroups compares two spec.groups lists, group by group (by name)
// and, within a group, rule by rule.
func diffRuleGroups(old, new []any) []RuleGroupDiff {
	og, ng := groupsByName(old), groupsByName(new)
	names := map[string]bool{}
	for n := range og {
		names[n] = true
	}
	for n := range ng {
		names[n] = true
	}
	var out []RuleGroupDiff
	for _, name := range sortedKeys(names) {
		o, n := og[name], ng[name]
		switch {
		case o == nil:
			out = append(out, RuleGroupDiff{Name: name, Op: Added, Rules: diffRules(nil, listOf(n["rules"]))})
		case n == nil:
			out = append(out, RuleGroupDiff{Name: name, Op: Removed, Rules: diffRules(listOf(o["rules"]), nil)})
		default:
			g := RuleGroupDiff{
				Name:   name,
				Op:     Changed,
				Fields: diffFields(without(without(o, "rules"), "name"), without(without(n, "rules"), "name")),
				Rules:  diffRules(listOf(o["rules"]), listOf(n["rules"])),
			}
			if len(g.Fields) > 0 || len(g.Rules) > 0 {
				out = append(out, g)
			}
		}
	}
	return out
}

func listOf(v any) []any {
	l, _ := v.([]any)
	return l
}

type rule struct {
	typ, name string
	value     map[string]any
	canon     string
	labels    string
	index     int
}

func newRule(v any, i int) *rule {
	m, _ := v.(map[string]any)
	r := &rule{value: m, canon: canonical(v), index: i, typ: "rule"}
	if a, ok := m["alert"].(string); ok {
		r.typ, r.name = "alert", a
	} else if rec, ok := m["record"].(string); ok {
		r.typ, r.name = "record", rec
	}
	r.labels = labelString(m["labels"])
	return r
}

// labelString formats a rule's labels as a selector: a="x", b="y".
func labelString(v any) string {
	m, _ := v.(map[string]any)
	parts := make([]string, 0, len(m))
	for _, k := range sortedKeys(m) {
		parts = append(parts, fmt.Sprintf("%s=%q", k, fmt.Sprint(m[k])))
	}
	return strings.Join(parts, ", ")
}

// diffRules compares the rules of one group. Rules are identified by type
// and name; when several share both (the same alert at two severities), equal
// rules pair first, then rules with equal labels, then the rest in order.
func diffRules(old, new []any) []RuleDiff {
	type bucket struct{ old, new []*rule }
	buckets := map[string]*bucket{}
	get := func(r *rule) *bucket {
		k := r.typ + "\x00" + r.name
		if buckets[k] == nil {
			buckets[k] = &bucket{}
		}
		return buckets[k]
	}
	for i, v := range old {
		r := newRule(v, i)
		get(r).old = append(get(r).old, r)
	}
	for i, v := range new {
		r := newRule(v, i)
		get(r).new = append(get(r).new, r)
	}

	type change struct {
		d     RuleDiff
		order int // new index, or len(new)+old index for removals
	}
	var changes []change
	for _, b := range buckets {
		dup := len(b.old) > 1 || len(b.new) > 1
		qualify := func(r *rule) string {
			if dup {
				return r.labels
			}
			return ""
		}
		olds, news := b.old, b.new
		var pairs [][2]*rule
		for _, match := range []func(o, n *rule) bool{
			func(o, n *rule) bool { return o.canon == n.canon },
			func(o, n *rule) bool { return o.labels == n.labels },
			func(o, n *rule) bool { return true },
		} {
			var rest []*rule
			for _, o := range olds {
				found := -1
				for j, n := range news {
					if match(o, n) {
						found = j
						break
					}
				}
				if found < 0 {
					rest = append(rest, o)
					continue
				}
				pairs = append(pairs, [2]*rule{o, news[found]})
				news = append(news[:found:found], news[found+1:]...)
			}
			olds = rest
		}
		for _, p := range pairs {
			o, n := p[0], p[1]
			if o.canon == n.canon {
				continue
			}
			f := diffFields(without(without(o.value, "alert"), "record"), without(without(n.value, "alert"), "record"))
			changes = append(changes, change{RuleDiff{Op: Changed, Type: n.typ, Name: n.name, Qualifier: qualify(n), Fields: f}, n.index})
		}
		for _, n := range news {
			changes = append(changes, change{RuleDiff{Op: Added, Type: n.typ, Name: n.name, Qualifier: qualify(n)}, n.index})
		}
		for _, o := range olds {
			changes = append(changes, change{RuleDiff{Op: Removed, Type: o.typ, Name: o.name, Qualifier: qualify(o)}, len(new) + o.index})
		}
	}
	sort.Slice(changes, func(i, j int) bool { return changes[i].order < changes[j].order })
	out := make([]RuleDiff, len(changes))
	for i, c := range changes {
		out[i] = c.d
	}
	return out
}
