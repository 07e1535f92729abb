# SPDX-License-Identifier: MIT
# API info, account, extensions, phone numbers, presence, business hours.

import data
from context import Reply
from data import DAY
from util import ApiError, bad_param, iso, page_args, paged

VERSION = {"versionString": "1.0.56", "releaseDate": "2023-06-21T00:00:00.000Z", "uriString": "v1.0"}


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


def _number_record(c, num_id, number, usage, features, ext=None, label=None, ntype="VoiceFax"):
    r = {"uri": c.acct_uri() + "/phone-number/%d" % num_id, "id": num_id, "phoneNumber": number,
         "paymentType": "Local", "type": ntype, "usageType": usage, "status": "Normal",
         "country": {"uri": c.base + "/restapi/v1.0/dictionary/country/1", "id": "1",
                     "name": "United States"},
         "features": features}
    if label:
        r["label"] = label
    if ext is not None:
        r["extension"] = {"uri": c.ext_uri(ext), "id": ext.id, "extensionNumber": ext.number}
        r["primary"] = ntype != "FaxOnly"
    return r


FAX_ONLY = {"102": (510131174108, "+16505550112")}     # ext 102 also has a fax-only number


def ext_numbers(c, e):
    """The phone-number records of an extension (as listExtensionPhoneNumbers shows them)."""
    feats = ["CallerId", "SmsSender", "MmsSender", "A2PSmsSender"] if e.type == "User" else ["CallerId"]
    items = [_number_record(c, e.phone_id, e.direct, "DirectNumber", feats, e)]
    if e.number in FAX_ONLY:
        fid, fnum = FAX_ONLY[e.number]
        items.append(_number_record(c, fid, fnum, "DirectNumber", [], e, label="Fax",
                                    ntype="FaxOnly"))
    if e is c.store.demo:
        main = _number_record(c, data.MAIN_NUMBER_ID, data.MAIN_NUMBER, "MainCompanyNumber",
                              ["CallerId"], label="Main Company Number")
        main["paymentType"] = "TollFree"
        items.append(main)
    return items


def account_numbers(store):
    """Every phone number of the account: direct numbers, fax-only numbers, main number."""
    nums = {data.MAIN_NUMBER}
    for e in store.exts:
        nums.add(e.direct)
        if e.number in FAX_ONLY:
            nums.add(FAX_ONLY[e.number][1])
    return nums


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
    items = ext_numbers(c, e)
    if usage:
        items = [r for r in items if r["usageType"] in usage]
    if status and "Normal" not in status:
        items = []
    return Reply(paged(c.path_uri(), c.echo(), items, page, per, lambda r: r))


# ---- presence, business hours ----------------------------------------------------------

PRESENCE = {"101": ("Available", "NoCall", "Available", "TakeAllCalls", None),
            "102": ("Busy", "CallConnected", "Available", "TakeAllCalls", "On a customer call"),
            "103": ("Offline", "NoCall", "Offline", "DoNotAcceptAnyCalls", "On vacation"),
            "201": ("Available", "NoCall", "Available", "TakeAllCalls", None)}


USER_STATUS = ("Offline", "Busy", "Available")
DND_STATUS = ("TakeAllCalls", "DoNotAcceptAnyCalls", "DoNotAcceptDepartmentCalls",
              "TakeDepartmentCallsOnly")
PRESENCE_WRITABLE = {"userStatus": USER_STATUS, "dndStatus": DND_STATUS, "message": str,
                     "allowSeeMyPresence": bool, "ringOnMonitoredCall": bool,
                     "pickUpCallsOnHold": bool}


def _presence_state(c, e):
    def make():
        ps, ts, us, dnd, msg = PRESENCE.get(e.number, PRESENCE["201"])
        st = {"telephonyStatus": ts, "userStatus": us, "dndStatus": dnd,
              "allowSeeMyPresence": True, "ringOnMonitoredCall": False, "pickUpCallsOnHold": True}
        if msg:
            st["message"] = msg
        return st
    return c.store.state(("presence", e.id), make)


def _presence_record(c, e, with_meeting=False):
    st = _presence_state(c, e)
    ts, us = st["telephonyStatus"], st["userStatus"]
    ps = "Offline" if us == "Offline" else "Busy" if us == "Busy" or ts != "NoCall" else "Available"
    r = {"uri": c.ext_uri(e) + "/presence",
         "extension": {"uri": c.ext_uri(e), "id": e.id, "extensionNumber": e.number},
         "presenceStatus": ps, "telephonyStatus": ts, "userStatus": us, "dndStatus": st["dndStatus"],
         "allowSeeMyPresence": st["allowSeeMyPresence"],
         "ringOnMonitoredCall": st["ringOnMonitoredCall"],
         "pickUpCallsOnHold": st["pickUpCallsOnHold"]}
    if st.get("message"):
        r["message"] = st["message"]
    if with_meeting:
        r["meetingStatus"] = "Disconnected"
    return r


