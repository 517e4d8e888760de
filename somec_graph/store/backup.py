"""Backup and restore of the embedded store, with ArcadeDB's own tools.

Backup asks the running server for ArcadeDB's full backup (the SQL command
`BACKUP DATABASE`, sent to its loopback HTTP port as root: Bolt speaks only
Cypher). The server writes a consistent snapshot while readers — the
dashboard — go on reading; the writer lock keeps loads, syncs and erasures
out meanwhile, so a backup never holds half a load. The archive (a zip of the
database files, checksummed per file) is moved to the chosen file, owner-only:
it holds the same personal data as the database.

Restore first unpacks the archive with ArcadeDB's `Restore` tool into a work
folder, while the server goes on serving the current data: a truncated or
foreign file fails there and changes nothing. Only then is the server
stopped, the database folder swapped for the unpacked one (the old one kept
aside), and the server started again; if the restored database does not
answer, the old one is put back. Both take the writer lock.

Readers never see the restored data before the erasures made since the backup
are applied again (SPEC §2 "Reads while data is written"): the restore claims
the write marker in the current database, then writes the same claim into the
unpacked one (the running server opens it for a moment under another name)
before the swap, so the restored database opens already claimed; the claim is
released only once the caller's re-application has finished.

A Neo4j database is backed up with Neo4j's own `neo4j-admin database
dump/load`; docs/security.md gives the steps.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from .. import audit
from ..config import EMBEDDED_DATABASE, Settings
from ..errors import AccessDenied, SomecGraphError, StoreError
from ..roles import LOCAL_ADMIN, User
from . import embedded, marker, writer
from .driver import Store, open_store

BACKUP_TIMEOUT_S = 3600
# The Restore tool only unzips and checks files: a small fixed heap, never SOMEC_HEAP (which may be `auto`).
RESTORE_TOOL_HEAP = "256m"
NEO4J_BACKUP = ("The graph lives in Neo4j, which is backed up with its own tool while the database is stopped: "
                "neo4j-admin database dump (and database load to restore); docs/security.md, section Backups, "
                "gives the steps.")
_REQUIRED_FILES = ("configuration.json", "schema.json")  # what every ArcadeDB database folder holds
RESTORING_DATABASE = "somec_restoring"  # the unpacked backup, opened by name for a moment to claim its marker


def _check(settings: Settings, user: User, what: str) -> None:
    if not settings.embedded:
        raise SomecGraphError(NEO4J_BACKUP)
    if not user.is_admin:
        raise AccessDenied(f"{what} needs the admin role; {user.name} is {user.role}.")


def _server_command(settings: Settings, command: str, api: str = f"command/{EMBEDDED_DATABASE}") -> dict:
    """Run one SQL command (or with `api="server"`, a server command) on the running embedded server,
    over its loopback HTTP port, as root."""
    embedded.ensure_running(settings)
    state = embedded.read_state(settings.data_dir) or {}
    if "http_port" not in state:
        raise StoreError("The embedded server was started by an older version of somec-graph; stop it "
                         "(it starts again by itself) and try again.")
    password = (settings.data_dir / "secret").read_text().strip()
    request = urllib.request.Request(
        f"http://127.0.0.1:{state['http_port']}/api/v1/{api}",
        data=json.dumps({"language": "sql", "command": command}).encode(), method="POST",
        headers={"Authorization": "Basic " + base64.b64encode(f"root:{password}".encode()).decode(),
                 "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=BACKUP_TIMEOUT_S) as response:
            return json.loads(response.read())
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise StoreError(f"The embedded server could not make the backup ({exc}); see "
                         f"{settings.data_dir / 'server.log'}.") from None


def backup(settings: Settings, target: Path, user: User = LOCAL_ADMIN) -> int:
    """Write a consistent backup of the embedded database to `target` (a new file); returns its size in bytes.

    Examples
    --------
    >>> backup(load_settings(), Path("somec-2026-12-01.zip"))  # doctest: +SKIP
    48213
    """
    _check(settings, user, "A backup")
    if target.exists():
        raise SomecGraphError(f"{target} exists already; choose a new file name for the backup.")
    if not target.parent.is_dir():
        raise SomecGraphError(f"The folder {target.parent} does not exist; create it or choose another place.")
    with writer.exclusive(settings.data_dir, user.name, "backup"):
        answer = _server_command(settings, "BACKUP DATABASE")
        name = (answer.get("result") or [{}])[0].get("backupFile")
        made = settings.data_dir / "server" / "backups" / EMBEDDED_DATABASE / str(name)
        if not name or not made.is_file():
            raise StoreError(f"The embedded server made no backup file ({str(answer)[:200]}); see "
                             f"{settings.data_dir / 'server.log'}.")
        os.chmod(made, 0o600)
        partial = target.with_name(f".{target.name}.partial")
        try:
            shutil.move(made, partial)  # a rename on the same disk; a copy then delete across disks
            os.replace(partial, target)  # so `target` is either absent or complete
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise SomecGraphError(f"Cannot write the backup to {target} ({exc.strerror}).") from None
    audit.audited(settings.data_dir, user, "backup", {"file": str(target)})
    return target.stat().st_size


def _unpack(settings: Settings, source: Path, into: Path) -> None:
    """ArcadeDB's Restore tool: the archive unpacked and checked into a new folder, or one sentence."""
    shutil.rmtree(into, ignore_errors=True)
    into.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    java, classpath = embedded.java_runtime()
    done = subprocess.run([str(java), f"-Xmx{RESTORE_TOOL_HEAP}", "-cp", classpath,
                           "com.arcadedb.integration.restore.Restore", "-f", source.resolve().as_uri(),
                           "-d", str(into), "-o"], capture_output=True, text=True, timeout=BACKUP_TIMEOUT_S)
    if done.returncode != 0 or not all((into / f).is_file() for f in _REQUIRED_FILES):
        shutil.rmtree(into, ignore_errors=True)
        causes = [line.split("Exception: ", 1)[1] for line in (done.stdout + done.stderr).splitlines()
                  if "Exception: " in line]
        why = causes[-1][:200] if causes else "it holds no ArcadeDB database"
        raise SomecGraphError(f"{source} is not a usable backup of the embedded database ({why}); "
                              "the current data is unchanged.")


