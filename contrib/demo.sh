#!/usr/bin/env bash
# Mounts the demo account: builds ringfs, starts the RingCentral API simulator
# with its demo data, and mounts it at ./ringcentral.
#   contrib/demo.sh          set up and mount
#   contrib/demo.sh stop     unmount and stop the simulator
set -euo pipefail
cd "$(dirname "$0")/.."
top=$PWD
state=$top/.demo
mnt=${RINGFS_DEMO_MOUNT:-$top/ringcentral}

stop() {
	if mountpoint -q "$mnt" 2>/dev/null; then fusermount3 -u "$mnt" || fusermount3 -u -z "$mnt"; fi
	if [ -f "$state/sim.pid" ]; then kill "$(cat "$state/sim.pid")" 2>/dev/null || true; rm -f "$state/sim.pid"; fi
	echo "demo stopped"
}
if [ "${1:-}" = "stop" ]; then stop; exit 0; fi

contrib/install-deps.sh
[ -d build ] || meson setup build >/dev/null
meson compile -C build >/dev/null

mkdir -p "$state" "$mnt"
if mountpoint -q "$mnt" 2>/dev/null || [ -f "$state/sim.pid" ]; then stop >/dev/null; fi
setsid /usr/bin/python3 tests/sim/server.py --port 0 >"$state/sim.out" 2>"$state/sim.log" </dev/null &
echo $! >"$state/sim.pid"
for _ in $(seq 100); do
	url=$(head -n 1 "$state/sim.out" 2>/dev/null || true)
	[ -n "$url" ] && break
	sleep 0.1
done
if [ -z "${url:-}" ]; then echo "ringfs demo: the simulator did not start:" >&2; cat "$state/sim.log" >&2; exit 1; fi

set -a
# shellcheck disable=SC1091
. tests/sim/demo.env
RC_SERVER_URL=$url
set +a
XDG_CACHE_HOME=$state/cache XDG_STATE_HOME=$state/state build/src/ringfs "$mnt"

cat <<MSG
The demo account is mounted at $mnt (simulator at $url).
Try:
  ls -l $mnt/accounts/~/extensions/~/messages/voicemail/
  file $mnt/accounts/~/extensions/~/messages/voicemail/*.wav | head -3
  ls $mnt/accounts/~/extensions/~/messages/sms/
  cat $mnt/accounts/~/extensions/~/messages/sms/*/*.txt | head
  jq .presenceStatus $mnt/accounts/~/extensions/~/presence.json
  ls $mnt/accounts/~/call-log/ | tail -3
Unmount and stop the simulator:
  contrib/demo.sh stop      (or: fusermount3 -u $mnt)
MSG
