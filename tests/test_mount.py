"""The read-only mount, driven like a user's shell session against the simulator."""
import errno
import json
import math
import os
import re
import shutil
import stat
import subprocess
import time
from datetime import datetime, timezone
from pathlib import Path

import pytest

from mountfix import mnt, mounter  # noqa: F401  (fixtures)

FAR_PAST = "2000-01-01T00:00:00.000Z"
TIME_NAME = r"\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d"
MESSAGE_STORE = "/restapi/v1.0/account/~/extension/~/message-store"


# ---- helpers -----------------------------------------------------------------

def records(sim, path):
    """Every record of a listing, read straight from the simulator (all pages)."""
    out = []
    url = path
    while url:
        status, _, body = sim.get(url)
        assert status == 200, body
        page = json.loads(body)
        out += page["records"]
        url = page.get("navigation", {}).get("nextPage", {}).get("uri")
    return out


def messages(sim, mtype):
    return records(sim, f"{MESSAGE_STORE}?messageType={mtype}&dateFrom={FAR_PAST}&perPage=1000")


def ops(sim, since=0):
    return [r["operation"] for r in sim.requests()[since:]]


def mark(sim):
    return len(sim.requests())


def iso_time(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def name_time(name):
    stamp = re.match(TIME_NAME, name).group(0)
    return datetime.strptime(stamp, "%Y-%m-%d_%H-%M-%S").replace(tzinfo=timezone.utc).timestamp()


def ls_l(path):
    """What ls -l does: list, then stat (lstat) every entry."""
    names = sorted(os.listdir(path))
    return {n: os.lstat(os.path.join(path, n)) for n in names}


def media_bytes(sim, uri):
    status, headers, body = sim.get(uri)
    assert status == 200
    return body


# ---- shape -------------------------------------------------------------------

def test_tree_shape(sim, mnt):
    root = mnt.path
    assert sorted(os.listdir(root)) == ["accounts", "api", "dictionary", "glip", "subscriptions"]
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
        "answering-rules", "call-log", "contacts", "messages", "outbox"])
    assert sorted(os.listdir(mnt.ext("outbox"))) == ["fax", "pager", "sms"]
    assert sorted(os.listdir(mnt.ext("messages"))) == ["fax", "pager", "sms", "sync.json",
                                                       "voicemail"]
    # the message store's files are read-only; its folders show w, since their files can be
    # deleted (rm and file managers look at the folder's mode), but take no new files
    for dirpath, dirnames, filenames in os.walk(mnt.ext("messages")):
        want = 0o555 if dirpath == str(mnt.ext("messages")) else 0o755
        assert stat.S_IMODE(os.stat(dirpath).st_mode) == want, dirpath
        for f in filenames:
            if f == "sync.json":
                continue
            assert stat.S_IMODE(os.stat(os.path.join(dirpath, f)).st_mode) == 0o444
    assert stat.S_IMODE(os.stat(mnt.ext("presence.json")).st_mode) == 0o644
    assert stat.S_IMODE(os.stat(mnt.ext("extension.json")).st_mode) == 0o444
    assert stat.S_IMODE(os.stat(mnt.ext("outbox", "sms")).st_mode) == 0o755


def test_account_and_extension_documents(sim, mnt):
    for path, api in [(mnt.acct("account.json"), "/restapi/v1.0/account/~"),
                      (mnt.ext("extension.json"), "/restapi/v1.0/account/~/extension/~"),
                      (mnt.ext("presence.json"), "/restapi/v1.0/account/~/extension/~/presence"),
                      (mnt.ext("business-hours.json"),
                       "/restapi/v1.0/account/~/extension/~/business-hours"),
                      (mnt.acct("business-hours.json"), "/restapi/v1.0/account/~/business-hours")]:
        data = path.read_bytes()
        assert os.stat(path).st_size == len(data)
        assert json.loads(data) == json.loads(sim.get(api)[2])


# ---- message store -----------------------------------------------------------

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
            m = re.fullmatch(TIME_NAME + r"_(in|out)_(\d+)\.(txt|json)", name)
            assert m, name
            msg = by_id[m.group(2)]
            assert m.group(1) == ("out" if msg["direction"] == "Outbound" else "in")
            path = smsdir / peer / name
            data = path.read_bytes()
            assert os.stat(path).st_size == len(data)  # exact before and after reading
            if name.endswith(".txt"):
                count += 1
                assert data.decode() == msg["subject"]
                text_att = [a for a in msg["attachments"] if a["type"] == "Text"]
                if text_att:
                    assert data == media_bytes(sim, text_att[0]["uri"])
    assert count == len(sms)


