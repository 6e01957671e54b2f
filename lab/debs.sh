# shellcheck shell=bash
# Sourced by the lab's fetch scripts: download Debian packages without
# installing them, unpack them, and list their SHA-256 for the manifest.

# apt_locked CMD...: CMD holding the lab's apt lock. Runs side by side
# (lab/demo) must not download while another updates the lists, and apt's
# own lock makes a second `apt-get update` fail instead of wait.
apt_locked() {
	local lock=${XDG_CACHE_HOME:-$HOME/.cache}/uaccess-bench/.apt.lock
	mkdir -p "$(dirname "$lock")" || return 1
	(
		flock 9 && "$@"
	) 9>"$lock"
}

# apt_download DIR PACKAGE...: apt-get download into DIR (created), as
# root without apt's sandbox user. Output goes to stderr.
apt_download() {
	local dir=$1
	shift
	mkdir -p "$dir" && chmod 755 "$dir" || return 1
	(cd "$dir" && apt_locked apt-get download -q -o APT::Sandbox::User=root "$@") >&2
}

# unpack_debs DEB_DIR ROOT: dpkg -x every .deb of DEB_DIR into ROOT.
unpack_debs() {
	local deb
	for deb in "$1"/*.deb; do
		dpkg -x "$deb" "$2" || return 1
	done
}

# debs_sha256 DEB_DIR: "<sha256> <file>" for every .deb of DEB_DIR.
debs_sha256() {
	(cd "$1" && sha256sum ./*.deb | sed 's| \./| |')
}
