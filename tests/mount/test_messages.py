"""The message store: voicemail, fax, SMS and pager messages read as files
(names, times, sizes, audio, PDFs, transcripts) and what listing them costs;
and what a user does to them: read status, rm (one DELETE per message however
many of its files go), rmdir of a conversation, purge.
"""
import errno
import json
import math
import os
import re
import select
import shutil
import stat
import subprocess
import threading
import time
from collections import defaultdict
from datetime import datetime, timezone

import pytest

from helpers import (EXT, HANG, SAM, close_error, iso_time, mark, media_bytes, message, messages,
                     ops, receive_mms, sent)

TIME_NAME = r"\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d"


# ---- helpers -------------------------------------------------------------------------

def name_time(name):
    stamp = re.match(TIME_NAME, name).group(0)
    return datetime.strptime(stamp, "%Y-%m-%d_%H-%M-%S").replace(tzinfo=timezone.utc).timestamp()


def as_text_file(text):
    """A message's text as its .txt holds it: with a final newline (none added to
    empty text or to text already ending in one)."""
    nl = b"\n" if isinstance(text, bytes) else "\n"
    return text if not text or text.endswith(nl) else text + nl


def ls_l(path):
    """What ls -l does: list, then stat (lstat) every entry."""
    names = sorted(os.listdir(path))
    return {n: os.lstat(os.path.join(path, n)) for n in names}


def files_by_message(folder):
    """{message id: [names]} of a message folder (the id ends the name's stem)."""
    out = defaultdict(list)
    for name in os.listdir(folder):
        if name.endswith("conversation.txt"):
            continue  # a conversation's view, no message of its own
        stem = name.split(".", 1)[0]
        out[stem.rsplit("_", 1)[1]].append(name)
    return out


def deletes(sim, since):
    return [r for r in sent(sim, since, method="DELETE") if "/message-store" in r["path"]]


# ---- reading -------------------------------------------------------------------------

def test_voicemail_names_mtimes_and_cost(sim, mnt):
    vms = messages(sim, "VoiceMail")
    assert len(vms) >= 3
    vmdir = mnt.ext("messages", "voicemail")
    os.listdir(mnt.ext("messages"))  # resolve the path first
    before = mark(sim)
    entries = ls_l(vmdir)
    cost = ops(sim, before)
    # the listing request alone: one page of up to 1000 records
    assert cost == ["listMessages"] * math.ceil(len(vms) / 1000), cost

    by_id = {str(m["id"]): m for m in vms}
    seen = set()
    for name, st in entries.items():
        m = re.fullmatch(TIME_NAME + r"_([^_]+)_(\d+)\.(wav|mp3|json|transcript\.txt)", name)
        assert m, name
        msg = by_id[m.group(2)]
        seen.add(m.group(2))
        assert m.group(1) == msg["from"].get("phoneNumber", msg["from"].get("extensionNumber"))
        assert st.st_mtime == iso_time(msg["creationTime"])
        assert name_time(name) == int(iso_time(msg["creationTime"]))
    assert seen == set(by_id)
    names = sorted(n for n in entries if n.endswith(".json"))
    times = [name_time(n) for n in names]
    assert times == sorted(times)

    # a second ls -l within the cache lifetime costs nothing
    before = mark(sim)
    ls_l(vmdir)
    assert ops(sim, before) == []


def test_paged_listing_costs_one_request_per_page(sim, mounter):
    mnt = mounter(options=["page_size=2"])
    vms = messages(sim, "VoiceMail")
    os.listdir(mnt.ext("messages"))
    before = mark(sim)
    entries = ls_l(mnt.ext("messages", "voicemail"))
    assert ops(sim, before) == ["listMessages"] * math.ceil(len(vms) / 2)
    assert len([n for n in entries if n.endswith(".json")]) == len(vms)


def test_voicemail_content_is_real_audio(sim, mnt):
    vmdir = mnt.ext("messages", "voicemail")
    vms = {str(m["id"]): m for m in messages(sim, "VoiceMail")}
    audio = sorted(n for n in os.listdir(vmdir) if n.endswith((".wav", ".mp3")))
    assert audio
    for name in audio[:4]:
        path = vmdir / name
        msg = vms[re.search(r"_(\d+)\.\w+$", name).group(1)]
        att = [a for a in msg["attachments"] if a["type"] == "AudioRecording"][0]
        expected = media_bytes(sim, att["uri"])
        # before the first read the size is an estimate, never 0 (file(1) would say "empty")
        assert os.getxattr(path, "user.ringfs.size") == b"estimate"
        assert os.stat(path).st_size > 0
        out = subprocess.run(["file", "-b", str(path)], capture_output=True, text=True).stdout
        assert "audio" in out.lower() or "wave" in out.lower(), out
        data = path.read_bytes()
        assert data == expected
        assert os.stat(path).st_size == len(expected)  # exact once fetched
        assert os.getxattr(path, "user.ringfs.size") == b"exact"
        if shutil.which("soxi"):
            r = subprocess.run(["soxi", "-D", str(path)], capture_output=True, text=True)
            assert r.returncode == 0 and float(r.stdout) > 0, r.stderr
        # the JSON next to it is the full record
        meta = json.loads(path.with_name(re.sub(r"\.\w+$", ".json", name)).read_text())
        assert meta == msg


