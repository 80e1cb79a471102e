/* The host implementation of the arch contract mm/ uses, on simulated RAM.
 *
 *   memfd (sparse, size = end of the firmware map)      "physical memory"
 *     |-- mmap MAP_SHARED at host_page_offset            the direct map (__va)
 *     `-- mmap MAP_SHARED|MAP_FIXED, one page at a time,
 *         at host_vmemmap_start + x when arch_set_pte()
 *         installs a level-0 leaf for that va            the vmemmap
 *
 * Page tables are ordinary simulated frames with x86_64 encodings; the root
 * is the first page of the simulated kernel image, the second page holds
 * 1 GiB block entries for the direct map (so the walker can be shown to
 * refuse them). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <signal.h>
#include <sys/mman.h>
#include <pagoda/bootinfo.h>
#include <pagoda/cmdline.h>
#include <pagoda/mm.h>
#include <pagoda/vmstat.h>
#include <pagoda/arch.h>
#include <asm/pgtable.h>
#include <asm/tlbflush.h>
#include "host_mm.h"
#include "mm/memblock.h"

unsigned long host_page_offset;
unsigned long host_vmemmap_start;
unsigned long host_direct_map_size;
static int host_memfd = -1;
static phys_addr_t host_pgd_pa;
#define HOST_JUNK_CHUNK SZ_2M          /* simulated RAM gets its junk by chunks */
static void host_junk_frame(phys_addr_t pa);

pte_t *arch_pgd(void) { return __va(host_pgd_pa); }

static bool host_in_vmemmap(unsigned long va)
{
	return va >= host_vmemmap_start && va < host_vmemmap_start + VMEMMAP_SIZE;
}

void arch_set_pte(unsigned long va, int level, pte_t *ptep, pte_t val)
{
	void *p;

	*(volatile pte_t *)ptep = val;
	if (level != 0 || !host_in_vmemmap(va))
		return;
	if (pte_present(val)) {
		host_junk_frame(pte_pa(val));
		p = mmap((void *)va, PAGE_SIZE, PROT_READ | (pte_writable(val) ? PROT_WRITE : 0),
			 MAP_SHARED | MAP_FIXED, host_memfd, (off_t)pte_pa(val));
	} else {
		p = mmap((void *)va, PAGE_SIZE, PROT_NONE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0);
	}
	if (p == MAP_FAILED) {
		perror("arch_set_pte: mmap");
		abort();
	}
}

void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	unsigned long pages = (end - start + PAGE_SIZE - 1) / PAGE_SIZE;

	if (pages > TLB_FLUSH_ALL_THRESHOLD)
		count_vm_event(NR_TLB_LOCAL_FLUSH_ALL);
	else
		count_vm_events(NR_TLB_LOCAL_FLUSH_ONE, pages);
}

void flush_tlb_all(void) { count_vm_event(NR_TLB_LOCAL_FLUSH_ALL); }

/* x86_64's batch: store all, then one per-entry invalidation (counted per
 * entry) or one full flush above TLB_FLUSH_ALL_THRESHOLD entries. */
void arch_set_ptes_batch(const struct pte_batch *b)
{
	unsigned long va;
	pte_t *ptep, val;

	for (unsigned long i = 0; i < b->n; i++) {
		b->get(b, i, &va, &ptep, &val);
		arch_set_pte(va, 0, ptep, val);
	}
	if (b->n > TLB_FLUSH_ALL_THRESHOLD)
		flush_tlb_all();
	else
		count_vm_events(NR_TLB_LOCAL_FLUSH_ONE, b->n);
}

/* A PROT_NONE reservation of size bytes aligned to align. */
static unsigned long host_reserve(u64 size, u64 align)
{
	void *p = mmap(NULL, size + align, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		perror("host_reserve");
		abort();
	}
	return ALIGN_UP((unsigned long)p, align);
}

/* Simulated RAM holds junk, as real RAM holds whatever its last owner left,
 * so every "zeroed" promise of mm/ is really tested.  Writing junk over all
 * of it at boot costs seconds per GiB, so it is done lazily, per 2 MiB chunk:
 *
 *   direct map chunk PROT_NONE --first touch (SIGSEGV)--> fill HOST_PHYS_JUNK,
 *                                                         PROT_READ|WRITE
 *   arch_set_pte() mapping a frame into the vmemmap fills its chunk first.
 *
 * Which chunks hold junk is in shared memory (forked probes see it); a fault
 * outside the direct map goes to the handler installed before (ASan's). */
static u8 *host_junk_done;             /* one byte per chunk: junk written */
static u64 host_phys_size;
static struct sigaction host_junk_prev;

static void host_junk_chunk(u64 idx)
{
	void *va = (void *)(host_page_offset + idx * HOST_JUNK_CHUNK);

	if (mprotect(va, HOST_JUNK_CHUNK, PROT_READ | PROT_WRITE))
		abort();
	if (!host_junk_done[idx])
		memset(va, HOST_PHYS_JUNK, HOST_JUNK_CHUNK);
	host_junk_done[idx] = 1;
}

/* Junk in frame pa's chunk before the vmemmap maps it (one syscall per new chunk). */
static void host_junk_frame(phys_addr_t pa)
{
	if (!host_junk_done[pa / HOST_JUNK_CHUNK])
		host_junk_chunk(pa / HOST_JUNK_CHUNK);
}

