"""Deadlines, faults, credentials and the daemon's life: nothing hangs, nothing is lost silently."""
import errno
import os
import re
import subprocess
import threading
import time
from pathlib import Path

import pytest

import simctl
from mountfix import RINGFS, mnt, mounter, require_fuse, wait_until  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent


def env_for(sim, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RC_", "RINGCENTRAL_"))}
    env.update(simctl.DEMO)
    env["RC_SERVER_URL"] = sim.url
    env.update(extra)
    return env


def test_slow_download_does_not_block_listing(sim, mnt):
    vmdir = mnt.ext("messages", "voicemail")
    name = sorted(n for n in os.listdir(vmdir) if n.endswith(".wav"))[0]
    sim.fault("slow", path=r"/content/", delay=4, count=1)
    result = {}

    def read():
        result["data"] = (vmdir / name).read_bytes()

    t = threading.Thread(target=read)
    t.start()
    try:
        # while the download stalls (the simulator logs it only once answered),
        # the rest of the tree answers
        assert os.listdir(mnt.ext("messages", "fax"))
        assert os.listdir(mnt.ext("contacts"))
        assert t.is_alive()
        assert not [r for r in sim.requests() if "/content/" in r["path"]]
    finally:
        t.join(timeout=60)
    assert result["data"].startswith(b"RIFF")


def test_stalled_server_gives_etimedout(sim, mounter):
    mnt = mounter(options=["stall_timeout=1", "request_timeout=2"])
    os.listdir(mnt.ext("messages"))
    sim.fault("slow", path=r"/message-store$", delay=5, count=8)
    with pytest.raises(OSError) as e:
        os.listdir(mnt.ext("messages", "pager"))
    assert e.value.errno == errno.ETIMEDOUT
    err = os.getxattr(mnt.ext("messages", "pager"), "user.ringfs.error").decode()
    assert "timed out" in err.lower()


def test_truncated_answer_is_retried(sim, mnt):
    os.listdir(mnt.ext("messages"))
    sim.fault("truncate", path=r"/message-store$", count=1)
    names = os.listdir(mnt.ext("messages", "voicemail"))
    assert names
    statuses = [(r["status"], r.get("fault"), r["query"][:40]) for r in sim.requests() if r["operation"] == "listMessages"]
    assert len(statuses) == 2, statuses


def test_truncated_media_is_retried_and_complete(sim, mnt):
    vmdir = mnt.ext("messages", "voicemail")
    name = sorted(n for n in os.listdir(vmdir) if n.endswith(".wav"))[0]
    sim.fault("truncate", path=r"/content/", count=1)
    data = (vmdir / name).read_bytes()
    content = [r for r in sim.requests() if "/content/" in r["path"]]
    assert len(content) == 2
    assert os.stat(vmdir / name).st_size == len(data)
    # what the server holds, byte for byte
    uri = [r for r in content][-1]["path"]
    status, _, body = sim.get(sim.media_url + uri)
    assert status == 200 and body == data


def test_failed_refresh_keeps_the_old_listing(sim, mounter):
    mnt = mounter(options=["cache_timeout=0.2"])
    before = sorted(os.listdir(mnt.ext("messages", "fax")))
    sim.fault("status", path=r"/message-store$", status=500, count=50)
    time.sleep(0.3)
    assert sorted(os.listdir(mnt.ext("messages", "fax"))) == before
    err = os.getxattr(mnt.ext("messages", "fax"), "user.ringfs.error").decode()
    assert "500" in err or "CMN-" in err


def test_unreachable_server_fails_the_mount_clearly(tmp_path):
    (tmp_path / "mnt").mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RC_")}
    env.update(simctl.DEMO)
    env.update(RC_SERVER_URL="http://127.0.0.1:9", XDG_STATE_HOME=str(tmp_path))
    r = subprocess.run([RINGFS, "-f", "-o", "connect_timeout=2,request_timeout=3",
                        str(tmp_path / "mnt")], capture_output=True, text=True, env=env,
                       timeout=120)
    assert r.returncode == 1
    assert r.stderr.startswith("ringfs: cannot log in to http://127.0.0.1:9")
    assert not os.path.ismount(tmp_path / "mnt")


def test_bad_credentials_fail_clearly(sim, tmp_path):
    (tmp_path / "mnt").mkdir()
    env = env_for(sim, RC_USER_JWT="not.a.jwt", XDG_STATE_HOME=str(tmp_path))
    r = subprocess.run([RINGFS, "-f", str(tmp_path / "mnt")], capture_output=True, text=True,
                       env=env, timeout=60)
    assert r.returncode == 1
    assert "authentication refused" in r.stderr
    assert "not.a.jwt" not in r.stderr


def test_missing_credentials_are_named(tmp_path):
    (tmp_path / "mnt").mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RC_", "RINGCENTRAL_"))}
    env.update(XDG_CONFIG_HOME=str(tmp_path), XDG_STATE_HOME=str(tmp_path))
    r = subprocess.run([RINGFS, str(tmp_path / "mnt")], capture_output=True, text=True, env=env,
                       timeout=30)
    assert r.returncode == 1
    assert "RC_APP_CLIENT_ID" in r.stderr


def test_stored_refresh_token_is_used_on_remount(sim, mounter, tmp_path):
    base = tmp_path / "same"
    first = mounter(base=base)
    assert os.listdir(first.ext("messages"))
    assert first.stop() == 0
    # the JWT is gone now: only the stored, rotated refresh token can log in
    second = mounter(base=base, env={"RC_USER_JWT": ""})
    assert os.listdir(second.ext("messages", "voicemail"))


def test_background_mode_and_fusermount(sim, tmp_path):
    require_fuse()
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    env = env_for(sim, XDG_STATE_HOME=str(tmp_path / "state"), XDG_CACHE_HOME=str(tmp_path / "c"))
    r = subprocess.run([RINGFS, str(mnt)], capture_output=True, text=True, env=env, timeout=60)
    try:
        assert r.returncode == 0, r.stderr
        assert os.path.ismount(mnt)
        pids = subprocess.run(["pgrep", "-f", f"{RINGFS} {mnt}"], capture_output=True,
                              text=True).stdout.split()
        assert len(pids) == 1
        assert os.listdir(mnt / "accounts")
    finally:
        subprocess.run(["fusermount3", "-u", "-z", str(mnt)])
    wait_until(lambda: not Path(f"/proc/{pids[0]}").exists(), timeout=15,
               what="the daemon to exit after fusermount3 -u")


def test_help_man_page_and_option_table_agree():
    help_text = subprocess.run([RINGFS, "--help"], capture_output=True, text=True).stdout
    in_help = set(re.findall(r"-o (\w+)=", help_text))
    man = (ROOT / "docs" / "ringfs.1.rst").read_text()
    in_man = set(re.findall(r"^(\w+)=[A-Z]+\n", man, re.M))
    source = (ROOT / "src" / "config.c").read_text()
    in_table = set(re.findall(r'OPT\("(\w+)=%', source))
    assert in_help == in_man == in_table, (in_help ^ in_man, in_help ^ in_table)


def test_a_negative_retry_after_does_not_hang(sim, mnt):
    os.listdir(mnt.ext("messages"))
    sim.fault("status", path=r"/message-store$", status=503, retry_after=-1, count=1)
    assert os.listdir(mnt.ext("messages", "voicemail"))


def test_content_cache_stays_under_cache_max(sim, mounter):
    """cache_max=1 (MiB): reading more than that keeps the cache at most that big,
    and every read is still complete."""
    mnt = mounter(options=["cache_max=1"])
    rec = mnt.acct("recordings")
    sim.config(limits={"Heavy": 1000})
    audio = sorted(n for n in os.listdir(rec) if n.endswith(".wav"))
    total = 0
    for name in audio:
        data = (rec / name).read_bytes()
        assert data.startswith(b"RIFF") and len(data) == os.stat(rec / name).st_size
        total += len(data)
        if total > 3 * 1024 * 1024:
            break
    assert total > 1024 * 1024
    cached = sum(f.stat().st_size for f in (mnt.cache / "ringfs" / "content").rglob("*")
                 if f.is_file())
    biggest = max(f.stat().st_size for f in (mnt.cache / "ringfs" / "content").rglob("*")
                  if f.is_file())
    assert cached <= 1024 * 1024 + biggest  # the newest file always stays
