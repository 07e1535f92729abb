"""What is read and not written: the account's and the extension's documents,
the API's versions and status, dictionaries, the company directory,
authorization.
"""
import json
import os
import time

import pytest

from helpers import api, mark, ops


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


def test_api_info_and_status(sim, mnt):
    before = mark(sim)
    assert json.loads((mnt.path / "api" / "versions.json").read_text())["apiVersions"]
    assert json.loads((mnt.path / "api" / "v1.0.json").read_text())["uriString"] == "v1.0"
    assert (mnt.path / "api" / "status").read_text() == "available\n"
    assert set(ops(sim, before)) == {"getAllVersions", "getApiVersion", "loadAPIStatus"}


def test_dictionaries(sim, mnt):
    d = mnt.path / "dictionary"
    covers = json.loads((d / "fax-cover-pages.json").read_text())
    assert covers["records"][0]["name"] == "None"
    names = os.listdir(d / "greetings")
    listed = api(sim, "/restapi/v1.0/dictionary/greeting?perPage=1000")["records"]
    assert len(names) == len(listed)
    gid = listed[0]["id"]
    before = mark(sim)
    assert json.loads((d / "greetings" / f"{gid}.json").read_text())["id"] == gid
    assert ops(sim, before) == ["getGreeting"]
    with pytest.raises(FileNotFoundError):
        os.stat(d / "greetings" / "999999999.json")


def test_directory(sim, mounter):
    """Today's directory/entries, read by numbered pages (they have no navigation)."""
    mnt = mounter(options=["page_size=3"])
    d = mnt.acct("directory")
    assert "directory" in os.listdir(mnt.acct())
    before = mark(sim)
    names = os.listdir(d)
    log = sim.requests()[before:]
    assert [(r["operation"], r["status"]) for r in log] == [("listDirectoryEntries", 200)] * 2
    assert "page=2" in log[1]["query"] and "perPage=3" in log[1]["query"]
    people = api(sim, "/restapi/v1.0/account/~/directory/entries")["records"]
    assert sorted(names) == sorted(f"{p['id']}_{p['name']}.json"
                                   for p in people)
    assert json.loads((d / names[0]).read_text()) in people
    before = mark(sim)
    one = json.loads((d / f"{people[0]['id']}.json").read_text())
    assert one == people[0]
    assert ops(sim, before) == ["getDirectoryEntry"]


def test_directory_falls_back_to_contacts(sim, mounter):
    """A server without directory/entries (before API 1.0.37): one 404, then the
    legacy directory/contacts, for the listing and for records by id, not asked again."""
    mnt = mounter(options=["cache_timeout=1"])
    sim.config(directory_entries=False)
    d = mnt.acct("directory")
    assert "directory" in os.listdir(mnt.acct())
    before = mark(sim)
    names = os.listdir(d)
    assert [(r["operation"], r["status"]) for r in sim.requests()[before:]] == \
        [("listDirectoryEntries", 404), ("listDirectoryContacts", 200)]
    people = api(sim, "/restapi/v1.0/account/~/directory/contacts")["records"]
    assert len(names) == len(people)
    before = mark(sim)
    one = json.loads((d / f"{people[0]['id']}.json").read_text())
    assert one["firstName"] == people[0]["firstName"]
    assert ops(sim, before) == ["loadDirectoryContact"]
    time.sleep(1.5)  # past cache_timeout: the folder is listed again, from contacts only
    before = mark(sim)
    assert len(os.listdir(d)) == len(people) + 1  # and the one read by id
    assert ops(sim, before).count("listDirectoryContacts") == 1
    assert "listDirectoryEntries" not in ops(sim, before)


def test_authorization(sim, mnt):
    prof = json.loads(mnt.ext("authz-profile.json").read_text())
    assert prof["permissions"]
    check = json.loads(mnt.ext("authz-check", "ReadMessages.json").read_text())
    assert check["successful"] is True
    assert "ReadMessages.json" in os.listdir(mnt.ext("authz-check"))
