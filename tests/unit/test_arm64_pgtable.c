/* Host test of the arm64 page-table encoders, arch_set_pte's
 * break-before-make sequence and flush_tlb_kernel_range.
 *
 * The barrier/TLBI primitives (asm/mmuprim.h) are replaced by recorders
 * that log each call together with the value of the entry under test at
 * that moment, so the test sees the order of stores and barriers:
 *
 *   live entry, new output address:
 *     DSB ISHST (pte 0) -> TLBI VAALE1IS VA[55:12] (pte 0) -> DSB ISH -> ISB
 *     -> DSB ISHST (pte new) -> ISB
 *   invalid -> valid: DSB ISHST (pte new) -> ISB, nothing else
 *
 * Page tables are host pages; their host addresses play physical ones. */
#include <stdlib.h>
#include "tap.h"
#include "arch/arm64/include/asm/pgtable.h"
#include "arch/arm64/include/asm/mmuprim.h"
#include "arch/arm64/include/asm/tlbflush.h"
#include <pagoda/vmstat.h>

struct vm_event_row vm_event_cpu[NR_CPUS];
__thread unsigned int host_cpu_id;

enum ev { EV_DSB_ISHST, EV_DSB_ISH, EV_ISB, EV_TLBI_VAALE1IS, EV_TLBI_VAAE1IS,
	  EV_TLBI_VMALLE1IS, EV_TLBI_RVAALE1IS };
static struct { enum ev ev; unsigned long arg; pte_t pte; } rec[2048];
static int nrec;
static pte_t *watched;

static void record(enum ev ev, unsigned long arg)
{
	if (nrec < (int)(sizeof(rec) / sizeof(rec[0])))
		rec[nrec++] = (typeof(rec[0])){ ev, arg, watched ? *watched : 0 };
}
void __dsb_ishst(void) { record(EV_DSB_ISHST, 0); }
void __dsb_ish(void) { record(EV_DSB_ISH, 0); }
void __isb(void) { record(EV_ISB, 0); }
void __tlbi_vaale1is(unsigned long op) { record(EV_TLBI_VAALE1IS, op); }
void __tlbi_vaae1is(unsigned long op) { record(EV_TLBI_VAAE1IS, op); }
void __tlbi_vmalle1is(void) { record(EV_TLBI_VMALLE1IS, 0); }
void __tlbi_rvaale1is(unsigned long op) { record(EV_TLBI_RVAALE1IS, op); }

static void rec_reset(pte_t *w) { nrec = 0; watched = w; }
static bool rec_is(int i, enum ev ev, unsigned long arg, pte_t pte)
{
	return i < nrec && rec[i].ev == ev && rec[i].arg == arg && rec[i].pte == pte;
}

static pte_t table_pool[16][PT_ENTRIES] __attribute__((aligned(4096)));
static int tables_used;

static pte_t *new_table(void)
{
	if (tables_used == 16)
		abort();
	return table_pool[tables_used++];
}

/* Map one leaf at va in root, creating tables with pte_mk_table. */
static void map_leaf(pte_t *root, unsigned long va, phys_addr_t pa, int level,
		     enum pgprot prot)
{
	pte_t *t = root;
	for (int l = PT_LEVELS - 1; l > level; l--) {
		pte_t *e = &t[pt_index(va, l)];
		if (!pte_present(*e))
			arch_set_pte(va, l, e, pte_mk_table((phys_addr_t)(uintptr_t)new_table()));
		t = (pte_t *)(uintptr_t)pte_pa(*e);
	}
	arch_set_pte(va, level, &t[pt_index(va, level)], pte_mk_leaf(pa, level, prot));
}

/* Translate va through root; returns the output address or ~0 (and the
 * leaf entry in *leaf). */
static phys_addr_t walk(pte_t *root, unsigned long va, pte_t *leaf)
{
	pte_t *t = root;
	for (int l = PT_LEVELS - 1; l >= 0; l--) {
		pte_t e = t[pt_index(va, l)];
		if (!pte_present(e))
			return ~0UL;
		if (!pte_is_table(e, l)) {
			*leaf = e;
			return pte_pa(e) + (va & (pt_level_size(l) - 1));
		}
		t = (pte_t *)(uintptr_t)pte_pa(e);
	}
	return ~0UL;
}

