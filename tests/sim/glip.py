# SPDX-License-Identifier: MIT
# Glip (team messaging) under /restapi/v1.0/glip: groups, posts, files, persons,
# the company, webhooks. Glip replies EMIT null for absent fields (unlike the
# platform) and page with opaque pageTokens: {records, navigation{prevPageToken,
# nextPageToken}}, recordCount 1..250 (default 30), newest first.
#
# Today's API, /team-messaging/v1 (the bottom of this file), serves the same
# state: chats (TMChatInfo: Direct and Personal where Glip says PrivateChat and
# PersonalChat; members as [{id}]; fields a type lacks left out, not null;
# listed oldest first), posts (PATCH edits), teams/{id}/add|remove, files (their
# contentUri needs the bearer token), persons, companies, webhooks. With
# /_sim/config team_messaging=false (an old server) every /team-messaging/v1
# call answers 404 CMN-120.

import base64
import json
import mimetypes
import random
import re

import content
import data
from context import Reply
from util import ApiError, bad_param, invalid_uri, iso, not_found

DEFAULT_COUNT = 30
MAX_COUNT = 250
TEXT_MAX = 10000
GROUP_TYPES = ("Group", "Team", "PrivateChat", "PersonalChat", "Everyone")
HOOKS = "https://hooks.glip.com/webhook/v2/"

JOB = {"101": "Office Manager", "102": "Account Executive", "103": "Support Engineer"}

# (id, type, name, description, isPublic, member ext numbers, posts, age in days)
GROUPS = [
    ("118219063302", "Team", "Product Launch", "Everything about the spring launch", True,
     ("101", "102", "103"), 40, 60),
    ("118219071494", "PrivateChat", None, None, None, ("101", "102"), 15, 45),
    ("118219079686", "Group", None, None, None, ("101", "102", "103"), 12, 40),
    ("118219087878", "Team", "Support Escalations", "Customer issues that need a second pair of eyes",
     False, ("101", "103"), 10, 30),
]
WEBHOOKS = [("3053f6cf-8d7e-4a4b-9f0c-2d1e5b7a9c01", "118219063302", "Active", 20),
            ("7b1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e02", "118219079686", "Suspended", 10)]

LINES = [
    "Morning all! Stand-up in {m} minutes.", "I pushed the new pricing sheet to the shared drive.",
    "Can someone review the draft press release before {d}?", "Customer {n} is asking about the rollout date.",
    "Great job on the demo yesterday!", "Reminder: quarterly numbers are due {d}.",
    "Who is covering the phones at {h}?", "The vendor confirmed delivery for {d}.",
    "Let's move the launch review to {h}.", "I'll be out {d}, ping Sam for anything urgent.",
    "Updated the FAQ with the questions from today's calls.", "Ticket {n} is escalated, looking into it now.",
    "Thanks for the quick turnaround!", "Slides for the partner call are ready.",
    "Is the conference room booked for {d} at {h}?", "Closed ticket {n}, root cause was a bad config.",
    "Lunch order going in at {h}, reply with yours.", "Shipping labels are printed.",
]


def _persons(store):
    return [e for e in store.exts if e.type == "User"]


def _gen(store):
    rng = random.Random("%s:glip" % store.seed)
    now = store.anchor
    users = {e.number: e for e in _persons(store)}
    groups, posts = {}, []
    for gid, gtype, name, desc, public, members, nposts, age in GROUPS:
        created = now - age * data.DAY - rng.randint(0, 3600) * 1000
        groups[gid] = {"id": gid, "type": gtype, "isPublic": public, "name": name,
                       "description": desc, "members": [str(users[m].id) for m in members],
                       "creationTime": created, "lastModifiedTime": created + rng.randint(1000, 99999)}
        for _ in range(nposts):
            t = now - rng.randint(10 * 60, (age - 1) * 86400) * 1000 - rng.randint(0, 999)
            line = rng.choice(LINES)
            text = line.format(m=rng.randint(2, 15), d=rng.choice(data.DAYS), n=rng.randint(10000, 99999),
                               h="%d:%02d" % (rng.randint(8, 17), rng.choice((0, 15, 30, 45))))
            posts.append({"groupId": gid, "type": "TextMessage", "text": text,
                          "creatorId": str(users[rng.choice(members)].id), "addedPersonIds": None,
                          "creationTime": t, "lastModifiedTime": t, "attachments": None})
    posts.sort(key=lambda p: p["creationTime"])
    for i, p in enumerate(posts):
        p["id"] = str(4656932454404 + i * 4096)
    hooks = {}
    for hid, gid, status, age in WEBHOOKS:
        t = now - age * data.DAY
        hooks[hid] = {"id": hid, "creatorId": str(store.demo.id), "groupIds": [gid],
                      "creationTime": t, "lastModifiedTime": t, "status": status}
    return {"groups": groups, "posts": posts, "files": {}, "webhooks": hooks}


