# SPDX-License-Identifier: MIT
# Answering rules (user and company), greeting dictionary, fax cover pages.

import base64
import json

import commhandling
import content
import data
from account import account_numbers, hours, parse_schedule
from context import Reply, disposition, e164
from data import DAY
from util import ApiError, bad_param, iso, not_found, page_args, paged, parse_iso


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
    if True:                # shown only while business hours are not 24/7
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


def user_rules(c, e):
    """The live rules of an extension; after-hours exists only without 24/7 hours."""
    rules = c.store.state(("rules", e.id), lambda: _user_rules(c, e))
    if not hours(c.store, e):
        return [r for r in rules if r["id"] != "after-hours-rule"]
    return rules


def company_rules(c):
    return c.store.state(("rules", None), lambda: _company_rules(c))


def list_user_rules(c):
    e = c.ext()
    commhandling.refuse_v1(c, e)
    page, per = page_args(c.q)
    rules = user_rules(c, e)
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
    commhandling.refuse_v1(c, e)
    for r in user_rules(c, e):
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
    return Reply(paged(c.path_uri(), c.echo(), company_rules(c), page, per, short))


def load_company_rule(c):
    c.account()
    for r in company_rules(c):
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


def forwarding_list(c, e):
    return c.store.state(("forwarding", e.id), lambda: _forwarding(c, e))


def list_forwarding(c):
    e = c.ext()
    commhandling.refuse_v1(c, e)
    page, per = page_args(c.q)
    return Reply(paged(c.path_uri(), c.echo(), forwarding_list(c, e), page, per, lambda r: r))


def get_forwarding(c):
    e = c.ext()
    commhandling.refuse_v1(c, e)
    for r in forwarding_list(c, e):
        if r["id"] == c.p["forwardingNumberId"]:
            return Reply(r)
    raise not_found("forwardingNumberId")


def _blocking_settings(c, e):
    return c.store.state(("caller-blocking", e.id), lambda: {
        "mode": "Specific", "noCallerId": "Allow", "payPhones": "Block",
        "greetings": [_greet_ref(c, "398593")]})


def caller_blocking(c):
    e = c.ext()
    return Reply(_blocking_settings(c, e))


def _blocked(c, e):
    base = c.ext_uri(e) + "/caller-blocking/phone-numbers/"
    rows = [("+17179665004", "Robocaller", "Blocked"), ("+18005550199", "Car warranty", "Blocked"),
            (c.store.peers[2]["phoneNumber"], c.store.peers[2]["name"], "Allowed")]
    out = []
    for num, label, status in rows:
        bid = base64.b64encode(num.lstrip("+").encode()).decode().rstrip("=")
        out.append({"uri": base + bid, "id": bid, "phoneNumber": num, "label": label, "status": status})
    return out


def blocked_list(c, e):
    return c.store.state(("blocked", e.id), lambda: _blocked(c, e))


def list_blocked(c):
    e = c.ext()
    page, per = page_args(c.q)
    status = c.q.enum_one("status", ("Blocked", "Allowed"))
    items = [r for r in blocked_list(c, e) if status is None or r["status"] == status]
    return Reply(paged(c.path_uri(), c.echo(), items, page, per, lambda r: r))


def get_blocked(c):
    e = c.ext()
    for r in blocked_list(c, e):
        if r["id"] == c.p["blockedNumberId"]:
            return Reply(r)
    raise not_found("blockedNumberId")


# ---- answering rules: create, update, delete -------------------------------------------------

CALL_ACTIONS = ("ForwardCalls", "UnconditionalForwarding", "AgentQueue", "TransferToExtension",
                "TakeMessagesOnly", "PlayAnnouncementOnly", "SharedLines")
COMPANY_ACTIONS = ("Operator", "Disconnect", "Bypass")
SCREENING = ("Off", "NoCallerId", "UnknownCallerId", "Always")
RULE_KEYS = ("uri", "id", "type", "name", "enabled", "schedule", "callers", "calledNumbers",
             "callHandlingAction", "forwarding", "unconditionalForwarding", "transfer", "extension",
             "queue", "voicemail", "greetings", "screening")


def _ordered(rule):
    out = {k: rule[k] for k in RULE_KEYS if k in rule}
    out.update({k: v for k, v in rule.items() if k not in out})
    return out


def _find_ext(c, ref, param):
    if not isinstance(ref, dict) or ref.get("id") is None:
        raise bad_param(param)
    try:
        x = c.store.by_id.get(int(str(ref["id"])))
    except ValueError:
        x = None
    if x is None:
        raise ApiError(400, "CMN-102", "Resource for parameter [%s.id] is not found" % param, param + ".id")
    return x


