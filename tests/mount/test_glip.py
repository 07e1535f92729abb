"""Team messaging (Glip): groups, their transcripts, posts, members, files and
webhooks; persons and companies.
"""
import json
import os
import subprocess

from helpers import mark, ops, write

TEAM = "118219087878"    # "Support Escalations": 101 and 103
SAM = "400131174008"


def test_glip_groups_posts_and_members(sim, mnt, tmp_path):
    g = mnt.path / "glip" / "groups"
    groups = os.listdir(g)
    assert TEAM in groups
    team = g / TEAM
    assert json.loads((team / "group.json").read_text())["id"] == TEAM
    transcript = (team / "transcript.txt").read_text()
    assert transcript.count("\n") >= 5
    # posting: a line appended to the transcript, and a new .txt in posts/
    before = mark(sim)
    with open(team / "transcript.txt", "a") as f:
        f.write("Shipping today\n")
    write(team / "posts" / "note.txt", "Second thought\n")
    assert ops(sim, before, "POST") == ["createGlipGroupPost", "createGlipGroupPost"]
    assert (team / "transcript.txt").read_text().rstrip().endswith("Second thought")
    # editing the text of one's own post
    mine = [n for n in os.listdir(team / "posts") if n.endswith(".txt")
            and (team / "posts" / n).read_text() == "Shipping today\n"]
    assert mine
    before = mark(sim)
    write(team / "posts" / mine[0], "Shipping tomorrow")
    assert ops(sim, before, "PUT") == ["updateGlipPostText"]
    # members
    before = mark(sim)
    write(team / "members.json", json.dumps({"addedPersonIds": [SAM]}))
    assert ops(sim, before, "POST") == ["assignGlipGroupMembers"]
    assert SAM in json.loads((team / "group.json").read_text())["members"]
    # all posts, and a post made there
    assert os.listdir(mnt.path / "glip" / "posts")
    before = mark(sim)
    write(mnt.path / "glip" / "posts" / "new.json", json.dumps({"groupId": TEAM, "text": "hi all"}))
    assert ops(sim, before, "POST") == ["createPost"]
    # a file
    src = tmp_path / "notes.txt"
    src.write_text("minutes\n")
    before = mark(sim)
    subprocess.run(["cp", str(src), str(team / "files" / "notes.txt")], check=True)
    assert ops(sim, before, "POST") == ["createGlipFile"]
    assert os.listdir(team / "files") == []
    # a new team
    before = mark(sim)
    write(g / "new.json", json.dumps({"type": "Team", "name": "Launch party", "members": [{"id": SAM}]}))
    assert ops(sim, before, "POST") == ["createGlipGroup"]


def test_glip_persons_companies_and_webhooks(sim, mnt):
    glip = mnt.path / "glip"
    assert os.listdir(glip / "persons") == []
    person = json.loads((glip / "persons" / f"{SAM}.json").read_text())
    assert person["id"] == SAM and person["gender"] is None  # Glip emits nulls
    assert os.listdir(glip / "persons") == [f"{SAM}.json"]
    company = json.loads((glip / "companies" / "400131172008.json").read_text())
    assert company["name"] == "Demo Company"
    hooks = glip / "groups" / TEAM / "webhooks"
    old = set(os.listdir(hooks))
    before = mark(sim)
    (hooks / "new").touch()
    assert ops(sim, before, "POST") == ["createGlipGroupWebhook"]
    new = (set(os.listdir(hooks)) - old).pop()
    hook_id = new[:-5]
    assert new in os.listdir(glip / "webhooks")
    rec = json.loads((glip / "webhooks" / new).read_text())
    assert rec["records"][0]["status"] == "Active"
    before = mark(sim)
    os.setxattr(glip / "webhooks" / new, "user.ringfs.status", b"Suspended")
    os.setxattr(glip / "webhooks" / new, "user.ringfs.status", b"Active")
    assert ops(sim, before, "POST") == ["suspendGlipWebhook", "activateGlipWebhook"]
    before = mark(sim)
    os.unlink(glip / "webhooks" / new)
    assert ops(sim, before, "DELETE") == ["deleteGlipWebhook"]
    assert hook_id not in " ".join(os.listdir(glip / "webhooks"))
