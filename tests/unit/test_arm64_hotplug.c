/* Host test of arch/arm64/hotplug_map.c (arch_add_memory/arch_remove_memory)
 * on real arm64 entry encodings (tests/unit/host/arm64_hotplug_tu.c):
 *
 *   simulated physical memory [1 GiB, 4 GiB) mapped at hp_page_offset + pa
 *   root (pa 1G) -> L1 (pa 1G + 4K): entry 1 = boot 1 GiB block [1G, 2G)
 *                                    entry 3 = boot L2 table (pa 1G + 12K):
 *                                    [3G, 3G + 256M) in boot 2 MiB blocks
 *   DIMM at 2 GiB: blocks A [2G, 2G+128M) and B [2G+128M, 2G+256M)
 *
 * A is added with a self-hosted table (inside A, built through the bounce
 * page), B shares it; removing A first moves the table into a pool page
 * (it still maps B), removing B unlinks and frees it; one TLB flush per
 * remove.  RAM under the boot block needs nothing; allocation failure and
 * addresses past 512 GiB change nothing. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "tap.h"
#include "host/arm64_hp_vmparam.h"
#include <pagoda/arch.h>
#include <pagoda/vmstat.h>
#include "arch/arm64/include/asm/pgtable.h"
#include "arch/arm64/include/asm/tlbflush.h"

#define G1 (1UL << 30)
#define M128 (128UL << 20)
#define BLOCK_A (2 * G1)
#define BLOCK_B (2 * G1 + M128)
#define SW_HOTPLUG (1UL << 55)

unsigned long hp_page_offset;                       /* 512 GiB aligned, boot_tables() */
extern phys_addr_t arm64_ttbr1_pa;
struct vm_event_row vm_event_cpu[NR_CPUS];
__thread unsigned int host_cpu_id;
static int flush_range, flush_all;

void __dsb_ishst(void) {}
void __dsb_ish(void) {}
void __isb(void) {}
void __tlbi_vaale1is(unsigned long op) {}
void __tlbi_vaae1is(unsigned long op) {}
void __tlbi_vmalle1is(void) {}
void __tlbi_rvaale1is(unsigned long op) {}
void flush_tlb_kernel_range(unsigned long start, unsigned long end) { flush_range++; }
void flush_tlb_all(void) { flush_all++; }
phys_addr_t arch_kimage_pa(const void *va) { return (phys_addr_t)va - hp_page_offset; }

/* Table sources: a fixed page (the altmap's), a pool, or none. */
static phys_addr_t next_page, freed_page;
static int allocs, frees;
static phys_addr_t alloc_fixed(void *ctx)
{
	allocs++;
	return next_page;
}
static void free_note(phys_addr_t pa, void *ctx)
{
	frees++;
	freed_page = pa;
}
static const struct mhp_table_alloc src = { .alloc = alloc_fixed, .free = free_note };

static pte_t *l1(void) { return __va(pte_pa(arch_pgd()[pt_index(PAGE_OFFSET + G1, 3)])); }
static pte_t l1e(phys_addr_t pa) { return l1()[pt_index(PAGE_OFFSET + pa, 2)]; }
static pte_t l2e(phys_addr_t pa)
{
	pte_t e = l1e(pa);

	return pte_is_table(e, 2) ? ((pte_t *)__va(pte_pa(e)))[pt_index(PAGE_OFFSET + pa, 1)] : 0;
}

/* Every 2 MiB entry of [s, s + size) is our block mapping pa itself. */
static bool mapped(phys_addr_t s, u64 size)
{
	for (phys_addr_t pa = s; pa < s + size; pa += 2UL << 20) {
		pte_t e = l2e(pa);
		if (!pte_present(e) || pte_is_table(e, 1) || pte_pa(e) != pa || !(e & SW_HOTPLUG))
			return false;
	}
	return true;
}
static bool unmapped(phys_addr_t s, u64 size)
{
	for (phys_addr_t pa = s; pa < s + size; pa += 2UL << 20)
		if (pte_present(l2e(pa)))
			return false;
	return true;
}

