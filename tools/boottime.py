#!/usr/bin/env python3
"""Boot-time benchmark: how long each machine takes to reach the kernel and
the shell prompt, through the real firmware + GRUB path.

    python3 tools/boottime.py [--runs N] [--arch a] [--firmware f]

For every arch/firmware it boots the image N times (one at a time, so the
figures are not disturbed by a parallel QEMU), and prints the median time from
QEMU's start to the kernel banner ("Pagoda <arch> (") and to the first
`pagoda> ` prompt, and the median of the kernel's own part (banner to prompt,
goal <= 0.3 s at 1 GiB), then powers off.  Figures, not a pass/fail test;
they are only meaningful on an otherwise idle machine (TCG is CPU-bound).
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import qemu  # noqa: E402


def boot_once(arch, firmware, iso, timeout=120):
    """Boot once; return (seconds to banner, seconds to prompt)."""
    with tempfile.TemporaryDirectory() as work:
        cmd = qemu.build_command(arch, firmware, iso, work, serial="stdio")
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL)
        buf, banner, prompt = b"", None, None
        try:
            while prompt is None and time.monotonic() - t0 < timeout:
                ch = p.stdout.read1(4096)
                if not ch:
                    break
                buf += ch
                now = time.monotonic() - t0
                if banner is None and b"Pagoda " + arch.encode() + b" (" in buf:
                    banner = now
                if banner is not None and b"pagoda> " in buf.split(b"Pagoda ", 1)[-1]:
                    prompt = now
            p.stdin.write(b"poweroff\r")
            p.stdin.flush()
            p.wait(timeout=30)
        finally:
            if p.poll() is None:
                p.kill()
                p.wait()
        if prompt is None:
            raise RuntimeError("%s/%s: no prompt within %ss" % (arch, firmware, timeout))
        return banner, prompt


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--arch", choices=qemu.ARCHES)
    ap.add_argument("--firmware", choices=("bios", "uefi"))
    args = ap.parse_args()
    print("%-8s %-5s %5s %16s %16s %18s" % ("arch", "fw", "runs", "to kernel (s)",
                                          "to prompt (s)", "kernel->prompt (s)"))
    for arch in qemu.ARCHES:
        if args.arch and arch != args.arch:
            continue
        iso = os.path.join("build", arch, "pagoda.iso")
        for fw in qemu.FIRMWARES[arch]:
            if args.firmware and fw != args.firmware:
                continue
            runs = [boot_once(arch, fw, iso) for _ in range(args.runs)]
            print("%-8s %-5s %5d %16.2f %16.2f %18.3f" % (
                arch, fw, len(runs), statistics.median(r[0] for r in runs),
                statistics.median(r[1] for r in runs),
                statistics.median(r[1] - r[0] for r in runs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
