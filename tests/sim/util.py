# SPDX-License-Identifier: MIT
# Shared helpers of the simulator: Jackson-style JSON, API errors, times, paging.

import datetime
import json
import urllib.parse

JSON_TYPE = "application/json; charset=UTF-8"


_encode_str = json.encoder.encode_basestring     # what json.dumps(s, ensure_ascii=False) uses
_KEYS = {}                                       # field name -> its encoding, memoised


def jackson(obj):
    """Render like Jackson's DefaultPrettyPrinter (what the platform sends):
    objects one field a line with ``"key" : value`` and 2-space indent, arrays
    inline with ``[ a, b ]`` (so ``[ {`` ... ``} ]``), empty ``{ }`` and ``[ ]``.
    Scalars are written as json.dumps(v, ensure_ascii=False) writes them; the
    common types take a shortcut (a page of 1000 records is ~10^5 scalars)."""
    out = []
    app = out.append
    enc = _encode_str
    keys = _KEYS
    pads = ["\n"]

    def emit(v, level):
        t = type(v)
        if t is str:
            app(enc(v))
        elif t is int:
            app(int.__repr__(v))
        elif t is bool:
            app("true" if v else "false")
        elif v is None:
            app("null")
        elif isinstance(v, dict):
            if not v:
                app("{ }")
                return
            while len(pads) <= level + 1:
                pads.append("\n" + "  " * len(pads))
            sep = pads[level + 1]
            first = True
            app("{")
            for k, x in v.items():
                ke = keys.get(k) if type(k) is str else None
                if ke is None:
                    ke = json.dumps(str(k), ensure_ascii=False) + " : "
                    if type(k) is str and len(keys) < 4096:
                        keys[k] = ke
                if first:
                    first = False
                    app(sep)
                else:
                    app("," + sep)
                app(ke)
                t = type(x)         # scalars inline: most fields are one
                if t is str:
                    app(enc(x))
                elif t is int:
                    app(int.__repr__(x))
                else:
                    emit(x, level + 1)
            app(pads[level] + "}")
        elif isinstance(v, (list, tuple)):
            if not v:
                app("[ ]")
                return
            app("[ ")
            for i, x in enumerate(v):
                if i:
                    app(", ")
                emit(x, level)
            app(" ]")
        else:
            app(json.dumps(v, ensure_ascii=False))

    emit(obj, 0)
    return "".join(out).encode("utf-8")


class ApiError(Exception):
    """A platform error reply: status plus errorCode/message/errors[] body."""

    def __init__(self, status, code, message, param=None, value=None, headers=None,
                 top_param=True):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.param = param
        self.value = value
        self.headers = headers or {}
        self.top_param = top_param
        self.top_code = None
        self.permission = None

    def body(self):
        err = {"errorCode": self.code, "message": self.message}
        if self.param is not None:
            err["parameterName"] = self.param
            if self.value is not None:
                err["parameterValue"] = self.value
        body = {"errorCode": self.top_code or self.code, "message": self.message,
                "errors": [err]}
        if self.param is not None and self.top_param:
            body["parameterName"] = self.param
        if self.permission is not None:
            err["permissionName"] = body["permissionName"] = self.permission
        return body


def permission_required(permission):
    """403 CMN-408: the user's role lacks @permission (the platform names it in the body)."""
    e = ApiError(403, "CMN-408", "In order to call this API endpoint, user needs to have [%s] "
                 "permission for requested resource." % permission)
    e.permission = permission
    return e


def bad_param(name, value=None):
    return ApiError(400, "CMN-101", "Parameter [%s] value is invalid" % name, name, value)


def not_found(name):
    return ApiError(404, "CMN-102", "Resource for parameter [%s] is not found" % name, name)


def invalid_uri():
    return ApiError(404, "CMN-120", "Invalid URI")


# ---- times -------------------------------------------------------------

