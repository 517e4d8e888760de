"""The embedded default store: an ArcadeDB server speaking Bolt on loopback.

`ensure_running()` starts it once and later CLI calls reuse it, so no call but
the first pays the JVM start. The server runs under a small supervisor process
(`python -m somec_graph.store.embedded serve`) that stops it after SOMEC_IDLE_MINUTES
without use and removes the state file when it ends. Files in SOMEC_DATA_DIR:

- `secret`        random root password, created at first start, mode 0600
- `server.json`   pid of the supervisor and the ports, while it runs
- `last-used`     touched on every use; its mtime drives the idle stop
- `server.log`    the server's log
- `bolt-port`     the port chosen at first start, reused so clients reconnect after a restart
- `databases/`    the data
- `restore/`      a restore's work folder (the backup being unpacked, the database it replaces)
"""

from __future__ import annotations

import ctypes
import fcntl
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..config import EMBEDDED_DATABASE, Settings
from ..errors import ConfigError, StoreError

START_TIMEOUT_S = 90
# SOMEC_HEAP=auto (docs/performance.md, "Memory"): the heap grows with the database's
# size on disk. Measured: a 45 MB database (2k offenders) runs in 512 MB, 144 MB
# (20k) in 768 MB; ArcadeDB keeps a quarter of the heap as its page cache.
AUTO_HEAP_MIN_MB = 512
AUTO_HEAP_BASE_MB = 256
AUTO_HEAP_PER_DB_MB = 3.5
# A load's database is about ten times the size of its CSV files (S: 1.5 MB -> 45 MB, M: 14.5 MB -> 144 MB).
DB_BYTES_PER_CSV_BYTE = 10
STOP_TIMEOUT_S = 60
# Jars we leave off the classpath: they would open extra listeners (MCP, the
# Postgres and Redis wire protocols) that nobody here needs.
EXCLUDED_JARS = ("arcadedb-mcp-", "arcadedb-postgresw-", "arcadedb-redisw-")


@dataclass(frozen=True)
class ServerInfo:
    uri: str
    user: str
    password: str
    database: str
    pid: int


def _runtime_dir() -> Path:
    try:
        import arcadedb_embedded
    except ImportError:  # pragma: no cover - a broken install
        raise ConfigError("The package arcadedb-embedded is missing; reinstall somec-graph (pip install -e .).") from None
    return Path(arcadedb_embedded.__file__).resolve().parent


def _paths(data_dir: Path) -> dict[str, Path]:
    return {name: data_dir / name
            for name in ("secret", "server.json", "last-used", "server.log", "server.lock", "bolt-port")}


def prepare_data_dir(data_dir: Path) -> None:
    """Create the data dir (owner-only) or say clearly why we cannot."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        probe = data_dir / ".write-test"
        probe.write_text("ok")
        probe.unlink()
    except OSError as exc:
        raise ConfigError(
            f"The data folder {data_dir} is not writable ({exc.strerror}); "
            "set SOMEC_DATA_DIR to a folder you can write to."
        ) from None


def _password(data_dir: Path) -> str:
    secret = _paths(data_dir)["secret"]
    if not secret.exists():
        fd = os.open(secret, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(24))
    return secret.read_text().strip()


def _pid_alive(pid: int) -> bool:
    try:
        # Reap it if it is our own child that has exited (a zombie still answers kill 0).
        if os.waitpid(pid, os.WNOHANG)[0] == pid:
            return False
    except ChildProcessError:
        pass
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # Another process's child that has exited stays a zombie until that process reaps it
    # (a supervisor started by a long-lived dashboard or test run): it is not running.
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _port_open(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def read_state(data_dir: Path) -> dict | None:
    """The running server's state, or None when no live server owns the dir."""
    path = _paths(data_dir)["server.json"]
    try:
        state = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    if not _pid_alive(state["pid"]):
        path.unlink(missing_ok=True)
        return None
    return state


def touch(data_dir: Path) -> None:
    _paths(data_dir)["last-used"].touch()


