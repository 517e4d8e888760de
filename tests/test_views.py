"""The dashboard's pure builders (somec_graph.app style, captions, charts, maps, network, downloads):
escaping, offline HTML, safe CSV, colours."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from somec_graph.app import captions, charts, downloads, maps, network_html, style
from somec_graph.vocab import STATUSES

REPO = Path(__file__).resolve().parent.parent

EVIL = "<img src=x onerror=alert(1)>"
EVIL_ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"


def _ours(page: str) -> str:
    """The generated HTML without the inlined vis-network library text."""
    js, css = network_html.vis_library_text()
    assert js in page and css in page, "vis-network must be inlined, not linked"
    return page.replace(js, "").replace(css, "")


def _ego_graph() -> nx.MultiDiGraph:
    """An ego network as `networks.ego_network` returns it, with hostile text in its facts."""
    G = nx.MultiDiGraph(offender_id="OFF-1")
    G.add_node("offender:OFF-1", kind="offender", label="OFF-1",
               facts={"offender_id": "OFF-1", "nationality": "RO", "risk_level": EVIL})
    G.add_node("state:DE", kind="state", label="DE", facts={"code": "DE", "name": "Germany"})
    G.add_node("state:RO", kind="state", label="RO", facts={"code": "RO", "name": "Romania"})
    G.add_node("agency:X", kind="agency", label=EVIL, facts={"name": EVIL, "kind": "police", "state": "DE"})
    G.add_node("exchange:E1", kind="exchange", label="SIS alert",
               facts={"exchange_id": "E1</script><script>alert(2)</script>", "mechanism": "SIS", "kind": "alert",
                      "sent_date": "2021-01-01"})
    G.add_node("offender:OFF-2", kind="co_defendant", label="OFF-2",
               facts={"offender_id": "OFF-2", "nationality": "BG", "risk_level": "high"})
    G.add_edge("state:RO", "state:DE", key="M1", kind="movement", status="unnotified", arrival_date="2021-01-02",
               facts={"movement_id": "M1", "from_state": "RO", "to_state": "DE"})
    G.add_edge("state:DE", "state:RO", key="M2", kind="movement", status=None, arrival_date="2021-03-01",
               facts={"movement_id": "M2", "from_state": "DE", "to_state": "RO"})
    G.add_edge("agency:X", "exchange:E1", kind="sent", status=None)
    G.add_edge("exchange:E1", "offender:OFF-1", kind="about", status=None)
    return G


def test_ego_network_escapes_every_data_value() -> None:
    page = network_html.ego_network_html(_ego_graph(), "OFF-1")
    ours = _ours(page)
    assert EVIL not in page
    assert "<img" not in ours.lower()
    assert "alert(2)</script>" not in page
    # Titles are escaped HTML inside JSON whose <, > and & are escaped again for the <script> element.
    nodes = json.loads(re.search(r"var nodes = (\[.*?\]);\n", ours).group(1))
    agency = next(n for n in nodes if n["id"] == "agency:X")
    assert agency["title"] == f"{EVIL_ESCAPED}<br>police agency in DE"
    ego = next(n for n in nodes if n["id"] == "offender:OFF-1")
    assert ego["title"] == f"OFF-1<br>Nationality: RO<br>Risk level: {EVIL_ESCAPED}"
    edges = json.loads(re.search(r"var edges = (\[.*?\]);\n", ours).group(1))
    titles = {e["from"]: e["title"] for e in edges if e["from"].startswith("state:")}
    assert titles == {"state:RO": "Movement M1: RO -&gt; DE<br>Arrived 2021-01-02<br>Receiving state: unnotified",
                      "state:DE": "Movement M2: DE -&gt; RO<br>Arrived 2021-03-01<br>"
                                  "Not counted (no qualifying conviction yet)"}
    assert agency["label"] == EVIL  # drawn on the canvas as text, never parsed as HTML
    assert ego["borderWidth"] == 3 and ego["size"] > 20


def test_ego_network_colours_by_kind_and_gap_status_with_a_legend() -> None:
    page = network_html.ego_network_html(_ego_graph(), "OFF-1")
    ours = _ours(page)
    edges = json.loads(re.search(r"var edges = (\[.*?\]);\n", ours).group(1))
    colours = {e["from"] + ">" + e["to"]: e["color"]["color"] for e in edges}
    assert colours["state:RO>state:DE"] == style.STATUS_COLORS["unnotified"]
    assert colours["state:DE>state:RO"] == style.STATUS_COLORS[style.NOT_COUNTED]
    assert colours["agency:X>exchange:E1"] == style.OTHER_LINK
    nodes = json.loads(re.search(r"var nodes = (\[.*?\]);\n", ours).group(1))
    assert {n["id"]: n["color"]["background"] for n in nodes}["state:DE"] == style.KIND_COLORS["state"]
    legend = re.search(r'<div id="legend"[^>]*>(.*?)</div>', ours, re.S).group(1)
    for word in ("offender", "state", "agency", "exchange", "co-defendant", "never notified"):
        assert word in legend


def test_network_html_is_offline() -> None:
    page = network_html.ego_network_html(_ego_graph(), "OFF-1")
    ours = _ours(page)
    assert not re.search(r"https?:|//[a-z0-9.-]+\.[a-z]{2,}/", ours, re.I), "our own HTML must name no URL at all"
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page, re.I)
    assert "@import" not in page and "url(http" not in page.replace(" ", "")
    assert "bootstrap" not in page.lower() and "cdn" not in ours.lower()
    assert "default-src 'none'" in page  # CSP: the page may fetch nothing
    js, css = network_html.vis_library_text()
    # The library may mention URLs (licence comments, the SVG namespace) but never loads one.
    assert not re.search(r"""(src|href)\s*=\s*["']https?:""", js + css)
    assert "url(http" not in css.replace(" ", "").replace('"', "").replace("'", "")


