"""QEMU command lines for Pagoda: the one place that knows the machines.

Used by tools/run.py (make run / make debug) and tools/harness.py (make test).
The machines are the ones /work/shared/interface.md names:

  x86_64  qemu-system-x86_64 -M q35 -cpu max -m SIZE,slots=4,maxmem=8G
          -device isa-debug-exit,iobase=0xf4,iosize=4 -cdrom ISO
          firmware bios = SeaBIOS (QEMU's default), uefi = OVMF (pflash)
  arm64   qemu-system-aarch64 -M virt -cpu max -m SIZE,slots=4,maxmem=8G
          AAVMF (pflash), the ISO as a CD on virtio-scsi

UEFI variable stores are written by the firmware, so every run gets its own
copy of the VARS template (never the shared file under /usr/share).
Acceleration is always TCG: never KVM.
"""
import os
import shutil

ARCHES = ("x86_64", "arm64")
FIRMWARES = {"x86_64": ("bios", "uefi"), "arm64": ("uefi",)}

QEMU_BIN = {"x86_64": "qemu-system-x86_64", "arm64": "qemu-system-aarch64"}

# (read-only code, template for the writable variable store)
UEFI_FW = {
    "x86_64": ("/usr/share/OVMF/OVMF_CODE_4M.fd", "/usr/share/OVMF/OVMF_VARS_4M.fd"),
    "arm64": ("/usr/share/AAVMF/AAVMF_CODE.fd", "/usr/share/AAVMF/AAVMF_VARS.fd"),
}


def default_firmware(arch):
    """The firmware a plain `make run` uses: SeaBIOS on x86_64, AAVMF on arm64."""
    return FIRMWARES[arch][0]


def check_combo(arch, firmware):
    """Raise ValueError unless arch/firmware is a machine Pagoda runs on."""
    if arch not in FIRMWARES:
        raise ValueError("unknown arch %r (want one of %s)" % (arch, ", ".join(ARCHES)))
    if firmware not in FIRMWARES[arch]:
        raise ValueError("arch %s has no firmware %r (want %s)"
                         % (arch, firmware, "/".join(FIRMWARES[arch])))


def private_vars(arch, workdir):
    """Copy the arch's UEFI VARS template into workdir; return the copy's path."""
    os.makedirs(workdir, exist_ok=True)
    src = UEFI_FW[arch][1]
    dst = os.path.join(workdir, "%s-%s" % (arch, os.path.basename(src)))
    shutil.copyfile(src, dst)
    os.chmod(dst, 0o644)
    return dst


def _pflash(arch, workdir):
    """The two pflash drives: read-only firmware code, private variable store."""
    code = UEFI_FW[arch][0]
    return ["-drive", "if=pflash,format=raw,readonly=on,file=%s" % code,
            "-drive", "if=pflash,format=raw,file=%s" % private_vars(arch, workdir)]


def build_command(arch, firmware, iso, workdir, mem="1G", serial="mon:stdio",
                  qmp=None, gdb=False, extra=(), machine_opts="", smp=1):
    """Return the argv list that boots iso on arch/firmware.

    workdir  directory for this run's private UEFI variable store
    mem      guest RAM size (QEMU -m syntax); slots=4,maxmem=8G are always kept
             so DIMMs can be hot-plugged
    serial   value for -serial ("mon:stdio", "stdio", "chardev:ID", ...)
    qmp      path of a unix socket for QMP (server, no wait), or None
    gdb      start halted with a gdb stub on tcp::1234 (-s -S)
    extra    further arguments appended verbatim
    machine_opts  properties appended to the machine type, e.g.
             "gic-version=3" -> -M virt,gic-version=3 (empty: the defaults)
    smp      number of CPUs (-smp N; multi-threaded TCG runs them in parallel)
    """
    check_combo(arch, firmware)
    cmd = [QEMU_BIN[arch]]
    machine = "q35" if arch == "x86_64" else "virt"
    if machine_opts:
        machine += "," + machine_opts
    cmd += ["-M", machine, "-cpu", "max"]
    cmd += ["-accel", "tcg",
            "-m", "%s,slots=4,maxmem=8G" % mem,
            "-smp", str(smp),
            "-serial", serial,
            "-display", "none",
            "-no-reboot"]
    if arch == "x86_64":
        cmd += ["-device", "isa-debug-exit,iobase=0xf4,iosize=4"]
    if firmware == "uefi":
        cmd += _pflash(arch, workdir)
    if arch == "x86_64":
        cmd += ["-cdrom", iso]
    else:
        cmd += ["-device", "virtio-scsi-pci",
                "-drive", "file=%s,if=none,id=cd,media=cdrom,format=raw,readonly=on" % iso,
                "-device", "scsi-cd,drive=cd"]
    if qmp:
        cmd += ["-qmp", "unix:%s,server=on,wait=off" % qmp]
    if gdb:
        cmd += ["-s", "-S"]
    cmd += list(extra)
    return cmd


def format_command(cmd):
    """Shell-quoted rendering of an argv list, for logs and messages."""
    import shlex
    return " ".join(shlex.quote(a) for a in cmd)
