/* Doubly linked circular lists (Linux style). */
#ifndef PAGODA_LIST_H
#define PAGODA_LIST_H
#include <pagoda/types.h>

struct list_head { struct list_head *next, *prev; };

#define LIST_HEAD_INIT(n) { &(n), &(n) }
static inline void list_init(struct list_head *h) { h->next = h->prev = h; }
static inline bool list_empty(const struct list_head *h) { return h->next == h; }
static inline void __list_link(struct list_head *n, struct list_head *p, struct list_head *nx)
{
	n->next = nx; n->prev = p; p->next = n; nx->prev = n;
}
static inline void list_add(struct list_head *n, struct list_head *h) { __list_link(n, h, h->next); }
static inline void list_add_tail(struct list_head *n, struct list_head *h) { __list_link(n, h->prev, h); }
static inline void list_del(struct list_head *n)
{
	n->prev->next = n->next; n->next->prev = n->prev;
	n->next = n->prev = NULL;
}
#define list_entry(p, t, m) container_of(p, t, m)
#define list_first_entry(h, t, m) list_entry((h)->next, t, m)
#define list_for_each(p, h) for (p = (h)->next; p != (h); p = p->next)
#define list_for_each_safe(p, n, h) for (p = (h)->next, n = p->next; p != (h); p = n, n = p->next)
#endif
