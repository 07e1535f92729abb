"""Nobody else in: other local users (allow_other, others=), one mount per
session (the token file's lock), and secrets (the config file's mode, the
command line, the stored refresh token).

Tests run as root; "another user" is nobody (setpriv). A mount under pytest's
tmp_path is out of nobody's reach, so the shared mounts live in a directory
any user can traverse.
"""
import json
import os
import shutil
import stat
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

import simctl
from helpers import a_voicemail
from mountfix import RINGFS, Mount, require_fuse, wait_until

NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
# nobody, keeping the capability that makes the kernel skip its mode checks
# (as root's would): only ringfs's own check is left to refuse a change
NOBODY_OVERRIDE = NOBODY + ["--inh-caps=+dac_override", "--ambient-caps=+dac_override"]
SMS_TO = "+14155550100"

# One file operation, run as another user: prints "ok" or the errno's name.
PROBE = r"""
import errno, os, sys
op, path, rest = sys.argv[1], sys.argv[2], sys.argv[3:]
try:
    if op == "read":
        open(path, "rb").read()
    elif op == "list":
        os.listdir(path)
    elif op == "write":
        with open(path, "w") as f:
            f.write("hi\n")
    elif op == "append":
        with open(path, "a") as f:
            f.write("hi\n")
    elif op == "unlink":
        os.unlink(path)
    elif op == "rename":
        os.rename(path, rest[0])
    elif op == "setxattr":
        os.setxattr(path, "user.ringfs.read_status", b"Read")
    elif op == "mkdir":
        os.mkdir(path)
    print("ok")
except OSError as e:
    print(errno.errorcode[e.errno])
"""


