"""Maps drawn from local geometry only (no tiles, no fetch): country outlines shipped in the package
(`data/europe.geojson`, Natural Earth, public domain), journeys and state flows on projected capitals,
and a choropleth of the gap rate by receiving state."""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
from altair.utils.schemapi import debug_mode

from .charts import _status_scale
from .style import GAP_RATE_RANGE, NOT_COUNTED, STATUS_COLORS, STATUS_LABELS, STATUS_ORDER

OUTSIDE = "outside"  # a journey arc outside the period the period control shows

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


OUTLINES = Path(__file__).resolve().parent / "data" / "europe.geojson"
BORDER_COLOR = "#B5B5B5"
LAND_COLOR = "#F1F1EE"
# Selection parameter names: the pages read what was clicked under these names.
STATE_PICK = "state_pick"
CORRIDOR_PICK = "corridor_pick"


@cache
def outlines() -> tuple[dict[str, Any], ...]:
    """The country outline features (GeoJSON, lon/lat), read once from the package data."""
    return tuple(json.loads(OUTLINES.read_text(encoding="utf-8"))["features"])


@lru_cache(maxsize=32)
def _border_frame(xd: tuple[float, float], yd: tuple[float, float]) -> pd.DataFrame:
    """The projected border points of the rings that reach into the frame: fixed per frame, so made
    once (a page redraws the same frame on every run); shared, never changed by its users."""
    rows = []
    for k, feature in enumerate(outlines()):
        for p, polygon in enumerate(feature["geometry"]["coordinates"]):
            for r, ring in enumerate(polygon):
                pts = [project(lon, lat) for lon, lat in ring]
                if not any(xd[0] <= x <= xd[1] and yd[0] <= y <= yd[1] for x, y in pts):
                    continue  # wholly outside the frame
                rows += [(f"{k}.{p}.{r}", j, round(x, 3), round(y, 3)) for j, (x, y) in enumerate(pts)]
    return pd.DataFrame(rows, columns=["ring", "order", "x", "y"])


def _border_lines(xd: list, yd: list) -> alt.Chart:
    """Country borders as projected lines on the maps' x/y scales (drawn under everything else).
    A DataFrame, not inline values: Altair would validate and deep-copy each of its few thousand
    points on every render; Streamlit sends a DataFrame as Arrow."""
    return alt.Chart(_border_frame(tuple(xd), tuple(yd))).mark_line(color=BORDER_COLOR, strokeWidth=0.8,
                                                                    clip=True).encode(
        x=alt.X("x:Q", axis=None, scale=alt.Scale(domain=xd)), y=alt.Y("y:Q", axis=None, scale=alt.Scale(domain=yd)),
        detail="ring:N", order="order:Q")


def picked(event: Any, name: str, field: str) -> str | None:
    """The value of `field` in the point a user clicked (Streamlit's selection event), if any."""
    try:
        points = event["selection"][name]
    except (KeyError, TypeError):
        return None
    for point in points or []:
        for key, value in point.items():
            if key == field or key.endswith(f".{field}"):
                return str(value)
    return None


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
    pick = alt.selection_point(name=STATE_PICK, fields=["code"], on="click", clear="dblclick")
    dots = base.mark_circle(size=90, color="#333333", opacity=1, cursor="pointer").encode(
        tooltip=[alt.Tooltip("state:N", title="State")]).add_params(pick)
    labels = base.mark_text(dy=-11, fontSize=12, fontWeight="bold", color="#222222", stroke="white",
                            strokeWidth=3).encode(text="code:N")
    text = base.mark_text(dy=-11, fontSize=12, fontWeight="bold", color="#222222").encode(text="code:N")
    # alt.layer() may return a FacetChart, but only for layers with facet encodings; these have none.
    return alt.LayerChart(layer=[dots, labels, text])