def test_co_offender_network_highlights_mobile_groups() -> None:
    G = nx.Graph()
    G.add_node("OFF-1", nationality="RO", risk_level="high")
    G.add_node("OFF-2", nationality="RO", risk_level="low")
    G.add_node(EVIL, nationality="BG", risk_level="low")
    G.add_edge("OFF-1", "OFF-2", cases=["CASE-1"], weight=1)
    G.add_edge("OFF-2", EVIL, cases=[EVIL], weight=1)
    table = pd.DataFrame({"offender_id": ["OFF-1", "OFF-2", EVIL], "community": [1, 1, 2],
                          "degree": [1, 2, 1], "betweenness": [0.0, 1.0, 0.0]})
    page = network_html.co_offender_html(G, table, {"OFF-1": ["1"], "OFF-2": ["1"]})
    ours = _ours(page)
    assert EVIL not in page and "<img" not in ours.lower()
    nodes = {n["id"]: n for n in json.loads(re.search(r"var nodes = (\[.*?\]);\n", ours).group(1))}
    assert nodes["OFF-1"]["color"]["border"] == style.MOBILE_COLOR and nodes["OFF-1"]["borderWidth"] == 4
    assert nodes[EVIL]["color"]["border"] != style.MOBILE_COLOR
    assert nodes["OFF-1"]["color"]["background"] == style.community_color(1) != style.community_color(2)
    edges = json.loads(re.search(r"var edges = (\[.*?\]);\n", ours).group(1))
    assert {(e["from"], e["to"]): e["color"]["color"] for e in edges}[("OFF-1", "OFF-2")] == style.MOBILE_COLOR


def test_result_graph_html_escapes_properties() -> None:
    G = nx.MultiDiGraph()
    G.add_node("#1", kind="agency", label=EVIL, title=f"Agency\nname: {EVIL}")
    G.add_node("#2", kind="state", label="DE", title="State")
    G.add_edge("#1", "#2", title="IN")
    page = network_html.result_graph_html(G)
    assert EVIL not in page and EVIL_ESCAPED in page.replace("\\u0026", "&")


def test_tooltips_and_captions_escape() -> None:
    assert network_html.title_html(f"a\n{EVIL}") == f"a<br>{EVIL_ESCAPED}"
    assert "<" not in network_html.script_json({"x": "</script>"})