def state(c):
    return c.store.state("glip", lambda: _gen(c.store))


def me(c):
    return str(c.session.owner)


# ---- paging ---------------------------------------------------------------------------

def _count(c):
    n = c.q.int("recordCount", DEFAULT_COUNT)
    if not 1 <= n <= MAX_COUNT:
        raise bad_param("recordCount", c.q.one("recordCount"))
    return n


def _token(kind, key):
    raw = "%s|%d|%d" % (kind, key[0], key[1])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _untoken(tok):
    try:
        raw = base64.urlsafe_b64decode(tok + "=" * (-len(tok) % 4)).decode()
        kind, a, b = raw.split("|")
        if kind not in ("n", "p"):
            raise ValueError
        return kind, (int(a), int(b))
    except (ValueError, UnicodeDecodeError):
        raise bad_param("pageToken", tok)


def page(c, items, key, render, newest_first=True):
    """items newest first (key descending; else ascending) -> {records, navigation}."""
    count = _count(c)
    tok = c.q.one("pageToken")
    items = sorted(items, key=key, reverse=newest_first)

    def after(a, b):  # a comes after b in this order
        return a < b if newest_first else a > b
    if tok:
        kind, k = _untoken(tok)
        if kind == "n":
            rest = [x for x in items if after(key(x), k)]
            chunk = rest[:count]
        else:
            before = [x for x in items if after(k, key(x))]
            chunk = before[-count:]
    else:
        chunk = items[:count]
    prev_tok = next_tok = None
    if chunk:
        if any(after(key(chunk[0]), key(x)) for x in items):
            prev_tok = _token("p", key(chunk[0]))
        if any(after(key(x), key(chunk[-1])) for x in items):
            next_tok = _token("n", key(chunk[-1]))
    return {"records": [render(x) for x in chunk],
            "navigation": {"prevPageToken": prev_tok, "nextPageToken": next_tok}}


# ---- persons, company ----------------------------------------------------------------------

def _person(c, e):
    t = c.store.anchor - 400 * data.DAY + e.idx * data.HOUR
    return {"id": str(e.id), "firstName": e.first, "lastName": e.last or None, "email": e.email,
            "avatar": None, "companyId": str(data.ACCOUNT_ID), "creationTime": iso(t),
            "lastModifiedTime": iso(t + 86400000 + e.idx * 1234), "gender": None,
            "location": "Belmont, CA" if e.number != "103" else None, "employeeSince": None,
            "jobTitle": JOB.get(e.number), "birthday": None, "webPage": None}


def _find_person(c, pid):
    if pid == "~":
        pid = me(c)
    for e in _persons(c.store):
        if str(e.id) == pid:
            return e
    return None


def load_person(c):
    e = _find_person(c, c.p["personId"])
    if e is None:
        raise not_found("personId")
    return Reply(_person(c, e))


def load_company(c):
    if c.p["companyId"] not in ("~", str(data.ACCOUNT_ID)):
        raise not_found("companyId")
    t = c.store.anchor - 900 * data.DAY
    return Reply({"id": str(data.ACCOUNT_ID), "name": data.COMPANY, "domain": data.DOMAIN,
                  "creationTime": iso(t), "lastModifiedTime": iso(t + 5 * data.DAY + 123)})


# ---- groups ---------------------------------------------------------------------------

def _group_rec(g):
    return {"id": g["id"], "type": g["type"], "isPublic": g["isPublic"], "name": g["name"],
            "description": g["description"], "members": list(g["members"]),
            "creationTime": iso(g["creationTime"]), "lastModifiedTime": iso(g["lastModifiedTime"])}


