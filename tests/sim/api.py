# SPDX-License-Identifier: MIT
# The RingCentral operations the simulator answers. ROUTES is the routing
# table: one row per (method, path template) with the operationId, the
# usage-plan group (the seed's, checked by tests/test_sim.py), the host that
# serves it and the handler. A row without a handler is a known operation the
# simulator does not do yet (501 CMN-202).

import base64

import data
from data import DAY, HOUR
from util import ApiError, bad_param, iso, not_found, page_args, paged

MSG_TYPES = ("Fax", "SMS", "VoiceMail", "Pager", "Text")
DIRECTIONS = ("Inbound", "Outbound")
VERSION = {"versionString": "1.0.56", "releaseDate": "2023-06-21T00:00:00.000Z", "uriString": "v1.0"}


class Reply:
    """A handler's answer: JSON object, raw bytes or a content Blob."""

    def __init__(self, obj=None, status=200, blob=None, headers=None, raw=None):
        self.obj = obj
        self.status = status
        self.blob = blob
        self.raw = raw
        self.headers = headers or {}


class Ctx:
    def __init__(self, sim, route, params, query, session, headers):
        self.sim = sim
        self.store = sim.store
        self.route = route
        self.p = params
        self.q = query
        self.session = session
        self.headers = headers
        self.base = sim.api_url
        self.media = sim.media_url

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


# ---- API info -------------------------------------------------------------------

def _version(c):
    v = {"uri": c.base + "/restapi/v1.0"}
    v.update(VERSION)
    return v


def get_all_versions(c):
    return Reply({"uri": c.base + "/restapi/", "apiVersions": [_version(c)],
                  "serverVersion": "23.2.10.1000", "serverRevision": "5a1c7e3b9d20"})


def get_api_version(c):
    if c.p["apiVersion"] not in ("v1.0", "v1"):
        raise ApiError(404, "CMN-120", "Invalid URI")
    return Reply(_version(c))


def load_api_status(c):
    return Reply(raw=b"")


# ---- account, extensions, phone numbers -------------------------------------------

COUNTRY = {"id": "1", "name": "United States", "isoCode": "US", "callingCode": "1"}
TIMEZONE = {"id": "58", "name": "US/Pacific", "description": "Pacific Time (US & Canada)", "bias": "-480"}
LANGUAGE = {"id": "1033", "name": "English (United States)", "localeCode": "en-US"}


def _country(c):
    d = {"uri": c.base + "/restapi/v1.0/dictionary/country/1"}
    d.update(COUNTRY)
    return d


def read_account(c):
    c.account()
    demo = c.store.demo
    return Reply({
        "uri": c.acct_uri(), "id": data.ACCOUNT_ID,
        "serviceInfo": {"uri": c.acct_uri() + "/service-info",
                        "brand": {"id": "1210", "name": "RingCentral", "homeCountry": _country(c)},
                        "servicePlan": {"id": "1216", "name": "Professional", "edition": "Unknown"},
                        "billingPlan": {"id": "159", "name": "Monthly", "durationUnit": "Month",
                                        "duration": 1, "type": "Regular"}},
        "operator": {"uri": c.ext_uri(demo), "id": demo.id, "extensionNumber": demo.number},
        "mainNumber": data.MAIN_NUMBER, "status": "Confirmed",
        "signupInfo": {"signupState": ["AccountCreated", "AccountConfirmed"],
                       "verificationReason": "Unknown"},
        "setupWizardState": "Completed",
        "regionalSettings": {"timezone": dict(TIMEZONE), "homeCountry": _country(c),
                             "language": dict(LANGUAGE), "timeFormat": "12h"},
        "federated": False, "cfid": "18002010310", "companyName": data.COMPANY})


def _ext_record(c, e):
    contact = {"firstName": e.first, "email": e.email, "businessPhone": e.direct,
               "emailAsLoginName": True, "company": data.COMPANY}
    if e.last:
        contact["lastName"] = e.last
    r = {"uri": c.ext_uri(e), "id": e.id, "extensionNumber": e.number, "contact": contact,
         "name": e.name, "type": e.type, "status": "Enabled",
         "permissions": {"admin": {"enabled": e.admin}, "internationalCalling": {"enabled": False}},
         "hidden": False}
    if e.type == "User":
        r["profileImage"] = {"uri": c.ext_uri(e) + "/profile-image"}
    return r


