"""Team messaging: groups (chats), their transcripts, posts, members, files and
webhooks; persons and companies. team-messaging/ is served from today's
/team-messaging/v1, or from the old /restapi/v1.0/glip where a server has no
/team-messaging/v1 (/_sim/config team_messaging=false); glip is a link to it.
"""
import errno
import json
import os
import subprocess

from helpers import body_of, close_error, mark, ops, sent, write

TEAM = "118219087878"    # "Support Escalations": 101 and 103
SAM = "400131174008"


def test_glip_groups_posts_and_members(sim, mnt, tmp_path):
    """An old server: one 404 from /team-messaging/v1/chats, then /glip for everything."""
    sim.config(team_messaging=False)
    assert os.readlink(mnt.path / "glip") == "team-messaging"
    g = mnt.path / "glip" / "groups"
    before = mark(sim)
    groups = os.listdir(g)
    assert [(r["operation"], r["status"]) for r in sim.requests()[before:]] == \
        [("listGlipChatsNew", 404), ("listGlipGroups", 200)]
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
    sim.config(team_messaging=False)
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
    assert ops(sim).count("listGlipChatsNew") == 1  # asked once (persons/), remembered


# ---- today's /team-messaging/v1 ---------------------------------------------------------

TM = "/team-messaging/v1"


def test_team_messaging_chats_and_posts(sim, mnt):
    """Chats and posts from /team-messaging/v1: the listing, the transcript, a post sent
    once, an edit as PATCH; no /glip call at all."""
    tm = mnt.path / "team-messaging"
    before = mark(sim)
    chats = os.listdir(tm / "groups")
    assert ops(sim, before) == ["listGlipChatsNew"]  # 250 a page: one request
    assert TEAM in chats and "118219071494" in chats
    team = tm / "groups" / TEAM
    before = mark(sim)
    group = json.loads((team / "group.json").read_text())
    assert group["type"] == "Team" and group["name"] == "Support Escalations"
    assert ops(sim, before) == ["readGlipChatNew"]
    assert json.loads((tm / "groups" / "118219071494" / "group.json").read_text())["type"] == "Direct"
    before = mark(sim)
    transcript = (team / "transcript.txt").read_text()
    assert ops(sim, before) == ["readGlipPostsNew"]
    assert transcript.count("\n") == 10    # the group's 10 posts, oldest first
    # a line appended is posted once; the transcript shows it
    before = mark(sim)
    with open(team / "transcript.txt", "a") as f:
        f.write("Shipping today\n")
    assert [(r["operation"], r["method"]) for r in sent(sim, before)] == [("createGlipPostNew", "POST")]
    assert body_of(sent(sim, before)[0]) == {"text": "Shipping today"}
    assert (team / "transcript.txt").read_text().rstrip().endswith(": Shipping today")
    # a new .txt in posts/: posted once
    before = mark(sim)
    write(team / "posts" / "note.txt", "Second thought\n")
    assert [r["operation"] for r in sent(sim, before)] == ["createGlipPostNew"]
    # the posts listing: <id>.json and <id>.txt; an edit is one PATCH of the post
    before = mark(sim)
    names = os.listdir(team / "posts")
    assert ops(sim, before) == ["readGlipPostsNew"]
    mine = [n for n in names if n.endswith(".txt")
            and (team / "posts" / n).read_text() == "Shipping today\n"]
    assert len(mine) == 1
    post_id = mine[0][:-4]
    before = mark(sim)
    write(team / "posts" / mine[0], "Shipping tomorrow\n")
    edits = sent(sim, before)
    assert [(r["operation"], r["method"], r["path"]) for r in edits] == \
        [("patchGlipPostNew", "PATCH", f"{TM}/chats/{TEAM}/posts/{post_id}")]
    assert body_of(edits[0]) == {"text": "Shipping tomorrow"}
    st, _, body = sim.get(f"{TM}/chats/{TEAM}/posts/{post_id}")
    assert json.loads(body)["text"] == "Shipping tomorrow"
    # someone else's post cannot be edited: EACCES/EPERM, nothing changed
    theirs = [n for n in names if n.endswith(".json")
              and json.loads((team / "posts" / n).read_text())["creatorId"] != "400131173008"][0]
    assert close_error(team / "posts" / (theirs[:-5] + ".txt"), "mine now") in (errno.EACCES, errno.EPERM)
    # a .json in posts/ is posted as it is
    before = mark(sim)
    write(team / "posts" / "card.json", json.dumps({"text": "as JSON"}))
    assert [r["operation"] for r in sent(sim, before)] == ["createGlipPostNew"]
    assert not [r for r in sim.requests() if "/glip/" in r["path"]]


def test_team_messaging_post_with_a_lost_answer_is_found_not_resent(sim, mounter):
    mnt = mounter(options=["stall_timeout=1", "verify_timeout=5"])
    transcript = mnt.path / "team-messaging" / "groups" / TEAM / "transcript.txt"
    transcript.read_text()
    sim.fault("slow_reply", method="POST", path=r"/team-messaging/v1/chats/\d+/posts$", delay=3)
    since = mark(sim)
    write(transcript, "a slow hello\n", mode="a")
    assert len(sent(sim, since, operation="createGlipPostNew")) == 1
    assert transcript.read_text().rstrip().endswith(": a slow hello")