static void host_junk_fault(int sig, siginfo_t *si, void *uc)
{
	unsigned long a = (unsigned long)si->si_addr;

	if (a >= host_page_offset && a < host_page_offset + host_phys_size) {
		host_junk_chunk((a - host_page_offset) / HOST_JUNK_CHUNK);
		return;
	}
	sigaction(SIGSEGV, &host_junk_prev, NULL);     /* a real fault: re-raised */
}

static void host_map_phys(u64 size)
{
	struct sigaction sa = { .sa_sigaction = host_junk_fault, .sa_flags = SA_SIGINFO };
	u64 phys_size = ALIGN_UP(size, HOST_JUNK_CHUNK);

	host_memfd = memfd_create("pagoda-phys", 0);
	if (host_memfd < 0 || ftruncate(host_memfd, (off_t)phys_size)) {
		perror("host_map_phys: memfd");
		abort();
	}
	host_page_offset = host_reserve(phys_size, SZ_1G);
	if (mmap((void *)host_page_offset, phys_size, PROT_NONE,
		 MAP_SHARED | MAP_FIXED, host_memfd, 0) == MAP_FAILED) {
		perror("host_map_phys: mmap");
		abort();
	}
	host_junk_done = mmap(NULL, phys_size / HOST_JUNK_CHUNK, PROT_READ | PROT_WRITE,
			      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (host_junk_done == MAP_FAILED || sigaction(SIGSEGV, &sa, &host_junk_prev)) {
		perror("host_map_phys: junk");
		abort();
	}
	host_phys_size = phys_size;
	host_vmemmap_start = host_reserve(VMEMMAP_SIZE, SZ_1G);
	host_direct_map_size = size;
}

/* Memory hotplug on the host: like x86_64, the "direct map" (the memfd
 * mapping) already covers every simulated physical address, so add is a
 * range check and takes no table; remove changes nothing.  The bytes added
 * and not yet removed are counted (host_arch_added_bytes), standing in for
 * the state arm64's arch_add_memory() makes: a test can see that a failed
 * add undoes exactly what arch_add_memory() did. */
u64 host_arch_added_bytes;

int arch_add_memory(phys_addr_t start, u64 size, const struct mhp_table_alloc *a)
{
	if (!size || start + size < start || start + size > host_direct_map_size)
		return -ERANGE;
	host_arch_added_bytes += size;
	return 0;
}

unsigned long arch_remove_memory_moves(phys_addr_t start, u64 size) { return 0; }

void arch_remove_memory(phys_addr_t start, u64 size, const struct mhp_table_alloc *a)
{
	if (start + size > host_direct_map_size || size > host_arch_added_bytes)
		abort();
	host_arch_added_bytes -= size;
}

/* Root table at kbase, a level-2 table of 1 GiB direct-map blocks at kbase + 4K. */
static void host_build_pgd(phys_addr_t kbase, u64 phys_size)
{
	pte_t *pgd, *pud;

	host_pgd_pa = kbase;
	pgd = __va(kbase);
	pud = __va(kbase + PAGE_SIZE);
	memset(pgd, 0, 2 * PAGE_SIZE);
	pgd[pt_index(host_page_offset, 3)] = pte_mk_table(kbase + PAGE_SIZE);
	for (u64 off = 0; off < phys_size; off += SZ_1G) {
		if (pt_index(host_page_offset + off, 3) != pt_index(host_page_offset, 3))
			break;                  /* one PGD slot of blocks is enough here */
		pud[pt_index(host_page_offset + off, 2)] = pte_mk_leaf(off, 2, PROT_KERNEL_RW);
	}
}

static void host_fill_bootinfo(u64 mem_bytes, const struct host_mm_opts *o,
			       phys_addr_t kbase, u64 ksize)
{
	memset(&bootinfo, 0, sizeof(bootinfo));
	if (o->nr_map == 0)
		bootinfo_add_mem(&bootinfo, 0, mem_bytes, BOOT_MEM_USABLE);
	for (int i = 0; i < o->nr_map; i++)
		bootinfo_add_mem(&bootinfo, o->map[i].base, o->map[i].size, o->map[i].type);
	bootinfo_add_reserved(&bootinfo, kbase, ksize);
	for (int i = 0; i < o->nr_reserved; i++)
		bootinfo_add_reserved(&bootinfo, o->reserved[i].base, o->reserved[i].size);
	snprintf(bootinfo.cmdline, sizeof(bootinfo.cmdline), "%s", o->cmdline ? o->cmdline : "");
	bootinfo.firmware = "host";
	bootinfo.loader = "host_mm_boot";
}

void host_mm_boot(u64 mem_bytes, const struct host_mm_opts *opts)
{
	static const struct host_mm_opts none;
	const struct host_mm_opts *o = opts ? opts : &none;
	phys_addr_t kbase = o->kernel_base ? o->kernel_base : SZ_2M;
	u64 ksize = o->kernel_size ? o->kernel_size : SZ_2M;
	u64 phys_size = mem_bytes;

	for (int i = 0; i < o->nr_map; i++)
		phys_size = MAX(phys_size, o->map[i].base + o->map[i].size);
	host_map_phys(phys_size);
	if (o->direct_map_size)
		host_direct_map_size = o->direct_map_size;
	host_build_pgd(kbase, phys_size);
	host_fill_bootinfo(mem_bytes, o, kbase, ksize);
	host_printk_quiet = o->quiet;
	cmdline_parse(bootinfo.cmdline);
	if (o->memblock_only)
		memblock_init(&bootinfo);
	else
		mm_init(&bootinfo);
	host_printk_quiet = false;
}
