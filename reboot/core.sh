# shellcheck shell=bash
# The reboot matrix's core, independent of how the next boot is arranged:
# the run's state, which entry this boot is, verification through the
# helper module, the measured run, atomic storage and the choice of the
# next boot. A mechanism (mech-*.sh) only arranges boots; another driver
# (a LAVA job, say) can reuse these functions with its own.
#
# State of a run, all under RUN (/var/lib/uaccess-bench/<run>/):
#   config        KEY=value: run id, mechanism, boots, seed, limits
#   matrix.txt    the matrix; entries.env: per entry kernel and switches
#   plan          planned boots in order, one "STEM ENTRY" per line
#   pending       the boot arranged for next: STEM ENTRY ATTEMPT UTC
#   attempts      one "STEM" line per arranged attempt
#   skipped       STEM REASON, boots given up after too many failures
#   handled       boot ids the unit has dealt with (one pass per boot)
#   added         files this run added outside RUN (removed at the end)
#   events.log    one line per event, for --status and the user
#   STEM.csv      a finished result (uareport reads RUN directly)
#   logs/, failed/ per-boot logs and what is known of failed attempts
#   tool/         the runner, uabench, uareport and modules, self-contained

DRY_RUN=${DRY_RUN:-0}

say() { echo "uabench-reboot: $*" >&2; }
die() { say "error: $*"; exit 1; }

# act CMD...: run CMD, or print it under --dry-run.
act() {
	if [ "$DRY_RUN" = 1 ]; then
		echo "would run: $*"
	else
		"$@"
	fi
}

# put_file DEST [MODE]: stdin to DEST, durably: temp file, fsync, rename.
# A dry run writes its state into a scratch directory (DRY_ROOT) and only
# prints files meant for anywhere else.
put_file() {
	local dest=$1 mode=${2:-644} tmp
	if [ "$DRY_RUN" = 1 ] && [[ $dest != "${DRY_ROOT:?}"/* ]]; then
		echo "would write $dest:"
		sed 's/^/    /'
		return 0
	fi
	tmp=$(mktemp "$dest.tmp.XXXXXX")
	cat >"$tmp"
	chmod "$mode" "$tmp"
	sync "$tmp"
	mv "$tmp" "$dest"
	sync "$(dirname "$dest")"
}

# put_copy SRC DEST: durable copy that never replaces a finished file.
put_copy() {
	[ ! -e "$2" ] || die "$2 exists; finished results are never overwritten"
	put_file "$2" 644 <"$1"
}

# note RUN MESSAGE: one line in events.log and the journal.
note() {
	local line
	line="$(date -u +%Y-%m-%dT%H:%M:%SZ) $2"
	say "$2"
	[ "$DRY_RUN" = 1 ] || { echo "$line" >>"$1/events.log" && sync "$1/events.log"; }
}

cfg() { sed -n "s/^$2=//p" "$1/config" | head -n1; }

# --- the plan -------------------------------------------------------------

# plan_boots BOOTS SEED NAME...: BOOTS rounds; in each the entries come in
# a seeded order, so that no entry is always first after a power-on.
plan_boots() {
	local boots=$1 seed=$2
	shift 2
	awk -v boots="$boots" -v seed="$seed" 'BEGIN {
		srand(seed)
		n = ARGC - 1
		for (r = 1; r <= boots; r++) {
			for (i = 1; i <= n; i++) o[i] = ARGV[i]
			for (i = n; i > 1; i--) {
				j = int(rand() * i) + 1
				t = o[i]; o[i] = o[j]; o[j] = t
			}
			for (i = 1; i <= n; i++) print o[i] ".b" r, o[i]
		}
		exit
	}' "$@"
}

# next_boot RUN: the first planned boot with no result and not skipped.
next_boot() {
	local stem entry
	while read -r stem entry; do
		[ ! -f "$1/$stem.csv" ] || continue
		! grep -qs "^$stem " "$1/skipped" || continue
		echo "$stem $entry"
		return 0
	done <"$1/plan"
	return 1
}

attempts_of() {
	local n
	n=$(grep -cx "$2" "$1/attempts" 2>/dev/null) || true
	echo "${n:-0}"
}

# entry_var RUN ENTRY KEY: KEY (KVER, APPEND, EXPECT, BASELINE) of ENTRY.
entry_var() { sed -n "s/^$3\.$2=//p" "$1/entries.env" | head -n1; }

# The kernel command line word that names the entry of a boot.
token_of() { echo "uabench.entry=$(cfg "$1" run).$2"; }

# --- which boot is this ---------------------------------------------------

# identify RUN CMDLINE KREL: print "measure STEM ENTRY" for the boot that
# was arranged and really came up, "failed STEM ENTRY REASON" for an
# arranged boot that did not, or "none" when nothing was pending. The
# pending file says what was arranged; the command line and kernel release
# say what booted: a pending file alone (a label) proves nothing.
identify() {
	local run=$1 cmdline=$2 krel=$3 stem entry attempt want kver word
	[ -s "$run/pending" ] || { echo none; return 0; }
	read -r stem entry attempt _ <"$run/pending"
	want=$(token_of "$run" "$entry")
	case " $cmdline " in
	*" $want "*) ;;
	*" uabench.entry="*)
		echo "failed $stem $entry booted another entry ($(echo "$cmdline" | grep -o 'uabench.entry=[^ ]*'))"
		return 0
		;;
	*)
		echo "failed $stem $entry attempt $attempt never came up: this boot is the default entry"
		return 0
		;;
	esac
	kver=$(entry_var "$run" "$entry" KVER)
	[ "$krel" = "$kver" ] || {
		echo "failed $stem $entry kernel $krel booted, $kver planned"
		return 0
	}
	for word in $(entry_var "$run" "$entry" APPEND); do
		case " $cmdline " in
		*" $word "*) ;;
		*) echo "failed $stem $entry command line lacks $word"; return 0 ;;
		esac
	done
	echo "measure $stem $entry"
}

# --- what is known of a failed boot ---------------------------------------

# record_failure RUN STEM REASON: keep the reason, the previous boot's
# kernel log tail and any pstore records in failed/STEM.<n>/.
record_failure() {
	local run=$1 stem=$2 reason=$3 n dir f
	n=$(attempts_of "$run" "$stem")
	dir=$run/failed/$stem.$n
	mkdir -p "$dir"
	echo "$reason" | put_file "$dir/reason"
	if command -v journalctl >/dev/null; then
		journalctl -b -1 -k -n 200 --no-pager >"$dir/journal-previous-boot.txt" 2>&1 ||
			echo "(no journal of the previous boot: not persistent?)" >>"$dir/journal-previous-boot.txt"
	fi
	for f in /sys/fs/pstore/*; do
		[ -f "$f" ] || continue
		cp "$f" "$dir/pstore-$(basename "$f")"
	done
	sync "$dir"
	note "$run" "failed: $stem (attempt $n): $reason"
}

# --- the measured run -----------------------------------------------------

# load_module RUN KVER: the run's module for KVER, unless already loaded.
load_module() {
	[ -d /sys/module/uaccess_bench ] && return 0
	insmod "$1/tool/modules/$2/uaccess_bench.ko"
}

# system_meta: what the machine was doing, as --meta arguments.
system_meta() {
	local gov virt
	gov=$(cat /sys/devices/system/cpu/cpu*/cpufreq/scaling_governor 2>/dev/null | sort -u | paste -sd, -)
	virt=$(systemd-detect-virt 2>/dev/null || true)
	case $virt in
	none | "") virt=none ;;
	qemu) virt=tcg ;;
	esac
	printf -- '--meta\n%s\n' "accel=$virt" "reboot.governor=${gov:-none}" \
		"reboot.loadavg=$(cut -d' ' -f1-3 /proc/loadavg | tr ' ' ,)" \
		"reboot.cmdline=$(tr ' ' , </proc/cmdline | head -c 1024)"
}

