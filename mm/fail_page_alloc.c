/* fail_page_alloc: make page allocations fail on purpose, as Linux's
 * fault-injection capability of the same name does, so tests can prove
 * every caller copes (kernel/fault_sweep_test.c).
 *
 *   /sys/kernel/debug/fail_page_alloc/
 *     probability  percent (0..100), 0 = off           (Linux)
 *     interval     fail every N-th eligible call        (Linux; a write restarts the count)
 *     times        failures left, -1 = no limit         (Linux)
 *     space        pages allocated before any failure   (Linux)
 *     verbose      0, 1 (one line per failure), 2 (+ the attributes)   (Linux)
 *     sites        `all` or a comma list of: vmemmap_populate, pgtable,
 *                  hvo_optimize, hvo_restore, hot_add, pool_grow   (Pagoda)
 *     seed         the probability mode's PRNG seed; a write reseeds (Pagoda)
 *     failures     read-only: failures injected, total and per innermost site
 *
 *   boot: fail_page_alloc=<interval>,<probability>,<space>,<times>  (Linux)
 *
 * The decision (fault_should_fail) in Linux's order:
 *
 *   request of nr pages --> in a listed site? --> times left? --> space >= nr?
 *        no: allocate <----------no------------------no-------------yes: space -= nr
 *   --> ++count % interval == 0? --> rand % 100 < probability? --> FAIL
 *
 * Site stacks are per CPU and touched only by their CPU; the counters are
 * updated with atomics, so several CPUs may allocate while injection is on.
 * Pagoda has no reclaim and no GFP flags: Linux's ignore-gfp-* and
 * min-order (default 1) do not exist; every order is eligible. */
#include <pagoda/kernel.h>
#include <pagoda/cmdline.h>
#include <pagoda/fault_inject.h>
#include <pagoda/pseudofs.h>
#include <pagoda/shell.h>
#include <pagoda/smp.h>

#define FAIL_DEFAULT_SEED 0x9e3779b97f4a7c15ULL
#define FAIL_DIR "/sys/kernel/debug/fail_page_alloc/"

struct fault_attr fail_page_alloc = {
	.interval = 1, .times = 1, .verbose = 2, .sites = FAIL_SITES_ALL,
	.seed = FAIL_DEFAULT_SEED, .rng = FAIL_DEFAULT_SEED,
};

static const char *const fail_site_names[NR_FAIL_SITES] = {
	[FAIL_SITE_VMEMMAP_POPULATE] = "vmemmap_populate",
	[FAIL_SITE_PGTABLE] = "pgtable",
	[FAIL_SITE_HVO_OPTIMIZE] = "hvo_optimize",
	[FAIL_SITE_HVO_RESTORE] = "hvo_restore",
	[FAIL_SITE_HOT_ADD] = "hot_add",
	[FAIL_SITE_POOL_GROW] = "pool_grow",
};

const char *fail_site_name(unsigned int site)
{
	return site < NR_FAIL_SITES ? fail_site_names[site] : "none";
}

void fault_attr_init(struct fault_attr *a)
{
	*a = (struct fault_attr){ .interval = 1, .times = 1, .verbose = 2, .sites = FAIL_SITES_ALL };
	fault_attr_seed(a, FAIL_DEFAULT_SEED);
}

void fault_attr_seed(struct fault_attr *a, u64 seed)
{
	a->seed = seed;
	a->rng = seed ? seed : FAIL_DEFAULT_SEED;       /* xorshift needs a non-zero state */
}

/* xorshift64*: the next pseudo-random value of a's stream. */
static u64 fault_rand(struct fault_attr *a)
{
	u64 x = a->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	a->rng = x;
	return x * 0x2545f4914f6cdd1dULL;
}

