# SPDX-License-Identifier: MIT
# Shared fixtures. The simulator: one per test session, reset before each test.
# Every operation the mounted filesystem performed (ringfs's User-Agent) is
# collected across the session for test_zz_coverage.py.

import pytest

from simctl import Sim

REACHED = {}  # operationId -> the first test that reached it through the mount


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
