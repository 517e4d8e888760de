"""Faults: a sync and an erasure killed (kill -9) at random points, then run again, end exactly as if never killed."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fixtures import REPO, load_folder, run_cli, wipe
from lifecycle import answers, read, shrink, without

from somec_graph.store import Store
from somec_graph.synth import generate

pytestmark = pytest.mark.slow
KILLS = 3


@pytest.fixture(scope="module")
def sets(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    big = tmp_path_factory.mktemp("faults-big")
    generate(big, 250, seed=13)
    return big, shrink(big, tmp_path_factory.mktemp("faults") / "small")


@pytest.fixture(autouse=True)
def fixed_heap(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLIs run here keep the running server: with SOMEC_HEAP=auto a load may restart a server that
    the session's growing test database has outgrown (store/embedded.make_room), under this test's own
    connection; that restart is not the fault tested here."""
    monkeypatch.setenv("SOMEC_HEAP", "1g")


def offenders(folder: Path) -> list[str]:
    return [o["offender_id"] for o in read(folder, "offenders")[:6]]


def killed(args: list[str], started: Callable[[], bool], rng: random.Random, within: float, batch: int) -> bool:
    """Run the CLI with small batches (many transactions); once `started()` sees it changing the graph,
    kill -9 it after a random while of at most `within` seconds. True when it was killed before it finished."""
    env = {**os.environ, "SOMEC_BATCH_SIZE": str(batch)}
    proc = subprocess.Popen([sys.executable, "-m", "somec_graph.cli", *args], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while proc.poll() is None and not started() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(rng.uniform(0, within))
    finished = proc.poll() is not None
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    return not finished


def test_sync_killed_at_random_points_then_rerun(store: Store, sets: tuple[Path, Path]) -> None:
    big, small = sets
    load_folder(store, small)
    expected = answers(offenders(big))
    rng = random.Random(17)

    def pending() -> bool:
        return bool(store.run("load/meta")[0]["pending"])

    mid_way = []
    for _ in range(KILLS):
        wipe(store)
        load_folder(store, big)
        for _ in range(2):  # killed, and killed again while completing the first
            mid_way.append(killed(["load", str(small), "--sync"], pending, rng, 0.3, batch=5))
        result = run_cli("load", str(small), "--sync")
        assert result.returncode == 0, result.stderr
        assert answers(offenders(big)) == expected
    assert any(mid_way), "no kill landed inside a sync"


def test_erase_killed_at_random_points_then_rerun(store: Store, sets: tuple[Path, Path], tmp_path: Path) -> None:
    big, _ = sets
    victims = sorted(o["offender_id"] for o in read(big, "offenders")[::2])
    load_folder(store, without(big, tmp_path / "rest", set(victims)))
    expected = answers(offenders(big))
    total = sum(1 for e in read(big, "exchanges") if e["offender_id"] in set(victims))
    rng = random.Random(23)

    def deleting() -> bool:  # exchanges go first
        return len(store.run("derive/offender_exchanges", {"ids": victims})[0]["id"]) < total

    mid_way = []
    for _ in range(KILLS):
        wipe(store)
        load_folder(store, big)
        mid_way.append(killed(["erase", *victims, "--reason", "fault test"], deleting, rng, 0.5, batch=2))
        result = run_cli("erase", *victims, "--reason", "fault test, again")
        assert result.returncode == 0, result.stderr
        assert answers(offenders(big)) == expected
    assert any(mid_way), "no kill landed inside an erasure"