def list_extensions(c):
    c.account()
    q = c.q
    page, per = page_args(q)
    items = list(c.store.exts)
    num = q.one("extensionNumber")
    if num is not None:
        items = [e for e in items if e.number == num]
    email = q.one("email")
    if email is not None:
        items = [e for e in items if e.email == email.lower()]
    types = q.enum_list("type", ("User", "Department", "Announcement", "Voicemail", "DigitalUser",
                                 "VirtualUser", "FaxUser", "PagingOnly", "SharedLinesGroup",
                                 "IvrMenu", "ApplicationExtension", "ParkLocation", "Limited",
                                 "Bot", "Site", "Room", "ProxyAdmin", "DelegatedLinesGroup",
                                 "GroupCallPickup"))
    if types:
        items = [e for e in items if e.type in types]
    status = q.enum_list("status", ("Enabled", "Disabled", "Frozen", "NotActivated", "Unassigned"))
    if status and "Enabled" not in status:
        items = []
    return Reply(paged(c.path_uri(), c.echo(), items, page, per, lambda e: _ext_record(c, e)))


def read_extension(c):
    e = c.ext()
    r = _ext_record(c, e)
    r["account"] = {"uri": c.acct_uri(), "id": str(data.ACCOUNT_ID)}
    r["contact"]["pronouncedName"] = {"type": "Default", "text": e.name}
    r["creationTime"] = iso(c.store.anchor - 400 * DAY - e.idx * 3 * DAY)
    r["regionalSettings"] = {"homeCountry": _country(c), "timezone": dict(TIMEZONE),
                             "language": dict(LANGUAGE), "greetingLanguage": dict(LANGUAGE),
                             "formattingLocale": {"id": "1033", "name": "English (United States)",
                                                  "localeCode": "en-US"}, "timeFormat": "12h"}
    user = e.type == "User"
    feats = [("SMS", user), ("SMSReceiving", user), ("Pager", True), ("PagerReceiving", True),
             ("Voicemail", True), ("Fax", True), ("FaxReceiving", True), ("Presence", True),
             ("CallLog", True), ("CallForwarding", user), ("RingOut", user),
             ("InternationalCalling", False), ("Conferencing", user), ("VoipCalling", user),
             ("HipaaCompliance", False)]
    r["serviceFeatures"] = []
    for name, on in feats:
        f = {"featureName": name, "enabled": on}
        if not on:
            f["reason"] = "AccountLimitation" if name in ("InternationalCalling", "HipaaCompliance") \
                else "ExtensionTypeLimitation"
        r["serviceFeatures"].append(f)
    r["setupWizardState"] = "Completed"
    if e.admin:
        r["roles"] = [{"uri": c.acct_uri() + "/user-role/1", "id": "1"}]
    return Reply(r)


def _number_record(c, num_id, number, usage, features, ext=None, label=None):
    r = {"uri": c.acct_uri() + "/phone-number/%d" % num_id, "id": num_id, "phoneNumber": number,
         "paymentType": "Local", "type": "VoiceFax", "usageType": usage, "status": "Normal",
         "country": {"uri": c.base + "/restapi/v1.0/dictionary/country/1", "id": "1",
                     "name": "United States"},
         "features": features}
    if label:
        r["label"] = label
    if ext is not None:
        r["extension"] = {"uri": c.ext_uri(ext), "id": ext.id, "extensionNumber": ext.number}
        r["primary"] = True
    return r


def list_ext_numbers(c):
    e = c.ext()
    page, per = page_args(c.q)
    usage = c.q.enum_list("usageType", ("MainCompanyNumber", "AdditionalCompanyNumber",
                                        "CompanyNumber", "DirectNumber", "CompanyFaxNumber",
                                        "ForwardedNumber", "ForwardedCompanyNumber",
                                        "ContactCenterNumber", "ConferencingNumber",
                                        "MeetingsNumber", "NumberPool", "BusinessMobileNumber",
                                        "IntegrationNumber"))
    status = c.q.enum_list("status", ("Normal", "Pending", "PortedIn", "Temporary", "Unknown"))
    feats = ["CallerId", "SmsSender", "MmsSender", "A2PSmsSender"] if e.type == "User" else ["CallerId"]
    items = [_number_record(c, e.phone_id, e.direct, "DirectNumber", feats, e)]
    if e is c.store.demo:
        main = _number_record(c, data.MAIN_NUMBER_ID, data.MAIN_NUMBER, "MainCompanyNumber",
                              ["CallerId"], label="Main Company Number")
        main["paymentType"] = "TollFree"
        items.append(main)
    if usage:
        items = [r for r in items if r["usageType"] in usage]
    if status and "Normal" not in status:
        items = []
    return Reply(paged(c.path_uri(), c.echo(), items, page, per, lambda r: r))


# ---- message store -----------------------------------------------------------------

def _att_record(c, m, aid, atype, ctype):
    a = {"id": aid, "uri": "%s/message-store/%d/content/%d" % (c.ext_uri(m.ext, media=True), m.id, aid),
         "type": atype, "contentType": ctype}
    if atype == "AudioRecording":
        a["vmDuration"] = m.dur
    return a


