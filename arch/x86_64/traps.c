/* CPU exceptions: fixup or report and panic.
 *
 *   vectors.S entry -> x86_exception(regs)
 *        #PF/#GP at an __ex_table address -> extable_fixup(): resume there
 *        anything else -> name, error code, RIP, CR2, registers, panic()
 *
 * There is one backtrace, panic's (arch_dump_backtrace): vectors.S pushes a
 * frame record {interrupted rbp, faulting RIP} below pt_regs, so the walk
 * from panic goes on through the exception into the faulting code:
 *
 *   Call trace:
 *     [<...>]   in panic_at, x86_exception     (the handler)
 *     [<...>]   in exc_common                  (the exception entry)
 *     [<RIP>]   the faulting instruction
 *     [<...>]   its callers
 *
 * A stack overflow runs into the stack's guard page (unmapped; boot_stack_guard
 * on CPU 0, percpu.c's on the others): the #PF cannot be pushed on that
 * stack, so the CPU raises #DF, which runs on its own IST stack (gdt.c); the
 * walk accepts frames on this CPU's kernel and IST stacks.  A fault while
 * reporting a fault would recurse; the second level (per CPU) prints one
 * line and stops the CPU. */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <asm/vmparam.h>
#include <asm/cpu.h>
#include <asm/boot.h>
#include <asm/desc.h>
#include <asm/ptrace.h>
#include <asm/extable.h>
#include <asm/percpu.h>
#include <asm/tlbflush.h>
#include <pagoda/smp.h>

static const char *const exc_names[32] = {
	[0] = "#DE divide error",          [1] = "#DB debug",
	[2] = "NMI",                       [3] = "#BP breakpoint",
	[4] = "#OF overflow",              [5] = "#BR bound range exceeded",
	[6] = "#UD invalid opcode",        [7] = "#NM device not available",
	[8] = "#DF double fault",          [9] = "coprocessor segment overrun",
	[10] = "#TS invalid TSS",          [11] = "#NP segment not present",
	[12] = "#SS stack-segment fault",  [13] = "#GP general protection",
	[14] = "#PF page fault",           [16] = "#MF x87 floating point",
	[17] = "#AC alignment check",      [18] = "#MC machine check",
	[19] = "#XM SIMD floating point",  [20] = "#VE virtualization",
	[21] = "#CP control protection",   [28] = "#HV hypervisor injection",
	[29] = "#VC VMM communication",    [30] = "#SX security",
};

/* True if [p, p + 16) lies on one of the kernel's stacks. */
static bool backtrace_frame_ok(unsigned long p)
{
	unsigned long lo = this_cpu()->stack_lo, hi = this_cpu()->stack_hi;

	if (p & 7)
		return false;
	if (p >= lo && p + 16 <= hi)
		return true;
	for (int ist = 1; ist <= IST_COUNT; ist++) {
		gdt_ist_stack(ist, &lo, &hi);
		if (p >= lo && p + 16 <= hi)
			return true;
	}
	return false;
}

extern char exc_common_ret[];             /* vectors.S: return into the entry */

/* Walk the frame-pointer chain from rbp: each frame is {saved rbp, ret}.
 * The frame after a return into exc_common is vectors.S's record, whose
 * "return address" is the faulting RIP. */
static void backtrace_from(unsigned long rbp)
{
	bool fault = false;

	for (int depth = 0; depth < 32 && rbp; depth++) {
		if (!backtrace_frame_ok(rbp)) {
			printk("  <frame pointer 0x%lx off the stack>\n", rbp);
			return;
		}
		unsigned long ret = ((unsigned long *)rbp)[1];
		if (!ret)
			return;
		printk("  [<%016lx>]%s\n", ret, fault ? " (faulting instruction)" : "");
		fault = ret == (unsigned long)exc_common_ret;
		rbp = ((unsigned long *)rbp)[0];
	}
}

void arch_dump_backtrace(void)
{
	printk("Call trace:\n");
	backtrace_from((unsigned long)__builtin_frame_address(0));
}

/* Print everything the CPU told us about the exception in regs. */
static void exc_report(const struct pt_regs *r)
{
	const char *name = r->vector < 32 && exc_names[r->vector] ?
			   exc_names[r->vector] : "reserved";

	printk("CPU exception: %s (vector %lu) error 0x%lx\n", name, r->vector, r->error);
	if (r->vector == 14)
		printk("  %s access to 0x%016lx: %s\n",
		       r->error & 2 ? "write" : (r->error & 16 ? "instruction fetch" : "read"),
		       read_cr2(), r->error & 1 ? "protection violation" : "page not present");
	int guard_cpu = x86_stack_guard_cpu(read_cr2());
	if (guard_cpu == 0 && (r->vector == 8 || r->vector == 14))
		printk("  kernel stack overflow: CR2 is in the boot stack's guard page\n");
	else if (guard_cpu > 0 && (r->vector == 8 || r->vector == 14))
		printk("  kernel stack overflow: CR2 is in CPU %d's stack guard page\n", guard_cpu);
	printk("RIP: %04lx:%016lx RSP: %04lx:%016lx RFLAGS: %08lx\n",
	       r->cs, r->rip, r->ss, r->rsp, r->rflags);
	printk("CR2: %016lx CR3: %016lx CR4: %016lx\n", read_cr2(), read_cr3(), read_cr4());
	printk("RAX: %016lx RBX: %016lx RCX: %016lx\n", r->rax, r->rbx, r->rcx);
	printk("RDX: %016lx RSI: %016lx RDI: %016lx\n", r->rdx, r->rsi, r->rdi);
	printk("RBP: %016lx R08: %016lx R09: %016lx\n", r->rbp, r->r8, r->r9);
	printk("R10: %016lx R11: %016lx R12: %016lx\n", r->r10, r->r11, r->r12);
	printk("R13: %016lx R14: %016lx R15: %016lx\n", r->r13, r->r14, r->r15);
}

#define X86_NMI_VECTOR 2

/* Called by vectors.S with interrupts off.  An NMI (or #MC) can end an
 * idle CPU's hlt: the deferred TLB flush comes first (tlb_defer.c).  An
 * NMI while another CPU panics is its stop (kernel/smp_stop.c). */
void x86_exception(struct pt_regs *regs)
{
	x86_tlb_idle_exit();
	if (regs->vector == X86_NMI_VECTOR && smp_stop_requested())
		smp_stop_self();
	if ((regs->vector == 14 || regs->vector == 13) && extable_fixup(regs))
		return;
	if (++this_cpu()->exc_depth > 1) {
		printk("CPU exception %lu at 0x%lx while handling an exception\n",
		       regs->vector, regs->rip);
		arch_halt();
	}
	exc_report(regs);
	panic("unhandled CPU exception %lu at RIP 0x%lx", regs->vector, regs->rip);
}