def test_maps_are_local_geometry_coloured_by_status() -> None:
    states = pd.DataFrame({"code": ["RO", "DE", "XX"], "name": ["Romania", EVIL, "Nowhere"],
                           "lat": [44.43, 52.52, None], "lon": [26.10, 13.40, None]})
    journey = pd.DataFrame({"movement_id": ["M1", "M2", "M3"], "from_state": ["RO", "DE", "DE"],
                            "to_state": ["DE", "RO", "XX"], "arrival_date": ["2020-01-01", "2021-01-01", "2022-01-01"],
                            "days_stayed": [366, 365, None], "status": ["late", None, "known"],
                            "lag_days": [40, None, 0]})
    spec = maps.journey_map(journey, states).to_dict()
    text = json.dumps(spec)
    assert not re.search(r"https?://(?!vega\.github\.io/schema/)", text), "no URL but the Vega-Lite schema id"
    assert '"url"' not in text and "geoshape" not in text  # no remote data, no tiles
    borders = spec["layer"][0]  # country outlines from the package, inline: drawn first, under the arcs
    assert borders["mark"]["type"] == "line" and len(spec["datasets"][borders["data"]["name"]]) > 100
    arcs = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "line" and "color" in layer["encoding"])
    assert arcs["encoding"]["color"]["scale"]["range"] == [style.STATUS_COLORS["late"], style.STATUS_COLORS[style.NOT_COUNTED]]
    rows = spec["datasets"][arcs["data"]["name"]]
    assert {r["arc"] for r in rows} == {1, 2}  # XX has no coordinates: no arc
    flow = pd.DataFrame({"from_state": ["RO", "DE"], "to_state": ["DE", "RO"], "movements": [10, 2],
                         "gap_rate": [0.5, None]})
    flow_spec = maps.state_flow_map(flow, states).to_dict()
    lines = [layer for layer in flow_spec["layer"] if layer.get("mark", {}).get("type") == "line"]
    assert any("strokeWidth" in layer["encoding"] for layer in lines)
    assert maps.state_flow_map(flow.iloc[0:0], states) is None
    assert maps.journey_map(journey[journey["to_state"] == "XX"].assign(from_state="XX"), states) is None


def test_network_layouts_are_computed_in_python() -> None:
    page = network_html.ego_network_html(_ego_graph(), "OFF-1")
    nodes = json.loads(re.search(r"var nodes = (\[.*?\]);\n", _ours(page)).group(1))
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in nodes)
    options = json.loads(re.search(r"var options = (\{.*?\});\n", _ours(page)).group(1))
    assert options["physics"]["enabled"] is False
    G = nx.Graph([(i, i + 1) for i in range(0, 40, 2)])
    pos = network_html.packed_layout(G)
    assert len(set(pos.values())) == 40 and pos == network_html.packed_layout(G)  # distinct and deterministic


def test_safe_csv_neutralises_formulas() -> None:
    frame = pd.DataFrame({"=cmd": ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "DE", "a=b"],
                          "count": [1, -2, 3, 4, 5, 6]})
    rows = list(csv.reader(io.StringIO(downloads.safe_csv(frame).decode("utf-8"))))
    assert rows[0] == ["'=cmd", "count"]
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"x\")", "'+1", "'-2+3", "'@SUM(A1)", "DE", "a=b"]
    assert [r[1] for r in rows[1:]] == ["1", "-2", "3", "4", "5", "6"]  # numbers stay numbers


def test_status_colours_are_one_table() -> None:
    assert set(STATUSES) <= set(style.STATUS_COLORS) and set(style.STATUS_LABELS) == set(style.STATUS_COLORS)
    assert len(set(style.STATUS_COLORS.values())) == len(style.STATUS_COLORS)


def test_charts_render_to_vega_specs() -> None:
    matrix = pd.DataFrame({"from_state": ["RO", "PL"], "to_state": ["DE", "DE"], "movements": [10, 4],
                           "known": [1, 0], "notified": [2, 1], "late": [3, 1], "unnotified": [4, 2],
                           "pending": [0, 0], "gap_rate": pd.array([0.7, 0.75], dtype="Float64"),
                           "median_lag_days": pd.array([40.0, None], dtype="Float64")})
    heat = charts.gap_heatmap(matrix, {"DE": "Germany"}).to_dict()
    cells = heat["layer"][0]
    assert cells["encoding"]["x"]["field"] == "to_state" and cells["encoding"]["y"]["field"] == "from_state"
    assert cells["encoding"]["opacity"]["field"] == "closed"  # few arrivals behind a rate: a pale cell
    assert len(heat["layer"]) == 1  # nothing suppressed
    yearly = matrix.rename(columns={"from_state": "year"}).drop(columns="to_state").assign(year=["2020", "2021"])
    assert charts.status_mix_chart(yearly).to_dict()["encoding"]["color"]["scale"]["range"] == \
        [style.STATUS_COLORS[s] for s in style.STATUS_ORDER]
    charts.trend_chart(yearly).to_dict()
    table = charts.corridor_table(matrix, {"DE": "Germany"})
    assert table["corridor"].tolist() == ["RO → Germany", "PL → Germany"]
    worst = captions.worst_receiving_state(matrix, min_arrivals=1)
    assert worst["state"] == "DE" and worst["arrivals"] == 14