def _rule_schedule(sched):
    if not isinstance(sched, dict) or len(sched) != 1:
        raise bad_param("schedule")
    if "ref" in sched:
        if sched["ref"] not in ("BusinessHours", "AfterHours"):
            raise bad_param("schedule.ref", str(sched["ref"]))
        return {"ref": sched["ref"]}
    if "weeklyRanges" in sched:
        return parse_schedule({"schedule": sched})
    if "ranges" in sched:
        rs = sched["ranges"]
        if not isinstance(rs, list) or not rs:
            raise bad_param("schedule.ranges")
        if len(rs) > 1000:
            raise ApiError(400, "AWR-126", "The amount of schedule ranges exceeds 1000")
        out = []
        for r in rs:
            a = parse_iso(r.get("from", "")) if isinstance(r, dict) and isinstance(r.get("from"), str) else None
            b = parse_iso(r.get("to", "")) if isinstance(r, dict) and isinstance(r.get("to"), str) else None
            if a is None or b is None or a >= b:
                raise bad_param("schedule.ranges")
            out.append({"from": r["from"], "to": r["to"]})
        return {"ranges": out}
    raise bad_param("schedule")


def _apply_rule(c, e, rule, body, company):
    """Validate `body` and apply it to a copy of `rule`; returns the copy."""
    r = json.loads(json.dumps(rule))
    if "name" in body:
        if not isinstance(body["name"], str) or not body["name"].strip():
            raise bad_param("name")
        if len(body["name"]) > 127:
            raise ApiError(400, "AWR-179", "[name] is too long: up to 127 symbols supported")
        r["name"] = body["name"]
    if "enabled" in body:
        if not isinstance(body["enabled"], bool):
            raise bad_param("enabled")
        r["enabled"] = body["enabled"]
    custom = r["type"] == "Custom"
    for k in ("callers", "calledNumbers", "schedule"):
        if k in body and not custom:
            raise bad_param(k)
    if "callers" in body:
        cs = body["callers"]
        if not isinstance(cs, list):
            raise bad_param("callers")
        out, seen = [], set()
        for x in cs:
            num = e164(x.get("callerId")) if isinstance(x, dict) else None
            if num is None:
                raise bad_param("callers.callerId")
            if num in seen:
                raise ApiError(400, "AWR-107", "More than one caller with the same [callerId]")
            seen.add(num)
            d = {"callerId": num.lstrip("+")}
            if isinstance(x.get("name"), str):
                d["name"] = x["name"]
            out.append(d)
        r["callers"] = out
        if not out:
            del r["callers"]
    if "calledNumbers" in body:
        ns = body["calledNumbers"]
        if not isinstance(ns, list):
            raise bad_param("calledNumbers")
        out, seen = [], set()
        for x in ns:
            num = e164(x.get("phoneNumber")) if isinstance(x, dict) else None
            if num is None:
                raise bad_param("calledNumbers.phoneNumber")
            if num in seen:
                raise ApiError(400, "AWR-113", "More than one called number with the same "
                               "[calledNumbers.phoneNumber]")
            seen.add(num)
            d = {"phoneNumber": num}
            if num == data.MAIN_NUMBER and company:
                d = {"id": str(data.MAIN_NUMBER_ID), "phoneNumber": num}
            out.append(d)
        r["calledNumbers"] = out
        if not out:
            del r["calledNumbers"]
    if "schedule" in body:
        r["schedule"] = _rule_schedule(body["schedule"])
    actions = COMPANY_ACTIONS if company else CALL_ACTIONS
    if "callHandlingAction" in body:
        if body["callHandlingAction"] not in actions:
            raise bad_param("callHandlingAction", str(body["callHandlingAction"]))
        r["callHandlingAction"] = body["callHandlingAction"]
    if "screening" in body and not company:
        if body["screening"] not in SCREENING:
            raise bad_param("screening", str(body["screening"]))
        r["screening"] = body["screening"]
    if "unconditionalForwarding" in body and not company:
        uf = body["unconditionalForwarding"]
        num = e164(uf.get("phoneNumber")) if isinstance(uf, dict) else None
        if num is None:
            raise bad_param("unconditionalForwarding.phoneNumber")
        r["unconditionalForwarding"] = {"phoneNumber": num}
    if "transfer" in body and not company:
        t = body["transfer"]
        x = _find_ext(c, t.get("extension") if isinstance(t, dict) else None, "transfer.extension")
        r["transfer"] = {"extension": {"uri": c.ext_uri(x), "id": str(x.id)}}
    if "extension" in body and company:
        x = _find_ext(c, body["extension"], "extension")
        r["extension"] = {"uri": c.ext_uri(x), "id": str(x.id)}
    if "voicemail" in body and not company:
        vm = body["voicemail"]
        if not isinstance(vm, dict) or ("enabled" in vm and not isinstance(vm["enabled"], bool)):
            raise bad_param("voicemail")
        new = dict(r.get("voicemail") or {"enabled": True, "recipient": {"uri": c.ext_uri(e), "id": e.id}})
        if "enabled" in vm:
            new["enabled"] = vm["enabled"]
        if "recipient" in vm:
            x = _find_ext(c, vm["recipient"], "voicemail.recipient")
            new["recipient"] = {"uri": c.ext_uri(x), "id": x.id}
        r["voicemail"] = new
    if "forwarding" in body and not company:
        fw = body["forwarding"]
        if not isinstance(fw, dict):
            raise bad_param("forwarding")
        if "ringingMode" in fw and fw["ringingMode"] not in ("Sequentially", "Simultaneously"):
            raise bad_param("forwarding.ringingMode", str(fw["ringingMode"]))
        new = dict(r.get("forwarding") or {})
        for k in ("notifyMySoftPhones", "notifyAdminSoftPhones", "softPhonesRingCount", "ringingMode",
                  "mobileTimeout"):
            if k in fw:
                new[k] = fw[k]
        r["forwarding"] = new
    if "greetings" in body:
        gs = body["greetings"]
        if not isinstance(gs, list):
            raise bad_param("greetings")
        seen = set()
        cur = list(r.get("greetings") or [])
        for g in gs:
            if not isinstance(g, dict) or not isinstance(g.get("type"), str):
                raise bad_param("greetings.type")
            gt = g["type"]
            if gt in seen:
                raise ApiError(400, "AWR-106", "Greeting [%s] is duplicated" % gt)
            seen.add(gt)
            pid = str((g.get("preset") or {}).get("id", "")) if isinstance(g.get("preset"), dict) else ""
            preset = next((x for x in GREETINGS if x[0] == pid), None)
            if preset is None:
                raise ApiError(400, "AWR-124", "presetId specified for greeting type [%s] is not found" % gt)
            if company and preset[2] != "Company":
                raise ApiError(400, "AWR-170", "Invalid greeting type: preset with [CompanyGreeting] must be used")
            if preset[2] != gt:
                raise ApiError(400, "AWR-123", "Preset [%s] can not be used for greeting type [%s]" % (pid, gt))
            ref = _greet_ref(c, pid)
            cur = [x for x in cur if x["type"] != gt] + [ref]
        r["greetings"] = cur
    if custom:
        sched = r.get("schedule")
        conds = [k for k in ("callers", "calledNumbers") if r.get(k)]
        if sched and "ref" not in sched:
            conds.append("schedule")
        if not conds:
            if sched:
                raise ApiError(400, "AWR-120", "Business Hours/After Hours schedule condition is allowed "
                               "only with other answering rule conditions")
            raise ApiError(400, "AWR-111", "At least one condition should be specified")
    if company:
        act = r.get("callHandlingAction")
        if act == "Bypass" and "extension" not in r:
            raise ApiError(400, "AWR-172", "[extension] must be specified for [Bypass] call handling action")
        if act == "Disconnect" and "extension" in body:
            raise ApiError(400, "AWR-173", "[extension] can be specified for [Bypass] call handling action only")
        if act == "Disconnect":
            r.pop("extension", None)
    return _ordered(r)


