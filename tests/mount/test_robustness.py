"""Deadlines, faults and hostile servers: nothing hangs, nothing is lost
silently, and what a broken server sends costs only what it touches.

Every failure gets an errno and a reason (user.ringfs.error); slow, stalled,
trickling and frozen servers are bounded by the deadlines; an HTML page on a
media URL, absurd numbers and names that collide get a clear error or a clean
name, and nothing bad is kept.
"""
import errno
import json
import os
import subprocess
import threading
import time

import pytest

from helpers import HANG, a_voicemail, errno_of, mark, ops
from simctl import Sim


# ---- errors --------------------------------------------------------------------------

def test_server_404_is_enoent(sim, mnt):
    vmdir = mnt.ext("messages", "voicemail")
    name = sorted(n for n in os.listdir(vmdir) if n.endswith(".wav"))[0]
    sim.fault("status", path=r"/message-store/\d+/content/", status=404, count=1)
    with pytest.raises(OSError) as e:
        (vmdir / name).read_bytes()
    assert e.value.errno == errno.ENOENT


def test_server_errors_retried_then_eio(sim, mnt):
    os.listdir(mnt.ext("messages"))
    sim.fault("status", path=r"/message-store$", status=503, count=1)
    assert os.listdir(mnt.ext("messages", "fax"))
    sim.fault("status", path=r"/message-store$", status=500, count=20)
    with pytest.raises(OSError) as e:
        os.listdir(mnt.ext("messages", "pager"))
    assert e.value.errno == errno.EIO


def test_dropped_connections_give_an_errno(sim, mnt):
    os.listdir(mnt.ext("messages"))
    sim.fault("reset", path=r"/message-store$", count=20)
    with pytest.raises(OSError) as e:
        os.listdir(mnt.ext("messages", "pager"))
    assert e.value.errno == errno.EIO
    err = os.getxattr(mnt.ext("messages", "pager"), "user.ringfs.error").decode()
    assert "pager" not in err or err  # readable, whatever curl said
    assert err


def test_truncated_answer_is_retried(sim, mnt):
    os.listdir(mnt.ext("messages"))
    sim.fault("truncate", path=r"/message-store$", count=1)
    names = os.listdir(mnt.ext("messages", "voicemail"))
    assert names
    statuses = [(r["status"], r.get("fault"), r["query"][:40]) for r in sim.requests() if r["operation"] == "listMessages"]
    assert len(statuses) == 2, statuses


def test_truncated_media_is_retried_and_complete(sim, mnt):
    vmdir = mnt.ext("messages", "voicemail")
    name = sorted(n for n in os.listdir(vmdir) if n.endswith(".wav"))[0]
    sim.fault("truncate", path=r"/content/", count=1)
    data = (vmdir / name).read_bytes()
    content = [r for r in sim.requests() if "/content/" in r["path"]]
    assert len(content) == 2
    assert os.stat(vmdir / name).st_size == len(data)
    # what the server holds, byte for byte
    uri = [r for r in content][-1]["path"]
    status, _, body = sim.get(sim.media_url + uri)
    assert status == 200 and body == data


def test_failed_refresh_keeps_the_old_listing(sim, mounter):
    mnt = mounter(options=["cache_timeout=0.2"])
    before = sorted(os.listdir(mnt.ext("messages", "fax")))
    sim.fault("status", path=r"/message-store$", status=500, count=50)
    time.sleep(0.3)
    assert sorted(os.listdir(mnt.ext("messages", "fax"))) == before
    err = os.getxattr(mnt.ext("messages", "fax"), "user.ringfs.error").decode()
    assert "500" in err or "CMN-" in err


def test_a_negative_retry_after_does_not_hang(sim, mnt):
    os.listdir(mnt.ext("messages"))
    sim.fault("status", path=r"/message-store$", status=503, retry_after=-1, count=1)
    assert os.listdir(mnt.ext("messages", "voicemail"))


def test_an_unreachable_server_says_so(mounter):
    other = Sim()
    try:
        mnt = mounter(env={"RC_SERVER_URL": other.url})
        os.listdir(mnt.ext())
    finally:
        other.stop()

    assert errno_of(f"os.listdir({str(mnt.ext('messages', 'fax'))!r})") == errno.EHOSTUNREACH


# ---- deadlines: nothing hangs --------------------------------------------------------

def test_slow_download_does_not_block_listing(sim, mnt):
    vmdir = mnt.ext("messages", "voicemail")
    name = sorted(n for n in os.listdir(vmdir) if n.endswith(".wav"))[0]
    sim.fault("slow", path=r"/content/", delay=4, count=1)
    result = {}

    def read():
        result["data"] = (vmdir / name).read_bytes()

    t = threading.Thread(target=read)
    t.start()
    try:
        # while the download stalls (the simulator logs it only once answered),
        # the rest of the tree answers
        assert os.listdir(mnt.ext("messages", "fax"))
        assert os.listdir(mnt.ext("contacts"))
        assert t.is_alive()
        assert not [r for r in sim.requests() if "/content/" in r["path"]]
    finally:
        t.join(timeout=60)
    assert result["data"].startswith(b"RIFF")