def test_overview_caption_is_plain_language() -> None:
    text = captions.overview_caption({"arrivals": 1240, "gaps": 880, "gap_rate": 0.71, "as_of": "2025-12-31"}, 30,
                              group="violent", min_risk="high", states=["DE"], date_from="2020-01-01")
    assert text.startswith("Of 1,240 arrivals of offenders convicted of a violent offence assessed high risk or "
                           "above to or from DE since 2020-01-01, 71% were not notified within 30 days")
    empty = captions.overview_caption({"arrivals": 0}, 30)
    assert "No arrivals" in empty and "widen the period" in empty


@pytest.mark.parametrize("count, limit, big", [(500, 500, False), (501, 500, True), (3, 2, True)])
def test_too_many_nodes(count: int, limit: int, big: bool) -> None:
    assert network_html.too_many_nodes(count, limit) is big


def test_heatmap_greys_out_suppressed_cells_and_gives_intervals() -> None:
    matrix = pd.DataFrame({"from_state": ["RO", "PL"], "to_state": ["DE", "DE"], "movements": [10, None],
                           "known": [1, None], "notified": [2, None], "late": [3, None], "unnotified": [4, None],
                           "pending": [0, None], "gap_rate": [0.7, None], "median_lag_days": [40.0, None],
                           "suppressed": [False, True]}).convert_dtypes()  # as access.disclosure leaves it
    heat = charts.gap_heatmap(matrix, min_cell=5).to_dict()
    datasets = heat["datasets"]
    shown = datasets[heat["layer"][0]["data"]["name"]]
    hidden = datasets[heat["layer"][1]["data"]["name"]]
    assert [r["from_state"] for r in shown] == ["RO"] and shown[0]["interval"] == "40%–89%"  # 7 of 10, Wilson
    assert hidden == [{"from_state": "PL", "to_state": "DE", "sending": "PL", "receiving": "DE",
                       "arrivals": "fewer than 5"}]
    assert heat["layer"][1]["mark"]["color"] == "#DDDDDD"


def test_heatmap_with_every_cell_suppressed_is_all_grey() -> None:
    matrix = pd.DataFrame({"from_state": ["PL"], "to_state": ["DE"], "movements": [None], "known": [None],
                           "notified": [None], "late": [None], "unnotified": [None], "pending": [None],
                           "gap_rate": [None], "median_lag_days": [None], "suppressed": [True]}).convert_dtypes()
    heat = charts.gap_heatmap(matrix, min_cell=5).to_dict()
    assert heat["datasets"][heat["layer"][0]["data"]["name"]] == []  # no shaded cell ...
    assert [r["arrivals"] for r in heat["datasets"][heat["layer"][1]["data"]["name"]]] == ["fewer than 5"]


def test_outlines_cover_every_state_and_the_choropleth_is_offline() -> None:
    codes = set(pd.read_csv(REPO / "seed_data" / "states.csv", keep_default_na=False)["code"])
    assert codes <= {f["properties"]["code"] for f in maps.outlines()}
    assert maps.OUTLINES.stat().st_size < 400_000
    matrix = pd.DataFrame({"from_state": ["RO", "PL", "RO"], "to_state": ["DE", "DE", "IT"], "movements": [3, 2, 4],
                           "late": [1, 0, 0], "unnotified": [1, 0, 0], "pending": [1, 0, 4]})
    rates = maps.receiving_rates(matrix)
    assert rates.set_index("state")["arrivals"].to_dict() == {"DE": 5, "IT": 4}
    assert rates.set_index("state")["gap_rate"].iloc[1] != rates.set_index("state")["gap_rate"].iloc[1]  # IT: NaN
    spec = maps.gap_choropleth(rates).to_dict()
    text = json.dumps(spec)
    assert '"url"' not in text and not re.search(r"https?://(?!vega\.github\.io/schema/)", text)
    values = spec["datasets"][spec["data"]["name"]] if "name" in spec["data"] else spec["data"]["values"]
    de = next(v for v in values if v["code"] == "DE")
    assert de["gap_rate"] == 0.5 and de["arrivals"] == 5 and de["geometry"]["type"] == "MultiPolygon"
    assert next(v for v in values if v["code"] == "IT")["gap_rate"] is None
    assert spec["params"][0]["name"] == maps.STATE_PICK
    assert maps.picked({"selection": {maps.STATE_PICK: [{"code": "DE"}]}}, maps.STATE_PICK, "code") == "DE"
    assert maps.picked({"selection": {maps.STATE_PICK: []}}, maps.STATE_PICK, "code") is None
