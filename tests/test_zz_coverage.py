"""Every seed operation is reached through the mounted filesystem by some test.

Runs last (file order): conftest.py collects, after each test, the operations
the simulator saw from ringfs's own User-Agent. The seed is the project's copy
in tests/data/. docs/operations.md must name every operation too.
"""
import re
from pathlib import Path

import pytest

import conftest

ROOT = Path(__file__).resolve().parent.parent


def seed_operations():
    ops = []
    path = method = None
    for line in (ROOT / "tests" / "data" / "ringcentral-swagger.yaml").read_text().splitlines():
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


def test_seed_has_105_operations():
    assert len(seed_operations()) == 105


def test_every_operation_is_documented():
    doc = (ROOT / "docs" / "operations.md").read_text()
    missing = [op for op, _, _ in seed_operations() if f"`{op}`" not in doc]
    assert not missing, "docs/operations.md does not name: " + ", ".join(missing)


def test_every_operation_reached_through_the_mount():
    if len(conftest.REACHED) < 10:
        pytest.fail("run the whole suite: this test reads what the other tests reached")
    missing = [f"{op} ({m} {p})" for op, m, p in seed_operations() if op not in conftest.REACHED]
    print(f"\n{105 - len(missing)} of 105 seed operations reached through the mount")
    assert not missing, (f"{len(missing)} seed operations no test reached through the mount:\n  "
                         + "\n  ".join(missing))
