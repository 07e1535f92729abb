#!/usr/bin/python3
"""The simulator's own cost per request, to read beside ringfs's figures.

Starts a simulator (rate limits lifted) and times, over one keep-alive
http.client connection and then over a fresh connection per request:
(a) small GETs of the extension record, (b) a whole message-store listing
paged with perPage=100 and perPage=1000 (dateFrom=2000-01-01), following
navigation.nextPage, each started after a change to the store (a read status
set and set back), so its first page is a cold one. Prints ms per request and
per page, and fresh/keep-alive ratios. A figure of ringfs close to these is the
simulator's, not ringfs's.

    /usr/bin/python3 tests/bench/bench_sim.py [--scale N] [--requests N] [--rounds R]
                                              [--server PATH/TO/server.py]

Asserts nothing.
"""
import argparse
import http.client
import json
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import simctl  # noqa: E402

EXT = "/restapi/v1.0/account/~/extension/~"
LISTING = EXT + "/message-store?dateFrom=2000-01-01T00:00:00.000Z&perPage=%d"
UNLIMITED = {"Light": 10 ** 9, "Medium": 10 ** 9, "Heavy": 10 ** 9, "Auth": 10 ** 9}


class Client:
    """GETs over one keep-alive connection, or a new connection for each (fresh)."""

    def __init__(self, url, token, fresh):
        u = urllib.parse.urlsplit(url)
        self.host, self.port = u.hostname, u.port
        self.headers = {"Authorization": "Bearer " + token, "User-Agent": "bench_sim/1.0",
                        "Accept": "application/json"}
        self.fresh = fresh
        self.conn = None

    def get(self, path):
        """(seconds, status, body) of one GET; the connection set-up counts."""
        t0 = time.perf_counter()
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
        self.conn.request("GET", path, headers=self.headers)
        r = self.conn.getresponse()
        body = r.read()
        if self.fresh or r.will_close:
            self.conn.close()
            self.conn = None
        return time.perf_counter() - t0, r.status, body

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def small_gets(client, n):
    times = []
    for _ in range(n):
        t, st, _ = client.get(EXT)
        if st != 200:
            raise RuntimeError("GET %s: %d" % (EXT, st))
        times.append(t)
    return times


def touch(client, uri):
    """Change the store (a read status there and back): the next listing starts cold."""
    u = urllib.parse.urlsplit(uri)
    for rs in ("Unread", "Read"):
        client.conn = client.conn or http.client.HTTPConnection(client.host, client.port, timeout=60)
        client.conn.request("PUT", u.path, body=json.dumps({"readStatus": rs}),
                            headers=dict(client.headers, **{"Content-Type": "application/json"}))
        r = client.conn.getresponse()
        r.read()
        if r.status != 200:
            raise RuntimeError("PUT %s: %d" % (u.path, r.status))


def listing(client, per):
    """[seconds per page], records listed."""
    path, times, n = LISTING % per, [], 0
    while path:
        t, st, body = client.get(path)
        if st != 200:
            raise RuntimeError("GET %s: %d %s" % (path, st, body[:200]))
        times.append(t)
        page = json.loads(body)
        n += len(page["records"])
        nxt = page["navigation"].get("nextPage", {}).get("uri")
        path = None
        if nxt:
            u = urllib.parse.urlsplit(nxt)
            path = u.path + "?" + u.query
    return times, n


def ms(x):
    return "%.2f ms" % (x * 1000)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--scale", type=int, default=2000)
    ap.add_argument("--requests", type=int, default=200, help="small GETs per round")
    ap.add_argument("--rounds", type=int, default=3, help="medians are over rounds")
    ap.add_argument("--server", default=None, help="another server.py (e.g. an older copy)")
    args = ap.parse_args()
    if args.server:
        simctl.SERVER = args.server

    t0 = time.perf_counter()
    sim = simctl.Sim("--scale", str(args.scale), start_timeout=120)
    try:
        sim.config(limits=UNLIMITED)
        token = sim.token()
        started = time.perf_counter() - t0
        # the first listing makes the extension's messages (lazily): not a per-request cost
        warm = Client(sim.url, token, fresh=False)
        t_gen, _, body = warm.get(LISTING % 1)
        warm.close()
        newest = json.loads(body)["records"][0]["uri"]
        print("simulator: %s, --scale %d, started in %.2f s, messages made in %s"
              % (args.server or simctl.SERVER, args.scale, started, ms(t_gen)))

        res = {}
        for fresh in (False, True):
            gets, pages = [], {100: [], 1000: []}
            firsts, rests, n = {100: [], 1000: []}, {100: [], 1000: []}, 0
            for _ in range(args.rounds):
                c = Client(sim.url, token, fresh)
                g = small_gets(c, args.requests)
                gets.append(statistics.mean(g))
                for per in (100, 1000):
                    touch(c, newest)
                    times, n = listing(c, per)
                    pages[per].append(statistics.mean(times))
                    firsts[per].append(times[0])
                    rests[per].append(statistics.mean(times[1:]) if len(times) > 1 else times[0])
                    res.setdefault(("npages", per), len(times))
                c.close()
            res[fresh] = {"get": statistics.median(gets), "n": n}
            for per in (100, 1000):
                res[fresh][per] = (statistics.median(pages[per]), statistics.median(firsts[per]),
                                   statistics.median(rests[per]))

        ka, fr = res[False], res[True]
        print("small GET %s (%d per round, median of %d rounds):" % (EXT, args.requests, args.rounds))
        print("  keep-alive %s per request; fresh connection %s; fresh/keep-alive %.2f"
              % (ms(ka["get"]), ms(fr["get"]), fr["get"] / ka["get"]))
        for per in (100, 1000):
            k, f = ka[per], fr[per]
            print("message-store listing, %d messages, perPage=%d (%d pages):"
                  % (ka["n"], per, res[("npages", per)]))
            print("  keep-alive %s per page (first, after a store change, %s; later %s), %s per 1000 records"
                  % (ms(k[0]), ms(k[1]), ms(k[2]), ms(k[0] * res[("npages", per)] * 1000 / max(ka["n"], 1))))
            print("  fresh connection %s per page (first %s, later %s); fresh/keep-alive %.2f"
                  % (ms(f[0]), ms(f[1]), ms(f[2]), f[0] / k[0]))
            print("  later page / small GET (keep-alive) %.1f" % (k[2] / ka["get"]))
    finally:
        sim.stop()


if __name__ == "__main__":
    main()
