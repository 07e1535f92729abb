"""Meetings: listed, created, changed, ended and deleted; the service info; left out where
the server no longer has the old meetings API (today's service); RingCentral
Video's bridge and meeting history in video/ (the old list where /rcvideo is missing)."""
import json
import os
import time

import pytest

from helpers import api, mark, ops, write


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


def test_video_bridge_and_meeting_history(sim, mnt):
    """video/: the default bridge and the meeting history from /rcvideo, read only, one
    request each; no call to the old meetings API."""
    v = mnt.ext("video")
    os.listdir(mnt.ext())
    before = mark(sim)
    assert sorted(os.listdir(v)) == ["bridge.json", "meetings"]
    bridge = json.loads((v / "bridge.json").read_text())
    assert ops(sim, before) == ["getDefaultBridge"]  # its size needed it: read once
    assert bridge["type"] == "PMI" and bridge["discovery"]["web"].startswith("https://")
    before = mark(sim)
    names = sorted(os.listdir(v / "meetings"))
    assert ops(sim, before) == ["listVideoMeetings"]  # 100 a page: one request
    history = api(sim, "/rcvideo/v1/history/meetings")["meetings"]
    assert len(names) == len(history) == 3
    recs = [json.loads((v / "meetings" / n).read_text()) for n in names]
    assert sorted(r["id"] for r in recs) == sorted(m["id"] for m in history)
    first = recs[0]
    assert names[0].startswith(first["startTime"][:10])
    assert os.stat(v / "meetings" / names[0]).st_mtime == \
        time.mktime(time.strptime(first["startTime"][:19], "%Y-%m-%dT%H:%M:%S")) - time.timezone
    try:
        open(v / "meetings" / names[0], "w").close()
        raise AssertionError("a meeting of the history was writable")
    except PermissionError:
        pass
    assert not {"listMeetings", "loadMeeting"} & set(ops(sim))
    assert names[-1].endswith("_Weekly sales sync.json"), names


def test_video_falls_back_to_the_old_meetings_list(sim, mounter):
    """A server without /rcvideo: one 404, then …/meeting (read only here), not asked again;
    no bridge.json."""
    mnt = mounter(options=["cache_timeout=1"])
    sim.config(rcvideo=False)
    v = mnt.ext("video")
    os.listdir(mnt.ext())
    before = mark(sim)
    names = sorted(os.listdir(v / "meetings"))
    assert [(r["operation"], r["status"]) for r in sim.requests()[before:]] == \
        [("listVideoMeetings", 404), ("listMeetings", 200)]
    old = api(sim, "/restapi/v1.0/account/~/extension/~/meeting")["records"]
    assert names == sorted(m["id"] + ".json" for m in old)
    assert json.loads((v / "meetings" / names[0]).read_text())["topic"]
    time.sleep(1.5)  # past cache_timeout
    before = mark(sim)
    assert sorted(os.listdir(v)) == ["meetings"]
    os.listdir(v / "meetings")
    assert ops(sim, before) == ["listMeetings"]


def test_meetings_listed_where_the_old_api_answers(sim, mnt):
    """A server with the seed's meetings API: meetings/ and meetings-service-info.json are
    shown; the one question about it (listing extensions/) is the document's own load."""
    before = mark(sim)
    names = os.listdir(mnt.ext())
    assert {"meetings", "meetings-service-info.json", "video"} <= set(names)
    assert ops(sim, before).count("loadMeetingServiceInfo") == 1
    assert json.loads(mnt.ext("meetings-service-info.json").read_text())["dialInNumbers"]
    assert os.listdir(mnt.ext("meetings"))
    assert ops(sim, before).count("loadMeetingServiceInfo") == 1


def test_meetings_hidden_where_the_old_api_is_gone(sim, mounter):
    """Today's service has retired …/meeting: listing extensions/ asks once (404), and no
    extension folder shows meetings/ or meetings-service-info.json for the rest of the
    mount; video/ (RingCentral Video) works as before."""
    sim.config(retired=["meeting"])
    mnt = mounter(options=["cache_timeout=1"])
    before = mark(sim)
    names = os.listdir(mnt.ext())
    assert "video" in names and not {"meetings", "meetings-service-info.json"} & set(names)
    assert [(r["operation"], r["status"]) for r in sim.requests()[before:] if r.get("retired")] \
        == [("loadMeetingServiceInfo", 404)]
    for name in ("meetings", "meetings-service-info.json"):
        with pytest.raises(FileNotFoundError):
            os.stat(mnt.ext(name))
    assert len(os.listdir(mnt.ext("video", "meetings"))) == 3
    assert json.loads(mnt.ext("video", "bridge.json").read_text())["type"] == "PMI"
    other = os.listdir(mnt.acct("extensions", "400131174008"))
    assert "extension.json" in other and "meetings" not in other
    time.sleep(1.5)  # past cache_timeout: listed again, not asked again
    assert "meetings" not in os.listdir(mnt.ext())
    assert not [r for r in sim.requests()[before:] if r.get("retired")][1:]


def test_meetings_retired_during_the_mount_go_from_the_listing(sim, mounter):
    """…/meeting gone after the folder showed meetings/: its listing fails once (ENOENT),
    and the extension's folder shows it no more."""
    mnt = mounter(options=["cache_timeout=1"])
    assert "meetings" in os.listdir(mnt.ext())
    sim.config(retired=["meeting"])
    time.sleep(1.5)  # past cache_timeout
    with pytest.raises(FileNotFoundError):
        os.listdir(mnt.ext("meetings"))
    names = os.listdir(mnt.ext())
    assert "video" in names and not {"meetings", "meetings-service-info.json"} & set(names)
