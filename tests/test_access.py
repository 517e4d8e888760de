"""Roles and jurisdiction scoping, enforced where the data is read.

An analyst for LV/NL sees an offender only when one of the offender's
convictions, movements or exchanges involves LV or NL; a supervisor sees
aggregates and never an offender id.
"""

from __future__ import annotations

import pytest
from fixtures import loaded_store

from somec_graph.analysis import gaps, networks, paths
from somec_graph.errors import AccessDenied, SomecGraphError
from somec_graph.roles import User
from somec_graph.store import Store, cypher

ANALYST = User("ana", "analyst", ("LV", "NL"))
SUPERVISOR = User("sup", "supervisor")
AGENCIES = [{"agency_id": f"{s}-POL", "name": f"{s} police", "state": s, "kind": "police"}
            for s in ("LV", "DE", "RO", "IT", "PL", "NL", "FR")]


@pytest.fixture(scope="module")
def scoped(session_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Store:
    return loaded_store(session_store, tmp_path_factory.mktemp("access"), {
        "agencies": AGENCIES,
        "offenders": [{"offender_id": o, "nationality": n, "risk_level": "high"}
                      for o, n in (("P1", "LV"), ("P2", "RO"), ("P3", "PL"), ("P4", "FR"))],
        "convictions": [
            {"conviction_id": "C1", "offender_id": "P1", "state": "LV", "offence_code": "1001",
             "conviction_date": "2020-01-01", "case_id": "K1"},
            {"conviction_id": "C2", "offender_id": "P2", "state": "RO", "offence_code": "1001",
             "conviction_date": "2020-01-01", "case_id": "K1"},
            {"conviction_id": "C3", "offender_id": "P3", "state": "PL", "offence_code": "0801",
             "conviction_date": "2020-01-01"},
            {"conviction_id": "C4", "offender_id": "P4", "state": "FR", "offence_code": "0801",
             "conviction_date": "2020-01-01"},
        ],
        "movements": [
            {"movement_id": "M1", "offender_id": "P1", "from_state": "LV", "to_state": "DE", "arrival_date": "2020-05-01"},
            {"movement_id": "M2", "offender_id": "P2", "from_state": "RO", "to_state": "IT", "arrival_date": "2020-05-01"},
            {"movement_id": "M3", "offender_id": "P3", "from_state": "PL", "to_state": "DE", "arrival_date": "2020-05-01"},
            {"movement_id": "M4", "offender_id": "P4", "from_state": "FR", "to_state": "IT", "arrival_date": "2020-05-01"},
        ],
        "exchanges": [  # P3 is in scope only through this exchange received in NL
            {"exchange_id": "X1", "mechanism": "SIENA", "sender": "PL-POL", "recipient": "NL-POL",
             "offender_id": "P3", "kind": "alert", "sent_date": "2020-06-01"},
        ],
    })


def test_admin_sees_everyone(scoped: Store) -> None:
    assert gaps.arrivals(scoped)["offender_id"].tolist() == ["P1", "P2", "P3", "P4"]


def test_analyst_sees_only_offenders_involving_their_states(scoped: Store) -> None:
    store = scoped.as_user(ANALYST)
    assert gaps.arrivals(store)["offender_id"].tolist() == ["P1", "P3"]
    assert gaps.ecris(store)["offender_id"].tolist() == []  # all convicted at home
    assert paths.journey(store, "P3")["movement_id"].tolist() == ["M3"]
    with pytest.raises(SomecGraphError):  # out of scope looks exactly like unknown
        paths.journey(store, "P2")
    assert set(networks.co_offenders(store).nodes) <= {"P1"}  # P2, its co-defendant, is out of scope
    rows = store.run_named(cypher.named_query("offender_list"), {})
    assert [r["offender_id"] for r in rows] == ["P1", "P3"]
    assert store.run_named(cypher.named_query("offender_convictions"), {"offender_id": "P2"}) == []


def test_analyst_aggregates_are_not_scoped(scoped: Store) -> None:
    assert int(gaps.matrix(scoped.as_user(ANALYST))["movements"].sum()) == 4


@pytest.mark.parametrize("call", [
    lambda s: gaps.arrivals(s), lambda s: gaps.ecris(s), lambda s: gaps.supervision(s),
    lambda s: paths.journey(s, "P1"), lambda s: networks.co_offenders(s),
    lambda s: networks.mobile_groups(s), lambda s: networks.ego_network(s, "P1"),
    lambda s: s.run_named(cypher.named_query("offender_list"), {}),
])
def test_supervisor_never_gets_offender_rows(scoped: Store, call) -> None:
    with pytest.raises(AccessDenied):
        call(scoped.as_user(SUPERVISOR))


def test_supervisor_gets_aggregates(scoped: Store) -> None:
    store = scoped.as_user(SUPERVISOR)
    assert int(gaps.matrix(store)["movements"].sum()) == 4
    assert gaps.overview(store)["arrivals"] == 4
    assert store.run_named(cypher.named_query("top_corridors"), {})


def test_a_parameter_cannot_widen_the_scope(scoped: Store) -> None:
    store = scoped.as_user(ANALYST)
    # the store's own $scope wins over anything passed in
    rows = store.run("queries/offender_list", {"prefix": None, "limit": 10, "scope": None})
    assert [r["offender_id"] for r in rows] == ["P1", "P3"]


@pytest.mark.parametrize("statement", list(cypher.named_queries().values()), ids=lambda s: s.name)
def test_offender_level_queries_filter_on_scope(statement: cypher.Statement) -> None:
    if statement.access == "offenders":
        assert "$scope" in statement.text, f"{statement.name} returns offender rows but ignores $scope"
    else:
        assert not {"offender_id", "co_defendant_id"} & set(statement.returns), statement.name
