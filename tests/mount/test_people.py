"""people/: one folder per person the extension talks to (a contact, or a number no
contact has), of symbolic links to their calls, voicemails, faxes, SMS conversation
and card, newest first; made from the listings of those folders, at no cost of its own.
"""
import os
import re
import stat
import time

from helpers import EXT, mark, ops

PEER = "+14155550177"       # the contact's number as the API gives it
WRITTEN = "(415) 555-0177"  # as the address book holds it: compared in E.164
STRANGER = "+19995550199"   # no contact has it (the simulator's never use 999)
LINK = re.compile(r"(\d{10})_(\d{4}-\d\d-\d\d_\d\d-\d\d-\d\d)_(.+)")


def _setup(sim):
    """Before the mount lists anything: a contact, and a voicemail (which leaves a call in
    the call log) and an SMS from its number; an SMS from a number no contact has."""
    st, _, _ = sim.call("POST", EXT + "/address-book/contact",
                        {"firstName": "Zoë", "lastName": "Quill", "mobilePhone": WRITTEN})
    assert st == 200
    assert sim.inject(type="VoiceMail", phoneNumber=PEER, duration=4)
    assert sim.inject(type="SMS", phoneNumber=PEER, text="Call me back")
    assert sim.inject(type="SMS", phoneNumber=STRANGER, text="Who is this?")


def test_a_contact_shows_calls_voicemails_sms_and_card(sim, mnt):
    _setup(sim)
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
    whats = {}
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
        if name == "contact.vcf":
            whats["card"] = path
            continue
        m = LINK.fullmatch(name)
        assert m, name
        whats.setdefault(m.group(3), []).append(path)
    assert set(whats) >= {"card", "voicemail.wav", "sms", "call-in.json"}
    # ls lists the newest first: the names sort as the times go down
    timed = sorted(n for n in links if n != "contact.vcf")
    stamps = [LINK.fullmatch(n).group(2) for n in timed]
    assert stamps == sorted(stamps, reverse=True)
    # bytes through the links are the files' own
    vm = whats["voicemail.wav"][0]
    assert vm.read_bytes()[:4] == b"RIFF"
    assert vm.read_bytes() == (zoe / os.readlink(vm)).read_bytes()
    conv = whats["sms"][0]
    assert os.path.realpath(conv) == os.path.realpath(mnt.ext("messages", "sms", PEER))
    assert (conv / "conversation.txt").read_text().endswith("<< Call me back\n")
    call = whats["call-in.json"][0]
    assert '"Voicemail"' in call.read_text()
    card = whats["card"].read_text()
    assert "Zoë" in card and "Quill" in card
    assert os.path.realpath(whats["card"]).startswith(os.path.realpath(mnt.ext("contacts")))


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