def _activity(st, g):
    t = g["lastModifiedTime"]
    for p in st["posts"]:
        if p["groupId"] == g["id"] and p["creationTime"] > t:
            t = p["creationTime"]
    return t


def _my_group(c, gid, param="groupId", status=404):
    g = state(c)["groups"].get(gid)
    if g is None or me(c) not in g["members"]:
        if status == 404:
            raise not_found(param)
        raise ApiError(400, "CMN-102", "Resource for parameter [%s] is not found" % param, param)
    return g


def list_groups(c):
    st = state(c)
    gtype = c.q.enum_one("type", GROUP_TYPES)
    with c.store.lock:
        items = [g for g in st["groups"].values() if me(c) in g["members"]
                 and (gtype is None or g["type"] == gtype)]
        acts = {g["id"]: _activity(st, g) for g in items}
        return Reply(page(c, items, lambda g: (acts[g["id"]], int(g["id"])), _group_rec))


def load_group(c):
    return Reply(_group_rec(_my_group(c, c.p["groupId"])))


def _resolve_members(c, raw, param):
    """Person ids (strings) of [{id}|{email}|"id"] (400 CMN-102 for an unknown person)."""
    if not isinstance(raw, list):
        raise bad_param(param)
    out = []
    for m in raw:
        ref = m if isinstance(m, str) else (m.get("id") if isinstance(m, dict) and "id" in m else None)
        email = m.get("email") if isinstance(m, dict) else None
        e = None
        if ref is not None:
            e = _find_person(c, str(ref))
        elif isinstance(email, str):
            e = next((x for x in _persons(c.store) if x.email == email.lower()), None)
        else:
            raise bad_param(param)
        if e is None:
            raise ApiError(400, "CMN-102", "Resource for parameter [%s] is not found" % param, param,
                           str(ref if ref is not None else email))
        if str(e.id) not in out:
            out.append(str(e.id))
    return out


def create_group(c):
    body = c.json_body()
    st = state(c)
    gtype = body.get("type")
    if gtype not in ("Team", "PrivateChat"):
        raise bad_param("type", str(gtype) if gtype is not None else None)
    members = _resolve_members(c, body.get("members", []), "members")
    now = c.now()
    if gtype == "PrivateChat":
        if len(members) != 2 or me(c) not in members:
            raise bad_param("members")
        with c.store.lock:
            for g in st["groups"].values():   # one private chat per pair
                if g["type"] == "PrivateChat" and set(g["members"]) == set(members):
                    return Reply(_group_rec(g))
        g = {"type": gtype, "isPublic": None, "name": None, "description": None, "members": members}
    else:
        name = body.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > 250:
            raise bad_param("name")
        public = body.get("isPublic", False)
        if not isinstance(public, bool):
            raise bad_param("isPublic")
        desc = body.get("description")
        if desc is not None and (not isinstance(desc, str) or len(desc) > 1000):
            raise bad_param("description")
        if me(c) not in members:
            members.insert(0, me(c))
        g = {"type": gtype, "isPublic": public, "name": name, "description": desc, "members": members}
    g["id"] = str(118219100000 + c.store.next_id("glip-group", 1) * 8192)
    g["creationTime"] = g["lastModifiedTime"] = now
    with c.store.lock:
        st["groups"][g["id"]] = g
    return Reply(_group_rec(g))


def _ids(body, key):
    v = body.get(key)
    if v is None:
        return []
    if not isinstance(v, list) or any(not isinstance(x, (str, int)) or isinstance(x, bool) for x in v):
        raise bad_param(key)
    return [str(x) for x in v]


