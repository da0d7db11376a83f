package diff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// threeClusters: lab, prod and staging get the same new image, the same
// renamed panel, the same new rule and the same new external label made of
// the cluster's name; lab and prod move
// TargetDown's 'for' to 10m, staging to 15m.
func threeClusters(t *testing.T) *Report {
	rep := &Report{}
	for _, c := range []string{"staging", "prod", "lab"} { // not sorted: the report sorts
		old := knobs{cluster: c, forDur: "5m", threshold: "0.1", image: "app:1.0", panelTitle: "CPU", multiline: config1}
		new := old
		new.image, new.panelTitle, new.clusterRule, new.replica, new.forDur = "app:1.1", "CPU usage", true, true, "10m"
		if c == "staging" {
			new.forDur = "15m"
		}
		d, err := Compare(c, clusterFiles(t, old), clusterFiles(t, new))
		if err != nil {
			t.Fatal(err)
		}
		rep.Clusters = append(rep.Clusters, d)
	}
	return rep
}

func TestPartitionsFoldPerChange(t *testing.T) {
	rep := threeClusters(t)
	parts, unchanged := rep.Partitions()
	if len(unchanged) != 0 {
		t.Errorf("unchanged = %v", unchanged)
	}
	var sets []string
	for _, p := range parts {
		sets = append(sets, strings.Join(p.Clusters, ","))
	}
	if got := strings.Join(sets, " "); got != "lab,prod,staging lab,prod staging" {
		t.Fatalf("partitions = %s, want lab,prod,staging lab,prod staging", got)
	}
	shared := parts[0].Diff
	if c := shared.Counts(); c.Rules != (OpCounts{Added: 1}) || c.Dashboards.Changed != 1 || c.Objects.Changed != 4 {
		t.Errorf("shared partition: %+v\n%s", c, describe(shared))
	}
	// The external label made of the cluster's name is one change, with the
	// placeholder.
	b, _ := json.Marshal(shared)
	for _, name := range []string{"lab", "prod", "staging"} {
		if bytes.Contains(b, []byte(`"`+name+`"`)) {
			t.Errorf("shared partition names %s: %s", name, b)
		}
	}
	if !strings.Contains(strings.Join(describe(shared), "\n"), Placeholder+"-0") {
		t.Errorf("shared partition lacks the placeholder: %s", b)
	}
	// The remainder of one cluster keeps its name.
	if parts[2].Diff.Cluster != "staging" {
		t.Errorf("staging's own partition is named %q", parts[2].Diff.Cluster)
	}
	for _, p := range parts {
		if p.Complete {
			t.Errorf("partition %v is complete", p.Clusters)
		}
	}

	var out bytes.Buffer
	if err := rep.Text(&out, false); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	i3 := strings.Index(text, "\n3 clusters, in common: lab, prod, staging\n")
	i2 := strings.Index(text, "\n2 clusters, in common: lab, prod\n")
	i1 := strings.Index(text, "\nstaging only\n")
	if i3 < 0 || i2 < i3 || i1 < i2 {
		t.Fatalf("partition titles missing or out of order:\n%s", text)
	}
	// Each change once, under its partition.
	for _, c := range []struct {
		line     string
		from, to int
	}{
		{"spec.template.spec.containers[name=app].image: app:1.0 → app:1.1", i3, i2},
		{"+ alert ClusterDown", i3, i2},
		{"+ spec.externalLabels.prometheus_replica: <cluster>-0", i3, i2},
		{"~ Nodes (uid nodes): panels 1 of 2 changed", i3, i2},
		{"for: 5m → 10m", i2, i1},
		{"for: 5m → 15m", i1, len(text)},
	} {
		if strings.Count(text, c.line) != 1 {
			t.Errorf("%q shown %d times, want once:\n%s", c.line, strings.Count(text, c.line), text)
			continue
		}
		if at := strings.Index(text, c.line); at < c.from || at > c.to {
			t.Errorf("%q not in its partition:\n%s", c.line, text)
		}
	}
	// The header counts each cluster's own changes.
	for _, want := range []string{
		"3 clusters changed:",
		"  lab      objects: 4 changed · rules: 1 added, 1 changed · dashboards: 1 changed\n",
		"  staging  objects: 4 changed · rules: 1 added, 1 changed · dashboards: 1 changed\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("header lacks %q:\n%s", want, text)
		}
	}

	out.Reset()
	if err := rep.Markdown(&out); err != nil {
		t.Fatal(err)
	}
	md := out.String()
	for _, want := range []string{"#### 3 clusters, in common\n\n`lab`, `prod`, `staging`\n", "#### 2 clusters, in common\n\n`lab`, `prod`\n", "#### `staging` only\n", "| `prod` | objects: 4 changed"} {
		if !strings.Contains(md, want) {
			t.Errorf("markdown lacks %q:\n%s", want, md)
		}
	}
	if strings.Count(md, "`app:1.0` → `app:1.1`") != 1 {
		t.Errorf("markdown shows the image change other than once:\n%s", md)
	}
}

