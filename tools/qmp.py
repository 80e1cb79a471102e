"""A small QMP client (QEMU Machine Protocol) over a unix socket.

    q = QMP("/tmp/x/qmp.sock")            # connect, greeting, qmp_capabilities
    q.object_add("memory-backend-ram", "m1", size=128 << 20)
    q.device_add("pc-dimm", "d1", memdev="m1")
    ev = q.wait_event("ACPI_DEVICE_OST", timeout=10)
    q.execute("query-memory-devices")     # -> the "return" value
    q.close()

The socket carries JSON objects, one per line.  Replies to commands and
asynchronous events ({"event": ...}) interleave freely; every event read while
waiting for a reply is queued, and wait_event() takes from that queue first.
Errors come back as QMPError carrying QEMU's class and desc.
Only the Python standard library is used.
"""
import json
import os
import select
import socket
import time


class QMPError(Exception):
    """A command answered with {"error": {"class": ..., "desc": ...}}."""

    def __init__(self, cmd, cls, desc):
        super().__init__("%s: %s: %s" % (cmd, cls, desc))
        self.cmd, self.cls, self.desc = cmd, cls, desc


class QMPClosed(Exception):
    """The socket closed (QEMU exited) or a read timed out."""


class QMP:
    """One QMP session. Not thread-safe; use from one thread."""

    def __init__(self, path, connect_timeout=10.0):
        """Connect to the server socket at path (retrying while QEMU creates
        it), read the greeting and enter command mode."""
        self.events = []          # queued events not yet taken by wait_event
        self.all_events = []      # every event ever seen, in order
        self._buf = b""
        self._next_id = 1
        self._eof = False
        self.sock = self._connect(path, connect_timeout)
        self.greeting = self._read_msg(connect_timeout)
        if self.greeting is None or "QMP" not in self.greeting:
            raise QMPClosed("no QMP greeting on %s" % path)
        self.execute("qmp_capabilities")

    @staticmethod
    def _connect(path, timeout):
        """Connect to a unix socket, retrying until it accepts or timeout."""
        deadline = time.monotonic() + timeout
        while True:
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                s.connect(path)
                return s
            except (FileNotFoundError, ConnectionRefusedError):
                s.close()
                if time.monotonic() >= deadline:
                    raise QMPClosed("cannot connect to QMP socket %s" % path)
                time.sleep(0.05)

    def _read_line(self, timeout):
        """Return one raw line (bytes), or None on EOF / timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self._buf:
            if self._eof:
                return None
            wait = None if deadline is None else max(0.0, deadline - time.monotonic())
            r, _, _ = select.select([self.sock], [], [], wait)
            if not r:
                return None
            try:
                data = self.sock.recv(65536)
            except OSError:
                data = b""
            if not data:
                self._eof = True
                continue
            self._buf += data
        line, self._buf = self._buf.split(b"\n", 1)
        return line

    def _read_msg(self, timeout):
        """Return the next JSON object, or None on EOF / timeout."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            line = self._read_line(left)
            if line is None:
                return None
            line = line.strip()
            if line:
                return json.loads(line.decode("utf-8", "replace"))

    def _queue_event(self, msg):
        """Record an event for wait_event() and for the run's history."""
        self.events.append(msg)
        self.all_events.append(msg)

    def execute(self, cmd, args=None, timeout=30.0):
        """Run one command; return its "return" value or raise QMPError.
        Events arriving before the reply are queued."""
        ident = self._next_id
        self._next_id += 1
        req = {"execute": cmd, "id": ident}
        if args:
            req["arguments"] = args
        try:
            self.sock.sendall(json.dumps(req).encode() + b"\n")
        except OSError as e:
            raise QMPClosed("%s: send failed: %s" % (cmd, e))
        deadline = time.monotonic() + timeout
        while True:
            msg = self._read_msg(max(0.0, deadline - time.monotonic()))
            if msg is None:
                raise QMPClosed("%s: no reply (QEMU gone or timeout)" % cmd)
            if "event" in msg:
                self._queue_event(msg)
            elif msg.get("id") == ident:
                if "error" in msg:
                    err = msg["error"]
                    raise QMPError(cmd, err.get("class", "?"), err.get("desc", "?"))
                return msg.get("return")

    def poll_events(self, timeout=0.0):
        """Read whatever events are available within timeout; return the queue."""
        deadline = time.monotonic() + timeout
        while True:
            msg = self._read_msg(max(0.0, deadline - time.monotonic()))
            if msg is None:
                return self.events
            if "event" in msg:
                self._queue_event(msg)

    def wait_event(self, name, timeout=30.0, match=None):
        """Take and return the first queued or arriving event called name
        whose data contains every key/value of match (a dict, may be None).
        Raise QMPClosed if none comes within timeout."""
        deadline = time.monotonic() + timeout
        while True:
            for i, ev in enumerate(self.events):
                if ev.get("event") == name and _contains(ev.get("data", {}), match or {}):
                    del self.events[i]
                    return ev
            left = deadline - time.monotonic()
            if left <= 0 or self._eof and b"\n" not in self._buf:
                raise QMPClosed("no %s event within %.0f s" % (name, timeout))
            msg = self._read_msg(left)
            if msg is not None and "event" in msg:
                self._queue_event(msg)

    def drain(self, timeout=2.0):
        """Read until EOF (QEMU exiting) or timeout; queue all events."""
        deadline = time.monotonic() + timeout
        while not self._eof and time.monotonic() < deadline:
            msg = self._read_msg(max(0.0, deadline - time.monotonic()))
            if msg is not None and "event" in msg:
                self._queue_event(msg)

    # ------------------------------------------------------------ helpers
    def object_add(self, qom_type, ident, **props):
        """object-add, e.g. object_add("memory-backend-ram", "m1", size=1 << 30)."""
        args = {"qom-type": qom_type, "id": ident}
        args.update(props)
        return self.execute("object-add", args)

    def device_add(self, driver, ident, **props):
        """device_add, e.g. device_add("pc-dimm", "d1", memdev="m1")."""
        args = {"driver": driver, "id": ident}
        args.update(props)
        return self.execute("device_add", args)

    def device_del(self, ident):
        """device_del: ask the guest to eject device ident (completes later,
        with a DEVICE_DELETED event, or never if the guest refuses)."""
        return self.execute("device_del", {"id": ident})

    def query_memory_devices(self):
        """The list query-memory-devices returns (DIMMs plugged now)."""
        return self.execute("query-memory-devices")

    def close(self):
        """Close the socket (QEMU keeps running)."""
        try:
            self.sock.close()
        except OSError:
            pass


def _contains(data, want):
    """True if every key of want is in data with an equal (or contained) value."""
    for k, v in want.items():
        if k not in data:
            return False
        if isinstance(v, dict) and isinstance(data[k], dict):
            if not _contains(data[k], v):
                return False
        elif data[k] != v:
            return False
    return True


if __name__ == "__main__":
    # python3 tools/qmp.py SOCKET COMMAND [JSON-ARGS]: one command, print the reply.
    import sys
    if len(sys.argv) < 3:
        sys.exit("usage: qmp.py SOCKET COMMAND [JSON-ARGS]")
    q = QMP(sys.argv[1])
    try:
        print(json.dumps(q.execute(sys.argv[2], json.loads(sys.argv[3]) if len(sys.argv) > 3 else None),
                         indent=2))
    except QMPError as e:
        sys.exit("error: %s" % e)
    for ev in q.events:
        print("event:", json.dumps(ev))
    q.close()
