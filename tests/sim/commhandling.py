# SPDX-License-Identifier: MIT
# User call handling on upgraded accounts ("new call handling", the
# NewCallHandlingAndForwarding feature): the extension's features list, the v2
# comm-handling states, state-based rules, interaction (custom) rules, forwarding
# targets and call-flip numbers; and the refusal of the v1.0 answering-rule and
# forwarding-number calls such accounts get. Off by default (the seed's account);
# POST /_sim/config {"new_call_handling": true} or --new-call-handling turns it on.
#
# Only user extensions are upgraded: call queues (the Department) keep the v1.0
# calls, as RingCentral's migration guide says of call queue greetings.

import copy
import json

from account import ALL_DAYS, hours
from context import Reply, e164
from util import ApiError, bad_param, not_found, page_args

QUEUE_MEMBERS = ("102",)        # extension numbers in the Sales call queue: they have "agent"
STATE_NAMES = {"work-hours": "Work Hours", "after-hours": "After Hours",
               "dnd": "Do not disturb", "forward-all-calls": "Forward all calls", "agent": "Agent"}
DISPATCH_TYPES = ("RingInOrder", "RingAtOnce", "Terminate")
ACTION_TYPES = ("PlayWelcomePromptAction", "PlayConnectingMessageAction",
                "PlayConnectingPromptAction", "RingGroupAction", "RingAlwaysGroupAction",
                "TerminatingAction")
TERMINATING_TARGETS = ("VoiceMailTerminatingTarget", "ExtensionTerminatingTarget",
                       "PhoneNumberTerminatingTarget", "PlayAnnouncementTerminatingTarget")
RING_TARGETS = ("AllDesktopRingTarget", "AllMobileRingTarget", "CoworkerRingTarget",
                "PhoneNumberRingTarget", "DeviceRingTarget", "HotdeskRingTarget",
                "ImsPhoneNumberRingTarget", "IntegrationRingTarget")
# the ring targets GET forwarding-targets reports (the apps are no forwarding target)
FORWARDING_TARGETS = ("CoworkerRingTarget", "DeviceRingTarget", "ImsPhoneNumberRingTarget",
                      "IntegrationRingTarget", "PhoneNumberRingTarget")
CONDITION_TYPES = ("Interaction", "Schedule")
FLIP_MAX = 10


def upgraded(c, e):
    """Whether extension e has the new call handling (only user extensions do)."""
    return bool(getattr(c.store, "new_call_handling", False)) and e is not None and e.type == "User"


def refuse_v1(c, e):
    """v1.0 answering-rule and forwarding-number calls on an upgraded extension."""
    if upgraded(c, e):
        raise ApiError(403, "CMN-468", "This API is not available for the extension: its call "
                       "handling was upgraded, use the comm-handling API")


def _v2(c):
    e = c.ext()
    if not upgraded(c, e):
        raise ApiError(403, "CMN-468", "This API is available only with the new call handling")
    return e