def as_user(user, op, *paths):
    r = subprocess.run(user + ["/usr/bin/python3", "-c", PROBE, op] + [str(p) for p in paths],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    return r.stdout.strip()


def changes(sim, since):
    """What the filesystem asked the server to change since @since."""
    return [(r["method"], r["operation"]) for r in sim.requests()[since:] if r["method"] != "GET"]


def mode(path):
    return stat.S_IMODE(os.lstat(path).st_mode)


def an_sms_text(m):
    sms = m.ext("messages", "sms")
    conv = sms / sorted(os.listdir(sms))[0]
    return conv / next(n for n in sorted(os.listdir(conv)) if n.endswith(".txt"))


@pytest.fixture
def shared_base():
    """A directory any local user can traverse. Request it before ``mounter``,
    so that the mounts inside it are gone before it is removed."""
    base = Path(tempfile.mkdtemp(prefix="ringfs-access-"))
    base.chmod(0o755)
    yield base
    mounted = [str(p) for p in base.glob("*/mnt") if os.path.ismount(p)]
    assert not mounted, f"still mounted: {mounted}"
    shutil.rmtree(base)


# ---- allow_other and others= ---------------------------------------------------------

def test_without_allow_other_the_modes_are_as_always(mnt):
    assert mode(mnt.path) == 0o555
    assert mode(mnt.ext("outbox", "sms")) == 0o755
    assert mode(an_sms_text(mnt)) == 0o444
    assert mode(mnt.ext("presence.json")) == 0o644
    assert mode(mnt.path / "accounts" / "~") == 0o777


def test_allow_other_lets_nobody_else_in_by_default(sim, shared_base, mounter):
    m = mounter(options=["allow_other"], base=shared_base / "m")
    text = an_sms_text(m)
    assert mode(text) == 0o400
    assert mode(m.ext("presence.json")) == 0o600
    assert mode(m.path) == 0o500
    assert mode(m.ext("outbox", "sms")) == 0o700
    assert mode(m.path / "accounts" / "~") == 0o777  # symlinks have no modes of their own

    before = len(sim.requests())
    assert as_user(NOBODY, "write", m.ext("outbox", "sms", SMS_TO)) == "EACCES"
    assert as_user(NOBODY, "read", text) == "EACCES"
    assert as_user(NOBODY, "list", m.path) == "EACCES"
    assert changes(sim, before) == []

    # the owner (here root) still reads and sends
    assert text.read_bytes()
    (m.ext("outbox", "sms", SMS_TO)).write_text("from the owner\n")
    assert changes(sim, before) == [("POST", "sendSMS")]


def test_others_read_lets_others_read_but_not_write(sim, shared_base, mounter):
    m = mounter(options=["allow_other", "others=read"], base=shared_base / "m")
    text = an_sms_text(m)
    assert mode(text) == 0o444
    assert mode(m.ext("presence.json")) == 0o644
    assert mode(m.ext("outbox", "sms")) == 0o755

    before = len(sim.requests())
    assert as_user(NOBODY, "read", text) == "ok"
    assert as_user(NOBODY, "list", m.ext("messages", "voicemail")) == "ok"
    assert as_user(NOBODY, "write", m.ext("outbox", "sms", SMS_TO)) == "EACCES"
    assert as_user(NOBODY, "append", m.ext("presence.json")) == "EACCES"
    assert changes(sim, before) == []

    m.ext("outbox", "sms", SMS_TO).write_text("from the owner\n")
    assert changes(sim, before) == [("POST", "sendSMS")]


def test_ringfs_refuses_changes_the_kernel_let_through(sim, shared_base, mounter):
    """A caller the mode check does not stop (CAP_DAC_OVERRIDE, like root when
    root did not mount) still changes nothing: ringfs refuses before any request."""
    m = mounter(options=["allow_other", "others=read"], base=shared_base / "m")
    wav = a_voicemail(m)
    before = len(sim.requests())
    assert as_user(NOBODY_OVERRIDE, "read", an_sms_text(m)) == "ok"
    assert as_user(NOBODY_OVERRIDE, "write", m.ext("outbox", "sms", SMS_TO)) == "EACCES"
    assert as_user(NOBODY_OVERRIDE, "append", m.ext("presence.json")) == "EACCES"
    assert as_user(NOBODY_OVERRIDE, "setxattr", wav) == "EACCES"
    assert as_user(NOBODY_OVERRIDE, "unlink", wav) == "EACCES"
    assert as_user(NOBODY_OVERRIDE, "rename", wav, wav.with_name("x.wav")) == "EACCES"
    assert as_user(NOBODY_OVERRIDE, "mkdir", m.ext("outbox", "new")) == "EACCES"
    assert changes(sim, before) == []
    assert os.path.exists(wav)


def test_others_write_lets_a_user_the_kernel_lets_through_send(sim, shared_base, mounter):
    m = mounter(options=["allow_other", "others=write"], base=shared_base / "m")
    assert mode(m.ext("presence.json")) == 0o666  # what the owner may change, others may too
    assert mode(m.ext("account.json") if os.path.exists(m.ext("account.json"))
                else m.ext("extension.json")) == 0o444
    before = len(sim.requests())
    assert as_user(NOBODY, "write", m.ext("outbox", "sms", SMS_TO)) == "ok"
    assert changes(sim, before) == [("POST", "sendSMS")]


def test_others_takes_only_none_read_or_write(sim, tmp_path):
    m = Mount(sim, tmp_path)  # not started: its directories and environment
    before = len(sim.requests())
    r = subprocess.run([RINGFS, "-f", "-o", "allow_other,others=all", str(m.path)],
                       env=m.environment(), capture_output=True, text=True, timeout=30,
                       stdin=subprocess.DEVNULL)
    assert r.returncode == 1
    assert "ringfs: others must be none, read or write: all" in r.stderr
    assert not os.path.ismount(m.path)
    assert sim.requests()[before:] == []


# ---- one session, one mount ----------------------------------------------------------

def second_ringfs(env, mountpoint, foreground=True):
    cmd = [RINGFS] + (["-f"] if foreground else []) + [str(mountpoint)]
    start = time.monotonic()
    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=30,
                       stdin=subprocess.DEVNULL)
    return r, time.monotonic() - start


def test_a_second_mount_of_the_same_session_is_refused(sim, mounter, tmp_path):
    first = mounter()
    voicemail = sorted(os.listdir(first.ext("messages", "voicemail")))
    other = tmp_path / "second"
    other.mkdir()
    before = len(sim.requests())
    r, took = second_ringfs(first.environment(), other)
    assert r.returncode == 1, r.stderr
    assert took < 10
    token_file = next(first.state.glob("ringfs/token-*.json"))
    assert (f"ringfs: another ringfs is already using the session in {token_file} "
            f"(mounted at {os.path.realpath(first.path)}); unmount it first, or give this "
            "mount its own state directory (XDG_STATE_HOME) or token_file") in r.stderr
    assert not os.path.ismount(other)
    assert sim.requests()[before:] == []  # no token request, nothing at all
    # the first mount still works, and still holds its session
    assert sorted(os.listdir(first.ext("messages", "voicemail"))) == voicemail
    assert first.ext("presence.json").read_bytes()


