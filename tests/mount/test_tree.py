"""The tree: its shape, modes and names; names that are not there, and files
that take no writes, refused before any request; records reached by id;
documents the server refuses left out; whole-tree walks by standard tools
(grep -r, find -newer, jq, rsync, tar); nodes the kernel forgot freed.
"""
import collections
import errno
import json
import os
import re
import shutil
import stat
import subprocess
import time

import pytest
from concurrent.futures import ThreadPoolExecutor

import simctl
from helpers import EXT, FAR_PAST, api, iso_time, mark, messages, ops


# ---- shape ---------------------------------------------------------------------------

def test_tree_shape(sim, mnt):
    root = mnt.path
    assert sorted(os.listdir(root)) == ["accounts", "api", "dictionary", "glip", "subscriptions",
                                      "team-messaging"]
    accounts = sorted(os.listdir(root / "accounts"))
    assert len(accounts) == 2 and "~" in accounts
    account_id = [a for a in accounts if a != "~"][0]
    assert os.readlink(root / "accounts" / "~") == account_id
    assert stat.S_ISLNK(os.lstat(root / "accounts" / "~").st_mode)

    assert sorted(os.listdir(mnt.acct())) == sorted([
        "account.json", "business-hours.json", "answering-rules", "call-log",
        "recordings", "extensions", "greetings", "directory"])
    exts = os.listdir(mnt.acct("extensions"))
    me = os.readlink(mnt.acct("extensions", "~"))
    assert me in exts
    status, _, body = sim.get("/restapi/v1.0/account/~/extension?perPage=1000")
    listed = {str(r["id"]) for r in json.loads(body)["records"]}
    assert set(exts) - {"~"} == listed
    assert sorted(os.listdir(mnt.ext())) == sorted([
        "extension.json", "presence.json", "business-hours.json", "phone-numbers.json",
        "caller-blocking.json", "favorites.json", "blocked-numbers", "caller-blocking-numbers",
        "forwarding-numbers", "greetings", "meetings", "meetings-service-info.json", "ringout",
        "ringout-legacy", "authz-profile.json", "authz-check", "active-calls",
        "answering-rules", "call-log", "recordings", "contacts", "messages", "people", "outbox", "video"])
    assert sorted(os.listdir(mnt.ext("outbox"))) == ["fax", "pager", "sms"]
    assert sorted(os.listdir(mnt.ext("messages"))) == ["deleted", "fax", "pager", "sms",
                                                       "sync.json", "voicemail"]
    # the message store's files are read-only; its folders show w, since their files can be
    # deleted (rm and file managers look at the folder's mode), but take no new files
    for dirpath, dirnames, filenames in os.walk(mnt.ext("messages")):
        want = 0o555 if dirpath == str(mnt.ext("messages")) else 0o755
        assert stat.S_IMODE(os.stat(dirpath).st_mode) == want, dirpath
        for f in filenames:
            if f == "sync.json":
                continue
            if f.endswith("conversation.txt"):  # takes appends: each one a message
                assert stat.S_IMODE(os.stat(os.path.join(dirpath, f)).st_mode) == 0o644
                continue
            assert stat.S_IMODE(os.stat(os.path.join(dirpath, f)).st_mode) == 0o444
    assert stat.S_IMODE(os.stat(mnt.ext("presence.json")).st_mode) == 0o644
    assert stat.S_IMODE(os.stat(mnt.ext("extension.json")).st_mode) == 0o444
    assert stat.S_IMODE(os.stat(mnt.ext("outbox", "sms")).st_mode) == 0o755


# ---- names and modes -----------------------------------------------------------------

def test_unknown_names_are_enoent_without_requests(sim, mnt):
    os.listdir(mnt.ext("messages", "voicemail"))
    before = mark(sim)
    for p in [mnt.ext("messages", "voicemail", "nope.wav"), mnt.ext("nope"),
              mnt.acct("extensions", "999999999")]:
        with pytest.raises(FileNotFoundError):
            os.stat(p)
    assert ops(sim, before) == []


