/* Finding fixed device registers in AML without an interpreter.
 *
 * QEMU describes the registers of some devices only in the DSDT, as
 * OperationRegions with constant operands, and their interrupts in a
 * constant _CRS buffer (e.g. arm64 virt's GED and memory hotplug):
 *
 *   OperationRegion (HPMR, SystemMemory, 0x09070000, 0x18)
 *     5B 80  'H' 'P' 'M' 'R'  00  0C 00 00 07 09  0A 18
 *     ExtOp  NameString       sp  DWordConst       ByteConst
 *
 *   Name (_HID, "ACPI0013")  ...  Name (_CRS, ResourceTemplate () {
 *       Interrupt (ResourceConsumer, Edge, ActiveHigh, Exclusive) { 41 } })
 *     08 '_HID' 0D "ACPI0013" 00 ... 08 '_CRS' 11 PkgLength BufferSize
 *       89 06 00 flags 01 29 00 00 00  79 00          (Extended Interrupt)
 *
 * A byte scan finds these patterns; a match is believed only when every
 * operand parses as a constant inside the table.  Like kernel/acpi.c this
 * prints nothing and uses no pointer tables, so arm64's fwprobe can call it
 * before its MMU switch. */
#include <pagoda/kernel.h>
#include <pagoda/acpi.h>

#define AML_NAME_OP      0x08
#define AML_BUFFER_OP    0x11
#define AML_STRING_PREFIX 0x0d
#define AML_EXT_OP       0x5b
#define AML_OPREGION_OP  0x80
#define AML_ROOT_CHAR    0x5c              /* '\' */
#define AML_PARENT_CHAR  0x5e              /* '^' */
#define AML_DUAL_NAME    0x2e
#define AML_MULTI_NAME   0x2f
#define ACPI_RES_EXT_IRQ 0x89              /* large resource: Extended Interrupt */
#define ACPI_RES_END_TAG 0x79
#define AML_CRS_WINDOW   512               /* how far after _HID its _CRS may be */

/* Read an integer constant (Zero, One, Ones, Byte/Word/DWord/QWord) at
 * aml[*pos] into *val, advancing *pos.  -EINVAL if it is anything else. */
static int aml_const(const u8 *aml, size_t len, size_t *pos, u64 *val)
{
	size_t p = *pos, n;

	if (p >= len)
		return -EINVAL;
	switch (aml[p]) {
	case 0x00: *val = 0; *pos = p + 1; return 0;
	case 0x01: *val = 1; *pos = p + 1; return 0;
	case 0xff: *val = ~0ULL; *pos = p + 1; return 0;
	case 0x0a: n = 1; break;
	case 0x0b: n = 2; break;
	case 0x0c: n = 4; break;
	case 0x0e: n = 8; break;
	default:   return -EINVAL;
	}
	if (p + 1 + n > len)
		return -EINVAL;
	*val = 0;
	for (size_t i = 0; i < n; i++)
		*val |= (u64)aml[p + 1 + i] << (8 * i);
	*pos = p + 1 + n;
	return 0;
}

/* Parse a NameString at aml[*pos]; *last gets the offset of its last
 * NameSeg.  Advances *pos past it; -EINVAL on a malformed or null name. */
static int aml_namestring(const u8 *aml, size_t len, size_t *pos, size_t *last)
{
	size_t p = *pos, segs = 1;

	if (p < len && aml[p] == AML_ROOT_CHAR)
		p++;
	while (p < len && aml[p] == AML_PARENT_CHAR)
		p++;
	if (p >= len)
		return -EINVAL;
	if (aml[p] == AML_DUAL_NAME) {
		segs = 2;
		p++;
	} else if (aml[p] == AML_MULTI_NAME) {
		if (p + 1 >= len || !aml[p + 1])
			return -EINVAL;
		segs = aml[p + 1];
		p += 2;
	}
	if (p + 4 * segs > len)
		return -EINVAL;
	*last = p + 4 * (segs - 1);
	*pos = p + 4 * segs;
	return 0;
}

