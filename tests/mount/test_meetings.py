"""Meetings: listed, created, changed, ended and deleted; the service info."""
import json
import os

from helpers import mark, ops, write


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
