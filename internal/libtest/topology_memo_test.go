package libtest

import (
	"path/filepath"
	"testing"

	"github.com/kpgen/kpgen/internal/project"
	"github.com/kpgen/kpgen/internal/render"
	"github.com/kpgen/kpgen/internal/testutil"
)

// A topology setting's values are read only by the objects they change:
// two clusters of the same role and shape, differing in one value, rendered
// through one memo — the second evaluates no more units than it has
// changed files (as TestKnobsReadOnlyWhereUsed does for kube-prometheus'
// knobs).
func TestTopologyReadOnlyWhereUsed(t *testing.T) {
	spoke := func(am string) string {
		return `{ cluster: { name: 's' }, topology: { role: 'spoke' }, prometheus: { alerting: { alertmanagers: [{ url: '` + am + `' }] } } }`
	}
	hub := func(url string) string {
		return `{ cluster: { name: 'h' }, topology: { role: 'hub', spokes: [{ name: 'a', url: '` + url + `' }] } }`
	}
	mgmt := func(api string) string {
		return `{ cluster: { name: 'm' }, topology: { role: 'management', managedClusters: [{ name: 'a', apiServer: '` + api + `' }, { name: 'b', apiServer: 'https://b:6443' }] } }`
	}
	for _, tt := range []struct{ name, a, b string }{
		{"a spoke's Alertmanager URL", spoke("https://am-1.example.com"), spoke("https://am-2.example.com")},
		{"a spoke's datasource URL on the hub", hub("https://a-1.example.com"), hub("https://a-2.example.com")},
		{"a managed cluster's API server", mgmt("https://a-1:6443"), mgmt("https://a-2:6443")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := testutil.Project(t, map[string]string{"a.jsonnet": tt.a, "b.jsonnet": tt.b})
			root := project.Root{Dir: dir}
			m := render.NewMemo()
			rs := []*render.Renderer{render.New(root), render.New(root)}
			first, err := render.FilesMemo(rs, filepath.Join(dir, "vars", "a.jsonnet"), m)
			if err != nil {
				t.Fatal(err)
			}
			_, units := m.Stats()
			second, err := render.FilesMemo(rs, filepath.Join(dir, "vars", "b.jsonnet"), m)
			if err != nil {
				t.Fatal(err)
			}
			_, after := m.Stats()
			changed := 0
			for i := range first {
				if string(first[i].JSON) != string(second[i].JSON) {
					changed++
				}
			}
			if changed == 0 {
				t.Fatal("the setting changed no file")
			}
			if evaluated := after - units; evaluated > int64(changed) {
				t.Errorf("%d of %d units evaluated again for %d changed files: the setting is read where it is not used", evaluated, units, changed)
			}
		})
	}
}