// Clusters that changed identically read as they always did: one section,
// "changed alike", no header.
func TestPartitionsIdenticalClusters(t *testing.T) {
	rep := &Report{}
	for _, c := range []string{"b", "a"} {
		old := knobs{cluster: c, forDur: "5m", threshold: "0.1", image: "app:1.0", panelTitle: "CPU"}
		new := old
		new.forDur, new.clusterRule = "10m", true
		d, err := Compare(c, clusterFiles(t, old), clusterFiles(t, new))
		if err != nil {
			t.Fatal(err)
		}
		rep.Clusters = append(rep.Clusters, d)
	}
	parts, _ := rep.Partitions()
	if len(parts) != 1 || !parts[0].Complete || strings.Join(parts[0].Clusters, ",") != "a,b" {
		t.Fatalf("partitions = %+v", parts)
	}
	var out bytes.Buffer
	rep.Text(&out, false)
	if !strings.HasPrefix(out.String(), "2 clusters, changed alike: a, b\n") || strings.Contains(out.String(), "clusters changed:") {
		t.Errorf("identical clusters:\n%s", out.String())
	}
}

// The report is the same whatever order the clusters come in.
func TestPartitionsDeterministic(t *testing.T) {
	render := func(rep *Report) string {
		var b bytes.Buffer
		rep.Text(&b, false)
		rep.Markdown(&b)
		rep.JSON(&b)
		return b.String()
	}
	rep := fixtureReport(t)
	want := render(rep)
	n := len(rep.Clusters)
	for i := 0; i < n; i++ {
		rep.Clusters = append(rep.Clusters[1:], rep.Clusters[0])
		if got := render(rep); got != want {
			t.Fatalf("rotation %d renders differently", i+1)
		}
	}
}

