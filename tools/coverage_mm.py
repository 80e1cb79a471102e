#!/usr/bin/env python3
"""Line and branch coverage of mm/ by the host unit tests (mk/coverage.mk).

    python3 tools/coverage_mm.py --goal 90 [--report] build/host-cov/tests/test_*

Deletes the old .gcda counters under build/host-cov, runs every coverage
build of a host test given (their pass/fail is the ASan builds' business;
here a crash or timeout is reported because it loses counts), runs gcovr
over build/host-cov for mm/ and prints TAP:

  # mm/buddy.c                 lines  97.1% (302/311)  branches  88.0% (...)
  ok 1 - coverage runs: 12 host tests finished
  ok 2 - every mm/ file at its line-coverage goal (90% or as documented ...)
  ok 3 - mm/ line coverage overall 93.4% (3129/3351, *_bench.c aside) >= 90%

Goals: 90% of the lines of every file of mm/, except the files in GOALS
below (each with what is not covered and why).  The *_bench.c files are
timing loops run by `make bench` and the in-kernel `bench` command, never
by a host unit test: listed, not counted.  And mm/ as a whole (the same
files) must reach --goal (issue 10: 90%).  With --report the table
also goes to build/coverage/mm.txt and gcovr's JSON to build/coverage/.
The measurement is kept (build/coverage/stamp.json): while no coverage
binary changed (size and mtime) and every test finished, `make test` reuses
it instead of running the tests again; --report always measures afresh.
A measurement costs about 35 s of CPU (user + sys, 16 tests; test_mm_hotplug
the longest), so some 20-40 s on an idle 2-core machine (not measured idle);
under a load of 10 on 2 cores test_mm_hotplug alone exceeded the 100 s per
test (COV_RUN_TIMEOUT), as its ASan build exceeded the harness's 120 s.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
COVB = os.path.join(ROOT, "build", "host-cov")
OUT = os.path.join(ROOT, "build", "coverage")
# a hang guard, not a speed check: test_mm_hotplug alone takes ~70 s under
# coverage at load 7, and CI machines may be loaded
RUN_TIMEOUT = int(os.environ.get("COV_RUN_TIMEOUT", "300"))


# Per-file line goals (percent).  Every file of mm/ must reach DEFAULT_GOAL
# except these, each at its figure of 2026-12-01 rounded down to 5%, with
# what the host tests do not reach.  Raise a goal when a test covers more;
# never lower one to make a change pass.
DEFAULT_GOAL = 90.0
GOALS = {
    # per-CPU free lists: the list-busy fallback to the zone (a trylock
    # that fails only with a concurrent CPU) and the vm_check reports of a
    # corrupted list entry
    "mm/pcp.c": 85.0,
    # the fold of runs longer than VIEW_FOLD rows needs a 1 GiB HVO page,
    # more than the host tests' 512 MiB; rows of an unmapped range
    "mm/vmemmap_view.c": 75.0,
    # the reports of a corrupted pool (broken links, misaligned entries,
    # wrong refcounts): reached only by planting each corruption
    "mm/hugetlb_check.c": 80.0,
    # hot-add page tables from the buddy allocator (the host hot-adds
    # self-host them) and their failure injection
    "mm/hotplug_pgtable.c": 85.0,
}


def goal_of(name):
    return GOALS.get(name, DEFAULT_GOAL)


def counted(name):
    """Whether a file counts towards the goal (see the module comment)."""
    return not name.endswith("_bench.c")


def run_one(b):
    """Run one binary from the repo root; (why it did not finish or None,
    seconds it took)."""
    t = time.time()
    try:
        p = subprocess.run([b], cwd=ROOT, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                           timeout=RUN_TIMEOUT)
        if p.returncode < 0:
            return "%s: killed by signal %d" % (os.path.basename(b), -p.returncode), 0
    except subprocess.TimeoutExpired:
        return "%s: timed out after %d s" % (os.path.basename(b), RUN_TIMEOUT), RUN_TIMEOUT
    return None, time.time() - t


def run_tests(bins, took):
    """Run the binaries two at a time (libgcov merges .gcda files under a
    lock), the slowest of the last run first; fill took[bin] with seconds;
    return why those that failed to finish did not."""
    order = sorted(bins, key=lambda b: -took.get(b, 1e9))
    with ThreadPoolExecutor(max_workers=2) as ex:
        res = list(ex.map(run_one, order))
    for b, (_, sec) in zip(order, res):
        took[b] = sec
    return [why for why, _ in res if why]


def stamp_of(bins):
    """What the measurement depends on: every binary's path, size and mtime."""
    return [[b, os.stat(b).st_size, os.stat(b).st_mtime_ns] for b in sorted(bins)]


