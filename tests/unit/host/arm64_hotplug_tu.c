/* arch/arm64/hotplug_map.c and arch/arm64/pgtable.c compiled for the host
 * test test_arm64_hotplug, with the layout of arm64_hp_vmparam.h. */
#include "host/arm64_hp_vmparam.h"
#include "arch/arm64/hotplug_map.c"
#include "arch/arm64/pgtable.c"
