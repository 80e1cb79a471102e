/* Exceptions: decode, fix up or panic; faulting probes; backtraces.
 *
 *   ESR_EL1:  31..26 EC   25 IL   24..0 ISS
 *     EC 0x21 instruction abort (same EL)   EC 0x25 data abort (same EL)
 *     ISS 6 WnR (write)   ISS 5..0 DFSC/IFSC:
 *       0b0001LL translation fault, level LL   0b0010LL access flag
 *       0b0011LL permission fault              0b100001 alignment
 *   FAR_EL1:  the faulting virtual address
 *
 * A translation fault at a vmemmap address inside an open break-before-make
 * window (asm/pgtable.h arm64_bbm_window) is finished and retried first.
 * A data abort at an instruction listed in __ex_table ({insn, fixup}
 * pairs, as on x86_64) resumes at its fixup with the fault recorded for
 * arch_probe_read64/arch_probe_write64; anything else prints the frame and
 * panics, whose backtrace (arch_dump_backtrace) walks on through the frame
 * record entry.S pushes, {interrupted fp, ELR}, into the faulting code.
 *
 * An exception that finds the kernel stack exhausted (SP in or near the
 * unmapped guard page below it) is taken on the overflow stack instead
 * (entry.S, asm/stack.h) and reported by arm64_bad_stack_report:
 *
 *   Insufficient stack space to handle exception!
 *   kernel stack overflow: sp ... far ... (guard page [..., ...))
 *   ... registers, panic, backtrace from the overflow stack into the
 *   recursion on the boot stack */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <asm/ptrace.h>
#include <asm/pgtable.h>
#include <asm/smp.h>
#include "arm64.h"

struct exception_table_entry { unsigned long insn, fixup; };
extern const struct exception_table_entry __start___ex_table[], __stop___ex_table[];

#define ESR_EC(esr)      (((esr) >> 26) & 0x3f)
#define EC_IABT_CUR      0x21
#define EC_DABT_CUR      0x25
#define ESR_WNR          (1UL << 6)
#define ESR_FSC(esr)     ((esr) & 0x3f)

/* The last fault a fixup absorbed, per CPU (the probe reads its own). */
static struct fault_info arm64_last_fault[STACK_NR_CPUS];

int __arm64_probe_read64(unsigned long addr, u64 *val);
int __arm64_probe_write64(unsigned long addr, u64 val);

static const char *fsc_name(unsigned fsc)
{
	switch (fsc >> 2) {
	case 0: return "address size fault";
	case 1: return "translation fault";
	case 2: return "access flag fault";
	case 3: return "permission fault";
	}
	return fsc == 0x21 ? "alignment fault" : "other fault";
}

static const struct exception_table_entry *search_ex_table(unsigned long pc)
{
	for (const struct exception_table_entry *e = __start___ex_table;
	     e < __stop___ex_table; e++)
		if (e->insn == pc)
			return e;
	return NULL;
}

extern char arm64_exception_ret[], arm64_bad_stack_ret[];   /* entry.S */

/* True if the frame record [fp, fp + 16) lies on this CPU's kernel stack
 * or its overflow stack (asm/stack.h). */
static bool backtrace_frame_ok(unsigned long fp)
{
	unsigned int cpu = arch_smp_processor_id() % STACK_NR_CPUS;
	unsigned long lo = arm64_stack_lo[cpu];
	unsigned long ovf = (unsigned long)arm64_overflow_stack + cpu * OVERFLOW_STACK_SIZE;

	if (!IS_ALIGNED(fp, 16))
		return false;
	return (fp >= lo && fp + 16 <= lo + BOOT_STACK_SIZE) ||
	       (fp >= ovf && fp + 16 <= ovf + OVERFLOW_STACK_SIZE);
}

/* Frame-pointer walk: each frame record is {previous fp, return address}.
 * The frame after a return into entry.S is its record, whose "return
 * address" is the ELR of the exception. */
static void backtrace_from(unsigned long fp)
{
	bool fault = false;

	printk("Call trace:\n");
	for (int depth = 0; depth < 32 && backtrace_frame_ok(fp); depth++) {
		const unsigned long *rec = (const unsigned long *)fp;
		if (!rec[1])
			break;
		printk("  [<%016lx>]%s\n", rec[1], fault ? " (faulting instruction)" : "");
		fault = rec[1] == (unsigned long)arm64_exception_ret ||
			rec[1] == (unsigned long)arm64_bad_stack_ret;
		fp = rec[0];
	}
}

void arch_dump_backtrace(void)
{
	backtrace_from((unsigned long)__builtin_frame_address(0));
}

static void show_regs(const struct pt_regs *r)
{
	printk("pc : %016lx  sp : %016lx  pstate : %08lx\n",
	       (unsigned long)r->elr, (unsigned long)r->sp, (unsigned long)r->spsr);
	printk("esr: %016lx  far: %016lx  lr : %016lx\n", (unsigned long)r->esr,
	       (unsigned long)r->far, (unsigned long)r->regs[30]);
	for (int i = 29; i >= 1; i -= 2)
		printk("x%-2d: %016lx  x%-2d: %016lx\n", i, (unsigned long)r->regs[i],
		       i - 1, (unsigned long)r->regs[i - 1]);
}

