"""Exports (somec_graph/export.py) of a small hand-made data set, read back by hand.

THE DATA SET (reference tables from seed_data: 40 states, 33 offence categories, 11 mechanisms)
    agencies   DE-POL, RO-CRA, AT-POL, FR-POL                                    4 nodes, 4 IN
    offenders  O1 (RO), O2 (BG), O3 (PL, nothing else)                            3 nodes, 3 NATIONAL_OF
    C1  O1 RO 1001 2020-01-01, supervision until 2022-01-01                      CONVICTED, IN, FOR
    C2  O2 AT 0801 2020-06-01                                                    CONVICTED, IN, FOR
    M1  O1 RO>DE 2021-01-01 detected by DE-POL                                   MADE, FROM, TO, DETECTED_BY
    M2  O1 DE>FR 2021-03-01                                                      MADE, FROM, TO
    M3  O2 BG>AT 2021-02-01                                                      MADE, FROM, TO
    derived: NEXT M1>M2; SUPERVISION M1>C1 and M2>C1 (C1's supervision runs in RO on both arrivals)
    X1  SIS RO-CRA>DE-POL about O1, alert, naming C1 and M1                      VIA, SENT_BY, SENT_TO, ABOUT, 2 CONCERNS
    X2  ECRIS AT-POL>RO-CRA about O1, request                                    VIA, SENT_BY, SENT_TO, ABOUT
    X3  FD947 RO-CRA>DE-POL about O1, supervision transfer received 2021-01-20  VIA, SENT_BY, SENT_TO, ABOUT
        (so SUPERVISION M1>C1 has aware_day; M2>C1, into FR, has none)

    nodes 40 + 33 + 11 + 4 + 3 + 2 + 3 + 3 = 99; relationships as in REL_TYPES: 40.
"""

from __future__ import annotations

import csv
import json
import re
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from fixtures import write_dataset

from somec_graph import export
from somec_graph.errors import AccessDenied, SomecGraphError
from somec_graph.ingest.contract import TABLES
from somec_graph.ingest.load import load_dataset
from somec_graph.ingest.validate import validate
from somec_graph.roles import User
from somec_graph.store import Store, cypher
from somec_graph.store.cypher import CYPHER_DIR

AGENCIES = [{"agency_id": "DE-POL", "name": "DE Police", "state": "DE", "kind": "police"},
            {"agency_id": "RO-CRA", "name": "RO Criminal Records", "state": "RO", "kind": "criminal_records"},
            {"agency_id": "AT-POL", "name": "AT Police", "state": "AT", "kind": "police"},
            {"agency_id": "FR-POL", "name": "FR Police", "state": "FR", "kind": "police"}]
TABLE_ROWS = {
    "agencies": AGENCIES,
    "offenders": [{"offender_id": "O1", "nationality": "RO", "birth_year": "1980", "sex": "M", "risk_level": "high"},
                  {"offender_id": "O2", "nationality": "BG", "birth_year": "1975", "sex": "F", "risk_level": "low"},
                  {"offender_id": "O3", "nationality": "PL", "birth_year": "1990", "sex": "X",
                   "risk_level": "medium"}],
    "convictions": [{"conviction_id": "C1", "offender_id": "O1", "state": "RO", "offence_code": "1001",
                     "conviction_date": "2020-01-01", "case_id": "K1", "sentence_months": "24",
                     "supervision_end": "2022-01-01"},
                    {"conviction_id": "C2", "offender_id": "O2", "state": "AT", "offence_code": "0801",
                     "conviction_date": "2020-06-01"}],
    "movements": [{"movement_id": "M1", "offender_id": "O1", "from_state": "RO", "to_state": "DE",
                   "arrival_date": "2021-01-01", "detected_by": "DE-POL", "source": "border_check"},
                  {"movement_id": "M2", "offender_id": "O1", "from_state": "DE", "to_state": "FR",
                   "arrival_date": "2021-03-01"},
                  {"movement_id": "M3", "offender_id": "O2", "from_state": "BG", "to_state": "AT",
                   "arrival_date": "2021-02-01"}],
    "exchanges": [{"exchange_id": "X1", "mechanism": "SIS", "sender": "RO-CRA", "recipient": "DE-POL",
                   "offender_id": "O1", "kind": "alert", "sent_date": "2021-01-05", "received_date": "2021-01-06",
                   "conviction_id": "C1", "movement_id": "M1"},
                  {"exchange_id": "X2", "mechanism": "ECRIS", "sender": "AT-POL", "recipient": "RO-CRA",
                   "offender_id": "O1", "kind": "request", "sent_date": "2021-04-01"},
                  {"exchange_id": "X3", "mechanism": "FD947", "sender": "RO-CRA", "recipient": "DE-POL",
                   "offender_id": "O1", "kind": "supervision_transfer", "sent_date": "2021-01-15",
                   "received_date": "2021-01-20"}],
}
NODES = 40 + 33 + 11 + 4 + 3 + 2 + 3 + 3
REL_TYPES = {"IN": 4 + 2, "NATIONAL_OF": 3, "CONVICTED": 2, "FOR": 2, "MADE": 3, "FROM": 3, "TO": 3,
             "DETECTED_BY": 1, "NEXT": 1, "SUPERVISION": 2, "VIA": 3, "SENT_BY": 3, "SENT_TO": 3, "ABOUT": 3,
             "CONCERNS": 2}