def test_partial_reads_and_cp(sim, mnt, tmp_path):
    vmdir = mnt.ext("messages", "voicemail")
    name = sorted(n for n in os.listdir(vmdir) if n.endswith(".wav"))[0]
    expected = (vmdir / name).read_bytes()
    fd = os.open(vmdir / name, os.O_RDONLY)
    try:
        assert os.pread(fd, 100, 44) == expected[44:144]
        assert os.pread(fd, 10, len(expected) - 4) == expected[-4:]
        assert os.pread(fd, 10, len(expected) + 10) == b""
    finally:
        os.close(fd)
    dest = tmp_path / "copy.wav"
    subprocess.run(["cp", str(vmdir / name), str(dest)], check=True)
    assert dest.read_bytes() == expected


@pytest.mark.parametrize("tool", [["cp"], ["cat"], ["rsync", "-a"], ["dd", "bs=7"]])
def test_first_copy_of_unread_media_is_complete(sim, mnt, tmp_path, tool):
    faxdir = mnt.ext("messages", "fax")
    faxes = {str(m["id"]): m for m in messages(sim, "Fax")}
    name = sorted(n for n in os.listdir(faxdir) if n.endswith(".pdf"))[0]
    msg = faxes[re.search(r"_(\d+)\.pdf$", name).group(1)]
    att = [a for a in msg["attachments"] if a["type"] == "RenderedDocument"][0]
    expected = media_bytes(sim, att["uri"])
    assert os.stat(faxdir / name).st_size != len(expected)  # the estimate is off on purpose
    dest = tmp_path / "out.pdf"
    src = str(faxdir / name)
    if tool[0] == "cat":
        with open(dest, "wb") as out:
            subprocess.run(["cat", src], stdout=out, check=True)
    elif tool[0] == "dd":
        subprocess.run(["dd", f"if={src}", f"of={dest}", tool[1], "status=none"], check=True)
    else:
        if not shutil.which(tool[0]):
            pytest.fail(f"{tool[0]} is not installed (contrib/install-deps.sh installs it)")
        subprocess.run(tool + [src, str(dest)], check=True)
    assert dest.read_bytes() == expected


def test_media_size_known_after_remount_without_request(sim, mounter, tmp_path):
    base = tmp_path / "shared"
    first = mounter(base=base)
    vmdir = first.ext("messages", "voicemail")
    name = sorted(n for n in os.listdir(vmdir) if n.endswith(".wav"))[0]
    data = (vmdir / name).read_bytes()
    assert first.stop() == 0
    second = mounter(base=base)
    before = mark(sim)
    st = os.stat(second.ext("messages", "voicemail", name))
    assert st.st_size == len(data)
    assert "preturns-a-specific-message-attachment" not in " ".join(
        o or "" for o in ops(sim, before))
    assert (second.ext("messages", "voicemail", name)).read_bytes() == data
    assert not [o for o in ops(sim, before) if o and o.startswith("preturns")]


def test_fax_is_pdf(sim, mnt):
    faxdir = mnt.ext("messages", "fax")
    faxes = {str(m["id"]): m for m in messages(sim, "Fax")}
    pdfs = sorted(n for n in os.listdir(faxdir) if n.endswith(".pdf"))
    assert len(pdfs) == len(faxes)
    for name in pdfs[:3]:
        msg = faxes[re.search(r"_(\d+)\.pdf$", name).group(1)]
        att = [a for a in msg["attachments"] if a["type"] == "RenderedDocument"][0]
        data = (faxdir / name).read_bytes()
        assert data == media_bytes(sim, att["uri"])
        assert data.startswith(b"%PDF-")
        if shutil.which("pdfinfo"):
            r = subprocess.run(["pdfinfo", str(faxdir / name)], capture_output=True, text=True)
            assert r.returncode == 0, r.stderr
            pages = int(re.search(r"Pages:\s+(\d+)", r.stdout).group(1))
            assert pages == msg.get("faxPageCount", pages)