def journey_map(journey: pd.DataFrame, states: pd.DataFrame, width: int = 440,
                max_height: int = 440, current: set[str] | None = None) -> alt.LayerChart | None:
    """The journey as arcs between capitals, coloured by arrival-gap status and numbered in order;
    None when none of its states has coordinates. With `current` (movement ids: the period
    control's), the other arcs are grey; the frame is the whole journey's, so nothing moves."""
    pos = _positions(states)
    names = dict(zip(states["code"], states["name"]))
    points, steps = [], []
    trips: dict[tuple[str, str], int] = {}
    for i, m in enumerate(journey.itertuples(), start=1):
        if m.from_state not in pos or m.to_state not in pos:
            continue
        status = m.status if isinstance(m.status, str) else NOT_COUNTED
        if current is not None and m.movement_id not in current:
            status = OUTSIDE
        repeat = trips[(m.from_state, m.to_state)] = trips.get((m.from_state, m.to_state), -1) + 1
        path = _curve(pos[m.from_state], pos[m.to_state], bend=0.22 + 0.14 * repeat)  # a repeat bends further
        corridor = f"{names.get(m.from_state, m.from_state)} → {names.get(m.to_state, m.to_state)}"
        for j, (x, y) in enumerate(path):
            points.append({"arc": i, "order": j, "x": x, "y": y, "status": status, "step": i,
                           "movement": m.movement_id, "corridor": corridor, "arrived": m.arrival_date,
                           "what": STATUS_LABELS.get(status, "outside the period")})
        mx, my = path[len(path) // 2]
        steps.append({"x": mx, "y": my, "step": str(i)})
    if not points:
        return None
    used = set(journey["from_state"]) | set(journey["to_state"])
    xd, yd, height = _frame_box([pos[c] for c in used if c in pos], width, max_height)
    present = [s for s in [*STATUS_ORDER, NOT_COUNTED] if s in {p["status"] for p in points}]
    scale_x, scale_y = alt.Scale(domain=xd), alt.Scale(domain=yd)
    colours = _status_scale(present)
    if any(p["status"] == OUTSIDE for p in points):
        colours = alt.Scale(domain=[*present, OUTSIDE], range=[*(STATUS_COLORS[s] for s in present), "#D9D9D9"])
    arcs = alt.Chart(pd.DataFrame(points)).mark_line(strokeWidth=3.5, strokeCap="round", opacity=0.95).encode(
        x=alt.X("x:Q", axis=None, scale=scale_x), y=alt.Y("y:Q", axis=None, scale=scale_y),
        detail="arc:N", order="order:Q",
        color=alt.Color("status:N", scale=colours, legend=None),
        tooltip=[alt.Tooltip("step:Q", title="Step"), alt.Tooltip("movement:N", title="Movement"),
                 alt.Tooltip("corridor:N", title="From → to"), alt.Tooltip("arrived:N", title="Arrived"),
                 alt.Tooltip("what:N", title="Receiving state")])
    marks = alt.Chart(pd.DataFrame(steps)).encode(x=alt.X("x:Q", axis=None, scale=scale_x),
                                                  y=alt.Y("y:Q", axis=None, scale=scale_y))
    badges = marks.mark_circle(size=190, color="white", stroke="#555555", strokeWidth=1, opacity=1)
    numbers = marks.mark_text(fontSize=10, fontWeight="bold", color="#222222").encode(text="step:N")
    return alt.layer(_border_lines(xd, yd), arcs, _capitals(states, used, xd, yd), badges, numbers).properties(
        width=width, height=height).configure_view(stroke="#E6E6E6", fill="#FBFBFB")


def state_flow_map(flow: pd.DataFrame, states: pd.DataFrame, width: int = 880,
                   max_height: int = 620, frame: Iterable[str] | None = None,
                   top: int | None = None) -> alt.LayerChart | None:
    """State flow on capital coordinates over country borders: one arc per (from, to), width =
    movements, colour = gap rate; a click on an arc selects the corridor (`CORRIDOR_PICK`, field
    ``corridor_id`` = "FROM>TO"), a click on a capital the state (`STATE_PICK`, field ``code``).

    `flow` has columns from_state, to_state, movements and gap_rate (may be empty). `frame`: the
    states the view must show (default: those of `flow`), and `top`: the movements of the widest
    arc (default: the largest in `flow`) — fixed by a caller that redraws the map period by
    period, so that neither the frame nor the widths jump.
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
                           "gap_rate": rate, "corridor": corridor, "corridor_id": f"{r.from_state}>{r.to_state}"})
    used = set(frame) & set(pos) if frame is not None else set(data["from_state"]) | set(data["to_state"])
    xd, yd, height = _frame_box([pos[c] for c in used], width, max_height)
    top = int(top or data["movements"].max())
    pick = alt.selection_point(name=CORRIDOR_PICK, fields=["corridor_id"], on="click", clear="dblclick")
    arcs = alt.Chart(pd.DataFrame(points)).mark_line(strokeCap="round", opacity=0.85, cursor="pointer").encode(
        x=alt.X("x:Q", axis=None, scale=alt.Scale(domain=xd)), y=alt.Y("y:Q", axis=None, scale=alt.Scale(domain=yd)),
        detail="arc:N", order="order:Q",
        color=alt.Color("gap_rate:Q", title="Gap rate", scale=alt.Scale(domain=[0, 1], range=GAP_RATE_RANGE),
                        legend=alt.Legend(format=".0%", orient="right")),
        strokeWidth=alt.StrokeWidth("movements:Q", title="Movements",
                                    scale=alt.Scale(domain=[0, max(top, 1)], range=[0.5, 12])),
        tooltip=[alt.Tooltip("corridor:N", title="Corridor"), alt.Tooltip("movements:Q", title="Movements"),
                 alt.Tooltip("gap_rate:Q", title="Gap rate", format=".0%")]).add_params(pick)
    unknown = alt.Chart(pd.DataFrame(points)).transform_filter("datum.gap_rate === null").mark_line(
        strokeCap="round", opacity=0.85, color=STATUS_COLORS["pending"]).encode(
        x=alt.X("x:Q", axis=None, scale=alt.Scale(domain=xd)), y=alt.Y("y:Q", axis=None, scale=alt.Scale(domain=yd)),
        detail="arc:N", order="order:Q",
        strokeWidth=alt.StrokeWidth("movements:Q", scale=alt.Scale(domain=[0, max(top, 1)], range=[0.5, 12]),
                                    legend=None),
        tooltip=[alt.Tooltip("corridor:N", title="Corridor"), alt.Tooltip("movements:Q", title="Movements")])
    return alt.layer(_border_lines(xd, yd), unknown, arcs, _capitals(states, used, xd, yd)).properties(
        width=width, height=height).configure_view(stroke="#E6E6E6", fill="#FBFBFB")


def status_legend_html(statuses: Iterable[str] = (*STATUS_ORDER, NOT_COUNTED)) -> str:
    """A small inline legend of status colours (our own constant text only)."""
    items = "".join(
        f'<span style="display:inline-block;margin-right:14px;white-space:nowrap">'
        f'<span style="display:inline-block;width:12px;height:12px;border-radius:2px;background:{STATUS_COLORS[s]};'
        f'margin-right:5px;vertical-align:-1px"></span>{html.escape(STATUS_LABELS[s])}</span>'
        for s in statuses)
    return f'<div style="font-size:0.85rem;line-height:1.8">{items}</div>'


def gap_choropleth(rates: pd.DataFrame, width: int = 620, height: int = 560) -> alt.Chart:
    """Country outlines coloured by the gap rate of arrivals in each receiving state; a click on a
    state selects it (`STATE_PICK`, field ``code``).

    `rates` has columns state, arrivals and gap_rate (None when no window has closed).
    """
    by_state = {str(r.state): r for r in rates.itertuples()}
    features = []
    for f in outlines():
        code = f["properties"]["code"]
        r = by_state.get(code)
        rate = None if r is None or pd.isna(r.gap_rate) else round(float(r.gap_rate), 4)
        # Top-level copies of the properties: Streamlit reports a selection by these field names.
        features.append({**f, "code": code, "name": f["properties"]["name"], "gap_rate": rate,
                         # None: a state suppressed by disclosure control (fewer than SOMEC_MIN_CELL arrivals)
                         "arrivals": 0 if r is None else None if pd.isna(r.arrivals) else int(r.arrivals),
                         "member": bool(code)})
    # Fit a frame of lon/lat points (no polygon: its winding would matter on the sphere).
    frame = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {
        "type": "MultiPoint", "coordinates": [[-11, 35], [33, 35], [-11, 69], [33, 69]]}}]}
    pick = alt.selection_point(name=STATE_PICK, fields=["code"], on="click", clear="dblclick")
    # Not validated at construction (≈ 0.1 s over every coordinate on each render): to_dict, which
    # Streamlit calls, validates the whole spec. (Altair's own copies toggle the same switch.)
    with debug_mode(False):
        data = alt.Data(values=features)
    return alt.Chart(data).mark_geoshape(stroke="#FFFFFF", strokeWidth=0.7,
                                                              cursor="pointer").encode(
        color=alt.condition("datum.gap_rate === null",
                            alt.value(LAND_COLOR),
                            alt.Color("gap_rate:Q", title="Gap rate", scale=alt.Scale(domain=[0, 1], range=GAP_RATE_RANGE),
                                      legend=alt.Legend(format=".0%"))),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.45)),
        tooltip=[alt.Tooltip("name:N", title="Receiving state"), alt.Tooltip("arrivals:Q", title="Counted arrivals"),
                 alt.Tooltip("gap_rate:Q", title="Gap rate", format=".0%")],
    ).add_params(pick).project(type="mercator", fit=frame).properties(width=width, height=height)


def receiving_rates(matrix: pd.DataFrame) -> pd.DataFrame:
    """Per receiving state: counted arrivals and the gap rate pooled over every sending state
    (late + unnotified over the arrivals whose window has closed), from a gap matrix (SPEC §4.2).

    >>> m = pd.DataFrame({"from_state": ["RO", "PL"], "to_state": ["DE", "DE"], "movements": [3, 2],
    ...                   "late": [1, 0], "unnotified": [1, 0], "pending": [1, 0]})
    >>> receiving_rates(m)
      state  arrivals  gap_rate
    0    DE         5       0.5
    """
    if matrix.empty:
        return pd.DataFrame(columns=["state", "arrivals", "gap_rate"])
    g = matrix.groupby("to_state")[["movements", "late", "unnotified", "pending"]].sum()
    closed = g["movements"] - g["pending"]
    rate = ((g["late"] + g["unnotified"]) / closed.where(closed > 0)).astype("float64")
    return pd.DataFrame({"state": g.index, "arrivals": g["movements"].astype(int).to_numpy(),
                         "gap_rate": rate.to_numpy()}).reset_index(drop=True)
