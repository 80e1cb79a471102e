/* struct seq: bounded text buffers for pseudo-file show() callbacks.
 * Output past the capacity is dropped and s->overflow is set; the text
 * stays NUL-terminated. */
#include <pagoda/seq.h>
#include <pagoda/printk.h>

/* Start an empty seq over buf[size] (size > 0). */
void seq_init(struct seq *s, char *buf, size_t size)
{
	s->buf = buf;
	s->size = size;
	s->len = 0;
	s->overflow = false;
	if (size)
		buf[0] = '\0';
}

/* Append formatted text.  Returns 0, or -1 when it did not fit (what fit
 * is kept so a truncated file still shows its head). */
int seq_printf(struct seq *s, const char *fmt, ...)
{
	size_t room = s->size - s->len;
	va_list ap;
	int n;

	if (s->overflow || room == 0) {
		s->overflow = true;
		return -1;
	}
	va_start(ap, fmt);
	n = kvsnprintf(s->buf + s->len, room, fmt, ap);
	va_end(ap);
	if ((size_t)n >= room) {
		s->len = s->size - 1;
		s->overflow = true;
		return -1;
	}
	s->len += n;
	return 0;
}
