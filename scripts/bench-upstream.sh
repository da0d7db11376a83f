#!/usr/bin/env bash
# bench-upstream.sh: kpgen against upstream kube-prometheus' own pipeline, on
# the real kube-prometheus, on this machine. See docs/performance.md.
#
# Runs, alternately, RUNS times (default 5):
#   upstream   upstream's build.sh pipeline on a kube-prometheus checkout:
#              jsonnet -J vendor -m DIR examples/kustomize.jsonnet
#                | xargs -I{} sh -c 'cat {} | gojsontoyaml > {}.yaml' -- {}
#              then the non-YAML files deleted, kustomization.yaml moved up
#   kpgen-1    kpgen build --no-cache vars/upstream-defaults.jsonnet (empty output directory)
#   kpgen-8    kpgen build --no-cache of 8 copies of it with different cluster names
#   kpgen-8v   kpgen build --no-cache of 8 varied clusters: the repository's
#              three example vars files, each twice or thrice, with other
#              names, retention, replicas or kubelet thresholds (a mixed
#              fleet: how much the clusters share depends on how alike they are)
#   cached     kpgen build of the same cluster again: nothing changed, the cache answers
# and prints the medians (wall time and peak RSS from /usr/bin/time) and the
# ratios against the targets. It checks that kpgen's out/upstream-defaults/
# is identical (diff -r) to upstream's output, and that the 8 clusters'
# outputs are identical to it too (with upstream-defaults' vars, the name
# appears in no file).
#
# Everything happens in a temporary directory: kpgen runs on a copy of the
# checkout's jsonnet/ and vars/ (so its cache and output stay out of the
# checkout). Nothing this script produces is to be committed.
#
# Usage: scripts/bench-upstream.sh [-n RUNS] [--kp DIR] [--bin DIR] [--kpgen BINARY] [--keep]
#   -n, --runs N     rounds (default 5; env RUNS)
#   --kp DIR         kube-prometheus v0.18.0 checkout with its vendor/ filled
#                    (default /work/upstream/kp-v0.18.0; env KP_DIR)
#   --bin DIR        directory holding upstream's tools: jsonnet (go-jsonnet)
#                    and gojsontoyaml (default /work/upstream/bin; env
#                    UPSTREAM_BIN); they are also looked up on PATH
#   --kpgen BINARY   kpgen to measure (default: built from this checkout; env KPGEN)
#   --keep           keep the temporary directory
#
# Needs: this checkout with the REAL kube-prometheus vendored in jsonnet/vendor
# (./build.sh or `kpgen vendor`), GNU time as /usr/bin/time (apt-get install
# time), go (to build kpgen), diff, awk.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
RUNS=${RUNS:-5}
KP_DIR=${KP_DIR:-/work/upstream/kp-v0.18.0}
UPSTREAM_BIN=${UPSTREAM_BIN:-/work/upstream/bin}
KPGEN=${KPGEN:-}
KEEP=0

die() {
	echo "bench-upstream: $*" >&2
	exit 1
}
usage() {
	sed -n '/^# Usage:/,/^#   --keep/p' "$0" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	-n | --runs) RUNS=${2:?}; shift 2 ;;
	--kp) KP_DIR=${2:?}; shift 2 ;;
	--bin) UPSTREAM_BIN=${2:?}; shift 2 ;;
	--kpgen) KPGEN=${2:?}; shift 2 ;;
	--keep) KEEP=1; shift ;;
	-h | --help) usage ;;
	*) echo "bench-upstream: unknown argument: $1" >&2; usage ;;
	esac
done

# --- prerequisites ---------------------------------------------------------
case $RUNS in '' | *[!0-9]* | 0) die "RUNS must be a positive integer, got '$RUNS'" ;; esac
[ -x /usr/bin/time ] && /usr/bin/time -f '%e %M' true 2>/dev/null >&2 ||
	die "GNU time is needed as /usr/bin/time (for wall time and peak RSS): apt-get install time"
