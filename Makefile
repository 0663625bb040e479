# The two commands of the README's quick start, and the pieces they are made of.
# Each installs the Debian packages it needs when run as root (cross/deps), or prints the
# exact apt-get line otherwise.

TARGETS := host aarch64 armv7

FUZZ_SECONDS ?= 60

.PHONY: run test swift-test plot-test boards board-selftests fuzz sizes fresh-check clean

## The main job: build the host board binary (Embedded Swift), run its selftest, then the demo:
## a CA and 5 peers on loopback, alice calls bob through the overlay; Ctrl-C stops it.
run:
	cross/deps host
	cross/build host
	cross/out/host/p2psip selftest
	cross/out/host/p2psip demo

## The full test suite (what CI runs): swift test, the three board binaries, their selftests
## and the identity commands (cross/check-identity) natively and under qemu, and their sizes.
test:
	cross/deps all
	$(MAKE) swift-test plot-test boards board-selftests fuzz sizes

swift-test:
	swift build
	swift test

## The simulator's plotting script (Tools/sim/plot.py, matplotlib) on synthetic runs.
plot-test:
	python3 Tools/sim/test_plot.py

boards:
	@for target in $(TARGETS); do cross/build $$target || exit 1; done

board-selftests:
	cross/out/host/p2psip selftest
	qemu-aarch64 cross/out/aarch64/p2psip selftest
	qemu-arm cross/out/armv7/p2psip selftest
	@for target in $(TARGETS); do cross/check-identity $$target || exit 1; done

## Each fuzz target for FUZZ_SECONDS (libFuzzer + AddressSanitizer, committed seed corpus).
fuzz:
	Tests/Fuzz/run reload $(FUZZ_SECONDS)
	Tests/Fuzz/run config $(FUZZ_SECONDS)
	Tests/Fuzz/run http $(FUZZ_SECONDS)
	Tests/Fuzz/run sip $(FUZZ_SECONDS)

sizes:
	@echo "stripped sizes of the board binaries:"
	@for target in $(TARGETS); do \
	  printf '  %-8s %8d bytes  %s\n' $$target $$(stat -c %s cross/out/$$target/p2psip) \
	    "$$(readelf -h cross/out/$$target/p2psip | sed -n 's/^ *Machine: *//p')"; \
	done

## The README's quick start on a fresh Debian 12 root (debootstrap), as root; CI runs it after
## `make test` (.ci/run). About 10-15 minutes on 2 cores.
fresh-check:
	cross/fresh-check

clean:
	rm -rf .build cross/out cross/obj
