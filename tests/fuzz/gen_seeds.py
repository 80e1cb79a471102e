#!/usr/bin/env python3
"""Write the small hand-made seed corpora of tests/fuzz/corpus/ (the ACPI
ones come from real firmware: dump_acpi.py).  Deterministic; rerun after
changing it:   python3 tests/fuzz/gen_seeds.py

  shell       mode 0: the shell lines the boot tests send (+ edge cases);
              mode 1: keystroke sessions (editing, history, async lines);
              mode 2: pagoda.run command lines
  cmdline     the boot tests' command lines and GRUB-style quoting
  multiboot2  GRUB-under-SeaBIOS and GRUB-under-OVMF-like MBIs
  efi_mmap    an AAVMF-like UEFI memory map (48-byte stride) and a 40-byte one
  acpi_aml    small AML snippets
The files with hash names in corpus/ are fuzzer-found inputs kept by
`make fuzz-cmin` (a minimal set covering what a 300 s run reached).
"""
import glob
import os
import struct

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")


def put(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode())


def boot_test_lines(key):
    out = []
    for p in sorted(glob.glob(os.path.join(ROOT, "tests", "boot", "*.test"))):
        for line in open(p):
            if line.startswith(key + ":"):
                v = line[len(key) + 1:].strip()
                if v not in out:
                    out.append(v)
    return out


