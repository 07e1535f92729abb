# SPDX-License-Identifier: MIT
# The simulator as a client meets it (urllib only). Behaviour, never wall-clock.

import base64
import datetime
import json
import os
import re
import select
import shutil
import socket
import struct
import subprocess
import time
import urllib.parse

import pytest

from simctl import DEMO, DEMO_USER, GRANT_JWT, TODAY, Sim, multipart, request

EXT = "/restapi/v1.0/account/~/extension/~"
HERE = os.path.dirname(os.path.abspath(__file__))


def _ms(text):
    dt = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return int(dt.timestamp() * 1000)


# ---- OAuth ---------------------------------------------------------------------

def test_demo_env_shape():
    assert set(DEMO) >= {"RC_APP_CLIENT_ID", "RC_APP_CLIENT_SECRET", "RC_USER_JWT"}
    parts = DEMO["RC_USER_JWT"].split(".")
    assert len(parts) == 3 and all(re.fullmatch(r"[A-Za-z0-9_-]+", p) for p in parts)


def test_jwt_grant_shape(sim):
    tok = sim.grant()
    assert tok["token_type"] == "bearer"
    assert tok["expires_in"] == 3600
    assert tok["refresh_token_expires_in"] == 604800
    assert isinstance(tok["owner_id"], str) and tok["owner_id"].isdigit()
    assert tok["access_token"] and tok["refresh_token"] and tok["scope"]
    demo = sim.demo()
    assert int(tok["owner_id"]) == demo["demoExtensionId"]


def test_requested_ttl_honoured_within_bounds(sim):
    assert sim.grant(access_token_ttl="900")["expires_in"] == 900
    assert sim.grant(access_token_ttl="60")["expires_in"] == 3600


def test_bad_credentials(sim):
    st, h, b = sim.oauth("/restapi/oauth/token", {"grant_type": GRANT_JWT, "assertion": "a.b.c"})
    assert st == 400
    err = json.loads(b)
    assert err["error"] == "invalid_grant" and err["error_description"]
    assert err["errors"][0]["errorCode"].startswith("OAU-")
    st, _, b = sim.oauth("/restapi/oauth/token", {"grant_type": GRANT_JWT,
                                                  "assertion": DEMO["RC_USER_JWT"]}, auth=False)
    assert st == 401 and json.loads(b)["error"] == "invalid_client"
    st, _, b = sim.oauth("/restapi/oauth/token", {"grant_type": "magic"})
    assert st == 400 and json.loads(b)["errors"][0]["errorCode"] == "OAU-250"


def test_refresh_is_single_use_and_kills_old_access(sim):
    tok = sim.grant()
    assert sim.get(EXT, token=tok["access_token"])[0] == 200
    st, _, b = sim.oauth("/restapi/oauth/token", {"grant_type": "refresh_token",
                                                  "refresh_token": tok["refresh_token"]})
    assert st == 200
    new = json.loads(b)
    assert new["access_token"] != tok["access_token"]
    st, _, b = sim.get(EXT, token=tok["access_token"])
    assert st == 401 and json.loads(b)["errors"][0]["errorCode"] == "OAU-213"
    assert sim.get(EXT, token=new["access_token"])[0] == 200
    st, _, b = sim.oauth("/restapi/oauth/token", {"grant_type": "refresh_token",
                                                  "refresh_token": tok["refresh_token"]})
    assert st == 400 and json.loads(b)["error"] == "invalid_grant"


def test_revoke(sim):
    tok = sim.grant()
    st, _, b = sim.oauth("/restapi/oauth/revoke", {"token": tok["access_token"]})
    assert st == 200 and b == b""
    assert sim.get(EXT, token=tok["access_token"])[0] == 401
    st, _, _ = sim.oauth("/restapi/oauth/token", {"grant_type": "refresh_token",
                                                  "refresh_token": tok["refresh_token"]})
    assert st == 400


def test_401_bodies(sim):
    st, h, b = request("GET", sim.url + EXT)
    assert st == 401
    assert h["Content-Type"] == "application/json; charset=UTF-8"
    err = json.loads(b)
    assert err["errorCode"] and err["errors"][0]["message"]
    st, _, b = sim.get(EXT, token="bogus")
    assert st == 401
    err = json.loads(b)
    assert err["errorCode"] == "TokenInvalid" and err["errors"][0]["errorCode"] == "OAU-213"


def test_expired_token(sim):
    sim.config(token_ttl=600)
    tok = sim.token()
    assert sim.get(EXT, token=tok)[0] == 200
    sim.clock(599)
    assert sim.get(EXT, token=tok)[0] == 200
    sim.clock(2)
    st, _, b = sim.get(EXT, token=tok)
    assert st == 401
    err = json.loads(b)
    assert err["errors"][0]["errorCode"] == "OAU-128"
    assert err["errors"][0]["message"] == "Access token expired"


# ---- shapes, ids, uris ---------------------------------------------------------------

def test_account_extension_and_numbers(sim):
    demo = sim.demo()
    st, h, acct = sim.get_json("/restapi/v1.0/account/~")
    assert st == 200 and acct["id"] == demo["accountId"]
    assert acct["uri"] == "%s/restapi/v1.0/account/%d" % (sim.url, demo["accountId"])
    st, _, ext = sim.get_json(EXT)
    assert ext["id"] == demo["demoExtensionId"] and ext["extensionNumber"] == "101"
    assert ext["account"]["id"] == str(demo["accountId"])
    assert {"featureName": "SMS", "enabled": True} in ext["serviceFeatures"]
    st, _, nums = sim.get_json(EXT + "/phone-number")
    direct = [r for r in nums["records"] if r["usageType"] == "DirectNumber"]
    assert direct and {"SmsSender", "CallerId"} <= set(direct[0]["features"])
    assert any(r["usageType"] == "MainCompanyNumber" for r in nums["records"])
    assert all(isinstance(r["id"], int) for r in nums["records"])
    st, _, exts = sim.get_json("/restapi/v1.0/account/~/extension")
    assert exts["paging"]["totalElements"] == len(demo["extensions"]) >= 4
    assert {"User", "Department"} <= {r["type"] for r in exts["records"]}


def test_json_is_jackson_pretty(sim):
    st, h, b = sim.get(EXT + "/presence")
    text = b.decode()
    assert text.startswith("{\n  \"uri\" : \"")
    assert "null" not in text


def _walk_uris(obj, out):
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in ("uri", "contentUri") and isinstance(v, str):
                out.append(v)
            else:
                _walk_uris(v, out)
    elif isinstance(obj, list):
        for v in obj:
            _walk_uris(v, out)


def test_uris_canonical(sim):
    seen = []
    for path in [EXT, EXT + "/message-store?dateFrom=2000-01-01&perPage=50",
                 EXT + "/call-log?dateFrom=2000-01-01&perPage=50&view=Detailed",
                 EXT + "/address-book/contact", EXT + "/answering-rule",
                 "/restapi/v1.0/account/~/call-log?dateFrom=2000-01-01&perPage=20"]:
        st, _, b = sim.get_json(path)
        assert st == 200
        _walk_uris(b, seen)
    assert seen
    for u in seen:
        assert "~" not in u, u
        assert u.startswith(sim.url + "/") or u.startswith(sim.media_url + "/"), u
        if "/content" in u:
            assert u.startswith(sim.media_url), u


def test_message_types_and_ids(sim):
    st, _, b = sim.get_json(EXT + "/message-store?dateFrom=2000-01-01&perPage=1000")
    recs = b["records"]
    types = {r["type"] for r in recs}
    assert types == {"VoiceMail", "Fax", "SMS", "Pager"}
    for r in recs:
        assert isinstance(r["id"], int)
        for a in r["attachments"]:
            assert isinstance(a["id"], int)
            assert "size" not in a and "fileName" not in a
        if r["type"] == "SMS":
            assert r["subject"] and r["attachments"][0]["type"] == "Text"
            assert r["conversation"]["id"] == str(r["conversationId"])
        if r["type"] == "Pager":
            assert "extensionNumber" in r["from"]
        if r["type"] == "Fax":
            assert r["attachments"][0]["contentType"] == "application/pdf"
            assert r["faxPageCount"] >= 1
        if r["type"] == "VoiceMail":
            assert r["attachments"][0]["contentType"] == "audio/x-wav"
    assert any(r["conversationId"] > 2 ** 53 for r in recs if "conversationId" in r)
    assert {"Inbound", "Outbound"} <= {r["direction"] for r in recs if r["type"] == "Fax"}
    times = [r["creationTime"] for r in recs]
    assert times == sorted(times, reverse=True)
    # the raw text keeps big conversation ids exact
    raw = sim.get(EXT + "/message-store?dateFrom=2000-01-01&perPage=1000&messageType=SMS")[2].decode()
    big = [r for r in recs if r.get("conversationId", 0) > 2 ** 53][0]
    assert '"conversationId" : %d' % big["conversationId"] in raw


# ---- paging and windows --------------------------------------------------------------------

def test_default_window_is_24h(sim):
    demo = sim.demo()
    st, _, recent = sim.get_json(EXT + "/message-store")
    st, _, allm = sim.get_json(EXT + "/message-store?dateFrom=2000-01-01T00:00:00Z&perPage=1000")
    assert 0 < recent["paging"]["totalElements"] < allm["paging"]["totalElements"]
    assert "availability=Alive" in recent["uri"] and "dateFrom=" in recent["uri"]
    assert "perPage=100" in recent["uri"] and "page=1" in recent["uri"]
    cutoff = demo["now"] - 86400 * 1000 - 60000
    for r in recent["records"]:
        assert _ms(r["creationTime"]) >= cutoff
    st, _, calls = sim.get_json(EXT + "/call-log")
    st, _, allc = sim.get_json(EXT + "/call-log?dateFrom=2000-01-01&perPage=1000")
    assert 0 < len(calls["records"]) < len(allc["records"])
    assert "view=Simple" in calls["uri"] and "showBlocked=true" in calls["uri"]


def test_message_paging_navigation(sim):
    q = EXT + "/message-store?dateFrom=2000-01-01&perPage=7"
    st, _, p1 = sim.get_json(q)
    total = p1["paging"]["totalElements"]
    pages = p1["paging"]["totalPages"]
    assert pages == (total + 6) // 7 and pages >= 3
    assert p1["paging"]["page"] == 1 and p1["paging"]["pageStart"] == 0
    assert p1["paging"]["pageEnd"] == 6
    nav = p1["navigation"]
    assert set(nav) == {"nextPage", "firstPage", "lastPage"}
    st, _, p2 = sim.get_json(nav["nextPage"]["uri"])
    assert p2["paging"]["page"] == 2 and p2["paging"]["pageStart"] == 7
    assert set(p2["navigation"]) == {"nextPage", "previousPage", "firstPage", "lastPage"}
    st, _, last = sim.get_json(nav["lastPage"]["uri"])
    assert "nextPage" not in last["navigation"]
    assert last["paging"]["pageEnd"] == total - 1
    ids = []
    uri = p1["navigation"]["firstPage"]["uri"]
    while uri:
        st, _, p = sim.get_json(uri)
        ids += [r["id"] for r in p["records"]]
        uri = p["navigation"].get("nextPage", {}).get("uri")
    assert len(ids) == len(set(ids)) == total
    st, _, empty = sim.get_json(q.replace("perPage=7", "perPage=7&page=999"))
    assert empty["records"] == [] and "page" not in empty["paging"]
    assert "pageStart" not in empty["paging"]


def test_call_log_paging_has_no_totals(sim):
    st, _, b = sim.get_json(EXT + "/call-log?dateFrom=2000-01-01&perPage=5")
    assert set(b["paging"]) == {"page", "perPage", "pageStart", "pageEnd"}
    assert set(b["navigation"]) == {"nextPage", "firstPage"}
    st, _, b = sim.get_json(EXT + "/call-log?dateFrom=2000-01-01&perPage=max")
    assert b["paging"]["perPage"] == 1000
    st, _, b = sim.get_json(EXT + "/call-log?dateFrom=2000-01-01&perPage=5000")
    assert b["paging"]["perPage"] == 1000


def _all_pages(sim, uri):
    """Every record of a listing, following nextPage from `uri`; and the pages."""
    records, pages = [], []
    while uri:
        st, _, p = sim.get_json(uri)
        assert st == 200, p
        pages.append(p)
        records += p["records"]
        uri = p["navigation"].get("nextPage", {}).get("uri")
    return records, pages


@pytest.mark.parametrize("query", [
    "/message-store?dateFrom=2000-01-01",
    "/message-store?dateFrom=2000-01-01&messageType=SMS&distinctConversations=true",
    "/message-store?dateFrom=2000-01-01&availability=Deleted,Alive&direction=Inbound",
    "/message-store?dateFrom=2000-01-01&dateTo=%s",
    "/message-store?readStatus=Unread",
    "/call-log?dateFrom=2000-01-01&view=Detailed",
    "/call-log?dateFrom=2000-01-01&dateTo=%s&type=Voice",
])
def test_paged_listing_equals_one_page(sim, query):
    """Paging through a listing gives exactly the records of one big page, in order, and
    the same paging fields as the same page fetched on its own."""
    sim.config(limits={"Light": 10 ** 6, "Heavy": 10 ** 6})
    if "%s" in query:
        mid = sim.demo()["now"] - 40 * 86400 * 1000
        query %= datetime.datetime.fromtimestamp(mid / 1000, datetime.timezone.utc) \
            .strftime("%Y-%m-%dT%H:%M:%S.000Z")
    st, _, one = sim.get_json(EXT + query + "&perPage=1000")
    assert st == 200 and one["records"] and "nextPage" not in one["navigation"]
    records, pages = _all_pages(sim, EXT + query + "&perPage=3")
    assert records == one["records"]
    if "totalElements" in one["paging"]:
        assert pages[0]["paging"]["totalElements"] == len(records)
    # any page asked for again (in another order) is the same page
    for p in reversed(pages):
        assert sim.get_json(p["uri"])[2] == p
    if "call-log" in query:
        st, _, acct = sim.get_json("/restapi/v1.0/account/~" + query + "&perPage=1000")
        assert _all_pages(sim, "/restapi/v1.0/account/~" + query + "&perPage=4")[0] == acct["records"]


def test_paged_listing_sees_store_changes(sim):
    """A change between two pages is in every page fetched after it: a new message, a
    read status, a deletion, a purge, a deletion by conversation, a reset; and the
    default window moves with the clock."""
    sim.config(limits={"Light": 10 ** 6, "Heavy": 10 ** 6, "Medium": 10 ** 6})
    q = EXT + "/message-store?dateFrom=2000-01-01&readStatus=Read&perPage=4"

    def fresh():
        st, _, b = sim.get_json(q.replace("perPage=4", "perPage=1000"))
        return b["records"]

    before = fresh()
    p1 = sim.get_json(q)[2]
    assert p1["records"] == before[:4] and len(before) > 12
    new = sim.inject(type="SMS", text="between pages", phoneNumber="+14155550999", read=True)
    sim.call("PUT", before[5]["uri"], {"readStatus": "Unread"})
    assert sim.call("DELETE", before[9]["uri"])[0] == 204
    now = fresh()
    gone = (before[5]["id"], before[9]["id"])
    assert [r["id"] for r in now] == [new["id"]] + [r["id"] for r in before if r["id"] not in gone]
    # the next page of the listing started before the changes is a page of the new listing
    p2 = sim.get_json(p1["navigation"]["nextPage"]["uri"])[2]
    assert p2["records"] == now[4:8]
    assert p2["paging"]["totalElements"] == len(now)
    assert _all_pages(sim, q)[0] == now
    sim.call("PUT", before[5]["uri"], {"readStatus": "Read"})
    assert before[5]["id"] in [r["id"] for r in fresh()]
    # the trash listing follows too: deleted, then purged
    trash = EXT + "/message-store?dateFrom=2000-01-01&availability=Deleted&perPage=1000"
    assert before[9]["id"] in [r["id"] for r in sim.get_json(trash)[2]["records"]]
    assert sim.call("DELETE", before[9]["uri"])[0] == 204
    assert before[9]["id"] not in [r["id"] for r in sim.get_json(trash)[2]["records"]]
    # a deletion by conversation
    sms = EXT + "/message-store?dateFrom=2000-01-01&messageType=SMS&perPage=2"
    conv = sim.get_json(sms)[2]["records"][0]["conversationId"]
    assert sim.call("DELETE", EXT + "/message-store?conversationId=%d" % conv)[0] == 204
    assert conv not in [r["conversationId"] for r in _all_pages(sim, sms)[0]]
    sim.reset()
    assert fresh() == before
    # the same default-window query a day later: nothing changed but the window
    st, _, c1 = sim.get_json(EXT + "/call-log?perPage=1")
    st, _, m1 = sim.get_json(EXT + "/message-store?perPage=1")
    assert c1["records"] and m1["records"]
    sim.clock(25 * 3600)
    assert sim.get_json(EXT + "/call-log?perPage=1")[2]["records"] == []
    assert sim.get_json(EXT + "/message-store?perPage=1")[2]["records"] == []


def test_per_page_clamp_and_bad_params(sim):
    st, _, b = sim.get_json(EXT + "/message-store?perPage=5000")
    assert st == 200 and b["paging"]["perPage"] == 1000
    for bad, name in [("perPage=abc", "perPage"), ("page=0", "page"), ("dateFrom=yesterday", "dateFrom"),
                      ("messageType=Email", "messageType"), ("direction=Up", "direction")]:
        st, _, b = sim.get_json(EXT + "/message-store?" + bad)
        assert st == 400, bad
        assert b["errorCode"] == "CMN-101"
        assert b["errors"][0]["parameterName"] == name
        assert b["message"] == "Parameter [%s] value is invalid" % name


def test_filters(sim):
    base = EXT + "/message-store?dateFrom=2000-01-01&perPage=1000"
    st, _, sms = sim.get_json(base + "&messageType=SMS")
    assert {r["type"] for r in sms["records"]} == {"SMS"}
    st, _, two = sim.get_json(base + "&messageType=SMS&messageType=Fax")
    assert {r["type"] for r in two["records"]} == {"SMS", "Fax"}
    conv = sms["records"][0]["conversationId"]
    st, _, one = sim.get_json(base + "&conversationId=%d" % conv)
    assert one["records"] and all(r["conversationId"] == conv for r in one["records"])
    st, _, deleted = sim.get_json(base + "&availability=Deleted")
    assert all(r["availability"] == "Deleted" for r in deleted["records"])
    st, _, unread = sim.get_json(base + "&readStatus=Unread&direction=Inbound")
    assert all(r["readStatus"] == "Unread" and r["direction"] == "Inbound" for r in unread["records"])
    st, _, rec = sim.get_json(EXT + "/call-log?dateFrom=2000-01-01&perPage=1000&recordingType=All")
    assert rec["records"] and all("recording" in r for r in rec["records"])


def test_not_found_errors(sim):
    st, _, b = sim.get_json(EXT + "/message-store/123")
    assert st == 404 and b["errorCode"] == "CMN-102"
    assert b["message"] == "Resource for parameter [messageId] is not found"
    assert b["errors"][0]["parameterName"] == "messageId"
    st, _, b = sim.get_json("/restapi/v1.0/nothing/here")
    assert st == 404 and b["errorCode"] == "CMN-120"
    st, h, b = request("DELETE", sim.url + "/restapi/v1.0/account/~/extension")
    assert st == 405 and "GET" in h["Allow"]


def test_single_records(sim):
    st, _, lst = sim.get_json(EXT + "/message-store?dateFrom=2000-01-01&perPage=1")
    m = lst["records"][0]
    st, _, one = sim.get_json(m["uri"])
    assert one == m
    st, _, calls = sim.get_json(EXT + "/call-log?dateFrom=2000-01-01&recordingType=All&perPage=1")
    c = calls["records"][0]
    assert isinstance(c["id"], str) and isinstance(c["sessionId"], str)
    st, _, one = sim.get_json(c["uri"])
    assert one == c
    st, _, recmeta = sim.get_json(c["recording"]["uri"])
    assert recmeta["id"] == c["recording"]["id"] and isinstance(recmeta["id"], str)
    assert recmeta["contentType"] in ("audio/mpeg", "audio/wav") and recmeta["duration"] > 0
    assert recmeta["contentUri"] == c["recording"]["contentUri"]
    st, _, rules = sim.get_json(EXT + "/answering-rule")
    ids = [r["id"] for r in rules["records"]]
    assert "business-hours-rule" in ids and "after-hours-rule" in ids
    assert any(i.isdigit() for i in ids)
    for r in rules["records"]:
        assert sim.get_json(r["uri"])[0] == 200
    st, _, crules = sim.get_json("/restapi/v1.0/account/~/answering-rule")
    for r in crules["records"]:
        assert sim.get_json(r["uri"])[0] == 200
    st, _, contacts = sim.get_json(EXT + "/address-book/contact?perPage=3")
    ct = contacts["records"][0]
    assert isinstance(ct["id"], int) and ct["firstName"] and ct["email"]
    assert sim.get_json(ct["uri"])[2] == ct


