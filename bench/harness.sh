#!/bin/bash
# Benchmark of the runner itself (not a test): harness overhead per batch
# size, run-to-run stability beside `perf bench syscall basic`, and an A/A
# comparison inside one process. Prints every figure; keeps the raw result
# files in build/harness-<utc>/.
#   harness.sh UABENCH
set -eu

uabench=$(realpath "$1")
cpu=${HARNESS_CPU:-1}
out=build/harness-$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"

# perf may be Debian's version-checking wrapper; use the real binary.
perf=perf
for p in /usr/bin/perf_*; do
	[ -x "$p" ] && perf=$p
done

# Number of column NAME in FILE's column line (names: include/uab_schema.h).
col() {
	grep -v '^#' "$1" | head -n 1 | tr ',' '\n' | grep -nx "$2" | cut -d: -f1
}

# Rows of FILE for workload W: the given columns. One counter here (a
# clock: one row per batch).
rows_of() {
	local file=$1 w=$2
	shift 2
	local cols=""
	for c in "$@"; do
		cols="$cols${cols:+,}$(col "$file" "$c")"
	done
	grep -v '^#' "$file" | awk -F, -v w="$w" -v wc="$(col "$file" workload)" \
		-v cols="$cols" 'NR > 1 && $wc == w {
			n = split(cols, c, ","); line = $c[1]
			for (i = 2; i <= n; i++) line = line "," $c[i]
			print line }'
}

per_op() {
	rows_of "$1" "$2" per_op
}

median() {
	sort -g | awk '{ v[NR] = $1 }
		END { if (NR % 2) print v[(NR + 1) / 2];
		      else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

hz_of() {
	sed -n 's/^# tsc_hz=//p' "$1"
}

ops_of() {
	rows_of "$1" "$2" ops | head -n 1
}

# mean, sample standard deviation and CV of stdin numbers.
stats() {
	awk '{ x[NR] = $1; s += $1 }
		END { m = s / NR; for (i = 1; i <= NR; i++) d += (x[i] - m) ^ 2;
		      sd = sqrt(d / (NR - 1));
		      printf "mean %.4f  sd %.4f  CV %.2f %%\n", m, sd, 100 * sd / m }'
}

run() {
	local file=$1
	shift
	"$uabench" --cpu "$cpu" --out "$file" "$@" >/dev/null 2>"$file.log"
}

echo "uabench harness benchmark, $(date -u +%FT%TZ), $(nproc) CPUs, pinned to CPU $cpu"
echo "raw results: $out"
echo
echo "(1) cost per null operation by batch size (median of batches, TSC ticks)"
printf '%8s %10s %12s %12s %10s\n' ops/batch batches null noop noop/null
for n in 1 10 100 1000 10000; do
	case $n in
	1 | 10 | 100) b=20000 ;;
	1000) b=2000 ;;
	*) b=200 ;;
	esac
	f=$out/iters-$n.csv
	run "$f" --bench null,noop --iters "$n" --batches "$b"
	null=$(per_op "$f" null | median)
	noop=$(per_op "$f" noop | median)
	awk -v n="$n" -v b="$b" -v a="$null" -v o="$noop" \
		'BEGIN { printf "%8d %10d %12.1f %12.2f %9.3f%%\n", n, b, a, o, 100 * o / a }'
done
echo
echo "harness overhead at the default batch size"
f=$out/auto.csv
run "$f" --bench null --min-time 2
n=$(ops_of "$f" null)
null=$(per_op "$f" null | median)
f2=$out/auto-noop.csv
run "$f2" --bench noop --iters "$n" --batches 2000
noop=$(per_op "$f2" noop | median)
awk -v n="$n" -v a="$null" -v o="$noop" 'BEGIN {
	printf "  null: %d ops/batch, %.1f ticks/op; empty op at that batch size: %.2f ticks/op\n", n, a, o
	printf "  harness overhead = empty/null = %.3f %% (target < 0.5 %%)\n", 100 * o / a }'
echo
echo "(2) stability: 10 invocations of 2 s, each beside perf bench syscall basic -l 2000000"
: >"$out/stab-uab.txt"
: >"$out/stab-perf.txt"
for i in $(seq 1 10); do
	f=$out/stab-$i.csv
	run "$f" --bench null --min-time 2
	per_op "$f" null | median |
		awk -v hz="$(hz_of "$f")" '{ printf "%.2f\n", $1 / hz * 1e9 }' >>"$out/stab-uab.txt"
	taskset -c "$cpu" "$perf" bench syscall basic -l 2000000 2>/dev/null |
		awk '/usecs\/op/ { printf "%.2f\n", $1 * 1000 }' >>"$out/stab-perf.txt"
done
echo "  uabench null, ns/op:  $(tr '\n' ' ' <"$out/stab-uab.txt")"
echo "    $(stats <"$out/stab-uab.txt")"
echo "  perf bench, ns/op:    $(tr '\n' ' ' <"$out/stab-perf.txt")"
echo "    $(stats <"$out/stab-perf.txt")"
echo
echo "(3) A/A in one process: --bench null,null, 10 invocations of 2 s per cell"
: >"$out/aa-median.txt"
: >"$out/aa-paired.txt"
for i in $(seq 1 10); do
	f=$out/aa-$i.csv
	run "$f" --bench null,null --min-time 2
	a=$(per_op "$f" null | median)
	b=$(per_op "$f" null~2 | median)
	awk -v a="$a" -v b="$b" 'BEGIN { printf "%.5f\n", a / b }' >>"$out/aa-median.txt"
	# Paired: the two cells of one round ran back to back.
	{
		rows_of "$f" null round per_op | sed 's/^/a,/'
		rows_of "$f" null~2 round per_op | sed 's/^/b,/'
	} | awk -F, '$1 == "a" { a[$2] = $3 } $1 == "b" { b[$2] = $3 }
		END { for (r in a) if (r in b) print a[r] / b[r] }' |
		median | awk '{ printf "%.5f\n", $1 }' >>"$out/aa-paired.txt"
done
echo "  ratio of medians null/null~2: $(tr '\n' ' ' <"$out/aa-median.txt")"
echo "    $(stats <"$out/aa-median.txt")"
awk '{ s += $1; x[NR] = $1 } END { m = s / NR; for (i = 1; i <= NR; i++) d += (x[i] - m) ^ 2;
	printf "    bias %+.3f %% (target within +-0.2 %%), spread (sd) %.3f %% (target <= 0.3 %%)\n",
	100 * (m - 1), 100 * sqrt(d / (NR - 1)) }' "$out/aa-median.txt"
echo "  median of paired per-round ratios: $(tr '\n' ' ' <"$out/aa-paired.txt")"
awk '{ s += $1; x[NR] = $1 } END { m = s / NR; for (i = 1; i <= NR; i++) d += (x[i] - m) ^ 2;
	printf "    bias %+.3f %%, spread (sd) %.3f %%\n", 100 * (m - 1), 100 * sqrt(d / (NR - 1)) }' \
	"$out/aa-paired.txt"
