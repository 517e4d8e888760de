"""Journeys and corridors (SPEC §5) on a hand-made data set, answers worked out by hand.

Journeys (movements listed out of order in the CSV on purpose):
    P1  RO>IT 2021-01-01, IT>ES 2021-03-01, ES>DE 2021-03-11   qualifying conviction RO 2020-01-01
        alert to IT received 2021-01-21 -> RO>IT notified, lag 20; ES and DE never told
    P2  PL>DE 2021-02-01, DE>PL 2021-02-11                     no qualifying conviction: not counted
    P3  RO>IT, IT>RO, RO>IT, IT>RO, RO>IT, IT>ES  monthly from 2020-01-01 (repeats: counted once)
    P4  RO>IT 2022-01-01, IT>ES 2022-02-01, ES>DE 2022-03-01
    P5  no movements
The latest event, and so the default as-of, is 2022-03-01.
"""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from fixtures import frame_rows, loaded_store, movements, run_cli

from somec_graph.analysis import paths
from somec_graph.errors import SomecGraphError
from somec_graph.output import render
from somec_graph.store import Store

AGENCIES = [{"agency_id": f"{s}-POL", "name": f"{s} Police", "state": s, "kind": "police"} for s in ("RO", "IT")]
OFFENDERS = [{"offender_id": o, "nationality": n, "risk_level": "high"}
             for o, n in (("P1", "RO"), ("P2", "PL"), ("P3", "RO"), ("P4", "RO"), ("P5", "RO"))]
CONVICTIONS = [
    {"conviction_id": "C-P1", "offender_id": "P1", "state": "RO", "offence_code": "1001", "conviction_date": "2020-01-01"},
    {"conviction_id": "C-P2", "offender_id": "P2", "state": "PL", "offence_code": "1701", "conviction_date": "2020-01-01"},
]
P3_STATES = ["RO", "IT", "RO", "IT", "RO", "IT", "ES"]
MOVEMENTS = [
    ("M-P1-3", "P1", "ES", "DE", "2021-03-11"),
    ("M-P1-1", "P1", "RO", "IT", "2021-01-01"),
    ("M-P1-2", "P1", "IT", "ES", "2021-03-01"),
    ("M-P2-1", "P2", "PL", "DE", "2021-02-01"),
    ("M-P2-2", "P2", "DE", "PL", "2021-02-11"),
    *((f"M-P3-{i + 1}", "P3", P3_STATES[i], P3_STATES[i + 1], f"2020-{i + 1:02d}-01") for i in range(6)),
    ("M-P4-1", "P4", "RO", "IT", "2022-01-01"),
    ("M-P4-2", "P4", "IT", "ES", "2022-02-01"),
    ("M-P4-3", "P4", "ES", "DE", "2022-03-01"),
]
EXCHANGES = [{"exchange_id": "X-P1", "mechanism": "SIS", "sender": "RO-POL", "recipient": "IT-POL",
              "offender_id": "P1", "kind": "alert", "sent_date": "2021-01-20", "received_date": "2021-01-21"}]


def _tables() -> dict:
    return {"agencies": AGENCIES, "offenders": OFFENDERS, "convictions": CONVICTIONS,
            "movements": movements(MOVEMENTS), "exchanges": EXCHANGES}


