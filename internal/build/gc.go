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
// the same time, whose live heap (up to ~300 MiB with its VM's caches) must fit too — a limit under
// the live heap makes the collector run back to back.
func TuneGC(jobs, clusters int) int64 {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(MemoryLimit(Workers(jobs, clusters)))
	}
	return debug.SetMemoryLimit(-1)
}

// ShardBudget is the memory, per cluster in flight, that spreading one
// cluster over several VMs needs to pay off. Each VM parses and keeps its
// own copy of the imports (~50 MiB of syntax trees for kube-prometheus), so
// two VMs hold ~145 MiB live instead of ~110; under kpgen's default limit
// the collector then runs so often that two VMs take as long as one while
// burning 60% more CPU. With room to grow, two VMs finish a cluster in about
// 0.75× the time of one.
const ShardBudget = 1 << 30

// Shards is how many VMs render each cluster: jobs/workers when the memory
// limit leaves ShardBudget per cluster in flight, else one.
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