def iso(ms, millis=True):
    """Epoch milliseconds -> 2018-09-18T09:24:03.000Z."""
    dt = datetime.datetime.fromtimestamp(ms // 1000, tz=datetime.timezone.utc)
    s = dt.strftime("%Y-%m-%dT%H:%M:%S")
    return s + (".%03dZ" % (ms % 1000) if millis else "Z")


def parse_iso(text):
    """ISO 8601 (date, date-time, Z or offset) -> epoch ms; None if malformed."""
    t = text.strip()
    if not t:
        return None
    if t.endswith("z") or t.endswith("Z"):
        t = t[:-1] + "+00:00"
    try:
        dt = datetime.datetime.fromisoformat(t)
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=datetime.timezone.utc)
    return int(dt.timestamp() * 1000)


# ---- query parameters -------------------------------------------------------

class Query:
    """Parsed query string; keeps repeated parameters and their order."""

    def __init__(self, raw):
        self.raw = raw or ""
        self.items = urllib.parse.parse_qsl(self.raw, keep_blank_values=True)

    def all(self, name):
        return [v for k, v in self.items if k == name]

    def one(self, name, default=None):
        vals = self.all(name)
        return vals[-1] if vals else default

    def has(self, name):
        return any(k == name for k, _ in self.items)

    def enum_list(self, name, allowed):
        vals = []
        for v in self.all(name):
            for part in v.split(","):
                if part not in allowed:
                    raise bad_param(name, part)
                vals.append(part)
        return vals

    def enum_one(self, name, allowed, default=None):
        v = self.one(name)
        if v is None:
            return default
        for a in allowed:
            if v.lower() == a.lower():
                return a
        raise bad_param(name, v)

    def bool(self, name, default=None):
        v = self.one(name)
        if v is None:
            return default
        if v.lower() in ("true", "false"):
            return v.lower() == "true"
        raise bad_param(name, v)

    def int(self, name, default=None, minimum=None):
        v = self.one(name)
        if v is None:
            return default
        try:
            n = int(v)
        except ValueError:
            raise bad_param(name, v)
        if minimum is not None and n < minimum:
            raise bad_param(name, v)
        return n

    def date(self, name):
        v = self.one(name)
        if v is None:
            return None
        ms = parse_iso(v)
        if ms is None:
            raise bad_param(name, v)
        return ms


def encode_query(pairs):
    return urllib.parse.urlencode(pairs, quote_via=urllib.parse.quote, safe=":~")


# ---- paging ---------------------------------------------------------------

MAX_PER_PAGE = 1000


def page_args(q, allow_max=False, default=100):
    page = q.int("page", 1, minimum=1)
    pp = q.one("perPage")
    if pp is None:
        per = default
    elif allow_max and pp.lower() == "max":
        per = MAX_PER_PAGE
    else:
        per = q.int("perPage", minimum=1)
    return page, min(per, MAX_PER_PAGE)


def paged(base_uri, echo_pairs, items, page, per, render, totals=True, total=None):
    """Build {uri, records, paging, navigation}.

    echo_pairs: the request's query parameters with server defaults filled in,
    without page/perPage (they are added here, sorted like the platform does)."""
    def link(p):
        pairs = sorted([kv for kv in echo_pairs if kv[0] not in ("page", "perPage")]
                       + [("page", str(p)), ("perPage", str(per))], key=lambda kv: kv[0])
        return base_uri + "?" + encode_query(pairs)

    n = len(items) if total is None else total
    start = (page - 1) * per
    chunk = items[start:start + per]
    records = [render(x) for x in chunk]
    paging = {}
    if records:
        paging["page"] = page
    if totals:
        total_pages = (n + per - 1) // per
        paging["totalPages"] = total_pages
    paging["perPage"] = per
    if totals:
        paging["totalElements"] = n
    if records:
        paging["pageStart"] = start
        paging["pageEnd"] = start + len(records) - 1
    nav = {}
    more = start + len(chunk) < n
    if totals:
        last = max(1, (n + per - 1) // per)
        if more:
            nav["nextPage"] = {"uri": link(page + 1)}
        if 1 < page <= last:
            nav["previousPage"] = {"uri": link(page - 1)}
        nav["firstPage"] = {"uri": link(1)}
        nav["lastPage"] = {"uri": link(last)}
    else:
        if more:
            nav["nextPage"] = {"uri": link(page + 1)}
        nav["firstPage"] = {"uri": link(1)}
    return {"uri": link(page), "records": records, "paging": paging, "navigation": nav}
