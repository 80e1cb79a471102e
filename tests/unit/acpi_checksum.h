/* For host tests and fuzzers that build ACPI tables in memory: make the
 * len bytes at p sum to 0 (mod 256), as acpi_checksum_ok() wants, through
 * the checksum byte p[off]. */
#ifndef TESTS_ACPI_CHECKSUM_H
#define TESTS_ACPI_CHECKSUM_H
#include <stddef.h>
#include <pagoda/types.h>

static inline void acpi_fix_checksum(u8 *p, size_t len, size_t off)
{
	u8 sum = 0;

	p[off] = 0;
	for (size_t i = 0; i < len; i++)
		sum += p[i];
	p[off] = -sum;
}
#endif
