# Host unit tests of generic code, built with ASan+UBSan.
# Add a test: a file tests/unit/test_NAME.c and a line
#   UNIT_TESTS += NAME
#   NAME_SRCS := <generic sources it needs>
# The harness runs every binary in build/host/tests/ and reads its TAP lines.
HOST_CC     ?= gcc
HOST_CFLAGS := -std=gnu11 -O1 -g -Wall -Wextra -Wno-unused-parameter \
	-fsanitize=address,undefined -fno-sanitize-recover=undefined \
	-fno-omit-frame-pointer -DPAGODA_HOST -DPAGODA_LOCK_DEBUG \
	-Iinclude -Itests/unit/host/include -Itests/unit -I.
HOST_LDLIBS := -lcmocka

UNIT_TESTS :=
-include tests/unit/*.mk.inc

UNIT_BINS := $(patsubst %,$(HB)/tests/test_%,$(UNIT_TESTS))

.SECONDEXPANSION:
$(HB)/tests/test_%: tests/unit/test_%.c $$($$*_SRCS) $(wildcard include/pagoda/*.h tests/unit/host/include/asm/*.h tests/unit/*.h mm/*.h)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -o $@ $< $($*_SRCS) $(HOST_LDLIBS)

.PHONY: unit-build unit
unit-build: $(UNIT_BINS)
unit: unit-build
	python3 tools/harness.py --unit-dir $(HB)/tests
