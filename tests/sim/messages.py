# SPDX-License-Identifier: MIT
# Message store: list, one message, message-sync, attachment content (media host).

import base64

from context import DIRECTIONS, MSG_TYPES, Reply, digits, disposition, window
from data import DAY
from util import bad_param, iso, not_found, page_args, paged


# ---- message store -----------------------------------------------------------------

def _att_record(c, m, aid, atype, ctype):
    a = {"id": aid, "uri": "%s/message-store/%d/content/%d" % (c.ext_uri(m.ext, media=True), m.id, aid),
         "type": atype, "contentType": ctype}
    if atype == "AudioRecording":
        a["vmDuration"] = m.dur
    return a


def message_record(c, m):
    e = m.ext
    if m.avail == "Purged":
        return {"uri": "%s/message-store/%d" % (c.ext_uri(e), m.id), "id": m.id,
                "availability": "Purged", "lastModifiedTime": iso(m.modified)}
    me = {"phoneNumber": e.direct, "name": e.name}
    r = {"uri": "%s/message-store/%d" % (c.ext_uri(e), m.id), "id": m.id}
    peer = dict(m.peer) if isinstance(m.peer, dict) else None
    if m.type == "Pager":
        mine = {"extensionNumber": e.number, "extensionId": str(e.id), "name": e.name}
        other = {"extensionNumber": m.peer.number, "extensionId": str(m.peer.id), "name": m.peer.name}
        frm, to = (other, mine) if m.direction == "Inbound" else (mine, other)
        to = [to]
    elif m.direction == "Inbound":
        frm, to = peer, [me]
    else:
        frm = me
        to = [dict(peer)]
        if m.type == "Fax":
            to[0]["messageStatus"] = "Sent"
    if m.type == "SMS":
        frm = {k: v for k, v in frm.items() if k != "location"}
    r["to"] = to
    r["from"] = frm
    r["type"] = m.type
    if m.conv is not None:
        r["conversationId"] = m.conv
        r["conversation"] = {"uri": c.base + "/restapi/v1.0/conversation/%d" % m.conv, "id": str(m.conv)}
    r["creationTime"] = iso(m.t)
    r["readStatus"] = "Read" if m.read else "Unread"
    r["priority"] = "Normal"
    r["attachments"] = [_att_record(c, m, aid, at, ct) for aid, at, ct in c.store.attachments(m)]
    r["direction"] = m.direction
    r["availability"] = m.avail
    if m.type in ("SMS", "Pager"):
        r["subject"] = m.text
    elif m.type == "VoiceMail":
        r["subject"] = m.peer.get("name") or m.peer.get("phoneNumber")
    elif m.direction == "Inbound":
        r["subject"] = m.peer["phoneNumber"]
    r["messageStatus"] = m.status
    if m.type == "SMS" and m.direction == "Outbound":
        r["smsDeliveryTime"] = iso(m.t + 2000)
        r["smsSendingAttemptsCount"] = 1
    if m.type == "Pager":
        r["pgToDepartment"] = False
    if m.type == "Fax":
        r["faxResolution"] = m.res
        r["faxPageCount"] = m.pages
        if m.cover is not None:
            r["coverIndex"] = m.cover
    r["lastModifiedTime"] = iso(m.modified)
    if m.type == "VoiceMail":
        r["vmTranscriptionStatus"] = "Completed" if m.transcribed else "NotAvailable"
    return r


def _msg_filter(c, msgs, date_from, date_to, sync=False):
    q = c.q
    types = set(q.enum_list("messageType", MSG_TYPES))
    dirs = set(q.enum_list("direction", DIRECTIONS))
    reads = set(q.enum_list("readStatus", ("Read", "Unread")))
    avail = set(q.enum_list("availability", ("Alive", "Deleted", "Purged"))) or {"Alive"}
    conv = None
    if q.has("conversationId"):
        try:
            conv = int(q.one("conversationId"))
        except ValueError:
            raise bad_param("conversationId", q.one("conversationId"))
    phone = q.one("phoneNumber")
    if phone is not None:
        phone = digits(phone)
        if not phone:
            raise bad_param("phoneNumber")
    out = []
    for m in msgs:
        if m.t >= date_to:
            continue
        if m.t < date_from:
            break
        if types and m.type not in types:
            continue
        if dirs and m.direction not in dirs:
            continue
        if reads and ("Read" if m.read else "Unread") not in reads:
            continue
        if m.avail not in avail:
            continue
        if conv is not None and m.conv != conv:
            continue
        if phone is not None:
            nums = [digits(m.peer.get("phoneNumber", ""))] if isinstance(m.peer, dict) else []
            if not any(n.endswith(phone) or phone.endswith(n) for n in nums if n):
                continue
        out.append(m)
    if q.bool("distinctConversations", False):
        seen = set()
        uniq = []
        for m in out:
            key = m.conv if m.conv is not None else ("m", m.id)
            if key not in seen:
                seen.add(key)
                uniq.append(m)
        out = uniq
    return out


