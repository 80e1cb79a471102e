/* pagoda.crashtest=null|stack|nx|smp: a deliberate kernel fault after boot,
 * to check the fault report and panic (kernel/crashtest.c). */
#ifndef PAGODA_CRASHTEST_H
#define PAGODA_CRASHTEST_H
#include <pagoda/types.h>

/* True if pagoda.crashtest= armed a crash (panic then ends QEMU). */
bool crashtest_active(void);
/* Run the armed crash, if any; returns only when none is armed. */
void crashtest_run(void);
/* pagoda.crashtest=smp (kernel/smp_stop_crash.c): panic with CPU 1
 * spinning with interrupts off and CPU 2 panicking at the same moment. */
__noreturn void crashtest_smp(void);
#endif
