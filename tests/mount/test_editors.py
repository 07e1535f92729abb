"""Editors and shell tools saving a setting: sed -i (through a scratch file),
vim, nano (driven through tmux as a person would), tee and >> redirections.
"""
import json
import os
import shutil
import subprocess

import pytest

from helpers import mark, sent


def test_sed_in_place_saves_through_a_scratch_file(sim, mnt):
    path = mnt.ext("presence.json")
    text = path.read_text()
    assert '"userStatus"' in text
    current = json.loads(text)["userStatus"]
    target = "Offline" if current != "Offline" else "Available"
    before = mark(sim)
    subprocess.run(["sed", "-i", f's/"userStatus" : "{current}"/"userStatus" : "{target}"/;'
                               f's/"userStatus": "{current}"/"userStatus": "{target}"/',
                    str(path)], check=True)
    puts = sent(sim, before)
    assert [r["operation"] for r in puts] == ["updatePresenceStatus"]
    assert json.loads(path.read_text())["userStatus"] == target
    # sed's temporary file never reached the server and is gone
    assert not [n for n in os.listdir(mnt.ext()) if n.startswith("sed")]


def test_vim_saves_a_setting(sim, mnt):
    if not shutil.which("vim"):
        pytest.fail("vim is not installed (contrib/install-deps.sh installs it)")
    path = mnt.ext("presence.json")
    before = mark(sim)
    r = subprocess.run(["vim", "-Nu", "NONE", "-n", "-es", "-c",
                        r'%s/"userStatus": "[A-Za-z]*"/"userStatus": "Busy"/', "-c", "wq",
                        str(path)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert [r["operation"] for r in sent(sim, before)] == ["updatePresenceStatus"]
    assert json.loads(path.read_text())["userStatus"] == "Busy"
    assert not [n for n in os.listdir(mnt.ext()) if n.endswith((".swp", "~")) or n == "4913"]


def test_nano_saves_a_setting(sim, mnt):
    """nano, driven through tmux as a person would: replace, write out, exit."""
    import time
    for tool in ("nano", "tmux"):
        if not shutil.which(tool):
            pytest.fail(f"{tool} is not installed (contrib/install-deps.sh installs it)")
    path = mnt.ext("presence.json")
    current = json.loads(path.read_text())["userStatus"]
    target = "Busy" if current != "Busy" else "Available"
    session = f"ringfs-nano-{os.getpid()}"

    def screen():
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", session],
                              capture_output=True, text=True).stdout

    def wait_for(text):
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if text in screen():
                return
            time.sleep(0.05)
        raise AssertionError(f"nano never showed {text!r}:\n{screen()}")

    def keys(*k):
        subprocess.run(["tmux", "send-keys", "-t", session, *k], check=True)

    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40",
                    f"nano --ignorercfiles {path}"], check=True)
    try:
        wait_for('"userStatus"')
        before = mark(sim)
        keys("C-\\")
        wait_for("Search (to replace)")
        keys(f'"userStatus": "{current}"', "Enter")
        wait_for("Replace with")
        keys(f'"userStatus": "{target}"', "Enter")
        wait_for("Replace this instance?")
        keys("y")
        wait_for("Replaced 1 occurrence")
        keys("C-o")
        wait_for("File Name to Write")
        keys("Enter")
        wait_for("Wrote")
        keys("C-x")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)
    assert [r["operation"] for r in sent(sim, before)] == ["updatePresenceStatus"]
    assert json.loads(path.read_text())["userStatus"] == target


def test_shell_redirections_and_tee_on_a_setting(sim, mnt):
    path = mnt.ext("caller-blocking.json")
    cur = json.loads(path.read_text())
    target = "Block" if cur.get("payPhones") != "Block" else "Allow"
    before = mark(sim)
    subprocess.run(["sh", "-c", f'echo \'{{"payPhones": "{target}"}}\' | tee {path} >/dev/null'],
                   check=True)
    assert [r["operation"] for r in sent(sim, before)] == ["updateCallBlockingSettings"]
    assert json.loads(path.read_text())["payPhones"] == target
    # appending to a JSON document makes it invalid: refused at close, nothing sent
    # (the shell does not report close errors; the xattr and the content tell)
    text = path.read_text()
    before = mark(sim)
    subprocess.run(["sh", "-c", f"echo '{{}}' >> {path}"])
    assert sent(sim, before) == []
    assert "JSON" in os.getxattr(path, "user.ringfs.error").decode()
    assert path.read_text() == text
