# SPDX-License-Identifier: MIT
# Usage-plan rate limits (sliding window, penalty "429 trap") and injected faults.

import collections
import re
import threading
import time

DEFAULT_LIMITS = {"Light": 50, "Medium": 40, "Heavy": 10, "Auth": 5}


class Limiter:
    def __init__(self, window, limits=None, clock=time.monotonic):
        self.clock = clock
        self.window = float(window)
        self.limits = dict(limits or DEFAULT_LIMITS)
        self.lock = threading.Lock()
        self.hits = collections.defaultdict(collections.deque)
        self.penalty = {}

    def check(self, key, group):
        """(allowed, headers). key identifies the user (token owner or client)."""
        limit = self.limits.get(group)
        if limit is None:
            return True, {}
        now = self.clock()
        k = (key, group)
        with self.lock:
            q = self.hits[k]
            while q and q[0] <= now - self.window:
                q.popleft()
            until = self.penalty.get(k)
            blocked = False
            if until is not None and now < until:
                blocked = True
            elif len(q) >= limit:
                blocked = True
            if blocked:
                # every request while penalised restarts the penalty
                self.penalty[k] = now + self.window
                remaining = 0
            else:
                self.penalty.pop(k, None)
                q.append(now)
                remaining = max(0, limit - len(q))
        win = "%d" % self.window if self.window == int(self.window) else "%g" % self.window
        headers = {"X-Rate-Limit-Group": group.lower(), "X-Rate-Limit-Limit": str(limit),
                   "X-Rate-Limit-Remaining": str(remaining), "X-Rate-Limit-Window": win}
        if blocked:
            headers["Retry-After"] = str(max(1, int(round(self.window))))
        return not blocked, headers

    def peek_headers(self, key, group):
        limit = self.limits.get(group)
        if limit is None:
            return {}
        with self.lock:
            used = len(self.hits.get((key, group), ()))
        win = "%d" % self.window if self.window == int(self.window) else "%g" % self.window
        return {"X-Rate-Limit-Group": group.lower(), "X-Rate-Limit-Limit": str(limit),
                "X-Rate-Limit-Remaining": str(max(0, limit - used)), "X-Rate-Limit-Window": win}


def _hex_list(value):
    """bytes of a hex string, or of each in a list."""
    if value is None:
        return []
    return [bytes.fromhex(v) for v in (value if isinstance(value, list) else [value])]


class Faults:
    KINDS = ("status", "429", "reset", "slow", "truncate", "drop_after_request", "slow_reply",
             "trickle", "freeze", "html", "mangle", "endless")
    # `delay` when the spec has none: a freeze lasts until the client or a reset ends it
    DEFAULT_DELAY = {"freeze": 600.0}

    def __init__(self):
        self.lock = threading.Lock()
        self.items = []

    def add(self, spec):
        kind = str(spec.get("kind"))
        if kind not in self.KINDS:
            raise ValueError("kind must be one of %s" % ", ".join(self.KINDS))
        f = {"kind": kind, "path": re.compile(spec.get("path") or ""),
             "method": (spec.get("method") or "").upper() or None,
             "count": int(spec.get("count", 1)), "status": int(spec.get("status", 500)),
             "retry_after": spec.get("retry_after"),
             "delay": float(spec.get("delay", self.DEFAULT_DELAY.get(kind, 1.0))),
             "rate": float(spec.get("rate", 2)), "host": spec.get("host"),
             # mangle: bytes.fromhex of each, so that a test can put any bytes in an answer
             "pairs": list(zip(_hex_list(spec.get("find_hex")),
                               _hex_list(spec.get("replace_hex"))))}
        if kind == "mangle" and not all(find for find, _ in f["pairs"]) or \
                kind == "mangle" and not f["pairs"]:
            raise ValueError("mangle needs find_hex (and replace_hex), one or a list of each")
        if not f["delay"] >= 0:
            raise ValueError("delay must be >= 0")
        if not f["rate"] > 0:
            raise ValueError("rate must be > 0 (bytes per second)")
        with self.lock:
            self.items.append(f)

    def take(self, method, path, host):
        with self.lock:
            for f in self.items:
                if f["count"] <= 0:
                    continue
                if f["method"] and f["method"] != method:
                    continue
                if f["host"] and f["host"] != host:
                    continue
                if not f["path"].search(path):
                    continue
                f["count"] -= 1
                return f
        return None

    def clear(self):
        with self.lock:
            self.items = []
