#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# RingCentral REST API simulator for ringfs tests and demos: an API host and a
# media host on 127.0.0.1, OAuth, usage-plan rate limits, fault injection and a
# request log under /_sim/. Python standard library only. See README.md.

import argparse
import http.server
import json
import os
import select
import signal
import socket
import struct
import sys
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import api          # noqa: E402
import auth         # noqa: E402
import context      # noqa: E402
import data         # noqa: E402
import limits       # noqa: E402
import multipart    # noqa: E402
from util import JSON_TYPE, ApiError, Query, jackson, parse_iso   # noqa: E402

CHUNK = 64 * 1024
TRICKLE_CAP = 600.0     # seconds a trickle fault may take at most


def endless_page(page, asked):
    """The `endless` fault: a listing page whose nextPage always leads on, to a fresh URL
    (the page after the one @asked for), whatever the records."""
    split = urllib.parse.urlsplit(page["uri"])
    query = dict(urllib.parse.parse_qsl(split.query))
    query["page"] = str(int(dict(urllib.parse.parse_qsl(
        urllib.parse.urlsplit(asked).query)).get("page", "1")) + 1)
    nxt = urllib.parse.urlunsplit(split._replace(query=urllib.parse.urlencode(query)))
    return dict(page, navigation=dict(page["navigation"], nextPage={"uri": nxt}))