static void test_encoders(void)
{
	const u64 attr_mask = PTE_ATTRINDX_MASK, sh = PTE_SH_INNER;
	pte_t rw = pte_mk_leaf(0x40000000, 0, PROT_KERNEL_RW);
	pte_t ro = pte_mk_leaf(0x40001000, 0, PROT_KERNEL_RO);
	pte_t rx = pte_mk_leaf(0x40002000, 0, PROT_KERNEL_RX);
	pte_t dev = pte_mk_leaf(0x09000000, 0, PROT_DEVICE);
	pte_t blk2m = pte_mk_leaf(0x40200000, 1, PROT_KERNEL_RW);
	pte_t blk1g = pte_mk_leaf(0x80000000, 2, PROT_KERNEL_RO);
	pte_t tbl = pte_mk_table(0x12345000);

	TAP_OK((rw & 3) == 3 && (rw & PTE_AF) && (rw & sh) == sh &&
	       (rw & attr_mask) == PTE_ATTRINDX(MT_NORMAL) && !(rw & PTE_RDONLY) &&
	       (rw & PTE_PXN) && (rw & PTE_UXN) && !(rw & PTE_USER) && !(rw & PTE_NG),
	       "RW page: valid+page, AF, SH inner, Normal, AP RW, PXN+UXN, global");
	TAP_OK((ro & PTE_RDONLY) && (ro & PTE_PXN) && (ro & PTE_UXN) &&
	       (ro & attr_mask) == PTE_ATTRINDX(MT_NORMAL) && !pte_writable(ro),
	       "RO page: AP read-only, PXN+UXN");
	TAP_OK((rx & PTE_RDONLY) && !(rx & PTE_PXN) && (rx & PTE_UXN) && !pte_writable(rx),
	       "RX page: read-only, EL1-executable (PXN clear), UXN");
	TAP_OK((dev & attr_mask) == PTE_ATTRINDX(MT_DEVICE_nGnRnE) && (dev & PTE_PXN) &&
	       (dev & PTE_UXN) && pte_writable(dev) && (dev & PTE_AF),
	       "device page: Device-nGnRnE, RW, XN");
	TAP_OK(MAIR_VALUE == 0x44ff00UL, "MAIR: attr0 Device-nGnRnE, attr1 Normal WB, attr2 NC");
	TAP_OK((blk2m & 3) == 1 && (blk1g & 3) == 1 && !pte_is_table(blk2m, 1) &&
	       !pte_is_table(blk1g, 2) && pte_present(blk1g),
	       "levels 1, 2 leaves are blocks (bits[1:0] = 01)");
	TAP_OK(pte_is_table(tbl, 1) && pte_is_table(tbl, 3) && !pte_is_table(rw, 0) &&
	       pte_pa(tbl) == 0x12345000 && (tbl & 3) == 3,
	       "table entries: bits[1:0] = 11 at levels > 0; a level-0 page is no table");
	TAP_OK(pte_pa(rw) == 0x40000000 && pte_pa(blk1g) == 0x80000000 &&
	       pte_pa(pte_mk_leaf(0xfffffffff000UL, 0, PROT_KERNEL_RW)) == 0xfffffffff000UL,
	       "output address round-trips through bits 47..12");
	TAP_OK(pt_index(0xffff800080000000UL, 3) == 256 && pt_index(0xffff800080000000UL, 2) == 2 &&
	       pt_index(0xffff000040201000UL, 0) == 1 && pt_index(0xffff000040201000UL, 1) == 1 &&
	       pt_level_size(0) == 4096 && pt_level_size(1) == (2UL << 20) &&
	       pt_level_size(2) == (1UL << 30),
	       "pt_index / pt_level_size for 4 KiB granule, 48-bit VA");
	TAP_OK(!pte_present(0) && !pte_writable(0), "zero entry is invalid");
}