def _rule_type(body):
    t = body.get("type", "Custom")
    if t not in ("BusinessHours", "AfterHours", "Custom"):
        raise bad_param("type", str(t))
    if t != "Custom":
        raise ApiError(400, "AWR-108", "Only custom rule can be created")


def create_user_rule(c):
    e = c.ext()
    commhandling.refuse_v1(c, e)
    body = c.json_body()
    _rule_type(body)
    if not isinstance(body.get("name"), str):
        raise bad_param("name")
    rules = c.store.state(("rules", e.id), lambda: _user_rules(c, e))
    bh = next(r for r in rules if r["id"] == "business-hours-rule")
    rid = str(c.store.next_id("rule-id", 3207589020))
    base = {"uri": c.ext_uri(e) + "/answering-rule/" + rid, "id": rid, "type": "Custom",
            "enabled": True, "callHandlingAction": "ForwardCalls",
            "forwarding": json.loads(json.dumps(bh.get("forwarding") or {})),
            "voicemail": {"enabled": True, "recipient": {"uri": c.ext_uri(e), "id": e.id}},
            "greetings": [_greet_ref(c, g) for g in ("65792", "66301", "66310", "68867")],
            "screening": "Off"}
    if e.type != "User":
        base.pop("forwarding")
        base["callHandlingAction"] = "TakeMessagesOnly"
    rule = _apply_rule(c, e, base, body, company=False)
    with c.store.lock:
        rules.append(rule)
    return Reply(rule)


