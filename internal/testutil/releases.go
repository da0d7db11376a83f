package testutil

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const nodeExporterComponent = "jsonnet/kube-prometheus/components/node-exporter.libsonnet"

// StandinReleases publishes the stand-in upstream as three releases and
// returns the bare repository: v0.18.0 (the stand-in as it is), v0.19.0
// (alert NodeMemoryHighUtilization: threshold 90 → 95, for 15m → 30m) and
// v0.20.0 (that alert's expression no longer parses).
func StandinReleases(t testing.TB) string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(RepoRoot(), "testdata", "standin", nodeExporterComponent))
	if err != nil {
		t.Fatal(err)
	}
	v19 := strings.Replace(string(src), "/ node_memory_MemTotal_bytes{%(nodeExporterSelector)s}) > 90'", "/ node_memory_MemTotal_bytes{%(nodeExporterSelector)s}) > 95'", 1)
	v19 = strings.Replace(v19, "'for': '15m',\n            labels: { severity: 'warning' },\n            annotations: {\n              summary: 'A node is short of memory.'", "'for': '30m',\n            labels: { severity: 'warning' },\n            annotations: {\n              summary: 'A node is short of memory.'", 1)
	if v19 == string(src) || !strings.Contains(v19, "'30m'") || !strings.Contains(v19, ") > 95'") {
		t.Fatal("the stand-in's NodeMemoryHighUtilization alert moved: update testutil.StandinReleases")
	}
	v20 := strings.Replace(v19, ") > 95'", ") > 95 +'", 1)
	return StandinRepo(t,
		Version{Tag: "v0.18.0"},
		Version{Tag: "v0.19.0", Files: map[string]string{nodeExporterComponent: v19}},
		Version{Tag: "v0.20.0", Files: map[string]string{nodeExporterComponent: v20}},
	)
}
