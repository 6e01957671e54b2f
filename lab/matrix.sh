# shellcheck shell=bash
# Matrix file parsing and protection-switch translation, sourced by the lab
# runner and its tests. Format: configs/README.md.

# shellcheck source=/dev/null # lab/arch.sh, linted on its own
. "$(dirname "${BASH_SOURCE[0]}")/arch.sh"

# Parsed entries, index-aligned. M_PROBE: 1 when the entry gets a probe
# boot (a `probes:` line names it, or says `all`).
M_NAME=() M_ARCH=() M_KERNEL=() M_CPU=() M_OFF=() M_EXPECT=() M_BASELINE=() M_CMDLINE=()
M_PROBE=()

matrix_die() { echo "matrix: $*" >&2; exit 1; }

# shellcheck disable=SC2153 # A_ARCH, A_CPU: set by arch_load (lab/arch.sh)
# matrix_load FILE: fill the M_* arrays; one clear error line on bad input.
matrix_load() {
	local file=$1 line n=0 name arch kernel cpu off expect baseline cmdline i
	local state='((smap|smep|pan)=(on|off|na)|pan_kind=(hw|ttbr0|domain|none|na)|inject_ticks=[0-9]+)'
	local probes="" probes_at=0
	[ -r "$file" ] || matrix_die "$file: cannot read"
	M_NAME=() M_ARCH=() M_KERNEL=() M_CPU=() M_OFF=() M_EXPECT=() M_BASELINE=() M_CMDLINE=()
	M_PROBE=()
	while IFS= read -r line || [ -n "$line" ]; do
		n=$((n + 1))
		line=${line%%#*}
		[ -n "${line//[[:space:]]/}" ] || continue
		if [[ $line =~ ^[[:space:]]*probes:(.*)$ ]]; then
			[ "$probes_at" = 0 ] || matrix_die "$file:$n: a second probes: line"
			probes=${BASH_REMATCH[1]} probes_at=$n
			[ -n "${probes//[[:space:]]/}" ] ||
				matrix_die "$file:$n: probes: needs entry names or all"
			continue
		fi
		read -r name arch kernel cpu off expect baseline cmdline <<<"$line"
		[ -n "$baseline" ] ||
			matrix_die "$file:$n: expected 7 or 8 columns: name arch kernel cpu off expect baseline [cmdline...]"
		[[ $name =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$ ]] ||
			matrix_die "$file:$n: bad entry name '$name' (letters, digits, _ . -)"
		for i in "${M_NAME[@]}"; do
			[ "$i" != "$name" ] || matrix_die "$file:$n: duplicate entry '$name'"
		done
		{ arch_load "$arch" && [ "$A_ARCH" = "$arch" ]; } ||
			matrix_die "$file:$n: unknown arch '$arch' ($(arch_list))"
		[[ $kernel =~ ^(debian:[a-z0-9][a-z0-9.-]*|build:[a-z0-9_]+-[a-z0-9-]+|[0-9]+\.[0-9]+[A-Za-z0-9._+-]*)$ ]] ||
			matrix_die "$file:$n: bad kernel '$kernel' (debian:FLAVOUR, build:NAME, or an installed kernel release such as 6.1.0-56-amd64)"
		[[ $kernel != build:* || $kernel == "build:$arch-"* ]] ||
			matrix_die "$file:$n: kernel '$kernel' is not an $arch kernel (build:$arch-VARIANT)"
		[ "$cpu" != - ] || cpu=$A_CPU
		[[ $cpu =~ ^[A-Za-z0-9][A-Za-z0-9_.,=-]*$ ]] ||
			matrix_die "$file:$n: bad QEMU CPU model '$cpu'"
		[[ $off =~ ^(-|(smap|smep|pan)(,(smap|smep|pan))*)$ ]] ||
			matrix_die "$file:$n: bad protection list '$off' (-, or comma-separated smap, smep, pan)"
		[[ $expect =~ ^$state(,$state)*$ ]] ||
			matrix_die "$file:$n: bad expected state '$expect' (e.g. smap=off,smep=on or pan=on,pan_kind=ttbr0)"
		[[ $baseline =~ ^(-|[A-Za-z0-9][A-Za-z0-9_.-]*)$ ]] ||
			matrix_die "$file:$n: bad baseline '$baseline'"
		[ "$cmdline" != "-" ] || cmdline=""
		[[ $cmdline =~ ^[A-Za-z0-9_.,=:/+\ -]*$ ]] ||
			matrix_die "$file:$n: kernel command line may hold only letters, digits, spaces and _ . , = : / + -"
		M_NAME+=("$name") M_ARCH+=("$arch") M_KERNEL+=("$kernel") M_CPU+=("$cpu")
		M_OFF+=("$off") M_EXPECT+=("$expect") M_BASELINE+=("$baseline") M_CMDLINE+=("$cmdline")
	done <"$file"
	[ ${#M_NAME[@]} -gt 0 ] || matrix_die "$file: no entries"
	for i in "${!M_NAME[@]}"; do M_PROBE+=(0); done
	for name in $probes; do
		if [ "$name" = all ]; then
			for i in "${!M_NAME[@]}"; do M_PROBE[i]=1; done
			continue
		fi
		for i in "${!M_NAME[@]}"; do
			[ "${M_NAME[$i]}" != "$name" ] || { M_PROBE[i]=1 && continue 2; }
		done
		matrix_die "$file:$probes_at: probes: names '$name', which is not in the matrix"
	done
	for i in "${!M_NAME[@]}"; do
		[ "${M_BASELINE[$i]}" = "-" ] || matrix_has "${M_BASELINE[$i]}" ||
			matrix_die "$file: entry '${M_NAME[$i]}' names baseline '${M_BASELINE[$i]}', which is not in the matrix"
	done
}

matrix_has() {
	local n
	for n in "${M_NAME[@]}"; do [ "$n" != "$1" ] || return 0; done
	return 1
}

# version_ge A B: kernel version A (e.g. 6.1.0-56-amd64) >= B (e.g. 5.19).
version_ge() {
	local a=${1%%-*}
	[ "$(printf '%s\n%s\n' "$a" "$2" | sort -V | head -n1)" = "$2" ]
}

# off_switches OFF KVER: the kernel command line words that switch the
# protections in OFF (comma list or -) off on kernel KVER. `nosmap` and
# `nosmep` were removed in 5.19 and are silently ignored after it; from 5.19
# on the CPUID bit is cleared instead, which the kernel then honours. The
# kernel reads only the last clearcpuid= (cmdline_find_option()), so the
# bits go in one comma list.
off_switches() {
	local off=$1 kver=$2 p words=() cpuid=""
	[ "$off" != "-" ] || return 0
	for p in ${off//,/ }; do
		case $p in
		smap | smep)
			if version_ge "$kver" 5.19; then
				cpuid+=${cpuid:+,}$p
			else
				words+=("no$p")
			fi
			;;
		pan)
			echo "matrix: PAN has no boot switch on $kver; use a kernel built without it" >&2
			return 1
			;;
		esac
	done
	[ -z "$cpuid" ] || words+=("clearcpuid=$cpuid")
	echo "${words[*]}"
}

# state_mismatch EXPECT PROBES_CSV: compare the expected state (smap=on,...)
# with the `# key=value` header lines of a probe boot's CSV (uab-probes-1,
# not a result file: timed boots are judged by the C reader, uareport
# --validate --expect, in lab/store-boot). On a mismatch, print what
# differs and succeed; when everything matches, fail (print nothing).
state_mismatch() {
	local expect=$1 csv=$2 kv key want got bad=()
	for kv in ${expect//,/ }; do
		key=${kv%%=*} want=${kv#*=}
		# Probe boots never time anything: an injected cost is no state.
		[ "$key" != inject_ticks ] || continue
		got=$(sed -n "/^#/!q; s/^# *$key=\([^ ]*\) *\$/\1/p" "$csv" | head -n1)
		[ "$got" = "$want" ] || bad+=("$key expected $want measured ${got:-nothing}")
	done
	[ ${#bad[@]} -gt 0 ] || return 1
	local IFS=';'
	echo "${bad[*]}"
}

# judge_result UAREPORT CSV EXPECT OUT: the lab's verdict on the result file
# CSV, by the one reader (uareport --validate --expect: the measured state
# against EXPECT, read from the helper module). Prints "accepted: ..." or
# "rejected: ..." and writes OUT, the CSV with lab.verdict and lab.reason
# header lines. Fails, with uareport's words on stderr, when CSV is invalid.
judge_result() {
	local uareport=$1 csv=$2 expect=$3 out=$4 verdict
	verdict=$("$uareport" --validate --expect "$expect" "$csv") || return 1
	case $verdict in
	accepted:* | rejected:*) ;;
	*)
		echo "no verdict from uareport --validate --expect: '$verdict'" >&2
		return 1
		;;
	esac
	# The verdict lines end the `#` header, before the column line.
	awk -v v="${verdict%%:*}" -v r="${verdict#*: }" '
		!done && !/^#/ { print "# lab.verdict=" v; print "# lab.reason=" r; done = 1 }
		{ print }
	' "$csv" >"$out"
	echo "$verdict"
}
