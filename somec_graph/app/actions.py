"""Reads and the one write of the pages that act on the gaps: What if (supervisors weigh a
rule) and Work queue (analysts ask the state that knows). The same library functions as the
CLI's `whatif`, `gaps --whatif` and `queue`; aggregates go through disclosure control."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from .consistency import cached, uncached
from .reads import _filters, for_viewer
from .session import audit_event, get_store


def _policy(rules: tuple[str, ...], notice_days: int, reply_days: int) -> Any:
    from ..analysis.policy import policy

    return policy(rules, notice_days, reply_days)


@cached(st.cache_data(show_spinner=False, max_entries=32))
def whatif_summary(data_key: str, window_days: int, notice_days: int, reply_days: int) -> pd.DataFrame:
    """SPEC §7's summary: each rule alone, then all four (over all counted movements: no small cells)."""
    from ..analysis import whatif

    return whatif.summary(get_store(), window_days=window_days, notice_days=notice_days, reply_days=reply_days)


@cached(st.cache_data(show_spinner=False, max_entries=32))
def whatif_totals(data_key: str, filters: tuple, rules: tuple[str, ...], notice_days: int,
                  reply_days: int) -> dict[str, int]:
    """Counted arrivals whose window has closed, and gaps before and after, under the sidebar's filters
    (totals over every corridor: not small cells)."""
    from ..analysis import gaps

    kwargs = _filters(filters).gap_kwargs()
    before = gaps.arrival_groups(get_store(), "all", **kwargs)
    after = gaps.arrival_groups(get_store(), "all", whatif=_policy(rules, notice_days, reply_days), **kwargs)
    if before.empty:
        return {"closed": 0, "gaps_before": 0, "gaps_after": 0}
    b, a = before.iloc[0], after.iloc[0]
    return {"closed": int(b["movements"] - b["pending"]), "gaps_before": int(b["late"] + b["unnotified"]),
            "gaps_after": int(a["late"] + a["unnotified"])}


@cached(st.cache_data(show_spinner=False, max_entries=32))
def whatif_matrix(data_key: str, filters: tuple, rules: tuple[str, ...], notice_days: int,
                  reply_days: int) -> pd.DataFrame:
    from ..analysis import gaps

    frame = gaps.matrix(get_store(), whatif=_policy(rules, notice_days, reply_days), **_filters(filters).gap_kwargs())
    return for_viewer(frame, ["movements"])


@cached(st.cache_data(show_spinner=False, max_entries=32))
def whatif_yearly(data_key: str, filters: tuple, rules: tuple[str, ...], notice_days: int,
                  reply_days: int) -> pd.DataFrame:
    from ..analysis import gaps

    frame = gaps.yearly(get_store(), whatif=_policy(rules, notice_days, reply_days), **_filters(filters).gap_kwargs())
    return for_viewer(frame, ["movements"])


@uncached
def queue(state: str, window_days: int) -> pd.DataFrame:
    """Not cached: recording a case changes a row's case status without a new data version."""
    from ..workqueue import queue as q

    rows = q.queue(get_store(), state, window_days=window_days)
    audit_event("queue", {"state": state}, len(rows))
    return rows


@uncached
def queue_counts() -> pd.DataFrame:
    """Queue rows per state and case status, for supervisors (no ids; small states suppressed)."""
    from ..workqueue import queue as q

    return for_viewer(q.counts(get_store()), ["rows"])


@cached(st.cache_data(show_spinner=False, max_entries=8))
def mechanisms(data_key: str) -> list[str]:
    """The mechanism codes a requested case may name."""
    return sorted(get_store().run("cases/mechanisms")[0]["codes"])


def record_case(movement_id: str, status: str, **details: Any) -> dict[str, Any]:
    """Record an analyst's case on a queue row (audited and scope-checked by the library)."""
    from ..workqueue import cases

    return cases.record_case(get_store(), movement_id, status, **details)
