# SPDX-License-Identifier: MIT
# Shared fixtures. The simulator: one per test session, reset before each test.

import pytest

from simctl import Sim


@pytest.fixture(scope="session")
def sim():
    s = Sim()
    yield s
    rc = s.stop()
    assert rc == 0, "simulator exited %s: %s" % (rc, s.stderr())


@pytest.fixture(autouse=True)
def _sim_reset(sim):
    sim.reset()