def _rule_index(rules, rid):
    for i, r in enumerate(rules):
        if r["id"] == rid:
            return i
    return None


def update_user_rule(c):
    e = c.ext()
    commhandling.refuse_v1(c, e)
    body = c.json_body()
    visible = user_rules(c, e)
    rules = c.store.state(("rules", e.id), lambda: _user_rules(c, e))
    rid = c.p["ruleId"]
    if _rule_index(visible, rid) is None:
        raise not_found("ruleId")
    i = _rule_index(rules, rid)
    if "type" in body and body["type"] != rules[i]["type"]:
        raise ApiError(400, "AWR-164", "Rule type cannot be changed")
    new = _apply_rule(c, e, rules[i], body, company=False)
    with c.store.lock:
        rules[i] = new
    return Reply(new)


def delete_user_rule(c):
    e = c.ext()
    commhandling.refuse_v1(c, e)
    rid = c.p["ruleId"]
    if rid in ("business-hours-rule", "after-hours-rule"):
        raise ApiError(403, "AWR-110", "Business Hours/After Hours rule cannot be deleted")
    rules = c.store.state(("rules", e.id), lambda: _user_rules(c, e))
    with c.store.lock:
        i = _rule_index(rules, rid)
        if i is None:
            raise not_found("answering-rule")
        del rules[i]
    return Reply(status=204, raw=b"")


def create_company_rule(c):
    c.account()
    body = c.json_body()
    _rule_type(body)
    if not isinstance(body.get("name"), str):
        raise bad_param("name")
    rules = company_rules(c)
    rid = str(c.store.next_id("rule-id", 3207589020))
    demo = c.store.demo
    base = {"uri": c.acct_uri() + "/answering-rule/" + rid, "id": rid, "type": "Custom",
            "enabled": True, "callHandlingAction": "Operator",
            "extension": {"uri": c.ext_uri(demo), "id": str(demo.id)},
            "greetings": [_greet_ref(c, "65794")]}
    if body.get("callHandlingAction") == "Bypass":
        base.pop("extension")
    rule = _apply_rule(c, None, base, body, company=True)
    with c.store.lock:
        rules.append(rule)
    return Reply(rule)


def update_company_rule(c):
    c.account()
    body = c.json_body()
    rules = company_rules(c)
    i = _rule_index(rules, c.p["ruleId"])
    if i is None:
        raise not_found("ruleId")
    if "type" in body and body["type"] != rules[i]["type"]:
        raise ApiError(400, "AWR-164", "Rule type cannot be changed")
    new = _apply_rule(c, None, rules[i], body, company=True)
    with c.store.lock:
        rules[i] = new
    return Reply(new)


# ---- forwarding numbers: create, update, delete -----------------------------------------------

FWD_TYPES = ("Home", "Mobile", "Work", "PhoneLine", "Outage", "Other", "BusinessMobilePhone",
             "ExtensionApps")
FWD_MAX, FWD_CUSTOM_MAX = 10, 7


def _fwd_number(c, e, raw, skip=None):
    num = e164(raw)
    if num is None:
        raise bad_param("phoneNumber", raw if isinstance(raw, str) else None)
    if not num.startswith("+1"):
        raise ApiError(400, "FPN-108", "International calling is currently disabled")
    if num in account_numbers(c.store):
        raise ApiError(400, "FPN-105", "Number %s duplicates with company/extension direct number" % num)
    if any(r["phoneNumber"] == num for r in forwarding_list(c, e) if r is not skip):
        raise bad_param("phoneNumber", raw)
    return num


def _fwd_label(c, e, label, ftype, skip=None):
    if ftype != "Other":
        label = ftype
    elif not isinstance(label, str) or not label.strip():
        label = "Other"
    if any(r["label"] == label for r in forwarding_list(c, e) if r is not skip):
        raise ApiError(400, "FPN-102", "Label of number %s duplicates with existing forwarding number label"
                       % label)
    return label


