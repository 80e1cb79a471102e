#!/usr/bin/env python3
"""Writes tests/boot/bad-input.test from the table below (issue 10, "Bad input").

    python3 tools/bad_input.py [tests/boot/bad-input.test]

Each row is (group, what to type, the error expected): the test types it,
expects exactly one line `error: <expected>` (a row whose pattern starts
with `^` is a whole-output regex instead), then vm_check ok and
/proc/meminfo the same text as before the table; after each group
buddyinfo and the vmstat page counters too.  A `send` is one line for
both arches or {arch: line}; `{name}` fills in a value the setup captured
(pfn: a held page, freed: a page freed once, hpfn / hfree: a taken / a free
huge page, tailpfx: hpfn's hex without its last 0, tailva: the read-only
vmemmap row of hpfn).  Edit the table here and rerun; commit both files.
"""
import sys

X, A = "x86_64", "arm64"
def both(x, a): return {X: x, A: a}
BLK = both("0x28000000", "0x60000000")        # the hot-added block (setup)
NR = both("5", "12")
FREE2 = both("0x30000000", "0x70000000")      # a free block kept absent
BOOT0 = both("0", "11")                       # busy boot blocks (arm64: the boot memmap)
BOOT1 = both("1", "9")
TEXT = both("0xffffffff80200000", "0xffff800080000000")
def per(fmt, **maps):
    return {a: fmt.format(**{n: m[a] for n, m in maps.items()}) for a in (X, A)}

T = []
def t(group, send, rx): T.append((group, send, rx))

g = "shell line"
t(g, "frobnicate", r"unknown command 'frobnicate'")
t(g, '"unterminated', r"unterminated quote")
t(g, 'cat "/proc/meminfo', r"unterminated quote")
t(g, "help 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17", r"too many arguments \(max 16\)")
t(g, "> /proc/meminfo", r"'>': output redirection works only with echo")
t(g, "cat /proc/meminfo > /proc/vmstat", r"cat: output redirection works only with echo")
t(g, "echo 1 >", r"echo: usage: echo VALUE > PATH")
t(g, "echo 1 > /a > /b", r"only one word may follow '>'")
t(g, "echo 1 >> /proc/sys/vm/nr_hugepages", r"echo: usage: echo VALUE > PATH")
t(g, "echo 1 > /proc/meminfo", r"echo: /proc/meminfo: Permission denied")
t(g, "echo 1 > /nonexistent", r"echo: /nonexistent: No such file or directory")
t(g, "echo 1 > /proc", r"echo: /proc: Is a directory")
t(g, "echo 1 > /sys/kernel/debug", r"echo: /sys/kernel/debug: Is a directory")
t(g, "echo 1 > relative/path", r"echo: relative/path: No such file or directory")
# the editor echoes 255 characters: the output starts with the rest of that echo
t(g, "a" * 300, r"^\A[a ]*\n?error: line too long \(max 255 characters\), not run\n\Z")
t(g, "echo " + "9" * 251 + " > /proc/sys/vm/nr_hugepages", r"^\A[echo9 ]*\n?error: line too long \(max 255 characters\), not run\n\Z")