export PATH="$UPSTREAM_BIN:$PATH"
JSONNET=$(command -v jsonnet) || die "upstream's jsonnet (go-jsonnet) not found in $UPSTREAM_BIN or on PATH: go install github.com/google/go-jsonnet/cmd/jsonnet@v0.22.0 (the version kube-prometheus v0.18.0 pins), or pass --bin DIR"
GOJSONTOYAML=$(command -v gojsontoyaml) || die "gojsontoyaml not found in $UPSTREAM_BIN or on PATH: go install github.com/brancz/gojsontoyaml@v0.1.0, or pass --bin DIR"
"$JSONNET" --version 2>/dev/null | grep -qi 'go implementation' ||
	die "$JSONNET is not go-jsonnet (upstream's pipeline uses go-jsonnet's jsonnet)"
[ -f "$KP_DIR/examples/kustomize.jsonnet" ] ||
	die "no kube-prometheus checkout at $KP_DIR ($KP_DIR/examples/kustomize.jsonnet is missing): pass --kp DIR or set KP_DIR"
[ -f "$KP_DIR/vendor/kube-prometheus/main.libsonnet" ] ||
	die "$KP_DIR/vendor is not filled: run 'jb install' in $KP_DIR"
REAL="$ROOT/jsonnet/vendor/github.com/prometheus-operator/kube-prometheus/jsonnet/kube-prometheus"
[ -f "$REAL/main.libsonnet" ] ||
	die "$ROOT/jsonnet/vendor has no kube-prometheus: run ./build.sh or 'kpgen vendor' first"
# The test stand-ins have no prometheus-adapter component; the real one has.
[ -f "$REAL/components/prometheus-adapter.libsonnet" ] ||
	die "$ROOT/jsonnet/vendor holds a stand-in, not the real kube-prometheus: run 'kpgen vendor' in $ROOT"
[ -f "$ROOT/vars/upstream-defaults.jsonnet" ] || die "$ROOT/vars/upstream-defaults.jsonnet is missing"
command -v diff >/dev/null || die "diff not found"
command -v awk >/dev/null || die "awk not found"

T=$(mktemp -d "${TMPDIR:-/tmp}/kpgen-bench-upstream.XXXXXX")
if [ "$KEEP" = 1 ]; then
	echo "keeping $T"
else
	trap 'rm -rf "$T"' EXIT
fi

if [ -z "$KPGEN" ]; then
	command -v go >/dev/null || die "go not found (needed to build kpgen; or pass --kpgen BINARY)"
	(cd "$ROOT" && go build -o "$T/kpgen" ./cmd/kpgen) || die "building kpgen failed"
	KPGEN=$T/kpgen
fi
[ -x "$KPGEN" ] || die "$KPGEN is not an executable"

# kpgen works on a copy: its cache and output stay in $T.
export KPGEN_CACHE=$T/cache
P=$T/project
mkdir -p "$P"
cp -a "$ROOT/jsonnet" "$P/jsonnet"
mkdir -p "$P/vars" "$T/vars8"
cp "$ROOT/vars/upstream-defaults.jsonnet" "$P/vars/"
for i in 1 2 3 4 5 6 7 8; do
	printf "(import '%s') + { cluster+: { name: 'upstream-defaults-%d' } }\n" "$P/vars/upstream-defaults.jsonnet" "$i" >"$T/vars8/upstream-defaults-$i.jsonnet"
done
mkdir -p "$T/vars8v"
cp "$ROOT/vars/example-aws.jsonnet" "$ROOT/vars/example-baremetal.jsonnet" "$P/vars/"
varied() { printf "(import '%s') + %s\n" "$P/vars/$2.jsonnet" "$3" >"$T/vars8v/$1.jsonnet"; }
varied aws-a example-aws "{ cluster+: { name: 'aws-a' } }"
varied aws-b example-aws "{ cluster+: { name: 'aws-b' }, prometheus+: { retention: '30d' } }"
varied aws-c example-aws "{ cluster+: { name: 'aws-c' }, prometheus+: { replicas: 3 } }"
varied aws-d example-aws "{ cluster+: { name: 'aws-d' }, prometheus+: { replicas: 3, retention: '7d' } }"
varied bm-a example-baremetal "{ cluster+: { name: 'bm-a' } }"
varied bm-b example-baremetal "{ cluster+: { name: 'bm-b' }, kubelet+: { certExpirationWarningSeconds: 700000 } }"
varied up-a upstream-defaults "{ cluster+: { name: 'up-a' } }"
varied up-b upstream-defaults "{ cluster+: { name: 'up-b' }, prometheus+: { retention: '7d' } }"
# kpgen's own GC policy applies only when the user set none.
unset GOGC GOMEMLIMIT

