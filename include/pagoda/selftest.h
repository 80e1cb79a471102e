/* In-kernel tests and benchmarks, registered beside the code they test.
 *
 *   SELFTEST(buddy_merge) { ... EXPECT(x == y); ... }
 *   BENCH(buddy) { ... bench_report("order-0 pair", ns_per_op, "ns"); }
 *
 * `selftest [NAME]` prints "ok N - name" / "not ok N - name" (a skipped
 * test: "ok N - name # SKIP why") and a final "N passed, N failed" line. */
#ifndef PAGODA_SELFTEST_H
#define PAGODA_SELFTEST_H
#include <pagoda/types.h>

struct selftest {
	const char *name;
	void (*fn)(bool *failed);
};
struct bench {
	const char *name;
	void (*fn)(void);
};

#define SELFTEST(n) \
	static void __selftest_fn_##n(bool *__st_failed); \
	static const struct selftest __selftest_##n __used \
	__section("pagoda_selftests") __aligned(8) = { #n, __selftest_fn_##n }; \
	static void __selftest_fn_##n(bool *__st_failed)

/* EXPECT(cond): on failure print "# file:line: cond" and mark the test failed. */
#define EXPECT(cond) do { if (!(cond)) { *__st_failed = true; \
	printk("# %s:%d: expected %s\n", __FILE__, __LINE__, #cond); } } while (0)

/* SELFTEST_SKIP(why): this machine lacks what the test needs (say what in
 * why); the runner prints "ok N - name # SKIP why" (TAP), or "not ok" if an
 * EXPECT before it failed.  Returns from the test. */
extern const char *selftest_skip_reason;
#define SELFTEST_SKIP(why) do { selftest_skip_reason = (why); return; } while (0)

#define BENCH(n) \
	static void __bench_fn_##n(void); \
	static const struct bench __bench_##n __used \
	__section("pagoda_benches") __aligned(8) = { #n, __bench_fn_##n }; \
	static void __bench_fn_##n(void)

/* Returns number of failures. name == NULL runs all. */
int selftest_run(const char *name);

/* bench_report(what, ns_per_op)        prints "<bench>: <what>: N ns/op"
 * bench_report(what, value, "unit")    prints "<bench>: <what>: N unit" */
void bench_report_unit(const char *what, u64 value, const char *unit);
static inline void bench_report_ns(const char *what, u64 ns_per_op)
{
	bench_report_unit(what, ns_per_op, "ns/op");
}
#define __bench_report_pick(_1, _2, _3, fn, ...) fn
#define bench_report(...) \
	__bench_report_pick(__VA_ARGS__, bench_report_unit, bench_report_ns, _)(__VA_ARGS__)
#endif
