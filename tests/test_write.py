"""Writing through the mount: settings, outboxes, deletes, collections and editors.

Every test reads what was sent from the simulator's log (method, path, body),
reads the state back through the mount, and checks that bad input fails at
close with the right errno before any request goes out.
"""
import errno
import json
import os
import shutil
import subprocess

import pytest

from mountfix import mnt, mounter  # noqa: F401  (fixtures)

FAR_PAST = "2000-01-01T00:00:00.000Z"
EXT = "/restapi/v1.0/account/~/extension/~"


def mark(sim):
    return len(sim.requests())


def sent(sim, since, operation=None):
    return [r for r in sim.requests()[since:]
            if r["method"] != "GET" and (operation is None or r["operation"] == operation)]


def body_of(entry):
    body = entry.get("body")
    return json.loads(body) if isinstance(body, str) and body.startswith("{") else body


def messages(sim, mtype):
    st, _, body = sim.get(f"{EXT}/message-store?messageType={mtype}&dateFrom={FAR_PAST}&perPage=1000")
    return json.loads(body)["records"]


def write(path, data, mode="w"):
    with open(path, mode) as f:
        f.write(data)


def close_error(path, data):
    """The errno a write + close raised, or None."""
    try:
        write(path, data)
    except OSError as e:
        return e.errno
    return None


# ---- message store ---------------------------------------------------------

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


# ---- settings ----------------------------------------------------------------

def test_presence_partial_write_and_read_back(sim, mnt):
    path = mnt.ext("presence.json")
    old = json.loads(path.read_text())
    before = mark(sim)
    write(path, '{"userStatus": "Busy", "message": "in a meeting"}\n')
    puts = sent(sim, before)
    assert [(r["method"], r["operation"]) for r in puts] == [("PUT", "updatePresenceStatus")]
    assert body_of(puts[0]) == {"userStatus": "Busy", "message": "in a meeting"}
    now = json.loads(path.read_text())
    assert now["userStatus"] == "Busy"
    assert now["dndStatus"] == old["dndStatus"]  # what the write did not name is unchanged
    assert os.stat(path).st_size == len(path.read_bytes())


def test_malformed_json_fails_close_and_sends_nothing(sim, mnt):
    path = mnt.ext("business-hours.json")
    old = path.read_bytes()
    before = mark(sim)
    assert close_error(path, '{"schedule": ') == errno.EINVAL
    assert close_error(path, '[1, 2]') == errno.EINVAL
    assert sent(sim, before) == []
    err = os.getxattr(path, "user.ringfs.error").decode()
    assert "JSON" in err
    assert path.read_bytes() == old


def test_server_rejection_fails_close_with_its_code(sim, mnt):
    path = mnt.ext("presence.json")
    before = mark(sim)
    assert close_error(path, '{"userStatus": "Sleeping"}') == errno.EINVAL
    assert len(sent(sim, before)) == 1
    assert "CMN-" in os.getxattr(path, "user.ringfs.error").decode()


def test_sed_in_place_saves_through_a_scratch_file(sim, mnt):
    path = mnt.ext("presence.json")
    text = path.read_text()
    assert '"userStatus"' in text
    current = json.loads(text)["userStatus"]
    target = "Offline" if current != "Offline" else "Available"
    before = mark(sim)
    subprocess.run(["sed", "-i", f's/"userStatus" : "{current}"/"userStatus" : "{target}"/;'
                               f's/"userStatus": "{current}"/"userStatus": "{target}"/',
                    str(path)], check=True)
    puts = sent(sim, before)
    assert [r["operation"] for r in puts] == ["updatePresenceStatus"]
    assert json.loads(path.read_text())["userStatus"] == target
    # sed's temporary file never reached the server and is gone
    assert not [n for n in os.listdir(mnt.ext()) if n.startswith("sed")]


