# SPDX-License-Identifier: MIT
# Push-notification subscriptions. Nothing is ever delivered: the simulator keeps
# the records (filters made canonical, expiry on the simulator clock).

import re
import uuid

import data
from context import Reply
from util import ApiError, bad_param, iso, not_found

MAX_SUBSCRIPTIONS = 20
TRANSPORTS = ("WebHook", "WebSocket", "PubNub")
WEBHOOK_MAX = 315360000
DEFAULT_EXPIRES = {"WebHook": 604800, "WebSocket": 900, "PubNub": 900}
MAX_EXPIRES = {"WebHook": WEBHOOK_MAX, "WebSocket": 900, "PubNub": 900}

_E = r"/restapi/v1\.0/account/(~|\d+)/extension/(~|\d+)"
_A = r"/restapi/v1\.0/account/(~|\d+)"
FILTERS = [
    _E + r"/message-store(/instant)?", _E + r"/presence(/line(/presence)?)?",
    _E + r"/telephony/sessions", _E + r"/missed-calls", _E + r"/incoming-call-pickup",
    _E + r"/favorite", _E + r"/voicemail", _E + r"/fax", _E + r"/call-log", _E + r"/meeting",
    _E + r"/address-book-sync", _E + r"/grant", _E,
    _A + r"/extension", _A + r"/presence", _A + r"/telephony/sessions", _A + r"/directory/entries",
    r"/restapi/v1\.0/glip/(posts|groups)", r"/team-messaging/v1/(posts|chats|events)",
]
REMINDER = r"/restapi/v1\.0/subscription/~"


DEMO_ID = "c9a2d9e4-5d2b-4e4a-9b8e-1f7b3c6a0e11"


def _demo(c):
    a, e = data.ACCOUNT_ID, c.store.demo.id
    t = c.store.anchor - 2 * data.DAY
    return {DEMO_ID: {
        "id": DEMO_ID, "owner": e, "created": t, "status": "Active",
        "filters": ["/restapi/v1.0/account/%d/extension/%d/message-store" % (a, e),
                    "/restapi/v1.0/account/%d/extension/%d/presence?detailedTelephonyState=true" % (a, e)],
        "delivery": {"transportType": "WebHook", "address": "https://hooks.example.com/ringcentral",
                     "verificationToken": "demo-verification-token", "encryption": False},
        "expiresIn": 604800, "expires": t + 604800 * 1000}}


def subs(c):
    return c.store.state("subscriptions", lambda: _demo(c))


def _canonical(c, f):
    """(canonical filter, is reminder) or a 400/403 error for an unknown filter."""
    if not isinstance(f, str) or not f.strip():
        raise bad_param("eventFilters")
    path, _, query = f.partition("?")
    if re.fullmatch(REMINDER, path):
        return f, True
    for pat in FILTERS:
        m = re.fullmatch(pat, path)
        if not m:
            continue
        groups = m.groups()
        if pat.startswith(_A) and groups:
            acct = groups[0]
            if acct not in ("~", str(data.ACCOUNT_ID)):
                raise ApiError(403, "SUB-406", "Not allowed subscribe for events to extensions of other account")
            path = path.replace("/account/~", "/account/%d" % data.ACCOUNT_ID, 1)
        if pat.startswith(_E):
            ext = groups[1]
            if ext == "~":
                ext_id = c.session.owner
            elif int(ext) in c.store.by_id:
                ext_id = int(ext)
            else:
                raise ApiError(403, "SUB-408", "Not allowed subscribe for unknown user")
            path = re.sub(r"/extension/(~|\d+)", "/extension/%d" % ext_id, path, count=1)
        return path + ("?" + query if query else ""), False
    raise ApiError(400, "CMN-101", "Parameter [eventFilters] value is invalid", "eventFilters", f)


def _filters(c, body):
    ef = body.get("eventFilters")
    if not isinstance(ef, list) or not ef:
        raise bad_param("eventFilters")
    out = [_canonical(c, f) for f in ef]
    if all(rem for _, rem in out):
        raise ApiError(400, "SUB-515", "Subscription containing only reminder filter is not allowed")
    return list(dict.fromkeys(f for f, _ in out))


