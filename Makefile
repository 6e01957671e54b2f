# uaccess-bench: top-level build. Every part has its own Makefile; this one
# ties them together. `make demo` runs the QEMU lab end to end, `make check`
# runs every test.

KDIR ?= /lib/modules/$(shell uname -r)/build
DATA ?=
MATRIX ?=

.PHONY: all deps bench analysis kmod static check lint demo report publish \
	lab-kernel bench-harness bench-report bench-stats clean

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
	bash tests/lab/check
	bash tests/lab/check-arm64

lint:
	shellcheck .ci/run scripts/install-deps scripts/fresh-check scripts/publish \
		kmod/check-build kmod/checkpatch tests/kmod/check-build-detects \
		bench/harness.sh tests/bench/e2e.sh \
		lab/fetch-kernel lab/build-initramfs lab/guest-init lab/boot-one \
		lab/store-boot lab/run-matrix lab/matrix.sh lab/demo \
		lab/fetch-userland lab/foreign-arch.sh lab/debs.sh lab/choose-accel \
		tests/lab/check tests/lab/check-arm64 tests/lab/check-accel \
		tests/lab/apt-cache tests/lab/probe-assert.sh tests/sparse/check

demo: deps analysis
	bash lab/demo $(MATRIX)

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

# Coverage of uareport's 95 % intervals, by simulation (TRIALS per row).
bench-stats:
	$(MAKE) -C analysis bench-stats TRIALS=$(TRIALS)

clean:
	$(MAKE) -C bench clean
	$(MAKE) -C analysis clean
	$(MAKE) -C kmod clean
