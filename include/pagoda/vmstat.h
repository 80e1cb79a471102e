/* Event counters shown in /proc/vmstat next to mm/'s page counters.
 * Arch TLB code counts its flushes here. */
#ifndef PAGODA_VMSTAT_H
#define PAGODA_VMSTAT_H
#include <pagoda/types.h>

enum vm_event_item {
	NR_TLB_LOCAL_FLUSH_ALL,
	NR_TLB_LOCAL_FLUSH_ONE,
	NR_TLB_REMOTE_FLUSH,
	NR_TLB_REMOTE_FLUSH_RECEIVED,
	NR_VMEMMAP_BBM_FAULT,          /* arm64: struct-page reads that hit a BBM window */
	NR_VM_EVENTS
};
extern u64 vm_events[NR_VM_EVENTS];
static inline void count_vm_event(enum vm_event_item i) { vm_events[i]++; }
static inline void count_vm_events(enum vm_event_item i, u64 n) { vm_events[i] += n; }
#endif
