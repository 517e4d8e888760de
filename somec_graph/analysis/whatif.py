"""How many arrival gaps would each rule close? The summary of SPEC §7.

Every figure is the §4.2 aggregation over all counted movements, once on the
real exchanges and once per rule set on the real plus the hypothetical ones
(`policy.py`); nothing is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..lazy import lazy_module
from ..rows import Rows
from ..store import Store
from .gaps import arrival_group_rows, resolve_as_of
from .policy import DEFAULT_NOTICE_DAYS, DEFAULT_REPLY_DAYS, RULES, Policy, policy

if TYPE_CHECKING:
    import pandas as pd
else:  # the command line renders `summary_rows` without it
    pd = lazy_module("pandas")

SUMMARY_COLUMNS = ["rule", "movements", "gaps_before", "gaps_after", "gap_rate_before", "gap_rate_after"]
ALL = "all"  # the summary's last row: the four rules together


def _totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Counted movements, gaps and gap rate of `arrival_group_rows(by="all")` (no row: no movements)."""
    if not rows:
        return {"movements": 0, "gaps": 0, "gap_rate": None}
    row = rows[0]
    return {"movements": int(row["movements"]), "gaps": int(row["late"] + row["unnotified"]),
            "gap_rate": None if row["gap_rate"] is None else float(row["gap_rate"])}


def summary(store: Store, *, window_days: int = 30, as_of: str | int | None = None,
            notice_days: int = DEFAULT_NOTICE_DAYS, reply_days: int = DEFAULT_REPLY_DAYS) -> pd.DataFrame:
    """One row per rule alone, in table order, then `all`: gaps and gap rate without and with it.

    Parameters
    ----------
    store : Store
    window_days, as_of : as in `gaps.matrix`; as_of defaults to the latest
        event of the real data, which hypothetical exchanges never move
    notice_days, reply_days : the days the rules' exchanges wait (SPEC §7)

    Returns
    -------
    DataFrame with columns ``rule, movements, gaps_before, gaps_after,
    gap_rate_before, gap_rate_after``; the rates are over all counted
    movements together, ``(late + unnotified) / (movements - pending)``,
    empty when that divisor is 0.

    Examples
    --------
    >>> summary(store, notice_days=5)["rule"].tolist()  # doctest: +SKIP
    ['ecris-complete', 'fd947-always', 'sis-high-risk', 'ecris-on-arrival', 'all']
    """
    return summary_rows(store, window_days=window_days, as_of=as_of, notice_days=notice_days,
                        reply_days=reply_days).frame(gap_rate_before="Float64", gap_rate_after="Float64")


def summary_rows(store: Store, *, window_days: int = 30, as_of: str | int | None = None,
                 notice_days: int = DEFAULT_NOTICE_DAYS, reply_days: int = DEFAULT_REPLY_DAYS) -> Rows:
    """`summary` as plain rows."""
    sets: list[tuple[str, Policy]] = [(r, policy([r], notice_days, reply_days)) for r in RULES]
    sets.append((ALL, policy(RULES, notice_days, reply_days)))
    day = resolve_as_of(store, as_of)
    before = _totals(arrival_group_rows(store, "all", window_days=window_days, as_of=day))
    rows = []
    for name, rules in sets:
        after = _totals(arrival_group_rows(store, "all", window_days=window_days, as_of=day, whatif=rules))
        rows.append({"rule": name, "movements": before["movements"], "gaps_before": before["gaps"],
                     "gaps_after": after["gaps"], "gap_rate_before": before["gap_rate"],
                     "gap_rate_after": after["gap_rate"]})
    return Rows.of(SUMMARY_COLUMNS, rows)
