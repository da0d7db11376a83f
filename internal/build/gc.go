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
		debug.SetMemoryLimit(MemoryLimit(Workers(jobs, clusters), clusters))
	}
	return debug.SetMemoryLimit(-1)
}

// ShardBudget is the memory, per cluster in flight, below which a cluster is
// not spread over several VMs. The VMs of a run share the parsed Jsonnet
// (render.Program), so a second VM on a cluster costs only its working set
// (~50 MiB for kube-prometheus): kpgen's default limit for one cluster
// leaves room for it, a user's tight GOMEMLIMIT may not.
const ShardBudget = 300 << 20

// Shards is how many VMs render each cluster: -j shared by the clusters in
// flight, unless the memory limit leaves less than ShardBudget per cluster
// (then one each, and no more clusters in flight: see Run).
func Shards(jobs, clusters int, limit int64) int {
	w := Workers(jobs, clusters)
	if limit/int64(w) < ShardBudget {
		return 1
	}
	return max(1, max(1, jobs)/w)
}

// Workers is how many clusters a run renders at the same time: one per 4
// CPUs of -j, at most one per cluster. A cluster spreads well over a few VMs
// (render.FilesParallel), and clusters rendered one after the other share
// their work through the memo; two similar clusters rendered at the same
// time would compute the same units twice.
func Workers(jobs, clusters int) int { return max(1, min(clusters, (max(1, jobs)+3)/4)) }

// MemoryLimit is the soft memory limit for that many clusters in flight in a
// run of that many clusters: 340 MiB for one, 384 MiB for each further one,
// and 256 MiB for what a run of several clusters shares (render.Memo, the
// YAML memo and validate.Memo are bounded by 128, 64 and 64 MiB).
func MemoryLimit(workers, clusters int) int64 {
	const mib = 1 << 20
	limit := 340 + 384*int64(max(1, workers)-1)
	if clusters > 1 {
		limit += 256
	}
	return limit * mib
}
