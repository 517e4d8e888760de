"""Pure builders for the dashboard: colours, captions, charts, maps, network HTML, safe CSV.

Nothing here talks to the database or to Streamlit: each function takes the
DataFrames and networkx graphs that the analyses return and gives back an
Altair chart, an HTML string, text or bytes. That keeps the
pages thin and lets `tests/test_views.py` check the builders without a server.

Two rules hold for everything built here:

- **Offline.** The network HTML inlines vis-network's JS and CSS from the
  installed pyvis package (no CDN, no bootstrap, no fonts), carries a
  Content-Security-Policy that forbids any fetch, and maps draw local geometry
  only (capitals projected in Python and drawn by Vega as points and curves:
  no base map, so no tiles), and networks are laid out in Python so the
  browser draws them at once.
- **Escaped.** Every value that comes from data (ids, names, labels) is
  HTML-escaped before it reaches a tooltip or an HTML fragment, and JSON
  embedded in a <script> has ``<``, ``>`` and ``&`` escaped, so a value like
  ``<img src=x onerror=alert(1)>`` shows as text.
"""

from __future__ import annotations

import html
import io
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import altair as alt
import networkx as nx
import pandas as pd

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
STATUS_ORDER = ["known", "notified", "late", "unnotified", "pending"]
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

RISK_LABELS = {"low": "low", "medium": "medium", "high": "high", "very_high": "very high"}


def status_color(status: str | None) -> str:
    """The colour of a status (None or unknown: 'not counted').

    >>> status_color("unnotified"), status_color(None)
    ('#D55E00', '#CFCFCF')
    """
    return STATUS_COLORS.get(status or NOT_COUNTED, STATUS_COLORS[NOT_COUNTED])


def hex_rgb(color: str, alpha: int = 255) -> list[int]:
    """'#RRGGBB' as [r, g, b, alpha].

    >>> hex_rgb("#D55E00", 200)
    [213, 94, 0, 200]
    """
    c = color.lstrip("#")
    return [int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16), alpha]


def gap_rate_color(rate: float | None) -> str:
    """A colour on the gap-rate scale (grey when the rate is unknown).

    >>> gap_rate_color(0.0), gap_rate_color(1.0), gap_rate_color(None)
    ('#F7F7F7', '#7F2704', '#999999')
    """
    if rate is None or pd.isna(rate):
        return STATUS_COLORS["pending"]
    rate = min(max(float(rate), 0.0), 1.0)
    steps = len(GAP_RATE_RANGE) - 1
    i = min(int(rate * steps), steps - 1)
    t = rate * steps - i
    a, b = hex_rgb(GAP_RATE_RANGE[i]), hex_rgb(GAP_RATE_RANGE[i + 1])
    return "#" + "".join(f"{round(x + (y - x) * t):02X}" for x, y in zip(a[:3], b[:3]))


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


def describe_filters(*, group: str | None = None, min_risk: str | None = None, states: Sequence[str] | None = None,
                     date_from: str | None = None, date_to: str | None = None) -> dict[str, str]:
    """Plain-language pieces for captions: who, where and when."""
    who = {"violent": "a violent offence", "sexual": "a sexual offence"}.get(group or "", "a violent or sexual offence")
    risk = f" assessed {RISK_LABELS[min_risk]} risk or above" if min_risk and min_risk != "low" else ""
    where = ""
    if states:
        codes = list(states)
        where = " to or from " + (", ".join(codes[:-1]) + " or " + codes[-1] if len(codes) > 1 else codes[0])
    when = ""
    if date_from and date_to:
        when = f" between {date_from} and {date_to}"
    elif date_from:
        when = f" since {date_from}"
    elif date_to:
        when = f" up to {date_to}"
    return {"who": who, "risk": risk, "where": where, "when": when}


def overview_caption(kpis: Mapping[str, Any], window_days: int, **filters: Any) -> str:
    """One sentence a supervisor can repeat, e.g.

    >>> overview_caption({"arrivals": 1240, "gaps": 880, "gap_rate": 0.71, "unnotified_last_12_months": 3,
    ...                   "as_of": "2025-12-31"}, 30, states=["DE"])[:108]
    'Of 1,240 arrivals of offenders convicted of a violent or sexual offence to or from DE, 71% were not notified'
    """
    d = describe_filters(**filters)
    n = kpis.get("arrivals") or 0
    if not n:
        return (f"No arrivals of offenders convicted of {d['who']}{d['risk']}{d['where']}{d['when']} match these "
                "filters; widen the period, lower the risk level or clear the states.")
    return (f"Of {fmt_int(n)} arrivals of offenders convicted of {d['who']}{d['risk']}{d['where']}{d['when']}, "
            f"{fmt_pct(kpis.get('gap_rate'))} were not notified within {window_days} days "
            f"({fmt_int(kpis.get('gaps'))} notified late or never; arrivals whose {window_days}-day window is still "
            f"open are left out). Data as of {kpis.get('as_of')}.")


def worst_receiving_state(matrix: pd.DataFrame, min_arrivals: int = 20) -> dict[str, Any] | None:
    """The receiving state with the highest gap rate among those with enough arrivals, for a caption."""
    if matrix.empty:
        return None
    by = matrix.groupby("to_state")[["movements", "late", "unnotified", "pending"]].sum()
    by = by[by["movements"] >= min_arrivals]
    closed = by["movements"] - by["pending"]
    by = by[closed > 0].assign(rate=(by["late"] + by["unnotified"]) / closed)
    if by.empty:
        return None
    best = by.sort_values(["rate", "movements"], ascending=[False, False]).iloc[0]
    return {"state": best.name, "arrivals": int(best["movements"]), "never": int(best["unnotified"]),
            "rate": float(best["rate"])}