def test_vim_saves_a_setting(sim, mnt):
    if not shutil.which("vim"):
        pytest.fail("vim is not installed (contrib/install-deps.sh installs it)")
    path = mnt.ext("presence.json")
    before = mark(sim)
    r = subprocess.run(["vim", "-Nu", "NONE", "-n", "-es", "-c",
                        r'%s/"userStatus": "[A-Za-z]*"/"userStatus": "Busy"/', "-c", "wq",
                        str(path)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert [r["operation"] for r in sent(sim, before)] == ["updatePresenceStatus"]
    assert json.loads(path.read_text())["userStatus"] == "Busy"
    assert not [n for n in os.listdir(mnt.ext()) if n.endswith((".swp", "~")) or n == "4913"]


# ---- outboxes ----------------------------------------------------------------

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
    assert "On my way" in texts


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


def test_an_empty_new_outbox_file_sends_nothing(sim, mnt):
    box = mnt.ext("outbox", "sms")
    before = mark(sim)
    assert close_error(box / "+14155550100", "") is None  # created, nothing written yet
    assert sent(sim, before) == []
    assert os.listdir(box) == ["+14155550100"]
    assert close_error(box / "+14155550100", "now") is None
    assert len(sent(sim, before, "sendSMS")) == 1
    assert os.listdir(box) == []


@pytest.mark.parametrize("name,text", [("+14155550100", "\n"),
                                       ("not-a-number", "hi"), ("+1", "hi"),
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


def test_send_pager_message(sim, mnt):
    box = mnt.ext("outbox", "pager")
    before = mark(sim)
    write(box / "102", "lunch?\n")
    posts = sent(sim, before)
    assert [(r["method"], r["operation"]) for r in posts] == [("POST", "sendInternalMessage")]
    assert body_of(posts[0])["to"] == [{"extensionNumber": "102"}]
    assert body_of(posts[0])["text"] == "lunch?"
    assert os.listdir(box) == []


# ---- collections -------------------------------------------------------------

def test_contact_create_update_delete(sim, mnt):
    cdir = mnt.ext("contacts")
    before = mark(sim)
    write(cdir / "new.json", json.dumps({"firstName": "Ada", "lastName": "Lovelace",
                                         "email": "ada@example.com"}))
    posts = sent(sim, before)
    assert [(r["method"], r["operation"]) for r in posts] == [("POST", "createContact")]
    names = os.listdir(cdir)
    created = [n for n in names if n.startswith("Ada_Lovelace_") and n.endswith(".json")]
    assert len(created) == 1 and "new.json" not in names
    path = cdir / created[0]
    rec = json.loads(path.read_text())
    rec["jobTitle"] = "Analyst"
    before = mark(sim)
    write(path, json.dumps(rec))
    assert [r["operation"] for r in sent(sim, before)] == ["updateContact"]
    assert json.loads(path.read_text())["jobTitle"] == "Analyst"
    before = mark(sim)
    os.unlink(path)
    assert [r["operation"] for r in sent(sim, before)] == ["deleteContact"]
    assert not [n for n in os.listdir(cdir) if n.startswith("Ada_Lovelace_")]


def test_answering_rule_create_update_delete(sim, mnt):
    rdir = mnt.ext("answering-rules")
    before = mark(sim)
    write(rdir / "my-rule.json", json.dumps({"type": "Custom", "name": "Nights",
                                             "callers": [{"callerId": "+16505550199"}]}))
    assert [r["operation"] for r in sent(sim, before)] == ["createAnsweringRuleInfo"]
    new = [n for n in os.listdir(rdir) if n not in ("business-hours-rule.json",
                                                     "after-hours-rule.json")]
    rules = {n: json.loads((rdir / n).read_text()) for n in new}
    mine = [n for n, r in rules.items() if r.get("name") == "Nights"]
    assert len(mine) == 1
    before = mark(sim)
    write(rdir / mine[0], json.dumps({"name": "Late nights"}))
    assert [r["operation"] for r in sent(sim, before)] == ["updateAnsweringRuleInfo"]
    assert json.loads((rdir / mine[0]).read_text())["name"] == "Late nights"
    before = mark(sim)
    os.unlink(rdir / mine[0])
    assert [r["operation"] for r in sent(sim, before)] == ["deleteAnsweringRule"]
    assert mine[0] not in os.listdir(rdir)


def test_rmdir_deletes_a_conversation(sim, mnt):
    smsdir = mnt.ext("messages", "sms")
    peer = sorted(os.listdir(smsdir))[0]
    ids = [n.rsplit("_", 1)[1].split(".")[0] for n in os.listdir(smsdir / peer)]
    before = mark(sim)
    os.rmdir(smsdir / peer)
    dels = sent(sim, before)
    assert [(r["method"], r["operation"]) for r in dels] == [("DELETE", "deleteMessagesByFilter")]
    assert "conversationId=" in dels[0]["query"]
    assert peer not in os.listdir(smsdir)
    for mid in set(ids):
        st, _, body = sim.get(f"{EXT}/message-store/{mid}")
        assert json.loads(body)["availability"] == "Deleted"


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


@pytest.mark.parametrize("folder,body,ops", [
    ("forwarding-numbers", {"phoneNumber": "+16502096935", "label": "Gym", "type": "Other"},
     ("createExtensionForwardingNumber", "updateExtensionForwardingNumber",
      "deleteExtensionForwardingNumber")),
    ("caller-blocking-numbers", {"phoneNumber": "+16503456787", "label": "Spam", "status": "Blocked"},
     ("createBlockedAllowedPhoneNumberLists", "updateBlockedAllowedPhoneNumber",
      "deleteBlockedAllowedPhoneNumber")),
    ("blocked-numbers", {"phoneNumber": "+16503456788", "name": "Robocall"},
     ("blockNumber", "updateBlockedNumber", "unblockNumber")),
])
def test_number_collections(sim, mnt, folder, body, ops):
    d = mnt.ext(folder)
    old = set(os.listdir(d))
    before = mark(sim)
    write(d / "new.json", json.dumps(body))
    assert [r["operation"] for r in sent(sim, before)] == [ops[0]]
    new = set(os.listdir(d)) - old
    assert len(new) == 1 and "new.json" not in new
    path = d / new.pop()
    rec = json.loads(path.read_text())
    key = "label" if "label" in body else "name"
    rec[key] = "Renamed"
    before = mark(sim)
    write(path, json.dumps(rec, indent=2))
    assert [r["operation"] for r in sent(sim, before)] == [ops[1]]
    assert json.loads(path.read_text())[key] == "Renamed"
    before = mark(sim)
    os.unlink(path)
    assert [r["operation"] for r in sent(sim, before)] == [ops[2]]
    assert set(os.listdir(d)) == old


def test_shell_redirections_and_tee_on_a_setting(sim, mnt):
    path = mnt.ext("caller-blocking.json")
    cur = json.loads(path.read_text())
    target = "Block" if cur.get("payPhones") != "Block" else "Allow"
    before = mark(sim)
    subprocess.run(["sh", "-c", f'echo \'{{"payPhones": "{target}"}}\' | tee {path} >/dev/null'],
                   check=True)
    assert [r["operation"] for r in sent(sim, before)] == ["updateCallBlockingSettings"]
    assert json.loads(path.read_text())["payPhones"] == target
    # appending to a JSON document makes it invalid: refused at close, nothing sent
    # (the shell does not report close errors; the xattr and the content tell)
    text = path.read_text()
    before = mark(sim)
    subprocess.run(["sh", "-c", f"echo '{{}}' >> {path}"])
    assert sent(sim, before) == []
    assert "JSON" in os.getxattr(path, "user.ringfs.error").decode()
    assert path.read_text() == text


def test_nothing_is_resent_by_a_second_close(sim, mnt):
    box = mnt.ext("outbox", "sms")
    fd = os.open(box / "+14155550123", os.O_CREAT | os.O_WRONLY, 0o644)
    fd2 = os.dup(fd)
    os.write(fd, b"only once")
    before = mark(sim)
    os.close(fd)   # flush: sent
    os.close(fd2)  # a second flush of the same file: nothing new to send
    assert len(sent(sim, before, "sendSMS")) == 1


def test_contacts_accept_vcard(sim, mnt):
    cdir = mnt.ext("contacts")
    card = ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Hopper;Grace;;;\r\nFN:Grace Hopper\r\n"
            "TEL;TYPE=CELL:+16505550177\r\nEMAIL;TYPE=INTERNET:grace@example.org\r\n"
            "END:VCARD\r\n")
    before = mark(sim)
    write(cdir / "grace.vcf", card)
    posts = sent(sim, before)
    assert [r["operation"] for r in posts] == ["createContact"]
    assert body_of(posts[0]) == {"firstName": "Grace", "lastName": "Hopper",
                                 "mobilePhone": "+16505550177", "email": "grace@example.org"}
    vcf = [n for n in os.listdir(cdir) if n.startswith("Grace_Hopper_") and n.endswith(".vcf")]
    assert len(vcf) == 1
    text = (cdir / vcf[0]).read_text()
    before = mark(sim)
    write(cdir / vcf[0], text.replace("END:VCARD", "TITLE:Rear Admiral\r\nEND:VCARD"))
    puts = sent(sim, before)
    assert [r["operation"] for r in puts] == ["updateContact"]
    assert body_of(puts[0])["jobTitle"] == "Rear Admiral"
    js = (cdir / vcf[0]).with_suffix(".json")
    assert json.loads(js.read_text())["jobTitle"] == "Rear Admiral"
    before = mark(sim)
    assert close_error(cdir / vcf[0], "not a card") == errno.EINVAL
    assert sent(sim, before) == []


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


def test_a_message_that_looks_like_a_throttle_is_sent_once(sim, mnt):
    box = mnt.ext("outbox", "sms")
    before = mark(sim)
    write(box / "+14155550100", "CMN-301")
    assert len(sent(sim, before, "sendSMS")) == 1
    assert os.listdir(box) == []


def test_nano_saves_a_setting(sim, mnt):
    """nano, driven through tmux as a person would: replace, write out, exit."""
    import time
    for tool in ("nano", "tmux"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is not installed (contrib/install-deps.sh installs it)")
    path = mnt.ext("presence.json")
    current = json.loads(path.read_text())["userStatus"]
    target = "Busy" if current != "Busy" else "Available"
    session = f"ringfs-nano-{os.getpid()}"

    def screen():
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", session],
                              capture_output=True, text=True).stdout

    def wait_for(text):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if text in screen():
                return
            time.sleep(0.05)
        raise AssertionError(f"nano never showed {text!r}:\n{screen()}")

    def keys(*k):
        subprocess.run(["tmux", "send-keys", "-t", session, *k], check=True)

    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40",
                    f"nano --ignorercfiles {path}"], check=True)
    try:
        wait_for('"userStatus"')
        before = mark(sim)
        keys("C-\\")
        wait_for("Search (to replace)")
        keys(f'"userStatus": "{current}"', "Enter")
        wait_for("Replace with")
        keys(f'"userStatus": "{target}"', "Enter")
        wait_for("Replace this instance?")
        keys("y")
        wait_for("Replaced 1 occurrence")
        keys("C-o")
        wait_for("File Name to Write")
        keys("Enter")
        wait_for("Wrote")
        keys("C-x")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    assert [r["operation"] for r in sent(sim, before)] == ["updatePresenceStatus"]
    assert json.loads(path.read_text())["userStatus"] == target


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


def test_a_new_entry_is_created_once(sim, mnt):
    cdir = mnt.ext("contacts")
    before = mark(sim)
    write(cdir / "twice.json", json.dumps({"firstName": "Once"}))
    assert close_error(cdir / "twice.json", json.dumps({"firstName": "Twice"})) in (None, errno.EALREADY)
    assert len(sent(sim, before, "createContact")) == 1
