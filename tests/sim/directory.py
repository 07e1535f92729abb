# SPDX-License-Identifier: MIT
# Company directory (today's /directory/entries, the legacy /directory/contacts)
# and the authorization profile.

import data
from account import FAX_ONLY
from context import Reply
from util import ApiError, bad_param, invalid_uri, not_found, page_args, paged

DIR_TYPES = ("User", "Department", "Announcement", "Voicemail", "SharedLinesGroup", "PagingOnly",
             "IvrMenu", "ParkLocation", "Limited")


def _dir_record(c, e, full=False):
    nums = [{"phoneNumber": e.direct, "type": "VoiceFax", "usageType": "DirectNumber", "hidden": False}]
    if e.number in FAX_ONLY:
        nums.append({"phoneNumber": FAX_ONLY[e.number][1], "type": "FaxOnly",
                     "usageType": "DirectNumber", "hidden": False})
    r = {"id": str(e.id), "type": e.type, "status": "Enabled", "firstName": e.first}
    if e.last:
        r["lastName"] = e.last
    r["name"] = e.name
    if e.type == "User":
        r["department"] = "Sales" if e.number != "103" else "Support"
    r.update({"email": e.email, "extensionNumber": e.number,
              "account": {"id": str(data.ACCOUNT_ID)}, "phoneNumbers": nums})
    if e.type == "User":
        r["profileImage"] = {"uri": c.ext_uri(e) + "/profile-image", "etag": "%016x" % e.id}
    if full:
        r["company"] = data.COMPANY
        r["businessPhone"] = e.direct
        r["businessAddress"] = {"street": "20 Davis Dr", "city": "Belmont", "state": "CA",
                                "zip": "94002", "country": "USA"}
    return r


def list_directory(c):
    c.account()
    page, per = page_args(c.q, default=1000)
    per = min(c.q.int("perPage", per, minimum=1), 2000)
    c.q.bool("excludeFederatedContacts")
    site = c.q.one("siteId")
    items = list(c.store.exts)
    types = c.q.enum_list("type", DIR_TYPES)
    if types:
        items = [e for e in items if e.type in types]
    if site not in (None, "main-site"):
        items = []
    return Reply(paged(c.path_uri(), c.echo(), items, page, per, lambda e: _dir_record(c, e)))


# ---- directory/entries (API 1.0.37 and later) ------------------------------------------------

def _entry(c, e):
    """A ContactResource: the legacy record, its account named, the site given."""
    r = _dir_record(c, e)
    r["account"] = {"id": str(data.ACCOUNT_ID), "companyName": data.COMPANY}
    r["site"] = {"id": "main-site", "name": "Main Site"}
    return r


def _entries_served(c):
    if not c.sim.directory_entries:
        raise invalid_uri()   # /_sim/config directory_entries=false: a server before 1.0.37
    c.account()


