"""The command line as a user runs it (SPEC §6): named queries in every format,
one-line errors, and the embedded server's start / status / stop."""

from __future__ import annotations

import csv
import io
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from datasets import base, expected_counts
from fixtures import invoke, loaded_store, run_cli, wipe, write_dataset

from somec_graph.config import load_settings
from somec_graph.resources import CYPHER_DIR
from somec_graph.store import Store, embedded


@pytest.fixture(scope="module")
def loaded(session_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Store:
    """The session's graph holding the base data set (the CLI tests only read)."""
    return loaded_store(session_store, tmp_path_factory.mktemp("cli-data"), base())


def ok(*args: str, env: dict[str, str] | None = None) -> str:
    """Output of a command that must succeed, run in-process (the subprocess path has its own tests)."""
    result = invoke(*args, env=env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    return result.stdout


def test_query_counts_csv(loaded: Store) -> None:
    out = ok("query", "counts", "--format", "csv")
    assert out.splitlines()[0] == "kind,name,count"
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {(r["kind"], r["name"]): int(r["count"]) for r in rows} == expected_counts(base())


def test_query_counts_json(loaded: Store) -> None:
    rows = json.loads(ok("query", "counts", "--format", "json"))
    assert all(list(r) == ["kind", "name", "count"] for r in rows)
    assert {(r["kind"], r["name"]): r["count"] for r in rows} == expected_counts(base())
    assert all(isinstance(r["count"], int) for r in rows)


def test_query_counts_table(loaded: Store) -> None:
    lines = ok("query", "counts").splitlines()
    assert lines[0].split() == ["kind", "name", "count"]
    assert set(lines[1]) <= {"-", " "}
    cells = {tuple(line.split()[:2]): int(line.split()[2]) for line in lines[2:]}
    assert cells == expected_counts(base())


def test_query_with_parameter(loaded: Store) -> None:
    rows = json.loads(ok("query", "offender_convictions", "--param", "offender_id=O1", "--format", "json"))
    assert [r.get("conviction_id") for r in rows] == ["C1"]


@pytest.mark.parametrize("fmt", ["table", "csv"])
def test_query_without_name_lists_queries(session_store: Store, fmt: str) -> None:
    out = ok("query", "--format", fmt)
    names = {p.stem for p in (CYPHER_DIR / "queries").glob("*.cypher")}
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        assert out.splitlines()[0] == "name,parameters,purpose"
        assert {r["name"] for r in rows} == names
        assert next(r for r in rows if r["name"] == "offender_convictions")["parameters"].startswith("offender_id")
    else:
        assert out.splitlines()[0].split() == ["name", "parameters", "purpose"]
        assert {line.split()[0] for line in out.splitlines()[2:]} == names


@pytest.mark.parametrize("args, message", [
    (("query", "nosuch"), "No named query 'nosuch'; available: "),
    (("query", "offender_convictions"), "needs the parameter offender_id"),
    (("query", "counts", "--param", "colour=red"), "Query 'counts' has no parameter colour; it takes: none."),
    (("query", "arrivals_by_month", "--param", "date_from=yesterday"),
     "Parameter date_from='yesterday' is not a valid date."),
    (("query", "high_risk_recent_arrivals", "--param", "days=many"), "Parameter days='many' is not a valid int."),
    (("query", "counts", "--param", "no-equals-sign"), "must look like KEY=VALUE"),
    (("journey",), None),  # a usage error from click: no traceback either
], ids=["unknown query", "missing param", "unknown param", "bad date param", "bad int param", "malformed param", "usage"])
def test_query_errors_are_one_line(session_store: Store, args: tuple[str, ...], message: str | None) -> None:
    result = run_cli(*args)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    if message is not None:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("Error: ") and message in lines[0]


@pytest.mark.embedded_only
def test_db_status_of_the_session_server(session_store: Store, data_dir: Path) -> None:
    status = json.loads(ok("db", "status"))
    assert status["running"] is True
    assert status["data_dir"] == str(data_dir)
    assert status["bolt_uri"] == f"bolt://127.0.0.1:{embedded.read_state(data_dir)['bolt_port']}"


def test_db_commands_with_neo4j_configured(data_dir: Path) -> None:
    env = {"SOMEC_NEO4J_URI": "bolt://127.0.0.1:1"}
    assert "no embedded server is used" in ok("db", "status", env=env)
    result = run_cli("db", "start", env=env)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        "Error: SOMEC_NEO4J_URI is set, so the embedded server is not used; unset it to use it."]


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Environment of a separate embedded server in its own data dir, stopped afterwards."""
    env = {"SOMEC_DATA_DIR": str(tmp_path / "own"), "SOMEC_HEAP": "512m", "SOMEC_IDLE_MINUTES": "10"}
    yield env
    embedded.stop(load_settings({**os.environ, **env}))


@pytest.mark.slow
def test_db_start_status_stop(own_server: dict[str, str]) -> None:
    env = own_server
    data_dir = Path(env["SOMEC_DATA_DIR"])

    assert "The embedded database was not running." in ok("db", "stop", env=env)

    started = time.monotonic()
    out = ok("db", "start", env=env)
    first = time.monotonic() - started
    assert out.startswith("Embedded database running on bolt://127.0.0.1:")
    assert f"(data in {data_dir})" in out
    status = json.loads(ok("db", "status", env=env))
    assert status["running"] is True and status["data_dir"] == str(data_dir)
    assert (data_dir / "secret").stat().st_mode & 0o077 == 0  # the password file is the owner's only

    started = time.monotonic()
    again = ok("db", "start", env=env)
    second = time.monotonic() - started
    assert again == out  # the same server, same port
    assert json.loads(ok("db", "status", env=env))["pid"] == status["pid"]
    assert second < first, f"second start took {second:.1f}s, the first {first:.1f}s: it did not reuse the server"

    # the new server is usable and holds an empty graph, separate from the session's
    assert ok("query", "counts", "--format", "csv", env=env).splitlines() == ["kind,name,count"]

    assert ok("db", "stop", env=env).strip() == "Embedded database stopped."
    assert json.loads(ok("db", "status", env=env))["running"] is False
    assert not (data_dir / "server.json").exists()
    assert not embedded._pid_alive(status["pid"])
    assert "The embedded database was not running." in ok("db", "stop", env=env)


def test_warning_with_markup_characters_is_printed_as_is(session_store: Store, tmp_path: Path) -> None:
    rows = base()
    for row in rows["offenders"]:
        row["[/x]"] = ""
    wipe(session_store)
    result = run_cli("load", str(write_dataset(tmp_path, rows)))
    assert result.returncode == 0, result.stderr
    assert "offenders.csv:1: column [/x]: unknown column, ignored" in result.stderr


@pytest.mark.slow
def test_auto_heap_starts_small_and_a_load_grows_it(own_server: dict[str, str]) -> None:
    """SOMEC_HEAP=auto: an empty data dir gets the smallest heap; before a large load the
    server is restarted with the heap the loaded database will need (docs/performance.md)."""
    env = {**own_server, "SOMEC_HEAP": "auto"}
    settings = load_settings({**os.environ, **env})
    ok("db", "start", env=env)
    assert json.loads(ok("db", "status", env=env))["heap"] == "512m"
    embedded.make_room(settings, 1_500_000)  # the seed data set's CSV files: 512 MB is enough
    first = json.loads(ok("db", "status", env=env))
    assert first["heap"] == "512m"
    embedded.make_room(settings, 15_000_000)  # a 20,000-offender set: its 150 MB database wants 768 MB
    grown = json.loads(ok("db", "status", env=env))
    assert grown["heap"] == "768m" and grown["pid"] != first["pid"]
    assert ok("query", "counts", "--format", "csv", env=env).splitlines() == ["kind,name,count"]


def test_a_first_load_with_an_auto_heap_into_a_data_dir_that_does_not_exist_yet(tmp_path: Path) -> None:
    env = {"SOMEC_DATA_DIR": str(tmp_path / "new" / "data"), "SOMEC_HEAP": "auto", "SOMEC_NEO4J_URI": ""}
    try:
        result = run_cli("load", str(write_dataset(tmp_path / "set", base())), env=env)
        assert result.returncode == 0, result.stderr
        assert json.loads(run_cli("db", "status", env=env).stdout)["running"] is True
    finally:
        embedded.stop(load_settings({**os.environ, **env}))
