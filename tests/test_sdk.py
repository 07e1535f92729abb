# SPDX-License-Identifier: MIT
"""A client no one here wrote: RingCentral's JavaScript SDK against the simulator.

tests/sdk/conformance.mjs drives the simulator through @rc-ex/core (the version
pinned in tests/sdk/package.json and package-lock.json) with the everyday calls
(auth, refresh, revoke, listings with paging, content, SMS, MMS, pager, fax,
presence, rules, contacts, sync) and prints one JSON line per call. This test
installs the SDK (`npm ci`, once: kept in tests/sdk/node_modules until the lock
file or Node's major version changes), runs the script with node, and checks every
outcome against the simulator's own state: the bytes of content, the messages
stored, paging totals, the request log.

Needs Node.js (18 or later) and npm (contrib/install-deps.sh installs Debian's) and
the npm registry for the first install; without them the test fails and says so.
"""
import hashlib
import json
import os
import shutil
import struct
import subprocess
import urllib.parse
import zlib
from pathlib import Path

import pytest

from simctl import DEMO

SDK = Path(__file__).resolve().parent / "sdk"
EXT = "/restapi/v1.0/account/~/extension/~"
OWNER = 400131173008            # ext 101, the JWT's owner
FROM, PEER = "+16505550101", "+14155550142"
NPM_TIMEOUT = 600


def _tool(name):
    path = shutil.which(name)
    if path is None:
        pytest.fail("%s not found: the SDK conformance test needs Node.js (18 or later) and npm "
                    "(Debian: apt-get install nodejs npm, as contrib/install-deps.sh does)" % name)
    return path


def _node_major(node):
    out = subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout
    try:
        return int(out.strip().lstrip("v").split(".")[0])
    except ValueError:
        pytest.fail("node --version said %r" % out)


@pytest.fixture(scope="module")
def node_sdk():
    """(node, tests/sdk) with @rc-ex/core installed from the lock file."""
    node, npm = _tool("node"), _tool("npm")
    major = _node_major(node)
    if major < 18:
        pytest.fail("node %d is too old for @rc-ex/core: 18 or later needed" % major)
    lock = (SDK / "package-lock.json").read_bytes()
    stamp_text = "%s node%d\n" % (hashlib.sha256(lock).hexdigest(), major)
    stamp = SDK / "node_modules" / ".ringfs-installed"
    if not (stamp.exists() and stamp.read_text() == stamp_text
            and (SDK / "node_modules" / "@rc-ex" / "core" / "package.json").exists()):
        # the registry once, with a short patience: offline it fails fast and says so
        cmd = [npm, "ci", "--no-audit", "--no-fund", "--prefer-offline", "--fetch-retries=1",
               "--fetch-retry-mintimeout=2000", "--fetch-retry-maxtimeout=5000",
               "--fetch-timeout=60000"]
        try:
            r = subprocess.run(cmd, cwd=SDK, capture_output=True, text=True, timeout=NPM_TIMEOUT)
        except subprocess.TimeoutExpired:
            pytest.fail("npm ci in %s took more than %d s (is the npm registry reachable?)"
                        % (SDK, NPM_TIMEOUT))
        if r.returncode != 0:
            pytest.fail("npm ci in %s failed (exit %d): the SDK could not be installed; is the npm "
                        "registry reachable?\n%s" % (SDK, r.returncode, (r.stdout + r.stderr)[-3000:]))
        stamp.write_text(stamp_text)
    return node, SDK


# ---- the uploads: a small PNG, a short MP4, a one-page PDF -------------------------------------

def _png(w=32, h=24):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + bytes((x * 7 + y * 13) % 256 for x in range(w * 3)) for y in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def _mp4(n=150000):
    ftyp = struct.pack(">I", 24) + b"ftypisom" + struct.pack(">I", 512) + b"isomiso2"
    payload = bytes((i * 31 + (i >> 8)) % 256 for i in range(n))
    return ftyp + struct.pack(">I", 8 + n) + b"mdat" + payload