def test_forwarding_and_blocking(sim):
    st, _, fw = sim.get_json(EXT + "/forwarding-number")
    assert fw["paging"]["totalElements"] == len(fw["records"]) >= 2
    for r in fw["records"]:
        assert isinstance(r["id"], str) and sim.get_json(r["uri"])[2] == r
    st, _, rule = sim.get_json(EXT + "/answering-rule/business-hours-rule")
    fid = rule["forwarding"]["rules"][0]["forwardingNumbers"][0]["id"]
    assert fid in [r["id"] for r in fw["records"]]
    st, _, cb = sim.get_json(EXT + "/caller-blocking")
    assert cb["mode"] in ("Specific", "All") and "uri" not in cb
    st, _, bl = sim.get_json(EXT + "/caller-blocking/phone-numbers?status=Blocked")
    assert bl["records"] and all(r["status"] == "Blocked" for r in bl["records"])
    r = bl["records"][0]
    assert base64.b64decode(r["id"] + "==").decode() == r["phoneNumber"].lstrip("+")
    assert sim.get_json(r["uri"])[2] == r


def test_other_extension_and_account_call_log(sim):
    demo = sim.demo()
    other = [e for e in demo["extensions"] if e["extensionNumber"] == "102"][0]
    st, _, b = sim.get_json("/restapi/v1.0/account/~/extension/%d/message-store?dateFrom=2000-01-01"
                            % other["id"])
    assert st == 200 and b["records"]
    assert "/extension/%d/" % other["id"] in b["records"][0]["uri"]
    st, _, b = sim.get_json("/restapi/v1.0/account/~/call-log?dateFrom=2000-01-01&perPage=1000")
    assert len({r["extension"]["id"] for r in b["records"]}) >= 2


def test_standard_user_own_recordings_not_company_call_log(sim):
    """demo-user.env's JWT logs in extension 102, a user without the company call log."""
    demo = sim.demo()
    me = [e for e in demo["extensions"] if e["extensionNumber"] == "102"][0]
    tok = sim.grant(assertion=DEMO_USER["RC_USER_JWT"])
    assert tok["owner_id"] == str(me["id"]) and not me["admin"]
    token = tok["access_token"]
    st, _, b = sim.get_json(EXT, token=token)
    assert st == 200 and b["id"] == me["id"]
    st, _, b = sim.get_json("/restapi/v1.0/account/~/call-log?dateFrom=2000-01-01", token=token)
    assert st == 403 and b["errorCode"] == "CMN-408" and b["permissionName"] == "ReadCompanyCallLog"
    assert b["errors"][0]["permissionName"] == "ReadCompanyCallLog"
    assert "[ReadCompanyCallLog]" in b["message"]
    st, _, b = sim.get_json(EXT + "/call-log?dateFrom=2000-01-01&recordingType=All&perPage=1000",
                            token=token)
    assert st == 200 and b["records"] and all("recording" in r for r in b["records"])
    assert all("/extension/%d/" % me["id"] in r["uri"] for r in b["records"])
    st, _, audio = sim.get(b["records"][0]["recording"]["contentUri"], token=token)
    assert st == 200 and audio
    other = [e for e in demo["extensions"] if e["extensionNumber"] == "103"][0]
    st, _, b = sim.get_json("/restapi/v1.0/account/~/extension/%d/call-log" % other["id"],
                            token=token)
    assert st == 403 and b["errorCode"] == "CMN-404"
    # a refresh keeps the user
    st, _, body = sim.oauth("/restapi/oauth/token", {"grant_type": "refresh_token",
                                                     "refresh_token": tok["refresh_token"]})
    assert st == 200 and json.loads(body)["owner_id"] == str(me["id"])
    st, _, prof = sim.get_json(EXT + "/authz-profile", token=json.loads(body)["access_token"])
    assert "ReadCompanyCallLog" not in [p["permission"]["id"] for p in prof["permissions"]]
    st, _, prof = sim.get_json(EXT + "/authz-profile")
    assert "ReadCompanyCallLog" in [p["permission"]["id"] for p in prof["permissions"]]


def test_recordings_are_mp3_or_wav(sim):
    """Recordings come as audio/mpeg (valid MP3 frames) or audio/wav, the metadata,
    Content-Type, Content-Disposition and bytes agreeing; the call log says neither."""
    sim.config(limits={"Heavy": 1000})
    calls = sim.get_json(EXT + "/call-log?dateFrom=2000-01-01&recordingType=All&perPage=1000")[2]
    seen = set()
    for c in calls["records"][:12]:
        rec = c["recording"]
        assert "contentType" not in rec
        meta = sim.get_json(rec["uri"])[2]
        st, h, body = sim.get(rec["contentUri"])
        assert st == 200 and h["Content-Type"] == meta["contentType"]
        seen.add(meta["contentType"])
        if meta["contentType"] == "audio/mpeg":
            assert h["Content-Disposition"] == "inline;filename=%s.mp3" % rec["id"]
            # every frame: MPEG-2 Layer III, 32 kbit/s, 16 kHz, mono; 144 bytes
            assert len(body) % 144 == 0 and len(body) >= meta["duration"] * 4000
            assert all(body[i:i + 4] == b"\xff\xf3\x48\xc4" for i in range(0, len(body), 144))
            out = subprocess.run(["file", "-b", "-"], input=body[:4096], capture_output=True).stdout
            assert b"MPEG" in out and b"layer III" in out, out
            st, h, part = sim.get(rec["contentUri"], headers={"Range": "bytes=100-399"})
            assert st == 206 and part == body[100:400]
        else:
            assert h["Content-Disposition"] == "inline;filename=%s.wav" % rec["id"]
            assert body[:4] == b"RIFF" and body[8:12] == b"WAVE"
    assert seen == {"audio/mpeg", "audio/wav"}


def test_message_sync(sim):
    st, _, f = sim.get_json(EXT + "/message-sync?syncType=FSync")
    assert f["syncInfo"]["syncType"] == "FSync" and f["syncInfo"]["syncToken"]
    assert "paging" not in f
    st, _, i = sim.get_json(EXT + "/message-sync?syncType=ISync&syncToken=" + f["syncInfo"]["syncToken"])
    assert st == 200 and i["syncInfo"]["syncType"] == "ISync"
    st, _, e = sim.get_json(EXT + "/message-sync?syncType=ISync&syncToken=garbage")
    assert st == 400 and e["errorCode"] == "MSG-333"


def test_message_sync_token_expires_and_is_forgotten_on_reset(sim):
    """A token the server no longer honours answers 400 MSG-333 "Parameter [syncToken] is
    invalid": past its lifetime, or issued before the server's state was reset."""
    sync = EXT + "/message-sync?syncType=ISync&syncToken="
    token = sim.get_json(EXT + "/message-sync?syncType=FSync")[2]["syncInfo"]["syncToken"]
    sim.config(sync_token_ttl=60)
    sim.clock(30)
    st, _, i = sim.get_json(sync + token)
    assert st == 200 and i["syncInfo"]["syncType"] == "ISync"
    fresh = i["syncInfo"]["syncToken"]
    sim.clock(45)
    st, _, e = sim.get_json(sync + token)
    assert st == 400 and e["errorCode"] == "MSG-333" and e["message"] == "Parameter [syncToken] is invalid"
    assert sim.get_json(sync + fresh)[0] == 200
    sim.reset()
    st, _, e = sim.get_json(sync + fresh)
    assert st == 400 and e["errorCode"] == "MSG-333"


def test_injected_message_and_isync(sim):
    st, _, f = sim.get_json(EXT + "/message-sync?syncType=FSync")
    token = f["syncInfo"]["syncToken"]
    sim.clock(30)
    new = sim.inject(type="SMS", text="fresh news", phoneNumber="+14155550999", name="Newcomer")
    st, _, i = sim.get_json(EXT + "/message-sync?syncType=ISync&syncToken=" + token)
    assert [r["id"] for r in i["records"]] == [new["id"]]
    assert i["records"][0]["subject"] == "fresh news"
    st, _, lst = sim.get_json(EXT + "/message-store?perPage=1")
    assert lst["records"][0]["id"] == new["id"]
    st, _, txt = sim.get(lst["records"][0]["attachments"][0]["uri"])
    assert txt == b"fresh news"
    vm = sim.inject(type="VoiceMail", duration=4)
    st, _, m = sim.get_json(vm["uri"])
    assert m["type"] == "VoiceMail" and m["attachments"][0]["vmDuration"] == 4
    sim.reset()
    assert sim.get(vm["uri"])[0] == 404


def test_mark_read_delete_purge(sim):
    st, _, f = sim.get_json(EXT + "/message-sync?syncType=FSync")
    token = f["syncInfo"]["syncToken"]
    m = [r for r in f["records"] if r["readStatus"] == "Unread"][0]
    sim.clock(10)
    st, _, b = sim.call("PUT", m["uri"], {"readStatus": "Read"})
    assert st == 200 and json.loads(b)["readStatus"] == "Read"
    st, _, b = sim.call("PUT", m["uri"], {"readStatus": "Maybe"})
    assert st == 400 and json.loads(b)["errorCode"] == "CMN-101"
    st, _, b = sim.call("PUT", m["uri"], None)
    assert st == 400 and json.loads(b)["errorCode"] == "CMN-103"
    assert sim.call("DELETE", m["uri"])[0] == 204
    st, _, d = sim.get_json(m["uri"])
    assert st == 200 and d["availability"] == "Deleted"
    st, _, lst = sim.get_json(EXT + "/message-store")
    assert m["id"] not in [r["id"] for r in lst["records"]]
    st, _, i = sim.get_json(EXT + "/message-sync?syncType=ISync&syncToken=" + token)
    assert [(r["id"], r["availability"]) for r in i["records"]] == [(m["id"], "Deleted")]
    assert sim.call("DELETE", m["uri"])[0] == 204
    assert sim.get(m["uri"])[0] == 404
    assert sim.get(m["attachments"][0]["uri"])[0] == 404
    st, _, i = sim.get_json(EXT + "/message-sync?syncType=ISync&syncToken=" + token)
    assert i["records"] == [{"uri": m["uri"], "id": m["id"], "availability": "Purged",
                             "lastModifiedTime": i["records"][0]["lastModifiedTime"]}]
    log = [e["operation"] for e in sim.requests() if e["method"] in ("PUT", "DELETE")]
    assert log == ["updateMessage"] * 3 + ["deleteMessage"] * 2


def test_patch_message_restores_from_deleted(sim):
    """Today's API: PATCH with availability Alive brings a message back from Deleted (the
    seed's PUT changes the read status only); a purged message is gone for good."""
    q = EXT + "/message-store?dateFrom=2000-01-01&perPage=1000"
    m = sim.get_json(q + "&messageType=VoiceMail")[2]["records"][0]
    assert sim.call("DELETE", m["uri"])[0] == 204
    deleted = sim.get_json(q + "&availability=Deleted")[2]["records"]
    assert m["id"] in [r["id"] for r in deleted]
    st, _, b = sim.call("PATCH", m["uri"], {"availability": "Alive", "readStatus": "Read"})
    assert st == 200
    back = json.loads(b)
    assert back["availability"] == "Alive" and back["readStatus"] == "Read"
    assert m["id"] in [r["id"] for r in sim.get_json(q)[2]["records"]]
    assert m["id"] not in [r["id"] for r in sim.get_json(q + "&availability=Deleted")[2]["records"]]
    st, _, b = sim.call("PATCH", m["uri"], {"availability": "Gone"})
    assert st == 400 and json.loads(b)["errorCode"] == "CMN-101"
    assert sim.call("PATCH", m["uri"], {"subject": "x"})[0] == 400
    assert sim.call("DELETE", m["uri"] + "?purge=true")[0] == 204
    assert sim.call("PATCH", m["uri"], {"availability": "Alive"})[0] == 404


def test_delete_trash_then_purge(sim):
    """The seed: the first DELETE moves a message to the trash (Deleted), the second purges
    it; ?purge=true purges at once. Lists show only Alive messages unless asked."""
    q = EXT + "/message-store?dateFrom=2000-01-01&perPage=1000"
    st, _, alive = sim.get_json(q)
    assert "availability=Alive" in alive["uri"]
    assert {r["availability"] for r in alive["records"]} == {"Alive"}
    m, other = alive["records"][0], alive["records"][1]
    assert sim.call("DELETE", m["uri"])[0] == 204
    st, _, d = sim.get_json(m["uri"])
    assert st == 200 and d["availability"] == "Deleted" and d["id"] == m["id"]
    assert m["id"] not in [r["id"] for r in sim.get_json(q)[2]["records"]]
    st, _, trash = sim.get_json(q + "&availability=Deleted")
    assert m["id"] in [r["id"] for r in trash["records"]]
    assert {r["availability"] for r in trash["records"]} == {"Deleted"}
    assert sim.get(m["attachments"][0]["uri"])[0] == 200      # the trash keeps attachments
    assert sim.call("DELETE", m["uri"])[0] == 204
    _err(sim.get(m["uri"]), 404, "CMN-102")
    assert m["id"] not in [r["id"] for r in sim.get_json(q + "&availability=Deleted")[2]["records"]]
    _err(sim.call("DELETE", m["uri"]), 404, "CMN-102")
    # ?purge=true purges an Alive message at once
    _err(sim.call("DELETE", other["uri"] + "?purge=maybe"), 400, "CMN-101")
    assert sim.call("DELETE", other["uri"] + "?purge=true")[0] == 204
    _err(sim.get(other["uri"]), 404, "CMN-102")
    # a message the demo data has in the trash is purged by one DELETE
    old = trash["records"][-1]
    assert old["id"] != m["id"]
    assert sim.call("DELETE", old["uri"])[0] == 204
    _err(sim.get(old["uri"]), 404, "CMN-102")


def test_default_window_follows_clock(sim):
    st, _, before = sim.get_json(EXT + "/message-store")
    assert before["records"]
    sim.clock(25 * 3600)
    st, _, after = sim.get_json(EXT + "/message-store")
    assert after["records"] == []
    st, _, calls = sim.get_json(EXT + "/call-log")
    assert calls["records"] == [] and "nextPage" not in calls["navigation"]


# ---- rate limits --------------------------------------------------------------------------------

def test_rate_limit_headers_and_429(sim):
    sim.config(limits={"Heavy": 3}, rate_window=30)
    for i in range(3):
        st, h, _ = sim.get(EXT + "/call-log")
        assert st == 200
        assert h["X-Rate-Limit-Group"] == "heavy"
        assert h["X-Rate-Limit-Limit"] == "3"
        assert h["X-Rate-Limit-Remaining"] == str(2 - i)
        assert h["X-Rate-Limit-Window"] == "30"
    st, h, b = sim.get(EXT + "/call-log")
    assert st == 429
    assert h["Retry-After"] == "30"
    assert b == (b'{\n  "errorCode" : "CMN-301",\n  "message" : "Request rate exceeded",\n'
                 b'  "errors" : [ {\n    "errorCode" : "CMN-301",\n'
                 b'    "message" : "Request rate exceeded"\n  } ]\n}')
    # other groups are not affected
    st, h, _ = sim.get(EXT + "/presence")
    assert st == 200 and h["X-Rate-Limit-Group"] == "light"
    # version endpoints are not limited
    st, h, _ = request("GET", sim.url + "/restapi/v1.0")
    assert st == 200 and "X-Rate-Limit-Group" not in h


def test_rate_limit_penalty_restarts(sim):
    sim.config(limits={"Heavy": 1}, rate_window=60)
    assert sim.get(EXT + "/call-log")[0] == 200
    assert sim.get(EXT + "/call-log")[0] == 429
    for _ in range(3):                      # each rejected request restarts the penalty
        sim.clock(40)
        assert sim.get(EXT + "/call-log")[0] == 429
    assert sim.get(EXT + "/presence")[0] == 200      # other groups unaffected
    sim.clock(61)
    st, h, _ = sim.get(EXT + "/call-log")
    assert st == 200 and h["X-Rate-Limit-Remaining"] == "0"


def test_rate_limit_real_time_window(sim):
    sim.config(limits={"Light": 1}, rate_window=0.5)
    assert sim.get(EXT + "/presence")[0] == 200
    assert sim.get(EXT + "/presence")[0] == 429
    time.sleep(0.7)                         # the penalty runs on real time too
    assert sim.get(EXT + "/presence")[0] == 200


def test_auth_group_limit(sim):
    sim.config(limits={"Auth": 2})
    sim.grant()
    st, h, _ = sim.oauth("/restapi/oauth/token", {"grant_type": GRANT_JWT,
                                                  "assertion": DEMO["RC_USER_JWT"]})
    assert st == 200 and h["X-Rate-Limit-Group"] == "auth"
    st, h, _ = sim.oauth("/restapi/oauth/token", {"grant_type": GRANT_JWT,
                                                  "assertion": DEMO["RC_USER_JWT"]})
    assert st == 429 and "Retry-After" in h


# ---- media -----------------------------------------------------------------------------------

def _first(sim, mtype):
    st, _, b = sim.get_json(EXT + "/message-store?dateFrom=2000-01-01&perPage=1000&messageType=" + mtype)
    return b["records"][0]


def test_media_range(sim):
    vm = _first(sim, "VoiceMail")
    uri = vm["attachments"][0]["uri"]
    assert uri.startswith(sim.media_url)
    st, h, full = sim.get(uri)
    assert st == 200 and h["Content-Type"] == "audio/x-wav"
    assert int(h["Content-Length"]) == len(full)
    assert h["Content-Disposition"] == "inline;filename=%d.wav" % vm["attachments"][0]["id"]
    assert h["X-Rate-Limit-Group"] == "medium"
    st, h, part = sim.get(uri, headers={"Range": "bytes=10-99"})
    assert st == 206 and part == full[10:100]
    assert h["Content-Range"] == "bytes 10-99/%d" % len(full)
    st, h, part = sim.get(uri, headers={"Range": "bytes=%d-" % (len(full) - 5)})
    assert st == 206 and part == full[-5:]
    st, h, part = sim.get(uri, headers={"Range": "bytes=-7"})
    assert st == 206 and part == full[-7:]
    st, h, b = sim.get(uri, headers={"Range": "bytes=%d-" % len(full)})
    assert st == 416 and h["Content-Range"] == "bytes */%d" % len(full)
    assert json.loads(b)["errorCode"] == "CMN-107"
    # the API host answers the same path (the SDKs call it there): the same bytes,
    # headers and ranges
    api = uri.replace(sim.media_url, sim.url)
    st, h2, b = sim.get(api)
    assert st == 200 and b == full and h2["Content-Type"] == "audio/x-wav"
    assert h2["Content-Disposition"] == "inline;filename=%d.wav" % vm["attachments"][0]["id"]
    assert h2["X-Rate-Limit-Group"] == "medium"
    st, _, part = sim.get(api, headers={"Range": "bytes=10-99"})
    assert st == 206 and part == full[10:100]
    log = [e for e in sim.requests() if e["path"].endswith("/content/%d" % vm["attachments"][0]["id"])]
    assert {(e["host"], e["operation"], e["group"]) for e in log} == \
        {("media", log[0]["operation"], "Medium"), ("api", log[0]["operation"], "Medium")}
    # the media host still serves content only
    st, _, b = sim.get(sim.media_url + EXT)
    assert st == 404 and json.loads(b)["errorCode"] == "CMN-120"
    # same bytes every time
    assert sim.get(uri)[2] == full


def test_media_head_query_token_and_disposition(sim):
    fax = _first(sim, "Fax")
    uri = fax["attachments"][0]["uri"]
    st, h, full = sim.get(uri)
    st, h, b = request("HEAD", uri, {"Authorization": "Bearer " + sim.token()})
    assert st == 200 and b == b"" and int(h["Content-Length"]) == len(full)
    st, h, b = request("GET", uri + "?access_token=" + sim.token())
    assert st == 200 and b == full
    st, h, b = request("GET", uri)
    assert st == 401
    st, h, b = sim.get(uri + "?contentDisposition=Attachment")
    assert h["Content-Disposition"] == "attachment;filename=%d.pdf" % fax["attachments"][0]["id"]
    st, h, b = sim.get(uri.rsplit("/", 1)[0] + "/1")
    assert st == 404 and json.loads(b)["errors"][0]["parameterName"] == "attachmentId"