def worst_state_caption(worst: Mapping[str, Any] | None, names: Mapping[str, str], who: str) -> str:
    """'Of 1,240 arrivals ... into Germany (DE), 71% were notified late or never (880 never).'"""
    if not worst:
        return ""
    name = names.get(worst["state"], worst["state"])
    return (f"Receiving state told least often: of {fmt_int(worst['arrivals'])} arrivals of offenders convicted of "
            f"{who} into {name} ({worst['state']}), {fmt_pct(worst['rate'])} were notified late or never "
            f"({fmt_int(worst['never'])} never).")


# --- charts (Altair: bundled with Streamlit, rendered offline) ------------------

def _status_scale(statuses: Iterable[str] = STATUS_ORDER) -> alt.Scale:
    statuses = list(statuses)
    return alt.Scale(domain=statuses, range=[STATUS_COLORS[s] for s in statuses])


def gap_heatmap(matrix: pd.DataFrame, names: Mapping[str, str] | None = None) -> alt.Chart:
    """Origin (rows) × destination (columns) heatmap of the gap rate, one cell per corridor."""
    names = names or {}
    data = matrix.copy()
    data["gap_rate"] = data["gap_rate"].astype("float64")
    data["median_lag_days"] = data["median_lag_days"].astype("float64")
    data["sending"] = [f"{c} {names.get(c, '')}".strip() for c in data["from_state"]]
    data["receiving"] = [f"{c} {names.get(c, '')}".strip() for c in data["to_state"]]
    data["gaps"] = data["late"] + data["unnotified"]
    return alt.Chart(data).mark_rect(stroke="white", strokeWidth=0.5).encode(
        x=alt.X("to_state:N", title="Receiving state", sort="ascending",
                axis=alt.Axis(labelAngle=0, orient="top", labelOverlap=False)),
        y=alt.Y("from_state:N", title="Sending state", sort="ascending", axis=alt.Axis(labelOverlap=False)),
        color=alt.Color("gap_rate:Q", title="Gap rate", scale=alt.Scale(domain=[0, 1], range=GAP_RATE_RANGE),
                        legend=alt.Legend(format=".0%")),
        tooltip=[alt.Tooltip("sending:N", title="From"), alt.Tooltip("receiving:N", title="To"),
                 alt.Tooltip("movements:Q", title="Arrivals", format=","),
                 alt.Tooltip("gap_rate:Q", title="Gap rate", format=".0%"),
                 alt.Tooltip("gaps:Q", title="Late or never", format=","),
                 alt.Tooltip("unnotified:Q", title="Never notified", format=","),
                 alt.Tooltip("median_lag_days:Q", title="Median lag (days)", format=".0f")],
    ).properties(height=80 + 17 * data["from_state"].nunique())  # Streamlit fits the axes into this height


def trend_chart(yearly: pd.DataFrame) -> alt.LayerChart:
    """Gap rate per arrival year (line), with the number of arrivals as faint bars behind."""
    data = yearly.copy()
    data["year"] = data["year"].astype(str)
    data["gap_rate"] = data["gap_rate"].astype("float64")
    base = alt.Chart(data).encode(x=alt.X("year:O", title="Arrival year", axis=alt.Axis(labelAngle=0)))
    bars = base.mark_bar(color="#E8E8E8").encode(
        y=alt.Y("movements:Q", title="Arrivals", axis=alt.Axis(titleColor="#888888")),
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("movements:Q", title="Arrivals", format=","),
                 alt.Tooltip("gap_rate:Q", title="Gap rate", format=".0%")])
    line = base.mark_line(point=True, color=STATUS_COLORS["unnotified"], strokeWidth=3).encode(
        y=alt.Y("gap_rate:Q", title="Gap rate", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%")),
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("gap_rate:Q", title="Gap rate", format=".0%"),
                 alt.Tooltip("movements:Q", title="Arrivals", format=",")])
    return alt.layer(bars, line).resolve_scale(y="independent").properties(height=280)


def status_mix_chart(yearly: pd.DataFrame) -> alt.Chart:
    """Arrivals per year stacked by status, in the shared status colours."""
    data = yearly.melt(id_vars=["year"], value_vars=STATUS_ORDER, var_name="status", value_name="arrivals")
    data["year"] = data["year"].astype(str)
    data["what"] = data["status"].map(STATUS_LABELS)
    data["order"] = data["status"].map(STATUS_ORDER.index)
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("year:O", title="Arrival year", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("arrivals:Q", title="Arrivals", stack="normalize", axis=alt.Axis(format="%")),
        color=alt.Color("status:N", title="Status", scale=_status_scale(), sort=STATUS_ORDER,
                        legend=alt.Legend(labelExpr=_label_expr(STATUS_LABELS))),
        order=alt.Order("order:Q"),
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("what:N", title="Status"),
                 alt.Tooltip("arrivals:Q", title="Arrivals", format=",")],
    ).properties(height=280)


def _label_expr(labels: Mapping[str, str]) -> str:
    """A Vega label expression mapping codes to words (our own constant strings only)."""
    parts = " : ".join(f"datum.label == {json.dumps(k)} ? {json.dumps(v)}" for k, v in labels.items())
    return f"{parts} : datum.label"


