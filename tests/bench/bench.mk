# `make bench`: the host benchmark of mm/ (tests/bench/bench_mm.c), built
# -O2 without sanitizers against the same sources as the mm unit tests,
# then run; it prints a Markdown table (see docs/performance.md).
BENCH_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Wno-unused-parameter \
	-fno-omit-frame-pointer -DPAGODA_HOST \
	-Iinclude -Itests/unit/host/include -Itests/unit -I.
BENCH_BIN := $(HB)/bench/bench_mm

$(BENCH_BIN): tests/bench/bench_mm.c $(MM_HOST_SRCS) $(wildcard include/pagoda/*.h tests/unit/host/*.h tests/unit/host/include/asm/*.h mm/*.h)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(BENCH_CFLAGS) -o $@ tests/bench/bench_mm.c $(MM_HOST_SRCS)

bench: $(BENCH_BIN)
	$(BENCH_BIN)
