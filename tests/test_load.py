"""Loading into the real embedded server: counts, idempotence, updates in place,
refusal of bad data, --skip-invalid, and resuming a killed load (SPEC §2)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from datasets import Rows, base, counts_of, expected_counts
from fixtures import REPO, run_cli, wipe, write_dataset

from somec_graph.ingest.contract import TABLES_BY_NAME
from somec_graph.ingest.load import LoadSummary, Lookups, _props, load_dataset
from somec_graph.ingest.validate import validate
from somec_graph.store import Store


def day(iso: str) -> int:
    """Whole days since 1970-01-01, worked out here rather than by the code under test."""
    return (date.fromisoformat(iso) - date(1970, 1, 1)).days


def load(store: Store, folder: Path) -> LoadSummary:
    ds = validate(folder)
    assert ds.ok, ds.problems
    return load_dataset(store, ds)


def counts(store: Store) -> dict[tuple[str, str], int]:
    return counts_of(store.run("queries/counts"))


def values(store: Store, text: str) -> list[Any]:
    return [r["v"] for r in store.run_text(text)]


FACTS = """
MATCH (m:Movement)
RETURN m.movement_id AS id, m.seq AS seq, m.stay_days AS stay, m.counted AS counted, m.aware_day AS aware,
       m.lq_conviction_id AS lq, m.risk_rank AS risk, m.row_hash AS hash
