/* Multiboot2 information -> struct bootinfo (see boot/multiboot2.h).
 *
 *   walk the tags in [8, total_size):   size < 8 or past the end: stop
 *     cmdline, loader name, modules (-> reserved), RSDP, EFI system table:
 *       taken as they come
 *     memory maps: remembered, then one is used, best first:
 *       EFI map (17)  >  e820-style map (6)  >  basic meminfo (4)
 *   firmware = "uefi" if an EFI tag (11, 12, 17) was seen, else "bios"
 *
 * Under OVMF GRUB gives both maps; the EFI one is taken because it is the
 * map at ExitBootServices, converted to e820 types the way Linux does.
 * Reads never leave [mbi, mbi + len): the buffer is a possibly truncated
 * copy, and every multi-byte field of an entry is copied out (memcpy)
 * because a malformed entry size can misalign it. */
#include <pagoda/kernel.h>
#include <pagoda/bootinfo.h>
#include <boot/multiboot2.h>
#include <boot/efi.h>

#define MB2_WARN(...) printk("multiboot2: warning: " __VA_ARGS__)
#define ACPI_RSDP_V1_LEN 20
#define ACPI_RSDP_V2_LEN 36

/* What the walk found, applied after it. */
struct mb2_state {
	const struct mb2_tag *efi_mmap, *mmap, *meminfo;
	phys_addr_t rsdp_v1, rsdp_v2;     /* physical address of the copy */
	bool efi;
	bool have_cmdline;
};

static char mb2_loader_name[64];

/* Copy the string payload of tag (at most dst_size - 1 bytes) into dst. */
static void mb2_copy_string(const struct mb2_tag *tag, char *dst, size_t dst_size,
			    const char *what)
{
	const char *s = (const char *)(tag + 1);
	size_t max = tag->size - sizeof(*tag), n = 0;

	while (n < max && s[n])
		n++;
	if (n == max)
		MB2_WARN("%s is not NUL-terminated\n", what);
	if (n >= dst_size) {
		MB2_WARN("%s truncated to %zu bytes\n", what, dst_size - 1);
		n = dst_size - 1;
	}
	memcpy(dst, s, n);
	dst[n] = '\0';
}

/* Module [mod_start, mod_end) -> bootinfo.reserved. */
static void mb2_module(const struct mb2_tag *tag, struct bootinfo *bi)
{
	const struct mb2_tag_module *m = (const void *)tag;

	if (tag->size < sizeof(*m)) {
		MB2_WARN("module tag of size %u < %zu skipped\n", tag->size, sizeof(*m));
		return;
	}
	if (m->mod_end < m->mod_start) {
		MB2_WARN("module [0x%x, 0x%x) has a negative size, skipped\n",
			 m->mod_start, m->mod_end);
		return;
	}
	bootinfo_add_reserved(bi, m->mod_start, m->mod_end - m->mod_start);
}

/* Remember an RSDP tag: its bytes stay in the MBI copy at tag_pa + 8. */
static void mb2_rsdp(const struct mb2_tag *tag, phys_addr_t tag_pa, size_t need,
		     phys_addr_t *out)
{
	if (tag->size < sizeof(*tag) + need) {
		MB2_WARN("ACPI RSDP tag type %u of size %u < %zu skipped\n",
			 tag->type, tag->size, sizeof(*tag) + need);
		return;
	}
	*out = tag_pa + sizeof(*tag);
}

/* Remember the first tag of a kind in *slot; warn about later ones. */
static void mb2_remember(const struct mb2_tag *tag, size_t min_size, const struct mb2_tag **slot)
{
	if (tag->size < min_size) {
		MB2_WARN("tag type %u of size %u < %zu skipped\n", tag->type, tag->size, min_size);
		return;
	}
	if (*slot) {
		MB2_WARN("duplicate tag type %u skipped\n", tag->type);
		return;
	}
	*slot = tag;
}

/* Dispatch one well-formed (size-checked) tag. */
static void mb2_tag(const struct mb2_tag *tag, phys_addr_t tag_pa,
		    struct mb2_state *st, struct bootinfo *bi)
{
	switch (tag->type) {
	case MB2_TAG_CMDLINE:
		if (st->have_cmdline) {
			MB2_WARN("duplicate tag type %u skipped\n", tag->type);
			break;
		}
		mb2_copy_string(tag, bi->cmdline, sizeof(bi->cmdline), "command line");
		st->have_cmdline = true;
		break;
	case MB2_TAG_LOADER_NAME:
		mb2_copy_string(tag, mb2_loader_name, sizeof(mb2_loader_name), "loader name");
		bi->loader = mb2_loader_name;
		break;
	case MB2_TAG_MODULE:
		mb2_module(tag, bi);
		break;
	case MB2_TAG_BASIC_MEMINFO:
		mb2_remember(tag, sizeof(struct mb2_tag_basic_meminfo), &st->meminfo);
		break;
	case MB2_TAG_MMAP:
		mb2_remember(tag, sizeof(struct mb2_tag_mmap), &st->mmap);
		break;
	case MB2_TAG_EFI_MMAP:
		st->efi = true;
		mb2_remember(tag, sizeof(struct mb2_tag_efi_mmap), &st->efi_mmap);
		break;
	case MB2_TAG_EFI32:
		st->efi = true;
		break;
	case MB2_TAG_EFI64:
		st->efi = true;
		if (tag->size < sizeof(struct mb2_tag_efi64))
			MB2_WARN("EFI64 tag of size %u skipped\n", tag->size);
		else
			bi->efi_systab = ((const struct mb2_tag_efi64 *)tag)->pointer;
		break;
	case MB2_TAG_ACPI_OLD:
		mb2_rsdp(tag, tag_pa, ACPI_RSDP_V1_LEN, &st->rsdp_v1);
		break;
	case MB2_TAG_ACPI_NEW:
		mb2_rsdp(tag, tag_pa, ACPI_RSDP_V2_LEN, &st->rsdp_v2);
		break;
	default:
		if (tag->type > MB2_TAG_LOAD_BASE_ADDR)
			MB2_WARN("unknown tag type %u (size %u) skipped\n", tag->type, tag->size);
		break;                    /* known tags Pagoda does not need */
	}
}