def _wav_ok(data):
    assert data[:4] == b"RIFF" and data[8:16] == b"WAVEfmt "
    riff = struct.unpack("<I", data[4:8])[0]
    assert riff == len(data) - 8
    fmt, ch, rate, brate, align, bits = struct.unpack("<HHIIHH", data[20:36])
    assert (fmt, ch, rate, bits) == (1, 1, 8000, 16) and brate == 16000 and align == 2
    assert data[36:40] == b"data"
    assert struct.unpack("<I", data[40:44])[0] == len(data) - 44
    return (len(data) - 44) / 16000.0


def _tool(name, path):
    if shutil.which(name):
        return subprocess.run([name, path], capture_output=True, text=True, check=True).stdout
    return None


def test_content_is_real(sim, tmp_path):
    vm = _first(sim, "VoiceMail")
    st, _, wav = sim.get(vm["attachments"][0]["uri"])
    secs = _wav_ok(wav)
    assert secs == vm["attachments"][0]["vmDuration"]
    p = tmp_path / "vm.wav"
    p.write_bytes(wav)
    out = _tool("soxi", str(p))
    if out is not None:
        assert "8000" in out and "16-bit" in out
    vms = sim.get_json(EXT + "/message-store?dateFrom=2000-01-01&perPage=1000&messageType=VoiceMail")[2]
    wavs = {sim.get(r["attachments"][0]["uri"])[2] for r in vms["records"][:4]}
    assert len(wavs) == 4                   # different per message
    fax = _first(sim, "Fax")
    st, h, pdf = sim.get(fax["attachments"][0]["uri"])
    assert h["Content-Type"] == "application/pdf" and pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    p = tmp_path / "fax.pdf"
    p.write_bytes(pdf)
    out = _tool("pdfinfo", str(p))
    if out is not None:
        assert re.search(r"Pages:\s+%d\b" % fax["faxPageCount"], out)
    sms = _first(sim, "SMS")
    st, h, txt = sim.get(sms["attachments"][0]["uri"])
    assert h["Content-Type"].startswith("text/plain") and txt.decode() == sms["subject"]
    st, _, calls = sim.get_json(EXT + "/call-log?dateFrom=2000-01-01&recordingType=All&perPage=100")
    for call in calls["records"]:
        rec = call["recording"]
        meta = sim.get_json(rec["uri"])[2]
        if meta["contentType"] == "audio/wav":
            break
    st, h, audio = sim.get(rec["contentUri"])
    assert st == 200 and h["X-Rate-Limit-Group"] == "heavy"
    assert _wav_ok(audio) == meta["duration"]
    # the API host answers the recording's path too (the SDKs' recording().content())
    assert rec["contentUri"].startswith(sim.media_url)
    st, h, again = sim.get(rec["contentUri"].replace(sim.media_url, sim.url))
    assert st == 200 and again == audio and h["X-Rate-Limit-Group"] == "heavy"
    assert h["Content-Type"] == meta["contentType"]


# ---- control endpoints ------------------------------------------------------------------------

def test_request_log(sim):
    sim.token()
    sim.get(EXT + "/presence?x=1")
    request("GET", sim.url + "/restapi/v1.0/bogus")
    log = sim.requests()
    assert [e["seq"] for e in log] == list(range(1, len(log) + 1))
    assert not any(e["path"].startswith("/_sim/") for e in log)
    tok = [e for e in log if e["path"] == "/restapi/oauth/token"]
    assert tok and tok[0]["status"] == 200 and tok[0]["group"] == "Auth"
    pres = [e for e in log if e["operation"] == "getPresenceStatus"][0]
    assert pres == dict(pres, host="api", method="GET", query="x=1", status=200, group="Light")
    bogus = [e for e in log if e["path"] == "/restapi/v1.0/bogus"][0]
    assert bogus["status"] == 404 and bogus["operation"] is None
    sim.reset()
    assert sim.requests() == []


def test_faults(sim):
    sim.fault("status", path="/presence$", status=503, retry_after=2)
    st, h, b = sim.get(EXT + "/presence")
    assert st == 503 and h["Retry-After"] == "2"
    assert sim.get(EXT + "/presence")[0] == 200
    sim.fault("429", path="/presence$", retry_after=7)
    st, h, _ = sim.get(EXT + "/presence")
    assert st == 429 and h["Retry-After"] == "7"
    sim.fault("reset", path="/presence$")
    with pytest.raises(Exception):
        sim.get(EXT + "/presence")
    sim.fault("truncate", path="/presence$")
    with pytest.raises(Exception):
        sim.get(EXT + "/presence")
    sim.fault("slow", path="/presence$", delay=0.2)
    assert sim.get(EXT + "/presence")[0] == 200
    kinds = [e.get("fault") for e in sim.requests() if e["path"].endswith("/presence")]
    assert kinds == ["status", None, "429", "reset", "truncate", "slow"]


def test_a_call_happens(sim):
    url = EXT + "/call-log?view=Simple&dateFrom=2000-01-01T00:00:00.000Z&perPage=5"
    before = json.loads(sim.get(url)[2])["records"]
    c = sim.inject_call(phoneNumber="+14155550166", name="Zed")
    after = json.loads(sim.get(url)[2])["records"]
    assert after[0]["id"] == c["id"] and after[1:] == before[:4]
    assert after[0]["result"] == "Missed" and after[0]["direction"] == "Inbound"
    assert after[0]["from"] == {"phoneNumber": "+14155550166", "name": "Zed"}
    st, _, one = sim.get(c["uri"])
    assert st == 200 and json.loads(one)["id"] == c["id"]
    account = json.loads(sim.get("/restapi/v1.0/account/~/call-log?view=Simple"
                                 "&dateFrom=2000-01-01T00:00:00.000Z&perPage=1")[2])
    assert account["records"][0]["id"] == c["id"]


def test_fault_endless_pages_forever_with_the_same_records(sim):
    url = EXT + "/message-store?messageType=Fax&perPage=5&dateFrom=2000-01-01T00:00:00.000Z"
    first = json.loads(sim.get(url)[2])
    sim.fault("endless", path="/message-store$", count=3)
    seen = []
    for page in (1, 7, 8):
        body = json.loads(sim.get(url + "&page=%d" % page)[2])
        assert [r["id"] for r in body["records"]] == [r["id"] for r in first["records"]]
        seen.append(body["navigation"]["nextPage"]["uri"])
    assert [re.search(r"[?&]page=(\d+)", u).group(1) for u in seen] == ["2", "8", "9"]
    assert "nextPage" in json.loads(sim.get(url + "&page=1")[2])["navigation"]  # 20 faxes
    assert "nextPage" not in json.loads(sim.get(url + "&page=4")[2])["navigation"]


def test_seed_operations(sim):
    yaml = pytest.importorskip("yaml")
    seed = {}
    with open(os.path.join(HERE, "data", "ringcentral-swagger.yaml")) as f:
        for doc in yaml.safe_load_all(f):
            for path, ops in ((doc or {}).get("paths") or {}).items():
                for method, op in ops.items():
                    m = re.search(r"Usage Plan Group\s*\n\s*(\w+)", op.get("description") or "")
                    seed[op["operationId"]] = (method.upper(), path, m.group(1) if m else None)
    assert len(seed) == 105
    table = {o["operation"]: o for o in sim.operations()}
    implemented = sorted(n for n, o in table.items() if o["implemented"] and n in seed)
    missing = sorted(n for n in seed if not table.get(n, {}).get("implemented"))
    print("\nseed operations implemented (%d): %s" % (len(implemented), " ".join(implemented)))
    print("seed operations not implemented (%d): %s" % (len(missing), " ".join(missing)))
    for name, (method, path, group) in seed.items():
        assert name in table, name
        o = table[name]
        assert o["group"] == group, name
        assert (o["method"], o["path"].rstrip("/")) == (method, path.rstrip("/")), name
    must = {"listMessages", "loadMessage", "syncMessages", "loadExtensionCallLog", "getCallRecords",
            "loadAccountCallLog", "listCallRecordings", "listCallRecordingData", "listContacts",
            "loadContact", "loadAnsweringRulesList", "loadAnsweringRuleInfo",
            "listCompanyAnsweringRule", "loadCompanyAnsweringRuleInfo", "getPresenceStatus",
            "loadUserBusinessHours", "loadBusinesshoursInfo"}
    assert must <= set(implemented)
    assert any(n.startswith("preturns-a-specific-message-attachment") for n in implemented)
    assert missing == [] and len(implemented) == 105
    assert all(o["implemented"] for o in table.values())


def test_scale_and_determinism():
    a = Sim("--seed", "5", "--scale", "3000", "--now", "2026-01-15T12:00:00Z")
    b = Sim("--seed", "5", "--scale", "3000", "--now", "2026-01-15T12:00:00Z")
    try:
        q = EXT + "/message-store?dateFrom=2000-01-01&perPage=1000&page=3"
        sa, _, ja = a.get_json(q)
        sb, _, jb = b.get_json(q)
        assert sa == sb == 200
        assert ja["paging"]["totalElements"] > 10000
        strip = lambda j: json.dumps(j["records"]).replace(a.url, "").replace(a.media_url, "")
        assert strip(ja) == json.dumps(jb["records"]).replace(b.url, "").replace(b.media_url, "")
        u = ja["records"][0]["attachments"][0]["uri"]
        assert a.get(u)[2] == b.get(u.replace(a.media_url, b.media_url))[2]
    finally:
        assert a.stop() == 0
        assert b.stop() == 0


# ---- writes: sending ----------------------------------------------------------------------------

ME = "+16505550101"


def _err(resp, status, code):
    st, _, b = resp
    assert st == status, (st, b)
    body = json.loads(b)
    assert body["errorCode"] == code and body["errors"][0]["errorCode"] == code, body
    return body


def _newest(sim, **q):
    qs = "&".join("%s=%s" % kv for kv in q.items())
    return sim.get_json(EXT + "/message-store?perPage=1&" + qs)[2]["records"][0]


def test_send_sms(sim):
    st, _, b = sim.call("POST", EXT + "/sms", {"from": {"phoneNumber": ME},
                                               "to": [{"phoneNumber": "+1 (415) 555-0177"}],
                                               "text": "Hello there"})
    assert st == 200
    m = json.loads(b)
    assert (m["type"], m["direction"], m["messageStatus"], m["availability"]) == \
        ("SMS", "Outbound", "Queued", "Alive")
    assert m["to"] == [{"phoneNumber": "+14155550177"}] and m["from"]["phoneNumber"] == ME
    assert m["subject"] == "Hello there" and isinstance(m["conversationId"], int)
    assert m["conversation"]["id"] == str(m["conversationId"])
    att = m["attachments"][0]
    assert att["type"] == "Text" and att["uri"].startswith(sim.media_url)
    assert sim.get(att["uri"])[2] == b"Hello there"
    assert _newest(sim)["id"] == m["id"]
    st, _, conv = sim.get_json(EXT + "/message-store?conversationId=%d" % m["conversationId"])
    assert [r["id"] for r in conv["records"]] == [m["id"]]
    assert sim.get_json(m["uri"])[2] == m
    # a reply in an existing conversation joins it
    old = _first(sim, "SMS")
    peer = old["to"][0] if old["direction"] == "Outbound" else old["from"]
    st, _, b = sim.call("POST", EXT + "/sms", {"from": {"phoneNumber": ME},
                                               "to": [{"phoneNumber": peer["phoneNumber"]}], "text": "re"})
    assert json.loads(b)["conversationId"] == old["conversationId"]
    # group SMS: one record, several recipients
    st, _, b = sim.call("POST", EXT + "/sms", {"from": {"phoneNumber": ME}, "text": "all",
                                               "to": [{"phoneNumber": "+14155550101"},
                                                      {"phoneNumber": "+14155550102"}]})
    g = json.loads(b)
    assert st == 200 and [t["phoneNumber"] for t in g["to"]] == ["+14155550101", "+14155550102"]
    # to another extension's number: it arrives there
    st, _, b = sim.call("POST", EXT + "/sms", {"from": {"phoneNumber": ME}, "text": "hi Sam",
                                               "to": [{"phoneNumber": "+16505550102"}]})
    sam = sim.demo()["extensions"][1]["id"]
    got = sim.get_json("/restapi/v1.0/account/~/extension/%d/message-store?perPage=1" % sam)[2]["records"][0]
    assert got["direction"] == "Inbound" and got["subject"] == "hi Sam" and got["from"]["phoneNumber"] == ME
    log = [e for e in sim.requests() if e["operation"] == "sendSMS"]
    assert json.loads(log[0]["body"])["text"] == "Hello there"


def test_send_sms_errors(sim):
    ok = {"from": {"phoneNumber": ME}, "to": [{"phoneNumber": "+14155550177"}], "text": "x"}
    send = lambda **kw: sim.call("POST", EXT + "/sms", dict(ok, **kw))
    _err(send(text=""), 400, "CMN-101")
    _err(send(text="x" * 1001), 400, "CMN-101")
    assert send(text="é" * 1000)[0] == 200
    b = _err(send(to=[{"phoneNumber": "hello"}]), 400, "CMN-101")
    assert b["message"] == "Parameter [to.phoneNumber] value is invalid"
    _err(send(to=[]), 400, "CMN-101")
    _err(send(to=[{"phoneNumber": "102"}]), 400, "MSG-246")
    _err(send(to=[{"phoneNumber": "+14155550177"}, {"phoneNumber": "4155550177"}]), 400, "CMN-406")
    _err(send(to=[{"phoneNumber": "+17179665004"}]), 400, "MSG-243")      # on the blocked list
    _err(send(to=[{"phoneNumber": "+442071234567"}]), 403, "MSG-240")
    b = _err(send(**{"from": {"phoneNumber": "+16505550102"}}), 403, "MSG-304")
    assert b["message"] == "Phone number doesn't belong to extension"
    _err(send(**{"from": {"phoneNumber": "+16505550100"}}), 403, "MSG-367")   # main number: no SmsSender
    sam = sim.demo()["extensions"][1]["id"]
    path = "/restapi/v1.0/account/~/extension/%d/sms" % sam
    _err(sim.call("POST", path, dict(ok, **{"from": {"phoneNumber": "+16505550112"}})), 403, "MSG-241")
    _err(sim.call("POST", EXT + "/sms", None, body=b"{", content_type="application/json"), 400, "CMN-103")
    st, _, lst = sim.get_json(EXT + "/message-store?messageType=SMS&direction=Outbound")
    assert [r["subject"] for r in lst["records"] if r["messageStatus"] == "Queued"] == ["é" * 1000]


def _sms_form(fields, files=(), subtype="form-data"):
    """A send as RingCentral's SDKs make it: a `request.json` part, then the files."""
    if subtype == "form-data":
        parts = [("request.json", "request.json", "application/json", json.dumps(fields))]
        parts += [("attachments", name, ctype, data) for name, ctype, data in files]
    else:
        parts = [("json", None, "application/json", json.dumps(fields))]
        parts += [(None, name, ctype, data) for name, ctype, data in files]
    return multipart(parts, subtype=subtype)


def test_send_sms_multipart(sim):
    """The SDKs send SMS as multipart/form-data with a request.json part: the same
    message and the same errors as the JSON form."""
    ok = {"from": {"phoneNumber": ME}, "to": [{"phoneNumber": "+14155550177"}], "text": "by form"}
    ct, body = _sms_form(ok)
    st, _, b = sim.call("POST", EXT + "/sms", None, body=body, content_type=ct)
    assert st == 200, b
    m = json.loads(b)
    assert (m["type"], m["direction"], m["subject"]) == ("SMS", "Outbound", "by form")
    assert [a["type"] for a in m["attachments"]] == ["Text"]
    assert sim.get(m["attachments"][0]["uri"])[2] == b"by form"
    assert _newest(sim)["id"] == m["id"]
    # multipart/mixed, the JSON part first (named json)
    ct, body = _sms_form(dict(ok, text="mixed"), subtype="mixed")
    st, _, b = sim.call("POST", EXT + "/sms", None, body=body, content_type=ct)
    assert st == 200 and json.loads(b)["subject"] == "mixed"

    def send(**kw):
        ct, body = _sms_form(dict(ok, **kw))
        return sim.call("POST", EXT + "/sms", None, body=body, content_type=ct)
    _err(send(text=""), 400, "CMN-101")
    _err(send(to=[]), 400, "CMN-101")
    _err(send(to=[{"phoneNumber": "+442071234567"}]), 403, "MSG-240")
    _err(send(**{"from": {"phoneNumber": "+16505550102"}}), 403, "MSG-304")
    ct, body = multipart([("request.json", "request.json", "application/json", "{")])
    _err(sim.call("POST", EXT + "/sms", None, body=body, content_type=ct), 400, "CMN-103")
    ct, body = multipart([("request.json", "request.json", "application/json", "[1]")])
    _err(sim.call("POST", EXT + "/sms", None, body=body, content_type=ct), 400, "CMN-103")
    _err(sim.call("POST", EXT + "/sms", None, body=b"--x\r\nbroken",
                  content_type="multipart/form-data; boundary=x"), 400, "CMN-104")
    # no JSON part: no sender
    ct, body = multipart([("attachments", "a.png", "image/png", b"\x89PNG")])
    b = _err(sim.call("POST", EXT + "/sms", None, body=body, content_type=ct), 400, "CMN-101")
    assert b["parameterName"] == "from"
    log = [e for e in sim.requests() if e["operation"] == "sendSMS"]
    assert log[0]["body"] == [{"name": "request.json", "filename": "request.json",
                               "contentType": "application/json", "size": len(json.dumps(ok)),
                               "text": json.dumps(ok)}]
    st, _, lst = sim.get_json(EXT + "/message-store?messageType=SMS&direction=Outbound")
    assert [r["subject"] for r in lst["records"] if r["messageStatus"] == "Queued"] == ["mixed", "by form"]


PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 3
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + bytes((i * 7) % 256 for i in range(40000))


def test_send_mms(sim):
    """Attachments make an MMS: type SMS, the text, then one MmsAttachment per file,
    its bytes served back as sent on both hosts."""
    req = {"from": {"phoneNumber": ME}, "to": [{"phoneNumber": "+14155550177"}], "text": "look"}
    ct, body = _sms_form(req, [("pic.png", "image/png", PNG), ("clip.mp4", "video/mp4", MP4)])
    st, _, b = sim.call("POST", EXT + "/sms", None, body=body, content_type=ct)
    assert st == 200, b
    m = json.loads(b)
    assert (m["type"], m["direction"], m["subject"], m["messageStatus"]) == ("SMS", "Outbound", "look", "Queued")
    atts = m["attachments"]
    assert [(a["type"], a["contentType"], a.get("fileName"), a.get("size")) for a in atts] == [
        ("Text", "text/plain", None, None), ("MmsAttachment", "image/png", "pic.png", len(PNG)),
        ("MmsAttachment", "video/mp4", "clip.mp4", len(MP4))]
    assert len({a["id"] for a in atts}) == 3
    assert sim.get(atts[0]["uri"])[2] == b"look"
    st, h, got = sim.get(atts[1]["uri"])
    assert st == 200 and got == PNG and h["Content-Type"] == "image/png"
    assert h["Content-Disposition"] == "inline;filename=%d.png" % atts[1]["id"]
    st, h, got = sim.get(atts[2]["uri"], headers={"Range": "bytes=100-199"})
    assert st == 206 and got == MP4[100:200] and h["Content-Type"] == "video/mp4"
    st, _, got = sim.get(atts[2]["uri"].replace(sim.media_url, sim.url))      # the API host too
    assert st == 200 and got == MP4
    assert sim.get_json(m["uri"])[2] == m
    # files only (the /mms alias takes the same request): no Text, no subject
    ct, body = _sms_form({"from": {"phoneNumber": ME}, "to": [{"phoneNumber": "+16505550102"}]},
                         [("card.vcf", "application/octet-stream", b"BEGIN:VCARD\r\nEND:VCARD\r\n")],
                         subtype="mixed")
    st, _, b = sim.call("POST", EXT + "/mms", None, body=body, content_type=ct)
    assert st == 200, b
    m2 = json.loads(b)
    assert "subject" not in m2
    assert [(a["type"], a["contentType"], a.get("fileName")) for a in m2["attachments"]] == \
        [("MmsAttachment", "text/vcard", "card.vcf")]
    assert [e["operation"] for e in sim.requests() if e["method"] == "POST"] == ["sendSMS", "createMMS"]
    # Sam's number is in the account: he receives it, with the file
    sam = sim.demo()["extensions"][1]["id"]
    got = sim.get_json("/restapi/v1.0/account/~/extension/%d/message-store?perPage=1" % sam)[2]["records"][0]
    assert got["direction"] == "Inbound" and got["type"] == "SMS"
    assert [a["type"] for a in got["attachments"]] == ["MmsAttachment"]
    assert sim.get(got["attachments"][0]["uri"])[2] == b"BEGIN:VCARD\r\nEND:VCARD\r\n"
    # the JSON form of /mms is the SMS one
    st, _, b = sim.call("POST", EXT + "/mms", req)
    assert st == 200 and [a["type"] for a in json.loads(b)["attachments"]] == ["Text"]


