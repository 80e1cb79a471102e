#!/bin/sh
# make deps: install what Pagoda needs from Debian's packages; idempotent.
# Also fetches grub-efi-arm64-bin (not in Debian's amd64 archive) as an
# arm64 .deb and unpacks it under .deps/grub-arm64 for grub-mkrescue -d.
set -e
PKGS="qemu-system-x86 qemu-system-arm ovmf qemu-efi-aarch64 grub-pc-bin grub-efi-amd64-bin
grub-common xorriso mtools gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu gdb-multiarch
python3 libcmocka-dev make gcc
sparse cppcheck gcovr clang-14 libclang-rt-14-dev"
# sparse, cppcheck: make check; gcovr: make coverage; clang-14 +
# libclang-rt-14-dev: make fuzz (libFuzzer) and the corpus replay test.
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
missing=""
for p in $PKGS; do
	dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	$SUDO apt-get update -q
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing
fi
GRUB_ARM64=.deps/grub-arm64
if [ ! -f "$GRUB_ARM64/usr/lib/grub/arm64-efi/kernel.img" ]; then
	echo "deps: fetching grub-efi-arm64-bin:arm64"
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		$SUDO dpkg --add-architecture arm64
	fi
	$SUDO apt-get update -q
	tmp=$(mktemp -d)
	(cd "$tmp" && apt-get download grub-efi-arm64-bin:arm64)
	rm -rf "$GRUB_ARM64"; mkdir -p "$GRUB_ARM64"
	dpkg-deb -x "$tmp"/grub-efi-arm64-bin_*.deb "$GRUB_ARM64"
	rm -rf "$tmp"
fi
echo "deps: all present"
