"""The report as one HTML page: the dashboard's own Altair charts drawn to inline SVG by
vl-convert (locally, no browser, no fetch), tables and sentences in a Jinja2 template, the font
embedded as data (a DejaVu Sans subset, `fonts/`) — so the file loads nothing from anywhere, reads
the same on any machine and prints to A4 as it is."""

from __future__ import annotations

import base64
import datetime as dt
from functools import cache
from pathlib import Path
from typing import Any

import altair as alt
import jinja2

from ..access.disclosure import fewer_than, visible
from ..analysis.whatif import DEFAULT_NOTICE_DAYS, DEFAULT_REPLY_DAYS, RULES
from ..app import captions, charts, maps
from ..app.style import RISK_LABELS, fmt_days, fmt_int, fmt_pct
from .contents import Report

TEMPLATE = Path(__file__).resolve().parent / "template.html"
FONTS = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "Report Sans"  # the embedded face's own name, so no installed font of that name can stand in
FONT_FILES = {"normal": "DejaVuSans-subset.woff", "bold": "DejaVuSans-Bold-subset.woff"}


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    return env.from_string(TEMPLATE.read_text(encoding="utf-8"))


@cache
def font_faces() -> str:
    """@font-face rules carrying the report's font as data: URIs (inside the file, SPEC §11).

    >>> font_faces().count("src: url(data:font/woff;base64,")
    2
    """
    return "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; font-weight: {weight}; font-style: normal; '
        f'src: url(data:font/woff;base64,{base64.b64encode((FONTS / name).read_bytes()).decode("ascii")}) format("woff"); }}'
        for weight, name in FONT_FILES.items())


def svg(chart: alt.TopLevelMixin | dict[str, Any]) -> str:
    """A Vega-Lite chart as SVG markup, rendered in-process (vl-convert bundles Vega and its fonts
    are the system's: nothing is fetched)."""
    import vl_convert

    spec = chart if isinstance(chart, dict) else chart.to_dict()
    return str(vl_convert.vegalite_to_svg(spec))


def static_map(chart: alt.Chart) -> dict[str, Any]:
    """The Overview's choropleth for paper: no click selection (it would fade every state), and
    borders drawn in grey so that states without a rate still show."""
    spec = chart.to_dict()
    spec.pop("params", None)
    spec["encoding"].pop("opacity", None)
    spec["mark"] = {**spec["mark"], "stroke": maps.BORDER_COLOR, "cursor": "default"}
    return spec


def _period(r: Report) -> str:
    f = r.filters
    if f.date_from and f.date_to:
        return f"Arrivals from {f.date_from} to {f.date_to}"
    if f.date_from:
        return f"Arrivals from {f.date_from} to the data's date, {r.as_of}"
    if f.date_to:
        return f"Arrivals up to {f.date_to}"
    return f"All arrivals up to the data's date, {r.as_of}"


def _matrix_rows(r: Report) -> list[dict[str, str]]:
    """The gap matrix in numbers; a suppressed corridor reads "fewer than N" and nothing else."""
    rows = []
    for m in r.matrix.itertuples():
        pair = {"sending": f"{m.from_state} {r.names.get(m.from_state, '')}".strip(),
                "receiving": f"{m.to_state} {r.names.get(m.to_state, '')}".strip()}
        if m.suppressed:
            rows.append({**pair, "movements": fewer_than(r.min_cell), "known": "", "notified": "", "late": "",
                         "unnotified": "", "pending": "", "gap_rate": "", "median_lag_days": ""})
        else:
            rows.append({**pair, **{c: fmt_int(getattr(m, c)) for c in
                                    ("movements", "known", "notified", "late", "unnotified", "pending")},
                         "gap_rate": fmt_pct(m.gap_rate), "median_lag_days": fmt_days(m.median_lag_days)})
    return rows


def _whatif_rows(r: Report) -> list[dict[str, str]]:
    return [{"rule": str(w.rule), "movements": fmt_int(w.movements), "gaps_before": fmt_int(w.gaps_before),
             "gaps_after": fmt_int(w.gaps_after), "closed": fmt_int(w.gaps_before - w.gaps_after),
             "gap_rate_before": fmt_pct(w.gap_rate_before), "gap_rate_after": fmt_pct(w.gap_rate_after)}
            for w in r.whatif.itertuples()]


