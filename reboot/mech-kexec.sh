# shellcheck shell=bash
# Next-boot mechanism: kexec. The entry's kernel, initrd and command line
# are loaded with kexec -l and started by systemctl kexec: no firmware, no
# bootloader, nothing persistent, so a power cycle boots the default entry.
# The firmware-free path for boards, and the fastest.

mech_check() {
	command -v kexec >/dev/null || { echo "kexec is not installed (package kexec-tools)"; return 1; }
	[ "$(cat /proc/sys/kernel/kexec_load_disabled 2>/dev/null || echo 0)" = 0 ] ||
		{ echo "kexec is disabled (kernel.kexec_load_disabled=1)"; return 1; }
}

mech_prepare() { :; }

mech_arrange() {
	local run=$1 entry=$2 kver base words
	kver=$(entry_var "$run" "$entry" KVER)
	base=$(cfg "$run" base_cmdline)
	words="$(entry_var "$run" "$entry" APPEND) $(token_of "$run" "$entry")"
	# Words after a bare -- go to init, not to the kernel.
	case " $base " in
	*" -- "*) base="${base%% -- *} $words -- ${base#* -- }" ;;
	*) base="$base $words" ;;
	esac
	act kexec -l "/boot/vmlinuz-$kver" --initrd="/boot/$(initrd_name "$kver")" --append="$base"
}

mech_reboot() { act systemctl --no-block kexec; }

mech_cleanup() { act kexec -u; }

mech_fingerprint() { :; }
