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

import simctl
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
            assert name.startswith(day + "_")
            if os.path.islink(logdir / day / name):
                continue  # a call's recording (test_call_log_shows_each_calls_recording)
            assert name.endswith(".json")
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
    assert re.search(r"audio|wave|mpeg", out, re.I), out


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


def audio_kind(data):
    """What audio bytes are, by their magic: "wav", "mp3" or None."""
    if data[:4] == b"RIFF" and data[8:12] == b"WAVE":
        return "wav"
    if data[:3] == b"ID3" or (len(data) > 1 and data[0] == 0xFF and data[1] & 0xE0 == 0xE0):
        return "mp3"
    return None


def rec_id_of(name):
    return re.search(r"_([^_]+)\.\w+$", name).group(1)


def test_recording_names_follow_content_type(sim, mounter, tmp_path):
    """Recordings are MP3 or WAV and the call log does not say which: a name
    says WAV until the first download tells the type; then the folder lists
    it under the right name, and the content cache keeps the type, so a later
    mount names it right (and estimates its size by it) without a request."""
    sim.config(limits={"Heavy": 1000})
    calls = records(sim, f"/restapi/v1.0/account/~/extension/~/call-log?view=Simple"
                         f"&recordingType=All&dateFrom={FAR_PAST}&perPage=1000")
    truth = {}
    for c in calls:
        meta = json.loads(sim.get(c["recording"]["uri"])[2])
        truth[c["recording"]["id"]] = (meta["contentType"], c)
    mp3_id = next(i for i, (t, _) in truth.items() if t == "audio/mpeg")
    wav_id = next(i for i, (t, _) in truth.items() if t == "audio/wav")
    m = mounter()
    recdir = m.ext("recordings")
    assert "recordings" in os.listdir(m.ext())
    start = mark(sim)
    names = {rec_id_of(n): n for n in os.listdir(recdir) if not n.endswith(".json")}
    assert set(names) == set(truth)
    assert all(n.endswith(".wav") for n in names.values())  # nothing known yet
    assert ops(sim, start) == ["loadExtensionCallLog"]
    # the first reads: one download each, the bytes as served
    start = mark(sim)
    got = {}
    for rid in (mp3_id, wav_id):
        got[rid] = (recdir / names[rid]).read_bytes()
    assert ops(sim, start) == ["listCallRecordingData"] * 2
    for rid in (mp3_id, wav_id):
        assert got[rid] == media_bytes(sim, truth[rid][1]["recording"]["contentUri"])
    assert audio_kind(got[mp3_id]) == "mp3" and audio_kind(got[wav_id]) == "wav"
    # the folder lists again once, and the MP3 has its name; the WAV kept its own
    start = mark(sim)
    now = {rec_id_of(n): n for n in os.listdir(recdir) if not n.endswith(".json")}
    assert ops(sim, start) == ["loadExtensionCallLog"]
    assert now[mp3_id] == names[mp3_id][:-4] + ".mp3" and now[wav_id] == names[wav_id]
    assert (recdir / now[mp3_id]).read_bytes() == got[mp3_id]
    assert os.stat(recdir / now[mp3_id]).st_size == len(got[mp3_id])
    assert names[mp3_id] not in os.listdir(recdir)
    # but the old name is still found for a while: cp stats what it has just read
    assert os.stat(recdir / names[mp3_id]).st_size == len(got[mp3_id])
    assert ops(sim, start) == ["loadExtensionCallLog"]  # from the cache
    # a later mount with the same cache: named right at once, no request per recording
    later = mounter(env={"XDG_CACHE_HOME": str(m.cache)}, base=tmp_path / "later")
    assert "recordings" in os.listdir(later.ext())
    start = mark(sim)
    again = {rec_id_of(n): n for n in os.listdir(later.ext("recordings"))
             if not n.endswith(".json")}
    assert again[mp3_id] == now[mp3_id] and again[wav_id] == now[wav_id]
    assert os.getxattr(later.ext("recordings", again[mp3_id]), "user.ringfs.size") == b"exact"
    assert ops(sim, start) == ["loadExtensionCallLog"]
    for rid, name in again.items():
        data = (later.ext("recordings") / name).read_bytes() if rid in (mp3_id, wav_id) else None
        if data is not None:
            assert data == got[rid] and name.endswith("." + audio_kind(data))
    assert ops(sim, start) == ["loadExtensionCallLog"]
    # the bytes evicted, the type kept: still named right, its size estimated as MP3
    for f in (m.cache / "ringfs" / "content").rglob("*"):
        if f.is_file() and f.name != "types":
            f.unlink()
    third = mounter(env={"XDG_CACHE_HOME": str(m.cache)}, base=tmp_path / "third")
    path = third.ext("recordings", now[mp3_id])
    assert os.getxattr(path, "user.ringfs.size") == b"estimate"
    assert os.stat(path).st_size == truth[mp3_id][1]["duration"] * 4000
    assert audio_kind(path.read_bytes()) == "mp3"