# measure NAME CMD...: runs CMD under /usr/bin/time, appends "wall maxrss_kb" to $T/NAME.times.
measure() {
	local name=$1
	shift
	if ! /usr/bin/time -f '%e %M' -o "$T/last.time" "$@" >"$T/last.out" 2>&1; then
		cat "$T/last.out" >&2
		die "$name failed: $*"
	fi
	tail -n 1 "$T/last.time" >>"$T/$name.times"
}

# upstream's build.sh, writing into $T/up instead of the checkout's manifests/.
upstream() {
	rm -rf "$T/up"
	mkdir -p "$T/up/manifests/setup"
	measure upstream bash -c 'set -eo pipefail
		cd "$2"
		jsonnet -J vendor -m "$1/manifests" examples/kustomize.jsonnet | xargs -I{} sh -c "cat {} | gojsontoyaml > {}.yaml" -- {}
		find "$1/manifests" -type f ! -name "*.yaml" -delete
		mv "$1/manifests/kustomization.yaml" "$1/"' bash "$T/up" "$KP_DIR"
}

kpgen1() {
	rm -rf "$T/kp1"
	measure kpgen-1 "$KPGEN" build --root "$P" --no-cache --quiet --out "$T/kp1" "$P/vars/upstream-defaults.jsonnet"
}

