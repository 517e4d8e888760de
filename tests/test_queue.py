"""SPEC §8 to the letter: the work queue of a receiving state, and the cases
analysts record on it. Expected rows are worked out by hand below (receiving
state DE, window 30, as-of 2021-12-31: the latest event, request X-01r).
Convictions are 1001 (sexual, qualifying) unless marked 0801 (violent) or
1701 (other, not qualifying)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures import convictions, frame_rows, load_tables, loaded_store, run_cli
from fixtures import movements as movement_rows
from fixtures import offenders as offender_rows

from somec_graph import audit
from somec_graph.access.users import User
from somec_graph.analysis import gaps
from somec_graph.errors import AccessDenied, SomecGraphError
from somec_graph.store import Store
from somec_graph.workqueue import cases, queue

AS_OF = "2021-12-31"
AGENCIES = [{"agency_id": f"{s}-POL", "name": f"{s} police", "state": s, "kind": "police"}
            for s in ("DE", "FR", "PL", "RO", "NL", "IT")]
# offender: (nationality, risk_level)
OFFENDERS = {"O-Q01": ("RO", "very_high"), "O-Q02": ("PL", "high"), "O-Q03": ("DE", "medium"),
             "O-Q04": ("RO", "high"), "O-Q05": ("RO", "high"), "O-Q06": ("RO", "high"), "O-Q07": ("RO", "high"),
             "O-Q08": ("RO", "high"), "O-Q09": ("RO", "low"), "O-Q10": ("RO", "low"),
             "O-Q11": ("RO", "very_high"), "O-Q12": ("PL", "very_high")}
# conviction: (offender, state, offence, date, supervision_end)
CONVICTIONS = {
    "C-01": ("O-Q01", "RO", "1001", "2021-01-01", ""),
    "C-02a": ("O-Q02", "FR", "1001", "2021-01-01", "2022-06-01"),  # ties C-02b on the end: smallest id wins
    "C-02b": ("O-Q02", "IT", "0801", "2021-02-01", "2022-06-01"),  # sets lq: conviction_state IT
    "C-02c": ("O-Q02", "NL", "1701", "2021-01-15", "2022-03-01"),  # ends earlier
    "C-02d": ("O-Q02", "DE", "1701", "2020-06-01", "2023-01-01"),  # supervised in DE itself: not a transfer
    "C-03a": ("O-Q03", "PL", "0801", "2020-05-01", ""),
    "C-03b": ("O-Q03", "FR", "1001", "2021-01-01", ""),
    "C-04": ("O-Q04", "RO", "1001", "2021-01-01", ""),
    "C-05": ("O-Q05", "RO", "1001", "2021-01-01", ""),
    "C-06": ("O-Q06", "RO", "1001", "2021-01-01", ""),
    "C-07": ("O-Q07", "RO", "1001", "2021-01-01", ""),
    "C-08": ("O-Q08", "RO", "1001", "2021-01-01", ""),
    "C-09": ("O-Q09", "RO", "1701", "2021-01-01", ""),             # nothing qualifying: not counted
    "C-10": ("O-Q10", "RO", "1001", "2021-01-01", ""),
    "C-11": ("O-Q11", "RO", "1001", "2021-01-01", ""),
    "C-12": ("O-Q12", "RO", "1001", "2021-01-01", "2021-12-31"),   # supervision ends on as-of: not after it
}
# movement: (offender, from, to, arrival)
MOVEMENTS = {
    "M-01": ("O-Q01", "RO", "DE", "2021-03-01"),
    "M-02": ("O-Q02", "FR", "DE", "2021-03-01"),
    "M-03": ("O-Q03", "FR", "DE", "2021-06-01"),
    "M-04": ("O-Q04", "RO", "DE", "2021-12-15"),   # window still open: pending
    "M-05a": ("O-Q05", "RO", "DE", "2021-03-01"),  # moved on to FR
    "M-05b": ("O-Q05", "DE", "FR", "2021-06-01"),
    "M-06a": ("O-Q06", "RO", "FR", "2021-04-01"),  # same day: the larger movement_id is the latest
    "M-06b": ("O-Q06", "FR", "DE", "2021-04-01"),
    "M-07a": ("O-Q07", "RO", "DE", "2021-04-01"),
    "M-07b": ("O-Q07", "DE", "FR", "2021-04-01"),
    "M-08": ("O-Q08", "RO", "DE", "2021-03-01"),   # DE was notified
    "M-09": ("O-Q09", "RO", "DE", "2021-03-01"),
    "M-10": ("O-Q10", "RO", "DE", "2021-02-01"),
    "M-11": ("O-Q11", "RO", "DE", "2021-02-01"),
    "M-12": ("O-Q12", "RO", "DE", "2021-03-01"),
}
EXCHANGES = [
    {"exchange_id": "X-01", "mechanism": "SWEDISH", "sender": "DE-POL", "recipient": "RO-POL", "offender_id": "O-Q01",
     "kind": "request", "sent_date": "2021-03-05"},                                       # informs nobody
    {"exchange_id": "X-01r", "mechanism": "SWEDISH", "sender": "DE-POL", "recipient": "RO-POL",
     "offender_id": "O-Q01", "kind": "request", "sent_date": "2021-12-31"},
    {"exchange_id": "X-08", "mechanism": "SIS", "sender": "RO-POL", "recipient": "DE-POL", "offender_id": "O-Q08",
     "kind": "alert", "sent_date": "2021-03-05"},
]

# DE's queue, by hand: risk very_high first, then arrival date, then movement_id.
EXPECTED = [
    ("M-11", "O-Q11", "very_high", "RO", "DE", "2021-02-01", 333, "RO", "unnotified", "ecris_request", "RO", "open"),
    ("M-01", "O-Q01", "very_high", "RO", "DE", "2021-03-01", 305, "RO", "unnotified", "ecris_request", "RO", "open"),
    ("M-12", "O-Q12", "very_high", "RO", "DE", "2021-03-01", 305, "RO", "unnotified", "ecris_request", "PL", "open"),
    ("M-02", "O-Q02", "high", "FR", "DE", "2021-03-01", 305, "IT", "unnotified", "fd947_transfer", "FR", "open"),
    ("M-06b", "O-Q06", "high", "FR", "DE", "2021-04-01", 274, "RO", "unnotified", "ecris_request", "RO", "open"),
    ("M-04", "O-Q04", "high", "RO", "DE", "2021-12-15", 16, "RO", "pending", "ecris_request", "RO", "open"),
    ("M-03", "O-Q03", "medium", "FR", "DE", "2021-06-01", 213, "FR", "unnotified", "ecris_request", "FR", "open"),
    ("M-10", "O-Q10", "low", "RO", "DE", "2021-02-01", 333, "RO", "unnotified", "ecris_request", "RO", "open"),
]
ANALYST_DE = User("ana", "analyst", ("DE",))
ANALYST_FR = User("fra", "analyst", ("FR", "IT"))
SUPERVISOR = User("sup", "supervisor")


def _tables(movements: dict[str, tuple] = MOVEMENTS, offenders: dict[str, tuple] = OFFENDERS) -> dict:
    return {"agencies": AGENCIES, "offenders": offender_rows(offenders), "convictions": convictions(CONVICTIONS),
            "movements": movement_rows(movements), "exchanges": EXCHANGES}


def _load(store: Store, folder: Path, **changes: dict) -> None:
    load_tables(store, folder, _tables(**changes))


@pytest.fixture(scope="module")
def queue_store(session_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Store:
    return loaded_store(session_store, tmp_path_factory.mktemp("queue"), _tables())


@pytest.fixture
def no_cases(queue_store: Store) -> Store:
    queue_store.run_text("MATCH (k:Case) DETACH DELETE k", write=True)
    return queue_store


def test_queue_exact_rows(no_cases: Store) -> None:
    got = queue.queue(no_cases, "DE", window_days=30, as_of=AS_OF)
    assert got.columns.tolist() == queue.QUEUE_COLUMNS
    assert frame_rows(got) == EXPECTED
    assert frame_rows(queue.queue(no_cases, "de")) == EXPECTED  # default as-of; codes as typed


@pytest.mark.parametrize("as_of, window, movement, expected", [
    ("2021-05-01", 30, "M-05a", ("unnotified", 61)),   # before O-Q05 moved on to FR: still in DE
    ("2021-03-30", 30, "M-01", ("pending", 29)),       # 03-01 + 30 > as-of
    ("2021-03-31", 30, "M-01", ("unnotified", 30)),
    ("2021-12-31", 400, "M-10", ("pending", 333)),
])
def test_as_of_and_window(no_cases: Store, as_of: str, window: int, movement: str, expected: tuple) -> None:
    got = queue.queue(no_cases, "DE", window_days=window, as_of=as_of).set_index("movement_id")
    assert (got.loc[movement, "status"], got.loc[movement, "days_since_arrival"]) == expected


def test_supervision_ending_on_as_of_is_not_running(no_cases: Store) -> None:
    got = queue.queue(no_cases, "DE", as_of="2021-12-30").set_index("movement_id")
    assert tuple(got.loc["M-12", ["action", "via"]]) == ("fd947_transfer", "RO")  # ends after this as-of
    got = queue.queue(no_cases, "DE", as_of=AS_OF).set_index("movement_id")
    assert tuple(got.loc["M-12", ["action", "via"]]) == ("ecris_request", "PL")


def test_rows_left_out(no_cases: Store) -> None:
    ids = set(queue.queue(no_cases, "DE")["movement_id"])
    # moved on; lost the tie on the date; notified; not counted
    assert ids.isdisjoint({"M-05a", "M-07a", "M-08", "M-09"})
    assert queue.queue(no_cases, "FR")["movement_id"].tolist() == ["M-07b", "M-05b"]


def test_cases_set_case_status(no_cases: Store) -> None:
    cases.record_case(no_cases, "M-01", "requested", mechanism="ECRIS", requested_date="2022-01-03")
    cases.record_case(no_cases, "M-04", "requested", mechanism="SIS", note="asked RO")
    cases.record_case(no_cases, "M-04", "closed", reason="informed_offline", note="phoned")
    got = queue.queue(no_cases, "DE").set_index("movement_id")["case_status"]
    assert (got["M-01"], got["M-04"], got["M-10"]) == ("requested", "closed", "open")
    latest = cases.latest_cases(no_cases, ["M-04", "M-01", "M-10"])
    assert latest["movement_id"].tolist() == ["M-01", "M-04"]
    first, second = latest.to_dict("records")
    assert (first["mechanism"], first["requested_date"], first["reason"]) == ("ECRIS", "2022-01-03", None)
    assert (second["status"], second["reason"], second["note"], second["recorded_by"]) == \
        ("closed", "informed_offline", "phoned", "local")


def test_counts_for_supervisors(no_cases: Store) -> None:
    cases.record_case(no_cases, "M-01", "requested", mechanism="ECRIS")
    cases.record_case(no_cases, "M-03", "closed", reason="left_state")
    got = queue.counts(no_cases.as_user(SUPERVISOR))
    assert frame_rows(got) == [("DE", 8, 6, 1, 1), ("FR", 2, 2, 0, 0)]


def test_cases_never_change_a_gap_answer(no_cases: Store) -> None:
    before = [f(no_cases) for f in (gaps.arrivals, gaps.matrix, gaps.ecris, gaps.supervision)]
    for movement in ("M-01", "M-02", "M-08"):
        cases.record_case(no_cases, movement, "requested", mechanism="ECRIS")
    after = [f(no_cases) for f in (gaps.arrivals, gaps.matrix, gaps.ecris, gaps.supervision)]
    assert all(a.equals(b) for a, b in zip(before, after))
    assert gaps.resolve_as_of(no_cases, None) == gaps.resolve_as_of(no_cases, AS_OF)


def test_audit_holds_the_keyed_hash_not_the_offender(no_cases: Store) -> None:
    data_dir = no_cases.settings.data_dir
    cases.record_case(no_cases.as_user(ANALYST_DE), "M-02", "requested", mechanism="FD947",
                      note="O-Q02 is known to us")
    entry = audit.show(data_dir).iloc[-1]
    assert (entry["user"], entry["action"]) == ("ana", "case")
    params = json.loads(entry["params"])
    assert params["offender"] == audit.offender_key(data_dir, "O-Q02") and params["movement_id"] == "M-02"
    assert params["note_chars"] == len("O-Q02 is known to us")
    assert "O-Q02" not in audit.log_path(data_dir).read_text()
    assert (data_dir / audit.KEY_FILE).stat().st_mode & 0o777 == 0o600


def test_analysts_write_cases_only_into_their_states(no_cases: Store) -> None:
    assert cases.record_case(no_cases.as_user(ANALYST_DE), "M-10", "closed", reason="not_applicable")["status"] == \
        "closed"
    with pytest.raises(AccessDenied, match=r"^Movement 'M-10' arrives outside your states \(FR, IT\)"):
        cases.record_case(no_cases.as_user(ANALYST_FR), "M-10", "requested", mechanism="ECRIS")
    with pytest.raises(AccessDenied, match="supervisor role sees aggregates only"):
        cases.record_case(no_cases.as_user(SUPERVISOR), "M-10", "requested", mechanism="ECRIS")
    assert no_cases.run_text("MATCH (k:Case) RETURN count(k) AS n")[0]["n"] == 1
    assert cases.record_case(no_cases.as_user(ANALYST_FR), "M-05b", "requested", mechanism="SIS")


def test_queue_scope(no_cases: Store) -> None:
    assert frame_rows(queue.queue(no_cases.as_user(ANALYST_DE), "DE")) == EXPECTED
    with pytest.raises(AccessDenied, match=r"^The work queue of DE is outside your states \(FR, IT\)"):
        queue.queue(no_cases.as_user(ANALYST_FR), "DE")
    with pytest.raises(AccessDenied, match="supervisor role sees aggregates only"):
        queue.queue(no_cases.as_user(SUPERVISOR), "DE")
    # the statement itself returns nothing outside the jurisdiction, whoever calls it
    assert no_cases.as_user(ANALYST_FR).run("queue/rows", {"state": "DE", "as_of": 20000}) == []
    with pytest.raises(AccessDenied):
        cases.latest_cases(no_cases.as_user(SUPERVISOR), ["M-01"])


@pytest.mark.parametrize("status, kwargs, message", [
    ("pending", {}, "A case's status must be requested or closed"),
    ("requested", {}, "A requested case names the mechanism used, one of BILATERAL, EAW, ECRIS,"),
    ("requested", {"mechanism": "FAX"}, "names the mechanism used"),
    ("requested", {"mechanism": "ECRIS", "reason": "left_state"}, "and no closing reason"),
    ("requested", {"mechanism": "ECRIS", "requested_date": "3/1/2022"}, "is not a date in the form YYYY-MM-DD"),
    ("closed", {}, "A closed case gives its reason, one of informed_offline, left_state, not_applicable"),
    ("closed", {"reason": "left_state", "mechanism": "ECRIS"}, "and no mechanism or request date"),
    ("closed", {"reason": "left_state", "note": "x" * 2001}, "at most 2000 characters"),
])
def test_bad_cases_are_refused(no_cases: Store, status: str, kwargs: dict, message: str) -> None:
    with pytest.raises(SomecGraphError, match=message):
        cases.record_case(no_cases, "M-01", status, **kwargs)
    assert no_cases.run_text("MATCH (k:Case) RETURN count(k) AS n")[0]["n"] == 0


def test_unknown_movement_and_state(no_cases: Store) -> None:
    with pytest.raises(SomecGraphError, match="No movement 'M-99' in the graph"):
        cases.record_case(no_cases, "M-99", "closed", reason="left_state")
    with pytest.raises(SomecGraphError, match="'Germany' is not a state code"):
        queue.queue(no_cases, "Germany")
    with pytest.raises(SomecGraphError, match="ZZ is not a state of the loaded data"):
        queue.queue(no_cases, "zz")


def test_cli_queue(no_cases: Store) -> None:
    cases.record_case(no_cases, "M-10", "requested", mechanism="ECRIS")
    result = run_cli("queue", "--state", "DE", "--format", "csv")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == ",".join(queue.QUEUE_COLUMNS)
    assert lines[1:] == [",".join(map(str, r[:-1])) + "," + ("requested" if r[0] == "M-10" else r[-1])
                         for r in EXPECTED]
    rows = json.loads(run_cli("queue", "--state", "DE", "--format", "json", "--as-of", AS_OF).stdout)
    assert rows[5] == dict(zip(queue.QUEUE_COLUMNS, EXPECTED[5]))
    assert "O-Q04" not in audit.log_path(no_cases.settings.data_dir).read_text()
    result = run_cli("queue")
    assert result.returncode != 0 and "--state" in result.stderr


def test_cases_survive_reloads(no_cases: Store, tmp_path: Path) -> None:
    cases.record_case(no_cases, "M-01", "requested", mechanism="ECRIS")
    cases.record_case(no_cases, "M-03", "closed", reason="left_state")
    _load(no_cases, tmp_path / "same")  # the same rows: nothing is written
    moved = {**MOVEMENTS, "M-01": ("O-Q01", "RO", "DE", "2021-03-02")}
    riskier = {**OFFENDERS, "O-Q03": ("DE", "high")}
    try:
        _load(no_cases, tmp_path / "changed", movements=moved, offenders=riskier)  # changed rows are merged again
        got = queue.queue(no_cases, "DE").set_index("movement_id")
        assert (got.loc["M-01", "arrival_date"], got.loc["M-01", "case_status"]) == ("2021-03-02", "requested")
        assert (got.loc["M-03", "risk_level"], got.loc["M-03", "case_status"]) == ("high", "closed")
        assert no_cases.run_text("MATCH (k:Case)-[:ON]->(:Movement) RETURN count(k) AS n")[0]["n"] == 2
    finally:
        _load(no_cases, tmp_path / "restored")
    assert frame_rows(queue.queue(no_cases, "DE"))[1][-1] == "requested"


def test_exports_with_cases(no_cases: Store, tmp_path: Path) -> None:
    from somec_graph import export

    cases.record_case(no_cases, "M-01", "requested", mechanism="ECRIS")
    graph = export.export_graph(no_cases, tmp_path / "g.graphml", fmt="graphml")  # cases stay out
    nodes = no_cases.run_text("MATCH (n) WHERE NOT n:Case AND NOT n:Meta RETURN count(n) AS n")[0]["n"]
    assert graph["nodes"] == nodes
    full = export.export_neo4j_import(no_cases, tmp_path / "import")  # the complete graph keeps them
    assert full["nodes"] == nodes + 2  # the case and the Meta node
    assert (tmp_path / "import" / "Case-ON-Movement.csv").read_text().count("M-01") == 1
