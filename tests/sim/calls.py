# SPDX-License-Identifier: MIT
# Call log (extension and account), call records, recordings, active calls.

from context import DIRECTIONS, Reply, digits, disposition, window
from data import DAY
from util import iso, not_found, page_args, paged, permission_required


# ---- call log and recordings ------------------------------------------------------------

def recording_ref(c, r):
    return {"uri": c.acct_uri() + "/recording/%s" % r.id, "id": r.id, "type": r.type,
            "contentUri": c.acct_uri(media=True) + "/recording/%s/content" % r.id}


def call_record(c, call, view, account_level=False):
    e = call.ext
    base = c.acct_uri() if account_level else c.ext_uri(e)
    r = {"uri": "%s/call-log/%s?view=%s" % (base, call.id, view), "id": call.id,
         "sessionId": call.session, "telephonySessionId": call.tsid,
         "startTime": iso(call.t), "duration": call.duration, "type": call.type,
         "direction": call.direction, "action": call.action, "result": call.result,
         "to": dict(call.to), "from": dict(call.frm)}
    if account_level:
        r["extension"] = {"uri": c.ext_uri(e), "id": e.id}
    if call.recording:
        r["recording"] = recording_ref(c, call.recording)
    if call.message:
        m = call.message
        r["message"] = {"uri": "%s/message-store/%d" % (c.ext_uri(e), m.id), "id": str(m.id),
                        "type": m.type}
    if call.result == "Missed":
        r["reason"] = "Missed"
        r["reasonDescription"] = "The call was not answered"
    if view == "Detailed":
        r["transport"] = call.transport
        r["lastModifiedTime"] = iso(call.modified)
        r["billing"] = {"costIncluded": 0.0, "costPurchased": 0.0}
        leg = {k: v for k, v in r.items() if k not in ("uri", "id", "sessionId", "lastModifiedTime",
                                                        "billing", "telephonySessionId", "extension")}
        leg["legType"] = {"Outgoing Fax": "FaxSent", "Incoming Fax": "FaxReceived"}.get(
            call.action, "PstnToSip" if call.direction == "Inbound" else "SipToPstnMetered")
        leg["master"] = True
        leg["extension"] = {"uri": c.ext_uri(e), "id": e.id}
        r["legs"] = [leg]
    return r


def _call_list(c, calls, account_level):
    q = c.q
    view = q.enum_one("view", ("Simple", "Detailed"), "Simple")
    page, per = page_args(q, allow_max=True)
    date_from, date_to, defaulted = window(c, DAY)
    types = set(q.enum_list("type", ("Voice", "Fax")))
    dirs = set(q.enum_list("direction", DIRECTIONS))
    rtype = q.enum_one("recordingType", ("Automatic", "OnDemand", "All"))
    with_rec = q.bool("withRecording")
    q.bool("showBlocked")
    q.bool("showDeleted")
    q.enum_list("transport", ("PSTN", "VoIP"))
    phone = q.one("phoneNumber")
    phone = digits(phone) if phone is not None else None
    extnum = q.one("extensionNumber")
    session = q.one("sessionId")
    tsid = q.one("telephonySessionId")

    def keep(call):
        if types and call.type not in types:
            return False
        if dirs and call.direction not in dirs:
            return False
        if (rtype or with_rec) and not call.recording:
            return False
        if rtype in ("Automatic", "OnDemand") and call.recording.type != rtype:
            return False
        if phone and not any(digits(p.get("phoneNumber", "")).endswith(phone)
                             for p in (call.frm, call.to)):
            return False
        if extnum is not None and call.ext.number != extnum:
            return False
        if session is not None and call.session != session:
            return False
        if tsid is not None and call.tsid != tsid:
            return False
        return True

    # the filtered log is kept between pages (and invalidated by any change)
    key = ("calls", id(calls), frozenset(types), frozenset(dirs), rtype, with_rec, phone, extnum,
           session, tsid)
    out = c.store.listing(key, calls, keep, date_from, date_to)
    echo = c.echo()
    if not q.has("view"):
        echo.append(("view", "Simple"))
    if not q.has("showBlocked"):
        echo.append(("showBlocked", "true"))
    if view == "Detailed" and not q.has("withRecording") and not q.has("recordingType"):
        echo.append(("withRecording", "false"))
    if defaulted:
        echo.append(("dateFrom", iso(date_from)))
    return Reply(paged(c.path_uri(), echo, out, page, per,
                       lambda x: call_record(c, x, view, account_level), totals=False))


def ext_call_log(c):
    e = c.ext()
    return _call_list(c, c.store.calls(e), False)


def account_call_log(c):
    c.account()
    owner = c.store.by_id[c.session.owner]
    if not owner.admin:
        # the company call log needs the role's ReadCompanyCallLog (admins have it)
        raise permission_required("ReadCompanyCallLog")
    return _call_list(c, c.store.account_calls(), True)


def get_call_record(c):
    e = c.ext()
    view = c.q.enum_one("view", ("Simple", "Detailed"), "Simple")
    call = c.store.call(e, c.p["callRecordId"])
    if call is None:
        raise not_found("callRecordId")
    return Reply(call_record(c, call, view))


def _recording(c):
    c.account()
    r = c.store.recording(c.p["recordingId"])
    if r is None:
        raise not_found("recordingId")
    return r


def get_recording(c):
    r = _recording(c)
    return Reply({"id": r.id,
                  "contentUri": c.acct_uri(media=True) + "/recording/%s/content" % r.id,
                  "contentType": c.store.recording_type(r), "duration": r.duration})


def active_calls(c):
    e = c.ext()
    page, per = page_args(c.q)
    view = c.q.enum_one("view", ("Simple", "Detailed"), "Simple")
    c.q.enum_list("direction", DIRECTIONS)
    c.q.enum_list("type", ("Voice", "Fax"))
    items = []
    if e is c.store.demo:
        peer = c.store.peers[0]
        items.append({"uri": c.ext_uri(e) + "/call-log/IActiveDemoCall01?view=" + view,
                      "id": "IActiveDemoCall01", "sessionId": "409111222333",
                      "telephonySessionId": "s-a0d7c1f2e3b4a5968778695a4b3c2d1e",
                      "startTime": iso(c.now() - c.now() % 1000 - 95000), "type": "Voice",
                      "direction": "Inbound", "action": "Phone Call", "result": "In Progress",
                      "to": {"phoneNumber": e.direct, "name": e.name},
                      "from": {"phoneNumber": peer["phoneNumber"], "name": peer["name"]}})
    echo = c.echo()
    if not c.q.has("view"):
        echo.append(("view", "Simple"))
    return Reply(paged(c.path_uri(), echo, items, page, per, lambda r: r, totals=False))


def recording_content(c):
    r = _recording(c)
    ctype = c.store.recording_type(r)
    return Reply(blob=c.store.recording_blob(r),
                 headers={"Content-Type": ctype,
                          "Content-Disposition": disposition(
                              c, r.id, "mp3" if ctype == "audio/mpeg" else "wav")})