def presence(c):
    e = c.ext()
    r = _presence_record(c, e)
    if c.q.bool("detailedTelephonyState", False) and r["telephonyStatus"] == "CallConnected":
        r["activeCalls"] = [{"id": "IActive102", "direction": "Outbound", "from": e.direct,
                             "to": c.store.peers[1]["phoneNumber"], "telephonyStatus": r["telephonyStatus"],
                             "sessionId": "409111222444", "telephonySessionId": "s-b1e8d2f3"}]
    return Reply(r)


def update_presence(c):
    e = c.ext()
    body = c.json_body()
    if e.type == "Department":
        raise ApiError(403, "PRS-106", "Not allowed update presence for extensions of Department type")
    for k, v in body.items():
        want = PRESENCE_WRITABLE.get(k)
        ok = (want is not None and (isinstance(v, want) if isinstance(want, type) else v in want))
        if want is str and isinstance(v, str) and len(v) > 1024:
            ok = False
        if not ok:
            raise bad_param(k, v if isinstance(v, str) else None)
    with c.store.lock:
        st = _presence_state(c, e)
        st.update(body)
    return Reply(_presence_record(c, e, with_meeting=True))


WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
ALL_DAYS = WEEKDAYS + ("saturday", "sunday")
MAX_RANGES = 10


def _default_hours(e):
    if e is None:
        return {"weeklyRanges": {d: [{"from": "09:00", "to": "18:00"}] for d in WEEKDAYS}}
    if e.number == "101":
        wr = {d: [{"from": "08:30", "to": "12:30"}, {"from": "13:30", "to": "17:30"}] for d in WEEKDAYS}
        wr["saturday"] = [{"from": "10:00", "to": "14:00"}]
        return {"weeklyRanges": wr}
    if e.number == "103":
        return {}
    return _default_hours(None)


def hours(store, e):
    """The live schedule of an extension (e) or of the company (None); {} is 24/7."""
    return store.state(("hours", e.id if e else None), lambda: _default_hours(e))


def _minutes(t, allow_24=False):
    if not isinstance(t, str) or len(t) != 5 or t[2] != ":" or not (t[:2] + t[3:]).isdigit():
        return None
    h, m = int(t[:2]), int(t[3:])
    if m > 59 or h > 24 or (h == 24 and (m or not allow_24)):
        return None
    return h * 60 + m


def parse_schedule(body):
    """Validate {"schedule": {"weeklyRanges": {day: [{from, to}]}}} ({} = 24/7)."""
    sched = body.get("schedule")
    if not isinstance(sched, dict) or set(sched) - {"weeklyRanges"}:
        raise bad_param("schedule")
    if "weeklyRanges" not in sched:
        return {}
    wr = sched["weeklyRanges"]
    if not isinstance(wr, dict) or not wr:
        raise bad_param("schedule.weeklyRanges")
    out = {}
    for day in wr:
        if day not in ALL_DAYS:
            raise bad_param("schedule.weeklyRanges", day)
    for day in ALL_DAYS:
        if day not in wr:
            continue
        ranges = wr[day]
        if not isinstance(ranges, list):
            raise bad_param("schedule.weeklyRanges")
        if not ranges:
            raise ApiError(400, "AWR-176", "At least one time range for [%s] required" % day)
        if len(ranges) > MAX_RANGES:
            raise ApiError(400, "AWR-177", "Time ranges limit for [%s] exceeded" % day)
        spans = []
        for r in ranges:
            if not isinstance(r, dict) or set(r) - {"from", "to"}:
                raise bad_param("ranges")
            a, b = _minutes(r.get("from")), _minutes(r.get("to"), allow_24=True)
            if a is None or b is None or a >= b:
                raise bad_param("ranges")
            spans.append((a, b, {"from": r["from"], "to": r["to"]}))
        spans.sort(key=lambda x: x[0])
        for (a1, b1, _), (a2, b2, _) in zip(spans, spans[1:]):
            if a2 < b1:
                raise bad_param("ranges")
        out[day] = [x[2] for x in spans]
    return {"weeklyRanges": out}


def user_hours(c):
    e = c.ext()
    return Reply({"uri": c.ext_uri(e) + "/business-hours", "schedule": hours(c.store, e)})


def company_hours(c):
    c.account()
    return Reply({"uri": c.acct_uri() + "/business-hours", "schedule": hours(c.store, None)})


def update_user_hours(c):
    e = c.ext()
    sched = parse_schedule(c.json_body())
    with c.store.lock:
        c.store._state[("hours", e.id)] = sched
    return user_hours(c)


def update_company_hours(c):
    c.account()
    sched = parse_schedule(c.json_body())
    with c.store.lock:
        c.store._state[("hours", None)] = sched
    return company_hours(c)
