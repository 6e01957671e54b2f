# shellcheck shell=bash
# Next-boot mechanism: systemd-boot. One loader entry per matrix entry (the
# kernel and initrd copied to the ESP beside it), selected for one boot
# with bootctl set-oneshot (the LoaderEntryOneShot EFI variable, which
# systemd-boot clears as it boots it).

sdboot_esp() { bootctl --print-esp-path 2>/dev/null; }

mech_check() {
	command -v bootctl >/dev/null || { echo "bootctl (systemd-boot) is not installed"; return 1; }
	sdboot_esp >/dev/null || { echo "bootctl finds no EFI system partition"; return 1; }
	bootctl is-installed >/dev/null 2>&1 || { echo "systemd-boot is not installed on the ESP (bootctl install)"; return 1; }
}

mech_prepare() {
	local run=$1 esp entry kver dir
	esp=$(sdboot_esp)
	while read -r entry; do
		kver=$(entry_var "$run" "$entry" KVER)
		dir=$esp/uaccess-bench/$kver
		if [ ! -f "$dir/linux" ]; then
			act mkdir -p "$dir"
			act cp "/boot/vmlinuz-$kver" "$dir/linux"
			act cp "/boot/$(initrd_name "$kver")" "$dir/initrd"
		fi
		put_file "$esp/loader/entries/uab-$(cfg "$run" run)-$entry.conf" <<-CONF
			title uaccess-bench $entry ($kver)
			linux /uaccess-bench/$kver/linux
			initrd /uaccess-bench/$kver/initrd
			options $(cfg "$run" base_cmdline) $(entry_var "$run" "$entry" APPEND) $(token_of "$run" "$entry")
		CONF
		echo "$esp/loader/entries/uab-$(cfg "$run" run)-$entry.conf" >>"$run/added"
	done < <(cut -d' ' -f2 "$run/plan" | sort -u)
	echo "$esp/uaccess-bench" >>"$run/added"
}

mech_arrange() { act bootctl set-oneshot "uab-$(cfg "$1" run)-$2.conf"; }

mech_reboot() { act systemctl --no-block reboot; }

mech_cleanup() {
	act bootctl set-oneshot "" || true
	# The loader entries and kernel copies are in RUN/added.
}

mech_fingerprint() {
	local esp
	esp=$(sdboot_esp) || return 0
	cat "$esp/loader/loader.conf" 2>/dev/null
	bootctl status --no-pager 2>/dev/null | grep -i 'default' || true
}