g = "help, cat, ls"
t(g, "help me", r"help: usage: help")
t(g, "cat", r"cat: usage: cat PATH")
t(g, "cat /proc/meminfo /proc/vmstat", r"cat: usage: cat PATH")
t(g, "cat /nonexistent", r"cat: /nonexistent: No such file or directory")
t(g, "cat /proc", r"cat: /proc: Is a directory")
t(g, "cat /sys/devices/system/memory/probe", r"cat: /sys/devices/system/memory/probe: Permission denied")
t(g, "cat proc/meminfo", r"cat: proc/meminfo: No such file or directory")
t(g, "cat /proc/meminfo/", r"cat: /proc/meminfo/: No such file or directory")
t(g, "cat //proc/meminfo", r"cat: //proc/meminfo: No such file or directory")
t(g, "cat /sys/devices/system/memory/memory99999/state", r"cat: \S+: No such file or directory")
t(g, "cat /sys/devices/system/memory/memory0/nosuch", r"cat: \S+: No such file or directory")
t(g, "cat /sys/devices/system/memory/memory00/state", r"cat: \S+: No such file or directory")
t(g, "cat /sys/devices/system/memory/memory-1/state", r"cat: \S+: No such file or directory")
t(g, "cat /sys/devices/system/memory/memory18446744073709551617/state", r"cat: \S+: No such file or directory")
t(g, per("cat /sys/devices/system/memory/memory{n}/state", n=both("6", "14")), r"cat: \S+: No such file or directory")
t(g, "cat /sys/kernel/mm/hugepages/hugepages-4kB/nr_hugepages", r"cat: \S+: No such file or directory")
t(g, "ls /nonexistent", r"ls: cannot access '/nonexistent': No such file or directory")
t(g, "ls a b", r"ls: usage: ls \[DIR\]")
t(g, "ls /sys/devices/system/memory/memory99999", r"ls: cannot access '\S+': No such file or directory")
t(g, "ls relative", r"ls: cannot access 'relative': No such file or directory")

g = "read-only pseudo-files"
for p in ("/proc/vmstat", "/proc/buddyinfo", "/proc/cmdline", "/proc/version", "/proc/interrupts",
          "/proc/cpuinfo", "/proc/stat",
          "/sys/devices/system/memory/block_size_bytes",
          "/sys/module/memory_hotplug/parameters/memmap_on_memory",
          "/sys/kernel/mm/hugepages/hugepages-2048kB/free_hugepages",
          "/sys/kernel/mm/hugepages/hugepages-2048kB/surplus_hugepages",
          "/sys/kernel/debug/fail_page_alloc/failures"):
    t(g, "echo 1 > " + p, "echo: %s: Permission denied" % p.replace(".", r"\."))
for f in ("valid_zones", "phys_index", "removable"):
    t(g, per("echo 1 > /sys/devices/system/memory/memory{n}/" + f, n=BOOT1), r"echo: \S+/%s: Permission denied" % f)

g = "hugetlb sysctl and sysfs"
for v in ("2", "-1", "01", "1 1", "yes", ""):
    t(g, ("echo %s > /proc/sys/vm/hugetlb_optimize_vmemmap" % v).replace("echo  >", "echo >"),
      r"hugetlb_optimize_vmemmap: '%s' is not 0 or 1" % v)
for v in ("abc", "-1", "1x", "0x", "99999999999999999999999", "1.5", "", "1 2"):
    t(g, ("echo %s > /proc/sys/vm/nr_hugepages" % v).replace("echo  >", "echo >"),
      r"nr_hugepages: '%s' is not a number of pages" % v.replace(".", r"\."))
t(g, "echo x > /sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", r"nr_hugepages: 'x' is not a number of pages")
t(g, "echo 0x1g > /sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages", r"nr_hugepages: '0x1g' is not a number of pages")
t(g, "echo 1 > /sys/kernel/mm/hugepages/hugepages-4kB/nr_hugepages", r"echo: \S+: No such file or directory")

g = "memory block sysfs"
for v in ("bogus", "", "online movable", "Online"):
    t(g, ("echo %s > /sys/devices/system/memory/auto_online_blocks" % v).replace("echo  >", "echo >"),
      r"auto_online_blocks: expected offline, online, online_kernel or online_movable")