def mechanism_chart(mechanisms: pd.DataFrame) -> alt.Chart:
    """Exchanges per mechanism: informing exchanges vs requests, busiest first."""
    data = mechanisms.copy()
    data["requests"] = data["exchanges"] - data["informing"]
    long = data.melt(id_vars=["mechanism", "name", "exchanges"], value_vars=["informing", "requests"],
                     var_name="type", value_name="count")
    long["type"] = long["type"].map({"informing": "informs the recipient", "requests": "request"})
    order = data.sort_values("exchanges", ascending=False)["mechanism"].tolist()
    return alt.Chart(long).mark_bar().encode(
        y=alt.Y("mechanism:N", title=None, sort=order, axis=alt.Axis(labelOverlap=False)),
        x=alt.X("count:Q", title="Exchanges", stack="zero"),
        color=alt.Color("type:N", title=None, scale=alt.Scale(domain=["informs the recipient", "request"],
                                                              range=[STATUS_COLORS["notified"], "#C8C8C8"]),
                        legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("name:N", title="Mechanism"), alt.Tooltip("type:N", title="Type"),
                 alt.Tooltip("count:Q", title="Exchanges", format=",")],
    ).properties(height=90 + 30 * len(order))


def corridor_table(matrix: pd.DataFrame, names: Mapping[str, str] | None = None, top: int = 10) -> pd.DataFrame:
    """The corridors with the most gaps (late + never), for display."""
    names = names or {}
    if matrix.empty:
        return pd.DataFrame(columns=["corridor", "arrivals", "late or never", "never notified", "gap rate",
                                     "median lag (days)"])
    data = matrix.assign(gaps=matrix["late"] + matrix["unnotified"])
    data = data.sort_values(["gaps", "movements", "from_state", "to_state"],
                            ascending=[False, False, True, True]).head(top)
    return pd.DataFrame({
        "corridor": [f"{names.get(a, a)} → {names.get(b, b)}" for a, b in zip(data["from_state"], data["to_state"])],
        "arrivals": data["movements"].astype(int).to_numpy(),
        "late or never": data["gaps"].astype(int).to_numpy(),
        "never notified": data["unnotified"].astype(int).to_numpy(),
        "gap rate": data["gap_rate"].astype("float64").to_numpy(),
        "median lag (days)": data["median_lag_days"].astype("float64").to_numpy(),
    })


def journey_timeline(journey: pd.DataFrame, as_of: str | None = None) -> alt.Chart:
    """Stays as bars on a time axis, one row per state, coloured by the arrival's gap status."""
    data = journey.copy()
    data["status"] = data["status"].fillna(NOT_COUNTED)
    data["start"] = pd.to_datetime(data["arrival_date"])
    stayed = data["days_stayed"].astype("Float64")
    last_end = pd.to_datetime(as_of) if as_of else data["start"].max() + pd.Timedelta(days=30)
    data["end"] = [s + pd.Timedelta(days=int(d)) if not pd.isna(d) else max(last_end, s + pd.Timedelta(days=7))
                   for s, d in zip(data["start"], stayed)]
    data["stay"] = [f"{int(d)} days" if not pd.isna(d) else "still there (as of the data)" for d in stayed]
    data["what"] = data["status"].map(STATUS_LABELS)
    data["lag"] = [("" if pd.isna(x) else f"{int(x)} days") for x in data["lag_days"].astype("Float64")]
    data["step"] = range(1, len(data) + 1)
    present = [s for s in [*STATUS_ORDER, NOT_COUNTED] if s in set(data["status"])]
    return alt.Chart(data).mark_bar(height=18, cornerRadius=3).encode(
        x=alt.X("start:T", title="Arrival and stay"),
        x2="end:T",
        y=alt.Y("to_state:N", title="State", sort=alt.EncodingSortField("start", op="min")),
        color=alt.Color("status:N", title="Arrival", scale=_status_scale(present), legend=None),  # legend: HTML above
        tooltip=[alt.Tooltip("step:Q", title="#"), alt.Tooltip("movement_id:N", title="Movement"),
                 alt.Tooltip("from_state:N", title="From"), alt.Tooltip("to_state:N", title="To"),
                 alt.Tooltip("arrival_date:N", title="Arrived"), alt.Tooltip("stay:N", title="Stayed"),
                 alt.Tooltip("what:N", title="Receiving state"), alt.Tooltip("lag:N", title="Told after")],
    ).properties(height=70 + 36 * data["to_state"].nunique())  # Streamlit fits axes into this height too


# --- maps (Altair on projected capital coordinates: local geometry only) ------------
#
# No base map and no tiles: capitals are projected (Web Mercator) in Python and
# drawn as points, and each corridor as a curve of points, by Vega — already
# loaded for the other charts, so a map costs no extra script or WebGL.

def project(lon: float, lat: float) -> tuple[float, float]:
    """Web-Mercator position in degree-like units, y pointing north.

    >>> [round(c, 2) for c in project(13.4, 52.52)]  # Berlin
    [13.4, 61.94]
    """
    lat = max(min(lat, 85.0), -85.0)
    y = math.degrees(math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)))
    return float(lon), y


