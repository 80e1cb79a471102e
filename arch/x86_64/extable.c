/* Exception fixups and the faulting accessors built on them.
 *
 *   arch_probe_read64(addr)            x86_exception (#PF / #GP)
 *     1: movq (addr), v   --fault-->     extable_fixup: rip == 1b?
 *     2: return 0                          record vector, CR2, error
 *     3: err = -EFAULT; jmp 2  <--------   rip = 3b
 *
 * The fault record is global: Pagoda runs one CPU with interrupts off. */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <asm/cpu.h>
#include <asm/ptrace.h>
#include <asm/extable.h>

extern const struct exception_table_entry __start___ex_table[], __stop___ex_table[];

static struct {
	u64 vector;
	u64 error;
	unsigned long cr2;
} extable_last;

bool extable_fixup(struct pt_regs *regs)
{
	for (const struct exception_table_entry *e = __start___ex_table;
	     e < __stop___ex_table; e++) {
		if (e->insn != regs->rip)
			continue;
		extable_last.vector = regs->vector;
		extable_last.error = regs->error;
		extable_last.cr2 = regs->vector == 14 ? read_cr2() : 0;
		regs->rip = e->fixup;
		return true;
	}
	return false;
}

/* Describe the fault just fixed up: #PF gives CR2 and the error code
 * (bit 0 present = protection, bit 1 write); #GP (a non-canonical
 * address) gives neither, so the probed address stands in. */
static void extable_fill(struct fault_info *fi, unsigned long addr, bool write)
{
	if (!fi)
		return;
	if (extable_last.vector == 14) {
		fi->addr = extable_last.cr2;
		fi->write = extable_last.error & 2;
		fi->protection = extable_last.error & 1;
	} else {
		fi->addr = addr;
		fi->write = write;
		fi->protection = false;
	}
}

int arch_probe_read64(unsigned long addr, u64 *val, struct fault_info *fi)
{
	u64 v;
	int err = 0;

	asm volatile("1:\tmovq (%[addr]), %[v]\n"
		     "2:\n"
		     "\t.pushsection .fixup, \"ax\"\n"
		     "3:\tmovl %[efault], %[err]\n"
		     "\txorl %k[v], %k[v]\n"
		     "\tjmp 2b\n"
		     "\t.popsection\n"
		     "\t.pushsection __ex_table, \"a\"\n"
		     "\t.balign 8\n"
		     "\t.quad 1b, 3b\n"
		     "\t.popsection"
		     : [v] "=&r"(v), [err] "+r"(err)
		     : [addr] "r"(addr), [efault] "i"(-EFAULT)
		     : "memory");
	if (err)
		extable_fill(fi, addr, false);
	else
		*val = v;
	return err;
}

int arch_probe_write64(unsigned long addr, u64 val, struct fault_info *fi)
{
	int err = 0;

	asm volatile("1:\tmovq %[v], (%[addr])\n"
		     "2:\n"
		     "\t.pushsection .fixup, \"ax\"\n"
		     "3:\tmovl %[efault], %[err]\n"
		     "\tjmp 2b\n"
		     "\t.popsection\n"
		     "\t.pushsection __ex_table, \"a\"\n"
		     "\t.balign 8\n"
		     "\t.quad 1b, 3b\n"
		     "\t.popsection"
		     : [err] "+r"(err)
		     : [addr] "r"(addr), [v] "r"(val), [efault] "i"(-EFAULT)
		     : "memory");
	if (err)
		extable_fill(fi, addr, true);
	return err;
}