t(g, "echo > /sys/devices/system/memory/probe", r"probe: expected a physical address")
t(g, "echo abc > /sys/devices/system/memory/probe", r"probe: expected a physical address")
t(g, "echo 0x1000 > /sys/devices/system/memory/probe", r"probe: \[0x1000, 0x8001000\) is empty or not aligned to the 128M block size")
t(g, "echo 0x0 > /sys/devices/system/memory/probe", r"probe: \[0, 0x8000000\) is not free RAM in the firmware memory map")
t(g, per("echo {a} > /sys/devices/system/memory/probe", a=both("0x200000000", "0x100000000")), r"probe: \S+ \S+ is not free RAM in the firmware memory map")
t(g, per("echo {a} > /sys/devices/system/memory/probe", a=BLK), r"probe: \S+ \S+ overlaps present memory")
t(g, "echo 0x10000000000000 > /sys/devices/system/memory/probe", r"probe: \S+ \S+ is beyond the hot-add limit")
t(g, "echo 0xffffffffffffffff > /sys/devices/system/memory/probe", r"probe: \[0xffffffffffffffff, \+0x8000000\) is empty or not aligned to the 128M block size")
t(g, per("echo bogus > /sys/devices/system/memory/memory{n}/state", n=BOOT1), r"memory\d+/state: expected online, online_kernel, online_movable or offline")
t(g, per("echo > /sys/devices/system/memory/memory{n}/state", n=BOOT1), r"memory\d+/state: expected online, online_kernel, online_movable or offline")
t(g, per("echo offline > /sys/devices/system/memory/memory{n}/state", n=BOOT0), r"offline memory\d+: pfn (0|0x[0-9a-f]+) is busy \([a-z -]+\)")
t(g, per("echo 0 > /sys/devices/system/memory/memory{n}/online", n=BOOT0), r"offline memory\d+: pfn (0|0x[0-9a-f]+) is busy \([a-z -]+\)")
t(g, per("echo online > /sys/devices/system/memory/memory{n}/state", n=BOOT1), r"memory\d+ is already online")
t(g, per("echo online_movable > /sys/devices/system/memory/memory{n}/state", n=BOOT1), r"memory\d+ is already online")
t(g, per("echo 1 > /sys/devices/system/memory/memory{n}/online", n=BOOT1), r"memory\d+ is already online")
t(g, per("echo 2 > /sys/devices/system/memory/memory{n}/online", n=BOOT1), r"memory\d+/online: expected 1 or 0")
t(g, per("echo x > /sys/devices/system/memory/memory{n}/online", n=BOOT1), r"memory\d+/online: expected 1 or 0")
t(g, "echo online > /sys/devices/system/memory/memory99999/state", r"echo: \S+: No such file or directory")
t(g, per("echo offline > /sys/devices/system/memory/memory{n}/state", n=NR), r"offline memory\d+: pfn 0x[0-9a-f]+ is busy \((allocated page|in-use huge page)\)")
t(g, per("echo 0 > /sys/devices/system/memory/memory{n}/online", n=NR), r"offline memory\d+: pfn 0x[0-9a-f]+ is busy \((allocated page|in-use huge page)\)")
t(g, per("echo online_kernel > /sys/devices/system/memory/memory{n}/state", n=NR), r"memory\d+ is already online")

g = "fault injection and arm64 BBM debugfs"
for f, v in (("probability", "101"), ("probability", "-1"), ("probability", "abc"), ("probability", ""),
             ("interval", "-1"), ("interval", "x"), ("times", "-2"), ("times", "1e3"),
             ("space", "-1"), ("verbose", "3"), ("verbose", "on")):
    t(g, ("echo %s > /sys/kernel/debug/fail_page_alloc/%s" % (v, f)).replace("echo  >", "echo >"),
      r"fail_page_alloc/%s: '%s' is not a number in \[-?\d+, \d+\]" % (f, v))
t(g, "echo zz > /sys/kernel/debug/fail_page_alloc/seed", r"fail_page_alloc/seed: 'zz' is not a number")
t(g, "echo bogus > /sys/kernel/debug/fail_page_alloc/sites", r"fail_page_alloc/sites: 'bogus': expected all or a comma list of .*")
t(g, "echo hot_add,,pgtable > /sys/kernel/debug/fail_page_alloc/sites", r"fail_page_alloc/sites: 'hot_add,,pgtable': expected .*")
t(g, {A: "echo bogus > /sys/kernel/debug/arm64_bbm/mode"}, r"arm64_bbm/mode: 'bogus' is not wait or pause")
t(g, {A: "echo 1 > /sys/kernel/debug/arm64_bbm/stats"}, r"echo: /sys/kernel/debug/arm64_bbm/stats: Permission denied")

