"""The same data set gives exactly the same answers (gaps, what-if, work queue, journeys, corridors)
on Neo4j 5 as on the embedded default, and a
graph bulk-imported into Neo4j with `neo4j-admin database import full` (from the files that
`export --neo4j-import` writes) gives the same answers as a `load` of the same data.

Both stores here are private to this module (their own data dir, their own Neo4j), so the
comparison can load and wipe freely while the rest of the suite runs on the session's stores.
"""

from __future__ import annotations

import os
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures import NEO4J_TOOL, chosen_stores, free_port, run_cli

from somec_graph.resources import SEED_DIR

pytestmark = pytest.mark.slow

# Every §4-§6 answer, as CSV: what must be identical on both stores.
ANSWERS = [
    ("gaps", "arrivals"), ("gaps", "matrix"), ("gaps", "ecris"), ("gaps", "supervision"),
    ("gaps", "matrix", "--window-days", "60", "--as-of", "2024-06-30"),
    ("gaps", "matrix", "--state", "DE", "--min-risk", "high", "--from", "2020-01-01"),
    ("corridors", "--hops", "1"), ("corridors", "--hops", "2"), ("corridors", "--hops", "3"),
    ("journey", "OFF-000003"), ("journey", "OFF-001234"),
    ("whatif",), ("gaps", "matrix", "--whatif", "ecris-complete,fd947-always,sis-high-risk,ecris-on-arrival"),
    ("gaps", "arrivals", "--whatif", "ecris-on-arrival", "--reply-days", "5"),
    ("queue", "--state", "DE"), ("queue", "--state", "IT", "--window-days", "60"),
    ("query", "counts"),
]


@pytest.fixture(scope="module")
def neo4j_home(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    if "neo4j" not in chosen_stores(request.config):
        pytest.skip("needs Neo4j (--store neo4j or both)")
    home = tmp_path_factory.mktemp("neo4j-cross")
    port, password = free_port(), secrets.token_urlsafe(12)
    server = {"home": str(home), "port": str(port), "password": password}
    start(server)
    yield server
    subprocess.run([str(NEO4J_TOOL), "stop", "--data", str(home)], capture_output=True, timeout=300)


def start(server: dict[str, str]) -> None:
    result = subprocess.run([str(NEO4J_TOOL), "start", "--data", server["home"], "--port", server["port"],
                             "--password", server["password"]], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr


def neo4j_env(server: dict[str, str], tmp: Path) -> dict[str, str]:
    return {"SOMEC_NEO4J_URI": f"bolt://127.0.0.1:{server['port']}", "SOMEC_NEO4J_USER": "neo4j",
            "SOMEC_NEO4J_PASSWORD": server["password"], "SOMEC_NEO4J_DATABASE": "neo4j",
            "SOMEC_DATA_DIR": str(tmp / "neo4j-side")}


def cli(env: dict[str, str], *args: str) -> str:
    result = run_cli(*args, env=env, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def answers(env: dict[str, str]) -> dict[tuple[str, ...], str]:
    return {args: cli(env, *args, "--format", "csv") for args in ANSWERS}


@pytest.fixture(scope="module")
def embedded_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    env = {"SOMEC_DATA_DIR": str(tmp_path_factory.mktemp("embedded-cross")), "SOMEC_NEO4J_URI": ""}
    cli(env, "load", "--seed")
    yield env
    cli(env, "db", "stop")


@pytest.fixture(scope="module")
def embedded_answers(embedded_env: dict[str, str]) -> dict[tuple[str, ...], str]:
    return answers(embedded_env)


def test_neo4j_answers_equal_the_embedded_ones(neo4j_home: dict[str, str], embedded_answers: dict,
                                               tmp_path: Path) -> None:
    env = neo4j_env(neo4j_home, tmp_path)
    cli(env, "load", "--seed")
    got = answers(env)
    for args, expected in embedded_answers.items():
        assert got[args] == expected, f"somec-graph {' '.join(args)} differs between the stores"
    assert len(embedded_answers[("gaps", "arrivals")].splitlines()) > 1000  # a real comparison, not two empties


def test_neo4j_routing_scheme_against_a_single_instance(neo4j_home: dict[str, str], tmp_path: Path) -> None:
    env = {**neo4j_env(neo4j_home, tmp_path), "SOMEC_NEO4J_URI": f"neo4j://127.0.0.1:{neo4j_home['port']}"}
    assert cli(env, "query", "counts", "--format", "csv").splitlines()[0] == "kind,name,count"


def test_bulk_import_gives_the_same_answers_as_a_load(neo4j_home: dict[str, str], embedded_env: dict[str, str],
                                                      embedded_answers: dict, tmp_path: Path) -> None:
    folder = tmp_path / "import"
    cli(embedded_env, "export", str(folder), "--neo4j-import")
    # The import.sh that export writes, run with this repo's neo4j-admin (the Maven-built one).
    admin = tmp_path / "neo4j-admin"
    admin.write_text(f'#!/bin/sh\nexec "{NEO4J_TOOL}" admin --data "{neo4j_home["home"]}" -- "$@"\n')
    admin.chmod(0o755)
    subprocess.run([str(NEO4J_TOOL), "stop", "--data", neo4j_home["home"]], check=True, capture_output=True,
                   timeout=300)
    try:
        imported = subprocess.run(["sh", str(folder / "import.sh"), "neo4j", "--overwrite-destination=true"],
                                  env={**os.environ, "NEO4J_ADMIN": str(admin)}, capture_output=True, text=True,
                                  timeout=900)
        assert imported.returncode == 0, (imported.stdout + imported.stderr)[-3000:]
    finally:
        start(neo4j_home)
    env = neo4j_env(neo4j_home, tmp_path)
    got = answers(env)
    for args, expected in embedded_answers.items():
        assert got[args] == expected, f"somec-graph {' '.join(args)} differs after neo4j-admin import"
    # and a later incremental load of the same data finds nothing to change
    loaded = cli(env, "load", str(SEED_DIR))
    assert all(line.split()[1:3] == ["0", "0"] for line in loaded.splitlines()[2:] if line.strip()), loaded
