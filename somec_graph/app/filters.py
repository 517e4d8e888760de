"""The sidebar filters shared by the pages that aggregate: the `Filters` value the reads take, and its
widgets, whose values persist across pages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from ..vocab import RISK_LEVELS
from .session import DataState, guard


@dataclass(frozen=True)
class Filters:
    window_days: int = 30
    date_from: str | None = None
    date_to: str | None = None
    group: str | None = None
    min_risk: str | None = None
    states: tuple[str, ...] = ()

    def gap_kwargs(self) -> dict[str, Any]:
        """Keywords of somec_graph.analysis.gaps functions."""
        return {"window_days": self.window_days, "date_from": self.date_from, "date_to": self.date_to,
                "group": self.group, "min_risk": self.min_risk, "states": list(self.states) or None}

    def caption_kwargs(self) -> dict[str, Any]:
        return {"group": self.group, "min_risk": self.min_risk, "states": list(self.states),
                "date_from": self.date_from, "date_to": self.date_to}

    @classmethod
    def of(cls, t: tuple) -> Filters:
        """The filters back from `as_tuple()` (cached reads take the tuple: it hashes)."""
        return cls(*t)

    def as_tuple(self) -> tuple:
        return (self.window_days, self.date_from, self.date_to, self.group, self.min_risk, self.states)


def at_least(frame: pd.DataFrame, min_risk: str | None, column: str = "risk_level") -> pd.DataFrame:
    """The rows of `frame` whose risk level is `min_risk` or above (every row without a minimum).

    >>> at_least(pd.DataFrame({"risk_level": ["low", "high", "medium"]}), "medium")["risk_level"].tolist()
    ['high', 'medium']
    """
    if not min_risk:
        return frame
    return frame[frame[column].map(RISK_LEVELS.index) >= RISK_LEVELS.index(min_risk)]


# --- sidebar widgets --------------------------------------------------------------

GROUP_CHOICES = {"violent or sexual": None, "violent": "violent", "sexual": "sexual"}
RISK_CHOICES = {"any": None, "medium": "medium", "high": "high", "very high": "very_high"}


def _seed(name: str, default: Any, valid: Callable[[Any], bool] = lambda v: True) -> str:
    """Widget key for a filter whose value survives page changes.

    Streamlit forgets a widget's state when a page without it runs; the value is
    kept under `f_<name>` and copied into the widget key before it is drawn.
    """
    key = f"_w_{name}"
    if key not in st.session_state:
        value = st.session_state.get(f"f_{name}", default)
        st.session_state[key] = value if valid(value) else default
    return key


def _keep(name: str) -> Any:
    st.session_state[f"f_{name}"] = st.session_state[f"_w_{name}"]
    return st.session_state[f"f_{name}"]


def sidebar_filters(state: DataState, *, show: tuple[str, ...] = ("period", "group", "risk", "states", "window"),
                    ) -> Filters:
    """The filter widgets in the sidebar; values persist across pages in session state."""
    from .reads import states, yearly  # the reads take Filters: imported when the widgets are drawn

    sb = st.sidebar
    sb.header("Filters")
    with guard():
        years_frame = yearly(state.key, Filters().as_tuple())
        state_table = states(state.key)
    years = sorted(int(y) for y in years_frame["year"]) if not years_frame.empty else []
    date_from = date_to = None
    if "period" in show and len(years) > 1:
        lo, hi = years[0], years[-1]
        key = _seed("period", (lo, hi), lambda v: isinstance(v, tuple) and lo <= v[0] <= v[1] <= hi)
        sb.slider("Period (arrival year)", lo, hi, key=key, help="Arrivals whose arrival date falls in these years.")
        start, end = _keep("period")
        date_from = f"{start}-01-01" if start > lo else None
        date_to = f"{end}-12-31" if end < hi else None
    group = None
    if "group" in show:
        key = _seed("group", "violent or sexual", lambda v: v in GROUP_CHOICES)
        sb.selectbox("Offence group", list(GROUP_CHOICES), key=key,
                     help="The group of the conviction that makes the arrival count (the latest violent or sexual "
                          "conviction before arrival).")
        group = GROUP_CHOICES[_keep("group")]
    min_risk = None
    if "risk" in show:
        key = _seed("risk", "any", lambda v: v in RISK_CHOICES)
        sb.select_slider("Minimum risk level", list(RISK_CHOICES), key=key,
                         help="Only offenders assessed at this risk level or above.")
        min_risk = RISK_CHOICES[_keep("risk")]
    chosen: tuple[str, ...] = ()
    if "states" in show:
        names = dict(zip(state_table["code"], state_table["name"]))
        key = _seed("states", [], lambda v: isinstance(v, list) and all(c in names for c in v))
        sb.multiselect("States", list(names), key=key, format_func=lambda c: f"{c} – {names.get(c, c)}",
                       help="Corridors with any of these states at either end; empty for all.")
        chosen = tuple(sorted(_keep("states")))
    window = 30
    if "window" in show:
        key = _seed("window", 30, lambda v: isinstance(v, int) and 0 <= v <= 365)
        sb.number_input("Notification window (days)", min_value=0, max_value=365, step=1, key=key,
                        help="A receiving state told within this many days of arrival counts as notified in time.")
        window = int(_keep("window"))
    return Filters(window_days=window, date_from=date_from, date_to=date_to, group=group, min_risk=min_risk,
                   states=chosen)