g = "mem add / remove"
t(g, "mem", r"usage: mem add\|remove ADDR SIZE")
t(g, "mem add", r"usage: mem add\|remove ADDR SIZE")
t(g, per("mem add {a}", a=FREE2), r"usage: mem add\|remove ADDR SIZE")
t(g, per("mem frob {a} 128M", a=FREE2), r"usage: mem add\|remove ADDR SIZE")
t(g, per("mem add {a} 128M 5", a=FREE2), r"usage: mem add\|remove ADDR SIZE")
t(g, "mem add zz 128M", r"mem add: bad address or size")
t(g, per("mem add {a} 12Q", a=FREE2), r"mem add: bad address or size")
t(g, per("mem add {a} 128MB", a=FREE2), r"mem add: bad address or size")
t(g, per("mem add {a} -128M", a=FREE2), r"mem add: bad address or size")
t(g, per("mem add {a} 99999999999999G", a=FREE2), r"mem add: bad address or size")
t(g, per("mem add {a} 128M", a=both("0x30001000", "0x70001000")), r"mem add: \S+ \S+ is empty or not aligned to the 128M block size")
t(g, per("mem add {a} 100M", a=FREE2), r"mem add: \S+ \S+ is empty or not aligned to the 128M block size")
t(g, per("mem add {a} 0", a=FREE2), r"mem add: \S+ \S+ is empty or not aligned to the 128M block size")
t(g, "mem add 0x0 128M", r"mem add: \[0, 0x8000000\) is not free RAM in the firmware memory map")
t(g, "mem add 0x10000000000000 128M", r"mem add: \S+ \S+ is beyond the hot-add limit")
t(g, "mem add 0xfffffffff8000000 256M", r"mem add: \[0xfffffffff8000000, \+0x10000000\) is beyond the hot-add limit")
t(g, per("mem add {a} 128M", a=both("0x40000000", "0x80000000")), r"mem add: \S+ \S+ is not free RAM in the firmware memory map")
t(g, {A: "mem add 0x68000000 128M"}, r"mem add: \S+ \S+ is not free RAM in the firmware memory map")
t(g, per("mem add {a} 128M", a=BLK), r"mem add: \S+ \S+ overlaps present memory")
t(g, per("mem add {a} 256M", a=BLK), r"mem add: \S+ \S+ (overlaps present memory|is not free RAM in the firmware memory map)")
t(g, per("mem add {a} 256M", a=both("0x20000000", "0x58000000")), r"mem add: \S+ \S+ (overlaps present memory|is not free RAM in the firmware memory map)")
t(g, "mem remove 0x0 128M", r"mem remove: \S+ \S+ is not aligned or not all hot-added memory")
t(g, per("mem remove {a} 128M", a=FREE2), r"mem remove: \S+ \S+ is not aligned or not all hot-added memory")
t(g, per("mem remove {a} 0", a=FREE2), r"mem remove: \S+ \S+ is not aligned or not all hot-added memory")
t(g, per("mem remove {a} 128M", a=both("0x28001000", "0x60001000")), r"mem remove: \S+ \S+ is not aligned or not all hot-added memory")
t(g, "mem remove 0xfffffffff8000000 256M", r"mem remove: \[0xfffffffff8000000, \+0x10000000\) is not aligned or not all hot-added memory")
t(g, per("mem remove {a} 128M", a=BLK), r"mem remove: a block of \S+ \S+ is online \(offline it first\)")
t(g, per("mem remove {a} 256M", a=BLK), r"mem remove: .*")

