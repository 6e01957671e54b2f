# shellcheck shell=bash
# Watching a guest's serial console for the reboot tests (tests/reboot/check
# and tests/reboot/build-image): a guest that reported a terminal failure,
# or whose console stays silent too long, is given up at once instead of
# waiting out a deadline.
#
#   console_watch_start           before each power-on
#   console_check LOG ERE LIMIT   once a second: console_why is set to why
#                                 the guest is lost (a line of LOG matching
#                                 ERE, or LIMIT s of silence), else empty;
#                                 console_longest is the longest silence
#                                 seen since the first console_watch_start

# shellcheck disable=SC2034 # console_why and console_longest are read by the caller
console_longest=0 console_why=""

# An emulator I/O stall: the guest's virtio disk stops completing requests
# (tasks hang in io_schedule, udev never sees the partition). Seen once in
# about 60 power-ons under TCG on a loaded 2-core host (2026-12-07, the
# kexec scenario, the default kernel's first boot, before any code under
# test ran). For the runner it is a power cut.
# shellcheck disable=SC2034 # read by the callers
console_stall_ere='blocked for more than [0-9]+ seconds|Timed out waiting for device'

console_watch_start() {
	console_size=-1
	console_since=$(date +%s)
}

# shellcheck disable=SC2034 # console_why is read by the caller
console_check() {
	local log=$1 ere=$2 limit=$3 now size line
	now=$(date +%s)
	size=$(stat -c %s "$log" 2>/dev/null || echo 0)
	if [ "$size" != "$console_size" ]; then
		[ $((now - console_since)) -le "$console_longest" ] ||
			console_longest=$((now - console_since))
		console_size=$size console_since=$now
	fi
	console_why=""
	# systemd colours a unit's name on the console: the colours go first.
	if line=$(sed 's/\x1b\[[0-9;]*m//g; s/\r//g' "$log" 2>/dev/null | grep -a -m1 -E "$ere"); then
		console_why="the guest failed: $line"
	elif [ $((now - console_since)) -gt "$limit" ]; then
		console_why="its console was silent for $limit s"
	fi
}
