"""The dashboard, page by page, with streamlit.testing's AppTest against the real embedded server.

The session's server first holds an empty graph (every page explains what to
do), then the seed data set, loaded once for this module (and reused by
test_browser.py when it runs in the same session).
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from somec_graph import audit
from somec_graph.app import session
from somec_graph.resources import SEED_DIR
from somec_graph.store import Store

REPO = Path(__file__).resolve().parent.parent
PAGES = {
    "overview": REPO / "app_pages" / "1_overview.py",
    "explorer": REPO / "app_pages" / "2_movement_explorer.py",
    "networks": REPO / "app_pages" / "3_networks.py",
    "console": REPO / "app_pages" / "4_query_console.py",
    "data": REPO / "app_pages" / "5_data.py",
}
TIMEOUT = 90
OFFENDER_ID = re.compile(r"\bOFF-\d+")


def page(name: str) -> AppTest:
    return AppTest.from_file(str(PAGES[name]), default_timeout=TIMEOUT)


def texts(at: AppTest) -> str:
    """Every piece of text the page shows (markdown, captions, alerts, metrics, titles, tables)."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error", "success"):
        parts += [str(e.value) for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value}" for m in at.metric]
    for frame in at.dataframe:
        parts.append(frame.value.to_csv(index=False))
    return "\n".join(parts)


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def as_number(text: str) -> float:
    return float(re.sub(r"[^\d.]", "", text) or "nan")


def pictures(at: AppTest) -> list[str]:
    """The vis-network pages of the network pictures drawn through the canvas component (so that a click
    on a node reaches the page)."""
    return [json.loads(c.proto.json_args)["html"] for c in at.get("component_instance")]


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


# --- empty graph --------------------------------------------------------------------

def test_every_page_explains_an_empty_graph(store: Store) -> None:
    for name in ("overview", "explorer", "networks", "console", "data"):
        at = page(name).run()
        assert_clean(at)
        assert any(session.NO_DATA in e.value for e in at.info), name
    assert "somec-graph load seed_data" in session.NO_DATA


def test_a_database_error_is_one_sentence(monkeypatch: pytest.MonkeyPatch, store: Store) -> None:
    session._shared_store.clear()
    monkeypatch.setenv("SOMEC_NEO4J_URI", store.uri)  # the running server, with a wrong password
    monkeypatch.setenv("SOMEC_NEO4J_USER", "root")
    monkeypatch.setenv("SOMEC_NEO4J_PASSWORD", "not-the-password")
    try:
        at = page("overview").run()
        assert not at.exception
        assert len(at.error) == 1
        message = at.error[0].value
        assert message == (f"The database at {store.uri} refused the user name or password; check SOMEC_NEO4J_USER "
                           "and SOMEC_NEO4J_PASSWORD.")
    finally:
        session._shared_store.clear()


# --- overview -----------------------------------------------------------------------

def test_overview_shows_kpis_charts_and_no_offender_ids(seeded: Store) -> None:
    at = page("overview").run()
    assert_clean(at)
    assert [m.label for m in at.metric] == ["Offenders", "Counted arrivals", "Gap rate", "Median lag",
                                           "Unnotified (12 mo.)"]
    assert metric(at, "Offenders") == "2,000"
    assert as_number(metric(at, "Counted arrivals")) > 1000
    shown = texts(at)
    assert re.search(r"Of [\d,]+ arrivals of offenders convicted of a violent or sexual offence, \d+% were not "
                     r"notified within 30 days", shown)
    assert len(at.get("vega_lite_chart")) >= 4  # heatmap, trend, status mix, mechanisms
    assert not OFFENDER_ID.search(shown), "the supervisors' overview must not show offender ids"


