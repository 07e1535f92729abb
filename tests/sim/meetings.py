# SPDX-License-Identifier: MIT
# Meetings (the legacy RingCentral Meetings API of the seed).

import re

import data
from context import Reply
from util import ApiError, bad_param, iso, not_found, page_args, paged, parse_iso

TYPES = ("Instant", "Scheduled", "ScheduledRecurring", "Recurring")
AUDIO = ("Phone", "ComputerAudio", "ThirdParty")
BOOLS = ("allowJoinBeforeHost", "startHostVideo", "startParticipantsVideo")
PASSWORD_RE = re.compile(r"[A-Za-z0-9@_*-]{1,10}")
JOIN = "https://meetings.ringcentral.com"


def _demo(c, e):
    if e is not c.store.demo:
        return []
    day = data.DAY
    t0 = c.store.anchor - c.store.anchor % data.HOUR
    return [
        {"id": "1489500211", "topic": "Weekly sales sync", "meetingType": "Scheduled",
         "status": "NotStarted", "startTime": t0 + day + 2 * data.HOUR, "duration": 30,
         "password": None, "allowJoinBeforeHost": False, "startHostVideo": True,
         "startParticipantsVideo": False, "audioOptions": ["Phone", "ComputerAudio"]},
        {"id": "1489500227", "topic": "Quarterly planning", "meetingType": "Scheduled",
         "status": "NotStarted", "startTime": t0 + 5 * day, "duration": 90,
         "password": "q4plan", "allowJoinBeforeHost": True, "startHostVideo": False,
         "startParticipantsVideo": False, "audioOptions": ["ComputerAudio"]},
    ]


def meetings(c, e):
    return c.store.state(("meetings", e.id), lambda: _demo(c, e))


def _record(c, e, m):
    r = {"uri": c.ext_uri(e) + "/meeting/" + m["id"], "id": m["id"], "topic": m["topic"],
         "meetingType": m["meetingType"]}
    if m.get("password"):
        r["password"] = m["password"]
    r["status"] = m["status"]
    r["links"] = {"startUri": "%s/s/%s" % (JOIN, m["id"]), "joinUri": "%s/j/%s" % (JOIN, m["id"])}
    if m.get("startTime") is not None:
        r["schedule"] = {"startTime": iso(m["startTime"], millis=False),
                         "durationInMinutes": m["duration"], "timeZone": {"id": "58"}}
    r["host"] = {"uri": c.ext_uri(e), "id": str(e.id)}
    for k in BOOLS:
        r[k] = m[k]
    r["audioOptions"] = list(m["audioOptions"])
    return r


def _apply(m, body):
    if "topic" in body:
        if not isinstance(body["topic"], str) or not body["topic"].strip() or len(body["topic"]) > 200:
            raise bad_param("topic")
        m["topic"] = body["topic"]
    if "meetingType" in body:
        if body["meetingType"] not in TYPES:
            raise bad_param("meetingType", str(body["meetingType"]))
        m["meetingType"] = body["meetingType"]
    if "password" in body:
        pw = body["password"]
        if pw not in (None, "") and (not isinstance(pw, str) or not PASSWORD_RE.fullmatch(pw)):
            raise bad_param("password")
        m["password"] = pw or None
    for k in BOOLS:
        if k in body:
            if not isinstance(body[k], bool):
                raise bad_param(k)
            m[k] = body[k]
    if "audioOptions" in body:
        ao = body["audioOptions"]
        if not isinstance(ao, list) or not ao or any(a not in AUDIO for a in ao):
            raise bad_param("audioOptions")
        m["audioOptions"] = list(dict.fromkeys(ao))
    if "schedule" in body:
        s = body["schedule"]
        if not isinstance(s, dict):
            raise bad_param("schedule")
        t = parse_iso(s["startTime"]) if isinstance(s.get("startTime"), str) else None
        dur = s.get("durationInMinutes", m.get("duration") or 60)
        if t is None or not isinstance(dur, int) or isinstance(dur, bool) or not 1 <= dur <= 1440:
            raise bad_param("schedule")
        tz = s.get("timeZone")
        if tz is not None and not (isinstance(tz, dict) and str(tz.get("id", "")).isdigit()):
            raise bad_param("schedule")
        m["startTime"] = t - t % 1000
        m["duration"] = dur
    if m["meetingType"] == "Instant":
        m["startTime"] = None
    elif m.get("startTime") is None:
        raise bad_param("schedule")