def _pdf():
    return (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")


def _sha(b):
    return hashlib.sha256(b).hexdigest()


def _run(node, sdk, sim, files):
    env = dict(os.environ, RC_SERVER=sim.url, RC_CLIENT_ID=DEMO["RC_APP_CLIENT_ID"],
               RC_CLIENT_SECRET=DEMO["RC_APP_CLIENT_SECRET"], RC_JWT=DEMO["RC_USER_JWT"],
               SDK_FILES=str(files))
    r = subprocess.run([node, str(sdk / "conformance.mjs")], cwd=sdk, env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, "conformance.mjs exited %d:\n%s" % (r.returncode, r.stderr[-3000:])
    out = {}
    for line in r.stdout.splitlines():
        rec = json.loads(line)
        assert rec["call"] not in out, "call %s twice" % rec["call"]
        out[rec["call"]] = rec
    return out


def _ok(calls, name):
    rec = calls.get(name)
    assert rec is not None, "the SDK made no %r call (got %s)" % (name, list(calls))
    assert rec["ok"], "%s: %s" % (name, json.dumps(rec)[:1500])
    return rec["data"]


def _all(sim, path, **q):
    """The simulator's own answer to a listing, as one page of up to 1000."""
    q.setdefault("perPage", 1000)
    st, _, b = sim.get_json(path + "?" + urllib.parse.urlencode(q, doseq=True))
    assert st == 200, (path, b)
    return b


def test_sdk_everyday_calls(sim, node_sdk, tmp_path):
    node, sdk = node_sdk
    png, mp4, pdf = _png(), _mp4(), _pdf()
    (tmp_path / "mms.png").write_bytes(png)
    (tmp_path / "mms.mp4").write_bytes(mp4)
    (tmp_path / "fax.pdf").write_bytes(pdf)
    # the usage plan as the service's, in a short window: a call over the limit gets
    # 429 and Retry-After, and the script waits and calls again
    sim.config(rate_window=2)
    # the simulator's own listings before the SDK changes anything
    msgs = _all(sim, EXT + "/message-store", dateFrom="2000-01-01T00:00:00.000Z",
                messageType=["VoiceMail", "Fax"])
    call_log = _all(sim, EXT + "/call-log", dateFrom="2000-01-01T00:00:00.000Z", type="Voice")
    rule_list = _all(sim, EXT + "/answering-rule")
    contacts = _all(sim, EXT + "/address-book/contact")
    sim.reset()                 # simctl's calls counted against the same usage plan
    sim.config(rate_window=2)
    calls = _run(node, sdk, sim, tmp_path)

    # ---- auth
    tok = _ok(calls, "authorize")
    assert tok["token_type"] == "bearer" and tok["owner_id"] == str(OWNER)
    assert tok["has_access"] and tok["has_refresh"] and tok["expires_in"] == 3600
    assert _ok(calls, "extension") == {"id": OWNER, "extensionNumber": "101",
                                       "name": "Morgan Avery", "type": "User"}

    # ---- listings with paging: the same records, in order, as one big page
    got = _ok(calls, "message-store pages")
    want_ids = [m["id"] for m in msgs["records"]]
    assert got["ids"] == want_ids and len(want_ids) > 7
    pages = got["pages"]
    assert len(pages) == -(-len(want_ids) // 7)
    assert [p["page"] for p in pages] == list(range(1, len(pages) + 1))
    assert all(p["totalElements"] == len(want_ids) and p["totalPages"] == len(pages)
               and p["perPage"] == 7 for p in pages)
    got = _ok(calls, "call-log pages")
    assert got["ids"] == [x["id"] for x in call_log["records"]] and len(got["ids"]) > 25
    assert got["sawTotals"] is False            # the call log has no totals

    # ---- one message, its content on the API host (the SDK's path) and on the media host
    vm = _ok(calls, "voicemails")[0]
    assert _ok(calls, "message")["id"] == vm["id"]
    assert [a["type"] for a in vm["attachments"]] == ["AudioRecording", "AudioTranscription"]
    for a in vm["attachments"]:
        assert a["uri"].startswith(sim.media_url)
        st, h, body = sim.get(a["uri"])
        assert st == 200
        for name in ("content " + a["type"], "content uri " + a["type"]):
            c = _ok(calls, name)
            assert (c["attachmentId"], c["size"], c["sha256"]) == (a["id"], len(body), _sha(body))
        assert _ok(calls, "content uri " + a["type"])["contentType"] == h["Content-Type"]
    rec = _ok(calls, "recordings")[0]
    st, _, body = sim.get(rec["contentUri"])
    got = _ok(calls, "recording content")
    assert st == 200 and (got["id"], got["size"], got["sha256"]) == (rec["id"], len(body), _sha(body))

    # ---- SMS as the SDK sends it: multipart/form-data with a request.json part
    sms = _ok(calls, "sms")
    st, _, m = sim.get_json(EXT + "/message-store/%d" % sms["id"])
    assert st == 200 and m["type"] == "SMS" and m["direction"] == "Outbound"
    assert m["subject"] == "Hello from the SDK" and m["to"] == [{"phoneNumber": PEER}]
    assert m["from"]["phoneNumber"] == FROM
    assert [a["type"] for a in m["attachments"]] == ["Text"]
    assert sim.get(m["attachments"][0]["uri"])[2] == b"Hello from the SDK"
    log = sim.requests()
    posts = [r for r in log if r["method"] == "POST" and r["path"].endswith("/sms") and r["status"] != 429]
    assert [r["status"] for r in posts] == [200, 400, 403, 200]
    first = posts[0]["body"]
    assert [(p["name"], p["filename"], p["contentType"]) for p in first] == \
        [("request.json", "request.json", "application/json")]
    assert json.loads(first[0]["text"]) == {"from": {"phoneNumber": FROM},
                                            "to": [{"phoneNumber": PEER}],
                                            "text": "Hello from the SDK"}
    # the JSON form's validation and errors
    bad = calls["sms empty text"]
    assert not bad["ok"] and bad["status"] == 400 and bad["errorCode"] == "CMN-101"
    assert bad["body"]["parameterName"] == "text"
    bad = calls["sms foreign from"]
    assert not bad["ok"] and bad["status"] == 403 and bad["errorCode"] == "MSG-304"

    # ---- MMS: the files stored as sent, served back byte for byte
    mms = _ok(calls, "mms")
    st, _, m = sim.get_json(EXT + "/message-store/%d" % mms["id"])
    assert st == 200 and m["type"] == "SMS" and m["subject"] == "Picture and clip"
    atts = m["attachments"]
    assert [(a["type"], a["contentType"], a.get("fileName"), a.get("size")) for a in atts] == [
        ("Text", "text/plain", None, None),
        ("MmsAttachment", "image/png", "mms.png", len(png)),
        ("MmsAttachment", "video/mp4", "mms.mp4", len(mp4))]
    assert [a["id"] for a in mms["attachments"]] == [a["id"] for a in atts]
    assert sim.get(atts[0]["uri"])[2] == b"Picture and clip"
    assert sim.get(atts[1]["uri"])[2] == png
    st, h, body = sim.get(atts[2]["uri"])
    assert st == 200 and body == mp4 and h["Content-Type"] == "video/mp4"
    assert posts[3]["body"][1:] == [
        {"name": "attachments", "filename": "mms.png", "contentType": "image/png", "size": len(png)},
        {"name": "attachments", "filename": "mms.mp4", "contentType": "video/mp4", "size": len(mp4)}]
    alias = _ok(calls, "mms alias")
    st, _, m = sim.get_json(EXT + "/message-store/%d" % alias["id"])
    assert st == 200 and "subject" not in m
    assert [(a["type"], a["contentType"]) for a in m["attachments"]] == [("MmsAttachment", "image/png")]
    got = _ok(calls, "mms content MmsAttachment")
    assert (got["attachmentId"], got["sha256"]) == (m["attachments"][0]["id"], _sha(png))

    # ---- pager, fax
    pager = _ok(calls, "pager")
    assert pager["type"] == "Pager" and pager["to"][0]["extensionNumber"] == "102"
    st, _, b = sim.get_json("/restapi/v1.0/account/~/extension/400131174008/message-store"
                            "?messageType=Pager&perPage=1")
    assert b["records"][0]["subject"] == "Pager from the SDK"
    assert b["records"][0]["direction"] == "Inbound"
    fax = _ok(calls, "fax")
    st, _, m = sim.get_json(EXT + "/message-store/%d" % fax["id"])
    assert m["type"] == "Fax" and m["faxResolution"] == "High"
    assert m["to"] == [{"phoneNumber": PEER, "name": "Fax Peer", "messageStatus": "Queued"}]
    assert sim.get(m["attachments"][0]["uri"])[2] == pdf         # one PDF: sent as it is

    # ---- presence, rules
    assert _ok(calls, "presence")["userStatus"] == "Available"
    assert _ok(calls, "presence update") == {"userStatus": "Busy", "dndStatus": "DoNotAcceptAnyCalls",
                                             "presenceStatus": "Busy"}
    st, _, p = sim.get_json(EXT + "/presence")
    assert p["userStatus"] == "Busy" and p["dndStatus"] == "DoNotAcceptAnyCalls"
    rules = _ok(calls, "rules")
    assert rules["ids"] == [r["id"] for r in rule_list["records"]]
    assert rules["paging"]["totalElements"] == len(rule_list["records"])
    assert _ok(calls, "rule")["id"] == rules["ids"][0]

    # ---- contacts
    got = _ok(calls, "contacts pages")
    made = _ok(calls, "contact create")
    assert made["id"] not in got["ids"]
    assert got["ids"] == [c["id"] for c in contacts["records"]] and got["total"] == len(got["ids"]) > 6
    assert _ok(calls, "contact update")["lastName"] == "King"
    assert _ok(calls, "contact get") == {"id": made["id"], "lastName": "King"}
    _ok(calls, "contact delete")
    st, _, b = sim.get_json(EXT + "/address-book/contact/%d" % made["id"])
    assert st == 404

    # ---- sync: the full sync is the store's, the incremental one the messages sent since
    full = _ok(calls, "sync full")
    st, _, b = sim.get_json(EXT + "/message-sync?syncType=FSync")
    assert full["ids"] == [m["id"] for m in b["records"]]
    sent = {sms["id"], mms["id"], alias["id"], pager["id"], fax["id"]}
    assert sent <= set(full["ids"])
    inc = _ok(calls, "sync incremental")
    st, _, b = sim.get_json(EXT + "/message-sync?" + urllib.parse.urlencode(
        {"syncType": "ISync", "syncToken": full["syncInfo"]["syncToken"]}))
    assert inc["syncInfo"]["syncType"] == "ISync" and inc["ids"] == [m["id"] for m in b["records"]]
    assert fax["id"] in inc["ids"]              # sent the moment before the full sync

    # ---- refresh, revoke
    assert _ok(calls, "refresh")["changed"] is True
    assert _ok(calls, "after refresh") == OWNER
    assert _ok(calls, "revoke") == {"cleared": True}
    gone = calls["after revoke"]
    assert not gone["ok"] and gone["status"] == 401

    # ---- every request the SDK made got what the service answers: nothing unknown to it
    sdk_log = [r for r in sim.requests() if not (r["user_agent"] or "").startswith("simctl/")]
    assert sdk_log and all(r["operation"] for r in sdk_log), \
        [r["path"] for r in sdk_log if not r["operation"]]
    expected_errors = {("POST", "sendSMS", 400), ("POST", "sendSMS", 403),
                       ("GET", "readExtension", 401)}
    odd = [(r["method"], r["path"], r["status"]) for r in sdk_log
           if r["status"] not in (200, 204, 429)
           and (r["method"], r["operation"], r["status"]) not in expected_errors]
    assert not odd, odd
    assert sum(r["status"] == 401 for r in sdk_log) == 1
    for name, rec in calls.items():
        assert rec["ok"] or name in ("sms empty text", "sms foreign from", "after revoke"), name