def assign_members(c):
    g = _my_group(c, c.p["groupId"])
    body = c.json_body()
    if g["type"] != "Team":
        raise ApiError(400, "CMN-101", "Parameter [groupId] value is invalid: only groups of Team type "
                       "can be updated", "groupId", g["id"])
    added = _ids(body, "addedPersonIds")
    emails = _ids(body, "addedPersonEmails")
    removed = _ids(body, "removedPersonIds")
    if not (added or emails or removed):
        raise bad_param("addedPersonIds")
    if (added or emails) and removed:
        # the seed: "only one operation at a time (either adding or removal)"
        raise bad_param("removedPersonIds")
    new = _resolve_members(c, added, "addedPersonIds") + \
        _resolve_members(c, [{"email": x} for x in emails], "addedPersonEmails")
    for pid in removed:
        if _find_person(c, pid) is None:
            raise ApiError(400, "CMN-102", "Resource for parameter [removedPersonIds] is not found",
                           "removedPersonIds", pid)
    now = c.now()
    with c.store.lock:
        fresh = [p for p in dict.fromkeys(new) if p not in g["members"]]
        g["members"].extend(fresh)
        g["members"][:] = [p for p in g["members"] if p not in removed]
        g["lastModifiedTime"] = now
        if fresh:
            _add_post(c, g, None, None, now, ptype="PersonsAdded", added=fresh)
    return Reply(_group_rec(g))


# ---- posts ------------------------------------------------------------------------------

MENTION = re.compile(r"!\[:(Person|Team)\]\((\d+)\)")


def _mentions(c, text):
    if not text:
        return None
    out = []
    for kind, ref in MENTION.findall(text):
        name = None
        if kind == "Person":
            e = _find_person(c, ref)
            name = e.name if e else None
        else:
            g = state(c)["groups"].get(ref)
            name = g["name"] if g else None
        out.append({"id": ref, "type": kind, "name": name})
    return out or None


def _post_rec(c, p):
    return {"id": p["id"], "groupId": p["groupId"], "type": p["type"], "text": p["text"],
            "creatorId": p["creatorId"], "addedPersonIds": p["addedPersonIds"],
            "creationTime": iso(p["creationTime"]), "lastModifiedTime": iso(p["lastModifiedTime"]),
            "attachments": [dict(a) for a in p["attachments"]] if p["attachments"] else None,
            "activity": None, "title": None, "iconUri": None, "iconEmoji": None,
            "mentions": _mentions(c, p["text"])}


def _post_key(p):
    return (p["creationTime"], int(p["id"]))


def _add_post(c, g, text, attachments, now, ptype="TextMessage", added=None):
    st = state(c)
    p = {"id": str(4656932454404 + len(st["posts"]) * 4096),
         "groupId": g["id"], "type": ptype, "text": text, "creatorId": me(c),
         "addedPersonIds": added, "creationTime": now, "lastModifiedTime": now,
         "attachments": attachments}
    st["posts"].append(p)
    return p


def _post_body(c, body):
    text = body.get("text")
    atts = body.get("attachments")
    if text is None and not atts:
        raise bad_param("text")
    if text is not None and (not isinstance(text, str) or not text.strip() or len(text) > TEXT_MAX):
        raise bad_param("text")
    out = None
    if atts is not None:
        if not isinstance(atts, list):
            raise bad_param("attachments")
        files = state(c)["files"]
        out = []
        for a in atts:
            fid = str(a.get("id")) if isinstance(a, dict) else None
            f = files.get(fid)
            if f is None:
                raise ApiError(400, "CMN-102", "Resource for parameter [attachments] is not found",
                               "attachments", fid)
            out.append(_file_att(c, f))
        out = out or None
    return text, out


def list_group_posts(c):
    g = _my_group(c, c.p["groupId"])
    with c.store.lock:
        items = [p for p in state(c)["posts"] if p["groupId"] == g["id"]]
        return Reply(page(c, items, _post_key, lambda p: _post_rec(c, p)))


def list_posts(c):
    st = state(c)
    gid = c.q.one("groupId")
    with c.store.lock:
        if gid is not None:
            _my_group(c, gid)
            items = [p for p in st["posts"] if p["groupId"] == gid]
        else:
            mine = {g["id"] for g in st["groups"].values() if me(c) in g["members"]}
            items = [p for p in st["posts"] if p["groupId"] in mine]
        return Reply(page(c, items, _post_key, lambda p: _post_rec(c, p)))


def create_group_post(c):
    g = _my_group(c, c.p["groupId"])
    text, atts = _post_body(c, c.json_body())
    with c.store.lock:
        p = _add_post(c, g, text, atts, c.now())
    return Reply(_post_rec(c, p))