def test_send_mms_errors(sim):
    req = {"from": {"phoneNumber": ME}, "to": [{"phoneNumber": "+14155550177"}], "text": "x"}

    def send(files, **kw):
        ct, body = _sms_form(dict(req, **kw), files)
        return sim.call("POST", EXT + "/sms", None, body=body, content_type=ct)
    _err(send([("p%d.png" % i, "image/png", PNG) for i in range(11)]), 400, "MSG-379")
    assert send([("p%d.png" % i, "image/png", PNG) for i in range(10)])[0] == 200
    _err(send([("a.mp4", "video/mp4", bytes(800000)), ("b.mp4", "video/mp4", bytes(700001))]),
         400, "MSG-376")
    assert send([("a.mp4", "video/mp4", bytes(800000)), ("b.mp4", "video/mp4", bytes(700000))])[0] == 200
    b = _err(send([("a.png", "image/png", PNG), ("show.smil", "application/smil", b"<smil/>")]),
             415, "MSG-348")
    assert b["message"] == "Unsupported attachment media type, attachment [2]: [show.smil]"
    _err(send([("x.exe", "application/octet-stream", b"MZ")]), 415, "MSG-348")
    assert send([("x.jpg", "application/octet-stream", b"\xff\xd8\xff")])[0] == 200
    _err(send([("empty.png", "image/png", b"")]), 400, "MSG-347")
    _err(send([("a.png", "image/png", PNG)], to=[{"phoneNumber": "+442071234567"}]), 403, "MSG-383")
    _err(send([("a.png", "image/png", PNG)], text="x" * 1001), 400, "CMN-101")
    _err(send([("a.png", "image/png", PNG)], **{"from": {"phoneNumber": "+16505550100"}}), 403, "MSG-367")
    sent = [r for r in sim.get_json(EXT + "/message-store?messageType=SMS&direction=Outbound")[2]["records"]
            if r["messageStatus"] == "Queued"]
    assert [len(r["attachments"]) for r in sent] == [2, 3, 11]      # newest first: jpg, two mp4, ten png
    assert sent[0]["attachments"][1]["contentType"] == "image/jpeg"


def test_send_pager(sim):
    demo = sim.demo()
    me, sam, priya = (x["id"] for x in demo["extensions"][:3])
    st, _, b = sim.call("POST", EXT + "/company-pager", {"from": {"extensionId": str(me)},
                                                         "to": [{"extensionId": str(sam)},
                                                                {"extensionNumber": "103"}],
                                                         "text": "Lunch?"})
    assert st == 200
    m = json.loads(b)
    assert (m["type"], m["direction"], m["messageStatus"], m["pgToDepartment"]) == \
        ("Pager", "Outbound", "Sent", False)
    assert [t["extensionNumber"] for t in m["to"]] == ["102", "103"]
    assert m["from"]["extensionNumber"] == "101"
    assert _newest(sim, messageType="Pager")["id"] == m["id"]
    for x in (sam, priya):
        r = sim.get_json("/restapi/v1.0/account/~/extension/%d/message-store?messageType=Pager&perPage=1"
                         % x)[2]["records"][0]
        assert r["direction"] == "Inbound" and r["subject"] == "Lunch?" and r["from"]["extensionNumber"] == "101"
    send = lambda body: sim.call("POST", EXT + "/company-pager", body)
    _err(send({"to": [{"extensionId": "999"}], "text": "x"}), 400, "CMN-102")
    _err(send({"to": [{"extensionNumber": "999"}], "text": "x"}), 400, "MSG-316")
    _err(send({"to": [{"extensionId": "abc"}], "text": "x"}), 400, "CMN-101")
    _err(send({"to": [{"extensionId": str(sam), "extensionNumber": "103"}], "text": "x"}), 400, "MSG-335")
    _err(send({"to": [], "text": "x"}), 400, "CMN-101")
    _err(send({"to": [{"extensionNumber": "102"}]}), 400, "CMN-101")
    _err(send({"from": {"extensionId": str(sam)}, "to": [{"extensionNumber": "103"}], "text": "x"}),
         400, "MSG-332")


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_send_fax_form_data(sim):
    sim.config(limits={"Heavy": 1000})          # many Heavy calls
    ct, body = multipart([("to", None, None, "+14155550123"), ("to", None, None, "+1 650 555 0199"),
                          ("faxResolution", None, None, "High"), ("coverIndex", None, None, "3"),
                          ("coverPageText", None, None, "Please sign"),
                          ("attachment", "contract.pdf", "application/pdf", PDF)])
    st, _, b = sim.call("POST", EXT + "/fax", body=body, content_type=ct)
    assert st == 200, b
    m = json.loads(b)
    assert (m["type"], m["direction"], m["messageStatus"], m["faxPageCount"], m["faxResolution"]) == \
        ("Fax", "Outbound", "Queued", 0, "High")
    assert m["coverIndex"] == 3 and m["coverPageText"] == "Please sign"
    assert m["to"] == [{"phoneNumber": "+14155550123", "messageStatus": "Queued"},
                       {"phoneNumber": "+16505550199", "messageStatus": "Queued"}]
    att = m["attachments"][0]
    assert att["type"] == "RenderedDocument" and att["contentType"] == "application/pdf"
    assert att["uri"].startswith(sim.media_url) and sim.get(att["uri"])[2] == PDF
    assert _newest(sim, messageType="Fax")["id"] == m["id"]
    log = [e for e in sim.requests() if e["operation"] == "sendFaxMessage"][0]
    assert [p["name"] for p in log["body"]] == ["to", "to", "faxResolution", "coverIndex",
                                                "coverPageText", "attachment"]
    assert log["body"][0]["text"] == "+14155550123"
    assert log["body"][-1] == {"name": "attachment", "filename": "contract.pdf",
                               "contentType": "application/pdf", "size": len(PDF)}


def test_fax_without_cover_option_gets_the_default_cover(sim):
    """No coverIndex: the account's default cover page (5, "Classic"); 0: none."""
    sim.config(limits={"Heavy": 1000})
    got = {}
    for cover in (None, "0"):
        fields = [("to", None, None, "+14155550123")]
        if cover is not None:
            fields.append(("coverIndex", None, None, cover))
        ct, body = multipart(fields + [("attachment", "a.txt", "text/plain", "hello")])
        st, _, b = sim.call("POST", EXT + "/fax", body=body, content_type=ct)
        assert st == 200, b
        m = json.loads(b)
        got[cover] = m
        pdf = sim.get(m["attachments"][0]["uri"])[2]
        assert (b"Cover page 5" in pdf) == (cover is None)
    assert got[None]["coverIndex"] == 5 and got["0"]["coverIndex"] == 0
    st, _, pages = sim.get_json("/restapi/v1.0/dictionary/fax-cover-page")
    assert {"id": "5", "name": "Classic"} in pages["records"]


def test_send_fax_mixed_and_errors(sim, tmp_path):
    sim.config(limits={"Heavy": 1000})          # many Heavy calls
    req = json.dumps({"to": [{"phoneNumber": "+14155550123", "name": "Ann"}], "faxResolution": "Low"})
    ct, body = multipart([(None, None, "application/json", req),
                          (None, "a.txt", "text/plain", "first page\nline two"),
                          (None, "b.png", "image/png", b"\x89PNG....")], subtype="mixed")
    st, _, b = sim.call("POST", EXT + "/fax", body=body, content_type=ct)
    assert st == 200, b
    m = json.loads(b)
    assert m["to"] == [{"phoneNumber": "+14155550123", "name": "Ann", "messageStatus": "Queued"}]
    pdf = sim.get(m["attachments"][0]["uri"])[2]
    assert pdf.startswith(b"%PDF-") and b"first page" in pdf
    (tmp_path / "x.pdf").write_bytes(pdf)
    out = _tool("pdfinfo", str(tmp_path / "x.pdf"))
    if out is not None:  # the account's default cover page, then the two files
        assert re.search(r"Pages:\s+3\b", out)

    def fax(parts, subtype="form-data"):
        ct, body = multipart(parts, subtype=subtype)
        return sim.call("POST", EXT + "/fax", body=body, content_type=ct)
    to = ("to", None, None, "+14155550123")
    pdf_part = ("attachment", "x.pdf", "application/pdf", PDF)
    _err(fax([pdf_part]), 400, "CMN-101")                                   # no recipient
    _err(fax([to]), 400, "CMN-101")                                         # no attachment
    _err(fax([("to", None, None, "101"), pdf_part]), 400, "MSG-344")
    _err(fax([("to", None, None, "nope"), pdf_part]), 400, "CMN-101")
    _err(fax([to, ("faxResolution", None, None, "Medium"), pdf_part]), 400, "CMN-101")
    _err(fax([to, ("coverIndex", None, None, "99"), pdf_part]), 400, "CMN-101")
    b = _err(fax([to, ("attachment", "x.exe", "application/x-msdownload", b"MZ")]), 415, "MSG-348")
    assert b["message"].startswith("Unsupported attachment media type")
    _err(fax([to, ("attachment", "x.jfif", "application/octet-stream", b"xx")]), 415, "MSG-348")
    _err(fax([to, ("attachment", "empty.txt", "text/plain", b"")]), 400, "MSG-347")
    assert fax([to, ("attachment", "doc.pdf", "application/octet-stream", PDF)])[0] == 200
    _err(sim.call("POST", EXT + "/fax", None, body=b"junk", content_type="multipart/form-data; boundary=zz"),
         400, "CMN-104")


def test_delete_by_conversation(sim):
    sms = _first(sim, "SMS")
    conv = sms["conversationId"]
    st, _, before = sim.get_json(EXT + "/message-store?dateFrom=2000-01-01&perPage=1000&conversationId=%d" % conv)
    assert before["records"]
    assert sim.call("DELETE", EXT + "/message-store?conversationId=%d" % conv)[0] == 204
    st, _, after = sim.get_json(EXT + "/message-store?dateFrom=2000-01-01&perPage=1000&conversationId=%d" % conv)
    assert after["records"] == []
    st, _, trash = sim.get_json(EXT + "/message-store?dateFrom=2000-01-01&perPage=1000&availability=Deleted"
                                "&conversationId=%d" % conv)
    assert {r["id"] for r in before["records"]} <= {r["id"] for r in trash["records"]}
    _err(sim.call("DELETE", EXT + "/message-store?conversationId=abc"), 400, "CMN-101")
    _err(sim.call("DELETE", EXT + "/message-store"), 400, "CMN-101")


def test_drop_after_request(sim):
    """The SMS is created and stored, then the connection closes without an answer."""
    sim.fault("drop_after_request", path="/sms$", method="POST")
    with pytest.raises(Exception):
        sim.call("POST", EXT + "/sms", {"from": {"phoneNumber": ME}, "to": [{"phoneNumber": "+14155550177"}],
                                        "text": "only once"})
    new = _newest(sim, messageType="SMS")
    assert new["subject"] == "only once" and new["messageStatus"] == "Queued"
    log = [e for e in sim.requests() if e["operation"] == "sendSMS"]
    assert len(log) == 1 and log[0]["status"] is None and log[0]["dropped_status"] == 200
    assert log[0]["fault"] == "drop_after_request" and "only once" in log[0]["body"]
    # count 1: the next one is answered
    assert sim.call("POST", EXT + "/sms", {"from": {"phoneNumber": ME}, "to": [{"phoneNumber": "+14155550177"}],
                                           "text": "second"})[0] == 200
    # a request that fails validation is dropped the same way, with its error status logged
    sim.fault("drop_after_request", path="/sms$")
    with pytest.raises(Exception):
        sim.call("POST", EXT + "/sms", {"text": ""})
    assert sim.requests()[-1]["dropped_status"] == 400


# ---- lingering faults: slow_reply, trickle, freeze ------------------------------------------------

def _raw(sim, method, url, body=b"", headers=None):
    """Send one request on a socket of its own; the caller reads and closes it."""
    u = urllib.parse.urlsplit(url if "://" in url else sim.url + url)
    s = socket.create_connection((u.hostname, u.port), timeout=30)
    h = {"Host": u.netloc, "User-Agent": "simctl/1.0", "Content-Length": str(len(body))}
    h.update(headers or {})
    target = u.path + ("?" + u.query if u.query else "")
    head = "%s %s HTTP/1.1\r\n%s\r\n" % (method, target, "".join("%s: %s\r\n" % kv for kv in h.items()))
    s.sendall(head.encode() + body)
    return s


def _read_head(s):
    buf = b""
    while b"\r\n\r\n" not in buf:
        got = s.recv(4096)
        assert got, "connection closed before the headers: %r" % buf
        buf += got
    head, _, rest = buf.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    hdrs = {k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:])}
    return int(lines[0].split()[1]), hdrs, rest


def _read_to_eof(s):
    out = b""
    while True:
        got = s.recv(65536)
        if not got:
            return out
        out += got


def _silent(s, seconds=0.3):
    return not select.select([s], [], [], seconds)[0]