def create_forwarding(c):
    e = c.ext()
    commhandling.refuse_v1(c, e)
    body = c.json_body()
    if e.type != "User":
        raise ApiError(403, "CMN-403", "The feature is not available for this extension type")
    label = body.get("label")
    ftype = body.get("type")
    if ftype is None:
        ftype = label if label in FWD_TYPES else "Other"
    if ftype not in FWD_TYPES or ftype in ("PhoneLine", "ExtensionApps"):
        raise bad_param("type", str(ftype))
    lst = forwarding_list(c, e)
    with c.store.lock:
        num = _fwd_number(c, e, body.get("phoneNumber"))
        label = _fwd_label(c, e, label, ftype)
        if len(lst) >= FWD_MAX:
            raise ApiError(400, "FPN-103", "Limit of available forwarding numbers (%d) exceeded" % FWD_MAX)
        if ftype == "Other" and sum(1 for r in lst if r["type"] == "Other") >= FWD_CUSTOM_MAX:
            raise ApiError(400, "FPN-104", "Limit of available custom labeled forwarding numbers (%d) "
                           "exceeded" % FWD_CUSTOM_MAX)
        used = {r.get("flipNumber") for r in lst}
        flip = next((str(n) for n in range(1, 10) if str(n) not in used), None)
        fid = str(c.store.next_id(("fwd", e.id), e.id + 100))
        r = {"uri": c.ext_uri(e) + "/forwarding-number/" + fid, "id": fid, "phoneNumber": num,
             "label": label, "features": ["CallFlip", "CallForwarding"], "type": ftype}
        if flip:
            r["flipNumber"] = flip
        lst.append(r)
    return Reply(r)


def _fwd(c, e):
    for r in forwarding_list(c, e):
        if r["id"] == c.p["forwardingNumberId"]:
            return r
    raise not_found("forwardingNumberId")


def update_forwarding(c):
    e = c.ext()
    commhandling.refuse_v1(c, e)
    body = c.json_body()
    with c.store.lock:
        r = _fwd(c, e)
        new = dict(r)
        ftype = body.get("type", r["type"])
        if ftype != r["type"] and (r["type"] == "PhoneLine" or ftype not in FWD_TYPES
                                   or ftype in ("PhoneLine", "ExtensionApps")):
            raise bad_param("type", str(ftype))
        if "label" in body and "type" not in body and body["label"] in FWD_TYPES \
                and r["type"] != "PhoneLine" and body["label"] not in ("PhoneLine", "ExtensionApps"):
            ftype = body["label"]
        new["type"] = ftype
        if "phoneNumber" in body:
            if r["type"] == "PhoneLine":
                if e164(body["phoneNumber"]) != r["phoneNumber"]:
                    raise bad_param("phoneNumber", str(body["phoneNumber"]))
            else:
                new["phoneNumber"] = _fwd_number(c, e, body["phoneNumber"], skip=r)
        if r["type"] != "PhoneLine" and ("label" in body or ftype != r["type"]):
            new["label"] = _fwd_label(c, e, body.get("label", r["label"]), ftype, skip=r)
        elif "label" in body and r["type"] == "PhoneLine":
            new["label"] = str(body["label"])
        if "flipNumber" in body:
            flip = str(body["flipNumber"])
            if flip not in [str(n) for n in range(1, 10)]:
                raise bad_param("flipNumber", flip)
            if any(x.get("flipNumber") == flip for x in forwarding_list(c, e) if x is not r):
                raise ApiError(400, "FPN-106", "Flip number %s is already in use" % flip)
            new["flipNumber"] = flip
            if "CallFlip" not in new["features"]:
                new["features"] = new["features"] + ["CallFlip"]
        r.clear()
        r.update(new)
    return Reply(r)


def delete_forwarding(c):
    e = c.ext()
    commhandling.refuse_v1(c, e)
    with c.store.lock:
        r = _fwd(c, e)
        if r["type"] == "PhoneLine":
            raise ApiError(403, "FPN-107", "Device number cannot be deleted from the forwarding number list")
        forwarding_list(c, e).remove(r)
    return Reply(status=204, raw=b"")


# ---- caller blocking: settings, phone-number lists, legacy blocked-number ---------------------

BLOCK_GREETING_TYPES = ("BlockedCallersAll", "BlockedCallersSpecific", "BlockedNoCallerId",
                        "BlockedPayPhones")


