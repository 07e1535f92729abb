"""What the mount tests share: what the simulator saw and holds, writes the way
tools make them, and file operations run in another process under a deadline.

The fixtures are not here: ``sim`` is in tests/conftest.py, ``mnt`` and
``mounter`` in tests/mountfix.py (conftest.py gives them to every test).
"""
import json
import os
import subprocess
from datetime import datetime
from pathlib import Path

import simctl

ROOT = Path(__file__).resolve().parents[2]
FAR_PAST = "2000-01-01T00:00:00.000Z"
EXT = "/restapi/v1.0/account/~/extension/~"
HANG = 60  # the bound on a command that must not hang: a hang detector, never a measurement


# ---- what the simulator saw ---------------------------------------------------------

def mark(sim):
    """The position in the simulator's request log, for sent() and ops()."""
    return len(sim.requests())


def sent(sim, since, operation=None, method=None):
    """Requests other than GET since @since, of one operation or method if given."""
    return [r for r in sim.requests()[since:]
            if r["method"] != "GET" and (operation is None or r["operation"] == operation)
            and (method is None or r["method"] == method)]


def ops(sim, since=0, method=None):
    """The operations of every request since @since, of one method if given."""
    return [r["operation"] for r in sim.requests()[since:]
            if method is None or r["method"] == method]


def body_of(entry):
    """A logged request's JSON body as an object (other bodies as logged)."""
    body = entry.get("body")
    return json.loads(body) if isinstance(body, str) and body.startswith("{") else body


# ---- what the simulator holds -------------------------------------------------------

def api(sim, path):
    """One document, read straight from the simulator."""
    st, _, body = sim.get(path)
    assert st == 200, body
    return json.loads(body) if body else None


def records(sim, path):
    """Every record of a listing, read straight from the simulator (all pages)."""
    out = []
    url = path
    while url:
        status, _, body = sim.get(url)
        assert status == 200, body
        page = json.loads(body)
        out += page["records"]
        url = page.get("navigation", {}).get("nextPage", {}).get("uri")
    return out


def messages(sim, mtype, availability=None):
    """The message store's records of one type, over all of history."""
    query = f"messageType={mtype}&dateFrom={FAR_PAST}&perPage=1000"
    if availability:
        query += "".join(f"&availability={a}" for a in availability.split(","))
    return records(sim, f"{EXT}/message-store?{query}")


def message(sim, message_id):
    """(status, record) of one message by id."""
    st, _, body = sim.get(f"{EXT}/message-store/{message_id}")
    return st, json.loads(body) if body else None


def media_bytes(sim, uri):
    status, headers, body = sim.get(uri)
    assert status == 200
    return body


def iso_time(text):
    """An API time (ISO 8601) as a Unix time."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


ME, SAM = "+16505550101", "+16505550102"  # the mounted user's number, extension 102's


def receive_mms(sim, text, files):
    """Sam (extension 102, demo-user.env) sends an MMS of @files [(name, type, bytes)] to
    the mounted user's number, as a phone of the account would: the service stores an
    Inbound copy for us. That record."""
    sam = sim.grant(assertion=simctl.DEMO_USER["RC_USER_JWT"])["access_token"]
    fields = {"from": {"phoneNumber": SAM}, "to": [{"phoneNumber": ME}], "text": text}
    ct, body = simctl.multipart(
        [("request.json", "request.json", "application/json", json.dumps(fields))] +
        [("attachment", name, ctype, data) for name, ctype, data in files])
    st, _, answer = sim.call("POST", EXT + "/sms", body=body, content_type=ct, token=sam)
    assert st == 200, answer
    sent_id = json.loads(answer)["id"]
    got = [m for m in messages(sim, "SMS") if m["direction"] == "Inbound"
           and m["from"].get("phoneNumber") == SAM and m["subject"] == text]
    assert len(got) == 1 and got[0]["id"] != sent_id
    return got[0]


# ---- through the mount -------------------------------------------------------------

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


def a_voicemail(mnt):
    """The first voicemail's audio file."""
    vm = mnt.ext("messages", "voicemail")
    return vm / sorted(n for n in os.listdir(vm) if n.endswith(".wav"))[0]


def errno_of(code, timeout=HANG):
    """Runs @code (Python, in another process) and gives the errno it raised, or 0."""
    script = ("import errno, os, sys\n"
              "try:\n" + "".join(f"    {line}\n" for line in code.splitlines()) +
              "except OSError as e:\n    sys.exit(e.errno)\n")
    return subprocess.run(["/usr/bin/python3", "-c", script], timeout=timeout).returncode


def env_for(sim, **extra):
    """The environment of a ringfs started by hand: the demo credentials, this simulator."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RC_", "RINGCENTRAL_"))}
    env.update(simctl.DEMO)
    env["RC_SERVER_URL"] = sim.url
    env.update(extra)
    return env
