# Coverage of mm/ by the host unit tests (issue 10): gcovr, line and branch
# per file.
#
#   make coverage    build, run, report (build/coverage/mm.txt, mm-branches.txt,
#                    mm.json) and check the goal
#
# Every host test that links mm/ sources (X_SRCS holds mm/%) is built a
# second time with --coverage and without sanitizers into build/host-cov/:
# each source is compiled once to an object (its .gcda then sums the runs
# of every test), each test links those objects.  Inside `make test` the TAP
# test build/host/tests/coverage_mm (tools/coverage_mm.py) runs them (two at
# a time; the measurement is reused while no coverage binary changed) and
# fails when a file of mm/ is below its line goal: 90%, or a lower one
# documented per file in tools/coverage_mm.py with what is not covered,
# and when mm/ as a whole is below COV_GOAL (issue 10: 90%).
# Children forked by the host harness leave through _exit(): the coverage
# builds wrap it (tests/coverage/cov_exit.c) to write their counters first.
# The *_bench.c files are timing loops the host tests do not run: reported,
# not counted.
COVB      := build/host-cov
COV_GOAL  ?= 90
COV_CFLAGS := $(filter-out -fsanitize=% -fno-sanitize-recover=% -O1,$(HOST_CFLAGS)) \
	-O0 --coverage
COV_TESTS := $(foreach t,$(UNIT_TESTS),$(if $(filter mm/%,$($(t)_SRCS)),$(t)))
COV_BINS  := $(patsubst %,$(COVB)/tests/test_%,$(COV_TESTS))
COV_DEPS  := $(wildcard include/pagoda/*.h tests/unit/host/include/asm/*.h tests/unit/*.h \
	mm/*.h kernel/*.h)

# (a function: a '%' written in the rule itself would take the stem)
cov_objs = $(addprefix $(COVB)/obj/,$(patsubst %.c,%.o,$($(1)_SRCS)))

$(COVB)/obj/%.o: %.c $(COV_DEPS)
	@mkdir -p $(dir $@)
	@$(HOST_CC) $(COV_CFLAGS) -c -o $@ $<

$(COVB)/tests/test_%: $(COVB)/obj/tests/unit/test_%.o \
		$$(call cov_objs,$$*) $(COVB)/obj/tests/coverage/cov_exit.o
	@mkdir -p $(dir $@)
	@$(HOST_CC) --coverage -Wl,--wrap=_exit -o $@ $^ $(HOST_LDLIBS)

$(HB)/tests/coverage_mm: tools/coverage_mm.py mk/coverage.mk $(COV_BINS)
	@mkdir -p $(dir $@)
	@printf '#!/bin/sh\n# make test: mm/ coverage goal (mk/coverage.mk)\nexec python3 %s/tools/coverage_mm.py --goal %s %s\n' \
		'$(CURDIR)' '$(COV_GOAL)' '$(addprefix $(CURDIR)/,$(COV_BINS))' > $@
	@chmod +x $@
unit-build: $(HB)/tests/coverage_mm

.PHONY: coverage
coverage: $(COV_BINS) deps
	@python3 tools/coverage_mm.py --goal $(COV_GOAL) --report $(COV_BINS)
