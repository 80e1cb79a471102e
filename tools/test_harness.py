#!/usr/bin/env python3
"""Self-test of tools/harness.py against tools/fake_qemu.py (no kernel needed).

    python3 tools/test_harness.py

Builds a scratch tree (fake images, fake unit binaries, .test files that
should pass and ones that must fail), runs the harness there with the fake
QEMU first on PATH, and checks every expected `ok` / `not ok` line, the
diagnostics and the final `N passed, N failed` line.  Prints TAP itself.
"""
import hashlib
import os
import re
import subprocess
import sys
import tempfile
import textwrap

TOOLS = os.path.dirname(os.path.abspath(__file__))

GOOD = """\
name: fake shell
arch: x86_64 arm64
capture-all: usable = \\[mem (0x[0-9a-f]+)-(0x[0-9a-f]+)\\] usable
check: sum(e + 1 - s for s, e in usable) == 0x9fc00 + 0x3ff00000
send: help
expect: ^poke\\s
expect-not: error:
send: cat /proc/meminfo
capture: memtotal = ^MemTotal:\\s+(\\d+) kB
check: abs(memtotal - 1048576) < 0.05 * 1048576
send: frobnicate
expect: ^error: 
send@x86_64: peek 0xffff800000000000
send@arm64: peek 0xffff900000000000
expect: ^error: fault at 0xffff[89]00000000000
qmp: device_add {"driver": "pc-dimm", "id": "d1", "memdev": "m1"}
qmp-expect-event: DEVICE_NOTE {"id": "d1"}
expect: ^hotplug: added d1
send: selftest
expect: \\d+ passed, 0 failed\\n\\Z
qmp-fail: no-such-command
send: poweroff
expect-exit: 0 guest-shutdown
"""

BAD = """\
arch: x86_64
firmware: bios
send: help
expect: ^lsmem
expect-not: ^help
capture: x:str = ^(\\w+)\\s+does
send: cat /proc/meminfo
capture: memtotal = ^MemTotal:\\s+(\\d+) kB
check: memtotal == 1
check: nosuch + 1 == 2
"""

RESET = """\
arch: x86_64
firmware: bios
cmdline: mode=reset
send: poweroff
expect-exit: 0 guest-shutdown
"""

HANG = """\
arch: x86_64
firmware: bios
cmdline: mode=hang
timeout: 4
send: help
expect: help
expect-exit: 0
"""

RUN = """\
arch: arm64
cmdline: run=selftest;poweroff
expect: ^2 passed, 0 failed$
expect-exit: 0 guest-shutdown
"""

MACHINE = """\
arch: arm64
machine: gic-version=3
expect: ^Machine: virt,gic-version=3$
send: poweroff
expect-exit: 0 guest-shutdown
"""

BADMACHINE = """\
arch: arm64
machine: virt gic-version=3
send: poweroff
"""

DIMM = """\
arch: x86_64
firmware: bios
dimm: 128M 256M
expect: ^Cold DIMM: pc-dimm,id=cd0,memdev=cm0$
expect: ^Cold DIMM: pc-dimm,id=cd1,memdev=cm1$
send: poweroff
expect-exit: 0 guest-shutdown
"""

BADDIMM = """\
arch: x86_64
dimm: 128
send: poweroff
"""

BROKEN = """\
arch: x86_64
expect: (unclosed
"""

REPEAT = """\
arch: x86_64
firmware: bios
repeat: 2
send: echo round {i}
capture: got = ^round (\\d+)$
check: got == i
repeat: 2 j
qmp: device_add {"driver": "pc-dimm", "id": "d{i}{j}", "memdev": "m{{x}}"}
qmp-expect-event: DEVICE_NOTE {"id": "d{i}{j}"}
expect: ^hotplug: added d\\d\\d$
end
check: j == 1 and i < 1
end
send: poweroff
expect-exit: 0 guest-shutdown
"""

BADREPEAT = """\
arch: x86_64
repeat: 2
send: help
expect: help
"""

UNIT_OK = "#!/bin/sh\necho '1..2'\necho 'ok 1 - alpha'\necho 'ok 2 - beta'\n"
UNIT_FAIL = "#!/bin/sh\necho 'ok 1 - alpha'\necho 'not ok 2 - beta'\necho '# got 3, want 4'\nexit 1\n"
UNIT_CRASH = "#!/bin/sh\necho 'ok 1 - alpha'\nkill -ABRT $$\n"