static void test_mapping(void)
{
	pte_t *root = new_table(), leaf = 0;
	unsigned long base = PAGE_OFFSET;

	map_leaf(root, base + 0x40000000, 0x40000000, 2, PROT_KERNEL_RW);
	map_leaf(root, base + 0x80200000, 0x80200000, 1, PROT_KERNEL_RO);
	map_leaf(root, KIMAGE_VADDR + 0x3000, 0x6cb45000, 0, PROT_KERNEL_RX);
	TAP_OK(walk(root, base + 0x40123456, &leaf) == 0x40123456 && (leaf & 3) == 1 &&
	       pte_writable(leaf), "1 GiB block translates, RW");
	TAP_OK(walk(root, base + 0x803fff08, &leaf) == 0x803fff08 && (leaf & 3) == 1 &&
	       !pte_writable(leaf), "2 MiB block translates, RO");
	TAP_OK(walk(root, KIMAGE_VADDR + 0x3ff8, &leaf) == 0x6cb45ff8 && (leaf & 3) == 3 &&
	       !(leaf & PTE_PXN), "4 KiB page translates, executable");
	TAP_OK(walk(root, KIMAGE_VADDR + 0x4000, &leaf) == ~0UL &&
	       walk(root, base + 0x80000000, &leaf) == ~0UL, "unmapped neighbours do not translate");
	TAP_OK(pt_index(PAGE_OFFSET, 3) != pt_index(KIMAGE_VADDR, 3) &&
	       pt_index(VMEMMAP_START, 3) != pt_index(KIMAGE_VADDR, 3) &&
	       pt_index(VMEMMAP_START, 3) != pt_index(IOMAP_START, 3) &&
	       VMEMMAP_START + VMEMMAP_SIZE <= IOMAP_START &&
	       VMEMMAP_SIZE >= (1UL << (MAX_PHYSMEM_BITS - PAGE_SHIFT)) * 64,
	       "direct map, image, vmemmap and iomap sit in separate L0 slots");
}

/* The TLBI operand of VMEMMAP_START + 0x5000 (0xfffff80000005000): VA[55:12]
 * in bits 43:0, bits 47:44 (FEAT_TTL's level hint) zero, as Linux's
 * __TLBI_VADDR builds it.  The unmasked va >> 12 would be 0xfffff80000005. */
#define VA_OP_5000 0xfff80000005UL

static void test_bbm(void)
{
	unsigned long va = VMEMMAP_START + 0x5000;
	pte_t old = pte_mk_leaf(0x41000000, 0, PROT_KERNEL_RW);
	pte_t new = pte_mk_leaf(0x42000000, 0, PROT_KERNEL_RO);
	pte_t e = 0;

	rec_reset(&e);
	arch_set_pte(va, 0, &e, old);
	TAP_OK(nrec == 2 && rec_is(0, EV_DSB_ISHST, 0, old) && rec_is(1, EV_ISB, 0, old),
	       "invalid -> valid: store, DSB ISHST, ISB; no break-before-make");

	rec_reset(&e);
	arch_set_pte(va, 0, &e, new);
	TAP_OK(nrec == 6 && rec_is(0, EV_DSB_ISHST, 0, 0) &&
	       rec_is(1, EV_TLBI_VAALE1IS, VA_OP_5000, 0) && rec_is(2, EV_DSB_ISH, 0, 0) &&
	       rec_is(3, EV_ISB, 0, 0) && rec_is(4, EV_DSB_ISHST, 0, new) &&
	       rec_is(5, EV_ISB, 0, new) && e == new,
	       "new output address: invalid, DSB ISHST, TLBI VAALE1IS VA[55:12], DSB ISH, ISB, new, DSB ISHST, ISB");

	pte_t ro_same = pte_mk_leaf(0x42000000, 0, PROT_KERNEL_RW);
	rec_reset(&e);
	arch_set_pte(va, 0, &e, ro_same);
	TAP_OK(nrec == 2 && rec_is(0, EV_DSB_ISHST, 0, ro_same), "permission-only change: no BBM");

	rec_reset(&e);
	arch_set_pte(va, 0, &e, 0);
	TAP_OK(nrec == 2 && e == 0 && rec[0].ev == EV_DSB_ISHST, "clearing an entry: no BBM");

	pte_t blk = pte_mk_leaf(0x40200000, 1, PROT_KERNEL_RW), tbl = pte_mk_table(0x40200000);
	e = blk;
	rec_reset(&e);
	arch_set_pte(va, 1, &e, tbl);
	TAP_OK(nrec == 6 && rec_is(1, EV_TLBI_VAALE1IS, VA_OP_5000, 0) && e == tbl,
	       "block -> table with the same address: BBM");
	rec_reset(&e);
	arch_set_pte(va, 1, &e, blk);
	TAP_OK(nrec == 6 && rec_is(1, EV_TLBI_VAAE1IS, VA_OP_5000, 0) && e == blk,
	       "table -> block: BBM with TLBI VAAE1IS (walk caches)");
}

