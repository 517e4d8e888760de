"""One writer at a time: a second load is refused with who holds the data since when, a dashboard
waits while a load runs, and a writer killed with kill -9 leaves no lock behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from datasets import base, counts_of
from fixtures import load_folder, run_cli, write_dataset
from streamlit.testing.v1 import AppTest
from test_app import PAGES, TIMEOUT

from somec_graph.store import Store, marker, writer
from somec_graph.synth import generate


def test_a_second_load_is_refused_and_changes_nothing(store: Store, tmp_path: Path) -> None:
    load_folder(store, write_dataset(tmp_path / "v1", base()))
    before = counts_of(store.run("queries/counts"))
    bigger = base()
    bigger["offenders"].append({"offender_id": "O4", "nationality": "DE", "risk_level": "low"})
    with writer.exclusive(store.settings.data_dir, "ana", "load"):
        result = run_cli("load", str(write_dataset(tmp_path / "v2", bigger)))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: Refused: a load by ana (process {os.getpid()}) has "
                                                   "been running since ")
    assert lines[0].endswith("; wait until it has finished, then try again.")
    assert counts_of(store.run("queries/counts")) == before


@pytest.mark.slow
def test_two_real_loads_at_once(store: Store, tmp_path: Path) -> None:
    folder = tmp_path / "synth"
    generate(folder, 400, seed=5)
    first = subprocess.Popen([sys.executable, "-m", "somec_graph.cli", "load", str(folder)],
                             env={**os.environ, "SOMEC_BATCH_SIZE": "50"}, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while writer.current(store.settings.data_dir) is None and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    holder = writer.current(store.settings.data_dir)
    assert holder is not None and holder.pid == first.pid and holder.action == "load"
    second = run_cli("load", str(folder))
    assert second.returncode == 1 and f"a load by local (process {first.pid})" in second.stderr
    assert first.wait(timeout=600) == 0, first.stderr.read() if first.stderr else ""
    assert writer.current(store.settings.data_dir) is None
    again = run_cli("load", str(folder))  # now free, and nothing left to do
    assert again.returncode == 0, again.stderr


def test_a_killed_writer_leaves_no_lock(tmp_path: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from somec_graph.store import writer\n"
        "with writer.exclusive(Path(sys.argv[1]), 'ana', 'erase'):\n    print('held', flush=True); time.sleep(60)"),
        str(tmp_path)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    assert writer.current(tmp_path) == writer.Holder("erase", "ana", holder.pid, writer.current(tmp_path).since)
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    assert writer.current(tmp_path) is None
    with writer.exclusive(tmp_path, "bob", "load"):
        assert writer.current(tmp_path).user == "bob"


def test_the_dashboard_waits_while_a_load_runs(seeded: Store) -> None:
    with marker.writing(seeded, "load"):  # the database's marker: a load on any host counts
        at = AppTest.from_file(str(PAGES["overview"]), default_timeout=TIMEOUT).run()
        assert not at.exception
        assert any(f"The data is being changed: a load by {seeded.user.name} on " in i.value for i in at.info)
        assert not at.metric  # no figures from a half-written graph
    at = AppTest.from_file(str(PAGES["overview"]), default_timeout=TIMEOUT).run()
    assert at.metric and not any("being changed" in i.value for i in at.info)