def _curve(a: tuple[float, float], b: tuple[float, float], bend: float = 0.22, steps: int = 16) -> list[list[float]]:
    """Points of a quadratic curve from a to b, bent to the right of the direction of travel,
    so that A→B and B→A are two distinct arcs."""
    (x0, y0), (x1, y1) = a, b
    dx, dy = x1 - x0, y1 - y0
    cx, cy = (x0 + x1) / 2 + dy * bend, (y0 + y1) / 2 - dx * bend
    pts = []
    for i in range(steps + 1):
        t = i / steps
        pts.append([(1 - t) ** 2 * x0 + 2 * (1 - t) * t * cx + t ** 2 * x1,
                    (1 - t) ** 2 * y0 + 2 * (1 - t) * t * cy + t ** 2 * y1])
    return pts


def _positions(states: pd.DataFrame) -> dict[str, tuple[float, float]]:
    return {str(s.code): project(float(s.lon), float(s.lat)) for s in states.itertuples()
            if not pd.isna(s.lat) and not pd.isna(s.lon)}


def _frame_box(points: Sequence[tuple[float, float]], width: int, max_height: int) -> tuple[list, list, int]:
    """x and y domains with a margin, and the chart height that keeps the map's aspect ratio."""
    xs = [p[0] for p in points] or [10.0]
    ys = [p[1] for p in points] or [55.0]
    span_x = max(max(xs) - min(xs), 8.0) * 1.2 + 4
    span_y = max(max(ys) - min(ys), 6.0) * 1.2 + 4
    height = int(width * span_y / span_x)
    if height > max_height:  # too tall: widen the x domain instead
        span_x = span_y * width / max_height
        height = max_height
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return [cx - span_x / 2, cx + span_x / 2], [cy - span_y / 2, cy + span_y / 2], max(height, 220)


def _capitals(states: pd.DataFrame, used: set[str], xd: list, yd: list) -> alt.LayerChart:
    rows = []
    for s in states.itertuples():
        if s.code in used and not pd.isna(s.lat) and not pd.isna(s.lon):
            x, y = project(float(s.lon), float(s.lat))
            rows.append({"x": x, "y": y, "code": str(s.code), "state": f"{s.name} ({s.code})"})
    data = pd.DataFrame(rows, columns=["x", "y", "code", "state"])
    base = alt.Chart(data).encode(x=alt.X("x:Q", axis=None, scale=alt.Scale(domain=xd)),
                                  y=alt.Y("y:Q", axis=None, scale=alt.Scale(domain=yd)))
    dots = base.mark_circle(size=60, color="#333333", opacity=1).encode(tooltip=[alt.Tooltip("state:N", title="State")])
    labels = base.mark_text(dy=-11, fontSize=12, fontWeight="bold", color="#222222", stroke="white",
                            strokeWidth=3).encode(text="code:N")
    text = base.mark_text(dy=-11, fontSize=12, fontWeight="bold", color="#222222").encode(text="code:N")
    return alt.layer(dots, labels, text)