class Sim:
    """Live state shared by both hosts."""

    def __init__(self, args):
        self.args = args
        self.demo = auth.load_demo_env()
        self.anchor = parse_iso(args.now) if args.now else int(time.time() * 1000)
        self.mono0 = time.monotonic()
        self.offset = 0.0                     # seconds added by POST /_sim/clock
        self.lock = threading.Lock()
        self.api_url = self.media_url = None
        owner = data.EXTENSIONS[0][1]
        users = auth.load_users(self.demo, owner, {row[0]: row[1] for row in data.EXTENSIONS})
        self.auth = auth.Auth(self.demo, owner, self.clock, users)
        self.faults = limits.Faults()
        self.request_id = 0
        self.reset()

    def reset(self):
        with self.lock:
            self.store = data.Store(self.args.seed, self.args.scale, self.anchor)
            self.store.new_call_handling = self.args.new_call_handling   # commhandling.py
            self.log = []
            # requests still in flight from before a reset (a slow fault's sleeper)
            # must not land in the new log
            self.generation = getattr(self, "generation", 0) + 1
            self.token_ttl = self.args.token_ttl        # None: honour access_token_ttl
            self.refresh_ttl = self.args.refresh_ttl    # None: honour refresh_token_ttl
            self.sync_token_ttl = None                  # seconds a message-sync token lives
            self.limiter = limits.Limiter(self.args.rate_window, clock=self.clock)
            self.offset = 0.0
            self.directory_entries = True   # False: a server before API 1.0.37
            self.team_messaging = True      # False: no /team-messaging/v1 (only /glip)
            self.caller_blocking_numbers = True  # False: no caller-blocking/phone-numbers
            self.rcvideo = True             # False: no RingCentral Video (/rcvideo)
            self.retired = ()               # old calls gone from the service (api.RETIRABLE)
            self.link_rate = None           # bytes/s of each media answer: a WAN link
        self.faults.clear()

    def configure(self, cfg):
        with self.lock:
            if "token_ttl" in cfg:
                self.token_ttl = float(cfg["token_ttl"])
            if "sync_token_ttl" in cfg:
                self.sync_token_ttl = float(cfg["sync_token_ttl"])
            if "refresh_ttl" in cfg:
                self.refresh_ttl = float(cfg["refresh_ttl"])
            if "new_call_handling" in cfg:
                if not isinstance(cfg["new_call_handling"], bool):
                    raise ValueError("new_call_handling is true or false")
                self.store.new_call_handling = cfg["new_call_handling"]
            if "rate_window" in cfg:
                self.limiter.window = float(cfg["rate_window"])
            if "directory_entries" in cfg:
                if not isinstance(cfg["directory_entries"], bool):
                    raise ValueError("directory_entries is true or false")
                self.directory_entries = cfg["directory_entries"]
            for flag in ("team_messaging", "caller_blocking_numbers", "rcvideo"):
                if flag in cfg:
                    if not isinstance(cfg[flag], bool):
                        raise ValueError("%s is true or false" % flag)
                    setattr(self, flag, cfg[flag])
            if "retired" in cfg:
                names = cfg["retired"]
                if not isinstance(names, list) or not all(
                        isinstance(n, str) and n in api.RETIRABLE for n in names):
                    raise ValueError("retired is a list of: %s" % ", ".join(api.RETIRABLE))
                self.retired = tuple(names)
            if "link_rate" in cfg:
                rate = cfg["link_rate"]
                if rate is not None and (not isinstance(rate, (int, float)) or rate <= 0):
                    raise ValueError("link_rate is bytes a second (> 0), or null")
                self.link_rate = rate
            for g, n in (cfg.get("limits") or {}).items():
                if g not in limits.DEFAULT_LIMITS:
                    raise ValueError("unknown group %s" % g)
                self.limiter.limits[g] = int(n)

    def clock(self):
        """Seconds on the simulator's monotonic clock (real time plus /_sim/clock advances)."""
        return time.monotonic() + self.offset

    def now_ms(self):
        return self.anchor + int((self.clock() - self.mono0) * 1000)

    def inject_message(self, spec):
        """POST /_sim/message: a new message arrives now; returns its id and uri."""
        ref = str(spec.get("extension", data.DEMO_EXT))
        ext = self.store.by_number.get(ref) or self.store.by_id.get(int(ref) if ref.isdigit() else -1)
        if ext is None or ext.type != "User":
            raise ValueError("no user extension %s" % ref)
        m = self.store.add_message(ext, spec, self.now_ms())
        return {"id": m.id, "uri": "%s/restapi/v1.0/account/%d/extension/%d/message-store/%d"
                % (self.api_url, data.ACCOUNT_ID, ext.id, m.id)}

    def inject_call(self, spec):
        """POST /_sim/call: a call happens now (missed by default); returns its id."""
        ref = str(spec.get("extension", data.DEMO_EXT))
        ext = self.store.by_number.get(ref) or self.store.by_id.get(int(ref) if ref.isdigit() else -1)
        if ext is None or ext.type != "User":
            raise ValueError("no user extension %s" % ref)
        c = self.store.add_call(ext, spec, self.now_ms())
        return {"id": c.id, "uri": "%s/restapi/v1.0/account/%d/extension/%d/call-log/%s"
                % (self.api_url, data.ACCOUNT_ID, ext.id, c.id)}

    def record(self, entry):
        # idempotent: send() records an entry before the answer leaves, so that a
        # client that got its answer always finds its request in the log
        with self.lock:
            if "seq" in entry or entry.get("_generation", self.generation) != self.generation:
                return
            entry.pop("_generation", None)
            entry["seq"] = len(self.log) + 1
            self.log.append(entry)

    def next_request_id(self):
        with self.lock:
            self.request_id += 1
            return "%08x-sim0-4000-8000-%012d" % (self.request_id, self.request_id)