def test_pager_messages(sim, mnt):
    pager = {str(m["id"]): m for m in messages(sim, "Pager")}
    pdir = mnt.ext("messages", "pager")
    names = os.listdir(pdir)
    assert len([n for n in names if n.endswith(".txt")]) == len(pager)
    for name in names:
        m = re.fullmatch(TIME_NAME + r"_(in|out)_([^_]+)_(\d+)\.(txt|json)", name)
        assert m, name
        msg = pager[m.group(3)]
        data = (pdir / name).read_bytes()
        if name.endswith(".txt"):
            assert data.decode() == msg["subject"]
            att = [a for a in msg["attachments"] if a["type"] == "Text"][0]
            assert data == media_bytes(sim, att["uri"])
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
        assert (vmdir / name).read_bytes() == media_bytes(sim, att["uri"])


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
    r = subprocess.run(["find", str(msgdir / "sms"), "-name", "*.txt", "-newer", str(ref)],
                       capture_output=True, text=True, check=True)
    found = len(r.stdout.split())
    assert found == len([m for m in sms if iso_time(m["creationTime"]) > mid])
    if shutil.which("jq"):
        first = sorted(os.listdir(msgdir / "voicemail"))[0]
        stem = re.sub(r"\.(wav|mp3|json|transcript\.txt)$", "", first)
        r = subprocess.run(["jq", "-r", ".type", str(msgdir / "voicemail" / (stem + ".json"))],
                           capture_output=True, text=True, check=True)
        assert r.stdout.strip() == "VoiceMail"


# ---- call log, recordings, contacts, rules -----------------------------------

def test_call_log_by_day(sim, mnt):
    calls = records(sim, f"/restapi/v1.0/account/~/extension/~/call-log?view=Detailed"
                         f"&dateFrom={FAR_PAST}&perPage=1000")
    logdir = mnt.ext("call-log")
    days = sorted(os.listdir(logdir))
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


def test_contacts_as_vcard_and_json(sim, mnt):
    contacts = records(sim, "/restapi/v1.0/account/~/extension/~/address-book/contact?perPage=1000")
    cdir = mnt.ext("contacts")
    names = os.listdir(cdir)
    assert len([n for n in names if n.endswith(".vcf")]) == len(contacts)
    assert len([n for n in names if n.endswith(".json")]) == len(contacts)
    by_id = {str(c["id"]): c for c in contacts}
    for name in names:
        cid = re.search(r"_(\d+)\.(vcf|json)$", name).group(1)
        data = (cdir / name).read_bytes()
        assert os.stat(cdir / name).st_size == len(data)
        if name.endswith(".json"):
            assert json.loads(data) == by_id[cid]
        else:
            text = data.decode()
            assert text.startswith("BEGIN:VCARD\r\n") and text.endswith("END:VCARD\r\n")
            assert f"UID:ringcentral-contact-{cid}" in text


def test_answering_rules(sim, mnt):
    for path, api in [(mnt.ext("answering-rules"), "/restapi/v1.0/account/~/extension/~/answering-rule"),
                      (mnt.acct("answering-rules"), "/restapi/v1.0/account/~/answering-rule")]:
        rules = records(sim, api + "?perPage=1000")
        names = sorted(os.listdir(path))
        assert names == sorted(f"{r['id']}.json" for r in rules)
        for r in rules:
            full = json.loads(sim.get(f"{api}/{r['id']}")[2])
            assert json.loads((path / f"{r['id']}.json").read_text()) == full


# ---- errors, limits, auth ----------------------------------------------------

def test_unknown_names_are_enoent_without_requests(sim, mnt):
    os.listdir(mnt.ext("messages", "voicemail"))
    before = mark(sim)
    for p in [mnt.ext("messages", "voicemail", "nope.wav"), mnt.ext("nope"),
              mnt.acct("extensions", "999999999")]:
        with pytest.raises(FileNotFoundError):
            os.stat(p)
    assert ops(sim, before) == []


def test_server_404_is_enoent(sim, mnt):
    vmdir = mnt.ext("messages", "voicemail")
    name = sorted(n for n in os.listdir(vmdir) if n.endswith(".wav"))[0]
    sim.fault("status", path=r"/message-store/\d+/content/", status=404, count=1)
    with pytest.raises(OSError) as e:
        (vmdir / name).read_bytes()
    assert e.value.errno == errno.ENOENT


def test_rate_limit_429_is_waited_out(sim, mnt):
    os.listdir(mnt.ext("messages"))
    sim.fault("429", path=r"/message-store$", retry_after=1, count=1)
    before = mark(sim)
    names = os.listdir(mnt.ext("messages", "voicemail"))
    assert names
    statuses = [(r["operation"], r["status"]) for r in sim.requests()[before:]]
    assert statuses == [("listMessages", 429), ("listMessages", 200)]


