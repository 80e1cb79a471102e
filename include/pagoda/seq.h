/* struct seq: a bounded text buffer that show() callbacks print into. */
#ifndef PAGODA_SEQ_H
#define PAGODA_SEQ_H
#include <pagoda/types.h>
struct seq {
	char *buf;
	size_t size;     /* capacity */
	size_t len;      /* bytes used (excluding NUL) */
	bool overflow;
};
void seq_init(struct seq *s, char *buf, size_t size);
int seq_printf(struct seq *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#endif