def test_sms_conversations_read_as_text(sim, mnt):
    smsdir = mnt.ext("messages", "sms")
    sms = messages(sim, "SMS")
    peers = os.listdir(smsdir)
    expected_peers = set()
    for m in sms:
        party = m["to"][0] if m["direction"] == "Outbound" else m["from"]
        expected_peers.add(party.get("phoneNumber") or party.get("extensionNumber"))
    assert set(peers) == expected_peers
    by_id = {str(m["id"]): m for m in sms}
    count = 0
    for peer in peers:
        for name in os.listdir(smsdir / peer):
            if name == "conversation.txt":
                continue  # the view of them all (below)
            m = re.fullmatch(TIME_NAME + r"_(in|out)_(\d+)\.(txt|json)", name)
            assert m, name
            msg = by_id[m.group(2)]
            assert m.group(1) == ("out" if msg["direction"] == "Outbound" else "in")
            path = smsdir / peer / name
            data = path.read_bytes()
            assert os.stat(path).st_size == len(data)  # exact before and after reading
            if name.endswith(".txt"):
                count += 1
                assert data.decode() == as_text_file(msg["subject"])
                text_att = [a for a in msg["attachments"] if a["type"] == "Text"]
                if text_att:
                    assert data == as_text_file(media_bytes(sim, text_att[0]["uri"]))
    assert count == len(sms)


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes((i * 13) % 256 for i in range(30000)) + b"\xff\xd9"
def test_a_received_mms_shows_its_picture_next_to_its_message(sim, mounter):
    """An MMS another user sent us: its conversation's folder shows the text, the
    record and the picture (named <message>_<attachmentId>.jpg by its type), from the
    SMS listing alone; the picture reads the bytes the service holds."""
    msg = receive_mms(sim, "the view from here", [("IMG_0042.jpg", "image/jpeg", JPEG)])
    pic = [a for a in msg["attachments"] if a["type"] == "MmsAttachment"]
    assert [a["contentType"] for a in pic] == ["image/jpeg"]
    held = media_bytes(sim, pic[0]["uri"])
    assert held == JPEG
    m = mounter()
    smsdir = m.ext("messages", "sms")
    os.listdir(m.ext("messages"))  # the path resolved first
    start = mark(sim)
    assert SAM in os.listdir(smsdir)
    names = os.listdir(smsdir / SAM)
    assert ops(sim, start) == ["listMessages"]  # the SMS listing, nothing per message
    base = [n[:-5] for n in names if n.endswith("_%s.json" % msg["id"])]
    assert len(base) == 1 and re.fullmatch(TIME_NAME + r"_in_\d+", base[0])
    base = base[0]
    assert base[:19] == datetime.fromtimestamp(iso_time(msg["creationTime"]),
                                               timezone.utc).strftime("%Y-%m-%d_%H-%M-%S")
    picture = "%s_%s.jpg" % (base, pic[0]["id"])
    assert sorted(n for n in names if n.startswith(base)) == sorted(
        [base + ".txt", base + ".json", picture])
    assert (smsdir / SAM / (base + ".txt")).read_text() == "the view from here\n"
    assert json.loads((smsdir / SAM / (base + ".json")).read_text()) == msg
    # its size is the record's (exact, no request), and the bytes are the service's
    assert os.stat(smsdir / SAM / picture).st_size == len(JPEG)
    assert ops(sim, start) == ["listMessages"]
    assert (smsdir / SAM / picture).read_bytes() == held
    # one download (the seed names the media host's operation so)
    assert [o.startswith("preturns-a-specific-message-attachment") for o in ops(sim, start)[1:]] \
        == [True]
    assert "the view from here" in (smsdir / SAM / "conversation.txt").read_text()


