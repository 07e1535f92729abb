#!/usr/bin/python3
"""Memory over time: does a long-lived mount stay small?

Soak: walks the whole demo tree (every name stat'ed, every .json read)
round after round, each past cache_timeout so every listing is fetched and
applied again, dropping the kernel's caches between rounds so that the
kernel forgets (FORGET) what it saw, and prints the daemon's RSS and node
count per round. Goal: RSS flat (within 10 %) once warm.

Large account: a simulator account with about --large messages per type for
the logged-in extension (26700: 100,000 messages), every message folder
listed, and the daemon's RSS and heap per listed message; then each
message's .json read once, a cold find of the whole extension (every name
stat'ed), and the same find again once the listings have expired, with the
RSS after each.

Relist: the message folders of a 10,000-message account listed again and
again past cache_timeout (what grew 40.7 -> 182.8 MB in 40 rounds before).

    /usr/bin/python3 tests/bench/bench_soak.py [--rounds R] [--scale N] [--large N]
        [--relist R [--relist-scale N]]

Needs root (drop_caches). Prints figures and ratios; asserts nothing.
"""
import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import simctl  # noqa: E402
from mountfix import Mount  # noqa: E402

CACHE_TIMEOUT = 2
LARGE_CACHE_TIMEOUT = 20  # longer than listing the large account's folders takes


def rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def nodes(m):
    return json.loads(os.getxattr(m.path, "user.ringfs.stats"))["nodes"]


def walk(root, read_json=True):
    """Every name stat'ed, every small .json read: what find, du and grep do."""
    count = 0
    for dirpath, dirnames, filenames in os.walk(root):
        for name in filenames:
            path = os.path.join(dirpath, name)
            try:
                os.lstat(path)
                if read_json and name.endswith(".json"):
                    with open(path, "rb") as f:
                        f.read()
            except OSError:
                pass
            count += 1
    return count


def drop_caches():
    with open("/proc/sys/vm/drop_caches", "w") as f:
        f.write("2\n")


def soak(rounds, scale):
    sim = simctl.Sim("--scale", str(scale))
    sim.config(limits={"Light": 100000, "Medium": 100000, "Heavy": 100000})
    try:
        with tempfile.TemporaryDirectory() as tmp:
            m = Mount(sim, Path(tmp), options=[f"cache_timeout={CACHE_TIMEOUT}",
                                               "request_timeout=5"]).start()
            try:
                rows = []
                for r in range(rounds):
                    start = time.perf_counter()
                    files = walk(m.path / "accounts" / "~" / "extensions")
                    took = time.perf_counter() - start
                    drop_caches()
                    time.sleep(CACHE_TIMEOUT + 0.5)
                    rows.append((r + 1, files, rss_kib(m.proc.pid), nodes(m), took))
                    print(f"round {r + 1}: {files} files, RSS {rows[-1][2] / 1024:.1f} MiB, "
                          f"{rows[-1][3]} nodes, walk {took:.1f} s", flush=True)
            finally:
                m.stop()
        warm = rows[1:] or rows
        lo, hi = min(x[2] for x in warm), max(x[2] for x in warm)
        print(f"soak: RSS from round 2 on {lo / 1024:.1f}-{hi / 1024:.1f} MiB, "
              f"spread {100 * (hi - lo) / lo:.1f} % (goal: within 10 %)")
        print(f"soak: last / second round RSS {warm[-1][2] / warm[0][2]:.2f}")
    finally:
        sim.stop()


