"""Information gaps between states: SPEC §4, to the letter.

The facts that no window or as-of date changes are derived at load time
(`somec_graph.ingest.derive`); here they are classified and aggregated. Heavy
aggregation (the gap matrix) runs inside the database; long listings are read
as column lists and classified with `status()`.

All functions take the store first and return pandas DataFrames with exactly
the columns of SPEC §6, sorted by their key; each `*_rows` twin returns the
same listing as plain `Rows` (the frame is made from it), which the command
line renders without importing pandas. Given `whatif=` (a `whatif.Policy`),
each computes its answer under those rules (SPEC §7).
"""

from __future__ import annotations

from collections.abc import Iterable
from statistics import median
from typing import TYPE_CHECKING, Any

from ..days import NO_DAY, to_day, to_iso
from ..errors import SomecGraphError
from ..lazy import lazy_module
from ..rows import Rows
from ..store import Store
from ..vocab import QUALIFYING_GROUPS, RISK_LEVELS, STATUSES, risk_rank, state_code
from .whatif import Policy, statement

if TYPE_CHECKING:
    import pandas as pd
else:  # imported on first use: `journey` on the command line never needs it
    pd = lazy_module("pandas")

ARRIVAL_COLUMNS = ["movement_id", "offender_id", "from_state", "to_state", "arrival_date", "conviction_state",
                   "status", "lag_days"]
MATRIX_COLUMNS = ["from_state", "to_state", "movements", *STATUSES, "gap_rate", "median_lag_days"]
ECRIS_COLUMNS = ["conviction_id", "offender_id", "convicting_state", "nationality", "status", "lag_days"]
SUPERVISION_COLUMNS = ["movement_id", "conviction_id", "offender_id", "supervising_state", "to_state", "status",
                       "lag_days"]


def status(day: int, aware: int | None, as_of: int, window_days: int, *, known: bool = True) -> tuple[str, int | None]:
    """Classify one event (arrival or conviction on `day`) by when the state became aware.

    Parameters
    ----------
    day : day number of the arrival (or conviction)
    aware : day number of the earliest information event on or after the
        relevant conviction, or None
    as_of, window_days : the analysis date and the notification window
    known : False for ECRIS (§4.3), where a notice on or before the day is
        `notified` with lag 0

    Returns
    -------
    (status, lag_days) with lag_days None for `unnotified` and `pending`.

    Examples
    --------
    >>> status(100, 100, 200, 30), status(100, 130, 200, 30), status(100, 131, 200, 30)
    (('known', 0), ('notified', 30), ('late', 31))
    >>> status(100, None, 130, 30), status(100, None, 129, 30)
    (('unnotified', None), ('pending', None))
    >>> status(100, 140, 135, 30), status(100, 140, 125, 30)  # aware after as_of is not seen
    (('unnotified', None), ('pending', None))
    """
    if aware is not None and aware <= as_of:  # events after as_of are not seen
        if aware <= day:
            return ("known", 0) if known else ("notified", 0)
        lag = aware - day
        return ("notified" if lag <= window_days else "late"), lag
    return ("unnotified" if day + window_days <= as_of else "pending"), None


def default_as_of(store: Store) -> int:
    """The latest event day of the data set (SPEC §4), as a day number."""
    day = store.run("load/meta")[0]["latest_day"]
    if day is None:
        day = store.run("gaps/latest_event")[0]["day"]
    if day is None:
        raise SomecGraphError("The graph holds no data yet; load a data set first (somec-graph load DIR).")
    return day


def resolve_as_of(store: Store, as_of: str | int | None) -> int:
    if as_of is None:
        return default_as_of(store)
    return as_of if isinstance(as_of, int) else to_day(as_of, "The as-of date")


def _check_window(window_days: int) -> None:
    if window_days < 0:
        raise SomecGraphError(f"window_days must be 0 or more, not {window_days}.")


def _classified(columns: dict[str, list[Any]], day_key: str, as_of: int, window_days: int,
                known: bool = True) -> tuple[list[str], list[int | None]]:
    statuses, lags = [], []
    for day, aware in zip(columns[day_key], columns["aware_day"]):
        s, lag = status(day, None if aware == NO_DAY else aware, as_of, window_days, known=known)
        statuses.append(s)
        lags.append(lag)
    return statuses, lags