/* Number of whole entries of esize in a payload of bytes; warn on a tail. */
static size_t mb2_entries(size_t bytes, size_t esize, const char *what)
{
	if (bytes % esize)
		MB2_WARN("%s: %zu trailing bytes of a truncated entry ignored\n",
			 what, bytes % esize);
	return bytes / esize;
}

/* EFI memory map -> bootinfo.mmap (boot/efi.c: Linux's EFI -> e820 rule). */
static void mb2_apply_efi_mmap(const struct mb2_tag *tag, struct bootinfo *bi)
{
	const struct mb2_tag_efi_mmap *t = (const void *)tag;

	if (t->descr_size < sizeof(efi_memory_desc_t)) {
		MB2_WARN("EFI memory map descriptor size %u < %zu, map skipped\n",
			 t->descr_size, sizeof(efi_memory_desc_t));
		return;
	}
	size_t n = mb2_entries(t->tag.size - sizeof(*t), t->descr_size, "EFI memory map");
	efi_mmap_to_bootinfo(t + 1, (u64)n * t->descr_size, t->descr_size, bi);
}

/* e820-style memory map -> bootinfo.mmap; unknown types are reserved. */
static void mb2_apply_mmap(const struct mb2_tag *tag, struct bootinfo *bi)
{
	const struct mb2_tag_mmap *t = (const void *)tag;
	const u8 *p = (const u8 *)(t + 1);
	struct mb2_mmap_entry e;

	if (t->entry_size < sizeof(e)) {
		MB2_WARN("memory map entry size %u < %zu, map skipped\n",
			 t->entry_size, sizeof(e));
		return;
	}
	size_t n = mb2_entries(t->tag.size - sizeof(*t), t->entry_size, "memory map");
	for (size_t i = 0; i < n; i++, p += t->entry_size) {
		memcpy(&e, p, sizeof(e));
		u32 type = e.type;
		if (type < BOOT_MEM_USABLE || type > BOOT_MEM_PERSISTENT || type == 6)
			type = BOOT_MEM_RESERVED;
		bootinfo_add_mem(bi, e.base, e.len, type);
	}
}

/* The best memory map found, or the basic meminfo as a last resort. */
static void mb2_apply_memory(const struct mb2_state *st, struct bootinfo *bi)
{
	if (st->efi_mmap)
		mb2_apply_efi_mmap(st->efi_mmap, bi);
	if (!bi->nr_mmap && st->mmap)
		mb2_apply_mmap(st->mmap, bi);
	if (!bi->nr_mmap && st->meminfo) {
		const struct mb2_tag_basic_meminfo *m = (const void *)st->meminfo;
		MB2_WARN("no memory map, using basic meminfo\n");
		bootinfo_add_mem(bi, 0, (u64)m->mem_lower << 10, BOOT_MEM_USABLE);
		bootinfo_add_mem(bi, SZ_1M, (u64)m->mem_upper << 10, BOOT_MEM_USABLE);
	}
	if (!bi->nr_mmap)
		MB2_WARN("no memory information at all\n");
}

int multiboot2_parse(const void *mbi, size_t len, phys_addr_t mbi_pa, struct bootinfo *bi)
{
	const u8 *base = mbi;
	struct mb2_state st = {};
	const struct mb2_info_header *h = mbi;
	size_t total, off = sizeof(*h);
	bool end = false;

	if (len < sizeof(*h) || h->total_size < sizeof(*h)) {
		MB2_WARN("bad total size %u (%zu bytes available)\n",
			 len < sizeof(*h) ? 0 : h->total_size, len);
		return -EINVAL;
	}
	total = h->total_size;
	if (total > len) {
		MB2_WARN("total size %zu exceeds the %zu bytes available, truncated\n", total, len);
		total = len;
	}
	while (off + sizeof(struct mb2_tag) <= total) {
		const struct mb2_tag *tag = (const void *)(base + off);
		if (tag->size < sizeof(*tag)) {
			MB2_WARN("tag type %u at offset %zu has size %u < 8, stopping\n",
				 tag->type, off, tag->size);
			break;
		}
		if (tag->size > total - off) {
			MB2_WARN("tag type %u at offset %zu (size %u) runs past the end (%zu), stopping\n",
				 tag->type, off, tag->size, total);
			break;
		}
		if (tag->type == MB2_TAG_END) {
			end = true;
			break;
		}
		mb2_tag(tag, mbi_pa + off, &st, bi);
		off += ALIGN_UP((size_t)tag->size, 8);
	}
	if (!end)
		MB2_WARN("no end tag\n");
	mb2_apply_memory(&st, bi);
	bi->acpi_rsdp = st.rsdp_v2 ? st.rsdp_v2 : st.rsdp_v1;
	bi->firmware = st.efi ? "uefi" : "bios";
	return 0;
}
