"""A tiny smoke run of the benchmark, as the README writes it (a relative --out, from another
folder): every figure is produced for every store under test, and the alternatives agree."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures import chosen_stores

pytestmark = pytest.mark.slow


def test_benchmark_smoke_run(tmp_path: Path, request: pytest.FixtureRequest) -> None:
    stores = chosen_stores(request.config)
    result = subprocess.run([sys.executable, "-m", "somec_graph.bench", "--sizes", "60", "--out", "bench",
                             "--stores", ",".join(stores)], cwd=tmp_path, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    rows = list(csv.DictReader(open(tmp_path / "bench" / "bench.csv")))
    metrics = {r["metric"] for r in rows}
    assert {"load wall", "gaps matrix CLI warm", "gaps matrix in-process", "journey CLI (median of 20)",
            "server peak RSS", "one-MERGE-per-row loader rows/s", "pandas script gap matrix",
            "gaps matrix --whatif (all rules) CLI warm", "whatif CLI warm", "DuckDB SQL gap matrix"} <= metrics
    for metric in ("pandas script gap matrix", "DuckDB SQL gap matrix"):
        row = next(r for r in rows if r["metric"] == metric)
        for store in stores:
            assert row[store], f"no {store} figure for {metric}"
            assert "same answer: True" in row[f"{store} ratio"], f"{metric} and {store} disagree"
    if len(stores) == 2:
        assert all(r["neo4j / embedded"] for r in rows if r["embedded"] and r["neo4j"] and float(r["embedded"]))
    assert (tmp_path / "bench" / "bench.md").read_text().startswith("Benchmark of")