def _delivery(body, old=None):
    dm = body.get("deliveryMode")
    if dm is None and old is not None:
        return old
    if not isinstance(dm, dict):
        raise bad_param("deliveryMode")
    tt = dm.get("transportType", old["transportType"] if old else None)
    if tt not in TRANSPORTS:
        raise bad_param("deliveryMode.transportType", str(tt) if tt is not None else None)
    out = {"transportType": tt}
    if tt == "WebHook":
        addr = dm.get("address", (old or {}).get("address"))
        if not isinstance(addr, str) or not re.fullmatch(r"https?://[^\s/]+\S*", addr):
            raise bad_param("deliveryMode.address")
        out["address"] = addr
        tok = dm.get("verificationToken", (old or {}).get("verificationToken"))
        if tok is not None:
            if not isinstance(tok, str) or not re.fullmatch(r"[\x21-\x7e]{1,64}", tok):
                raise bad_param("deliveryMode.verificationToken")
            out["verificationToken"] = tok
        out["encryption"] = False
    elif tt == "PubNub":
        enc = dm.get("encryption", True)
        if not isinstance(enc, bool):
            raise bad_param("deliveryMode.encryption")
        out["encryption"] = enc
        out["address"] = (old or {}).get("address")    # the channel: set from the id on create
        out["subscriberKey"] = "sub-c-b8b9cd8c-e906-11e2-b383-02ee2ddab7fe"
        if enc:
            out["encryptionAlgorithm"] = "AES"
            out["encryptionKey"] = "e0bMTqmumPfFUbwzppkSbA=="
    else:
        out["encryption"] = False
    return out


def _expires(body, tt, old=None):
    v = body.get("expiresIn")
    if v is None:
        return old if old is not None else DEFAULT_EXPIRES[tt]
    if not isinstance(v, int) or isinstance(v, bool) or v < 1:
        raise bad_param("expiresIn")
    return min(v, MAX_EXPIRES[tt])


def _record(c, s):
    now = c.now()
    return {"uri": c.base + "/restapi/v1.0/subscription/" + s["id"], "id": s["id"],
            "creationTime": iso(s["created"]), "status": s["status"],
            "eventFilters": list(s["filters"]), "expirationTime": iso(s["expires"]),
            "expiresIn": max(0, (s["expires"] - now) // 1000), "deliveryMode": dict(s["delivery"])}


def _live(c):
    now = c.now()
    with c.store.lock:
        d = subs(c)
        for sid in [k for k, s in d.items() if s["expires"] <= now]:
            del d[sid]      # expired subscriptions are gone
        return d


def list_subscriptions(c):
    items = [s for s in _live(c).values() if s["owner"] == c.session.owner]
    items.sort(key=lambda s: s["created"])
    return Reply({"uri": c.base + "/restapi/v1.0/subscription",
                  "records": [_record(c, s) for s in items]})


def create_subscription(c):
    body = c.json_body()
    filters = _filters(c, body)
    delivery = _delivery(body)
    exp = _expires(body, delivery["transportType"])
    live = _live(c)
    if sum(1 for s in live.values() if s["owner"] == c.session.owner) >= MAX_SUBSCRIPTIONS:
        raise ApiError(403, "SUB-505", "Subscriptions limit exceeded")
    n = c.store.next_id("subscription", 1)
    sid = str(uuid.UUID(int=(c.store.seed * 2 ** 64 + n * 0x9E3779B97F4A7C15) % 2 ** 128, version=4))
    now = c.now()
    if delivery["transportType"] == "PubNub" and not delivery.get("address"):
        delivery["address"] = "%d_%s" % (data.ACCOUNT_ID, sid.replace("-", "")[:16])
    s = {"id": sid, "owner": c.session.owner, "created": now, "status": "Active", "filters": filters,
         "delivery": delivery, "expiresIn": exp, "expires": now + exp * 1000}
    with c.store.lock:
        live[sid] = s
    return Reply(_record(c, s))


def _sub(c):
    s = _live(c).get(c.p["subscriptionId"])
    if s is None or s["owner"] != c.session.owner:
        raise not_found("subscriptionId")
    return s


def load_subscription(c):
    return Reply(_record(c, _sub(c)))


def update_subscription(c):
    s = _sub(c)
    body = c.json_body() if c.body.strip() else {}
    new = dict(s)
    if "eventFilters" in body:
        new["filters"] = _filters(c, body)
    new["delivery"] = _delivery(body, s["delivery"])
    new["expiresIn"] = _expires(body, new["delivery"]["transportType"], s["expiresIn"])
    new["expires"] = c.now() + new["expiresIn"] * 1000
    new["status"] = "Active"
    with c.store.lock:
        s.update(new)
    return Reply(_record(c, s))


def delete_subscription(c):
    s = _sub(c)
    with c.store.lock:
        subs(c).pop(s["id"], None)
    return Reply(status=204, raw=b"")


def renew_subscription(c):
    s = _sub(c)
    with c.store.lock:
        s["expires"] = c.now() + s["expiresIn"] * 1000
        s["status"] = "Active"
    return Reply(_record(c, s))
