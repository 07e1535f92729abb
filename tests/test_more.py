"""The rest of the seed through the mount: API info, dictionaries, Glip, meetings,
subscriptions, RingOut, authorization, directory, active calls, records by id,
and the settings writes not covered elsewhere."""
import errno
import json
import os
import subprocess

import pytest

from mountfix import mnt, mounter  # noqa: F401  (fixtures)

EXT = "/restapi/v1.0/account/~/extension/~"
FAR_PAST = "2000-01-01T00:00:00.000Z"
TEAM = "118219087878"    # "Support Escalations": 101 and 103
ME, SAM = "400131173008", "400131174008"


def mark(sim):
    return len(sim.requests())


def ops(sim, since, method=None):
    return [r["operation"] for r in sim.requests()[since:]
            if method is None or r["method"] == method]


def write(path, data, mode="w"):
    with open(path, mode) as f:
        f.write(data)


def api(sim, path):
    st, _, body = sim.get(path)
    assert st == 200, body
    return json.loads(body) if body else None


def test_api_info_and_status(sim, mnt):
    before = mark(sim)
    assert json.loads((mnt.path / "api" / "versions.json").read_text())["apiVersions"]
    assert json.loads((mnt.path / "api" / "v1.0.json").read_text())["uriString"] == "v1.0"
    assert (mnt.path / "api" / "status").read_text() == "available\n"
    assert set(ops(sim, before)) == {"getAllVersions", "getApiVersion", "loadAPIStatus"}


def test_dictionaries(sim, mnt):
    d = mnt.path / "dictionary"
    covers = json.loads((d / "fax-cover-pages.json").read_text())
    assert covers["records"][0]["name"] == "None"
    names = os.listdir(d / "greetings")
    listed = api(sim, "/restapi/v1.0/dictionary/greeting?perPage=1000")["records"]
    assert len(names) == len(listed)
    gid = listed[0]["id"]
    before = mark(sim)
    assert json.loads((d / "greetings" / f"{gid}.json").read_text())["id"] == gid
    assert ops(sim, before) == ["getGreeting"]
    with pytest.raises(FileNotFoundError):
        os.stat(d / "greetings" / "999999999.json")


def test_records_by_id(sim, mnt):
    calls = api(sim, f"{EXT}/call-log?dateFrom={FAR_PAST}&perPage=1000")["records"]
    call = calls[0]
    before = mark(sim)
    rec = json.loads(mnt.ext("call-log", f"{call['id']}.json").read_text())
    assert rec["id"] == call["id"]
    msg = api(sim, f"{EXT}/message-store?messageType=Fax&dateFrom={FAR_PAST}")["records"][0]
    assert json.loads(mnt.ext("messages", "fax", f"{msg['id']}.json").read_text())["id"] == msg["id"]
    contact = api(sim, f"{EXT}/address-book/contact")["records"][0]
    assert json.loads(mnt.ext("contacts", f"{contact['id']}.json").read_text())["id"] == contact["id"]
    withrec = [c for c in api(sim, f"/restapi/v1.0/account/~/call-log?recordingType=All"
                                   f"&dateFrom={FAR_PAST}&perPage=1000")["records"]
               if "recording" in c][0]
    rid = withrec["recording"]["id"]
    assert json.loads(mnt.acct("recordings", f"{rid}.json").read_text())["id"] == rid
    singles = {"getCallRecords", "loadMessage", "loadContact", "listCallRecordings"}
    assert [o for o in ops(sim, before) if o in singles] == [
        "getCallRecords", "loadMessage", "loadContact", "listCallRecordings"]
    # seen ids stay listed; unknown ones are ENOENT
    assert f"{contact['id']}.json" in os.listdir(mnt.ext("contacts"))
    with pytest.raises(FileNotFoundError):
        os.stat(mnt.ext("contacts", "123.json"))


def test_message_sync_and_active_calls(sim, mnt):
    sync = json.loads(mnt.ext("messages", "sync.json").read_text())
    assert sync["syncInfo"]["syncType"] == "FSync"
    before = mark(sim)
    names = os.listdir(mnt.ext("active-calls"))
    assert ops(sim, before) == ["listExtensionActiveCalls"]
    assert all(n.endswith(".json") for n in names)