def test_writes_to_read_only_files_are_refused_before_any_request(sim, mnt):
    vmdir = mnt.ext("messages", "voicemail")
    name = sorted(os.listdir(vmdir))[0]
    os.stat(mnt.ext("extension.json"))  # looking it up reads it; nothing after that
    before = mark(sim)
    for action in [lambda: open(vmdir / name, "w"), lambda: open(vmdir / "new.txt", "w"),
                   lambda: open(mnt.ext("extension.json"), "r+"),
                   lambda: os.unlink(mnt.ext("extension.json")),
                   lambda: os.mkdir(vmdir / "d"), lambda: os.rename(vmdir / name, vmdir / "x")]:
        with pytest.raises(OSError) as e:
            action()
        assert e.value.errno in (errno.EROFS, errno.EACCES, errno.EPERM, errno.EXDEV)
    assert ops(sim, before) == []


def test_records_by_id(sim, mnt):
    calls = api(sim, f"{EXT}/call-log?dateFrom={FAR_PAST}&perPage=1000")["records"]
    call = calls[0]
    before = mark(sim)
    rec = json.loads(mnt.ext("call-log", f"{call['id']}.json").read_text())
    assert rec["id"] == call["id"]
    msg = api(sim, f"{EXT}/message-store?messageType=Fax&dateFrom={FAR_PAST}")["records"][0]
    assert json.loads(mnt.ext("messages", "fax", f"{msg['id']}.json").read_text())["id"] == msg["id"]
    contact = api(sim, f"{EXT}/address-book/contact")["records"][0]
    assert json.loads(mnt.ext("contacts", f"{contact['id']}.json").read_text())["id"] == contact["id"]
    withrec = [c for c in api(sim, f"/restapi/v1.0/account/~/call-log?recordingType=All"
                                   f"&dateFrom={FAR_PAST}&perPage=1000")["records"]
               if "recording" in c][0]
    rid = withrec["recording"]["id"]
    assert json.loads(mnt.acct("recordings", f"{rid}.json").read_text())["id"] == rid
    singles = {"getCallRecords", "loadMessage", "loadContact", "listCallRecordings"}
    assert [o for o in ops(sim, before) if o in singles] == [
        "getCallRecords", "loadMessage", "loadContact", "listCallRecordings"]
    # seen ids stay listed; unknown ones are ENOENT
    assert f"{contact['id']}.json" in os.listdir(mnt.ext("contacts"))
    with pytest.raises(FileNotFoundError):
        os.stat(mnt.ext("contacts", "123.json"))


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


# ---- whole-tree tools ----------------------------------------------------------------