def test_team_messaging_members_files_teams_and_webhooks(sim, mnt, tmp_path):
    tm = mnt.path / "team-messaging"
    team = tm / "groups" / TEAM
    assert TEAM in os.listdir(tm / "groups")
    # members: add, then remove, each one call of teams/{id}/add|remove; the file shows the chat
    before = mark(sim)
    write(team / "members.json", json.dumps({"addedPersonIds": [SAM]}))
    calls = sent(sim, before)
    assert [(r["operation"], r["path"]) for r in calls] == [("addGlipTeamMembersNew", f"{TM}/teams/{TEAM}/add")]
    assert body_of(calls[0]) == {"members": [{"id": SAM}]}
    assert {"id": SAM} in json.loads((team / "members.json").read_text())["members"]
    before = mark(sim)
    write(team / "members.json", json.dumps({"removedPersonIds": [SAM]}))
    assert [r["operation"] for r in sent(sim, before)] == ["removeGlipTeamMembersNew"]
    assert {"id": SAM} not in json.loads((team / "group.json").read_text())["members"]
    before = mark(sim)
    assert close_error(team / "members.json",
                       json.dumps({"addedPersonIds": [SAM], "removedPersonIds": [SAM]})) == errno.EINVAL
    assert sent(sim, before) == []
    # a file: one upload to /team-messaging/v1/files
    src = tmp_path / "notes.txt"
    src.write_text("minutes\n")
    before = mark(sim)
    subprocess.run(["cp", str(src), str(team / "files" / "notes.txt")], check=True)
    up = sent(sim, before)
    assert [(r["operation"], r["path"]) for r in up] == [("createGlipFileNew", f"{TM}/files")]
    assert os.listdir(team / "files") == []
    # a new team and a conversation
    before = mark(sim)
    write(tm / "groups" / "new.json", json.dumps({"type": "Team", "name": "Launch party",
                                                  "isPublic": True, "members": [{"id": SAM}]}))
    made = sent(sim, before)
    assert [r["operation"] for r in made] == ["createGlipTeamNew"]
    assert body_of(made[0]) == {"name": "Launch party", "public": True, "members": [{"id": SAM}]}
    before = mark(sim)
    write(tm / "groups" / "chat.json", json.dumps({"members": [{"id": SAM}]}))
    assert [r["operation"] for r in sent(sim, before)] == ["createGlipConversationNew"]
    # persons, companies, webhooks
    person = json.loads((tm / "persons" / f"{SAM}.json").read_text())
    assert person["id"] == SAM
    assert json.loads((tm / "companies" / "400131172008.json").read_text())["name"] == "Demo Company"
    hooks = team / "webhooks"
    old = set(os.listdir(hooks))
    before = mark(sim)
    (hooks / "new").touch()
    assert [r["operation"] for r in sent(sim, before)] == ["createGlipGroupWebhookNew"]
    new = (set(os.listdir(hooks)) - old).pop()
    assert new in os.listdir(tm / "webhooks")
    assert "Active" in (tm / "webhooks" / new).read_text()
    before = mark(sim)
    os.setxattr(tm / "webhooks" / new, "user.ringfs.status", b"Suspended")
    # read back: the server's state after the change, not what was fetched before it
    shown = (tm / "webhooks" / new).read_text()
    assert "Suspended" in shown and "Active" not in shown, shown
    os.unlink(tm / "webhooks" / new)
    assert [r["operation"] for r in sent(sim, before)] == ["suspendGlipWebhookNew", "deleteGlipWebhookNew"]
    used = {r["operation"] for r in sim.requests()}
    assert "listGlipWebhooksNew" in used and "readGlipPersonNew" in used
    assert not [r for r in sim.requests() if "/glip/" in r["path"]]


def test_files_showing_one_document_cost_one_request(sim, mnt):
    """group.json and members.json show the same chat, transcript.txt and posts/
    the same first page of posts: read together, in any order or at once, each
    is asked of the server once."""
    import threading

    team = mnt.path / "team-messaging" / "groups" / TEAM
    before = mark(sim)
    os.listdir(team)  # which fetches the folder's documents ahead, four at once
    barrier = threading.Barrier(2)
    texts = {}

    def read(name):
        barrier.wait()
        texts[name] = (team / name).read_text()

    threads = [threading.Thread(target=read, args=(n,)) for n in ("group.json", "members.json")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert json.loads(texts["group.json"])["id"] == TEAM
    assert texts["members.json"].strip()
    posts = os.listdir(team / "posts")
    transcript = (team / "transcript.txt").read_text()
    assert len([n for n in posts if n.endswith(".json")]) == transcript.count("\n") == 10
    asked = ops(sim, before)
    assert asked.count("readGlipChatNew") == 1 and asked.count("readGlipPostsNew") == 1, asked
