package explain

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestExplain(t *testing.T) {
	config := `{"cluster":{"name":"prod","environment":"production"},"prometheus":{"replicas":2,"retention":"30d","externalLabels":{"cluster":"prod","team.name":"x"},"remoteWrite":[]},"namespace":"monitoring","mixins":{}}`
	layers := []Layer{
		{Label: "platform defaults", Value: json.RawMessage(`{"prometheus":{"retention":"15d","externalLabels":{"team.name":"x"}}}`)},
		{Label: "preset production", Value: json.RawMessage(`{"prometheus":{"replicas":2,"retention":"30d"}}`)},
		{Label: "vars/prod.jsonnet", Value: json.RawMessage(`{"cluster":{"name":"prod","environment":"production"}}`)},
	}
	got, err := Explain(json.RawMessage(config), layers)
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{
		{"cluster.environment", "production", "vars/prod.jsonnet"},
		{"cluster.name", "prod", "vars/prod.jsonnet"},
		{"mixins", map[string]any{}, Default},
		{"namespace", "monitoring", Default},
		{"prometheus.externalLabels.cluster", "prod", Default},
		{`prometheus.externalLabels["team.name"]`, "x", "platform defaults"},
		{"prometheus.remoteWrite", []any{}, Default},
		{"prometheus.replicas", json.Number("2"), "preset production"},
		{"prometheus.retention", "30d", "preset production"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%v\nwant\n%v", got, want)
	}
}
