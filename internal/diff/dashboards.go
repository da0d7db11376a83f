package diff

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
)

func isConfigMap(o *object) bool { return o.kind == "ConfigMap" && o.apiVersion == "v1" }

func configMapData(v map[string]any) map[string]any {
	d, _ := v["data"].(map[string]any)
	return d
}

// dashboard is a Grafana dashboard found in a ConfigMap's data.
type dashboard struct {
	key   string // data key
	raw   string
	value map[string]any
}

func (d *dashboard) str(field string) string {
	s, _ := d.value[field].(string)
	return s
}

// identity is how a dashboard is matched: by uid, else by title.
func (d *dashboard) identity() string {
	if uid := d.str("uid"); uid != "" {
		return "uid:" + uid
	}
	if t := d.str("title"); t != "" {
		return "title:" + t
	}
	return "key:" + d.key
}

// parseDashboards finds the data entries that hold dashboard JSON: a JSON
// object with panels or rows.
func parseDashboards(data map[string]any) map[string]*dashboard {
	out := map[string]*dashboard{}
	for k, v := range data {
		s, ok := v.(string)
		if !ok || !strings.HasPrefix(strings.TrimSpace(s), "{") {
			continue
		}
		j, err := decodeJSON([]byte(s))
		if err != nil {
			continue
		}
		m, ok := j.(map[string]any)
		if !ok {
			continue
		}
		if _, p := m["panels"]; !p {
			if _, r := m["rows"]; !r {
				continue
			}
		}
		out[k] = &dashboard{key: k, raw: s, value: m}
	}
	return out
}

// diffDashboards compares the dashboards of a ConfigMap, matched by uid, else
// title, else data key.
func diffDashboards(old, new map[string]*dashboard) []DashboardDiff {
	byID := func(m map[string]*dashboard) map[string]*dashboard {
		out := map[string]*dashboard{}
		for _, k := range sortedKeys(m) {
			id := m[k].identity()
			for n := 2; out[id] != nil; n++ {
				id = fmt.Sprintf("%s#%d", m[k].identity(), n)
			}
			out[id] = m[k]
		}
		return out
	}
	oid, nid := byID(old), byID(new)
	var pairs [][2]*dashboard
	for id, o := range oid {
		if n := nid[id]; n != nil {
			pairs = append(pairs, [2]*dashboard{o, n})
			delete(oid, id)
			delete(nid, id)
		}
	}
	// What is left may still be the same data key with a new uid or title.
	for id, o := range oid {
		for nk, n := range nid {
			if n.key == o.key {
				pairs = append(pairs, [2]*dashboard{o, n})
				delete(oid, id)
				delete(nid, nk)
				break
			}
		}
	}
	var out []DashboardDiff
	for _, p := range pairs {
		if d, ok := compareDashboards(p[0], p[1]); ok {
			out = append(out, d)
		}
	}
	for _, n := range nid {
		out = append(out, DashboardDiff{Op: Added, Title: n.str("title"), UID: n.str("uid"), Key: n.key, Panels: len(flattenPanels(n.value))})
	}
	for _, o := range oid {
		out = append(out, DashboardDiff{Op: Removed, Title: o.str("title"), UID: o.str("uid"), Key: o.key, Panels: len(flattenPanels(o.value))})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Title != out[j].Title {
			return out[i].Title < out[j].Title
		}
		if out[i].Key != out[j].Key {
			return out[i].Key < out[j].Key
		}
		return out[i].Op < out[j].Op
	})
	return out
}

func compareDashboards(o, n *dashboard) (DashboardDiff, bool) {
	if o.raw == n.raw && o.key == n.key {
		return DashboardDiff{}, false
	}
	d := DashboardDiff{Op: Changed, Title: n.str("title"), UID: n.str("uid"), Key: n.key}
	if t := o.str("title"); t != d.Title {
		d.OldTitle = t
	}
	if o.key != n.key {
		d.OldKey = o.key
	}
	op, np := flattenPanels(o.value), flattenPanels(n.value)
	d.Panels = len(np)
	for id, c := range np {
		switch oc, ok := op[id]; {
		case !ok:
			d.PanelsAdded++
		case oc != c:
			d.PanelsChanged++
		}
	}
	for id := range op {
		if _, ok := np[id]; !ok {
			d.PanelsRemoved++
		}
	}
	keys := map[string]bool{}
	for k := range o.value {
		keys[k] = true
	}
	for k := range n.value {
		keys[k] = true
	}
	for _, k := range sortedKeys(keys) {
		ov, nv := o.value[k], n.value[k]
		switch k {
		case "panels", "title":
			continue
		case "rows":
			ov, nv = stripPanels(ov), stripPanels(nv)
		}
		if !reflect.DeepEqual(ov, nv) {
			d.OtherFields = append(d.OtherFields, k)
		}
	}
	if d.PanelsChanged+d.PanelsAdded+d.PanelsRemoved == 0 && len(d.OtherFields) == 0 && d.OldTitle == "" && d.OldKey == "" {
		d.OtherFields = []string{"(JSON formatting only)"}
	}
	return d, true
}

// flattenPanels returns every panel of a dashboard, those nested in rows
// (panels[].panels, or rows[].panels in older dashboards) included, by id
// (else title, else position) → canonical JSON without nested panels.
func flattenPanels(d map[string]any) map[string]string {
	out := map[string]string{}
	var walk func(list any, where string)
	walk = func(list any, where string) {
		for i, p := range listOf(list) {
			pm, ok := p.(map[string]any)
			if !ok {
				continue
			}
			id := fmt.Sprintf("%s#%d", where, i)
			if n, ok := pm["id"]; ok && n != nil {
				id = fmt.Sprintf("id:%v", n)
			} else if t, ok := pm["title"].(string); ok && t != "" {
				id = "title:" + t
			}
			base := id
			for k := 2; ; k++ {
				if _, dup := out[id]; !dup {
					break
				}
				id = fmt.Sprintf("%s#%d", base, k)
			}
			out[id] = canonical(without(pm, "panels"))
			walk(pm["panels"], id)
		}
	}
	walk(d["panels"], "")
	for i, r := range listOf(d["rows"]) {
		if rm, ok := r.(map[string]any); ok {
			walk(rm["panels"], fmt.Sprintf("row%d", i))
		}
	}
	return out
}

func stripPanels(rows any) any {
	l := listOf(rows)
	out := make([]any, len(l))
	for i, r := range l {
		out[i] = without(r, "panels")
	}
	return out
}
