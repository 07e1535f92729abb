"""Sending by writing a file: SMS, pager, fax and greetings. Bad input is
refused at close before any request and the file kept; every message is sent
exactly once (a second close, a reused name, a dropped connection, a writer's
children); a send whose answer is lost is looked up, never resent, and its
outcome told, even after the daemon was killed.
"""
import errno
import json
import os
import shutil
import subprocess
import time

import pytest

from helpers import EXT, HANG, body_of, close_error, mark, messages, sent, write


# ---- SMS and pager -------------------------------------------------------------------

def test_send_sms_by_writing_a_file(sim, mnt):
    box = mnt.ext("outbox", "sms")
    before = mark(sim)
    write(box / "+14155550100", "On my way\n")
    posts = sent(sim, before)
    assert [(r["method"], r["operation"]) for r in posts] == [("POST", "sendSMS")]
    body = body_of(posts[0])
    assert body["text"] == "On my way"
    assert body["to"] == [{"phoneNumber": "+14155550100"}]
    assert body["from"]["phoneNumber"]  # the extension's SMS sender
    assert os.listdir(box) == []  # sent: the outbox forgets it
    conv = mnt.ext("messages", "sms", "+14155550100")
    texts = [(conv / n).read_text() for n in os.listdir(conv) if n.endswith(".txt")]
    assert "On my way\n" in texts  # the text file ends in a newline, as it was written


def test_sms_to_several_and_from_a_chosen_number(sim, mnt):
    st, _, body = sim.get(f"{EXT}/phone-number")
    sender = [r["phoneNumber"] for r in json.loads(body)["records"]
              if "SmsSender" in r.get("features", [])][0]
    box = mnt.ext("outbox", "sms")
    before = mark(sim)
    write(box / f"+14155550100,+14155550101@{sender}", "hello both")
    body = body_of(sent(sim, before, "sendSMS")[0])
    assert body["from"] == {"phoneNumber": sender}
    assert body["to"] == [{"phoneNumber": "+14155550100"}, {"phoneNumber": "+14155550101"}]


def test_an_empty_new_outbox_file_is_a_draft_that_stays(sim, mnt):
    box = mnt.ext("outbox", "sms")
    draft = box / "+14155550100"
    before = mark(sim)
    assert close_error(draft, "") is None  # created, nothing written yet
    assert sent(sim, before) == []
    assert os.listdir(box) == ["+14155550100"]
    assert os.stat(draft).st_size == 0
    assert "user.ringfs.outcome" in os.listxattr(draft)
    said = os.getxattr(draft, "user.ringfs.outcome").decode()
    assert said.startswith("not sent: the file is empty")
    # opened again, written, then emptied before close: still a draft, close succeeds
    fd = os.open(draft, os.O_WRONLY)
    os.write(fd, b"second thoughts")
    os.ftruncate(fd, 0)
    os.close(fd)
    assert sent(sim, before) == []
    assert os.listdir(box) == ["+14155550100"]
    assert os.getxattr(draft, "user.ringfs.outcome").decode() == said
    # text written into it later is sent, once
    assert close_error(draft, "now") is None
    assert len(sent(sim, before, "sendSMS")) == 1
    assert body_of(sent(sim, before, "sendSMS")[0])["text"] == "now"
    assert os.listdir(box) == []
    with open(box / "+14155550101", "a"):  # touch-like: created empty, never sent
        pass
    assert os.listdir(box) == ["+14155550101"]
    assert len(sent(sim, before)) == 1


@pytest.mark.parametrize("name,text", [("+14155550100", "\n"),
                                       ("+14155550100", "x" * 1001)])
def test_sms_refused_locally_sends_nothing_and_keeps_the_file(sim, mnt, name, text):
    box = mnt.ext("outbox", "sms")
    before = mark(sim)
    assert close_error(box / name, text) == errno.EINVAL
    assert sent(sim, before) == []
    assert name in os.listdir(box)  # nothing the user wrote is lost
    assert (box / name).read_text() == text
    assert os.getxattr(box / name, "user.ringfs.error")
    os.unlink(box / name)
    assert os.listdir(box) == []


