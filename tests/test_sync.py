"""load DIR --sync (SPEC §2): the graph becomes DIR, and every answer equals a fresh load of DIR."""

from __future__ import annotations

from pathlib import Path

import pytest
from datasets import base, expected_counts
from fixtures import invoke, load_folder, wipe, write_dataset
from lifecycle import answers, read, shrink, without, write

from somec_graph.errors import SomecGraphError
from somec_graph.ingest.load import load_dataset
from somec_graph.ingest.validate import validate
from somec_graph.store import Store, writer
from somec_graph.synth import generate
from somec_graph.workqueue.cases import record_case


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sync-big")
    generate(folder, 140, seed=21)
    agencies = read(folder, "agencies")
    agencies.append({"agency_id": "DE-ZZZ", "name": "DE Closed Office", "state": "DE", "kind": "police"})
    write(folder, "agencies", agencies, list(agencies[0]))
    return folder


@pytest.fixture(scope="module")
def small(big: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return shrink(big, tmp_path_factory.mktemp("sync") / "small")


def journeys(folder: Path) -> list[str]:
    """Offenders to ask journeys of: kept ones, and ones the smaller set no longer holds."""
    return [o["offender_id"] for o in read(folder, "offenders")[:9]]


def test_sync_answers_equal_a_fresh_load(store: Store, big: Path, small: Path) -> None:
    load_folder(store, big)
    kept = {m["movement_id"] for m in read(small, "movements")}
    doomed = [m["movement_id"] for m in read(big, "movements") if m["movement_id"] not in kept][:3]
    for movement_id in doomed:  # a case on a movement that goes, goes with it
        record_case(store, movement_id, "requested", mechanism="ECRIS", requested_date="2024-01-01")
    result = invoke("load", str(small), "--sync")
    assert result.returncode == 0, result.stderr
    synced = answers(journeys(big))
    wipe(store)
    load_folder(store, small)
    fresh = answers(journeys(big))
    assert synced == fresh
    assert sum("error" not in v for v in fresh.values()) > 20  # most answered; the dropped journeys are errors
    # Running it again changes nothing.
    again = invoke("load", str(small), "--sync")
    assert again.returncode == 0 and answers(journeys(big)) == fresh


def test_dry_run_counts_per_file_and_writes_nothing(store: Store, big: Path, small: Path) -> None:
    load_folder(store, big)
    before = answers([])
    result = invoke("load", str(small), "--sync", "--dry-run")
    assert result.returncode == 0, result.stderr
    assert "nothing was written" in result.stderr
    lines = {line.split()[0]: line.split()[1:] for line in result.stdout.splitlines()[2:]}
    for name in ("offenders", "convictions", "movements", "exchanges", "agencies"):
        big_ids = {r[next(iter(r))] for r in read(big, name)}
        small_ids = {r[next(iter(r))] for r in read(small, name)}
        created, updated, unchanged, deleted = map(int, lines[f"{name}.csv"])
        assert (created, deleted) == (len(small_ids - big_ids), len(big_ids - small_ids)), name
        assert updated + unchanged == len(small_ids & big_ids)
    assert lines["offenders.csv"][1] == "1"  # the changed risk level
    assert answers([]) == before


def test_small_set_by_hand(store: Store, tmp_path: Path) -> None:
    """The base set loaded, then synced to itself without O2: O2, its rows and the agency only they named go."""
    rows = base()
    load_folder(store, write_dataset(tmp_path / "full", rows, with_reference=True))
    smaller = base()
    smaller["offenders"] = [o for o in smaller["offenders"] if o["offender_id"] != "O2"]
    for name in ("convictions", "movements", "exchanges"):
        smaller[name] = [r for r in smaller[name] if r["offender_id"] != "O2"]
    smaller["agencies"] = [a for a in smaller["agencies"] if a["agency_id"] != "FR-POL"]  # only O2's alerts named it
    ds = validate(write_dataset(tmp_path / "smaller", smaller, with_reference=True))
    summary = load_dataset(store, ds, sync=True)
    assert {n: t.deleted for n, t in summary.tables.items() if t.deleted} == {
        "agencies": 1, "offenders": 1, "convictions": 1, "movements": 1, "exchanges": 2}
    counts = {(r["kind"], r["name"]): r["count"] for r in store.run("queries/counts")}
    assert {k: v for k, v in counts.items() if k[0] == "node" and k[1] not in ("Meta",)} == {
        k: v for k, v in expected_counts(smaller).items() if k[0] == "node"}


@pytest.mark.parametrize("missing", ["offenders", "convictions", "movements", "exchanges"])
def test_a_missing_data_file_is_refused(store: Store, big: Path, tmp_path: Path, missing: str) -> None:
    load_folder(store, big)
    before = answers([])
    folder = without(big, tmp_path / "partial", set())
    (folder / f"{missing}.csv").unlink()
    result = invoke("load", str(folder), "--sync")
    assert result.returncode == 1
    assert result.stderr.count("Error:") == 1 and f"no {missing}.csv" in result.stderr, result.stderr
    assert answers([]) == before
    with pytest.raises(SomecGraphError, match=f"no {missing}.csv"):
        load_dataset(store, validate(folder), sync=True)


def test_an_agency_still_named_is_refused_not_deleted(store: Store, tmp_path: Path) -> None:
    load_folder(store, write_dataset(tmp_path / "full", base(), with_reference=True))
    rows = base()
    rows["agencies"] = [a for a in rows["agencies"] if a["agency_id"] != "DE-POL"]  # M1, E2, E3, E4 name it
    result = invoke("load", str(write_dataset(tmp_path / "bad", rows, with_reference=True)), "--sync")
    assert result.returncode == 1 and "nothing was loaded" in result.stderr
    assert store.run_text("MATCH (a:Agency {agency_id: 'DE-POL'}) RETURN count(a) AS n")[0]["n"] == 1


def test_sync_with_skip_invalid_is_refused(store: Store, big: Path) -> None:
    result = invoke("load", str(big), "--sync", "--skip-invalid")
    assert result.returncode == 1 and "--skip-invalid" in result.stderr


def test_sync_takes_the_writer_lock(store: Store, small: Path) -> None:
    with writer.exclusive(store.settings.data_dir, "someone", "load"):
        result = invoke("load", str(small), "--sync")
    assert result.returncode == 1 and "a load by someone" in result.stderr
