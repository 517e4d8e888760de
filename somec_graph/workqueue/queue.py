"""The work queue (SPEC §8): who has arrived in a state that was never told?

For a receiving state, one row per offender whose latest arrival up to as-of
is a counted movement into it with status `unnotified` or `pending`, with the
recommended request and the status of its latest recorded case
(`cases.py`). Analysts see the queues of their own states only,
supervisors only `counts()`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..analysis.gaps import resolve_as_of, status
from ..errors import AccessDenied, SomecGraphError
from ..lazy import lazy_module
from ..rows import Rows
from ..store import Store
from ..vocab import is_state_code, state_code

if TYPE_CHECKING:
    import pandas as pd
else:  # the command line renders `queue_rows` without it
    pd = lazy_module("pandas")

QUEUE_COLUMNS = ["movement_id", "offender_id", "risk_level", "from_state", "to_state", "arrival_date",
                 "days_since_arrival", "conviction_state", "status", "action", "via", "case_status"]
COUNT_COLUMNS = ["state", "rows", "open", "requested", "closed"]
FD947_TRANSFER = "fd947_transfer"
ECRIS_REQUEST = "ecris_request"


def recommended(row: dict[str, Any]) -> tuple[str, str]:
    """(action, via) of one queue row (SPEC §8): a supervision running elsewhere on as-of wins
    (the latest supervision_end; ties: smallest conviction_id), then the state of nationality,
    then the convicting state.

    Examples
    --------
    >>> recommended({"to_state": "DE", "nationality": "RO", "conviction_state": "FR",
    ...   "supervision_states": ["FR", "PL"], "supervision_ends": [200, 200], "supervision_ids": ["C9", "C2"]})
    ('fd947_transfer', 'PL')
    >>> recommended({"to_state": "DE", "nationality": "DE", "conviction_state": "FR",
    ...   "supervision_states": [], "supervision_ends": [], "supervision_ids": []})
    ('ecris_request', 'FR')
    """
    running = zip(row["supervision_ends"], row["supervision_ids"], row["supervision_states"])
    latest = min(running, key=lambda s: (-s[0], s[1]), default=None)
    if latest is not None:
        return FD947_TRANSFER, latest[2]
    if row["nationality"] != row["to_state"]:
        return ECRIS_REQUEST, row["nationality"]
    return ECRIS_REQUEST, row["conviction_state"]


def _latest_case(keys: list[str], statuses: list[str]) -> str:
    return max(zip(keys, statuses))[1] if keys else "open"


def queue(store: Store, state: str, *, window_days: int = 30, as_of: str | int | None = None) -> pd.DataFrame:
    """The work queue of receiving state `state`, sorted by risk (highest first), arrival_date, movement_id.

    Parameters
    ----------
    store : Store
    state : ISO alpha-2 code of the receiving state (UK/EL accepted)
    window_days, as_of : as in `gaps.arrivals`; they decide `unnotified`
        against `pending` and `days_since_arrival`

    Returns
    -------
    DataFrame with the columns of QUEUE_COLUMNS (SPEC §8).

    Examples
    --------
    >>> queue(store, "DE").columns.tolist() == QUEUE_COLUMNS  # doctest: +SKIP
    True
    """
    rows = queue_rows(store, state, window_days=window_days, as_of=as_of)
    return pd.DataFrame(rows.records(), columns=QUEUE_COLUMNS)


def loaded_state(store: Store, state: object) -> str:
    """The code of `state` (UK/EL accepted) if it is a state of the loaded data; otherwise a clear error.

    An unknown code would give an empty queue, or a watch rule that never alerts, without a word.
    """
    code = state_code(state) if isinstance(state, str) else ""
    if not is_state_code(code):
        raise SomecGraphError(f"{state!r} is not a state code; give an ISO 3166-1 alpha-2 code such as DE.")
    known = {r["code"] for r in store.run("queries/states")}
    if known and code not in known:
        raise SomecGraphError(f"{code} is not a state of the loaded data; give one of its state codes "
                              "(somec-graph query states lists them).")
    return code


def queue_rows(store: Store, state: str, *, window_days: int = 30, as_of: str | int | None = None) -> Rows:
    """`queue` as plain rows."""
    store.user.require_detail("The work queue")
    code = loaded_state(store, state)
    if store.user.scope is not None and code not in store.user.scope:
        raise AccessDenied(f"The work queue of {code} is outside your states ({', '.join(store.user.scope)}); "
                           "analysts see only the queues of their own states.")
    if window_days < 0:
        raise SomecGraphError(f"window_days must be 0 or more, not {window_days}.")
    day = resolve_as_of(store, as_of)
    rows = []
    for r in store.run("queue/rows", {"state": code, "as_of": day}):
        action, via = recommended(r)
        rows.append({**r, "days_since_arrival": day - r["arrival_day"],
                     "status": status(r["arrival_day"], None, day, window_days)[0], "action": action, "via": via,
                     "case_status": _latest_case(r["case_keys"], r["case_statuses"])})
    rows.sort(key=lambda r: (-r["risk_rank"], r["arrival_date"], r["movement_id"]))
    return Rows.of(QUEUE_COLUMNS, rows)


def counts(store: Store, *, as_of: str | int | None = None) -> pd.DataFrame:
    """Rows of every state's work queue, by case status: aggregates any role may see.

    Examples
    --------
    >>> counts(store).columns.tolist()  # doctest: +SKIP
    ['state', 'rows', 'open', 'requested', 'closed']
    """
    day = resolve_as_of(store, as_of)
    frame = pd.DataFrame(store.run("queue/counts", {"as_of": day}), columns=COUNT_COLUMNS)
    return frame.sort_values("state").reset_index(drop=True)