@contextmanager
def _start_lock(data_dir: Path) -> Iterator[None]:
    # Two CLI calls starting at once must not start two servers on one folder.
    with open(_paths(data_dir)["server.lock"], "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def database_bytes(data_dir: Path) -> int:
    """Bytes of the database files under `data_dir` (0 before the first start)."""
    db_dir = data_dir / "databases"
    return sum(p.stat().st_size for p in db_dir.rglob("*") if p.is_file()) if db_dir.exists() else 0


def auto_heap_mb(db_bytes: int, memory_bytes: int | None = None) -> int:
    """The heap SOMEC_HEAP=auto gives a database of `db_bytes`: 256 MB + 3.5 x its size,
    at least 512 MB, in steps of 128 MB, at most a quarter of the machine's memory.

    >>> auto_heap_mb(0), auto_heap_mb(45 << 20), auto_heap_mb(144 << 20), auto_heap_mb(700 << 20)
    (512, 512, 768, 2816)
    >>> auto_heap_mb(100 << 30, memory_bytes=24 << 30)
    6144
    """
    memory = memory_bytes or os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    wanted = AUTO_HEAP_BASE_MB + AUTO_HEAP_PER_DB_MB * db_bytes / 2**20
    steps = -(-int(wanted) // 128)  # round up to whole 128 MB steps
    return min(max(AUTO_HEAP_MIN_MB, steps * 128), memory // 4 // 2**20)


def heap_for(settings: Settings, expected_db_bytes: int = 0) -> str:
    """The -Xmx of a server started now: SOMEC_HEAP, or for `auto` sized from the larger of
    the database on disk and `expected_db_bytes` (what a load about to run will make of it)."""
    if settings.heap != "auto":
        return settings.heap
    return f"{auto_heap_mb(max(database_bytes(settings.data_dir), expected_db_bytes))}m"


def _heap_mb(heap: str) -> int:
    return int(heap[:-1]) * (1024 if heap[-1].lower() == "g" else 1)


def make_room(settings: Settings, csv_bytes: int) -> None:
    """Before loading `csv_bytes` of CSV files: restart a running server whose auto-sized heap
    is too small for the database the load will make (a first load starts from an empty,
    512 MB server). With a fixed SOMEC_HEAP nothing changes."""
    if settings.heap == "auto":
        prepare_data_dir(settings.data_dir)  # a first load may come before the folder exists
        wanted = heap_for(settings, DB_BYTES_PER_CSV_BYTE * csv_bytes)
        # Under the start lock throughout: no reader starts a smaller server in between.
        with _start_lock(settings.data_dir):
            state = read_state(settings.data_dir)
            if state is None or _heap_mb(state.get("heap", "0m")) >= _heap_mb(wanted):
                return
            stop(settings, f"restarting with a {wanted} heap for the data about to load")
            _start(settings, wanted)


def ensure_running(settings: Settings, expected_db_bytes: int = 0) -> ServerInfo:
    """Return connection details of the embedded server, starting it if needed
    (with its heap sized for at least `expected_db_bytes`, see `heap_for`)."""
    data_dir = settings.data_dir
    prepare_data_dir(data_dir)
    password = _password(data_dir)
    with _start_lock(data_dir):
        state = read_state(data_dir)
        if state is None:
            state = _start(settings, heap_for(settings, expected_db_bytes))
    touch(data_dir)
    return ServerInfo(
        uri=f"bolt://127.0.0.1:{state['bolt_port']}",
        user="root",
        password=password,
        database=EMBEDDED_DATABASE,
        pid=state["pid"],
    )


def _port(settings: Settings) -> int:
    """SOMEC_BOLT_PORT, else the port this data dir used before (if free), else a free one."""
    if settings.bolt_port:
        return settings.bolt_port
    remembered = _paths(settings.data_dir)["bolt-port"]
    try:
        port = int(remembered.read_text())
        if not _port_open(port):
            return port
    except (OSError, ValueError):
        pass
    port = _free_port()
    remembered.write_text(str(port))
    return port


def recover(settings: Settings, timeout_s: float = 20) -> bool:
    """Make sure a server answers again after one stopped answering; True when worth retrying.

    Just after the JVM dies its supervisor may not have noticed yet (it checks
    every half second), so a state file with a closed port means "wait and
    see", not "running".
    """
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        state = read_state(settings.data_dir)
        if state is None:
            ensure_running(settings)
            return True
        if _port_open(state["bolt_port"]):
            return True
        time.sleep(0.3)
    return False


def _start(settings: Settings, heap: str) -> dict:
    data_dir = settings.data_dir
    paths = _paths(data_dir)
    _recover_replaced(settings)
    bolt_port = _port(settings)
    if _port_open(bolt_port):
        raise ConfigError(
            f"Port {bolt_port} on 127.0.0.1 is already in use by another program; "
            "set SOMEC_BOLT_PORT to a free port (or 0 to pick one)."
        )
    log = open(paths["server.log"], "ab")
    supervisor = subprocess.Popen(
        [sys.executable, "-m", "somec_graph.store.embedded", "serve", str(data_dir), str(bolt_port),
         str(settings.idle_minutes), heap],
        stdin=subprocess.DEVNULL, stdout=log, stderr=log, start_new_session=True,
    )
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        state = read_state(data_dir)
        if state and _port_open(state["bolt_port"]):
            return state
        if supervisor.poll() is not None:
            break
        time.sleep(0.2)
    supervisor.kill()
    tail = paths["server.log"].read_text(errors="replace").strip().splitlines()[-3:]
    raise StoreError(
        "The embedded database server did not start; see "
        f"{paths['server.log']} (last lines: {' | '.join(tail)[-300:]})."
    )


@contextmanager
def stopped(settings: Settings) -> Iterator[None]:
    """The server stopped for the duration (to replace its database), and started again after it.

    The start lock is held throughout, so no other process (a dashboard reading) starts the
    server on a half-replaced folder; they wait, then find it running again.
    """
    with _start_lock(settings.data_dir):
        stop(settings, "replacing its database")
        try:
            yield
        finally:
            _start(settings, heap_for(settings))


def database_dir(settings: Settings) -> Path:
    return settings.data_dir / "databases" / EMBEDDED_DATABASE


def previous_dir(settings: Settings) -> Path:
    """Where a restore keeps the replaced database until the restored one answers: outside
    `databases/`, where the server would open it as a database of its own."""
    return settings.data_dir / "restore" / "previous"


def _recover_replaced(settings: Settings) -> None:
    # A restore killed between moving the database aside and moving the new one in:
    # put the old one back, rather than let the server create an empty database.
    if previous_dir(settings).is_dir() and not database_dir(settings).exists():
        previous_dir(settings).rename(database_dir(settings))


def stop(settings: Settings, why: str = "asked to stop") -> bool:
    """Stop the embedded server (supervisor and JVM); return False when none was running."""
    state = read_state(settings.data_dir)
    if state is None:
        return False
    with _paths(settings.data_dir)["server.log"].open("a") as log:
        log.write(f"\nsomec-graph: stopping the server ({why})\n")
    os.kill(state["pid"], signal.SIGTERM)
    for pid in (state["pid"], state.get("java_pid", state["pid"])):
        # The JVM must be gone too: one left behind would serve the same folder beside the next.
        deadline = time.monotonic() + STOP_TIMEOUT_S
        while _pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _pid_alive(pid):
            os.kill(pid, signal.SIGKILL)
    _paths(settings.data_dir)["server.json"].unlink(missing_ok=True)
    return True


def status(settings: Settings) -> dict:
    """What `db status` shows: running or not, pid, port, data dir, size."""
    state = read_state(settings.data_dir)
    size = database_bytes(settings.data_dir)
    result = {"running": state is not None, "data_dir": str(settings.data_dir), "database_bytes": size}
    if state:
        result.update(pid=state["pid"], bolt_uri=f"bolt://127.0.0.1:{state['bolt_port']}",
                      started=state["started"], idle_minutes=state["idle_minutes"], heap=state.get("heap"))
    return result


# --- the supervisor process -------------------------------------------------

def _die_with_parent() -> None:
    # Linux: the JVM gets SIGTERM if the supervisor dies, even by kill -9.
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def java_runtime() -> tuple[Path, str]:
    """The bundled `java` and the class path of the server's jars (the backup tools use them too)."""
    runtime = _runtime_dir()
    jars = sorted(str(j) for j in (runtime / "jars").glob("*.jar") if not j.name.startswith(EXCLUDED_JARS))
    return runtime / "jre" / "bin" / "java", ":".join(jars)


def _java_command(data_dir: Path, bolt_port: int, http_port: int, heap: str) -> list[str]:
    java, classpath = java_runtime()
    server_root = data_dir / "server"
    settings = {
        "arcadedb.server.rootPath": server_root,
        "arcadedb.server.databaseDirectory": data_dir / "databases",
        # The password is read from the owner-only file, never from the command line.
        "arcadedb.server.rootPasswordPath": data_dir / "secret",
        "arcadedb.server.defaultDatabases": f"{EMBEDDED_DATABASE}[root]",
        "arcadedb.server.mode": "production",
        "arcadedb.server.plugins": "Bolt:com.arcadedb.bolt.BoltProtocolPlugin",
        "arcadedb.server.httpIncomingHost": "127.0.0.1",
        "arcadedb.server.httpIncomingPort": http_port,
        "arcadedb.bolt.host": "127.0.0.1",
        "arcadedb.bolt.port": bolt_port,
    }
    return [str(java), f"-Xmx{heap}", "-cp", classpath,
            *(f"-D{k}={v}" for k, v in settings.items()), "com.arcadedb.server.ArcadeDBServer"]


def serve(data_dir: Path, bolt_port: int, idle_minutes: int, heap: str) -> int:
    """Run the JVM, publish server.json once Bolt and HTTP listen, stop when idle."""
    paths = _paths(data_dir)
    (data_dir / "server").mkdir(exist_ok=True)
    # Loopback HTTP, root only: how `backup.py` asks the server for a consistent backup (SQL over Bolt is not spoken).
    http_port = _free_port()
    # cwd: the server writes its log/ folder where it runs, which must be the data dir.
    java = subprocess.Popen(_java_command(data_dir, bolt_port, http_port, heap), stdin=subprocess.DEVNULL,
                            preexec_fn=_die_with_parent, cwd=data_dir)
    stopping = False

    def on_term(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGINT, on_term)
    published = False
    touch(data_dir)
    while not stopping and java.poll() is None:
        # Started only once both ports answer: Bolt opens before HTTP, which backups use.
        if not published and _port_open(bolt_port) and _port_open(http_port):
            state = {"pid": os.getpid(), "java_pid": java.pid, "bolt_port": bolt_port, "http_port": http_port,
                     "started": time.strftime("%Y-%m-%dT%H:%M:%S"), "idle_minutes": idle_minutes, "heap": heap}
            tmp = paths["server.json"].with_suffix(".tmp")
            tmp.write_text(json.dumps(state))
            tmp.replace(paths["server.json"])
            published = True
        if published and idle_minutes:
            idle_s = time.time() - paths["last-used"].stat().st_mtime
            if idle_s > idle_minutes * 60:
                print(f"somec-graph: idle for {idle_minutes} min, stopping", flush=True)
                break
        time.sleep(0.2 if not published else 0.5)
    paths["server.json"].unlink(missing_ok=True)
    if java.poll() is None:
        java.terminate()  # the JVM's shutdown hook closes the database cleanly
        try:
            java.wait(STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            java.kill()
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "serve":
        sys.exit(serve(Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]))
    sys.exit("usage: python -m somec_graph.store.embedded serve DATA_DIR BOLT_PORT IDLE_MINUTES HEAP")
