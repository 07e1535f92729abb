"""A live account: times that stay put across remounts, live refresh from the
message store's incremental sync, the events file, files that grow under
tail -f.
"""
import json
import os
import re
import select
import signal
import stat
import subprocess
import time

from helpers import EXT, HANG, SAM, iso_time, mark, media_bytes, message, receive_mms, write

TEAM = "118219087878"    # "Support Escalations"


def _times(m):
    """st_mtime_ns of documents and folders whose time must not move on a remount (a
    folder's time is its newest entry's: known once it was listed)."""
    paths = [m.ext("extension.json"), m.ext("presence.json"), m.ext("business-hours.json"),
             m.acct("account.json"), m.path / "glip" / "groups" / TEAM / "group.json",
             m.path / "glip" / "groups" / TEAM / "transcript.txt",
             m.ext("messages", "voicemail"), m.ext("messages", "sms")]
    for p in paths:
        if p.is_dir():
            os.listdir(p)
    return {str(p.relative_to(m.path)): os.stat(p).st_mtime_ns for p in paths}


def test_mtimes_stay_put_across_a_remount(sim, mounter, tmp_path):
    base = tmp_path / "shared"
    first = mounter(base=base)
    before = _times(first)
    # a folder shows its newest entry's time; a message file its record's
    vm = first.ext("messages", "voicemail")
    newest = max(os.stat(vm / n).st_mtime_ns for n in os.listdir(vm))
    assert before["accounts/~/extensions/~/messages/voicemail"] == newest
    # a document with a lastModifiedTime carries it
    group = json.loads((first.path / "glip" / "groups" / TEAM / "group.json").read_text())
    assert before["glip/groups/%s/group.json" % TEAM] // 10**9 == \
        int(iso_time(group["lastModifiedTime"]))
    assert first.stop() == 0
    second = mounter(base=base)
    assert _times(second) == before
    # a document whose content changes gets a newer time, and keeps it on the next remount
    presence = second.ext("presence.json")
    write(presence, '{"userStatus": "Busy"}\n')
    changed = os.stat(presence).st_mtime_ns
    assert changed > before["accounts/~/extensions/~/presence.json"]
    assert second.stop() == 0
    third = mounter(base=base)
    assert os.stat(third.ext("presence.json")).st_mtime_ns >= changed
    assert os.stat(third.ext("extension.json")).st_mtime_ns == \
        before["accounts/~/extensions/~/extension.json"]