def message_record(c, m):
    e = m.ext
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


def _digits(s):
    return "".join(ch for ch in s if ch.isdigit())


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
        phone = _digits(phone)
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
            nums = [_digits(m.peer.get("phoneNumber", ""))] if isinstance(m.peer, dict) else []
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


def _window(c, default_span):
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


def list_messages(c):
    e = c.ext()
    page, per = page_args(c.q)
    date_from, date_to, defaulted = _window(c, DAY)
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
    if m is None:
        raise not_found("messageId")
    return m


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
        date_from, date_to, _ = _window(c, DAY)
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
    date_from, date_to, defaulted = _window(c, DAY)
    types = set(q.enum_list("type", ("Voice", "Fax")))
    dirs = set(q.enum_list("direction", DIRECTIONS))
    rtype = q.enum_one("recordingType", ("Automatic", "OnDemand", "All"))
    with_rec = q.bool("withRecording")
    q.bool("showBlocked")
    q.bool("showDeleted")
    q.enum_list("transport", ("PSTN", "VoIP"))
    phone = q.one("phoneNumber")
    phone = _digits(phone) if phone is not None else None
    extnum = q.one("extensionNumber")
    session = q.one("sessionId")
    tsid = q.one("telephonySessionId")
    out = []
    for call in calls:
        if call.t >= date_to:
            continue
        if call.t < date_from:
            break
        if types and call.type not in types:
            continue
        if dirs and call.direction not in dirs:
            continue
        if (rtype or with_rec) and not call.recording:
            continue
        if rtype in ("Automatic", "OnDemand") and call.recording.type != rtype:
            continue
        if phone and not any(_digits(p.get("phoneNumber", "")).endswith(phone)
                             for p in (call.frm, call.to)):
            continue
        if extnum is not None and call.ext.number != extnum:
            continue
        if session is not None and call.session != session:
            continue
        if tsid is not None and call.tsid != tsid:
            continue
        out.append(call)
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
        raise ApiError(403, "CMN-402", "Admin permission required")
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
                  "contentType": "audio/x-wav", "duration": r.duration})


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


# ---- contacts, favorites -------------------------------------------------------------------

def contact_record(c, ext, ct):
    r = {"uri": c.ext_uri(ext) + "/address-book/contact/%d" % ct.id, "availability": "Alive",
         "id": ct.id}
    r.update(ct.fields)
    return r


def list_contacts(c):
    e = c.ext()
    q = c.q
    page, per = page_args(q)
    items = c.store.contacts(e)
    sw = q.one("startsWith")
    if sw:
        s = sw.lower()
        items = [x for x in items if x.fields.get("firstName", "").lower().startswith(s)
                 or x.fields.get("lastName", "").lower().startswith(s)]
    phones = [_digits(p) for p in q.all("phoneNumber")]
    if phones:
        items = [x for x in items if any(_digits(v).endswith(p) for p in phones if p
                                         for k, v in x.fields.items() if k.endswith("Phone"))]
    sort = q.enum_list("sortBy", ("FirstName", "LastName", "Company"))
    if sort:
        keys = {"FirstName": "firstName", "LastName": "lastName", "Company": "company"}
        items = sorted(items, key=lambda x: tuple(x.fields.get(keys[s], "").lower() for s in sort))
    out = paged(c.path_uri(), c.echo(), items, page, per, lambda x: contact_record(c, e, x))
    out["groups"] = {"uri": c.ext_uri(e) + "/address-book/group"}
    return Reply(out)


def load_contact(c):
    e = c.ext()
    try:
        cid = int(c.p["contactId"])
    except ValueError:
        raise not_found("contactId")
    for ct in c.store.contacts(e):
        if ct.id == cid:
            return Reply(contact_record(c, e, ct))
    raise not_found("contactId")


def list_favorites(c):
    e = c.ext()
    recs = []
    for other in c.store.exts:
        if other is not e and other.type == "User":
            recs.append({"id": len(recs) + 1, "extensionId": str(other.id)})
    for ct in c.store.contacts(e)[:2]:
        recs.append({"id": len(recs) + 1, "contactId": str(ct.id)})
    return Reply({"uri": c.ext_uri(e) + "/favorite", "records": recs})


# ---- presence, business hours, answering rules ------------------------------------------------

PRESENCE = {"101": ("Available", "NoCall", "Available", "TakeAllCalls", None),
            "102": ("Busy", "CallConnected", "Available", "TakeAllCalls", "On a customer call"),
            "103": ("Offline", "NoCall", "Offline", "DoNotAcceptAnyCalls", "On vacation"),
            "201": ("Available", "NoCall", "Available", "TakeAllCalls", None)}


