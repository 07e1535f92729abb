"""people/: one folder per person the extension talks to (a contact, or a number no
contact has), of symbolic links to their calls, voicemails, faxes, SMS conversation
and card, newest first; made from the listings of those folders, at no cost of its own.
"""
import json
import os
import re
import stat
import time

from helpers import EXT, FAR_PAST, mark, media_bytes, message, ops, records

PEER = "+14155550177"       # the contact's number as the API gives it
WRITTEN = "(415) 555-0177"  # as the address book holds it: compared in E.164
STRANGER = "+19995550199"   # no contact has it (the simulator's never use 999)
LINK = re.compile(r"(\d{10})_(\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d)_(.+)")


def _setup(sim):
    """Before the mount lists anything: a contact, and from or to its number, each a little
    later than the one before: a voicemail (which leaves a call in the call log), a fax in
    and a fax out, a call out, an SMS; an SMS from a number no contact has. The ids of the
    faxes (in, out) and of the call."""
    st, _, _ = sim.call("POST", EXT + "/address-book/contact",
                        {"firstName": "Zoë", "lastName": "Quill", "mobilePhone": WRITTEN})
    assert st == 200
    assert sim.inject(type="VoiceMail", phoneNumber=PEER, duration=4)
    sim.clock(60)
    fax_in = sim.inject(type="Fax", phoneNumber=PEER, pages=2)["id"]
    sim.clock(60)
    fax_out = sim.inject(type="Fax", direction="Outbound", phoneNumber=PEER)["id"]
    sim.clock(60)
    call = sim.inject_call(direction="Outbound", result="Call connected", phoneNumber=PEER,
                           duration=42)["id"]
    sim.clock(60)
    assert sim.inject(type="SMS", phoneNumber=PEER, text="Call me back")
    assert sim.inject(type="SMS", phoneNumber=STRANGER, text="Who is this?")
    return str(fax_in), str(fax_out), call


def test_a_contact_shows_calls_voicemails_faxes_sms_and_card(sim, mnt):
    fax_in, fax_out, call_out = _setup(sim)
    people = mnt.ext("people")
    os.stat(people)  # the walk to it (the extension's folder) is not its cost
    since = mark(sim)
    names = os.listdir(people)
    # the listings of its parts, each once, and nothing else
    assert sorted(ops(sim, since)) == sorted(["listContacts", "listMessages", "listMessages",
                                              "listMessages", "loadExtensionCallLog"])
    assert "Zoë Quill" in names and PEER not in names  # the number is the contact's
    zoe = people / "Zoë Quill"
    since = mark(sim)
    links = os.listdir(zoe)
    assert ops(sim, since) == []  # made from the listings already there
    for name in links:
        path = zoe / name
        assert stat.S_ISLNK(os.lstat(path).st_mode)
        target = os.readlink(path)
        assert target.startswith("../../") and not os.path.isabs(target)
        real = os.path.realpath(path)
        assert real.startswith(str(mnt.path) + "/"), target  # inside the mount
        assert os.path.exists(path), target
        own = mnt.ext(*target.split("/")[2:])  # the file itself, by its own path
        if own.is_file():
            assert path.read_bytes() == own.read_bytes(), name
        if own.is_file() and name != "contact.vcf":  # the time in the name is its file's
            assert LINK.fullmatch(name).group(2) == target.split("/")[-1][:19], name
    # ls lists the newest first: the names sort as the times go down, and each thing
    # (a fax and the call-log record it left share a second) is there once
    timed = sorted(links)
    assert timed.pop() == "contact.vcf"
    stamps = [LINK.fullmatch(n).group(2) for n in timed]
    assert stamps == sorted(stamps, reverse=True)
    assert [LINK.fullmatch(n).group(3) for n in timed] == [
        "sms",             # its newest message
        "call-out.json",   # the call out
        "call-out.json",   # the fax out, as the call log has it
        "fax.pdf",         # the fax out
        "call-in.json",    # the fax in, as the call log has it
        "fax.pdf",         # the fax in
        "voicemail.wav",
        "call-in.json",    # the call that left the voicemail
    ]
    sms, call, fax_call_out, fax_o, fax_call_in, fax_i, vm, vm_call = (zoe / n for n in timed)
    # bytes through the links are the server's
    for link, fax_id in ((fax_o, fax_out), (fax_i, fax_in)):
        assert os.readlink(link).startswith("../../messages/fax/")
        assert os.readlink(link).endswith(f"_{PEER}_{fax_id}.pdf")
        st, record = message(sim, fax_id)
        assert st == 200
        doc = [a for a in record["attachments"] if a["type"] == "RenderedDocument"][0]
        data = link.read_bytes()
        assert data.startswith(b"%PDF-") and data == media_bytes(sim, doc["uri"])
    calls = {c["id"]: c for c in records(sim, f"{EXT}/call-log?view=Detailed"
                                               f"&dateFrom={FAR_PAST}&perPage=1000")}
    got = {}
    for link in (call, fax_call_out, fax_call_in, vm_call):
        assert os.readlink(link).startswith("../../call-log/")
        record = json.loads(link.read_text())
        assert record == calls[record["id"]]
        got[link] = record
    assert got[call]["id"] == call_out and got[call]["direction"] == "Outbound"
    assert got[call]["to"]["phoneNumber"] == PEER and got[call]["duration"] == 42
    assert (got[fax_call_out]["type"], got[fax_call_out]["direction"]) == ("Fax", "Outbound")
    assert got[fax_call_out]["to"]["phoneNumber"] == PEER
    assert (got[fax_call_in]["type"], got[fax_call_in]["direction"]) == ("Fax", "Inbound")
    assert got[fax_call_in]["from"]["phoneNumber"] == PEER
    assert got[vm_call]["result"] == "Voicemail"
    assert vm.read_bytes()[:4] == b"RIFF"
    assert vm.read_bytes() == (zoe / os.readlink(vm)).read_bytes()
    assert os.path.realpath(sms) == os.path.realpath(mnt.ext("messages", "sms", PEER))
    assert (sms / "conversation.txt").read_text().endswith("<< Call me back\n")
    card = (zoe / "contact.vcf").read_text()
    assert "Zoë" in card and "Quill" in card
    assert os.path.realpath(zoe / "contact.vcf").startswith(
        os.path.realpath(mnt.ext("contacts")))


