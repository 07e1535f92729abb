# SPDX-License-Identifier: MIT
# Answering rules (user and company), greeting dictionary, fax cover pages.

import base64

import data
from account import hours
from context import Reply
from data import DAY
from util import iso, not_found, page_args, paged


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
    if hours(e):
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
                      "greetings": greets, "screening": "Off"})
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


# ---- forwarding numbers, caller blocking ------------------------------------------------------

def _forwarding(c, e):
    base = c.ext_uri(e) + "/forwarding-number/"
    p = c.store.peers
    rows = [(e.id + 11, e.direct, "Desk phone", "PhoneLine", ["CallForwarding"], None)]
    if e.type == "User":
        rows.append((e.id + 12, p[4]["phoneNumber"], "Mobile", "Mobile",
                     ["CallForwarding", "CallFlip"], "2"))
        rows.append((e.id + 13, p[5]["phoneNumber"], "Home", "Home", ["CallForwarding", "CallFlip"], "3"))
    out = []
    for fid, num, label, ftype, feats, flip in rows:
        r = {"uri": base + str(fid), "id": str(fid), "phoneNumber": num, "label": label,
             "features": feats, "type": ftype}
        if flip:
            r["flipNumber"] = flip
        if ftype == "PhoneLine":
            r["device"] = {"id": str(e.id + 21)}
        out.append(r)
    return out


def list_forwarding(c):
    e = c.ext()
    page, per = page_args(c.q)
    return Reply(paged(c.path_uri(), c.echo(), _forwarding(c, e), page, per, lambda r: r))


def get_forwarding(c):
    e = c.ext()
    for r in _forwarding(c, e):
        if r["id"] == c.p["forwardingNumberId"]:
            return Reply(r)
    raise not_found("forwardingNumberId")


def caller_blocking(c):
    c.ext()
    return Reply({"mode": "Specific", "noCallerId": "Allow", "payPhones": "Block",
                  "greetings": [_greet_ref(c, "398593")]})


def _blocked(c, e):
    base = c.ext_uri(e) + "/caller-blocking/phone-numbers/"
    rows = [("+17179665004", "Robocaller", "Blocked"), ("+18005550199", "Car warranty", "Blocked"),
            (c.store.peers[2]["phoneNumber"], c.store.peers[2]["name"], "Allowed")]
    out = []
    for num, label, status in rows:
        bid = base64.b64encode(num.lstrip("+").encode()).decode().rstrip("=")
        out.append({"uri": base + bid, "id": bid, "phoneNumber": num, "label": label, "status": status})
    return out


def list_blocked(c):
    e = c.ext()
    page, per = page_args(c.q)
    status = c.q.enum_one("status", ("Blocked", "Allowed"))
    items = [r for r in _blocked(c, e) if status is None or r["status"] == status]
    return Reply(paged(c.path_uri(), c.echo(), items, page, per, lambda r: r))


def get_blocked(c):
    e = c.ext()
    for r in _blocked(c, e):
        if r["id"] == c.p["blockedNumberId"]:
            return Reply(r)
    raise not_found("blockedNumberId")
