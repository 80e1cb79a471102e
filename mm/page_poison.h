/* Page poisoning: free pages are filled with PAGE_POISON_PATTERN and the
 * pattern is verified when they are allocated again, so a write to a free
 * page (use after free) is caught.  page_poison=on|off, default off
 * (as Linux: the boot fill is slow under TCG). */
#ifndef MM_PAGE_POISON_H
#define MM_PAGE_POISON_H
#include <pagoda/types.h>

#define PAGE_POISON_BYTE     0xaa
#define PAGE_POISON_PATTERN  0xaaaaaaaaaaaaaaaaULL

extern bool page_poison_enabled;

struct poison_report {
	unsigned long pfn;        /* first corrupted page */
	unsigned long offset;     /* byte offset of the corrupted 8 bytes in it */
	u64 value;                /* what was found there */
};

/* Fill [pfn, pfn + nr_pages) with the pattern (no-op when disabled). */
void page_poison_fill(unsigned long pfn, unsigned long nr_pages);
/* Test seam: true if the block holds the pattern; else fill *rep. */
bool page_poison_check(unsigned long pfn, unsigned int order, struct poison_report *rep);
/* Check and count the block; panic naming pfn, offset and value on mismatch. */
void page_poison_verify(unsigned long pfn, unsigned int order);
#endif