@pytest.mark.parametrize("name", ["14155550100", "(415) 555-0100", "415-555-0100",
                                  "415.555.0100", "+1 (415) 555-0100", "011 1 415 555 0100"])
def test_sms_to_a_number_as_people_write_it(sim, mnt, name):
    """The account's country (the simulator's is the US: calling code 1) completes
    national numbers; every form goes out as E.164."""
    box = mnt.ext("outbox", "sms")
    before = mark(sim)
    write(box / name, "written forms\n")
    posts = sent(sim, before)
    assert [r["operation"] for r in posts] == ["sendSMS"]
    assert body_of(posts[0])["to"] == [{"phoneNumber": "+14155550100"}]
    assert os.listdir(box) == []


def test_sms_sender_and_several_recipients_as_written(sim, mnt):
    st, _, body = sim.get(f"{EXT}/phone-number")
    sender = [r["phoneNumber"] for r in json.loads(body)["records"]
              if "SmsSender" in r.get("features", [])][0]
    written = f"({sender[2:5]}) {sender[5:8]}-{sender[8:]}"  # +1NXXNXXXXXX as (NXX) NXX-XXXX
    box = mnt.ext("outbox", "sms")
    before = mark(sim)
    write(box / f"415-555-0100,415.555.0101@{written}", "to both")
    body = body_of(sent(sim, before, "sendSMS")[0])
    assert body["from"] == {"phoneNumber": sender}
    assert body["to"] == [{"phoneNumber": "+14155550100"}, {"phoneNumber": "+14155550101"}]


@pytest.mark.parametrize("name", ["not-a-number", "+1", "555-0100", "415-555-01000",
                                  "(415) 555-0100x", "+1 415 555 0100,", "notes.txt"])
def test_an_outbox_name_that_is_no_number_is_refused_at_create(sim, mnt, name):
    box = mnt.ext("outbox", "sms")
    before = mark(sim)
    with pytest.raises(OSError) as e:
        open(box / name, "w").close()
    assert e.value.errno == errno.EINVAL
    assert "is not a phone number" in os.getxattr(box, "user.ringfs.error").decode()
    assert sent(sim, before) == []
    assert os.listdir(box) == []


def test_a_draft_renamed_to_a_name_that_is_no_number_is_refused(sim, mnt):
    box = mnt.ext("outbox", "sms")
    open(box / "415-555-0100", "w").close()  # an empty draft
    before = mark(sim)
    with pytest.raises(OSError) as e:
        os.rename(box / "415-555-0100", box / "lunch plans")
    assert e.value.errno == errno.EINVAL
    os.rename(box / "415-555-0100", box / "+14155550100")  # a number: the draft moves
    assert os.listdir(box) == ["+14155550100"]
    assert sent(sim, before) == []


def test_pager_names_are_checked_at_create(sim, mnt):
    box = mnt.ext("outbox", "pager")
    before = mark(sim)
    with pytest.raises(OSError) as e:
        open(box / "+14155550100", "w").close()
    assert e.value.errno == errno.EINVAL
    assert sent(sim, before) == [] and os.listdir(box) == []


