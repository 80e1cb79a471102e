# x86_64: native toolchain, kernel code model at -2 GiB, GRUB multiboot2 ISO.
CROSS        :=
ARCH_CFLAGS  := -m64 -march=x86-64 -mno-red-zone -mcmodel=kernel \
	-mgeneral-regs-only -mno-sse -mno-mmx -fno-pic -fno-pie \
	-fno-asynchronous-unwind-tables
ARCH_ASFLAGS :=
ARCH_LDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack --no-pie
ARCH_SRCS    := $(wildcard arch/x86_64/*.c arch/x86_64/*.S) boot/multiboot2.c boot/efi.c
LDSCRIPT     := linker/x86_64.ld

# The ISO: GRUB (BIOS + UEFI) whose grub.cfg boots pagoda.elf with CMDLINE.
# CMDLINE comes from the stamp file (rewritten only when it changes), and is
# substituted with awk index/substr so that & \ | " ; in it stay literal.
GRUB_CFG_IN := boot/grub-x86_64.cfg.in
$(B)/pagoda.iso: $(B)/pagoda.elf $(B)/cmdline.stamp $(GRUB_CFG_IN)
	@rm -rf $(B)/iso
	@mkdir -p $(B)/iso/boot/grub
	cp $(B)/pagoda.elf $(B)/iso/boot/pagoda.elf
	awk 'NR == FNR { c = $$0; next } \
	     { i = index($$0, "@CMDLINE@"); \
	       if (i) $$0 = substr($$0, 1, i - 1) c substr($$0, i + 9) } 1' \
	    $(B)/cmdline.stamp $(GRUB_CFG_IN) > $(B)/iso/boot/grub/grub.cfg
	grub-mkrescue -o $@ $(B)/iso 2>$(B)/grub-mkrescue.log || \
	    { cat $(B)/grub-mkrescue.log; exit 1; }
