"""A store that cannot be used is one sentence on stderr with what to do: no
traceback, no driver log lines, a non-zero exit code, and no long wait."""

from __future__ import annotations

import re
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures import Backend, free_port, run_cli

from somec_graph.config import load_settings
from somec_graph.errors import ConfigError
from somec_graph.store import Store, embedded


def one_line_error(env: dict[str, str], *must_contain: str, args: tuple[str, ...] = ("query", "counts")) -> str:
    started = time.monotonic()
    result = run_cli(*args, env=env, timeout=60)
    elapsed = time.monotonic() - started
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ")
    for text in must_contain:
        assert text in lines[0]
    assert result.stdout == ""
    assert elapsed < 20, f"took {elapsed:.1f}s to give up"
    return lines[0]


@pytest.fixture
def bolt_target(session_store: Store, backend: Backend) -> dict[str, str]:
    """Bolt settings that reach the store under test directly: the embedded server's port, user and
    password from its data dir, or the Neo4j server's own settings."""
    if backend.name == "neo4j":
        return {k: v for k, v in backend.env.items() if k.startswith("SOMEC_NEO4J_")}
    state = embedded.read_state(backend.data_dir)
    assert state is not None
    return {"SOMEC_NEO4J_URI": f"bolt://127.0.0.1:{state['bolt_port']}", "SOMEC_NEO4J_USER": "root",
            "SOMEC_NEO4J_PASSWORD": (backend.data_dir / "secret").read_text().strip(),
            "SOMEC_NEO4J_DATABASE": session_store.database}


@pytest.fixture
def listening_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        yield sock.getsockname()[1]


def test_unreachable_server(data_dir: Path) -> None:
    port = free_port()  # closed once it is returned
    one_line_error({"SOMEC_NEO4J_URI": f"bolt://127.0.0.1:{port}", "SOMEC_NEO4J_PASSWORD": "x"},
                   f"Cannot reach the database at bolt://127.0.0.1:{port}", "check that it is running")


def test_unusable_uri(data_dir: Path) -> None:
    one_line_error({"SOMEC_NEO4J_URI": "http://127.0.0.1:7474"}, "is not usable", "fix SOMEC_NEO4J_URI")


def test_wrong_password(bolt_target: dict[str, str]) -> None:
    one_line_error({**bolt_target, "SOMEC_NEO4J_PASSWORD": "not-the-password"},
                   "refused the user name or password", "check SOMEC_NEO4J_USER and SOMEC_NEO4J_PASSWORD")


def test_unknown_database(bolt_target: dict[str, str]) -> None:
    line = one_line_error({**bolt_target, "SOMEC_NEO4J_DATABASE": "nosuch"},
                          "'nosuch' does not exist", "set SOMEC_NEO4J_DATABASE")
    assert bolt_target["SOMEC_NEO4J_PASSWORD"] not in line  # the password is never shown


def test_right_credentials_work(bolt_target: dict[str, str]) -> None:
    """The same settings with the right database: the failures above are the settings' fault."""
    result = run_cli("query", "counts", "--format", "csv", env=bolt_target)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "kind,name,count"


@pytest.mark.embedded_only
def test_bolt_port_in_use(tmp_path: Path, listening_port: int) -> None:
    one_line_error({"SOMEC_DATA_DIR": str(tmp_path / "data"), "SOMEC_BOLT_PORT": str(listening_port)},
                   f"Port {listening_port} on 127.0.0.1 is already in use", "set SOMEC_BOLT_PORT")
    assert embedded.read_state(tmp_path / "data") is None  # nothing was started


@pytest.mark.embedded_only
@pytest.mark.parametrize("where", ["under a file", "under /proc"])
def test_data_dir_not_writable(tmp_path: Path, where: str) -> None:
    if where == "under a file":
        (tmp_path / "plain-file").write_text("not a folder")
        data_dir = tmp_path / "plain-file" / "sub"
    else:
        data_dir = Path("/proc/somec-graph-test/sub")
    one_line_error({"SOMEC_DATA_DIR": str(data_dir)}, f"The data folder {data_dir} is not writable",
                   "set SOMEC_DATA_DIR to a folder you can write to")


@pytest.mark.parametrize("name, value, message", [
    ("SOMEC_BATCH_SIZE", "lots", "SOMEC_BATCH_SIZE='lots' is not a whole number"),
    ("SOMEC_BATCH_SIZE", "0", "SOMEC_BATCH_SIZE='0' must be at least 1"),
    ("SOMEC_BOLT_PORT", "-1", "SOMEC_BOLT_PORT='-1' must be at least 0"),
    ("SOMEC_IDLE_MINUTES", "1.5", "SOMEC_IDLE_MINUTES='1.5' is not a whole number"),
    ("SOMEC_HEAP", "lots", "SOMEC_HEAP='lots' must be auto or look like 2g"),
])
def test_bad_setting(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_settings({name: value})


def test_bad_setting_through_the_cli(data_dir: Path) -> None:
    one_line_error({"SOMEC_BATCH_SIZE": "lots"}, "SOMEC_BATCH_SIZE='lots' is not a whole number")
