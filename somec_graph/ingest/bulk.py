"""The first load into an empty store, at bulk speed (docs/performance.md, "Bulk first load").

When every label of the data contract is empty, nothing needs comparing, merging or reading
back: the graph is built in Python from the validated rows (node properties and row hashes
as `load._props` makes them, the derived facts of `derive.derive_offender` from the same
inputs the graph reads would give) and written in large batches of CREATE:

- embedded: one streamed request to the running ArcadeDB server's batch loader
  (`bulk_arcadedb.py`);
- Neo4j: `UNWIND` batches of `cypher/bulk/*` (nodes per label, then each table's links).

The result equals what the incremental Cypher path writes (tests/test_first_load.py). Meta
carries `bulk_pending` while a bulk load runs: a batch is not atomic, so the next load after one
that died removes the half-written graph (`wipe`) and starts again, rather than merge over it.
SOMEC_BULK_LOAD=off always takes the Cypher path.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from ..progress import Progress
from ..store import Store
from .contract import TABLES, TABLES_BY_NAME, Link, Table
from .derive import Derived, derive_offender

# Rows per Neo4j transaction. Measured at M (2 cores, load ≈ 8.7): 20,000-row transactions 162 s,
# 1,000-row ones 123 s; large transactions' state costs more than the extra round trips.
NEO4J_BULK_ROWS = 1000
WIPE_BATCH = 10000


def wanted(store: Store, present: dict[str, int]) -> bool:
    """Whether this load takes the bulk path: allowed by the settings, and every data label empty."""
    return store.settings.bulk_load and not any(present[t.name] for t in TABLES)


def wipe(store: Store, report: Progress) -> None:
    """Delete every node of the data contract's labels (a bulk load that died left them half written)."""
    report("removing an unfinished first load", 0, 1)
    while store.run("bulk/wipe", {"limit": WIPE_BATCH}, write=True)[0]["deleted"]:
        pass
    report("removing an unfinished first load", 1, 1)


@dataclass
class Node:
    label: str
    key_name: str
    key: Any
    props: dict[str, Any]


Edge = tuple[str, tuple[str, Any], tuple[str, Any], dict[str, Any]]  # type, start, end, properties
NO_PROPS: dict[str, Any] = {}


@dataclass
class Graph:
    """The whole first-load graph: nodes by table (in load order) and relationships by the statement that writes them."""
    nodes: dict[str, list[Node]] = field(default_factory=dict)
    links: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # table -> rows of its required links
    optional: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # load/<statement>_new -> rows
    next_pairs: list[dict[str, str]] = field(default_factory=list)
    supervision: list[dict[str, Any]] = field(default_factory=list)

    def edge_count(self) -> int:
        """How many relationships `edges` yields, without building them (for the progress bar's total)."""
        required = sum(len(self.links.get(t.name, [])) * sum(1 for link in t.links if link.statement is None)
                       for t in TABLES)
        optional = sum(len(self.optional.get(link.statement, [])) for t in TABLES for link in t.links
                       if link.statement)
        return required + optional + len(self.next_pairs) + len(self.supervision)

    def edges(self) -> Iterator[Edge]:
        """Every relationship, as the Cypher path would create it: (type, (label, key), (label, key), properties)."""
        for table in TABLES:
            required = [(link, _target(table, link).label) for link in table.links if link.statement is None]
            for row in self.links.get(table.name, []):
                mine = (table.label, row["key"])
                for link, label in required:
                    theirs = (label, row[link.column])
                    yield (link.type, theirs, mine, NO_PROPS) if link.inbound else (link.type, mine, theirs, NO_PROPS)
            for link in table.links:
                if link.statement:
                    target = _target(table, link)
                    for row in self.optional.get(link.statement, []):
                        yield link.type, (table.label, row["key"]), (target.label, row[target.key]), NO_PROPS
        for pair in self.next_pairs:
            yield "NEXT", ("Movement", pair["from"]), ("Movement", pair["to"]), NO_PROPS
        for s in self.supervision:
            yield ("SUPERVISION", ("Movement", s["movement_id"]), ("Conviction", s["conviction_id"]),
                   _present(s["facts"]))


def _target(table: Table, link: Link) -> Table:
    return TABLES_BY_NAME[table.target(link)]


def _present(values: dict[str, Any]) -> dict[str, Any]:
    # `SET n += {k: null}` leaves k out: so does the bulk graph.
    return {k: v for k, v in values.items() if v is not None}