int acpi_aml_find_opregion(const u8 *aml, size_t len, const char *name,
			   struct acpi_opregion *r)
{
	for (size_t i = 0; i + 2 <= len; i++) {
		size_t pos = i + 2, last;
		u64 off, size;

		if (aml[i] != AML_EXT_OP || aml[i + 1] != AML_OPREGION_OP)
			continue;
		if (aml_namestring(aml, len, &pos, &last) || memcmp(aml + last, name, 4))
			continue;
		if (pos >= len)
			continue;
		u8 space = aml[pos++];
		if (aml_const(aml, len, &pos, &off) || aml_const(aml, len, &pos, &size))
			continue;
		r->space = space;
		r->offset = off;
		r->length = size;
		return 0;
	}
	return -ENOENT;
}

/* Length of the PkgLength at aml[pos] in bytes (1..4) and its value. */
static size_t aml_pkglength(const u8 *aml, size_t len, size_t pos, u32 *val)
{
	size_t follow;

	if (pos >= len)
		return 0;
	follow = aml[pos] >> 6;
	if (pos + follow >= len)
		return 0;
	*val = follow ? aml[pos] & 0x0f : aml[pos] & 0x3f;
	for (size_t i = 1; i <= follow; i++)
		*val |= (u32)aml[pos + i] << (4 + 8 * (i - 1));
	return follow + 1;
}

/* First Extended Interrupt descriptor in the resource template
 * [res, res + n): 0 with *irq filled, else -ENOENT. */
static int acpi_res_first_irq(const u8 *res, size_t n, struct acpi_irq_res *irq)
{
	size_t p = 0;

	while (p < n && res[p] != ACPI_RES_END_TAG) {
		if (!(res[p] & 0x80)) {                      /* small item */
			p += 1 + (res[p] & 7);
			continue;
		}
		if (p + 3 > n)
			break;
		size_t item = res[p + 1] | (size_t)res[p + 2] << 8;
		if (res[p] == ACPI_RES_EXT_IRQ && item >= 6 && p + 3 + item <= n &&
		    res[p + 4] >= 1) {
			u8 flags = res[p + 3];
			irq->gsi = res[p + 5] | (u32)res[p + 6] << 8 |
				   (u32)res[p + 7] << 16 | (u32)res[p + 8] << 24;
			irq->level = !(flags & 2);
			irq->active_low = flags & 4;
			return 0;
		}
		p += 3 + item;
	}
	return -ENOENT;
}

/* Name(_CRS, Buffer(size) {...}) starting at aml[i] (the NameOp): the
 * buffer's bytes in [*start, *end).  -EINVAL if it is not that. */
static int aml_crs_buffer(const u8 *aml, size_t len, size_t i, size_t *start, size_t *end)
{
	size_t pos = i + 6, n;
	u32 pkg;
	u64 size;

	if (i + 6 > len || aml[i] != AML_NAME_OP || memcmp(aml + i + 1, "_CRS", 4) ||
	    aml[i + 5] != AML_BUFFER_OP)
		return -EINVAL;
	n = aml_pkglength(aml, len, pos, &pkg);
	if (!n || pos + pkg > len)
		return -EINVAL;
	*end = pos + pkg;
	pos += n;
	/* size > *end - pos, not pos + size > *end: a QWord size wraps the sum */
	if (aml_const(aml, *end, &pos, &size) || size > *end - pos)
		return -EINVAL;
	*start = pos;
	*end = pos + size;
	return 0;
}

int acpi_aml_find_hid_irq(const u8 *aml, size_t len, const char *hid,
			  struct acpi_irq_res *irq)
{
	size_t hl = strlen(hid);

	for (size_t i = 0; i + 6 + hl + 1 <= len; i++) {
		if (aml[i] != AML_NAME_OP || memcmp(aml + i + 1, "_HID", 4) ||
		    aml[i + 5] != AML_STRING_PREFIX || memcmp(aml + i + 6, hid, hl) ||
		    aml[i + 6 + hl])
			continue;
		for (size_t j = i + 6 + hl; j < len && j < i + AML_CRS_WINDOW; j++) {
			size_t start, end;

			if (aml[j] == AML_NAME_OP && !aml_crs_buffer(aml, len, j, &start, &end))
				return acpi_res_first_irq(aml + start, end - start, irq);
		}
	}
	return -ENOENT;
}
