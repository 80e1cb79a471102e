#!/usr/bin/env python3
"""Dump the ACPI tables QEMU's firmware builds for Pagoda's machines and
turn them into fuzz seeds (tests/fuzz/corpus/{acpi,acpi_aml,acpi_memhp}/).

    python3 tests/fuzz/dump_acpi.py [--arch x86_64|arm64|all] [--mem 256M]

Boots the machine tools/qemu.py describes (q35 + SeaBIOS, virt + AAVMF,
slots=4,maxmem=8G so the SRAT has a hotpluggable range) from Pagoda's ISO,
waits for the shell prompt, saves guest RAM with QMP `pmemsave`, finds the
RSDP (checksum-valid "RSD PTR ") and follows RSDT/XSDT, FADT -> DSDT.
The tables are written to build/fuzz/acpi-<arch>/<SIG>.bin and the seeds:

  acpi/<arch>-tables     the fuzz_acpi input: mode byte 1, then a blob that
                         plays physical memory at FUZZ_ACPI_BASE with the
                         RSDP first and every table relocated after it
  acpi_aml/<arch>-dsdt   the DSDT's AML (the header stripped)
  acpi_memhp/<arch>-srat the fuzz_acpi_memhp input built from the SRAT
"""
import argparse
import os
import struct
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import qemu  # noqa: E402
from qmp import QMP  # noqa: E402

FUZZ_ACPI_BASE = 0x3f000000          # keep in sync with tests/fuzz/fuzz_acpi.c
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")
RAM_BASE = {"x86_64": 0, "arm64": 0x40000000}


def csum_ok(b):
    return sum(b) & 0xff == 0


def dump_ram(arch, mem, workdir):
    """Boot arch to the shell prompt and return (its RAM bytes, RAM base)."""
    iso = os.path.join(ROOT, "build", arch, "pagoda.iso")
    sock = os.path.join(workdir, "qmp.sock")
    log = os.path.join(workdir, "serial.log")
    fw = qemu.default_firmware(arch) if hasattr(qemu, "default_firmware") else \
        ("bios" if arch == "x86_64" else "uefi")
    cmd = qemu.build_command(arch, fw, iso, workdir, mem=mem, serial="file:" + log, qmp=sock)
    p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL)
    try:
        q = QMP(sock)
        deadline = time.time() + 120
        while time.time() < deadline:
            if os.path.exists(log) and b"pagoda> " in open(log, "rb").read():
                break
            time.sleep(0.5)
        else:
            raise SystemExit("%s: no shell prompt in 120 s (see %s)" % (arch, log))
        out = os.path.join(workdir, "ram.bin")
        size = int(mem.rstrip("M")) << 20
        q.execute("pmemsave", {"val": RAM_BASE[arch], "size": size, "filename": out})
        q.close()
        return open(out, "rb").read(), RAM_BASE[arch]
    finally:
        p.kill()
        p.wait()


def find_tables(ram, base):
    """{sig: [(pa, bytes)]} for the RSDP and every table reachable from it."""
    def at(pa, n):
        off = pa - base
        return ram[off:off + n] if 0 <= off and off + n <= len(ram) else None

    rsdp_pa = None
    off = ram.find(b"RSD PTR ")
    while off >= 0:
        if csum_ok(ram[off:off + 20]):
            rsdp_pa = base + off
            break
        off = ram.find(b"RSD PTR ", off + 1)
    if rsdp_pa is None:
        raise SystemExit("no RSDP found")
    rsdp = at(rsdp_pa, 36 if at(rsdp_pa, 20)[15] >= 2 else 20)
    tables = {"RSDP": [(rsdp_pa, rsdp)]}

    def table(pa):
        h = at(pa, 36)
        if not h:
            return None
        return at(pa, struct.unpack_from("<I", h, 4)[0])

    roots = []
    rsdt = struct.unpack_from("<I", rsdp, 16)[0]
    roots.append((rsdt, 4))
    if len(rsdp) >= 36:
        xsdt = struct.unpack_from("<Q", rsdp, 24)[0]
        if xsdt:
            roots.append((xsdt, 8))
    seen = set()
    pending = []
    for pa, width in roots:
        t = table(pa) if pa else None
        if not t:
            continue
        tables.setdefault(t[:4].decode(), []).append((pa, t))
        for i in range(36, len(t), width):
            pending.append(struct.unpack_from("<Q" if width == 8 else "<I", t, i)[0])
    while pending:
        pa = pending.pop(0)
        if pa in seen or not pa:
            continue
        seen.add(pa)
        t = table(pa)
        if not t:
            continue
        sig = t[:4].decode("latin1")
        tables.setdefault(sig, []).append((pa, t))
        if sig == "FACP":
            pending.append(struct.unpack_from("<I", t, 40)[0])
            if len(t) >= 148:
                pending.append(struct.unpack_from("<Q", t, 140)[0])
    return tables