def test_people_costs_nothing_when_its_parts_are_fresh(sim, mounter):
    _setup(sim)
    # no live refresh: its requests are not people/'s; listings stay fresh for the test
    m = mounter(options=["sync_interval=0", "cache_timeout=3600"])
    for part in (("contacts",), ("messages", "voicemail"), ("messages", "fax"),
                 ("messages", "sms"), ("call-log",)):
        os.listdir(m.ext(*part))
    since = mark(sim)
    people = os.listdir(m.ext("people"))
    assert "Zoë Quill" in people and STRANGER in people
    for person in people:
        for name in os.listdir(m.ext("people", person)):
            os.readlink(m.ext("people", person, name))
    assert ops(sim, since) == []


def test_a_number_without_a_contact_has_its_own_folder(sim, mnt):
    _setup(sim)
    people = mnt.ext("people")
    assert STRANGER in os.listdir(people)
    links = os.listdir(people / STRANGER)
    assert "contact.vcf" not in links
    sms = [n for n in links if n.endswith("_sms")]
    assert len(sms) == 1
    assert os.path.realpath(people / STRANGER / sms[0]) == \
        os.path.realpath(mnt.ext("messages", "sms", STRANGER))
    assert (people / STRANGER / sms[0] / "conversation.txt").read_text().endswith(
        "<< Who is this?\n")
    # every folder holds links only, each resolving inside the mount
    since = mark(sim)
    for person in os.listdir(people):
        for name in os.listdir(people / person):
            path = people / person / name
            assert stat.S_ISLNK(os.lstat(path).st_mode)
            assert os.path.exists(path), (person, name, os.readlink(path))
    assert ops(sim, since) == []


def test_a_number_that_becomes_a_contact_moves_to_its_folder(sim, mounter):
    _setup(sim)
    m = mounter(options=["cache_timeout=1"])
    people = m.ext("people")
    assert STRANGER in os.listdir(people)
    assert [n for n in os.listdir(people / STRANGER) if n.endswith("_sms")]
    st, _, _ = sim.call("POST", EXT + "/address-book/contact",
                        {"firstName": "Ada", "lastName": "Byron", "homePhone": "999 555 0199"})
    assert st == 200
    deadline = time.monotonic() + 60
    while "Ada Byron" not in os.listdir(people):  # once the listings are read again
        assert time.monotonic() < deadline, os.listdir(people)
        time.sleep(0.2)
    assert STRANGER not in os.listdir(people)
    links = os.listdir(people / "Ada Byron")
    assert "contact.vcf" in links and [n for n in links if n.endswith("_sms")]
