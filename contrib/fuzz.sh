#!/usr/bin/env bash
# Builds the libFuzzer harnesses (tests/fuzz/, clang, build-fuzz/) and runs each
# for SECONDS over a fresh copy of its seed corpus (build-fuzz/fuzz-work/NAME/);
# prints per harness the executions and any crash, leak or timeout file.
#   contrib/fuzz.sh              600 s per harness (the long run)
#   contrib/fuzz.sh 5            the short stage contrib/test.sh runs
#   contrib/fuzz.sh 60 vcard     only the named harnesses
# Exits 1 if a harness found something.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-600}
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -lt 1 ]; then
	echo "usage: contrib/fuzz.sh [SECONDS] [HARNESS...]" >&2
	exit 2
fi
shift || true
names=("$@")
if ((${#names[@]} == 0)); then
	names=()
	for d in tests/fuzz/corpus/*/; do
		names+=("$(basename "$d")")
	done
fi

contrib/install-deps.sh # clang and libclang-rt-14-dev among them

if [ -d build-fuzz ]; then
	meson setup --reconfigure build-fuzz -Dfuzz=enabled -Dtests=disabled >/dev/null
else
	CC=clang meson setup build-fuzz -Dfuzz=enabled -Dtests=disabled >/dev/null
fi
meson compile -C build-fuzz >/dev/null

# UBSan findings are fatal (-fno-sanitize-recover); leaks are checked after every input
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

found=0
for name in "${names[@]}"; do
	exe=build-fuzz/tests/fuzz/fuzz-$name
	work=build-fuzz/fuzz-work/$name
	if [ ! -x "$exe" ] || [ ! -d "tests/fuzz/corpus/$name" ]; then
		echo "ringfs: no harness or corpus named $name" >&2
		exit 2
	fi
	rm -rf "$work"
	mkdir -p "$work/corpus" "$work/artifacts"
	cp tests/fuzz/corpus/"$name"/* "$work/corpus/"
	rc=0
	"$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$work/artifacts/" "$work/corpus" >"$work/log" 2>&1 || rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
	inputs=$(find "$work/corpus" -type f | wc -l)
	artifacts=$(find "$work/artifacts" -type f)
	printf '%-12s %12s executions in %ss, corpus %s inputs\n' "$name" "${runs:-?}" "$seconds" \
		"$inputs"
	if [ -n "$artifacts" ] || [ "$rc" -ne 0 ]; then
		found=1
		grep -E -A30 '^==[0-9]+==|runtime error|ERROR' "$work/log" | head -60 >&2 || true
		echo "$name: FOUND (exit $rc); log $work/log" >&2
		for a in $artifacts; do
			echo "$name: input $a (reproduce: $exe $a)" >&2
		done
	fi
done
exit "$found"
