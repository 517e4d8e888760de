"""Shared fixtures: one real embedded server per test session, small data sets
written as CSV files, and a clean graph per test that needs one."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from somec_graph.config import Settings, load_settings
from somec_graph.resources import SEED_DIR
from somec_graph.store import Store, embedded, open_store

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """SOMEC_DATA_DIR for the whole session; the server is stopped at the end."""
    path = tmp_path_factory.mktemp("somec-data")
    old = os.environ.get("SOMEC_DATA_DIR")
    os.environ["SOMEC_DATA_DIR"] = str(path)
    os.environ.pop("SOMEC_NEO4J_URI", None)
    yield path
    embedded.stop(load_settings())
    if old is None:
        os.environ.pop("SOMEC_DATA_DIR", None)
    else:
        os.environ["SOMEC_DATA_DIR"] = old


@pytest.fixture(scope="session")
def settings(data_dir: Path) -> Settings:
    return load_settings()


@pytest.fixture(scope="session")
def session_store(settings: Settings) -> Iterator[Store]:
    store = open_store(settings)
    yield store
    store.close()


def wipe(store: Store) -> None:
    store.run_text("MATCH (n) DETACH DELETE n", write=True)


@pytest.fixture
def store(session_store: Store) -> Store:
    """The session's store with an empty graph."""
    wipe(session_store)
    return session_store


def write_dataset(folder: Path, tables: dict[str, list[dict[str, str]] | str], with_reference: bool = False) -> Path:
    """Write CSV files: a table as a list of dicts (header from the first) or as raw text."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in tables.items():
        path = folder / f"{name}.csv"
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
            continue
        header: list[str] = []
        for row in content:
            header += [k for k in row if k not in header]
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(content)
    if with_reference:
        for name in ("states", "offence_categories", "mechanisms"):
            shutil.copy(SEED_DIR / f"{name}.csv", folder / f"{name}.csv")
    return folder


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the real `somec-graph` CLI in a subprocess, as a user would."""
    return subprocess.run([sys.executable, "-m", "somec_graph.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, cwd=REPO)
