# uaccess-bench: top-level build. Every part has its own Makefile; this one
# ties them together. `make demo` runs the QEMU lab end to end, `make check`
# runs every test.

KDIR ?= /lib/modules/$(shell uname -r)/build
DATA ?=
MATRIX ?=
# Architectures make demo runs (configs/<arch>.matrix each), comma-separated.
ARCHES ?= x86_64
DRY_RUN ?=
REBOOT_ARGS ?=

.PHONY: check-arch all deps bench analysis kmod static check lint demo report publish \
	lab-kernel bench-harness bench-report bench-stats bench-known-cost clean reboot-matrix \
	check-reboot

all: bench analysis

deps:
	@bash scripts/install-deps

bench:
	$(MAKE) -C bench

analysis:
	$(MAKE) -C analysis

kmod:
	$(MAKE) -C kmod KDIR=$(KDIR)

static:
	$(MAKE) -C bench STATIC=1

check: deps
	$(MAKE) -C bench check
	$(MAKE) -C analysis check
	$(MAKE) -C kmod check
	$(MAKE) -C tests/probes check
	bash tests/sparse/check
	$(MAKE) lint
	bash tests/lab/check-accel
	bash tests/reboot/check-core
	bash tests/lab/check-all

# Guests on kernels built from source (arm64 PAN variants, armhf domain
# PAN; about 3 minutes per cold kernel build on 2 idle cores) beside
# Debian's, with their probe boots and a mislabelled entry each.
check-arch:
	bash tests/lab/check-arch arm64
	bash tests/lab/check-arch armhf

lint:
	shellcheck .ci/run scripts/install-deps scripts/fresh-check scripts/publish scripts/check-repeat \
		kmod/check-build kmod/checkpatch tests/kmod/check-build-detects \
		bench/harness.sh bench/known-cost.sh tests/bench/e2e.sh \
		lab/fetch-kernel lab/build-initramfs lab/guest-init lab/boot-one \
		lab/store-boot lab/run-matrix lab/matrix.sh lab/demo \
		lab/fetch-userland lab/foreign-arch.sh lab/debs.sh lab/choose-accel \
		lab/arch.sh lab/build-kernel \
		tests/lab/check tests/lab/check-arm64 tests/lab/check-arch tests/lab/check-accel \
		tests/lab/check-all tests/lab/check-known-cost \
		tests/lab/apt-cache tests/lab/probe-assert.sh tests/sparse/check \
		reboot/uabench-reboot reboot/core.sh reboot/mech-grub.sh \
		reboot/mech-kexec.sh reboot/mech-systemd-boot.sh \
		tests/reboot/check tests/reboot/check-core tests/reboot/build-image \
		tests/reboot/console.sh

demo: deps analysis
	ARCHES=$(ARCHES) bash lab/demo $(MATRIX)

# The reboot matrix on this machine (reboot/README.md): root, systemd.
reboot-matrix: static analysis
	@test -n "$(MATRIX)" || { echo "usage: make reboot-matrix MATRIX=<file> [DRY_RUN=1] [REBOOT_ARGS='--boots 5 ...']" >&2; exit 2; }
	reboot/uabench-reboot start --matrix $(MATRIX) $(if $(DRY_RUN),--dry-run) $(REBOOT_ARGS)

# The reboot matrix end to end on a real Debian in QEMU (GRUB, kexec,
# power cut); see tests/reboot/check.
check-reboot: deps static analysis
	bash tests/reboot/check-core
	bash tests/reboot/check

lab-kernel:
	bash lab/fetch-kernel

report: analysis
	@test -n "$(DATA)" || { echo "usage: make report DATA=<run dir>" >&2; exit 2; }
	analysis/uareport $(DATA)

publish: analysis
	@test -n "$(DATA)" || { echo "usage: make publish DATA=<run dir>" >&2; exit 2; }
	bash scripts/publish $(DATA)

bench-harness: bench
	$(MAKE) -C bench bench-harness

bench-report: analysis
	$(MAKE) -C analysis bench-report

# The instrument against known costs in the QEMU lab (bench/known-cost.sh):
# RUNS=3 runs at each D of TICKS="4000 400 40", about 2 min a run.
bench-known-cost: deps analysis
	bash bench/known-cost.sh

# Coverage of uareport's 95 % intervals, by simulation (TRIALS per row).
bench-stats:
	$(MAKE) -C analysis bench-stats TRIALS=$(TRIALS)

clean:
	$(MAKE) -C bench clean
	$(MAKE) -C analysis clean
	$(MAKE) -C kmod clean