def _until(pred, what, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        v = pred()
        if v:
            return v
        time.sleep(0.05)
    raise AssertionError("timed out waiting for " + what)


def _threads(sim):
    return len(os.listdir("/proc/%d/task" % sim.proc.pid))


def _log(sim, op):
    return [e for e in sim.requests() if e["operation"] == op]


def test_slow_reply(sim):
    """Processed and logged at once, answered after `delay`; a client that hangs up first
    just gets a closed connection."""
    err0 = len(sim.stderr())
    threads0 = _threads(sim)
    auth = {"Authorization": "Bearer " + sim.token(), "Content-Type": "application/json"}
    sms = {"from": {"phoneNumber": ME}, "to": [{"phoneNumber": "+14155550177"}], "text": "slow one"}
    sim.fault("slow_reply", path="/sms$", method="POST", delay=60)
    s = _raw(sim, "POST", EXT + "/sms", json.dumps(sms).encode(), auth)
    log = _until(lambda: _log(sim, "sendSMS"), "the log entry")
    assert log[0]["status"] == 200 and log[0]["fault"] == "slow_reply" and "slow one" in log[0]["body"]
    new = _newest(sim, messageType="SMS")
    assert new["subject"] == "slow one" and new["availability"] == "Alive"
    assert _silent(s)                          # the reply is still pending
    s.close()
    _until(lambda: _threads(sim) <= threads0, "the handler thread to end")
    # count 1: the next one is answered at once; both count against Medium
    sms["text"] = "second"
    st, h, b = sim.call("POST", EXT + "/sms", sms)
    assert st == 200 and h["X-Rate-Limit-Remaining"] == "38"
    # a reply that is waited for arrives whole, with the logged status
    sim.fault("slow_reply", path="/presence$", delay=0.3)
    st, h, b = sim.get(EXT + "/presence")
    assert st == 200 and json.loads(b)["presenceStatus"]
    assert [e["status"] for e in _log(sim, "getPresenceStatus")] == [200]
    sim.fault("slow_reply", path="/message-store/1$", delay=0.3)
    assert sim.get(EXT + "/message-store/1")[0] == 404
    assert _log(sim, "loadMessage")[-1]["status"] == 404
    assert "Traceback" not in sim.stderr()[err0:]


def test_trickle(sim):
    """Headers with the full Content-Length at once, the body at `rate` bytes/s until it is
    done, the client hangs up or a reset."""
    err0 = len(sim.stderr())
    vm = _first(sim, "VoiceMail")
    uri = vm["attachments"][0]["uri"]
    st, _, whole = sim.get(uri)
    assert st == 200 and len(whole) > 1000
    sim.fault("trickle", host="media", rate=1000)
    st, h, part = sim.get(uri, headers={"Range": "bytes=0-299"})
    assert st == 206 and h["Content-Length"] == "300" and part == whole[:300]
    assert [e for e in sim.requests() if "/content/" in e["path"]][-1]["fault"] == "trickle"
    # default rate 2 bytes/s: the head comes at once, the body creeps
    auth = {"Authorization": "Bearer " + sim.token()}
    threads0 = _threads(sim)
    sim.fault("trickle", path="/content/", count=2)
    s = _raw(sim, "GET", uri, headers=auth)
    st, h, rest = _read_head(s)
    assert st == 200 and h["content-length"] == str(len(whole))
    got = rest + s.recv(10)
    assert got and whole.startswith(got) and len(got) < 10
    assert [e for e in sim.requests() if "/content/" in e["path"]][-1]["status"] == 200
    s.close()                                  # the client hangs up: the sender stops quietly
    _until(lambda: _threads(sim) <= threads0, "the trickle thread to end")
    # a reset stops it too: the connection closes short of Content-Length
    s = _raw(sim, "GET", uri, headers=auth)
    st, h, rest = _read_head(s)
    assert st == 200 and h["content-length"] == str(len(whole))
    sim.reset()
    got = rest + _read_to_eof(s)
    s.close()
    assert whole.startswith(got) and len(got) < len(whole)
    _until(lambda: _threads(sim) <= threads0, "the trickle thread to end")
    assert "Traceback" not in sim.stderr()[err0:]


def test_link_rate(sim):
    """link_rate sends every media answer at that many bytes a second, each connection
    on its own, until turned off; the bytes are the same, API answers are not held."""
    err0 = len(sim.stderr())
    vm = _first(sim, "VoiceMail")
    uri = vm["attachments"][0]["uri"]
    st, _, whole = sim.get(uri)
    with pytest.raises(Exception):
        sim.config(link_rate=0)
    sim.config(link_rate=len(whole) / 2)  # two seconds for the whole body
    auth = {"Authorization": "Bearer " + sim.token()}
    s = _raw(sim, "GET", uri, headers=auth)
    st, h, rest = _read_head(s)
    # a twentieth of the body per write, ten writes a second: not all at once
    assert st == 200 and h["content-length"] == str(len(whole)) and len(rest) < len(whole)
    got = rest
    while len(got) < len(whole):
        piece = s.recv(65536)
        assert piece, "closed short of Content-Length"
        got += piece
    s.close()
    assert got == whole
    assert sim.get(EXT + "/message-store/%s" % vm["id"])[0] == 200
    sim.config(link_rate=None)
    assert sim.get(uri)[2] == whole
    assert "Traceback" not in sim.stderr()[err0:]


def test_freeze(sim):
    """Read, never answered: silent until the client hangs up, a reset or `delay`."""
    threads0 = _threads(sim)
    sim.fault("freeze", path="^/restapi/oauth/token$")
    form = urllib.parse.urlencode({"grant_type": GRANT_JWT, "assertion": DEMO["RC_USER_JWT"]}).encode()
    hdrs = {"Authorization": sim.basic(), "Content-Type": "application/x-www-form-urlencoded"}
    s = _raw(sim, "POST", "/restapi/oauth/token", form, hdrs)
    log = _until(lambda: _log(sim, "getToken"), "the log entry")
    assert log[0]["status"] is None and log[0]["fault"] == "freeze" and "jwt-bearer" in log[0]["body"]
    assert _silent(s)
    # other requests go on meanwhile, the next grant is answered
    assert sim.grant()["access_token"]
    assert sim.get(EXT + "/presence")[0] == 200
    assert _silent(s)
    s.close()
    _until(lambda: _threads(sim) <= threads0, "the frozen handler to end")
    # a reset ends it: closed without a reply
    sim.fault("freeze", path="/presence$")
    s = _raw(sim, "GET", EXT + "/presence", headers={"Authorization": "Bearer " + sim.token()})
    _until(lambda: _log(sim, "getPresenceStatus"), "the log entry")
    sim.reset()
    assert _read_to_eof(s) == b""
    s.close()
    # so does `delay`
    sim.fault("freeze", path="/presence$", delay=0.3)
    with pytest.raises(Exception):
        sim.get(EXT + "/presence")
    assert [(e["status"], e["fault"]) for e in _log(sim, "getPresenceStatus")] == [(None, "freeze")]
    assert sim.get(EXT + "/presence")[0] == 200


def test_sigterm_with_lingering_connections():
    """A frozen request and a trickling download do not keep the simulator from exiting 0."""
    own = Sim("--scale", "2")
    try:
        own.fault("freeze", path="/presence$")
        own.fault("trickle", path="/business-hours$", rate=1)
        auth = {"Authorization": "Bearer " + own.token()}
        frozen = _raw(own, "GET", EXT + "/presence", headers=auth)
        trickling = _raw(own, "GET", EXT + "/business-hours", headers=auth)
        assert _read_head(trickling)[0] == 200
        _until(lambda: len(own.requests()) == 3, "both requests in the log")
        assert _silent(frozen)
        assert own.stop() == 0
        assert "Traceback" not in own.stderr()
        frozen.close()
        trickling.close()
    finally:
        own.stop()


def test_fault_parameters(sim):
    for bad in ({"kind": "trickle", "rate": 0}, {"kind": "slow_reply", "delay": -1},
                {"kind": "thaw"}):
        st, _, b = request("POST", sim.url + "/_sim/fault", {"Content-Type": "application/json"},
                           json.dumps(bad).encode())
        assert st == 400 and json.loads(b)["error"]


# ---- writes: settings ---------------------------------------------------------------------------

def test_presence_update(sim):
    st, _, b = sim.call("PUT", EXT + "/presence", {"userStatus": "Busy", "dndStatus": "DoNotAcceptAnyCalls",
                                                    "message": "In a meeting", "allowSeeMyPresence": False})
    assert st == 200
    p = json.loads(b)
    assert (p["userStatus"], p["presenceStatus"], p["dndStatus"], p["message"]) == \
        ("Busy", "Busy", "DoNotAcceptAnyCalls", "In a meeting")
    assert p["meetingStatus"] == "Disconnected" and p["allowSeeMyPresence"] is False
    g = sim.get_json(EXT + "/presence")[2]
    assert (g["userStatus"], g["presenceStatus"], g["message"]) == ("Busy", "Busy", "In a meeting")
    _err(sim.call("PUT", EXT + "/presence", {"presenceStatus": "Available"}), 400, "CMN-101")
    _err(sim.call("PUT", EXT + "/presence", {"userStatus": "Sleeping"}), 400, "CMN-101")
    _err(sim.call("PUT", EXT + "/presence", {"ringOnMonitoredCall": "yes"}), 400, "CMN-101")
    sales = sim.demo()["extensions"][3]["id"]
    _err(sim.call("PUT", "/restapi/v1.0/account/~/extension/%d/presence" % sales, {"userStatus": "Busy"}),
         403, "PRS-106")


def test_business_hours_update(sim):
    sched = {"schedule": {"weeklyRanges": {"tuesday": [{"from": "13:00", "to": "17:00"},
                                                       {"from": "08:00", "to": "12:00"}],
                                           "monday": [{"from": "09:00", "to": "17:00"}]}}}
    st, _, b = sim.call("PUT", EXT + "/business-hours", sched)
    assert st == 200
    want = {"weeklyRanges": {"monday": [{"from": "09:00", "to": "17:00"}],
                             "tuesday": [{"from": "08:00", "to": "12:00"}, {"from": "13:00", "to": "17:00"}]}}
    assert json.loads(b)["schedule"] == want
    assert sim.get_json(EXT + "/business-hours")[2]["schedule"] == want
    for bad in ({"schedule": {"weeklyRanges": {"funday": [{"from": "09:00", "to": "17:00"}]}}},
                {"schedule": {"weeklyRanges": {"monday": [{"from": "9am", "to": "17:00"}]}}},
                {"schedule": {"weeklyRanges": {"monday": [{"from": "18:00", "to": "17:00"}]}}},
                {"schedule": {"weeklyRanges": {"monday": [{"from": "09:00", "to": "12:00"},
                                                          {"from": "11:00", "to": "13:00"}]}}},
                {"hours": 1}):
        _err(sim.call("PUT", EXT + "/business-hours", bad), 400, "CMN-101")
    _err(sim.call("PUT", "/restapi/v1.0/account/~/business-hours",
                  {"schedule": {"weeklyRanges": {"monday": []}}}), 400, "AWR-176")
    # 24/7: the after-hours rule goes away, and comes back with hours
    assert sim.call("PUT", EXT + "/business-hours", {"schedule": {}})[0] == 200
    ids = [r["id"] for r in sim.get_json(EXT + "/answering-rule")[2]["records"]]
    assert "after-hours-rule" not in ids
    assert sim.call("PUT", EXT + "/business-hours", sched)[0] == 200
    assert "after-hours-rule" in [r["id"] for r in sim.get_json(EXT + "/answering-rule")[2]["records"]]
    st, _, b = sim.call("PUT", "/restapi/v1.0/account/~/business-hours", sched)
    assert st == 200 and sim.get_json("/restapi/v1.0/account/~/business-hours")[2]["schedule"] == want


def test_caller_blocking_settings(sim):
    st, _, b = sim.call("PUT", EXT + "/caller-blocking", {"mode": "All", "noCallerId": "BlockFaxes"})
    assert st == 200 and json.loads(b)["mode"] == "All"
    g = sim.get_json(EXT + "/caller-blocking")[2]
    assert (g["mode"], g["noCallerId"], g["payPhones"]) == ("All", "BlockFaxes", "Block")
    _err(sim.call("PUT", EXT + "/caller-blocking", {"mode": "Some"}), 400, "CMN-101")
    _err(sim.call("PUT", EXT + "/caller-blocking", {"greetings": [{"type": "Voicemail",
                                                                    "preset": {"id": "65792"}}]}),
         400, "CMN-101")


def test_favorites_update(sim):
    demo = sim.demo()
    sam = demo["extensions"][1]["id"]
    contact = sim.get_json(EXT + "/address-book/contact?perPage=1")[2]["records"][0]["id"]
    body = {"records": [{"contactId": str(contact)}, {"extensionId": str(sam)}]}
    st, _, b = sim.call("PUT", EXT + "/favorite", body)
    assert st == 200
    want = [{"id": 1, "contactId": str(contact)}, {"id": 2, "extensionId": str(sam)}]
    assert json.loads(b)["records"] == want
    assert sim.get_json(EXT + "/favorite")[2]["records"] == want
    _err(sim.call("PUT", EXT + "/favorite", {"records": [{"extensionId": "12345"}]}), 400, "FAV-100")
    _err(sim.call("PUT", EXT + "/favorite", {"records": [{"contactId": "12345"}]}), 400, "FAV-100")
    _err(sim.call("PUT", EXT + "/favorite", {"records": [{"extensionId": str(sam)}] * 2}), 400, "FAV-101")
    _err(sim.call("PUT", EXT + "/favorite", {"records": [{"extensionId": str(sam), "contactId": "1"}]}),
         400, "FAV-102")
    _err(sim.call("PUT", EXT + "/favorite", {"records": [{}]}), 400, "CMN-101")
    # deleting the contact drops it from the favorites
    assert sim.call("DELETE", EXT + "/address-book/contact/%d" % contact)[0] == 204
    assert sim.get_json(EXT + "/favorite")[2]["records"] == [{"id": 1, "extensionId": str(sam)}]


# ---- writes: collections ------------------------------------------------------------------------

def test_contacts_crud(sim):
    sim.config(limits={"Heavy": 1000})          # many Heavy calls
    before = sim.get_json(EXT + "/address-book/contact")[2]["paging"]["totalElements"]
    st, _, b = sim.call("POST", EXT + "/address-book/contact?dialingPlan=US",
                        {"firstName": "Ada", "email": "ada@example.com", "mobilePhone": "+16505550999",
                         "businessAddress": {"zip": 94002, "city": "Belmont"}, "favouriteColour": "red"})
    assert st == 200
    ct = json.loads(b)
    assert ct == {"uri": ct["uri"], "availability": "Alive", "id": ct["id"], "firstName": "Ada",
                  "email": "ada@example.com", "mobilePhone": "+16505550999",
                  "businessAddress": {"city": "Belmont", "zip": 94002}}
    assert sim.get_json(ct["uri"])[2] == ct
    assert sim.get_json(EXT + "/address-book/contact")[2]["paging"]["totalElements"] == before + 1
    st, _, b = sim.call("PUT", ct["uri"], {"firstName": "Ada", "lastName": "Lovelace"})
    assert st == 200 and "email" not in json.loads(b) and json.loads(b)["lastName"] == "Lovelace"
    assert sim.get_json(ct["uri"])[2]["lastName"] == "Lovelace"
    _err(sim.call("POST", EXT + "/address-book/contact", {"firstName": "X", "email": "nope"}), 400, "CMN-101")
    _err(sim.call("POST", EXT + "/address-book/contact", {"notes": "only notes"}), 400, "CMN-101")
    _err(sim.call("POST", EXT + "/address-book/contact", {"firstName": "X", "homePhone": "call me"}),
         400, "PAB-102")
    # a vCard 4.0 tel: URI as it is is no phone number; written forms and UTF-8 are kept as sent
    _err(sim.call("POST", EXT + "/address-book/contact",
                  {"firstName": "X", "mobilePhone": "tel:+1-415-555-0100"}), 400, "PAB-102")
    st, _, b = sim.call("POST", EXT + "/address-book/contact",
                        {"firstName": "Zoë", "lastName": "Łukasiewicz", "homePhone": "(415) 555-0100"})
    assert st == 200
    assert json.loads(b)["lastName"] == "Łukasiewicz" and json.loads(b)["homePhone"] == "(415) 555-0100"
    assert sim.call("DELETE", json.loads(b)["uri"])[0] == 204
    _err(sim.call("PUT", EXT + "/address-book/contact/1", {"firstName": "X"}), 404, "CMN-102")
    assert sim.call("DELETE", ct["uri"])[0] == 204
    _err(sim.get(ct["uri"]), 404, "CMN-102")
    _err(sim.call("DELETE", ct["uri"]), 404, "CMN-102")


def test_answering_rules_crud(sim):
    st, _, b = sim.call("POST", EXT + "/answering-rule",
                        {"type": "Custom", "name": "VIP", "callers": [{"callerId": "+46843216868"}],
                         "screening": "Always"})
    assert st == 200
    r = json.loads(b)
    assert r["type"] == "Custom" and r["enabled"] is True and r["callHandlingAction"] == "ForwardCalls"
    assert r["callers"] == [{"callerId": "46843216868"}] and r["screening"] == "Always"
    assert [g["preset"]["id"] for g in r["greetings"]] == ["65792", "66301", "66310", "68867"]
    assert r["voicemail"]["enabled"] is True and isinstance(r["id"], str)
    assert sim.get_json(r["uri"])[2] == r
    assert r["id"] in [x["id"] for x in sim.get_json(EXT + "/answering-rule")[2]["records"]]
    st, _, b = sim.call("PUT", r["uri"], {"enabled": False, "callHandlingAction": "TakeMessagesOnly"})
    assert st == 200 and json.loads(b)["enabled"] is False
    assert sim.get_json(r["uri"])[2]["callHandlingAction"] == "TakeMessagesOnly"
    _err(sim.call("PUT", r["uri"], {"callHandlingAction": "Dance"}), 400, "CMN-101")
    _err(sim.call("PUT", r["uri"], {"type": "BusinessHours"}), 400, "AWR-164")
    _err(sim.call("POST", EXT + "/answering-rule", {"type": "BusinessHours", "name": "x"}), 400, "AWR-108")
    _err(sim.call("POST", EXT + "/answering-rule", {"type": "Custom", "name": "x"}), 400, "AWR-111")
    _err(sim.call("POST", EXT + "/answering-rule", {"name": "x", "schedule": {"ref": "BusinessHours"}}),
         400, "AWR-120")
    _err(sim.call("POST", EXT + "/answering-rule", {"name": "x" * 128, "callers": [{"callerId": "+14155550100"}]}),
         400, "AWR-179")
    _err(sim.call("POST", EXT + "/answering-rule",
                  {"name": "x", "callers": [{"callerId": "+14155550100"}, {"callerId": "14155550100"}]}),
         400, "AWR-107")
    _err(sim.call("DELETE", EXT + "/answering-rule/business-hours-rule"), 403, "AWR-110")
    st, _, b = sim.call("PUT", EXT + "/answering-rule/business-hours-rule",
                        {"callHandlingAction": "TakeMessagesOnly"})
    assert st == 200 and json.loads(b)["type"] == "BusinessHours"
    assert sim.call("DELETE", r["uri"])[0] == 204
    _err(sim.get(r["uri"]), 404, "CMN-102")
    _err(sim.call("DELETE", r["uri"]), 404, "CMN-102")


def test_company_rules(sim):
    A = "/restapi/v1.0/account/~/answering-rule"
    st, _, b = sim.call("POST", A, {"name": "Weekend", "callHandlingAction": "Disconnect",
                                    "schedule": {"weeklyRanges": {"saturday": [{"from": "00:00", "to": "24:00"}]}}})
    assert st == 200, b
    r = json.loads(b)
    assert r["type"] == "Custom" and r["callHandlingAction"] == "Disconnect" and "extension" not in r
    assert r["id"] in [x["id"] for x in sim.get_json(A)[2]["records"]]
    sam = sim.demo()["extensions"][1]["id"]
    st, _, b = sim.call("PUT", r["uri"], {"callHandlingAction": "Bypass", "extension": {"id": str(sam)}})
    assert st == 200 and sim.get_json(r["uri"])[2]["extension"]["id"] == str(sam)
    _err(sim.call("POST", A, {"name": "x", "callHandlingAction": "Bypass",
                              "calledNumbers": [{"phoneNumber": "+16505550100"}]}), 400, "AWR-172")
    _err(sim.call("POST", A, {"name": "x", "type": "AfterHours"}), 400, "AWR-108")
    _err(sim.call("PUT", r["uri"], {"callHandlingAction": "ForwardCalls"}), 400, "CMN-101")
    _err(sim.call("PUT", r["uri"], {"greetings": [{"type": "Voicemail", "preset": {"id": "65792"}}]}),
         400, "AWR-170")
    assert sim.call("DELETE", r["uri"])[0] == 405


def test_blocked_numbers(sim):
    P = EXT + "/caller-blocking/phone-numbers"
    st, _, b = sim.call("POST", P, {"phoneNumber": "16503456787", "label": "Batman", "status": "Allowed"})
    assert st == 200
    r = json.loads(b)
    assert r["id"] == "MTY1MDM0NTY3ODc" and r["phoneNumber"] == "+16503456787" and r["status"] == "Allowed"
    assert sim.get_json(P + "/MTY1MDM0NTY3ODc")[2] == r
    st, _, b = sim.call("POST", P, {"phoneNumber": "+14155550911"})
    assert json.loads(b)["status"] == "Blocked"
    _err(sim.call("POST", P, {"phoneNumber": "+16503456787"}), 409, "CMN-406")
    _err(sim.call("POST", P, {"phoneNumber": "batman"}), 400, "CMN-101")
    _err(sim.call("POST", P, {"phoneNumber": "+14155550912", "status": "Maybe"}), 400, "CMN-101")
    st, _, b = sim.call("PUT", r["uri"], {"status": "Blocked", "label": "Joker"})
    assert st == 200 and json.loads(b)["label"] == "Joker"
    assert len(sim.get_json(P + "?status=Blocked")[2]["records"]) == 4
    # the legacy blocked-number view shows the same blocked list
    L = EXT + "/blocked-number"
    leg = sim.get_json(L)[2]["records"]
    assert {"id": r["id"], "uri": sim.url + "/restapi/v1.0/account/%d/extension/%d/blocked-number/%s"
            % (sim.demo()["accountId"], sim.demo()["demoExtensionId"], r["id"]),
            "name": "Joker", "phoneNumber": "+16503456787"} in leg
    st, _, b = sim.call("POST", L, {"name": "Spam", "phoneNumber": "+18005550111"})
    assert st == 200 and json.loads(b)["name"] == "Spam"
    lid = json.loads(b)["id"]
    assert sim.call("PUT", L + "/" + lid, {"name": "Spammer"})[0] == 200
    assert sim.get_json(P + "/" + lid)[2]["label"] == "Spammer"
    _err(sim.call("PUT", L + "/" + lid, {"phoneNumber": "+18005550112"}), 400, "CMN-101")
    assert sim.call("DELETE", L + "/" + lid)[0] == 204
    _err(sim.get(L + "/" + lid), 404, "CMN-102")
    assert sim.call("DELETE", r["uri"])[0] == 204
    _err(sim.get(r["uri"]), 404, "CMN-102")
    # an old server: no caller-blocking/phone-numbers, the blocked-number list still there
    sim.config(caller_blocking_numbers=False)
    _err(sim.get(P), 404, "CMN-120")
    _err(sim.call("POST", P, {"phoneNumber": "+14155550913"}), 404, "CMN-120")
    assert sim.get(L)[0] == 200
    sim.reset()
    assert sim.get(P)[0] == 200


def test_forwarding_numbers_crud(sim):
    F = EXT + "/forwarding-number"
    st, _, b = sim.call("POST", F, {"phoneNumber": "+16502096935", "label": "Work"})
    assert st == 200
    r = json.loads(b)
    assert (r["type"], r["label"], r["phoneNumber"]) == ("Work", "Work", "+16502096935")
    assert r["flipNumber"] == "1" and set(r["features"]) == {"CallFlip", "CallForwarding"}
    assert sim.get_json(r["uri"])[2] == r
    st, _, b = sim.call("POST", F, {"phoneNumber": "+16502096936", "label": "Cabin"})
    assert json.loads(b)["type"] == "Other" and json.loads(b)["label"] == "Cabin"
    _err(sim.call("POST", F, {"phoneNumber": "+16502096937", "label": "Work"}), 400, "FPN-102")
    _err(sim.call("POST", F, {"phoneNumber": "+16505550102", "label": "Boat"}), 400, "FPN-105")
    _err(sim.call("POST", F, {"phoneNumber": "+442071234567", "label": "London"}), 400, "FPN-108")
    _err(sim.call("POST", F, {"phoneNumber": "nope"}), 400, "CMN-101")
    st, _, b = sim.call("PUT", r["uri"], {"flipNumber": "7"})
    assert st == 200 and sim.get_json(r["uri"])[2]["flipNumber"] == "7"
    _err(sim.call("PUT", r["uri"], {"flipNumber": "2"}), 400, "FPN-106")     # the Mobile number's
    _err(sim.call("PUT", r["uri"], {"flipNumber": "12"}), 400, "CMN-101")
    desk = [x for x in sim.get_json(F)[2]["records"] if x["type"] == "PhoneLine"][0]
    _err(sim.call("DELETE", desk["uri"]), 403, "FPN-107")
    assert sim.call("DELETE", r["uri"])[0] == 204
    _err(sim.get(r["uri"]), 404, "CMN-102")
    assert len(sim.get_json(F)[2]["records"]) == 4


WAV = b"RIFF$\x00\x00\x00WAVEfmt " + b"\x10\x00\x00\x00\x01\x00\x01\x00@\x1f\x00\x00\x80>\x00\x00\x02\x00\x10\x00" \
    + b"data\x00\x00\x00\x00"


def test_greetings(sim):
    sim.config(limits={"Heavy": 1000})          # many Heavy calls
    rid = [r["id"] for r in sim.get_json(EXT + "/answering-rule")[2]["records"] if r["type"] == "Custom"][0]

    def greet(meta, audio=("binary", "hello.wav", "audio/wav", WAV), path=EXT + "/greeting", subtype="form-data"):
        parts = [("json", "request.json" if subtype == "form-data" else None, "application/json",
                  json.dumps(meta))]
        if audio:
            parts.append(audio)
        ct, body = multipart(parts, subtype=subtype)
        return sim.call("POST", path, body=body, content_type=ct)
    st, _, b = greet({"type": "Voicemail", "answeringRule": {"id": rid}})
    assert st == 200, b
    g = json.loads(b)
    assert (g["type"], g["contentType"], g["answeringRule"]["id"]) == ("Voicemail", "audio/wav", rid)
    assert g["contentUri"].startswith(sim.media_url) and g["contentUri"].endswith("/greeting/%s/content" % g["id"])
    st, h, audio = sim.get(g["contentUri"])
    assert st == 200 and audio == WAV and h["Content-Type"] == "audio/wav"
    assert sim.get_json(g["uri"])[2] == g
    vm = [x for x in sim.get_json(EXT + "/answering-rule/" + rid)[2]["greetings"] if x["type"] == "Voicemail"]
    assert vm == [{"type": "Voicemail", "custom": {"uri": g["uri"], "id": g["id"]}}]
    st, _, b = greet({"type": "Introductory"}, audio=(None, "hi.mp3", "audio/mpeg", b"ID3xxxx"), subtype="mixed")
    assert st == 200 and "answeringRule" not in json.loads(b)
    _err(greet({"type": "Voicemail"}, audio=("binary", "a.ogg", "audio/ogg", b"OggS")), 400, "AWR-129")
    _err(greet({"type": "Voicemail"}, audio=("binary", "a.wav", "audio/wav", b"")), 400, "AWR-128")
    _err(greet({"type": "Voicemail"}, audio=None), 400, "AWR-128")
    _err(greet({"type": "Shout"}), 400, "CMN-101")
    _err(greet({"type": "Company"}), 400, "CLR-103")
    _err(greet({"type": "Voicemail", "answeringRule": {"id": "42"}}), 400, "CMN-102")
    # company greeting (the seed calls the operation getCompanyGreeting)
    A = "/restapi/v1.0/account/~/greeting"
    st, _, b = greet({"type": "Company", "answeringRule": {"id": "business-hours-rule"}, "languageId": "1033"},
                     path=A)
    assert st == 200, b
    cg = json.loads(b)
    assert cg["type"] == "Company" and cg["language"]["localeCode"] == "en-US"
    assert sim.get(cg["contentUri"])[2] == WAV and sim.get_json(cg["uri"])[2] == cg
    _err(greet({"type": "Voicemail"}, path=A), 400, "AWR-178")
    _err(sim.get(EXT + "/greeting/" + cg["id"]), 404, "CMN-102")
    log = [e for e in sim.requests() if e["operation"] == "createGreeting"][0]
    assert log["body"][0]["name"] == "json" and json.loads(log["body"][0]["text"])["type"] == "Voicemail"
    assert log["body"][1] == {"name": "binary", "filename": "hello.wav", "contentType": "audio/wav",
                              "size": len(WAV)}


def test_write_state_resets(sim):
    assert sim.call("PUT", EXT + "/presence", {"userStatus": "Offline"})[0] == 200
    sim.reset()
    assert sim.get_json(EXT + "/presence")[2]["userStatus"] == "Available"


# ---- request log: who asked -----------------------------------------------------------------

def test_request_log_user_agent(sim):
    sim.get(EXT + "/presence")
    request("GET", sim.url + EXT + "/presence", {"Authorization": "Bearer " + sim.token(),
                                                 "User-Agent": "ringfs/0.9"})
    uas = [e["user_agent"] for e in sim.requests() if e["path"].endswith("/presence")]
    assert uas == ["simctl/1.0", "ringfs/0.9"]


# ---- Glip -----------------------------------------------------------------------------------

G = "/restapi/v1.0/glip"
TEAM, PCHAT, GROUP, TEAM2 = "118219063302", "118219071494", "118219079686", "118219087878"
P101, P102, P103 = "400131173008", "400131174008", "400131175008"
NULL_POST_FIELDS = ("addedPersonIds", "attachments", "activity", "title", "iconUri", "iconEmoji", "mentions")


def _j(resp):
    return json.loads(resp[2]) if resp[2] else None


def test_glip_groups_demo_and_type_filter(sim):
    st, h, j = sim.get_json(G + "/groups")
    assert st == 200 and h["X-Rate-Limit-Group"] == "medium"
    assert set(j) == {"records", "navigation"}
    assert j["navigation"] == {"prevPageToken": None, "nextPageToken": None}
    byid = {g["id"]: g for g in j["records"]}
    assert set(byid) == {TEAM, PCHAT, GROUP, TEAM2}
    assert byid[TEAM]["type"] == "Team" and byid[TEAM]["name"] == "Product Launch"
    assert byid[TEAM]["isPublic"] is True and byid[TEAM]["members"] == [P101, P102, P103]
    pc = byid[PCHAT]
    assert pc["type"] == "PrivateChat" and pc["members"] == [P101, P102]
    assert pc["name"] is None and pc["isPublic"] is None and pc["description"] is None   # nulls emitted
    assert byid[GROUP]["type"] == "Group"
    st, _, j = sim.get_json(G + "/groups?type=Team")
    assert sorted(g["id"] for g in j["records"]) == sorted([TEAM, TEAM2])
    st, _, b = sim.get(G + "/groups?type=Channel")
    assert st == 400 and json.loads(b)["errors"][0]["errorCode"] == "CMN-101"
    assert sim.get_json(G + "/groups/" + TEAM)[2]["name"] == "Product Launch"
    st, _, b = sim.get(G + "/groups/999")
    assert st == 404 and json.loads(b)["errorCode"] == "CMN-102"


def test_glip_group_paging_tokens(sim):
    st, _, j = sim.get_json(G + "/groups?recordCount=3")
    assert len(j["records"]) == 3 and j["navigation"]["prevPageToken"] is None
    nxt = j["navigation"]["nextPageToken"]
    st, _, j2 = sim.get_json(G + "/groups?recordCount=3&pageToken=" + nxt)
    assert len(j2["records"]) == 1 and j2["navigation"]["nextPageToken"] is None
    st, _, back = sim.get_json(G + "/groups?recordCount=3&pageToken=" + j2["navigation"]["prevPageToken"])
    assert [g["id"] for g in back["records"]] == [g["id"] for g in j["records"]]
    for bad in ("recordCount=0", "recordCount=251", "pageToken=%21%21"):
        st, _, b = sim.get(G + "/groups?" + bad)
        assert st == 400 and json.loads(b)["errorCode"] == "CMN-101", bad


def test_glip_posts_paging_and_shape(sim):
    st, h, j = sim.get_json(G + "/groups/%s/posts" % TEAM)
    assert st == 200 and h["X-Rate-Limit-Group"] == "medium"
    assert len(j["records"]) == 30                       # default recordCount
    p = j["records"][0]
    for k in NULL_POST_FIELDS:
        assert k in p and p[k] is None, k
    assert p["type"] == "TextMessage" and p["groupId"] == TEAM and p["text"]
    assert p["creatorId"] in (P101, P102, P103)
    seen = []
    tok = None
    while True:
        q = "?recordCount=7" + ("&pageToken=" + tok if tok else "")
        st, _, j = sim.get_json(G + "/groups/%s/posts%s" % (TEAM, q))
        assert st == 200
        seen += j["records"]
        tok = j["navigation"]["nextPageToken"]
        if not tok:
            break
    assert len(seen) == 40 and len({x["id"] for x in seen}) == 40
    times = [_ms(x["creationTime"]) for x in seen]
    assert times == sorted(times, reverse=True)
    assert max(times) - min(times) > 14 * 86400 * 1000            # spread over weeks
    # all posts, filtered by group, and the Light group
    st, h, j = sim.get_json(G + "/posts?groupId=%s&recordCount=250" % PCHAT)
    assert h["X-Rate-Limit-Group"] == "light"
    assert len(j["records"]) == 15 and {x["groupId"] for x in j["records"]} == {PCHAT}
    st, _, j = sim.get_json(G + "/posts?recordCount=250")
    assert len(j["records"]) == 40 + 15 + 12 + 10
    assert sim.get(G + "/posts?groupId=12345")[0] == 404


def test_glip_create_post_update_text(sim):
    st, _, b = sim.call("POST", G + "/groups/%s/posts" % TEAM, {"text": "Hello ![:Person](%s)" % P102})
    assert st == 200
    p = json.loads(b)
    assert p["text"].startswith("Hello") and p["creatorId"] == P101 and p["groupId"] == TEAM
    assert p["mentions"] == [{"id": P102, "type": "Person", "name": "Sam Rivera"}]
    assert p["attachments"] is None and p["activity"] is None
    first = sim.get_json(G + "/groups/%s/posts?recordCount=1" % TEAM)[2]["records"][0]
    assert first["id"] == p["id"]
    st, _, b = sim.call("PUT", G + "/groups/%s/posts/%s/text" % (TEAM, p["id"]), {"text": "Edited"})
    assert st == 200 and json.loads(b) == {"text": "Edited"}
    again = sim.get_json(G + "/posts?groupId=%s&recordCount=1" % TEAM)[2]["records"][0]
    assert again["text"] == "Edited"
    # createPost (Light): groupId + text
    st, h, b = sim.call("POST", G + "/posts", {"groupId": PCHAT, "text": "Ping"})
    assert st == 200 and json.loads(b)["groupId"] == PCHAT and h["X-Rate-Limit-Group"] == "light"
    # the group now sorts first (most recent activity)
    assert sim.get_json(G + "/groups?recordCount=1")[2]["records"][0]["id"] == PCHAT
    _err(sim.call("POST", G + "/posts", {"text": "no group"}), 400, "CMN-101")
    _err(sim.call("POST", G + "/posts", {"groupId": "1", "text": "x"}), 400, "CMN-102")
    _err(sim.call("POST", G + "/posts", {"groupId": TEAM}), 400, "CMN-101")
    _err(sim.call("POST", G + "/groups/%s/posts" % TEAM, {"text": "  "}), 400, "CMN-101")
    _err(sim.call("POST", G + "/groups/%s/posts" % TEAM, {"text": "x" * 10001}), 400, "CMN-101")
    _err(sim.call("PUT", G + "/groups/%s/posts/1/text" % TEAM, {"text": "x"}), 404, "CMN-102")
    other = next(x for x in sim.get_json(G + "/groups/%s/posts?recordCount=250" % TEAM)[2]["records"]
                 if x["creatorId"] != P101)
    _err(sim.call("PUT", G + "/groups/%s/posts/%s/text" % (TEAM, other["id"]), {"text": "x"}), 403, "CMN-404")


def test_glip_create_groups(sim):
    st, _, b = sim.call("POST", G + "/groups", {"type": "Team", "name": "Ops", "isPublic": False,
                                                 "description": "On-call", "members": [{"id": P103},
                                                                                       {"email": "sam.rivera@demo-company.example"}]})
    assert st == 200
    t = json.loads(b)
    assert t["type"] == "Team" and t["name"] == "Ops" and t["members"] == [P101, P103, P102]
    assert sim.get_json(G + "/groups/" + t["id"])[2] == t
    assert t["id"] in [g["id"] for g in sim.get_json(G + "/groups?type=Team")[2]["records"]]
    _err(sim.call("POST", G + "/groups", {"type": "Team"}), 400, "CMN-101")
    _err(sim.call("POST", G + "/groups", {"type": "Team", "name": "x", "members": [{"id": "42"}]}), 400, "CMN-102")
    _err(sim.call("POST", G + "/groups", {"type": "Group", "members": [{"id": P102}]}), 400, "CMN-101")
    _err(sim.call("POST", G + "/groups", {"type": "PrivateChat", "members": [{"id": P101}]}), 400, "CMN-101")
    _err(sim.call("POST", G + "/groups", {"type": "PrivateChat",
                                          "members": [{"id": P101}, {"id": P102}, {"id": P103}]}), 400, "CMN-101")
    # an existing pair's private chat is returned; a new pair makes one
    st, _, b = sim.call("POST", G + "/groups", {"type": "PrivateChat", "members": [{"id": P102}, {"id": P101}]})
    assert st == 200 and json.loads(b)["id"] == PCHAT
    st, _, b = sim.call("POST", G + "/groups", {"type": "PrivateChat", "members": [{"id": P101}, {"id": P103}]})
    pc = json.loads(b)
    assert st == 200 and pc["id"] != PCHAT and pc["name"] is None and pc["members"] == [P101, P103]


def test_glip_bulk_assign(sim):
    path = G + "/groups/%s/bulk-assign" % TEAM2
    st, _, b = sim.call("POST", path, {"addedPersonIds": [P102]})
    assert st == 200 and json.loads(b)["members"] == [P101, P103, P102]
    assert sim.get_json(G + "/groups/" + TEAM2)[2]["members"] == [P101, P103, P102]
    last = sim.get_json(G + "/groups/%s/posts?recordCount=1" % TEAM2)[2]["records"][0]
    assert last["type"] == "PersonsAdded" and last["addedPersonIds"] == [P102] and last["text"] is None
    st, _, b = sim.call("POST", path, {"removedPersonIds": [P103]})
    assert st == 200 and json.loads(b)["members"] == [P101, P102]
    _err(sim.call("POST", path, {"addedPersonEmails": ["nobody@example.com"]}), 400, "CMN-102")
    _err(sim.call("POST", path, {"addedPersonIds": [P103], "removedPersonIds": [P102]}), 400, "CMN-101")
    _err(sim.call("POST", path, {}), 400, "CMN-101")
    _err(sim.call("POST", G + "/groups/%s/bulk-assign" % PCHAT, {"addedPersonIds": [P103]}), 400, "CMN-101")
    st, _, b = sim.call("POST", path, {"addedPersonEmails": ["Priya.Natarajan@demo-company.example"]})
    assert json.loads(b)["members"] == [P101, P102, P103]
    # leaving a team hides it
    sim.call("POST", path, {"removedPersonIds": [P101]})
    assert TEAM2 not in [g["id"] for g in sim.get_json(G + "/groups")[2]["records"]]
    assert sim.get(G + "/groups/" + TEAM2)[0] == 404


def test_glip_files(sim):
    ct, body = multipart([("body", "notes.txt", "text/plain", b"launch checklist\n")])
    st, h, b = sim.call("POST", G + "/files?groupId=%s&name=checklist.txt" % TEAM, body=body, content_type=ct)
    assert st == 200 and h["X-Rate-Limit-Group"] == "heavy"
    f = json.loads(b)
    assert set(f) == {"id", "contentUri", "name"} and f["name"] == "checklist.txt"
    assert f["contentUri"].startswith(sim.media_url)
    st, h, data = request("GET", f["contentUri"])
    assert st == 200 and data == b"launch checklist\n" and h["Content-Type"].startswith("text/plain")
    post = sim.get_json(G + "/groups/%s/posts?recordCount=1" % TEAM)[2]["records"][0]
    assert post["attachments"] == [{"id": f["id"], "name": "checklist.txt", "contentUri": f["contentUri"],
                                    "type": "File"}]
    # without groupId: just the file; a post may attach it afterwards
    ct, body = multipart([("body", "pic.png", "image/png", b"\x89PNG\r\n\x1a\nxx")])
    st, _, b = sim.call("POST", G + "/files", body=body, content_type=ct)
    f2 = json.loads(b)
    assert st == 200 and f2["name"] == "pic.png"
    st, _, b = sim.call("POST", G + "/posts", {"groupId": GROUP, "attachments": [{"id": f2["id"], "type": "File"}]})
    assert st == 200 and json.loads(b)["attachments"][0]["name"] == "pic.png" and json.loads(b)["text"] is None
    _err(sim.call("POST", G + "/posts", {"groupId": GROUP, "attachments": [{"id": "1"}]}), 400, "CMN-102")
    ct, body = multipart([("body", "empty.txt", "text/plain", b"")])
    _err(sim.call("POST", G + "/files", body=body, content_type=ct), 400, "CMN-101")
    ct, body = multipart([("body", "a.txt", "text/plain", b"a")])
    _err(sim.call("POST", G + "/files?groupId=1", body=body, content_type=ct), 400, "CMN-102")
    assert request("GET", sim.media_url + G + "/files/1/content")[0] == 404


def test_glip_person_company(sim):
    st, h, p = sim.get_json(G + "/persons/" + P102)
    assert st == 200 and h["X-Rate-Limit-Group"] == "light"
    assert p["id"] == P102 and p["firstName"] == "Sam" and p["lastName"] == "Rivera"
    assert p["companyId"] == "400131172008" and p["email"] == "sam.rivera@demo-company.example"
    for k in ("avatar", "gender", "employeeSince", "birthday", "webPage"):
        assert k in p and p[k] is None
    assert sim.get_json(G + "/persons/~")[2]["id"] == P101
    assert sim.get(G + "/persons/400131176008")[0] == 404          # a Department is no person
    st, _, co = sim.get_json(G + "/companies/400131172008")
    assert st == 200 and co["name"] == "Demo Company" and co["id"] == "400131172008" and co["domain"]
    assert sim.get_json(G + "/companies/~")[2] == co
    assert sim.get(G + "/companies/1")[0] == 404


def test_glip_webhooks(sim):
    st, _, j = sim.get_json(G + "/webhooks")
    assert st == 200 and set(j) == {"records"}
    assert [(w["groupIds"], w["status"]) for w in j["records"]] == [([TEAM], "Active"), ([GROUP], "Suspended")]
    st, _, b = sim.call("POST", G + "/groups/%s/webhooks" % PCHAT)
    w = json.loads(b)
    assert st == 200 and w["status"] == "Active" and w["groupIds"] == [PCHAT] and w["creatorId"] == P101
    assert w["uri"].endswith("/" + w["id"]) and re.fullmatch(r"[0-9a-f-]{36}", w["id"])
    assert [x["id"] for x in sim.get_json(G + "/groups/%s/webhooks" % PCHAT)[2]["records"]] == [w["id"]]
    assert sim.get_json(G + "/webhooks/" + w["id"])[2] == {"records": [w]}
    st, _, b = sim.call("POST", G + "/webhooks/%s/suspend" % w["id"])
    assert st == 200 and b == b""
    assert sim.get_json(G + "/webhooks/" + w["id"])[2]["records"][0]["status"] == "Suspended"
    st, _, b = sim.call("POST", G + "/webhooks/%s/activate" % w["id"])
    assert st == 200 and b == b""
    assert sim.get_json(G + "/webhooks/" + w["id"])[2]["records"][0]["status"] == "Active"
    st, _, b = sim.call("DELETE", G + "/webhooks/" + w["id"])
    assert st == 200 and b == b""
    assert sim.get(G + "/webhooks/" + w["id"])[0] == 404
    assert len(sim.get_json(G + "/webhooks")[2]["records"]) == 2
    _err(sim.call("POST", G + "/webhooks/nope/activate"), 404, "CMN-102")
    _err(sim.call("POST", G + "/groups/1/webhooks"), 404, "CMN-102")


# ---- meetings ---------------------------------------------------------------------------------

def test_meetings(sim):
    st, h, j = sim.get_json(EXT + "/meeting")
    assert st == 200 and h["X-Rate-Limit-Group"] == "light"
    assert [m["id"] for m in j["records"]] == ["1489500211", "1489500227"]
    m = j["records"][0]
    assert m["topic"] == "Weekly sales sync" and m["meetingType"] == "Scheduled" and m["status"] == "NotStarted"
    assert m["schedule"]["durationInMinutes"] == 30 and m["links"]["joinUri"].endswith("/1489500211")
    assert "password" not in m and j["records"][1]["password"] == "q4plan"      # platform: absent omitted
    body = {"topic": "Design review", "meetingType": "Scheduled", "password": "abc123",
            "schedule": {"startTime": "2030-01-02T15:00:00Z", "durationInMinutes": 45, "timeZone": {"id": "58"}},
            "allowJoinBeforeHost": True, "audioOptions": ["ComputerAudio"]}
    st, _, b = sim.call("POST", EXT + "/meeting", body)
    assert st == 201
    new = json.loads(b)
    assert new["topic"] == "Design review" and new["schedule"]["startTime"] == "2030-01-02T15:00:00Z"
    assert new["host"]["id"] == "400131173008" and new["audioOptions"] == ["ComputerAudio"]
    assert sim.get_json(EXT + "/meeting/" + new["id"])[2] == new
    st, _, b = sim.call("PUT", EXT + "/meeting/" + new["id"], {"topic": "Design review v2"})
    assert st == 200 and json.loads(b)["topic"] == "Design review v2"
    assert sim.get_json(EXT + "/meeting/" + new["id"])[2]["topic"] == "Design review v2"
    assert len(sim.get_json(EXT + "/meeting")[2]["records"]) == 3
    st, _, b = sim.call("POST", EXT + "/meeting", {"topic": "Now", "meetingType": "Instant"})
    inst = json.loads(b)
    assert st == 201 and "schedule" not in inst
    assert len(sim.get_json(EXT + "/meeting")[2]["records"]) == 3      # Instant meetings are not listed
    assert sim.call("POST", EXT + "/meeting/%s/end" % new["id"])[0] == 204
    assert sim.call("DELETE", EXT + "/meeting/" + new["id"])[0] == 204
    _err(sim.get(EXT + "/meeting/" + new["id"]), 404, "CMN-102")
    _err(sim.call("POST", EXT + "/meeting/%s/end" % new["id"]), 404, "CMN-102")
    _err(sim.call("POST", EXT + "/meeting", {"topic": "x", "meetingType": "Scheduled"}), 400, "CMN-101")
    _err(sim.call("POST", EXT + "/meeting", dict(body, schedule={"startTime": "soon"})), 400, "CMN-101")
    _err(sim.call("POST", EXT + "/meeting", dict(body, meetingType="Party")), 400, "CMN-101")
    b = _err(sim.call("PUT", EXT + "/meeting/1489500211", {"password": "no spaces!"}), 400, "CMN-101")
    assert b["errors"][0]["parameterName"] == "password"
    st, _, si = sim.get_json(EXT + "/meeting/service-info")
    assert st == 200 and si["dialInNumbers"][0]["phoneNumber"].startswith("+1")
    assert si["externalUserInfo"]["personalMeetingId"]


# ---- subscriptions ---------------------------------------------------------------------------

SUB = "/restapi/v1.0/subscription"
HOOK = {"transportType": "WebHook", "address": "https://example.com/hook"}


def test_subscriptions(sim):
    st, h, j = sim.get_json(SUB)
    assert st == 200 and set(j) == {"uri", "records"} and h["X-Rate-Limit-Group"] == "light"
    assert [s["id"] for s in j["records"]] == ["c9a2d9e4-5d2b-4e4a-9b8e-1f7b3c6a0e11"]
    st, _, b = sim.call("POST", SUB, {"eventFilters": [EXT + "/message-store", "/restapi/v1.0/account/~/extension/~/presence?detailedTelephonyState=true"],
                                      "deliveryMode": dict(HOOK, verificationToken="tok"), "expiresIn": 3600})
    assert st == 200
    s = json.loads(b)
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}", s["id"])
    assert s["status"] == "Active" and s["expiresIn"] == 3600
    assert s["eventFilters"] == ["/restapi/v1.0/account/400131172008/extension/400131173008/message-store",
                                 "/restapi/v1.0/account/400131172008/extension/400131173008/presence?detailedTelephonyState=true"]
    assert s["deliveryMode"] == {"transportType": "WebHook", "address": "https://example.com/hook",
                                 "verificationToken": "tok", "encryption": False}
    assert _ms(s["expirationTime"]) - _ms(s["creationTime"]) == 3600 * 1000
    assert sim.get_json(SUB + "/" + s["id"])[2]["id"] == s["id"]
    assert len(sim.get_json(SUB)[2]["records"]) == 2
    sim.clock(600)
    st, _, b = sim.call("POST", SUB + "/%s/renew" % s["id"])
    r = json.loads(b)
    assert st == 200 and _ms(r["expirationTime"]) > _ms(s["expirationTime"]) and r["expiresIn"] == 3600
    st, _, b = sim.call("PUT", SUB + "/" + s["id"], {"eventFilters": ["/restapi/v1.0/glip/posts"]})
    assert st == 200 and json.loads(b)["eventFilters"] == ["/restapi/v1.0/glip/posts"]
    assert sim.get_json(SUB + "/" + s["id"])[2]["eventFilters"] == ["/restapi/v1.0/glip/posts"]
    assert sim.call("DELETE", SUB + "/" + s["id"])[0] == 204
    _err(sim.get(SUB + "/" + s["id"]), 404, "CMN-102")
    _err(sim.call("POST", SUB + "/%s/renew" % s["id"]), 404, "CMN-102")
    # expiry on the simulator clock
    st, _, b = sim.call("POST", SUB, {"eventFilters": [EXT + "/presence"], "deliveryMode": HOOK, "expiresIn": 60})
    short = json.loads(b)["id"]
    sim.clock(61)
    assert sim.get(SUB + "/" + short)[0] == 404


