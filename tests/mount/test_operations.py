"""The seed's operations: all 105 counted, each named in docs/operations.md.

That each one is also reached through the mount by some test is checked by
the session hook in tests/conftest.py when the whole of tests/mount/ ran.
"""
from conftest import seed_operations
from helpers import ROOT


def test_seed_has_105_operations():
    assert len(seed_operations()) == 105


def test_every_operation_is_documented():
    doc = (ROOT / "docs" / "operations.md").read_text()
    missing = [op for op, _, _ in seed_operations() if f"`{op}`" not in doc]
    assert not missing, "docs/operations.md does not name: " + ", ".join(missing)