# (regex over the harness output, meaning)
WANT = [
    (r"^ok \d+ - test_a_ok: alpha$", "unit ok line"),
    (r"^not ok \d+ - test_b_fail: beta\n# got 3, want 4$", "unit not ok with diagnostic"),
    (r"^not ok \d+ - test_c_crash: exit status\n# killed by signal 6", "unit crash is a failure"),
    (r"^not ok \d+ - broken.test: parse\n# line 2: bad regex", "bad file is a failure"),
    (r"^ok \d+ - good.test:\d+ \[x86_64/bios\]: check: sum\(e", "capture-all + check"),
    (r"^ok \d+ - good.test:\d+ \[x86_64/uefi\]: expect: \^poke", "help listed"),
    (r"^ok \d+ - good.test:\d+ \[arm64/uefi\]: check: abs\(memtotal", "meminfo check"),
    (r"^ok \d+ - good.test:\d+ \[arm64/uefi\]: expect: \^error: fault", "guarded send"),
    (r"^ok \d+ - good.test:\d+ \[x86_64/bios\]: qmp-expect-event: DEVICE_NOTE", "event before reply"),
    (r"^ok \d+ - good.test:\d+ \[x86_64/bios\]: expect: \^hotplug: added d1", "live segment"),
    (r"^ok \d+ - good.test:\d+ \[x86_64/bios\]: qmp-fail: no-such-command", "qmp-fail"),
    (r"^ok \d+ - good.test:\d+ \[arm64/uefi\]: expect: \\d\+ passed, 0 failed", "selftest tail"),
    (r"^ok \d+ - good.test:\d+ \[x86_64/uefi\]: expect-exit: 0 guest-shutdown", "poweroff"),
    (r"^not ok \d+ - bad.test:\d+ \[x86_64/bios\]: expect: \^lsmem\n# no match", "expect fails"),
    (r"^not ok \d+ - bad.test:\d+ \[x86_64/bios\]: expect-not: \^help\n# unexpected match", "expect-not"),
    (r"^ok \d+ - bad.test:\d+ \[x86_64/bios\]: capture: x:str = ", "capture"),
    (r"^not ok \d+ - bad.test:\d+ \[x86_64/bios\]: check: memtotal == 1\n# memtotal = \d+", "check fails"),
    (r"^not ok \d+ - bad.test:\d+ \[x86_64/bios\]: check: nosuch \+ 1 == 2\n# name 'nosuch'", "name error"),
    (r"^not ok \d+ - reset.test:\d+ \[x86_64/bios\]: expect-exit: 0 guest-shutdown\n"
     r"# QEMU exit status 0, SHUTDOWN reason guest-reset", "triple fault caught"),
    (r"^not ok \d+ - hang.test:\d+ \[x86_64/bios\]: expect: help\n# timeout \(4 s\) waiting for the prompt",
     "timeout"),
    (r"^not ok \d+ - hang.test:\d+ \[x86_64/bios\]: expect-exit: 0\n# not run: timeout", "rest not run"),
    (r"^ok \d+ - run.test:\d+ \[arm64/uefi\]: expect: \^2 passed", "pagoda.run boot segment"),
    (r"^ok \d+ - run.test:\d+ \[arm64/uefi\]: expect-exit: 0 guest-shutdown", "exit after run"),
    (r"^ok \d+ - machine.test:\d+ \[arm64/uefi\]: expect: \^Machine: virt,gic-version=3",
     "machine: adds -M properties"),
    (r"^not ok \d+ - badmachine.test: parse\n# line 2: bad machine", "bad machine: is a failure"),
    (r"^ok \d+ - dimm.test:\d+ \[x86_64/bios\]: expect: \^Cold DIMM: pc-dimm,id=cd1,memdev=cm1",
     "dimm: cold-plugs pc-dimms"),
    (r"^not ok \d+ - baddimm.test: parse\n# line 2: bad dimm", "bad dimm: is a failure"),
    (r"^ok \d+ - repeat.test:6 i=0 \[x86_64/bios\]: check: got == i$", "repeat: {i} in send, i in check"),
    (r"^ok \d+ - repeat.test:6 i=1 \[x86_64/bios\]: check: got == i$", "repeat: second round"),
    (r"^ok \d+ - repeat.test:9 i=1 j=1 \[x86_64/bios\]: qmp-expect-event: DEVICE_NOTE",
     "nested repeat: {i}{j} in qmp JSON"),
    (r"^ok \d+ - repeat.test:10 i=1 j=0 \[x86_64/bios\]: expect: \^hotplug: added", "live output in a loop"),
    (r"^ok \d+ - repeat.test:12 i=0 \[x86_64/bios\]: check: j == 1 and i < 1$", "inner loop ran twice"),
    (r"^not ok \d+ - repeat.test:12 i=1 \[x86_64/bios\]: check: j == 1 and i < 1\n# j = 1\n# i = 1", "loop failure named"),
    (r"^ok \d+ - repeat.test:15 \[x86_64/bios\]: expect-exit: 0 guest-shutdown", "after the loop"),
    (r"^not ok \d+ - badrepeat.test: parse\n# line 2: repeat without end", "unclosed repeat is a failure"),
    (r"^1\.\.(\d+)\n(\d+) passed, 14 failed\n\Z", "final line"),
]