static void test_flush(void)
{
	unsigned long va = VMEMMAP_START + 0x10000;
	u64 one = vm_event_read(NR_TLB_LOCAL_FLUSH_ONE), all = vm_event_read(NR_TLB_LOCAL_FLUSH_ALL);

	rec_reset(NULL);
	flush_tlb_kernel_range(va, va + 3 * PAGE_SIZE);
	TAP_OK(nrec == 6 && rec[0].ev == EV_DSB_ISHST &&
	       rec_is(1, EV_TLBI_VAALE1IS, 0xfff80000010UL, 0) &&
	       rec_is(3, EV_TLBI_VAALE1IS, 0xfff80000012UL, 0) && rec[4].ev == EV_DSB_ISH &&
	       rec[5].ev == EV_ISB && vm_event_read(NR_TLB_LOCAL_FLUSH_ONE) == one + 3,
	       "flush_tlb_kernel_range: per-page TLBI VAALE1IS, counted per page");
	rec_reset(NULL);
	flush_tlb_kernel_range(va, va + (TLB_FLUSH_ALL_THRESHOLD + 1) * PAGE_SIZE);
	TAP_OK(nrec == 4 && rec[1].ev == EV_TLBI_VMALLE1IS &&
	       vm_event_read(NR_TLB_LOCAL_FLUSH_ALL) == all + 1,
	       "flush_tlb_kernel_range above the threshold: TLBI VMALLE1IS, counted once");
	rec_reset(NULL);
	flush_tlb_kernel_range(va, va);
	TAP_OK(nrec == 0, "empty range flushes nothing");
}

/* A batch over batch_ptes[0..n): entry i maps VMEMMAP_START + i pages,
 * moving from frame 0x41000000 + i pages to batch_new[i]. */
#define BATCH_MAX (TLB_FLUSH_ALL_THRESHOLD + 1)
static pte_t batch_ptes[BATCH_MAX], batch_new[BATCH_MAX];

static void batch_get(const struct pte_batch *b, unsigned long i,
		      unsigned long *va, pte_t **ptep, pte_t *val)
{
	*va = VMEMMAP_START + i * PAGE_SIZE;
	*ptep = &batch_ptes[i];
	*val = batch_new[i];
}

static struct pte_batch batch_setup(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++) {
		batch_ptes[i] = pte_mk_leaf(0x41000000 + i * PAGE_SIZE, 0, PROT_KERNEL_RW);
		batch_new[i] = pte_mk_leaf(0x42000000, 0, PROT_KERNEL_RO);
	}
	return (struct pte_batch){ .n = n, .get = batch_get };
}

static bool batch_made(unsigned long n)
{
	for (unsigned long i = 0; i < n; i++)
		if (batch_ptes[i] != batch_new[i])
			return false;
	return true;
}

/* 64 entries: every entry broken before one DSB ISHST, 64 masked TLBI
 * VAALE1IS, one DSB ISH + ISB, then the make and one DSB ISHST + ISB.
 * No TLBI VMALLE1IS: at most one global flush is zero here. */
static void test_batch64(void)
{
	struct pte_batch b = batch_setup(64);
	u64 one = vm_event_read(NR_TLB_LOCAL_FLUSH_ONE), all = vm_event_read(NR_TLB_LOCAL_FLUSH_ALL);
	bool ops_ok = true;

	rec_reset(&batch_ptes[63]);
	arch_set_ptes_batch(&b);
	for (int i = 0; i < 64; i++)
		ops_ok &= rec_is(1 + i, EV_TLBI_VAALE1IS, 0xfff80000000UL + i, 0);
	TAP_OK(nrec == 69 && rec_is(0, EV_DSB_ISHST, 0, 0) && ops_ok &&
	       rec_is(65, EV_DSB_ISH, 0, 0) && rec_is(66, EV_ISB, 0, 0) &&
	       rec_is(67, EV_DSB_ISHST, 0, batch_new[63]) && rec_is(68, EV_ISB, 0, batch_new[63]) &&
	       batch_made(64),
	       "batch of 64: break all, DSB ISHST, 64 x TLBI VAALE1IS VA[55:12], DSB ISH, ISB, make all, DSB ISHST, ISB");
	TAP_OK(vm_event_read(NR_TLB_LOCAL_FLUSH_ONE) == one + 64 &&
	       vm_event_read(NR_TLB_LOCAL_FLUSH_ALL) == all,
	       "batch of 64: 64 x nr_tlb_local_flush_one, no global flush");
	TAP_OK(!arm64_bbm_window.batch && !arm64_bbm_fault(VMEMMAP_START),
	       "window closed after the batch; a fault then is not the window's");
}

