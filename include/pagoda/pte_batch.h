/* A batch of level-0 PTE stores, the unit arch_set_ptes_batch() works on
 * (asm/pgtable.h includes this after defining pte_t).
 *
 *   caller (mm/pgwalk.c pgwalk_remap_batch)        arch
 *     struct pte_batch { n, get, ctx }   ---->   arch_set_ptes_batch(b)
 *     get(b, i) -> va, ptep, new value   <----   asks for entry i, maybe
 *                                                more than once (arm64:
 *                                                break pass, make pass,
 *                                                fault handler)
 *
 * get() must answer the same for the same i for the whole batch and must
 * not touch memory the batch is remapping (it runs inside the window). */
#ifndef PAGODA_PTE_BATCH_H
#define PAGODA_PTE_BATCH_H

struct pte_batch {
	unsigned long n;
	void (*get)(const struct pte_batch *b, unsigned long i,
		    unsigned long *va, pte_t **ptep, pte_t *val);
	void *ctx;
};
#endif
