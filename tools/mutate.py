#!/usr/bin/env python3
"""Mutation testing of mm/ against the host unit tests (`make mutate`).

    git archive HEAD --> private copy (/tmp/pagoda-mutate-*; the tree you
                         run it from is never written, only its build/)
    copy: every source the tests link compiled once to objects (ASan+UBSan)
    for each file F, MUTATE_N mutants sampled from every site (seeded):
        one mutation -> recompile F only -> relink the tests that link F
        -> run them, the likeliest killer first (kills so far in this
           file per second of run time; at first the fastest), the
           slowest alongside from the start; stop at the first failure
           killed      a test failed, crashed or timed out (3 x its
                       baseline time + 10 s, confirmed by a run
                       alone with twice that); the first `not ok` line
                       stops a test
           survived    every test passed (MUTATE_BOOT=1: and the boot tests)
           uncompiled  the mutant did not compile or link (not in the score)
           equivalent  the mutant's .text is byte-identical to the original
                       (e.g. a change the compiler folds away; not in score)
    score = killed / (killed + survived), per file; survivors listed as
    file:line: mutation, with the mutated line (line numbers move, the
    text identifies a survivor); the report goes to --report.
    --list prints the sample without running it; --only FILE:LINE[,...]
    runs every site on those lines instead of the sample (to watch a new
    test kill a mutant).

Operators (one at a time, on code outside comments, strings, #lines and
SELFTEST/BENCH bodies):
    cmp     flip a comparison      <  >=   <=  >   ==  !=
    cond    negate an if/while     if (x)  ->  if (!(x))
    logic   swap && and ||
    arith   swap binary + and -    (and += / -=)
    const   integer literal +-1
    stmt    drop a one-line statement (expression, call, assignment)
"""
import argparse
import hashlib
import os
import re
import selectors
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

CMP = {'<': '>=', '<=': '>', '>': '<=', '>=': '<', '==': '!=', '!=': '=='}
DECL_START = re.compile(
    r'^(const |static |unsigned |signed |struct |enum |union |volatile )*'
    r'(void|bool|char|short|int|long|u8|u16|u32|u64|s8|s16|s32|s64|size_t|phys_addr_t|pte_t|'
    r'unsigned|struct \w+|enum \w+|[a-z_]+_t)\b[\s\*]*\w+\s*(=|;|\[|,)')
SKIP_STMT = re.compile(r'^(return|break|continue|goto|case|default|else|do|for|if|while|switch)\b')


def code_mask(src):
    """Per character: True where it is code (not comment/string/char/#line)."""
    mask = [True] * len(src)
    i, n = 0, len(src)
    line_start = True
    while i < n:
        c = src[i]
        if line_start and c == '#':
            j = i
            while j < n and not (src[j] == '\n' and src[j - 1] != '\\'):
                j += 1
            for k in range(i, j):
                mask[k] = False
            i = j
            continue
        if c == '\n':
            line_start = True
            i += 1
            continue
        if c not in ' \t':
            line_start = False
        if src.startswith('/*', i):
            j = src.find('*/', i + 2)
            j = n if j < 0 else j + 2
            for k in range(i, j):
                mask[k] = False
            i = j
        elif src.startswith('//', i):
            j = src.find('\n', i)
            j = n if j < 0 else j
            for k in range(i, j):
                mask[k] = False
            i = j
        elif c in '"\'':
            j = i + 1
            while j < n and src[j] != c:
                j += 2 if src[j] == '\\' else 1
            for k in range(i, min(j + 1, n)):
                mask[k] = False
            i = j + 1
        else:
            i += 1
    return mask


def mask_selftests(src, mask):
    """SELFTEST() and BENCH() bodies are tests, not code under test."""
    for m in re.finditer(r'^(SELFTEST|BENCH)\(\w+\)\s*\n\{', src, re.M):
        end = src.find('\n}', m.end())
        end = len(src) if end < 0 else end + 2
        for k in range(m.start(), end):
            mask[k] = False


def line_of(src, pos):
    return src.count('\n', 0, pos) + 1


def match_paren(src, i):
    """Index of the ')' closing the '(' at i, or -1."""
    depth = 0
    for j in range(i, len(src)):
        if src[j] == '(':
            depth += 1
        elif src[j] == ')':
            depth -= 1
            if depth == 0:
                return j
    return -1


