"""The bulk first load's graph (ingest/bulk.py) counts its relationships as it yields them: the progress
bar's total is the number written, whatever the tables hold."""

from __future__ import annotations

import pytest

from somec_graph.ingest.bulk import Graph
from somec_graph.ingest.contract import TABLES, TABLES_BY_NAME


@pytest.mark.parametrize("rows", [0, 1, 3])
def test_edge_count_is_the_number_of_edges(rows: int) -> None:
    graph = Graph()
    for table in TABLES:
        graph.links[table.name] = [{"key": f"{table.name}-{i}", **{c: f"to-{i}" for c in table.link_columns}}
                                   for i in range(rows)]
        for link in table.links:
            if link.statement:
                target = TABLES_BY_NAME[table.target(link)]
                graph.optional[link.statement] = [{"key": f"{table.name}-{i}", target.key: f"to-{i}"}
                                                  for i in range(rows + 1)]
    graph.next_pairs = [{"from": f"M{i}", "to": f"M{i + 1}"} for i in range(rows)]
    graph.supervision = [{"movement_id": f"M{i}", "conviction_id": f"C{i}", "facts": {"end": None}}
                         for i in range(rows)]
    assert graph.edge_count() == sum(1 for _ in graph.edges())
    assert graph.edge_count() > 0