def test_stalled_server_gives_etimedout(sim, mounter):
    mnt = mounter(options=["stall_timeout=1", "request_timeout=2"])
    os.listdir(mnt.ext("messages"))
    sim.fault("slow", path=r"/message-store$", delay=5, count=8)
    with pytest.raises(OSError) as e:
        os.listdir(mnt.ext("messages", "pager"))
    assert e.value.errno == errno.ETIMEDOUT
    err = os.getxattr(mnt.ext("messages", "pager"), "user.ringfs.error").decode()
    assert "timed out" in err.lower()


def media_requests(sim):
    return [r for r in sim.requests() if r["host"] == "media"]


def test_a_trickling_download_fails_within_the_deadline_and_leaves_nothing(sim, mounter):
    mnt = mounter(options=["request_timeout=3", "download_timeout=3"])
    wav = a_voicemail(mnt)
    sim.fault("trickle", host="media", rate=2, count=1)

    assert errno_of(f"open({str(wav)!r}, 'rb').read()") == errno.ETIMEDOUT

    # nothing partial was kept: the next open downloads it whole
    data = wav.read_bytes()
    st, _, full = sim.get(os.getxattr(wav, "user.ringfs.url").decode())
    assert st == 200 and data == full and data[:4] == b"RIFF"


def test_kill_9_ends_a_reader_stuck_on_a_trickle_at_once(sim, mounter):
    mnt = mounter(options=["request_timeout=600"])
    wav = a_voicemail(mnt)
    sim.fault("trickle", host="media", rate=2, count=1)
    reader = subprocess.Popen(["cat", str(wav)], stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + HANG
    while not [r for r in media_requests(sim) if r.get("fault") == "trickle"]:
        assert time.monotonic() < deadline, "the download never started"
        time.sleep(0.05)

    reader.kill()
    reader.wait(timeout=HANG)  # a reader in D state would never be reaped

    assert reader.returncode == -9
    assert wav.read_bytes()[:4] == b"RIFF"  # and the mount still serves it


def test_a_frozen_server_gets_cached_copies_served(sim, mounter):
    mnt = mounter(options=["cache_timeout=1", "request_timeout=600"])
    presence = mnt.ext("presence.json")
    vm = mnt.ext("messages", "voicemail")
    before, names = presence.read_bytes(), sorted(os.listdir(vm))
    time.sleep(1.5)  # past cache_timeout: both copies are stale
    sim.fault("freeze", host="api", path="/restapi/v1.0/", count=1000, delay=600)

    cat = subprocess.run(["cat", str(presence)], capture_output=True, timeout=HANG)
    ls = subprocess.run(["ls", str(vm)], capture_output=True, text=True, timeout=HANG)

    assert cat.returncode == 0 and cat.stdout == before
    assert ls.returncode == 0 and sorted(ls.stdout.split()) == names


def test_a_long_retry_after_fails_instead_of_waiting_past_request_timeout(sim, mounter):
    mnt = mounter(options=["request_timeout=3"])
    sim.fault("status", status=503, retry_after=20, path=r"/message-store$", count=10)
    since = mark(sim)

    assert errno_of(f"os.listdir({str(mnt.ext('messages', 'pager'))!r})") == errno.EIO
    assert len([r for r in sim.requests()[since:] if r["path"].endswith("/message-store")]) == 1


# ---- hostile answers -----------------------------------------------------------------

def test_an_html_page_on_a_media_url_is_refused_and_not_kept(sim, mounter, tmp_path):
    mnt = mounter()
    wav = a_voicemail(mnt)
    sim.fault("html", host="media", count=1)

    try:
        wav.read_bytes()
        raise AssertionError("an HTML page was served as a voicemail")
    except OSError as e:
        assert e.errno == errno.EIO
    assert "text/html" in os.getxattr(wav, "user.ringfs.error").decode()
    assert os.getxattr(wav, "user.ringfs.size") == b"estimate"

    since = mark(sim)
    data = wav.read_bytes()  # not cached: fetched again, and right this time
    assert data[:4] == b"RIFF"
    assert [r for r in sim.requests()[since:] if r["host"] == "media"]
    cached = [os.path.join(d, f) for d, _, fs in os.walk(mnt.cache) for f in fs]
    assert not any(open(p, "rb").read(15).lower().startswith(b"<!doctype html") for p in cached)


def test_one_bad_record_costs_only_itself(sim, mounter):
    mnt = mounter()
    bad_peer, nul_peer = "+14155550191", "+14155550192"
    sim.inject(type="SMS", text="MANGLE-TEXT", phoneNumber=bad_peer)
    sim.inject(type="SMS", text="a NUL \u0000 inside", phoneNumber=nul_peer)
    sim.inject(type="VoiceMail", duration=9, phoneNumber=bad_peer)
    # invalid UTF-8 in one record's text and an integer past 2^63 in the same record;
    # a voicemail whose duration is as large as a signed 64-bit number can be
    sim.fault("mangle", path=r"/message-store$", count=2,
              find_hex=b'"MANGLE-TEXT"'.hex(),
              replace_hex=b'"bad \xff\xfe text", "huge" : 123456789012345678901234567890'.hex())
    sim.fault("mangle", path=r"/message-store$", count=1, find_hex=b'"vmDuration" : 9,'.hex(),
              replace_hex=b'"vmDuration" : 9223372036854775807,'.hex())

    peers = os.listdir(mnt.ext("messages", "sms"))
    vm = os.listdir(mnt.ext("messages", "voicemail"))

    assert bad_peer in peers and nul_peer in peers and len(peers) >= 3
    bad = mnt.ext("messages", "sms", bad_peer)
    text = [n for n in os.listdir(bad) if n.endswith(".txt")][0]
    assert (bad / text).read_text() == "bad \ufffd\ufffd text\n"
    assert len([n for n in vm if n.endswith(".wav")]) >= 2
    for name in vm:  # the absurd duration saturates: never 0, never negative
        assert os.stat(mnt.ext("messages", "voicemail", name)).st_size > 0


def test_a_record_with_an_absurd_url_costs_only_itself(sim, mounter):
    # a node keeps its key, link target and media URL in its own block, at 16-bit
    # offsets: a media file whose URL is longer than 16,000 bytes is skipped and
    # logged; its record's .json shows what the server said, and the rest of the
    # folder lists
    mnt = mounter()
    bad = sim.inject(type="VoiceMail", duration=5, phoneNumber="+14155550194")["id"]
    good = sim.inject(type="VoiceMail", duration=6, phoneNumber="+14155550195")["id"]
    content = f'/message-store/{bad}/content/{bad}"'.encode()
    sim.fault("mangle", path=r"/message-store$", count=1, find_hex=content.hex(),
              replace_hex=(content[:-1] + b"?pad=" + b"A" * 20000 + b'"').hex())

    names = os.listdir(mnt.ext("messages", "voicemail"))

    assert [n.rsplit(".", 1)[1] for n in names if str(bad) in n] == ["json"]
    record = json.loads(mnt.ext("messages", "voicemail", f"{[n for n in names if str(bad) in n][0]}")
                        .read_text())
    assert len(record["attachments"][0]["uri"]) > 20000
    assert {n.rsplit(".", 1)[1] for n in names if str(good) in n} == {"wav", "json"}
    assert len([n for n in names if n.endswith(".wav")]) >= 3
    assert (mnt.ext("messages", "voicemail", [n for n in names if str(good) in n
                                              and n.endswith(".wav")][0])
            .read_bytes()[:4] == b"RIFF")
    assert f"_{bad}.wav: skipped: a string of 20" in mnt.output()


def test_colliding_names_keep_their_extension_last(sim, mounter):
    mnt = mounter()
    # two records whose ids differ only in a character a name cannot hold
    one = sim.inject(type="VoiceMail", duration=3, phoneNumber="+14155550193")["id"]
    two = sim.inject(type="VoiceMail", duration=4, phoneNumber="+14155550193")["id"]
    sim.fault("mangle", path=r"/message-store$", count=1,
              find_hex=[f'"id" : {one},'.encode().hex(), f'"id" : {two},'.encode().hex()],
              replace_hex=[b'"id" : "77/1",'.hex(), b'"id" : "77_1",'.hex()])

    names = sorted(n for n in os.listdir(mnt.ext("messages", "voicemail")) if "77_1" in n)

    assert len(names) == 4, names  # two messages, a .wav and a .json each
    assert len([n for n in names if n.endswith(".wav")]) == 2
    assert len([n for n in names if n.endswith(".json")]) == 2
    assert any("_2.wav" in n for n in names) and any("_2.json" in n for n in names)


def test_a_listing_that_pages_forever_stops_at_the_cap(sim, mounter):
    # a broken server that answers every page with the same records and a fresh next
    # page: ringfs reads at most RFS_MAX_LISTING_PAGES (5000) pages of one folder, then
    # fails it with EIO and a reason, keeping nothing of it (a listing is applied whole)
    sim.config(limits={"Light": 100000, "Medium": 100000, "Heavy": 100000})
    mnt = mounter(options=["request_timeout=900"])
    fax = mnt.ext("messages", "fax")
    sim.fault("endless", path=r"/message-store$", count=100000)
    before = mark(sim)

    code = errno_of(f"os.listdir({str(fax)!r})", timeout=900)

    pages = [o for o in ops(sim, before) if o == "listMessages"]
    assert code == errno.EIO
    assert len(pages) == 5000
    error = os.getxattr(fax, "user.ringfs.error").decode()
    assert "pages do not end" in error and "5000" in error