static void test_batch_global(void)
{
	struct pte_batch b = batch_setup(BATCH_MAX);
	u64 one = vm_event_read(NR_TLB_LOCAL_FLUSH_ONE), all = vm_event_read(NR_TLB_LOCAL_FLUSH_ALL);
	int vmalle = 0, vaale = 0;

	rec_reset(NULL);
	arch_set_ptes_batch(&b);
	for (int i = 0; i < nrec; i++) {
		vmalle += rec[i].ev == EV_TLBI_VMALLE1IS;
		vaale += rec[i].ev == EV_TLBI_VAALE1IS;
	}
	TAP_OK(vmalle == 1 && vaale == 0 && nrec == 6 && batch_made(BATCH_MAX) &&
	       vm_event_read(NR_TLB_LOCAL_FLUSH_ALL) == all + 1 &&
	       vm_event_read(NR_TLB_LOCAL_FLUSH_ONE) == one,
	       "batch above TLB_FLUSH_ALL_THRESHOLD: one TLBI VMALLE1IS, counted once");
}

/* Inside the window the hook plays a struct-page read that faults: the
 * handler's arm64_bbm_fault finishes the make, counts the fault, and the
 * batch then does no second flush. */
static unsigned long hook_va;
static bool hook_fault_ret, hook_saw_broken, hook_made;
static void batch_hook(void)
{
	hook_saw_broken = batch_ptes[3] == 0 && arm64_bbm_window.state == BBM_BROKEN &&
			  arm64_bbm_window.lo == VMEMMAP_START &&
			  arm64_bbm_window.hi == VMEMMAP_START + 8 * PAGE_SIZE;
	hook_fault_ret = arm64_bbm_fault(hook_va);
	hook_made = batch_made(8);
}

static void test_batch_window_fault(void)
{
	struct pte_batch b = batch_setup(8);
	u64 faults = vm_event_read(NR_VMEMMAP_BBM_FAULT);
	int tlbis = 0;

	hook_va = VMEMMAP_START + 3 * PAGE_SIZE + 0x40;
	arm64_bbm_window_hook = batch_hook;
	rec_reset(NULL);
	arch_set_ptes_batch(&b);
	arm64_bbm_window_hook = NULL;
	for (int i = 0; i < nrec; i++)
		tlbis += rec[i].ev == EV_TLBI_VAALE1IS;
	TAP_OK(hook_saw_broken && hook_fault_ret && hook_made && batch_made(8) &&
	       vm_event_read(NR_VMEMMAP_BBM_FAULT) == faults + 1 && tlbis == 8 &&
	       !arm64_bbm_window.batch,
	       "fault inside the window: handler completes the make, counts it, one flush in all");

	b = batch_setup(8);
	hook_va = VMEMMAP_START + 8 * PAGE_SIZE;       /* just past the window */
	arm64_bbm_window_hook = batch_hook;
	arch_set_ptes_batch(&b);
	arm64_bbm_window_hook = NULL;
	TAP_OK(!hook_fault_ret && !hook_made && batch_made(8) &&
	       vm_event_read(NR_VMEMMAP_BBM_FAULT) == faults + 1,
	       "fault outside the window's range is not the window's");
}

/* The range operand: TG 4K in bits 47:46, SCALE 45:44, NUM 43:39, TTL 0,
 * BaseADDR = VA[48:12] in 36:0; the smallest SCALE whose
 * (NUM + 1) << (5 * SCALE + 1) pages cover the span, rounded up. */
static void test_range_op(void)
{
	unsigned long op = 0, v = VMEMMAP_START;

	TAP_OK(tlbi_range_op(v, v + 64 * PAGE_SIZE, &op) && op == 0x4f9f80000000UL,
	       "range operand, 64 pages: TG 1, SCALE 0, NUM 31, BaseADDR VA[48:12]");
	TAP_OK(tlbi_range_op(v, v + 513 * PAGE_SIZE, &op) &&
	       op == ((1UL << 46) | (1UL << 44) | (8UL << 39) | 0x1f80000000UL),
	       "range operand, 513 pages: SCALE 1, NUM 8 (576 pages)");
	TAP_OK(tlbi_range_op(v + 0x800, v + 0x801, &op) && op == ((1UL << 46) | 0x1f80000000UL),
	       "range operand, part of one page: 2 pages from its page");
	TAP_OK(tlbi_range_op(v, v + TLBI_RANGE_MAX_PAGES * PAGE_SIZE, &op) &&
	       op == ((1UL << 46) | (3UL << 44) | (31UL << 39) | 0x1f80000000UL) &&
	       !tlbi_range_op(v, v + (TLBI_RANGE_MAX_PAGES + 1) * PAGE_SIZE, &op),
	       "range operand: 2^21 pages fit (SCALE 3, NUM 31), one more does not");
}

