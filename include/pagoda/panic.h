/* panic(): for broken invariants only, never for user input.  The message
 * always names the function that panicked. */
#ifndef PAGODA_PANIC_H
#define PAGODA_PANIC_H
#include <pagoda/types.h>

__noreturn void panic_at(const char *func, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define panic(...) panic_at(__func__, __VA_ARGS__)
/* Some CPU has entered panic() (kernel/panic.c; Linux's panic_in_progress). */
bool panic_in_progress(void);

/* KASSERT(cond, fmt, ...): precondition check; panics naming the function,
 * the condition and the values given. */
#define KASSERT(cond, ...) do { if (unlikely(!(cond))) \
	panic_at(__func__, "assertion '" #cond "' failed: " __VA_ARGS__); } while (0)
#endif