def _swap(settings: Settings, new: Path) -> None:
    """Put the database folder `new` in place of the current one, keeping that aside (server stopped)."""
    current, previous = embedded.database_dir(settings), embedded.previous_dir(settings)
    shutil.rmtree(previous, ignore_errors=True)
    if current.exists():
        current.rename(previous)
    new.rename(current)


def _claim_restored(old: Store, staged: Path, token: str) -> Path:
    """Write the restore's claim of the write marker into the unpacked database before its server
    opens it for everyone: the running server opens it for a moment as a database of its own.
    Returns where it now is (beside the current database, closed)."""
    settings = old.settings
    place = embedded.database_dir(settings).with_name(RESTORING_DATABASE)
    _close_restoring(settings)  # a restore killed here before may have left it open
    shutil.rmtree(place, ignore_errors=True)
    staged.rename(place)
    marker.claim(replace(old, database=RESTORING_DATABASE), "restore", take_over=True, token=token)
    _close_restoring(settings)
    return place


def _close_restoring(settings: Settings) -> None:
    try:
        _server_command(settings, f"close database {RESTORING_DATABASE}", api="server")
    except StoreError:
        pass  # it was not open


@contextmanager
def restore(settings: Settings, source: Path, user: User = LOCAL_ADMIN) -> Iterator[Store]:
    """Replace the embedded database by the backup in `source`; a damaged file changes nothing.

    Yields a store on the restored database with the restore's claim of the write marker still
    held, released on leaving: what the caller does there (re-apply erasures) is part of the
    restore for every reader — they answer from the data before it, or wait for the data after.

    Examples
    --------
    >>> with restore(load_settings(), Path("somec-2026-12-01.zip")) as store:  # doctest: +SKIP
    ...     reapply_erasures(store)
    """
    _check(settings, user, "A restore")
    if not source.is_file():
        raise SomecGraphError(f"{source} is not a file; give the file a backup wrote.")
    work = settings.data_dir / "restore"
    staged = work / "staging"
    with writer.exclusive(settings.data_dir, user.name, "restore"):
        _unpack(settings, source, staged)
        with open_store(settings) as current:  # readers, on any host, wait from here: the marker says "restore"
            current = current.as_user(user)
            token = marker.claim(current, "restore")
            try:
                staged = _claim_restored(current, staged, token)
            except SomecGraphError:
                marker.release(current, token)
                shutil.rmtree(work, ignore_errors=True)
                raise SomecGraphError(f"{source} is not a usable backup of the embedded database (the database in "
                                      "it does not open); the current data is unchanged.") from None
        try:
            with embedded.stopped(settings):
                _swap(settings, staged)
            store = open_store(settings)  # the restored database answers, holding the same claim
        except SomecGraphError:  # the server did not start on it, or it does not answer
            with embedded.stopped(settings):
                shutil.rmtree(embedded.database_dir(settings), ignore_errors=True)
                if embedded.previous_dir(settings).exists():
                    embedded.previous_dir(settings).rename(embedded.database_dir(settings))
            with open_store(settings) as back:
                marker.release(back, token)
            raise SomecGraphError(f"{source} is not a usable backup of the embedded database (the database in "
                                  "it does not open); the previous data was put back.") from None
        with store, marker.holding(store.as_user(user), token):
            shutil.rmtree(work, ignore_errors=True)
            audit.audited(settings.data_dir, user, "restore", {"file": str(source)})
            yield store.as_user(user)
