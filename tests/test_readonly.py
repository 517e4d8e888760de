"""User-supplied Cypher is read-only (the embedded server ignores read access
mode, so the check in readonly.py is all there is): every writing form is
refused and the graph is unchanged; reads, keywords inside strings and
read-only procedures are allowed; parameters are values, never Cypher."""

from __future__ import annotations

import pytest
from datasets import base, counts_of
from fixtures import run_cli, write_dataset

from somec_graph.errors import QueryError
from somec_graph.ingest.load import load_dataset
from somec_graph.ingest.validate import validate
from somec_graph.store import Store, cypher
from somec_graph.store.readonly import check_read_only

INJECTION = "x' }) DETACH DELETE (n) //"


@pytest.fixture(scope="module")
def graph(session_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Store:
    session_store.run_text("MATCH (n) DETACH DELETE n", write=True)
    load_dataset(session_store, validate(write_dataset(tmp_path_factory.mktemp("ro-data"), base())))
    return session_store


def state(store: Store) -> tuple:
    """What a write could change: counts, the offenders' properties, labels and indexes."""
    return (counts_of(store.run("queries/counts")),
            store.run_text("MATCH (o:Offender) RETURN o.offender_id AS id, properties(o) AS p ORDER BY id"),
            store.run_text("MATCH (n:Hacked) RETURN count(n) AS n"))


WRITES = [
    "CREATE (n:Hacked {x: 1})",
    "create (n:Hacked)",
    "MATCH (o:Offender) CREATE (o)-[:KNOWS]->(:Hacked)",
    "MERGE (n:Hacked {x: 1}) RETURN n",
    "merge (n:Hacked) return n",
    "MATCH (o:Offender) SET o.risk_level = 'low'",
    "match (o:Offender) set o += {hacked: true}",
    "MATCH (o:Offender) DELETE o",
    "MATCH ()-[r:CONVICTED]->() delete r",
    "MATCH (n) DETACH DELETE n",
    "match (n) detach delete n",
    "MATCH (n)\nDETACH\n  DELETE n",
    "MATCH (o:Offender) REMOVE o.risk_level",
    "match (o:Offender) remove o:Offender",
    "DROP INDEX movement_arrival",
    "drop constraint offender_id",
    "LOAD CSV FROM 'file:///etc/passwd' AS line RETURN line",
    "load  csv with headers from 'file:///etc/hosts' as l return l",
    "CALL db.createLabel('Hacked')",
    "call db.createLabel('Hacked')",
    "CALL apoc.create.node(['Hacked'], {x: 1}) YIELD node RETURN node",
    "call apoc.create.node(['Hacked'], {}) yield node return node",
    "CALL `apoc.create.node`(['Hacked'], {}) YIELD node RETURN node",
    "CALL `apoc`.`create`.`node`(['Hacked'], {}) YIELD node RETURN node",
    "CALL `db.createLabel`('Hacked')",
    "CALL `db` . `createLabel` ('Hacked')",
    "CALL db.clearQueryCaches",
    "MATCH (o:Offender) CALL { WITH o DETACH DELETE o } IN TRANSACTIONS",
    "MATCH (o:Offender) CALL { WITH o RETURN o.offender_id AS id } IN TRANSACTIONS RETURN id",
    "match (o:Offender) call { with o return o } in  transactions of 10 rows return o",
    "MATCH (o:Offender) FOREACH (x IN [1] | SET o.hacked = true)",
    "MATCH (o:Offender) WITH o /* a comment */ DETACH DELETE o",
    "RETURN 'a string' AS s // a comment\nCREATE (n:Hacked)",
    "RETURN 'it\\'s' AS s CREATE (n:Hacked)",
    # a quote inside a backtick-quoted name must not open a string that hides the clause after it
    "MATCH (`o'`:Offender) CREATE (:Hacked) RETURN '`' AS x",
    "MATCH (`o\"`:Offender) SET `o\"`.hacked = true RETURN \"`\" AS x",
]

READS = [
    ("MATCH (o:Offender) RETURN o.offender_id AS id ORDER BY id", {}, [{"id": "O1"}, {"id": "O2"}, {"id": "O3"}]),
    ("MATCH (o:Offender) WHERE o.offender_id <> 'CREATE' RETURN count(o) AS n", {}, [{"n": 3}]),
    ("RETURN 'DETACH DELETE everything; MERGE; SET' AS s", {}, [{"s": "DETACH DELETE everything; MERGE; SET"}]),
    ('RETURN "LOAD CSV" AS s // CREATE in a comment', {}, [{"s": "LOAD CSV"}]),
    ("MATCH (o:Offender) /* DELETE o */ WHERE o.risk_level = $level RETURN o.offender_id AS id", {"level": "high"},
     [{"id": "O1"}]),
    ("MATCH (o:Offender {offender_id: $id}) RETURN o.offender_id AS id", {"id": INJECTION}, []),
]


@pytest.mark.parametrize("text", WRITES)
def test_writing_query_is_refused(graph: Store, text: str) -> None:
    before = state(graph)
    with pytest.raises(QueryError, match="^Refused: .*read-only"):
        graph.run_user_query(text, {})
    assert state(graph) == before


@pytest.mark.parametrize("text, params, expected", READS)
def test_reading_query_is_allowed(graph: Store, text: str, params: dict, expected: list) -> None:
    before = state(graph)
    assert graph.run_user_query(text, params) == expected
    assert state(graph) == before


def test_read_only_procedure_is_allowed(graph: Store) -> None:
    check_read_only("CALL db.labels() YIELD label RETURN label")
    check_read_only("CALL db.labels")
    rows = graph.run_user_query("CALL db.labels() YIELD label RETURN label ORDER BY label", {})
    assert {"Offender", "Movement"} <= {r["label"] for r in rows}


def test_every_named_query_is_read_only() -> None:
    for _name, statement in cypher.named_queries().items():
        check_read_only(statement.text)  # raises on a writing clause


@pytest.mark.parametrize("value", [INJECTION, "O1' OR 1=1 //", "O1\"}) MATCH (n) DETACH DELETE n //", "O1`"])
def test_injection_through_a_parameter_is_inert(graph: Store, value: str) -> None:
    before = state(graph)
    statement = cypher.named_query("offender_convictions")
    assert graph.run_user_query(statement.text, statement.bind({"offender_id": value})) == []
    assert state(graph) == before


def test_injection_through_the_cli_is_inert(graph: Store) -> None:
    before = state(graph)
    result = run_cli("query", "offender_convictions", "--param", f"offender_id={INJECTION}", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [",".join(cypher.named_query("offender_convictions").returns)]
    assert state(graph) == before
