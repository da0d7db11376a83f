package build

import (
	"os"
	"runtime/debug"
)

// TuneGC sets kpgen's garbage-collection policy for a run of the given
// number of clusters with -j jobs, unless the user set GOGC or GOMEMLIMIT,
// and returns the soft memory limit in force.
//
// go-jsonnet allocates heavily and most of it dies young: with Go's default
// (collect whenever the heap doubles) a kube-prometheus render spends about a
// third of its CPU in the collector, marking the same live values over and
// over. kpgen lets the heap grow 5× between collections instead, under a soft
// memory limit that brings collections back as the heap nears it: 340 MiB for
// one cluster in flight (however many VMs share it: peak memory stays under
// 1.5× upstream's pipeline), plus 384 MiB for each further cluster rendered at
// the same time, whose live heap must fit too — a limit under the live heap
// makes the collector run back to back.
func TuneGC(jobs, clusters int) int64 {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(MemoryLimit(Workers(jobs, clusters)))
	}
	return debug.SetMemoryLimit(-1)
}

// ShardBudget is the memory, per cluster in flight, below which a cluster is
// not spread over several VMs. The VMs of a run share the parsed Jsonnet
// (render.Program), so a second VM on a cluster costs only its working set
// (~50 MiB for kube-prometheus): kpgen's default limit for one cluster
// leaves room for it, a user's tight GOMEMLIMIT may not.
const ShardBudget = 300 << 20

// Shards is how many VMs render each cluster: the CPUs left over when fewer
// clusters than -j are in flight (jobs/workers), unless the memory limit
// leaves less than ShardBudget per cluster.
func Shards(jobs, clusters int, limit int64) int {
	w := Workers(jobs, clusters)
	if limit/int64(w) < ShardBudget {
		return 1
	}
	return max(1, max(1, jobs)/w)
}

// Workers is how many clusters a run renders at the same time.
func Workers(jobs, clusters int) int { return max(1, min(jobs, clusters)) }

// MemoryLimit is the soft memory limit for that many clusters in flight.
func MemoryLimit(workers int) int64 {
	const mib = 1 << 20
	return (340 + 384*int64(max(1, workers)-1)) * mib
}