ORDER BY id
"""


def snapshot(store: Store) -> tuple[dict, list, list, list]:
    """Counts, the movements' derived facts, the convictions' ECRIS facts and the supervision links."""
    return (counts(store), store.run_text(FACTS),
            store.run_text("MATCH (c:Conviction) RETURN c.conviction_id AS id, c.ecris_counted AS counted, "
                           "c.ecris_aware_day AS aware, c.row_hash AS hash ORDER BY id"),
            store.run_text("MATCH (m:Movement)-[s:SUPERVISION]->(c:Conviction) RETURN m.movement_id AS m, "
                           "c.conviction_id AS c, s.aware_day AS aware ORDER BY m, c"))


def test_load_gives_the_expected_graph(store: Store, tmp_path: Path) -> None:
    rows = base()
    summary = load(store, write_dataset(tmp_path, rows))
    assert counts(store) == expected_counts(rows)
    for name, table_rows in rows.items():
        s = summary.tables[name]
        assert (s.created, s.updated, s.unchanged) == (len(table_rows), 0, 0), name
    # a few facts worked out by hand: O1 arrives in DE on 2021-03-01 after C1 (2020-01-10, rape, RO);
    # DE's criminal records receive E1 on 2021-03-12, so DE became aware then.
    facts = {r["id"]: r for r in store.run_text(FACTS)}
    assert (facts["M1"]["seq"], facts["M1"]["stay"], facts["M1"]["counted"], facts["M1"]["aware"]) == \
        (1, day("2021-09-01") - day("2021-03-01"), True, day("2021-03-12"))
    assert (facts["M2"]["seq"], facts["M2"]["stay"], facts["M2"]["aware"]) == (2, None, None)
    assert facts["M4"]["counted"] is False  # O3's only conviction (theft) does not qualify
    assert store.run("load/meta")[0]["pending"] is False


def test_load_twice_changes_nothing(store: Store, tmp_path: Path) -> None:
    rows = base()
    folder = write_dataset(tmp_path, rows)
    load(store, folder)
    first = snapshot(store)
    version = store.run("load/meta")[0]["version"]

    summary = load(store, folder)
    assert snapshot(store) == first
    for name, s in summary.tables.items():
        assert (s.created, s.updated) == (0, 0), name
    assert {name: summary.tables[name].unchanged for name in rows} == {name: len(r) for name, r in rows.items()}
    assert summary.derived_offenders == 0 and not summary.resumed
    assert store.run("load/meta")[0]["version"] == version  # nothing written, so caches stay valid


# (id, file, row index, changes, link query -> (before, after), derived-fact query -> (before, after))
CHANGES = [
    pytest.param(
        "movements", 0, {"to_state": "PL"},
        ("MATCH (:Movement {movement_id: 'M1'})-[:TO]->(s:State) RETURN s.code AS v", "DE", "PL"),
        # DE was told on 2021-03-12 (E1); nobody told PL
        ("MATCH (m:Movement {movement_id: 'M1'}) RETURN m.aware_day AS v", day("2021-03-12"), None),
        id="movement to_state"),
    pytest.param(
        "exchanges", 2, {"offender_id": "O1"},
        ("MATCH (:Exchange {exchange_id: 'E3'})-[:ABOUT]->(o:Offender) RETURN o.offender_id AS v", "O2", "O1"),
        # E3, an alert received in FR on 2021-04-01, now tells FR about O1 before M2 (2021-09-01)
        ("MATCH (m:Movement {movement_id: 'M2'}) RETURN m.aware_day AS v", None, day("2021-04-01")),
        id="exchange offender"),
    pytest.param(
        "convictions", 1, {"offender_id": "O3"},
        ("MATCH (:Conviction {conviction_id: 'C2'})<-[:CONVICTED]-(o:Offender) RETURN o.offender_id AS v", "O2", "O3"),
        # O2 loses its only qualifying conviction: M3 is no longer counted
        ("MATCH (m:Movement {movement_id: 'M3'}) RETURN m.counted AS v", True, False),
        id="conviction offender, old owner"),
    pytest.param(
        "convictions", 1, {"offender_id": "O3"},
        ("MATCH (:Conviction {conviction_id: 'C2'})-[:IN]->(s:State) RETURN s.code AS v", "DE", "DE"),
        # O3 gains C2 (killing, DE, 2020-05-05): M4 into DE is counted and DE knew from its own conviction
        ("MATCH (m:Movement {movement_id: 'M4'}) RETURN m.aware_day AS v", None, day("2020-05-05")),
        id="conviction offender, new owner"),
    pytest.param(
        "offenders", 1, {"nationality": "RO", "risk_level": "very_high"},
        ("MATCH (:Offender {offender_id: 'O2'})-[:NATIONAL_OF]->(s:State) RETURN s.code AS v", "PL", "RO"),
        ("MATCH (m:Movement {movement_id: 'M3'}) RETURN m.risk_rank AS v", 2, 4),
        id="offender nationality and risk"),
    pytest.param(
        "agencies", 1, {"state": "PL"},
        ("MATCH (:Agency {agency_id: 'DE-CRA'})-[:IN]->(s:State) RETURN s.code AS v", "DE", "PL"),
        # E1 now reaches PL, so DE was never told of O1's arrival
        ("MATCH (m:Movement {movement_id: 'M1'}) RETURN m.aware_day AS v", day("2021-03-12"), None),
        id="agency state"),
    pytest.param(
        "convictions", 0, {"supervision_end": "2021-06-01"},
        ("MATCH (:Movement {movement_id: 'M2'})-[:SUPERVISION]->(c) RETURN c.conviction_id AS v", "C1", None),
        # C1's supervision now ends before M2 (2021-09-01); it still runs on M1 (2021-03-01)
        ("MATCH (:Movement {movement_id: 'M1'})-[:SUPERVISION]->(c) RETURN c.conviction_id AS v", "C1", "C1"),
        id="conviction supervision_end"),
    pytest.param(
        "movements", 2, {"detected_by": "DE-POL", "source": ""},
        ("MATCH (:Movement {movement_id: 'M3'})-[:DETECTED_BY]->(a) RETURN a.agency_id AS v", None, "DE-POL"),
        ("MATCH (m:Movement {movement_id: 'M3'}) RETURN m.source AS v", "registration", None),
        id="movement optional columns"),
]


@pytest.mark.parametrize("file, index, change, link, fact", CHANGES)
def test_changed_row_is_updated_in_place(store: Store, tmp_path: Path, file: str, index: int,
                                         change: dict[str, str], link: tuple, fact: tuple) -> None:
    rows = base()
    load(store, write_dataset(tmp_path / "v1", rows))
    link_query, link_before, link_after = link
    fact_query, fact_before, fact_after = fact
    assert values(store, link_query) == ([link_before] if link_before else [])
    assert values(store, fact_query) == [fact_before]
    before = counts(store)

    rows[file][index].update(change)
    summary = load(store, write_dataset(tmp_path / "v2", rows))

    assert summary.tables[file].updated == 1
    assert all(s.created == 0 for s in summary.tables.values())
    assert values(store, link_query) == ([link_after] if link_after else [])  # the old target is gone
    assert values(store, fact_query) == [fact_after]
    assert counts(store) == expected_counts(rows)
    if "supervision_end" not in change and "detected_by" not in change:
        assert counts(store) == before
    # and the result is the graph a clean load of the changed data set gives
    changed = snapshot(store)
    wipe(store)
    load(store, tmp_path / "v2")
    assert snapshot(store) == changed


def test_lookups_follow_the_data_set(tmp_path: Path) -> None:
    """Denormalised agency states come from the data set being loaded, not from an earlier one."""
    a, b = base(), base()
    b["agencies"][1]["state"] = "PL"  # DE-CRA moved to PL
    write_dataset(tmp_path / "a", a)
    write_dataset(tmp_path / "b", b)
    exchanges = TABLES_BY_NAME["exchanges"]

    def recipient_state_of_e1(folder: Path) -> str:
        ds = validate(folder)  # dropped on return: the next data set may get the same id()
        return _props(exchanges, ds.rows["exchanges"][0], Lookups.of(ds))["recipient_state"]

    for _ in range(10):
        assert recipient_state_of_e1(tmp_path / "a") == "DE"
        assert recipient_state_of_e1(tmp_path / "b") == "PL"


def _with_bad_rows(rows: Rows) -> Rows:
    """`rows` plus a new valid offender N1, a bad offender N2 and a movement of N2."""
    rows["offenders"] += [
        {"offender_id": "N1", "nationality": "DE", "birth_year": "1990", "sex": "X", "risk_level": "low"},
        {"offender_id": "N2", "nationality": "DE", "birth_year": "1990", "sex": "X", "risk_level": "extreme"},
    ]
    rows["movements"] += [
        {"movement_id": "MN1", "offender_id": "N1", "from_state": "DE", "to_state": "FR",
         "arrival_date": "2022-01-01", "detected_by": "", "source": ""},
        {"movement_id": "MN2", "offender_id": "N2", "from_state": "DE", "to_state": "FR",
         "arrival_date": "2022-01-01", "detected_by": "", "source": ""},
        {"movement_id": "MN3", "offender_id": "N1", "from_state": "FR", "to_state": "FR",
         "arrival_date": "2022-02-01", "detected_by": "", "source": ""},
    ]
    return rows


EXPECTED_PROBLEMS = [
    ["offenders.csv", "6", "risk_level", "extreme", "must be one of low, medium, high, very_high"],
    ["movements.csv", "7", "offender_id", "N2", "refers to offender N2, which was rejected (line 6)"],
    ["movements.csv", "8", "to_state", "FR", "to_state equals from_state"],
]


def test_bad_data_set_loads_nothing(store: Store, tmp_path: Path) -> None:
    load(store, write_dataset(tmp_path / "good", base()))
    before = snapshot(store)

    result = run_cli("load", str(write_dataset(tmp_path / "bad", _with_bad_rows(base()))))
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "offenders.csv:6: column risk_level: 'extreme': must be one of" in result.stderr
    assert "movements.csv:8: column to_state: 'FR': to_state equals from_state" in result.stderr
    assert "3 problem(s)" in result.stderr and "nothing was loaded" in result.stderr
    assert snapshot(store) == before  # N1 and MN1 are valid, but nothing was written


def test_skip_invalid_loads_valid_rows_and_writes_report(store: Store, tmp_path: Path) -> None:
    rows = _with_bad_rows(base())
    report = tmp_path / "rejected.csv"
    result = run_cli("load", str(write_dataset(tmp_path / "data", rows)), "--skip-invalid", "--report", str(report))
    assert result.returncode == 0, result.stderr
    assert "3 row(s) rejected" in result.stderr

    with report.open(newline="", encoding="utf-8") as fh:
        lines = list(csv.reader(fh))
    assert lines[0] == ["file", "line", "column", "value", "reason"]
    assert lines[1:] == EXPECTED_PROBLEMS

    valid = base()
    valid["offenders"].append(rows["offenders"][3])   # N1
    valid["movements"].append(rows["movements"][4])   # MN1
    assert counts(store) == expected_counts(valid)
    assert values(store, "MATCH (o:Offender) RETURN o.offender_id AS v ORDER BY v") == ["N1", "O1", "O2", "O3"]


def test_load_cli_reports_unchanged_rows(store: Store, tmp_path: Path) -> None:
    folder = write_dataset(tmp_path, base())
    load(store, folder)
    second = run_cli("load", str(folder))
    assert second.returncode == 0, second.stderr
    table = {line.split()[0]: line.split()[1:] for line in second.stdout.splitlines()[2:]}
    assert table["offenders.csv"] == ["0", "0", "3"]
    assert table["exchanges.csv"] == ["0", "0", "4"]
    assert {v[0] for v in table.values()} == {"0"} and {v[1] for v in table.values()} == {"0"}


def test_interrupted_load_can_be_run_again(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "synth"
    try:
        from somec_graph.synth import generate
    except ImportError:  # pragma: no cover - the generator is another module's job
        pytest.skip("somec_graph.synth is not available")
    generate(folder, 300, seed=3)
    assert validate(folder).ok

    # a load in small batches through the incremental path, killed once it has started writing movements
    proc = subprocess.Popen([sys.executable, "-m", "somec_graph.cli", "load", str(folder)], cwd=REPO,
                            env={**os.environ, "SOMEC_BATCH_SIZE": "50", "SOMEC_BULK_LOAD": "off"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            if values(store, "MATCH (m:Movement) RETURN count(m) AS v")[0] > 0:
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the load finished before it could be killed; make the data set bigger"
    finally:
        proc.kill()
        proc.wait()
    assert store.run("load/meta")[0]["pending"] is True
    with (folder / "exchanges.csv").open(encoding="utf-8") as fh:
        total_exchanges = sum(1 for _ in csv.DictReader(fh))
    assert counts(store).get(("node", "Exchange"), 0) < total_exchanges  # killed part-way, not at the end

    again = run_cli("load", str(folder))
    assert again.returncode == 0, again.stderr
    assert "An earlier load had not finished" in again.stderr
    resumed = snapshot(store)

    wipe(store)
    load(store, folder)  # a clean load into an empty graph
    assert snapshot(store) == resumed
    assert store.run("load/meta")[0]["pending"] is False
