"""State flow, co-offender network, mobile groups and ego network (SPEC §5), by hand.

Two small data sets, each loaded once when a test first needs it:

FLOW  a chain RO -> AT -> DE -> FR, plus a thin AT -> FR edge:
    N1  RO>AT 2021-01-01, AT>DE 2021-02-01, DE>FR 2021-03-01   qualifying conviction RO 2020-01-01,
        alert received in AT 2021-01-10 (notified); DE and FR never told (unnotified)
    N2  RO>AT 2021-01-05, AT>DE 2021-02-05, DE>FR 2021-03-05
    N3  RO>AT 2021-01-10, AT>FR 2021-03-01
    N4, N5, N6  DE>FR 2021-04-01, 04-02, 04-03
    edges: RO>AT 3, AT>DE 2, AT>FR 1, DE>FR 5; as-of 2021-04-03.
    Edge length 1/movements: AT>DE>FR = 1/2 + 1/5 < AT>FR = 1, so AT -> FR runs through DE.

GROUPS  cases K1 {G1, G2, G3}, K2 {G3, G4}, K3 and K4 both {G5, G6}, K5 {H1, H2}, K6 {G7} alone.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable

import networkx as nx
import pandas as pd
import pytest
from fixtures import loaded_store, movements, offenders

from somec_graph.analysis import networks
from somec_graph.errors import SomecGraphError
from somec_graph.store import Store
from somec_graph.synth import planted

AGENCIES = [{"agency_id": f"{s}-{k}", "name": f"{s} {k}", "state": s,
             "kind": {"POL": "police", "CRA": "criminal_records"}[k]}
            for s in ("RO", "AT", "DE", "FR") for k in ("POL", "CRA")]


def _flow() -> dict:
    return {
        "agencies": AGENCIES,
        "offenders": [{"offender_id": f"N{i}", "nationality": "RO", "risk_level": "high"} for i in range(1, 7)],
        "convictions": [{"conviction_id": "C-N1", "offender_id": "N1", "state": "RO", "offence_code": "1001",
                         "conviction_date": "2020-01-01"}],
        "movements": movements([
            ("F01", "N1", "RO", "AT", "2021-01-01"), ("F02", "N1", "AT", "DE", "2021-02-01"),
            ("F03", "N1", "DE", "FR", "2021-03-01"),
            ("F04", "N2", "RO", "AT", "2021-01-05"), ("F05", "N2", "AT", "DE", "2021-02-05"),
            ("F06", "N2", "DE", "FR", "2021-03-05"),
            ("F07", "N3", "RO", "AT", "2021-01-10"), ("F08", "N3", "AT", "FR", "2021-03-01"),
            ("F09", "N4", "DE", "FR", "2021-04-01"), ("F10", "N5", "DE", "FR", "2021-04-02"),
            ("F11", "N6", "DE", "FR", "2021-04-03"),
        ]),
        "exchanges": [{"exchange_id": "X-N1", "mechanism": "SIS", "sender": "RO-POL", "recipient": "AT-POL",
                       "offender_id": "N1", "kind": "alert", "sent_date": "2021-01-09",
                       "received_date": "2021-01-10"}],
    }


GROUP_OFFENDERS = {"G1": ("RO", "high"), "G2": ("RO", "medium"), "G3": ("BG", "very_high"), "G4": ("BG", "low"),
                   "G5": ("PL", "high"), "G6": ("PL", "high"), "G7": ("PL", "high"), "H1": ("LT", "low"),
                   "H2": ("LT", "low"), "G8": ("RO", "low")}
CASES = {"K1": ("G1", "G2", "G3"), "K2": ("G3", "G4"), "K3": ("G5", "G6"), "K4": ("G5", "G6"), "K5": ("H1", "H2"),
         "K6": ("G7",)}


def _groups() -> dict:
    convictions = [{"conviction_id": f"C-{o}-{case}", "offender_id": o, "state": "RO", "offence_code": "1001",
                    "conviction_date": "2020-01-01", "case_id": case}
                   for case, members in CASES.items() for o in members]
    return {
        "agencies": AGENCIES,
        "offenders": offenders(GROUP_OFFENDERS),
        "convictions": convictions,
        "movements": movements([
            ("A1", "G1", "RO", "DE", "2021-05-01"),
            ("A2", "G2", "RO", "DE", "2021-05-31"),   # 30 days after G1
            ("A3", "G3", "RO", "DE", "2021-07-01"),   # 31 days after G2
            ("A4", "G4", "RO", "DE", "2021-07-02"),   # 1 day after G3 (case K2)
            ("A5", "G5", "PL", "FR", "2021-03-01"),
            ("A6", "G6", "PL", "FR", "2021-03-02"),
            ("A7", "H1", "LT", "IT", "2021-01-01"),   # same day, different states
            ("A8", "H2", "LT", "ES", "2021-01-01"),
            ("A9", "G7", "PL", "DE", "2021-05-01"),   # no co-defendant
        ]),
        "exchanges": [{"exchange_id": "X-G3", "mechanism": "ECRIS", "sender": "RO-CRA", "recipient": "DE-CRA",
                       "offender_id": "G3", "kind": "conviction_notice", "sent_date": "2021-07-08",
                       "received_date": "2021-07-10", "conviction_id": "C-G3-K1"}],
    }


_LOADED: dict[str, object] = {}


def _marker(store: Store) -> dict:
    return store.run_text("MATCH (o:Offender) RETURN count(o) AS n, min(o.offender_id) AS first")[0]


def _ensure(store: Store, name: str, make: Callable[[], dict], tmp: pytest.TempPathFactory) -> Store:
    """Load data set `name` unless it is what the graph holds already."""
    if _LOADED.get("name") != name or _LOADED.get("marker") != _marker(store):
        loaded_store(store, tmp.mktemp(name), make())
        _LOADED.update(name=name, marker=_marker(store))
    return store


@pytest.fixture
def flow_store(session_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Store:
    return _ensure(session_store, "flow", _flow, tmp_path_factory)


@pytest.fixture
def group_store(session_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Store:
    return _ensure(session_store, "groups", _groups, tmp_path_factory)


# --- state flow ------------------------------------------------------------------

def test_state_flow_edges_and_nodes(flow_store: Store) -> None:
    G = networks.state_flow(flow_store)
    assert G.number_of_nodes() == 40  # every state of seed_data/states.csv
    assert G.nodes["AT"]["name"] == "Austria" and G.nodes["AT"]["lat"] is not None
    assert {(a, b): d["movements"] for a, b, d in G.edges(data=True)} == {
        ("RO", "AT"): 3, ("AT", "DE"): 2, ("AT", "FR"): 1, ("DE", "FR"): 5}


def test_state_flow_gap_attributes(flow_store: Store) -> None:
    G = networks.state_flow(flow_store)
    got = {(a, b): (d["counted"], d["gaps"], d["gap_rate"]) for a, b, d in G.edges(data=True)}
    assert got == {("RO", "AT"): (1, 0, 0.0),     # N1 notified in AT after 9 days
                   ("AT", "DE"): (1, 1, 1.0),     # N1 unnotified
                   ("DE", "FR"): (1, 1, 1.0),
                   ("AT", "FR"): (0, 0, None)}    # N3 has no conviction: nothing counted
    # as of 2021-03-20 the DE>FR arrival of N1 (03-01) is still within its window
    G = networks.state_flow(flow_store, as_of="2021-03-20")
    assert (G["DE"]["FR"]["counted"], G["DE"]["FR"]["pending"], G["DE"]["FR"]["gap_rate"]) == (1, 1, None)


def test_state_flow_period(flow_store: Store) -> None:
    G = networks.state_flow(flow_store, date_from="2021-03-01", date_to="2021-04-01")
    assert {(a, b): d["movements"] for a, b, d in G.edges(data=True)} == {
        ("AT", "FR"): 1, ("DE", "FR"): 3}  # F03, F06, F09


def test_state_flow_table_known_answer(flow_store: Store) -> None:
    G = networks.state_flow(flow_store)
    table = networks.state_flow_table(G)
    assert table.columns.tolist() == networks.STATE_FLOW_COLUMNS
    assert table["state"].tolist() == sorted(G.nodes)
    rows = {r.state: (r.in_movements, r.out_movements, r.in_strength, r.out_strength)
            for r in table.itertuples() if r.state in ("RO", "AT", "DE", "FR")}
    assert rows == {"RO": (0, 3, 0, 1), "AT": (3, 3, 1, 2), "DE": (2, 5, 1, 1), "FR": (6, 0, 2, 0)}
    # shortest routes through another state: RO->DE via AT; RO->FR via AT and DE; AT->FR via DE
    n = G.number_of_nodes()
    unit = 1 / ((n - 1) * (n - 2))
    between = dict(zip(table["state"], table["betweenness"]))
    assert between["AT"] == pytest.approx(2 * unit)
    assert between["DE"] == pytest.approx(2 * unit)  # 0 if movements were ignored: AT->FR has a direct edge
    assert sum(between.values()) == pytest.approx(4 * unit)


def test_state_flow_table_empty_graph() -> None:
    assert networks.state_flow_table(nx.DiGraph()).columns.tolist() == networks.STATE_FLOW_COLUMNS


# --- co-offenders -----------------------------------------------------------------

def test_co_offender_graph(group_store: Store) -> None:
    G = networks.co_offenders(group_store)
    assert sorted(G.nodes) == ["G1", "G2", "G3", "G4", "G5", "G6", "H1", "H2"]  # G7 alone, G8 no case
    assert G.nodes["G3"] == {"nationality": "BG", "risk_level": "very_high"}
    assert {tuple(sorted((a, b))): d["cases"] for a, b, d in G.edges(data=True)} == {
        ("G1", "G2"): ["K1"], ("G1", "G3"): ["K1"], ("G2", "G3"): ["K1"], ("G3", "G4"): ["K2"],
        ("G5", "G6"): ["K3", "K4"], ("H1", "H2"): ["K5"]}
    assert G["G5"]["G6"]["weight"] == 2


def test_co_offender_table_communities_degree_betweenness(group_store: Store) -> None:
    table = networks.co_offender_table(networks.co_offenders(group_store), seed=1)
    assert table.columns.tolist() == networks.CO_OFFENDER_COLUMNS
    # communities by size, then smallest member: {G1..G4} (4), {G5, G6} (2, "G5" < "H1"), {H1, H2}
    # betweenness over the whole network: G3 is on the routes G1-G4 and G2-G4: 2 of the 7*6/2 pairs -> 2/21
    assert [tuple(r) for r in table.itertuples(index=False)] == [
        ("G1", 1, 2, 0.0), ("G2", 1, 2, 0.0), ("G3", 1, 3, pytest.approx(2 / 21)), ("G4", 1, 1, 0.0),
        ("G5", 2, 1, 0.0), ("G6", 2, 1, 0.0), ("H1", 3, 1, 0.0), ("H2", 3, 1, 0.0)]
    again = networks.co_offender_table(networks.co_offenders(group_store), seed=1)
    pd.testing.assert_frame_equal(table, again)


def test_co_offender_table_empty_graph() -> None:
    assert networks.co_offender_table(nx.Graph()).columns.tolist() == networks.CO_OFFENDER_COLUMNS


# --- mobile groups --------------------------------------------------------------------

@pytest.mark.parametrize("days, expected", [
    (30, [(1, "K1", "DE", "G1;G2", "2021-05-01", "2021-05-31"),     # exactly 30 days apart: in
          (2, "K2", "DE", "G3;G4", "2021-07-01", "2021-07-02"),     # G3 is 31 days after G2: not with K1
          (3, "K3", "FR", "G5;G6", "2021-03-01", "2021-03-02"),
          (4, "K4", "FR", "G5;G6", "2021-03-01", "2021-03-02")]),  # one group per shared case
    (31, [(1, "K1", "DE", "G1;G2;G3", "2021-05-01", "2021-07-01"),  # chained: G1-G2 30 days, G2-G3 31
          (2, "K2", "DE", "G3;G4", "2021-07-01", "2021-07-02"),
          (3, "K3", "FR", "G5;G6", "2021-03-01", "2021-03-02"),
          (4, "K4", "FR", "G5;G6", "2021-03-01", "2021-03-02")]),
    (1, [(1, "K2", "DE", "G3;G4", "2021-07-01", "2021-07-02"),
         (2, "K3", "FR", "G5;G6", "2021-03-01", "2021-03-02"),
         (3, "K4", "FR", "G5;G6", "2021-03-01", "2021-03-02")]),
    (0, []),
])
def test_mobile_groups(group_store: Store, days: int, expected: list) -> None:
    got = networks.mobile_groups(group_store, days=days)
    assert got.columns.tolist() == networks.MOBILE_GROUP_COLUMNS
    assert [tuple(r) for r in got.itertuples(index=False)] == expected


def test_mobile_groups_rejects_negative_days(group_store: Store) -> None:
    with pytest.raises(SomecGraphError, match="days"):
        networks.mobile_groups(group_store, days=-1)


# --- ego network ---------------------------------------------------------------------

def test_ego_network_kinds_and_edges(group_store: Store) -> None:
    G = networks.ego_network(group_store, "G3")
    assert isinstance(G, nx.MultiDiGraph)
    kinds = dict(G.nodes(data="kind"))
    assert set(kinds.values()) == set(networks.EGO_KINDS)
    assert kinds["offender:G3"] == "offender"
    assert sorted(n for n, k in kinds.items() if k == "co_defendant") == ["offender:G1", "offender:G2",
                                                                          "offender:G4"]
    assert sorted(n for n, k in kinds.items() if k == "conviction") == ["conviction:C-G3-K1", "conviction:C-G3-K2"]
    assert sorted(n for n, k in kinds.items() if k == "agency") == ["agency:DE-CRA", "agency:RO-CRA"]
    assert sorted(n for n, k in kinds.items() if k == "state") == ["state:BG", "state:DE", "state:RO"]
    for _, data in G.nodes(data=True):
        assert data["label"] and data["facts"]
    assert G.nodes["offender:G3"]["facts"]["offender_id"] == "G3"
    assert G.nodes["state:DE"]["facts"] == {"code": "DE", "name": "Germany"}
    # RO>DE on 07-01; the conviction notice reached DE on 07-10: notified, 9 days
    moves = [(a, b, d) for a, b, d in G.edges(data=True) if d["kind"] == "movement"]
    assert [(a, b, d["status"], d["lag_days"]) for a, b, d in moves] == [("state:RO", "state:DE", "notified", 9)]
    assert all(d["status"] is None for _, _, d in G.edges(data=True) if d["kind"] != "movement")
    edge_kinds = {d["kind"] for _, _, d in G.edges(data=True)}
    assert edge_kinds == {"nationality", "convicted", "convicted_in", "movement", "sent", "received", "about",
                          "concerns", "located_in", "co_defendant"}
    assert G.has_edge("exchange:X-G3", "conviction:C-G3-K1")
    assert G.has_edge("conviction:C-G3-K2", "offender:G4")


def test_ego_network_as_of_hides_later_events(group_store: Store) -> None:
    G = networks.ego_network(group_store, "G3", as_of="2021-07-05")
    kinds = {k for _, k in G.nodes(data="kind")}
    assert "exchange" not in kinds and "agency" not in kinds
    moves = [d for _, _, d in G.edges(data=True) if d["kind"] == "movement"]
    assert [d["status"] for d in moves] == ["pending"]


def test_ego_network_of_lone_offender_and_unknown(group_store: Store) -> None:
    G = networks.ego_network(group_store, "G8")
    assert dict(G.nodes(data="kind")) == {"offender:G8": "offender", "state:RO": "state"}
    with pytest.raises(SomecGraphError, match="No offender"):
        networks.ego_network(group_store, "NOPE")


# --- the structure planted in the seed data (somec_graph.synth.planted) -------------

def _nmi(a: list, b: list) -> float:
    """Normalised mutual information of two labellings (arithmetic mean of the entropies)."""
    n = len(a)
    ca, cb, cab = Counter(a), Counter(b), Counter(zip(a, b))

    def entropy(counts: Counter) -> float:
        return -sum(v / n * math.log(v / n) for v in counts.values())

    mutual = sum(v / n * math.log(v * n / (ca[x] * cb[y])) for (x, y), v in cab.items())
    h = entropy(ca) + entropy(cb)
    return 2 * mutual / h if h else 1.0


def test_nmi_known_answers() -> None:
    assert _nmi([1, 1, 2, 2], ["a", "a", "b", "b"]) == pytest.approx(1.0)  # same partition, other names
    assert _nmi([1, 1, 2, 2], [1, 2, 1, 2]) == pytest.approx(0.0)          # independent
    assert 0 < _nmi([1, 1, 1, 2, 2, 2], [1, 1, 2, 2, 3, 3]) < 1


def test_planted_brokers_and_crews_in_a_hand_made_network() -> None:
    # three cliques of 5; B1 ties the first two together, B2 the second and the third
    crews = [[f"C{c}-{i}" for i in range(5)] for c in range(3)]
    G = nx.Graph()
    for crew in crews:
        G.add_edges_from((a, b) for i, a in enumerate(crew) for b in crew[i + 1:])
    G.add_edges_from(("B1", m) for m in crews[0][:2] + crews[1][:2])
    G.add_edges_from(("B2", m) for m in crews[1][2:4] + crews[2][:2])
    table = networks.co_offender_table(G, seed=1)
    truth = {m: c for c, crew in enumerate(crews) for m in crew} | {"B1": 0, "B2": 2}
    assert _nmi([truth[o] for o in table["offender_id"]], table["community"].tolist()) >= 0.8
    top = table.sort_values("betweenness", ascending=False)["offender_id"].head(2)
    assert set(top) == {"B1", "B2"}


def test_seed_data_networks_recover_the_planted_structure(seeded: Store) -> None:
    p = planted(2000, seed=1)
    G = networks.co_offenders(seeded)
    table = networks.co_offender_table(G, seed=1)
    crew_of = {m: i for i, crew in enumerate(p.crews) for m in crew.members}
    truth = {**crew_of, **{b: f"broker {b}" for b in p.brokers}}
    assert set(table["offender_id"]) == set(truth)  # the co-offender network is exactly the crews and brokers
    # communities are crews, not cases (each crew offended in several cases)
    assert _nmi([truth[o] for o in table["offender_id"]], table["community"].tolist()) >= 0.8
    assert table["community"].nunique() < len({c for _, _, d in G.edges(data=True) for c in d["cases"]})
    # the brokers, and only they, have the top betweenness
    top = table.sort_values("betweenness", ascending=False)["offender_id"].head(len(p.brokers))
    assert p.brokers and set(top) == set(p.brokers)
    # every itinerant crew shows up as mobile groups along its route; nearly all groups are theirs
    groups = networks.mobile_groups(seeded, days=30)
    itinerant = {m for c in p.crews if c.itinerant for m in c.members}
    for crew in (c for c in p.crews if c.itinerant):
        route, members = set(crew.states), set(crew.members)
        found = groups[[set(ms.split(";")) <= members for ms in groups["members"]]]
        assert len(set(found["state"]) & route) >= len(route) - 1, crew
    theirs = groups["members"].map(lambda ms: set(ms.split(";")) <= itinerant)
    assert theirs.mean() >= 0.8
