/* Functional selftests of the arch TLB maintenance (asm/tlbflush.h,
 * arch_set_ptes_batch in asm/pgtable.h), the same on every arch.  They do
 * not count calls, they watch translations: QEMU's TCG keeps a software
 * TLB, so a PTE changed without a flush goes on translating to the old
 * frame until something really invalidates it.
 *
 *   TLB_SELFTEST_VA + k pages --PTE--> frame A     read: A's word (now in the TLB)
 *   PTE := frame B, no flush                        read: A's word (stale)
 *   flush_tlb_kernel_range / flush_tlb_all          read: B's word
 *   pgwalk_remap_batch (A -> B, one flush inside)   read: B's word
 *
 * A flush that only counts (or invalidates the wrong address) leaves the
 * stale read in place and fails the last step.  The "no flush" store is a
 * plain store of the PTE: on arm64 it skips break-before-make on purpose,
 * to plant the stale entry (TCG does not mind; it is the very state BBM
 * exists to avoid).  Counters are checked too: the batch of 64 pages does
 * at most one global flush.  The scratch VA's tables come from this file's
 * bss and stay; frames A and B are bss pages as well. */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <pagoda/selftest.h>
#include <pagoda/vmstat.h>
#include <asm/vmparam.h>
#include <asm/pgtable.h>
#include <asm/tlbflush.h>
#include "mm/pgwalk.h"

#define TLBT_WORD_A  0xaaaa0000aaaa0000ULL
#define TLBT_WORD_B  0xbbbb0000bbbb0000ULL
#define TLBT_BATCH   64

static u64 tlbt_frame[2][PAGE_SIZE / 8] __aligned(PAGE_SIZE);
static u8 tlbt_tables[PT_LEVELS - 1][PAGE_SIZE] __aligned(PAGE_SIZE);
static int tlbt_tables_used;

static phys_addr_t tlbt_table_alloc(void)
{
	if (tlbt_tables_used == PT_LEVELS - 1)
		return 0;
	return arch_kimage_pa(tlbt_tables[tlbt_tables_used++]);
}

static unsigned long tlbt_va(unsigned long k) { return TLB_SELFTEST_VA + k * PAGE_SIZE; }
static phys_addr_t tlbt_pa(int f) { return arch_kimage_pa(tlbt_frame[f]); }
static u64 tlbt_read(unsigned long k) { return *(volatile u64 *)tlbt_va(k); }

/* Map pages [0, n) of the scratch VA to frame A with prot and read each
 * once, so the TLB holds them.  False if a mapping failed. */
static bool tlbt_map(unsigned long n, enum pgprot prot)
{
	tlbt_frame[0][0] = TLBT_WORD_A;
	tlbt_frame[1][0] = TLBT_WORD_B;
	for (unsigned long k = 0; k < n; k++) {
		if (pgwalk_map_page(tlbt_va(k), tlbt_pa(0), prot, tlbt_table_alloc))
			return false;
		if (tlbt_read(k) != TLBT_WORD_A)
			return false;
	}
	return true;
}

/* Point pages [0, n) at frame B with a bare store: no TLB maintenance. */
static void tlbt_retarget_noflush(unsigned long n)
{
	for (unsigned long k = 0; k < n; k++)
		*(volatile pte_t *)pgwalk_pte(tlbt_va(k)) =
			pte_mk_leaf(tlbt_pa(1), 0, PROT_KERNEL_RW);
}

/* Do pages [0, n) all read word? */
static bool tlbt_all_read(unsigned long n, u64 word)
{
	for (unsigned long k = 0; k < n; k++)
		if (tlbt_read(k) != word)
			return false;
	return true;
}

static void tlbt_unmap(unsigned long n)
{
	phys_addr_t old;

	for (unsigned long k = 0; k < n; k++)
		pgwalk_unmap_page(tlbt_va(k), &old);
}

static u64 ev(enum vm_event_item i) { return vm_event_read(i); }

/* One page: stale without a flush, new after flush_tlb_kernel_range. */
SELFTEST(tlb_flush_one)
{
	u64 one = ev(NR_TLB_LOCAL_FLUSH_ONE);

	EXPECT(tlbt_map(1, PROT_KERNEL_RW));
	tlbt_retarget_noflush(1);
	EXPECT(tlbt_read(0) == TLBT_WORD_A);            /* the TLB answered */
	flush_tlb_kernel_range(tlbt_va(0), tlbt_va(0));  /* empty: nothing */
	EXPECT(tlbt_read(0) == TLBT_WORD_A);
	flush_tlb_kernel_range(tlbt_va(0), tlbt_va(1));
	EXPECT(tlbt_read(0) == TLBT_WORD_B);
	EXPECT(ev(NR_TLB_LOCAL_FLUSH_ONE) == one + 1);
	tlbt_unmap(1);
}

/* Three pages, flushed as one range whose ends are not page aligned
 * (partial pages count whole): all three read B. */
SELFTEST(tlb_flush_range)
{
	u64 one = ev(NR_TLB_LOCAL_FLUSH_ONE);

	EXPECT(tlbt_map(3, PROT_KERNEL_RW));
	tlbt_retarget_noflush(3);
	EXPECT(tlbt_read(0) == TLBT_WORD_A && tlbt_read(2) == TLBT_WORD_A);
	flush_tlb_kernel_range(tlbt_va(0) + 8, tlbt_va(2) + 8);
	EXPECT(tlbt_all_read(3, TLBT_WORD_B));
	EXPECT(ev(NR_TLB_LOCAL_FLUSH_ONE) == one + 3);
	tlbt_unmap(3);
}

