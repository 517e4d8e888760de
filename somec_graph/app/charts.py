"""Altair charts (bundled with Streamlit, rendered offline): gap heatmap, trends, mechanisms, timelines."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping

import altair as alt
import pandas as pd

from .style import GAP_RATE_RANGE, NOT_COUNTED, STATUS_COLORS, STATUS_LABELS, STATUS_ORDER

# --- charts (Altair: bundled with Streamlit, rendered offline) ------------------

def _status_scale(statuses: Iterable[str] = STATUS_ORDER) -> alt.Scale:
    statuses = list(statuses)
    return alt.Scale(domain=statuses, range=[STATUS_COLORS[s] for s in statuses])


def wilson_interval(gaps: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """95% Wilson interval of a rate of `gaps` in `n`: how sure a cell's gap rate is.

    >>> [round(x, 2) for x in wilson_interval(2, 2)], [round(x, 2) for x in wilson_interval(50, 100)]
    ([0.34, 1.0], [0.4, 0.6])
    """
    if n <= 0:
        return None
    p, d = gaps / n, 1 + z * z / n
    centre, half = (p + z * z / (2 * n)) / d, z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / d
    return max(0.0, centre - half), min(1.0, centre + half)


def gap_heatmap(matrix: pd.DataFrame, names: Mapping[str, str] | None = None,
                min_cell: int | None = None) -> alt.LayerChart:
    """Origin (rows) × destination (columns) heatmap of the gap rate, one cell per corridor.

    How many arrivals stand behind a rate shows twice: cells with few are pale (opacity grows with
    the number of arrivals whose window has closed) and the tooltip gives the 95% interval, so a
    2-arrival corridor never looks like the worst one. Rows marked `suppressed` (disclosure
    control, `access/disclosure.py`) are grey and read "fewer than `min_cell`".
    """
    names = names or {}
    data = matrix.copy()
    if "suppressed" not in data:
        data["suppressed"] = False
    data["sending"] = [f"{c} {names.get(c, '')}".strip() for c in data["from_state"]]
    data["receiving"] = [f"{c} {names.get(c, '')}".strip() for c in data["to_state"]]
    shown = data[~data["suppressed"]].copy()
    for column in ("gap_rate", "median_lag_days"):
        shown[column] = shown[column].astype("float64")
    shown["gaps"] = (shown["late"] + shown["unnotified"]).astype(int)
    shown["closed"] = (shown["movements"] - shown["pending"]).astype(int)
    intervals = [wilson_interval(g, n) for g, n in zip(shown["gaps"], shown["closed"])]
    shown["interval"] = [f"{i[0]:.0%}–{i[1]:.0%}" if i else "" for i in intervals]
    hidden = data[data["suppressed"]].assign(arrivals=f"fewer than {min_cell}")
    most = int(shown["closed"].max()) if not shown.empty else 1  # every cell suppressed: no rate to shade
    x = alt.X("to_state:N", title="Receiving state", sort="ascending",
              axis=alt.Axis(labelAngle=0, orient="top", labelOverlap=False))
    y = alt.Y("from_state:N", title="Sending state", sort="ascending", axis=alt.Axis(labelOverlap=False))
    cells = alt.Chart(shown).mark_rect(stroke="white", strokeWidth=0.5).encode(
        x=x, y=y,
        color=alt.Color("gap_rate:Q", title="Gap rate", scale=alt.Scale(domain=[0, 1], range=GAP_RATE_RANGE),
                        legend=alt.Legend(format=".0%")),
        opacity=alt.Opacity("closed:Q", title="Arrivals behind the rate",
                            scale=alt.Scale(type="log", domain=[1, max(most, 2)],
                                            range=[0.3, 1]), legend=None),
        tooltip=[alt.Tooltip("sending:N", title="From"), alt.Tooltip("receiving:N", title="To"),
                 alt.Tooltip("movements:Q", title="Arrivals", format=","),
                 alt.Tooltip("gap_rate:Q", title="Gap rate", format=".0%"),
                 alt.Tooltip("interval:N", title="95% interval"),
                 alt.Tooltip("gaps:Q", title="Late or never", format=","),
                 alt.Tooltip("unnotified:Q", title="Never notified", format=","),
                 alt.Tooltip("median_lag_days:Q", title="Median lag (days)", format=".0f")],
    )
    layers = [cells]
    if not hidden.empty:
        layers.append(alt.Chart(hidden[["from_state", "to_state", "sending", "receiving", "arrivals"]]).mark_rect(
            stroke="white", strokeWidth=0.5, color="#DDDDDD").encode(
            x=x, y=y, tooltip=[alt.Tooltip("sending:N", title="From"), alt.Tooltip("receiving:N", title="To"),
                               alt.Tooltip("arrivals:N", title="Arrivals")]))
    # alt.layer() is typed as possibly a FacetChart (for faceted layers); these are not faceted.
    # Streamlit fits the axes into the height.
    return alt.LayerChart(layer=layers).properties(height=80 + 17 * data["from_state"].nunique())


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


def journey_timeline(journey: pd.DataFrame, as_of: str | None = None,
                     period: tuple[str, str] | None = None) -> alt.Chart | alt.LayerChart:
    """Stays as bars on a time axis, one row per state, coloured by the arrival's gap status;
    `period` (first and last day) is marked behind the bars, for the period control."""
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
    bars = alt.Chart(data).mark_bar(height=18, cornerRadius=3).encode(
        x=alt.X("start:T", title="Arrival and stay"),
        x2="end:T",
        y=alt.Y("to_state:N", title="State", sort=alt.EncodingSortField("start", op="min")),
        color=alt.Color("status:N", title="Arrival", scale=_status_scale(present), legend=None),  # legend: HTML above
        tooltip=[alt.Tooltip("step:Q", title="#"), alt.Tooltip("movement_id:N", title="Movement"),
                 alt.Tooltip("from_state:N", title="From"), alt.Tooltip("to_state:N", title="To"),
                 alt.Tooltip("arrival_date:N", title="Arrived"), alt.Tooltip("stay:N", title="Stayed"),
                 alt.Tooltip("what:N", title="Receiving state"), alt.Tooltip("lag:N", title="Told after")],
    ).properties(height=70 + 36 * data["to_state"].nunique())  # Streamlit fits axes into this height too
    if period is None:
        return bars
    marked = pd.DataFrame({"start": [pd.to_datetime(period[0])], "end": [pd.to_datetime(period[1])]})
    band = alt.Chart(marked).mark_rect(color=STATUS_COLORS["notified"], opacity=0.18).encode(x="start:T", x2="end:T")
    return alt.LayerChart(layer=[band, bars])


# --- the What-if page ---------------------------------------------------------------

def before_after_trend(before: pd.DataFrame, after: pd.DataFrame) -> alt.Chart:
    """Gap rate per arrival year without and with the rules, on one chart."""
    both = pd.concat([before.assign(data="as recorded"), after.assign(data="with the rules")])
    both = both.assign(year=both["year"].astype(str), gap_rate=both["gap_rate"].astype("float64"))
    return alt.Chart(both[["year", "gap_rate", "movements", "data"]]).mark_line(point=True, strokeWidth=3).encode(
        x=alt.X("year:O", title="Arrival year", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("gap_rate:Q", title="Gap rate", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format=".0%")),
        color=alt.Color("data:N", title=None, scale=alt.Scale(domain=["as recorded", "with the rules"],
                                                              range=[STATUS_COLORS["unnotified"], "#0072B2"])),
        strokeDash=alt.StrokeDash("data:N", legend=None, scale=alt.Scale(domain=["as recorded", "with the rules"],
                                                                         range=[[1, 0], [6, 3]])),
        tooltip=[alt.Tooltip("year:O", title="Year"), alt.Tooltip("data:N", title="Data"),
                 alt.Tooltip("gap_rate:Q", title="Gap rate", format=".0%"),
                 alt.Tooltip("movements:Q", title="Arrivals", format=",")],
    ).properties(height=280)


def gaps_closed(before: pd.DataFrame, after: pd.DataFrame) -> pd.DataFrame:
    """Per corridor: gaps (late or never) as recorded and with the rules, and how many close.

    >>> cols = ["from_state", "to_state", "movements", "late", "unnotified"]
    >>> b = pd.DataFrame([["RO", "DE", 10, 3, 4]], columns=cols)
    >>> gaps_closed(b, b.assign(late=1, unnotified=1))[["gaps_before", "gaps_after", "closed"]].iloc[0].tolist()
    [7, 2, 5]
    """
    keys = ["from_state", "to_state"]
    b = before.assign(gaps_before=before["late"] + before["unnotified"])[[*keys, "movements", "gaps_before"]]
    a = after.assign(gaps_after=after["late"] + after["unnotified"])[[*keys, "gaps_after"]]
    out = b.merge(a, on=keys, how="left")
    out["closed"] = out["gaps_before"] - out["gaps_after"]
    return out


def gaps_closed_heatmap(closed: pd.DataFrame) -> alt.Chart:
    """Origin × destination: how many of each corridor's gaps the rules would close."""
    return alt.Chart(closed).mark_rect(stroke="white", strokeWidth=0.5).encode(
        x=alt.X("to_state:N", title="Receiving state", sort="ascending",
                axis=alt.Axis(labelAngle=0, orient="top", labelOverlap=False)),
        y=alt.Y("from_state:N", title="Sending state", sort="ascending", axis=alt.Axis(labelOverlap=False)),
        color=alt.Color("closed:Q", title="Gaps closed", scale=alt.Scale(scheme="blues")),
        tooltip=[alt.Tooltip("from_state:N", title="From"), alt.Tooltip("to_state:N", title="To"),
                 alt.Tooltip("movements:Q", title="Arrivals", format=","),
                 alt.Tooltip("gaps_before:Q", title="Gaps as recorded", format=","),
                 alt.Tooltip("gaps_after:Q", title="Gaps with the rules", format=","),
                 alt.Tooltip("closed:Q", title="Closed", format=",")],
    ).properties(height=80 + 17 * closed["from_state"].nunique())


def period_timeline(counts: pd.DataFrame, current: str | None) -> alt.Chart:
    """Movements per period as bars, the `current` period marked (the others faded).

    `counts` has columns period and movements (see periods.per_period); `current` is a period label
    or None for all.
    """
    data = counts.assign(now=[current is None or p == current for p in counts["period"]])
    return alt.Chart(data).mark_bar().encode(
        x=alt.X("period:O", title=None, axis=alt.Axis(labelAngle=-60, labelOverlap=True)),
        y=alt.Y("movements:Q", title="Movements"),
        color=alt.condition("datum.now", alt.value(STATUS_COLORS["notified"]), alt.value("#DDDDDD")),
        tooltip=[alt.Tooltip("period:O", title="Period"), alt.Tooltip("movements:Q", title="Movements", format=",")],
    ).properties(height=150)
