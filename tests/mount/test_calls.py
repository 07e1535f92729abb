"""Calls: the call log by day, call recordings, and RingOut in both of the
API's spellings.
"""
import csv
import errno
import io
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
    days = sorted(n for n in os.listdir(logdir) if n != "calls.csv")
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


CSV_HEADER = ["id", "startTime", "duration", "direction", "type", "action", "result", "from",
              "fromName", "to", "toName", "recordingId", "sessionId"]


def csv_row(call):
    def number(party):
        return party.get("phoneNumber") or party.get("extensionNumber") or ""
    return [call["id"], call["startTime"], str(call["duration"]), call["direction"], call["type"],
            call["action"], call["result"], number(call["from"]), call["from"].get("name", ""),
            number(call["to"]), call["to"].get("name", ""),
            call.get("recording", {}).get("id", ""), call["sessionId"]]


def test_call_log_as_csv(sim, mnt):
    calls = records(sim, f"/restapi/v1.0/account/~/extension/~/call-log?view=Detailed"
                         f"&dateFrom={FAR_PAST}&perPage=1000")
    logdir = mnt.ext("call-log")
    os.listdir(mnt.ext())  # the path resolved first
    before = mark(sim)
    names = os.listdir(logdir)
    listing = ops(sim, before)
    path = logdir / "calls.csv"
    assert "calls.csv" in names
    st = os.stat(path)
    data = path.read_bytes()
    assert ops(sim, before) == listing  # the folder's listing made it: no request of its own
    assert st.st_size == len(data)  # exact before it is read
    assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
    rows = list(csv.reader(io.StringIO(data.decode(), newline="")))
    assert rows[0] == CSV_HEADER
    assert rows[1:] == [csv_row(c) for c in calls]  # one row per call, the API's order
    assert st.st_mtime == max(iso_time(c["startTime"]) for c in calls)
    # the account's call log too, a field holding a comma, quotes and spaces: RFC 4180 quoting
    sim.fault("mangle", path=r"/account/[^/]+/call-log$", count=1,
              find_hex=[b'"result" : "'.hex()], replace_hex=[b'"result" : "a, \\"b\\" ,'.hex()])
    acct = mnt.acct("call-log", "calls.csv").read_bytes()
    quoted = [r for r in csv.reader(io.StringIO(acct.decode(), newline="")) if r[6].startswith("a, ")]
    assert quoted and all(r[6].startswith('a, "b" ,') for r in quoted)
    assert b'"a, ""b"" ,' in acct


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
