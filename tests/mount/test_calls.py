"""Calls: the call log by day, call recordings, and RingOut in both of the
API's spellings.
"""
import errno
import json
import os
import re
import subprocess

import pytest

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