def list_messages(c):
    e = c.ext()
    page, per = page_args(c.q)
    date_from, date_to, defaulted = window(c, DAY)
    items = _msg_filter(c, c.store.messages(e), date_from, date_to)
    echo = c.echo()
    if not c.q.has("availability"):
        echo.append(("availability", "Alive"))
    if defaulted:
        echo.append(("dateFrom", iso(date_from)))
    return Reply(paged(c.path_uri(), echo, items, page, per, lambda m: message_record(c, m)))


def _message(c):
    e = c.ext()
    try:
        mid = int(c.p["messageId"])
    except ValueError:
        raise not_found("messageId")
    m = c.store.message(e, mid)
    if m is None or m.avail == "Purged":
        raise not_found("messageId")
    return m


def update_message(c):
    m = _message(c)
    body = c.json_body()
    rs = body.get("readStatus")
    if rs not in ("Read", "Unread"):
        raise bad_param("readStatus", str(rs))
    if (rs == "Read") != m.read:
        m.read = rs == "Read"
        m.modified = c.now()
    return Reply(message_record(c, m))


def delete_message(c):
    """First delete moves to the trash (Deleted), a second or ?purge=true purges."""
    m = _message(c)
    purge = c.q.bool("purge", False)
    m.avail = "Purged" if purge or m.avail == "Deleted" else "Deleted"
    m.modified = c.now()
    return Reply(status=204, raw=b"")


def load_message(c):
    return Reply(message_record(c, _message(c)))


def _sync_token(e, ms):
    return base64.urlsafe_b64encode(b"sim1:%d:%d" % (e.id, ms)).decode().rstrip("=")


def _parse_sync_token(e, tok):
    try:
        raw = base64.urlsafe_b64decode(tok + "=" * (-len(tok) % 4)).decode()
        tag, eid, ms = raw.split(":")
        if tag != "sim1" or int(eid) != e.id:
            return None
        return int(ms)
    except Exception:
        return None


def sync_messages(c):
    e = c.ext()
    q = c.q
    stype = q.enum_one("syncType", ("FSync", "ISync"), "FSync" if not q.has("syncToken") else "ISync")
    count = q.int("recordCount", None, minimum=1)
    now = c.now()
    msgs = c.store.messages(e)
    if stype == "FSync":
        date_from, date_to, _ = window(c, DAY)
        items = _msg_filter(c, msgs, date_from, date_to)
        older = any(m.t < date_from for m in msgs)
    else:
        tok = q.one("syncToken")
        since = _parse_sync_token(e, tok) if tok else None
        if since is None:
            raise bad_param("syncToken", tok)
        items = [m for m in msgs if m.modified > since - 5000 and m.t <= now]
        older = False
    if count is not None and len(items) > count:
        items = items[:count]
        older = True
    return Reply({"uri": c.path_uri() + ("?" + q.raw if q.raw else ""),
                  "records": [message_record(c, m) for m in items],
                  "syncInfo": {"syncType": stype, "syncToken": _sync_token(e, now),
                               "syncTime": iso(now), "olderRecordsExist": older}})


# ---- media host -----------------------------------------------------------------------------

def message_content(c):
    m = _message(c)
    try:
        aid = int(c.p["attachmentId"])
    except ValueError:
        raise not_found("attachmentId")
    for a, atype, ctype in c.store.attachments(m):
        if a == aid:
            blob = c.store.attachment_blob(m, a, atype)
            ext = {"audio/x-wav": "wav", "application/pdf": "pdf", "text/plain": "txt"}[ctype]
            return Reply(blob=blob, headers={"Content-Type": ctype,
                                             "Content-Disposition": disposition(c, a, ext)})
    raise not_found("attachmentId")
