#!/usr/bin/python3
"""Listing speed and memory of ringfs against a baseline measured in the same run.

Baseline: fetching and parsing the same message-store listing straight from the
simulator with urllib (the least any client must do). Measured: `ls -l` of the
voicemail folder through the mount, cold (first listing) and warm (cached),
and the daemon's resident memory per listed message. Then the real `ls -l`
warm, through accounts/~/extensions/~/ and through the real path, against the
same names and sizes on tmpfs (goal <= 1.5x). --scale 10750 lists about 10,000
voicemails (25k names); --scale 107500 about 100,000.

    /usr/bin/python3 tests/bench/bench_listing.py [--scale N] [--rounds R]

Prints ratios; nothing here asserts a time.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import simctl  # noqa: E402
from mountfix import Mount  # noqa: E402

LISTING = ("/restapi/v1.0/account/~/extension/~/message-store?messageType=VoiceMail"
           "&dateFrom=2000-01-01T00:00:00.000Z&perPage=1000")


def baseline(sim):
    start = time.perf_counter()
    url, n = LISTING, 0
    while url:
        status, _, body = sim.get(url)
        page = json.loads(body)
        n += len(page["records"])
        url = page.get("navigation", {}).get("nextPage", {}).get("uri")
    return time.perf_counter() - start, n


def ls_l(path):
    start = time.perf_counter()
    names = os.listdir(path)
    for name in names:
        os.lstat(os.path.join(path, name))
    return time.perf_counter() - start, len(names)


def ls_command(path):
    """Seconds `ls -l` takes for `path` (its output thrown away): the real tool,
    with its READLINK, GETXATTR and stat calls."""
    start = time.perf_counter()
    subprocess.run(["ls", "-l", str(path)], stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def tmpfs_replica(path, into):
    """The names and sizes of `path`'s entries as sparse files (links as links) in `into`."""
    for entry in os.scandir(path):
        target = os.path.join(into, entry.name)
        if entry.is_symlink():
            os.symlink(os.readlink(entry.path), target)
        elif entry.is_dir(follow_symlinks=False):
            os.mkdir(target)
        else:
            with open(target, "wb") as f:
                f.truncate(entry.stat(follow_symlinks=False).st_size)


def rss_kib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    sim = simctl.Sim("--scale", str(args.scale), start_timeout=600)
    try:
        base_times, cold, warm, rss = [], [], [], []
        warm_tilde, warm_real, warm_tmpfs = [], [], []
        n = 0
        for r in range(args.rounds):
            sim.reset()
            # the rate limits would pace the baseline and ringfs alike: lift them
            sim.config(limits={"Light": 100000, "Medium": 100000, "Heavy": 100000})
            t, n = baseline(sim)
            base_times.append(t)
            with tempfile.TemporaryDirectory() as tmp:
                m = Mount(sim, Path(tmp)).start()
                try:
                    vm = m.ext("messages", "voicemail")
                    os.listdir(m.ext("messages"))
                    before = rss_kib(m.proc.pid)
                    t, entries = ls_l(vm)
                    cold.append(t)
                    t, _ = ls_l(vm)
                    warm.append(t)
                    rss.append(rss_kib(m.proc.pid) - before)
                    # warm `ls -l` through the ~ links, through the real path,
                    # and of the same names and sizes on tmpfs
                    real = os.path.realpath(vm)
                    ls_command(vm)
                    ls_command(real)
                    warm_tilde.append(ls_command(vm))
                    warm_real.append(ls_command(real))
                    with tempfile.TemporaryDirectory(dir="/dev/shm") as shm:
                        tmpfs_replica(real, shm)
                        ls_command(shm)
                        warm_tmpfs.append(ls_command(shm))
                finally:
                    m.stop()
        b = statistics.median(base_times)
        print(f"voicemails listed: {n} ({entries} names)")
        print(f"baseline (urllib GET+parse): {b * 1000:.1f} ms")
        print(f"ls -l cold / baseline: {statistics.median(cold) / b:.2f}")
        print(f"ls -l warm / baseline: {statistics.median(warm) / b:.2f}")
        med = statistics.median
        print(f"warm `ls -l` / the same names on tmpfs: {med(warm_tilde) / med(warm_tmpfs):.2f} "
              f"through the ~ links, {med(warm_real) / med(warm_tmpfs):.2f} through the real "
              f"path (goal <= 1.5; tmpfs {med(warm_tmpfs) * 1000:.1f} ms)")
        print(f"daemon memory per message: {statistics.median(rss) * 1024 / max(n, 1):.0f} bytes")
    finally:
        sim.stop()


if __name__ == "__main__":
    main()
