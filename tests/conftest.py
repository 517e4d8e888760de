"""Pytest's fixtures and hooks: the store(s) under test, the seed data set, and a clean graph per
test that needs one. The helpers they are built on, which tests import, are in fixtures.py.

Every test that uses a store runs on each store chosen with `--store` (or
SOMEC_TEST_STORE): `embedded` (the default ArcadeDB server), `neo4j` (a real
Neo4j 5.26 started with `tools/neo4j/server`, or the one at
SOMEC_TEST_NEO4J_URI), or `both` (the default). Tests of one store's own
machinery are marked `embedded_only` or `neo4j_only`.
"""

from __future__ import annotations

import os
import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures import NEO4J_TOOL, STORES, Backend, chosen_stores, ensure_seed, free_port, wipe

from somec_graph.config import Settings, load_settings
from somec_graph.store import Store, embedded, open_store

STORE_ENV = ("SOMEC_DATA_DIR", "SOMEC_NEO4J_URI", "SOMEC_NEO4J_USER", "SOMEC_NEO4J_PASSWORD", "SOMEC_NEO4J_DATABASE")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--store", choices=(*STORES, "both"), default=os.environ.get("SOMEC_TEST_STORE", "both"),
                     help="Store(s) the store-backed tests run on (default: both, or SOMEC_TEST_STORE).")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" not in metafunc.fixturenames:
        return
    stores = chosen_stores(metafunc.config)
    for marker, only in (("embedded_only", "embedded"), ("neo4j_only", "neo4j")):
        if metafunc.definition.get_closest_marker(marker):
            stores = [s for s in stores if s == only]
    metafunc.parametrize("backend", stores, indirect=True, scope="session")


@pytest.fixture(autouse=True)
def _no_store_for_storeless_tests(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch,
                                  tmp_path_factory: pytest.TempPathFactory) -> None:
    """A test that asks for no store must not inherit the store another test's backend selected."""
    if "backend" not in request.fixturenames:
        for key in STORE_ENV:
            monkeypatch.delenv(key, raising=False)
        monkeypatch.setenv("SOMEC_DATA_DIR", str(tmp_path_factory.mktemp("no-store")))


@pytest.fixture(scope="session")
def neo4j_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A real Neo4j 5: SOMEC_TEST_NEO4J_URI if given, else one started for this session."""
    if os.environ.get("SOMEC_TEST_NEO4J_URI"):
        yield {"SOMEC_NEO4J_URI": os.environ["SOMEC_TEST_NEO4J_URI"],
               "SOMEC_NEO4J_USER": os.environ.get("SOMEC_TEST_NEO4J_USER", "neo4j"),
               "SOMEC_NEO4J_PASSWORD": os.environ.get("SOMEC_TEST_NEO4J_PASSWORD", ""),
               "SOMEC_NEO4J_DATABASE": os.environ.get("SOMEC_TEST_NEO4J_DATABASE", "neo4j")}
        return
    home = tmp_path_factory.mktemp("neo4j")
    password = secrets.token_urlsafe(16)
    started = subprocess.run([str(NEO4J_TOOL), "start", "--data", str(home), "--port", str(free_port()),
                              "--password", password], capture_output=True, text=True, timeout=900)
    if started.returncode != 0:
        pytest.fail(f"Neo4j did not start: {started.stderr.strip()[-2000:]}", pytrace=False)
    try:
        yield {"SOMEC_NEO4J_URI": started.stdout.strip().splitlines()[-1], "SOMEC_NEO4J_USER": "neo4j",
               "SOMEC_NEO4J_PASSWORD": password, "SOMEC_NEO4J_DATABASE": "neo4j", "_home": str(home)}
    finally:
        subprocess.run([str(NEO4J_TOOL), "stop", "--data", str(home)], capture_output=True, timeout=300)


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    """The store of this parametrisation, selected through the environment for as long as its tests run
    (pytest finishes every test of one store before it sets up the next)."""
    name = request.param
    env = {"SOMEC_DATA_DIR": str(tmp_path_factory.mktemp(f"somec-{name}"))}
    if name == "neo4j":
        env.update({k: v for k, v in request.getfixturevalue("neo4j_server").items() if not k.startswith("_")})
    saved = {k: os.environ.pop(k, None) for k in STORE_ENV}
    os.environ.update(env)
    import streamlit as st

    st.cache_resource.clear()  # the dashboard's one store per process must not outlive its backend
    try:
        yield Backend(name, env)
    finally:
        if name == "embedded":
            embedded.stop(load_settings())
        for key, value in saved.items():
            os.environ.pop(key, None)
            if value is not None:
                os.environ[key] = value


@pytest.fixture(scope="session")
def data_dir(backend: Backend) -> Path:
    """SOMEC_DATA_DIR of the store under test (users, audit log; the embedded server's data)."""
    return backend.data_dir


@pytest.fixture(scope="session")
def settings(backend: Backend) -> Settings:
    return load_settings()


@pytest.fixture(scope="session")
def session_store(settings: Settings) -> Iterator[Store]:
    store = open_store(settings)
    yield store
    store.close()


@pytest.fixture
def store(session_store: Store) -> Store:
    """The session's store with an empty graph."""
    wipe(session_store)
    return session_store


@pytest.fixture
def seeded(session_store: Store) -> Store:
    """The session's store holding the seed data set."""
    return ensure_seed(session_store)
