# `make torture`: the long versions of the torture boot tests (issue 10),
# made from the short ones of `make test` so both check the same things:
#
#   tests/boot/torture.test      -> build/torture/torture-long.test
#       `torture hotplug 50 0x5eed` becomes TORTURE_CYCLES cycles from
#       TORTURE_SEED (hex; default: a fresh random one, printed)
#   tests/boot/qmp-torture.test  -> build/torture/qmp-torture-long.test
#       `repeat: 12` becomes TORTURE_ROUNDS DIMM plug/unplug rounds
#
# Each runs on x86_64 (SeaBIOS) and arm64, one QEMU at a time under
# nice -n 19; the kernel's summary line and the wall time of each run are
# printed at the end (figures for docs/reliability.md).  Exit status 1 if
# any check failed.  Logs: build/test-logs/*-long-<arch>-<fw>.log.
#   make torture TORTURE_CYCLES=200 TORTURE_ROUNDS=20 TORTURE_SEED=0x1234
TORTURE_CYCLES ?= 1000
TORTURE_ROUNDS ?= 100
ifeq ($(origin TORTURE_SEED),undefined)
TORTURE_SEED   := $(shell printf '0x%x' $$(od -An -N4 -tu4 /dev/urandom))
endif
TORTURE_DIR    := build/torture
TORTURE_TESTS  := $(TORTURE_DIR)/torture-long.test $(TORTURE_DIR)/qmp-torture-long.test

.PHONY: torture torture-tests
torture: deps
	@$(MAKE) --no-print-directory check-images
	@$(MAKE) --no-print-directory torture-tests TORTURE_SEED=$(TORTURE_SEED)
	@echo "torture: $(TORTURE_CYCLES) hotplug cycles from seed $(TORTURE_SEED), $(TORTURE_ROUNDS) QMP rounds"
	@rc=0; \
	for t in $(TORTURE_TESTS); do \
	    for a in x86_64 arm64; do \
	        s=$$(date +%s); \
	        nice -n 19 python3 tools/harness.py --jobs 1 --arch $$a $$([ $$a = x86_64 ] && echo --firmware bios) $$t \
	            > $(TORTURE_DIR)/$$(basename $$t .test)-$$a.tap || rc=1; \
	        tail -n 1 $(TORTURE_DIR)/$$(basename $$t .test)-$$a.tap | \
	            sed "s|^|torture: $$(basename $$t) [$$a]: $$(( $$(date +%s) - s )) s, |"; \
	        grep -v '^ok \|^1\.\.\|passed, [0-9]* failed$$' $(TORTURE_DIR)/$$(basename $$t .test)-$$a.tap | head -n 40; \
	    done; \
	done; \
	grep -a 'torture: hotplug: .*cycles ok\|error: torture: hotplug' build/test-logs/torture-long-*.log | \
	    tr -d '\r' | sed 's|^build/test-logs/torture-long-||; s|\.log:| |'; \
	exit $$rc

# The long test files, generated (the seed is baked in: rerun with it).
torture-tests:
	@mkdir -p $(TORTURE_DIR)
	@sed -e 's/\b50\b/$(TORTURE_CYCLES)/g' -e 's/0x5eed/$(TORTURE_SEED)/g' \
	    -e 's/^timeout: .*/timeout: 14400/' -e 's/(short)/(long)/' \
	    tests/boot/torture.test > $(TORTURE_DIR)/torture-long.test
	@sed -e 's/^repeat: 12$$/repeat: $(TORTURE_ROUNDS)/' \
	    -e 's/^timeout: .*/timeout: 7200/' -e 's/(short)/(long)/' \
	    tests/boot/qmp-torture.test > $(TORTURE_DIR)/qmp-torture-long.test
