"""Every dashboard read from one state of the data (SPEC §2 "Reads while data is written").

`cached(st.cache_data(...))` stands where `st.cache_data(...)` would: the read runs between two
reads of the database's write marker (store/marker.py), and its answer counts only when no write
was under way or began or ended meanwhile, and the data is still the version its cache key names
(a read keyed on version 5 never caches, nor shows, figures of version 6). Anything else is
thrown away, never cached: the page waits for the write (`session.wait_for_writer`) or, when it
has ended already, runs again on the new version, and then says in one line that it waited. A
page's figures are therefore all of one version. Cost: two marker reads (about 3 ms each) per cache
miss, none on a hit.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import streamlit as st

from ..store import marker
from . import session

F = TypeVar("F", bound=Callable[..., Any])

_nesting = threading.local()  # a cached read may call another: only the outermost handles a torn read


class TornRead(Exception):
    """A read overlapped a write (or read another version than its key's): its answer is not used."""

    def __init__(self, seen: marker.Marker) -> None:
        super().__init__(seen.what or "change")
        self.seen = seen


def _key_version(data_key: str) -> int:
    return int(data_key.split(":", 1)[0])  # session.DataState.key begins with the data version


def checked(fn: F) -> F:
    """`fn`, raising TornRead instead of returning an answer from a graph that changed while it read.
    When its first parameter is `data_key`, the data must also be that key's version."""
    keyed = fn.__code__.co_varnames[:1] == ("data_key",)

    @functools.wraps(fn)
    def read(*args: Any, **kwargs: Any) -> Any:
        store = session.get_store()
        before = marker.read(store)
        answer = fn(*args, **kwargs)
        after = marker.read(store)
        key = (args[0] if args else kwargs["data_key"]) if keyed else None
        if not before.same_data(after) or (key is not None and before.version != _key_version(key)):
            raise TornRead(after if after.writing else before)
        return answer

    return read  # type: ignore[return-value]


def handled(fn: F) -> F:
    """`fn`, waiting for the write (or running the page again) when its read was torn."""

    @functools.wraps(fn)
    def read(*args: Any, **kwargs: Any) -> Any:
        _nesting.depth = getattr(_nesting, "depth", 0) + 1
        try:
            return fn(*args, **kwargs)
        except TornRead as torn:
            if _nesting.depth > 1:
                raise
            _wait(torn.seen)
        finally:
            _nesting.depth -= 1

    if hasattr(fn, "clear"):
        read.clear = fn.clear  # type: ignore[attr-defined]
    return read  # type: ignore[return-value]


def cached(cache: Callable[[Any], Any]) -> Callable[[F], F]:
    """A checked read under `cache` (st.cache_data(...) or st.cache_resource(...)): only answers
    from one state of the data are cached."""
    return lambda fn: handled(cache(checked(fn)))


def uncached(fn: F) -> F:
    """A checked read that is not cached (its answer changes without a new data version)."""
    return handled(checked(fn))


@contextmanager
def outside_page() -> Iterator[None]:
    """Reads outside a page run (the prewarm's thread), where there is no page to stop or rerun: a
    torn read raises TornRead to the caller instead (as it does inside an outer read)."""
    _nesting.depth = getattr(_nesting, "depth", 0) + 1
    try:
        yield
    finally:
        _nesting.depth -= 1


def _wait(seen: marker.Marker) -> None:
    session.note_wait(seen.what)
    session.wait_for_writer()  # stops the page while the write runs, and runs it again after
    st.rerun(scope="app")  # the write has ended already: read the new version from the start