def parse_range(header, length):
    """(start, end) inclusive, "unsatisfiable", or None to send it all."""
    if not header or not header.startswith("bytes=") or "," in header:
        return None
    spec = header[6:].strip()
    a, sep, b = spec.partition("-")
    if not sep:
        return None
    try:
        if a == "":
            n = int(b)
            if n <= 0:
                return "unsatisfiable"
            return max(0, length - n), length - 1
        start = int(a)
        end = int(b) if b else length - 1
    except ValueError:
        return None
    if start >= length:
        return "unsatisfiable"
    if end < start:
        return None
    return start, min(end, length - 1)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "RingCentral-Simulator/1.0"

    def version_string(self):
        return self.server_version
    timeout = 300
    host = "api"

    def setup(self):
        super().setup()
        # no Nagle: a reply's last small segment must not wait for the client's
        # delayed ACK (~40 ms on every reused connection)
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def end_headers_with(self, payload):
        """end_headers() and the first bytes of the body in one write."""
        if self.request_version != "HTTP/0.9":
            self._headers_buffer.append(b"\r\n")
            self._headers_buffer.append(payload)
            self.flush_headers()
        elif payload:
            self.wfile.write(payload)

    def log_message(self, fmt, *args):
        if self.server.sim.args.verbose:
            sys.stderr.write("%s %s\n" % (self.host, fmt % args))

    def do_GET(self):
        self.serve("GET")

    def do_POST(self):
        self.serve("POST")

    def do_PUT(self):
        self.serve("PUT")

    def do_DELETE(self):
        self.serve("DELETE")

    def do_PATCH(self):
        self.serve("PATCH")

    def do_HEAD(self):
        self.serve("HEAD")

    # ---- plumbing ---------------------------------------------------------------------

    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            out = bytearray()
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():
                        pass
                    return bytes(out)
                out += self.rfile.read(size)
                self.rfile.readline()
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n > 0 else b""

    def send(self, status, headers, body=b"", blob=None, truncate=False, head=False):
        """Write a whole response; body bytes or a Blob (with Range)."""
        first = last = None
        if blob is not None and status == 200:
            rng = parse_range(self.headers.get("Range"), blob.length)
            if rng == "unsatisfiable":
                err = ApiError(416, "CMN-107", "Requested Range Not Satisfiable")
                headers = {k: v for k, v in headers.items()
                           if k not in ("Content-Type", "Content-Disposition")}
                headers["Content-Range"] = "bytes */%d" % blob.length
                return self.send(416, dict(headers, **{"Content-Type": JSON_TYPE}), jackson(err.body()),
                                 truncate=truncate, head=head)
            if rng:
                first, last = rng
                status = 206
                headers["Content-Range"] = "bytes %d-%d/%d" % (first, last, blob.length)
            else:
                first, last = 0, blob.length - 1
            headers["Accept-Ranges"] = "bytes"
            length = last - first + 1
        else:
            mangle, self.mangle = getattr(self, "mangle", None), None
            for find, replace in mangle or ():  # what a broken server or proxy might send
                body = body.replace(find, replace)
            length = len(body)
        entry = getattr(self, "entry", None)
        if getattr(self, "drop", False):
            # drop_after_request: the request was processed; the client never hears
            self.drop = False
            if entry is not None:
                entry["status"] = None
                entry["dropped_status"] = status
                self.server.sim.record(entry)
                self.entry = None
            self.close_connection = True
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            return None
        if entry is not None:
            entry["status"] = status
            self.server.sim.record(entry)
            self.entry = None
        delay, self.reply_delay = getattr(self, "reply_delay", None), None
        if delay is not None and self.linger(delay) != "done":
            # slow_reply: the client hung up (or a reset came) before the answer was due
            self.close_connection = True
            return status
        rate, self.trickle_rate = getattr(self, "trickle_rate", None), None
        if rate is None and blob is not None:
            rate = self.server.sim.link_rate  # each media answer as over its own link
        try:
            self.send_response(status)
            headers.setdefault("RCRequestId", self.server.sim.next_request_id())
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(length))
            if head:
                self.end_headers()
                return status
            limit = length // 2 if truncate else length
            if blob is None and rate is None:
                # headers and body in one write (one segment for a small reply)
                self.end_headers_with(body[:limit])
            else:
                self.end_headers()
                pieces = [body[:limit]] if blob is None else _blob_pieces(blob, first, first + limit)
                if rate is not None:
                    if not self.trickle(pieces, rate):
                        self.close_connection = True
                        return status
                else:
                    for piece in pieces:
                        self.wfile.write(piece)
        except OSError:
            # the client hung up (or stopped reading) mid-answer: nothing to tell anyone
            self.close_connection = True
            return status
        if truncate:
            self.wfile.flush()
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        return status

    def peer_closed(self, timeout):
        """Wait up to `timeout` for the client to hang up; True when it has."""
        try:
            r, _, _ = select.select([self.connection], [], [], timeout)
            if not r:
                return False
            data = self.connection.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT)
        except BlockingIOError:
            return False
        except (OSError, ValueError):
            return True
        if data:
            # the client sent more (a pipelined request): still there, so just wait
            time.sleep(timeout)
            return False
        return True

    def linger(self, seconds):
        """Hold the connection for `seconds`: "done", or earlier "closed" (the client
        hung up) or "reset" (/_sim/reset ran; the request belongs to the old state)."""
        sim = self.server.sim
        end = time.monotonic() + seconds
        while True:
            if sim.generation != self.gen:
                return "reset"
            left = end - time.monotonic()
            if left <= 0:
                return "done"
            if self.peer_closed(min(left, 0.1)):
                return "closed"

    def trickle(self, pieces, rate):
        """Write the body at `rate` bytes per second, flushing each chunk; False when it
        ended early (the client hung up, a reset, TRICKLE_CAP passed)."""
        step = max(1, int(rate / 10))          # about ten writes a second, at least a byte
        t0 = time.monotonic()
        cap = t0 + TRICKLE_CAP
        sent = 0
        for piece in pieces:
            for i in range(0, len(piece), step):
                due = t0 + sent / rate
                if due >= cap:
                    return False
                wait = due - time.monotonic()
                if wait > 0 and self.linger(wait) != "done":
                    return False
                # a client that stops reading must not pin the thread past the cap
                while not select.select([], [self.connection], [], 0.1)[1]:
                    if (time.monotonic() >= cap or self.server.sim.generation != self.gen
                            or self.peer_closed(0)):
                        return False
                if self.server.sim.generation != self.gen:
                    return False
                chunk = piece[i:i + step]
                self.wfile.write(chunk)
                self.wfile.flush()
                sent += len(chunk)
        return True

    def send_json(self, status, obj, headers=None, **kw):
        if getattr(self, "endless", False) and isinstance(obj, dict) and "navigation" in obj:
            obj = endless_page(obj, self.path)
        h = {"Content-Type": JSON_TYPE, "Content-Language": "en-US"}
        h.update(headers or {})
        return self.send(status, h, jackson(obj), **kw)

    # ---- dispatch -----------------------------------------------------------------------

    def serve(self, method):
        sim = self.server.sim
        self.gen = sim.generation             # a reset ends lingering faults of this request
        self.reply_delay = self.trickle_rate = self.mangle = None
        self.endless = False
        split = urllib.parse.urlsplit(self.path)
        path, raw_query = split.path, split.query
        try:
            body = self.read_body()
        except (ValueError, OSError):
            self.close_connection = True
            return
        if self.host == "api" and path.startswith("/_sim/"):
            return self.control(method, path, body)
        route, params = api.resolve(method, urllib.parse.unquote(path), self.host)
        retired = api.retired(urllib.parse.unquote(path), sim.retired)
        entry = {"host": self.host, "method": method, "path": path, "query": raw_query,
                 "status": None, "operation": route.operation if route else None,
                 "group": route.group if route else None,
                 "user_agent": self.headers.get("User-Agent")}
        if retired:
            entry["retired"] = True     # answered as unknown: no rate group counts it
            entry["group"] = None
        if body or method in ("POST", "PUT", "PATCH"):
            entry["body"] = multipart.summary(self.headers.get("Content-Type"), body)
        entry["_generation"] = sim.generation
        self.entry = entry
        self.drop = False
        fault = sim.faults.take(method, path, self.host)
        truncate = False
        head = method == "HEAD"
        if fault:
            entry["fault"] = fault["kind"]
            kind = fault["kind"]
            if kind == "reset":
                sim.record(entry)
                self.close_connection = True
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           struct.pack("ii", 1, 0))
                return
            if kind == "status":
                st = fault["status"]
                extra = {}
                if fault.get("retry_after") is not None:
                    extra["Retry-After"] = str(fault["retry_after"])
                err = _status_error(st)
                entry["status"] = self.send_json(st, err.body(), extra, head=head)
                sim.record(entry)
                return
            if kind == "html":
                # a captive portal or a broken proxy: 200, and a page instead of the content
                page = b"<!DOCTYPE html><html><body><h1>Please sign in</h1></body></html>\n"
                entry["status"] = self.send(200, {"Content-Type": "text/html; charset=utf-8"},
                                            page, head=head)
                sim.record(entry)
                return
            if kind == "429":
                extra = {}
                if route and route.group in sim.limiter.limits:
                    extra = sim.limiter.peek_headers(sim.auth.owner_id, route.group)
                    extra["X-Rate-Limit-Remaining"] = "0"
                ra = fault.get("retry_after")
                extra["Retry-After"] = str(ra if ra is not None else int(sim.limiter.window))
                err = ApiError(429, "CMN-301", "Request rate exceeded")
                entry["status"] = self.send_json(429, err.body(), extra, head=head)
                sim.record(entry)
                return
            if kind == "freeze":
                # read but never processed or answered: the connection stays open and
                # silent until the client hangs up, a reset or `delay`, then closes
                sim.record(entry)
                self.entry = None
                self.close_connection = True
                self.linger(fault["delay"])
                return
            if kind == "drop_after_request":
                self.drop = True
            if kind == "slow_reply":
                self.reply_delay = fault["delay"]
            if kind == "trickle":
                self.trickle_rate = fault["rate"]
            if kind == "mangle":
                self.mangle = fault["pairs"]
            if kind == "endless":
                self.endless = True
            if kind == "slow":
                time.sleep(fault["delay"])
            if kind == "truncate":
                truncate = True
        rate_headers = {}
        try:
            if route is None or retired:
                # a retired call is a path the service no longer knows, whatever the method
                if params and not retired:
                    raise ApiError(405, "CMN-120", "Method [%s] is not allowed for this resource"
                                   % method, headers={"Allow": ", ".join(sorted(params))})
                raise ApiError(404, "CMN-120", "Invalid URI")
            if route.operation in ("getToken", "revokeToken"):
                entry["status"] = self.oauth(route, body, truncate)
                sim.record(entry)
                return
            session = None
            if route.auth:
                qt = Query(raw_query).one("access_token") if self.host == "media" else None
                session = sim.auth.authenticate(self.headers.get("Authorization"), qt)
            if session is not None and route.group in sim.limiter.limits:
                ok, rate_headers = sim.limiter.check(session.owner, route.group)
                if not ok:
                    raise ApiError(429, "CMN-301", "Request rate exceeded")
            if route.handler is None:
                raise ApiError(501, "CMN-202", "Operation [%s] is not implemented by the simulator"
                               % route.operation)
            if self.endless:
                # every page answers with the first page's records: a server stuck in a loop
                query = dict(urllib.parse.parse_qsl(raw_query))
                query["page"] = "1"
                raw_query = urllib.parse.urlencode(query)
            ctx = context.Ctx(sim, route, params, Query(raw_query), session, self.headers, body)
            reply = route.handler(ctx)
        except ApiError as e:
            h = dict(rate_headers)
            h.update(e.headers)
            entry["status"] = self.send_json(e.status, e.body(), h, truncate=truncate, head=head)
            sim.record(entry)
            return
        except Exception as e:    # a simulator bug: say so like the platform would
            import traceback
            traceback.print_exc()
            err = ApiError(500, "CMN-201", "Service Temporary Unavailable (simulator: %s)" % e)
            entry["status"] = self.send_json(500, err.body(), rate_headers, head=head)
            sim.record(entry)
            return
        h = dict(rate_headers)
        h.update(reply.headers)
        if reply.blob is not None:
            entry["status"] = self.send(reply.status, h, blob=reply.blob, truncate=truncate, head=head)
        elif reply.raw is not None:
            entry["status"] = self.send(reply.status, h, reply.raw, truncate=truncate, head=head)
        else:
            entry["status"] = self.send_json(reply.status, reply.obj, h, truncate=truncate, head=head)
        sim.record(entry)

    def oauth(self, route, body, truncate):
        sim = self.server.sim
        form = dict(urllib.parse.parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
        hdr = self.headers.get("Authorization") or ""
        basic = hdr.split(None, 1)[1].strip() if hdr.lower().startswith("basic ") else None
        client_key = basic or form.get("client_id") or self.client_address[0]
        ok, rate = sim.limiter.check("client:" + client_key, "Auth")
        if not ok:
            err = ApiError(429, "CMN-301", "Request rate exceeded")
            return self.send_json(429, err.body(), rate, truncate=truncate)
        try:
            sim.auth.check_client(basic)
            if route.operation == "revokeToken":
                sim.auth.revoke(form.get("token", ""))
                return self.send(200, dict(rate), b"", truncate=truncate)
            ttl = sim.token_ttl
            if ttl is None:
                want = form.get("access_token_ttl")
                ttl = 3600
                if want and want.isdigit() and 600 <= int(want) <= 3600:
                    ttl = int(want)
            rttl = sim.refresh_ttl
            if rttl is None:
                want = form.get("refresh_token_ttl")
                rttl = 604800
                if want and want.isdigit() and 0 < int(want) <= 2592000:
                    rttl = int(want)
            tok = sim.auth.grant(form, ttl, rttl)
        except auth.OAuthError as e:
            return self.send_json(e.status, e.body(), rate, truncate=truncate)
        h = dict(rate)
        h["Cache-Control"] = "no-store"
        h["Pragma"] = "no-cache"
        return self.send_json(200, tok, h, truncate=truncate)

    # ---- control endpoints (not part of the RingCentral API) ------------------------------------

    def control(self, method, path, body):
        sim = self.server.sim
        name = path[len("/_sim/"):].strip("/")
        try:
            cfg = json.loads(body.decode("utf-8")) if body.strip() else {}
        except ValueError:
            return self.send_json(400, {"error": "body is not JSON"})
        if method == "GET" and name == "health":
            return self.send_json(200, {"status": "ok"})
        if method == "GET" and name == "requests":
            with sim.lock:
                log = list(sim.log)
            return self.send_json(200, log)
        if method == "POST" and name == "reset":
            sim.reset()
            return self.send_json(200, {"status": "ok"})
        if method == "POST" and name == "config":
            try:
                sim.configure(cfg)
            except (ValueError, TypeError) as e:
                return self.send_json(400, {"error": str(e)})
            return self.send_json(200, {"status": "ok"})
        if method == "POST" and name == "fault":
            try:
                sim.faults.add(cfg)
            except (ValueError, TypeError) as e:
                return self.send_json(400, {"error": str(e)})
            return self.send_json(200, {"status": "ok"})
        if method == "POST" and name == "clock":
            try:
                adv = float(cfg.get("advance", 0))
                if adv < 0:
                    raise ValueError("the clock only moves forward")
            except (ValueError, TypeError) as e:
                return self.send_json(400, {"error": str(e)})
            with sim.lock:
                sim.offset += adv
            return self.send_json(200, {"now": sim.now_ms()})
        if method == "POST" and name == "message":
            try:
                rec = sim.inject_message(cfg)
            except (ValueError, TypeError, KeyError) as e:
                return self.send_json(400, {"error": str(e)})
            return self.send_json(200, rec)
        if method == "POST" and name == "call":
            try:
                rec = sim.inject_call(cfg)
            except (ValueError, TypeError, KeyError) as e:
                return self.send_json(400, {"error": str(e)})
            return self.send_json(200, rec)
        if method == "GET" and name == "operations":
            ops = [{"operation": r.operation, "method": r.method, "path": r.template,
                    "group": r.group, "host": r.host, "implemented": r.handler is not None
                    or r.operation in ("getToken", "revokeToken")} for r in api.ROUTES]
            return self.send_json(200, ops)
        if method == "GET" and name == "demo":
            return self.send_json(200, demo_info(sim))
        return self.send_json(404, {"error": "unknown control endpoint %s %s" % (method, path)})


def _blob_pieces(blob, pos, end):
    while pos < end:
        n = min(CHUNK, end - pos)
        yield blob.read(pos, n)
        pos += n


def demo_info(sim):
    s = sim.store
    return {"accountId": data.ACCOUNT_ID, "mainNumber": data.MAIN_NUMBER,
            "extensions": [{"id": e.id, "extensionNumber": e.number, "name": e.name,
                            "type": e.type, "phoneNumber": e.direct, "admin": e.admin}
                           for e in s.exts],
            "demoExtensionId": s.demo.id, "now": sim.now_ms(), "anchor": sim.anchor,
            "seed": sim.args.seed, "scale": sim.args.scale}


def _status_error(status):
    if status >= 500:
        return ApiError(status, "CMN-201", "Service Temporary Unavailable")
    return {401: ApiError(401, "OAU-213", "Token not found"),
            403: ApiError(403, "CMN-408", "In order to call this API endpoint, user needs to have "
                                          "[ReadMessages] permission for requested resource."),
            404: ApiError(404, "CMN-120", "Invalid URI")}.get(
        status, ApiError(status, "CMN-101", "Parameter [request] value is invalid"))


class ApiHandler(Handler):
    host = "api"


class MediaHandler(Handler):
    host = "media"


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64


def main(argv=None):
    p = argparse.ArgumentParser(description="RingCentral REST API simulator")
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--media-port", type=int, default=0)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--scale", type=int, default=20)
    p.add_argument("--token-ttl", type=float, default=None,
                   help="access token lifetime (default: the requested access_token_ttl, 3600)")
    p.add_argument("--refresh-ttl", type=float, default=None,
                   help="refresh token lifetime (default: the requested refresh_token_ttl, 604800)")
    p.add_argument("--rate-window", type=float, default=60)
    p.add_argument("--now", default=None, help="ISO 8601 time anchor for the demo data")
    p.add_argument("--new-call-handling", action="store_true",
                   help="user extensions have the new call handling (v2 comm-handling API)")
    p.add_argument("--verbose", action="store_true", help="log requests on stderr")
    args = p.parse_args(argv)
    if args.scale < 0 or args.rate_window <= 0:
        p.error("--scale must be >= 0 and --rate-window > 0")
    if args.now and parse_iso(args.now) is None:
        p.error("--now must be ISO 8601")
    sim = Sim(args)
    api_srv = Server(("127.0.0.1", args.port), ApiHandler)
    media_srv = Server(("127.0.0.1", args.media_port), MediaHandler)
    for s in (api_srv, media_srv):
        s.sim = sim
    sim.api_url = "http://127.0.0.1:%d" % api_srv.server_address[1]
    sim.media_url = "http://127.0.0.1:%d" % media_srv.server_address[1]
    threads = [threading.Thread(target=s.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
               for s in (api_srv, media_srv)]
    for t in threads:
        t.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    signal.signal(signal.SIGINT, lambda *a: stop.set())
    sys.stdout.write(sim.api_url + "\n")
    sys.stdout.write("media " + sim.media_url + "\n")
    sys.stdout.flush()
    while not stop.wait(0.2):
        pass
    for s in (api_srv, media_srv):
        s.shutdown()
        s.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
