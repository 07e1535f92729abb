"""Settings: documents written in part and read back (presence, business
hours, favorites), malformed JSON and the server's refusals failing close;
answering rules (the extension's and the company's); the number collections
(forwarding, caller blocking, blocked numbers).
"""
import errno
import json
import os
import time

import pytest

from helpers import EXT, body_of, close_error, mark, ops, records, sent, write


# ---- documents -----------------------------------------------------------------------

def test_presence_partial_write_and_read_back(sim, mnt):
    path = mnt.ext("presence.json")
    old = json.loads(path.read_text())
    before = mark(sim)
    write(path, '{"userStatus": "Busy", "message": "in a meeting"}\n')
    puts = sent(sim, before)
    assert [(r["method"], r["operation"]) for r in puts] == [("PUT", "updatePresenceStatus")]
    assert body_of(puts[0]) == {"userStatus": "Busy", "message": "in a meeting"}
    now = json.loads(path.read_text())
    assert now["userStatus"] == "Busy"
    assert now["dndStatus"] == old["dndStatus"]  # what the write did not name is unchanged
    assert os.stat(path).st_size == len(path.read_bytes())


def test_malformed_json_fails_close_and_sends_nothing(sim, mnt):
    path = mnt.ext("business-hours.json")
    old = path.read_bytes()
    before = mark(sim)
    assert close_error(path, '{"schedule": ') == errno.EINVAL
    assert close_error(path, '[1, 2]') == errno.EINVAL
    assert sent(sim, before) == []
    err = os.getxattr(path, "user.ringfs.error").decode()
    assert "JSON" in err
    assert path.read_bytes() == old


def test_server_rejection_fails_close_with_its_code(sim, mnt):
    path = mnt.ext("presence.json")
    before = mark(sim)
    assert close_error(path, '{"userStatus": "Sleeping"}') == errno.EINVAL
    assert len(sent(sim, before)) == 1
    assert "CMN-" in os.getxattr(path, "user.ringfs.error").decode()


def test_settings_writes_not_covered_elsewhere(sim, mnt):
    before = mark(sim)
    write(mnt.ext("business-hours.json"), json.dumps(
        {"schedule": {"weeklyRanges": {"monday": [{"from": "08:00", "to": "17:00"}]}}}))
    write(mnt.acct("business-hours.json"), json.dumps(
        {"schedule": {"weeklyRanges": {"friday": [{"from": "10:00", "to": "16:00"}]}}}))
    fav = json.loads(mnt.ext("favorites.json").read_text())
    write(mnt.ext("favorites.json"), json.dumps({"records": fav["records"][:1]}))
    assert ops(sim, before, "PUT") == ["updateUserBusinessHours", "updateCompanyBusinessHours",
                                       "updateFavoriteContacts"]
    hours = json.loads(mnt.ext("business-hours.json").read_text())
    assert hours["schedule"]["weeklyRanges"]["monday"] == [{"from": "08:00", "to": "17:00"}]
    # company answering rules: create, then edit
    rdir = mnt.acct("answering-rules")
    old = set(os.listdir(rdir))
    before = mark(sim)
    write(rdir / "new.json", json.dumps({"name": "Holiday", "enabled": True,
                                         "callHandlingAction": "Operator",
                                         "schedule": {"ranges": [{"from": "2026-12-24T00:00:00",
                                                                  "to": "2026-12-26T00:00:00"}]}}))
    assert ops(sim, before, "POST") == ["createCompanyAnsweringRuleInfo"]
    new = (set(os.listdir(rdir)) - old).pop()
    before = mark(sim)
    write(rdir / new, json.dumps({"name": "Christmas"}))
    assert ops(sim, before, "PUT") == ["updateCompanyAnsweringRuleInfo"]
    assert json.loads((rdir / new).read_text())["name"] == "Christmas"


# ---- answering rules -----------------------------------------------------------------

def test_answering_rules(sim, mnt):
    for path, api in [(mnt.ext("answering-rules"), "/restapi/v1.0/account/~/extension/~/answering-rule"),
                      (mnt.acct("answering-rules"), "/restapi/v1.0/account/~/answering-rule")]:
        rules = records(sim, api + "?perPage=1000")
        names = sorted(os.listdir(path))
        assert names == sorted(f"{r['id']}.json" for r in rules)
        for r in rules:
            full = json.loads(sim.get(f"{api}/{r['id']}")[2])
            assert json.loads((path / f"{r['id']}.json").read_text()) == full


def test_answering_rule_create_update_delete(sim, mnt):
    rdir = mnt.ext("answering-rules")
    before = mark(sim)
    write(rdir / "my-rule.json", json.dumps({"type": "Custom", "name": "Nights",
                                             "callers": [{"callerId": "+16505550199"}]}))
    assert [r["operation"] for r in sent(sim, before)] == ["createAnsweringRuleInfo"]
    new = [n for n in os.listdir(rdir) if n not in ("business-hours-rule.json",
                                                     "after-hours-rule.json")]
    rules = {n: json.loads((rdir / n).read_text()) for n in new}
    mine = [n for n, r in rules.items() if r.get("name") == "Nights"]
    assert len(mine) == 1
    before = mark(sim)
    write(rdir / mine[0], json.dumps({"name": "Late nights"}))
    assert [r["operation"] for r in sent(sim, before)] == ["updateAnsweringRuleInfo"]
    assert json.loads((rdir / mine[0]).read_text())["name"] == "Late nights"
    before = mark(sim)
    os.unlink(rdir / mine[0])
    assert [r["operation"] for r in sent(sim, before)] == ["deleteAnsweringRule"]
    assert mine[0] not in os.listdir(rdir)


