#!/usr/bin/env bash
# Installs, builds and runs the whole test suite: the C unit tests, then the
# whole pytest suite in one run (tests/: the simulator's tests, RingCentral's
# JavaScript SDK against the simulator (plain build only), and every area of
# tests/mount/ against real FUSE mounts, then conftest.py's check that every seed
# operation was reached through the mount); first on a
# normal build (build/), then under AddressSanitizer and
# UndefinedBehaviorSanitizer (build-asan/); then every libFuzzer harness for a
# few seconds (contrib/fuzz.sh, build-fuzz/).
#   contrib/test.sh            both builds
#   contrib/test.sh --quick    the normal build only
#   contrib/test.sh -- ARGS    extra pytest arguments (e.g. -- -k voicemail; a partial
#                              run skips the operation coverage check and says so)
set -euo pipefail
cd "$(dirname "$0")/.."
contrib/install-deps.sh

builds=(build build-asan)
pytest_args=()
while (($#)); do
	case "$1" in
	--quick) builds=(build) ;;
	--) shift; pytest_args=("$@"); break ;;
	*) echo "usage: contrib/test.sh [--quick] [-- pytest args]" >&2; exit 2 ;;
	esac
	shift
done

run_suite() {
	local dir=$1
	local setup=(-Dtests=enabled)
	if [ "$dir" = build-asan ]; then
		setup+=(-Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug)
	fi
	if [ -d "$dir" ]; then
		meson setup --reconfigure "$dir" "${setup[@]}" >/dev/null
	else
		meson setup "$dir" "${setup[@]}" >/dev/null
	fi
	meson compile -C "$dir"
	meson test -C "$dir" --suite unit --print-errorlogs
	# tests/test_sdk.py (RingCentral's JavaScript SDK against the simulator) and
	# tests/test_sim.py (the simulator alone) run no ringfs binary: the plain pass
	# runs them, the sanitizer pass leaves them out
	local only_plain=()
	if [ "$dir" = build-asan ]; then
		only_plain=(--ignore=tests/test_sdk.py --ignore=tests/test_sim.py)
	fi
	echo "== pytest on $dir"
	RINGFS_BIN="$PWD/$dir/src/ringfs" \
	ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		/usr/bin/python3 -m pytest -v -p no:cacheprovider tests "${only_plain[@]}" "${pytest_args[@]}"
}

echo "== clang-format check"
clang-format --dry-run --Werror src/*.c src/*.h tests/unit/*.c tests/fuzz/*.c tests/fuzz/*.h

for b in "${builds[@]}"; do
	run_suite "$b"
done

echo "== fuzz harnesses, 5 s each"
contrib/fuzz.sh 5
