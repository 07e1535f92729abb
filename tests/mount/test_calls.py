"""Calls: the call log by day, call recordings, and RingOut in both of the
API's spellings.
"""
import errno
import json
import os
import re
import subprocess

import pytest

import simctl
from helpers import FAR_PAST, iso_time, mark, media_bytes, ops, records, write


def test_call_log_by_day(sim, mnt):
    calls = records(sim, f"/restapi/v1.0/account/~/extension/~/call-log?view=Detailed"
                         f"&dateFrom={FAR_PAST}&perPage=1000")
    logdir = mnt.ext("call-log")
    days = sorted(os.listdir(logdir))
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d", d) for d in days)
    seen = {}
    for day in days:
        for name in os.listdir(logdir / day):
            assert name.startswith(day.replace("-", "-") + "_") and name.endswith(".json")
            rec = json.loads((logdir / day / name).read_text())
            seen[rec["id"]] = rec
            assert rec == {c["id"]: c for c in calls}[rec["id"]]
            assert os.stat(logdir / day / name).st_mtime == iso_time(rec["startTime"])
    assert set(seen) == {c["id"] for c in calls}
    # months of history, not the API's default 24 hours
    span = (iso_time(max(c["startTime"] for c in calls)) -
            iso_time(min(c["startTime"] for c in calls))) / 86400
    assert span > 30 and len(days) > 10


def test_recordings(sim, mnt):
    calls = records(sim, f"/restapi/v1.0/account/~/call-log?view=Simple&recordingType=All"
                         f"&dateFrom={FAR_PAST}&perPage=1000")
    with_rec = [c for c in calls if "recording" in c]
    recdir = mnt.acct("recordings")
    names = os.listdir(recdir)
    audio = sorted(n for n in names if not n.endswith(".json"))
    assert len(audio) == len(with_rec) > 0
    by_id = {c["recording"]["id"]: c for c in with_rec}
    name = audio[0]
    rec_id = re.search(r"_([^_]+)\.\w+$", name).group(1)
    data = (recdir / name).read_bytes()
    assert data == media_bytes(sim, by_id[rec_id]["recording"]["contentUri"])
    out = subprocess.run(["file", "-b", str(recdir / name)], capture_output=True, text=True).stdout
    assert "audio" in out.lower() or "wave" in out.lower(), out


def test_standard_user_sees_own_recordings(sim, mounter):
    """A user without the company call log (demo-user.env: extension 102) lists
    their recordings from their own call log; the account's folder, which
    needs ReadCompanyCallLog, is refused once and then left out."""
    me = [e for e in sim.demo()["extensions"] if e["extensionNumber"] == "102"][0]
    mine = f"/restapi/v1.0/account/~/extension/{me['id']}/call-log"
    calls = records(sim, f"{mine}?view=Simple&recordingType=All&dateFrom={FAR_PAST}&perPage=1000")
    by_id = {c["recording"]["id"]: c for c in calls}
    assert by_id
    m = mounter(env={"RC_USER_JWT": simctl.DEMO_USER["RC_USER_JWT"]})
    assert os.readlink(m.ext()) == str(me["id"])
    start = mark(sim)
    recdir = m.ext("recordings")
    names = os.listdir(recdir)
    audio = sorted(n for n in names if not n.endswith(".json"))
    ids = {re.search(r"_([^_]+)\.\w+$", n).group(1) for n in audio}
    assert ids == set(by_id)
    assert {n[:-5] for n in names if n.endswith(".json")} == {n.rsplit(".", 1)[0] for n in audio}
    log = sim.requests()[start:]
    assert [r["operation"] for r in log] == ["loadExtensionCallLog"]
    assert f"/extension/{me['id']}/call-log" in log[0]["path"]
    assert "recordingType=All" in log[0]["query"] and log[0]["status"] == 200
    for name in audio[:2]:
        rec_id = re.search(r"_([^_]+)\.\w+$", name).group(1)
        data = (recdir / name).read_bytes()
        assert data == media_bytes(sim, by_id[rec_id]["recording"]["contentUri"])
    # the account's recordings: one 403, a clean EACCES, then not listed nor asked again
    start = mark(sim)
    with pytest.raises(PermissionError):
        os.listdir(m.acct("recordings"))
    log = sim.requests()[start:]
    assert [(r["operation"], r["status"]) for r in log] == [("loadAccountCallLog", 403)]
    assert "recordings" not in os.listdir(m.acct())
    with pytest.raises(PermissionError):
        os.listdir(m.acct("recordings"))
    err = subprocess.run(["ls", str(m.acct("recordings"))], capture_output=True, text=True)
    assert err.returncode != 0 and "Permission denied" in err.stderr
    assert ops(sim, start).count("loadAccountCallLog") == 1
    assert "recordings" in os.listdir(m.ext())


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
