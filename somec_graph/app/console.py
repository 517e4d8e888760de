"""The query console: named or (admins only) free-text read-only Cypher, results as a table
and, where they hold nodes and relationships, as a graph."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import networkx as nx
import pandas as pd
from neo4j.graph import Node, Relationship
from neo4j.graph import Path as GraphPath

from ..access import disclosure
from ..store import cypher
from .reads import for_viewer
from .session import audit_event, get_store

# --- the query console --------------------------------------------------------------

def named_queries() -> dict[str, cypher.Statement]:
    return cypher.named_queries()


@dataclass
class QueryResult:
    table: pd.DataFrame
    graph: nx.MultiDiGraph


# The identifying property of each label (the data contract's keys), then a fallback order.
_LABEL_KEYS = {"Offender": "offender_id", "Conviction": "conviction_id", "Movement": "movement_id",
               "Exchange": "exchange_id", "Agency": "agency_id", "State": "code", "OffenceCategory": "code",
               "Mechanism": "code", "Meta": "name"}
_KEYS = ("conviction_id", "movement_id", "exchange_id", "agency_id", "offender_id", "code", "name")
_KINDS = {"Offender": "offender", "Conviction": "conviction", "State": "state", "Agency": "agency",
          "Exchange": "exchange", "Movement": "movement", "Mechanism": "mechanism", "OffenceCategory": "offence"}


def _node_info(node: Node) -> tuple[str, dict[str, Any]]:
    props = dict(node)
    label = next(iter(sorted(node.labels)), "Node")
    own = _LABEL_KEYS.get(label)
    key = props[own] if own and props.get(own) is not None else \
        next((props[k] for k in _KEYS if props.get(k) is not None), node.element_id)
    title = "\n".join([label] + [f"{k}: {v}" for k, v in props.items() if k != "row_hash"][:14])
    return node.element_id, {"kind": _KINDS.get(label, "other"), "label": str(key), "title": title}


def _cell(value: Any, graph: nx.MultiDiGraph) -> Any:
    """A record value as a table cell; nodes and relationships also go into `graph`."""
    if isinstance(value, Node):
        node_id, attrs = _node_info(value)
        graph.add_node(node_id, **attrs)
        return attrs["label"]
    if isinstance(value, Relationship):
        cells = [_cell(n, graph) for n in (value.start_node, value.end_node) if n is not None]
        if value.start_node is not None and value.end_node is not None:
            graph.add_edge(value.start_node.element_id, value.end_node.element_id, title=value.type)
        return f"{cells[0] if cells else '?'} -[{value.type}]-> {cells[-1] if cells else '?'}"
    if isinstance(value, GraphPath):
        for rel in value.relationships:
            _cell(rel, graph)
        return " / ".join(_cell(n, graph) for n in value.nodes)
    if isinstance(value, (list, tuple)):
        return [_cell(v, graph) for v in value]
    if isinstance(value, dict):
        return {k: _cell(v, graph) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def run_console_query(text: str, params: dict[str, Any], statement: cypher.Statement | None = None) -> QueryResult:
    """Run a read-only query from the console; keep nodes and relationships for a graph view.

    `Store.user_records` applies the rules of the command line's `query`: role
    check, the user's `$scope`, refused writes, read mode.
    """
    records, keys = get_store().user_records(text, params, statement)
    audit_event("query", {"name": statement.short_name if statement else "free text", "params": params}, len(records))
    graph = nx.MultiDiGraph()
    rows = [{k: _cell(rec[k], graph) for k in keys} for rec in records]
    frame = pd.DataFrame(rows, columns=keys)
    if statement is not None and statement.cells and disclosure.applies_to(get_store().user):
        frame = for_viewer(frame, list(statement.cells))
    return QueryResult(frame, graph)