/* Data/instruction abort: a translation fault inside a vmemmap
 * break-before-make window is completed and retried (arm64_bbm_fault,
 * docs/hvo-bbm.md); otherwise fix up through __ex_table, or report and
 * panic.  protection is set for a permission fault (FSC 0b0011LL), e.g. a
 * write to a read-only page such as HVO's shared tail page. */
static void do_abort(struct pt_regs *regs, u64 esr)
{
	bool data = ESR_EC(esr) == EC_DABT_CUR;
	bool write = data && (esr & ESR_WNR);
	unsigned fsc = ESR_FSC(esr);
	const struct exception_table_entry *fix;

	if (data && (fsc >> 2) == 1 && arm64_bbm_fault(regs->far))
		return;                 /* inside a vmemmap BBM window: retry */
	fix = data ? search_ex_table(regs->elr) : NULL;
	if (fix) {
		struct fault_info *fi = &arm64_last_fault[arch_smp_processor_id() % STACK_NR_CPUS];

		fi->addr = regs->far;
		fi->write = write;
		fi->protection = (fsc >> 2) == 3;
		regs->elr = fix->fixup;
		return;
	}
	printk("Unable to handle kernel %s at virtual address %016lx\n",
	       data ? (write ? "write" : "read") : "instruction fetch",
	       (unsigned long)regs->far);
	printk("%s abort: %s (FSC 0x%02x, level %u)\n", data ? "Data" : "Instruction",
	       fsc_name(fsc), fsc, fsc & 3);
	show_regs(regs);
	panic("%s abort at pc %016lx far %016lx", data ? "data" : "instruction",
	      (unsigned long)regs->elr, (unsigned long)regs->far);
}

/* Called from entry.S for every exception taken to EL1. */
void arm64_handle_exception(struct pt_regs *regs, int kind, int source)
{
	static const char *const kinds[] = { "sync", "irq", "fiq", "serror" };
	u64 ec = ESR_EC(regs->esr);

	if (kind == VEC_SYNC && source == 1 && (ec == EC_DABT_CUR || ec == EC_IABT_CUR)) {
		do_abort(regs, regs->esr);
		return;
	}
	printk("Unexpected %s exception (vector group %d), EC 0x%02lx\n",
	       kinds[kind & 3], source, (unsigned long)ec);
	show_regs(regs);
	panic("unhandled exception, esr %016lx elr %016lx",
	      (unsigned long)regs->esr, (unsigned long)regs->elr);
}

/* Called by entry.S on the overflow stack when an exception found no room
 * on the kernel stack; regs->sp is the overflowed SP.  Never returns. */
__noreturn void arm64_bad_stack_report(struct pt_regs *regs)
{
	static int depth[STACK_NR_CPUS];
	unsigned int cpu = arch_smp_processor_id() % STACK_NR_CPUS;
	unsigned long lo = arm64_stack_lo[cpu], guard = lo - BOOT_STACK_GUARD;
	unsigned long ovf = (unsigned long)arm64_overflow_stack + cpu * OVERFLOW_STACK_SIZE;

	if (++depth[cpu] > 1) {
		printk("exception at pc %016lx while reporting a stack overflow\n",
		       (unsigned long)regs->elr);
		arch_halt();
	}
	printk("Insufficient stack space to handle exception!\n");
	printk("kernel stack overflow: sp %016lx far %016lx (guard page [%016lx, %016lx))\n",
	       (unsigned long)regs->sp, (unsigned long)regs->far, guard,
	       guard + BOOT_STACK_GUARD);
	printk("CPU %u stack [%016lx, %016lx)  overflow stack [%016lx, %016lx)\n", cpu,
	       lo, lo + BOOT_STACK_SIZE, ovf, ovf + OVERFLOW_STACK_SIZE);
	printk("ESR EC 0x%02lx: %s\n", (unsigned long)ESR_EC(regs->esr),
	       ESR_EC(regs->esr) == EC_DABT_CUR ? "data abort" :
	       ESR_EC(regs->esr) == EC_IABT_CUR ? "instruction abort" : "not an abort");
	show_regs(regs);
	panic("kernel stack overflow: far %016lx elr %016lx",
	      (unsigned long)regs->far, (unsigned long)regs->elr);
}

int arch_probe_read64(unsigned long addr, u64 *val, struct fault_info *fi)
{
	int rc = __arm64_probe_read64(addr, val);

	if (rc && fi)
		*fi = arm64_last_fault[arch_smp_processor_id() % STACK_NR_CPUS];
	return rc;
}

int arch_probe_write64(unsigned long addr, u64 val, struct fault_info *fi)
{
	int rc = __arm64_probe_write64(addr, val);

	if (rc && fi)
		*fi = arm64_last_fault[arch_smp_processor_id() % STACK_NR_CPUS];
	return rc;
}