g = "page"
t(g, "page", r"usage: page alloc ORDER \[movable\] \[COUNT\|all\] \| page free PFN ORDER \| page free all")
t(g, "page frob", r"usage: page alloc .*")
t(g, "page alloc", r"usage: page alloc ORDER \[movable\] \[COUNT\|all\]")
t(g, "page alloc x", r"usage: page alloc ORDER \[movable\] \[COUNT\|all\]")
t(g, "page alloc -1", r"usage: page alloc ORDER \[movable\] \[COUNT\|all\]")
t(g, "page alloc 0x", r"usage: page alloc ORDER \[movable\] \[COUNT\|all\]")
t(g, "page alloc 11", r"order 11 is above MAX_ORDER 10")
t(g, "page alloc 18446744073709551615", r"order 18446744073709551615 is above MAX_ORDER 10")
t(g, "page alloc 0 movable 0", r"bad count '0': a number of blocks >= 1, or 'all'")
t(g, "page alloc 0 bogus", r"bad count 'bogus': a number of blocks >= 1, or 'all'")
t(g, "page alloc 0 -3", r"bad count '-3': .*")
t(g, "page alloc 0 movable all extra", r"usage: page alloc ORDER \[movable\] \[COUNT\|all\]")
t(g, "page alloc 0 5 movable", r"usage: page alloc ORDER \[movable\] \[COUNT\|all\]")
t(g, "page free", r"usage: page free PFN ORDER \| page free all")
t(g, "page free all extra", r"usage: page free PFN ORDER \| page free all")
t(g, "page free x y", r"usage: page free PFN ORDER \| page free all")
t(g, "page free 0x1 0", r"pfn 0x1 was not allocated by 'page alloc'")
t(g, "page free 0xffffffffffffffff 0", r"pfn 0xffffffffffffffff was not allocated by 'page alloc'")
t(g, "page free {pfn:#x} 3", r"pfn 0x[0-9a-f]+ was allocated with order 0, not 3")
t(g, "page free {pfn:#x} x", r"usage: page free PFN ORDER \| page free all")
t(g, "page free {freed:#x} 0", r"pfn 0x[0-9a-f]+ is already free \(double free\)")
t(g, "page free {hpfn:#x} 0", r"pfn 0x[0-9a-f]+ was not allocated by 'page alloc'")

g = "hugepage and vmemmap"
t(g, "hugepage", r"usage: hugepage take SIZE \| hugepage give PFN")
t(g, "hugepage frob x", r"usage: hugepage take SIZE \| hugepage give PFN")
t(g, "hugepage take", r"usage: hugepage take SIZE \| hugepage give PFN")
t(g, "hugepage take 2M 2M", r"usage: hugepage take SIZE \| hugepage give PFN")
t(g, "hugepage take 3M", r"hugepage: '3M' is not a huge page size \(see /sys/kernel/mm/hugepages\)")
t(g, "hugepage take 0", r"hugepage: '0' is not a huge page size .*")
t(g, "hugepage take 2MB", r"hugepage: '2MB' is not a huge page size .*")
t(g, "hugepage take 1G", r"hugepage: no free huge page in hugepages-1048576kB \(free_hugepages is 0\)")
t(g, "hugepage give zz", r"hugepage: 'zz' is not a pfn")
t(g, "hugepage give 0x1", r"hugepage: pfn 0x1 is not the head of a huge page")
t(g, "hugepage give {tailpfx}1", r"hugepage: pfn 0x[0-9a-f]+ is not the head of a huge page")
t(g, "hugepage give {hfree:#x}", r"hugepage: huge page 0x[0-9a-f]+ is free, not taken")
t(g, "hugepage give {pfn:#x}", r"hugepage: pfn 0x[0-9a-f]+ is not the head of a huge page")
t(g, "vmemmap", r"usage: vmemmap PFN")
t(g, "vmemmap zz", r"usage: vmemmap PFN")
t(g, "vmemmap 1 2", r"usage: vmemmap PFN")
t(g, "vmemmap 0xffffffffffff", r"pfn 0xffffffffffff has no struct page \(not pfn_valid\)")
t(g, per("vmemmap {p}", p=both("0x30000", "0x70000")), r"pfn 0x[0-9a-f]+ has no struct page \(not pfn_valid\)")
t(g, "vm_check x", r"usage: vm_check")