/* flush_tlb_all, and a range above TLB_FLUSH_ALL_THRESHOLD (which becomes
 * one flush_tlb_all): all pages read B, one global flush each. */
SELFTEST(tlb_flush_all)
{
	u64 all = ev(NR_TLB_LOCAL_FLUSH_ALL), one;

	EXPECT(tlbt_map(3, PROT_KERNEL_RW));
	tlbt_retarget_noflush(3);
	EXPECT(tlbt_read(1) == TLBT_WORD_A);
	flush_tlb_all();
	EXPECT(tlbt_all_read(3, TLBT_WORD_B));
	EXPECT(ev(NR_TLB_LOCAL_FLUSH_ALL) == all + 1);
	tlbt_unmap(3);

	EXPECT(tlbt_map(3, PROT_KERNEL_RW));
	one = ev(NR_TLB_LOCAL_FLUSH_ONE);
	tlbt_retarget_noflush(3);
	EXPECT(tlbt_read(2) == TLBT_WORD_A);
	flush_tlb_kernel_range(tlbt_va(0), tlbt_va(TLB_FLUSH_ALL_THRESHOLD + 1));
	EXPECT(tlbt_all_read(3, TLBT_WORD_B));
	EXPECT(ev(NR_TLB_LOCAL_FLUSH_ALL) == all + 2 && ev(NR_TLB_LOCAL_FLUSH_ONE) == one);
	tlbt_unmap(3);
}

/* pgwalk_remap_batch of 64 cached pages A -> B: every page reads B after
 * it (the batch invalidated them itself), the old frames come back, and
 * the arch spent at most one global flush: one range TLBI and nothing else
 * (arm64 with FEAT_TLBIRANGE), or 64 per-page invalidations up to
 * TLB_FLUSH_ALL_THRESHOLD (arm64 without it), else exactly one global
 * (x86_64). */
SELFTEST(tlb_remap_batch)
{
	static struct pgwalk_remap r[TLBT_BATCH];
	u64 all, one, range;
	bool old_ok = true;

	EXPECT(tlbt_map(TLBT_BATCH, PROT_KERNEL_RW));
	for (unsigned long k = 0; k < TLBT_BATCH; k++)
		r[k] = (struct pgwalk_remap){ .va = tlbt_va(k), .pa = tlbt_pa(1),
					      .prot = PROT_KERNEL_RW };
	all = ev(NR_TLB_LOCAL_FLUSH_ALL);
	one = ev(NR_TLB_LOCAL_FLUSH_ONE);
	range = ev(NR_TLB_LOCAL_FLUSH_RANGE);
	EXPECT(pgwalk_remap_batch(r, TLBT_BATCH) == 0);
	EXPECT(tlbt_all_read(TLBT_BATCH, TLBT_WORD_B));
	for (unsigned long k = 0; k < TLBT_BATCH; k++)
		old_ok &= r[k].old_pa == tlbt_pa(0);
	EXPECT(old_ok);
	EXPECT(ev(NR_TLB_LOCAL_FLUSH_ALL) - all <= 1 && ev(NR_TLB_LOCAL_FLUSH_RANGE) - range <= 1);
	if (ev(NR_TLB_LOCAL_FLUSH_RANGE) != range)
		EXPECT(ev(NR_TLB_LOCAL_FLUSH_ALL) == all && ev(NR_TLB_LOCAL_FLUSH_ONE) == one);
	else if (TLBT_BATCH > TLB_FLUSH_ALL_THRESHOLD)
		EXPECT(ev(NR_TLB_LOCAL_FLUSH_ALL) == all + 1 && ev(NR_TLB_LOCAL_FLUSH_ONE) == one);
	else
		EXPECT(ev(NR_TLB_LOCAL_FLUSH_ONE) == one + TLBT_BATCH &&
		       ev(NR_TLB_LOCAL_FLUSH_ALL) == all);
	r[0].va = tlbt_va(TLBT_BATCH);                  /* no PTE there */
	EXPECT(pgwalk_remap_batch(r, TLBT_BATCH) == -ENOENT);
	EXPECT(tlbt_all_read(TLBT_BATCH, TLBT_WORD_B)); /* nothing changed */
	tlbt_unmap(TLBT_BATCH);
}

/* A write to a read-only page faults and is reported as a write to a
 * present page (protection), which `poke` prints as "write to read-only
 * mapping"; the frame is unchanged and a read still works. */
SELFTEST(tlb_ro_fault)
{
	struct fault_info fi = { 0 };
	u64 v = 0;

	EXPECT(tlbt_map(1, PROT_KERNEL_RO));
	EXPECT(arch_probe_write64(tlbt_va(0), 0x1234, &fi) == -EFAULT);
	EXPECT(fi.addr == tlbt_va(0) && fi.write && fi.protection);
	EXPECT(tlbt_frame[0][0] == TLBT_WORD_A);
	EXPECT(arch_probe_read64(tlbt_va(0), &v, &fi) == 0 && v == TLBT_WORD_A);
	tlbt_unmap(1);
	EXPECT(arch_probe_read64(tlbt_va(0), &v, &fi) == -EFAULT);
	EXPECT(fi.addr == tlbt_va(0) && !fi.write && !fi.protection);
}
