# SPDX-License-Identifier: MIT
# Message store: list, one message, message-sync, attachment content (media host).

import base64
import hashlib
import json

import content
from account import account_numbers, ext_numbers
from context import DIRECTIONS, MSG_TYPES, Reply, digits, disposition, e164, short_number, window
from data import DAY
from util import ApiError, bad_param, iso, not_found, page_args, paged


# ---- message store -----------------------------------------------------------------

def _att_record(c, m, aid, atype, ctype):
    a = {"id": aid, "uri": "%s/message-store/%d/content/%d" % (c.ext_uri(m.ext, media=True), m.id, aid),
         "type": atype, "contentType": ctype}
    if atype == "AudioRecording":
        a["vmDuration"] = m.dur
    elif atype == "MmsAttachment":
        f = _mms_file(m, aid)
        a["size"] = len(f["data"])
        if f.get("fileName"):
            a["fileName"] = f["fileName"]
    return a


def _mms_file(m, aid):
    for f in (m.extra or {}).get("mms", ()):
        if f["id"] == aid:
            return f
    return None


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
        if m.recips:
            to = [x.party() for x in m.recips]
    elif m.direction == "Inbound":
        frm, to = peer, [me]
        if m.recips:
            to = [dict(x) for x in m.recips]
    else:
        frm = dict(m.extra["from"]) if m.extra and "from" in m.extra else me
        to = [dict(x) for x in m.recips] if m.recips else [dict(peer)]
        if m.type == "Fax":
            for x in to:
                x["messageStatus"] = m.status
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
    if m.type in ("SMS", "Pager") and m.text:
        r["subject"] = m.text
    elif m.type == "VoiceMail":
        r["subject"] = m.peer.get("name") or m.peer.get("phoneNumber")
    elif m.direction == "Inbound":
        r["subject"] = m.peer["phoneNumber"]
    r["messageStatus"] = m.status
    if m.type == "SMS" and m.direction == "Outbound":
        if m.status in ("Delivered", "Sent"):
            r["smsDeliveryTime"] = iso(m.t + 2000)
        r["smsSendingAttemptsCount"] = 1
    if m.type == "Pager":
        r["pgToDepartment"] = False
    if m.type == "Fax":
        r["faxResolution"] = m.res
        r["faxPageCount"] = m.pages
        if m.cover is not None:
            r["coverIndex"] = m.cover
        if m.extra and m.extra.get("coverPageText"):
            r["coverPageText"] = m.extra["coverPageText"]
    r["lastModifiedTime"] = iso(m.modified)
    if m.type == "VoiceMail":
        r["vmTranscriptionStatus"] = "Completed" if m.transcribed else "NotAvailable"
    return r


def _msg_filter(c, msgs, date_from, date_to, sync=False):
    q = c.q
    types = frozenset(q.enum_list("messageType", MSG_TYPES))
    dirs = frozenset(q.enum_list("direction", DIRECTIONS))
    reads = frozenset(q.enum_list("readStatus", ("Read", "Unread")))
    avail = frozenset(q.enum_list("availability", ("Alive", "Deleted", "Purged"))) or frozenset({"Alive"})
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
    distinct = q.bool("distinctConversations", False)

    def keep(m):
        if types and m.type not in types:
            return False
        if dirs and m.direction not in dirs:
            return False
        if reads and ("Read" if m.read else "Unread") not in reads:
            return False
        if m.avail not in avail:
            return False
        if conv is not None and m.conv != conv:
            return False
        if phone is not None:
            nums = [digits(m.peer.get("phoneNumber", ""))] if isinstance(m.peer, dict) else []
            if not any(n.endswith(phone) or phone.endswith(n) for n in nums if n):
                return False
        return True

    # the filtered store is kept between pages (and invalidated by any change)
    key = ("messages", id(msgs), types, dirs, reads, avail, conv, phone, distinct)
    return c.store.listing(key, msgs, keep, date_from, date_to,
                           _distinct_conversations if distinct else None)