def list_meetings(c):
    e = c.ext()
    page, per = page_args(c.q)
    items = [m for m in meetings(c, e) if m["meetingType"] != "Instant"]
    return Reply(paged(c.path_uri(), c.echo(), items, page, per, lambda m: _record(c, e, m)))


def create_meeting(c):
    e = c.ext()
    body = c.json_body()
    if e.type != "User":
        raise ApiError(403, "CMN-408", "In order to call this API endpoint, user needs to have "
                       "[Meetings] permission for requested resource.")
    m = {"id": None, "topic": "%s's Meeting" % e.name, "meetingType": body.get("meetingType", "Scheduled"),
         "status": "NotStarted", "startTime": None, "duration": None, "password": None,
         "allowJoinBeforeHost": False, "startHostVideo": False, "startParticipantsVideo": False,
         "audioOptions": ["Phone", "ComputerAudio"]}
    _apply(m, body)
    m["id"] = str(1489600000 + c.store.next_id("meeting", 1) * 13)
    with c.store.lock:
        meetings(c, e).append(m)
    return Reply(_record(c, e, m), status=201)


def _meeting(c, e):
    for m in meetings(c, e):
        if m["id"] == c.p["meetingId"]:
            return m
    raise not_found("meetingId")


def load_meeting(c):
    e = c.ext()
    return Reply(_record(c, e, _meeting(c, e)))


def update_meeting(c):
    e = c.ext()
    m = _meeting(c, e)
    body = c.json_body()
    new = dict(m)
    _apply(new, body)
    with c.store.lock:
        m.update(new)
    return Reply(_record(c, e, m))


def delete_meeting(c):
    e = c.ext()
    m = _meeting(c, e)
    with c.store.lock:
        meetings(c, e).remove(m)
    return Reply(status=204, raw=b"")


def end_meeting(c):
    e = c.ext()
    m = _meeting(c, e)
    with c.store.lock:
        m["status"] = "NotStarted"
        if m["meetingType"] == "Instant":
            meetings(c, e).remove(m)
    return Reply(status=204, raw=b"")


def service_info(c):
    e = c.ext()
    base = c.ext_uri(e) + "/meeting/service-info"
    pmi = "%010d" % (e.id % 10 ** 10)
    return Reply({
        "uri": base,
        "supportUri": "https://success.ringcentral.com/RCSupportPortalMeetings",
        "intlDialInNumbersUri": JOIN + "/teleconference",
        "externalUserInfo": {"uri": base + "/external-user-info", "userId": str(e.id), "accountId": str(data.ACCOUNT_ID),
                             "userType": 1, "userToken": "simulated-meetings-token-%d" % e.id,
                             "hostKey": "%06d" % (e.id % 1000000), "personalMeetingId": pmi,
                             "personalLink": "%s/j/%s" % (JOIN, pmi),
                             "usePmiForInstantMeetings": False},
        "dialInNumbers": [
            {"phoneNumber": "+16504191505", "formattedNumber": "+1 (650) 4191505",
             "location": "San Jose, CA",
             "country": {"id": "1", "uri": c.base + "/restapi/v1.0/dictionary/country/1",
                         "callingCode": "1", "emergencyCalling": True, "isoCode": "US",
                         "name": "United States"}},
            {"phoneNumber": "+17733069620", "formattedNumber": "+1 (773) 3069620",
             "location": "Chicago, IL",
             "country": {"id": "1", "uri": c.base + "/restapi/v1.0/dictionary/country/1",
                         "callingCode": "1", "emergencyCalling": True, "isoCode": "US",
                         "name": "United States"}}]})