def presence(c):
    e = c.ext()
    ps, ts, us, dnd, msg = PRESENCE.get(e.number, PRESENCE["201"])
    r = {"uri": c.ext_uri(e) + "/presence",
         "extension": {"uri": c.ext_uri(e), "id": e.id, "extensionNumber": e.number},
         "presenceStatus": ps, "telephonyStatus": ts, "userStatus": us, "dndStatus": dnd,
         "allowSeeMyPresence": True, "ringOnMonitoredCall": False, "pickUpCallsOnHold": True}
    if msg:
        r["message"] = msg
    if c.q.bool("detailedTelephonyState", False) and ts == "CallConnected":
        r["activeCalls"] = [{"id": "IActive102", "direction": "Outbound", "from": e.direct,
                             "to": c.store.peers[1]["phoneNumber"], "telephonyStatus": ts,
                             "sessionId": "409111222444", "telephonySessionId": "s-b1e8d2f3"}]
    return Reply(r)


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")


def _hours(e):
    if e is None:
        return {"weeklyRanges": {d: [{"from": "09:00", "to": "18:00"}] for d in WEEKDAYS}}
    if e.number == "101":
        wr = {d: [{"from": "08:30", "to": "12:30"}, {"from": "13:30", "to": "17:30"}] for d in WEEKDAYS}
        wr["saturday"] = [{"from": "10:00", "to": "14:00"}]
        return {"weeklyRanges": wr}
    if e.number == "103":
        return {}
    return _hours(None)


def user_hours(c):
    e = c.ext()
    return Reply({"uri": c.ext_uri(e) + "/business-hours", "schedule": _hours(e)})


def company_hours(c):
    c.account()
    return Reply({"uri": c.acct_uri() + "/business-hours", "schedule": _hours(None)})


GREETINGS = [("65792", "Default", "Voicemail", "UserExtensionAnsweringRule", None, None),
             ("66301", "None", "Introductory", "UserExtensionAnsweringRule", None, None),
             ("66310", "Acoustic", "ConnectingAudio", "UserExtensionAnsweringRule", "acoustic.wav", "Music"),
             ("66319", "Reggae", "ConnectingAudio", "UserExtensionAnsweringRule", "reggae.wav", "Music"),
             ("68867", "Default", "ConnectingMessage", "UserExtensionAnsweringRule", None, None),
             ("65793", "Default", "Unavailable", "UserExtensionAnsweringRule", None, None),
             ("65794", "Default", "Company", "CompanyAnsweringRule", None, None),
             ("66380", "Ring Tones", "HoldMusic", "UserExtensionAnsweringRule", None, "RingTones"),
             ("398593", "Blocked", "BlockedCallersAll", "BlockedCalls", None, None)]


def greeting_record(c, g):
    gid, name, gtype, usage, f, cat = g
    r = {"uri": c.base + "/restapi/v1.0/dictionary/greeting/" + gid, "id": gid, "name": name,
         "usageType": usage, "type": gtype}
    if f:
        r["contentUri"] = c.media + "/greetings/en_US/1210/" + f
    if cat:
        r["category"] = cat
    return r


def _greet_ref(c, gid):
    g = next(x for x in GREETINGS if x[0] == gid)
    return {"type": g[2], "preset": {"uri": c.base + "/restapi/v1.0/dictionary/greeting/" + gid,
                                     "id": gid, "name": g[1]}}


def list_greetings(c):
    page, per = page_args(c.q)
    types = set(c.q.enum_list("type", sorted({g[2] for g in GREETINGS} | {"Announcement",
                                                                          "InterruptPrompt"})))
    usage = c.q.one("usageType")
    items = [g for g in GREETINGS if (not types or g[2] in types) and (usage is None or g[3] == usage)]
    return Reply(paged(c.path_uri(), c.echo(), items, page, per, lambda g: greeting_record(c, g)))


def get_greeting(c):
    for g in GREETINGS:
        if g[0] == c.p["greetingId"]:
            return Reply(greeting_record(c, g))
    raise not_found("greetingId")


