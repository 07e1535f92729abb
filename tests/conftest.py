# SPDX-License-Identifier: MIT
"""Shared fixtures, and the check that every seed operation is reached through the mount.

The simulator (``sim``): one per test session, reset before each test. The mount
fixtures (``mnt``, ``mounter``) are mountfix.py's, given here to every test.

After each test, the operations the simulator saw from ringfs's own User-Agent
are collected in REACHED. When the whole mount suite ran (every
tests/mount/test_*.py collected, nothing deselected or named by ``::``, no
failure, no early stop), the session fails unless every seed operation
(tests/data/ringcentral-swagger.yaml) was reached: the check is reported as one
more failed test, "operation coverage", naming what was missed. Any other run
prints one line saying why the check was skipped.
"""
import os
import re
from pathlib import Path

import pytest
from _pytest.reports import TestReport

from mountfix import mnt, mounter  # noqa: F401  (fixtures for every test)
from simctl import Sim

TESTS = Path(__file__).resolve().parent
MOUNT_TESTS = TESTS / "mount"
SEED = TESTS / "data" / "ringcentral-swagger.yaml"

REACHED = {}  # operationId -> the first test that reached it through the mount


def seed_operations():
    """[(operationId, method, path)] of the seed, in its order."""
    ops = []
    path = method = None
    for line in SEED.read_text().splitlines():
        m = re.match(r"^  (/\S+):\s*$", line)
        if m:
            path = m.group(1)
            continue
        m = re.match(r"^    (get|put|post|delete|patch):\s*$", line)
        if m:
            method = m.group(1).upper()
            continue
        m = re.match(r"^      operationId:\s*(\S+)", line)
        if m and path:
            ops.append((m.group(1), method, path))
    return ops


def collect(sim, test):
    for r in sim.requests():
        if r.get("operation") and (r.get("user_agent") or "").startswith("ringfs/"):
            REACHED.setdefault(r["operation"], test)


@pytest.fixture(scope="session")
def sim():
    s = Sim()
    yield s
    rc = s.stop()
    assert rc == 0, "simulator exited %s: %s" % (rc, s.stderr())


@pytest.fixture(autouse=True)
def _sim_reset(sim, request):
    sim.reset()
    yield
    collect(sim, request.node.nodeid)


# ---- the operation coverage check ------------------------------------------------------

COVERAGE = {"deselected": 0, "line": None}


def pytest_deselected(items):
    COVERAGE["deselected"] += len(items)


def skip_reason(session):
    """Why this run cannot tell whether every operation is reached, or None."""
    files = sorted(MOUNT_TESTS.glob("test_*.py"))
    collected = {item.path for item in session.items}
    have = [f for f in files if f in collected]
    if len(have) < len(files):
        return f"{len(have)} of {len(files)} mount test files collected"
    if COVERAGE["deselected"]:
        return f"{COVERAGE['deselected']} deselected (-k, -m, --deselect, --lf)"
    if any("::" in arg for arg in session.config.args):
        return "tests named one by one (::)"
    if session.testsfailed:
        n = session.testsfailed
        return f"{n} test{'s' if n != 1 else ''} failed"
    if session.shouldstop or session.shouldfail:
        return "the run stopped early"
    return None


@pytest.hookimpl(hookwrapper=True)
def pytest_runtestloop(session):
    outcome = yield
    if session.config.option.collectonly:
        return
    if outcome.excinfo is not None:  # interrupted, or stopped by -x / --maxfail
        COVERAGE["line"] = "operation coverage not checked: the run stopped early"
        return
    why = skip_reason(session)
    if why:
        COVERAGE["line"] = f"operation coverage not checked: {why}"
        return
    seed = seed_operations()
    missing = [f"{op} ({m} {p})" for op, m, p in seed if op not in REACHED]
    if not missing:
        COVERAGE["line"] = (f"operation coverage: all {len(seed)} seed operations reached "
                            "through the mount")
        return
    # one more failed test: counted, listed and summarised like any other; the exit status is 1
    where = Path(os.path.relpath(MOUNT_TESTS, session.config.rootpath)).as_posix()
    report = TestReport(
        nodeid="operation coverage" if where == "." else f"{where}::operation coverage",
        location=(Path(os.path.relpath(__file__, session.config.rootpath)).as_posix(), 0,
                  "operation coverage"),
        keywords={}, outcome="failed", when="call",
        longrepr=(f"{len(missing)} of {len(seed)} seed operations no test reached through the "
                  "mount (tests/data/ringcentral-swagger.yaml):\n  " + "\n  ".join(missing)))
    tr = session.config.pluginmanager.get_plugin("terminalreporter")
    if tr is not None and tr.verbosity <= 0:  # its F on a line of its own, not after [100%]
        if tr.currentfspath:
            tr.ensure_newline()
        else:
            tr.write_line("")
    session.config.hook.pytest_runtest_logreport(report=report)


def pytest_terminal_summary(terminalreporter):
    if COVERAGE["line"]:
        terminalreporter.write_line(COVERAGE["line"])
