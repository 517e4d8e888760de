"""The write marker in the database (SPEC §2 "Reads while data is written").

Every change of the graph's data — load, sync, erasure, restore — runs inside `writing()`,
which claims the Meta node's write-in-progress flag with a random token and keeps a heartbeat
on it. The marker lives in the database, so it holds on both stores and for writers and
readers on any host. A second writer while a claim is fresh is refused in one sentence; a
claim whose heartbeat is older than SOMEC_WRITE_STALE_SECONDS (its writer died) is taken over by the next
writer, which then completes the work (a load resumes from Meta.pending). A claim made from this
host and data folder is taken over at once: `writing()` holds that folder's writer lock (`writer.py`,
the operating system's, gone with its process), so the claim's writer is dead.

Readers use `consistent()`: the marker (data version, claim count, flag) is read before and
after the read; if a write is under way, the reader waits for it (bounded) and reads again,
so an answer is always from the state before a write began or after it ended. A reader calls a
write dead (the data half-written) only when its heartbeat is stale and, on the embedded store, no
process holds the data folder's writer lock (`died`): a restore stops the server to swap the database,
and no heartbeat reaches a stopped server.
"""

from __future__ import annotations

import secrets
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, TypeVar

from ..errors import SomecGraphError
from . import writer

if TYPE_CHECKING:
    from .driver import Store

POLL_S = 0.5  # a waiting reader looks at the marker this often

T = TypeVar("T")


class WriteBusy(SomecGraphError):
    """Another writer holds a fresh claim of the write marker."""


class ReadWaitExceeded(SomecGraphError):
    """A write ran longer than a reader waits, or died leaving the data half-written."""


@dataclass(frozen=True)
class Marker:
    version: int
    claims: int
    writing: bool
    what: str | None
    who: str | None
    host: str | None
    beat_at: float | None

    def stale(self, stale_s: float) -> bool:
        return self.writing and (self.beat_at or 0.0) < time.time() - stale_s

    def holder(self) -> str:
        since = datetime.fromtimestamp(self.beat_at or 0.0, UTC).isoformat(timespec="seconds")
        return (f"a {self.what or 'change'} by {self.who or 'someone'} on {self.host or 'another host'} "
                f"(last sign of life {since})")

    def same_data(self, other: Marker) -> bool:
        return not self.writing and not other.writing and (self.version, self.claims) == (other.version, other.claims)


def _capital(sentence: str) -> str:
    return sentence[:1].upper() + sentence[1:]  # str.capitalize() would lower the names and the time in it


def read(store: Store) -> Marker:
    return Marker(**store.run("meta/marker")[0])


_held = threading.local()  # the claims this thread holds, by database: a write inside another joins it


def _key(store: Store) -> tuple[str, str]:
    return store.uri, store.database


def claim(store: Store, what: str, *, take_over: bool = False, token: str | None = None) -> str:
    """Claim the write marker, or raise WriteBusy naming its holder; returns the claim's token
    (`token`, or a new one).

    The caller holds this data folder's writer lock. `take_over`: whatever claim the database holds
    is taken (a restore's copy of a database, which nobody else can reach yet)."""
    token, now, host = token or secrets.token_hex(16), time.time(), socket.gethostname()
    stale_s = store.settings.write_stale_s
    got = store.run("meta/claim", {"token": token, "what": what, "who": store.user.name, "host": host,
                                   "owner": f"{host}:{store.settings.data_dir}", "now": now,
                                   "stale_before": now + stale_s if take_over else now - stale_s}, write=True)[0]
    if not got["mine"]:
        busy = Marker(0, 0, True, got["what"], got["who"], got["host"], got["beat_at"]).holder()
        raise WriteBusy(f"Refused: {busy} is changing the data; wait until it has finished, then try again.")
    return token


def release(store: Store, token: str) -> None:
    store.run("meta/release", {"token": token}, write=True)


@contextmanager
def holding(store: Store, token: str) -> Iterator[None]:
    """Keep the claim `token` alive (a heartbeat) for the duration, then release it. Within, a
    `writing()` of this thread on the same database joins the claim instead of refusing itself
    (a restore re-applies erasures under its own claim: readers see before or after only)."""
    held: dict[tuple[str, str], str] = getattr(_held, "claims", {})
    _held.claims = held
    key, stop = _key(store), threading.Event()
    beat_s = store.settings.write_stale_s / 6  # well inside the stale limit even on a busy machine

    def beat() -> None:
        while not stop.wait(beat_s):
            try:
                store.run("meta/beat", {"token": token, "now": time.time()}, write=True)
            except Exception:  # noqa: BLE001 - a missed beat is retried; the write itself reports errors
                pass

    beater = threading.Thread(target=beat, name="write-marker-heartbeat", daemon=True)
    held[key] = token
    try:
        store.run("meta/beat", {"token": token, "now": time.time()}, write=True)  # alive from the first moment
        beater.start()
        yield
    finally:
        del held[key]
        stop.set()
        if beater.is_alive():
            beater.join()
        release(store, token)


@contextmanager
def writing(store: Store, what: str) -> Iterator[None]:
    """Hold the write marker (and this host's writer lock) for the duration, or raise WriteBusy.
    Inside another claim of this thread on the same database, it runs under that claim."""
    if _key(store) in getattr(_held, "claims", {}):
        yield
        return
    with writer.exclusive(store.settings.data_dir, store.user.name, what):
        with holding(store, claim(store, what)):
            yield


def consistent(store: Store, read_fn: Callable[[], T], *, say: Callable[[str], None] | None = None) -> T:
    """Run `read_fn` so that its answer is from one state of the data: before a write, or after it.

    Says in one line (through `say`, stderr by default) when it waited for a write to finish."""
    say = say or (lambda line: print(line, file=sys.stderr))
    deadline = time.monotonic() + store.settings.read_wait_s
    waited: Marker | None = None
    while True:
        before, write = _settled(store, deadline)
        waited = waited or write
        answer = read_fn()
        after = read(store)
        if before.same_data(after):
            if waited is not None:
                say(f"Waited for a {waited.what or 'change'} to finish; this answer is from the data after it.")
            return answer
        waited = waited or (after if after.writing else before)


def _settled(store: Store, deadline: float) -> tuple[Marker, Marker | None]:
    """The marker once no write is under way, and the write waited for (if any); refuses when the
    wait runs out or the writer died."""
    seen = read(store)
    write = seen if seen.writing else None
    first = True
    while seen.writing:
        if died(store, seen):
            raise ReadWaitExceeded(f"{_capital(seen.holder())} stopped before it finished, so the data is "
                                   f"half-written; run that {seen.what or 'change'} again, then read again.")
        if time.monotonic() > deadline:
            raise ReadWaitExceeded(f"{_capital(seen.holder())} is still changing the data; try again later.")
        if not first:
            time.sleep(POLL_S)
        first = False
        seen = read(store)
    return seen, write


def died(store: Store, seen: Marker) -> bool:
    """Whether the write `seen` stopped before it finished: its heartbeat is stale and, on the embedded
    store, no writer holds the data folder's writer lock. Its writers all run on this host with this folder
    and hold that lock while they live, so a restore, whose claim has no heartbeat while the server is
    stopped for the swap, is alive however long the swap takes."""
    if not seen.stale(store.settings.write_stale_s):
        return False
    return not (store.settings.embedded and writer.current(store.settings.data_dir) is not None)
