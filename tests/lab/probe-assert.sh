# shellcheck shell=bash
# Assertions on a lab run's probe boots (RUN/probes/), sourced by the lab
# tests.

# probe_is ENTRY PROBE RUN OUTCOME [LOG...]: the probe's CSV row has that outcome,
# verdict pass, and each LOG in its evidence.
probe_is() {
	local row log
	row=$(awk -F, -v p="$2" '$3 == p' "$3/probes/$1.csv") || return 1
	[[ $row == *",$4,pass,"* ]] || return 1
	shift 4
	for log in "$@"; do [[ $row == *"$log"* ]] || return 1; done
}
probe_tap_ok() {
	grep -qx '1\.\.5' "$2/probes/$1.tap" && grep -q '^TAP version 13$' "$2/probes/$1.tap" &&
		grep -qx '# Totals: pass:5 fail:0 skip:0' "$2/probes/$1.tap"
}