def test_call_log_shows_each_calls_recording(sim, mounter, tmp_path):
    """A call that has a recording shows it next to its record: a symbolic link
    into recordings/, named as the call with the recording's extension, made
    from the call-log listing alone; its name follows the recording's when a
    download finds it is MP3, with no request; cat, cp -L and rsync -a work."""
    sim.config(limits={"Heavy": 1000})
    calls = records(sim, f"/restapi/v1.0/account/~/extension/~/call-log?view=Detailed"
                         f"&dateFrom={FAR_PAST}&perPage=1000")
    with_rec = {c["id"]: c for c in calls if "recording" in c}
    kinds = {c["recording"]["id"]: json.loads(sim.get(c["recording"]["uri"])[2])["contentType"]
             for c in with_rec.values()}
    assert with_rec and len(with_rec) < len(calls)
    m = mounter()
    logdir, recdir = m.ext("call-log"), m.ext("recordings")
    os.listdir(m.ext())  # the path resolved first
    start = mark(sim)
    links = {}  # call id -> (day, link name)
    for day in sorted(n for n in os.listdir(logdir) if n != "calls.csv"):
        names = os.listdir(logdir / day)
        for name in names:
            if name.endswith(".json"):
                continue
            stem = name.rsplit(".", 1)[0]
            assert name.endswith(".wav") and stem + ".json" in names  # nothing known yet
            assert os.path.islink(logdir / day / name)
            call = json.loads((logdir / day / (stem + ".json")).read_text())
            links[call["id"]] = (day, name)
    assert ops(sim, start) == ["loadExtensionCallLog"]  # the call-log listing, nothing more
    assert set(links) == set(with_rec)
    # each points at the recording's own name in recordings/
    listed = os.listdir(recdir)
    for cid, (day, name) in links.items():
        target = os.readlink(logdir / day / name)
        assert target.startswith("../../recordings/") and target[17:] in listed
        assert rec_id_of(target) == with_rec[cid]["recording"]["id"]
    # cat through a link: the recording's bytes, read (and cached) in recordings/
    mp3_call = next(c for c in with_rec if kinds[with_rec[c]["recording"]["id"]] == "audio/mpeg")
    wav_call = next(c for c in with_rec if kinds[with_rec[c]["recording"]["id"]] == "audio/wav")
    got = {}
    for cid in (mp3_call, wav_call):
        day, name = links[cid]
        got[cid] = subprocess.run(["cat", str(logdir / day / name)], check=True,
                                  capture_output=True).stdout
        assert got[cid] == media_bytes(sim, with_rec[cid]["recording"]["contentUri"])
    assert audio_kind(got[mp3_call]) == "mp3" and audio_kind(got[wav_call]) == "wav"
    # the MP3's link is renamed with it, at once and with no request
    start = mark(sim)
    day, old = links[mp3_call]
    names = os.listdir(logdir / day)
    new = old[:-4] + ".mp3"
    assert new in names and old not in names
    assert ops(sim, start) == []
    target = os.readlink(logdir / day / new)
    assert target.endswith(".mp3")
    assert target[17:] in os.listdir(recdir)  # the name recordings/ lists now
    assert (logdir / day / new).read_bytes() == got[mp3_call]
    assert os.readlink(logdir / day / old).endswith(".wav")  # found a while, as in recordings/
    assert links[wav_call][1] in os.listdir(logdir / links[wav_call][0])
    # cp -L copies the recordings' bytes; rsync -a keeps the links as links
    day, name = links[wav_call]
    subprocess.run(["cp", "-rL", str(logdir / day), str(tmp_path / "cp")], check=True)
    assert (tmp_path / "cp" / name).read_bytes() == got[wav_call]
    assert not (tmp_path / "cp" / name).is_symlink()
    subprocess.run(["rsync", "-a", f"{logdir}/", str(tmp_path / "rsync")], check=True)
    for cid, (day, name) in links.items():
        copied = tmp_path / "rsync" / day / name
        if cid == mp3_call:
            copied = copied.with_suffix(".mp3")
        assert copied.is_symlink() and os.readlink(copied) == os.readlink(logdir / day /
                                                                          copied.name)
    # the account's call log links into the account's recordings/ alike
    acct_log, acct_rec = m.acct("call-log"), m.acct("recordings")
    day, name = links[wav_call]
    target = os.readlink(acct_log / day / name)
    assert target.startswith("../../recordings/") and target[17:] in os.listdir(acct_rec)
    assert (acct_log / day / name).read_bytes() == got[wav_call]
    # a later mount with the same cache: the link is named MP3 from the first listing
    later = mounter(env={"XDG_CACHE_HOME": str(m.cache)}, base=tmp_path / "later")
    day, name = links[mp3_call]
    assert name[:-4] + ".mp3" in os.listdir(later.ext("call-log", day))


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


def test_a_copy_listed_before_reads_recordings_renamed_meanwhile(sim, mounter):
    """rsync and cp -r list first and read later: a recording the account's folder
    listed as .wav, whose type became known meanwhile (read through the extension's
    own folder, the same content), is still read under the name it was listed by."""
    sim.config(limits={"Heavy": 1000, "Light": 1000})
    # the kernel asks for each name again when it is opened, as after a long copy
    m = mounter(options=["entry_timeout=0.01", "attr_timeout=0.01"])
    account, mine = m.acct("recordings"), m.ext("recordings")
    listed = sorted(os.listdir(account))  # as rsync lists, before it reads
    own = sorted(n for n in os.listdir(mine) if not n.endswith(".json"))
    assert all(n.endswith((".wav", ".json")) for n in listed)
    for name in own:  # the extension's recordings: types learned, some are MP3
        (mine / name).read_bytes()
    assert any(n.endswith(".mp3") for n in os.listdir(mine))
    for name in listed:  # every name listed before is still read, in rsync's order
        data = (account / name).read_bytes()
        assert name.endswith(".json") or audio_kind(data) in ("wav", "mp3")