def journey_map(journey: pd.DataFrame, states: pd.DataFrame, width: int = 440,
                max_height: int = 440) -> alt.LayerChart | None:
    """The journey as arcs between capitals, coloured by arrival-gap status and numbered in order;
    None when none of its states has coordinates."""
    pos = _positions(states)
    names = dict(zip(states["code"], states["name"]))
    points, steps = [], []
    trips: dict[tuple[str, str], int] = {}
    for i, m in enumerate(journey.itertuples(), start=1):
        if m.from_state not in pos or m.to_state not in pos:
            continue
        status = m.status if isinstance(m.status, str) else NOT_COUNTED
        repeat = trips[(m.from_state, m.to_state)] = trips.get((m.from_state, m.to_state), -1) + 1
        path = _curve(pos[m.from_state], pos[m.to_state], bend=0.22 + 0.14 * repeat)  # a repeat bends further
        corridor = f"{names.get(m.from_state, m.from_state)} → {names.get(m.to_state, m.to_state)}"
        for j, (x, y) in enumerate(path):
            points.append({"arc": i, "order": j, "x": x, "y": y, "status": status, "step": i,
                           "movement": m.movement_id, "corridor": corridor, "arrived": m.arrival_date,
                           "what": STATUS_LABELS[status]})
        mx, my = path[len(path) // 2]
        steps.append({"x": mx, "y": my, "step": str(i)})
    if not points:
        return None
    used = set(journey["from_state"]) | set(journey["to_state"])
    xd, yd, height = _frame_box([pos[c] for c in used if c in pos], width, max_height)
    present = [s for s in [*STATUS_ORDER, NOT_COUNTED] if s in {p["status"] for p in points}]
    scale_x, scale_y = alt.Scale(domain=xd), alt.Scale(domain=yd)
    arcs = alt.Chart(pd.DataFrame(points)).mark_line(strokeWidth=3.5, strokeCap="round", opacity=0.95).encode(
        x=alt.X("x:Q", axis=None, scale=scale_x), y=alt.Y("y:Q", axis=None, scale=scale_y),
        detail="arc:N", order="order:Q",
        color=alt.Color("status:N", scale=_status_scale(present), legend=None),
        tooltip=[alt.Tooltip("step:Q", title="Step"), alt.Tooltip("movement:N", title="Movement"),
                 alt.Tooltip("corridor:N", title="From → to"), alt.Tooltip("arrived:N", title="Arrived"),
                 alt.Tooltip("what:N", title="Receiving state")])
    marks = alt.Chart(pd.DataFrame(steps)).encode(x=alt.X("x:Q", axis=None, scale=scale_x),
                                                  y=alt.Y("y:Q", axis=None, scale=scale_y))
    badges = marks.mark_circle(size=190, color="white", stroke="#555555", strokeWidth=1, opacity=1)
    numbers = marks.mark_text(fontSize=10, fontWeight="bold", color="#222222").encode(text="step:N")
    return alt.layer(arcs, _capitals(states, used, xd, yd), badges, numbers).properties(
        width=width, height=height).configure_view(stroke="#E6E6E6", fill="#FBFBFB")


def state_flow_map(flow: pd.DataFrame, states: pd.DataFrame, width: int = 880,
                   max_height: int = 620) -> alt.LayerChart | None:
    """State flow on capital coordinates: one arc per (from, to), width = movements, colour = gap rate.

    `flow` has columns from_state, to_state, movements and gap_rate (may be empty).
    """
    pos = _positions(states)
    names = dict(zip(states["code"], states["name"]))
    data = flow[flow["from_state"].isin(pos) & flow["to_state"].isin(pos)]
    if data.empty:
        return None
    points = []
    for k, r in enumerate(data.sort_values("movements").itertuples()):
        rate = None if pd.isna(r.gap_rate) else float(r.gap_rate)
        corridor = f"{names.get(r.from_state, r.from_state)} → {names.get(r.to_state, r.to_state)}"
        for j, (x, y) in enumerate(_curve(pos[r.from_state], pos[r.to_state], bend=0.15, steps=12)):
            points.append({"arc": k, "order": j, "x": x, "y": y, "movements": int(r.movements),
                           "gap_rate": rate, "corridor": corridor})
    used = set(data["from_state"]) | set(data["to_state"])
    xd, yd, height = _frame_box([pos[c] for c in used], width, max_height)
    top = int(data["movements"].max())
    arcs = alt.Chart(pd.DataFrame(points)).mark_line(strokeCap="round", opacity=0.85).encode(
        x=alt.X("x:Q", axis=None, scale=alt.Scale(domain=xd)), y=alt.Y("y:Q", axis=None, scale=alt.Scale(domain=yd)),
        detail="arc:N", order="order:Q",
        color=alt.Color("gap_rate:Q", title="Gap rate", scale=alt.Scale(domain=[0, 1], range=GAP_RATE_RANGE),
                        legend=alt.Legend(format=".0%", orient="right")),
        strokeWidth=alt.StrokeWidth("movements:Q", title="Movements",
                                    scale=alt.Scale(domain=[0, max(top, 1)], range=[0.5, 12])),
        tooltip=[alt.Tooltip("corridor:N", title="Corridor"), alt.Tooltip("movements:Q", title="Movements"),
                 alt.Tooltip("gap_rate:Q", title="Gap rate", format=".0%")])
    unknown = alt.Chart(pd.DataFrame(points)).transform_filter("datum.gap_rate === null").mark_line(
        strokeCap="round", opacity=0.85, color=STATUS_COLORS["pending"]).encode(
        x=alt.X("x:Q", axis=None, scale=alt.Scale(domain=xd)), y=alt.Y("y:Q", axis=None, scale=alt.Scale(domain=yd)),
        detail="arc:N", order="order:Q",
        strokeWidth=alt.StrokeWidth("movements:Q", scale=alt.Scale(domain=[0, max(top, 1)], range=[0.5, 12]),
                                    legend=None),
        tooltip=[alt.Tooltip("corridor:N", title="Corridor"), alt.Tooltip("movements:Q", title="Movements")])
    return alt.layer(unknown, arcs, _capitals(states, used, xd, yd)).properties(
        width=width, height=height).configure_view(stroke="#E6E6E6", fill="#FBFBFB")


def status_legend_html(statuses: Iterable[str] = (*STATUS_ORDER, NOT_COUNTED)) -> str:
    """A small inline legend of status colours (our own constant text only)."""
    items = "".join(
        f'<span style="display:inline-block;margin-right:14px;white-space:nowrap">'
        f'<span style="display:inline-block;width:12px;height:12px;border-radius:2px;background:{STATUS_COLORS[s]};'
        f'margin-right:5px;vertical-align:-1px"></span>{html.escape(STATUS_LABELS[s])}</span>'
        for s in statuses)
    return f'<div style="font-size:0.85rem;line-height:1.8">{items}</div>'


# --- network HTML (vis-network inlined from the installed pyvis package) --------

@cache
def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS as bundled with pyvis (read once)."""
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "lib"
    folder = next((p for p in sorted(lib.glob("vis-*"), reverse=True)
                   if (p / "vis-network.min.js").is_file() and (p / "vis-network.css").is_file()), None)
    if folder is None:  # pragma: no cover - a broken pyvis install
        raise RuntimeError(f"vis-network is missing from the pyvis package in {lib}; reinstall pyvis.")
    js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    css = (folder / "vis-network.css").read_text(encoding="utf-8")
    # Keep the rules we use (tooltip, canvas, overlays); drop those for the navigation and editing
    # buttons, which are not shown: they are base64 icons, 94% of the file.
    css = "\n".join(rule for rule in re.findall(r"[^{}]+\{[^{}]*\}", css) if "data:" not in rule)
    # Neither may close our <script>/<style> element early.
    if "</script" in js.lower() or "</style" in css.lower():  # pragma: no cover
        raise RuntimeError("The bundled vis-network cannot be inlined safely.")
    return js, css


def vis_library_text() -> tuple[str, str]:
    """The inlined library text (for tests that check our own HTML around it)."""
    return _vis_assets()


def script_json(value: Any) -> str:
    """JSON safe to place inside a <script> element.

    >>> script_json({"a": "</script><img src=x>"})
    '{"a": "\\\\u003c/script\\\\u003e\\\\u003cimg src=x\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, default=str)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def title_html(text: Any) -> str:
    """Plain tooltip text (lines separated by newlines) as escaped HTML with <br>.

    >>> title_html("Agency: <img src=x onerror=alert(1)>\\nState: DE")
    'Agency: &lt;img src=x onerror=alert(1)&gt;<br>State: DE'
    """
    return "<br>".join(html.escape(line) for line in str(text or "").splitlines())


_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
        "font-src data:; connect-src 'none'")

