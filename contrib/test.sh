#!/usr/bin/env bash
# Installs, builds and runs the whole test suite: C unit tests, then every
# pytest file against real FUSE mounts and the shipped simulator.
#   contrib/test.sh              normal build (build/)
#   contrib/test.sh --sanitize   AddressSanitizer + UndefinedBehaviorSanitizer (build-asan/)
set -euo pipefail
cd "$(dirname "$0")/.."
contrib/install-deps.sh

builddir=build
setup=(-Dtests=enabled)
if [ "${1:-}" = "--sanitize" ]; then
	builddir=build-asan
	setup+=(-Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug)
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	shift
fi
if [ -d "$builddir" ]; then
	meson setup --reconfigure "$builddir" "${setup[@]}" >/dev/null
else
	meson setup "$builddir" "${setup[@]}" >/dev/null
fi
meson compile -C "$builddir"
meson test -C "$builddir" --suite unit --print-errorlogs
export RINGFS_BIN="$PWD/$builddir/src/ringfs"
exec /usr/bin/python3 -m pytest -v -p no:cacheprovider tests "$@"
