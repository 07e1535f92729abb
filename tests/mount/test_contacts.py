"""The address book: every contact as a vCard and as JSON, and created,
changed and deleted by writing either.
"""
import errno
import json
import os
import re
import subprocess
import unicodedata

from helpers import body_of, close_error, mark, records, sent, write


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
