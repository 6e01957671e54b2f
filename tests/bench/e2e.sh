#!/bin/bash
# End to end: run the real uabench on this machine (stock workloads, short
# runs) and check what it writes and how it fails.
#   e2e.sh UABENCH VALIDATE_CSV [UABENCH_SANITIZED]
set -eu

uabench=$(realpath "$1")
validate=$(realpath "$2")
sanitized=${3:+$(realpath "$3")}
tmp=$(mktemp -d /tmp/uab-e2e-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
failures=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# Exit status and stderr of one command: "expect_status N cmd...".
expect_status() {
	local want=$1 got=0
	shift
	"$@" >"$tmp/out" 2>"$tmp/err" || got=$?
	if [ "$got" -ne "$want" ]; then
		fail "exit $got, want $want: $*"
		sed 's/^/  /' "$tmp/err" >&2
	fi
}

stock=null,zero-read,null-write,pipe

# Column numbers of the names in FILE's column line, comma-separated, for
# cut -f (names: include/uab_schema.h).
cols() {
	local file=$1 out="" n
	shift
	for name in "$@"; do
		n=$(grep -v '^#' "$file" | head -n 1 | tr ',' '\n' | grep -nx "$name" | cut -d: -f1)
		out="$out${out:+,}$n"
	done
	echo "$out"
}

echo "== stock workloads, CSV validated against the schema"
expect_status 0 "$uabench" --bench "$stock" --sizes 8,4096 --min-time 0.02 \
	--entry e2e --meta lab.accel=tcg --out "$tmp/r.csv"
"$validate" "$tmp/r.csv" --entry e2e --workloads "$stock,calib" ||
	fail "validation of a real run"
grep -qx '# lab.accel=tcg' "$tmp/r.csv" || fail "--meta line missing"
grep -qx '# calib_workload=calib' "$tmp/r.csv" || fail "calib not marked"
grep -q '^# vuln\.' "$tmp/r.csv" ||
	[ ! -d /sys/devices/system/cpu/vulnerabilities ] ||
	fail "no vuln.* header lines"
for left in "$tmp"/.uabench-*; do
	[ ! -e "$left" ] || fail "temporary file left behind: $left"
done

if [ -n "$sanitized" ]; then
	echo "== the same under ASan+UBSan"
	expect_status 0 "$sanitized" --bench "$stock,noop" --sizes 8,65536 \
		--min-time 0.02 --out "$tmp/san.csv"
	"$validate" "$tmp/san.csv" --workloads "$stock,noop,calib" ||
		fail "validation of the sanitized run"
fi

echo "== an extra perf event (software, so it works without a PMU)"
ev=perf::PERF_COUNT_SW_TASK_CLOCK
expect_status 0 "$uabench" --bench null --batches 4 --events "$ev" \
	--out "$tmp/ev.csv"
"$validate" "$tmp/ev.csv" || fail "validation of the --events run"
[ "$(grep -c ",$ev,events,0," "$tmp/ev.csv")" -eq 8 ] ||
	fail "not one $ev row per batch"
expect_status 2 "$uabench" --bench null --batches 2 --events no_such_event \
	--out "$tmp/ev2.csv"
grep -q "no_such_event" "$tmp/err" || fail "unknown event not named"

echo "== the validator rejects broken files"
corrupt() {
	local name=$1 expr=$2
	sed "$expr" "$tmp/r.csv" >"$tmp/$name.csv"
	if "$validate" "$tmp/$name.csv" 2>"$tmp/why"; then
		fail "validator accepted $name"
	fi
	echo "  $name: $(cat "$tmp/why")"
}
corrupt no-boot-id '/^# boot_id=/d'
corrupt per-op '0,/^1,/s/,\([0-9.]*\)$/,1\1/'
corrupt unit '0,/^1,/s/,ticks,/,ns,/'
corrupt state '0,/^1,/s/,cpuinfo,/,guess,/'
corrupt columns 's/^schema,boot_id/schema,bootid/'
corrupt lost-row '0,/^1,/{/^1,/d}'
corrupt quoted '0,/^1,/s/^1,/"1",/'
corrupt no-calib-mark '/^# calib_workload=/d'
corrupt calib-mark 's/^# calib_workload=.*/# calib_workload=nosuch/'
# per_op one in its last (4th) decimal away from delta/ops.
awk -F, -v OFS=, -v p="$(cols "$tmp/r.csv" per_op)" \
	'!/^#/ && !done && $1 == "1" { $p = sprintf("%.4f", $p + 0.0001); done = 1 } 1' \
	"$tmp/r.csv" >"$tmp/per-op-digit.csv"
if "$validate" "$tmp/per-op-digit.csv" 2>"$tmp/why"; then
	fail "validator accepted per_op off in its last digit"
fi
echo "  per-op-digit: $(cat "$tmp/why")"

echo "== equal batches: --iters-from an earlier result, --iters-map"
ops_of() {
	grep -v '^#' "$1" | tail -n +2 | cut -d, -f"$(cols "$1" workload size ops)" | sort -u
}
expect_status 0 "$uabench" --bench "$stock" --sizes 8,4096 --batches 2 \
	--iters-from "$tmp/r.csv" --out "$tmp/from.csv"
"$validate" "$tmp/from.csv" || fail "validation of the --iters-from run"
[ "$(ops_of "$tmp/from.csv")" = "$(ops_of "$tmp/r.csv")" ] ||
	fail "--iters-from: ops per batch differ from the earlier file"
grep -qx "# iters=--iters-from $tmp/r.csv" "$tmp/from.csv" ||
	fail "--iters-from not in the header"
expect_status 0 "$uabench" --bench null,null --batches 2 \
	--iters-map null:0=50,null~2:0=60,calib:0=7 --out "$tmp/map.csv"
[ "$(ops_of "$tmp/map.csv" | tr '\n' ' ')" = "calib,0,7 null,0,50 null~2,0,60 " ] ||
	fail "--iters-map: ops per batch not as given: $(ops_of "$tmp/map.csv" | tr '\n' ' ')"
# The lab sizes once, then passes the map: printed, it runs the same batches.
map=$("$uabench" --iters-from "$tmp/r.csv" --print-iters-map)
expect_status 0 "$uabench" --bench "$stock" --sizes 8,4096 --batches 2 \
	--iters-map "$map" --out "$tmp/printed.csv"
[ "$(ops_of "$tmp/printed.csv")" = "$(ops_of "$tmp/r.csv")" ] ||
	fail "--print-iters-map: its map does not give the earlier file's batches"

echo "== refuses to overwrite"
sum=$(md5sum <"$tmp/r.csv")
expect_status 1 "$uabench" --bench null --batches 2 --out "$tmp/r.csv"
grep -q 'refusing to overwrite' "$tmp/err" || fail "no overwrite message"
[ "$(md5sum <"$tmp/r.csv")" = "$sum" ] || fail "existing result changed"

echo "== Ctrl-C during a run leaves neither result nor temporary file"
"$uabench" --bench null --min-time 30 --out "$tmp/int.csv" 2>"$tmp/err" &
pid=$!
sleep 1
kill -INT "$pid"
got=0
wait "$pid" || got=$?
[ "$got" -eq 130 ] || fail "SIGINT: exit $got, want 130"
[ ! -e "$tmp/int.csv" ] || fail "SIGINT: result written"
for left in "$tmp"/.uabench-*; do
	[ ! -e "$left" ] || fail "SIGINT: temporary file left behind: $left"
done

echo "== A/A cells and seed replay"
expect_status 0 "$uabench" --bench null,null --batches 4 --seed 11 \
	--out "$tmp/aa1.csv"
expect_status 0 "$uabench" --bench null,null --batches 4 --seed 11 \
	--out "$tmp/aa2.csv"
"$validate" "$tmp/aa1.csv" --workloads null,null~2,calib ||
	fail "A/A run does not hold null and null~2"
cell_order() {
	grep -v '^#' "$1" | tail -n +2 | cut -d, -f"$(cols "$1" workload round)"
}
[ "$(cell_order "$tmp/aa1.csv")" = "$(cell_order "$tmp/aa2.csv")" ] ||
	fail "same --seed, different order"
grep -qx '# seed=11' "$tmp/aa1.csv" || fail "seed not recorded"
# ABBA: the first two cells of round 0 come in the other order in round 1.
first=$(cell_order "$tmp/aa1.csv" | awk -F, '$2 == 0' | head -n 3 | cut -d, -f1)
second=$(cell_order "$tmp/aa1.csv" | awk -F, '$2 == 1' | head -n 3 | cut -d, -f1)
[ "$first" = "$(echo "$second" | tac)" ] || fail "round 1 is not round 0 reversed"

echo "== default output name"
cd "$tmp"
expect_status 0 "$uabench" --bench null --batches 2
cd - >/dev/null
ls "$tmp"/uabench-*.csv >/dev/null 2>&1 || fail "no uabench-<utc>.csv written"

echo "== module workloads"
expect_status 1 "$uabench" --bench read --batches 2 --device "$tmp/none" \
	--out "$tmp/m.csv"
grep -q "needs the helper module" "$tmp/err" || fail "no module message"
[ ! -e "$tmp/m.csv" ] || fail "result written although the run failed"
expect_status 0 "$uabench" --bench null --batches 2 --device "$tmp/none" \
	--out "$tmp/m.csv"
expect_status 0 "$uabench" --sizes 8 --batches 2 --device "$tmp/none" \
	--out "$tmp/skip.csv"
grep -q 'note: skipped read' "$tmp/err" || fail "no note about skipped workloads"
grep -q '^# skipped=read/8,write/8,ioctl-copy-to/8,ioctl-copy-from/8$' "$tmp/skip.csv" ||
	fail "skipped cells not in the header"

echo "== bad arguments: one line, exit 2"
for args in "--frob" "--sizes 0" "--bench nosuch" "--iters" "--min-time -1" \
	"--batches 2 --min-time 1" "--meta seed=1" "--meta calib_workload=x" \
	"--cpu x" "--cpu 1023" "--entry a#b" "--events a\\b" "--events tsc" \
	"--iters-map null" "--iters-map null:0=5,null:0=6" \
	"--iters 5 --iters-map null:0=5" "--iters-from $tmp/none.csv" \
	"--iters-from $tmp/err" "--bench null --iters-map null:0=5" \
	"--bench null --iters-from $tmp/r.csv" "--print-iters-map" \
	"--print-iters-map --iters-from $tmp/none.csv"; do
	# shellcheck disable=SC2086
	expect_status 2 "$uabench" $args --out "$tmp/bad.csv"
	[ "$(wc -l <"$tmp/err")" -eq 1 ] || fail "not one line for: $args"
done
expect_status 0 "$uabench" --help
grep -q -- '--min-time' "$tmp/out" || fail "--help lacks --min-time"
expect_status 0 "$uabench" --list
grep -q '^calib ' "$tmp/out" || fail "--list lacks calib"

if [ "$failures" -ne 0 ]; then
	echo "e2e: $failures failure(s)" >&2
	exit 1
fi
echo "e2e: all passed"