def test_pacing_stays_under_the_limit(sim, mounter):
    """With a Heavy limit of 2 per window, three Heavy listings wait instead of earning a 429."""
    sim.config(limits={"Heavy": 2}, rate_window=2)
    mnt = mounter()
    os.listdir(mnt.ext("call-log"))
    os.listdir(mnt.acct("call-log"))
    os.listdir(mnt.acct("recordings"))
    heavy = [r for r in sim.requests() if r["group"] and r["group"].lower() == "heavy"]
    assert len(heavy) == 3
    assert all(r["status"] == 200 for r in heavy)


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


def test_token_refresh_over_several_lifetimes(sim, mounter):
    sim.config(token_ttl=2, limits={"Light": 1000, "Medium": 1000})
    mnt = mounter(options=["cache_timeout=0.5"])
    for _ in range(40):
        assert os.listdir(mnt.ext("messages", "voicemail"))
        tokens = [r for r in sim.requests() if r["operation"] == "getToken"]
        if len(tokens) >= 4:
            break
        time.sleep(0.3)
    tokens = [r for r in sim.requests() if r["operation"] == "getToken"]
    assert len(tokens) >= 4
    assert all(r["status"] == 200 for r in tokens)
    assert not [r for r in sim.requests() if r["status"] == 401]


def test_expired_token_is_refreshed_after_401(sim, mounter):
    mnt = mounter(options=["cache_timeout=0.2"])
    os.listdir(mnt.ext("messages", "voicemail"))
    sim.fault("status", path=r"/message-store$", status=401, count=1)
    time.sleep(0.3)
    before = mark(sim)
    assert os.listdir(mnt.ext("messages", "voicemail"))
    seen = [(r["operation"], r["status"]) for r in sim.requests()[before:]
            if r["operation"] in ("listMessages", "getToken")]
    assert seen == [("listMessages", 401), ("getToken", 200), ("listMessages", 200)]


def test_refresh_token_stored_0600(sim, mnt):
    files = list(mnt.state.rglob("token-*.json"))
    assert len(files) == 1
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    data = json.loads(files[0].read_text())
    assert data["refresh_token"]
    # and never in the log
    assert data["refresh_token"] not in mnt.output()


def test_config_file_readable_by_others_is_refused(sim, tmp_path):
    import simctl
    from mountfix import RINGFS
    conf = tmp_path / "ringfs.conf"
    conf.write_text("".join(f"{k}={v}\n" for k, v in simctl.DEMO.items()))
    conf.chmod(0o644)
    (tmp_path / "mnt").mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RC_")}
    env["RC_SERVER_URL"] = sim.url
    r = subprocess.run([RINGFS, "-f", "-o", f"config={conf}", str(tmp_path / "mnt")],
                       capture_output=True, text=True, env=env, timeout=30)
    assert r.returncode == 1
    assert "chmod 600" in r.stderr
    assert not os.path.ismount(tmp_path / "mnt")


def test_config_file_0600_mounts(sim, mounter, tmp_path):
    import simctl
    conf = tmp_path / "ringfs.conf"
    conf.write_text("# demo\n" + "".join(f"{k}={v}\n" for k, v in simctl.DEMO.items()))
    conf.chmod(0o600)
    mnt = mounter(options=[f"config={conf}"], env={k: "" for k in simctl.DEMO})
    assert os.listdir(mnt.ext("messages"))


def test_secrets_not_in_process_list(sim, mounter):
    import simctl
    jwt = simctl.DEMO["RC_USER_JWT"]
    secret = simctl.DEMO["RC_APP_CLIENT_SECRET"]
    mnt = mounter(options=[f"jwt={jwt}", f"client_secret={secret}"],
                  env={"RC_USER_JWT": "", "RC_APP_CLIENT_SECRET": ""})
    assert os.listdir(mnt.path)
    cmdline = Path(f"/proc/{mnt.proc.pid}/cmdline").read_bytes().decode(errors="replace")
    assert jwt not in cmdline and secret not in cmdline


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


def test_help_and_version():
    from mountfix import RINGFS
    r = subprocess.run([RINGFS, "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.startswith("ringfs ")
    r = subprocess.run([RINGFS, "--help"], capture_output=True, text=True)
    assert r.returncode == 0
    for opt in ["server", "client_id", "client_secret", "jwt", "config", "token_file",
                "cache_dir", "cache_max", "entry_timeout", "attr_timeout", "cache_timeout", "history_days",
                "page_size", "connect_timeout", "stall_timeout", "request_timeout", "rate_wait",
                "max_threads"]:
        assert f"-o {opt}=" in r.stdout, opt
