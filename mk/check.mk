# Static checking (issue 10): `make check` runs Linux's semantic checker
# sparse and cppcheck over the kernel sources of both arches, with the
# kernel build's own flags, and fails on any warning (tools/check_static.sh
# prints TAP).  `make test` runs the same script as the unit test
# build/host/tests/check_static.  Rerun after any change: ~20 s.
#
# sparse (0.6.4): -Wsparse-all (every sparse warning, stricter than the
# kernel's `make C=1` defaults) minus three that are not defects here:
#   -Wno-declaration-after-statement  C11 style: this project declares
#                                     variables where they are first used
#   -Wno-ptr-subtraction-blows        a speed hint (p - q over a struct of
#                                     non-power-of-2 size costs a division)
#   -Wno-flexible-array-sizeof        sizeof(*tag) of a struct ending in a
#                                     flexible array is the header size,
#                                     which the multiboot2 parser wants
# plus -D__VERSION__: GCC predefines it (kernel/version.c prints it),
# sparse does not.  x86_64 is sparse's native -m64 target; arm64 is
# --arch=aarch64 (which predefines __aarch64__, LP64, little endian).
#
# cppcheck (2.10): --enable=warning,style,portability,performance with
# --std=c11 --platform=unix64 and the arch's -D/-I flags plus its compiler
# macro (__x86_64__ / __aarch64__).  Suppressed, each a false positive:
#   variableScope, constVariable, constParameter, constVariablePointer,
#   constParameterPointer   style advice (narrower scope, const-correct
#                           pointers), not defects
#   comparePointers on lines naming a linker-script/asm symbol or a
#                           __start_/__stop_ section bound: walking a
#                           link-time table compares symbols cppcheck
#                           takes for distinct objects (the filter is in
#                           tools/check_static.sh; any other
#                           comparePointers report stays)
#   nullPointer:kernel/crashtest.c, knownConditionTrueFalse:kernel/crashtest.c
#                           the deliberate NULL load and endless recursion
#                           of pagoda.crashtest=null|stack
#   staticStringCompare:kernel/lib/string_test.c
#                           the selftest of strcmp/strncmp compares literals
#                           on purpose
#   badBitmaskCheck:mm/memory_online.c
#                           `(u64)ZONE_NORMAL << ZONE_SHIFT` spells out a
#                           zone field that happens to be 0
#   unassignedVariable:arch/arm64/traps.c
#                           a static (zero-initialised) depth counter that
#                           is only incremented
#   duplicateConditionalAssign:arch/arm64/pgtable.c
#                           `if (*p != val) *p = val` through a volatile
#                           PTE pointer: skipping the store of an unchanged
#                           PTE is the point
#   unmatchedSuppression, missingIncludeSystem: about the suppressions and
#                           the freestanding headers themselves
.PHONY: check check-srcs check-flags check-sparse-flags check-sparse-arch check-cppcheck-flags
check: deps
	@sh tools/check_static.sh

SPARSE_FLAGS := -Wsparse-all -Wno-declaration-after-statement -Wno-ptr-subtraction-blows \
	-Wno-flexible-array-sizeof -D__VERSION__="gcc"
CPPCHECK_FLAGS := --quiet --std=c11 --platform=unix64 -j2 \
	--enable=warning,style,portability,performance \
	--suppress=variableScope --suppress=constVariable --suppress=constParameter \
	--suppress=constVariablePointer --suppress=constParameterPointer \
	--suppress=nullPointer:kernel/crashtest.c \
	--suppress=knownConditionTrueFalse:kernel/crashtest.c \
	--suppress=staticStringCompare:kernel/lib/string_test.c \
	--suppress=badBitmaskCheck:mm/memory_online.c \
	--suppress=unassignedVariable:arch/arm64/traps.c \
	--suppress=duplicateConditionalAssign:arch/arm64/pgtable.c \
	--suppress=unmatchedSuppression --suppress=missingIncludeSystem

# What tools/check_static.sh asks for, per ARCH.
check-srcs:
	@echo $(filter %.c,$(SRCS))
check-flags:
	@echo "$(CFLAGS_COMMON) $(ARCH_CFLAGS)"
check-sparse-flags:
	@echo '$(SPARSE_FLAGS)'
check-sparse-arch:
	@echo $(if $(filter arm64,$(ARCH)),--arch=aarch64,-m64)
check-cppcheck-flags:
	@echo '$(CPPCHECK_FLAGS) $(if $(filter arm64,$(ARCH)),-D__aarch64__,-D__x86_64__)'

$(HB)/tests/check_static: tools/check_static.sh mk/check.mk
	@mkdir -p $(dir $@)
	@printf '#!/bin/sh\n# make test: static checks (mk/check.mk)\nexec sh %s/tools/check_static.sh\n' \
		'$(CURDIR)' > $@
	@chmod +x $@
unit-build: $(HB)/tests/check_static