def in_function(src, pos):
    """Crude: inside braces (function bodies) at depth >= 1."""
    return src.count('{', 0, pos) > src.count('}', 0, pos)


def sites(src):
    """Every mutation site: (start, end, replacement, kind, description)."""
    mask = code_mask(src)
    mask_selftests(src, mask)
    out = []

    def code(a, b):
        return all(mask[a:b])

    for m in re.finditer(r'<=|>=|==|!=|(?<![<>\-])<(?![<=])|(?<![<>\-])>(?![>=])', src):
        a, b = m.span()
        if not code(a, b) or not in_function(src, a):
            continue
        # skip '<' / '>' of #include-like or arrows; '->' excluded by lookbehind
        out.append((a, b, CMP[m.group()], 'cmp', '%s -> %s' % (m.group(), CMP[m.group()])))
    for m in re.finditer(r'\b(if|while)\s*\(', src):
        a = m.end() - 1
        if not code(m.start(), m.end()) or not in_function(src, a):
            continue
        z = match_paren(src, a)
        if z < 0:
            continue
        cond = src[a + 1:z]
        out.append((a, z + 1, '(!(%s))' % cond, 'cond', '%s (...) negated' % m.group(1)))
    for m in re.finditer(r'&&|\|\|', src):
        a, b = m.span()
        if code(a, b) and in_function(src, a):
            new = '||' if m.group() == '&&' else '&&'
            out.append((a, b, new, 'logic', '%s -> %s' % (m.group(), new)))
    for m in re.finditer(r'(?<=[\w\)\]] )([+-])(=?)(?= [\w\(])', src):
        a, b = m.span()
        if code(a, b) and in_function(src, a):
            new = ('-' if m.group(1) == '+' else '+') + m.group(2)
            out.append((a, b, new, 'arith', '%s -> %s' % (m.group(), new)))
    for m in re.finditer(r'(?<![\w.])(0x[0-9a-fA-F]+|\d+)([uUlL]*)(?![\w.])', src):
        a, b = m.span()
        if not code(a, b) or not in_function(src, a):
            continue
        v = int(m.group(1), 0)
        for d in (1, -1):
            if v + d < 0:
                continue
            new = (hex(v + d) if m.group(1).startswith('0x') else str(v + d)) + m.group(2)
            out.append((a, b, new, 'const', '%s -> %s' % (m.group(), new)))
    pos = 0
    for line in src.split('\n'):
        s = line.strip()
        a = pos + line.find(s) if s else pos
        pos += len(line) + 1
        if (not s.endswith(';') or not line.startswith('\t') or SKIP_STMT.match(s)
                or DECL_START.match(s) or s.count('(') != s.count(')') or s == ';'
                or not code(a, a + len(s)) or not in_function(src, a)):
            continue
        out.append((a, a + len(s), ';', 'stmt', 'dropped: %s' % s))
    return out


