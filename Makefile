# Pagoda build.  `make run` boots x86_64 through GRUB; `make test` runs
# everything (host unit tests, then boot tests on both arches).
#
#   make [ARCH=x86_64|arm64] image   build/<arch>/pagoda.elf + pagoda.iso
#   make run [ARCH=..] [FIRMWARE=bios|uefi] [CMDLINE="..."] [MEM=1G] [SMP=1]
#   make debug                       QEMU halted with a gdb stub + gdb script
#   make unit                        host unit tests (ASan+UBSan)
#   make test                        deps, images, unit tests, boot tests
#   make test-image CMDLINE=.. TEST_ISO=path   image copy with other parameters
#   make bench                       host benchmarks
#   make bench-boot                  boot time to the prompt on every machine
#   make bench-hotplug               memory hot-add cost and time (issue 7)
ARCH     ?= x86_64
FIRMWARE ?= $(if $(filter arm64,$(ARCH)),uefi,bios)
CMDLINE  ?=
MEM      ?= 1G
SMP      ?= 1
JOBS     ?= 2
B        := build/$(ARCH)$(if $(filter 1,$(LOCK_DEBUG)),-lockdebug)
HB       := build/host

.PHONY: all image run debug unit test bench bench-boot deps clean check-images
all: image

# ---------------------------------------------------------------- kernel
GENERIC_SRCS := $(wildcard kernel/*.c kernel/lib/*.c mm/*.c)
INCLUDES     := -Iinclude -Iarch/$(ARCH)/include -I.
CFLAGS_BASE = -std=gnu11 -O2 -g -Wall -Wextra -Wno-unused-parameter \
	-Werror=implicit-function-declaration -Werror=return-type \
	-ffreestanding -fno-builtin-printf -fno-stack-protector -fno-common \
	-fno-omit-frame-pointer -fno-strict-aliasing -nostdinc \
	-DPAGODA_KERNEL $(INCLUDES)

include arch/$(ARCH)/arch.mk
# arch.mk sets: CROSS, ARCH_CFLAGS, ARCH_ASFLAGS, ARCH_LDFLAGS, ARCH_SRCS,
# LDSCRIPT, and the rule for $(B)/pagoda.iso; it may use $(ELF).

CC      := $(CROSS)gcc
LD      := $(CROSS)ld
OBJCOPY := $(CROSS)objcopy
GCC_INC := $(shell $(CC) -print-file-name=include)
CFLAGS_COMMON := $(CFLAGS_BASE) -isystem $(GCC_INC)

SRCS := $(GENERIC_SRCS) $(ARCH_SRCS)
OBJS := $(patsubst %,$(B)/obj/%.o,$(SRCS))
ELF  := $(B)/pagoda.elf
ISO  := $(B)/pagoda.iso

$(B)/obj/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(ARCH_CFLAGS) -MMD -MP -c $< -o $@
$(B)/obj/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_COMMON) $(ARCH_CFLAGS) $(ARCH_ASFLAGS) -D__ASSEMBLER__ -MMD -MP -c $< -o $@

$(ELF): $(OBJS) $(LDSCRIPT)
	$(LD) $(ARCH_LDFLAGS) -T $(LDSCRIPT) -o $@ $(OBJS)

# The image's grub.cfg carries CMDLINE; rebuild the image when it changes.
$(B)/cmdline.stamp: FORCE
	@mkdir -p $(B)
	@echo '$(CMDLINE)' | cmp -s - $@ || echo '$(CMDLINE)' > $@
FORCE:

image: $(ISO) $(ELF)

-include $(OBJS:.o=.d)

# ---------------------------------------------------------------- running
run: deps
	@$(MAKE) --no-print-directory image
	python3 tools/run.py --arch $(ARCH) --firmware $(FIRMWARE) --mem $(MEM) --smp $(SMP) --iso $(ISO)

debug: deps
	@$(MAKE) --no-print-directory image
	python3 tools/run.py --arch $(ARCH) --firmware $(FIRMWARE) --mem $(MEM) --iso $(ISO) --gdb --elf $(ELF)

# Lock-order checking kernel (PAGODA_LOCK_DEBUG): make LOCK_DEBUG=1 image
ifeq ($(LOCK_DEBUG),1)
CFLAGS_COMMON += -DPAGODA_LOCK_DEBUG
endif

# ---------------------------------------------------------------- host
include tests/unit/unit.mk
# Further targets (check, fuzz, coverage, mutate, torture, ...): one file each.
include $(sort $(wildcard mk/*.mk))
include tests/bench/bench.mk

# ---------------------------------------------------------------- tests
deps:
	@sh tools/deps.sh

check-images:
	$(MAKE) ARCH=x86_64 image
	$(MAKE) ARCH=arm64 image

# A failed image build does not stop the run: that arch's boot tests then
# fail (its stale ISO is removed), the rest still report.  Exit status 1 if
# anything failed.  Filter while developing:
#   python3 tools/harness.py -k NAME --arch x86_64 tests/boot/*.test
test: deps
	@rc=0; \
	for a in x86_64 arm64; do \
	    $(MAKE) --no-print-directory -j$(JOBS) ARCH=$$a CMDLINE= image || { rc=1; \
	        rm -f build/$$a/pagoda.iso; \
	        echo "test: ARCH=$$a image failed; its boot tests will fail"; }; \
	done; \
	$(MAKE) --no-print-directory -j$(JOBS) unit-build || { rc=1; echo "test: unit-build failed"; }; \
	python3 tools/harness.py --jobs $(JOBS) --unit-dir $(HB)/tests tests/boot/*.test || rc=1; \
	exit $$rc

# The image with other kernel parameters at another path, for boot tests
# that need a command line (build/<arch>/pagoda.iso is left alone):
#   make ARCH=a test-image CMDLINE="..." TEST_ISO=build/test-images/x.iso
# Runs the arch's own ISO recipe in a scratch build dir seeded with this
# build's ELF, which the sub-make is told not to remake (-o).
TEST_ISO ?= build/test-images/$(ARCH).iso
TEST_B   := $(TEST_ISO:.iso=).build
.PHONY: test-image
test-image: $(ELF)
	@rm -rf $(TEST_B) && mkdir -p $(TEST_B)
	@cp $(ELF) $(TEST_B)/pagoda.elf
	@$(MAKE) --no-print-directory B=$(TEST_B) -o $(TEST_B)/pagoda.elf $(TEST_B)/pagoda.iso
	@mv $(TEST_B)/pagoda.iso $(TEST_ISO)
	@rm -rf $(TEST_B)

# Boot-time figures (firmware + GRUB + kernel to the prompt), per machine.
bench-boot: deps
	@$(MAKE) --no-print-directory check-images
	python3 tools/boottime.py --runs 3

# Memory hot-add figures (tools/bench_hotplug.py): old memory consumed and
# add+online time per GiB of 128M..64G DIMMs, memmap_on_memory on and off,
# both arches, one QEMU at a time.  BENCH_HOTPLUG_ARGS="--arch arm64 ...".
BENCH_HOTPLUG_ARGS ?=
.PHONY: bench-hotplug
bench-hotplug: deps
	@$(MAKE) --no-print-directory check-images
	python3 tools/bench_hotplug.py $(BENCH_HOTPLUG_ARGS)

clean:
	rm -rf build