def _page(c, items):
    """The v2 list body: {records, paging} (no navigation links)."""
    page, per = page_args(c.q)
    start = (page - 1) * per
    chunk = items[start:start + per]
    paging = {"page": page, "perPage": per}
    if chunk:
        paging["pageStart"] = start
        paging["pageEnd"] = start + len(chunk) - 1
    paging["totalPages"] = max(1, -(-len(items) // per))
    paging["totalElements"] = len(items)
    return {"records": copy.deepcopy(chunk), "paging": paging}


# ---- features -------------------------------------------------------------------------------

def _features(c, e):
    user = e.type == "User"
    new = "true" if upgraded(c, e) else "false"
    return [("CallForwarding", True, None), ("Fax", True, None),
            ("NewCallHandlingAndForwarding", True, [{"name": "isNewBackendAvailable", "value": new}]),
            ("SMS", user, None), ("Voicemail", True, None), ("WebPhone", user, None)]


def read_features(c):
    e = c.ext()
    wanted = set(c.q.all("featureId"))
    only = c.q.bool("availableOnly", False)
    out = []
    for fid, available, params in _features(c, e):
        if (wanted and fid not in wanted) or (only and not available):
            continue
        r = {"id": fid, "available": available}
        if params:
            r["params"] = params
        if not available:
            r["reason"] = {"code": "ExtensionLimitation",
                           "message": "The feature is not available for the extension"}
        out.append(r)
    return Reply({"records": out})


# ---- states -----------------------------------------------------------------------------------

def _state_ids(c, e):
    ids = ["work-hours"]
    if hours(c.store, e):
        ids.append("after-hours")
    ids += ["dnd", "forward-all-calls"]
    if e.number in QUEUE_MEMBERS:
        ids.append("agent")
    return ids


def _enabled(c, e):
    return c.store.state(("comm-states", e.id), lambda: {"dnd": False, "forward-all-calls": False,
                                                         "agent": True})


def _seconds(t):
    return t + ":00" if t != "24:00" else "23:59:59"


def _state(c, e, sid):
    r = {"id": sid, "displayName": STATE_NAMES[sid]}
    if sid in ("work-hours", "after-hours"):
        r["enabled"] = True
    else:
        r["enabled"] = _enabled(c, e)[sid]
    conds = []
    if sid == "work-hours":
        sched = hours(c.store, e)
        if not sched:
            trig = {"triggerType": "Daily", "startTime": "00:00:00", "endTime": "23:59:59"}
        else:
            ranges = {day: [{"startTime": _seconds(x["from"]), "endTime": _seconds(x["to"])}
                            for x in sched["weeklyRanges"][day]]
                      for day in ALL_DAYS if day in sched["weeklyRanges"]}
            trig = {"triggerType": "Weekly", "ranges": ranges}
        conds.append({"type": "Schedule", "schedule": {"triggers": [trig]}})
    r["conditions"] = conds
    return r


def _find_state(c, e, param="stateId"):
    sid = c.p["stateId"]
    if sid not in _state_ids(c, e):
        raise not_found(param)
    return sid


def list_states(c):
    e = _v2(c)
    return Reply(_page(c, [_state(c, e, s) for s in _state_ids(c, e)]))


def read_state(c):
    e = _v2(c)
    return Reply(_state(c, e, _find_state(c, e)))


def _hhmm(t, param):
    if not isinstance(t, str) or len(t) != 8 or t[2] != ":" or t[5] != ":":
        raise bad_param(param)
    if t == "23:59:59":
        return "24:00"
    if t[6:] != "00" or not (t[:2] + t[3:5]).isdigit() or int(t[:2]) > 23 or int(t[3:5]) > 59:
        raise bad_param(param)
    return t[:5]


def _schedule_from(conds):
    """work-hours conditions -> the business-hours schedule ({} = 24/7)."""
    if not isinstance(conds, list) or len(conds) != 1 or not isinstance(conds[0], dict) \
            or conds[0].get("type") != "Schedule":
        raise bad_param("conditions")
    trigs = (conds[0].get("schedule") or {}).get("triggers") if isinstance(conds[0].get("schedule"), dict) else None
    if not isinstance(trigs, list) or len(trigs) != 1 or not isinstance(trigs[0], dict):
        raise bad_param("conditions.schedule.triggers")
    t = trigs[0]
    if t.get("triggerType") == "Daily":
        if t.get("startTime") == "00:00:00" and t.get("endTime") == "23:59:59":
            return {}
        a = _hhmm(t.get("startTime"), "conditions.schedule.triggers.startTime")
        b = _hhmm(t.get("endTime"), "conditions.schedule.triggers.endTime")
        return {"weeklyRanges": {d: [{"from": a, "to": b}] for d in ALL_DAYS}}
    if t.get("triggerType") != "Weekly" or not isinstance(t.get("ranges"), dict) or not t["ranges"]:
        raise bad_param("conditions.schedule.triggers.triggerType")
    wr = {}
    for day, rs in t["ranges"].items():
        if day not in ALL_DAYS or not isinstance(rs, list) or not rs:
            raise bad_param("conditions.schedule.triggers.ranges")
        out = []
        for x in rs:
            if not isinstance(x, dict):
                raise bad_param("conditions.schedule.triggers.ranges")
            a = _hhmm(x.get("startTime"), "conditions.schedule.triggers.ranges.startTime")
            b = _hhmm(x.get("endTime"), "conditions.schedule.triggers.ranges.endTime")
            if a >= b:
                raise bad_param("conditions.schedule.triggers.ranges")
            out.append({"from": a, "to": b})
        wr[day] = sorted(out, key=lambda x: x["from"])
    return {"weeklyRanges": {d: wr[d] for d in ALL_DAYS if d in wr}}


def update_state(c):
    e = _v2(c)
    sid = _find_state(c, e)
    body = c.json_body()
    for k in body:
        if k not in ("enabled", "conditions", "id", "displayName"):
            raise bad_param(k)
    if body.get("id", sid) != sid:
        raise bad_param("id", str(body["id"]))
    if "displayName" in body and body["displayName"] != STATE_NAMES[sid]:
        raise bad_param("displayName")
    if "enabled" in body:
        if not isinstance(body["enabled"], bool):
            raise bad_param("enabled")
        if sid in ("work-hours", "after-hours") and not body["enabled"]:
            raise bad_param("enabled")
    sched = None
    if "conditions" in body:
        if sid != "work-hours":
            if body["conditions"] not in ([], None):
                raise bad_param("conditions")
        else:
            sched = _schedule_from(body["conditions"])
    with c.store.lock:
        if "enabled" in body and sid not in ("work-hours", "after-hours"):
            _enabled(c, e)[sid] = body["enabled"]
        if sched is not None:
            cur = hours(c.store, e)
            cur.clear()
            cur.update(sched)
    return Reply(_state(c, e, sid))


# ---- dispatching ------------------------------------------------------------------------------

def _greeting(pid):
    return {"effectiveGreetingType": "Preset", "preset": {"id": pid}}


def _ring_groups(c, e):
    out = [{"type": "RingGroupAction", "enabled": True,
            "targets": [{"type": "AllDesktopRingTarget", "name": "My desktop"}], "duration": 20},
           {"type": "RingGroupAction", "enabled": True,
            "targets": [{"type": "DeviceRingTarget",
                         "device": {"id": str(e.id + 21), "name": "Desk phone", "phoneNumber": e.direct},
                         "name": "Desk phone"}], "duration": 20}]
    if e.number != "103":
        out.append({"type": "RingGroupAction", "enabled": True,
                    "targets": [{"type": "PhoneNumberRingTarget",
                                 "destination": {"phoneNumber": c.store.peers[4]["phoneNumber"]},
                                 "name": "Mobile"}], "duration": 30})
    return out


def _voicemail(e):
    return {"type": "TerminatingAction", "effectiveTargetType": "VoiceMailTerminatingTarget",
            "targets": [{"type": "VoiceMailTerminatingTarget", "greeting": _greeting("65792"),
                         "recipient": {"id": str(e.id)}}]}


def _default_rules(c, e):
    welcome = {"type": "PlayWelcomePromptAction", "greeting": _greeting("66301"), "enabled": False}
    audio = {"type": "PlayConnectingPromptAction", "greeting": _greeting("66310"), "enabled": True}
    rules = {
        "work-hours": {"type": "RingInOrder", "actions": [welcome, audio] + _ring_groups(c, e) + [_voicemail(e)]},
        "after-hours": {"type": "Terminate", "actions": [copy.deepcopy(welcome), _voicemail(e)]},
        "dnd": {"type": "Terminate", "actions": [_voicemail(e)]},
        "forward-all-calls": {"type": "Terminate", "actions": [_voicemail(e)]},
        "agent": {"type": "RingAtOnce", "actions": _ring_groups(c, e)[:2]},
    }
    custom = []
    if e.type == "User":
        p = c.store.peers
        custom.append({"id": str(3107589020 + e.idx * 1000), "displayName": "Family and friends",
                       "enabled": e.number != "103",
                       "conditions": [{"type": "Interaction",
                                       "from": [{"phoneNumber": p[2]["phoneNumber"], "name": p[2]["name"]},
                                                {"phoneNumber": p[3]["phoneNumber"], "name": p[3]["name"]}]}],
                       "dispatching": {"type": "RingInOrder", "actions": _ring_groups(c, e) + [_voicemail(e)]}})
    return {"state": rules, "custom": custom}


def _rules(c, e):
    return c.store.state(("comm-rules", e.id), lambda: _default_rules(c, e))


def _target(t, param):
    if not isinstance(t, dict) or t.get("type") not in RING_TARGETS:
        raise bad_param(param + ".type")
    out = copy.deepcopy(t)
    if t["type"] == "PhoneNumberRingTarget":
        dest = t.get("destination")
        num = e164(dest.get("phoneNumber")) if isinstance(dest, dict) else None
        if num is None:
            raise bad_param(param + ".destination.phoneNumber")
        out["destination"] = dict(dest, phoneNumber=num)
    if "name" in t and not isinstance(t["name"], str):
        raise bad_param(param + ".name")
    return out


def _dispatching(d, terminate_only=False, param="dispatching"):
    """Validates a dispatching object; returns a copy with its phone numbers normalised."""
    if not isinstance(d, dict):
        raise bad_param(param)
    if d.get("type") not in DISPATCH_TYPES or (terminate_only and d["type"] != "Terminate"):
        raise bad_param(param + ".type", d.get("type") if isinstance(d.get("type"), str) else None)
    actions = d.get("actions", [])
    if not isinstance(actions, list):
        raise bad_param(param + ".actions")
    out, terminating = [], 0
    for a in actions:
        if not isinstance(a, dict) or a.get("type") not in ACTION_TYPES:
            raise bad_param(param + ".actions.type")
        if "enabled" in a and not isinstance(a["enabled"], bool):
            raise bad_param(param + ".actions.enabled")
        a = copy.deepcopy(a)
        if a["type"] == "TerminatingAction":
            terminating += 1
            if a.get("effectiveTargetType") not in TERMINATING_TARGETS:
                raise bad_param(param + ".actions.effectiveTargetType")
        elif a["type"] in ("RingGroupAction", "RingAlwaysGroupAction"):
            if d["type"] == "Terminate":
                raise bad_param(param + ".actions.type", a["type"])
            ts = a.get("targets")
            if not isinstance(ts, list) or not ts:
                raise bad_param(param + ".actions.targets")
            a["targets"] = [_target(t, param + ".actions.targets") for t in ts]
            if "duration" in a and (not isinstance(a["duration"], int) or isinstance(a["duration"], bool)
                                    or not 5 <= a["duration"] <= 300):
                raise bad_param(param + ".actions.duration")
        out.append(a)
    if terminating > 1 or (d["type"] == "Terminate" and terminating != 1):
        raise bad_param(param + ".actions")
    res = {"type": d["type"], "actions": out}
    res.update({k: copy.deepcopy(v) for k, v in d.items() if k not in res})
    return res


# ---- state-based rules ------------------------------------------------------------------------

def _state_rule(c, e, sid):
    return {"id": sid, "displayName": STATE_NAMES[sid], "state": _state(c, e, sid),
            "dispatching": copy.deepcopy(_rules(c, e)["state"][sid])}


def state_rule_exists(c, e, sid):
    return sid in _state_ids(c, e)


def list_state_rules(c):
    e = _v2(c)
    return Reply(_page(c, [_state_rule(c, e, s) for s in _state_ids(c, e)]))


def read_state_rule(c):
    e = _v2(c)
    return Reply(_state_rule(c, e, _find_state(c, e)))


def update_state_rule(c):
    e = _v2(c)
    sid = _find_state(c, e)
    body = c.json_body()
    for k in body:
        if k != "dispatching":
            raise bad_param(k)            # id, displayName and state are not the rule's to change
    if "dispatching" not in body:
        raise bad_param("dispatching")
    d = _dispatching(body["dispatching"], terminate_only=sid in ("dnd", "forward-all-calls"))
    with c.store.lock:
        _rules(c, e)["state"][sid] = d
    return Reply(_state_rule(c, e, sid))


# ---- interaction (custom) rules ---------------------------------------------------------------

def _conditions(conds):
    if not isinstance(conds, list) or not conds:
        raise bad_param("conditions")
    out = []
    for x in conds:
        if not isinstance(x, dict) or x.get("type") not in CONDITION_TYPES:
            raise bad_param("conditions.type")
        x = copy.deepcopy(x)
        if x["type"] == "Interaction":
            if not any(k in x for k in ("from", "to")):
                raise bad_param("conditions")
            for k in ("from", "to"):
                if k not in x:
                    continue
                if not isinstance(x[k], list) or not x[k]:
                    raise bad_param("conditions." + k)
                for n in x[k]:
                    num = e164(n.get("phoneNumber")) if isinstance(n, dict) else None
                    if num is None:
                        raise bad_param("conditions.%s.phoneNumber" % k)
                    n["phoneNumber"] = num
        elif not isinstance(x.get("schedule"), dict):
            raise bad_param("conditions.schedule")
        out.append(x)
    return out


def _apply_custom(rule, body):
    r = copy.deepcopy(rule)
    for k in body:
        if k not in ("id", "displayName", "enabled", "conditions", "dispatching"):
            raise bad_param(k)
    if "id" in body and body["id"] != r.get("id"):
        raise bad_param("id", str(body["id"]))
    if "displayName" in body:
        n = body["displayName"]
        if not isinstance(n, str) or not n.strip() or len(n) > 127:
            raise bad_param("displayName")
        r["displayName"] = n
    if "enabled" in body:
        if not isinstance(body["enabled"], bool):
            raise bad_param("enabled")
        r["enabled"] = body["enabled"]
    if "conditions" in body:
        r["conditions"] = _conditions(body["conditions"])
    if "dispatching" in body:
        r["dispatching"] = _dispatching(body["dispatching"])
    return {k: r[k] for k in ("id", "displayName", "enabled", "conditions", "dispatching") if k in r}


def _custom(c, e, param="ruleId"):
    rid = c.p["ruleId"]
    for r in _rules(c, e)["custom"]:
        if r["id"] == rid:
            return r
    raise not_found(param)


def custom_rule(c, e, rid):
    return next((r for r in _rules(c, e)["custom"] if r["id"] == rid), None)


def list_interaction_rules(c):
    e = _v2(c)
    return Reply(_page(c, _rules(c, e)["custom"]))


def read_interaction_rule(c):
    e = _v2(c)
    return Reply(copy.deepcopy(_custom(c, e)))


def create_interaction_rule(c):
    e = _v2(c)
    body = c.json_body()
    if "displayName" not in body:
        raise bad_param("displayName")
    if "conditions" not in body:
        raise bad_param("conditions")
    if "id" in body:
        raise bad_param("id")
    base = {"id": None, "displayName": "", "enabled": True, "conditions": [],
            "dispatching": {"type": "Terminate", "actions": [_voicemail(e)]}}
    rule = _apply_custom(base, body)
    with c.store.lock:
        rule["id"] = str(c.store.next_id("comm-rule-id", 3307589020))
        _rules(c, e)["custom"].append(rule)
    return Reply(copy.deepcopy(rule), status=201)


def update_interaction_rule(c):
    e = _v2(c)
    body = c.json_body()
    with c.store.lock:
        r = _custom(c, e)
        new = _apply_custom(r, body)
        r.clear()
        r.update(new)
    return Reply(copy.deepcopy(r))


def delete_interaction_rule(c):
    e = _v2(c)
    with c.store.lock:
        r = _custom(c, e)
        _rules(c, e)["custom"].remove(r)
    return Reply(status=204, raw=b"")


# ---- greetings of upgraded rules --------------------------------------------------------------

PROMPT_ACTIONS = {"Introductory": "PlayWelcomePromptAction",
                  "ConnectingMessage": "PlayConnectingMessageAction",
                  "ConnectingAudio": "PlayConnectingPromptAction"}
TERMINATING_GREETINGS = {"Voicemail": "VoiceMailTerminatingTarget",
                         "Announcement": "PlayAnnouncementTerminatingTarget"}


def apply_greeting(c, e, state_id, rule_id, gtype, gid):
    """A custom greeting POSTed with stateId or interactionRuleId becomes the rule's (apply=true)."""
    d = _rules(c, e)["state"][state_id] if state_id else custom_rule(c, e, rule_id)["dispatching"]
    custom = {"id": gid}
    if gtype in PROMPT_ACTIONS:
        a = next((x for x in d["actions"] if x["type"] == PROMPT_ACTIONS[gtype]), None)
        if a is None:
            a = {"type": PROMPT_ACTIONS[gtype]}
            d["actions"].insert(0, a)
        g = {"effectiveGreetingType": "Custom"}
        if isinstance(a.get("greeting"), dict) and "preset" in a["greeting"]:
            g["preset"] = a["greeting"]["preset"]
        g["custom"] = custom
        a["greeting"] = g
        a["enabled"] = True
    elif gtype in TERMINATING_GREETINGS:
        for a in d["actions"]:
            if a["type"] == "TerminatingAction" and a.get("effectiveTargetType") == TERMINATING_GREETINGS[gtype]:
                for t in a.get("targets") or [{}]:
                    old = t.get("greeting") if isinstance(t.get("greeting"), dict) else {}
                    t["greeting"] = {"effectiveGreetingType": "Custom", **({"preset": old["preset"]} if "preset" in old else {}),
                                     "custom": custom}
                if "targets" not in a:
                    a["targets"] = [{"type": a["effectiveTargetType"],
                                     "greeting": {"effectiveGreetingType": "Custom", "custom": custom}}]


# ---- forwarding targets, call flip ------------------------------------------------------------

def read_forwarding_targets(c):
    e = _v2(c)
    rules = _rules(c, e)
    seen, out = set(), []
    dispatchings = [rules["state"][s] for s in _state_ids(c, e)] + [r["dispatching"] for r in rules["custom"]]
    for d in dispatchings:
        for a in d.get("actions", []):
            if a.get("type") not in ("RingGroupAction", "RingAlwaysGroupAction"):
                continue
            for t in a.get("targets", []):
                if t.get("type") not in FORWARDING_TARGETS:
                    continue
                key = json.dumps({k: v for k, v in t.items() if k != "name"}, sort_keys=True)
                if key not in seen:
                    seen.add(key)
                    out.append(t)
    return Reply(_page(c, out))


def _flip(c, e):
    def make():
        p = c.store.peers
        rows = [{"id": str(e.id + 11), "phoneNumber": e.direct, "type": "PhoneLine",
                 "label": "Desk phone", "flipNumber": "1"}]
        if e.number != "103":
            rows.append({"id": str(e.id + 12), "phoneNumber": p[4]["phoneNumber"], "type": "External",
                         "label": "Mobile", "flipNumber": "2"})
            rows.append({"id": str(e.id + 13), "phoneNumber": p[5]["phoneNumber"], "type": "External",
                         "label": "Home", "flipNumber": "3"})
        return rows
    return c.store.state(("call-flip", e.id), make)


def read_call_flip(c):
    e = _v2(c)
    return Reply({"records": copy.deepcopy(_flip(c, e))})


def update_call_flip(c):
    e = _v2(c)
    body = c.json_body()
    recs = body.get("records")
    if not isinstance(recs, list):
        raise bad_param("records")
    with c.store.lock:
        cur = _flip(c, e)
        by_id = {r["id"]: r for r in cur}
        out, flips, nums = [], set(), set()
        for x in recs:
            if not isinstance(x, dict):
                raise bad_param("records")
            old = by_id.get(str(x.get("id"))) if x.get("id") is not None else None
            if x.get("id") is not None and old is None:
                raise ApiError(400, "CMN-102", "Resource for parameter [records.id] is not found",
                               "records.id")
            num = e164(x.get("phoneNumber", old["phoneNumber"] if old else None))
            if num is None or (old and old["type"] == "PhoneLine" and num != old["phoneNumber"]):
                raise bad_param("records.phoneNumber")
            if num in nums:
                raise ApiError(400, "CMN-101", "Parameter [records.phoneNumber] value is invalid: "
                               "the number is in the list twice", "records.phoneNumber")
            flip = x.get("flipNumber", old.get("flipNumber") if old else None)
            if flip is not None:
                flip = str(flip)
                if flip not in [str(n) for n in range(1, 9)] or flip in flips:
                    raise bad_param("records.flipNumber", flip)
                flips.add(flip)
            label = x.get("label", old.get("label") if old else None)
            if label is not None and not isinstance(label, str):
                raise bad_param("records.label")
            if "type" in x and x["type"] != (old["type"] if old else "External"):
                raise bad_param("records.type", str(x["type"]))
            nums.add(num)
            r = {"id": old["id"] if old else None, "phoneNumber": num,
                 "type": old["type"] if old else "External"}
            if label:
                r["label"] = label
            if flip:
                r["flipNumber"] = flip
            out.append(r)
        # the extension's own lines are the system's: a list without them keeps them
        for r in cur:
            if r["type"] == "PhoneLine" and not any(x["id"] == r["id"] for x in out):
                if r.get("flipNumber") in flips:
                    r = {k: v for k, v in r.items() if k != "flipNumber"}
                out.append(copy.deepcopy(r))
        if len(out) > FLIP_MAX:
            raise ApiError(400, "CMN-101", "Parameter [records] value is invalid: at most %d numbers"
                           % FLIP_MAX, "records")
        for r in out:
            if r["id"] is None:
                r["id"] = str(c.store.next_id(("flip-id", e.id), e.id + 100))
        cur[:] = out
    return Reply({"records": copy.deepcopy(cur)})
