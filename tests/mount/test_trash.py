"""gio trash on the mount: its .Trash-<uid> (the freedesktop.org trash of a mounted volume),
whose files/ is the logged-in extension's messages/deleted/: trashing a message file is
what rm of it does (one DELETE to Deleted), and a file manager's Restore is mv from deleted/.

These run Debian's real gio (libglib2.0-bin; contrib/install-deps.sh installs it)."""
import os
import shutil
import subprocess
from urllib.parse import unquote

import pytest

from helpers import mark, message, sent

def gio(*args):
    # never a silent skip: a machine without gio fails, saying what to install
    if shutil.which("gio") is None:
        pytest.fail("gio is missing: install libglib2.0-bin (contrib/install-deps.sh does)")
    # the local file backend, as in a desktop session without gvfs
    return subprocess.run(["gio", *args], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, GIO_USE_VFS="local"))


def can_trash(path):
    out = gio("info", "-a", "access::can-trash", str(path)).stdout
    return "access::can-trash: TRUE" in out


def trash_of(mnt):
    return mnt.path / (".Trash-%d" % os.geteuid())


def trashinfo(mnt, name):
    """The original path (relative to the mount) a .trashinfo says."""
    text = (trash_of(mnt) / "info" / (name + ".trashinfo")).read_text()
    assert text.startswith("[Trash Info]\n")
    path = next(line[5:] for line in text.splitlines() if line.startswith("Path="))
    return unquote(path)


def a_voicemail(mnt):
    """The first voicemail: its folder, deleted/, the stem of its names, its id, its files."""
    vm = mnt.ext("messages", "voicemail")
    deleted = mnt.ext("messages", "deleted")
    stem = sorted(n for n in os.listdir(vm) if n.endswith(".wav"))[0][:-4]
    files = sorted(n for n in os.listdir(vm) if n.startswith(stem + "."))
    assert len(files) >= 2
    assert not [n for n in os.listdir(deleted) if n.startswith(stem)]
    return vm, deleted, stem, stem.rsplit("_", 1)[1], files


def test_gio_trash_of_a_voicemail_is_rm(sim, mnt):
    vm, deleted, stem, mid, files = a_voicemail(mnt)
    wav = stem + ".wav"
    assert ".Trash-%d" % os.geteuid() not in os.listdir(mnt.path)  # found by name only
    assert can_trash(vm / wav)

    before = mark(sim)
    r = gio("trash", str(vm / wav))

    assert r.returncode == 0, r.stderr
    assert [(d["method"], d["operation"], d["path"].rsplit("/", 1)[1])
            for d in sent(sim, before)] == [("DELETE", "deleteMessage", mid)]
    assert message(sim, mid)[1]["availability"] == "Deleted"
    assert not [n for n in os.listdir(vm) if n.startswith(stem)]  # its files went with it
    assert sorted(n for n in os.listdir(deleted) if n.startswith(stem)) == files
    assert sorted(n for n in os.listdir(trash_of(mnt) / "files") if n.startswith(stem)) == files
    assert trashinfo(mnt, wav).endswith("/messages/voicemail/" + wav)

    # the same name again: gone (ENOENT), nothing sent
    before = mark(sim)
    r = gio("trash", str(vm / wav))
    assert r.returncode != 0
    assert "No such file or directory" in r.stderr, r.stderr
    assert sent(sim, before) == []

    # a sibling the shell listed before (a selection in a file manager): no second DELETE,
    # which RingCentral would take as a purge
    r = gio("trash", str(vm / (stem + ".json")))
    assert r.returncode == 0, r.stderr
    assert sent(sim, before) == []
    assert message(sim, mid)[1]["availability"] == "Deleted"


def test_restore_from_the_trash_is_mv_from_deleted(sim, mnt):
    vm = mnt.ext("messages", "voicemail")
    wav = sorted(n for n in os.listdir(vm) if n.endswith(".wav"))[1]
    mid = wav[:-4].rsplit("_", 1)[1]
    assert gio("trash", str(vm / wav)).returncode == 0
    origin = mnt.path / trashinfo(mnt, wav)
    assert message(sim, mid)[1]["availability"] == "Deleted"

    # what a file manager's Restore does: the trashed file back to where the info says
    before = mark(sim)
    os.rename(trash_of(mnt) / "files" / wav, origin)

    assert [(d["method"], d["operation"]) for d in sent(sim, before)] == [
        ("PATCH", "patchMessage")]
    assert message(sim, mid)[1]["availability"] == "Alive"
    assert wav in os.listdir(vm)
    assert wav not in os.listdir(trash_of(mnt) / "files")

    # trashed again, then deleted from the trash (emptying it): purged, as rm in deleted/
    assert gio("trash", str(vm / wav)).returncode == 0
    before = mark(sim)
    os.unlink(trash_of(mnt) / "files" / wav)
    assert [(d["method"], d["query"]) for d in sent(sim, before)] == [("DELETE", "purge=true")]
    assert message(sim, mid)[0] == 404


def test_gio_trash_of_an_sms(sim, mnt):
    sms = mnt.ext("messages", "sms")
    peer = sorted(os.listdir(sms))[0]
    txt = sorted(n for n in os.listdir(sms / peer) if n.endswith(".txt")
                 and n != "conversation.txt")[0]
    mid = txt[:-4].rsplit("_", 1)[1]
    before = mark(sim)

    r = gio("trash", str(sms / peer / txt))

    assert r.returncode == 0, r.stderr
    assert [d["operation"] for d in sent(sim, before)] == ["deleteMessage"]
    assert message(sim, mid)[1]["availability"] == "Deleted"
    # deleted/ is flat: the peer joins the name there
    assert [n for n in os.listdir(mnt.ext("messages", "deleted")) if n.endswith(f"_{mid}.txt")]


def test_gio_trash_of_what_has_no_deleted_folder_fails_and_keeps_it(sim, mnt):
    contacts = mnt.ext("contacts")
    vcf = sorted(n for n in os.listdir(contacts) if n.endswith(".vcf"))[0]
    info = trash_of(mnt) / "info"
    for path in (contacts / vcf, mnt.ext("presence.json"), mnt.ext("messages", "sms", "x")):
        before = mark(sim)
        r = gio("trash", str(path))
        assert r.returncode != 0, path
        assert sent(sim, before) == [], path  # nothing deleted: a contact has no Deleted
        assert not [n for n in os.listdir(info) if n.startswith(path.name)], path
    assert vcf in os.listdir(contacts)
    assert (contacts / vcf).read_text().startswith("BEGIN:VCARD")


def test_mv_into_deleted_is_rm(sim, mnt):
    vm, deleted, stem, mid, names = a_voicemail(mnt)
    before = mark(sim)

    r = subprocess.run(["mv"] + [str(vm / n) for n in names] + [str(deleted)],
                       capture_output=True, text=True)

    assert r.returncode == 0, r.stderr
    assert [d["operation"] for d in sent(sim, before)] == ["deleteMessage"]
    assert message(sim, mid)[1]["availability"] == "Deleted"
    assert sorted(n for n in os.listdir(deleted) if n.startswith(stem)) == names
