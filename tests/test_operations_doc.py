# SPDX-License-Identifier: MIT
"""docs/operations.md cannot drift from the C rows.

Why this form: the rows are C structs whose endpoints are spelled with macros,
so rather than parse C, the built unit test lists them (`test-table --rows`,
tests/unit/test-table.c walks table_kinds()), and contrib/gen-operations.py,
which writes docs/operations.md, also checks it against that list. These tests
run the generator's own checks: every row the doc names is a row of the table,
every row with an endpoint is named by an operation whose path fits it (or is
listed as outside the seed), and the file is exactly what the generator writes,
so a row added, renamed or moved to another endpoint fails here until the doc
is regenerated. One more reads the sources for rows defined but not listed in
table_kinds(), which no list from the binary could show. No mount, no simulator.
"""
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_generator():
    spec = importlib.util.spec_from_file_location("gen_operations",
                                                  ROOT / "contrib" / "gen-operations.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


gen = load_generator()


@pytest.fixture(scope="module")
def rows():
    binary = gen.default_table_binary()
    if not binary.exists():
        pytest.fail(f"{binary} is not built (meson compile -C build; or set RINGFS_TABLE_BIN)")
    return gen.table_rows(binary)


def test_every_row_listed_once(rows):
    names = [name for name, _ in rows]
    assert len(names) == len(set(names))
    assert {"root", "scratch", "message-type", "glip-webhook", "subscription"} <= set(names)


def test_every_defined_row_is_registered(rows):
    """A row defined in src/ but missing from table.c's all_kinds would escape these checks.

    Rows are exported as table_k_<name, '-' as '_'> (src/table-private.h), which
    is what lets this one check read the definitions with a pattern.
    """
    defined = set()
    for source in (ROOT / "src").glob("*.c"):
        defined |= set(re.findall(r"^const RfsKind table_k_(\w+) =", source.read_text(), re.M))
    assert {name.replace("-", "_") for name, _ in rows} == defined


def test_doc_and_rows_agree(rows):
    found = gen.problems(gen.seed_operations(), rows)
    assert not found, "docs/operations.md and the C rows disagree:\n  " + "\n  ".join(found)


def test_doc_is_generated(rows):
    text = gen.render(gen.seed_operations(), rows)
    assert (ROOT / "docs" / "operations.md").read_text() == text, \
        "docs/operations.md is stale: run contrib/gen-operations.py"


def test_drift_is_caught(rows):
    """The checks catch what they are for: a renamed row, a moved endpoint, an undocumented one."""
    ops = gen.seed_operations()
    renamed = [("contact-card" if n == "contact" else n, e) for n, e in rows]
    moved = [(n, "/restapi/v1.0/glip/chats" if n == "glip-posts" else e) for n, e in rows]
    added = rows + [("voicemail-rules", "/restapi/v1.0/account/{a}/voicemail-rule")]
    assert any("names row contact," in p for p in gen.problems(ops, renamed))
    assert any(p.startswith("row glip-posts calls") for p in gen.problems(ops, moved))
    assert any("no operation names" in p for p in gen.problems(ops, added))


def test_generation_column(rows):
    """Each operation says which API generation its path is today and what ringfs
    falls back to; every rule of the generator still matches some operation."""
    ops = gen.seed_operations()
    text = gen.render(ops, rows)
    table = [line for line in text.splitlines() if line.startswith("| `")]
    assert len(table) == len(ops) and all(line.count(" | ") == 5 for line in table)
    assert "| API generation (fallback) |" in text
    for match, _ in gen.GENERATION:
        assert any(match(op, path) for op, _, path in ops)
    by_op = {op: gen.generation(op, path) for op, _, path in ops}
    assert "directory/entries" in by_op["listDirectoryContacts"]
    assert "deprecated" in by_op["makeRingOutCall"] and "deprecated" in by_op["listGlipGroups"]
    assert by_op["sendSMS"] == "v1.0"
    # the directory row calls today's endpoint and names its legacy fallback
    assert dict(rows)["directory"].endswith("/directory/entries")
    assert "`/restapi/v1.0/account/{a}/directory/contacts`" in text
