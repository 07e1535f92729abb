"""What a hostile or broken server sends costs only what it touches.

A page of HTML answered 200 on a media URL, absurd sizes, names that collide:
each gets a clear error or a clean name, and nothing bad is kept.
"""
import errno
import json
import time
import os

from fsutil import EXT, mark
from mountfix import mnt, mounter  # noqa: F401  (fixtures)


def a_voicemail(mnt):
    vm = mnt.ext("messages", "voicemail")
    return vm / sorted(n for n in os.listdir(vm) if n.endswith(".wav"))[0]


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
    assert (bad / text).read_text() == "bad \ufffd\ufffd text"
    assert len([n for n in vm if n.endswith(".wav")]) >= 2
    for name in vm:  # the absurd duration saturates: never 0, never negative
        assert os.stat(mnt.ext("messages", "voicemail", name)).st_size > 0


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


def nodes(mnt):
    return json.loads(os.getxattr(mnt.path, "user.ringfs.stats"))["nodes"]


def test_nodes_the_kernel_forgot_are_freed(sim, mounter):
    mnt = mounter(options=["cache_timeout=1", "request_timeout=1"])
    vm = mnt.ext("messages", "voicemail")
    for name in os.listdir(vm):
        os.stat(vm / name)
    before = nodes(mnt)
    gone = sorted({n.split(".")[0].rsplit("_", 1)[1] for n in os.listdir(vm)})[:5]
    for msg_id in gone:  # deleted elsewhere (another device): the next listing drops them
        assert sim.call("DELETE", f"{EXT}/message-store/{msg_id}")[0] == 204
    time.sleep(1.5)  # past cache_timeout
    assert not [n for n in os.listdir(vm) if any(i in n for i in gone)]

    with open("/proc/sys/vm/drop_caches", "w") as f:  # the kernel forgets what it cached
        f.write("2\n")
    deadline = time.monotonic() + 30
    while nodes(mnt) > before - 2 * len(gone):
        assert time.monotonic() < deadline, f"{nodes(mnt)} nodes, {before} before"
        time.sleep(1.2)
        os.listdir(vm)  # a listing sweeps what nothing holds any more
