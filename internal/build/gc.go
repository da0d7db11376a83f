package build

import (
	"os"
	"runtime/debug"
)

// TuneGC sets kpgen's garbage-collection policy for a run with the given
// number of Jsonnet VMs, unless the user set GOGC or GOMEMLIMIT.
//
// go-jsonnet allocates heavily and most of it dies young: with Go's default
// (collect whenever the heap doubles) a kube-prometheus render spends about a
// third of its CPU in the collector, marking the same ~110 MiB of live values
// over and over. kpgen lets the heap grow 5× between collections instead, and
// sets a soft memory limit that brings collections back as the heap nears it:
// at least 340 MiB (one cluster stays well under 1.5× upstream's pipeline),
// plus room for each further VM's live heap when many run at once.
func TuneGC(vms int) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit(vms))
	}
}

func memoryLimit(vms int) int64 {
	const mib = 1 << 20
	return max(340*mib, (160+96*int64(max(1, vms)))*mib)
}