def test_subscription_validation(sim):
    ok = {"eventFilters": [EXT + "/message-store"], "deliveryMode": HOOK}
    b = _err(sim.call("POST", SUB, dict(ok, eventFilters=[])), 400, "CMN-101")
    assert b["parameterName"] == "eventFilters"
    _err(sim.call("POST", SUB, dict(ok, eventFilters=["/restapi/v1.0/whatever"])), 400, "CMN-101")
    _err(sim.call("POST", SUB, dict(ok, eventFilters=["/restapi/v1.0/subscription/~?threshold=60&interval=15"])),
         400, "SUB-515")
    _err(sim.call("POST", SUB, dict(ok, eventFilters=["/restapi/v1.0/account/~/extension/123/presence"])),
         403, "SUB-408")
    _err(sim.call("POST", SUB, dict(ok, eventFilters=["/restapi/v1.0/account/999/extension"])), 403, "SUB-406")
    b = _err(sim.call("POST", SUB, dict(ok, deliveryMode={"transportType": "WebHook"})), 400, "CMN-101")
    assert b["parameterName"] == "deliveryMode.address"
    _err(sim.call("POST", SUB, dict(ok, deliveryMode={"transportType": "Carrier"})), 400, "CMN-101")
    b = _err(sim.call("POST", SUB, dict(ok, deliveryMode=dict(HOOK, verificationToken="x" * 65))), 400, "CMN-101")
    assert b["parameterName"] == "deliveryMode.verificationToken"
    _err(sim.call("POST", SUB, dict(ok, expiresIn=0)), 400, "CMN-101")
    st, _, b = sim.call("POST", SUB, dict(ok, expiresIn=10 ** 10))
    assert st == 200 and json.loads(b)["expiresIn"] == 315360000
    st, _, b = sim.call("POST", SUB, dict(ok, deliveryMode={"transportType": "PubNub"}))
    d = json.loads(b)["deliveryMode"]
    assert st == 200 and d["encryptionAlgorithm"] == "AES" and d["subscriberKey"] and d["address"]
    assert json.loads(b)["expiresIn"] == 900
    for _ in range(17):
        assert sim.call("POST", SUB, ok)[0] == 200
    _err(sim.call("POST", SUB, ok), 403, "SUB-505")