# measure RUN STEM ENTRY: settle, run uabench pinned, judge the measured
# state against the entry's expectation, store the result atomically.
measure() {
	local run=$1 stem=$2 entry=$3 work kver expect cpu verdict calibrate
	local -a meta calib=()
	work=$(mktemp -d "$run/.boot.$stem.XXXXXX")
	kver=$(entry_var "$run" "$entry" KVER)
	expect=$(entry_var "$run" "$entry" EXPECT)
	load_module "$run" "$kver" 2>"$work/insmod.txt" ||
		{ echo "module load failed: $(head -n1 "$work/insmod.txt")"; return 1; }
	sleep "$(cfg "$run" settle)"
	# What else ran while we measured.
	systemctl list-units --state=running --no-pager --plain >"$work/running.txt" 2>&1 || true
	cpu=$(($(nproc) - 1))
	mapfile -t meta < <(system_meta)
	# The instrument checked inside this boot (runs from before the option
	# have no calibrate= line: none).
	calibrate=$(cfg "$run" calibrate)
	[ "${calibrate:-0}" = 0 ] || calib=(--calibrate "$calibrate")
	# shellcheck disable=SC2046 # bench_args is a list of words
	"$run/tool/uabench" --out "$work/uabench.csv" --entry "$entry" --cpu "$cpu" \
		--seed "$(($(cfg "$run" seed) * 1000 + ${stem##*.b}))" \
		--meta "matrix_entry=$entry" --meta "baseline=$(entry_var "$run" "$entry" BASELINE)" \
		--meta "expect=$expect" --meta "reboot.run=$(cfg "$run" run)" \
		--meta "reboot.boot=${stem##*.b}" --meta "reboot.mechanism=$(cfg "$run" mechanism)" \
		"${meta[@]}" "${calib[@]}" $(cfg "$run" bench_args) >"$work/uabench.txt" 2>"$work/uabench.stderr" ||
		{ echo "uabench failed: $(tail -n1 "$work/uabench.stderr")"; return 1; }

	verdict=$(judge_result "$run/tool/uareport" "$work/uabench.csv" "$expect" \
		"$work/final.csv" 2>"$work/validate.txt") ||
		{ echo "result does not validate: $(head -n1 "$work/validate.txt")"; return 1; }
	mkdir -p "$run/logs"
	dmesg >"$work/dmesg.txt" 2>&1 || true
	for f in uabench.txt uabench.stderr running.txt dmesg.txt; do
		put_copy "$work/$f" "$run/logs/$stem.$f"
	done
	# The CSV last: its presence means the boot is complete.
	put_copy "$work/final.csv" "$run/$stem.csv"
	rm -rf "$work"
	echo "$verdict"
}
