#!/usr/bin/env python3
"""A stand-in for qemu-system-* used by tools/test_harness.py.

It accepts the command line tools/qemu.py builds, serves QMP on the -qmp
socket and impersonates firmware noise plus the Pagoda shell on stdio.  The
"ISO" it is given is a text file of `key=value` lines choosing behaviour:

  mode=good      boots, prompt, answers commands, poweroff -> guest-shutdown
  mode=reset     like good, but poweroff triple-faults (exit 0, guest-reset)
  mode=hang      prints firmware noise, never reaches the prompt
  mode=badhelp   help omits `poke`
  run=CMD;CMD    commands run at boot, like pagoda.run=
"""
import json
import os
import socket
import sys
import threading
import time

# Held while a hotplug message is printed: like the kernel's shell, which
# runs deferred work in its input loop, the fake echoes nothing meanwhile.
CONSOLE = threading.Lock()

COMMANDS = ["help", "cat", "echo", "ls", "peek", "poke", "selftest", "bench", "poweroff"]


class FakeQMP:
    """QMP server on a unix socket: one client, a few commands."""

    def __init__(self, path):
        self.srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.srv.bind(path)
        self.srv.listen(1)
        self.conn = None
        self.lock = threading.Lock()
        self.ready = threading.Event()
        threading.Thread(target=self.serve, daemon=True).start()

    def send(self, obj):
        with self.lock:
            if self.conn:
                self.conn.sendall(json.dumps(obj).encode() + b"\r\n")

    def event(self, name, data):
        self.send({"event": name, "data": data,
                   "timestamp": {"seconds": int(time.time()), "microseconds": 0}})

    def serve(self):
        self.conn, _ = self.srv.accept()
        self.send({"QMP": {"version": {}, "capabilities": []}})
        self.ready.set()
        f = self.conn.makefile("rb")
        for line in f:
            req = json.loads(line)
            cmd, ident = req.get("execute"), req.get("id")
            args = req.get("arguments", {})
            if cmd == "qmp_capabilities":
                self.send({"return": {}, "id": ident})
            elif cmd == "quit":
                self.send({"return": {}, "id": ident})
                self.event("SHUTDOWN", {"guest": False, "reason": "host-qmp-quit"})
                os._exit(0)
            elif cmd == "device_add":
                self.event("DEVICE_NOTE", {"id": args.get("id")})   # before the reply
                self.send({"return": {}, "id": ident})
                # as the kernel's deferred work does, in pieces: the line,
                # its end, then the prompt redrawn
                with CONSOLE:
                    print("\r\nhotplug: added %s" % args.get("id"), end="", flush=True)
                    time.sleep(0.2)
                    print("\r\n", end="", flush=True)
                    time.sleep(0.2)
                    print("\r\x1b[Kpagoda> ", end="", flush=True)
            else:
                self.send({"error": {"class": "CommandNotFound",
                                     "desc": "The command %s has not been found" % cmd},
                           "id": ident})


def shell_line(line, mem_kb, qmp, mode):
    """Output for one command line (without prompt)."""
    argv = line.split()
    if not argv:
        return ""
    c = argv[0]
    if c == "echo":
        return " ".join(argv[1:]) + "\n"
    if c == "help":
        cmds = [x for x in COMMANDS if not (mode == "badhelp" and x == "poke")]
        return "".join("%-10s does things\n" % x for x in cmds)
    if c == "cat" and argv[1:] == ["/proc/meminfo"]:
        return "MemTotal:       %8d kB\nMemFree:        %8d kB\n" % (mem_kb - 9000, mem_kb - 20000)
    if c in ("peek", "poke"):
        return "error: fault at %s (not mapped)\n" % argv[1]
    if c == "selftest":
        return "ok 1 - buddy\nok 2 - sparse\n2 passed, 0 failed\n"
    if c == "poweroff":
        sys.stdout.write("poweroff: ACPI S5\n".replace("\n", "\r\n"))
        sys.stdout.flush()
        reason = "guest-reset" if mode == "reset" else "guest-shutdown"
        qmp.event("SHUTDOWN", {"guest": True, "reason": reason})
        time.sleep(0.1)
        os._exit(0)
    return "error: unknown command '%s'\n" % c


def main():
    argv = sys.argv[1:]
    conf, mem, machine, dimms = {}, "1G", "?", []
    qmp_path = None
    for i, a in enumerate(argv):
        if a == "-qmp":
            qmp_path = argv[i + 1].split("unix:", 1)[1].split(",")[0]
        elif a == "-M":
            machine = argv[i + 1]
        elif a == "-device" and argv[i + 1].startswith("pc-dimm,"):
            dimms.append(argv[i + 1])
        elif a == "-m":
            mem = argv[i + 1].split(",")[0]
        elif a == "-cdrom" or (a == "-drive" and "media=cdrom" in argv[i + 1]):
            iso = argv[i + 1] if a == "-cdrom" else argv[i + 1].split("file=")[1].split(",")[0]
            with open(iso) as f:
                conf = dict(l.strip().split("=", 1) for l in f if "=" in l)
    mem_kb = int(mem[:-1]) * {"M": 1024, "G": 1024 * 1024}[mem[-1]]
    qmp = FakeQMP(qmp_path)
    qmp.ready.wait(10)
    mode = conf.get("mode", "good")
    out = sys.stdout
    out.write("\x1b[2J\x1b[01;01H\x1b[=3h\x1b[2J\x1b[01;01HBdsDxe: loading Boot0001\r\n")
    out.write("Welcome to GRUB!\r\n\x1b[0m\x1b[30m\x1b[40m\x1b[2J")
    out.flush()
    if mode == "hang":
        time.sleep(3600)
    out.write("Pagoda fake (uefi firmware)\r\nCommand line: %s\r\n" % conf.get("run", ""))
    out.write("Machine: %s\r\n" % machine)
    for d in dimms:
        out.write("Cold DIMM: %s\r\n" % d)
    out.write("BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable\r\n")
    out.write("BIOS-e820: [mem 0x0000000000100000-0x000000003fffffff] usable\r\n")
    for line in filter(None, conf.get("run", "").split(";")):
        out.write("pagoda> ")                  # transcript, as shell_boot.c does
        out.flush()
        time.sleep(0.2)
        out.write(line + "\r\n")
        out.write(shell_line(line, mem_kb, qmp, mode).replace("\n", "\r\n"))
    while True:
        out.write("pagoda> ")
        out.flush()
        line = b""
        while True:
            ch = os.read(0, 1)
            CONSOLE.acquire()
            CONSOLE.release()
            if not ch:
                time.sleep(3600)
            if ch in b"\r\n":
                break
            line += ch
            os.write(1, ch)                       # echo
        out.write("\r\n")
        out.write(shell_line(line.decode(), mem_kb, qmp, mode).replace("\n", "\r\n"))


if __name__ == "__main__":
    main()
