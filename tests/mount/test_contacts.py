"""The address book: every contact as a vCard and as JSON, and created,
changed and deleted by writing either.
"""
import errno
import json
import os
import re
import subprocess
import unicodedata

from helpers import EXT, body_of, close_error, mark, records, sent, write


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


def test_contact_create_update_delete(sim, mnt):
    cdir = mnt.ext("contacts")
    before = mark(sim)
    write(cdir / "new.json", json.dumps({"firstName": "Ada", "lastName": "Lovelace",
                                         "email": "ada@example.com"}))
    posts = sent(sim, before)
    assert [(r["method"], r["operation"]) for r in posts] == [("POST", "createContact")]
    names = os.listdir(cdir)
    created = [n for n in names if n.startswith("Ada Lovelace_") and n.endswith(".json")]
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
    assert not [n for n in os.listdir(cdir) if n.startswith("Ada Lovelace_")]


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
    vcf = [n for n in os.listdir(cdir) if n.startswith("Grace Hopper_") and n.endswith(".vcf")]
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


def test_a_new_entry_is_created_once(sim, mnt):
    cdir = mnt.ext("contacts")
    before = mark(sim)
    write(cdir / "twice.json", json.dumps({"firstName": "Once"}))
    assert close_error(cdir / "twice.json", json.dumps({"firstName": "Twice"})) in (None, errno.EALREADY)
    assert len(sent(sim, before, "createContact")) == 1


def test_names_keep_their_letters(sim, mnt):
    cdir = mnt.ext("contacts")
    before = mark(sim)
    write(cdir / "zoe.json", json.dumps({"firstName": "Zoë", "lastName": "Łukasiewicz"}))
    # decomposed (NFD) letters, as a Mac sends them: the name shows them composed (NFC)
    write(cdir / "jurgen.json", json.dumps({"firstName": unicodedata.normalize("NFD", "Jürgen"),
                                            "lastName": unicodedata.normalize("NFD", "Müller")}))
    write(cdir / "dot.json", json.dumps({"firstName": ".hidden/slash", "lastName": "tab\tbell\a"}))
    assert len(sent(sim, before, "createContact")) == 3
    names = os.listdir(cdir)
    zoe = [n for n in names if n.startswith("Zoë Łukasiewicz_")]
    assert sorted(n.rsplit(".", 1)[1] for n in zoe) == ["json", "vcf"]
    assert json.loads((cdir / zoe[0]).with_suffix(".json").read_text())["lastName"] == "Łukasiewicz"
    jurgen = [n for n in names if n.startswith("Jürgen Müller_")]
    assert len(jurgen) == 2
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    # only what a name cannot hold is replaced: '/', control characters, a leading '.'
    assert len([n for n in names if n.startswith("_hidden_slash tab_bell_")]) == 2
    assert not [n for n in names if n.startswith(".")]
    env = dict(os.environ, LC_ALL="C.UTF-8")
    for word, who in (("łukas", "Zoë Łukasiewicz_"), ("müller", "Jürgen Müller_")):
        found = subprocess.run(f"ls | grep -i {word}", shell=True, cwd=cdir, env=env,
                               capture_output=True, text=True).stdout.split("\n")
        assert sorted(n for n in found if n) == sorted(n for n in names if n.startswith(who))
    # the vCard holds the letters too
    vcf = next(n for n in zoe if n.endswith(".vcf"))
    assert "FN:Zoë Łukasiewicz\r\n" in (cdir / vcf).read_bytes().decode()


def test_a_long_name_is_cut_on_a_character_boundary(sim, mnt):
    cdir = mnt.ext("contacts")
    long_name = "ł" * 150  # 300 bytes of UTF-8
    write(cdir / "long.json", json.dumps({"firstName": long_name}))
    names = [n for n in os.listdir(cdir) if n.startswith("łł")]
    assert len(names) == 2
    for name in names:
        raw = os.fsencode(name)
        assert len(raw) <= 255
        assert raw.decode("utf-8")  # whole characters only
        stem = name.rsplit("_", 1)[0]
        assert set(stem) == {"ł"} and 80 <= len(stem) < 150
        assert os.stat(cdir / name).st_size > 0
    assert json.loads((cdir / next(n for n in names if n.endswith(".json"))).read_text()
                      )["firstName"] == long_name


# ---- vCards as address books export them --------------------------------------------

CARD_30 = ("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lovelace;Ada;;;\r\nFN:Ada Lovelace\r\n"
           "item1.TEL:+44 20 7946 0000\r\nitem1.X-ABLabel:_$!<Mobile>!$_\r\n"
           "NOTE:a note folded\r\n  over two lines\r\nEND:VCARD\r\n")
