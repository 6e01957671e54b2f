# shellcheck shell=bash
# Every fact the lab knows about a guest architecture, in one table: adding
# an architecture is one row. Sourced by the lab's scripts.
#
# Columns:
#   arch     the name in matrices and ARCHES (x86_64, arm64, armhf)
#   deb      Debian architecture (packages, kernels)
#   kbuild   Kbuild's ARCH
#   uname    `uname -m` of a host of this architecture (KVM runs only these)
#   triplet  GNU triplet: <triplet>-gcc cross-compiles guest code
#   qemu     QEMU system emulator
#   machine  QEMU machine under TCG
#   kvm      QEMU machine under KVM
#   console  the guest's serial console (the machine's first UART)
#   cpu      default QEMU CPU model (a matrix's cpu column `-`)
#   image    kernel image in a Kbuild output tree (lab/build-kernel)
#   counter  uabench's default counter in the guest (bench/src/counter.c)
#   flavour  Debian's kernel flavour for the guests (debian:FLAVOUR)
#   append   kernel command line words every guest of the architecture
#            gets (- for none)
#
# x86_64 guests get no_timer_check: on a loaded host, TCG is too slow for
# the IO-APIC timer check, and 6.12 panicked on it ("IO-APIC + timer doesn't
# work!") where the lab's other boots passed.
# armhf needs highmem=off: otherwise QEMU puts the PCI host's ECAM above
# 4 GiB, which a kernel without LPAE cannot reach (no results port).
# arm64 `max` needs pauth-impdef=on: QEMU's default pointer-authentication
# algorithm makes the boot about 4 times slower (LAB-NOTES).
ARCH_TABLE='
x86_64 amd64 x86_64 x86_64  x86_64-linux-gnu    qemu-system-x86_64  q35              q35                               ttyS0   max                 arch/x86/boot/bzImage tsc           amd64 no_timer_check
arm64  arm64 arm64  aarch64 aarch64-linux-gnu   qemu-system-aarch64 virt             virt,gic-version=host             ttyAMA0 max,pauth-impdef=on arch/arm64/boot/Image cntvct        arm64 -
armhf  armhf arm    armv7l  arm-linux-gnueabihf qemu-system-arm     virt,highmem=off virt,highmem=off,gic-version=host ttyAMA0 cortex-a15          arch/arm/boot/zImage  monotonic_raw armmp -
'

# arch_names: the architecture names, one per line, in table order.
arch_names() {
	awk 'NF { print $1 }' <<<"$ARCH_TABLE"
}

# arch_load KEY: set the A_* variables from the row whose arch, Debian arch,
# Kbuild arch or uname is KEY; fail (printing nothing) when there is none.
arch_load() {
	local row
	row=$(awk -v k="$1" 'NF && ($1 == k || $2 == k || $3 == k || $4 == k) { print; exit }' \
		<<<"$ARCH_TABLE")
	[ -n "$row" ] || return 1
	# shellcheck disable=SC2034 # read by the scripts that source this
	read -r A_ARCH A_DEB A_KBUILD A_UNAME A_TRIPLET A_QEMU A_MACHINE A_KVM_MACHINE \
		A_CONSOLE A_CPU A_IMAGE A_COUNTER A_FLAVOUR A_APPEND <<<"$row"
	[ "$A_APPEND" != - ] || A_APPEND=""
}

# arch_list: the architecture names joined by ", " (for error messages).
arch_list() {
	arch_names | paste -sd, | sed 's/,/, /g'
}

# host_arch: the lab name of the host's architecture, or uname -m.
host_arch() {
	local m
	m=$(uname -m)
	if (arch_load "$m" && echo "$A_ARCH"); then return 0; fi
	echo "$m"
}
