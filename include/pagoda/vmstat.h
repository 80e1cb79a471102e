/* Event counters shown in /proc/vmstat next to mm/'s page counters.
 * Arch TLB code counts its flushes here.  Per CPU, summed when read. */
#ifndef PAGODA_VMSTAT_H
#define PAGODA_VMSTAT_H
#include <pagoda/types.h>
#include <pagoda/smp.h>

enum vm_event_item {
	NR_TLB_LOCAL_FLUSH_ALL,
	NR_TLB_LOCAL_FLUSH_ONE,
	NR_TLB_REMOTE_FLUSH,
	NR_TLB_REMOTE_FLUSH_RECEIVED,
	NR_TLB_REMOTE_FLUSH_DEFERRED,  /* x86_64: sender, per idle CPU not sent an IPI */
	NR_TLB_REMOTE_FLUSH_ON_WAKE,   /* x86_64: full flushes an idle CPU owed on waking */
	NR_VMEMMAP_BBM_FAULT,          /* arm64: struct-page reads that hit a BBM window */
	NR_TLB_LOCAL_FLUSH_RANGE,      /* arm64: range TLBIs (TLBI RVAALE1IS), one per instruction */
	NR_VM_EVENTS
};
/* Per-CPU rows (mm/vmstat.c): count_vm_event() adds to this CPU's row, an
 * atomic add on a cache line no other CPU writes (safe against this CPU's
 * interrupt handlers, no line bouncing between CPUs); vm_event_read()
 * sums every row (a CPU's counts stay after it goes offline). */
struct vm_event_row {
	u64 ev[NR_VM_EVENTS];
} __aligned(64);
extern struct vm_event_row vm_event_cpu[NR_CPUS];

static inline void count_vm_events(enum vm_event_item i, u64 n)
{
	__atomic_fetch_add(&vm_event_cpu[smp_processor_id()].ev[i], n, __ATOMIC_RELAXED);
}
static inline void count_vm_event(enum vm_event_item i) { count_vm_events(i, 1); }

static inline u64 vm_event_read(enum vm_event_item i)
{
	u64 sum = 0;

	for (unsigned int c = 0; c < NR_CPUS; c++)
		sum += __atomic_load_n(&vm_event_cpu[c].ev[i], __ATOMIC_RELAXED);
	return sum;
}
#endif