def test_rsync_after_a_remount_copies_only_what_changed(sim, mounter, tmp_path):
    """A copy made with rsync -a, then a remount: rsync finds every document as it
    was, records without a time of their own too (contacts, directory entries, the
    company's rules): it copies nothing again but what really changed."""
    sim.config(limits={"Light": 100000, "Medium": 100000, "Heavy": 100000})
    base = tmp_path / "shared"
    copy = tmp_path / "copy"
    first = mounter(base=base)
    done = subprocess.run(["rsync", "-a", f"{first.path}/", str(copy)], capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert first.stop() == 0
    second = mounter(base=base)
    again = subprocess.run(["rsync", "-ai", "--dry-run", f"{second.path}/", str(copy)],
                           capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    copied = [line.split(" ", 1)[1] for line in again.stdout.splitlines() if line.startswith(">f")]
    # what does change: a live call's duration, the sync token, a subscription's time
    # left, and recordings whose name the first download corrected (.wav to .mp3)
    moving = re.compile(r"active-calls/|messages/sync\.json$|^subscriptions/|recordings/.*\.mp3$")
    assert [p for p in copied if not moving.search(p)] == []
    kept = {str(p.relative_to(copy)) for p in copy.rglob("*") if p.is_file()}
    assert any(p.endswith(".vcf") and "/contacts/" in p for p in kept)
    assert any("/directory/" in p for p in kept)
    assert len(kept) > 100


# ---- live refresh and the events file ----------------------------------------------

class Lines:
    """A process reading a file of the mount line by line (cat, tail -f): its lines as JSON."""

    def __init__(self, cmd):
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.buf = b""

    def next(self, timeout=HANG):
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            assert left > 0, "no line from %s within %s s" % (self.proc.args, timeout)
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 65536)
                assert chunk, "%s ended: %s" % (self.proc.args, self.proc.stderr.read())
                self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return line.decode()

    def event(self, **want):
        """The next event line, skipping none but calls' lines when @want is no call (a
        voicemail is a call too, told when the call log is read): it must match @want."""
        ev = json.loads(self.next())
        while ev.get("type") == "Call" and want.get("type") != "Call":
            ev = json.loads(self.next())
        assert {k: ev.get(k) for k in want} == want, ev
        return ev

    def stop(self):
        self.proc.kill()
        self.proc.wait(timeout=HANG)


def _wait(predicate, what):
    deadline = time.monotonic() + HANG
    while not predicate():
        assert time.monotonic() < deadline, "never: " + what
        time.sleep(0.05)


def _synced(sim, since, kind):
    return any(r["operation"] == "syncMessages" and ("syncType=" + kind) in r["query"]
               for r in sim.requests()[since:])


def test_new_voicemail_shows_in_ls_and_events_without_listing(sim, mounter):
    m = mounter(options=["sync_interval=1"])
    vm = m.ext("messages", "voicemail")
    sms = m.ext("messages", "sms")
    before_names = set(os.listdir(vm))
    os.listdir(sms)
    _wait(lambda: _synced(sim, 0, "FSync"), "the first FSync")
    # found by name, not listed (whole-mount rsync, tar and grep -r never wait on it)
    assert "events" not in os.listdir(m.path)
    opened = os.stat(m.path / "events")
    assert stat.S_ISREG(opened.st_mode) and stat.S_IMODE(opened.st_mode) == 0o444
    cat = Lines(["cat", str(m.path / "events")])
    tail = Lines(["tail", "-f", str(m.path / "events")])
    try:
        start = mark(sim)
        _wait(lambda: _synced(sim, start, "ISync"), "an ISync")  # both readers are open now
        start = mark(sim)
        new = sim.inject(type="VoiceMail", duration=3, phoneNumber="+14155550777")
        mid = str(new["id"])
        ev = cat.event(event="new", type="VoiceMail", direction="Inbound", id=mid,
                       readStatus="Unread")
        assert tail.event(event="new", id=mid) == ev
        path = m.path / ev["path"]
        assert path.parent == vm.resolve() and path.name.endswith("_%s.wav" % mid)
        names = set(os.listdir(vm))
        assert names - before_names == {path.name, path.name[:-4] + ".json"}
        assert json.loads((vm / (path.name[:-4] + ".json")).read_text())["id"] == new["id"]
        # an SMS arrives: into its conversation's folder
        text = sim.inject(type="SMS", text="are you there?", phoneNumber="+14155550778")
        ev = cat.event(event="new", type="SMS", id=str(text["id"]))
        assert tail.event(event="new", id=str(text["id"])) == ev
        assert (m.path / ev["path"]).read_text() == "are you there?\n"
        assert ev["path"].split("/")[-2] == "+14155550778"
        assert (m.path / ev["path"]).name in os.listdir(sms / "+14155550778")
        # read elsewhere, then deleted elsewhere: the mount follows
        st, _, _ = sim.call("PUT", new["uri"], {"readStatus": "Read"})
        assert st == 200
        cat.event(event="read", id=mid, readStatus="Read")
        tail.event(event="read", id=mid)
        assert json.loads((vm / (path.name[:-4] + ".json")).read_text())["readStatus"] == "Read"
        assert sim.call("DELETE", new["uri"])[0] == 204
        cat.event(event="deleted", id=mid, path=ev_path(m, path))
        tail.event(event="deleted", id=mid)
        assert set(os.listdir(vm)) == before_names
        # the file grew by what was published, and carries the last line's time
        grown = os.stat(m.path / "events")
        assert grown.st_size > opened.st_size and grown.st_mtime_ns > opened.st_mtime_ns
        # nothing but the syncs (and the call log's newest calls): no listing, no record read
        assert {r["operation"] for r in sim.requests()[start:]
                if (r["user_agent"] or "").startswith("ringfs")} <= {"syncMessages",
                                                                    "loadExtensionCallLog",
                                                                    "getPresenceStatus"}
    finally:
        cat.stop()
        tail.stop()


def test_an_mms_received_while_mounted_shows_its_picture_without_listing(sim, mounter):
    m = mounter(options=["sync_interval=1"])
    sms = m.ext("messages", "sms")
    os.listdir(sms)
    _wait(lambda: _synced(sim, 0, "FSync"), "the first FSync")
    cat = Lines(["cat", str(m.path / "events")])
    try:
        start = mark(sim)
        _wait(lambda: _synced(sim, start, "ISync"), "an ISync")  # the reader is open now
        start = mark(sim)
        picture = b"\x89PNG\r\n\x1a\n" + bytes((i * 5) % 256 for i in range(5000))
        msg = receive_mms(sim, "here it is", [("photo.png", "image/png", picture)])
        att = [a for a in msg["attachments"] if a["type"] == "MmsAttachment"][0]
        ev = cat.event(event="new", type="SMS", id=str(msg["id"]))
        text = m.path / ev["path"]
        assert text.parent.name == SAM and text.read_text() == "here it is\n"
        name = "%s_%s.png" % (text.name[:-4], att["id"])
        assert name in os.listdir(sms / SAM)
        # from the sync alone: no listing, no record read
        assert {r["operation"] for r in sim.requests()[start:]
                if (r["user_agent"] or "").startswith("ringfs")} <= {"syncMessages",
                                                                    "loadExtensionCallLog",
                                                                    "getPresenceStatus"}
        assert (sms / SAM / name).read_bytes() == picture == media_bytes(sim, att["uri"])
    finally:
        cat.stop()


def ev_path(m, path):
    return str(path.relative_to(m.path.resolve()))


def test_refused_sync_token_starts_over_with_a_full_sync(sim, mounter):
    m = mounter(options=["sync_interval=1"])
    vm = m.ext("messages", "voicemail")
    os.listdir(vm)
    _wait(lambda: _synced(sim, 0, "FSync"), "the first FSync")
    sim.config(sync_token_ttl=30)
    start = mark(sim)
    sim.clock(60)  # the token is older than the server keeps it
    _wait(lambda: _synced(sim, start, "FSync"), "a second FSync")
    refused = [r for r in sim.requests()[start:] if r["operation"] == "syncMessages"]
    assert refused[0]["status"] == 400 and "syncType=ISync" in refused[0]["query"]
    # the folder is listed again at its next use (what changed in between is not known)
    new = sim.inject(type="VoiceMail", duration=2)
    _wait(lambda: any(n.endswith("_%d.wav" % new["id"]) for n in os.listdir(vm)),
          "the new voicemail in the folder")
    # and the syncs go on with the new token
    again = mark(sim)
    _wait(lambda: _synced(sim, again, "ISync"), "an ISync with the new token")
    assert all(r["status"] == 200 for r in sim.requests()[again:]
               if r["operation"] == "syncMessages")


def test_waiting_reader_outlives_request_timeout_and_ends_on_interrupt(sim, mounter):
    m = mounter(options=["sync_interval=1", "request_timeout=1"])
    _wait(lambda: _synced(sim, 0, "FSync"), "the first FSync")
    cat = Lines(["cat", str(m.path / "events")])
    try:
        time.sleep(2.5)  # longer than request_timeout: the wait is not cut short
        assert cat.proc.poll() is None
        new = sim.inject(type="Pager", text="ping")
        cat.event(event="new", type="Pager", id=str(new["id"]))
    finally:
        cat.proc.send_signal(signal.SIGINT)
        assert cat.proc.wait(timeout=HANG) != 0  # ended by the signal, not by an answer
    # a read that had nothing and was interrupted left the mount serving
    assert os.listdir(m.path)


# ---- files that grow ------------------------------------------------------------------

def test_tail_f_on_a_transcript_shows_appended_posts(sim, mounter):
    m = mounter(options=["cache_timeout=1"])
    transcript = m.path / "glip" / "groups" / TEAM / "transcript.txt"
    lines_before = transcript.read_text().count("\n")
    tail = subprocess.Popen(["tail", "-n", "1", "-f", str(transcript)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    out = Lines.__new__(Lines)
    out.proc, out.buf = tail, b""
    try:
        out.next()  # the last line there was
        # appended through the mount (a post)
        with open(transcript, "a") as f:
            f.write("Deploy at noon\n")
        assert out.next().endswith(": Deploy at noon")
        # posted by someone else: shown once the transcript is read again (cache_timeout)
        st, _, _ = sim.call("POST", "/restapi/v1.0/glip/groups/%s/posts" % TEAM,
                            {"text": "Noted, thanks"})
        assert st == 200
        assert out.next().endswith(": Noted, thanks")
        assert transcript.read_text().count("\n") == lines_before + 2
    finally:
        out.stop()


# ---- deleted/ ---------------------------------------------------------------------------

def test_deleted_voicemail_shows_in_deleted_and_mv_restores_it(sim, mnt):
    vm = mnt.ext("messages", "voicemail")
    trash = mnt.ext("messages", "deleted")
    wav = sorted(n for n in os.listdir(vm) if n.endswith(".wav"))[0]
    stem = wav[:-4]
    mid = int(stem.rsplit("_", 1)[1])
    files = sorted(n for n in os.listdir(vm) if n.startswith(stem + "."))
    assert not [n for n in os.listdir(trash) if n.startswith(stem)]
    os.unlink(vm / wav)                          # to Deleted: one DELETE
    assert sorted(n for n in os.listdir(trash) if n.startswith(stem)) == files
    assert json.loads((trash / (stem + ".json")).read_text())["availability"] == "Deleted"
    assert (trash / wav).read_bytes()[:4] == b"RIFF"   # still there to listen to
    before = mark(sim)
    subprocess.run(["mv"] + [str(trash / n) for n in files] + [str(vm)], check=True)
    patches = [r for r in sim.requests()[before:] if r["method"] != "GET"]
    assert [(r["method"], r["operation"]) for r in patches] == [("PATCH", "patchMessage")]
    assert json.loads(patches[0]["body"]) == {"availability": "Alive"}
    assert sorted(n for n in os.listdir(vm) if n.startswith(stem + ".")) == files
    assert not [n for n in os.listdir(trash) if n.startswith(stem)]
    assert message(sim, mid)[1]["availability"] == "Alive"
    # deleted again, then removed from deleted/: purged, once for all its files
    os.unlink(vm / wav)
    before = mark(sim)
    subprocess.run(["rm"] + [str(trash / n) for n in files], check=True)
    purges = [r for r in sim.requests()[before:] if r["method"] != "GET"]
    assert [(r["method"], r["query"]) for r in purges] == [("DELETE", "purge=true")]
    assert not [n for n in os.listdir(trash) if n.startswith(stem)]
    assert sim.get(EXT + "/message-store/%d" % mid)[0] == 404


def test_deleted_sms_is_flat_and_mv_elsewhere_is_refused(sim, mnt):
    sms = mnt.ext("messages", "sms")
    peer = sorted(os.listdir(sms))[0]
    txt = sorted(n for n in os.listdir(sms / peer) if n.endswith(".txt"))[0]
    mid = txt[:-4].rsplit("_", 1)[1]
    os.unlink(sms / peer / txt)
    trash = mnt.ext("messages", "deleted")
    names = [n for n in os.listdir(trash) if n.endswith("_%s.txt" % mid)]
    assert len(names) == 1 and "_%s_" % peer in names[0]
    # the voicemail folder would not hold it; only a message folder restores, not outbox/
    r = subprocess.run(["mv", str(trash / names[0]), str(mnt.ext("outbox", "sms"))],
                       capture_output=True, text=True)
    assert r.returncode != 0
    assert names[0] in os.listdir(trash)
    subprocess.run(["mv", str(trash / names[0]), str(sms)], check=True)
    assert txt in os.listdir(sms / peer)


def test_waiting_reader_does_not_keep_the_daemon_from_stopping(sim, mounter):
    m = mounter(options=["sync_interval=1"])
    cat = Lines(["cat", str(m.path / "events")])
    try:
        time.sleep(0.5)  # its read is waiting now
        m.proc.send_signal(signal.SIGTERM)
        # it stops as it does with no reader (a signal's exit status), not hung on the read
        assert m.proc.wait(timeout=HANG) == 1
        assert cat.proc.wait(timeout=HANG) != 0  # its read failed: the mount went away
        m.proc = None
        m.log.close()
    finally:
        cat.stop()


def test_a_presence_change_shows_in_events_and_in_presence_json(sim, mounter):
    """Presence has no feed: it is read with the call log, every 4th round; a change
    made elsewhere (the user's phone) is an event line, and presence.json shows it."""
    m = mounter(options=["sync_interval=1"])
    presence = m.ext("presence.json")
    assert json.loads(presence.read_text())["userStatus"] != "Busy"
    cat = Lines(["cat", str(m.path / "events")])
    try:
        start = mark(sim)
        # the first read (the 4th round) is what a change is told against
        _wait(lambda: any(r["operation"] == "getPresenceStatus" for r in sim.requests()[start:]),
              "live refresh's first presence read")
        status, _, _ = sim.call("PUT", f"{EXT}/presence", {"userStatus": "Busy"})
        assert status == 200
        ev = cat.event(event="presence", type="Presence", userStatus="Busy")
        assert m.path / ev["path"] == presence.resolve()
        ops = [r["operation"] for r in sim.requests()[start:]
               if (r["user_agent"] or "").startswith("ringfs")]
        assert set(ops) <= {"syncMessages", "loadExtensionCallLog", "getPresenceStatus"}
        assert ops.count("getPresenceStatus") <= ops.count("syncMessages") // 4 + 2
        assert json.loads(presence.read_text())["userStatus"] == "Busy"
    finally:
        cat.stop()


def test_a_missed_call_shows_in_events_and_in_the_call_log(sim, mounter):
    m = mounter(options=["sync_interval=1"])
    calls = m.ext("call-log")
    days = os.listdir(calls)
    cat = Lines(["cat", str(m.path / "events")])
    try:
        start = mark(sim)
        _wait(lambda: _synced(sim, start, "ISync"), "an ISync")  # the reader is open now
        # a call made since the mount: the call log, read every 4th round, shows it
        call = sim.inject_call(phoneNumber="+14155550188", name="Missed Caller")
        ev = cat.event(event="missed", type="Call", direction="Inbound", id=call["id"],
                       result="Missed")
        path = m.path / ev["path"]
        assert path.parent.parent == calls.resolve()
        record = json.loads(path.read_text())
        assert record["id"] == call["id"] and record["from"]["phoneNumber"] == "+14155550188"
        assert path.parent.name in os.listdir(calls) and path.name in os.listdir(path.parent)
        # the call log is read at most every 4th round, never listed in between
        ops = [r["operation"] for r in sim.requests()[start:]
               if (r["user_agent"] or "").startswith("ringfs")]
        assert set(ops) <= {"syncMessages", "loadExtensionCallLog", "getPresenceStatus"}
        assert ops.count("loadExtensionCallLog") <= ops.count("syncMessages") // 4 + 2
    finally:
        cat.stop()
