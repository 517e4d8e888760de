"""A first load into an empty store takes the bulk path (ingest/bulk.py) and gives exactly the graph
the incremental Cypher path gives: the same `query counts` and the same CSV of every gaps, what-if,
queue and corridors answer. A bulk load killed (kill -9) part-way is completed by the next load."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fixtures import REPO, invoke, wipe
from lifecycle import answers, read

from somec_graph.ingest.load import load_dataset
from somec_graph.ingest.validate import validate
from somec_graph.store import Store
from somec_graph.synth import generate

pytestmark = pytest.mark.slow
RULES = "ecris-complete,fd947-always,sis-high-risk,ecris-on-arrival"
EXTRA = [["gaps", "matrix", "--whatif", RULES], ["gaps", "arrivals", "--whatif", "ecris-on-arrival", "--reply-days", "5"],
         ["gaps", "matrix", "--window-days", "60", "--as-of", "2024-06-30"], ["whatif", "--notice-days", "3"]]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("first-load")
    generate(out, 400, seed=21)
    return out


def everything(folder: Path) -> dict[str, str]:
    out = answers([o["offender_id"] for o in read(folder, "offenders")[:3]])
    for command in EXTRA:
        result = invoke(*command, "--format", "csv")
        out[" ".join(command)] = result.stdout if result.returncode == 0 else f"error: {result.stderr.strip()}"
    return out


def load(folder: Path, **env: str) -> str:
    result = invoke("load", str(folder), env=env)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stderr


@pytest.fixture(scope="module")
def cypher_answers(session_store: Store, folder: Path) -> dict[str, str]:
    """The answers after a first load through the incremental Cypher path (SOMEC_BULK_LOAD=off)."""
    wipe(session_store)
    load(folder, SOMEC_BULK_LOAD="off")
    assert session_store.run("load/meta")[0]["bulk_pending"] is False
    return everything(folder)


def test_bulk_first_load_equals_cypher_path(session_store: Store, folder: Path,
                                            cypher_answers: dict[str, str]) -> None:
    wipe(session_store)
    load(folder)
    meta = session_store.run("load/meta")[0]
    assert (meta["pending"], meta["bulk_pending"], meta["version"]) == (False, False, 1)
    bulk = everything(folder)
    assert "node,Offender,400" in bulk["query counts"].replace("\r", "")
    for command, expected in cypher_answers.items():
        assert bulk[command] == expected, command
    # The bulk graph takes incremental loads: loading it again finds every row unchanged.
    again = load_dataset(session_store, validate(folder))
    assert not again.resumed and all(t.created == t.updated == 0 and t.unchanged for t in again.tables.values())


def killed(folder: Path, store: Store, within: float) -> bool:
    """Start a CLI load; once Meta says a bulk load is under way, kill -9 it after a random while."""
    env = {**os.environ, "SOMEC_BATCH_SIZE": "200"}  # many Neo4j transactions
    proc = subprocess.Popen([sys.executable, "-m", "somec_graph.cli", "load", str(folder)], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while proc.poll() is None and not store.run("load/meta")[0]["bulk_pending"] and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(random.Random(within).uniform(0, within))
    finished = proc.poll() is not None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return not finished


def test_bulk_load_killed_then_loaded_again(session_store: Store, folder: Path,
                                            cypher_answers: dict[str, str]) -> None:
    wipe(session_store)
    mid_way = [killed(folder, session_store, within) for within in (0.0, 0.3)]
    assert any(mid_way), "no kill landed inside the bulk load"
    assert session_store.run("load/meta")[0]["bulk_pending"] is True
    said = load(folder)
    assert "An earlier load had not finished; it has now been completed." in said
    assert session_store.run("load/meta")[0]["bulk_pending"] is False
    after = everything(folder)
    for command, expected in cypher_answers.items():
        assert after[command] == expected, command
