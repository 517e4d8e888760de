"""SPEC §2 "Reads while data is written" for erasure (both stores) and restore (the embedded store;
Neo4j is restored with its own tool): readers in a loop — `gaps matrix` and the named `query` —
each answer with the state before the write or the state after it, never one in between."""

from __future__ import annotations

import csv
import subprocess
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
from fixtures import load_folder, run_cli
from test_reads_during_writes import SLOW_LOAD, start_cli, two_sets

from somec_graph.store import Store, marker

READERS: dict[str, tuple[str, ...]] = {
    "gaps matrix": ("gaps", "matrix", "--format", "csv"),
    "query": ("query", "counts", "--format", "csv"),
}


def reader(args: tuple[str, ...]) -> Callable[[], str]:
    def read() -> str:
        done = run_cli(*args, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout
    return read


def reads_during(writer: subprocess.Popen[str], read: Callable[[], str]) -> list[str]:
    answers = []
    deadline = time.monotonic() + 300
    while writer.poll() is None and time.monotonic() < deadline:
        answers.append(read())
    assert writer.wait(timeout=300) == 0, writer.stderr.read() if writer.stderr else ""
    return answers


def assert_before_or_after(before: str, answers: list[str], after: str) -> None:
    assert before != after
    assert answers, "no read overlapped the write"
    assert [x for x in answers if x not in (before, after)] == []


@pytest.mark.parametrize("name", READERS)
def test_reads_during_an_erasure_give_the_before_or_the_after_answer(store: Store, tmp_path: Path,
                                                                     name: str) -> None:
    a, _ = two_sets(tmp_path)
    load_folder(store, a)
    with (a / "offenders.csv").open(newline="") as f:
        victims = [row["offender_id"] for row in csv.DictReader(f)][::2]  # half of them: a long erasure
    read = reader(READERS[name])
    before = read()
    eraser = start_cli("erase", *victims, "--reason", "test of reads during an erasure", env=SLOW_LOAD)
    answers = reads_during(eraser, read)
    assert_before_or_after(before, answers, read())


def in_process(store: Store) -> Callable[[], str]:
    """The dashboard's way of reading: one long-lived process and connection, reading as fast as it
    can (between two marker reads), so it reads in any moment a CLI reader would miss."""
    def read() -> str:
        time.sleep(0.02)  # a little room for the writer on a small machine
        return str(marker.consistent(store, lambda: store.run("queries/counts"), say=lambda line: None))
    return read


def reads_during_a_restore(store: Store, tmp_path: Path, read: Callable[[], str], env: dict[str, str]) -> None:
    a, b = two_sets(tmp_path)
    load_folder(store, a)
    backed_up = read()
    backup = tmp_path / "a.zip"
    assert run_cli("backup", str(backup)).returncode == 0
    assert run_cli("load", str(b), "--sync").returncode == 0
    with (a / "offenders.csv").open(newline="") as f:
        victims = [row["offender_id"] for row in csv.DictReader(f)][::3]  # in both sets: b has the same ids
    assert run_cli("erase", *victims, "--reason", "test of reads during a restore").returncode == 0
    before = read()
    restorer = start_cli("restore", str(backup), env=env)
    answers = reads_during(restorer, read)
    after = read()
    assert backed_up not in (before, after), "the restore must apply the erasures again"
    assert_before_or_after(before, answers, after)


@pytest.mark.embedded_only
@pytest.mark.parametrize("name", [*READERS, "in-process"])
def test_reads_during_a_restore_give_the_before_or_the_after_answer(store: Store, tmp_path: Path,
                                                                    name: str) -> None:
    """The after answer has the erasures made since the backup applied again: a reader between the
    restored database answering and those erasures would see offenders that are gone (issue 19)."""
    reads_during_a_restore(store, tmp_path, in_process(store) if name == "in-process" else reader(READERS[name]), {})


@pytest.mark.embedded_only
def test_a_restore_longer_than_the_stale_limit_is_waited_for_not_called_half_written(store: Store,
                                                                                      tmp_path: Path) -> None:
    """The server is stopped while the database is swapped, so the restore's claim has no heartbeat
    then; with a stale limit of 1 s the stop-swap-start outlasts it, yet no reader may call the data
    half-written while the restore is alive (it holds the data folder's writer lock)."""
    stale = replace(store, settings=replace(store.settings, write_stale_s=1))
    reads_during_a_restore(store, tmp_path, in_process(stale), {"SOMEC_WRITE_STALE_SECONDS": "1"})