# what phones send besides JPEG: each is named by its type, and read as served
MMS_FILES = [("clip.mov", "video/quicktime", "mov", b"\x00\x00\x00\x14ftypqt  " + b"\x01" * 5000),
             ("sticker.webp", "image/webp", "webp", b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x02" * 700),
             ("scan.bmp", "image/bmp", "bmp", b"BM" + b"\x03" * 900),
             ("voice.m4a", "audio/mp4", "m4a", b"\x00\x00\x00\x1cftypM4A " + b"\x04" * 800),
             ("Ana.vcf", "text/vcard", "vcf", b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana\r\nEND:VCARD\r\n"),
             ("photos.zip", "application/zip", "zip", b"PK\x03\x04" + b"\x05" * 600),
             ("list.csv", "text/csv", "csv", b"a,b\r\n1,2\r\n")]


def test_a_received_mms_of_other_types_names_each_file_by_its_type(sim, mnt):
    msg = receive_mms(sim, "all sorts", [(n, t, d) for n, t, _, d in MMS_FILES])
    files = [a for a in msg["attachments"] if a["type"] == "MmsAttachment"]
    assert [a["contentType"] for a in files] == [t for _, t, _, _ in MMS_FILES]
    conv = mnt.ext("messages", "sms", SAM)
    names = os.listdir(conv)
    base = [n[:-5] for n in names if n.endswith("_%s.json" % msg["id"])][0]
    for att, (_, _, ext, data) in zip(files, MMS_FILES):
        name = "%s_%s.%s" % (base, att["id"], ext)
        assert name in names
        assert (conv / name).read_bytes() == data == media_bytes(sim, att["uri"])


def test_text_files_end_in_a_newline_and_cat_keeps_them_apart(sim, mnt):
    smsdir = mnt.ext("messages", "sms")
    peer = max(os.listdir(smsdir), key=lambda p: len(os.listdir(smsdir / p)))
    conv = smsdir / peer
    texts = sorted(conv / n for n in os.listdir(conv) if n.endswith(".txt"))
    texts = [p for p in texts if os.stat(p).st_size > 0]  # an MMS may have no text
    assert len(texts) >= 2
    for p in texts:
        data = p.read_bytes()
        assert data.endswith(b"\n") and os.stat(p).st_size == len(data)
    out = subprocess.run(["sh", "-c", 'cat "$@" | wc -l', "sh", *map(str, texts)],
                         capture_output=True, text=True, check=True).stdout
    assert int(out) == sum(p.read_bytes().count(b"\n") for p in texts) >= len(texts)
    pdir = mnt.ext("messages", "pager")
    for name in os.listdir(pdir):
        if name.endswith(".txt"):
            data = (pdir / name).read_bytes()
            assert data.endswith(b"\n") and os.stat(pdir / name).st_size == len(data)


def test_pager_messages(sim, mnt):
    pager = {str(m["id"]): m for m in messages(sim, "Pager")}
    pdir = mnt.ext("messages", "pager")
    views = [n for n in os.listdir(pdir) if n.endswith(".conversation.txt")]
    names = [n for n in os.listdir(pdir) if n not in views]
    assert len([n for n in names if n.endswith(".txt")]) == len(pager)
    # one conversation view per peer (the extension number the messages name)
    peers = {re.fullmatch(TIME_NAME + r"_(in|out)_([^_]+)_(\d+)\.txt", n).group(2)
             for n in names if n.endswith(".txt")}
    assert sorted(views) == sorted(p + ".conversation.txt" for p in peers)
    for name in names:
        m = re.fullmatch(TIME_NAME + r"_(in|out)_([^_]+)_(\d+)\.(txt|json)", name)
        assert m, name
        msg = pager[m.group(3)]
        data = (pdir / name).read_bytes()
        if name.endswith(".txt"):
            assert data.decode() == as_text_file(msg["subject"])
            att = [a for a in msg["attachments"] if a["type"] == "Text"][0]
            assert data == as_text_file(media_bytes(sim, att["uri"]))
        else:
            assert json.loads(data) == msg


def test_voicemail_transcripts(sim, mnt):
    vmdir = mnt.ext("messages", "voicemail")
    done = [m for m in messages(sim, "VoiceMail")
            if m.get("vmTranscriptionStatus") in ("Completed", "CompletedPartially")]
    names = sorted(n for n in os.listdir(vmdir) if n.endswith(".transcript.txt"))
    assert len(names) == len(done) > 0
    by_id = {str(m["id"]): m for m in done}
    for name in names[:3]:
        msg = by_id[re.search(r"_(\d+)\.transcript\.txt$", name).group(1)]
        att = [a for a in msg["attachments"] if a["type"] == "AudioTranscription"][0]
        served = media_bytes(sim, att["uri"])
        # never read yet: an estimate, as for media (the attachment gives no size: a page)
        assert os.getxattr(vmdir / name, "user.ringfs.size") == b"estimate"
        assert os.stat(vmdir / name).st_size == att.get("size", 4096)
        # text ends in a newline, as every text file of the mount: cat *.txt keeps them apart
        want = served + (b"" if served.endswith(b"\n") else b"\n")
        with open(vmdir / name, "rb") as f:
            assert os.fstat(f.fileno()).st_size == len(want)  # exact once opened
            text = f.read()
        assert text == want
        assert os.stat(vmdir / name).st_size == len(text)
        assert os.getxattr(vmdir / name, "user.ringfs.size") == b"exact"
    cat = subprocess.run("cat *.transcript.txt | wc -l", shell=True, cwd=vmdir,
                         capture_output=True, text=True, timeout=HANG)
    assert int(cat.stdout) == len(names)


def test_message_sync_and_active_calls(sim, mnt):
    sync = json.loads(mnt.ext("messages", "sync.json").read_text())
    assert sync["syncInfo"]["syncType"] == "FSync"
    before = mark(sim)
    names = os.listdir(mnt.ext("active-calls"))
    assert ops(sim, before) == ["listExtensionActiveCalls"]
    assert all(n.endswith(".json") for n in names)


# ---- read status ---------------------------------------------------------------------

def test_read_status_xattr_and_reading_never_marks_read(sim, mnt):
    vmdir = mnt.ext("messages", "voicemail")
    unread = [m for m in messages(sim, "VoiceMail") if m["readStatus"] == "Unread"]
    assert unread
    for name in os.listdir(vmdir):
        (vmdir / name).read_bytes()  # a thumbnailer reads everything
    assert [m["readStatus"] for m in messages(sim, "VoiceMail") if m["id"] in
            {u["id"] for u in unread}] == ["Unread"] * len(unread)

    msg = unread[0]
    name = [n for n in os.listdir(vmdir) if n.endswith(f"_{msg['id']}.json")][0]
    assert os.getxattr(vmdir / name, "user.ringfs.read_status") == b"Unread"
    before = mark(sim)
    os.setxattr(vmdir / name, "user.ringfs.read_status", b"Read")
    puts = sent(sim, before)
    assert [(r["method"], r["operation"]) for r in puts] == [("PUT", "updateMessage")]
    st, _, body = sim.get(f"{EXT}/message-store/{msg['id']}")
    assert json.loads(body)["readStatus"] == "Read"
    assert os.getxattr(vmdir / name, "user.ringfs.read_status") == b"Read"
    with pytest.raises(OSError) as e:
        os.setxattr(vmdir / name, "user.ringfs.read_status", b"Maybe")
    assert e.value.errno == errno.EINVAL


# ---- rm, rmdir, purge ----------------------------------------------------------------

def test_rm_moves_a_message_to_deleted(sim, mnt):
    vmdir = mnt.ext("messages", "voicemail")
    msg = messages(sim, "VoiceMail")[0]
    names = [n for n in os.listdir(vmdir) if f"_{msg['id']}." in n]
    assert len(names) >= 2
    before = mark(sim)
    os.unlink(vmdir / names[0])
    assert [(r["method"], r["operation"]) for r in sent(sim, before)] == [
        ("DELETE", "deleteMessage")]
    st, _, body = sim.get(f"{EXT}/message-store/{msg['id']}")
    assert json.loads(body)["availability"] == "Deleted"
    # the listing is refreshed: every file of that message is gone
    assert not [n for n in os.listdir(vmdir) if f"_{msg['id']}." in n]


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


def test_rmdir_deletes_a_conversation(sim, mnt):
    smsdir = mnt.ext("messages", "sms")
    peer = sorted(os.listdir(smsdir))[0]
    ids = list(files_by_message(smsdir / peer))
    before = mark(sim)
    os.rmdir(smsdir / peer)
    dels = sent(sim, before)
    assert [(r["method"], r["operation"]) for r in dels] == [("DELETE", "deleteMessagesByFilter")]
    assert "conversationId=" in dels[0]["query"]
    assert peer not in os.listdir(smsdir)
    for mid in set(ids):
        st, _, body = sim.get(f"{EXT}/message-store/{mid}")
        assert json.loads(body)["availability"] == "Deleted"


def test_purge_a_message(sim, mnt):
    pdir = mnt.ext("messages", "pager")
    msg = messages(sim, "Pager")[0]
    name = [n for n in os.listdir(pdir) if n.endswith(f"_{msg['id']}.json")][0]
    before = mark(sim)
    os.setxattr(pdir / name, "user.ringfs.purge", b"1")
    dels = sent(sim, before)
    assert [(r["method"], r["operation"], r["query"]) for r in dels] == [
        ("DELETE", "deleteMessage", "purge=true")]
    st, _, _ = sim.get(f"{EXT}/message-store/{msg['id']}")
    assert st == 404 or json.loads(sim.get(f"{EXT}/message-store/{msg['id']}")[2])[
        "availability"] == "Purged"
    assert not [n for n in os.listdir(pdir) if f"_{msg['id']}." in n]


def test_purge_stays_an_explicit_act(sim, mnt):
    vm = mnt.ext("messages", "voicemail")
    msg_id, names = sorted(files_by_message(vm).items())[0]
    os.setxattr(vm / names[0], "user.ringfs.purge", b"1")
    assert message(sim, msg_id)[0] == 404


# ---- media served as they arrive -----------------------------------------------------

def long_voicemail(sim, mnt, seconds=600):
    """A voicemail of @seconds of audio (16 kB a second), its path and its bytes."""
    msg = sim.inject(type="VoiceMail", duration=seconds, phoneNumber="+14155550177")
    vm = mnt.ext("messages", "voicemail")
    name = next(n for n in os.listdir(vm) if str(msg["id"]) in n and n.endswith(".wav"))
    att = [a for a in message(sim, msg["id"])[1]["attachments"] if a["type"] == "AudioRecording"]
    return vm / name, media_bytes(sim, att[0]["uri"])


def media_gets(sim, since):
    return [r for r in sim.requests()[since:] if r["host"] == "media" and r["method"] == "GET"]


def test_parallel_readers_of_one_file_share_one_download(sim, mnt):
    path, expected = long_voicemail(sim, mnt)
    since = mark(sim)
    got = [None] * 4
    sim.fault("trickle", host="media", rate=2_000_000, count=1)  # slow enough to overlap

    def read(i):
        with open(path, "rb") as f:
            got[i] = f.read()

    threads = [threading.Thread(target=read, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    assert all(g == expected for g in got)
    assert len(media_gets(sim, since)) == 1


def test_a_reader_far_ahead_gets_its_bytes_before_the_end(sim, mnt):
    path, expected = long_voicemail(sim, mnt)
    since = mark(sim)
    fd = os.open(path, os.O_RDONLY)
    try:
        assert os.fstat(fd).st_size == len(expected)  # exact as soon as open returns
        assert os.pread(fd, 4096, len(expected) - 4096) == expected[-4096:]
        assert os.pread(fd, 4096, 0) == expected[:4096]
        assert os.pread(fd, 10, len(expected)) == b""
    finally:
        os.close(fd)
    assert len(media_gets(sim, since)) == 1


def test_an_interrupted_download_is_restarted_whole(sim, mounter):
    mnt = mounter(options=["request_timeout=2", "download_timeout=2"])
    path, expected = long_voicemail(sim, mnt)
    sim.fault("trickle", host="media", rate=50_000, count=1)  # 9.6 MB at 50 kB/s: cut short

    with open(path, "rb") as f:
        head = f.read(4096)  # the first bytes come while the rest still trickles
    assert head == expected[:4096]
    time.sleep(3)  # past download_timeout: that download failed, nothing of it is kept
    since = mark(sim)

    assert path.read_bytes() == expected
    assert len(media_gets(sim, since)) == 1
    assert os.getxattr(path, "user.ringfs.size") == b"exact"


# ---- conversation.txt ------------------------------------------------------------------

CONT = " " * 23  # a text's further lines: indented by the width of "2026-11-20 10:03:11 >> "


def conversation_of(records):
    """conversation.txt as documented (docs/tree.md), from the store's records of one
    conversation: oldest first (by the names' time, direction and id), one message a line."""
    def key(m):
        when = datetime.fromtimestamp(int(iso_time(m["creationTime"])), timezone.utc)
        return (when.strftime("%Y-%m-%d_%H-%M-%S"),
                "out" if m["direction"] == "Outbound" else "in", str(m["id"]))

    out = ""
    for m in sorted(records, key=key):
        stamp, way, _ = key(m)
        head = "%s %s %s" % (stamp[:10], stamp[11:].replace("-", ":"),
                             ">>" if way == "out" else "<<")
        text = as_text_file(m.get("subject") or "")[:-1]
        if not m.get("subject"):
            out += head + "\n"
            continue
        out += head + " " + ("\n" + CONT).join(text.split("\n")) + "\n"
    return out


def peer_of(m):
    party = m["to"][0] if m["direction"] == "Outbound" else m["from"]
    return party.get("phoneNumber") or party.get("extensionNumber")


def sms_of(sim, peer):
    return [m for m in messages(sim, "SMS") if peer_of(m) == peer]


def test_conversation_txt_is_the_whole_conversation_at_no_cost(sim, mnt):
    smsdir = mnt.ext("messages", "sms")
    peers = sorted(os.listdir(smsdir))
    sms = messages(sim, "SMS")
    since = mark(sim)
    for peer in peers:
        conv = smsdir / peer / "conversation.txt"
        names = os.listdir(smsdir / peer)
        assert names[-1] == "conversation.txt"  # listed after the messages (rm -r)
        data = conv.read_bytes()
        assert os.stat(conv).st_size == len(data)
        assert data.decode() == conversation_of([m for m in sms if peer_of(m) == peer]), peer
        st = os.stat(conv)
        assert st.st_mtime == max(os.stat(smsdir / peer / n).st_mtime for n in names)
        assert stat.S_IMODE(st.st_mode) == 0o644
    assert ops(sim, since) == []  # made from the folder's listing: no request of its own


def test_conversation_multi_line_texts_are_indented(sim, mnt):
    peer = "+14155550142"
    sim.inject(type="SMS", phoneNumber=peer, text="first line\n\nthird line\n")
    sim.inject(type="SMS", phoneNumber=peer, direction="Outbound", text="ok")
    conv = mnt.ext("messages", "sms", peer, "conversation.txt")
    text = conv.read_text()
    lines = text.split("\n")
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d << first line", lines[0])
    assert lines[1:3] == [CONT, CONT + "third line"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d >> ok", lines[3])
    assert lines[4:] == [""]
    assert text == conversation_of(sms_of(sim, peer))


def test_appending_to_conversation_txt_sends_one_sms_each_time(sim, mnt):
    smsdir = mnt.ext("messages", "sms")
    peer = sorted(os.listdir(smsdir))[0]
    conv = smsdir / peer / "conversation.txt"
    newest = max(sms_of(sim, peer), key=lambda m: (m["creationTime"], m["id"]))
    own = (newest["from"] if newest["direction"] == "Outbound" else newest["to"][0])["phoneNumber"]
    before = conv.read_bytes()
    since = mark(sim)

    subprocess.run(["sh", "-c", 'echo "On my way" >> "$1"', "sh", str(conv)], check=True)

    posts = sent(sim, since)
    assert [r["operation"] for r in posts] == ["sendSMS"]
    body = json.loads(posts[0]["body"])
    assert body == {"from": {"phoneNumber": own}, "to": [{"phoneNumber": peer}],
                    "text": "On my way"}
    after = conv.read_bytes()
    assert after.startswith(before)
    assert re.fullmatch(rb"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d >> On my way\n", after[len(before):])
    assert os.stat(conv).st_size == len(after)
    assert after.decode() == conversation_of(sms_of(sim, peer))
    # a second append: a second SMS, the first never again
    with open(conv, "a") as f:
        f.write("Ten minutes\n")
    assert [json.loads(r["body"])["text"] for r in sent(sim, since)] == \
        ["On my way", "Ten minutes"]
    assert conv.read_text().endswith(">> Ten minutes\n")
    assert len([m for m in sms_of(sim, peer) if m["subject"] == "On my way"]) == 1


def test_conversation_txt_takes_appends_only(sim, mnt):
    smsdir = mnt.ext("messages", "sms")
    peer = sorted(os.listdir(smsdir))[0]
    conv = smsdir / peer / "conversation.txt"
    before = conv.read_bytes()
    since = mark(sim)
    with pytest.raises(PermissionError) as e:
        open(conv, "w")                  # > truncates: what was said stays
    assert e.value.errno == errno.EPERM
    fd = os.open(conv, os.O_WRONLY)
    try:
        with pytest.raises(OSError) as e:
            os.pwrite(fd, b"rewritten", 0)   # over earlier bytes
        assert e.value.errno == errno.EPERM
        with pytest.raises(OSError) as e:
            os.ftruncate(fd, 3)
        assert e.value.errno == errno.EPERM
    finally:
        os.close(fd)
    with pytest.raises(OSError) as e:
        os.truncate(conv, 0)
    assert e.value.errno == errno.EPERM
    with pytest.raises(OSError) as e:
        os.unlink(conv)                  # it goes with the messages, not alone
    assert e.value.errno == errno.EPERM
    # an append of nothing, or of an empty line, sends nothing either
    with open(conv, "a"):
        pass
    assert close_error_append(conv, "\n") == errno.EINVAL
    assert sent(sim, since) == []
    assert conv.read_bytes() == before


def close_error_append(path, data):
    try:
        with open(path, "a") as f:
            f.write(data)
    except OSError as e:
        return e.errno
    return None


# what differs between SMS and pager conversations: the store's type, the send, its path
SENDS = {"sms": ("SMS", "sendSMS", r"/sms$"),
         "pager": ("Pager", "sendInternalMessage", r"/company-pager$")}


def conversation(mnt, kind, peer):
    """The conversation file with @peer: sms/<peer>/conversation.txt or
    pager/<peer>.conversation.txt."""
    if kind == "sms":
        return mnt.ext("messages", "sms", peer, "conversation.txt")
    return mnt.ext("messages", "pager", peer + ".conversation.txt")


def a_conversation(mnt, kind, index):
    """(peer, conversation file) of the @index-th peer (by name) of messages/@kind."""
    folder = mnt.ext("messages", kind)
    if kind == "sms":
        peers = sorted(os.listdir(folder))
    else:
        peers = sorted(n[:-len(".conversation.txt")] for n in os.listdir(folder)
                       if n.endswith(".conversation.txt"))
    return peers[index], conversation(mnt, kind, peers[index])


def said(sim, kind, peer, text):
    """The store's messages of @kind with @peer whose text is @text."""
    return [m for m in messages(sim, SENDS[kind][0])
            if peer_of(m) == peer and m.get("subject") == text]


@pytest.mark.parametrize("kind", ["sms", "pager"])
def test_conversation_append_whose_answer_is_lost_is_sent_once(sim, mnt, kind):
    _, operation, path = SENDS[kind]
    peer, conv = a_conversation(mnt, kind, 1)
    conv.read_bytes()
    sim.fault("drop_after_request", method="POST", path=path, count=1)
    since = mark(sim)
    assert close_error_append(conv, "exactly once\n") is None  # found in the store
    assert len(sent(sim, since, operation)) == 1
    assert len(said(sim, kind, peer, "exactly once")) == 1
    assert conv.read_text().endswith(">> exactly once\n")


def test_tail_f_on_conversation_txt_shows_a_new_message(sim, mounter):
    m = mounter(options=["sync_interval=1"])
    smsdir = m.ext("messages", "sms")
    peer = sorted(os.listdir(smsdir))[0]
    conv = smsdir / peer / "conversation.txt"
    tail = subprocess.Popen(["tail", "-n", "1", "-f", str(conv)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    try:
        got = b""

        def line():
            nonlocal got
            deadline = time.monotonic() + 60
            while b"\n" not in got:
                assert time.monotonic() < deadline, "no line from tail -f"
                ready, _, _ = select.select([tail.stdout], [], [], 1)
                if ready:
                    chunk = os.read(tail.stdout.fileno(), 65536)
                    assert chunk, tail.stderr.read()
                    got += chunk
            first, got = got.split(b"\n", 1)
            return first.decode()

        line()  # the newest line there was
        sim.inject(type="SMS", phoneNumber=peer, text="Are you there?")
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d << Are you there\?", line())
        # appended through the mount: shown too
        with open(conv, "a") as f:
            f.write("Yes\n")
        assert line().endswith(" >> Yes")
    finally:
        tail.kill()
        tail.wait(timeout=60)


@pytest.mark.parametrize("kind", ["sms", "pager"])
def test_kill_9_during_a_conversation_append_then_remount_tells_the_truth(sim, mounter,
                                                                           tmp_path, kind):
    _, operation, path = SENDS[kind]
    base = tmp_path / "m"
    m = mounter(base=base)
    peer, conv = a_conversation(m, kind, 0)
    conv.read_bytes()
    sim.fault("slow_reply", method="POST", path=path, delay=30)
    since = mark(sim)
    script = f"with open({str(conv)!r}, 'a') as f: f.write('sent before the crash\\n')"
    writer = subprocess.Popen(["/usr/bin/python3", "-c", script], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not sent(sim, since, operation=operation):
        assert time.monotonic() < deadline, "the send never reached the server"
        time.sleep(0.05)

    m.proc.kill()  # kill -9 while the POST waits for its answer
    m.proc.wait(timeout=60)
    m.proc = None  # not a clean exit: the fixture must not count it
    subprocess.run(["fusermount3", "-u", "-z", str(m.path)], timeout=60)
    writer.wait(timeout=60)
    assert writer.returncode != 0  # the close failed: the daemon died under it

    again = mounter(base=base / "again", env={"XDG_STATE_HOME": str(m.state)})
    box = again.ext("outbox", kind)
    # shown as the outbox file of that peer, with what became of it: sent once, not again
    assert os.listdir(box) == [peer]
    outcome = os.getxattr(box / peer, "user.ringfs.outcome").decode()
    assert outcome.startswith("sent:") and "nothing to resend" in outcome
    assert (box / peer).read_text() == "sent before the crash\n"
    assert len(sent(sim, since, operation=operation)) == 1
    assert len(said(sim, kind, peer, "sent before the crash")) == 1
    assert conversation(again, kind, peer).read_text().endswith(
        ">> sent before the crash\n")


def test_pager_conversations_read_and_appended(sim, mnt):
    pdir = mnt.ext("messages", "pager")
    views = sorted(n for n in os.listdir(pdir) if n.endswith(".conversation.txt"))
    assert views
    pager = messages(sim, "Pager")
    since = mark(sim)
    for view in views:  # each peer's pager messages, oldest first, at no cost
        peer = view[:-len(".conversation.txt")]
        data = (pdir / view).read_bytes()
        assert os.stat(pdir / view).st_size == len(data)
        assert data.decode() == conversation_of([m for m in pager if peer_of(m) == peer]), peer
    assert ops(sim, since) == []
    # an append is one pager message to that extension, sent once
    peer = views[0][:-len(".conversation.txt")]
    before = (pdir / views[0]).read_bytes()
    subprocess.run(["sh", "-c", 'echo "Back in 5" >> "$1"', "sh", str(pdir / views[0])],
                   check=True)
    posts = sent(sim, since)
    assert [r["operation"] for r in posts] == ["sendInternalMessage"]
    assert json.loads(posts[0]["body"])["to"] == [{"extensionNumber": peer}]
    assert json.loads(posts[0]["body"])["text"] == "Back in 5"
    after = (pdir / views[0]).read_bytes()
    assert after.startswith(before)
    assert re.fullmatch(rb"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d >> Back in 5\n", after[len(before):])
    # only appends: a rewrite is refused and sends nothing
    assert close_error(pdir / views[0], "rewritten") == errno.EPERM
    assert len(sent(sim, since)) == 1