def test_overview_filters_change_the_numbers(seeded: Store) -> None:
    at = page("overview").run()
    base = {m.label: m.value for m in at.metric}

    at.select_slider(key="_w_risk").set_value("very high").run()
    assert_clean(at)
    risky = {m.label: m.value for m in at.metric}
    assert as_number(risky["Counted arrivals"]) < as_number(base["Counted arrivals"])
    assert as_number(risky["Offenders"]) < as_number(base["Offenders"])
    assert "assessed very high risk or above" in texts(at)

    at.select_slider(key="_w_risk").set_value("any")
    at.selectbox(key="_w_group").set_value("sexual").run()
    sexual = as_number(metric(at, "Counted arrivals"))
    assert 0 < sexual < as_number(base["Counted arrivals"])

    at.selectbox(key="_w_group").set_value("violent or sexual")
    at.multiselect(key="_w_states").set_value(["DE"]).run()
    assert as_number(metric(at, "Counted arrivals")) < as_number(base["Counted arrivals"])
    assert "to or from DE" in texts(at)

    at.multiselect(key="_w_states").set_value([])
    at.number_input(key="_w_window").set_value(365).run()
    assert as_number(metric(at, "Gap rate")) < as_number(base["Gap rate"])  # a longer window forgives more

    at.number_input(key="_w_window").set_value(30)
    lo, hi = at.slider(key="_w_period").value
    at.slider(key="_w_period").set_value((hi - 1, hi)).run()
    assert_clean(at)
    assert as_number(metric(at, "Counted arrivals")) < as_number(base["Counted arrivals"])
    assert f"since {hi - 1}-01-01" in texts(at)  # the last year: no upper bound


def test_filters_persist_across_pages(seeded: Store) -> None:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT).run()
    assert_clean(at)
    at.number_input(key="_w_window").set_value(45).run()
    at.switch_page("app_pages/4_query_console.py").run()  # a page without the filters
    at.switch_page("app_pages/3_networks.py").run()
    assert_clean(at)
    assert at.number_input(key="_w_window").value == 45


# --- movement explorer ----------------------------------------------------------------

def co_offender_with_moves(store: Store) -> str:
    """An offender with a co-defendant and several movements (from the seed data)."""
    convictions = pd.read_csv(SEED_DIR / "convictions.csv", dtype=str)
    movements = pd.read_csv(SEED_DIR / "movements.csv", dtype=str)
    with_case = set(convictions.dropna(subset=["case_id"])["offender_id"])
    moves = movements[movements["offender_id"].isin(with_case)]["offender_id"].value_counts()
    return sorted(moves[moves == moves.max()].index)[0]


def test_explorer_shows_journey_tables_map_and_ego_network(seeded: Store) -> None:
    offender = co_offender_with_moves(seeded)
    at = page("explorer").run()
    assert_clean(at)
    at.selectbox(key="explorer_offender").set_value(offender).run()
    assert_clean(at)
    shown = texts(at)
    assert offender in shown
    assert {"Journey", "Convictions", "Agencies involved", "Information exchanges", "Ego network"} <= \
        {s.value for s in at.subheader}
    journey = at.dataframe[0].value
    assert len(journey) >= 2 and list(journey.columns[:4]) == ["movement_id", "from_state", "to_state", "arrival_date"]
    assert len(at.get("vega_lite_chart")) == 2  # the timeline and the map
    frames = pictures(at)
    assert len(frames) == 1
    html = frames[0]
    assert "new vis.Network" in html and "co-defendant" in html and f"offender:{offender}" in html
    assert not re.search(r"(src|href)\s*=\s*[\"']https?:", html)
    assert at.query_params["offender"] in (offender, [offender])  # deep link to this view


def _co_defendant(html: str, ego: str) -> str:
    ids = [n["id"] for n in json.loads(re.search(r"var nodes = (\[.*?\]);\n", html).group(1))]
    return next(n.partition(":")[2] for n in ids if n.startswith("offender:") and n != f"offender:{ego}")