def gcovr_summary():
    os.makedirs(OUT, exist_ok=True)
    js = os.path.join(OUT, "mm.json")
    subprocess.run(["gcovr", "-r", ROOT, "--filter", "mm/", "--json-summary", js,
                    "-j", "2", COVB], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with open(js) as f:
        return json.load(f)


def pct(c, t):
    return 100.0 * c / t if t else 100.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--goal", type=float, default=90.0)
    ap.add_argument("--report", action="store_true")
    ap.add_argument("bins", nargs="+")
    a = ap.parse_args()
    t0 = time.time()
    stamp_file = os.path.join(OUT, "stamp.json")
    stamp = stamp_of(a.bins)
    took = {}
    try:
        with open(stamp_file) as f:
            old = json.load(f)
        took = old.get("took", {})
        with open(os.path.join(OUT, "mm.json")) as f:
            s = json.load(f)
        cached = old["stamp"] == stamp and not old["bad"] and not a.report
        bad = old["bad"]
    except (OSError, ValueError, KeyError):
        cached = False
    if not cached:
        for g in glob.glob(os.path.join(COVB, "**", "*.gcda"), recursive=True):
            os.unlink(g)
        bad = run_tests(a.bins, took)
        s = gcovr_summary()
        with open(stamp_file, "w") as f:
            json.dump({"stamp": stamp, "bad": bad, "took": took}, f)
    rows, lc, lt = [], 0, 0
    for f in sorted(s["files"], key=lambda f: f["filename"]):
        name = f["filename"]
        rows.append("%-28s lines %5.1f%% (%4d/%4d)  branches %5.1f%% (%4d/%4d)%s" % (
            name, pct(f["line_covered"], f["line_total"]), f["line_covered"], f["line_total"],
            pct(f["branch_covered"], f["branch_total"]), f["branch_covered"],
            f["branch_total"], "" if counted(name) else "  (bench: not counted)"))
        if counted(name):
            lc += f["line_covered"]
            lt += f["line_total"]
    rows.append("%-28s lines %5.1f%% (%4d/%4d)  branches %5.1f%% (%4d/%4d)  (all of mm/)" % (
        "TOTAL", pct(s["line_covered"], s["line_total"]), s["line_covered"], s["line_total"],
        pct(s["branch_covered"], s["branch_total"]), s["branch_covered"], s["branch_total"]))
    if a.report:
        with open(os.path.join(OUT, "mm.txt"), "w") as f:
            f.write("\n".join(rows) + "\n")
    for r in rows:
        print("# " + r)
    print("%sok 1 - coverage runs: %d host tests finished" % ("not " if bad else "", len(a.bins) - len(bad)))
    for b in bad:
        print("# " + b)
    total = pct(lc, lt)
    low = [f for f in s["files"] if counted(f["filename"]) and
           pct(f["line_covered"], f["line_total"]) < goal_of(f["filename"])]
    print("%sok 2 - every mm/ file at its line-coverage goal (%g%% or as documented in"
          " tools/coverage_mm.py)" % ("not " if low else "", DEFAULT_GOAL))
    for f in sorted(low, key=lambda f: f["filename"]):
        print("# below goal: %s %.1f%% < %g%% (%d lines uncovered)" % (
            f["filename"], pct(f["line_covered"], f["line_total"]), goal_of(f["filename"]),
            f["line_total"] - f["line_covered"]))
    print("%sok 3 - mm/ line coverage overall %.1f%% (%d/%d, *_bench.c aside) %s %g%%" % (
        "" if total >= a.goal else "not ", total, lc, lt, ">=" if total >= a.goal else "<", a.goal))
    print("# %.1f s%s" % (time.time() - t0, " (cached: no coverage binary changed since the"
                                          " last measurement)" if cached else ""))
    print("1..3")
    return 0 if not low and not bad and total >= a.goal else 1


if __name__ == "__main__":
    sys.exit(main())
