"""The graph model declared in `ingest/contract.py` is the one the load statements write.

Each table's `cypher/load/<table>.cypher` (and `_new`) must create exactly the
relationships its `links` declare, and each optional link's own statement
exactly that one; a relationship added to a Cypher file but not to the model
(or the other way round) fails here.
"""

from __future__ import annotations

import re

import pytest

from somec_graph.ingest.contract import TABLES, TABLES_BY_NAME, Link, Table
from somec_graph.resources import CYPHER_DIR

_NODE = re.compile(r"\((\w+):(\w+)")
_REL = re.compile(r"^\s*(?:MERGE|CREATE)\s+\((\w+)\)-\[:(\w+)\]->\((\w+)\)", re.MULTILINE)


def written(statement: str) -> set[tuple[str, str, str]]:
    """(from label, type, to label) of every relationship a load statement MERGEs or CREATEs."""
    text = (CYPHER_DIR / "load" / f"{statement}.cypher").read_text(encoding="utf-8")
    labels = dict(_NODE.findall(text))
    return {(labels[a], rel, labels[b]) for a, rel, b in _REL.findall(text)}


def declared(table: Table, links: tuple[Link, ...]) -> set[tuple[str, str, str]]:
    out = set()
    for link in links:
        target = TABLES_BY_NAME[table.target(link)].label
        out.add((target, link.type, table.label) if link.inbound else (table.label, link.type, target))
    return out


@pytest.mark.parametrize("table", [t for t in TABLES if not t.reference], ids=lambda t: t.name)
@pytest.mark.parametrize("suffix", ["", "_new"])
def test_row_statements_write_the_declared_links(table: Table, suffix: str) -> None:
    own = tuple(link for link in table.links if link.statement is None)
    assert written(table.name + suffix) == declared(table, own)


@pytest.mark.parametrize("table, link", [(t, link) for t in TABLES for link in t.links if link.statement],
                         ids=lambda v: getattr(v, "statement", None) or getattr(v, "name", ""))
@pytest.mark.parametrize("suffix", ["", "_new"])
def test_optional_link_statements_write_their_one_link(table: Table, link: Link, suffix: str) -> None:
    assert written(f"{link.statement}{suffix}") == declared(table, (link,))


def test_every_link_column_is_a_reference() -> None:
    for table in TABLES:
        for link in table.links:
            assert table.target(link) in TABLES_BY_NAME, (table.name, link.column)
