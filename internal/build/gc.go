package build

import (
	"os"
	"runtime/debug"
)

// TuneGC sets kpgen's garbage-collection policy for a run with the given
// number of Jsonnet VMs, unless the user set GOGC or GOMEMLIMIT.
//
// go-jsonnet allocates heavily and most of it dies young; with Go's default
// (collect when the heap doubles) a kube-prometheus render spends about a
// third of its CPU in the collector. kpgen lets the heap grow 5× between
// collections, and a soft memory limit — 192 MiB per VM — brings collections
// back as the heap approaches it, so peak memory stays bounded.
func TuneGC(vms int) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(int64(max(1, vms)) * 192 << 20)
	}
}