def _user_rules(c, e):
    base = c.ext_uri(e) + "/answering-rule/"
    vm = {"enabled": True, "recipient": {"uri": c.ext_uri(e), "id": e.id}}
    greets = [_greet_ref(c, "65792"), _greet_ref(c, "66301"), _greet_ref(c, "66310"),
              _greet_ref(c, "68867")]
    fwd = {"notifyMySoftPhones": True, "notifyAdminSoftPhones": False, "softPhonesRingCount": 3,
           "ringingMode": "Sequentially",
           "rules": [{"index": 1, "ringCount": 4, "enabled": True,
                      "forwardingNumbers": [{"uri": c.ext_uri(e) + "/forwarding-number/%d" % (e.id + 11),
                                             "id": str(e.id + 11), "phoneNumber": e.direct,
                                             "label": "Desk phone", "type": "PhoneLine"}]}],
           "mobileTimeout": False}
    rules = [{"uri": base + "business-hours-rule", "id": "business-hours-rule",
              "type": "BusinessHours", "name": "Work Hours", "enabled": True,
              "schedule": {"ref": "BusinessHours"}, "callHandlingAction": "ForwardCalls",
              "forwarding": fwd, "voicemail": vm, "greetings": greets, "screening": "Off"}]
    if _hours(e):
        rules.append({"uri": base + "after-hours-rule", "id": "after-hours-rule",
                      "type": "AfterHours", "name": "After Hours", "enabled": True,
                      "schedule": {"ref": "AfterHours"}, "callHandlingAction": "TakeMessagesOnly",
                      "voicemail": vm, "greetings": greets[:1], "screening": "Off"})
    if e.type == "User":
        rid = str(3107589020 + e.idx * 1000)
        p = c.store.peers
        rules.append({"uri": base + rid, "id": rid, "type": "Custom", "name": "Family and friends",
                      "enabled": e.number != "103",
                      "callers": [{"callerId": p[2]["phoneNumber"].lstrip("+"), "name": p[2]["name"]},
                                  {"callerId": p[3]["phoneNumber"].lstrip("+"), "name": p[3]["name"]}],
                      "callHandlingAction": "ForwardCalls", "forwarding": fwd, "voicemail": vm,
                      "greetings": greets, "screening": "Never" if False else "Off"})
    return rules


def list_user_rules(c):
    e = c.ext()
    page, per = page_args(c.q)
    rules = _user_rules(c, e)
    t = c.q.enum_one("type", ("BusinessHours", "AfterHours", "Custom"))
    if t:
        rules = [r for r in rules if r["type"] == t]
    if c.q.bool("enabledOnly", False):
        rules = [r for r in rules if r["enabled"]]
    c.q.enum_one("view", ("Detailed", "Simple"))
    short = lambda r: {k: r[k] for k in ("uri", "id", "type", "name", "enabled") if k in r}
    return Reply(paged(c.path_uri(), c.echo(), rules, page, per, short))


def load_user_rule(c):
    e = c.ext()
    for r in _user_rules(c, e):
        if r["id"] == c.p["ruleId"]:
            return Reply(r)
    raise not_found("ruleId")


def _company_rules(c):
    base = c.acct_uri() + "/answering-rule/"
    demo = c.store.demo
    op = {"uri": c.ext_uri(demo), "id": str(demo.id)}
    called = [{"id": str(data.MAIN_NUMBER_ID), "phoneNumber": data.MAIN_NUMBER}]
    return [
        {"uri": base + "business-hours-rule", "id": "business-hours-rule", "type": "BusinessHours",
         "name": "Business Hours", "enabled": True, "calledNumbers": called,
         "schedule": {"ref": "BusinessHours"}, "callHandlingAction": "Operator", "extension": op,
         "greetings": [_greet_ref(c, "65794")]},
        {"uri": base + "after-hours-rule", "id": "after-hours-rule", "type": "AfterHours",
         "name": "After Hours", "enabled": True, "calledNumbers": called,
         "schedule": {"ref": "AfterHours"}, "callHandlingAction": "Disconnect",
         "greetings": [_greet_ref(c, "65794")]},
        {"uri": base + "2851390020", "id": "2851390020", "type": "Custom", "name": "Holiday closure",
         "enabled": True, "calledNumbers": called,
         "schedule": {"ranges": [{"from": iso(c.store.anchor + 20 * DAY - c.store.anchor % DAY),
                                  "to": iso(c.store.anchor + 22 * DAY - c.store.anchor % DAY)}]},
         "callHandlingAction": "Bypass", "extension": op,
         "greetings": [_greet_ref(c, "65794")]},
    ]


def list_company_rules(c):
    c.account()
    page, per = page_args(c.q)
    short = lambda r: {k: r[k] for k in ("uri", "id", "type", "name", "enabled", "calledNumbers")
                       if k in r}
    return Reply(paged(c.path_uri(), c.echo(), _company_rules(c), page, per, short))


def load_company_rule(c):
    c.account()
    for r in _company_rules(c):
        if r["id"] == c.p["ruleId"]:
            return Reply(r)
    raise not_found("ruleId")


COVER_PAGES = ["None", "Ancient", "Birthday", "Blank", "Clasmod", "Classic", "Confidential",
               "Contempo", "Elegant", "Express", "Formal", "Jazzy", "Modern", "Urgent"]


