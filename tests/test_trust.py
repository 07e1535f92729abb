"""Trust: nothing lost, nothing sent twice, nothing hangs.

Each test does what a user's tool does (rm with a glob, rm -r, a shell loop
writing the same outbox name, a killed reader, a killed daemon) and checks
the account through the simulator: what was sent, how often, and what state
the records are in.
"""
import errno
import json
import os
import subprocess
import threading
import time
from collections import defaultdict

import pytest

from fsutil import close_error, mark, message, messages, sent, write
from mountfix import mnt, mounter  # noqa: F401  (fixtures)
from simctl import Sim

DELETE_OP = "deleteMessage"


def files_by_message(folder):
    """{message id: [names]} of a message folder (the id ends the name's stem)."""
    out = defaultdict(list)
    for name in os.listdir(folder):
        stem = name.split(".", 1)[0]
        out[stem.rsplit("_", 1)[1]].append(name)
    return out


def deletes(sim, since):
    return [r for r in sent(sim, since, method="DELETE") if "/message-store" in r["path"]]


# ---- rm of a message's files ----------------------------------------------------------

@pytest.mark.parametrize("folder", ["voicemail", "fax", "pager", "sms"])
def test_rm_of_every_file_of_a_message_deletes_it_once(sim, mnt, folder):
    base = mnt.ext("messages", folder)
    if folder == "sms":
        base = base / sorted(os.listdir(base))[0]
    groups = files_by_message(base)
    msg_id, names = next((k, v) for k, v in sorted(groups.items()) if len(v) >= 2)
    since = mark(sim)

    # what `rm voicemail/<name>.*` does: the shell expands, rm unlinks each name
    rm = subprocess.run(["rm"] + sorted(names), cwd=base, capture_output=True, text=True)

    assert rm.returncode == 0, rm.stderr
    assert [r["path"].rsplit("/", 1)[1] for r in deletes(sim, since)] == [msg_id]
    st, rec = message(sim, msg_id)
    assert st == 200 and rec["availability"] == "Deleted"
    assert not set(names) & set(os.listdir(base))
    for name in names:  # reachable no more once unlinked
        assert not os.path.exists(base / name)


def test_rm_r_of_a_conversation_deletes_each_message_once_and_purges_none(sim, mnt):
    sms = mnt.ext("messages", "sms")
    peer = sorted(os.listdir(sms))[1]
    ids = set(files_by_message(sms / peer))
    since = mark(sim)

    rm = subprocess.run(["rm", "-r", str(sms / peer)], capture_output=True, text=True)

    assert rm.returncode == 0, rm.stderr
    done = [r["path"].rsplit("/", 1)[1] for r in deletes(sim, since)]
    assert sorted(done) == sorted(ids)
    for msg_id in ids:
        st, rec = message(sim, msg_id)
        assert st == 200 and rec["availability"] == "Deleted", msg_id
    assert peer not in os.listdir(sms)