def create_post(c):
    body = c.json_body()
    gid = body.get("groupId")
    if not isinstance(gid, (str, int)) or isinstance(gid, bool) or not str(gid):
        raise bad_param("groupId")
    g = _my_group(c, str(gid), status=400)
    text, atts = _post_body(c, body)
    with c.store.lock:
        p = _add_post(c, g, text, atts, c.now())
    return Reply(_post_rec(c, p))


def update_post_text(c):
    g = _my_group(c, c.p["groupId"])
    body = c.json_body()
    text = body.get("text")
    if not isinstance(text, str) or not text.strip() or len(text) > TEXT_MAX:
        raise bad_param("text")
    with c.store.lock:
        p = next((x for x in state(c)["posts"] if x["id"] == c.p["postId"] and x["groupId"] == g["id"]), None)
        if p is None:
            raise not_found("postId")
        if p["creatorId"] != me(c):
            raise ApiError(403, "CMN-404", "Attempt to modify a post of another person")
        if p["type"] != "TextMessage":
            raise bad_param("postId", p["id"])
        p["text"] = text
        p["lastModifiedTime"] = c.now()
    return Reply({"text": text})


# ---- files --------------------------------------------------------------------------------

def _file_att(c, f):
    return {"id": f["id"], "name": f["name"], "contentUri": _file_uri(c, f), "type": "File"}


def _file_uri(c, f):
    if f.get("tm"):  # today's files: on the media host, with the bearer token
        return "%s/team-messaging/v1/files/%s/content" % (c.media, f["id"])
    return "%s/restapi/v1.0/glip/files/%s/content" % (c.media, f["id"])


def create_file(c):
    gid = c.q.one("groupId")
    name = c.q.one("name")
    data_ = ctype = None
    if c.is_multipart():
        parts = c.parts()
        filepart = next((p for p in parts if p.name == "body"), None) or \
            next((p for p in parts if p.is_file), None)
        for p in parts:
            if p.name == "name" and not p.is_file and name is None:
                name = p.text().strip()
            if p.name == "groupId" and not p.is_file and gid is None:
                gid = p.text().strip()
        if filepart is not None:
            data_ = filepart.data
            name = name or filepart.filename
            ctype = filepart.content_type or None
    else:
        data_ = c.body
        ctype = (c.headers.get("Content-Type") or "").split(";")[0].strip() or None
    if not data_:
        raise bad_param("body")
    name = name or "file"
    if len(name) > 255:
        raise bad_param("name")
    g = _my_group(c, gid, status=400) if gid else None
    if not ctype or ctype in ("application/octet-stream", "text/plain") and mimetypes.guess_type(name)[0]:
        ctype = mimetypes.guess_type(name)[0] or ctype or "application/octet-stream"
    fid = str(6100000000 + c.store.next_id("glip-file", 1) * 4099)
    f = {"id": fid, "name": name, "contentType": ctype, "data": bytes(data_), "creatorId": me(c),
         "tm": c.route.template.startswith("/team-messaging/")}
    with c.store.lock:
        state(c)["files"][fid] = f
        if g is not None:
            _add_post(c, g, None, [_file_att(c, f)], c.now())
    return Reply({"id": fid, "contentUri": _file_uri(c, f), "name": name})


def file_content(c):
    f = state(c)["files"].get(c.p["fileId"])
    if f is None:
        raise not_found("fileId")
    from context import disposition
    ext = f["name"].rsplit(".", 1)[1] if "." in f["name"] else "bin"
    return Reply(blob=content.Blob(f["contentType"], f["data"]),
                 headers={"Content-Type": f["contentType"],
                          "Content-Disposition": disposition(c, f["name"].rsplit(".", 1)[0], ext)})


# ---- webhooks -------------------------------------------------------------------------------

def _hook_rec(h):
    return {"id": h["id"], "creatorId": h["creatorId"], "groupIds": list(h["groupIds"]),
            "creationTime": iso(h["creationTime"]), "lastModifiedTime": iso(h["lastModifiedTime"]),
            "uri": HOOKS + h["id"], "status": h["status"]}


def _visible_hooks(c):
    st = state(c)
    mine = {g["id"] for g in st["groups"].values() if me(c) in g["members"]}
    return [h for h in st["webhooks"].values() if h["status"] != "Deleted"
            and (h["creatorId"] == me(c) or set(h["groupIds"]) & mine)]


