"""Colours, labels and number formats shared by every dashboard view (colour-blind safe)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from ..vocab import RISK_LEVELS, STATUSES

# --- colours ------------------------------------------------------------------

NOT_COUNTED = "not counted"
# One colour per arrival-gap status, used by every view (Okabe-Ito, colour-blind safe).
STATUS_COLORS: dict[str, str] = {
    "known": "#009E73",       # bluish green: they knew before arrival
    "notified": "#56B4E9",    # sky blue: told within the window
    "late": "#E69F00",        # orange: told after the window
    "unnotified": "#D55E00",  # vermilion: never told
    "pending": "#999999",     # grey: window still open
    NOT_COUNTED: "#CFCFCF",   # light grey: movement of an offender with no qualifying conviction yet
}
STATUS_LABELS: dict[str, str] = {
    "known": "known before arrival",
    "notified": "notified in time",
    "late": "notified late",
    "unnotified": "never notified",
    "pending": "window still open",
    NOT_COUNTED: "not counted (no violent or sexual conviction yet)",
}
STATUS_ORDER = list(STATUSES)
# Gap rate scale: 0 = every arrival notified in time, 1 = none was.
GAP_RATE_RANGE = ["#F7F7F7", "#FDD0A2", "#E69F00", "#D55E00", "#7F2704"]

# Node colours by kind, shared by the ego network, the query console and legends.
KIND_COLORS: dict[str, str] = {
    "offender": "#CC79A7",
    "co_defendant": "#F0C3DD",
    "conviction": "#7F3C8D",
    "state": "#0072B2",
    "agency": "#3B9AB2",
    "exchange": "#F0E442",
    "movement": "#8C8C8C",
    "mechanism": "#A6761D",
    "offence": "#B07AA1",
    "other": "#BBBBBB",
}
KIND_SHAPES: dict[str, str] = {
    "offender": "dot", "co_defendant": "dot", "conviction": "diamond", "state": "square", "agency": "triangle",
    "exchange": "star", "movement": "dot", "mechanism": "hexagon", "offence": "diamond", "other": "dot",
}
# Categorical palette for communities (Tableau 20 without the oranges and reds, which mean "mobile group").
COMMUNITY_COLORS = ["#4E79A7", "#59A14F", "#B07AA1", "#76B7B2", "#EDC948", "#9C755F", "#A0CBE8", "#8CD17D",
                    "#D4A6C8", "#86BCB6", "#F1CE63", "#499894", "#BAB0AC", "#FABFD2", "#B6992D"]
MOBILE_COLOR = "#D55E00"
OTHER_LINK = "#9E9E9E"

MAX_NETWORK_NODES = 500  # above this a browser network view freezes; pages offer filters instead

RISK_LABELS = {level: level.replace("_", " ") for level in RISK_LEVELS}


def community_color(community: Any) -> str:
    try:
        return COMMUNITY_COLORS[int(community) % len(COMMUNITY_COLORS)]
    except (TypeError, ValueError):
        return KIND_COLORS["other"]


# --- numbers and captions -------------------------------------------------------

def fmt_int(n: Any) -> str:
    """1240 -> '1,240'; missing -> '–'."""
    return "–" if n is None or pd.isna(n) else f"{int(n):,}"


def fmt_pct(rate: Any) -> str:
    """0.713 -> '71%'; missing -> '–'."""
    return "–" if rate is None or pd.isna(rate) else f"{float(rate) * 100:.0f}%"


def fmt_days(days: Any) -> str:
    if days is None or pd.isna(days):
        return "–"
    days = float(days)
    return f"{days:.0f} days" if days.is_integer() else f"{days:.1f} days"