def fix_csum(b, off):
    b[off] = 0
    b[off] = (-sum(b)) & 0xff


def relocate(tables):
    """The fuzz_acpi blob: RSDP at 0, then every table 16-byte aligned; the
    RSDT/XSDT entries and the FADT's DSDT pointers rewritten to match."""
    blob = bytearray(tables["RSDP"][0][1])
    blob += bytes(-len(blob) % 16 + 64)
    where = {}
    for sig, lst in sorted(tables.items()):
        if sig == "RSDP":
            continue
        for pa, t in lst:
            if pa in where:
                continue
            where[pa] = len(blob)
            blob += t
            blob += bytes(-len(blob) % 16)

    def new(pa):
        return FUZZ_ACPI_BASE + where[pa] if pa in where else 0

    def rewrite(off, fmt):
        old = struct.unpack_from(fmt, blob, off)[0]
        if old:
            struct.pack_into(fmt, blob, off, new(old))

    rewrite(16, "<I")
    if len(tables["RSDP"][0][1]) >= 36:
        rewrite(24, "<Q")
    for pa, off in where.items():
        sig = bytes(blob[off:off + 4])
        length = struct.unpack_from("<I", blob, off + 4)[0]
        if sig in (b"RSDT", b"XSDT"):
            w = 4 if sig == b"RSDT" else 8
            for i in range(36, length, w):
                rewrite(off + i, "<I" if w == 4 else "<Q")
        if sig == b"FACP":
            rewrite(off + 40, "<I")
            if length >= 148:
                rewrite(off + 140, "<Q")
            rewrite(off + 36, "<I")                    # FACS
            if length >= 140:
                rewrite(off + 132, "<Q")               # X_FACS
        t = bytearray(blob[off:off + length])
        fix_csum(t, 9)
        blob[off:off + length] = t
    r = bytearray(blob[:20])
    fix_csum(r, 8)
    blob[:20] = r
    if len(tables["RSDP"][0][1]) >= 36:
        r = bytearray(blob[:36])
        fix_csum(r, 32)
        blob[:36] = r
    return bytes(blob)


def memhp_seed(srat):
    """fuzz_acpi_memhp input: u16 SRAT length, the SRAT, then slot records
    (u8 slot, u32 flags, u64 base, u64 size): one DIMM inside the
    hotpluggable window, one misaligned, one eject request."""
    win = None
    for off in range(48, len(srat) - 40 + 1):
        if srat[off] == 1 and srat[off + 1] == 40:
            base, length = struct.unpack_from("<QQ", srat, off + 8)
            flags = struct.unpack_from("<I", srat, off + 28)[0]
            if flags & 3 == 3:
                win = base
                break
    win = win or 0x100000000
    recs = struct.pack("<BIQQ", 0, 3, win, 128 << 20)
    recs += struct.pack("<BIQQ", 1, 3, win + 0x1000, 128 << 20)
    recs += struct.pack("<BIQQ", 2, 5, win + (256 << 20), 256 << 20)
    return struct.pack("<H", len(srat)) + srat + recs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arch", default="all")
    ap.add_argument("--mem", default="256M")
    a = ap.parse_args()
    for arch in (("x86_64", "arm64") if a.arch == "all" else (a.arch,)):
        with tempfile.TemporaryDirectory() as wd:
            ram, base = dump_ram(arch, a.mem, wd)
        tables = find_tables(ram, base)
        outdir = os.path.join(ROOT, "build", "fuzz", "acpi-" + arch)
        os.makedirs(outdir, exist_ok=True)
        for sig, lst in tables.items():
            for i, (pa, t) in enumerate(lst):
                open(os.path.join(outdir, "%s%s.bin" % (sig, i or "")), "wb").write(t)
        print("%s: %s" % (arch, " ".join("%s@%#x(%d)" % (s, l[0][0], len(l[0][1]))
                                          for s, l in sorted(tables.items()))))
        for d in ("acpi", "acpi_aml", "acpi_memhp"):
            os.makedirs(os.path.join(CORPUS, d), exist_ok=True)
        open(os.path.join(CORPUS, "acpi", arch + "-tables"), "wb").write(
            b"\x01" + relocate(tables))
        if "DSDT" in tables:
            open(os.path.join(CORPUS, "acpi_aml", arch + "-dsdt"), "wb").write(
                tables["DSDT"][0][1][36:])
        if "SRAT" in tables:
            open(os.path.join(CORPUS, "acpi_memhp", arch + "-srat"), "wb").write(
                memhp_seed(tables["SRAT"][0][1]))


if __name__ == "__main__":
    main()
