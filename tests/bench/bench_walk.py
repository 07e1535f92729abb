#!/usr/bin/python3
"""What a whole-tree walk costs: requests, by rate-limit group and by kind, and time.

Mounts the demo account (the simulator at --scale messages per type and user
extension, rate limits lifted so that the walk is not paced), then walks the
mount as `find -ls` does (every directory listed, every name lstat'ed) and,
with --read, as `grep -r` does (every .json also read). Prints:
- the requests the walk cost, per group (Light, Medium, Heavy) and per kind:
  collection pages (listings) and single documents, and how many were the same
  request asked again;
- the walk's time with the limits lifted, and the least time the default
  limits (Light 50, Medium 40, Heavy 10 a minute) would allow for that many
  requests: a walk of a real account is paced to at least that;
- a second walk within cache_timeout: its requests (goal: none).

    /usr/bin/python3 tests/bench/bench_walk.py [--scale N] [--read]

Asserts nothing.
"""
import argparse
import collections
import math
import os
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import simctl  # noqa: E402
from mountfix import Mount  # noqa: E402

LIMITS = {"Light": 50, "Medium": 40, "Heavy": 10}  # requests per 60 s (API-NOTES.md)


def walk(root, read):
    files = 0
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in filenames + dirnames:
            path = os.path.join(dirpath, name)
            try:
                os.lstat(path)
                if read and name.endswith(".json"):
                    with open(path, "rb") as f:
                        f.read()
            except OSError:
                pass
            files += 1
    return files


def costs(entries):
    groups = collections.Counter(e.get("group") or "none" for e in entries)
    pages = sum(1 for e in entries if "page=" in (e.get("query") or "") or
                e.get("operation", "").startswith("list"))
    seen = collections.Counter((e["method"], e["path"], e.get("query")) for e in entries)
    again = sum(n - 1 for n in seen.values())
    paced = max((math.ceil(groups.get(g, 0) / n) - 1) * 60 if groups.get(g) else 0
                for g, n in LIMITS.items())
    return groups, pages, again, max(paced, 0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, default=20)
    ap.add_argument("--read", action="store_true", help="also read every .json (grep -r)")
    args = ap.parse_args()

    sim = simctl.Sim("--scale", str(args.scale), start_timeout=600)
    sim.config(limits={"Light": 100000, "Medium": 100000, "Heavy": 100000})
    try:
        with tempfile.TemporaryDirectory() as tmp:
            m = Mount(sim, Path(tmp), options=["cache_timeout=3600"]).start()
            try:
                before = len(sim.requests())
                start = time.perf_counter()
                files = walk(m.path, args.read)
                took = time.perf_counter() - start
                log = sim.requests()
                first = [e for e in log[before:] if e.get("operation")]
                mid = len(log)
                walk(m.path, args.read)
                second = [e for e in sim.requests()[mid:] if e.get("operation")]
            finally:
                m.stop()
        groups, pages, again, paced = costs(first)
        print(f"walk of the demo account (scale {args.scale}): {files} names, "
              f"{len(first)} requests in {took:.1f} s with the limits lifted")
        print("  per group: " + ", ".join(f"{g} {n}" for g, n in sorted(groups.items())))
        print(f"  collection pages {pages}, single documents and items {len(first) - pages}, "
              f"asked again {again}")
        repeated = collections.Counter((e["operation"], e["path"], e.get("query")) for e in first)
        for (op, path, query), n in sorted(repeated.items(), key=str):
            if n > 1:
                print(f"  asked {n} times: {op} {path}?{query or ''}")
        print(f"  least time the default rate limits allow for these requests: {paced} s")
        print(f"second walk within cache_timeout: {len(second)} requests (goal: 0)")
    finally:
        sim.stop()


if __name__ == "__main__":
    main()
