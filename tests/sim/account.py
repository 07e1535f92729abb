# SPDX-License-Identifier: MIT
# API info, account, extensions, phone numbers, presence, business hours.

import data
from context import Reply
from data import DAY
from util import ApiError, iso, page_args, paged

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


# ---- presence, business hours ----------------------------------------------------------

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


def hours(e):
    if e is None:
        return {"weeklyRanges": {d: [{"from": "09:00", "to": "18:00"}] for d in WEEKDAYS}}
    if e.number == "101":
        wr = {d: [{"from": "08:30", "to": "12:30"}, {"from": "13:30", "to": "17:30"}] for d in WEEKDAYS}
        wr["saturday"] = [{"from": "10:00", "to": "14:00"}]
        return {"weeklyRanges": wr}
    if e.number == "103":
        return {}
    return hours(None)


def user_hours(c):
    e = c.ext()
    return Reply({"uri": c.ext_uri(e) + "/business-hours", "schedule": hours(e)})


def company_hours(c):
    c.account()
    return Reply({"uri": c.acct_uri() + "/business-hours", "schedule": hours(None)})