CARD_40 = ("BEGIN:VCARD\r\nVERSION:4.0\r\nN:Łukasiewicz;Zoë;;;\r\nFN:Zoë Łukasiewicz\r\n"
           "TEL;VALUE=uri;TYPE=\"cell,voice\":tel:+1-415-555-0100\r\n"
           "TEL;VALUE=uri;TYPE=work:tel:+1.415.555.0101\r\n"
           "EMAIL;TYPE=work:zoe@example.org\r\nEND:VCARD\r\n")
CARD_21 = ("BEGIN:VCARD\r\nVERSION:2.1\r\n"
           "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen\r\n"
           "TEL;HOME;VOICE:+49 30 1234567\r\nTEL;WORK;FAX:+49 30 7654321\r\nEND:VCARD\r\n")


def test_a_vcf_of_several_cards_creates_each_once(sim, mnt):
    cdir = mnt.ext("contacts")
    before = mark(sim)
    write(cdir / "export.vcf", CARD_30 + CARD_40 + CARD_21)
    posts = sent(sim, before)
    assert [(r["method"], r["operation"]) for r in posts] == [("POST", "createContact")] * 3
    assert [body_of(r) for r in posts] == [
        {"lastName": "Lovelace", "firstName": "Ada", "mobilePhone": "+44 20 7946 0000",
         "notes": "a note folded over two lines"},
        {"lastName": "Łukasiewicz", "firstName": "Zoë", "mobilePhone": "+14155550100",
         "businessPhone": "+14155550101", "email": "zoe@example.org"},
        {"lastName": "Müller", "firstName": "Jürgen", "homePhone": "+49 30 1234567",
         "businessFax": "+49 30 7654321"},
    ]
    assert all(r["status"] == 200 for r in posts)
    names = os.listdir(cdir)
    for who in ("Ada Lovelace_", "Zoë Łukasiewicz_", "Jürgen Müller_"):
        assert len([n for n in names if n.startswith(who) and n.endswith(".vcf")]) == 1
    assert "export.vcf" not in names  # created: the folder shows the contacts instead


def test_a_refused_card_fails_close_naming_it_and_a_rewrite_sends_only_the_rest(sim, mnt):
    cdir = mnt.ext("contacts")
    bad = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bad Number\r\nTEL:call me\r\nEND:VCARD\r\n"
    good = bad.replace("TEL:call me", "TEL:+1 650 555 0199")
    path = cdir / "book.vcf"
    before = mark(sim)
    assert close_error(path, CARD_30 + bad + CARD_21) == errno.EINVAL
    posts = sent(sim, before, "createContact")
    assert [r["status"] for r in posts] == [200, 400]  # the third card was never sent
    said = os.getxattr(path, "user.ringfs.error").decode()
    assert "card 2 (Bad Number) of 3 was refused" in said
    assert "created: card 1 (Ada Lovelace, id " in said
    assert "not created: cards 2 to 3" in said
    assert said.endswith(os.getxattr(path, "user.ringfs.outcome").decode())
    assert path.read_text() == (CARD_30 + bad + CARD_21).replace("\r\n", "\n")  # what you wrote
    # fixed and written again: only the cards not created are sent, each once
    before = mark(sim)
    write(path, CARD_30 + good + CARD_21)
    posts = sent(sim, before, "createContact")
    assert [body_of(r).get("firstName") for r in posts] == ["Bad", "Jürgen"]
    assert all(r["status"] == 200 for r in posts)
    assert "created 2 cards" in os.getxattr(path, "user.ringfs.outcome").decode()
    contacts = records(sim, f"{EXT}/address-book/contact?perPage=1000")
    assert len([c for c in contacts if c.get("lastName") == "Lovelace"]) == 1


def test_a_card_that_is_no_vcard_sends_nothing(sim, mnt):
    cdir = mnt.ext("contacts")
    before = mark(sim)
    broken = CARD_30 + "BEGIN:VCARD\r\nFN:Half\r\nthis line has no colon\r\nEND:VCARD\r\n"
    assert close_error(cdir / "broken.vcf", broken) == errno.EINVAL
    assert sent(sim, before) == []
    assert "card 2: line" in os.getxattr(cdir / "broken.vcf", "user.ringfs.error").decode()
    # an existing contact's file holds one card
    vcf = next(n for n in os.listdir(cdir) if n.endswith(".vcf") and n != "broken.vcf")
    before = mark(sim)
    assert close_error(cdir / vcf, CARD_30 + CARD_21) == errno.EINVAL
    assert sent(sim, before) == []
