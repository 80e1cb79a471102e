/* /proc/cpuinfo and /proc/stat: the online CPUs and where their time went.
 *
 *   /proc/cpuinfo                 /proc/stat (USER_HZ = 100 ticks)
 *   processor\t: 0                cpu  0 0 <system> <idle> 0 0 0 0 0 0
 *   <arch_cpuinfo_show lines>     cpu0 0 0 <system> <idle> 0 0 0 0 0 0
 *   (blank line)                  cpu1 ...
 *   processor\t: 1                ctxt 0
 *   ...                           processes 0
 *                                 procs_running <n>
 *                                 procs_blocked 0
 *
 * Time comes from the cycle counter (kernel/smp.c smp_cpu_times): since a
 * CPU came online, the cycles inside its idle loop's arch_cpu_idle() (the
 * shell's wait for input on CPU 0) are idle, all the rest is system.
 * Pagoda has no user mode, no nice levels, no iowait and no steal
 * accounting, so those columns are 0 as on a Linux system where nothing
 * of that kind ran.  It has no context switches and never forks (ctxt 0,
 * processes 0); procs_running counts the CPUs running something: the
 * shell on CPU 0 and each secondary with smp_run_on work.  There is no
 * wall clock, so Linux's btime line is left out, and no per-IRQ totals
 * across devices, so intr is left out (IPIs per CPU: /proc/interrupts). */
#include <pagoda/smp.h>
#include <pagoda/pseudofs.h>
#include <pagoda/time.h>

#define USER_HZ 100
#define NSEC_PER_TICK (1000000000ULL / USER_HZ)
BUILD_BUG_ON(NR_CPUS > 10);                 /* cpuN names are one digit */

static int cpuinfo_show(struct seq *s, void *priv)
{
	for_each_online_cpu(c) {
		seq_printf(s, "processor\t: %u\n", c);
		arch_cpuinfo_show(s, c);
		seq_printf(s, "\n");
	}
	return 0;
}
PSEUDO_FILE("/proc/cpuinfo", cpuinfo_show, NULL);

struct cpu_ticks {
	u64 system, idle;
};

static void cpu_ticks_of(unsigned int cpu, struct cpu_ticks *t)
{
	u64 online, idle;

	smp_cpu_times(cpu, &online, &idle);
	t->idle = cycles_to_ns(idle) / NSEC_PER_TICK;
	t->system = cycles_to_ns(online - idle) / NSEC_PER_TICK;
}

/* One `cpuN` line: user nice system idle iowait irq softirq steal guest guest_nice. */
static void stat_cpu_line(struct seq *s, const char *name, const struct cpu_ticks *t)
{
	seq_printf(s, "%s %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu\n", name,
		   0ULL, 0ULL, (unsigned long long)t->system, (unsigned long long)t->idle,
		   0ULL, 0ULL, 0ULL, 0ULL, 0ULL, 0ULL);
}

static int stat_show(struct seq *s, void *priv)
{
	struct cpu_ticks per[NR_CPUS], sum = { 0, 0 };
	unsigned int running = 0;
	char name[8] = "cpu";

	for_each_online_cpu(c) {
		cpu_ticks_of(c, &per[c]);
		sum.system += per[c].system;
		sum.idle += per[c].idle;
		running += c == 0 || smp_cpu_busy(c);
	}
	stat_cpu_line(s, "cpu ", &sum);
	for_each_online_cpu(c) {
		name[3] = (char)('0' + c);          /* NR_CPUS <= 10 */
		stat_cpu_line(s, name, &per[c]);
	}
	seq_printf(s, "ctxt 0\nprocesses 0\nprocs_running %u\nprocs_blocked 0\n", running);
	return 0;
}
PSEUDO_FILE("/proc/stat", stat_show, NULL);