RELATIONSHIPS = sum(REL_TYPES.values())  # 40

# Offender O1: its facts, then what they point to; every relationship between two of them.
O1_NODES = {"Offender:O1", "Conviction:C1", "Movement:M1", "Movement:M2", "Exchange:X1", "Exchange:X2",
            "Exchange:X3", "State:RO", "State:DE", "State:FR", "OffenceCategory:1001", "Agency:DE-POL",
            "Agency:RO-CRA", "Agency:AT-POL", "Mechanism:SIS", "Mechanism:ECRIS", "Mechanism:FD947"}
O1_EDGES = {("Offender:O1", "NATIONAL_OF", "State:RO"), ("Offender:O1", "CONVICTED", "Conviction:C1"),
            ("Conviction:C1", "IN", "State:RO"), ("Conviction:C1", "FOR", "OffenceCategory:1001"),
            ("Offender:O1", "MADE", "Movement:M1"), ("Offender:O1", "MADE", "Movement:M2"),
            ("Movement:M1", "FROM", "State:RO"), ("Movement:M1", "TO", "State:DE"),
            ("Movement:M1", "DETECTED_BY", "Agency:DE-POL"), ("Movement:M2", "FROM", "State:DE"),
            ("Movement:M2", "TO", "State:FR"), ("Movement:M1", "NEXT", "Movement:M2"),
            ("Movement:M1", "SUPERVISION", "Conviction:C1"), ("Movement:M2", "SUPERVISION", "Conviction:C1"),
            ("Exchange:X1", "VIA", "Mechanism:SIS"), ("Exchange:X1", "SENT_BY", "Agency:RO-CRA"),
            ("Exchange:X1", "SENT_TO", "Agency:DE-POL"), ("Exchange:X1", "ABOUT", "Offender:O1"),
            ("Exchange:X1", "CONCERNS", "Conviction:C1"), ("Exchange:X1", "CONCERNS", "Movement:M1"),
            ("Exchange:X2", "VIA", "Mechanism:ECRIS"), ("Exchange:X2", "SENT_BY", "Agency:AT-POL"),
            ("Exchange:X2", "SENT_TO", "Agency:RO-CRA"), ("Exchange:X2", "ABOUT", "Offender:O1"),
            ("Exchange:X3", "VIA", "Mechanism:FD947"), ("Exchange:X3", "SENT_BY", "Agency:RO-CRA"),
            ("Exchange:X3", "SENT_TO", "Agency:DE-POL"), ("Exchange:X3", "ABOUT", "Offender:O1"),
            ("Agency:DE-POL", "IN", "State:DE"), ("Agency:RO-CRA", "IN", "State:RO")}  # AT is not chosen
# State AT: the state, its agency, C2 and M3 (in/into AT), X2 (sent from AT), the offenders O2 and O1 they
# concern (not O1's other facts), and what these point to.
AT_NODES = {"State:AT", "Agency:AT-POL", "Conviction:C2", "Movement:M3", "Exchange:X2", "Offender:O2",
            "Offender:O1", "State:BG", "State:RO", "OffenceCategory:0801", "Mechanism:ECRIS", "Agency:RO-CRA"}