def test_a_click_on_an_ego_network_offender_opens_its_detail_and_the_explore_link(seeded: Store) -> None:
    offender = co_offender_with_moves(seeded)
    at = page("explorer").run()
    at.selectbox(key="explorer_offender").set_value(offender).run()
    assert not any(s.value.startswith("Offender ") for s in at.subheader)  # nothing clicked yet
    co = _co_defendant(pictures(at)[0], offender)
    at.session_state["ego_canvas"] = {"node": f"offender:{co}", "at": 1}  # what a click on the node sends
    at.run()
    assert_clean(at)
    assert f"Offender {co}" in {s.value for s in at.subheader}
    assert f"offender id,{co}" in texts(at)  # its attributes, in the table beside the picture
    assert f"(explore?x=offender%3A{co}&sel=offender%3A{co})" in texts(at)
    at.session_state["ego_canvas"] = {"node": "state:DE", "at": 2}  # not an offender: no detail
    at.run()
    assert not any(s.value.startswith("Offender ") for s in at.subheader)


def test_explorer_period_control_marks_the_period_and_greys_other_arcs(seeded: Store) -> None:
    offender = co_offender_with_moves(seeded)
    at = page("explorer").run()
    at.selectbox(key="explorer_offender").set_value(offender).run()
    whole = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    at.button(key="exp_next").click().run()  # the first quarter of the journey
    assert_clean(at)
    timeline, journey_map = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert "layer" in timeline and timeline["layer"][0]["mark"]["type"] == "rect"  # the period's band
    arcs = next(layer for layer in journey_map["layer"] if layer.get("mark", {}).get("type") == "line"
                and "color" in layer.get("encoding", {}))
    assert "outside" in arcs["encoding"]["color"]["scale"]["domain"]  # the arcs of other periods are grey
    # the map's frame is the whole journey's: nothing moves while time moves
    assert journey_map["layer"][1]["encoding"]["x"]["scale"] == whole[1]["layer"][1]["encoding"]["x"]["scale"]


def test_explorer_opens_the_offender_of_a_deep_link(seeded: Store) -> None:
    at = page("explorer")
    at.query_params["offender"] = "OFF-000010"
    at.run()
    assert_clean(at)
    assert at.selectbox(key="explorer_offender").value == "OFF-000010"


# --- networks ---------------------------------------------------------------------------

def test_networks_draw_state_flow_and_co_offenders(seeded: Store) -> None:
    at = page("networks").run()
    assert_clean(at)
    assert len(at.get("vega_lite_chart")) == 2  # the timeline of the period control and the state flow map
    frames = pictures(at)
    assert len(frames) == 1 and "Co-offender network" in frames[0]
    shown = texts(at)
    assert re.search(r"[\d,]+ movements along [\d,]+ corridors between \d+ states", shown)
    assert re.search(r"[\d,]+ offenders share a case with at least one other", shown)
    before = re.search(r"Showing the ([\d,]+) corridors", shown).group(1)
    at.slider(key="flow_min_movements").set_value(1).run()
    assert re.search(r"Showing the ([\d,]+) corridors", texts(at)).group(1) != before


def _nodes(at: AppTest) -> dict[str, tuple[float, float]]:
    html = pictures(at)[0]
    return {n["id"]: (n["x"], n["y"]) for n in json.loads(re.search(r"var nodes = (\[.*?\]);\n", html).group(1))}


def test_networks_period_control_redraws_every_linked_view_in_place(seeded: Store) -> None:
    at = page("networks").run()
    assert_clean(at)
    whole = _nodes(at)
    charts_before = [c.proto.spec for c in at.get("vega_lite_chart")]
    at.button(key="net_next").click().run()  # the first quarter with movements
    at.button(key="net_next").click().run()
    assert_clean(at)
    label = at.select_slider(key="net_period").value
    assert re.fullmatch(r"\d{4}-Q[1-4]", label)
    assert f"State flow in {label}" in {h.value for h in at.header}
    assert _nodes(at) == whole  # the co-offender network is redrawn in place: no node moves
    html = pictures(at)[0]
    assert f"no case in {label}" in html and "#E6E6E6" in html  # cases of other periods faded
    charts_after = [c.proto.spec for c in at.get("vega_lite_chart")]
    assert charts_after[0] != charts_before[0] and charts_after[1] != charts_before[1]  # timeline and map
    at.button(key="net_prev").click().run()
    assert at.select_slider(key="net_period").value != label and _nodes(at) == whole
    at.radio(key="net_step").set_value("month").run()
    assert_clean(at)