// An object that changed in all clusters but moved to another file in one
// of them: the field change is shared, the move is that cluster's own.
func TestPartitionsSplitAnObject(t *testing.T) {
	mk := func(cluster, newFile string) *ClusterDiff {
		d, err := Compare(cluster,
			fileSetOf(t, map[string]any{"a.yaml": deployment("app:1", nil)}),
			fileSetOf(t, map[string]any{newFile: deployment("app:2", nil)}))
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	rep := &Report{Clusters: []*ClusterDiff{mk("x", "a.yaml"), mk("y", "a.yaml"), mk("z", "b.yaml")}}
	parts, _ := rep.Partitions()
	if len(parts) != 2 || len(parts[0].Clusters) != 3 || strings.Join(parts[1].Clusters, ",") != "z" {
		t.Fatalf("partitions = %+v", parts)
	}
	shared, own := parts[0].Diff.Objects, parts[1].Diff.Objects
	if len(shared) != 1 || shared[0].Moved() || len(shared[0].Fields) != 1 {
		t.Errorf("shared: %s", describe(parts[0].Diff))
	}
	if len(own) != 1 || !own[0].Moved() || len(own[0].Fields) != 0 {
		t.Errorf("z's own: %s", describe(parts[1].Diff))
	}
	// The input is left as it was.
	if !rep.Clusters[2].Objects[0].Moved() || len(rep.Clusters[2].Objects[0].Fields) != 1 {
		t.Errorf("Partitions changed its input: %s", describe(rep.Clusters[2]))
	}
}

// Clusters with no previous output fold only with identical new output,
// and are never split.
func TestPartitionsNewOutput(t *testing.T) {
	var rep Report
	for _, c := range []string{"n1", "n2"} {
		d, err := Compare(c, nil, clusterFiles(t, knobs{cluster: c, forDur: "5m", threshold: "0.1", image: "a", panelTitle: "CPU", clusterRule: true}))
		if err != nil {
			t.Fatal(err)
		}
		rep.Clusters = append(rep.Clusters, d)
	}
	parts, _ := rep.Partitions()
	if len(parts) != 1 || !parts[0].Complete || !parts[0].Diff.New || len(parts[0].Clusters) != 2 {
		t.Fatalf("partitions = %+v", parts)
	}
}

func TestGenericDiffLeavesInput(t *testing.T) {
	d := &ClusterDiff{Cluster: "prod", Objects: []*ObjectDiff{{
		Op: Changed, Kind: "Prometheus", Namespace: "prod", Name: "k8s",
		Fields: []FieldDiff{{Path: "spec.externalLabels", Op: Changed, Old: map[string]any{"cluster": "prod"}, New: []any{"prod", "x"}}},
	}}}
	before, _ := json.Marshal(d)
	g := genericDiff(d)
	after, _ := json.Marshal(d)
	if !bytes.Equal(before, after) {
		t.Errorf("genericDiff changed its input: %s", after)
	}
	b, _ := json.Marshal(g)
	if bytes.Contains(b, []byte("prod")) || g.Cluster != "" {
		t.Errorf("generic diff still names the cluster: %s", b)
	}
}

// Many clusters: the names of a large partition wrap below its title, and
// "all but" names the few changed clusters that are not in it.
func TestPartitionsManyClusters(t *testing.T) {
	rep := &Report{}
	for i := 0; i < 14; i++ {
		c := fmt.Sprintf("cluster-%02d", i)
		old := knobs{cluster: c, forDur: "5m", threshold: "0.1", image: "app:1.0", panelTitle: "CPU"}
		new := old
		new.image = "app:1.1"
		if i == 13 {
			new.image = "app:2.0"
		}
		if i%2 == 0 {
			new.forDur = "10m"
		}
		d, err := Compare(c, clusterFiles(t, old), clusterFiles(t, new))
		if err != nil {
			t.Fatal(err)
		}
		rep.Clusters = append(rep.Clusters, d)
	}
	var out bytes.Buffer
	rep.Text(&out, false)
	text := out.String()
	for _, want := range []string{
		"\n13 clusters, in common (all but cluster-13):\n  cluster-00, cluster-01,",
		"\n7 clusters, in common:\n  cluster-00, cluster-02, cluster-04, cluster-06, cluster-08, cluster-10, cluster-12\n",
		"\ncluster-13\n", // nothing in common with the others
	} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	for _, line := range strings.Split(text, "\n") {
		if len(line) > textWidth && !strings.Contains(line, "image") {
			t.Errorf("line longer than %d: %q", textWidth, line)
		}
	}
	out.Reset()
	rep.Markdown(&out)
	md := out.String()
	if !strings.Contains(md, "#### 13 clusters, in common\n\nAll but `cluster-13`.\n\n<details><summary>The 13 clusters</summary>") {
		t.Errorf("markdown:\n%s", md)
	}
	if strings.Count(md, "<details>") != strings.Count(md, "</details>") {
		t.Errorf("unbalanced <details>:\n%s", md)
	}
}
