/* Selftests of the arm64 interrupt path on the GIC in use (v2 or v3):
 * an SGI sent to this CPU, held off while PSTATE.I masks IRQs and taken
 * once unmasked; the virtual timer's PPI firing no earlier than it was
 * programmed to; the errors arch_irq_request gives; and `bench arm64_irq_sgi`,
 * the SGI round trip. */
#include <pagoda/kernel.h>
#include <pagoda/arch.h>
#include <pagoda/selftest.h>
#include <pagoda/time.h>
#include <asm/sysreg.h>
#include "arm64.h"
#include "gic.h"

#define TEST_SGI          1
#define VTIMER_PPI        arm64_boot.vtimer_intid   /* GTDT, DTB or 27 */
#define CNTV_CTL_ENABLE   1UL
#define IRQ_WAIT_MS       100
#define DAIF_I            (1UL << 7)

static volatile unsigned long test_hits;
static volatile u64 test_hit_at;

static void test_sgi_handler(void *arg)
{
	test_hits++;
}

/* Level-triggered: lower the line (timer off) before the EOI. */
static void test_vtimer_handler(void *arg)
{
	write_sysreg(0, cntv_ctl_el0);
	isb();
	test_hit_at = arch_cycles();
	test_hits++;
}

/* Unmask IRQs until test_hits reaches want or IRQ_WAIT_MS pass; the
 * caller's DAIF is restored. */
static void wait_hits(unsigned long want)
{
	u64 daif = read_sysreg(daif);
	u64 end = arch_cycles() + arch_cycles_per_sec() / 1000 * IRQ_WAIT_MS;

	arch_irq_enable();
	while (test_hits < want && arch_cycles() < end)
		asm volatile("nop");
	write_sysreg(daif, daif);
}

SELFTEST(arm64_irq_sgi)
{
	const struct gic_ops *gic = arm64_gic();
	u64 daif = read_sysreg(daif);

	EXPECT(gic != NULL);
	if (!gic)
		return;
	test_hits = 0;
	EXPECT(arm64_irq_request(TEST_SGI, false, test_sgi_handler, NULL, "selftest") == 0);
	arch_irq_enable();
	EXPECT(!(read_sysreg(daif) & DAIF_I));
	arch_irq_disable();
	EXPECT(read_sysreg(daif) & DAIF_I);
	gic->send_sgi_self(TEST_SGI);
	for (int i = 0; i < 100000 && !gic->pending(TEST_SGI); i++)
		asm volatile("nop");
	EXPECT(gic->pending(TEST_SGI));       /* raised ... */
	EXPECT(test_hits == 0);               /* ... but held off by PSTATE.I */
	wait_hits(1);
	EXPECT(test_hits == 1);
	EXPECT(!gic->pending(TEST_SGI));
	EXPECT(arm64_irq_count(TEST_SGI) == 1);
	arm64_irq_free(TEST_SGI);
	write_sysreg(daif, daif);
}

SELFTEST(arm64_irq_timer)
{
	u64 ticks = arch_cycles_per_sec() / 1000, start;   /* 1 ms */
	u64 daif = read_sysreg(daif);

	test_hits = 0;
	EXPECT(arm64_irq_request(VTIMER_PPI, true, test_vtimer_handler, NULL, "arch_timer") == 0);
	arch_irq_disable();
	start = arch_cycles();
	write_sysreg(ticks, cntv_tval_el0);
	write_sysreg(CNTV_CTL_ENABLE, cntv_ctl_el0);
	isb();
	wait_hits(1);
	EXPECT(test_hits == 1);
	EXPECT(test_hit_at - start >= ticks);
	wait_hits(2);                         /* level line lowered: no second one */
	EXPECT(test_hits == 1);
	EXPECT(arm64_irq_count(VTIMER_PPI) == 1);
	arm64_irq_free(VTIMER_PPI);
	write_sysreg(0, cntv_ctl_el0);
	write_sysreg(daif, daif);
}

SELFTEST(arm64_irq_request_errors)
{
	EXPECT(arch_irq_request(GIC_INTID_MAX, false, false, test_sgi_handler, NULL) == -EINVAL);
	EXPECT(arch_irq_request(40, false, true, test_sgi_handler, NULL) == -EINVAL);
	EXPECT(arch_irq_request(VTIMER_PPI, true, false, test_sgi_handler, NULL) == -EINVAL);
	EXPECT(arch_irq_request(40, false, false, NULL, NULL) == -EINVAL);
	EXPECT(arch_irq_request(40, false, false, test_sgi_handler, NULL) == 0);
	EXPECT(arch_irq_request(40, false, false, test_sgi_handler, NULL) == -EBUSY);
	arm64_irq_free(40);
	EXPECT(arch_irq_request(40, false, false, test_sgi_handler, NULL) == 0);
	arm64_irq_free(40);
}

#define BENCH_SGIS 1000

/* SGI round trip: send to this CPU with IRQs on, wait for the handler;
 * the figure is the whole path (GIC, vector, save/restore, ack, EOI). */
BENCH(arm64_irq_sgi)
{
	const struct gic_ops *gic = arm64_gic();
	u64 daif = read_sysreg(daif), t0;

	if (!gic || arm64_irq_request(TEST_SGI, false, test_sgi_handler, NULL, "bench"))
		return;
	test_hits = 0;
	arch_irq_enable();
	t0 = ktime_ns();
	for (unsigned long i = 1; i <= BENCH_SGIS; i++) {
		gic->send_sgi_self(TEST_SGI);
		while (test_hits < i)
			asm volatile("nop");
	}
	bench_report(gic->name, (ktime_ns() - t0) / BENCH_SGIS);
	write_sysreg(daif, daif);
	arm64_irq_free(TEST_SGI);
}