def _distinct_conversations(msgs):
    """The newest message of each conversation (messages without one all stay)."""
    seen = set()
    uniq = []
    for m in msgs:
        key = m.conv if m.conv is not None else ("m", m.id)
        if key not in seen:
            seen.add(key)
            uniq.append(m)
    return uniq


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


def patch_message(c):
    """PATCH (today's API, PatchMessageRequest): readStatus and/or availability; a message
    in Deleted is restored with availability Alive. A purged one is gone (404)."""
    m = _message(c)
    body = c.json_body()
    if not isinstance(body, dict) or not ({"readStatus", "availability"} & set(body)):
        raise bad_param("body")
    rs = body.get("readStatus")
    av = body.get("availability")
    if rs is not None and rs not in ("Read", "Unread"):
        raise bad_param("readStatus", str(rs))
    if av is not None and av not in ("Alive", "Deleted", "Purged"):
        raise bad_param("availability", str(av))
    changed = False
    if rs is not None and (rs == "Read") != m.read:
        m.read = rs == "Read"
        changed = True
    if av is not None and av != m.avail:
        m.avail = av
        changed = True
    if changed:
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


def _sync_token(c, e, ms):
    raw = "sim2:%s:%d:%d" % (c.store.sync_epoch, e.id, ms)
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _parse_sync_token(c, e, tok):
    """The time a token was issued, or None for a token this server does not know: another
    extension's, one from before a reset (the server forgot it), or one past sync_token_ttl."""
    try:
        raw = base64.urlsafe_b64decode(tok + "=" * (-len(tok) % 4)).decode()
        tag, epoch, eid, ms = raw.split(":")
        if tag != "sim2" or epoch != c.store.sync_epoch or int(eid) != e.id:
            return None
        ms = int(ms)
    except Exception:
        return None
    ttl = c.sim.sync_token_ttl
    if ttl is not None and c.now() - ms > ttl * 1000:
        return None
    return ms