def create_group_webhook(c):
    g = _my_group(c, c.p["groupId"])
    n = c.store.next_id("glip-webhook", 1)
    hid = "%08x-%04x-4%03x-8%03x-%012x" % (0x5e1f0000 + n, n, n, n, c.store.seed * 1000 + n)
    now = c.now()
    h = {"id": hid, "creatorId": me(c), "groupIds": [g["id"]], "creationTime": now,
         "lastModifiedTime": now, "status": "Active"}
    with c.store.lock:
        state(c)["webhooks"][hid] = h
    return Reply(_hook_rec(h))


def list_group_webhooks(c):
    g = _my_group(c, c.p["groupId"])
    items = [h for h in _visible_hooks(c) if g["id"] in h["groupIds"]]
    items.sort(key=lambda h: h["creationTime"])
    return Reply({"records": [_hook_rec(h) for h in items]})


def list_webhooks(c):
    items = sorted(_visible_hooks(c), key=lambda h: h["creationTime"])
    return Reply({"records": [_hook_rec(h) for h in items]})


def _hooks(c):
    vis = {h["id"]: h for h in _visible_hooks(c)}
    out = []
    for hid in c.p["webhookId"].split(","):
        if hid.strip() not in vis:
            raise not_found("webhookId")
        out.append(vis[hid.strip()])
    return out


def load_webhook(c):
    return Reply({"records": [_hook_rec(h) for h in _hooks(c)]})


def _set_status(c, status):
    hooks = _hooks(c)
    now = c.now()
    with c.store.lock:
        for h in hooks:
            if status == "Deleted":
                state(c)["webhooks"].pop(h["id"], None)
            h["status"] = status
            h["lastModifiedTime"] = now
    return Reply(status=200, raw=b"")


def delete_webhook(c):
    return _set_status(c, "Deleted")


def activate_webhook(c):
    return _set_status(c, "Active")


def suspend_webhook(c):
    return _set_status(c, "Suspended")


# ---- today's API: /team-messaging/v1 ----------------------------------------------------------

CHAT_TYPES = {"Team": "Team", "PrivateChat": "Direct", "Group": "Group", "PersonalChat": "Personal",
              "Everyone": "Everyone"}


def _tm_served(c):
    if not c.sim.team_messaging:
        raise invalid_uri()   # /_sim/config team_messaging=false: a server before team messaging


def tm(handler, **rename):
    """A Glip handler served under /team-messaging/v1 (path parameters renamed to Glip's)."""
    def served(c):
        _tm_served(c)
        for new, old in rename.items():
            c.p[old] = c.p.pop(new)
        return handler(c)
    served.__name__ = "tm_" + handler.__name__
    return served


def _chat_rec(g):
    """TMChatInfo: name, description, public and status for the types that have them only."""
    rec = {"id": g["id"], "type": CHAT_TYPES[g["type"]]}
    if g["type"] in ("Team", "Everyone"):
        rec["name"] = g["name"]
        if g["description"] is not None:
            rec["description"] = g["description"]
    if g["type"] == "Team":
        rec["public"] = bool(g["isPublic"])
        rec["status"] = "Active"
    rec["creationTime"] = iso(g["creationTime"])
    rec["lastModifiedTime"] = iso(g["lastModifiedTime"])
    rec["members"] = [{"id": m} for m in g["members"]]
    return rec


def tm_list_chats(c):
    """GET /team-messaging/v1/chats: the user's chats, oldest first (creation time)."""
    _tm_served(c)
    st = state(c)
    types = c.q.enum_list("type", tuple(CHAT_TYPES.values()))
    with c.store.lock:
        items = [g for g in st["groups"].values() if me(c) in g["members"]
                 and (not types or CHAT_TYPES[g["type"]] in types)]
        return Reply(page(c, items, lambda g: (g["creationTime"], int(g["id"])), _chat_rec,
                          newest_first=False))


def tm_load_chat(c):
    _tm_served(c)
    return Reply(_chat_rec(_my_group(c, c.p["chatId"], "chatId")))


def tm_load_post(c):
    _tm_served(c)
    g = _my_group(c, c.p["chatId"], "chatId")
    with c.store.lock:
        p = next((x for x in state(c)["posts"] if x["id"] == c.p["postId"] and x["groupId"] == g["id"]),
                 None)
        if p is None:
            raise not_found("postId")
        return Reply(_post_rec(c, p))


