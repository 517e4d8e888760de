"""tools/neo4j/server refuses what it cannot do in one sentence, before building or starting anything."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest
from fixtures import NEO4J_TOOL


def tool(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(NEO4J_TOOL), *args], capture_output=True, text=True, timeout=120, env=env)


@pytest.mark.parametrize("args, message", [
    ((), "server: no command given."),
    (("launch",), "server: unknown command 'launch'."),
    (("start", "--port", "7687"), "server: --data DIR is required."),
    (("start", "--data", "x", "--port", "99999"), "server: --port needs a port number (1-65535)."),
    (("stop", "--data", "x", "--port", "7687"), "server: --port is only for start."),
])
def test_bad_arguments_are_one_sentence_and_the_usage(args: tuple[str, ...], message: str) -> None:
    result = tool(*args)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines()[0] == message and "Usage:" in result.stderr


def test_a_short_password_is_refused(tmp_path: Path) -> None:
    result = tool("start", "--data", str(tmp_path), "--port", "7999", "--password", "short")
    assert result.returncode != 0 and "Traceback" not in result.stderr and "Exception" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "8 characters" in result.stderr


def test_a_busy_port_is_refused(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        result = tool("start", "--data", str(tmp_path), "--port", str(sock.getsockname()[1]),
                      "--password", "long enough password")
    lines = result.stderr.strip().splitlines()
    assert result.returncode != 0 and "in use" in lines[-1] and "Exception" not in result.stderr


def test_java_missing_is_one_sentence(tmp_path: Path) -> None:
    bare = tmp_path / "bin"  # every command of the system's PATH except java and mvn
    bare.mkdir()
    for folder in ("/usr/local/bin", "/usr/bin", "/bin"):
        for exe in Path(folder).iterdir():
            if exe.name not in ("java", "javac", "mvn") and not (bare / exe.name).exists():
                (bare / exe.name).symlink_to(exe)
    result = tool("start", "--data", str(tmp_path / "data"), "--port", "7999", "--password", "long enough password",
                  env={"PATH": str(bare), "HOME": str(tmp_path)})
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "Java 17 or 21 is needed" in result.stderr


def test_a_bad_expect_is_one_sentence(tmp_path: Path) -> None:
    result = tool("start", "--data", str(tmp_path), "--port", "7999", "--password", "long enough password",
                  "--expect", "lots")
    assert result.returncode != 0 and result.stderr.strip().splitlines() == [
        "server: --expect must be a size like 1g or 512m, not 'lots'."]


@pytest.mark.slow
def test_heap_and_page_cache_are_sized_to_the_data(tmp_path: Path) -> None:
    """Not given, heap = 512 MB + 2 x the store and page cache = 64 MB + 1.2 x it, in 64 MB steps
    (docs/performance.md, Memory); --expect sizes them for a load to come; given, they are kept."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = str(sock.getsockname()[1])
    home = tmp_path / "n"
    conf = home / "conf" / "neo4j.conf"

    def memory() -> tuple[str, str]:
        lines = dict(line.split("=", 1) for line in conf.read_text().splitlines() if "=" in line)
        return lines["server.memory.heap.max_size"], lines["server.memory.pagecache.size"]

    try:
        for extra, env, wanted in [
            ((), {}, None),  # a new store: a few MB on disk
            (("--expect", "300m"), {}, ("1152m", "448m")),  # 512 + 600 -> 1152; 64 + 360 -> 448
            ((), {"SOMEC_NEO4J_HEAP": "700m", "SOMEC_NEO4J_PAGECACHE": "100m"}, ("700m", "100m")),
        ]:
            started = tool("start", "--data", str(home), "--port", port, "--password", "long enough password",
                           *extra, env={**os.environ, **env})
            assert started.returncode == 0, started.stderr
            heap, cache = memory()
            if wanted is None:  # the store files of a new DBMS: a few MB (transaction logs do not count)
                assert heap in ("512m", "576m") and cache in ("64m", "128m")
            else:
                assert (heap, cache) == wanted
            assert f"(heap {heap}, page cache {cache}," in started.stderr
            assert tool("stop", "--data", str(home)).returncode == 0
    finally:
        tool("stop", "--data", str(home))