def test_vim_writes_a_new_sms_as_dot_slash_plus_number(sim, mnt):
    """vim and less read `+…` as a command: a new SMS is `vim ./+14155550100`."""
    if not shutil.which("vim"):
        pytest.fail("vim is not installed (contrib/install-deps.sh installs it)")
    box = mnt.ext("outbox", "sms")
    before = mark(sim)
    r = subprocess.run(["vim", "-Nu", "NONE", "-n", "-es", "-c", "normal iHello from vim",
                        "-c", "wq", "./+14155550100"],
                       cwd=box, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    posts = sent(sim, before)
    assert [p["operation"] for p in posts] == ["sendSMS"]
    assert body_of(posts[0])["text"] == "Hello from vim"
    assert body_of(posts[0])["to"] == [{"phoneNumber": "+14155550100"}]
    assert not [n for n in os.listdir(box) if n.endswith((".swp", "~")) or n == "4913"]


def test_send_pager_message(sim, mnt):
    box = mnt.ext("outbox", "pager")
    before = mark(sim)
    write(box / "102", "lunch?\n")
    posts = sent(sim, before)
    assert [(r["method"], r["operation"]) for r in posts] == [("POST", "sendInternalMessage")]
    assert body_of(posts[0])["to"] == [{"extensionNumber": "102"}]
    assert body_of(posts[0])["text"] == "lunch?"
    assert os.listdir(box) == []


# ---- fax and greetings ---------------------------------------------------------------

def test_send_fax_by_copying_a_pdf(sim, mnt, tmp_path):
    # a real PDF to send: one the simulator made
    faxes = messages(sim, "Fax")
    att = [a for a in faxes[0]["attachments"] if a["type"] == "RenderedDocument"][0]
    pdf = sim.get(att["uri"])[2]
    src = tmp_path / "contract.pdf"
    src.write_bytes(pdf)
    box = mnt.ext("outbox", "fax")
    before = mark(sim)
    subprocess.run(["cp", str(src), str(box / "+14155550100.low.cover2.pdf")], check=True)
    posts = sent(sim, before)
    assert [(r["method"], r["operation"]) for r in posts] == [("POST", "sendFaxMessage")]
    parts = {p["name"]: p for p in posts[0]["body"]}
    assert parts["to"]["text"] == "+14155550100"
    assert parts["faxResolution"]["text"] == "Low"
    assert parts["coverIndex"]["text"] == "2"
    assert parts["attachment"]["contentType"] == "application/pdf"
    assert parts["attachment"]["size"] == len(pdf)
    assert os.listdir(box) == []
    sent_fax = [m for m in messages(sim, "Fax") if m["direction"] == "Outbound"
                and m["to"][0]["phoneNumber"] == "+14155550100"]
    assert len(sent_fax) == 1
    doc = [a for a in sent_fax[0]["attachments"] if a["type"] == "RenderedDocument"][0]
    assert sim.get(doc["uri"])[2] == pdf


def test_fax_cover_page_default_and_none(sim, mnt):
    """No .cover<N>: no coverIndex is sent and the account's default cover page
    comes first; .cover0 sends coverIndex=0: no cover page."""
    box = mnt.ext("outbox", "fax")
    os.listdir(box)
    sim.config(limits={"Heavy": 1000})
    got = {}
    for name in ("+14155550101.txt", "+14155550102.cover0.txt"):
        before = mark(sim)
        write(box / name, "Quarterly figures attached.\n")
        posts = sent(sim, before)
        assert [r["operation"] for r in posts] == ["sendFaxMessage"]
        got[name] = {p["name"]: p.get("text") for p in posts[0]["body"]}
    assert "coverIndex" not in got["+14155550101.txt"]
    assert got["+14155550102.cover0.txt"]["coverIndex"] == "0"
    faxes = {m["to"][0]["phoneNumber"]: m for m in messages(sim, "Fax")
             if m["direction"] == "Outbound"}
    assert faxes["+14155550101"]["coverIndex"] == 5  # the demo account's default
    assert faxes["+14155550102"]["coverIndex"] == 0
    pdfs = {n: sim.get(faxes[n]["attachments"][0]["uri"])[2]
            for n in ("+14155550101", "+14155550102")}
    assert b"Cover page" in pdfs["+14155550101"] and b"Cover page" not in pdfs["+14155550102"]


def test_fax_with_a_bad_name_or_nothing_in_it_is_refused(sim, mnt):
    box = mnt.ext("outbox", "fax")
    before = mark(sim)
    assert close_error(box / "+14155550100.exe", "MZ") == errno.EINVAL
    assert close_error(box / "+14155550100.pdf", "") is None  # nothing written: nothing to send
    assert close_error(box / "+14155550100.fast.pdf", "%PDF-1.4") == errno.EINVAL
    assert sent(sim, before) == []
    assert sorted(os.listdir(box)) == ["+14155550100.exe", "+14155550100.fast.pdf",
                                       "+14155550100.pdf"]


def test_upload_a_custom_greeting(sim, mnt):
    vmdir = mnt.ext("messages", "voicemail")
    wav = (vmdir / sorted(n for n in os.listdir(vmdir) if n.endswith(".wav"))[0]).read_bytes()
    before = mark(sim)
    with open(mnt.ext("greetings", "Voicemail.wav"), "wb") as f:
        f.write(wav)
    posts = sent(sim, before)
    assert [(r["method"], r["operation"]) for r in posts] == [("POST", "createGreeting")]
    parts = {p["name"]: p for p in posts[0]["body"]}
    assert json.loads(parts["json"]["text"]) == {"type": "Voicemail"}
    assert parts["binary"]["size"] == len(wav)
    assert os.listdir(mnt.ext("greetings")) == []
    before = mark(sim)
    with open(mnt.acct("greetings", "Company.wav"), "wb") as f:
        f.write(wav)
    assert [r["operation"] for r in sent(sim, before)] == ["getCompanyGreeting"]
    before = mark(sim)
    assert close_error(mnt.ext("greetings", "Lullaby.wav"), "RIFF") == errno.EINVAL
    assert sent(sim, before) == []


# ---- exactly once --------------------------------------------------------------------

def test_sms_sent_exactly_once_when_the_connection_drops(sim, mnt):
    box = mnt.ext("outbox", "sms")
    os.listdir(box)
    sim.fault("drop_after_request", path=r"/sms$", count=1)
    before = mark(sim)
    err = close_error(box / "+14155550111", "exactly once")
    assert len(sent(sim, before, "sendSMS")) == 1
    mine = [m for m in messages(sim, "SMS") if m.get("subject") == "exactly once"]
    assert len(mine) == 1
    # the message store shows it was sent, so close succeeds and nothing is resent
    assert err is None
    assert os.listdir(box) == []


def test_nothing_is_resent_by_a_second_close(sim, mnt):
    box = mnt.ext("outbox", "sms")
    fd = os.open(box / "+14155550123", os.O_CREAT | os.O_WRONLY, 0o644)
    fd2 = os.dup(fd)
    os.write(fd, b"only once")
    before = mark(sim)
    os.close(fd)   # flush: sent
    os.close(fd2)  # a second flush of the same file: nothing new to send
    assert len(sent(sim, before, "sendSMS")) == 1


def test_a_message_that_looks_like_a_throttle_is_sent_once(sim, mnt):
    box = mnt.ext("outbox", "sms")
    before = mark(sim)
    write(box / "+14155550100", "CMN-301")
    assert len(sent(sim, before, "sendSMS")) == 1
    assert os.listdir(box) == []


def test_children_writing_one_message_send_it_whole_once(sim, mnt):
    box = mnt.ext("outbox", "sms")
    before = mark(sim)
    subprocess.run(["sh", "-c", f"{{ /bin/echo part-one; /bin/echo part-two; }} > {box}/+14155550177"],
                   check=True)
    posts = sent(sim, before, "sendSMS")
    assert len(posts) == 1
    assert body_of(posts[0])["text"] == "part-one\npart-two"


def test_a_file_removed_while_open_is_not_sent(sim, mnt):
    box = mnt.ext("outbox", "sms")
    before = mark(sim)
    f = open(box / "+14155550155", "w")
    f.write("never mind")
    f.flush()
    os.unlink(box / "+14155550155")
    with pytest.raises(OSError) as e:
        f.close()
    assert e.value.errno == errno.ENOENT
    assert sent(sim, before) == []


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
    """On an old server (/glip); test_glip.py has today's /team-messaging/v1 one."""
    mnt = mounter(options=SLOW)
    sim.config(team_messaging=False)
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
    assert (box / "+14155550100").read_text() == "sent before the crash\n"
    assert len(sent(sim, since, operation="sendSMS")) == 1
    os.unlink(box / "+14155550100")
    assert os.listdir(box) == []


def test_removing_failed_outbox_files_frees_their_bytes(sim, mnt):
    def held():
        return json.loads(os.getxattr(mnt.path, "user.ringfs.stats"))["content_bytes"]

    box = mnt.ext("outbox", "sms")
    before = held()
    names = [f"+1415555010{i}" for i in range(8)]
    for name in names:  # refused at close (EINVAL, too long): each keeps what was written
        assert close_error(box / name, "x" * (1 << 20)) == errno.EINVAL
    assert held() >= before + 8 * (1 << 20)

    for name in names:
        os.unlink(box / name)

    assert held() <= before
    assert not set(names) & set(os.listdir(box))


# ---- MMS: a picture, video or sound copied into outbox/sms/ -------------------------

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
       b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
       b"5\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82")