def list_directory_entries(c):
    """{records, paging} only: numbered pages (totalPages), no uri, no navigation."""
    _entries_served(c)
    q = c.q
    page = q.int("page", 1, minimum=1)
    per = q.one("perPage")
    if per in ("max", "all"):
        per = 2000
    else:
        per = min(q.int("perPage", 1000, minimum=1), 2000)
    q.bool("showFederated")
    q.enum_one("typeGroup", ("User", "NonUser"))
    items = list(c.store.exts)
    t = q.enum_one("type", DIR_TYPES + ("External",))
    if t:
        items = [e for e in items if e.type == t]
    if q.one("siteId") not in (None, "main-site"):
        items = []
    start = (page - 1) * per
    chunk = items[start:start + per]
    paging = {"page": page, "totalPages": max(1, (len(items) + per - 1) // per), "perPage": per,
              "totalElements": len(items)}
    if chunk:
        paging.update(pageStart=start, pageEnd=start + len(chunk) - 1)
    return Reply({"records": [_entry(c, e) for e in chunk], "paging": paging})


def get_directory_entry(c):
    _entries_served(c)
    for e in c.store.exts:
        if str(e.id) == c.p["entryId"]:
            return Reply(_entry(c, e))
    raise not_found("entryId")


def load_directory_contact(c):
    c.account()
    cid = c.p["contactId"]
    for e in c.store.exts:
        if str(e.id) == cid:
            return Reply(_dir_record(c, e, full=True))
    raise not_found("contactId")


# ---- authorization profile ------------------------------------------------------------

# permission id -> scopes for an admin, for a standard user
PERMISSIONS = [
    ("ReadMessages", ["Self", "UserExtensions"], ["Self"]),
    ("EditMessages", ["Self", "UserExtensions"], ["Self"]),
    ("ReadCallLog", ["Self", "Account"], ["Self"]),
    ("ReadCompanyCallLog", ["Account"], []),
    ("EditCallLog", ["Self"], ["Self"]),
    ("ReadCallRecording", ["Self", "Account"], ["Self"]),
    ("ReadPersonalContacts", ["Self"], ["Self"]),
    ("EditPersonalContacts", ["Self"], ["Self"]),
    ("ReadPresenceStatus", ["Self", "AllExtensions"], ["Self", "AllExtensions"]),
    ("EditPresenceStatus", ["Self", "AllExtensions"], ["Self"]),
    ("ReadUserInfo", ["Self", "AllExtensions"], ["Self"]),
    ("EditUserInfo", ["Self", "UserExtensions"], ["Self"]),
    ("ReadCompanyInfo", ["Account"], ["Account"]),
    ("EditCompanyInfo", ["Account"], []),
    ("EditCallHandlingAndForwarding", ["Self", "AllExtensions"], ["Self"]),
    ("EditBlockedNumbers", ["Self", "UserExtensions"], ["Self"]),
    ("Sms", ["Self"], ["Self"]),
    ("InternalSMS", ["Self"], ["Self"]),
    ("OutboundFaxes", ["Self"], ["Self"]),
    ("RingOut", ["Self"], ["Self"]),
    ("Meetings", ["Self"], ["Self"]),
    ("Glip", ["Self"], ["Self"]),
    ("Users", ["Account"], []),
    ("EditExtensions", ["AllExtensions"], []),
]


def _role(c, e):
    rid = "1" if e.admin else "3"
    return {"uri": c.acct_uri() + "/user-role/" + rid, "id": rid}


def _perm_ref(c, pid):
    return {"uri": c.base + "/restapi/v1.0/dictionary/permission/" + pid, "id": pid}


def _self_only(c):
    e = c.ext()
    if e.id != c.session.owner:
        raise ApiError(403, "CMN-404", "Attempt to access another extension")
    return e


def _scopes(e, pid):
    for p, admin, user in PERMISSIONS:
        if p == pid:
            return admin if e.admin else user
    return None


def authz_profile(c):
    e = _self_only(c)
    perms = []
    for pid, admin, user in PERMISSIONS:
        scopes = admin if e.admin else user
        if scopes:
            perms.append({"permission": _perm_ref(c, pid), "effectiveRole": _role(c, e),
                          "scopes": list(scopes)})
    return Reply({"uri": c.ext_uri(e) + "/authz-profile", "permissions": perms})


def _covers(scopes, me, target):
    if target is me:
        return "Self" in scopes or bool(scopes)
    if target.type == "User" and "UserExtensions" in scopes:
        return True
    return any(s in scopes for s in ("Account", "AllExtensions")) or \
        (target.type != "User" and "NonUserExtensions" in scopes)


def check_permission(c):
    e = _self_only(c)
    pid = c.q.one("permissionId")
    if not pid:
        raise bad_param("permissionId")
    target = e
    tid = c.q.one("targetExtensionId")
    if tid is not None:
        target = c.store.by_id.get(int(tid)) if tid.isdigit() else None
        if target is None:
            raise bad_param("targetExtensionId", tid)
    scopes = _scopes(e, pid) or []
    ok = bool(scopes) and _covers(scopes, e, target)
    uri = c.ext_uri(e) + "/authz-profile/check?permissionId=" + pid
    if tid is not None:
        uri += "&targetExtensionId=" + tid
    return Reply({"uri": uri, "successful": ok,
                  "details": {"permission": _perm_ref(c, pid),
                              "effectiveRole": _role(c, e), "scopes": list(scopes) if ok else []}})