# ---- RingOut ------------------------------------------------------------------------------------

def test_ringout_new_progress_and_cancel(sim):
    body = {"from": {"phoneNumber": "+14155550100"}, "to": {"phoneNumber": "+14155550111"},
            "callerId": {"phoneNumber": "+16505550101"}, "playPrompt": False}
    st, h, b = sim.call("POST", EXT + "/ring-out", body)
    assert st == 200 and h["X-Rate-Limit-Group"] == "heavy"
    r = json.loads(b)
    assert isinstance(r["id"], str) and r["uri"].endswith("/ring-out/" + r["id"])
    assert r["status"] == {"callStatus": "InProgress", "callerStatus": "InProgress", "calleeStatus": "InProgress"}
    sim.clock(3.5)
    st, h, s = sim.get_json(EXT + "/ring-out/" + r["id"])
    assert st == 200 and h["X-Rate-Limit-Group"] == "light"
    assert s["status"] == {"callStatus": "InProgress", "callerStatus": "Success", "calleeStatus": "InProgress"}
    sim.clock(3)
    s = sim.get_json(EXT + "/ring-out/" + r["id"])[2]
    assert s["status"] == {"callStatus": "Success", "callerStatus": "Success", "calleeStatus": "Success"}
    _err(sim.call("DELETE", EXT + "/ring-out/" + r["id"]), 404, "CMN-102")    # connected: too late
    st, _, b = sim.call("POST", EXT + "/ring-out", body)
    r2 = json.loads(b)
    assert r2["id"] != r["id"]
    assert sim.call("DELETE", EXT + "/ring-out/" + r2["id"])[0] == 204
    _err(sim.get(EXT + "/ring-out/" + r2["id"]), 404, "CMN-102")


def test_ringout_legacy_numeric(sim):
    st, _, b = sim.call("POST", EXT + "/ringout", {"from": {"phoneNumber": "4155550100"},
                                                   "to": {"phoneNumber": "+1 (415) 555-0111"}})
    r = json.loads(b)
    assert st == 200 and isinstance(r["id"], int) and r["uri"].endswith("/ringout/%d" % r["id"])
    assert sim.get_json(EXT + "/ringout/%d" % r["id"])[2]["status"]["callStatus"] == "InProgress"
    assert sim.get(EXT + "/ring-out/%d" % r["id"])[0] == 404          # the other spelling's ids differ
    assert sim.call("DELETE", EXT + "/ringout/%d" % r["id"])[0] == 204
    assert sim.get(EXT + "/ringout/%d" % r["id"])[0] == 404


def test_ringout_validation(sim):
    sim.config(limits={"Heavy": 1000})
    ok = {"from": {"phoneNumber": "+14155550100"}, "to": {"phoneNumber": "+14155550111"}}
    for path in (EXT + "/ring-out", EXT + "/ringout"):
        _err(sim.call("POST", path, dict(ok, **{"from": {}})), 400, "TEL-108")
        _err(sim.call("POST", path, dict(ok, to={"phoneNumber": "abc"})), 400, "TEL-109")
        _err(sim.call("POST", path, dict(ok, callerId={"phoneNumber": "x"})), 400, "TEL-107")
        _err(sim.call("POST", path, dict(ok, callerId={"phoneNumber": "+14155550199"})), 403, "RNG-102")
        _err(sim.call("POST", path, dict(ok, to={"phoneNumber": "+17179665004"})), 403, "TEL-101")
        _err(sim.call("POST", path, dict(ok, **{"from": {"phoneNumber": "+17179665004"}})), 403, "TEL-102")
        _err(sim.call("POST", path, dict(ok, playPrompt="yes")), 400, "CMN-101")
        _err(sim.call("POST", path, dict(ok, **{"from": {"forwardingNumberId": "1"}})), 404, "CMN-102")
    fwd = sim.get_json(EXT + "/forwarding-number")[2]["records"][1]
    assert sim.call("POST", EXT + "/ring-out", dict(ok, **{"from": {"forwardingNumberId": fwd["id"]}}))[0] == 200
    dept = "/restapi/v1.0/account/~/extension/400131176008/ring-out"
    _err(sim.call("POST", dept, ok), 403, "CMN-112")


# ---- authorization profile, directory --------------------------------------------------------------

def test_authz_profile_and_check(sim):
    st, h, j = sim.get_json(EXT + "/authz-profile")
    assert st == 200 and h["X-Rate-Limit-Group"] == "medium"
    ids = {p["permission"]["id"]: p for p in j["permissions"]}
    assert "ReadMessages" in ids and ids["ReadMessages"]["scopes"]
    assert ids["ReadMessages"]["permission"]["uri"].endswith("/dictionary/permission/ReadMessages")
    q = EXT + "/authz-profile/check?permissionId=%s&targetExtensionId=%s"
    st, h, j = sim.get_json(q % ("ReadMessages", "400131174008"))
    assert st == 200 and j["successful"] is True and h["X-Rate-Limit-Group"] == "light"
    assert j["details"]["permission"]["id"] == "ReadMessages"
    assert sim.get_json(q % ("Sms", "400131174008"))[2]["successful"] is False     # Self only
    assert sim.get_json(q % ("Sms", "400131173008"))[2]["successful"] is True
    assert sim.get_json(q % ("FlyToTheMoon", "400131173008"))[2]["successful"] is False
    _err(sim.get(q % ("ReadMessages", "12")), 400, "CMN-101")
    _err(sim.get(EXT + "/authz-profile/check"), 400, "CMN-101")
    _err(sim.get("/restapi/v1.0/account/~/extension/400131174008/authz-profile"), 403, "CMN-404")


def test_directory_entries(sim):
    """Today's directory: {records, paging} with numbered pages, no uri or navigation;
    /_sim/config directory_entries=false plays a server without it (404 CMN-120)."""
    st, h, j = sim.get_json("/restapi/v1.0/account/~/directory/entries")
    assert st == 200 and h["X-Rate-Limit-Group"] == "medium"
    assert set(j) == {"records", "paging"}
    assert [r["extensionNumber"] for r in j["records"]] == ["101", "102", "103", "201"]
    assert j["paging"] == {"page": 1, "totalPages": 1, "perPage": 1000, "totalElements": 4,
                           "pageStart": 0, "pageEnd": 3}
    r = j["records"][2]
    assert r["id"] == "400131175008" and r["name"] == "Priya Natarajan"
    assert r["account"] == {"id": "400131172008", "companyName": "Demo Company"}
    st, _, j = sim.get_json("/restapi/v1.0/account/~/directory/entries?perPage=3&page=2")
    assert [r["extensionNumber"] for r in j["records"]] == ["201"]
    assert j["paging"]["page"] == 2 and j["paging"]["totalPages"] == 2
    assert sim.get_json("/restapi/v1.0/account/~/directory/entries?perPage=max")[2]["paging"][
        "perPage"] == 2000
    st, _, one = sim.get_json("/restapi/v1.0/account/~/directory/entries/400131175008")
    assert st == 200 and one == r
    _err(sim.get("/restapi/v1.0/account/~/directory/entries/1"), 404, "CMN-102")
    _err(sim.get("/restapi/v1.0/account/~/directory/entries?type=Robot"), 400, "CMN-101")
    sim.config(directory_entries=False)
    _err(sim.get("/restapi/v1.0/account/~/directory/entries"), 404, "CMN-120")
    _err(sim.get("/restapi/v1.0/account/~/directory/entries/400131175008"), 404, "CMN-120")
    assert sim.get("/restapi/v1.0/account/~/directory/contacts")[0] == 200
    sim.reset()
    assert sim.get("/restapi/v1.0/account/~/directory/entries")[0] == 200


def test_directory_contacts(sim):
    st, h, j = sim.get_json("/restapi/v1.0/account/~/directory/contacts")
    assert st == 200 and h["X-Rate-Limit-Group"] == "medium"
    assert [r["extensionNumber"] for r in j["records"]] == ["101", "102", "103", "201"]
    assert j["paging"]["totalElements"] == 4 and j["paging"]["perPage"] == 1000
    r102 = j["records"][1]
    assert r102["id"] == "400131174008" and r102["name"] == "Sam Rivera"
    assert [p["phoneNumber"] for p in r102["phoneNumbers"]] == ["+16505550102", "+16505550112"]
    st, _, j = sim.get_json("/restapi/v1.0/account/~/directory/contacts?perPage=2&page=2")
    assert [r["extensionNumber"] for r in j["records"]] == ["103", "201"] and "previousPage" in j["navigation"]
    st, _, j = sim.get_json("/restapi/v1.0/account/~/directory/contacts?type=Department")
    assert [r["name"] for r in j["records"]] == ["Sales"]
    st, _, one = sim.get_json("/restapi/v1.0/account/~/directory/contacts/400131175008")
    assert st == 200 and one["firstName"] == "Priya" and one["businessPhone"] == "+16505550103"
    _err(sim.get("/restapi/v1.0/account/~/directory/contacts/1"), 404, "CMN-102")


# ---- new call handling (upgraded accounts, commhandling.py) -----------------------------------

V2 = "/restapi/v2/accounts/~/extensions/~"
CH = V2 + "/comm-handling"
NCH = EXT + "/features?featureId=NewCallHandlingAndForwarding"


def _nch(sim, ext="~"):
    recs = sim.get_json(NCH.replace("extension/~", "extension/" + ext))[2]["records"]
    assert [r["id"] for r in recs] == ["NewCallHandlingAndForwarding"]
    return recs[0]["params"]


def test_features_report_new_call_handling(sim):
    assert _nch(sim) == [{"name": "isNewBackendAvailable", "value": "false"}]
    st, h, b = sim.get(EXT + "/features")
    assert st == 200 and h["X-Rate-Limit-Group"] == "medium"
    ids = [r["id"] for r in json.loads(b)["records"]]
    assert "NewCallHandlingAndForwarding" in ids and ids == sorted(ids)
    sim.config(new_call_handling=True)
    assert _nch(sim) == [{"name": "isNewBackendAvailable", "value": "true"}]
    dept = str([e for e in sim.demo()["extensions"] if e["type"] == "Department"][0]["id"])
    assert _nch(sim, dept) == [{"name": "isNewBackendAvailable", "value": "false"}]   # call queues keep v1
    sales = sim.get_json(EXT.replace("extension/~", "extension/" + dept) + "/features?availableOnly=true")[2]
    assert "SMS" not in [r["id"] for r in sales["records"]]
    sim.reset()                                  # a reset is the seed's account again
    assert _nch(sim)[0]["value"] == "false"
    st, _, b = sim.call("POST", "/_sim/config", {"new_call_handling": "yes"})
    assert st == 400


def test_upgraded_account_refuses_v1_rules_and_forwarding(sim):
    sim.config(new_call_handling=True)
    for method, path, body in (("GET", "/answering-rule", None), ("GET", "/answering-rule/business-hours-rule", None),
                               ("PUT", "/answering-rule/business-hours-rule", {"enabled": True}),
                               ("POST", "/answering-rule", {"name": "x"}),
                               ("DELETE", "/answering-rule/3107589020", None),
                               ("GET", "/forwarding-number", None), ("GET", "/forwarding-number/1", None),
                               ("POST", "/forwarding-number", {"phoneNumber": "+14155550100", "label": "x"}),
                               ("PUT", "/forwarding-number/1", {"label": "x"}),
                               ("DELETE", "/forwarding-number/1", None)):
        b = _err(sim.call(method, EXT + path, body), 403, "CMN-468")
        assert b["message"]
    # the company's rules and a call queue's are not the user call handling
    assert sim.get(A_RULES)[0] == 200
    dept = [e for e in sim.demo()["extensions"] if e["type"] == "Department"][0]["id"]
    assert sim.get(EXT.replace("extension/~", "extension/%d" % dept) + "/answering-rule")[0] == 200
    # and the seed's account has no v2
    sim.config(new_call_handling=False)
    _err(sim.get(CH + "/voice/state-rules"), 403, "CMN-468")
    assert sim.get(EXT + "/answering-rule")[0] == 200


A_RULES = "/restapi/v1.0/account/~/answering-rule"


def test_state_rules(sim):
    sim.config(new_call_handling=True)
    st, h, b = sim.get(CH + "/voice/state-rules")
    assert st == 200 and h["X-Rate-Limit-Group"] == "medium"
    body = json.loads(b)
    assert [r["id"] for r in body["records"]] == ["work-hours", "after-hours", "dnd", "forward-all-calls"]
    assert body["paging"] == {"page": 1, "perPage": 100, "pageStart": 0, "pageEnd": 3, "totalPages": 1,
                              "totalElements": 4}
    assert "navigation" not in body and "uri" not in body
    wh = sim.get_json(CH + "/voice/state-rules/work-hours")[2]
    assert wh == body["records"][0]
    assert list(wh) == ["id", "displayName", "state", "dispatching"]
    assert wh["displayName"] == "Work Hours" and wh["dispatching"]["type"] == "RingInOrder"
    acts = wh["dispatching"]["actions"]
    assert acts[0]["type"] == "PlayWelcomePromptAction" and acts[-1] == {
        "type": "TerminatingAction", "effectiveTargetType": "VoiceMailTerminatingTarget",
        "targets": [acts[-1]["targets"][0]]}
    # after-hours exists only while work hours are not 24/7; agent only for queue members (102)
    ids = lambda ext: [r["id"] for r in sim.get_json(
        "/restapi/v2/accounts/~/extensions/%s/comm-handling/voice/state-rules" % ext)[2]["records"]]
    exts = {e["extensionNumber"]: e["id"] for e in sim.demo()["extensions"]}
    assert ids(exts["103"]) == ["work-hours", "dnd", "forward-all-calls"]
    assert ids(exts["102"]) == ["work-hours", "after-hours", "dnd", "forward-all-calls", "agent"]
    _err(sim.get(CH + "/voice/state-rules/agent"), 404, "CMN-102")
    assert sim.call("PUT", EXT + "/business-hours", {"schedule": {}})[0] == 200
    assert ids("~") == ["work-hours", "dnd", "forward-all-calls"]
    assert sim.get_json(CH + "/states/work-hours")[2]["conditions"][0]["schedule"]["triggers"] == [
        {"triggerType": "Daily", "startTime": "00:00:00", "endTime": "23:59:59"}]


