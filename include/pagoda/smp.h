/* SMP: CPUs, cross calls and per-CPU work (generic half in kernel/smp.c).
 *
 *   boot CPU                                  secondary CPU n
 *   kmain -> arch_late_init                   (arch trampoline / PSCI entry:
 *     (arch found the CPUs: smp_register_cpu)   stack, MMU, vectors, GIC/LAPIC)
 *   -> arch_smp_boot_secondaries() ---------> smp_secondary_main(n)
 *        waits for cpu_online(n)                 online, irqs on, idle loop:
 *                                                  run queued cpu_work, arch_cpu_idle()
 *   smp_call_function(fn, info, wait)
 *     queue on each target, arch_send_ipi() --> smp_ipi_handler(): run queued
 *     wait: spin on acks, servicing our own      calls (IRQ context), ack
 *     queue meanwhile (no deadlock when two CPUs call each other)
 *
 * Logical CPU ids are 0..nr_cpu_ids-1; the boot CPU is 0.  The arch gives
 * the per-CPU id cheaply (asm/smp.h: arch_smp_processor_id(): x86_64 GS
 * base per-CPU block, arm64 TPIDR_EL1; host: a simulated current CPU). */
#ifndef PAGODA_SMP_H
#define PAGODA_SMP_H
#include <pagoda/types.h>
#include <asm/smp.h>

#define NR_CPUS 8

/* Per-CPU data, cpus[id].  The arch fills hwid and may use arch_data;
 * kernel/smp.c owns the rest (call queue, work slot, time accounting). */
struct cpu_info {
	unsigned int id;            /* logical id, index in cpus[] */
	u64 hwid;                   /* x86_64: APIC id; arm64: MPIDR affinity bits */
	volatile bool online;
	void *arch_data;            /* arch private (stack top, GIC redistributor...) */
	struct smp_cpu_state *smp;  /* kernel/smp.c private */
};
extern struct cpu_info cpus[NR_CPUS];
extern unsigned int nr_cpu_ids;         /* CPUs registered (possible) */

static inline unsigned int smp_processor_id(void) { return arch_smp_processor_id(); }
unsigned int num_online_cpus(void);
static inline bool cpu_online(unsigned int cpu) { return cpu < nr_cpu_ids && cpus[cpu].online; }
#define for_each_online_cpu(c) \
	for (unsigned int c = 0; c < nr_cpu_ids; c++) if (cpu_online(c))

/* ---- bring-up (arch calls these) */
/* Register a CPU the firmware lists; the boot CPU first (id 0, already
 * online).  Returns the logical id, or -ENOSPC past NR_CPUS (printed). */
int smp_register_cpu(u64 hwid);
/* A secondary, once its stack, MMU, vectors and interrupt controller are
 * ready and arch_smp_processor_id() returns cpu: marks it online, enables
 * interrupts and enters the idle loop.  Never returns. */
__noreturn void smp_secondary_main(unsigned int cpu);
/* Generic IPI handler: the arch calls it in IRQ context when the IPI arrives. */
void smp_ipi_handler(void);

/* ---- arch implements (arch/<a>/smp.c) */
/* Start every registered secondary, one at a time; each one that does not
 * come online within a bounded wait is reported (`smp: CPU n (hwid) did not
 * come online`) and skipped.  Prints `smp: N CPUs online` at the end. */
void arch_smp_boot_secondaries(void);
/* Send the one Pagoda IPI to cpu (x86: LAPIC fixed vector; arm64: SGI). */
void arch_send_ipi(unsigned int cpu);
/* Wait for an interrupt with interrupts enabled, return after it (sti;hlt / wfi).
 * The idle loop calls it with interrupts off after checking for work: it
 * must enable them atomically with the wait (x86 `sti; hlt`; arm64 `wfi`
 * then unmask: wfi wakes on a pending masked IRQ), so an IPI sent between
 * the check and the wait is not lost.  Returns with interrupts on. */
void arch_cpu_idle(void);
/* /proc/cpuinfo lines after `processor\t: N` for cpu (x86_64 `apicid\t\t: N`,
 * arm64 `MPIDR\t\t: 0x...`), each ending in a newline. */
struct seq;
void arch_cpuinfo_show(struct seq *s, unsigned int cpu);

/* ---- cross calls (kernel/smp.c) */
typedef void (*smp_call_func_t)(void *info);
/* Run fn(info) on cpu in IRQ context (interrupts off there; keep it short).
 * cpu == self runs it directly.  wait: return after it ran.  0 or -EINVAL
 * (cpu offline). */
int smp_call_function_single(unsigned int cpu, smp_call_func_t fn, void *info, bool wait);
/* The same on every other online CPU. */
void smp_call_function(smp_call_func_t fn, void *info, bool wait);
/* The same on every online CPU, this one included. */
void on_each_cpu(smp_call_func_t fn, void *info, bool wait);
/* smp_call_function() on the other online CPUs for which cond(cpu, info)
 * is true, asked once per CPU in CPU order before its call is queued
 * (Linux's on_each_cpu_cond_mask without this CPU).  The x86_64 shootdown
 * skips idle CPUs that will flush when they wake (arch/x86_64/tlb_defer.c). */
typedef bool (*smp_call_cond_t)(unsigned int cpu, void *info);
void smp_call_function_cond(smp_call_cond_t cond, smp_call_func_t fn, void *info, bool wait);

/* Thread-context work on another CPU (selftests, benchmarks): runs in that
 * CPU's idle loop with interrupts enabled, so it can be long and can take
 * locks and shootdown IPIs.  Initialise with { .fn = f, .arg = a }. */
struct cpu_work {
	void (*fn)(struct cpu_work *w);
	void *arg;
	volatile bool done;
	long result;                /* for fn's use */
};
/* Queue w on cpu (a secondary, online, idle).  0, -EINVAL, -EBUSY. */
int smp_run_on(unsigned int cpu, struct cpu_work *w);
/* Spin until w->done (servicing this CPU's own cross calls). */
void smp_work_wait(struct cpu_work *w);

/* ---- stopping the other CPUs on panic (kernel/smp_stop.c) */
/* Ask every other online CPU to stop (arch_send_stop), wait for them at
 * most 1 s, print `smp: stopped N other CPUs` (and which did not stop). */
void smp_send_stop(void);
/* This CPU stops for good: counted stopped, interrupts off, halted.  The
 * arch's stop handler calls it, and a CPU that panics after another one. */
__noreturn void smp_stop_self(void);
/* smp_send_stop() has begun (the x86_64 NMI handler: a stop, not a fault). */
bool smp_stop_requested(void);
/* arch: deliver the stop to cpu, even while it runs with interrupts off
 * where the hardware can (x86_64 LAPIC NMI; arm64 SGI ARM64_STOP_SGI, taken
 * only with IRQs unmasked); the handler calls smp_stop_self(). */
void arch_send_stop(unsigned int cpu);

/* ---- time accounting (/proc/stat) */
/* Bracket a wait that counts as idle on this CPU (the secondaries' idle
 * loop; the shell waiting for input on CPU 0). */
void smp_idle_enter(void);
void smp_idle_exit(void);
/* Cycles cpu has been online and, of those, idle. */
void smp_cpu_times(unsigned int cpu, u64 *online, u64 *idle);
/* cpu has smp_run_on work queued or running. */
bool smp_cpu_busy(unsigned int cpu);
/* IPIs cpu has handled. */
u64 smp_cpu_ipis(unsigned int cpu);
#endif
