// Package libtest tests kpgen's Jsonnet library (jsonnet/lib) through the Go
// renderer, on the stand-in upstream (testdata/standin): the vars schema and
// its problems, deep merging onto the defaults, the wiring that lets
// Prometheus see our mixins' targets, the kubelet and rules patches, and
// golden output of the example clusters (testdata/golden, refreshed with
// `go test ./internal/libtest -update`). FuzzVarsSchema fuzzes the vars
// schema (seed corpus in testdata/fuzz/FuzzVarsSchema).
package libtest