def _listing(cols: dict[str, list[Any]], wanted: list[str], key: list[str]) -> Rows:
    at = [wanted.index(k) for k in key]
    values = sorted(zip(*(cols[c] for c in wanted)), key=lambda v: [v[i] for i in at])
    return Rows(tuple(wanted), values)


def arrivals(store: Store, *, window_days: int = 30, as_of: str | int | None = None,
             whatif: Policy | None = None) -> pd.DataFrame:
    """One row per counted movement (SPEC §4.1), sorted by movement_id.

    Examples
    --------
    >>> arrivals(store).columns.tolist()  # doctest: +SKIP
    ['movement_id', 'offender_id', 'from_state', 'to_state', 'arrival_date', 'conviction_state', 'status', 'lag_days']
    """
    return arrivals_rows(store, window_days=window_days, as_of=as_of, whatif=whatif).frame(lag_days="Int64")


def arrivals_rows(store: Store, *, window_days: int = 30, as_of: str | int | None = None,
                  whatif: Policy | None = None) -> Rows:
    """`arrivals` as plain rows."""
    store.user.require_detail("The arrivals list")
    _check_window(window_days)
    day = resolve_as_of(store, as_of)
    cols = store.run(*statement(store, "gaps/arrivals", {"as_of": day, "no_day": NO_DAY}, whatif))[0]
    cols["status"], cols["lag_days"] = _classified(cols, "arrival_day", day, window_days)
    return _listing(cols, ARRIVAL_COLUMNS, ["movement_id"])


def ecris(store: Store, *, window_days: int = 30, as_of: str | int | None = None,
          whatif: Policy | None = None) -> pd.DataFrame:
    """One row per qualifying conviction abroad (SPEC §4.3), sorted by conviction_id."""
    return ecris_rows(store, window_days=window_days, as_of=as_of, whatif=whatif).frame(lag_days="Int64")


def ecris_rows(store: Store, *, window_days: int = 30, as_of: str | int | None = None,
               whatif: Policy | None = None) -> Rows:
    """`ecris` as plain rows."""
    store.user.require_detail("The ECRIS list")
    _check_window(window_days)
    day = resolve_as_of(store, as_of)
    cols = store.run(*statement(store, "gaps/ecris", {"as_of": day, "no_day": NO_DAY}, whatif))[0]
    cols["status"], cols["lag_days"] = _classified(cols, "conviction_day", day, window_days, known=False)
    return _listing(cols, ECRIS_COLUMNS, ["conviction_id"])


def supervision(store: Store, *, window_days: int = 30, as_of: str | int | None = None,
                whatif: Policy | None = None) -> pd.DataFrame:
    """One row per (movement, supervision running in another state) (SPEC §4.4)."""
    return supervision_rows(store, window_days=window_days, as_of=as_of, whatif=whatif).frame(lag_days="Int64")


def supervision_rows(store: Store, *, window_days: int = 30, as_of: str | int | None = None,
                     whatif: Policy | None = None) -> Rows:
    """`supervision` as plain rows."""
    store.user.require_detail("The supervision list")
    _check_window(window_days)
    day = resolve_as_of(store, as_of)
    cols = store.run(*statement(store, "gaps/supervision", {"as_of": day, "no_day": NO_DAY}, whatif))[0]
    cols["status"], cols["lag_days"] = _classified(cols, "arrival_day", day, window_days)
    return _listing(cols, SUPERVISION_COLUMNS, ["movement_id", "conviction_id"])