def test_files_of_one_message_removed_in_parallel_delete_it_once(sim, mnt):
    vm = mnt.ext("messages", "voicemail")
    msg_id, names = next((k, v) for k, v in sorted(files_by_message(vm).items()) if len(v) >= 3)
    since = mark(sim)
    errors = []
    barrier = threading.Barrier(len(names))

    def remove(name):
        barrier.wait()
        try:
            os.unlink(vm / name)
        except OSError as e:
            errors.append(e)

    threads = [threading.Thread(target=remove, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert errors == []
    assert len(deletes(sim, since)) == 1
    assert message(sim, msg_id)[1]["availability"] == "Deleted"


def test_purge_stays_an_explicit_act(sim, mnt):
    vm = mnt.ext("messages", "voicemail")
    msg_id, names = sorted(files_by_message(vm).items())[0]
    os.setxattr(vm / names[0], "user.ringfs.purge", b"1")
    assert message(sim, msg_id)[0] == 404


# ---- outbox names are reused at once ---------------------------------------------------

@pytest.mark.parametrize("folder,to,op", [("sms", "+14155550100", "sendSMS"),
                                          ("pager", "102", "sendInternalMessage")])
def test_the_same_outbox_name_written_quickly_sends_each_message(sim, mnt, folder, to, op):
    box = mnt.ext("outbox", folder)
    since = mark(sim)

    # for i in 1 2 3; do echo m$i > outbox/sms/+1…; done
    sh = subprocess.run(["sh", "-c", f'for i in 1 2 3; do echo "m$i" > "{box}/{to}" || exit 1; done'],
                        capture_output=True, text=True)

    assert sh.returncode == 0, sh.stderr
    posts = sent(sim, since, operation=op)
    assert [p["body"] for p in posts] and len(posts) == 3
    texts = [json.loads(p["body"])["text"] for p in posts]
    assert texts == ["m1", "m2", "m3"]


def test_a_rewrite_through_an_open_sent_name_is_a_new_message(sim, mnt):
    box = mnt.ext("outbox", "sms")
    since = mark(sim)
    for i in range(3):
        with open(box / "+14155550100", "w") as f:
            f.write(f"text {i}\n")
            f.flush()
            os.fsync(f.fileno())
    assert len(sent(sim, since, operation="sendSMS")) == 3


# ---- nothing hangs -------------------------------------------------------------------

HANG = 60  # the bound on a command that must not hang: a hang detector, never a measurement


def errno_of(code, timeout=HANG):
    """Runs @code (Python, in another process) and gives the errno it raised, or 0."""
    script = ("import errno, os, sys\n"
              "try:\n" + "".join(f"    {line}\n" for line in code.splitlines()) +
              "except OSError as e:\n    sys.exit(e.errno)\n")
    return subprocess.run(["/usr/bin/python3", "-c", script], timeout=timeout).returncode


def a_voicemail(mnt):
    vm = mnt.ext("messages", "voicemail")
    return vm / sorted(n for n in os.listdir(vm) if n.endswith(".wav"))[0]


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


def test_a_stalled_token_endpoint_costs_one_request_timeout(sim, mounter):
    mnt = mounter(options=["request_timeout=3"])
    sim.fault("freeze", path="/restapi/oauth/token", count=100, delay=600)
    sim.clock(7200)  # the access token has expired: the next request must refresh it

    assert errno_of(f"os.listdir({str(mnt.ext('messages', 'fax'))!r})") == errno.ETIMEDOUT


def test_a_long_retry_after_fails_instead_of_waiting_past_request_timeout(sim, mounter):
    mnt = mounter(options=["request_timeout=3"])
    sim.fault("status", status=503, retry_after=20, path=r"/message-store$", count=10)
    since = mark(sim)

    assert errno_of(f"os.listdir({str(mnt.ext('messages', 'pager'))!r})") == errno.EIO
    assert len([r for r in sim.requests()[since:] if r["path"].endswith("/message-store")]) == 1


def test_an_unreachable_server_says_so(mounter):
    other = Sim()
    try:
        mnt = mounter(env={"RC_SERVER_URL": other.url})
        os.listdir(mnt.ext())
    finally:
        other.stop()

    assert errno_of(f"os.listdir({str(mnt.ext('messages', 'fax'))!r})") == errno.EHOSTUNREACH


# ---- a send whose answer is lost -----------------------------------------------------

SLOW = ["stall_timeout=1", "verify_timeout=20"]


@pytest.mark.parametrize("folder,name,data,op", [
    ("sms", "+14155550100", "slow but sent\n", "sendSMS"),
    ("pager", "102", "slow page\n", "sendInternalMessage"),
    ("fax", "+14155550100.pdf", "%PDF-1.4\n%slow fax\n", "sendFaxMessage"),
])
def test_a_send_slower_than_stall_timeout_is_found_not_resent(sim, mounter, folder, name,
                                                               data, op):
    mnt = mounter(options=SLOW)
    sim.fault("slow_reply", method="POST", path=r"/(sms|company-pager|fax)$", delay=3)
    since = mark(sim)

    assert close_error(mnt.ext("outbox", folder, name), data) is None

    assert len(sent(sim, since, operation=op)) == 1
    assert name not in os.listdir(mnt.ext("outbox", folder))


def test_a_glip_post_slower_than_stall_timeout_is_found_not_resent(sim, mounter):
    mnt = mounter(options=SLOW)
    groups = mnt.path / "glip" / "groups"
    transcript = groups / sorted(os.listdir(groups))[0] / "transcript.txt"
    before = transcript.read_text()
    sim.fault("slow_reply", method="POST", path=r"/posts$", delay=3)
    since = mark(sim)

    write(transcript, "a slow hello\n", mode="a")

    assert len(sent(sim, since, operation="createGlipGroupPost")) == 1
    assert "a slow hello" in transcript.read_text()[len(before) - 1:]


def test_an_unanswered_send_is_never_advised_to_be_resent(sim, mounter):
    mnt = mounter(options=["stall_timeout=1", "verify_timeout=2"])
    path = mnt.ext("outbox", "sms", "+14155550100")
    sim.fault("freeze", method="POST", path=r"/sms$", delay=60)
    since = mark(sim)

    err = close_error(path, "lost in the void\n")

    assert err in (errno.ETIMEDOUT, errno.EIO)
    assert len(sent(sim, since, operation="sendSMS")) == 1  # the frozen one, never again
    said = os.getxattr(path, "user.ringfs.error").decode()
    assert "outcome unknown" in said and "not sent again" in said
    assert "rewrite" not in said and "send it anew" not in said
    assert os.getxattr(path, "user.ringfs.outcome").decode().startswith("outcome unknown")
    # a second close of the same bytes sends nothing; only writing it anew does
    with open(path, "a"):
        pass
    assert len(sent(sim, since, operation="sendSMS")) == 1


def test_kill_9_during_a_send_then_remount_tells_the_truth(sim, mounter, tmp_path):
    base = tmp_path / "m"
    mnt = mounter(base=base)
    box = mnt.ext("outbox", "sms")
    sim.fault("slow_reply", method="POST", path=r"/sms$", delay=30)
    since = mark(sim)
    script = f"with open({str(box / '+14155550100')!r}, 'w') as f: f.write('sent before the crash')"
    writer = subprocess.Popen(["/usr/bin/python3", "-c", script], stderr=subprocess.PIPE)
    deadline = time.monotonic() + HANG
    while not sent(sim, since, operation="sendSMS"):
        assert time.monotonic() < deadline, "the send never reached the server"
        time.sleep(0.05)

    mnt.proc.kill()  # kill -9 while the POST waits for its answer
    mnt.proc.wait(timeout=HANG)
    mnt.proc = None  # not a clean exit: the fixture must not count it
    subprocess.run(["fusermount3", "-u", "-z", str(mnt.path)], timeout=HANG)
    writer.wait(timeout=HANG)
    assert writer.returncode != 0  # the close failed: the daemon died under it

    again = mounter(base=base / "again", env={"XDG_STATE_HOME": str(mnt.state)})
    box = again.ext("outbox", "sms")

    assert os.listdir(box) == ["+14155550100"]
    outcome = os.getxattr(box / "+14155550100", "user.ringfs.outcome").decode()
    assert outcome.startswith("sent:") and "nothing to resend" in outcome
    assert (box / "+14155550100").read_text() == "sent before the crash"
    assert len(sent(sim, since, operation="sendSMS")) == 1
    os.unlink(box / "+14155550100")
    assert os.listdir(box) == []


# ---- what is listed can be read --------------------------------------------------------

def test_a_refused_document_is_not_listed_and_says_why(sim, mnt):
    other = mnt.acct("extensions", "400131174008")
    names = os.listdir(other)

    assert "authz-profile.json" not in names  # GET …/400131174008/authz-profile is 403
    with pytest.raises(PermissionError):
        os.stat(other / "authz-profile.json")
    assert "extension.json" in names
    since = mark(sim)
    os.listdir(other)  # the refusal is remembered: not asked again on every walk
    assert not [r for r in sim.requests()[since:] if r["path"].endswith("/authz-profile")]


def test_whole_mount_rsync_and_tar_exit_0(sim, mounter, tmp_path):
    sim.config(limits={"Light": 100000, "Medium": 100000, "Heavy": 100000})
    mnt = mounter()
    copy = tmp_path / "copy"

    rsync = subprocess.run(["rsync", "-a", f"{mnt.path}/", str(copy)], capture_output=True,
                           text=True, timeout=600)
    tar = subprocess.run(["tar", "cf", "/dev/null", "."], cwd=mnt.path, capture_output=True,
                         text=True, timeout=600)

    assert rsync.returncode == 0, rsync.stderr[-2000:]
    assert tar.returncode == 0, tar.stderr[-2000:]
    vm = "accounts/400131172008/extensions/400131173008/messages/voicemail"
    wavs = sorted(n for n in os.listdir(mnt.path / vm) if n.endswith(".wav"))
    assert (copy / vm / wavs[0]).read_bytes() == (mnt.path / vm / wavs[0]).read_bytes()
