/* In-kernel tests and benchmarks, registered beside the code they test.
 *
 *   SELFTEST(buddy_merge) { ... EXPECT(x == y); ... }
 *   BENCH(buddy) { ... bench_report("order-0 pair", ns_per_op, "ns"); }
 *
 * `selftest [NAME]` prints "ok N - name" / "not ok N - name" and a final
 * "N passed, N failed" line. */
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

#define BENCH(n) \
	static void __bench_fn_##n(void); \
	static const struct bench __bench_##n __used \
	__section("pagoda_benches") __aligned(8) = { #n, __bench_fn_##n }; \
	static void __bench_fn_##n(void)

/* Returns number of failures. name == NULL runs all. */
int selftest_run(const char *name);
#endif