g = "peek / poke"
t(g, "peek", r"peek: usage: peek ADDR")
t(g, "peek 1 2", r"peek: usage: peek ADDR")
t(g, "peek zz", r"peek: bad address 'zz'")
t(g, "peek 0x1001", r"peek: address 0x1001 is not 8-byte aligned")
t(g, "peek 0x1000", r"fault at 0x1000: read from unmapped address")
t(g, "peek 0x8000000000000000", r"fault at 0x8000000000000000: read from unmapped address")
t(g, "poke", r"poke: usage: poke ADDR VALUE")
t(g, "poke 0x1000", r"poke: usage: poke ADDR VALUE")
t(g, "poke 0x1000 zz", r"poke: bad value 'zz'")
t(g, "poke 0x1001 1", r"poke: address 0x1001 is not 8-byte aligned")
t(g, "poke 0x1000 1", r"fault at 0x1000: write to unmapped address")
t(g, "poke 0x8000000000000000 1", r"fault at 0x8000000000000000: write to unmapped address")
t(g, per("poke {a} 0", a=TEXT), r"fault at 0x[0-9a-f]+: write to read-only mapping")
t(g, "poke {tailva:#x} 0", r"fault at 0x[0-9a-f]+: write to read-only mapping")

g = "selftest, bench, lsmem, poweroff, torture"
t(g, "selftest nosuch", r"selftest: no test called 'nosuch'")
t(g, "selftest a b", r"selftest: usage: selftest \[NAME\]")
t(g, "bench nosuch", r"bench: no benchmark called 'nosuch'")
t(g, "bench a b", r"bench: usage: bench \[NAME\]")
t(g, "lsmem x", r"usage: lsmem")
t(g, "poweroff now", r"poweroff: usage: poweroff")
t(g, "torture", r"torture: usage: torture hotplug CYCLES \[SEED\]")
t(g, "torture hotplug", r"torture: usage: torture hotplug CYCLES \[SEED\]")
t(g, "torture frob 1", r"torture: usage: torture hotplug CYCLES \[SEED\]")
t(g, "torture hotplug 0", r"torture: '0' is not a number of cycles \(1\.\.1000000\)")
t(g, "torture hotplug x", r"torture: 'x' is not a number of cycles \(1\.\.1000000\)")
t(g, "torture hotplug 99999999", r"torture: '99999999' is not a number of cycles \(1\.\.1000000\)")
t(g, "torture hotplug 5 zz", r"torture: 'zz' is not a seed")
t(g, "torture hotplug 1", r"torture: the 2048 kB huge page pool must exist and be empty")

g = "out of memory (every free page held)"
t(g, "page alloc 0", r"out of memory: no free block of order 0")
t(g, "page alloc 0 movable", r"out of memory: no free block of order 0")
t(g, "page alloc 10 movable", r"out of memory: no free block of order 10")
t(g, "hugepage take 2M", r"hugepage: no free huge page in hugepages-2048kB \(free_hugepages is 0\)")
t(g, per("mem add {a} 128M", a=BLK), r"mem add: \S+ \S+ overlaps present memory")
t(g, per("echo offline > /sys/devices/system/memory/memory{n}/state", n=NR), r"offline memory\d+: pfn 0x[0-9a-f]+ is busy \((allocated page|in-use huge page)\)")
t(g, "torture hotplug 1", r"torture: the 2048 kB huge page pool must exist and be empty")


