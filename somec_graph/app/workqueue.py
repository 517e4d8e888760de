"""The Work queue page's reads and its one write (analysts ask the state that knows): the same
library functions as the CLI's `queue`; supervisors' counts go through disclosure control."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from .consistency import cached, uncached
from .reads import for_viewer
from .session import audit_event, get_store


@uncached
def queue(state: str, window_days: int) -> pd.DataFrame:
    """Not cached: recording a case changes a row's case status without a new data version."""
    from ..workqueue import queue as q

    rows = q.queue(get_store(), state, window_days=window_days)
    audit_event("queue", {"state": state}, len(rows))
    return rows


@uncached
def counts() -> pd.DataFrame:
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