def test_a_picture_copied_into_the_outbox_is_sent_once_as_an_mms(sim, mnt, tmp_path):
    box = mnt.ext("outbox", "sms")
    picture = tmp_path / "cat.png"
    picture.write_bytes(PNG)
    before = mark(sim)

    subprocess.run(["cp", str(picture), str(box / "415-555-0142.png")], check=True,
                   timeout=HANG)

    posts = sent(sim, before)
    assert [(r["method"], r["operation"]) for r in posts] == [("POST", "sendSMS")]
    parts = posts[0]["body"]
    assert [(p["name"], p["filename"], p["contentType"]) for p in parts] == [
        ("json", "request.json", "application/json"), ("attachment", "attachment.png", "image/png")]
    request = json.loads(parts[0]["text"])
    assert request["to"] == [{"phoneNumber": "+14155550142"}] and "text" not in request
    assert parts[1]["size"] == len(PNG)
    assert os.listdir(box) == []  # sent: the outbox forgets it
    # the message shows in its conversation with the picture next to it, byte for byte
    conv = mnt.ext("messages", "sms", "+14155550142")
    pictures = [n for n in os.listdir(conv) if n.endswith(".png")]
    assert len(pictures) == 1 and (conv / pictures[0]).read_bytes() == PNG
    mms = [m for m in messages(sim, "SMS")
           if m["to"][0].get("phoneNumber") == "+14155550142"]
    assert len(mms) == 1


def test_an_mms_whose_answer_is_lost_is_found_not_resent(sim, mnt):
    box = mnt.ext("outbox", "sms")
    os.listdir(box)
    sim.fault("drop_after_request", path=r"/sms$", count=1)
    before = mark(sim)
    with open(box / "+14155550143.png", "wb") as f:
        f.write(PNG)
    assert len(sent(sim, before, "sendSMS")) == 1
    assert os.listdir(box) == []


def test_an_mms_too_large_or_empty_is_refused_and_nothing_sent(sim, mnt):
    box = mnt.ext("outbox", "sms")
    before = mark(sim)
    def close_bytes(path, data):
        try:
            write(path, data, "wb")
        except OSError as e:
            return e.errno
        return None

    assert close_bytes(box / "+14155550144.mp4", b"\0" * 1500001) == errno.EFBIG
    assert close_bytes(box / "+14155550145.jpg", b"") is None  # empty: a draft, kept
    assert sent(sim, before, "sendSMS") == []
    assert sorted(os.listdir(box)) == ["+14155550144.mp4", "+14155550145.jpg"]