# ------------------------------------------------------------------ the .test file
out = []
w = out.append
w("""# Generated by tools/bad_input.py (edit the table there and rerun).
# Bad input: a table of malformed, overlapping, misaligned, out-of-range and
# in-use requests across every command (`help`) and every writable
# pseudo-file (interface.md and `ls` of /proc, /proc/sys/vm, /sys/...,
# /sys/kernel/debug).  Each must print exactly one line starting `error: `
# (the expect names the error) and change nothing: after each one
# vm_check is ok and /proc/meminfo is the same text as before the table;
# after each group buddyinfo and the vmstat page counters are too.  The
# in-use rows run against held state made first: a hot-added block online
# Movable with an allocated page in it, a taken and a free huge page in it
# (HVO on, so its vmemmap tail row is read-only), a page freed twice.
# At the end the held state is given back: every counter is back at boot,
# and the shell still answers.
# Blocks (mem=512M of 1G): x86_64 0x28000000 (memory5) held, 0x30000000
# (memory6) free; arm64 0x60000000 (memory12) held, 0x70000000 (memory14)
# free, 0x68000000 holds the kernel image.
name: bad input (one error line each, nothing changes)
arch: x86_64 arm64
firmware: bios
mem: 1G
cmdline: mem=512M
timeout: 600

send: cat /proc/meminfo
capture: mi_boot:str = (?s)\\A(.*\\S)\\s*\\Z
send: cat /proc/buddyinfo
capture: bi_boot:str = (?s)\\A(.*\\S)\\s*\\Z
send: cat /proc/vmstat
capture: vs_boot = (?s)^(nr_free_pages \\d+)$.*^(nr_memmap_pages \\d+)$.*^(nr_memmap_boot_pages \\d+)$.*^(nr_page_table_pages \\d+)$.*^(nr_hugetlb_vmemmap_optimized \\d+)$

# ---- held state for the in-use rows
send@x86_64: mem add 0x28000000 128M
send@arm64: mem add 0x60000000 128M
expect: ^mem: added memory(5|12)-memory(5|12) 
send@x86_64: echo online_movable > /sys/devices/system/memory/memory5/state
send@arm64: echo online_movable > /sys/devices/system/memory/memory12/state
expect: \\A\\Z
send: page alloc 0 movable
capture: pfn = ^pfn (0x[0-9a-f]+)$
check@x86_64: 0x28000 <= pfn < 0x30000
check@arm64: 0x60000 <= pfn < 0x68000
send: page alloc 0
capture: freed = ^pfn (0x[0-9a-f]+)$
send: page free {freed:#x} 0
expect: \\A\\Z
send: cat /proc/sys/vm/hugetlb_optimize_vmemmap
expect: \\A1\\n\\Z
send: echo 2 > /proc/sys/vm/nr_hugepages
expect: \\A\\Z
send: hugepage take 2M
capture: hpfn = ^pfn (0x[0-9a-f]+)$
capture: tailpfx:str = ^pfn (0x[0-9a-f]+)0$
check@x86_64: 0x28000 <= hpfn < 0x30000
check@arm64: 0x60000 <= hpfn < 0x68000
send: hugepage take 2M
capture: hfree = ^pfn (0x[0-9a-f]+)$
send: hugepage give {hfree:#x}
expect: \\A\\Z
send: vmemmap {hpfn:#x}
capture: tailva = ^row 1  (0x[0-9a-f]+) -> pfn 0x[0-9a-f]+ RO shared tail page
send: vm_check
expect: \\Avm_check: ok\\n\\Z
send: cat /proc/meminfo
capture: mi0:str = (?s)\\A(.*\\S)\\s*\\Z
send: cat /proc/buddyinfo
capture: bi0:str = (?s)\\A(.*\\S)\\s*\\Z
send: cat /proc/vmstat
capture: vs0 = (?s)^(nr_free_pages \\d+)$.*^(nr_memmap_pages \\d+)$.*^(nr_memmap_boot_pages \\d+)$.*^(nr_page_table_pages \\d+)$.*^(nr_hugetlb_vmemmap_optimized \\d+)$
""")
group = None
n = 0
def group_end():
    w("send: cat /proc/buddyinfo")
    w("capture: bi:str = (?s)\\A(.*\\S)\\s*\\Z")
    w("check: bi == bi0")
    w("send: cat /proc/vmstat")
    w("capture: vs = (?s)^(nr_free_pages \\d+)$.*^(nr_memmap_pages \\d+)$.*^(nr_memmap_boot_pages \\d+)$.*^(nr_page_table_pages \\d+)$.*^(nr_hugetlb_vmemmap_optimized \\d+)$")
    w("check: vs == vs0")