/* Take one of a->times unless it is -1 (no limit); false if none is left. */
static bool fault_take_time(struct fault_attr *a)
{
	long t = __atomic_load_n(&a->times, __ATOMIC_RELAXED);

	do {
		if (t == 0)
			return false;
		if (t < 0)
			return true;
	} while (!__atomic_compare_exchange_n(&a->times, &t, t - 1, false, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return true;
}

/* Spend nr pages of a->space if more than nr is left: true (no failure). */
static bool fault_spend_space(struct fault_attr *a, unsigned long nr)
{
	long s = __atomic_load_n(&a->space, __ATOMIC_RELAXED);

	do {
		if (s <= 0 || (unsigned long)s < nr)
			return false;
	} while (!__atomic_compare_exchange_n(&a->space, &s, s - (long)nr, false, __ATOMIC_RELAXED,
					      __ATOMIC_RELAXED));
	return true;
}

bool fault_should_fail(struct fault_attr *a, unsigned long nr, u32 active, unsigned int inner)
{
	if (!a->probability || (a->sites != FAIL_SITES_ALL && !(a->sites & active)))
		return false;
	if (__atomic_load_n(&a->times, __ATOMIC_RELAXED) == 0)
		return false;
	if (fault_spend_space(a, nr))
		return false;
	if (a->interval > 1 && __atomic_add_fetch(&a->count, 1, __ATOMIC_RELAXED) % a->interval)
		return false;
	if (a->probability < 100 && fault_rand(a) % 100 >= a->probability)
		return false;
	if (!fault_take_time(a))
		return false;
	__atomic_add_fetch(&a->failures[inner < NR_FAIL_SITES ? inner : NR_FAIL_SITES], 1,
			   __ATOMIC_RELAXED);
	__atomic_add_fetch(&a->total, 1, __ATOMIC_RELAXED);
	return true;
}

/* ------------------------------------------------------------ site stacks */

struct fail_site_stack {
	unsigned int depth;
	u8 site[FAIL_SITE_DEPTH];
};
static struct fail_site_stack fail_stacks[NR_CPUS];

void fail_site_enter(enum fail_site site)
{
	struct fail_site_stack *st = &fail_stacks[smp_processor_id()];

	if (st->depth >= FAIL_SITE_DEPTH)
		panic("fail_site_enter: %s nested %u deep on cpu %u", fail_site_name(site), st->depth,
		      smp_processor_id());
	st->site[st->depth++] = (u8)site;
}

void fail_site_exit(enum fail_site site)
{
	struct fail_site_stack *st = &fail_stacks[smp_processor_id()];

	if (!st->depth || st->site[st->depth - 1] != site)
		panic("fail_site_exit: %s is not the innermost site (depth %u, innermost %s)",
		      fail_site_name(site), st->depth,
		      fail_site_name(st->depth ? st->site[st->depth - 1] : NR_FAIL_SITES));
	st->depth--;
}

bool __should_fail_alloc_pages(unsigned long nr)
{
	const struct fail_site_stack *st = &fail_stacks[smp_processor_id()];
	struct fault_attr *a = &fail_page_alloc;
	unsigned int inner = st->depth ? st->site[st->depth - 1] : NR_FAIL_SITES;
	u32 active = 0;

	for (unsigned int i = 0; i < st->depth; i++)
		active |= 1u << st->site[i];
	if (!fault_should_fail(a, nr, active, inner))
		return false;
	if (a->verbose >= 1)
		printk("FAULT_INJECTION: forcing a failure: fail_page_alloc, %lu pages, site %s\n", nr,
		       fail_site_name(inner));
	if (a->verbose >= 2)
		printk("name fail_page_alloc, interval %lu, probability %lu, space %ld, times %ld\n",
		       a->interval, a->probability, a->space, a->times);
	return true;
}

/* ------------------------------------------------------------ parsing */

/* A signed decimal in [min, max]: 0 and *out, else -EINVAL. */
static int fault_parse_long(const char *s, long min, long max, long *out)
{
	bool neg = s && s[0] == '-';
	u64 v;

	if (!s || kstrtou64(s + neg, 10, &v) || v > (u64)max + neg)
		return -EINVAL;
	*out = neg ? -(long)v : (long)v;
	return *out < min || *out > max ? -EINVAL : 0;
}

int fail_sites_parse(const char *str, u32 *mask)
{
	u32 m = 0;

	if (str && !strcmp(str, "all")) {
		*mask = FAIL_SITES_ALL;
		return 0;
	}
	while (str && *str) {
		const char *end = strchr(str, ',');
		size_t len = end ? (size_t)(end - str) : strlen(str);
		unsigned int s;

		for (s = 0; s < NR_FAIL_SITES; s++)
			if (strlen(fail_site_names[s]) == len && !strncmp(str, fail_site_names[s], len))
				break;
		if (s == NR_FAIL_SITES)
			return -EINVAL;
		m |= 1u << s;
		str = end ? end + 1 : str + len;
		if (end && !*str)
			return -EINVAL;                    /* trailing comma */
	}
	if (!m)
		return -EINVAL;
	*mask = m;
	return 0;
}

#define FAULT_INT_MAX 0x7fffffffL

int fault_attr_parse(struct fault_attr *a, const char *str)
{
	char buf[96], *f[4], *p = buf;
	long v[4];
	int n = 0;

	if (!str || strlcpy(buf, str, sizeof(buf)) >= sizeof(buf))
		return -EINVAL;
	while (n < 4) {
		f[n++] = p;
		p = strchr(p, ',');
		if (!p)
			break;
		*p++ = '\0';
	}
	if (n != 4 || p)
		return -EINVAL;
	if (fault_parse_long(f[0], 0, FAULT_INT_MAX, &v[0]) || fault_parse_long(f[1], 0, 100, &v[1]) ||
	    fault_parse_long(f[2], 0, FAULT_INT_MAX, &v[2]) || fault_parse_long(f[3], -1, FAULT_INT_MAX, &v[3]))
		return -EINVAL;
	a->interval = (unsigned long)v[0];
	a->probability = (unsigned long)v[1];
	a->space = v[2];
	a->times = v[3];
	a->count = 0;
	return 0;
}

/* fail_page_alloc=<interval>,<probability>,<space>,<times> */
static int fail_page_alloc_param(const char *val)
{
	if (fault_attr_parse(&fail_page_alloc, val)) {
		printk("FAULT_INJECTION: fail_page_alloc=%s: expected <interval>,<probability>,<space>,"
		       "<times>, ignored\n", val ? val : "");
		return -EINVAL;
	}
	return 0;
}
KERNEL_PARAM("fail_page_alloc", fail_page_alloc_param);

/* ------------------------------------------------------------ debugfs files */

static int fpa_show_ul(struct seq *s, unsigned long v) { return seq_printf(s, "%lu\n", v) ? -ENOMEM : 0; }
static int fpa_show_l(struct seq *s, long v) { return seq_printf(s, "%ld\n", v) ? -ENOMEM : 0; }

/* Parse val for file name as a value in [min, max] or print the error line. */
static int fpa_parse(const char *name, const char *val, long min, long max, long *out)
{
	if (fault_parse_long(val, min, max, out))
		return shell_error("fail_page_alloc/%s: '%s' is not a number in [%ld, %ld]", name,
				   val ? val : "", min, max);
	return 0;
}

static int fpa_probability_show(struct seq *s, void *p) { return fpa_show_ul(s, fail_page_alloc.probability); }
static int fpa_probability_store(const char *val, void *p)
{
	long v;

	if (fpa_parse("probability", val, 0, 100, &v))
		return -1;
	fail_page_alloc.probability = (unsigned long)v;
	return 0;
}
PSEUDO_FILE(FAIL_DIR "probability", fpa_probability_show, fpa_probability_store);

static int fpa_interval_show(struct seq *s, void *p) { return fpa_show_ul(s, fail_page_alloc.interval); }
static int fpa_interval_store(const char *val, void *p)
{
	long v;

	if (fpa_parse("interval", val, 0, FAULT_INT_MAX, &v))
		return -1;
	fail_page_alloc.interval = (unsigned long)v;
	fail_page_alloc.count = 0;
	return 0;
}
PSEUDO_FILE(FAIL_DIR "interval", fpa_interval_show, fpa_interval_store);

static int fpa_times_show(struct seq *s, void *p) { return fpa_show_l(s, fail_page_alloc.times); }
static int fpa_times_store(const char *val, void *p)
{
	long v;

	if (fpa_parse("times", val, -1, FAULT_INT_MAX, &v))
		return -1;
	fail_page_alloc.times = v;
	return 0;
}
PSEUDO_FILE(FAIL_DIR "times", fpa_times_show, fpa_times_store);

static int fpa_space_show(struct seq *s, void *p) { return fpa_show_l(s, fail_page_alloc.space); }
static int fpa_space_store(const char *val, void *p)
{
	long v;

	if (fpa_parse("space", val, 0, FAULT_INT_MAX, &v))
		return -1;
	fail_page_alloc.space = v;
	return 0;
}
PSEUDO_FILE(FAIL_DIR "space", fpa_space_show, fpa_space_store);

static int fpa_verbose_show(struct seq *s, void *p) { return fpa_show_ul(s, fail_page_alloc.verbose); }
static int fpa_verbose_store(const char *val, void *p)
{
	long v;

	if (fpa_parse("verbose", val, 0, 2, &v))
		return -1;
	fail_page_alloc.verbose = (unsigned long)v;
	return 0;
}
PSEUDO_FILE(FAIL_DIR "verbose", fpa_verbose_show, fpa_verbose_store);

static int fpa_seed_show(struct seq *s, void *p)
{
	return seq_printf(s, "%llu\n", (unsigned long long)fail_page_alloc.seed) ? -ENOMEM : 0;
}
static int fpa_seed_store(const char *val, void *p)
{
	u64 v;

	if (!val || kstrtou64(val, 0, &v))
		return shell_error("fail_page_alloc/seed: '%s' is not a number", val ? val : "");
	fault_attr_seed(&fail_page_alloc, v);
	return 0;
}
PSEUDO_FILE(FAIL_DIR "seed", fpa_seed_show, fpa_seed_store);

/* `all`, or the listed sites in enum order, comma-separated. */
static int fpa_sites_show(struct seq *s, void *p)
{
	const char *sep = "";

	if (fail_page_alloc.sites == FAIL_SITES_ALL)
		return seq_printf(s, "all\n") ? -ENOMEM : 0;
	for (unsigned int i = 0; i < NR_FAIL_SITES; i++)
		if (fail_page_alloc.sites & (1u << i)) {
			seq_printf(s, "%s%s", sep, fail_site_names[i]);
			sep = ",";
		}
	return seq_printf(s, "\n") ? -ENOMEM : 0;
}
static int fpa_sites_store(const char *val, void *p)
{
	u32 m;

	if (fail_sites_parse(val, &m))
		return shell_error("fail_page_alloc/sites: '%s': expected all or a comma list of "
				   "vmemmap_populate, pgtable, hvo_optimize, hvo_restore, hot_add, pool_grow",
				   val ? val : "");
	fail_page_alloc.sites = m;
	return 0;
}
PSEUDO_FILE(FAIL_DIR "sites", fpa_sites_show, fpa_sites_store);

/* `total N`, then `<site> N` per site (innermost at the failure), `none N`. */
static int fpa_failures_show(struct seq *s, void *p)
{
	seq_printf(s, "total %lu\n", fail_page_alloc.total);
	for (unsigned int i = 0; i <= NR_FAIL_SITES; i++)
		seq_printf(s, "%s %lu\n", fail_site_name(i), fail_page_alloc.failures[i]);
	return 0;
}
PSEUDO_FILE(FAIL_DIR "failures", fpa_failures_show, NULL);
