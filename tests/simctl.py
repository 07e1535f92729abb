# SPDX-License-Identifier: MIT
# Start and drive the RingCentral simulator (tests/sim/server.py) from tests.

import base64
import json
import os
import select
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
SERVER = os.path.join(HERE, "sim", "server.py")
PYTHON = "/usr/bin/python3"
GRANT_JWT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
# sent with every simctl request (unless a test sets its own), so the request log
# tells the test's own requests from the filesystem's (ringfs/<version>)
USER_AGENT = "simctl/1.0"


def _load_env(path):
    env = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                k, v = line.split("=", 1)
                env[k.strip()] = v.strip()
    return env


DEMO_ENV = os.path.join(HERE, "sim", "demo.env")
DEMO = _load_env(DEMO_ENV)
# the same app, logged in as a standard user (extension 102: no admin role)
DEMO_USER = dict(DEMO, **_load_env(os.path.join(HERE, "sim", "demo-user.env")))
# /_sim/config for RingCentral as it is today: every new-generation call served, and
# the old calls the service has retired answering 404 (sim/api.py RETIRED_TODAY); the
# deprecated Glip API and `ringout` spelling still answer. sim.config(**TODAY)
TODAY = {"new_call_handling": True, "team_messaging": True, "directory_entries": True,
         "caller_blocking_numbers": True, "rcvideo": True,
         "retired": ["meeting", "blocked-number", "directory/contacts"]}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **kw):
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def request(method, url, headers=None, body=None, timeout=30):
    """(status, headers, bytes) for any status; raises only on transport errors."""
    headers = dict(headers or {})
    if not any(k.lower() == "user-agent" for k in headers):
        headers["User-Agent"] = USER_AGENT
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with _opener.open(req, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


class Sim:
    def __init__(self, *args, start_timeout=20):
        self.args = [str(a) for a in args]
        self.errlog = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([PYTHON, SERVER, "--port", "0"] + self.args,
                                     stdout=subprocess.PIPE, stderr=self.errlog)
        deadline = time.monotonic() + start_timeout
        self.url = self._readline(deadline)
        second = self._readline(deadline)
        self.media_url = second.split(None, 1)[1] if second.startswith("media ") else None
        while True:
            try:
                st, _, _ = request("GET", self.url + "/_sim/health", timeout=2)
                if st == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("simulator did not become healthy")
            time.sleep(0.05)
        self._token = None

    def _readline(self, deadline):
        buf = b""
        fd = self.proc.stdout.fileno()
        while not buf.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or self.proc.poll() is not None:
                raise RuntimeError("simulator did not start: %s" % self.stderr())
            r, _, _ = select.select([fd], [], [], left)
            if r:
                ch = os.read(fd, 1)
                if not ch:
                    raise RuntimeError("simulator exited: %s" % self.stderr())
                buf += ch
        return buf.decode().strip()

    def stderr(self):
        self.errlog.seek(0)
        return self.errlog.read().decode("utf-8", "replace")

    # ---- control ---------------------------------------------------------------------

    def _control(self, method, name, obj=None):
        body = json.dumps(obj).encode() if obj is not None else None
        st, _, data = request(method, self.url + "/_sim/" + name,
                              {"Content-Type": "application/json"} if body else {}, body)
        if st != 200:
            raise RuntimeError("/_sim/%s: %d %s" % (name, st, data[:200]))
        return json.loads(data)

    def requests(self):
        return self._control("GET", "requests")

    def operations(self):
        return self._control("GET", "operations")

    def demo(self):
        return self._control("GET", "demo")

    def reset(self):
        self._control("POST", "reset")

    def config(self, **kw):
        self._control("POST", "config", kw)

    def clock(self, advance):
        """Move the simulator clock forward (tokens, rate windows, data windows)."""
        return self._control("POST", "clock", {"advance": advance})["now"]

    def inject_call(self, **spec):
        """A call happens now: direction (Inbound), result (Missed), phoneNumber, name,
        duration, extension."""
        return self._control("POST", "call", spec)

    def inject(self, **spec):
        """A new message arrives now: type, direction, text, phoneNumber, name, extension..."""
        return self._control("POST", "message", spec)

    def fault(self, kind, **kw):
        kw["kind"] = kind
        self._control("POST", "fault", kw)

    # ---- API helpers -------------------------------------------------------------------

    def basic(self):
        raw = "%s:%s" % (DEMO["RC_APP_CLIENT_ID"], DEMO["RC_APP_CLIENT_SECRET"])
        return "Basic " + base64.b64encode(raw.encode()).decode()

    def oauth(self, path, form, auth=True):
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        if auth:
            headers["Authorization"] = self.basic()
        return request("POST", self.url + path, headers, urllib.parse.urlencode(form).encode())

    def grant(self, **extra):
        """The full token response of a JWT grant (dict)."""
        form = {"grant_type": GRANT_JWT, "assertion": DEMO["RC_USER_JWT"]}
        form.update(extra)
        st, _, body = self.oauth("/restapi/oauth/token", form)
        if st != 200:
            raise RuntimeError("token grant failed: %d %s" % (st, body))
        return json.loads(body)

    def token(self):
        return self.grant()["access_token"]

    def get(self, path_or_url, headers=None, token=None):
        """Authorised GET: (status, headers, bytes). Without `token` or an
        Authorization header it uses a cached token of its own, granted anew
        (once) when the simulator answers 401 (e.g. after /_sim/clock)."""
        url = path_or_url if "://" in path_or_url else self.url + path_or_url
        h = dict(headers or {})
        if any(k.lower() == "authorization" for k in h):
            return request("GET", url, h)
        if token is not None:
            h["Authorization"] = "Bearer " + token
            return request("GET", url, h)
        if self._token is None:
            self._token = self.token()
        h["Authorization"] = "Bearer " + self._token
        resp = request("GET", url, h)
        if resp[0] == 401:
            self._token = self.token()
            h["Authorization"] = "Bearer " + self._token
            resp = request("GET", url, h)
        return resp

    def call(self, method, path_or_url, obj=None, token=None, body=None, content_type=None):
        """Authorised request with an optional JSON body (obj) or raw `body` bytes of
        `content_type` (see multipart()): (status, headers, bytes)."""
        url = path_or_url if "://" in path_or_url else self.url + path_or_url
        if token is None and self._token is None:
            self._token = self.token()
        h = {"Authorization": "Bearer " + (token or self._token)}
        if obj is not None:
            body = json.dumps(obj).encode()
            h["Content-Type"] = "application/json"
        elif content_type is not None:
            h["Content-Type"] = content_type
        return request(method, url, h, body)

    def get_json(self, path_or_url, **kw):
        st, h, body = self.get(path_or_url, **kw)
        return st, h, json.loads(body) if body else None

    def stop(self, timeout=10):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        return self.proc.returncode


def multipart(parts, subtype="form-data", boundary="simctl-boundary-7MA4YWxkTrZu0gW"):
    """(content type, body) of a multipart body. parts: (name, filename, content type,
    bytes or str); name/filename/content type may be None (multipart/mixed parts)."""
    out = bytearray()
    for name, filename, ctype, data in parts:
        if isinstance(data, str):
            data = data.encode("utf-8")
        out += b"--" + boundary.encode() + b"\r\n"
        disp = "form-data" if subtype == "form-data" else "attachment"
        if name is not None or filename is not None:
            d = disp
            if name is not None:
                d += '; name="%s"' % name
            if filename is not None:
                d += '; filename="%s"' % filename
            out += ("Content-Disposition: %s\r\n" % d).encode()
        if ctype:
            out += ("Content-Type: %s\r\n" % ctype).encode()
        out += b"\r\n" + data + b"\r\n"
    out += b"--" + boundary.encode() + b"--\r\n"
    return "multipart/%s; boundary=%s" % (subtype, boundary), bytes(out)