def test_state_rule_patch(sim):
    sim.config(new_call_handling=True)
    R = CH + "/voice/state-rules/work-hours"
    wh = sim.get_json(R)[2]
    d = wh["dispatching"]
    d["type"] = "RingAtOnce"
    d["actions"].insert(3, {"type": "RingGroupAction", "enabled": True, "duration": 25,
                            "targets": [{"type": "PhoneNumberRingTarget", "name": "Cabin",
                                         "destination": {"phoneNumber": "(415) 555-0177"}}]})
    st, h, b = sim.call("PATCH", R, {"dispatching": d})
    assert st == 200 and h["X-Rate-Limit-Group"] == "medium", b
    new = json.loads(b)
    assert new["dispatching"]["type"] == "RingAtOnce"
    assert new["dispatching"]["actions"][3]["targets"][0]["destination"] == {"phoneNumber": "+14155550177"}
    assert sim.get_json(R)[2] == new
    # forwarding targets follow the rules' ring groups
    ft = sim.get_json(CH + "/voice/forwarding-targets")[2]["records"]
    assert {"type": "PhoneNumberRingTarget", "name": "Cabin",
            "destination": {"phoneNumber": "+14155550177"}} in ft
    assert all(t["type"] != "AllDesktopRingTarget" for t in ft)
    _err(sim.call("PATCH", R, {"displayName": "Office"}), 400, "CMN-101")
    _err(sim.call("PATCH", R, {}), 400, "CMN-101")
    _err(sim.call("PATCH", R, {"dispatching": {"type": "Ring"}}), 400, "CMN-101")
    _err(sim.call("PATCH", R, {"dispatching": {"type": "Terminate", "actions": []}}), 400, "CMN-101")
    _err(sim.call("PATCH", R, {"dispatching": {"type": "RingInOrder", "actions": [
        {"type": "RingGroupAction", "targets": [{"type": "PhoneNumberRingTarget",
                                                 "destination": {"phoneNumber": "abc"}}]}]}}), 400, "CMN-101")
    # do-not-disturb cannot ring anyone
    _err(sim.call("PATCH", CH + "/voice/state-rules/dnd", {"dispatching": d}), 400, "CMN-101")
    fwd = {"type": "Terminate", "actions": [{"type": "TerminatingAction",
                                             "effectiveTargetType": "PhoneNumberTerminatingTarget",
                                             "targets": [{"type": "PhoneNumberTerminatingTarget",
                                                          "destination": {"phoneNumber": "+14155550178"}}]}]}
    assert sim.call("PATCH", CH + "/voice/state-rules/dnd", {"dispatching": fwd})[0] == 200
    _err(sim.call("PATCH", CH + "/voice/state-rules/holiday", {"dispatching": fwd}), 404, "CMN-102")


def test_states(sim):
    sim.config(new_call_handling=True)
    S = CH + "/states"
    st = sim.get_json(S)[2]
    assert [(s["id"], s["enabled"]) for s in st["records"]] == [
        ("work-hours", True), ("after-hours", True), ("dnd", False), ("forward-all-calls", False)]
    r = sim.call("PATCH", S + "/dnd", {"enabled": True})
    assert r[0] == 200 and json.loads(r[2])["enabled"] is True
    assert sim.get_json(CH + "/voice/state-rules/dnd")[2]["state"]["enabled"] is True
    _err(sim.call("PATCH", S + "/work-hours", {"enabled": False}), 400, "CMN-101")
    _err(sim.call("PATCH", S + "/dnd", {"enabled": "yes"}), 400, "CMN-101")
    wk = {"type": "Schedule", "schedule": {"triggers": [{"triggerType": "Weekly", "ranges": {
        "tuesday": [{"startTime": "12:00:00", "endTime": "18:00:00"}]}}]}}
    r = sim.call("PATCH", S + "/work-hours", {"conditions": [wk]})
    assert r[0] == 200, r[2]
    # the schedule is the extension's business hours
    assert sim.get_json(EXT + "/business-hours")[2]["schedule"] == {
        "weeklyRanges": {"tuesday": [{"from": "12:00", "to": "18:00"}]}}
    assert json.loads(r[2])["conditions"] == [wk]
    _err(sim.call("PATCH", S + "/work-hours", {"conditions": [{"type": "Schedule"}]}), 400, "CMN-101")


def test_interaction_rules(sim):
    sim.config(new_call_handling=True)
    I = CH + "/voice/interaction-rules"
    lst = sim.get_json(I)[2]
    assert [r["displayName"] for r in lst["records"]] == ["Family and friends"]
    rid = lst["records"][0]["id"]
    assert sim.get_json(I + "/" + rid)[2] == lst["records"][0]
    new = {"displayName": "VIP", "conditions": [{"type": "Interaction", "from": [{"phoneNumber": "4155550190"}]}]}
    st, h, b = sim.call("POST", I, new)
    assert st == 201 and h["X-Rate-Limit-Group"] == "medium", b
    r = json.loads(b)
    assert list(r) == ["id", "displayName", "enabled", "conditions", "dispatching"]
    assert r["enabled"] is True and r["conditions"][0]["from"] == [{"phoneNumber": "+14155550190"}]
    assert r["dispatching"]["type"] == "Terminate"
    assert sim.get_json(I + "/" + r["id"])[2] == r
    st, _, b = sim.call("PATCH", I + "/" + r["id"], {"enabled": False, "displayName": "VIPs"})
    assert st == 200 and (json.loads(b)["enabled"], json.loads(b)["displayName"]) == (False, "VIPs")
    _err(sim.call("POST", I, {"displayName": "x"}), 400, "CMN-101")
    _err(sim.call("POST", I, {"conditions": new["conditions"]}), 400, "CMN-101")
    _err(sim.call("POST", I, dict(new, conditions=[])), 400, "CMN-101")
    _err(sim.call("PATCH", I + "/" + r["id"], {"enabled": 1}), 400, "CMN-101")
    _err(sim.call("PATCH", I + "/" + r["id"], {"colour": "red"}), 400, "CMN-101")
    st, _, b = sim.call("DELETE", I + "/" + r["id"])
    assert st == 204 and b == b""
    _err(sim.get(I + "/" + r["id"]), 404, "CMN-102")
    _err(sim.call("DELETE", I + "/" + r["id"]), 404, "CMN-102")
    assert len(sim.get_json(I)[2]["records"]) == 1


def test_call_flip_numbers(sim):
    sim.config(new_call_handling=True)
    F = V2 + "/call-flip-numbers"
    st, h, b = sim.get(F)
    assert st == 200 and h["X-Rate-Limit-Group"] == "light"
    recs = json.loads(b)["records"]
    assert [(r["type"], r["flipNumber"]) for r in recs] == [("PhoneLine", "1"), ("External", "2"), ("External", "3")]
    # PUT replaces the list; the extension's own line stays even when left out
    put = [dict(recs[1], flipNumber="4"), {"phoneNumber": "650 555 0199", "label": "Cabin", "flipNumber": "5"}]
    st, h, b = sim.call("PUT", F, {"records": put})
    assert st == 200 and h["X-Rate-Limit-Group"] == "medium", b
    out = json.loads(b)["records"]
    assert [(r["phoneNumber"], r.get("flipNumber")) for r in out] == [
        (recs[1]["phoneNumber"], "4"), ("+16505550199", "5"), (recs[0]["phoneNumber"], "1")]
    assert out[1]["type"] == "External" and out[1]["id"] not in [r["id"] for r in recs]
    assert sim.get_json(F)[2]["records"] == out
    _err(sim.call("PUT", F, {"records": [{"phoneNumber": "+16505550199", "flipNumber": "9"}]}), 400, "CMN-101")
    _err(sim.call("PUT", F, {"records": [{"phoneNumber": "+16505550199", "flipNumber": "2"},
                                         {"phoneNumber": "+16505550198", "flipNumber": "2"}]}), 400, "CMN-101")
    _err(sim.call("PUT", F, {"records": [{"id": "1", "phoneNumber": "+16505550199"}]}), 400, "CMN-102")
    _err(sim.call("PUT", F, {"records": [dict(recs[0], phoneNumber="+16505550198")]}), 400, "CMN-101")
    _err(sim.call("PUT", F, {}), 400, "CMN-101")


def test_greetings_on_upgraded_rules(sim):
    sim.config(new_call_handling=True, limits={"Heavy": 1000})

    def greet(meta):
        ct, body = multipart([("json", "request.json", "application/json", json.dumps(meta)),
                              ("binary", "hello.wav", "audio/wav", WAV)])
        return sim.call("POST", EXT + "/greeting", body=body, content_type=ct)
    st, _, b = greet({"type": "Introductory", "stateId": "work-hours"})
    assert st == 200, b
    g = json.loads(b)
    act = sim.get_json(CH + "/voice/state-rules/work-hours")[2]["dispatching"]["actions"][0]
    assert act == {"type": "PlayWelcomePromptAction", "enabled": True,
                   "greeting": {"effectiveGreetingType": "Custom", "preset": {"id": "66301"},
                                "custom": {"id": g["id"]}}}
    rid = sim.get_json(CH + "/voice/interaction-rules")[2]["records"][0]["id"]
    st, _, b = greet({"type": "Voicemail", "interactionRuleId": rid})
    assert st == 200, b
    vm = sim.get_json(CH + "/voice/interaction-rules/" + rid)[2]["dispatching"]["actions"][-1]
    assert vm["targets"][0]["greeting"]["custom"] == {"id": json.loads(b)["id"]}
    _err(greet({"type": "Introductory", "stateId": "agent"}), 400, "CMN-102")
    _err(greet({"type": "Introductory", "interactionRuleId": "42"}), 400, "CMN-102")
    _err(greet({"type": "Introductory", "answeringRule": {"id": "business-hours-rule"}}), 400, "CMN-102")


def test_team_messaging_chats_and_posts(sim):
    """Today's /team-messaging/v1: chats oldest first (TMChatInfo, members as [{id}], fields
    a type lacks left out), pageToken paging, posts as Glip's, PATCH edits one's own post,
    teams add/remove members (204); team_messaging=false plays an old server (404 CMN-120)."""
    tm = "/team-messaging/v1"
    st, h, j = sim.get_json(tm + "/chats?recordCount=2")
    assert st == 200 and h["X-Rate-Limit-Group"] == "medium"
    assert set(j) == {"records", "navigation"} and len(j["records"]) == 2
    assert j["navigation"]["nextPageToken"] and j["navigation"]["prevPageToken"] is None
    st, _, rest = sim.get_json(tm + "/chats?recordCount=250&pageToken=" + j["navigation"]["nextPageToken"])
    chats = j["records"] + rest["records"]
    assert [c["creationTime"] for c in chats] == sorted(c["creationTime"] for c in chats)
    assert rest["navigation"]["nextPageToken"] is None
    by_id = {c["id"]: c for c in chats}
    team = by_id["118219087878"]
    assert team["type"] == "Team" and team["name"] == "Support Escalations"
    assert team["public"] is False and team["status"] == "Active"
    assert {"id": "400131173008"} in team["members"]
    direct = by_id["118219071494"]
    assert direct["type"] == "Direct" and "name" not in direct and "public" not in direct
    st, _, j = sim.get_json(tm + "/chats?type=Direct")
    assert [c["id"] for c in j["records"]] == ["118219071494"]
    st, h, one = sim.get_json(tm + "/chats/118219087878")
    assert st == 200 and h["X-Rate-Limit-Group"] == "light" and one == team
    # posts: Glip's shapes, newest first; a post, then an edit by PATCH
    st, _, posts = sim.get_json(tm + "/chats/118219087878/posts?recordCount=3")
    assert len(posts["records"]) == 3 and posts["navigation"]["nextPageToken"]
    st, _, p = sim.call("POST", tm + "/chats/118219087878/posts", {"text": "hello"})
    p = json.loads(p)
    assert st == 200 and p["text"] == "hello" and p["groupId"] == "118219087878"
    url = tm + "/chats/118219087878/posts/" + p["id"]
    st, _, body = sim.call("PATCH", url, {"text": "hello again"})
    assert st == 200 and json.loads(body)["text"] == "hello again"
    assert sim.get_json(url)[2]["text"] == "hello again"
    other = posts["records"][0]
    if other["creatorId"] != "400131173008":
        st, _, body = sim.call("PATCH", tm + "/chats/118219087878/posts/" + other["id"], {"text": "x"})
        assert st == 403
    st, _, body = sim.call("PATCH", url, {"text": " "})
    assert st == 400
    # the old API sees the same post
    st, _, old = sim.get_json("/restapi/v1.0/glip/groups/118219087878/posts?recordCount=1")
    assert old["records"][0]["text"] == "hello again"
    # members: add, remove (204, no body)
    st, _, body = sim.call("POST", tm + "/teams/118219087878/add", {"members": [{"id": "400131174008"}]})
    assert st == 204 and body == b""
    assert {"id": "400131174008"} in sim.get_json(tm + "/chats/118219087878")[2]["members"]
    st, _, _ = sim.call("POST", tm + "/teams/118219087878/remove", {"members": [{"id": "400131174008"}]})
    assert st == 204
    assert {"id": "400131174008"} not in sim.get_json(tm + "/chats/118219087878")[2]["members"]
    st, _, _ = sim.call("POST", tm + "/teams/118219071494/add", {"members": [{"id": "400131174008"}]})
    assert st == 404
    # a team, a conversation
    st, _, t = sim.call("POST", tm + "/teams", {"name": "Picnic", "public": True,
                                                  "members": [{"id": "400131174008"}]})
    t = json.loads(t)
    assert st == 201 and t["name"] == "Picnic" and t["public"] is True and "members" not in t
    st, _, conv = sim.call("POST", tm + "/conversations", {"members": [{"id": "400131174008"}]})
    assert st in (200, 201) and json.loads(conv)["id"] == "118219071494"
    # a file: its contentUri needs the bearer token
    st, _, f = sim.call("POST", tm + "/files?groupId=118219087878&name=a.txt", body=b"abc",
                        content_type="text/plain")
    f = json.loads(f)
    assert st == 200 and "/team-messaging/v1/files/" in f["contentUri"]
    assert request("GET", f["contentUri"])[0] == 401
    st, _, got = sim.get(f["contentUri"])
    assert st == 200 and got == b"abc"
    # persons, companies, webhooks under the new prefix
    assert sim.get_json(tm + "/persons/400131174008")[2]["firstName"] == "Sam"
    assert sim.get_json(tm + "/companies/~")[2]["name"] == "Demo Company"
    st, _, hooks = sim.get_json(tm + "/webhooks")
    assert st == 200 and hooks["records"]
    st, _, hooks = sim.get_json(tm + "/groups/118219063302/webhooks")
    assert st == 200 and [x["groupIds"] for x in hooks["records"]] == [["118219063302"]]
    # an old server
    sim.config(team_messaging=False)
    _err(sim.get(tm + "/chats"), 404, "CMN-120")
    _err(sim.get(tm + "/persons/400131174008"), 404, "CMN-120")
    assert sim.call("PATCH", url, {"text": "x"})[0] == 404
    assert sim.get("/restapi/v1.0/glip/groups")[0] == 200
    sim.reset()
    assert sim.get(tm + "/chats")[0] == 200


def test_rcvideo_bridge_and_meeting_history(sim):
    """Today's RingCentral Video, read side: the default (PMI) bridge, a bridge by id, the
    meeting history ({meetings, paging} with page tokens, newest first); rcvideo=false plays
    a server without it (404 CMN-120)."""
    st, h, b = sim.get_json("/rcvideo/v2/account/~/extension/~/bridges/default")
    assert st == 200 and h["X-Rate-Limit-Group"] == "medium"
    assert b["type"] == "PMI" and b["host"]["extensionId"] == "400131173008"
    assert b["discovery"]["web"].startswith("https://v.ringcentral.com/join/")
    assert sim.get_json("/rcvideo/v2/bridges/" + b["id"])[2] == b
    _err(sim.get("/rcvideo/v2/bridges/nope"), 404, "CMN-102")
    st, _, page = sim.get_json("/rcvideo/v1/history/meetings?perPage=2")
    assert st == 200 and set(page) == {"meetings", "paging"}
    assert len(page["meetings"]) == 2 and page["paging"]["nextPageToken"]
    st, _, rest = sim.get_json("/rcvideo/v1/history/meetings?perPage=2&pageToken="
                               + page["paging"]["nextPageToken"])
    every = page["meetings"] + rest["meetings"]
    assert len(every) == 3 and "nextPageToken" not in rest["paging"]
    assert [m["startTime"] for m in every] == sorted((m["startTime"] for m in every), reverse=True)
    assert all(m["bridgeId"] == b["id"] and m["status"] == "Done" for m in every)
    _err(sim.get("/rcvideo/v1/history/meetings?pageToken=zz"), 400, "CMN-101")
    sim.config(rcvideo=False)
    _err(sim.get("/rcvideo/v1/history/meetings"), 404, "CMN-120")
    _err(sim.get("/rcvideo/v2/account/~/extension/~/bridges/default"), 404, "CMN-120")
    sim.reset()
    assert sim.get("/rcvideo/v1/history/meetings")[0] == 200


def test_retired_old_calls(sim):
    """/_sim/config retired=[…] plays today's service, where old calls are gone: each
    answers as a path the server does not know (404 CMN-120, the same body, no rate
    headers, whatever the method); today's calls and the deprecated ones not named
    still answer. Logged with their operation and "retired": true."""
    a = "/restapi/v1.0/account/~"
    old = [("GET", EXT + "/meeting"), ("GET", EXT + "/meeting/1489500211"),
           ("GET", EXT + "/meeting/service-info"), ("POST", EXT + "/meeting"),
           ("GET", EXT + "/blocked-number"), ("POST", EXT + "/blocked-number"),
           ("GET", a + "/directory/contacts"), ("GET", a + "/directory/contacts/400131175008")]
    new = [EXT + "/caller-blocking/phone-numbers", a + "/directory/entries",
           "/rcvideo/v1/history/meetings", "/team-messaging/v1/chats"]
    deprecated = [EXT + "/ringout/1", "/restapi/v1.0/glip/groups"]
    for method, path in old:
        st, _, _ = sim.call(method, path, {}) if method != "GET" else sim.get(path)
        assert st in (200, 201, 400), (method, path, st)
    unknown = sim.get("/restapi/v1.0/nothing/here")
    sim.config(**TODAY)
    before = len(sim.requests())
    for method, path in old:
        resp = sim.call(method, path, {}) if method != "GET" else sim.get(path)
        body = _err(resp, 404, "CMN-120")
        assert body == json.loads(unknown[2]), (method, path)
        assert not any(k.startswith("X-Rate-Limit") for k in resp[1]), (method, path)
    # another method: no 405 with Allow, since the path itself is gone
    st, h, b = request("DELETE", sim.url + EXT + "/meeting")
    assert st == 404 and "Allow" not in h and json.loads(b)["errorCode"] == "CMN-120"
    log = sim.requests()[before:-1]
    assert [r["operation"] for r in log] == [
        "listMeetings", "loadMeeting", "loadMeetingServiceInfo", "createMeeting",
        "listBlockedNumbers", "blockNumber", "listDirectoryContacts", "loadDirectoryContact"]
    assert all(r["retired"] and r["status"] == 404 for r in log)
    for path in new:
        assert sim.get(path)[0] == 200, path
    st, _, b = sim.get(deprecated[0])
    assert st == 404 and json.loads(b)["errorCode"] == "CMN-102"  # known path, no such call
    assert sim.get(deprecated[1])[0] == 200
    # Glip and ringout go only when named; the list replaces the one before
    sim.config(retired=["glip", "ringout"])
    for path in deprecated:
        _err(sim.get(path), 404, "CMN-120")
    _err(sim.call("POST", "/restapi/v1.0/glip/files?name=a.txt", body=b"x",
                  content_type="text/plain"), 404, "CMN-120")
    assert sim.get(EXT + "/meeting")[0] == 200
    _err(sim.get(EXT + "/ring-out/1"), 404, "CMN-102")  # today's spelling: only no such call
    # a bad value is refused; a reset brings every old call back
    for bad in ("meeting", ["meetings"], [1]):
        with pytest.raises(RuntimeError):
            sim.config(retired=bad)
    sim.reset()
    for path in deprecated[1:] + [EXT + "/meeting", a + "/directory/contacts"]:
        assert sim.get(path)[0] == 200, path