def build(plans: list[Any], schengen: frozenset[str]) -> tuple[Graph, int]:
    """The graph of a first load from the loader's plans (`load._Plan`: rows with key, props and raw values),
    and the number of offenders whose facts were derived."""
    graph = Graph()
    keys: dict[str, set[Any]] = {}
    for plan in plans:
        table: Table = plan.table
        graph.nodes[table.name] = [Node(table.label, table.key, r["key"], {table.key: r["key"], **_present(r["props"])})
                                   for r in plan.new]
        keys[table.name] = {r["key"] for r in plan.new}
        required = [(link.column, keys[table.target(link)]) for link in table.links if link.statement is None]
        if required:  # MATCH semantics: a row's links are made only when every node they name exists
            graph.links[table.name] = [
                {"key": r["key"], **{column: r["raw"][column] for column, _ in required}} for r in plan.new
                if all(r["raw"][column] in known for column, known in required)]
        for link in table.links:
            if link.statement:
                target = TABLES_BY_NAME[table.target(link)]
                graph.optional[link.statement] = [
                    {"key": r["key"], target.key: r["raw"][link.column]} for r in plan.new
                    if r["raw"].get(link.column) and r["raw"][link.column] in keys[target.name]]
    derived = _derive(plans, schengen)
    facts = {"movements": {m["key"]: m["facts"] for m in derived.movements},
             "convictions": {c["key"]: c["facts"] for c in derived.convictions},
             "offenders": {o["key"]: {"scope_states": o["scope_states"]} for o in derived.offenders}}
    for name, by_key in facts.items():
        for node in graph.nodes.get(name, []):
            node.props.update(_present(by_key.get(node.key, {})))
    graph.next_pairs, graph.supervision = derived.next_pairs, derived.supervision
    return graph, len(derived.offenders)


def _derive(plans: list[Any], schengen: frozenset[str]) -> Derived:
    """`derive_offender` over every offender, with the inputs `load._derive_inputs` would read from the graph."""
    rows = {plan.table.name: plan.new for plan in plans}
    offenders = {r["key"]: {"offender_id": r["key"], "nationality": r["props"]["nationality"],
                            "risk_rank": r["props"]["risk_rank"], "convictions": [], "movements": [], "exchanges": []}
                 for r in rows.get("offenders", [])}
    for r in rows.get("convictions", []):
        p = r["props"]
        if p["offender_id"] in offenders:
            offenders[p["offender_id"]]["convictions"].append(
                {"id": r["key"], "state": p["state"], "day": p["conviction_day"], "qualifying": p["qualifying"],
                 "grp": p["group"], "supervision_end_day": p["supervision_end_day"]})
    for r in rows.get("movements", []):
        p = r["props"]
        if p["offender_id"] in offenders:
            offenders[p["offender_id"]]["movements"].append(
                {"id": r["key"], "from_state": p["from_state"], "to_state": p["to_state"], "day": p["arrival_day"],
                 "detected_by": p["detected_by"] or ""})
    for r in rows.get("exchanges", []):
        p = r["props"]
        if p["offender_id"] in offenders:
            offenders[p["offender_id"]]["exchanges"].append(
                {"id": r["key"], "kind": p["kind"], "mechanism": p["mechanism"], "sender_state": p["sender_state"],
                 "recipient_state": p["recipient_state"], "sent_day": p["sent_day"],
                 "effective_day": p["effective_day"], "conviction_id": p["conviction_id"] or None})
    out = Derived()
    for offender in offenders.values():
        derive_offender(offender, out, schengen)
    return out


def write(store: Store, graph: Graph, report: Progress) -> None:
    """Write the graph into the empty store, the embedded one through its batch loader."""
    if store.settings.embedded:
        from . import bulk_arcadedb
        bulk_arcadedb.write(store.settings, graph, report)
        return
    for table in TABLES:
        nodes = graph.nodes.get(table.name, [])
        report(table.file, 0, len(nodes))
        _batches(store, f"bulk/{table.name}_nodes", [n.props for n in nodes], table.file, report)
    for table in TABLES:
        if table.name in graph.links:
            _batches(store, f"bulk/{table.name}_links", graph.links[table.name], f"{table.name} links", report)
        for link in table.links:
            if link.statement:
                _batches(store, f"load/{link.statement}_new", graph.optional[link.statement],
                         f"{table.name} {link.column}", report)
    _batches(store, "derive/next", graph.next_pairs, "derived facts", report)
    _batches(store, "derive/supervision", graph.supervision, "derived facts", report)


def _batches(store: Store, name: str, rows: list[dict[str, Any]], step: str, report: Progress) -> None:
    size = NEO4J_BULK_ROWS
    for start in range(0, len(rows), size):
        store.run(name, {"rows": rows[start:start + size]}, write=True)
        report(step, min(start + size, len(rows)), len(rows))