@pytest.fixture(scope="module")
def path_store(session_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Store:
    return loaded_store(session_store, tmp_path_factory.mktemp("paths"), _tables())


# --- journey -------------------------------------------------------------------

def test_journey_in_arrival_order_with_days_stayed_and_status(path_store: Store) -> None:
    got = paths.journey(path_store, "P1")
    assert got.columns.tolist() == paths.JOURNEY_COLUMNS
    assert frame_rows(got) == [
        ("M-P1-1", "RO", "IT", "2021-01-01", 59, "notified", 20),
        ("M-P1-2", "IT", "ES", "2021-03-01", 10, "unnotified", None),
        ("M-P1-3", "ES", "DE", "2021-03-11", None, "unnotified", None),  # the last: no days stayed
    ]


def test_journey_window_and_as_of(path_store: Store) -> None:
    # window 10: the alert 20 days after arrival is late
    assert frame_rows(paths.journey(path_store, "P1", window_days=10))[0][5:] == ("late", 20)
    # as of 2021-03-05: the third arrival is not seen, the second becomes the last and is pending
    assert frame_rows(paths.journey(path_store, "P1", as_of="2021-03-05")) == [
        ("M-P1-1", "RO", "IT", "2021-01-01", 59, "notified", 20),
        ("M-P1-2", "IT", "ES", "2021-03-01", None, "pending", None),
    ]
    # before the alert arrived and the window closed: pending
    assert frame_rows(paths.journey(path_store, "P1", as_of="2021-01-15"))[0][5:] == ("pending", None)


def test_journey_of_offender_never_counted_has_empty_status(path_store: Store) -> None:
    assert frame_rows(paths.journey(path_store, "P2")) == [
        ("M-P2-1", "PL", "DE", "2021-02-01", 10, None, None),
        ("M-P2-2", "DE", "PL", "2021-02-11", None, None, None),
    ]


def test_journey_without_movements_and_unknown_offender(path_store: Store) -> None:
    empty = paths.journey(path_store, "P5")
    assert empty.empty and empty.columns.tolist() == paths.JOURNEY_COLUMNS
    with pytest.raises(SomecGraphError, match="No offender 'NOPE'"):
        paths.journey(path_store, "NOPE")
    with pytest.raises(SomecGraphError, match="window_days"):
        paths.journey(path_store, "P1", window_days=-1)


def test_journey_cli_csv(path_store: Store) -> None:
    result = run_cli("journey", "P1", "--format", "csv", "--window-days", "10")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ("movement_id,from_state,to_state,arrival_date,days_stayed,status,lag_days\n"
                             "M-P1-1,RO,IT,2021-01-01,59,late,20\n"
                             "M-P1-2,IT,ES,2021-03-01,10,unnotified,\n"
                             "M-P1-3,ES,DE,2021-03-11,,unnotified,\n")


@pytest.mark.parametrize("fmt", ["table", "json", "csv"])
def test_journey_cli_renders_as_the_frame_does(path_store: Store, fmt: str) -> None:
    """The CLI renders `journey_rows` without pandas; the output must be what rendering `journey` gives."""
    result = run_cli("journey", "P1", "--format", fmt, "--as-of", "2021-03-05")
    assert result.returncode == 0, result.stderr
    assert result.stdout == render(paths.journey(path_store, "P1", as_of="2021-03-05"), fmt)


def test_journey_cli_imports_neither_pandas_nor_numpy() -> None:
    """The command line's start-up is most of a `journey` call: the numeric packages (≈ 0.3 s) stay out."""
    probe = ("import sys, somec_graph.cli, somec_graph.analysis.paths, somec_graph.output; "
             "print(sorted({m.partition('.')[0] for m in sys.modules} & {'numpy', 'pandas', 'pyarrow'}))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- corridors -----------------------------------------------------------------

EXPECTED_CORRIDORS = {
    # per offender: P1 {RO>IT, IT>ES, ES>DE}, P2 {PL>DE, DE>PL}, P3 {RO>IT, IT>RO, IT>ES}, P4 as P1
    1: [("IT>ES", 3), ("RO>IT", 3), ("ES>DE", 2), ("DE>PL", 1), ("IT>RO", 1), ("PL>DE", 1)],
    # P1 {RO>IT>ES, IT>ES>DE}, P2 {PL>DE>PL}, P3 {RO>IT>RO (twice), IT>RO>IT (twice), RO>IT>ES}, P4 as P1
    2: [("RO>IT>ES", 3), ("IT>ES>DE", 2), ("IT>RO>IT", 1), ("PL>DE>PL", 1), ("RO>IT>RO", 1)],
    # P1 and P4 {RO>IT>ES>DE}; P3 {RO>IT>RO>IT (twice), IT>RO>IT>RO, IT>RO>IT>ES}; P2 has only two movements
    3: [("RO>IT>ES>DE", 2), ("IT>RO>IT>ES", 1), ("IT>RO>IT>RO", 1), ("RO>IT>RO>IT", 1)],
}


@pytest.mark.parametrize("hops", [1, 2, 3])
def test_corridors_count_each_offender_once(path_store: Store, hops: int) -> None:
    got = paths.corridors(path_store, hops=hops)
    assert got.columns.tolist() == ["sequence", "offenders"]
    assert frame_rows(got) == EXPECTED_CORRIDORS[hops]


def test_corridors_limit(path_store: Store) -> None:
    assert frame_rows(paths.corridors(path_store, hops=1, limit=2)) == [("IT>ES", 3), ("RO>IT", 3)]


@pytest.mark.parametrize("hops, period, expected", [
    (1, {"date_from": "2021-01-01"}, [("ES>DE", 2), ("IT>ES", 2), ("RO>IT", 2), ("DE>PL", 1), ("PL>DE", 1)]),
    (1, {"date_to": "2020-12-31"}, [("IT>ES", 1), ("IT>RO", 1), ("RO>IT", 1)]),
    # the period bounds the FIRST movement: P3's RO>IT on 2020-05-01 starts RO>IT>ES
    (2, {"date_from": "2020-05-01"}, [("RO>IT>ES", 3), ("IT>ES>DE", 2), ("PL>DE>PL", 1)]),
    (2, {"date_to": "2020-05-01"}, [("IT>RO>IT", 1), ("RO>IT>ES", 1), ("RO>IT>RO", 1)]),
    (3, {"date_from": "2021-01-01", "date_to": "2021-01-01"}, [("RO>IT>ES>DE", 1)]),
    (3, {"date_from": "2023-01-01"}, []),
])
def test_corridors_period_filters_first_movement(path_store: Store, hops: int, period: dict, expected: list) -> None:
    assert frame_rows(paths.corridors(path_store, hops=hops, **period)) == expected


def test_corridors_bad_options(path_store: Store) -> None:
    with pytest.raises(SomecGraphError, match="hops"):
        paths.corridors(path_store, hops=4)
    with pytest.raises(SomecGraphError, match="start date"):
        paths.corridors(path_store, date_from="2021-13-01")


def test_corridors_cli_csv(path_store: Store) -> None:
    result = run_cli("corridors", "--hops", "3", "--format", "csv", "--limit", "2")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "sequence,offenders\nRO>IT>ES>DE,2\nIT>RO>IT>ES,1\n"


def test_journey_is_one_fast_lookup(path_store: Store) -> None:
    paths.journey(path_store, "P1")
    start = time.perf_counter()
    paths.journey(path_store, "P3")
    assert time.perf_counter() - start < 0.5