_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<title>{title}</title>
<style>{vis_css}</style>
<style>
html, body {{ margin: 0; padding: 0; font-family: "Source Sans Pro", "Source Sans 3", Arial, sans-serif;
  font-size: 13px; color: #31333F; background: #FFFFFF; }}
#net {{ width: 100%; height: {height}px; border: 1px solid #E6E6E6; border-radius: 6px; box-sizing: border-box; }}
#legend {{ display: flex; flex-wrap: wrap; gap: 4px 14px; padding: 4px 2px 8px 2px; }}
#legend .item {{ display: inline-flex; align-items: center; gap: 5px; white-space: nowrap; }}
#legend .sw {{ display: inline-block; width: 12px; height: 12px; border-radius: 50%; }}
#legend .ln {{ display: inline-block; width: 18px; height: 3px; border-radius: 2px; }}
#legend .group {{ font-weight: 600; margin-right: 2px; }}
div.vis-tooltip {{ white-space: normal; max-width: 360px; font-family: inherit; font-size: 12px;
  line-height: 1.4; padding: 6px 8px; background: #FFFFFF; border: 1px solid #CCCCCC; border-radius: 4px;
  box-shadow: 0 2px 6px rgba(0,0,0,.15); }}
</style>
<script>{vis_js}</script>
</head><body>
<div id="legend" role="list" aria-label="Legend">{legend}</div>
<div id="net" role="img" aria-label="{title}"></div>
<script>
(function () {{
  var nodes = {nodes};
  var edges = {edges};
  // Titles arrive as escaped HTML (every data value passed through html.escape);
  // turning them into elements makes the <br> line breaks work while any
  // markup that came from data stays text.
  function tip(h) {{ var d = document.createElement("div"); d.innerHTML = h; return d; }}
  nodes.forEach(function (n) {{ if (n.title) n.title = tip(n.title); }});
  edges.forEach(function (e) {{ if (e.title) e.title = tip(e.title); }});
  var data = {{ nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges) }};
  var options = {options};
  var network = new vis.Network(document.getElementById("net"), data, options);
  var done = false;
  function ready() {{
    if (done) return; done = true;
    network.setOptions({{ physics: false }});
    network.fit({{ animation: false }});
    document.body.setAttribute("data-ready", "1");
  }}
  network.once("stabilizationIterationsDone", ready);
  network.once("afterDrawing", function () {{ if (!options.physics || !options.physics.enabled) ready(); }});
  setTimeout(ready, 4000);
  window.somecNetwork = network;
}})();
</script>
</body></html>
"""


def network_html(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], *,
                 legend: Sequence[tuple[str, str, str]] = (), height: int = 560, physics: bool = True,
                 directed: bool = True, title: str = "Network") -> str:
    """A self-contained vis-network page: no external resource, every data value escaped.

    nodes: dicts with id, label (plain text, drawn on the canvas), title (plain
    text, newline-separated lines), color, and optionally shape, size, x, y,
    borderWidth, borderColor. edges: dicts with from, to, and optionally color,
    title, width, dashes. legend: (kind, label, colour) with kind "node" or "edge".
    """
    vis_js, vis_css = _vis_assets()
    vis_nodes = []
    for n in nodes:
        node: dict[str, Any] = {"id": str(n["id"]), "label": str(n.get("label", n["id"])),
                                "title": title_html(n.get("title", "")), "shape": n.get("shape", "dot"),
                                "size": n.get("size", 12)}
        color = n.get("color", KIND_COLORS["other"])
        border = n.get("borderColor", "#555555")
        node["color"] = {"background": color, "border": border,
                         "highlight": {"background": color, "border": "#000000"},
                         "hover": {"background": color, "border": "#000000"}}
        node["borderWidth"] = n.get("borderWidth", 1)
        for key in ("x", "y", "font", "physics", "fixed"):
            if key in n:
                node[key] = n[key]
        vis_nodes.append(node)
    if vis_nodes and all("x" in n and "y" in n for n in vis_nodes):
        physics = False  # laid out in Python: draw at once
    vis_edges = []
    for i, e in enumerate(edges):
        edge: dict[str, Any] = {"id": f"e{i}", "from": str(e["from"]), "to": str(e["to"]),
                                "color": {"color": e.get("color", "#AAAAAA"), "highlight": "#000000",
                                          "hover": "#000000"},
                                "width": e.get("width", 1.5)}
        if e.get("title"):
            edge["title"] = title_html(e["title"])
        if e.get("dashes"):
            edge["dashes"] = True
        vis_edges.append(edge)
    options = {
        "autoResize": True,
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False, "keyboard": False,
                        "multiselect": False},
        # Labels smaller than 8 px on screen are not drawn (zoom in to read them): faster and less clutter.
        "nodes": {"font": {"size": 12, "face": "arial", "color": "#222222", "strokeWidth": 3,
                           "strokeColor": "#FFFFFF"}, "scaling": {"label": {"drawThreshold": 8}}},
        # Curved edges cost a lot to draw; past ~150 edges straight lines keep the first draw quick.
        "edges": {"smooth": {"enabled": len(vis_edges) <= 150, "type": "dynamic" if physics else "continuous"},
                  "arrows": {"to": {"enabled": directed, "scaleFactor": 0.5}}},
        "physics": {"enabled": physics, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -40, "springLength": 80, "avoidOverlap": 0.4},
                    "stabilization": {"enabled": physics, "iterations": 250, "fit": True}},
        "layout": {"randomSeed": 7, "improvedLayout": len(vis_nodes) <= 150},
    }
    items = []
    for kind, label, color in legend:
        swatch = "ln" if kind == "edge" else "sw"
        items.append(f'<span class="item" role="listitem"><span class="{swatch}" '
                     f'style="background:{html.escape(color)}"></span>{html.escape(label)}</span>')
    return _TEMPLATE.format(csp=_CSP, title=html.escape(title), vis_css=vis_css, vis_js=vis_js,
                            legend="".join(items), nodes=script_json(vis_nodes), edges=script_json(vis_edges),
                            options=script_json(options), height=int(height))


def _scaled(pos: Mapping[Any, Any], radius: float) -> dict[Any, tuple[float, float]]:
    """Positions centred on 0 and scaled to fit a circle of `radius` pixels."""
    if not pos:
        return {}
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    span = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    return {n: ((p[0] - cx) / span * radius, (p[1] - cy) / span * radius) for n, p in pos.items()}


def _component_layout(graph: nx.Graph, radius: float, seed: int = 1) -> dict[Any, tuple[float, float]]:
    simple = nx.Graph(graph.to_undirected() if graph.is_directed() else graph)
    n = simple.number_of_nodes()
    if n == 1:
        return {next(iter(simple)): (0.0, 0.0)}
    if n <= 3:
        return _scaled(nx.circular_layout(sorted(simple, key=str)), radius)
    try:  # numpy's Fruchterman-Reingold (no scipy needed below 500 nodes)
        pos = nx.spring_layout(simple, seed=seed, iterations=120, k=1.6 / math.sqrt(n))
    except Exception:  # noqa: BLE001 - a degenerate graph: fall back to a circle
        pos = nx.circular_layout(sorted(simple, key=str))
    return _scaled(pos, radius)


def packed_layout(graph: nx.Graph, *, seed: int = 1, spacing: float = 26.0,
                  aspect: float = 1.8) -> dict[Any, tuple[float, float]]:
    """Pixel positions: each connected component laid out on its own, components packed in rows.

    Computed once in Python (deterministic for a seed), so the browser draws the
    network at once instead of running a physics simulation.

    >>> G = nx.Graph([("a", "b"), ("c", "d"), ("d", "e")])
    >>> pos = packed_layout(G)
    >>> sorted(pos) == ["a", "b", "c", "d", "e"]
    True
    """
    components = sorted((sorted(c, key=str) for c in nx.connected_components(
        graph.to_undirected() if graph.is_directed() else graph)), key=lambda c: (-len(c), str(c[0])))
    radii = [spacing * (0.7 + math.sqrt(len(c))) for c in components]
    area = sum((2 * r + 1.6 * spacing) ** 2 for r in radii)
    row_width = max(math.sqrt(area * aspect), 2 * (radii[0] if radii else 0) + 1.6 * spacing)
    pos: dict[Any, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for comp, r in zip(components, radii):
        size = 2 * r + 1.6 * spacing  # room for the labels between components
        if x > 0 and x + size > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        local = _component_layout(graph.subgraph(comp), r, seed)
        for node, (px, py) in local.items():
            pos[node] = (round(x + size / 2 + px, 1), round(y + size / 2 + py, 1))
        x += size
        row_height = max(row_height, size)
    return pos


def _kind(value: Any) -> str:
    kind = str(value or "other").lower().replace("-", "_").replace(" ", "_")
    if kind in ("codefendant", "co_offender"):
        kind = "co_defendant"
    return kind if kind in KIND_COLORS else "other"


def ego_network_html(graph: nx.Graph, offender_id: str, height: int = 560) -> str:
    """The ego network of one offender: nodes coloured by kind, edges by arrival-gap status."""
    nodes, edges = [], []
    kinds, statuses = [], []
    pos = packed_layout(graph, spacing=60.0)
    for node_id, attrs in graph.nodes(data=True):
        kind = _kind(attrs.get("kind"))
        kinds.append(kind)
        is_ego = str(node_id) in (str(offender_id), f"offender:{offender_id}")
        nodes.append({"id": node_id, "label": attrs.get("label", node_id),
                      "title": attrs.get("title") or f"{kind.replace('_', ' ')}: {attrs.get('label', node_id)}",
                      "color": KIND_COLORS[kind], "shape": KIND_SHAPES[kind],
                      "size": 24 if is_ego else 13 if kind in ("state", "conviction") else 11,
                      "borderWidth": 3 if is_ego else 1, "borderColor": "#000000" if is_ego else "#555555",
                      "x": pos[node_id][0], "y": pos[node_id][1]})
    for u, v, attrs in graph.edges(data=True):
        kind = str(attrs.get("kind") or "")
        status = attrs.get("status")
        status = status if isinstance(status, str) and status in STATUS_COLORS else None
        if kind == "movement" and status is None:
            status = NOT_COUNTED
        if status:
            statuses.append(status)
        title = attrs.get("title") or "\n".join(
            x for x in (kind.replace("_", " "), f"receiving state: {STATUS_LABELS[status]}" if status else "") if x)
        edges.append({"from": u, "to": v, "color": STATUS_COLORS[status] if status else OTHER_LINK,
                      "width": 3 if status else 1.2, "title": title})
    legend = [("node", k.replace("_", "-") if k == "co_defendant" else k, KIND_COLORS[k])
              for k in KIND_COLORS if k in kinds]
    legend += [("edge", f"arrival: {STATUS_LABELS[s]}", STATUS_COLORS[s])
               for s in [*STATUS_ORDER, NOT_COUNTED] if s in statuses]
    legend += [("edge", "other link", OTHER_LINK)]
    return network_html(nodes, edges, legend=legend, height=height, title=f"Ego network of {offender_id}")


def co_offender_html(graph: nx.Graph, table: pd.DataFrame, mobile_members: Mapping[str, list[str]] | None = None,
                     height: int = 620) -> str:
    """Co-offender network: one colour per community; members of mobile groups ringed and larger.

    table: co_offender_table(G) rows (offender_id, community, degree, betweenness).
    mobile_members: offender_id -> the mobile group ids they belong to.
    """
    mobile_members = mobile_members or {}
    info = {str(r.offender_id): r for r in table.itertuples()} if not table.empty else {}
    nodes, edges = [], []
    pos = packed_layout(graph)
    for node_id, attrs in graph.nodes(data=True):
        key = str(node_id)
        row = info.get(key)
        community = getattr(row, "community", None)
        groups = mobile_members.get(key, [])
        lines = [f"Offender {key}"]
        for attr in ("nationality", "risk_level"):
            if attrs.get(attr) is not None:
                lines.append(f"{attr.replace('_', ' ')}: {attrs[attr]}")
        if row is not None:
            lines += [f"community: {community}", f"co-defendants: {getattr(row, 'degree', '')}",
                      f"betweenness: {float(getattr(row, 'betweenness', 0) or 0):.3f}"]
        if groups:
            lines.append("mobile group: " + ", ".join(str(g) for g in groups))
        nodes.append({"id": key, "label": attrs.get("label", key), "title": "\n".join(lines),
                      "color": community_color(community), "size": 20 if groups else 13,
                      "borderWidth": 4 if groups else 1, "borderColor": MOBILE_COLOR if groups else "#555555",
                      "x": pos[node_id][0], "y": pos[node_id][1]})
    for u, v, attrs in graph.edges(data=True):
        cases = attrs.get("cases") or attrs.get("case_ids") or attrs.get("case_id")
        if isinstance(cases, (list, tuple, set)):
            cases = ", ".join(str(c) for c in cases)
        both = str(u) in mobile_members and str(v) in mobile_members and \
            set(mobile_members[str(u)]) & set(mobile_members[str(v)])
        edges.append({"from": str(u), "to": str(v), "color": MOBILE_COLOR if both else "#BBBBBB",
                      "width": 2.5 if both else 1, "title": f"shared case: {cases}" if cases else "co-defendants"})
    legend = [("node", "colour = community", COMMUNITY_COLORS[0]),
              ("node", "ringed = member of a mobile group", MOBILE_COLOR),
              ("edge", "travelled together (mobile group)", MOBILE_COLOR), ("edge", "co-defendants", "#BBBBBB")]
    return network_html(nodes, edges, legend=legend, height=height, directed=False, title="Co-offender network")


def result_graph_html(graph: nx.MultiDiGraph, height: int = 520) -> str:
    """Nodes and relationships returned by a console query."""
    nodes, kinds = [], []
    pos = packed_layout(graph, spacing=50.0)
    for node_id, attrs in graph.nodes(data=True):
        kind = _kind(attrs.get("kind"))
        kinds.append(kind)
        nodes.append({"id": node_id, "label": attrs.get("label", node_id), "title": attrs.get("title", ""),
                      "color": KIND_COLORS[kind], "shape": KIND_SHAPES[kind], "x": pos[node_id][0],
                      "y": pos[node_id][1]})
    edges = [{"from": u, "to": v, "title": attrs.get("title", ""), "color": "#999999"}
             for u, v, attrs in graph.edges(data=True)]
    legend = [("node", k.replace("_", "-"), KIND_COLORS[k]) for k in KIND_COLORS if k in kinds]
    return network_html(nodes, edges, legend=legend, height=height, title="Query result")


def too_many_nodes(count: int, limit: int = MAX_NETWORK_NODES) -> bool:
    """True when a network view would draw more nodes than a browser handles comfortably."""
    return count > limit


# --- safe downloads -------------------------------------------------------------

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe.

    >>> neutralise("=HYPERLINK(1)"), neutralise("-5"), neutralise(-5), neutralise("DE")
    ("'=HYPERLINK(1)", "'-5", -5, 'DE')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def safe_csv(frame: pd.DataFrame) -> bytes:
    """CSV bytes (UTF-8) of a frame with every text cell and header neutralised.

    Numbers stay numbers: only text is prefixed, so a negative count remains
    a number while the text '-1+1' cannot become a formula.
    """
    out = frame.copy()
    out.columns = [str(neutralise(str(c))) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(neutralise)
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists and dicts as text so st.dataframe shows them (query console results)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(lambda v: json.dumps(v, default=str, ensure_ascii=False)
                                    if isinstance(v, (list, dict, tuple)) else v)
    return out