def bad_sync_token():
    """The server refuses the token: the client must start over with an FSync."""
    return ApiError(400, "MSG-333", "Parameter [syncToken] is invalid", "syncToken")


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
        since = _parse_sync_token(c, e, tok) if tok else None
        if since is None:
            raise bad_sync_token()
        items = [m for m in msgs if m.modified > since - 5000 and m.t <= now]
        older = False
    if count is not None and len(items) > count:
        items = items[:count]
        older = True
    return Reply({"uri": c.path_uri() + ("?" + q.raw if q.raw else ""),
                  "records": [message_record(c, m) for m in items],
                  "syncInfo": {"syncType": stype, "syncToken": _sync_token(c, e, now),
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
            if atype == "MmsAttachment":
                blob = content.Blob(ctype, _mms_file(m, a)["data"])
            else:
                blob = c.store.attachment_blob(m, a, atype)
            ext = {"audio/x-wav": "wav", "application/pdf": "pdf", "text/plain": "txt"}.get(ctype) \
                or MMS_TYPES.get(ctype, ("bin",))[0]
            return Reply(blob=blob, headers={"Content-Type": ctype,
                                             "Content-Disposition": disposition(c, a, ext)})
    raise not_found("attachmentId")


# ---- sending ------------------------------------------------------------------------------------

SMS_MAX = 1000          # UTF-16 code units
GROUP_MAX = 10


def _utf16_len(text):
    return len(text.encode("utf-16-le")) // 2


def _known_name(c, number):
    for p in c.store.peers:
        if p["phoneNumber"] == number:
            return p["name"]
    for x in c.store.exts:
        if x.direct == number:
            return x.name
    return None


def _sms_conversation(c, ext, numbers):
    """The conversation of `ext` with these peers: an existing one is reused."""
    if len(numbers) == 1:
        for m in c.store.messages(ext):
            if m.type == "SMS" and m.conv is not None and not m.recips \
                    and isinstance(m.peer, dict) and m.peer.get("phoneNumber") == numbers[0]:
                return m.conv
        return 2 ** 60 + int(digits(numbers[0]) or 0)
    h = hashlib.sha1("|".join(sorted(numbers)).encode()).hexdigest()
    return 2 ** 61 + int(h[:15], 16)


def _sms_recipients(c, e, to, mms=False):
    if not isinstance(to, list) or not to:
        raise bad_param("to")
    exts = {x.number for x in c.store.exts}
    out = []
    for r in to:
        raw = r.get("phoneNumber") if isinstance(r, dict) else None
        if isinstance(raw, str) and short_number(raw):
            if raw.strip() in exts:
                raise ApiError(400, "MSG-246", "Sending SMS from/to extension numbers is not available")
            raise ApiError(400, "MSG-247", "Sending SMS to short numbers is not available")
        num = e164(raw)
        if num is None:
            raise bad_param("to.phoneNumber", raw if isinstance(raw, str) else None)
        if num in out:
            raise ApiError(400, "CMN-406", "Duplicate value for parameter to: %s found in request" % num,
                           "to")
        if not num.startswith("+1"):
            if mms:
                raise ApiError(403, "MSG-383", "International MMS feature is not available")
            raise ApiError(403, "MSG-240", "International SMS is not available for account.")
        out.append(num)
    if len(out) > GROUP_MAX:
        raise ApiError(400, "MSG-381", "Exceeded maximum number of recipients for a Group MMS: [%d]"
                       % GROUP_MAX)
    for num in out:
        blocked = [b for b in _blocked_list(c, e) if b["phoneNumber"] == num and b["status"] == "Blocked"]
        if blocked:
            raise ApiError(400, "MSG-243", "Parameter [to] value [%s] is invalid [Phone number is blocked]"
                           % num.lstrip("+"), "to")
    return out


def _blocked_list(c, e):
    from rules import blocked_list
    return blocked_list(c, e)


# MMS attachments: the content types the service takes (developer guide, "Sending
# MMS"), with the file name extensions an application/octet-stream part is typed by
MMS_TYPES = {
    "image/jpeg": ("jpg", "jpeg"), "image/png": ("png",), "image/bmp": ("bmp",),
    "image/gif": ("gif",), "image/tiff": ("tiff", "tif"), "image/svg+xml": ("svg",),
    "image/webp": ("webp",), "video/3gpp": ("3gp",), "video/mp4": ("mp4", "m4v"),
    "video/mpeg": ("mpeg", "mpg"), "video/avi": ("avi",), "video/x-flv": ("flv",),
    "video/x-ms-wmv": ("wmv",), "video/quicktime": ("mov", "qt"), "video/webm": ("webm",),
    "video/ogg": ("ogv",), "audio/mpeg": ("mp3",), "audio/mp4": ("m4a",), "audio/ogg": ("oga", "ogg"),
    "audio/wav": ("wav",), "audio/arm": ("arm",), "audio/3gpp": (), "text/vcard": ("vcf", "vcard"),
    "application/zip": ("zip",), "application/gzip": ("gz", "gzip"), "application/rtf": ("rtf",),
    "application/pdf": ("pdf",), "text/html": ("html", "htm"), "text/plain": ("txt",),
    "text/csv": ("csv",), "text/calendar": ("ics",),
}
MMS_EXT = {x: t for t, exts in MMS_TYPES.items() for x in exts}
MMS_MAX_FILES = 10
MMS_MAX_BYTES = 1500000     # all attachments of one message together


def _sms_request(c):
    """(fields, attachment parts) of a send: a JSON body, or multipart (form-data as
    the SDKs send it, a `request.json` part with the fields and one part per file; or
    mixed, the JSON part first) with the same fields in its JSON part."""
    if not c.is_multipart():
        return c.json_body(), []
    parts = c.parts()
    mixed = (c.headers.get("Content-Type") or "").lower().startswith("multipart/mixed")
    fields = None
    files = []
    for i, p in enumerate(parts):
        is_json = p.content_type == "application/json" and (
            (mixed and i == 0) or p.name in (None, "json", "request.json", "request")
            or p.filename == "request.json")
        if fields is None and is_json:
            try:
                fields = json.loads(p.text())
            except ValueError:
                raise ApiError(400, "CMN-103", "JSON can't be parsed")
            if not isinstance(fields, dict):
                raise ApiError(400, "CMN-103", "JSON can't be parsed")
        else:
            files.append(p)
    return fields or {}, files


def _mms_files(c, files):
    """[(part, content type)] of MMS attachments, or the service's error."""
    if len(files) > MMS_MAX_FILES:
        raise ApiError(400, "MSG-379", "Too many attachments")
    typed = []
    for n, p in enumerate(files, 1):
        name = p.filename or ""
        ctype = p.content_type
        ext = name.rsplit(".", 1)[1].lower() if "." in name else ""
        if not ctype or ctype == "application/octet-stream":
            ctype = MMS_EXT.get(ext)
        if ctype not in MMS_TYPES:
            raise ApiError(415, "MSG-348", "Unsupported attachment media type, attachment [%d]: [%s]"
                           % (n, name or p.content_type))
        if not p.data:
            raise ApiError(400, "MSG-347", "Attachment [%s] body is empty" % (name or n))
        typed.append((p, ctype))
    if sum(len(p.data) for p in files) > MMS_MAX_BYTES:
        raise ApiError(400, "MSG-376", "Attachment size limit exceeded")
    return typed


def _mms_store(c, m, typed):
    """The MMS attachments of a new message: ids of their own, the bytes as sent."""
    if typed:
        m.extra = {"mms": [{"id": c.store.next_id("mms-attachment", 650000000000), "contentType": t,
                            "fileName": p.filename, "data": p.data} for p, t in typed]}


def send_sms(c):
    """sendSMS (and its alias /mms): JSON, or multipart with attachments (MMS)."""
    e = c.ext()
    body, files = _sms_request(c)
    if e.type != "User":
        raise ApiError(403, "MSG-314", "Extension is of inappropriate type")
    frm = body.get("from")
    raw_from = frm.get("phoneNumber") if isinstance(frm, dict) else None
    if raw_from is None:
        raise bad_param("from")
    fnum = e164(raw_from)
    if fnum is None:
        raise bad_param("from.phoneNumber", str(raw_from))
    mine = {r["phoneNumber"]: r for r in ext_numbers(c, e)}
    if fnum not in mine:
        raise ApiError(403, "MSG-304", "Phone number doesn't belong to extension", "from")
    if mine[fnum]["type"] == "FaxOnly":
        raise ApiError(403, "MSG-241", "Cannot send SMS from Fax number", "from")
    if "SmsSender" not in mine[fnum]["features"]:
        raise ApiError(403, "MSG-367", '"from" phone number does not support SMS', "from")
    text = body.get("text")
    if files and text is None:
        text = ""                       # an MMS may carry attachments only
    if not isinstance(text, str) or not (text or files):
        raise bad_param("text")
    if _utf16_len(text) > SMS_MAX:
        raise bad_param("text")
    numbers = _sms_recipients(c, e, body.get("to"), mms=bool(files))
    typed = _mms_files(c, files)
    country = body.get("country")
    if country is not None:
        if not isinstance(country, dict):
            raise bad_param("country")
        if "id" in country and "isoCode" in country:
            raise ApiError(400, "MSG-365", "Parameters [country.id] and [country.isoCode] can not be "
                           "specified simultaneously")
    now = c.now()
    with c.store.lock:
        m = c.store.new_message(e, "SMS", "Outbound", now)
        m.text = text
        m.status = "Queued"
        m.recips = []
        for n in numbers:
            p = {"phoneNumber": n}
            name = _known_name(c, n)
            if name:
                p["name"] = name
            m.recips.append(p)
        m.peer = dict(m.recips[0])
        m.conv = _sms_conversation(c, e, numbers)
        _mms_store(c, m, typed)
        c.store.insert_message(e, m)
        # a recipient inside the account receives it
        for n in numbers:
            other = next((x for x in c.store.exts if x.direct == n and x.type == "User"), None)
            if other is None or other is e:
                continue
            im = c.store.new_message(other, "SMS", "Inbound", now)
            im.text = text
            im.status = "Received"
            im.peer = {"phoneNumber": fnum, "name": e.name}
            if len(numbers) > 1:
                im.recips = [dict(x) for x in m.recips]
            peers = [fnum] + [x for x in numbers if x != n]
            im.conv = _sms_conversation(c, other, peers)
            _mms_store(c, im, typed)
            c.store.insert_message(other, im)
    return Reply(message_record(c, m))


def _pager_ext(c, ref, param):
    if not isinstance(ref, dict):
        raise bad_param(param)
    eid, num = ref.get("extensionId"), ref.get("extensionNumber")
    if eid is None and num is None:
        raise bad_param(param + ".extensionId")
    found = None
    if eid is not None:
        try:
            found = c.store.by_id.get(int(str(eid)))
        except ValueError:
            raise bad_param(param + ".extensionId", str(eid))
        if found is None:
            raise ApiError(400, "CMN-102", "Resource for parameter [%s] is not found" % param, param)
    if num is not None:
        by_num = c.store.by_number.get(str(num))
        if by_num is None:
            raise ApiError(400, "MSG-316", "Parameter [%s] value [%s] is invalid [Target extension not found]"
                           % (param, num), param)
        if found is not None and found is not by_num:
            raise ApiError(400, "MSG-335", "Recipient extension number does not correspond to ID")
        found = by_num
    return found


def send_pager(c):
    e = c.ext()
    body = c.json_body()
    frm = body.get("from")
    if frm is not None:
        if not isinstance(frm, dict):
            raise bad_param("from")
        if frm.get("extensionId") is not None and str(frm["extensionId"]) != str(e.id):
            raise ApiError(400, "MSG-332", "Parameter [from] value [%s] is invalid [Sender extension id "
                           "does not correspond to logged in extension]" % frm["extensionId"], "from")
        if frm.get("extensionNumber") is not None and str(frm["extensionNumber"]) != e.number:
            raise ApiError(400, "MSG-331", "Parameter [from] value [%s] is invalid [Sender extension number "
                           "does not correspond to logged in extension]" % frm["extensionNumber"], "from")
    if e.type != "User":
        raise ApiError(403, "MSG-330", "Sender extension is of unappropriate type")
    text = body.get("text")
    if not isinstance(text, str) or not text or _utf16_len(text) > SMS_MAX:
        raise bad_param("text")
    to = body.get("to")
    if not isinstance(to, list) or not to:
        raise bad_param("to")
    recips = []
    for ref in to:
        x = _pager_ext(c, ref, "to")
        if x not in recips:
            recips.append(x)
    now = c.now()
    with c.store.lock:
        m = c.store.new_message(e, "Pager", "Outbound", now)
        m.text = text
        m.status = "Sent"
        m.peer = recips[0]
        m.recips = recips
        c.store.insert_message(e, m)
        for x in recips:
            if x is e or x.type != "User":
                continue
            im = c.store.new_message(x, "Pager", "Inbound", now)
            im.text = text
            im.status = "Received"
            im.peer = e
            im.recips = recips if len(recips) > 1 else None
            c.store.insert_message(x, im)
    r = message_record(c, m)
    if any(x.type == "Department" for x in recips):
        r["pgToDepartment"] = True
    return Reply(r)


# fax uploads: content types and the file name extensions they may be guessed from
FAX_TYPES = {
    "application/pdf": ("pdf",), "image/tiff": ("tif", "tiff"), "image/tif": (),
    "image/jpeg": ("jpg", "jpeg"), "image/png": ("png",), "image/gif": ("gif",),
    "image/bmp": ("bmp",), "text/plain": ("txt", "text", "log"), "text/html": ("htm", "html"),
    "text/rtf": ("rtf",), "application/rtf": (), "text/xml": ("xml",), "application/xml": (),
    "text/csv": ("csv",), "application/msword": ("doc",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.ms-excel": ("xls",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
    "application/vnd.ms-powerpoint": ("ppt",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ("pptx",),
    "application/vnd.oasis.opendocument.text": ("odt",),
    "application/vnd.oasis.opendocument.spreadsheet": ("ods",),
    "application/vnd.oasis.opendocument.presentation": ("odp",),
    "application/postscript": ("ps", "eps"),
}
FAX_EXT = {x: t for t, exts in FAX_TYPES.items() for x in exts}


def _fax_type(part, n):
    name = part.filename or ""
    if len(name) > 256:
        raise ApiError(400, "MSG-370", "filename is too long, 256 characters allowed")
    ctype = part.content_type
    ext = name.rsplit(".", 1)[1].lower() if "." in name else ""
    if ctype and ctype != "application/octet-stream":
        if ctype not in FAX_TYPES:
            raise ApiError(415, "MSG-348", "Unsupported attachment media type, attachment [%d]: [%s]"
                           % (n, name or ctype))
        return ctype
    if not ctype and not name:
        raise ApiError(400, "MSG-356", "Either filename or content type should be specified, "
                       "attachment [%d]: []" % n)
    if not ext:
        if ctype:
            raise ApiError(400, "MSG-355", "For binary data filename with extension should be "
                           "specified, attachment [%d]: [%s]" % (n, name))
        raise ApiError(415, "MSG-353", "No file extension or content type specified, attachment "
                       "[%d]: [%s]" % (n, name))
    if ext not in FAX_EXT:
        raise ApiError(415, "MSG-348", "Unsupported attachment media type, attachment [%d]: [.%s]"
                       % (n, ext))
    return FAX_EXT[ext]


def _fax_request(c):
    """(params dict, [(part, content type)]) from multipart/form-data or multipart/mixed."""
    if not c.is_multipart():
        if (c.headers.get("Content-Type") or "").lower().startswith("application/json"):
            return c.json_body(), []
        raise ApiError(400, "CMN-104", "Cannot parse request")
    parts = c.parts()
    mixed = (c.headers.get("Content-Type") or "").lower().startswith("multipart/mixed")
    params = {"to": []}
    files = []
    for i, p in enumerate(parts):
        if p.content_type == "application/json" and (p.name in (None, "json", "request.json", "request")
                                                     or p.filename == "request.json"):
            try:
                obj = json.loads(p.text())
            except ValueError:
                raise ApiError(400, "CMN-103", "JSON can't be parsed")
            if not isinstance(obj, dict):
                raise ApiError(400, "CMN-103", "JSON can't be parsed")
            for k, v in obj.items():
                if k == "to":
                    params["to"].extend(v if isinstance(v, list) else [v])
                else:
                    params[k] = v
        elif p.is_file or (mixed and i > 0) or p.name in ("attachment", "attachments"):
            files.append(p)
        elif p.name == "to":
            v = p.text().strip()
            if v.startswith("{"):
                try:
                    v = json.loads(v)
                except ValueError:
                    raise bad_param("to", v)
            params["to"].append(v)
        elif p.name:
            params[p.name] = p.text()
    return params, files


# The account's default fax cover page (rules.COVER_PAGES: "Classic"): what a fax
# sent without coverIndex gets, as on the real service; coverIndex=0 sends none.
DEFAULT_COVER = 5


def _fax_pdf(c, e, m, files):
    pages = []
    who = "%s %s" % (e.name, e.direct)
    dests = ", ".join(x["phoneNumber"] for x in m.recips)
    if m.cover:
        lines = ["FAX", "From: %s" % who, "To: %s" % dests, "Date: %s" % iso(m.t, millis=False),
                 "Cover page %d" % m.cover, ""]
        lines += ((m.extra or {}).get("coverPageText") or "").splitlines()
        pages.append(lines)
    for n, (p, ctype) in enumerate(files, 1):
        if ctype == "text/plain":
            text = p.text().splitlines() or [""]
            for i in range(0, len(text), 40):
                pages.append(["%s (%d)" % (p.filename or "attachment %d" % n, i // 40 + 1)] + text[i:i + 40])
        else:
            pages.append(["Attachment %d: %s" % (n, p.filename or ""), "%s, %d bytes" % (ctype, len(p.data))])
    return content.make_pdf(pages, "Fax from %s" % who).data


def send_fax(c):
    e = c.ext()
    params, files = _fax_request(c)
    exts = {x.number for x in c.store.exts}
    recips = []
    for t in params.get("to") or []:
        raw = t.get("phoneNumber") if isinstance(t, dict) else t
        if isinstance(raw, str) and short_number(raw) and raw.strip() in exts:
            raise ApiError(400, "MSG-344", "Sending fax to extension numbers is not available")
        num = e164(raw)
        if num is None:
            raise bad_param("to", raw if isinstance(raw, str) else None)
        p = {"phoneNumber": num}
        name = t.get("name") if isinstance(t, dict) else None
        if isinstance(name, str) and name:
            p["name"] = name
        if num not in [x["phoneNumber"] for x in recips]:
            recips.append(p)
    if not recips:
        raise bad_param("to")
    res = params.get("faxResolution", "Low")
    if res not in ("High", "Low"):
        raise bad_param("faxResolution", str(res))
    cover = params.get("coverIndex")
    if cover is None:
        cover = DEFAULT_COVER  # no cover option: the account's default cover page
    else:
        try:
            cover = int(str(cover))
        except ValueError:
            raise bad_param("coverIndex", str(cover))
        if not 0 <= cover <= 13:
            raise bad_param("coverIndex", str(cover))
    ctext = params.get("coverPageText")
    if ctext is not None and (not isinstance(ctext, str) or len(ctext) > 1024):
        raise bad_param("coverPageText")
    if params.get("sendTime") is not None:
        from util import parse_iso
        if not isinstance(params["sendTime"], str) or parse_iso(params["sendTime"]) is None:
            raise bad_param("sendTime", str(params["sendTime"]))
    if "country" in params and isinstance(params["country"], dict) \
            and "id" in params["country"] and "isoCode" in params["country"]:
        raise ApiError(400, "MSG-365", "Parameters [country.id] and [country.isoCode] can not be "
                       "specified simultaneously")
    if not files:
        raise bad_param("attachment")
    typed = []
    for n, p in enumerate(files, 1):
        ctype = _fax_type(p, n)
        if not p.data:
            raise ApiError(400, "MSG-347", "Attachment [%s] body is empty" % (p.filename or n))
        typed.append((p, ctype))
    now = c.now()
    with c.store.lock:
        m = c.store.new_message(e, "Fax", "Outbound", now)
        m.read = False
        m.status = "Queued"
        m.pages = 0
        m.res = res
        m.cover = cover
        m.extra = {"coverPageText": ctext} if ctext else None
        m.recips = recips
        m.peer = dict(recips[0])
        if len(typed) == 1 and typed[0][1] == "application/pdf":
            m.blob = typed[0][0].data
        else:
            m.blob = _fax_pdf(c, e, m, typed)
        c.store.insert_message(e, m)
    return Reply(message_record(c, m))


def delete_by_filter(c):
    """DELETE message-store?conversationId=..: the matching messages go to the trash."""
    e = c.ext()
    convs = set()
    for v in c.q.all("conversationId"):
        for part in v.split(","):
            try:
                convs.add(int(part))
            except ValueError:
                raise bad_param("conversationId", part)
    date_to = c.q.date("dateTo")
    types = set(c.q.enum_list("type", MSG_TYPES))
    if not convs and date_to is None:
        raise bad_param("conversationId")
    now = c.now()
    with c.store.lock:
        for m in c.store.messages(e):
            if m.avail != "Alive" or m.t > now:
                continue
            if convs and m.conv not in convs:
                continue
            if date_to is not None and m.t >= date_to:
                continue
            if types and m.type not in types:
                continue
            m.avail = "Deleted"
            m.modified = now
    return Reply(status=204, raw=b"")
