"""The daemon: --help and --version; the option table, --help and the man page
agree; going to the background and leaving at fusermount3 -u; a mount that
cannot log in fails clearly; the content cache stays under cache_max.
"""
import os
import re
import subprocess
from pathlib import Path

import simctl
from helpers import ROOT, env_for
from mountfix import RINGFS, require_fuse, wait_until


# ---- command line --------------------------------------------------------------------

def test_help_and_version():
    from mountfix import RINGFS
    r = subprocess.run([RINGFS, "--version"], capture_output=True, text=True)
    assert r.returncode == 0 and r.stdout.startswith("ringfs ")
    r = subprocess.run([RINGFS, "--help"], capture_output=True, text=True)
    assert r.returncode == 0
    for opt in ["server", "client_id", "client_secret", "jwt", "config", "token_file",
                "cache_dir", "cache_max", "entry_timeout", "attr_timeout", "cache_timeout", "history_days",
                "page_size", "connect_timeout", "stall_timeout", "request_timeout", "rate_wait",
                "max_threads"]:
        assert f"-o {opt}=" in r.stdout, opt


def test_help_man_page_and_option_table_agree():
    help_text = subprocess.run([RINGFS, "--help"], capture_output=True, text=True).stdout
    in_help = set(re.findall(r"-o (\w+)=", help_text))
    man = (ROOT / "docs" / "ringfs.1.rst").read_text()
    in_man = set(re.findall(r"^(\w+)=[A-Z]+\n", man, re.M))
    source = (ROOT / "src" / "config.c").read_text()
    in_table = set(re.findall(r'^\t\{ "(\w+)",$', source, re.M))  # config.c's option_rows
    assert in_help == in_man == in_table, (in_help ^ in_man, in_help ^ in_table)


# ---- mounting and unmounting ---------------------------------------------------------

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


# ---- content cache -------------------------------------------------------------------

def test_content_cache_stays_under_cache_max(sim, mounter):
    """cache_max=1 (MiB): reading more than that keeps the cache at most that big,
    and every read is still complete."""
    mnt = mounter(options=["cache_max=1"])
    rec = mnt.acct("recordings")
    sim.config(limits={"Heavy": 1000})
    audio = sorted(n for n in os.listdir(rec) if not n.endswith(".json"))
    total = 0
    for name in audio:
        data = (rec / name).read_bytes()
        assert data[:4] == b"RIFF" or data[:2] == b"\xff\xf3"  # WAV or MP3
        assert len(data) == os.stat(rec / name).st_size
        total += len(data)
        if total > 3 * 1024 * 1024:
            break
    assert total > 1024 * 1024
    cached = sum(f.stat().st_size for f in (mnt.cache / "ringfs" / "content").rglob("*")
                 if f.is_file())
    biggest = max(f.stat().st_size for f in (mnt.cache / "ringfs" / "content").rglob("*")
                  if f.is_file())
    assert cached <= 1024 * 1024 + biggest  # the newest file always stays


def _max_read(mount_path):
    """The max_read the kernel shows for the mount at `mount_path` (its super options)."""
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        fields = line.split()
        if fields[4] == str(mount_path):
            found = re.search(r"max_read=(\d+)", line)
            return int(found.group(1)) if found else None
    raise AssertionError(f"{mount_path} is not mounted")


def test_reads_fit_one_pipe_unless_told_otherwise(sim, mounter):
    """By default a read is at most what one pipe holds less libfuse's header
    pages, so that every media read is spliced; -o max_read= overrides it, and
    the bytes are the same either way."""
    page = os.sysconf("SC_PAGESIZE")
    pipe_max = min(int(Path("/proc/sys/fs/pipe-max-size").read_text()), 1 << 20)
    sim.config(limits={"Heavy": 1000})
    contents = []
    for options, expected in (([], (pipe_max - 4 * page) // page * page),
                              (["max_read=65536"], 65536)):
        mnt = mounter(options=options)
        assert _max_read(mnt.path) == expected
        vm = mnt.ext("messages", "voicemail")
        wav = vm / sorted(n for n in os.listdir(vm) if n.endswith(".wav"))[0]
        with open(wav, "rb", buffering=0) as f:
            data = b""
            while chunk := f.read(1 << 20):
                data += chunk
        assert len(data) == os.stat(wav).st_size and data[:4] == b"RIFF"
        contents.append(data)
        mnt.stop()
    assert contents[0] == contents[1]
