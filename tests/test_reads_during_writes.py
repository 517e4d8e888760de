"""SPEC §2 "Reads while data is written", on both stores: readers answer from the state before a
write or after it (or wait, or say why not in one sentence); a second writer is refused in one
sentence; a killed writer's claim is taken over once stale and the next write completes the data."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures import REPO, load_folder, run_cli, wipe

from somec_graph.store import Store, marker
from somec_graph.synth import generate

OFFENDERS = 250
MATRIX = ("gaps", "matrix", "--format", "csv")
SLOW_LOAD = {"SOMEC_BATCH_SIZE": "20"}  # many small transactions: many moments to read a half-written graph


def two_sets(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a", tmp_path / "b"
    generate(a, OFFENDERS, seed=1)
    generate(b, OFFENDERS, seed=2)
    return a, b


def matrix(env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return run_cli(*MATRIX, env=env, timeout=120)


STARTED: list[subprocess.Popen[str]] = []


def start_cli(*args: str, env: dict[str, str]) -> subprocess.Popen[str]:
    proc = subprocess.Popen([sys.executable, "-m", "somec_graph.cli", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **env}, cwd=REPO)
    STARTED.append(proc)
    return proc


@pytest.fixture(autouse=True)
def _no_writer_left_behind() -> Iterator[None]:
    """A test that fails while its writer runs must not leave it writing into the next test."""
    yield
    while STARTED:
        proc = STARTED.pop()
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)


def one_sentence(text: str) -> str:
    line = text.strip()
    assert line and "\n" not in line and "Traceback" not in line, text
    return line


def test_reads_during_a_sync_give_the_before_or_the_after_answer(store: Store, tmp_path: Path) -> None:
    a, b = two_sets(tmp_path)
    load_folder(store, a)
    before = matrix().stdout
    loader = start_cli("load", str(b), "--sync", env=SLOW_LOAD)
    answers = []
    deadline = time.monotonic() + 300
    while loader.poll() is None and time.monotonic() < deadline:
        read = matrix()
        assert read.returncode == 0, read.stderr
        answers.append(read.stdout)
    assert loader.wait(timeout=300) == 0, loader.stderr.read() if loader.stderr else ""
    after = matrix().stdout
    assert before != after
    assert answers, "no read overlapped the sync"
    assert [x for x in answers if x not in (before, after)] == []


def test_a_second_writer_is_refused_and_a_stale_claim_taken_over(store: Store, tmp_path: Path) -> None:
    a, _ = two_sets(tmp_path)
    now = time.time()
    claim = store.run("meta/claim", {"token": "other-writer", "what": "sync", "who": "bea", "host": "host-b",
                                     "owner": "host-b:/data", "now": now, "stale_before": now - 60}, write=True)[0]
    assert claim["mine"]
    refused = run_cli("load", str(a))
    assert refused.returncode == 1
    line = one_sentence(refused.stderr)
    assert "a sync by bea on host-b" in line and "try again" in line
    waiting = matrix({"SOMEC_READ_WAIT_SECONDS": "1"})
    assert waiting.returncode == 1 and "still changing the data" in one_sentence(waiting.stderr)
    time.sleep(2)  # bea's writer has died: no heartbeat since
    taken = run_cli("load", str(a), env={"SOMEC_WRITE_STALE_SECONDS": "1"})
    assert taken.returncode == 0, taken.stderr
    assert not marker.read(store).writing
    assert matrix().returncode == 0


def test_a_killed_writer_leaves_readers_waiting_until_the_next_write_completes(store: Store, tmp_path: Path) -> None:
    a, b = two_sets(tmp_path)
    load_folder(store, a)
    before = matrix().stdout
    stale = {"SOMEC_WRITE_STALE_SECONDS": "3"}
    loader = start_cli("load", str(b), "--sync", env={**SLOW_LOAD, **stale})
    deadline = time.monotonic() + 120
    while not store.run("load/meta")[0]["pending"]:  # its writes have begun
        assert loader.poll() is None and time.monotonic() < deadline, "the sync ended before it could be killed"
        time.sleep(0.05)
    time.sleep(0.5)
    os.kill(loader.pid, signal.SIGKILL)
    loader.wait(timeout=30)
    read = matrix({"SOMEC_READ_WAIT_SECONDS": "1", **stale})
    assert read.stdout in ("", before)
    if read.returncode:
        assert "sync" in one_sentence(read.stderr)
    time.sleep(3.5)
    dead = matrix(stale)
    assert dead.returncode == 1 and "stopped before it finished" in one_sentence(dead.stderr)
    again = run_cli("load", str(b), "--sync", env=stale, timeout=300)
    assert again.returncode == 0, again.stderr
    completed = matrix().stdout
    wipe(store)
    load_folder(store, b)
    assert completed == matrix().stdout != before
