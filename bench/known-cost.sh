#!/bin/bash
# make bench-known-cost: the instrument's figures against a known truth.
# Runs configs/known-cost.matrix RUNS times (default 3) at each D of
# TICKS (default 4000 400 40: about 100 %, 10 % and 1 % of a 64-byte
# module read under QEMU TCG), QUICK=1 BOOTS=3 each, and prints per D:
#   coverage: the 95 % intervals of the absolute difference (instrument.csv)
#     that cover their truth (D x accesses; 0 off the module);
#   detection: injected cells whose overhead interval excludes 0, split by
#     whether the run's MDE (detectable_pct, 80 % power) claimed to see the
#     truth (truth % of the plain cost at or above the MDE) or not;
#   A/A: cells of plain-aa against plain that differ after FDR control;
#   in-boot: boots whose uabench --calibrate D recovered D.
# A benchmark, not a test: figures, no verdict. Resumable: a finished run
# (its report) is kept and counted; OUT=<dir> to resume one (default
# data/known-cost-<utc>). Results are written to temporaries and renamed.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
runs=${RUNS:-3}
ticks=${TICKS:-4000 400 40}
out=${OUT:-data/known-cost-$(date -u +%Y%m%dT%H%M%SZ)}
[[ $runs =~ ^[1-9][0-9]?$ ]] || { echo "known-cost: RUNS must be 1..99, not '$runs'" >&2; exit 2; }
for d in $ticks; do
	[[ $d =~ ^[1-9][0-9]{0,5}$ && $d -le 500000 ]] ||
		{ echo "known-cost: each of TICKS must be 1..500000, not '$d'" >&2; exit 2; }
done
mkdir -p "$out"

# matrix_for D FILE: known-cost.matrix with the inject entry at D.
matrix_for() {
	sed -E "s/inject_ticks=4000/inject_ticks=$1/; s/uaccess_bench\.inject_ticks=4000/uaccess_bench.inject_ticks=$1/" \
		configs/known-cost.matrix >"$2.tmp"
	grep -q "inject_ticks=$1 " "$2.tmp" || { echo "known-cost: configs/known-cost.matrix has no inject_ticks=4000 entry" >&2; exit 1; }
	mv "$2.tmp" "$2"
}

# One run: lab boots, then its report (the mark that it is finished).
for d in $ticks; do
	for r in $(seq 1 "$runs"); do
		dir=$out/d$d-r$r
		if [ -s "$dir/report/REPORT.md" ]; then
			echo "known-cost: D=$d run $r: done already"
			continue
		fi
		mkdir -p "$dir"
		matrix_for "$d" "$dir/known-cost.matrix"
		echo "known-cost: D=$d run $r of $runs"
		QUICK=1 BOOTS=3 CALIBRATE="$d" DATA="$dir" RUN="$dir/run" \
			lab/run-matrix "$dir/known-cost.matrix" >"$dir/run.log" 2>&1 ||
			{ echo "known-cost: run failed, see $dir/run.log" >&2; exit 1; }
		rm -rf "$dir/report.tmp"
		analysis/uareport --out "$dir/report.tmp" "$dir/run" >/dev/null
		mv "$dir/report.tmp" "$dir/report"
	done
done

# figures D: one line of the table, over that D's runs.
figures() {
	local d=$1 f
	for f in "$out"/d"$d"-r*/report; do
		# stream per run: instrument, cost, overhead, inboot, REPORT's A/A
		awk -F, -v r="$f" '
			FNR == 1 { file++; next }
			file == 1 && $9 != "nan" && $9 != "" {
				print "cov", $11
				if ($7 > 0) truth[$3 "/" $4] = $7
			}
			file == 2 && $5 == "plain" && $4 == "tsc" { base[$2 "/" $3] = $9 }
			file == 3 && $6 == "inject" && $7 == "plain" && $4 == "tsc" &&
			    ($2 "/" $3) in truth && base[$2 "/" $3] > 0 && $25 != "" {
				k = $2 "/" $3
				claimed = 100 * truth[k] / base[k] >= $25
				print "det", claimed, ($14 > 0)
			}
			file == 4 { print "inboot", ($10 == "recovered") }
		' "$f/instrument.csv" "$f/cost.csv" "$f/overhead.csv" "$f/inboot.csv"
		sed -nE 's/^A\/A: of ([0-9]+) cells compared .*, ([0-9]+) differ after FDR.*/aa \1 \2/p' "$f/REPORT.md"
	done | awk -v d="$d" '
		$1 == "cov" { n++; c += $2 }
		$1 == "det" && $2 { cn++; cd += $3 }
		$1 == "det" && !$2 { un++; ud += $3 }
		$1 == "aa" { an += $2; ad += $3 }
		$1 == "inboot" { bn++; bd += $2 }
		function pct(a, b) { return b ? sprintf("%5.1f %%", 100 * a / b) : "    -  " }
		END {
			printf "%7d  %4d/%-4d %s  %3d/%-3d %s  %3d/%-3d %s  %3d/%-3d  %3d/%-3d\n",
				d, c, n, pct(c, n), cd, cn, pct(cd, cn), ud, un, pct(ud, un),
				ad, an, bd, bn
		}'
}

tmp=$out/summary.txt.tmp
{
	echo "known-cost benchmark: $runs runs of configs/known-cost.matrix (QUICK=1, BOOTS=3) per D; $(date -u +%FT%TZ)"
	echo "coverage: 95 % intervals covering their truth; detected (MDE claims >= 80 %): injected cells at or above the MDE whose interval excludes 0; detected (below MDE): the others; A/A: cells differing after FDR / compared; in-boot: boots recovering D"
	echo "      D  coverage            detected (>= MDE)   detected (< MDE)   A/A      in-boot"
	for d in $ticks; do figures "$d"; done
} >"$tmp"
mv "$tmp" "$out/summary.txt"
cat "$out/summary.txt"
echo "known-cost: runs and reports in $out"
