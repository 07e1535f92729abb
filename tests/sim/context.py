# SPDX-License-Identifier: MIT
# What every handler gets (Ctx) and returns (Reply), and helpers they share.

import json
import re

import data
import multipart
from util import ApiError, bad_param, not_found

MSG_TYPES = ("Fax", "SMS", "VoiceMail", "Pager", "Text")
DIRECTIONS = ("Inbound", "Outbound")


class Reply:
    """A handler's answer: JSON object, raw bytes or a content Blob."""

    def __init__(self, obj=None, status=200, blob=None, headers=None, raw=None):
        self.obj = obj
        self.status = status
        self.blob = blob
        self.raw = raw
        self.headers = headers or {}


class Ctx:
    def __init__(self, sim, route, params, query, session, headers, body=b""):
        self.sim = sim
        self.body = body
        self.store = sim.store
        self.route = route
        self.p = params
        self.q = query
        self.session = session
        self.headers = headers
        self.base = sim.api_url
        self.media = sim.media_url

    def json_body(self):
        try:
            obj = json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise ApiError(400, "CMN-103", "JSON can't be parsed")
        if not isinstance(obj, dict):
            raise ApiError(400, "CMN-103", "JSON can't be parsed")
        return obj

    def parts(self):
        """The parts of a multipart body (400 CMN-104 when it is not one)."""
        try:
            return multipart.parse(self.headers.get("Content-Type"), self.body)
        except ValueError:
            raise ApiError(400, "CMN-104", "Cannot parse request")

    def is_multipart(self):
        return multipart.is_multipart(self.headers.get("Content-Type"))

    # ---- ids and uris -----------------------------------------------------------

    def account(self):
        a = self.p.get("accountId")
        if a not in ("~", str(data.ACCOUNT_ID)):
            raise not_found("accountId")
        return data.ACCOUNT_ID

    def ext(self):
        self.account()
        e = self.p.get("extensionId")
        if e == "~":
            ext = self.store.by_id[self.session.owner]
        else:
            try:
                ext = self.store.by_id.get(int(e))
            except ValueError:
                ext = None
            if ext is None:
                raise not_found("extensionId")
        owner = self.store.by_id[self.session.owner]
        if ext is not owner and not owner.admin:
            raise ApiError(403, "CMN-404", "Attempt to access another extension")
        return ext

    def acct_uri(self, media=False):
        return "%s/restapi/v1.0/account/%d" % (self.media if media else self.base, data.ACCOUNT_ID)

    def ext_uri(self, ext, media=False):
        return "%s/extension/%d" % (self.acct_uri(media), ext.id)

    def path_uri(self):
        """The request path made canonical (no ~) on the API base."""
        out = []
        for seg in self.route.segments:
            if seg.startswith("{"):
                name = seg[1:-1]
                if name == "accountId":
                    out.append(str(data.ACCOUNT_ID))
                elif name == "extensionId":
                    out.append(str(self.ext().id))
                else:
                    out.append(self.p[name])
            else:
                out.append(seg)
        return self.base + "/" + "/".join(out)

    def echo(self, skip=()):
        return [(k, v) for k, v in self.q.items if k not in skip]

    def now(self):
        return self.sim.now_ms()


def digits(s):
    return "".join(ch for ch in s if ch.isdigit())


def e164(s):
    """A phone number as clients write it ("+1 (650) 555-0101", "16505550101",
    "6505550101") made +E.164, or None when it is not a phone number (7-15
    digits, an optional leading +; 10 digits without + are taken as US)."""
    if not isinstance(s, str):
        return None
    t = re.sub(r"[\s().-]", "", s)
    if not re.fullmatch(r"\+?\d{7,15}", t):
        return None
    d = t.lstrip("+")
    if not t.startswith("+") and len(d) == 10:
        d = "1" + d
    return "+" + d


def short_number(s):
    """True for what looks like an extension or short code (2-6 digits, no +)."""
    return isinstance(s, str) and re.fullmatch(r"\d{2,6}", s.strip()) is not None


def window(c, default_span):
    now = c.now()
    date_to = c.q.date("dateTo")
    if date_to is None:
        date_to = now
    date_from = c.q.date("dateFrom")
    defaulted = date_from is None
    if defaulted:
        date_from = (date_to if c.q.has("dateTo") else now) - default_span
        date_from -= date_from % 60000
    if date_from > date_to:
        raise bad_param("dateFrom", c.q.one("dateFrom"))
    return date_from, date_to, defaulted


def disposition(c, ident, ext):
    kind = c.q.enum_one("contentDisposition", ("Inline", "Attachment"), "Inline").lower()
    name = c.q.one("contentDispositionFilename") or "%s.%s" % (ident, ext)
    return "%s;filename=%s" % (kind, name)