class Tree:
    """The private copy: object files, per-test link lines, test runs."""

    def __init__(self, root, work, log):
        self.root, self.work, self.log = root, work, log
        self.obj = os.path.join(work, 'obj')

    def sh(self, cmd, timeout=None):
        return subprocess.run(cmd, cwd=self.work, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=timeout, universal_newlines=True)

    def setup(self):
        os.makedirs(self.work, exist_ok=True)
        arch = subprocess.run(['git', '-C', self.root, 'archive', 'HEAD'], stdout=subprocess.PIPE,
                              check=True).stdout
        subprocess.run(['tar', '-x', '-C', self.work], input=arch, check=True)
        pr = ('mutate-print: ; @echo "CFLAGS $(HOST_CFLAGS)"; echo "LDLIBS $(HOST_LDLIBS)"; '
              '$(foreach t,$(UNIT_TESTS),echo "TEST $(t) $($(t)_SRCS)";)')
        r = self.sh(['make', '-s', '--no-print-directory', '--eval', pr, 'mutate-print'])
        self.tests = {}
        for line in r.stdout.splitlines():
            if line.startswith('CFLAGS '):
                self.cflags = line.split()[1:]
            elif line.startswith('LDLIBS '):
                self.ldlibs = line.split()[1:]
            elif line.startswith('TEST '):
                w = line.split()
                self.tests[w[1]] = ['tests/unit/test_%s.c' % w[1]] + w[2:]
        if not self.tests:
            sys.exit('mutate: no unit tests found:\n' + r.stdout)

    def objpath(self, src):
        return os.path.join(self.obj, src.replace('/', '__') + '.o')

    def compile(self, src, out=None):
        out = out or self.objpath(src)
        return self.sh(['gcc'] + self.cflags + ['-c', '-o', out, src], timeout=300)

    def compile_all(self, srcs, jobs):
        os.makedirs(self.obj, exist_ok=True)
        todo, running, bad = list(srcs), [], []
        while todo or running:
            while todo and len(running) < jobs:
                s = todo.pop()
                p = subprocess.Popen(['gcc'] + self.cflags + ['-c', '-o', self.objpath(s), s],
                                     cwd=self.work, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
                running.append((s, p))
            s, p = running.pop(0)
            if p.wait():
                bad.append((s, p.stderr.read().decode()))
        return bad

    def link(self, test):
        exe = os.path.join(self.work, 'bin', 'test_' + test)
        os.makedirs(os.path.dirname(exe), exist_ok=True)
        objs = [self.objpath(s) for s in self.tests[test]]
        return self.sh(['gcc'] + self.cflags + ['-o', exe] + objs + self.ldlibs, timeout=300), exe

    def start(self, test):
        exe = os.path.join(self.work, 'bin', 'test_' + test)
        p = subprocess.Popen([exe], cwd=self.work, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             start_new_session=True)
        p.started = time.time()
        return p

    @staticmethod
    def stop(p):
        try:
            os.killpg(p.pid, 9)
        except OSError:
            pass
        p.wait()
        Tree.close(p)

    @staticmethod
    def close(p):
        """Release test p's pipe and selector (hundreds of tests per run)."""
        if hasattr(p, 'sel'):
            p.sel.close()
        p.stdout.close()

    @staticmethod
    def read_some(p, wait):
        """Append what test p printed within wait seconds to p.out; False
        at end of output."""
        if not hasattr(p, 'sel'):
            p.out, p.sel = b'', selectors.DefaultSelector()
            p.sel.register(p.stdout.fileno(), selectors.EVENT_READ)
        if not p.sel.select(wait):
            return True
        chunk = os.read(p.stdout.fileno(), 65536)
        p.out += chunk
        return bool(chunk)

    @staticmethod
    def failed_yet(p):
        """Has the running test p printed a `not ok` line by now?"""
        while Tree.read_some(p, 0) and p.sel.select(0):
            pass
        return re.search(rb'^not ok', p.out, re.M) is not None

    @staticmethod
    def verdict(p, timeout):
        """'pass', 'fail' or 'timeout' of a test started timeout seconds
        ago at most.  The first `not ok` line is a fail at once: the test is
        stopped there (test_mm_hotplug's later scenarios cost ~30 s)."""
        while True:
            left = p.started + timeout - time.time()
            if left <= 0:
                Tree.stop(p)
                return 'timeout'
            more = Tree.read_some(p, left)
            if re.search(rb'^not ok', p.out, re.M):
                Tree.stop(p)
                return 'fail'
            if not more:
                break
        try:
            p.wait(max(1.0, p.started + timeout - time.time()))
        except subprocess.TimeoutExpired:
            Tree.stop(p)
            return 'timeout'
        Tree.close(p)
        bad = p.returncode != 0 or not re.search(rb'^ok ', p.out, re.M)
        return 'fail' if bad else 'pass'

    def run(self, test, timeout):
        return self.verdict(self.start(test), timeout)


def text_section(tree, obj):
    out = obj + '.text'
    r = subprocess.run(['objcopy', '-O', 'binary', '-j', '.text', obj, out],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if r.returncode:
        return None
    with open(out, 'rb') as f:
        return f.read()


def test_timeout(base):
    """A mutant that makes a test loop costs this much: 3 x the baseline
    (measured at setup, under the same load) + 10 s."""
    return 10 + 3 * base


def confirm_timeout(tree, t, base):
    """A timeout kills only if the test, run again alone with twice the
    time, does not pass (load on a shared machine is no kill)."""
    return tree.run(t, 2 * test_timeout(base[t]))


def run_tests(tree, tests, base, c, kills):
    """Link and run tests until one fails.  The slowest (tests[-1]) runs
    alongside the others from the start (2 cores): a survivor costs about
    the slowest test's time, a kill stops it.  The others run in the order
    of kills so far per second (kills[t] + 0.1) / (base[t] + 0.3 s of link):
    the test that killed most of this file's mutants cheaply goes first."""
    slow, bg = tests[-1], None
    rest = sorted(tests[:-1], key=lambda t: -(kills.get(t, 0) + 0.1) / (base[t] + 0.3))
    for t in [slow] + rest:
        if bg and tree.failed_yet(bg):
            break                       # the slow one failed already: verdict below
        lr, _ = tree.link(t)
        if lr.returncode:
            if bg:
                tree.stop(bg)
            return 'uncompiled', ''
        if t == slow and len(tests) > 1:
            bg = tree.start(t)
            continue
        res = tree.run(t, test_timeout(base[t]))
        if res == 'timeout':
            res = confirm_timeout(tree, t, base)
        if res != 'pass':
            if bg:
                tree.stop(bg)
            c['timeout'] += res == 'timeout'
            kills[t] = kills.get(t, 0) + 1
            return 'killed', t + (' (timeout)' if res == 'timeout' else '')
    res = tree.verdict(bg, test_timeout(base[slow])) if bg else 'pass'
    if res == 'timeout':
        res = confirm_timeout(tree, slow, base)
    if res != 'pass':
        c['timeout'] += res == 'timeout'
        kills[slow] = kills.get(slow, 0) + 1
        return 'killed', slow + (' (timeout)' if res == 'timeout' else '')
    return 'survived', ''


def boot_check(tree, boot_tests, arch):
    """Survivor of the host tests (or the unmutated tree at setup): rebuild
    the image, run the mm boot tests, two QEMUs at a time."""
    r = tree.sh(['make', '-s', 'ARCH=' + arch, 'image'], timeout=1800)
    if r.returncode:
        return 'uncompiled'
    try:
        r = tree.sh(['python3', 'tools/harness.py', '-j', '2', '--arch', arch, '--firmware',
                     'bios' if arch == 'x86_64' else 'uefi'] + boot_tests, timeout=1800)
    except subprocess.TimeoutExpired:
        return 'killed'
    return 'killed' if r.returncode else 'survived'


def mutated_line(src, m):
    """The source line of mutant m with the mutation applied, trimmed."""
    a, b, new = m[0], m[1], m[2]
    ls, le = src.rfind('\n', 0, a) + 1, src.find('\n', a)
    return ' '.join((src[ls:a] + new + src[b:le if le >= 0 else len(src)]).split())


def choose(src, f, args, only):
    """The mutants of file f: a seeded sample of MUTATE_N sites, or with
    --only every site on the lines named."""
    all_sites = sites(src)
    if only:
        return sorted(m for m in all_sites if line_of(src, m[0]) in only.get(f, ()))
    return sorted(sorted(all_sites, key=lambda m: site_key(src, f, m, args.seed))[:args.n])


def site_key(src, f, m, seed):
    """Sampling key of site m: a hash of the seed, the file and the site's
    own text (its line, where in the line, the mutation), not of its index:
    the sample is the MUTATE_N smallest keys, so an edit elsewhere in the
    file leaves the sites it did not touch in or out of the sample as they
    were (a survivor stays sampled until it is killed or its line changes)."""
    a, b, new = m[0], m[1], m[2]
    ls, le = src.rfind('\n', 0, a) + 1, src.find('\n', a)
    text = '%d|%s|%s|%d|%s|%s' % (seed, f, ' '.join(src[ls:le].split()), a - ls, src[a:b], new)
    return hashlib.sha1(text.encode()).hexdigest()


def func_of(src, pos):
    """Name of the function whose body holds pos ('' outside any)."""
    body = src.rfind('\n{', 0, pos)
    for line in reversed(src[max(0, body - 400):body].split('\n') if body >= 0 else []):
        m = re.match(r'[A-Za-z_][\w\s\*]*?(\w+)\s*\(', line)
        if m:
            return m.group(1)
    return ''


def load_equivalents(path):
    """The survivors judged equivalent by hand, each with its reason
    (tools/mutate-equivalent.txt, one a line: file | function | kind |
    mutation | mutated line | reason): {(file, function, kind, mutation,
    mutated line): reason}.  Only a survivor is ever matched: a listed
    mutant some test kills counts as killed."""
    eq = {}
    if not os.path.exists(path):
        return eq
    with open(path) as fh:
        for line in fh:
            if not line.strip() or line.startswith('#'):
                continue
            f, fn, kind, desc, code, reason = [w.strip() for w in line.split(' | ', 5)]
            eq[(f, fn, kind, desc, ' '.join(code.split()))] = reason
    return eq


def write_report(args, results, survivors, t0, nfiles, final):
    """The report so far (after each file: a run stopped early still
    leaves the files it finished), printed at the end."""
    lines = ['# make mutate: seed %d, %d mutants per file, boot tests %s, %s%s' % (
        args.seed, args.n, ('on (%s, %s)' % (args.boot_tests, args.arch)) if args.boot else 'off',
        time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()),
        '' if final else ' (partial: %d of %d files)' % (len(results), nfiles)),
        '%-26s %5s %6s %8s %6s %7s %7s %6s %6s %6s %6s %6s %5s' % (
            'file', 'sites', 'killed', 'survived', 'listed', 'score', 'score*', 'uncomp', 'same', 'tmout',
            'sec', 'boot-s', 'load')]
    for f, c in results.items():
        den = c['killed'] + c['survived'] + c['listed']
        den2 = c['killed'] + c['survived']
        lines.append('%-26s %5d %6d %8d %6d %6.1f%% %6.1f%% %6d %6d %6d %6.0f %6.0f %5.1f' % (
            f, c['sites'], c['killed'], c['survived'], c['listed'], 100.0 * c['killed'] / den if den else 0,
            100.0 * c['killed'] / den2 if den2 else 0, c['uncompiled'], c['equivalent'], c['timeout'],
            c['seconds'], c.get('boot_seconds', 0), c['load']))
    lines.append('score = killed / (killed + survived + listed); score* leaves out the listed survivors '
                 '(equivalent, reason in tools/mutate-equivalent.txt); same: identical .text, in neither')
    lines.append('survivors:')
    lines += ['  ' + s for s in survivors] or ['  none']
    lines.append('total %.0f s, load average at the end %s' % (time.time() - t0,
                                                               ' '.join('%.2f' % x for x in os.getloadavg())))
    text = '\n'.join(lines) + '\n'
    if final:
        print(text, end='')
    else:
        print('mutate: done: %s' % ' '.join(lines[1 + len(results)].split()), flush=True)
    os.makedirs(os.path.dirname(args.report), exist_ok=True)
    with open(args.report, 'w') as fh:
        fh.write(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--files', default='mm/buddy.c mm/sparse.c mm/sparse_vmemmap.c mm/memory_hotplug.c '
                    'mm/hugetlb_vmemmap.c')
    ap.add_argument('-n', type=int, default=50, help='mutants per file')
    ap.add_argument('--seed', type=int, default=7)
    ap.add_argument('--boot', type=int, default=0, help='1: survivors also run the mm boot tests')
    ap.add_argument('--boot-tests', default=' '.join('tests/boot/%s.test' % t for t in (
        'mm', 'hotplug-hand', 'hotplug-hand-nomemmap', 'hotplug-table-move', 'hvo', 'hvo-hotplug', 'hugetlb')),
        help='the mm boot tests a survivor of the host tests runs with --boot 1 (x86_64: SeaBIOS)')
    ap.add_argument('--arch', default='x86_64')
    ap.add_argument('--report', default=os.path.join(ROOT, 'build', 'mutate', 'report.txt'))
    ap.add_argument('--jobs', type=int, default=2, help='parallel compiles while setting up')
    ap.add_argument('--keep', action='store_true', help='keep the private copy')
    ap.add_argument('--list', action='store_true', help='print the sampled mutants of HEAD and exit')
    ap.add_argument('--equivalents', default=os.path.join(ROOT, 'tools', 'mutate-equivalent.txt'),
                    help='survivors judged equivalent: file | function | kind | mutation | mutated line | reason')
    ap.add_argument('--only', default='', help='FILE:LINE[,FILE:LINE...]: every site on those lines, no sampling')
    args = ap.parse_args()
    only = {}
    for spec in filter(None, args.only.split(',')):
        f, _, ln = spec.rpartition(':')
        only.setdefault(f, set()).add(int(ln))

    files = [f for f in args.files.split() if not only or f in only]
    if args.list:
        for f in files:
            src = subprocess.run(['git', '-C', ROOT, 'show', 'HEAD:' + f], stdout=subprocess.PIPE,
                                 universal_newlines=True, check=True).stdout
            for m in choose(src, f, args, only):
                print('%s:%d | %s | %s | %s | %s' % (f, line_of(src, m[0]), func_of(src, m[0]), m[3], m[4],
                                                    mutated_line(src, m)))
        return
    work = tempfile.mkdtemp(prefix='pagoda-mutate-')
    tree = Tree(ROOT, work, None)
    t0 = time.time()
    print('mutate: private copy of HEAD in %s' % work, flush=True)
    tree.setup()
    users = {f: sorted(t for t, s in tree.tests.items() if f in s) for f in files}
    for f in files:
        if not users[f]:
            sys.exit('mutate: no unit test links %s' % f)
    needed = sorted({s for f in files for t in users[f] for s in tree.tests[t]})
    bad = tree.compile_all(needed, args.jobs)
    if bad:
        sys.exit('mutate: the unmutated tree does not compile: %s\n%s' % (bad[0][0], bad[0][1]))
    base = {}
    for t in sorted({t for f in files for t in users[f]}):
        r, _ = tree.link(t)
        s = time.time()
        res = tree.run(t, 1800) if r.returncode == 0 else 'fail'
        base[t] = time.time() - s
        if res != 'pass':
            print('mutate: test_%s fails unmutated: left out' % t, flush=True)
            base.pop(t)
    if args.boot:
        bt0 = time.time()
        if boot_check(tree, args.boot_tests.split(), args.arch) != 'survived':
            sys.exit('mutate: the boot tests fail unmutated: %s' % args.boot_tests)
        print('mutate: boot tests unmutated (image build + run) %.0f s' % (time.time() - bt0), flush=True)
    print('mutate: setup %.0f s; baseline (s): %s' % (time.time() - t0, ' '.join(
        '%s=%.1f' % (t, v) for t, v in sorted(base.items(), key=lambda x: x[1]))), flush=True)

    results = {}
    survivors = []
    equivalents = load_equivalents(args.equivalents)
    for f in files:
        path = os.path.join(work, f)
        with open(path) as fh:
            orig = fh.read()
        obj = tree.objpath(f)
        shutil.copy(obj, obj + '.orig')
        orig_text = text_section(tree, obj + '.orig')
        chosen = choose(orig, f, args, only)
        tests = sorted((t for t in users[f] if t in base), key=lambda t: base[t])
        kills = {}
        c = dict(killed=0, survived=0, listed=0, uncompiled=0, equivalent=0, timeout=0, sites=len(sites(orig)))
        ft0 = time.time()
        for i, (a, b, new, kind, desc) in enumerate(chosen):
            line = line_of(orig, a)
            with open(path, 'w') as fh:
                fh.write(orig[:a] + new + orig[b:])
            verdict, by = 'survived', ''
            r = tree.compile(f)
            if r.returncode:
                verdict = 'uncompiled'
            elif text_section(tree, obj) == orig_text and orig_text is not None:
                verdict = 'equivalent'
            else:
                verdict, by = run_tests(tree, tests, base, c, kills)
                if verdict == 'survived' and args.boot:
                    bt0 = time.time()
                    verdict = boot_check(tree, args.boot_tests.split(), args.arch)
                    c['boot_seconds'] = c.get('boot_seconds', 0) + time.time() - bt0
                    by = 'boot tests' if verdict == 'killed' else by
            key = (f, func_of(orig, a), kind, desc, mutated_line(orig, (a, b, new)))
            if verdict == 'survived' and key in equivalents:
                verdict, by = 'listed', 'equivalent: ' + equivalents[key]
            c[verdict] += 1
            print('mutate: %5.0f s %s:%d [%s] %s: %s%s' % (time.time() - t0, f, line, kind, desc, verdict,
                                                            ' by ' + by if by else ''), flush=True)
            if verdict in ('survived', 'listed'):
                survivors.append('%s:%d: [%s] %s    | %s%s' % (f, line, kind, desc, mutated_line(orig, (a, b, new)),
                                                              '    (listed equivalent)' if verdict == 'listed' else ''))
            with open(path, 'w') as fh:
                fh.write(orig)
        shutil.copy(obj + '.orig', obj)
        c['seconds'] = time.time() - ft0
        c['load'] = os.getloadavg()[0]
        results[f] = c

        write_report(args, results, survivors, t0, len(files), final=f == files[-1])
    print('mutate: report in %s' % args.report)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == '__main__':
    main()
