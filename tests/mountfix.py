"""Fixtures that mount ringfs for real against the simulator, and always unmount.

conftest.py imports the fixtures for every test. Every mount runs
``ringfs -f`` into a temporary directory with its own cache, state and config
directories, waits for the mount with a deadline (failing at once if the
daemon dies), and in teardown unmounts with ``fusermount3 -u -z``, waits for
the daemon with a deadline (killing it past that), asserts it exited 0 and
scans its stderr for warnings, sanitizer reports and tracebacks.
"""
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

import simctl

ROOT = Path(__file__).resolve().parent.parent
RINGFS = os.environ.get("RINGFS_BIN", str(ROOT / "build" / "src" / "ringfs"))
MOUNT_DEADLINE = 30
EXIT_DEADLINE = 15

# stderr lines that fail a test unless the test registers them as expected
BAD_OUTPUT = re.compile(r"CRITICAL|WARNING|Traceback|AddressSanitizer|LeakSanitizer|"
                        r"runtime error:|ERROR:")


def wait_until(predicate, proc=None, timeout=MOUNT_DEADLINE, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        if proc is not None and proc.poll() is not None:
            raise AssertionError(f"ringfs exited with {proc.returncode} before {what}")
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def require_fuse():
    """Mount tests never skip silently: a machine without FUSE fails with the reason."""
    if not os.path.exists("/dev/fuse"):
        pytest.fail("/dev/fuse is missing: mount tests need the kernel's FUSE")
    if not shutil.which("fusermount3"):
        pytest.fail("fusermount3 is missing: install the fuse3 package")
    if not os.access(RINGFS, os.X_OK):
        pytest.fail(f"ringfs binary not found at {RINGFS} (build first, or set RINGFS_BIN)")


class Mount:
    """One running ringfs mount. ``path`` is the mount point."""

    def __init__(self, sim, base: Path, options=(), env=None, expect_output=()):
        self.sim = sim
        self.base = base
        self.path = base / "mnt"
        self.cache = base / "cache"
        self.state = base / "state"
        self.config_home = base / "config"
        self.log_path = base / "ringfs.log"
        self.options = list(options)
        self.extra_env = dict(env or {})
        self.expect_output = [re.compile(p) for p in expect_output]
        self.proc = None
        for d in (self.path, self.cache, self.state, self.config_home):
            d.mkdir(parents=True, exist_ok=True)

    def environment(self):
        env = dict(os.environ)
        for name in list(env):
            if name.startswith(("RC_", "RINGCENTRAL_")):
                del env[name]
        env.update({
            "RC_SERVER_URL": self.sim.url,
            "XDG_CACHE_HOME": str(self.cache),
            "XDG_STATE_HOME": str(self.state),
            "XDG_CONFIG_HOME": str(self.config_home),
            "G_DEBUG": "fatal-warnings",
            # GLib's lists and queues from malloc: a misuse of one is caught at
            # once (glibc, ASan) rather than crashing a thread's exit later
            "G_SLICE": "always-malloc",
        })
        env.update(simctl.DEMO)
        env.update(self.extra_env)
        return env

    def start(self):
        cmd = [RINGFS, "-f"]
        if self.options:
            cmd += ["-o", ",".join(self.options)]
        cmd.append(str(self.path))
        self.log = open(self.log_path, "w")
        live = "sync_interval=0" not in self.options and "RC_SERVER_URL" not in self.extra_env
        syncs = self.syncs() if live else 0
        self.proc = subprocess.Popen(cmd, stdout=self.log, stderr=subprocess.STDOUT,
                                     env=self.environment(), stdin=subprocess.DEVNULL)
        wait_until(lambda: os.path.ismount(self.path), self.proc, what="the mount")
        if live:
            # live refresh's first sync (an FSync) goes at once, from a thread of
            # its own: it is part of mounting, not of what a test then counts
            wait_until(lambda: self.syncs() > syncs, self.proc,
                       what="the first message-store sync")
        return self

    def syncs(self):
        return sum(r["operation"] == "syncMessages" for r in self.sim.requests())

    def output(self):
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def stop(self):
        """Unmounts, waits for the daemon, returns its exit code."""
        if self.proc is None:
            return 0
        if os.path.ismount(self.path):
            subprocess.run(["fusermount3", "-u", "-z", str(self.path)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=30)
        try:
            rc = self.proc.wait(timeout=EXIT_DEADLINE)
        except subprocess.TimeoutExpired:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=EXIT_DEADLINE)
            rc = "killed after the deadline"
        self.proc = None
        self.log.close()
        return rc

    def check_output(self):
        bad = []
        for line in self.output().splitlines():
            if BAD_OUTPUT.search(line) and not any(p.search(line) for p in self.expect_output):
                bad.append(line)
        return bad

    # conveniences for tests
    def ext(self, *parts):
        return self.path.joinpath("accounts", "~", "extensions", "~", *parts)

    def acct(self, *parts):
        return self.path.joinpath("accounts", "~", *parts)


@pytest.fixture
def mounter(sim, tmp_path):
    """A factory: ``mnt = mounter(options=[...])``. Every mount is torn down."""
    require_fuse()
    mounts = []

    def make(options=(), env=None, expect_output=(), base=None):
        base = base or tmp_path / f"m{len(mounts)}"
        m = Mount(sim, base, options, env, expect_output)
        mounts.append(m)
        return m.start()

    yield make
    problems = []
    for m in mounts:
        rc = m.stop()
        if rc != 0:
            problems.append(f"ringfs exited with {rc}:\n{m.output()[-4000:]}")
        bad = m.check_output()
        if bad:
            problems.append("unexpected daemon output:\n" + "\n".join(bad[:20]))
    if problems:
        pytest.fail("\n".join(problems))


@pytest.fixture
def mnt(mounter):
    """The demo account mounted with default options."""
    return mounter()
