"""Call handling on upgraded accounts (RingCentral's "new call handling"): the
extension's answering-rules/ are its v2 state rules and interaction rules,
forwarding-numbers/ its forwarding targets (read-only), call-flip-numbers.json
its call flip list, and greetings for a rule name a state or an interaction
rule. One features request per extension tells the two kinds of account apart;
the seed's account keeps the v1.0 calls.
"""
import errno
import json
import os

from helpers import body_of, close_error, mark, sent, write

V2 = "/restapi/v2/accounts/~/extensions/~"
VOICE = V2 + "/comm-handling/voice"
FEATURES = "readExtensionFeatures"


def ops(sim, since):
    """The operations ringfs asked for since @since (the test's own requests left out)."""
    return [r["operation"] for r in sim.requests()[since:] if r["user_agent"].startswith("ringfs/")]


def pretty(obj):
    """The bytes ringfs shows for a JSON document: two-space indent, UTF-8, a newline."""
    return (json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode()


def get(sim, path):
    st, _, body = sim.get(path)
    assert st == 200, body
    return json.loads(body)


def upgrade(sim, mnt):
    sim.config(new_call_handling=True)
    os.listdir(mnt.ext())      # the extensions listing behind ~, so that counts below leave it out


def test_upgraded_rules_listed_and_read_byte_exact(sim, mnt):
    upgrade(sim, mnt)
    rdir = mnt.ext("answering-rules")
    before = mark(sim)
    names = os.listdir(rdir)
    states = get(sim, VOICE + "/state-rules")["records"]
    custom = get(sim, VOICE + "/interaction-rules")["records"]
    assert sorted(names) == sorted(f"{r['id']}.json" for r in states + custom)
    assert "work-hours.json" in names and "business-hours-rule.json" not in names
    # one features request, the two v2 listings (one page each), then each rule's own GET
    # (a listing gives each document its size)
    seen = [r for r in sim.requests()[before:] if r["user_agent"].startswith("ringfs/")]
    assert [r["operation"] for r in seen[:3]] == [FEATURES, "listVoiceStateBasedRules",
                                                  "listVoiceInteractionRules"]
    assert sorted(r["operation"] for r in seen[3:]) == sorted(
        ["readVoiceStateBasedRule"] * len(states) + ["readVoiceInteractionRule"] * len(custom))
    assert all(r["group"] == "Medium" for r in seen)
    assert seen[0]["query"] == "featureId=NewCallHandlingAndForwarding"
    for r in states:
        assert (rdir / f"{r['id']}.json").read_bytes() == pretty(get(sim, VOICE + "/state-rules/" + r["id"]))
    for r in custom:
        assert (rdir / f"{r['id']}.json").read_bytes() == pretty(
            get(sim, VOICE + "/interaction-rules/" + r["id"]))
    assert len(ops(sim, before)) == len(seen)       # read from what the listing loaded
    # the kind of account is remembered for the mount: no second features request
    before = mark(sim)
    os.listdir(mnt.ext("forwarding-numbers"))
    with open(mnt.ext("greetings", "Introductory.work-hours.wav"), "wb") as f:
        f.write(b"RIFF$\x00\x00\x00WAVEfmt " + bytes(32))
    assert FEATURES not in ops(sim, before) and "createGreeting" in ops(sim, before)


def test_state_rule_written_with_one_patch_of_what_changed(sim, mnt):
    upgrade(sim, mnt)
    path = mnt.ext("answering-rules", "work-hours.json")
    rule = json.loads(path.read_text())
    rule["dispatching"]["type"] = "RingAtOnce"
    rule["dispatching"]["actions"][0]["enabled"] = True
    before = mark(sim)
    write(path, json.dumps(rule, indent=2))
    writes = sent(sim, before)
    assert [(r["method"], r["operation"], r["group"]) for r in writes] == [
        ("PATCH", "updateVoiceStateBasedRule", "Medium")]
    assert body_of(writes[0]) == {"dispatching": rule["dispatching"]}   # only what changed
    assert path.read_bytes() == pretty(get(sim, VOICE + "/state-rules/work-hours"))
    assert json.loads(path.read_text())["dispatching"]["type"] == "RingAtOnce"
    # an unchanged save sends nothing; a read-only member is the server's to refuse
    before = mark(sim)
    write(path, path.read_text())
    assert sent(sim, before) == []
    assert close_error(path, json.dumps(dict(rule, displayName="Office"))) == errno.EINVAL
    assert [r["operation"] for r in sent(sim, before)] == ["updateVoiceStateBasedRule"]
    assert "CMN-101" in os.getxattr(path, "user.ringfs.error").decode()
    # state rules are not removed: EPERM, with the reason, and no request
    before = mark(sim)
    try:
        os.unlink(mnt.ext("answering-rules", "dnd.json"))
        raise AssertionError("removed a state rule")
    except PermissionError as e:
        assert e.errno == errno.EPERM
    assert sent(sim, before) == []
    assert "dnd.json" in os.listdir(mnt.ext("answering-rules"))


def test_custom_rule_created_changed_removed(sim, mnt):
    upgrade(sim, mnt)
    rdir = mnt.ext("answering-rules")
    old = set(os.listdir(rdir))
    before = mark(sim)
    write(rdir / "vip.json", json.dumps({"displayName": "VIP", "conditions": [
        {"type": "Interaction", "from": [{"phoneNumber": "+14155550190"}]}]}))
    posts = sent(sim, before)
    assert [(r["method"], r["operation"]) for r in posts] == [("POST", "createVoiceInteractionRule")]
    assert body_of(posts[0])["displayName"] == "VIP"
    new = set(os.listdir(rdir)) - old
    assert len(new) == 1 and "vip.json" not in new
    name = new.pop()
    rid = name[:-len(".json")]
    assert json.loads((rdir / name).read_text())["displayName"] == "VIP"
    before = mark(sim)
    write(rdir / name, json.dumps({"enabled": False}))
    writes = sent(sim, before)
    assert [(r["method"], r["operation"]) for r in writes] == [("PATCH", "updateVoiceInteractionRule")]
    assert body_of(writes[0]) == {"enabled": False}
    assert get(sim, VOICE + "/interaction-rules/" + rid)["enabled"] is False
    before = mark(sim)
    os.unlink(rdir / name)
    assert [(r["method"], r["operation"]) for r in sent(sim, before)] == [
        ("DELETE", "deleteVoiceInteractionRule")]
    assert set(os.listdir(rdir)) == old
    assert sim.get(VOICE + "/interaction-rules/" + rid)[0] == 404


def test_greeting_uploaded_for_a_state_and_a_custom_rule(sim, mnt):
    upgrade(sim, mnt)
    sim.config(limits={"Heavy": 1000})
    wav = b"RIFF$\x00\x00\x00WAVEfmt " + bytes(32)
    before = mark(sim)
    with open(mnt.ext("greetings", "Introductory.work-hours.wav"), "wb") as f:
        f.write(wav)
    posts = sent(sim, before)
    assert [r["operation"] for r in posts] == ["createGreeting"]
    assert ops(sim, before) == [FEATURES, "createGreeting"]   # asked once, at the first rule greeting
    parts = {p["name"]: p for p in posts[0]["body"]}
    assert json.loads(parts["json"]["text"]) == {"type": "Introductory", "stateId": "work-hours"}
    assert parts["binary"]["size"] == len(wav)
    welcome = get(sim, VOICE + "/state-rules/work-hours")["dispatching"]["actions"][0]
    assert welcome["greeting"]["effectiveGreetingType"] == "Custom"
    rid = get(sim, VOICE + "/interaction-rules")["records"][0]["id"]
    before = mark(sim)
    with open(mnt.ext("greetings", f"Voicemail.{rid}.mp3"), "wb") as f:
        f.write(b"ID3" + bytes(64))
    posts = sent(sim, before)
    assert ops(sim, before) == ["createGreeting"]
    meta = json.loads({p["name"]: p for p in posts[0]["body"]}["json"]["text"])
    assert meta == {"type": "Voicemail", "interactionRuleId": rid}
    # a state the extension does not have: the server's refusal, sent once
    before = mark(sim)
    try:
        with open(mnt.ext("greetings", "Introductory.agent.wav"), "wb") as f:
            f.write(wav)
        raise AssertionError("a greeting for a state the extension lacks was accepted")
    except OSError as e:
        assert e.errno == errno.ENOENT      # 400 CMN-102: the resource named is not found
    assert [r["operation"] for r in sent(sim, before)] == ["createGreeting"]


def test_forwarding_targets_read_only_and_call_flip_numbers(sim, mnt):
    upgrade(sim, mnt)
    fdir = mnt.ext("forwarding-numbers")
    before = mark(sim)
    names = sorted(os.listdir(fdir))
    assert ops(sim, before) == [FEATURES, "readForwardingTargets"]
    targets = get(sim, VOICE + "/forwarding-targets")["records"]
    mobile = [t for t in targets if t["type"] == "PhoneNumberRingTarget"][0]
    device = [t for t in targets if t["type"] == "DeviceRingTarget"][0]
    assert names == sorted([f"{mobile['destination']['phoneNumber']}.json",
                            f"device-{device['device']['id']}.json"])
    path = fdir / f"{mobile['destination']['phoneNumber']}.json"
    assert path.read_bytes() == pretty(mobile)
    assert ops(sim, before) == [FEATURES, "readForwardingTargets"]   # shown from the listing
    # read-only: a write, a removal and a new file are refused with EPERM, nothing sent
    before = mark(sim)
    assert close_error(path, json.dumps(dict(mobile, name="Cell"))) == errno.EPERM
    assert "call-flip-numbers.json" in os.getxattr(path, "user.ringfs.error").decode()
    try:
        os.unlink(path)
        raise AssertionError("removed a forwarding target")
    except PermissionError as e:
        assert e.errno == errno.EPERM
    assert close_error(fdir / "new.json", '{"phoneNumber": "+14155550100"}') == errno.EPERM
    assert sent(sim, before) == []
    os.unlink(fdir / "new.json")     # the refused file was only here
    assert sorted(os.listdir(fdir)) == names
    # the extension's folder now shows its call flip list: GET, and PUT of the whole list
    ext = mnt.ext()
    assert "call-flip-numbers.json" in os.listdir(ext)
    flip = ext / "call-flip-numbers.json"
    assert flip.read_bytes() == pretty(get(sim, V2 + "/call-flip-numbers"))
    doc = json.loads(flip.read_text())
    doc["records"] = [r for r in doc["records"] if r["label"] != "Home"]
    doc["records"].append({"phoneNumber": "+14155550191", "label": "Cabin", "flipNumber": "4"})
    before = mark(sim)
    write(flip, json.dumps(doc, indent=2))
    puts = sent(sim, before)
    assert [(r["method"], r["operation"], r["group"]) for r in puts] == [
        ("PUT", "updateCallFlipNumbers", "Medium")]
    assert body_of(puts[0]) == doc
    now = get(sim, V2 + "/call-flip-numbers")
    assert [r["label"] for r in now["records"]] == ["Desk phone", "Mobile", "Cabin"]
    assert flip.read_bytes() == pretty(now)


def test_call_flip_numbers_by_name_before_anything_asked(sim, mnt):
    upgrade(sim, mnt)
    before = mark(sim)
    assert "call-flip-numbers.json" not in os.listdir(mnt.ext())     # nothing known yet, nothing asked
    assert ops(sim, before) == []
    data = mnt.ext("call-flip-numbers.json").read_bytes()
    assert data == pretty(get(sim, V2 + "/call-flip-numbers"))
    assert [o for o in ops(sim, before) if o != "readCallFlipNumbers"] == [FEATURES]


def test_seed_account_unchanged_with_one_features_request(sim, mnt):
    os.listdir(mnt.ext())
    rdir = mnt.ext("answering-rules")
    before = mark(sim)
    names = sorted(os.listdir(rdir))
    assert names == ["3107589020.json", "after-hours-rule.json", "business-hours-rule.json"]
    # today's requests, and one features request before them
    assert ops(sim, before) == [FEATURES, "loadAnsweringRulesList"] + ["loadAnsweringRuleInfo"] * 3
    before = mark(sim)
    assert json.loads((rdir / "business-hours-rule.json").read_text())["type"] == "BusinessHours"
    assert os.listdir(mnt.ext("forwarding-numbers"))
    assert ops(sim, before) == ["listExtensionForwardingNumbers"] + ["getForwardingNumber"] * 3
    assert "call-flip-numbers.json" not in os.listdir(mnt.ext())
    before = mark(sim)
    assert not os.path.exists(mnt.ext("call-flip-numbers.json"))
    assert ops(sim, before) == []
    # a rule greeting names the answering rule, as before
    before = mark(sim)
    with open(mnt.ext("greetings", "Voicemail.3107589020.wav"), "wb") as f:
        f.write(b"RIFF$\x00\x00\x00WAVEfmt " + bytes(32))
    posts = sent(sim, before)
    meta = json.loads({p["name"]: p for p in posts[0]["body"]}["json"]["text"])
    assert meta == {"type": "Voicemail", "answeringRule": {"id": "3107589020"}}


def test_features_refused_means_the_seed_account(sim, mnt):
    os.listdir(mnt.ext())
    sim.fault("status", path=r"/features$", status=403, count=1)
    before = mark(sim)
    names = os.listdir(mnt.ext("answering-rules"))
    assert "business-hours-rule.json" in names
    assert ops(sim, before)[:2] == [FEATURES, "loadAnsweringRulesList"]


def test_features_failure_is_asked_again(sim, mnt):
    upgrade(sim, mnt)
    sim.fault("status", path=r"/features$", status=503, count=4)    # every attempt of one GET
    before = mark(sim)
    try:
        os.listdir(mnt.ext("answering-rules"))
        raise AssertionError("listed without knowing the call handling")
    except OSError as e:
        assert e.errno == errno.EIO
    assert ops(sim, before) == [FEATURES] * 4       # nothing remembered, no v1.0 call made
    before = mark(sim)
    assert "work-hours.json" in os.listdir(mnt.ext("answering-rules"))
    assert ops(sim, before)[:3] == [FEATURES, "listVoiceStateBasedRules", "listVoiceInteractionRules"]


def test_asked_once_per_extension(sim, mnt):
    upgrade(sim, mnt)
    exts = {e["extensionNumber"]: str(e["id"]) for e in sim.demo()["extensions"]}
    base = mnt.acct("extensions")
    before = mark(sim)
    # a call queue is not upgraded: its rules stay the v1.0 answering rules
    assert "business-hours-rule.json" in os.listdir(base / exts["201"] / "answering-rules")
    assert "work-hours.json" in os.listdir(base / exts["103"] / "answering-rules")
    assert "agent.json" in os.listdir(base / exts["102"] / "answering-rules")   # a queue member
    asked = [r for r in sim.requests()[before:] if r["operation"] == FEATURES]
    assert sorted(r["path"].split("/")[6] for r in asked) == sorted([exts["201"], exts["103"], exts["102"]])
    before = mark(sim)
    for n in ("201", "103", "102"):
        os.listdir(base / exts[n] / "forwarding-numbers")
    assert FEATURES not in ops(sim, before)