def _tm_my_post(c):
    g = _my_group(c, c.p["chatId"], "chatId")
    p = next((x for x in state(c)["posts"] if x["id"] == c.p["postId"] and x["groupId"] == g["id"]), None)
    if p is None:
        raise not_found("postId")
    if p["creatorId"] != me(c):
        raise ApiError(403, "CMN-404", "Attempt to modify a post of another person")
    return p


def tm_patch_post(c):
    """PATCH …/chats/{chatId}/posts/{postId} {text}: the post as it is now (TMPostInfo)."""
    _tm_served(c)
    body = c.json_body()
    text = body.get("text")
    if not isinstance(text, str) or not text.strip() or len(text) > TEXT_MAX:
        raise bad_param("text")
    with c.store.lock:
        p = _tm_my_post(c)
        if p["type"] != "TextMessage":
            raise bad_param("postId", p["id"])
        p["text"] = text
        p["lastModifiedTime"] = c.now()
        return Reply(_post_rec(c, p))


def tm_delete_post(c):
    _tm_served(c)
    with c.store.lock:
        p = _tm_my_post(c)
        state(c)["posts"].remove(p)
    return Reply(status=204, raw=b"")


def _team(c):
    g = _my_group(c, c.p["chatId"], "chatId")
    if g["type"] != "Team":
        raise not_found("chatId")
    return g


def _tm_members(c, body):
    members = body.get("members")
    if not isinstance(members, list) or not members:
        raise bad_param("members")
    return _resolve_members(c, members, "members")


def tm_add_members(c):
    """POST /team-messaging/v1/teams/{chatId}/add {members: [{id}|{email}]}: 204."""
    _tm_served(c)
    g = _team(c)
    new = _tm_members(c, c.json_body())
    now = c.now()
    with c.store.lock:
        fresh = [p for p in new if p not in g["members"]]
        g["members"].extend(fresh)
        g["lastModifiedTime"] = now
        if fresh:
            _add_post(c, g, None, None, now, ptype="PersonsAdded", added=fresh)
    return Reply(status=204, raw=b"")


def tm_remove_members(c):
    """POST /team-messaging/v1/teams/{chatId}/remove {members: [{id}]}: 204."""
    _tm_served(c)
    g = _team(c)
    gone = _tm_members(c, c.json_body())
    with c.store.lock:
        g["members"][:] = [p for p in g["members"] if p not in gone]
        g["lastModifiedTime"] = c.now()
    return Reply(status=204, raw=b"")


def tm_create_team(c):
    """POST /team-messaging/v1/teams {public, name, description, members}: 201 TMTeamInfo."""
    _tm_served(c)
    body = c.json_body()
    public = body.get("public", False)
    if not isinstance(public, bool):
        raise bad_param("public")
    legacy = {"type": "Team", "name": body.get("name"), "isPublic": public,
              "description": body.get("description"), "members": body.get("members", [])}
    c.body = json.dumps(legacy).encode()
    g = state(c)["groups"][create_group(c).obj["id"]]
    rec = {k: v for k, v in _chat_rec(g).items() if k != "members"}
    return Reply(rec, status=201)


def tm_create_conversation(c):
    """POST /team-messaging/v1/conversations {members}: the conversation of these people (and
    the caller), made if need be: Direct for two, Group for three to sixteen."""
    _tm_served(c)
    members = _tm_members(c, c.json_body())
    if me(c) not in members:
        members.insert(0, me(c))
    if len(members) < 2 or len(members) > 16:
        raise bad_param("members")
    gtype = "PrivateChat" if len(members) == 2 else "Group"
    st = state(c)
    with c.store.lock:
        for g in st["groups"].values():
            if g["type"] == gtype and set(g["members"]) == set(members):
                return Reply(_chat_rec(g))
        now = c.now()
        g = {"id": str(118219100000 + c.store.next_id("glip-group", 1) * 8192), "type": gtype,
             "isPublic": None, "name": None, "description": None, "members": members,
             "creationTime": now, "lastModifiedTime": now}
        st["groups"][g["id"]] = g
    return Reply(_chat_rec(g), status=201)
