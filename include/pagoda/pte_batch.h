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
 * not touch memory the batch is remapping (it runs inside the window).
 *
 * A caller that keeps its entries in an array may instead point ent at
 * the first and give the element size in stride; each element starts with
 * the fields of struct pte_batch_ent, and the arch reads them in place (no
 * call per entry per pass).  lo/hi, when hi != 0, give the VA span [lo, hi)
 * of all entries (the arm64 window) so the arch needs no pass to find it.
 * pgwalk_remap_batch() fills all of these. */
#ifndef PAGODA_PTE_BATCH_H
#define PAGODA_PTE_BATCH_H

struct pte_batch_ent {
	unsigned long va;
	pte_t *ptep;
	pte_t val;
};

struct pte_batch {
	unsigned long n;
	void (*get)(const struct pte_batch *b, unsigned long i,
		    unsigned long *va, pte_t **ptep, pte_t *val);
	void *ctx;
	const struct pte_batch_ent *ent;   /* optional: entry i at ent + i * stride bytes */
	unsigned long stride;
	unsigned long lo, hi;              /* optional: VA span of the entries, hi == 0: unknown */
};

/* Entry i of b: in place when the caller gave ent, else through get() into *tmp. */
static inline const struct pte_batch_ent *pte_batch_entry(const struct pte_batch *b, unsigned long i,
							  struct pte_batch_ent *tmp)
{
	if (b->ent)
		return (const struct pte_batch_ent *)((const char *)b->ent + i * b->stride);
	b->get(b, i, &tmp->va, &tmp->ptep, &tmp->val);
	return tmp;
}
#endif