def context(r: Report) -> dict[str, Any]:
    """Everything the template shows, as text and SVG (tested apart from the markup)."""
    f, k = r.filters, r.headline
    words: dict[str, Any] = {"group": f.group, "min_risk": f.min_risk, "states": list(f.states),
                             "date_from": f.date_from, "date_to": f.date_to}
    who = captions.describe_filters(**words)["who"]
    matrix_shown, yearly_shown, mech_shown = visible(r.matrix), visible(r.yearly), visible(r.mechanisms)
    hidden = r.hidden_cells
    if 0 < k["arrivals"] < r.min_cell:  # the whole period is one small cell: its figures single people out
        headline = [("Counted arrivals", fewer_than(r.min_cell)), ("Gap rate", "–"), ("Median lag", "–"),
                    ("Unnotified (last 12 months)", "–")]
        headline_sentence = (f"Fewer than {r.min_cell} counted arrivals match these filters, so their figures are "
                             "withheld (disclosure control); widen the period or the states.")
    else:
        headline = [("Counted arrivals", fmt_int(k["arrivals"])), ("Gap rate", fmt_pct(k["gap_rate"])),
                    ("Median lag", fmt_days(k["median_lag_days"])),
                    ("Unnotified (last 12 months)", fmt_int(k["unnotified_last_12_months"]))]
        headline_sentence = captions.overview_caption(k, f.window_days, **words)
    out: dict[str, Any] = {
        "period": _period(r), "states": ", ".join(f"{s} {r.names.get(s, '')}".strip() for s in f.states),
        "window_days": f.window_days, "data_version": r.data_version, "loaded_at": r.loaded_at or "–",
        "as_of": r.as_of, "made": dt.date.today().isoformat(), "min_cell": r.min_cell,
        "fewer_than": fewer_than(r.min_cell),
        "headline": headline, "headline_sentence": headline_sentence,
        "group": {"violent": "violent", "sexual": "sexual"}.get(f.group or "", "violent or sexual"),
        "min_risk": f"{RISK_LABELS[f.min_risk]} risk or above" if f.min_risk else "any risk level",
        "worst": captions.worst_state_caption(captions.worst_receiving_state(matrix_shown), r.names, who),
        "hidden": hidden, "matrix_rows": _matrix_rows(r),
    }
    out["heatmap"] = svg(charts.gap_heatmap(r.matrix, r.names, r.min_cell).properties(width=560)) \
        if not r.matrix.empty else ""
    out["map"] = svg(static_map(maps.gap_choropleth(r.receiving, width=520, height=470))) if not r.matrix.empty else ""
    out["trend"] = svg(charts.trend_chart(yearly_shown).properties(width=560, height=240)) \
        if not yearly_shown.empty else ""
    if mech_shown.empty:
        out["mechanisms"], out["mechanism_sentence"] = "", ""
    else:
        total, top = int(mech_shown["exchanges"].sum()), mech_shown.iloc[0]
        out["mechanisms"] = svg(charts.mechanism_chart(mech_shown).properties(width=520))
        out["mechanism_sentence"] = (
            f"{fmt_int(total)} exchanges were sent in the period; {top['mechanism']} carried "
            f"{fmt_pct(top['exchanges'] / total)} of them. Requests inform nobody until answered.")
    out["corridors"] = [{"corridor": c["corridor"], "arrivals": fmt_int(c["arrivals"]),
                         "gaps": fmt_int(c["late or never"]), "never": fmt_int(c["never notified"]),
                         "gap_rate": fmt_pct(c["gap rate"]), "lag": fmt_days(c["median lag (days)"])}
                        for c in r.corridors.to_dict("records")]
    everything = r.whatif[r.whatif["rule"] == "all"]
    out["whatif_rows"] = _whatif_rows(r)
    out["whatif_sentence"] = "" if everything.empty else captions.whatif_sentence(
        list(RULES), int(everything["gaps_before"].iloc[0]), int(everything["gaps_after"].iloc[0]),
        notice_days=DEFAULT_NOTICE_DAYS, reply_days=DEFAULT_REPLY_DAYS)
    return out


def render(r: Report) -> str:
    """The report as one self-contained HTML document."""
    return _template().render(**context(r), font_faces=font_faces(), font_family=FONT_FAMILY)

