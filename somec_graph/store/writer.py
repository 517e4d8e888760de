"""One writer at a time: a load (or any other change of the graph's data) holds an exclusive
lock on `writer.lock` in the data dir, and a second one is refused with who holds it since when.

The lock is the operating system's (`flock`): it goes with the process, so a writer killed
with kill -9 leaves nothing to clean up. It serialises the writers of one machine — every
writer of the embedded store, and the loaders of a Neo4j database that run on one host (the
deployment docs/security.md describes). Readers use `current()` to wait for a running load
instead of reading a half-written graph.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> with exclusive(folder, "ana", "load"):
...     current(folder).action, current(folder).user
('load', 'ana')
>>> current(folder) is None
True
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ..errors import SomecGraphError

LOCK_FILE = "writer.lock"


class WriterBusy(SomecGraphError):
    """Another process is changing the graph's data."""


@dataclass(frozen=True)
class Holder:
    action: str
    user: str
    pid: int
    since: str

    def sentence(self) -> str:
        return f"a {self.action} by {self.user} (process {self.pid}) has been running since {self.since}"


def _read(fd: int) -> Holder | None:
    os.lseek(fd, 0, os.SEEK_SET)
    try:
        return Holder(**json.loads(os.read(fd, 4096) or b"null"))
    except (TypeError, ValueError):
        return None  # taken a moment ago, not yet written


@contextmanager
def exclusive(data_dir: Path, user: str, action: str) -> Iterator[None]:
    """Hold the writer lock for the duration, or raise WriterBusy naming the holder."""
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(data_dir / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _read(fd)
            busy = holder.sentence() if holder else "another change of the data is running"
            raise WriterBusy(f"Refused: {busy}; wait until it has finished, then try again.") from None
        since = datetime.now(UTC).isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.pwrite(fd, json.dumps({"action": action, "user": user, "pid": os.getpid(), "since": since}).encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def current(data_dir: Path) -> Holder | None:
    """Who holds the writer lock now, or None when nobody does."""
    try:
        fd = os.open(data_dir / LOCK_FILE, os.O_RDONLY)
    except FileNotFoundError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return _read(fd) or Holder("change", "someone", 0, "a moment ago")
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)