/* With FEAT_TLBIRANGE a batch of any size pays one TLBI RVAALE1IS over its
 * span between the same barriers, counted in nr_tlb_local_flush_range; a
 * fault in the window completes it with that one range TLBI too. */
static void test_batch_range(void)
{
	u64 one = vm_event_read(NR_TLB_LOCAL_FLUSH_ONE), all = vm_event_read(NR_TLB_LOCAL_FLUSH_ALL);
	u64 range = vm_event_read(NR_TLB_LOCAL_FLUSH_RANGE), faults = vm_event_read(NR_VMEMMAP_BBM_FAULT);
	struct pte_batch b = batch_setup(64);
	int tlbis = 0;

	arm64_tlbi_range = true;
	rec_reset(&batch_ptes[63]);
	arch_set_ptes_batch(&b);
	TAP_OK(nrec == 6 && rec_is(0, EV_DSB_ISHST, 0, 0) &&
	       rec_is(1, EV_TLBI_RVAALE1IS, 0x4f9f80000000UL, 0) && rec_is(2, EV_DSB_ISH, 0, 0) &&
	       rec_is(3, EV_ISB, 0, 0) && rec_is(4, EV_DSB_ISHST, 0, batch_new[63]) &&
	       rec_is(5, EV_ISB, 0, batch_new[63]) && batch_made(64),
	       "range batch of 64: break all, DSB ISHST, one TLBI RVAALE1IS over 64 pages, DSB ISH, ISB, make all");
	b = batch_setup(BATCH_MAX);
	rec_reset(NULL);
	arch_set_ptes_batch(&b);
	TAP_OK(nrec == 6 && rec_is(1, EV_TLBI_RVAALE1IS,
				   (1UL << 46) | (1UL << 44) | (8UL << 39) | 0x1f80000000UL, 0) &&
	       batch_made(BATCH_MAX),
	       "range batch above TLB_FLUSH_ALL_THRESHOLD: one range TLBI, no VMALLE1IS");
	TAP_OK(vm_event_read(NR_TLB_LOCAL_FLUSH_RANGE) == range + 2 &&
	       vm_event_read(NR_TLB_LOCAL_FLUSH_ONE) == one && vm_event_read(NR_TLB_LOCAL_FLUSH_ALL) == all,
	       "range batches: one nr_tlb_local_flush_range each, nothing else");
	b = batch_setup(8);
	hook_va = VMEMMAP_START + 3 * PAGE_SIZE + 0x40;
	arm64_bbm_window_hook = batch_hook;
	rec_reset(NULL);
	arch_set_ptes_batch(&b);
	arm64_bbm_window_hook = NULL;
	for (int i = 0; i < nrec; i++)
		tlbis += rec[i].ev >= EV_TLBI_VAALE1IS;
	TAP_OK(hook_saw_broken && hook_fault_ret && hook_made && batch_made(8) && tlbis == 1 &&
	       vm_event_read(NR_VMEMMAP_BBM_FAULT) == faults + 1 && !arm64_bbm_window.batch,
	       "range batch, fault inside the window: completed by the handler with the one range TLBI");
	arm64_tlbi_range = false;
}

/* Only live entries whose frame changes are broken; the others keep going. */
static void test_batch_mixed(void)
{
	struct pte_batch b = batch_setup(3);
	pte_t same_ro = pte_mk_leaf(0x41001000, 0, PROT_KERNEL_RO);

	batch_ptes[0] = 0;                              /* invalid -> valid */
	batch_new[1] = same_ro;                         /* permission only */
	batch_new[2] = 0;                               /* clear */
	rec_reset(&batch_ptes[1]);
	arch_set_ptes_batch(&b);
	TAP_OK(batch_made(3) && rec_is(0, EV_DSB_ISHST, 0, same_ro),
	       "mixed batch: permission-only change stored without a break, invalid -> valid and clear done");
}

int main(void)
{
	test_encoders();
	test_mapping();
	test_bbm();
	test_flush();
	test_batch64();
	test_batch_global();
	test_batch_window_fault();
	test_batch_mixed();
	test_range_op();
	test_batch_range();
	return TAP_DONE();
}