def update_caller_blocking(c):
    e = c.ext()
    body = c.json_body()
    enums = {"mode": ("Specific", "All"), "noCallerId": ("BlockCallsAndFaxes", "BlockFaxes", "Allow"),
             "payPhones": ("Block", "Allow")}
    for k, allowed in enums.items():
        if k in body and body[k] not in allowed:
            raise bad_param(k, str(body[k]))
    greets = None
    if "greetings" in body:
        gs = body["greetings"]
        if not isinstance(gs, list):
            raise bad_param("greetings")
        greets = []
        for g in gs:
            gt = g.get("type") if isinstance(g, dict) else None
            pid = str((g.get("preset") or {}).get("id", "")) if isinstance(g, dict) \
                and isinstance(g.get("preset"), dict) else ""
            preset = next((x for x in GREETINGS if x[0] == pid), None)
            if gt not in BLOCK_GREETING_TYPES or preset is None or preset[3] != "BlockedCalls":
                raise bad_param("greetings")
            ref = _greet_ref(c, pid)
            ref["type"] = gt
            greets = [x for x in greets if x["type"] != gt] + [ref]
    with c.store.lock:
        st = _blocking_settings(c, e)
        for k in enums:
            if k in body:
                st[k] = body[k]
        if greets is not None:
            old = [x for x in st["greetings"] if x["type"] not in {g["type"] for g in greets}]
            st["greetings"] = old + greets
    return Reply(st)


def _bid(num):
    return base64.b64encode(num.lstrip("+").encode()).decode().rstrip("=")


def _duplicate(num):
    return ApiError(409, "CMN-406", "Phone number [%s] is already in the blocked/allowed list" % num,
                    "phoneNumber")


def _add_blocked(c, e, num, label, status):
    lst = blocked_list(c, e)
    if any(r["phoneNumber"] == num for r in lst):
        raise _duplicate(num)
    bid = _bid(num)
    r = {"uri": c.ext_uri(e) + "/caller-blocking/phone-numbers/" + bid, "id": bid, "phoneNumber": num}
    if label:
        r["label"] = label
    r["status"] = status
    lst.append(r)
    return r


def _label(body, key):
    v = body.get(key)
    if v is not None and not isinstance(v, str):
        raise bad_param(key)
    return v


def create_blocked(c):
    e = c.ext()
    body = c.json_body()
    num = e164(body.get("phoneNumber"))
    if num is None:
        raise bad_param("phoneNumber", body.get("phoneNumber") if isinstance(body.get("phoneNumber"), str) else None)
    status = body.get("status", "Blocked")
    if status not in ("Blocked", "Allowed"):
        raise bad_param("status", str(status))
    label = _label(body, "label")
    with c.store.lock:
        r = _add_blocked(c, e, num, label, status)
    return Reply(r)


def _blocked_entry(c, e, legacy=False):
    for r in blocked_list(c, e):
        if r["id"] == c.p["blockedNumberId"] and (not legacy or r["status"] == "Blocked"):
            return r
    raise not_found("blockedNumberId")


def update_blocked(c):
    e = c.ext()
    body = c.json_body()
    with c.store.lock:
        r = _blocked_entry(c, e)
        if "phoneNumber" in body and e164(body["phoneNumber"]) != r["phoneNumber"]:
            raise bad_param("phoneNumber", str(body["phoneNumber"]))
        status = body.get("status", r["status"])
        if status not in ("Blocked", "Allowed"):
            raise bad_param("status", str(status))
        label = _label(body, "label")
        new = {k: v for k, v in r.items() if k not in ("label", "status")}
        lab = label if "label" in body else r.get("label")
        if lab:
            new["label"] = lab
        new["status"] = status
        r.clear()
        r.update(new)
    return Reply(r)


def delete_blocked(c):
    e = c.ext()
    with c.store.lock:
        r = _blocked_entry(c, e)
        blocked_list(c, e).remove(r)
    return Reply(status=204, raw=b"")


def _legacy_record(c, e, r):
    out = {"id": r["id"], "uri": c.ext_uri(e) + "/blocked-number/" + r["id"]}
    if r.get("label"):
        out["name"] = r["label"]
    out["phoneNumber"] = r["phoneNumber"]
    return out


def list_legacy_blocked(c):
    e = c.ext()
    page, per = page_args(c.q)
    items = [r for r in blocked_list(c, e) if r["status"] == "Blocked"]
    return Reply(paged(c.path_uri(), c.echo(), items, page, per, lambda r: _legacy_record(c, e, r)))


