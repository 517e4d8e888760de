"""The What if page's reads (SPEC §7: supervisors weigh a rule) and its arithmetic. The same library
function as the CLI's `whatif` and `gaps --whatif`; aggregates go through disclosure control."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd
import streamlit as st

from .consistency import cached
from .filters import Filters
from .reads import for_viewer
from .session import get_store

if TYPE_CHECKING:
    from ..analysis.whatif import Policy


def _policy(rules: tuple[str, ...], notice_days: int, reply_days: int) -> Policy:
    from ..analysis.whatif import policy

    return policy(rules, notice_days, reply_days)


@cached(st.cache_data(show_spinner=False, max_entries=32))
def summary(data_key: str, window_days: int, notice_days: int, reply_days: int) -> pd.DataFrame:
    """SPEC §7's summary: each rule alone, then all four (over all counted movements: no small cells)."""
    from ..analysis import whatif

    return whatif.summary(get_store(), window_days=window_days, notice_days=notice_days, reply_days=reply_days)


@cached(st.cache_data(show_spinner=False, max_entries=32))
def totals(data_key: str, filters: tuple, rules: tuple[str, ...], notice_days: int,
           reply_days: int) -> dict[str, int]:
    """Counted arrivals whose window has closed, and gaps before and after, under the sidebar's filters
    (totals over every corridor: not small cells)."""
    from ..analysis import gaps

    kwargs = Filters.of(filters).gap_kwargs()
    before = gaps.arrival_groups(get_store(), "all", **kwargs)
    after = gaps.arrival_groups(get_store(), "all", whatif=_policy(rules, notice_days, reply_days), **kwargs)
    if before.empty:
        return {"closed": 0, "gaps_before": 0, "gaps_after": 0}
    b, a = before.iloc[0], after.iloc[0]
    return {"closed": int(b["movements"] - b["pending"]), "gaps_before": int(b["late"] + b["unnotified"]),
            "gaps_after": int(a["late"] + a["unnotified"])}


@cached(st.cache_data(show_spinner=False, max_entries=32))
def matrix(data_key: str, filters: tuple, rules: tuple[str, ...], notice_days: int, reply_days: int) -> pd.DataFrame:
    from ..analysis import gaps

    frame = gaps.matrix(get_store(), whatif=_policy(rules, notice_days, reply_days), **Filters.of(filters).gap_kwargs())
    return for_viewer(frame, ["movements"])


@cached(st.cache_data(show_spinner=False, max_entries=32))
def yearly(data_key: str, filters: tuple, rules: tuple[str, ...], notice_days: int, reply_days: int) -> pd.DataFrame:
    from ..analysis import gaps

    frame = gaps.yearly(get_store(), whatif=_policy(rules, notice_days, reply_days), **Filters.of(filters).gap_kwargs())
    return for_viewer(frame, ["movements"])


def rates(totals: dict[str, int]) -> dict[str, Any]:
    """Gap rates before and after, and the change in percentage points, of `totals` (None without arrivals).

    >>> rates({"closed": 200, "gaps_before": 50, "gaps_after": 20})
    {'before': 0.25, 'after': 0.1, 'points': -15.0}
    >>> rates({"closed": 0, "gaps_before": 0, "gaps_after": 0})
    {'before': None, 'after': None, 'points': None}
    """
    closed = totals["closed"]
    if not closed:
        return {"before": None, "after": None, "points": None}
    before, after = totals["gaps_before"] / closed, totals["gaps_after"] / closed
    return {"before": before, "after": after, "points": round((after - before) * 100, 6)}


def best_rule(summary: pd.DataFrame) -> tuple[str, int]:
    """The rule that closes most gaps on its own (ties: the first by name), and how many it closes.

    >>> best_rule(pd.DataFrame({"rule": ["b", "a", "all"], "gaps_before": [9, 9, 9], "gaps_after": [4, 4, 0]}))
    ('a', 5)
    """
    from ..analysis.whatif import ALL

    alone = summary[summary["rule"] != ALL]
    best = alone.assign(closed=alone["gaps_before"] - alone["gaps_after"]).sort_values(
        ["closed", "rule"], ascending=[False, True]).iloc[0]
    return str(best["rule"]), int(best["closed"])