/* A 512 GiB-aligned direct map base with [1 GiB, 3 GiB) of it backed. */
static void boot_tables(void)
{
	unsigned long span = 512 * G1;
	void *r = mmap(NULL, 2 * span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	pte_t *root, *l1t;

	if (r == MAP_FAILED)
		abort();
	hp_page_offset = ((unsigned long)r + span - 1) & ~(span - 1);
	if (mmap((void *)(hp_page_offset + G1), 3 * G1, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0) == MAP_FAILED)
		abort();
	arm64_ttbr1_pa = G1;
	root = __va(G1);
	l1t = __va(G1 + PAGE_SIZE);
	root[pt_index(PAGE_OFFSET + G1, 3)] = pte_mk_table(G1 + PAGE_SIZE);
	l1t[pt_index(PAGE_OFFSET + G1, 2)] = pte_mk_leaf(G1, 2, PROT_KERNEL_RW);
	l1t[3] = pte_mk_table(G1 + 3 * PAGE_SIZE);
	for (phys_addr_t pa = 3 * G1; pa < 3 * G1 + 2 * M128; pa += 2UL << 20)
		((pte_t *)__va(G1 + 3 * PAGE_SIZE))[pt_index(PAGE_OFFSET + pa, 1)] =
			pte_mk_leaf(pa, 1, PROT_KERNEL_RW);
}

int main(void)
{
	phys_addr_t table_a = BLOCK_A + 512 * PAGE_SIZE, pool = G1 + 2 * PAGE_SIZE;
	pte_t boot_block;
	struct mhp_table_alloc none = { .alloc = NULL };

	boot_tables();
	boot_block = l1e(G1);
	TAP_OK(arch_add_memory(G1 + M128, M128, &none) == 0 && l1e(G1) == boot_block,
	       "RAM under the boot 1 GiB block: nothing to map, no table");
	TAP_OK(arch_add_memory(512 * G1, M128, &none) == -ERANGE, "beyond the first L1 table: -ERANGE");
	next_page = 0;
	TAP_OK(arch_add_memory(BLOCK_A, M128, &src) == -ENOMEM && !pte_present(l1e(BLOCK_A)),
	       "no table page: -ENOMEM, nothing changed");

	next_page = table_a;
	allocs = 0;
	TAP_OK(arch_add_memory(BLOCK_A, M128, &src) == 0 && allocs == 1, "add A: one table");
	TAP_OK(pte_is_table(l1e(BLOCK_A), 2) && pte_pa(l1e(BLOCK_A)) == table_a,
	       "the L1 entry points at the table inside A (copied from the bounce page)");
	TAP_OK(mapped(BLOCK_A, M128) && unmapped(BLOCK_B, G1 - M128), "A mapped in 64 blocks, nothing else");
	allocs = 0;
	TAP_OK(arch_add_memory(BLOCK_B, M128, &src) == 0 && allocs == 0 && mapped(BLOCK_B, M128),
	       "add B: A's table, no new one");

	TAP_OK(arch_remove_memory_moves(BLOCK_A, M128) == 1 && arch_remove_memory_moves(BLOCK_B, M128) == 0,
	       "removing A must move its table (it maps B), removing B must not");
	next_page = pool;
	allocs = frees = flush_range = flush_all = 0;
	arch_remove_memory(BLOCK_A, M128, &src);
	TAP_OK(allocs == 1 && frees == 0 && pte_pa(l1e(BLOCK_A)) == pool, "remove A: table moved to the pool page");
	TAP_OK(unmapped(BLOCK_A, M128) && mapped(BLOCK_B, M128), "A unmapped, B still mapped");
	TAP_OK(flush_range == 1 && flush_all == 0, "one TLB flush (range %d, all %d)", flush_range, flush_all);

	allocs = frees = flush_range = flush_all = 0;
	arch_remove_memory(BLOCK_B, M128, &src);
	TAP_OK(!pte_present(l1e(BLOCK_B)) && frees == 1 && freed_page == pool && allocs == 0,
	       "remove B: the table is unlinked and freed");
	TAP_OK(flush_range + flush_all == 1 && flush_all == 1, "one TLB flush, all levels (walk caches)");

	next_page = table_a;
	arch_add_memory(BLOCK_A, M128, &src);
	frees = 0;
	arch_remove_memory(BLOCK_A, M128, &src);
	TAP_OK(!pte_present(l1e(BLOCK_A)) && frees == 1 && freed_page == table_a,
	       "A alone: its own table is unlinked and given back (vanishes with A)");
	frees = flush_range = flush_all = 0;
	arch_remove_memory(G1 + M128, M128, &src);
	TAP_OK(l1e(G1) == boot_block && frees == 0 && flush_range + flush_all == 0,
	       "remove under the boot block: the boot map stays, no flush");
	pte_t boot_l2 = l1e(3 * G1), boot_2m = l2e(3 * G1 + M128);

	allocs = frees = flush_range = flush_all = 0;
	TAP_OK(arch_add_memory(3 * G1 + M128, M128, &none) == 0 && l2e(3 * G1 + M128) == boot_2m,
	       "RAM the boot map has in 2 MiB blocks: left as it is");
	TAP_OK(arch_add_memory(3 * G1 + 2 * M128, M128, &src) == 0 && allocs == 0 &&
	       mapped(3 * G1 + 2 * M128, M128), "the rest of that GiB: our blocks in the boot L2 table");
	arch_remove_memory(3 * G1 + M128, 2 * M128, &src);
	TAP_OK(l1e(3 * G1) == boot_l2 && l2e(3 * G1 + M128) == boot_2m && unmapped(3 * G1 + 2 * M128, M128) &&
	       frees == 0 && flush_range == 1, "remove: only our blocks go; boot blocks and the boot table stay");
	return TAP_DONE();
}