def test_a_click_on_a_co_offender_opens_its_detail_and_the_explore_link(seeded: Store) -> None:
    at = page("networks").run()
    offender = sorted(_nodes(at))[0]
    at.session_state["co_canvas"] = {"node": offender, "at": 1}  # what a click on the node sends
    at.run()
    assert_clean(at)
    assert f"Offender {offender}" in {s.value for s in at.subheader}
    assert f"(explore?x=offender%3A{offender}&sel=offender%3A{offender})" in texts(at)
    entry = audit.show(seeded.settings.data_dir, action="view").iloc[-1]
    assert json.loads(entry["params"]) == {"page": "Networks", "clicked_offender": audit.offender_key(
        seeded.settings.data_dir, offender)}  # who looked at whom, as a keyed hash


def test_overview_state_profile_opens_for_a_chosen_state(seeded: Store) -> None:
    at = page("overview").run()
    assert_clean(at)
    assert len(at.get("vega_lite_chart")) >= 5  # + the choropleth of the gap rate by receiving state
    at.selectbox(key="overview_state").set_value("DE").run()
    assert_clean(at)
    assert "State profile: DE" in {h.value for h in at.subheader}
    assert "Germany (DE)" in texts(at)
    assert not OFFENDER_ID.search(texts(at))


def test_networks_offer_filters_instead_of_drawing_too_many_nodes(seeded: Store) -> None:
    at = page("networks")
    at.session_state["max_network_nodes"] = 20
    at.run()
    assert_clean(at)
    # over the cap: whole communities, largest first, up to the cap, and a clear "showing N of M"
    frames = pictures(at)
    assert len(frames) == 1
    nodes = json.loads(re.search(r"var nodes = (\[.*?\]);\n", frames[0]).group(1))
    assert 0 < len(nodes) <= 20
    assert any(re.search(rf"Showing {len(nodes)} of [\d,]+ offenders .* Filter to see more", w.value)
               for w in at.warning)
    at.toggle(key="co_only_mobile").set_value(True)
    at.multiselect(key="co_communities").set_value([at.multiselect(key="co_communities").options[0]]).run()
    assert_clean(at)


# --- query console --------------------------------------------------------------------

def test_console_runs_a_named_query_from_its_form(seeded: Store) -> None:
    at = page("console").run()
    assert_clean(at)
    at.selectbox(key="console_query").set_value("offender_convictions").run()
    at.button[0].click().run()  # the form's submit button, with the required id empty
    assert any("Fill in offender_id" in e.value for e in at.error)
    at.text_input(key="console_offender_convictions_offender_id").set_value("OFF-000003")
    at.button[0].click().run()
    assert_clean(at)
    result = at.dataframe[0].value
    assert len(result) >= 1 and "conviction_id" in result.columns
    assert any(b.label == "Download CSV" for b in at.get("download_button"))


def test_console_draws_nodes_and_relationships(seeded: Store) -> None:
    at = page("console").run()
    at.text_area(key="console_own").set_value(
        "MATCH (o:Offender {offender_id: 'OFF-000003'})-[r:CONVICTED]->(c:Conviction) RETURN o, r, c")
    at.button(key="console_own_run").click().run()
    assert_clean(at)
    table = at.dataframe[0].value
    assert set(table["o"]) == {"OFF-000003"} and set(table["c"]) == set(
        seeded.frame("queries/offender_convictions", {"offender_id": "OFF-000003"})["conviction_id"])
    frames = at.get("iframe")
    assert len(frames) == 1 and "new vis.Network" in frames[0].proto.srcdoc
    assert table["c"].iloc[0] in frames[0].proto.srcdoc  # nodes are labelled by their own id