def get_legacy_blocked(c):
    e = c.ext()
    return Reply(_legacy_record(c, e, _blocked_entry(c, e, legacy=True)))


def create_legacy_blocked(c):
    e = c.ext()
    body = c.json_body()
    num = e164(body.get("phoneNumber"))
    if num is None:
        raise bad_param("phoneNumber", body.get("phoneNumber") if isinstance(body.get("phoneNumber"), str) else None)
    name = _label(body, "name")
    with c.store.lock:
        r = _add_blocked(c, e, num, name, "Blocked")
    return Reply(_legacy_record(c, e, r))


def update_legacy_blocked(c):
    e = c.ext()
    body = c.json_body()
    with c.store.lock:
        r = _blocked_entry(c, e, legacy=True)
        if "phoneNumber" in body and e164(body["phoneNumber"]) != r["phoneNumber"]:
            raise bad_param("phoneNumber", str(body["phoneNumber"]))
        name = _label(body, "name")
        if "name" in body:
            if name:
                r["label"] = name
            else:
                r.pop("label", None)
            # keep the key order of the caller-blocking record
            st = r.pop("status")
            r["status"] = st
    return Reply(_legacy_record(c, e, r))


def delete_legacy_blocked(c):
    e = c.ext()
    with c.store.lock:
        r = _blocked_entry(c, e, legacy=True)
        blocked_list(c, e).remove(r)
    return Reply(status=204, raw=b"")


# ---- custom greetings --------------------------------------------------------------------------

USER_GREETING_TYPES = ("Introductory", "Announcement", "ConnectingMessage", "ConnectingAudio",
                       "Voicemail", "Unavailable", "HoldMusic", "TemplateGreeting")
COMPANY_GREETING_TYPES = ("Company", "StartRecording", "StopRecording", "AutomaticRecording",
                          "TemplateGreeting")
AUDIO_TYPES = {"audio/wav": "audio/wav", "audio/x-wav": "audio/wav", "audio/wave": "audio/wav",
               "audio/vnd.wave": "audio/wav", "audio/mpeg": "audio/mpeg", "audio/mp3": "audio/mpeg"}
AUDIO_EXT = {"wav": "audio/wav", "mp3": "audio/mpeg"}
LANGUAGES = {"1033": ("English (United States)", "en-US"), "2057": ("English (United Kingdom)", "en-GB"),
             "3084": ("French (Canada)", "fr-CA"), "1031": ("German (Germany)", "de-DE"),
             "3082": ("Spanish (Spain)", "es-ES")}


def _greeting_request(c):
    """(params, audio part or None) from multipart/form-data or multipart/mixed."""
    if not c.is_multipart():
        if (c.headers.get("Content-Type") or "").lower().startswith("application/json"):
            return c.json_body(), None
        raise ApiError(400, "CMN-104", "Cannot parse request")
    params, audio = {}, None
    for p in c.parts():
        if p.content_type == "application/json" or p.name in ("json", "request.json"):
            try:
                obj = json.loads(p.text())
            except ValueError:
                raise ApiError(400, "CMN-103", "JSON can't be parsed")
            if not isinstance(obj, dict):
                raise ApiError(400, "CMN-103", "JSON can't be parsed")
            params.update(obj)
        elif p.is_file or p.name in ("binary", "attachment") or p.content_type.startswith("audio/"):
            if audio is None:
                audio = p
        elif p.name == "answeringRuleId":
            params["answeringRule"] = {"id": p.text()}
        elif p.name:
            params[p.name] = p.text()
    return params, audio


