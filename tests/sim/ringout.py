# SPDX-License-Identifier: MIT
# RingOut (2-leg calls): /ring-out (string ids) and the legacy /ringout (numeric ids).
# A RingOut rings the `from` number first, then the `to` number; the simulator
# moves it along the simulator clock: caller answers after CALLER_S seconds,
# callee after CONNECT_S seconds (then every status is Success).

import base64

from account import account_numbers
from context import Reply, e164
from rules import blocked_list, forwarding_list
from util import ApiError, bad_param, not_found

CALLER_S = 3
CONNECT_S = 6


def _ringouts(c, legacy):
    return c.store.state(("ringout", legacy), dict)


def _status(c, ro):
    age = (c.now() - ro["t"]) / 1000.0
    if age >= CONNECT_S:
        return {"callStatus": "Success", "callerStatus": "Success", "calleeStatus": "Success"}
    if age >= CALLER_S:
        return {"callStatus": "InProgress", "callerStatus": "Success", "calleeStatus": "InProgress"}
    return {"callStatus": "InProgress", "callerStatus": "InProgress", "calleeStatus": "InProgress"}


def _record(c, e, ro, legacy):
    seg = "ringout" if legacy else "ring-out"
    return {"uri": c.ext_uri(e) + "/%s/%s" % (seg, ro["id"]), "id": ro["id"], "status": _status(c, ro)}


def _number(body, key, code, what):
    v = body.get(key)
    num = e164(v.get("phoneNumber")) if isinstance(v, dict) else None
    if num is None:
        raise ApiError(400, code, "phoneNumber specified in the %s field is empty or invalid" % what,
                       "%s.phoneNumber" % key)
    return num


def _make(c, legacy):
    e = c.ext()
    body = c.json_body()
    if e.type != "User":
        raise ApiError(403, "CMN-112", "Feature [RingOut] is not available for current extension type")
    frm = body.get("from")
    if isinstance(frm, dict) and "forwardingNumberId" in frm and "phoneNumber" not in frm:
        fid = str(frm["forwardingNumberId"])
        match = [r for r in forwarding_list(c, e) if r["id"] == fid]
        if not match:
            raise not_found("forwardingNumberId")
        src = match[0]["phoneNumber"]
    else:
        src = _number(body, "from", "TEL-108", "from")
    dst = _number(body, "to", "TEL-109", "to")
    caller_id = None
    if body.get("callerId") is not None:
        cid = body["callerId"]
        raw = cid.get("phoneNumber") if isinstance(cid, dict) else None
        caller_id = e164(raw)
        if caller_id is None:
            raise ApiError(400, "TEL-107", "Caller ID: [%s] is not allowed" % raw, "callerId.phoneNumber")
        if caller_id not in account_numbers(c.store):
            raise ApiError(403, "RNG-102", "Caller ID should be one of company direct numbers",
                           "callerId.phoneNumber")
    if "playPrompt" in body and not isinstance(body["playPrompt"], bool):
        raise bad_param("playPrompt")
    country = body.get("country")
    if country is not None and not (isinstance(country, dict) and str(country.get("id", "")).isdigit()):
        raise bad_param("country.id")
    blocked = {r["phoneNumber"] for r in blocked_list(c, e) if r["status"] == "Blocked"}
    if dst in blocked:
        raise ApiError(403, "TEL-101", "phoneNumber specified in the to field: [%s] is in blocked list"
                       % dst.lstrip("+"), "to.phoneNumber")
    if src in blocked:
        raise ApiError(403, "TEL-102", "phoneNumber specified in the from field: [%s] is in blocked list"
                       % src.lstrip("+"), "from.phoneNumber")
    n = c.store.next_id(("ringout", legacy), 1)
    if legacy:
        rid = 2340000000 + n * 7
    else:
        rid = base64.urlsafe_b64encode(("cs1718428492884%05d@10.62.29.33" % n).encode()).decode().rstrip("=")
    ro = {"id": rid, "t": c.now(), "ext": e.id, "from": src, "to": dst, "callerId": caller_id,
          "playPrompt": body.get("playPrompt", True)}
    with c.store.lock:
        _ringouts(c, legacy)[str(rid)] = ro
    return Reply(_record(c, e, ro, legacy))


def _find(c, legacy):
    e = c.ext()
    ro = _ringouts(c, legacy).get(c.p["ringoutId"])
    if ro is None or ro["ext"] != e.id:
        raise not_found("ringOutId")
    return e, ro


def _get(c, legacy):
    e, ro = _find(c, legacy)
    return Reply(_record(c, e, ro, legacy))


def _cancel(c, legacy):
    e, ro = _find(c, legacy)
    if _status(c, ro)["callStatus"] != "InProgress":
        # connected: the RingOut session is over, the call lives on its own
        raise not_found("ringOutId")
    with c.store.lock:
        _ringouts(c, legacy).pop(str(ro["id"]), None)
    return Reply(None, status=204, raw=b"")


def make_ringout(c):
    return _make(c, False)


def make_ringout_legacy(c):
    return _make(c, True)


def get_ringout(c):
    return _get(c, False)


def get_ringout_legacy(c):
    return _get(c, True)


def cancel_ringout(c):
    return _cancel(c, False)


def cancel_ringout_legacy(c):
    return _cancel(c, True)