def fax_cover_pages(c):
    page, per = page_args(c.q)
    items = [{"id": str(i), "name": n} for i, n in enumerate(COVER_PAGES)]
    return Reply(paged(c.path_uri(), c.echo(), items, page, per, lambda r: r))


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
                                             "Content-Disposition": _disposition(c, a, ext)})
    raise not_found("attachmentId")


def _disposition(c, ident, ext):
    kind = c.q.enum_one("contentDisposition", ("Inline", "Attachment"), "Inline").lower()
    name = c.q.one("contentDispositionFilename") or "%s.%s" % (ident, ext)
    return "%s;filename=%s" % (kind, name)


def recording_content(c):
    r = _recording(c)
    return Reply(blob=c.store.recording_blob(r),
                 headers={"Content-Type": "audio/x-wav",
                          "Content-Disposition": _disposition(c, r.id, "wav")})


# ---- the routing table ---------------------------------------------------------------------

A = "/restapi/v1.0/account/{accountId}"
E = A + "/extension/{extensionId}"
CONTENT_OP = ("preturns-a-specific-message-attachment-data-as-a-media-streamph4app-permissionh4"
              "preadmessagesph4user")


class Route:
    def __init__(self, method, template, operation, group, handler=None, host="api", auth=True):
        self.method = method
        self.template = template
        self.operation = operation
        self.group = group
        self.handler = handler
        self.host = host
        self.auth = auth
        self.segments = [s for s in template.split("/") if s]
        self.literals = sum(1 for s in self.segments if not s.startswith("{"))

    def match(self, path):
        segs = [s for s in path.split("/") if s]
        if len(segs) != len(self.segments):
            return None
        params = {}
        for want, got in zip(self.segments, segs):
            if want.startswith("{"):
                params[want[1:-1]] = got
            elif want != got:
                return None
        return params