def _create_greeting(c, e):
    company = e is None
    params, audio = _greeting_request(c)
    gtype = params.get("type")
    if company:
        if gtype in USER_GREETING_TYPES and gtype not in COMPANY_GREETING_TYPES:
            raise ApiError(400, "AWR-178", "Greeting type [%s] is not applicable to company rule" % gtype)
        if gtype not in COMPANY_GREETING_TYPES:
            raise bad_param("type", gtype if isinstance(gtype, str) else None)
    else:
        if gtype in COMPANY_GREETING_TYPES and gtype not in USER_GREETING_TYPES:
            raise ApiError(400, "CLR-103", "Company level greeting cannot be created on user level.")
        if gtype not in USER_GREETING_TYPES:
            raise bad_param("type", gtype if isinstance(gtype, str) else None)
    rule = None
    ref = params.get("answeringRule")
    v2 = not company and commhandling.upgraded(c, e)
    state_id = rule_id = None
    if v2:
        # upgraded rules are named by stateId (state-based) or interactionRuleId (custom)
        if ref is not None:
            raise ApiError(400, "CMN-102", "Resource for parameter [answeringRule.id] is not found",
                           "answeringRule.id")
        if params.get("stateId") is not None and params.get("interactionRuleId") is not None:
            raise bad_param("interactionRuleId")
        if params.get("stateId") is not None:
            state_id = str(params["stateId"])
            if not commhandling.state_rule_exists(c, e, state_id):
                raise ApiError(400, "CMN-102", "Resource for parameter [stateId] is not found", "stateId")
        if params.get("interactionRuleId") is not None:
            rule_id = str(params["interactionRuleId"])
            if commhandling.custom_rule(c, e, rule_id) is None:
                raise ApiError(400, "CMN-102", "Resource for parameter [interactionRuleId] is not found",
                               "interactionRuleId")
    if ref is not None:
        rid = str(ref.get("id")) if isinstance(ref, dict) and ref.get("id") is not None else None
        rules = company_rules(c) if company else user_rules(c, e)
        rule = next((r for r in rules if r["id"] == rid), None)
        if rule is None:
            raise ApiError(400, "CMN-102", "Resource for parameter [answeringRule.id] is not found",
                           "answeringRule.id")
        if gtype == "HoldMusic" and rid != "business-hours-rule":
            raise ApiError(400, "AWR-165", "Hold music can be set for business hours rule only: the same "
                           "value will be applied to all rules")
    lang = params.get("languageId")
    if lang is not None and str(lang) not in LANGUAGES:
        raise bad_param("languageId", str(lang))
    if audio is None or not audio.data:
        raise ApiError(400, "AWR-128", "Attachment body is empty")
    ctype = audio.content_type
    if not ctype or ctype == "application/octet-stream":
        name = audio.filename or ""
        ctype = AUDIO_EXT.get(name.rsplit(".", 1)[1].lower() if "." in name else "", "")
    if ctype not in AUDIO_TYPES:
        raise ApiError(400, "AWR-129", "Invalid attachment media type")
    ctype = AUDIO_TYPES[ctype]
    gid = str(c.store.next_id("greeting-id", 751564020))
    owner = c.acct_uri() if company else c.ext_uri(e)
    owner_media = c.acct_uri(media=True) if company else c.ext_uri(e, media=True)
    r = {"uri": owner + "/greeting/" + gid, "id": gid, "type": gtype, "contentType": ctype,
         "contentUri": owner_media + "/greeting/" + gid + "/content"}
    if rule is not None:
        r["answeringRule"] = {"uri": rule["uri"], "id": rule["id"]}
    if lang is not None:
        name, locale = LANGUAGES[str(lang)]
        r["language"] = {"uri": c.base + "/restapi/v1.0/dictionary/language/%s" % lang, "id": str(lang),
                         "name": name, "localeCode": locale}
    with c.store.lock:
        c.store.state("greetings", dict)[gid] = (e.id if e else None, r, audio.data)
        if rule is not None and c.q.bool("apply", True):
            custom = {"type": gtype, "custom": {"uri": r["uri"], "id": gid}}
            rule["greetings"] = [g for g in rule.get("greetings", []) if g["type"] != gtype] + [custom]
        if (state_id or rule_id) and c.q.bool("apply", True):
            commhandling.apply_greeting(c, e, state_id, rule_id, gtype, gid)
    return Reply(r)


def create_greeting(c):
    return _create_greeting(c, c.ext())


def create_company_greeting(c):
    c.account()
    return _create_greeting(c, None)


def _greeting(c, company):
    owner = None if company else c.ext().id
    if company:
        c.account()
    g = c.store.state("greetings", dict).get(c.p["greetingId"])
    if g is None or g[0] != owner:
        raise not_found("greetingId")
    return g


def read_greeting(c):
    return Reply(_greeting(c, False)[1])


def read_company_greeting(c):
    return Reply(_greeting(c, True)[1])


def _greeting_content(c, company):
    owner, r, blob = _greeting(c, company)
    ext = "wav" if r["contentType"] == "audio/wav" else "mp3"
    return Reply(blob=content.Blob(r["contentType"], blob),
                 headers={"Content-Type": r["contentType"],
                          "Content-Disposition": disposition(c, r["id"], ext)})


def greeting_content(c):
    return _greeting_content(c, False)


def company_greeting_content(c):
    return _greeting_content(c, True)
