"""A tiny smoke run of the benchmark: every figure is produced and the alternatives agree."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def test_benchmark_smoke_run(tmp_path: Path) -> None:
    out = tmp_path / "bench"
    env = {k: v for k, v in os.environ.items() if k != "SOMEC_DATA_DIR"}
    result = subprocess.run([sys.executable, "-m", "somec_graph.bench", "--sizes", "60", "--out", str(out)],
                            cwd=REPO, env=env, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    rows = list(csv.DictReader(open(out / "bench.csv")))
    metrics = {r["metric"] for r in rows}
    assert {"load wall", "gaps matrix CLI warm", "gaps matrix in-process", "journey CLI (median of 20)",
            "server peak RSS", "one-MERGE-per-row loader rows/s", "pandas script gap matrix",
            "gaps matrix --whatif (all rules) CLI warm", "whatif CLI warm"} <= metrics
    pandas_row = next(r for r in rows if r["metric"] == "pandas script gap matrix")
    assert "same answer: True" in pandas_row["ratio"], "the pandas script and somec-graph disagree"
    assert (out / "bench.md").read_text().startswith("Benchmark of")