def test_directory(sim, mnt):
    d = mnt.acct("directory")
    names = os.listdir(d)
    people = api(sim, "/restapi/v1.0/account/~/directory/contacts")["records"]
    assert len(names) == len(people)
    before = mark(sim)
    one = json.loads((d / f"{people[0]['id']}.json").read_text())
    assert one["firstName"] == people[0]["firstName"]
    assert ops(sim, before) == ["loadDirectoryContact"]


def test_authorization(sim, mnt):
    prof = json.loads(mnt.ext("authz-profile.json").read_text())
    assert prof["permissions"]
    check = json.loads(mnt.ext("authz-check", "ReadMessages.json").read_text())
    assert check["successful"] is True
    assert "ReadMessages.json" in os.listdir(mnt.ext("authz-check"))


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


def test_ringout_both_spellings(sim, mnt):
    for folder, make, status, cancel in [
            ("ringout", "makeRingOutCallNew", "getRingOutCallStatusNew", "cancelRingOutCallNew"),
            ("ringout-legacy", "makeRingOutCall", "getRingOutCallStatus", "cancelRingOutCall")]:
        d = mnt.ext(folder)
        before = mark(sim)
        write(d / "call", "+16505550101 +14155550100\n")
        assert ops(sim, before, "POST") == [make]
        answer = json.loads((d / "call").read_text())
        assert answer["status"]["callStatus"] == "InProgress"
        st = json.loads((d / f"{answer['id']}.json").read_text())
        assert st["id"] == answer["id"]
        assert status in ops(sim, before)
        before = mark(sim)
        os.unlink(d / "call")
        assert ops(sim, before, "DELETE") == [cancel]
        assert "call" not in os.listdir(d)
        before = mark(sim)
        with pytest.raises(OSError) as e:
            write(d / "bad", "just one number")
        assert e.value.errno == errno.EINVAL
        assert ops(sim, before, "POST") == []


def test_meetings(sim, mnt):
    d = mnt.ext("meetings")
    old = set(os.listdir(d))
    assert old  # listMeetings, and loadMeeting for each
    assert json.loads(mnt.ext("meetings-service-info.json").read_text())["dialInNumbers"]
    before = mark(sim)
    write(d / "new.json", json.dumps({"topic": "Standup", "meetingType": "Scheduled",
                                      "schedule": {"startTime": "2026-12-01T16:00:00Z",
                                                   "durationInMinutes": 15}}))
    assert ops(sim, before, "POST") == ["createMeeting"]
    new = (set(os.listdir(d)) - old).pop()
    before = mark(sim)
    write(d / new, json.dumps({"topic": "Daily standup"}))
    assert ops(sim, before, "PUT") == ["updateMeeting"]
    assert json.loads((d / new).read_text())["topic"] == "Daily standup"
    before = mark(sim)
    os.setxattr(d / new, "user.ringfs.end", b"1")
    assert ops(sim, before, "POST") == ["endMeeting"]
    before = mark(sim)
    os.unlink(d / new)
    assert ops(sim, before, "DELETE") == ["deleteMeeting"]
    assert set(os.listdir(d)) == old


def test_subscriptions(sim, mnt):
    d = mnt.path / "subscriptions"
    old = set(os.listdir(d))
    before = mark(sim)
    write(d / "new.json", json.dumps({
        "eventFilters": ["/restapi/v1.0/account/~/extension/~/message-store"],
        "deliveryMode": {"transportType": "WebHook", "address": "https://example.com/hook"},
        "expiresIn": 3600}))
    assert ops(sim, before, "POST") == ["createSubscription"]
    new = (set(os.listdir(d)) - old).pop()
    sub = json.loads((d / new).read_text())
    before = mark(sim)
    write(d / new, json.dumps(dict(sub, expiresIn=7200)))
    assert ops(sim, before, "PUT") == ["updateSubscription"]
    before = mark(sim)
    os.utime(d / new)  # touch renews
    assert ops(sim, before, "POST") == ["renewSubscription"]
    before = mark(sim)
    os.unlink(d / new)
    assert ops(sim, before, "DELETE") == ["deleteSubscription"]
    assert set(os.listdir(d)) == old