def shell():
    sends = boot_test_lines("send")
    for i in range(0, len(sends), 8):
        put("shell", "lines-%02d" % (i // 8), b"\x00" + "\n".join(sends[i:i + 8]).encode())
    put("shell", "lines-edge", b"\x00" + b"\n".join([
        b'echo "a b" > /t/w', b"echo bad > /t/w", b"echo 1 > /t/r", b"echo 1 >",
        b"echo > /t/w x", b"cat /f/blk3/state", b"ls /f", b"echo 5 > /f/blk9/ctl",
        b"cat /f/blk01/state", b'echo "unterminated', b"a " * 20, b"x" * 300,
        b"peek 0x1000", b"poke 0x2000 1", b"peek 0x1004", b"selftest", b"bench nothing",
        b"help", b"ls /t/", b"cat /", b"cat /proc/cmdline"]))
    put("shell", "keys-editing", b"\x01echx\bo ab\x7f\x7fcd\recho 1\r\x1b[A\x1b[A\r"
        b"junk\x15echo ok\r\x03ls\n\x1bOA\x1b[1;5B\r")
    put("shell", "keys-async", b"\x01ec\x01ho x\r\x01ab\x02c\x02\r")
    put("shell", "boot-run", b'\x02pagoda.run="echo one;  echo \\"two;three\\" ; selftest;ls /t"')


def cmdline():
    lines = boot_test_lines("cmdline") + [
        '/boot/pagoda.elf console=ttyS0 "pagoda.run=echo a b;poweroff" -- mem=1',
        'BOOT_IMAGE=/boot/pagoda mem=0x20000000 hugepages hugepagesz=2M hugepages=4',
        '(hd0)/pagoda memory-hotplug.memmap-on-memory=1 mem=18446744073709551615 mem=1T',
        'mem="512M" pagoda.run="cat /proc/cmdline;selftest" unknown=1 flag']
    for i, l in enumerate(lines):
        put("cmdline", "line-%02d" % i, l)


def mb_tag(t, payload, size=None):
    size = 8 + len(payload) if size is None else size
    b = struct.pack("<HHI", t, 0, size) + payload
    return b + bytes(-len(b) % 8)


def mbi(tags):
    body = b"".join(tags) + mb_tag(0, b"")
    return struct.pack("<II", 8 + len(body), 0) + body


def rsdp(rev):
    r = bytearray(b"RSD PTR " + b"\0" + b"BOCHS " + bytes([rev]) + struct.pack("<I", 0x7fe14d2))
    r[8] = -sum(r) & 0xff
    if rev >= 2:
        r += struct.pack("<IQ", 36, 0x7fe1500) + b"\0\0\0\0"
        r[32] = -sum(r) & 0xff
    return bytes(r)


def efi_desc(t, base, pages, attr=0xf, stride=48):
    d = struct.pack("<IIQQQQ", t, 0, base, 0, pages, attr)
    return d + bytes(stride - len(d))


def multiboot2():
    e820 = [(0, 0x9fc00, 1), (0x9fc00, 0x400, 2), (0xf0000, 0x10000, 2),
            (0x100000, 0x3fee0000, 1), (0x3ffe0000, 0x20000, 2), (0xfeffc000, 0x4000, 2),
            (0xfffc0000, 0x40000, 2), (0x100000000, 0x40000000, 1)]
    mmap = struct.pack("<II", 24, 0) + b"".join(struct.pack("<QQII", b, l, t, 0) for b, l, t in e820)
    common = [mb_tag(1, b"mem=512M pagoda.run=\"selftest\"\0"), mb_tag(2, b"GRUB 2.06\0"),
              mb_tag(3, struct.pack("<II", 0x200000, 0x201000) + b"initrd\0"),
              mb_tag(4, struct.pack("<II", 639, 1047424))]
    put("multiboot2", "grub-seabios", mbi(common + [mb_tag(6, mmap), mb_tag(14, rsdp(0))]))
    efi = [(7, 0, 0xa0), (4, 0x100000, 0x700), (7, 0x800000, 0x3f000), (0, 0x3f800000, 0x100),
           (9, 0x3fb7e000, 0x4), (10, 0x3fb82000, 0x80), (11, 0xffc00000, 0x400, 1),
           (5, 0x3fc00000, 0x20), (6, 0x3fc20000, 0x20), (2, 0x3fd00000, 0x10, 0)]
    emap = struct.pack("<II", 48, 1) + b"".join(efi_desc(*e) for e in efi)
    put("multiboot2", "grub-ovmf", mbi(common + [mb_tag(12, struct.pack("<Q", 0x3fb7b018)),
                                                 mb_tag(17, emap), mb_tag(6, mmap),
                                                 mb_tag(15, rsdp(2))]))
    put("multiboot2", "truncated", mbi([mb_tag(1, b"abc", size=200)])[:40])
    put("multiboot2", "meminfo-only", mbi([mb_tag(4, struct.pack("<II", 639, 523264)),
                                           mb_tag(99, b"x" * 13), mb_tag(6, mmap[:20])]))


def efi_mmap():
    efi = [(7, 0x40000000, 0x100), (1, 0x40100000, 0x400), (7, 0x40500000, 0xfb00),
           (4, 0x4c000000, 0x400), (9, 0x4c400000, 0x40), (5, 0x4c440000, 0x10),
           (6, 0x4c450000, 0x10, 0x800000000000000f), (11, 0x4000000, 0x1000, 0x8000000000000001),
           (10, 0x4c460000, 0x4), (14, 0x80000000, 0x100), (3, 0x4c470000, 0x8)]
    put("efi_mmap", "aavmf-48", struct.pack("<H", 48) + b"".join(efi_desc(*e) for e in efi))
    put("efi_mmap", "stride-40", struct.pack("<H", 40) +
        b"".join(efi_desc(*e, stride=40) for e in efi[:5]))
    put("efi_mmap", "ucs2-options", struct.pack("<H", 80) +
        "mem=1G hugepages=2 \u00e9".encode("utf-16-le") + b"\0\0" + efi_desc(7, 0x1000, 1)[:40])


def acpi_aml():
    """Small AML snippets (the real DSDTs are seeds too, from dump_acpi.py):
    the arm64 virt memory-hotplug OperationRegion, the GED _HID/_CRS with an
    Extended Interrupt, \\_S5 packages, a DualName path."""
    opreg = b"\x5b\x80HPMR\x00\x0c\x00\x00\x07\x09\x0a\x18"
    crs = b"\x08_CRS\x11\x0e\x0a\x0b\x89\x06\x00\x01\x01\x29\x00\x00\x00\x79\x00"
    ged = b"\x5b\x82\x2aGED_\x08_HID\x0dACPI0013\x00\x08_UID\x00" + crs
    put("acpi_aml", "opregion", opreg)
    put("acpi_aml", "ged", ged)
    put("acpi_aml", "s5", b"\x08\\_S5_\x12\x08\x04\x0a\x05\x00\x00\x00" +
        b"\x08_S5_\x12\x06\x02\x00\x0b\x07\x00")
    put("acpi_aml", "dualname", b"\x5b\x80\\\x2e_SB_MHPR\x01\x0b\x00\x0a\x0a\x18" + opreg)


if __name__ == "__main__":
    acpi_aml()
    shell()
    cmdline()
    multiboot2()
    efi_mmap()