def write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


def setup(root):
    """Scratch tree: fake QEMU on PATH, images, unit binaries, tests."""
    bindir = os.path.join(root, "bin")
    os.makedirs(bindir)
    for name in ("qemu-system-x86_64", "qemu-system-aarch64"):
        os.symlink(os.path.join(TOOLS, "fake_qemu.py"), os.path.join(bindir, name))
    for arch in ("x86_64", "arm64"):
        write(os.path.join(root, "build", arch, "pagoda.iso"), "mode=good\n")
        for cmdline in ("mode=reset", "mode=hang", "run=selftest;poweroff"):
            h = hashlib.sha1(cmdline.encode()).hexdigest()[:12]
            write(os.path.join(root, "build", "test-images", "%s-%s.iso" % (arch, h)),
                  cmdline + "\n")
    for name, text in (("test_a_ok", UNIT_OK), ("test_b_fail", UNIT_FAIL),
                       ("test_c_crash", UNIT_CRASH)):
        write(os.path.join(root, "unit", name), text, 0o755)
    tests = []
    for name, text in (("good", GOOD), ("bad", BAD), ("reset", RESET), ("hang", HANG),
                       ("run", RUN), ("machine", MACHINE), ("badmachine", BADMACHINE),
                       ("dimm", DIMM), ("baddimm", BADDIMM), ("repeat", REPEAT),
                       ("badrepeat", BADREPEAT),
                       ("broken", BROKEN)):
        p = os.path.join(root, "tests", name + ".test")
        write(p, text)
        tests.append(p)
    return bindir, tests


def main():
    with tempfile.TemporaryDirectory(prefix="pagoda-harness-") as root:
        bindir, tests = setup(root)
        env = dict(os.environ, PATH=bindir + os.pathsep + os.environ["PATH"])
        p = subprocess.run([sys.executable, os.path.join(TOOLS, "harness.py"), "--no-build",
                            "--jobs", "2", "--unit-dir", "unit"] + tests,
                           cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        out = p.stdout.decode()
        logs_ok = os.path.exists(os.path.join(root, "build", "test-logs",
                                              "good-x86_64-uefi.log"))
    failed = 0
    checks = [(re.search(rx, out, re.M) is not None, why) for rx, why in WANT]
    checks.append((p.returncode == 1, "exit status 1 on failures"))
    checks.append((logs_ok, "serial log kept"))
    m = re.search(r"^1\.\.(\d+)\n(\d+) passed, (\d+) failed\n\Z", out, re.M)
    checks.append((m is not None and int(m.group(1)) == int(m.group(2)) + int(m.group(3)),
                   "counts add up"))
    for i, (ok, why) in enumerate(checks, 1):
        print("%s %d - %s" % ("ok" if ok else "not ok", i, why))
        failed += not ok
    if failed:
        print(textwrap.indent(out, "# "))
    print("%d passed, %d failed" % (len(checks) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