def test_the_lock_outlives_going_to_the_background(sim, tmp_path):
    """Without -f the daemon is the child of fuse_daemonize(): it holds the lock
    after its parent exited."""
    require_fuse()
    env = Mount(sim, tmp_path / "b").environment()  # not started: its directories
    first, second = tmp_path / "bg", tmp_path / "fg"
    first.mkdir()
    second.mkdir()
    r, _ = second_ringfs(env, first, foreground=False)
    assert r.returncode == 0, r.stderr
    try:
        assert os.path.ismount(first)
        pids = subprocess.run(["pgrep", "-f", f"{RINGFS} {first}$"], capture_output=True,
                              text=True).stdout.split()
        assert len(pids) == 1
        r, took = second_ringfs(env, second)
        assert r.returncode == 1 and took < 10, r.stderr
        assert f"(mounted at {os.path.realpath(first)})" in r.stderr
        assert os.listdir(first / "accounts")
    finally:
        subprocess.run(["fusermount3", "-u", "-z", str(first)])
    wait_until(lambda: not Path(f"/proc/{pids[0]}").exists(), timeout=15,
               what="the daemon to exit after fusermount3 -u")
    # the session is free again
    r = subprocess.Popen([RINGFS, "-f", str(second)], env=env, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_until(lambda: os.path.ismount(second), r, what="the mount after the lock went")
    finally:
        subprocess.run(["fusermount3", "-u", "-z", str(second)])
        assert r.wait(timeout=15) == 0


# ---- secrets -------------------------------------------------------------------------

def test_jwt_and_client_secret_options_are_not_in_the_command_line(sim, mounter):
    jwt = simctl.DEMO["RC_USER_JWT"]
    secret = simctl.DEMO["RC_APP_CLIENT_SECRET"]
    m = mounter(options=[f"jwt={jwt}", f"client_secret={secret}"],
                env={"RC_USER_JWT": "", "RC_APP_CLIENT_SECRET": ""})
    assert os.listdir(m.ext("messages"))  # logged in with them
    cmdline = Path(f"/proc/{m.proc.pid}/cmdline").read_bytes()
    assert jwt.encode() not in cmdline
    assert secret.encode() not in cmdline
    assert b"jwt=xxx" in cmdline and b"client_secret=xxx" in cmdline


def test_secrets_not_in_process_list(sim, mounter):
    import simctl
    jwt = simctl.DEMO["RC_USER_JWT"]
    secret = simctl.DEMO["RC_APP_CLIENT_SECRET"]
    mnt = mounter(options=[f"jwt={jwt}", f"client_secret={secret}"],
                  env={"RC_USER_JWT": "", "RC_APP_CLIENT_SECRET": ""})
    assert os.listdir(mnt.path)
    cmdline = Path(f"/proc/{mnt.proc.pid}/cmdline").read_bytes().decode(errors="replace")
    assert jwt not in cmdline and secret not in cmdline


def test_config_file_readable_by_others_is_refused(sim, tmp_path):
    import simctl
    from mountfix import RINGFS
    conf = tmp_path / "ringfs.conf"
    conf.write_text("".join(f"{k}={v}\n" for k, v in simctl.DEMO.items()))
    conf.chmod(0o644)
    (tmp_path / "mnt").mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RC_")}
    env["RC_SERVER_URL"] = sim.url
    r = subprocess.run([RINGFS, "-f", "-o", f"config={conf}", str(tmp_path / "mnt")],
                       capture_output=True, text=True, env=env, timeout=30)
    assert r.returncode == 1
    assert "chmod 600" in r.stderr
    assert not os.path.ismount(tmp_path / "mnt")


def test_config_file_0600_mounts(sim, mounter, tmp_path):
    import simctl
    conf = tmp_path / "ringfs.conf"
    conf.write_text("# demo\n" + "".join(f"{k}={v}\n" for k, v in simctl.DEMO.items()))
    conf.chmod(0o600)
    mnt = mounter(options=[f"config={conf}"], env={k: "" for k in simctl.DEMO})
    assert os.listdir(mnt.ext("messages"))


def test_refresh_token_stored_0600(sim, mnt):
    files = list(mnt.state.rglob("token-*.json"))
    assert len(files) == 1
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    data = json.loads(files[0].read_text())
    assert data["refresh_token"]
    # and never in the log
    assert data["refresh_token"] not in mnt.output()
