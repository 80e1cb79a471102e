# arm64: cross toolchain, kernel linked at KIMAGE_VADDR but entered at the
# firmware's load address (PC-relative code model until the MMU switch),
# booted as a PE32+ EFI application by GRUB's `linux` command.
CROSS        := aarch64-linux-gnu-
ARCH_CFLAGS  := -mgeneral-regs-only -mstrict-align -mcmodel=small \
	-fno-pic -fno-pie -mbranch-protection=none \
	-fno-asynchronous-unwind-tables -fno-unwind-tables \
	-mno-outline-atomics
ARCH_ASFLAGS :=
ARCH_LDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack --no-pie \
	--no-warn-rwx-segments
ARCH_SRCS    := $(wildcard arch/arm64/*.c arch/arm64/*.S) boot/efi.c
LDSCRIPT     := linker/arm64.ld

# pagoda.img: the flat Image/PE file [_text, _edata) (head.S writes the
# headers); its size must equal the .data section's end in the PE header.
$(B)/pagoda.img: $(B)/pagoda.elf
	$(OBJCOPY) -O binary $< $@
	@sym() { $(CROSS)nm $< | awk -v s=$$1 '$$3 == s { print "0x" $$1 }'; }; \
	 want=$$(( $$(sym __pe_data_rva) + $$(sym __pe_data_rawsize) )); \
	 have=$$(stat -c %s $@); \
	 if [ $$have -lt $$want ]; then truncate -s $$want $@; \
	 elif [ $$have -ne $$want ]; then echo "pagoda.img: $$have bytes, want $$want"; exit 1; fi

# The ISO: GRUB arm64-efi whose grub.cfg boots pagoda.img with CMDLINE
# (substituted literally, as for x86_64).
GRUB_CFG_IN := boot/grub-arm64.cfg.in
GRUB_ARM64  := .deps/grub-arm64/usr/lib/grub/arm64-efi
$(B)/pagoda.iso: $(B)/pagoda.img $(B)/cmdline.stamp $(GRUB_CFG_IN)
	@rm -rf $(B)/iso
	@mkdir -p $(B)/iso/boot/grub
	cp $(B)/pagoda.img $(B)/iso/boot/pagoda.img
	awk 'NR == FNR { c = $$0; next } \
	     { i = index($$0, "@CMDLINE@"); \
	       if (i) $$0 = substr($$0, 1, i - 1) c substr($$0, i + 9) } 1' \
	    $(B)/cmdline.stamp $(GRUB_CFG_IN) > $(B)/iso/boot/grub/grub.cfg
	grub-mkrescue -d $(GRUB_ARM64) -o $@ $(B)/iso 2>$(B)/grub-mkrescue.log || \
	    { cat $(B)/grub-mkrescue.log; exit 1; }
