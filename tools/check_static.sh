#!/bin/sh
# Static checking of the kernel sources (issue 10): Linux's `sparse` and
# `cppcheck`, each over the sources of both arches with the kernel build's
# own -D/-I/-std flags (asked from make: `make ARCH=a check-flags check-srcs`).
# Prints TAP (one line per tool and arch, each warning as a `# ` line after
# a `not ok`); exit status 1 on any warning.  `make check` runs it, and so
# does `make test` (build/host/tests/check_static).  The choice of checks
# and every suppression is explained in mk/check.mk.
#   sh tools/check_static.sh [x86_64] [arm64]
cd "$(dirname "$0")/.." || exit 2
arches=${*:-x86_64 arm64}
n=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# make prints the build's variables (ARCH=a: that arch's sources and flags).
makevar() {
	make -s --no-print-directory ARCH="$1" "$2" 2>/dev/null
}

# One TAP line for $1 (description) from warnings file $2.
report() {
	n=$((n + 1))
	if [ -s "$2" ]; then
		failed=1
		echo "not ok $n - $1: $(wc -l < "$2") warnings"
		sed 's/^/# /' "$2"
	else
		echo "ok $n - $1"
	fi
}

# Symbols the linker scripts and the assembly define (section and image
# bounds, trampoline labels): comparing or subtracting two of them is how
# the kernel walks link-time tables, not a cross-object bug (mk/check.mk).
linker_syms() {
	{
		grep -hoE '^[[:space:]]*[A-Za-z_][A-Za-z0-9_]*[[:space:]]*=[[:space:]]*\.' linker/*.ld
		grep -hoE '\.glob(a)?l[[:space:]]+[A-Za-z_][A-Za-z0-9_]*' arch/*/*.S | awk '{print $2}'
		grep -hoE '^[A-Za-z_][A-Za-z0-9_]*:' arch/*/*.S
	} | tr -d ' \t=.:' | sort -u
}

# Drop cppcheck comparePointers reports on lines that name a linker symbol
# or a __start_/__stop_ section bound; keep everything else.
filter_cppcheck() {
	linker_syms > "$tmp/syms"
	while IFS= read -r l; do
		case "$l" in
		*'[comparePointers]')
			f=${l%%:*}; rest=${l#*:}; line=${rest%%:*}
			src=$(sed -n "${line}p" "$f" 2>/dev/null)
			if printf '%s\n' "$src" | grep -qE '__start_|__stop_' ||
			   printf '%s\n' "$src" | grep -qwFf "$tmp/syms"; then
				continue
			fi;;
		esac
		printf '%s\n' "$l"
	done
}

for a in $arches; do
	srcs=$(makevar "$a" check-srcs)
	flags=$(makevar "$a" check-flags)
	sparse_arch=$(makevar "$a" check-sparse-arch)
	sparse_flags=$(makevar "$a" check-sparse-flags)
	cpp_flags=$(makevar "$a" check-cppcheck-flags)
	if [ -z "$srcs" ]; then
		echo "check_static: no sources for ARCH=$a (make ARCH=$a check-srcs)" > "$tmp/err"
		report "sparse $a" "$tmp/err"
		continue
	fi
	# sparse: the build's flags plus those in SPARSE_FLAGS (mk/check.mk)
	: > "$tmp/sparse.$a"
	for f in $srcs; do
		# shellcheck disable=SC2086
		sparse $sparse_arch $sparse_flags $flags "$f" >> "$tmp/sparse.$a" 2>&1
	done
	report "sparse $a ($(echo $srcs | wc -w) files)" "$tmp/sparse.$a"
	# cppcheck: the build's -D/-I flags, checks and suppressions from mk/check.mk
	# shellcheck disable=SC2086
	cppcheck $cpp_flags --template='{file}:{line}: {severity}: {message} [{id}]' \
		$(printf '%s\n' $flags | grep -E '^-(D|I)') $srcs 2> "$tmp/cpp.raw.$a" > /dev/null
	filter_cppcheck < "$tmp/cpp.raw.$a" > "$tmp/cpp.$a"
	report "cppcheck $a" "$tmp/cpp.$a"
done
echo "1..$n"
exit $failed