def large(n):
    # --scale is messages per type per user extension
    sim = simctl.Sim("--scale", str(n), start_timeout=600)
    sim.config(limits={"Light": 100000, "Medium": 100000, "Heavy": 100000})
    try:
        with tempfile.TemporaryDirectory() as tmp:
            m = Mount(sim, Path(tmp), options=[f"cache_timeout={LARGE_CACHE_TIMEOUT}",
                                               "request_timeout=30"]).start()
            try:
                os.listdir(m.ext("messages"))
                before = rss_kib(m.proc.pid)
                ids = set()
                for folder in ("voicemail", "fax", "pager"):
                    ids |= {name.split(".")[0].rsplit("_", 1)[1]
                            for name in os.listdir(m.ext("messages", folder))
                            if "_" in name.split(".")[0]}  # not a <peer>.conversation.txt
                sms = m.ext("messages", "sms")
                for peer in os.listdir(sms):
                    ids |= {name.split(".")[0].rsplit("_", 1)[1] for name in os.listdir(sms / peer)
                            if name != "conversation.txt"}
                listed = max(len(ids), 1)
                after_list = rss_kib(m.proc.pid)
                stats = json.loads(os.getxattr(m.path, "user.ringfs.stats"))
                sidecars = 0
                for dirpath, _, names in os.walk(m.ext("messages")):
                    if "/deleted" in dirpath:
                        continue
                    for name in names:
                        if name.endswith(".json"):
                            with open(os.path.join(dirpath, name), "rb") as f:
                                f.read()
                            sidecars += 1
                after_read = rss_kib(m.proc.pid)
                ext = m.path / "accounts" / "~" / "extensions" / "~"
                drop_caches()
                found = walk(ext, read_json=False)
                after_find = rss_kib(m.proc.pid)
                find_heap = json.loads(os.getxattr(m.path, "user.ringfs.stats"))["heap_bytes"]
                time.sleep(LARGE_CACHE_TIMEOUT + 1)  # every listing expired
                drop_caches()
                walk(ext, read_json=False)
                after_expiry = rss_kib(m.proc.pid)
                expiry_heap = json.loads(os.getxattr(m.path, "user.ringfs.stats"))["heap_bytes"]
                expired_nodes = nodes(m)
            finally:
                m.stop()
        print(f"large: {listed} messages listed, daemon RSS {after_list / 1024:.1f} MiB "
              f"({(after_list - before) / listed:.2f} KiB per message; goal <= 100 MiB)")
        print(f"large: after reading every message's .json once ({sidecars} files): "
              f"{after_read / 1024:.1f} MiB")
        print(f"large: after a cold find of the extension ({found} files): "
              f"{after_find / 1024:.1f} MiB, heap in use {find_heap / 2**20:.1f} MiB")
        print(f"large: after the same find once the listings expired: "
              f"{after_expiry / 1024:.1f} MiB, heap in use {expiry_heap / 2**20:.1f} MiB, "
              f"{expired_nodes} nodes")
        print(f"large: heap in use after listing {stats['heap_bytes'] / 2**20:.1f} MiB "
              f"({stats['heap_bytes'] / listed:.0f} bytes per message), {stats['nodes']} nodes")
    finally:
        sim.stop()


def relist(rounds, n):
    """The message folders of a --scale n account (about 4n messages) listed again
    and again, each time past cache_timeout: RSS per round."""
    sim = simctl.Sim("--scale", str(n), start_timeout=600)
    sim.config(limits={"Light": 100000, "Medium": 100000, "Heavy": 100000})
    try:
        with tempfile.TemporaryDirectory() as tmp:
            m = Mount(sim, Path(tmp), options=[f"cache_timeout={CACHE_TIMEOUT}",
                                               "request_timeout=30", "sync_interval=0"]).start()
            try:
                rows = []
                for r in range(rounds):
                    listed = 0
                    for folder in ("voicemail", "fax", "pager", "sms"):
                        listed += len(os.listdir(m.ext("messages", folder)))
                    for peer in os.listdir(m.ext("messages", "sms")):
                        listed += len(os.listdir(m.ext("messages", "sms", peer)))
                    rows.append(rss_kib(m.proc.pid))
                    if r in (0, 1) or (r + 1) % 10 == 0:
                        print(f"relist {r + 1}: {listed} names, RSS {rows[-1] / 1024:.1f} MiB",
                              flush=True)
                    time.sleep(CACHE_TIMEOUT + 0.5)
            finally:
                m.stop()
        warm = rows[1:] or rows
        lo, hi = min(warm), max(warm)
        print(f"relist: RSS from round 2 on {lo / 1024:.1f}-{hi / 1024:.1f} MiB, "
              f"spread {100 * (hi - lo) / lo:.1f} %; last / second {warm[-1] / warm[0]:.2f}")
    finally:
        sim.stop()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=8)
    ap.add_argument("--scale", type=int, default=60)
    ap.add_argument("--large", type=int, default=0,
                    help="messages per type for the large-account run (26700: 100k messages)")
    ap.add_argument("--relist", type=int, default=0,
                    help="rounds of listing every message folder past cache_timeout")
    ap.add_argument("--relist-scale", type=int, default=2500,
                    help="messages per type for --relist (2500: 10,000 messages)")
    args = ap.parse_args()
    if args.rounds:  # --rounds 0: the large account alone
        soak(args.rounds, args.scale)
    if args.large:
        large(args.large)
    if args.relist:
        relist(args.relist, args.relist_scale)


if __name__ == "__main__":
    main()