def arrival_group_rows(store: Store, by: str = "pair", *, window_days: int = 30, as_of: str | int | None = None,
                       date_from: str | None = None, date_to: str | None = None, group: str | None = None,
                       min_risk: str | None = None, states: Iterable[str] | None = None,
                       whatif: Policy | None = None) -> list[dict[str, Any]]:
    """Status counts per group, computed in the database, with gap_rate and median_lag_days, sorted by key.

    `by` is "pair" (also from_state, to_state), "year" or "all"; filters as
    in SPEC §4.2. The building block of `matrix`, `yearly` and `overview`.
    """
    _check_window(window_days)
    if by not in ("pair", "year", "all"):
        raise ValueError(f"by must be pair, year or all, not {by!r}")
    if group is not None and group not in QUALIFYING_GROUPS:
        raise SomecGraphError(f"The offence group must be {' or '.join(QUALIFYING_GROUPS)}, not {group!r}.")
    if min_risk is not None and min_risk not in RISK_LEVELS:
        raise SomecGraphError(f"The minimum risk level must be one of {', '.join(RISK_LEVELS)}, not {min_risk!r}.")
    codes = sorted({state_code(s) for s in states or () if s.strip()}) or None
    params = {
        "by": by, "as_of": resolve_as_of(store, as_of), "window_days": window_days,
        "from_day": to_day(date_from, "The start date") if date_from else None,
        "to_day": to_day(date_to, "The end date") if date_to else None,
        "grp": group, "min_risk": risk_rank(min_risk) if min_risk else None, "states": codes,
    }
    rows = sorted(store.run(*statement(store, "gaps/arrival_groups", params, whatif)), key=lambda r: r["key"])
    for r in rows:
        seen = r["movements"] - r["pending"]
        r["gap_rate"] = (r["late"] + r["unnotified"]) / seen if seen else None
        r["median_lag_days"] = median(r["lags"]) if r["lags"] else None
        if by == "pair":
            r["from_state"], r["to_state"] = r["key"].split(">")
    return rows


def arrival_groups(store: Store, by: str = "pair", **filters: Any) -> pd.DataFrame:
    """`arrival_group_rows` as a frame: [from_state, to_state,] `by`, movements, the statuses,
    unnotified_recent, gap_rate, median_lag_days."""
    rows = arrival_group_rows(store, by, **filters)
    frame = pd.DataFrame(rows, columns=["key", "movements", *STATUSES, "unnotified_recent"])
    frame["gap_rate"] = pd.array([r["gap_rate"] for r in rows], dtype="Float64")
    frame["median_lag_days"] = pd.array([r["median_lag_days"] for r in rows], dtype="Float64")
    if by == "pair":
        frame.insert(0, "from_state", [r["from_state"] for r in rows])
        frame.insert(1, "to_state", [r["to_state"] for r in rows])
    return frame.rename(columns={"key": by})


def matrix(store: Store, **filters: Any) -> pd.DataFrame:
    """The gap matrix (SPEC §4.2): one row per (from_state, to_state), sorted by both.

    Takes the keyword filters of `arrival_groups` (window_days, as_of,
    date_from, date_to, group, min_risk, states) and `whatif`.
    """
    return matrix_rows(store, **filters).frame(gap_rate="Float64", median_lag_days="Float64")


def matrix_rows(store: Store, **filters: Any) -> Rows:
    """`matrix` as plain rows."""
    return Rows.of(MATRIX_COLUMNS, arrival_group_rows(store, "pair", **filters), key=lambda v: (v[0], v[1]))


def yearly(store: Store, **filters: Any) -> pd.DataFrame:
    """Gap counts and rate per arrival year, for the trend view."""
    return arrival_groups(store, "year", **filters)[["year", "movements", *STATUSES, "gap_rate", "median_lag_days"]]


def overview(store: Store, **filters: Any) -> dict[str, Any]:
    """Headline figures for supervisors: counted arrivals, gap rate, median lag, recent unnotified."""
    total = arrival_group_rows(store, "all", **filters)
    row = total[0] if total else None

    def number(column: str) -> float | None:
        return None if row is None or row[column] is None else float(row[column])

    return {
        "arrivals": 0 if row is None else int(row["movements"]),
        "gaps": 0 if row is None else int(row["late"] + row["unnotified"]),
        "gap_rate": number("gap_rate"),
        "median_lag_days": number("median_lag_days"),
        "unnotified_last_12_months": 0 if row is None else int(row["unnotified_recent"]),
        "as_of": to_iso(resolve_as_of(store, filters.get("as_of"))),
    }
