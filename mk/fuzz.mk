# Fuzzing the parsers (issue 10, "Fuzzing (host)"): libFuzzer harnesses in
# tests/fuzz/fuzz_<T>.c, seed corpora in tests/fuzz/corpus/<T>/, crash
# inputs kept in tests/fuzz/regressions/<T>/.
#
#   make fuzz [FUZZ_SECONDS=120] [FUZZ_TARGETS="shell acpi"] [FUZZ_JOBS=1]
#       each target for FUZZ_SECONDS under nice -n 19 (clang-14 with
#       -fsanitize=fuzzer,address,undefined); new inputs go to
#       build/fuzz/work/<T>/ (the committed corpus is left alone), crashes
#       to build/fuzz/crash-<T>-*; figures in build/fuzz/summary.txt
#   make fuzz-cmin  merge build/fuzz/work/<T> into a minimal corpus in
#       build/fuzz/cmin/<T>/ (copy what is worth keeping to tests/fuzz/corpus)
#
# Inside `make test`: build/host/tests/fuzz_<T> (unit-build) replays every
# corpus and regression input through the same harness built with gcc and
# ASan/UBSan but without libFuzzer (tests/fuzz/replay.c), one child each.
FUZZ_TARGETS ?= shell cmdline multiboot2 efi_mmap acpi acpi_aml acpi_memhp
FUZZ_ALL     := shell cmdline multiboot2 efi_mmap acpi acpi_aml acpi_memhp
FUZZ_SECONDS ?= 120
FUZZ_CC      ?= clang-14
FUZZ_B       := build/fuzz
FUZZ_INC     := -DPAGODA_HOST -Iinclude -Itests/unit/host/include -Itests/unit -I. -Itests/fuzz
FUZZ_CFLAGS  := -std=gnu11 -O1 -g -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer $(FUZZ_INC)

# The sources each harness links: the unit test's list where there is one,
# so a source added there (a new dependency) reaches the harness too.
fuzz_shell_SRCS      = $(shell_SRCS)
fuzz_cmdline_SRCS    = kernel/cmdline.c kernel/params.c kernel/vsprintf.c kernel/lib/parse.c
fuzz_multiboot2_SRCS = $(multiboot2_SRCS)
fuzz_efi_mmap_SRCS   = $(efi_mmap_SRCS)
fuzz_acpi_SRCS       = kernel/acpi.c kernel/vsprintf.c
fuzz_acpi_aml_SRCS   = kernel/acpi_aml.c kernel/acpi.c
fuzz_acpi_memhp_SRCS = $(filter-out kernel/acpi_memhp.c,$(acpi_memhp_SRCS))

FUZZ_DEPS := tests/fuzz/fuzz.h tests/fuzz/fuzz_bootinfo.h $(wildcard include/pagoda/*.h \
	tests/unit/host/include/asm/*.h tests/unit/*.h mm/*.h kernel/*.h boot/*.h)

$(FUZZ_B)/%: tests/fuzz/fuzz_%.c $$(fuzz_%_SRCS) $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(fuzz_$*_SRCS)

$(HB)/tests/fuzz_%: tests/fuzz/replay.c tests/fuzz/fuzz_%.c $$(fuzz_%_SRCS) $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(HOST_CC) $(HOST_CFLAGS) -Itests/fuzz -DFUZZ_TARGET='"$*"' \
		-DFUZZ_DIR='"$(CURDIR)/tests/fuzz"' -o $@ $< tests/fuzz/fuzz_$*.c $(fuzz_$*_SRCS)

unit-build: $(patsubst %,$(HB)/tests/fuzz_%,$(FUZZ_ALL))

.PHONY: fuzz fuzz-build fuzz-cmin
fuzz-build: $(patsubst %,$(FUZZ_B)/%,$(FUZZ_TARGETS))
fuzz: deps fuzz-build
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)
fuzz-cmin: fuzz-build
	@for t in $(FUZZ_TARGETS); do rm -rf $(FUZZ_B)/cmin/$$t; mkdir -p $(FUZZ_B)/cmin/$$t; \
	    $(FUZZ_B)/$$t -merge=1 $(FUZZ_B)/cmin/$$t tests/fuzz/corpus/$$t $(FUZZ_B)/work/$$t \
	        >/dev/null 2>&1; echo "$$t: $$(ls $(FUZZ_B)/cmin/$$t | wc -l) inputs"; done