kpgen8() {
	rm -rf "$T/kp8"
	measure kpgen-8 "$KPGEN" build --root "$P" --no-cache --quiet --out "$T/kp8" "$T"/vars8/*.jsonnet
}

kpgen8v() {
	rm -rf "$T/kp8v"
	measure kpgen-8v "$KPGEN" build --root "$P" --no-cache --quiet --out "$T/kp8v" "$T"/vars8v/*.jsonnet
}

cached() {
	measure cached "$KPGEN" build --root "$P" --quiet --out "$T/kpc" "$P/vars/upstream-defaults.jsonnet"
}

load() { awk '{ print $1, $2, $3 }' /proc/loadavg 2>/dev/null || uptime; }

echo "kpgen vs upstream's pipeline, kube-prometheus $(git -C "$KP_DIR" describe --tags 2>/dev/null || echo '(unknown version)')"
echo "machine: $(nproc) CPUs, $(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null), $(awk '/^MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null)"
echo "tools: $("$JSONNET" --version 2>&1 | head -n 1); gojsontoyaml $GOJSONTOYAML; kpgen $("$KPGEN" version 2>/dev/null || echo '?')"
echo "load average before: $(load)"
echo

# The cache needs one build before it can answer.
"$KPGEN" build --root "$P" --quiet --out "$T/kpc" "$P/vars/upstream-defaults.jsonnet" >/dev/null 2>&1 ||
	die "kpgen build failed: $KPGEN build --root $P --out $T/kpc $P/vars/upstream-defaults.jsonnet"

for r in $(seq 1 "$RUNS"); do
	upstream
	kpgen1
	kpgen8
	kpgen8v
	cached
	printf 'round %d/%d: upstream %ss  kpgen-1 %ss  kpgen-8 %ss  kpgen-8v %ss  cached %ss  (load %s)\n' "$r" "$RUNS" \
		"$(tail -n 1 "$T/upstream.times" | cut -d' ' -f1)" "$(tail -n 1 "$T/kpgen-1.times" | cut -d' ' -f1)" \
		"$(tail -n 1 "$T/kpgen-8.times" | cut -d' ' -f1)" "$(tail -n 1 "$T/kpgen-8v.times" | cut -d' ' -f1)" \
		"$(tail -n 1 "$T/cached.times" | cut -d' ' -f1)" "$(load)"
done
echo

# The cached rebuilds must have come from the cache.
"$KPGEN" build --root "$P" --out "$T/kpc" "$P/vars/upstream-defaults.jsonnet" 2>&1 | grep -q '(cached)' ||
	die "the rebuild of an unchanged cluster was not answered by the cache"

# Same output: kpgen's and upstream's, and each of the 8 clusters'.
if ! diff -r "$T/up" "$T/kp1/upstream-defaults" >"$T/diff.out"; then
	head -n 40 "$T/diff.out" >&2
	die "kpgen's out/upstream-defaults differs from upstream's output (diff -r above)"
fi
for i in 1 2 3 4 5 6 7 8; do
	diff -r "$T/kp1/upstream-defaults" "$T/kp8/upstream-defaults-$i" >/dev/null ||
		die "cluster upstream-defaults-$i of the 8-cluster build differs from the single-cluster build"
done
echo "output: kpgen's out/upstream-defaults is identical to upstream's (diff -r), and so are the 8 clusters' outputs"
echo

# median FILE COLUMN
median() {
	cut -d' ' -f"$2" "$1" | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }

UW=$(median "$T/upstream.times" 1) UM=$(median "$T/upstream.times" 2)
K1W=$(median "$T/kpgen-1.times" 1) K1M=$(median "$T/kpgen-1.times" 2)
K8W=$(median "$T/kpgen-8.times" 1) K8M=$(median "$T/kpgen-8.times" 2)
K8VW=$(median "$T/kpgen-8v.times" 1) K8VM=$(median "$T/kpgen-8v.times" 2)
CW=$(median "$T/cached.times" 1) CM=$(median "$T/cached.times" 2)

printf 'medians of %d alternating runs (wall time; peak RSS of the largest process)\n' "$RUNS"
printf '  %-44s %8ss %8s MiB\n' "upstream pipeline (jsonnet -m | gojsontoyaml)" "$UW" "$(mib "$UM")"
printf '  %-44s %8ss %8s MiB\n' "kpgen build, 1 cluster" "$K1W" "$(mib "$K1M")"
printf '  %-44s %8ss %8s MiB\n' "kpgen build, 8 clusters (names differ)" "$K8W" "$(mib "$K8M")"
printf '  %-44s %8ss %8s MiB\n' "kpgen build, 8 varied clusters" "$K8VW" "$(mib "$K8VM")"
printf '  %-44s %8ss %8s MiB\n' "kpgen build, 1 cluster, unchanged (cached)" "$CW" "$(mib "$CM")"
echo
check() { awk -v v="$1" -v t="$2" 'BEGIN { print (v <= t) ? "ok" : "MISSED" }'; }
R1=$(ratio "$K1W" "$UW") RM=$(ratio "$K1M" "$UM") R8=$(ratio "$K8W" "$K1W") R8V=$(ratio "$K8VW" "$K1W") RC=$(ratio "$CW" "$K1W")
printf 'ratios                                     value   target\n'
printf '  kpgen/upstream wall, 1 cluster          %6s  <= 0.5   %s\n' "$R1" "$(check "$R1" 0.5)"
printf '  kpgen/upstream peak RSS, 1 cluster      %6s  <= 1.5   %s\n' "$RM" "$(check "$RM" 1.5)"
printf '  kpgen 8 clusters / 1 cluster, wall      %6s  <= 3     %s\n' "$R8" "$(check "$R8" 3)"
printf '  kpgen 8 varied clusters / 1 cluster     %6s  <= 3     %s\n' "$R8V" "$(check "$R8V" 3)"
printf '  kpgen cached / full build, wall         %6s  <= 0.05  %s\n' "$RC" "$(check "$RC" 0.05)"
echo
echo "load average after: $(load)"
echo "raw times (wall s, peak RSS KiB): $T/*.times$([ "$KEEP" = 1 ] || echo ' (removed; --keep keeps them)')"
for n in upstream kpgen-1 kpgen-8 kpgen-8v cached; do
	printf '  %-9s %s\n' "$n" "$(tr '\n' ';' <"$T/$n.times" | sed 's/;$//; s/;/; /g')"
done