def test_unix_tools(sim, mnt, tmp_path):
    msgdir = mnt.ext("messages")
    sms = messages(sim, "SMS")
    word = sms[0]["subject"].split()[0]
    r = subprocess.run(["grep", "-rlF", word, str(msgdir / "sms")], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.strip()
    # find -newer: files newer than a reference, as on a local disk
    ref = tmp_path / "ref"
    ref.touch()
    mid = sorted(iso_time(m["creationTime"]) for m in sms)[len(sms) // 2]
    os.utime(ref, (mid, mid))
    r = subprocess.run(["find", str(msgdir / "sms"), "-name", "*.txt", "!", "-name",
                        "conversation.txt", "-newer", str(ref)],
                       capture_output=True, text=True, check=True)
    found = len(r.stdout.split())
    assert found == len([m for m in sms if iso_time(m["creationTime"]) > mid])
    if shutil.which("jq"):
        first = sorted(os.listdir(msgdir / "voicemail"))[0]
        stem = re.sub(r"\.(wav|mp3|json|transcript\.txt)$", "", first)
        r = subprocess.run(["jq", "-r", ".type", str(msgdir / "voicemail" / (stem + ".json"))],
                           capture_output=True, text=True, check=True)
        assert r.stdout.strip() == "VoiceMail"


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


def test_todays_service_whole_mount_walk(sim, mounter, tmp_path):
    """RingCentral as it is today (simctl.TODAY: every new-generation call served, the old
    meetings, blocked-number and directory/contacts calls gone): rsync of the whole mount
    exits 0 with nothing said, every folder is served by today's calls, and no retired
    call is asked more than once."""
    sim.config(limits={"Light": 100000, "Medium": 100000, "Heavy": 100000}, **simctl.TODAY)
    mnt = mounter()
    copy = tmp_path / "copy"

    rsync = subprocess.run(["rsync", "-a", f"{mnt.path}/", str(copy)], capture_output=True,
                           text=True, timeout=600)

    assert rsync.returncode == 0 and not rsync.stderr, rsync.stderr[-2000:]
    mine = [r for r in sim.requests() if r["user_agent"].startswith("ringfs/")]
    retired = collections.Counter(r["operation"] for r in mine if r.get("retired"))
    # the one question, asked when extensions/ is listed: meetings/ is not shown
    assert retired == {"loadMeetingServiceInfo": 1}, retired
    served = {r["operation"] for r in mine if r["status"] == 200}
    assert {"listDirectoryEntries", "listBlockedAllowedPhoneNumberLists", "getDefaultBridge",
            "listVideoMeetings", "listGlipChatsNew", "readGlipPostsNew", "listVoiceStateBasedRules",
            "listVoiceInteractionRules", "readForwardingTargets"} <= served, served
    # the user extensions' rules from v2 comm-handling; the Department has no new call
    # handling, so v1's are its own
    dept = [str(e["id"]) for e in sim.demo()["extensions"] if e["type"] == "Department"]
    v1 = {r["path"].split("/")[6] for r in mine
          if r["operation"] in ("loadAnsweringRulesList", "listExtensionForwardingNumbers")}
    assert v1 == set(dept), v1
    assert "listGlipGroups" not in served
    # what failed: only the other extensions' authorization profiles, refused to the
    # token's owner (and left out of their folders)
    failed = {(r["operation"], r["status"]) for r in mine
              if r["status"] != 200 and not r.get("retired")}
    assert failed <= {("getAuthorizationProfile", 403)}, failed
    me = copy / "accounts" / "400131172008" / "extensions" / "400131173008"
    for ext in (copy / "accounts" / "400131172008" / "extensions").iterdir():
        if ext.is_dir() and not ext.is_symlink():
            assert not {"meetings", "meetings-service-info.json"} & set(os.listdir(ext)), ext
    assert len(os.listdir(me / "video" / "meetings")) == 3
    assert os.listdir(me / "blocked-numbers") and os.listdir(copy / "accounts" / "400131172008"
                                                             / "directory")
    # a second walk (find, every file's attributes) finds the same tree, asking nothing retired
    before = mark(sim)
    find = subprocess.run(["find", str(mnt.path), "-printf", "%y %s %P\n"], capture_output=True,
                          text=True, timeout=600)
    assert find.returncode == 0 and not find.stderr, find.stderr[-2000:]
    assert not [r for r in sim.requests()[before:] if r.get("retired")]
    assert not [line for line in find.stdout.splitlines() if "/meetings-service-info.json" in line
                or re.search(r"extensions/[0-9]+/meetings(/|$)", line)]


# ---- nodes ---------------------------------------------------------------------------

def nodes(mnt):
    return json.loads(os.getxattr(mnt.path, "user.ringfs.stats"))["nodes"]


def test_nodes_the_kernel_forgot_are_freed(sim, mounter):
    # no live refresh: the listing after cache_timeout is what drops the deleted ones
    mnt = mounter(options=["cache_timeout=1", "request_timeout=1", "sync_interval=0"])
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


def message_ids(names):
    """The message ids in a folder's names (not a <peer>.conversation.txt)."""
    return {n.split(".")[0].rsplit("_", 1)[1] for n in names if "_" in n.split(".")[0]}


def test_a_listed_message_costs_little_heap(mounter):
    """100,000 listed messages fit in 100 MB (tests/bench/bench_soak.py --large
    measures the whole): a message's files are a block each, a node with its
    strings and its packed record, about 800 bytes of heap a message here (about
    990 before the records moved into their nodes' blocks and the nodes shrank)."""
    big = simctl.Sim("--scale", "4000")
    try:
        mnt = mounter(env={"RC_SERVER_URL": big.url}, options=["sync_interval=0"])
        os.listdir(mnt.ext("messages"))
        # libfuse starts its worker threads (a 1 MiB buffer each) as requests
        # overlap: all of them now, so that they are in both figures
        with ThreadPoolExecutor(max_workers=12) as pool:
            list(pool.map(lambda i: os.listdir(mnt.ext()), range(200)))
        before = json.loads(os.getxattr(mnt.path, "user.ringfs.stats"))
        ids = set()
        for folder in ("voicemail", "fax", "pager"):
            ids |= message_ids(os.listdir(mnt.ext("messages", folder)))
        sms = mnt.ext("messages", "sms")
        for peer in os.listdir(sms):
            ids |= message_ids(os.listdir(sms / peer))
        after = json.loads(os.getxattr(mnt.path, "user.ringfs.stats"))
    finally:
        big.stop()

    assert len(ids) > 15000
    assert after["nodes"] - before["nodes"] > 2 * len(ids)  # every file is a node
    per_message = (after["heap_bytes"] - before["heap_bytes"]) / len(ids)
    assert per_message < 900, f"{per_message:.0f} bytes of heap a listed message"


def test_a_listing_serves_its_names_past_cache_timeout(sim, mounter):
    # an ls -l or a find that outlasts cache_timeout: the names a listing has are
    # served from it, so the folder is not listed again under the operation using it;
    # a readdir lists it again, and a name the listing lacks is looked for
    mnt = mounter(options=["cache_timeout=1"])
    vm = mnt.ext("messages", "voicemail")
    names = os.listdir(vm)
    time.sleep(1.5)  # past cache_timeout, and past the kernel's attribute timeout
    before = mark(sim)

    for name in names:
        os.lstat(vm / name)
    assert [o for o in ops(sim, before) if o == "listMessages"] == []

    new = sim.inject(type="VoiceMail", duration=3, phoneNumber="+14155550177")["id"]
    assert any(str(new) in n for n in os.listdir(vm))
    assert len([o for o in ops(sim, before) if o == "listMessages"]) == 1


def test_acls_and_security_labels_are_not_supported(mnt, tmp_path):
    """ls -l, cp -a and rsync ask every file for its ACL and security label:
    "not supported" is remembered for the whole mount, "no such attribute"
    would be asked again for every name."""
    vm = mnt.ext("messages", "voicemail")
    wav = vm / sorted(n for n in os.listdir(vm) if n.endswith(".wav"))[0]
    for target in (wav, vm):
        for name in ("system.posix_acl_access", "system.posix_acl_default",
                     "security.selinux", "trusted.overlay.opaque"):
            with pytest.raises(OSError) as e:
                os.getxattr(target, name, follow_symlinks=False)
            assert e.value.errno == errno.EOPNOTSUPP, name
        with pytest.raises(OSError) as e:
            os.getxattr(target, "user.mime_type")
        assert e.value.errno == errno.ENODATA
    assert os.getxattr(wav, "user.ringfs.size") in (b"exact", b"estimate")
    with pytest.raises(OSError) as e:
        os.setxattr(wav, "security.selinux", b"system_u:object_r:tmp_t:s0")
    assert e.value.errno == errno.EOPNOTSUPP

    # the tools that ask take the answer in their stride
    ls = subprocess.run(["ls", "-l", str(vm)], capture_output=True, text=True, check=True)
    assert wav.name in ls.stdout and ls.stderr == ""
    cp = subprocess.run(["cp", "-a", str(wav), str(tmp_path / "copy.wav")],
                        capture_output=True, text=True)
    assert cp.returncode == 0 and cp.stderr == "", cp.stderr
    assert (tmp_path / "copy.wav").read_bytes() == wav.read_bytes()
    rsync = subprocess.run(["rsync", "-aAX", str(wav), str(tmp_path / "rsync.wav")],
                           capture_output=True, text=True)
    assert rsync.returncode == 0, rsync.stderr
    assert (tmp_path / "rsync.wav").read_bytes() == wav.read_bytes()
