package relabel

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/prometheus/prometheus/model/labels"
)

func prometheus(t *testing.T, external map[string]string, rw ...[]map[string]any) json.RawMessage {
	t.Helper()
	var writes []map[string]any
	for _, r := range rw {
		writes = append(writes, map[string]any{"url": "https://store.example.com", "writeRelabelConfigs": r})
	}
	b, err := json.Marshal(map[string]any{"spec": map[string]any{"externalLabels": external, "remoteWrite": writes}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestClusterLabelProblems(t *testing.T) {
	const tail = `: series would reach the remote store without this cluster's "cluster" label`
	ext := map[string]string{"cluster": "spoke-a", "environment": "prod"}
	tests := []struct {
		name     string
		external map[string]string
		configs  []map[string]any
		want     []string
	}{
		{"series filtering is fine", ext, []map[string]any{
			{"action": "drop", "sourceLabels": []string{"__name__"}, "regex": "go_.*"},
			{"action": "labeldrop", "regex": "pod_template_hash"},
			{"action": "labelkeep", "regex": "__name__|job|instance|cluster|environment"},
			{"action": "replace", "sourceLabels": []string{"environment"}, "targetLabel": "env"},
		}, nil},
		{"labeldrop matching cluster", ext, []map[string]any{{"action": "LabelDrop", "regex": "clus.*"}},
			[]string{`spec.remoteWrite[0].writeRelabelConfigs[0]: labeldrop's regex "clus.*" matches "cluster"` + tail}},
		{"labelkeep without cluster", ext, []map[string]any{{"action": "labelkeep", "regex": "__name__|job"}},
			[]string{`spec.remoteWrite[0].writeRelabelConfigs[0]: labelkeep's regex "__name__|job" does not match "cluster"` + tail}},
		{"replace into cluster, even conditionally", ext, []map[string]any{{"sourceLabels": []string{"job"}, "regex": "x", "targetLabel": "cluster", "replacement": "other"}},
			[]string{`spec.remoteWrite[0].writeRelabelConfigs[0]: action replace writes target_label "cluster"` + tail}},
		{"target label from the series", ext, []map[string]any{{"sourceLabels": []string{"job"}, "regex": "(.*)", "targetLabel": "${1}"}},
			[]string{`spec.remoteWrite[0].writeRelabelConfigs[0]: action replace writes a target_label made from the series ("${1}"), which may be "cluster"` + tail}},
		{"labelmap onto cluster", ext, []map[string]any{{"action": "labelmap", "regex": "environment", "replacement": "cluster"}},
			[]string{`spec.remoteWrite[0].writeRelabelConfigs[0]: labelmap writes "cluster"` + tail}},
		{"labelmap with a template writing another name", ext, []map[string]any{{"action": "labelmap", "regex": "environ(.*)", "replacement": "clust${1}"}},
			nil},
		{"labelmap of a matched label onto cluster", ext, []map[string]any{{"action": "labelmap", "regex": "enviro(n)ment", "replacement": "cluster"}},
			[]string{`spec.remoteWrite[0].writeRelabelConfigs[0]: labelmap writes "cluster"` + tail}},
		{"no cluster external label: nothing to keep", map[string]string{"region": "eu"}, []map[string]any{{"action": "labeldrop", "regex": "cluster"}}, nil},
		{"bad regex", ext, []map[string]any{{"action": "drop", "regex": "("}},
			[]string{"spec.remoteWrite[0].writeRelabelConfigs[0].regex: error parsing regexp: missing closing ): `^(?s:()$`"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ClusterLabelProblems(prometheus(t, tt.external, tt.configs))
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// labelmap with a template that turns "environment" into "cluster…" —
// "clustment" here — leaves cluster alone; one whose output is exactly
// "cluster" from another label is caught by replaying a sample series.
func TestClusterLabelProblemsSampleSeries(t *testing.T) {
	ext := map[string]string{"cluster": "spoke-a", "clusterx": "b"}
	got := ClusterLabelProblems(prometheus(t, ext, []map[string]any{{"action": "labelmap", "regex": "(cluster)x", "replacement": "${1}"}}))
	want := []string{`spec.remoteWrite[0].writeRelabelConfigs: a series leaves with cluster="b" instead of "spoke-a": series would reach the remote store without this cluster's "cluster" label`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestConvertDefaults(t *testing.T) {
	cfgs, err := Convert([]CRDConfig{{SourceLabels: []string{"a", "b"}, TargetLabel: "c"}})
	if err != nil {
		t.Fatal(err)
	}
	out, kept := Process(labels.FromStrings("a", "x", "b", "y"), cfgs)
	if !kept || out.Get("c") != "x;y" {
		t.Errorf("default separator, regex and replacement: got %v kept=%v, want c=\"x;y\"", out, kept)
	}
	if _, err := Convert([]CRDConfig{{Action: "hashmod", TargetLabel: "h"}}); err == nil {
		t.Error("hashmod without modulus: no error")
	}
}