def test_console_refuses_a_write_query(seeded: Store) -> None:
    before = seeded.frame("queries/counts")
    at = page("console").run()
    at.text_area(key="console_own").set_value("MATCH (n) DETACH DELETE n")
    at.button(key="console_own_run").click().run()
    assert not at.exception
    assert len(at.error) == 1 and at.error[0].value.startswith("Refused: the query contains DETACH")
    at.text_area(key="console_own").set_value("CREATE (:Offender {offender_id: 'X'})")
    at.button(key="console_own_run").click().run()
    assert at.error[0].value.startswith("Refused: the query contains CREATE")
    pd.testing.assert_frame_equal(seeded.frame("queries/counts"), before)


# --- data ------------------------------------------------------------------------------

def _seed_file(name: str) -> bytes:
    return (SEED_DIR / name).read_bytes()


def test_data_page_refuses_a_data_set_with_problems(seeded: Store) -> None:
    before = seeded.run("load/meta")[0]
    good = _seed_file("offenders.csv").decode()
    bad = good + "OFF-999999,RO,1980,M,extreme\nOFF-999998,ZZ,1980,M,low\n"
    at = page("data").run()
    assert_clean(at)
    at.file_uploader(key="data_upload").set_value([("offenders.csv", bad.encode(), "text/csv")]).run()
    assert not at.exception
    assert any("2 problem(s) in 2 row(s)" in e.value for e in at.error)
    problems = at.dataframe[1].value
    assert set(problems["reason"]) >= {"must be one of low, medium, high, very_high", "unknown state"}
    load = at.button(key="data_load")
    assert load.disabled, "a data set with problems must not load unless the user says so"
    at.checkbox(key="data_partial").check().run()
    assert not at.button(key="data_load").disabled
    at.button(key="data_load").click().run()
    assert not at.exception
    assert any("Loaded" in s.value for s in at.success)
    # The valid rows were the seed's own: nothing changed, nothing half-loaded.
    after = seeded.run("load/meta")[0]
    assert after["version"] == before["version"] and not after["pending"]
    assert seeded.run_text("MATCH (o:Offender {offender_id: 'OFF-999999'}) RETURN count(o) AS n")[0]["n"] == 0


def test_data_page_loads_a_zip_with_progress(seeded: Store) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("dataset/offenders.csv", _seed_file("offenders.csv"))
        zf.writestr("dataset/agencies.csv", _seed_file("agencies.csv"))
        zf.writestr("dataset/../../evil.csv", "x\n1\n")
        zf.writestr("dataset/notes.txt", "not data")
    at = page("data").run()
    at.file_uploader(key="data_upload").set_value(("dataset.zip", buf.getvalue(), "application/zip")).run()
    assert_clean(at)
    assert any("No problems found" in s.value for s in at.success)
    assert any("notes.txt is not a file of the data contract" in w.value for w in at.warning)
    assert any("evil.csv is not a file of the data contract" in w.value for w in at.warning)
    report = at.dataframe[0].value.set_index("file")["valid rows"]
    assert report["offenders.csv"] == 2000 and report["agencies.csv"] == 122
    at.button(key="data_load").click().run()
    assert_clean(at)
    assert any("Loaded" in s.value for s in at.success)
    summary = at.dataframe[-1].value.set_index("file")
    assert summary.loc["offenders.csv", "unchanged"] == 2000


def test_app_entry_point_runs_the_overview(seeded: Store) -> None:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT).run()
    assert_clean(at)
    assert at.title[0].value == "Overview"
    for path, title in (("app_pages/2_movement_explorer.py", "Movement explorer"),
                        ("app_pages/3_networks.py", "Networks"), ("app_pages/4_query_console.py", "Query console"),
                        ("app_pages/5_data.py", "Data")):
        at.switch_page(path).run()
        assert_clean(at)
        assert at.title[0].value == title