AT_EDGES = {("Agency:AT-POL", "IN", "State:AT"), ("Agency:RO-CRA", "IN", "State:RO"),
            ("Offender:O2", "NATIONAL_OF", "State:BG"), ("Offender:O1", "NATIONAL_OF", "State:RO"),
            ("Offender:O2", "CONVICTED", "Conviction:C2"), ("Conviction:C2", "IN", "State:AT"),
            ("Conviction:C2", "FOR", "OffenceCategory:0801"), ("Offender:O2", "MADE", "Movement:M3"),
            ("Movement:M3", "FROM", "State:BG"), ("Movement:M3", "TO", "State:AT"),
            ("Exchange:X2", "VIA", "Mechanism:ECRIS"), ("Exchange:X2", "SENT_BY", "Agency:AT-POL"),
            ("Exchange:X2", "SENT_TO", "Agency:RO-CRA"), ("Exchange:X2", "ABOUT", "Offender:O1")}


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = write_dataset(tmp_path_factory.mktemp("export-data"), TABLE_ROWS)
    return folder


@pytest.fixture
def loaded(store: Store, dataset: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    ds = validate(dataset)
    assert ds.ok, [str(p) for p in ds.problems]
    load_dataset(store, ds)
    monkeypatch.setattr(export, "PAGE_SIZE", 7)  # many pages per label: paging is exercised
    return store


def graph_counts(store: Store) -> tuple[int, int]:
    """Nodes (without Meta) and relationships, counted by the named query, not by the export."""
    rows = store.run("queries/counts")
    nodes = sum(r["count"] for r in rows if r["kind"] == "node")
    rels = sum(r["count"] for r in rows if r["kind"] == "relationship")
    return nodes, rels


def edge_set(G: nx.MultiDiGraph, type_key: str = "type") -> set[tuple[str, str, str]]:
    return {(u, d[type_key], v) for u, v, d in G.edges(data=True)}


# --- the statements follow the contract ---------------------------------------------

def test_every_contract_label_has_its_export_statements() -> None:
    for table in TABLES:
        for prefix in ("nodes_", "nodes_by_key_", "out_"):
            path = CYPHER_DIR / "export" / f"{prefix}{table.name}.cypher"
            assert path.is_file(), path
            assert re.search(rf"\((n|a):{table.label}\b", path.read_text()), path


def test_export_statements_reading_offenders_filter_on_scope() -> None:
    facts = "|".join(sorted(export.FACT_LABELS))
    for path in sorted((CYPHER_DIR / "export").glob("*.cypher")):
        statement = cypher.load(f"export/{path.stem}")
        if re.search(rf":({facts})\b", statement.text):
            assert statement.access == "offenders" and "$scope" in statement.text, path.name


# --- whole graph -------------------------------------------------------------------

def test_graphml_round_trip(loaded: Store, tmp_path: Path) -> None:
    assert graph_counts(loaded) == (NODES, RELATIONSHIPS)
    out = tmp_path / "g.graphml"
    assert export.export_graph(loaded, out, fmt="graphml") == {"nodes": NODES, "relationships": RELATIONSHIPS}
    G = nx.read_graphml(out, force_multigraph=True)
    assert (G.number_of_nodes(), G.number_of_edges()) == (NODES, RELATIONSHIPS)
    assert Counter(d["type"] for _, _, d in G.edges(data=True)) == REL_TYPES
    o1 = G.nodes["Offender:O1"]
    assert (o1["label"], o1["nationality"], o1["birth_year"], o1["risk_level"], o1["risk_rank"]) == \
        ("Offender", "RO", 1980, "high", 3)
    assert "row_hash" not in o1
    assert o1["scope_states"] == "AT;DE;FR;RO"  # a list property, ';'-joined
    de = G.nodes["State:DE"]
    assert de["eu"] is True and isinstance(de["lat"], float) and de["name"] == "Germany"
    rape = G.nodes["OffenceCategory:1001"]  # its own `label` property cannot take the node label's name
    assert (rape["label"], rape["property_label"], rape["group"]) == ("OffenceCategory", "Rape", "sexual")
    c1 = G.nodes["Conviction:C1"]
    assert (c1["qualifying"], c1["sentence_months"], c1["supervision_end"]) == (True, 24, "2022-01-01")
    assert "supervision_end" not in G.nodes["Conviction:C2"]  # a missing value is no attribute
    m1 = G.nodes["Movement:M1"]
    assert (m1["seq"], m1["stay_days"], m1["counted"], m1["aware_day"] - m1["arrival_day"]) == (1, 59, True, 5)
    sup = {u: d for u, v, d in G.edges(data=True) if d["type"] == "SUPERVISION"}
    assert (sup["Movement:M1"]["supervising_state"], sup["Movement:M1"]["aware_day"]) == ("RO", 18647)  # 2021-01-20
    assert "aware_day" not in sup["Movement:M2"]
    assert ("Movement:M1", "NEXT", "Movement:M2") in edge_set(G)


def test_gexf_round_trip(loaded: Store, tmp_path: Path) -> None:
    out = tmp_path / "g.gexf"
    assert export.export_graph(loaded, out, fmt="gexf") == {"nodes": NODES, "relationships": RELATIONSHIPS}
    G = nx.read_gexf(out)
    assert (G.number_of_nodes(), G.number_of_edges()) == (NODES, RELATIONSHIPS)
    # GEXF reserves an edge's `type` (directed/undirected): the relationship type is the edge label.
    assert Counter(d["label"] for _, _, d in G.edges(data=True)) == REL_TYPES
    o2 = G.nodes["Offender:O2"]
    assert (o2["label"], o2["nationality"], o2["birth_year"], o2["sex"]) == ("Offender", "BG", 1975, "F")
    assert G.nodes["State:AT"]["schengen"] is True
    assert G.nodes["Exchange:X1"]["recipient_state"] == "DE"


def test_csv_export_parses(loaded: Store, tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    assert export.export_graph(loaded, folder, fmt="csv") == {"nodes": NODES, "relationships": RELATIONSHIPS}
    with (folder / "nodes.csv").open(newline="", encoding="utf-8") as fh:
        nodes = {r["id"]: (r["label"], json.loads(r["properties"])) for r in csv.DictReader(fh)}
    with (folder / "edges.csv").open(newline="", encoding="utf-8") as fh:
        edges = [(r["source"], r["type"], r["target"], json.loads(r["properties"])) for r in csv.DictReader(fh)]
    assert len(nodes) == NODES and len(edges) == RELATIONSHIPS
    label, props = nodes["Exchange:X1"]
    assert label == "Exchange" and props["kind"] == "alert" and props["conviction_id"] == "C1"
    assert "row_hash" not in props and "received_date" not in nodes["Exchange:X2"][1]
    assert Counter(t for _, t, _, _ in edges) == REL_TYPES
    assert all(s in nodes and t in nodes for s, _, t, _ in edges)
    assert sorted((s, p.get("aware_day")) for s, t, _, p in edges if t == "SUPERVISION") == [
        ("Movement:M1", 18647), ("Movement:M2", None)]


# --- filtered ----------------------------------------------------------------------

def test_offender_subgraph(loaded: Store, tmp_path: Path) -> None:
    out = tmp_path / "o1.graphml"
    counts = export.export_graph(loaded, out, fmt="graphml", offenders=["O1"])
    G = nx.read_graphml(out, force_multigraph=True)
    assert set(G.nodes) == O1_NODES
    assert edge_set(G) == O1_EDGES and G.number_of_edges() == len(O1_EDGES)
    assert counts == {"nodes": len(O1_NODES), "relationships": len(O1_EDGES)}
    assert G.nodes["Movement:M2"]["to_state"] == "FR"


def test_state_subgraph(loaded: Store, tmp_path: Path) -> None:
    out = tmp_path / "at.gexf"
    counts = export.export_graph(loaded, out, fmt="gexf", states=["at"])  # codes are normalised
    G = nx.read_gexf(out)
    assert set(G.nodes) == AT_NODES
    assert edge_set(G, "label") == AT_EDGES
    assert counts == {"nodes": len(AT_NODES), "relationships": len(AT_EDGES)}


def test_offenders_and_states_together(loaded: Store, tmp_path: Path) -> None:
    folder = tmp_path / "both"
    export.export_graph(loaded, folder, fmt="csv", offenders=["O1"], states=["DE"])
    with (folder / "nodes.csv").open(newline="", encoding="utf-8") as fh:
        ids = {r["id"] for r in csv.DictReader(fh)}
    # O1's facts that involve DE (not C1 in RO, not X2 between AT and RO), and what they point to
    assert ids == {"Offender:O1", "Movement:M1", "Movement:M2", "Exchange:X1", "Exchange:X3", "State:RO",
                   "State:DE", "State:FR", "Agency:DE-POL", "Agency:RO-CRA", "Mechanism:SIS", "Mechanism:FD947"}
    # BG has no agency, conviction or exchange (no rows for them): only O2's movement from BG remains
    export.export_graph(loaded, folder, fmt="csv", offenders=["O2"], states=["BG"])
    with (folder / "nodes.csv").open(newline="", encoding="utf-8") as fh:
        ids = {r["id"] for r in csv.DictReader(fh)}
    assert ids == {"Offender:O2", "Movement:M3", "State:BG", "State:AT"}


def test_unknown_filter_values_and_format_are_refused(loaded: Store, tmp_path: Path) -> None:
    with pytest.raises(SomecGraphError, match="No offender NOPE"):
        export.export_graph(loaded, tmp_path / "x.graphml", fmt="graphml", offenders=["O1", "NOPE"])
    with pytest.raises(SomecGraphError, match="No state XX"):
        export.export_graph(loaded, tmp_path / "x.graphml", fmt="graphml", states=["XX"])
    with pytest.raises(SomecGraphError, match="Unknown export format"):
        export.export_graph(loaded, tmp_path / "x.json", fmt="json")


def test_export_of_an_empty_graph(store: Store, tmp_path: Path) -> None:
    assert export.export_graph(store, tmp_path / "e.graphml", fmt="graphml") == {"nodes": 0, "relationships": 0}
    assert nx.read_graphml(tmp_path / "e.graphml").number_of_nodes() == 0


# --- roles and jurisdiction -----------------------------------------------------------

def test_analyst_exports_only_their_jurisdiction(loaded: Store, tmp_path: Path) -> None:
    analyst = loaded.as_user(User("ana", "analyst", ("BG",)))  # only O2 involves BG (M3 from BG)
    out = tmp_path / "bg.graphml"
    counts = export.export_graph(analyst, out, fmt="graphml")
    G = nx.read_graphml(out, force_multigraph=True)
    facts = {n for n in G.nodes if n.split(":")[0] in ("Offender", "Conviction", "Movement", "Exchange")}
    assert facts == {"Offender:O2", "Conviction:C2", "Movement:M3"}
    assert counts == {"nodes": 40 + 33 + 11 + 4 + 3, "relationships": 4 + 3 + 2 + 2}
    assert not re.search(r"\bO[13]\b", out.read_text())  # no trace of the other offenders
    with pytest.raises(SomecGraphError, match="No offender O1 in the graph or in your jurisdiction"):
        export.export_graph(analyst, tmp_path / "o1.graphml", fmt="graphml", offenders=["O1"])
    folder = tmp_path / "de"
    export.export_graph(analyst, folder, fmt="csv", states=["DE"])  # DE's facts are all O1's
    with (folder / "nodes.csv").open(newline="", encoding="utf-8") as fh:
        assert {r["id"] for r in csv.DictReader(fh)} == {"State:DE", "Agency:DE-POL"}


def test_supervisors_and_analysts_may_not_export_everything(loaded: Store, tmp_path: Path) -> None:
    with pytest.raises(AccessDenied):
        export.export_graph(loaded.as_user(User("sup", "supervisor")), tmp_path / "s.csv", fmt="csv")
    with pytest.raises(AccessDenied):
        export.export_neo4j_import(loaded.as_user(User("ana", "analyst", ("DE",))), tmp_path / "import")
    assert not (tmp_path / "s.csv").exists() and not (tmp_path / "import").exists()


# --- neo4j-admin import files ----------------------------------------------------------

def read_rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def test_neo4j_import_files(loaded: Store, tmp_path: Path) -> None:
    out = tmp_path / "import"
    counts = export.export_neo4j_import(loaded, out)
    assert counts == {"nodes": NODES + 1, "relationships": RELATIONSHIPS}  # + the Meta node
    keys = {t.label: t.key for t in TABLES} | {"Meta": "name"}
    labels_rows: Counter[str] = Counter()
    types_rows: Counter[str] = Counter()
    script = (out / "import.sh").read_text()
    headers = sorted(out.glob("*_header.csv"))
    assert headers
    for header_path in headers:
        stem = header_path.name[:-len("_header.csv")]
        data_path = out / f"{stem}.csv"
        [header] = read_rows(header_path)
        rows = read_rows(data_path)
        assert all(len(row) == len(header) for row in rows), stem
        if "-" in stem:  # <Start>-<TYPE>-<End>
            start, rel_type, end = stem.split("-")
            assert header[:2] == [f":START_ID({start})", f":END_ID({end})"] and header[-1] == ":TYPE", header
            assert {row[-1] for row in rows} == {rel_type}
            assert f"--relationships={rel_type}={stem}_header.csv,{stem}.csv" in script
            types_rows[rel_type] += len(rows)
        else:
            assert header[0] == f"{keys[stem]}:ID({stem})" and header[-1] == ":LABEL", header
            assert {row[-1] for row in rows} == {stem}
            assert f"--nodes={stem}={stem}_header.csv,{stem}.csv" in script
            labels_rows[stem] += len(rows)
        for column in header[1:-1]:
            assert re.fullmatch(r"\w+:(string|long|double|boolean)(\[\])?", column) or column.startswith(":"), column
    assert labels_rows == {"State": 40, "OffenceCategory": 33, "Mechanism": 11, "Agency": 4, "Offender": 3,
                           "Conviction": 2, "Movement": 3, "Exchange": 3, "Meta": 1}
    assert types_rows == REL_TYPES
    assert "neo4j-admin" in script and "database import full" in script


def test_neo4j_import_types_and_values(loaded: Store, tmp_path: Path) -> None:
    out = tmp_path / "import"
    export.export_neo4j_import(loaded, out)

    def table(label: str) -> dict[str, dict[str, str]]:
        [header] = read_rows(out / f"{label}_header.csv")
        names = [h.split(":")[0] for h in header]
        return {row[0]: dict(zip(names, row)) for row in read_rows(out / f"{label}.csv")}

    [state_header] = read_rows(out / "State_header.csv")
    assert {"eu:boolean", "lat:double", "name:string", "row_hash:string"} <= set(state_header)
    [offender_header] = read_rows(out / "Offender_header.csv")
    assert offender_header[0] == "offender_id:ID(Offender)" and "birth_year:long" in offender_header
    [sup_header] = read_rows(out / "Movement-SUPERVISION-Conviction_header.csv")
    assert sup_header == [":START_ID(Movement)", ":END_ID(Conviction)", "aware_day:long", "supervising_state:string",
                          ":TYPE"]
    assert "scope_states:string[]" in offender_header  # a list property is a neo4j-admin array
    offenders = table("Offender")
    assert offenders["O1"]["birth_year"] == "1980" and offenders["O1"]["row_hash"]
    assert offenders["O1"]["scope_states"] == "AT;DE;FR;RO"
    convictions = table("Conviction")
    assert convictions["C2"]["supervision_end"] == "" and convictions["C1"]["qualifying"] == "true"
    meta = table("Meta")["load"]
    assert meta["pending"] == "false" and int(meta["version"]) >= 1 and meta["latest_day"]
    [data_line] = [line for line in (out / "Offender.csv").read_text().splitlines() if line.startswith('"O3"')]
    assert data_line.endswith(",Offender")  # strings quoted, the label bare


def test_export_leaves_the_graph_unchanged(loaded: Store, tmp_path: Path) -> None:
    before = graph_counts(loaded), loaded.run("load/meta")[0]
    export.export_neo4j_import(loaded, tmp_path / "import")
    export.export_graph(loaded, tmp_path / "o.csv", fmt="csv", states=["DE"])
    assert (graph_counts(loaded), loaded.run("load/meta")[0]) == before


def test_import_script_lists_every_file(loaded: Store, tmp_path: Path) -> None:
    out = tmp_path / "import"
    export.export_neo4j_import(loaded, out)
    script = (out / "import.sh").read_text()
    named = set(re.findall(r"([\w-]+(?:_header)?\.csv)", script))
    assert named == {p.name for p in out.glob("*.csv")}
    assert script.startswith("#!/bin/sh") and (out / "import.sh").stat().st_mode & 0o100