# ---- today's RingCentral Video: /rcvideo (read side) ----------------------------------------
# The user's default (PMI) bridge, GET /rcvideo/v2/account/{a}/extension/{e}/bridges/default
# and /rcvideo/v2/bridges/{id} (BridgeResponse), and the history of meetings they took part in,
# GET /rcvideo/v1/history/meetings: {meetings, paging{currentPageToken, nextPageToken}}, newest
# first, perPage (default 100). /_sim/config rcvideo=false: every /rcvideo call answers 404.

VIDEO = "https://v.ringcentral.com"


def _video_served(c):
    if not c.sim.rcvideo:
        from util import invalid_uri
        raise invalid_uri()


def _bridge(c, e):
    pin = "%09d" % (e.id % 1000000000)
    return {"id": "iad41-c%02d-ndb%s" % (e.idx, pin), "name": "%s's meeting" % e.first,
            "type": "PMI", "host": {"accountId": str(data.ACCOUNT_ID), "extensionId": str(e.id)},
            "pins": {"pstn": {"host": pin[:4] + "1" + pin[5:], "participant": pin},
                     "web": pin[-10:]},
            "security": {"passwordProtected": False, "noGuests": False, "sameAccount": False,
                         "e2ee": False},
            "preferences": {"join": {"audioMuted": False, "videoMuted": False,
                                     "waitingRoomRequired": "Nobody"},
                            "playTones": "Off", "musicOnHold": True, "joinBeforeHost": True,
                            "screenSharing": True, "recordingsMode": "User",
                            "transcriptionsMode": "User", "allowEveryoneTranscribeMeetings": True},
            "discovery": {"web": "%s/join/%s" % (VIDEO, pin)}}


def default_bridge(c):
    _video_served(c)
    e = c.ext()
    if e.type != "User":
        raise not_found("extensionId")
    return Reply(_bridge(c, e))


def load_bridge(c):
    _video_served(c)
    for e in c.store.exts:
        if e.type == "User" and _bridge(c, e)["id"] == c.p["bridgeId"]:
            return Reply(_bridge(c, e))
    raise not_found("bridgeId")


def _history(c):
    """Past meetings of the demo user: (id, topic, days ago, minutes, other participants)."""
    e = c.store.by_id[c.session.owner]
    if e is not c.store.demo:
        return []
    peers = [x for x in c.store.exts if x.type == "User" and x is not e]
    rows = [("Weekly sales sync", 7, 31, peers[:1]), ("Launch review", 5, 58, peers),
            ("Weekly sales sync", 0, 27, peers[:1])]
    out = []
    b = _bridge(c, e)
    for i, (topic, ago, minutes, who) in enumerate(rows):
        t = c.store.anchor - ago * data.DAY - (3 + i) * data.HOUR
        t -= t % 1000
        hosts = [{"accountId": str(data.ACCOUNT_ID), "extensionId": str(e.id), "displayName": e.name}]
        out.append({"id": "%s!us-08-iad41@us-08-iad41-%d" % (b["id"], 7001 + i),
                    "shortId": b["pins"]["web"], "bridgeId": b["id"], "startTime": iso(t),
                    "duration": minutes * 60, "displayName": topic, "type": "Meeting",
                    "status": "Done", "hostInfo": hosts[0],
                    "participants": hosts + [{"accountId": str(data.ACCOUNT_ID), "extensionId": str(p.id),
                                              "displayName": p.name} for p in who],
                    "recordings": [], "rights": ["delete"]})
    return sorted(out, key=lambda m: m["startTime"], reverse=True)


def list_video_meetings(c):
    _video_served(c)
    per = c.q.int("perPage", 100, minimum=1)
    items = _history(c)
    start = 0
    tok = c.q.one("pageToken")
    if tok:
        if not tok.isdigit() or int(tok) >= max(len(items), 1):
            raise bad_param("pageToken", tok)
        start = int(tok)
    chunk = items[start:start + per]
    nxt = str(start + per) if start + per < len(items) else None
    paging = {"currentPageToken": str(start)}
    if nxt:
        paging["nextPageToken"] = nxt
    return Reply({"meetings": chunk, "paging": paging})
