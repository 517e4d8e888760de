"""Connections (SPEC §9): how are two offenders linked in the co-offender network?

Two offenders are linked when they share a ``case_id``. `connect` finds all the
shortest paths between two offenders by a breadth-first search from both ends
at once, one database round trip per step of the smaller frontier
(`cypher/connect/neighbours.cypher`), so only the neighbourhoods the search
reaches are read, never the whole network. It is bounded three ways, so that a
dense graph cannot hang the server: by links (`max_hops`), by the offenders it
may reach (`max_offenders`) and by time (`max_seconds`); hitting either of the
last two is an error, since "no path" would then be a guess. An analyst's paths
pass only through offenders in their scope: the neighbour statement filters on
`$scope` at both ends.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from itertools import islice
from typing import TYPE_CHECKING

from ..errors import SomecGraphError
from ..lazy import lazy_module
from ..rows import Rows
from ..store import Store

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

CONNECT_COLUMNS = ["path", "step", "offender_id", "case_id"]
MAX_HOPS = 6       # SPEC §9 defaults
LIMIT = 10
HOPS_RANGE = range(1, 21)
MAX_OFFENDERS = 50_000  # offenders one search may reach before it gives up
MAX_SECONDS = 20.0
BATCH = 500        # frontier ids per round trip: keeps each statement short, and the clock checked often

# offender ids -> for each, its neighbours and the smallest case linking them
Neighbours = Callable[[list[str]], dict[str, dict[str, str]]]


class SearchTooLarge(SomecGraphError):
    """The search reached its offender or time budget before it could answer."""


def shortest_paths(neighbours: Neighbours, a: str, b: str, *, max_hops: int = MAX_HOPS,
                   max_offenders: int = MAX_OFFENDERS,
                   deadline: float | None = None) -> Iterator[list[str]]:
    """All shortest paths from `a` to `b` of at most `max_hops` links, over any neighbour function,
    lazily, in the order of their sequences of ids (compared as lists); none when no path is that short.

    `neighbours(ids)` gives, for each of `ids`, its neighbours, each with the
    case that links them. `paths_between` takes the first few as a list.

    Examples
    --------
    >>> g = {"A": {"X": "c1", "Y": "c2"}, "X": {"A": "c1", "B": "c3"}, "Y": {"A": "c2", "B": "c4"},
    ...      "B": {"X": "c3", "Y": "c4"}}
    >>> look = lambda ids: {i: g.get(i, {}) for i in ids}
    >>> list(shortest_paths(look, "A", "B"))
    [['A', 'X', 'B'], ['A', 'Y', 'B']]
    >>> paths_between(look, "A", "B", limit=1)
    [['A', 'X', 'B']]
    >>> paths_between(look, "A", "B", max_hops=1)
    []
    """
    # dist[side][id]: links from that side's end; pred[side][id]: the ids one link nearer that end
    dist: list[dict[str, int]] = [{a: 0}, {b: 0}]
    pred: list[dict[str, list[str]]] = [{a: []}, {b: []}]
    frontier: list[list[str]] = [[a], [b]]
    depth = [0, 0]
    meeting: list[str] = []
    while not meeting and depth[0] + depth[1] < max_hops and frontier[0] and frontier[1]:
        side = 0 if len(frontier[0]) <= len(frontier[1]) else 1
        found: dict[str, list[str]] = {}
        for start in range(0, len(frontier[side]), BATCH):
            if deadline is not None and time.monotonic() > deadline:
                raise SearchTooLarge("time")
            batch = frontier[side][start:start + BATCH]
            for source, near in neighbours(batch).items():
                for n in near:
                    if n not in dist[side]:
                        found.setdefault(n, []).append(source)
        depth[side] += 1
        for n, sources in found.items():
            dist[side][n] = depth[side]
            pred[side][n] = sorted(sources)
        if len(dist[0]) + len(dist[1]) > max_offenders:
            raise SearchTooLarge("offenders")
        frontier[side] = sorted(found)
        meeting = sorted(n for n in found if n in dist[1 - side])
    if not meeting:
        return

    # The meeting ids lie `depth[0]` links from a and `depth[1]` from b; every shortest path
    # passes through exactly one of them. Successors toward b of every id on such a path:
    nxt: dict[str, set[str]] = {}
    todo, seen = list(meeting), set(meeting)
    while todo:  # a's half: walk back from the meeting ids, linking each predecessor forward
        n = todo.pop()
        for p in pred[0][n]:
            nxt.setdefault(p, set()).add(n)
            if p not in seen:
                seen.add(p)
                todo.append(p)
    todo, seen = list(meeting), set(meeting)
    while todo:  # b's half: each id's predecessors on b's side are its successors toward b
        n = todo.pop()
        nxt.setdefault(n, set()).update(pred[1][n])
        todo.extend(p for p in pred[1][n] if p not in seen)
        seen.update(pred[1][n])

    def walk(path: list[str]) -> Iterator[list[str]]:
        if path[-1] == b:
            yield list(path)
            return
        for n in sorted(nxt[path[-1]]):  # every successor leads to b: no dead ends, so k paths cost k walks
            path.append(n)
            yield from walk(path)
            path.pop()

    yield from walk([a])


def paths_between(neighbours: Neighbours, a: str, b: str, *, max_hops: int = MAX_HOPS, limit: int = LIMIT,
                  max_offenders: int = MAX_OFFENDERS, deadline: float | None = None) -> list[list[str]]:
    """The first `limit` shortest paths from `a` to `b` (see `shortest_paths`), each a list of ids."""
    return list(islice(shortest_paths(neighbours, a, b, max_hops=max_hops, max_offenders=max_offenders,
                                      deadline=deadline), limit))


def connect(store: Store, a: str, b: str, *, max_hops: int = MAX_HOPS, limit: int = LIMIT,
            max_offenders: int = MAX_OFFENDERS, max_seconds: float = MAX_SECONDS) -> pd.DataFrame:
    """The shortest paths between offenders `a` and `b` in the co-offender network (SPEC §9).

    Parameters
    ----------
    store : Store
    a, b : str
        Offender ids, different; both must exist and be visible to the user.
    max_hops : int, default 6
        At most this many links per path (1 to 20).
    limit : int, default 10
        At most this many paths, in the order of their sequences of offender ids.
    max_offenders, max_seconds : bounds of the search
        When it reaches more offenders, or runs longer, it stops with an error
        asking for a smaller `max_hops`.

    Returns
    -------
    DataFrame with columns ``path, step, offender_id, case_id``: ``path`` from 1,
    ``step`` from 0 (`a`) to the path's length (`b`), ``case_id`` the smallest
    case linking this offender to the next one (None on the last step). No rows
    when no path has at most `max_hops` links.

    Examples
    --------
    >>> connect(store, "OFF-000013", "OFF-000674")  # doctest: +SKIP
       path  step offender_id     case_id
    0     1     0  OFF-000013  CASE-00058
    1     1     1  OFF-000674        None
    """
    return connect_rows(store, a, b, max_hops=max_hops, limit=limit, max_offenders=max_offenders,
                        max_seconds=max_seconds).frame()


def connect_rows(store: Store, a: str, b: str, *, max_hops: int = MAX_HOPS, limit: int = LIMIT,
                 max_offenders: int = MAX_OFFENDERS, max_seconds: float = MAX_SECONDS) -> Rows:
    """`connect` as plain rows."""
    store.user.require_detail("A connection between offenders")
    if a == b:
        raise SomecGraphError(f"Both offenders are {a!r}; give two different offender ids.")
    if max_hops not in HOPS_RANGE:
        raise SomecGraphError(f"max_hops must be from {HOPS_RANGE.start} to {HOPS_RANGE.stop - 1}, not {max_hops}.")
    if limit < 1:
        raise SomecGraphError(f"limit must be 1 or more, not {limit}.")
    visible = {r["offender_id"] for r in store.run("connect/visible", {"ids": [a, b]})}
    for x in (a, b):  # an offender outside an analyst's scope is reported exactly like an unknown one
        if x not in visible:
            raise SomecGraphError(f"No offender {x!r} in the graph; offender ids look like "
                                  "the offender_id column of offenders.csv.")
    cases: dict[tuple[str, str], str] = {}

    def neighbours(ids: list[str]) -> dict[str, dict[str, str]]:
        out: dict[str, dict[str, str]] = {i: {} for i in ids}
        for r in store.run("connect/neighbours", {"ids": ids}):
            out[r["offender_id"]][r["neighbour_id"]] = r["case_id"]
            cases[r["offender_id"], r["neighbour_id"]] = cases[r["neighbour_id"], r["offender_id"]] = r["case_id"]
        return out

    try:
        found = paths_between(neighbours, a, b, max_hops=max_hops, limit=limit, max_offenders=max_offenders,
                              deadline=time.monotonic() + max_seconds)
    except SearchTooLarge as exc:
        reached = f"reached more than {max_offenders:,} offenders" if str(exc) == "offenders" \
            else f"ran for more than {max_seconds:g} s"
        raise SearchTooLarge(f"The search for paths between {a} and {b} {reached} without an answer; "
                             f"try a smaller --max-hops than {max_hops}.") from None
    rows = [(n, step, o, cases[o, path[step + 1]] if step < len(path) - 1 else None)
            for n, path in enumerate(found, start=1) for step, o in enumerate(path)]
    return Rows(tuple(CONNECT_COLUMNS), rows)
