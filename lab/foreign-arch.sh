# shellcheck shell=bash
# Sourced by the lab's fetch scripts: make apt able to download packages of a
# foreign Debian architecture (arm64, armhf guests on an amd64 host).
# Needs lab/debs.sh (apt_locked) sourced too.

# ensure_foreign_arch DEB_ARCH: add DEB_ARCH to dpkg's architectures and
# refresh the apt lists, unless it is the host's or already there.
ensure_foreign_arch() {
	[ "$1" != "$(dpkg --print-architecture)" ] || return 0
	apt_locked add_foreign_arch "$1"
}

# add_foreign_arch DEB_ARCH: the work of ensure_foreign_arch, under the lock
# (another run may have added DEB_ARCH meanwhile).
add_foreign_arch() {
	local arch=$1
	! dpkg --print-foreign-architectures | grep -qx "$arch" || return 0
	echo "lab: adding the $arch architecture to dpkg and updating the apt lists" >&2
	dpkg --add-architecture "$arch" || return 1
	# One architecture's index can lag mid-sync while the packages we need
	# are there: a failed update is a warning; a failed download is the error.
	apt-get update -q >&2 ||
		echo "lab: warning: apt-get update reported errors; trying the downloads anyway" >&2
}