def test_glip_groups_posts_and_members(sim, mnt, tmp_path):
    g = mnt.path / "glip" / "groups"
    groups = os.listdir(g)
    assert TEAM in groups
    team = g / TEAM
    assert json.loads((team / "group.json").read_text())["id"] == TEAM
    transcript = (team / "transcript.txt").read_text()
    assert transcript.count("\n") >= 5
    # posting: a line appended to the transcript, and a new .txt in posts/
    before = mark(sim)
    with open(team / "transcript.txt", "a") as f:
        f.write("Shipping today\n")
    write(team / "posts" / "note.txt", "Second thought\n")
    assert ops(sim, before, "POST") == ["createGlipGroupPost", "createGlipGroupPost"]
    assert (team / "transcript.txt").read_text().rstrip().endswith("Second thought")
    # editing the text of one's own post
    mine = [n for n in os.listdir(team / "posts") if n.endswith(".txt")
            and (team / "posts" / n).read_text() == "Shipping today"]
    assert mine
    before = mark(sim)
    write(team / "posts" / mine[0], "Shipping tomorrow")
    assert ops(sim, before, "PUT") == ["updateGlipPostText"]
    # members
    before = mark(sim)
    write(team / "members.json", json.dumps({"addedPersonIds": [SAM]}))
    assert ops(sim, before, "POST") == ["assignGlipGroupMembers"]
    assert SAM in json.loads((team / "group.json").read_text())["members"]
    # all posts, and a post made there
    assert os.listdir(mnt.path / "glip" / "posts")
    before = mark(sim)
    write(mnt.path / "glip" / "posts" / "new.json", json.dumps({"groupId": TEAM, "text": "hi all"}))
    assert ops(sim, before, "POST") == ["createPost"]
    # a file
    src = tmp_path / "notes.txt"
    src.write_text("minutes\n")
    before = mark(sim)
    subprocess.run(["cp", str(src), str(team / "files" / "notes.txt")], check=True)
    assert ops(sim, before, "POST") == ["createGlipFile"]
    assert os.listdir(team / "files") == []
    # a new team
    before = mark(sim)
    write(g / "new.json", json.dumps({"type": "Team", "name": "Launch party", "members": [{"id": SAM}]}))
    assert ops(sim, before, "POST") == ["createGlipGroup"]


def test_glip_persons_companies_and_webhooks(sim, mnt):
    glip = mnt.path / "glip"
    assert os.listdir(glip / "persons") == []
    person = json.loads((glip / "persons" / f"{SAM}.json").read_text())
    assert person["id"] == SAM and person["gender"] is None  # Glip emits nulls
    assert os.listdir(glip / "persons") == [f"{SAM}.json"]
    company = json.loads((glip / "companies" / "400131172008.json").read_text())
    assert company["name"] == "Demo Company"
    hooks = glip / "groups" / TEAM / "webhooks"
    old = set(os.listdir(hooks))
    before = mark(sim)
    (hooks / "new").touch()
    assert ops(sim, before, "POST") == ["createGlipGroupWebhook"]
    new = (set(os.listdir(hooks)) - old).pop()
    hook_id = new[:-5]
    assert new in os.listdir(glip / "webhooks")
    rec = json.loads((glip / "webhooks" / new).read_text())
    assert rec["records"][0]["status"] == "Active"
    before = mark(sim)
    os.setxattr(glip / "webhooks" / new, "user.ringfs.status", b"Suspended")
    os.setxattr(glip / "webhooks" / new, "user.ringfs.status", b"Active")
    assert ops(sim, before, "POST") == ["suspendGlipWebhook", "activateGlipWebhook"]
    before = mark(sim)
    os.unlink(glip / "webhooks" / new)
    assert ops(sim, before, "DELETE") == ["deleteGlipWebhook"]
    assert hook_id not in " ".join(os.listdir(glip / "webhooks"))
