"""Travel paths: one offender's journey and the corridors offenders use (SPEC §5).

Both read facts stored at load time (`somec_graph.ingest.derive`): each movement's
place in its offender's journey (the `NEXT` chain), the days stayed, and the
earliest information event for the receiving state. The journey is one indexed
lookup; corridors are aggregated inside the database, one file per hop count
(`cypher/paths/corridors_<k>.cypher`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..days import to_day
from ..errors import SomecGraphError
from ..lazy import lazy_module
from ..rows import Rows
from ..store import Store
from .gaps import resolve_as_of, status

if TYPE_CHECKING:
    import pandas as pd
else:  # imported on first use: `journey` on the command line never needs it
    pd = lazy_module("pandas")

JOURNEY_COLUMNS = ["movement_id", "from_state", "to_state", "arrival_date", "days_stayed", "status", "lag_days"]
CORRIDOR_COLUMNS = ["sequence", "offenders"]
MAX_HOPS = 3


def offender_facts(store: Store, statement: str, offender_id: str, window_days: int,
                   as_of: str | int | None) -> tuple[dict[str, Any], int]:
    """The one row `statement` returns for an offender, and the as-of day number.

    An offender outside an analyst's jurisdiction is reported exactly like an unknown one.
    """
    if window_days < 0:
        raise SomecGraphError(f"window_days must be 0 or more, not {window_days}.")
    day = resolve_as_of(store, as_of)
    rows = store.run(statement, {"offender_id": offender_id, "as_of": day})
    if not rows:
        raise SomecGraphError(f"No offender {offender_id!r} in the graph; offender ids look like "
                              "the offender_id column of offenders.csv.")
    return rows[0], day


def journey(store: Store, offender_id: str, *, window_days: int = 30, as_of: str | int | None = None) -> pd.DataFrame:
    """The movements of one offender in arrival order, with days stayed and arrival-gap status.

    Parameters
    ----------
    store : Store
    offender_id : str
        The offender, e.g. ``OFF-000001``.
    window_days : int, default 30
        Days after arrival within which a notification counts as on time.
    as_of : str (YYYY-MM-DD) or int (day number), optional
        The analysis date; default: the latest event in the data (SPEC §4).
        Movements after it are left out, so the last movement shown has no
        days stayed even if a later arrival exists.

    Returns
    -------
    DataFrame with columns ``movement_id, from_state, to_state, arrival_date,
    days_stayed, status, lag_days``: ``arrival_date`` an ISO string,
    ``days_stayed`` the days until the next arrival (empty for the last
    movement), ``status`` and ``lag_days`` as in SPEC §4.1 for counted
    movements and empty for movements of an offender with no qualifying
    conviction by then. An offender with no movements gives no rows; an unknown
    offender raises SomecGraphError.

    Examples
    --------
    >>> journey(store, "OFF-000001", as_of="2024-12-31")  # doctest: +SKIP
        movement_id from_state to_state arrival_date  days_stayed  status  lag_days
    0  MOV-0000001         RO       DE   2017-06-22         1052    None      <NA>
    1  MOV-0000002         DE       RO   2020-05-09          626    None      <NA>
    """
    frame = pd.DataFrame(journey_rows(store, offender_id, window_days=window_days, as_of=as_of),
                         columns=JOURNEY_COLUMNS)
    frame["days_stayed"] = frame["days_stayed"].astype("Int64")
    frame["lag_days"] = frame["lag_days"].astype("Int64")
    return frame


def journey_rows(store: Store, offender_id: str, *, window_days: int = 30,
                 as_of: str | int | None = None) -> list[dict[str, Any]]:
    """`journey` as plain rows (dicts keyed by JOURNEY_COLUMNS, None for empty cells), without pandas.

    The command line renders these directly (`output.render_rows`), so that a
    `journey` call does not import pandas; see `journey` for the parameters.
    """
    store.user.require_detail("A journey")
    row, day = offender_facts(store, "paths/journey", offender_id, window_days, as_of)
    movements = sorted((m for m in row["movements"] if m.get("movement_id") is not None),
                       key=lambda m: (m["arrival_day"], m["movement_id"]))
    records = []
    for i, m in enumerate(movements):
        last = i == len(movements) - 1
        state, lag = (status(m["arrival_day"], m.get("aware_day"), day, window_days)
                      if m.get("counted") else (None, None))
        records.append({"movement_id": m["movement_id"], "from_state": m["from_state"], "to_state": m["to_state"],
                        "arrival_date": m["arrival_date"], "days_stayed": None if last else m.get("stay_days"),
                        "status": state, "lag_days": lag})
    return records


def corridors(store: Store, *, hops: int = 1, limit: int | None = None, date_from: str | None = None,
              date_to: str | None = None) -> pd.DataFrame:
    """The state sequences of `hops` consecutive movements, by how many offenders travelled them.

    A sequence is the first movement's from_state followed by each movement's
    to_state, joined with ``>`` (``RO>IT>ES`` for two hops). Each offender
    counts once per sequence, however often they travelled it.

    Parameters
    ----------
    store : Store
    hops : int, default 1
        Consecutive movements per sequence: 1, 2 or 3.
    limit : int, optional
        Keep only the busiest `limit` sequences.
    date_from, date_to : str (YYYY-MM-DD), optional
        Inclusive period of the *first* movement's arrival date.

    Returns
    -------
    DataFrame with columns ``sequence, offenders``, sorted by offenders
    (descending), then sequence.

    Examples
    --------
    >>> corridors(store, hops=2, limit=2)  # doctest: +SKIP
       sequence  offenders
    0  PL>DE>PL         60
    1  RO>IT>RO         51
    """
    return corridors_rows(store, hops=hops, limit=limit, date_from=date_from, date_to=date_to).frame(
        offenders="int64")


def corridors_rows(store: Store, *, hops: int = 1, limit: int | None = None, date_from: str | None = None,
                   date_to: str | None = None) -> Rows:
    """`corridors` as plain rows."""
    if hops not in range(1, MAX_HOPS + 1):
        raise SomecGraphError(f"hops must be 1, 2 or 3, not {hops}.")
    if limit is not None and limit < 1:
        raise SomecGraphError(f"limit must be 1 or more, not {limit}.")
    params = {"from_day": to_day(date_from, "The start date") if date_from else None,
              "to_day": to_day(date_to, "The end date") if date_to else None}
    rows = store.run(f"paths/corridors_{hops}", params)
    cols = rows[0] if rows else {"sequence": [], "offenders": []}
    values = sorted(zip(cols["sequence"], (int(n) for n in cols["offenders"])), key=lambda v: (-v[1], v[0]))
    return Rows(tuple(CORRIDOR_COLUMNS), values[:limit] if limit else values)