R = Route
ROUTES = [
    # OAuth (not in the seed): handled by the server itself
    R("POST", "/restapi/oauth/token", "getToken", "Auth", auth=False),
    R("POST", "/restapi/oauth/revoke", "revokeToken", "Auth", auth=False),
    # API info
    R("GET", "/restapi/", "getAllVersions", "NoThrottling", get_all_versions, auth=False),
    R("GET", "/restapi/{apiVersion}", "getApiVersion", "NoThrottling", get_api_version, auth=False),
    R("GET", "/restapi/v1.0/status", "loadAPIStatus", "NoThrottling", load_api_status, auth=False),
    # account and extensions (not in the seed)
    R("GET", A, "readAccountInfo", "Light", read_account),
    R("GET", A + "/extension", "listExtensions", "Medium", list_extensions),
    R("GET", E, "readExtension", "Light", read_extension),
    R("GET", E + "/phone-number", "listExtensionPhoneNumbers", "Light", list_ext_numbers),
    # call log, recordings
    R("GET", E + "/call-log", "loadExtensionCallLog", "Heavy", ext_call_log),
    R("GET", E + "/call-log/{callRecordId}", "getCallRecords", "Heavy", get_call_record),
    R("GET", E + "/active-calls", "listExtensionActiveCalls", "Heavy", active_calls),
    R("GET", A + "/call-log", "loadAccountCallLog", "Heavy", account_call_log),
    R("GET", A + "/recording/{recordingId}", "listCallRecordings", "Heavy", get_recording),
    R("GET", A + "/recording/{recordingId}/content", "listCallRecordingData", "Heavy",
      recording_content, host="media"),
    # messages
    R("POST", E + "/sms", "sendSMS", "Medium"),
    R("POST", E + "/company-pager", "sendInternalMessage", "Medium"),
    R("POST", E + "/fax", "sendFaxMessage", "Heavy"),
    R("GET", "/restapi/v1.0/dictionary/fax-cover-page", "listFaxCoverPages", "Light", fax_cover_pages),
    R("GET", E + "/message-store", "listMessages", "Light", list_messages),
    R("DELETE", E + "/message-store", "deleteMessagesByFilter", "Medium"),
    R("GET", E + "/message-store/{messageId}", "loadMessage", "Light", load_message),
    R("PUT", E + "/message-store/{messageId}", "updateMessage", "Medium"),
    R("DELETE", E + "/message-store/{messageId}", "deleteMessage", "Medium"),
    R("GET", E + "/message-store/{messageId}/content/{attachmentId}", CONTENT_OP, "Medium",
      message_content, host="media"),
    R("GET", E + "/message-sync", "syncMessages", "Light", sync_messages),
    # ring-out
    R("POST", E + "/ring-out", "makeRingOutCallNew", "Heavy"),
    R("GET", E + "/ring-out/{ringoutId}", "getRingOutCallStatusNew", "Light"),
    R("DELETE", E + "/ring-out/{ringoutId}", "cancelRingOutCallNew", "Heavy"),
    R("POST", E + "/ringout", "makeRingOutCall", "Heavy"),
    R("GET", E + "/ringout/{ringoutId}", "getRingOutCallStatus", "Light"),
    R("DELETE", E + "/ringout/{ringoutId}", "cancelRingOutCall", "Heavy"),
    # contacts, favorites, directory
    R("GET", E + "/address-book/contact", "listContacts", "Heavy", list_contacts),
    R("POST", E + "/address-book/contact", "createContact", "Heavy"),
    R("GET", E + "/address-book/contact/{contactId}", "loadContact", "Heavy", load_contact),
    R("PUT", E + "/address-book/contact/{contactId}", "updateContact", "Heavy"),
    R("DELETE", E + "/address-book/contact/{contactId}", "deleteContact", "Heavy"),
    R("GET", E + "/favorite", "listFavoriteContacts", "Light", list_favorites),
    R("PUT", E + "/favorite", "updateFavoriteContacts", "Medium"),
    R("GET", A + "/directory/contacts", "listDirectoryContacts", "Medium"),
    R("GET", A + "/directory/contacts/{contactId}", "loadDirectoryContact", "Medium"),
    # presence
    R("GET", E + "/presence", "getPresenceStatus", "Light", presence),
    R("PUT", E + "/presence", "updatePresenceStatus", "Medium"),
    # glip
    R("GET", "/restapi/v1.0/glip/groups", "listGlipGroups", "Medium"),
    R("POST", "/restapi/v1.0/glip/groups", "createGlipGroup", "Medium"),
    R("GET", "/restapi/v1.0/glip/groups/{groupId}", "loadGlipGroup", "Light"),
    R("POST", "/restapi/v1.0/glip/groups/{groupId}/bulk-assign", "assignGlipGroupMembers", "Medium"),
    R("GET", "/restapi/v1.0/glip/groups/{groupId}/posts", "listGlipGroupPosts", "Medium"),
    R("POST", "/restapi/v1.0/glip/groups/{groupId}/posts", "createGlipGroupPost", "Medium"),
    R("PUT", "/restapi/v1.0/glip/groups/{groupId}/posts/{postId}/text", "updateGlipPostText", "Medium"),
    R("GET", "/restapi/v1.0/glip/posts", "listGlipPosts", "Light"),
    R("POST", "/restapi/v1.0/glip/posts", "createPost", "Light"),
    R("POST", "/restapi/v1.0/glip/files", "createGlipFile", "Heavy"),
    R("GET", "/restapi/v1.0/glip/persons/{personId}", "loadGlipPerson", "Light"),
    R("GET", "/restapi/v1.0/glip/companies/{companyId}", "loadGlipCompany", "Light"),
    R("POST", "/restapi/v1.0/glip/groups/{groupId}/webhooks", "createGlipGroupWebhook", "Medium"),
    R("GET", "/restapi/v1.0/glip/groups/{groupId}/webhooks", "listGlipGroupWebhooks", "Medium"),
    R("GET", "/restapi/v1.0/glip/webhooks", "listGlipWebhooks", "Medium"),
    R("GET", "/restapi/v1.0/glip/webhooks/{webhookId}", "loadGlipWebhook", "Medium"),
    R("DELETE", "/restapi/v1.0/glip/webhooks/{webhookId}", "deleteGlipWebhook", "Medium"),
    R("POST", "/restapi/v1.0/glip/webhooks/{webhookId}/activate", "activateGlipWebhook", "Medium"),
    R("POST", "/restapi/v1.0/glip/webhooks/{webhookId}/suspend", "suspendGlipWebhook", "Medium"),
    # meetings
    R("GET", E + "/meeting", "listMeetings", "Light"),
    R("POST", E + "/meeting", "createMeeting", "Medium"),
    R("GET", E + "/meeting/{meetingId}", "loadMeeting", "Light"),
    R("PUT", E + "/meeting/{meetingId}", "updateMeeting", "Medium"),
    R("DELETE", E + "/meeting/{meetingId}", "deleteMeeting", "Medium"),
    R("POST", E + "/meeting/{meetingId}/end", "endMeeting", "Medium"),
    R("GET", E + "/meeting/service-info", "loadMeetingServiceInfo", "Light"),
    # subscriptions
    R("GET", "/restapi/v1.0/subscription", "listSubscriptions", "Light"),
    R("POST", "/restapi/v1.0/subscription", "createSubscription", "Medium"),
    R("GET", "/restapi/v1.0/subscription/{subscriptionId}", "loadSubscription", "Light"),
    R("PUT", "/restapi/v1.0/subscription/{subscriptionId}", "updateSubscription", "Medium"),
    R("DELETE", "/restapi/v1.0/subscription/{subscriptionId}", "deleteSubscription", "Medium"),
    R("POST", "/restapi/v1.0/subscription/{subscriptionId}/renew", "renewSubscription", "Light"),
    # authorization profile
    R("GET", E + "/authz-profile", "getAuthorizationProfile", "Medium"),
    R("GET", E + "/authz-profile/check", "checkUserPermission", "Light"),
    # business hours
    R("GET", E + "/business-hours", "loadUserBusinessHours", "Light", user_hours),
    R("PUT", E + "/business-hours", "updateUserBusinessHours", "Medium"),
    R("GET", A + "/business-hours", "loadBusinesshoursInfo", "Light", company_hours),
    R("PUT", A + "/business-hours", "updateCompanyBusinessHours", "Medium"),
    # blocked numbers, caller blocking
    R("GET", E + "/blocked-number", "listBlockedNumbers", "Light"),
    R("POST", E + "/blocked-number", "blockNumber", "Medium"),
    R("GET", E + "/blocked-number/{blockedNumberId}", "loadBlockedNumber", "Light"),
    R("PUT", E + "/blocked-number/{blockedNumberId}", "updateBlockedNumber", "Medium"),
    R("DELETE", E + "/blocked-number/{blockedNumberId}", "unblockNumber", "Medium"),
    R("GET", E + "/caller-blocking", "listCallBlockingSettings", "Light"),
    R("PUT", E + "/caller-blocking", "updateCallBlockingSettings", "Light"),
    R("GET", E + "/caller-blocking/phone-numbers", "listBlockedAllowedPhoneNumberLists", "Light"),
    R("POST", E + "/caller-blocking/phone-numbers", "createBlockedAllowedPhoneNumberLists", "Medium"),
    R("GET", E + "/caller-blocking/phone-numbers/{blockedNumberId}", "listBlockedAllowedPhoneNumber", "Light"),
    R("DELETE", E + "/caller-blocking/phone-numbers/{blockedNumberId}", "deleteBlockedAllowedPhoneNumber", "Medium"),
    R("PUT", E + "/caller-blocking/phone-numbers/{blockedNumberId}", "updateBlockedAllowedPhoneNumber", "Medium"),
    # forwarding numbers
    R("GET", E + "/forwarding-number", "listExtensionForwardingNumbers", "Light"),
    R("POST", E + "/forwarding-number", "createExtensionForwardingNumber", "Medium"),
    R("GET", E + "/forwarding-number/{forwardingNumberId}", "getForwardingNumber", "Light"),
    R("PUT", E + "/forwarding-number/{forwardingNumberId}", "updateExtensionForwardingNumber", "Medium"),
    R("DELETE", E + "/forwarding-number/{forwardingNumberId}", "deleteExtensionForwardingNumber", "Medium"),
    # answering rules
    R("GET", E + "/answering-rule", "loadAnsweringRulesList", "Medium", list_user_rules),
    R("POST", E + "/answering-rule", "createAnsweringRuleInfo", "Medium"),
    R("GET", E + "/answering-rule/{ruleId}", "loadAnsweringRuleInfo", "Light", load_user_rule),
    R("PUT", E + "/answering-rule/{ruleId}", "updateAnsweringRuleInfo", "Medium"),
    R("DELETE", E + "/answering-rule/{ruleId}", "deleteAnsweringRule", "Medium"),
    R("POST", A + "/answering-rule", "createCompanyAnsweringRuleInfo", "Medium"),
    R("GET", A + "/answering-rule", "listCompanyAnsweringRule", "Medium", list_company_rules),
    R("GET", A + "/answering-rule/{ruleId}", "loadCompanyAnsweringRuleInfo", "Light", load_company_rule),
    R("PUT", A + "/answering-rule/{ruleId}", "updateCompanyAnsweringRuleInfo", "Medium"),
    # greetings
    R("GET", "/restapi/v1.0/dictionary/greeting", "getGreetings", "Medium", list_greetings),
    R("GET", "/restapi/v1.0/dictionary/greeting/{greetingId}", "getGreeting", "Medium", get_greeting),
    R("POST", A + "/greeting", "getCompanyGreeting", "Medium"),
    R("POST", E + "/greeting", "createGreeting", "Heavy"),
]


def resolve(method, path, host):
    """(route, params) or (None, allowed-methods) for a path on a host."""
    best = None
    allowed = set()
    for r in ROUTES:
        if r.host != host:
            continue
        params = r.match(path)
        if params is None:
            continue
        if r.method != method and not (method == "HEAD" and r.method == "GET"):
            allowed.add(r.method)
            continue
        if best is None or r.literals > best[0].literals:
            best = (r, params)
    if best:
        return best
    return None, allowed
