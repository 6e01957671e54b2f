# shellcheck shell=bash
# Next-boot mechanism: GRUB. One generated menu entry per matrix entry (an
# /etc/grub.d snippet, then update-grub or grub2-mkconfig), selected for
# one boot with grub-reboot: GRUB's next_entry, which GRUB clears as it
# boots it, so a power cycle returns to the default entry.
# Interface of every mechanism: mech_check, mech_prepare RUN, mech_arrange
# RUN ENTRY, mech_reboot, mech_cleanup RUN, mech_fingerprint.

grub_tool() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null && { echo "$t"; return 0; }
	done
	return 1
}

grub_cfg() {
	local c
	for c in /boot/grub/grub.cfg /boot/grub2/grub.cfg; do
		[ -f "$c" ] && { echo "$c"; return 0; }
	done
	return 1
}

grub_snippet() { echo "/etc/grub.d/42_uaccess-bench"; }

grub_update() {
	if command -v update-grub >/dev/null; then
		act update-grub
	else
		act grub2-mkconfig -o "$(grub_cfg)"
	fi
}

mech_check() {
	grub_tool grub-reboot grub2-reboot >/dev/null ||
		{ echo "GRUB's grub-reboot (or grub2-reboot) is not installed"; return 1; }
	grub_tool update-grub grub2-mkconfig >/dev/null ||
		{ echo "neither update-grub nor grub2-mkconfig is installed"; return 1; }
	grub_cfg >/dev/null || { echo "no /boot/grub/grub.cfg or /boot/grub2/grub.cfg: is GRUB the bootloader?"; return 1; }
	[ -d /etc/grub.d ] || { echo "no /etc/grub.d"; return 1; }
}

# The snippet is a generator: grub-mkconfig runs it with GRUB_DEVICE and
# friends set, so the entries reach the root the way the default one does.
mech_prepare() {
	local run=$1 entry kver
	# The single-quoted lines are the generator's own shell code.
	# shellcheck disable=SC2016
	{
		echo "#!/bin/sh"
		echo "# uaccess-bench reboot matrix $(cfg "$run" run): one-shot entries."
		echo "# Added by uabench-reboot; removed at the end of the run (or --abort)."
		echo "set -e"
		echo '. "${pkgdatadir:-/usr/share/grub}/grub-mkconfig_lib"'
		echo 'if [ -n "${GRUB_DEVICE_UUID}" ]; then root_arg="root=UUID=${GRUB_DEVICE_UUID}"; else root_arg="root=${GRUB_DEVICE}"; fi'
		printf '%s\n' 'access=$(prepare_grub_to_access_device "${GRUB_DEVICE_BOOT}" | sed "s/^/\t/")'
		while read -r entry; do
			kver=$(entry_var "$run" "$entry" KVER)
			echo "linux=\$(make_system_path_relative_to_its_root /boot/vmlinuz-$kver)"
			echo "initrd=\$(make_system_path_relative_to_its_root /boot/$(initrd_name "$kver"))"
			printf '%s' "printf '%s\\n' \"menuentry 'uaccess-bench $entry ($kver)' --id 'uab-$(cfg "$run" run)-$entry' {\" \"\$access\""
			printf '%s' " \"	linux \$linux \$root_arg ro \$GRUB_CMDLINE_LINUX \$GRUB_CMDLINE_LINUX_DEFAULT"
			echo " $(entry_var "$run" "$entry" APPEND) $(token_of "$run" "$entry")\" \"	initrd \$initrd\" '}'"
		done < <(cut -d' ' -f2 "$run/plan" | sort -u)
	} | put_file "$(grub_snippet)" 755
	grub_snippet >>"$run/added"
	grub_update
	[ "$DRY_RUN" = 1 ] || grep -q "uab-$(cfg "$run" run)-" "$(grub_cfg)" ||
		die "update-grub did not put the uaccess-bench entries into $(grub_cfg)"
}

mech_arrange() {
	act "$(grub_tool grub-reboot grub2-reboot)" "uab-$(cfg "$1" run)-$2"
}

mech_reboot() { act systemctl --no-block reboot; }

# The one-shot choice goes first: whatever fails after it, the default
# entry boots next. Every step runs; any failure fails the cleanup.
mech_cleanup() {
	local editenv rc=0
	if editenv=$(grub_tool grub-editenv grub2-editenv); then
		act "$editenv" - unset next_entry || rc=1
	fi
	act rm -f "$(grub_snippet)" || rc=1
	grub_update || rc=1
	return "$rc"
}

# What makes the default boot: the menu (without this run's snippet), GRUB's
# settings and its environment block, next_entry aside.
mech_fingerprint() {
	local editenv
	cat /etc/default/grub 2>/dev/null
	sha256sum "$(grub_cfg)" 2>/dev/null
	editenv=$(grub_tool grub-editenv grub2-editenv) || return 0
	"$editenv" - list 2>/dev/null | grep -v '^next_entry=' || true
}