# ---- number collections --------------------------------------------------------------

@pytest.mark.parametrize("folder,body,ops", [
    ("forwarding-numbers", {"phoneNumber": "+16502096935", "label": "Gym", "type": "Other"},
     ("createExtensionForwardingNumber", "updateExtensionForwardingNumber",
      "deleteExtensionForwardingNumber")),
    ("caller-blocking-numbers", {"phoneNumber": "+16503456787", "label": "Spam", "status": "Blocked"},
     ("createBlockedAllowedPhoneNumberLists", "updateBlockedAllowedPhoneNumber",
      "deleteBlockedAllowedPhoneNumber")),
    ("blocked-numbers", {"phoneNumber": "+16503456789", "label": "Robocall"},
     ("createBlockedAllowedPhoneNumberLists", "updateBlockedAllowedPhoneNumber",
      "deleteBlockedAllowedPhoneNumber")),
    ("old:blocked-numbers", {"phoneNumber": "+16503456788", "name": "Robocall"},
     ("blockNumber", "updateBlockedNumber", "unblockNumber")),
])
def test_number_collections(sim, mnt, folder, body, ops):
    if folder.startswith("old:"):  # a server without caller-blocking/phone-numbers
        sim.config(caller_blocking_numbers=False)
        folder = folder[4:]
    d = mnt.ext(folder)
    old = set(os.listdir(d))
    before = mark(sim)
    write(d / "new.json", json.dumps(body))
    assert [r["operation"] for r in sent(sim, before)] == [ops[0]]
    new = set(os.listdir(d)) - old
    assert len(new) == 1 and "new.json" not in new
    path = d / new.pop()
    rec = json.loads(path.read_text())
    key = "label" if "label" in body else "name"
    rec[key] = "Renamed"
    before = mark(sim)
    write(path, json.dumps(rec, indent=2))
    assert [r["operation"] for r in sent(sim, before)] == [ops[1]]
    assert json.loads(path.read_text())[key] == "Renamed"
    before = mark(sim)
    os.unlink(path)
    assert [r["operation"] for r in sent(sim, before)] == [ops[2]]
    assert set(os.listdir(d)) == old


def test_blocked_numbers_from_caller_blocking_with_fallback(sim, mounter):
    """blocked-numbers/ lists caller-blocking/phone-numbers?status=Blocked (one request; the
    allowed ones stay in caller-blocking-numbers/ only); a new file blocks a number, an old
    "name" sent as "label"; an old server: one 404, then blocked-number, not asked again."""
    mnt = mounter(options=["cache_timeout=1"])
    d = mnt.ext("blocked-numbers")
    before = mark(sim)
    names = sorted(os.listdir(d))
    # (resolving extensions/~ lists extensions/, which asks loadMeetingServiceInfo once)
    calls = [r for r in sim.requests()[before:] if r["operation"] not in
             ("listExtensions", "loadMeetingServiceInfo", "readExtension",
              "listBlockedAllowedPhoneNumber")]
    assert [(r["operation"], "status=Blocked" in r["query"]) for r in calls] == \
        [("listBlockedAllowedPhoneNumberLists", True)]
    every = records(sim, EXT + "/caller-blocking/phone-numbers")
    assert names == sorted(r["id"] + ".json" for r in every if r["status"] == "Blocked")
    assert len(names) < len(every)
    one = json.loads((d / names[0]).read_text())
    assert one["status"] == "Blocked" and "/caller-blocking/phone-numbers/" in one["uri"]
    before = mark(sim)
    write(d / "new.json", json.dumps({"phoneNumber": "+16503450000", "name": "Old style"}))
    made = sent(sim, before)
    assert [r["operation"] for r in made] == ["createBlockedAllowedPhoneNumberLists"]
    assert body_of(made[0]) == {"phoneNumber": "+16503450000", "label": "Old style",
                                "status": "Blocked"}
    # an old server (another mount): the fallback, remembered
    sim.config(caller_blocking_numbers=False)
    old = mounter(options=["cache_timeout=1"])
    d = old.ext("blocked-numbers")
    before = mark(sim)
    names = os.listdir(d)
    assert [(r["operation"], r["status"]) for r in sim.requests()[before:]
            if r["operation"].startswith("list") and r["operation"] != "listExtensions"] == \
        [("listBlockedAllowedPhoneNumberLists", 404), ("listBlockedNumbers", 200)]
    assert names and json.loads((d / names[0]).read_text())["uri"].split("/")[-2] == "blocked-number"
    time.sleep(1.5)  # past cache_timeout: listed again, from blocked-number only
    before = mark(sim)
    os.listdir(d)
    assert [op for op in ops(sim, before) if op.startswith("list")] == ["listBlockedNumbers"]


def test_a_document_shown_in_two_folders_is_asked_once(sim, mnt):
    # a blocked number is one of the caller-blocking numbers too: its record's GET
    # serves both files within cache_timeout
    blocked, everyone = mnt.ext("blocked-numbers"), mnt.ext("caller-blocking-numbers")
    before = mark(sim)
    both = {n: ((blocked / n).read_bytes(), (everyone / n).read_bytes())
            for n in os.listdir(blocked) if n in os.listdir(everyone)}
    assert both and all(a == b for a, b in both.values())
    gets = [(r["path"], r.get("query")) for r in sim.requests()[before:]
            if r["method"] == "GET" and r["path"].endswith(tuple(n[:-5] for n in both))]
    assert len(gets) == len(set(gets)) == len(both)