for g, send, rx in T:
    if g != group:
        if group:
            group_end()
        group = g
        w("")
        w("# ---- " + g)
        if g.startswith("out of memory"):
            w("send: hugepage take 2M")
            w("capture: hfree2 = ^pfn (0x[0-9a-f]+)$")
            w("send: page alloc 0 movable all")
            w("capture: nall = ^(\\d+) blocks of order 0$")
            w("check: nall > 1000")
            w("send: cat /proc/meminfo")
            w("capture: mi0:str = (?s)\\A(.*\\S)\\s*\\Z")
            w("expect: ^MemFree: +0 kB$")
            w("send: cat /proc/buddyinfo")
            w("capture: bi0:str = (?s)\\A(.*\\S)\\s*\\Z")
            w("send: cat /proc/vmstat")
            w("capture: vs0 = (?s)^(nr_free_pages \\d+)$.*^(nr_memmap_pages \\d+)$.*^(nr_memmap_boot_pages \\d+)$.*^(nr_page_table_pages \\d+)$.*^(nr_hugetlb_vmemmap_optimized \\d+)$")
    n += 1
    if isinstance(send, dict):
        if len(send) == 1:
            (a, s), = send.items()
            w("send@%s: %s" % (a, s))
            guard = "@" + a
        else:
            for a in (X, A):
                w("send@%s: %s" % (a, send[a]))
            guard = ""
    else:
        w("send: " + send)
        guard = ""
    if rx.startswith("^"):
        w("expect%s: %s" % (guard, rx[1:]))
    else:
        w("expect%s: \\Aerror: %s\\n\\Z" % (guard, rx))
    w("send%s: vm_check" % guard)
    w("expect%s: \\Avm_check: ok\\n\\Z" % guard)
    w("send%s: cat /proc/meminfo" % guard)
    w("capture%s: mi:str = (?s)\\A(.*\\S)\\s*\\Z" % guard)
    w("check%s: mi == mi0" % guard)
group_end()
w("""
# ---- give the held state back: every counter at its boot value
send: page free all
capture: nfreed = ^(\\d+) blocks freed$
check: nfreed == nall + 1
send: hugepage give {hpfn:#x}
expect: \\A\\Z
send: hugepage give {hfree2:#x}
expect: \\A\\Z
send: echo 0 > /proc/sys/vm/nr_hugepages
expect: \\A\\Z
send@x86_64: echo offline > /sys/devices/system/memory/memory5/state
send@arm64: echo offline > /sys/devices/system/memory/memory12/state
expect: \\A\\Z
send@x86_64: mem remove 0x28000000 128M
send@arm64: mem remove 0x60000000 128M
expect: ^mem: removed
send: cat /proc/meminfo
capture: mi:str = (?s)\\A(.*\\S)\\s*\\Z
check: mi == mi_boot
send: cat /proc/buddyinfo
capture: bi:str = (?s)\\A(.*\\S)\\s*\\Z
check: bi == bi_boot
send: cat /proc/vmstat
capture: vs = (?s)^(nr_free_pages \\d+)$.*^(nr_memmap_pages \\d+)$.*^(nr_memmap_boot_pages \\d+)$.*^(nr_page_table_pages \\d+)$.*^(nr_hugetlb_vmemmap_optimized \\d+)$
check: vs == vs_boot
send: vm_check
expect: \\Avm_check: ok\\n\\Z
# the shell is alive and lists every command the table covers
send: help
capture-all: cmds:str = ^  (\\S+)
check: all(a < b for a, b in zip(cmds, cmds[1:])) and len(cmds) >= 16
send: poweroff
expect-exit: 0 guest-shutdown""")
path = sys.argv[1] if len(sys.argv) > 1 else "tests/boot/bad-input.test"
with open(path, "w") as f:
    f.write("\n".join(out) + "\n")
print("%s: %d inputs" % (path, n))
