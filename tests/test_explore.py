"""The Explore page: search, node detail, the canvas built from a view, the view in the URL, and
the page itself in AppTest, on a small data set whose answers are worked out by hand:

    offenders  O-A (RO, high)  O-B (RO, low)  O-C (PL, very_high)  O-D (DE, medium)
    cases      CASE-1: O-A, O-B     CASE-2: O-B, O-C     (convictions in DE; O-D's in FR, no case)
    movements  O-A RO>DE   O-C PL>DE   O-D DE>FR
    agencies   DE-POL, RO-POL, FR-POL;  exchange X-1 RO-POL -> DE-POL about O-A

An analyst of FR sees only O-D (its conviction and its arrival are in FR).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest
from fixtures import load_tables, loaded_store, offenders
from streamlit.testing.v1 import AppTest
from test_app import REPO, TIMEOUT, assert_clean

from somec_graph import audit
from somec_graph.app import explore, network_html
from somec_graph.app.explore import View
from somec_graph.errors import AccessDenied
from somec_graph.roles import User
from somec_graph.store import Store

PAGE = REPO / "app_pages" / "8_explore.py"
ANALYST_FR = User("fra", "analyst", ("FR",))


def _tables() -> dict:
    conv = [("C-A1", "O-A", "DE", "CASE-1"), ("C-B1", "O-B", "DE", "CASE-1"), ("C-B2", "O-B", "DE", "CASE-2"),
            ("C-C2", "O-C", "DE", "CASE-2"), ("C-D", "O-D", "FR", "")]
    return {
        "agencies": [{"agency_id": f"{s}-POL", "name": f"{s} police", "state": s, "kind": "police"}
                     for s in ("DE", "RO", "FR")],
        "offenders": offenders([("O-A", "RO", "high"), ("O-B", "RO", "low"), ("O-C", "PL", "very_high"),
                                ("O-D", "DE", "medium")]),
        "convictions": [{"conviction_id": c, "offender_id": o, "state": s, "offence_code": "1001",
                         "conviction_date": "2020-01-01", "case_id": k} for c, o, s, k in conv],
        "movements": [{"movement_id": m, "offender_id": o, "from_state": f, "to_state": t,
                       "arrival_date": "2021-01-01"} for m, o, f, t in
                      (("M-1", "O-A", "RO", "DE"), ("M-2", "O-C", "PL", "DE"), ("M-3", "O-D", "DE", "FR"))],
        "exchanges": [{"exchange_id": "X-1", "mechanism": "ECRIS", "sender": "RO-POL", "recipient": "DE-POL",
                       "offender_id": "O-A", "kind": "conviction_notice", "sent_date": "2020-02-01"}],
    }


@pytest.fixture(scope="module")
def explore_store(session_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Store:
    return loaded_store(session_store, tmp_path_factory.mktemp("explore"), _tables(), with_reference=True)


@pytest.mark.parametrize("text, kinds, user, expected", [
    ("ro", ("offender",), None, ["offender:O-A", "offender:O-B"]),      # nationality
    ("O-", ("offender",), None, ["offender:O-A", "offender:O-B", "offender:O-C", "offender:O-D"]),  # id
    ("very high", ("offender",), None, ["offender:O-C"]),               # risk, as the dashboard writes it
    ("de", ("agency",), None, ["agency:DE-POL"]),
    ("police", ("agency",), None, ["agency:DE-POL", "agency:FR-POL", "agency:RO-POL"]),
    ("germany", ("state",), None, ["state:DE"]),
    ("case-2", ("case",), None, ["case:CASE-2"]),
    ("de", ("case",), None, ["case:CASE-1", "case:CASE-2"]),            # convicted in DE
    ("  ", explore.KINDS, None, []),
    ("ro", ("offender",), ANALYST_FR, []),                              # out of scope
    ("O-", ("offender", "case"), ANALYST_FR, ["offender:O-D"]),
    ("pl", ("movement",), None, ["movement:M-2"]),                      # from state
    ("de", ("movement",), None, ["movement:M-1", "movement:M-2", "movement:M-3"]),  # to DE, or from DE
    ("2021-01", ("movement",), None, ["movement:M-1", "movement:M-2", "movement:M-3"]),  # arrival date
    ("2021-02", ("movement",), None, []),
    ("m-3", ("movement",), None, ["movement:M-3"]),                     # id
    ("de", ("movement",), ANALYST_FR, ["movement:M-3"]),
])
def test_search(explore_store: Store, text: str, kinds: tuple, user: User | None, expected: list[str]) -> None:
    store = explore_store if user is None else explore_store.as_user(user)
    assert [nid for nid, _ in explore.search(store, text, kinds)] == expected


@pytest.mark.parametrize("nid, user, attrs, neighbours", [
    ("offender:O-A", None, {"offender_id": "O-A", "nationality": "RO", "risk_level": "high"},
     {"case": ["case:CASE-1"], "moved": ["state:DE"], "national": ["state:RO"],
      "exchange": ["agency:DE-POL", "agency:RO-POL"]}),
    ("case:CASE-2", None, {"case_id": "CASE-2", "first_conviction": "2020-01-01", "states": ["DE"]},
     {"case": ["offender:O-B", "offender:O-C"]}),
    ("state:DE", None, {"code": "DE"}, {"located": ["agency:DE-POL"], "moved": ["offender:O-A", "offender:O-C"],
                                        "national": ["offender:O-D"]}),
    ("agency:DE-POL", None, {"agency_id": "DE-POL", "name": "DE police", "state": "DE", "kind": "police"},
     {"located": ["state:DE"], "exchange": ["offender:O-A"]}),
    ("movement:M-1", None, {"movement_id": "M-1", "offender_id": "O-A", "from_state": "RO", "to_state": "DE",
                            "arrival_date": "2021-01-01"}, {"made": ["offender:O-A"], "route": ["state:DE", "state:RO"]}),
    ("state:DE", ANALYST_FR, {"code": "DE"}, {"located": ["agency:DE-POL"], "moved": [],
                                              "national": ["offender:O-D"]}),
])
def test_detail(explore_store: Store, nid: str, user: User | None, attrs: dict, neighbours: dict) -> None:
    store = explore_store if user is None else explore_store.as_user(user)
    d = explore.detail(store, nid)
    assert d is not None
    assert {k: d.attrs[k] for k in attrs} == attrs
    assert d.neighbours == neighbours


@pytest.mark.parametrize("nid, user", [("offender:O-NOPE", None), ("case:CASE-9", None), ("movement:M-1", ANALYST_FR),
                                       ("offender:O-A", ANALYST_FR), ("case:CASE-1", ANALYST_FR)])
def test_detail_of_what_one_may_not_see_is_none(explore_store: Store, nid: str, user: User | None) -> None:
    store = explore_store if user is None else explore_store.as_user(user)
    assert explore.detail(store, nid) is None


def test_supervisors_are_refused(explore_store: Store) -> None:
    with pytest.raises(AccessDenied):
        explore.build(explore_store.as_user(User("sup", "supervisor")), View(query="O-"))


CASE_1 = View(query="CASE-1", kinds=("case",), expanded=("case:CASE-1", "offender:O-B"))


@pytest.mark.parametrize("view, limit, nodes, edges, notes", [
    (CASE_1, 300, {"case:CASE-1", "offender:O-A", "offender:O-B", "case:CASE-2", "state:RO"},
     {("case:CASE-1", "offender:O-A"), ("case:CASE-1", "offender:O-B"), ("case:CASE-2", "offender:O-B"),
      ("offender:O-B", "state:RO")}, []),
    (replace(CASE_1, links=("case",)), 300, {"case:CASE-1", "offender:O-A", "offender:O-B", "case:CASE-2"},
     {("case:CASE-1", "offender:O-A"), ("case:CASE-1", "offender:O-B"), ("case:CASE-2", "offender:O-B")}, []),
    (replace(CASE_1, links=("case",)), 3, {"case:CASE-1", "offender:O-A", "offender:O-B"},
     {("case:CASE-1", "offender:O-A"), ("case:CASE-1", "offender:O-B")},
     ["The canvas holds at most 3 nodes: 1 neighbour(s) of O-B were left out. Remove or hide nodes, "
      "or choose fewer links."]),
    (replace(CASE_1, links=("case",)).remove("offender:O-A"), 300,
     {"case:CASE-1", "offender:O-B", "case:CASE-2"},
     {("case:CASE-1", "offender:O-B"), ("case:CASE-2", "offender:O-B")}, []),
    (View(connect=("O-A", "O-C")), 300,
     {"offender:O-A", "case:CASE-1", "offender:O-B", "case:CASE-2", "offender:O-C"},
     {("case:CASE-1", "offender:O-A"), ("case:CASE-1", "offender:O-B"), ("case:CASE-2", "offender:O-B"),
      ("case:CASE-2", "offender:O-C")}, []),
    (View(connect=("O-A", "O-D")), 300, set(), set(), ["No path between O-A and O-D within 6 links."]),
    (View(query="ro", kinds=("offender",), connect=("O-A", "O-NOPE")), 300, {"offender:O-A", "offender:O-B"}, set(),
     ["No offender 'O-NOPE' in the graph; offender ids look like the offender_id column of offenders.csv."]),
    (View(query="zzz"), 300, set(), set(), ["Nothing matches 'zzz'; search by id, nationality, risk level, "
                                            "state code or arrival date."]),
    (View(query="ro", kinds=("offender",), pinned=("state:PL",)), 300,
     {"state:PL", "offender:O-A", "offender:O-B"}, set(), []),
])
def test_build(explore_store: Store, view: View, limit: int, nodes: set, edges: set, notes: list) -> None:
    canvas = explore.build(explore_store, view, limit=limit)
    assert set(canvas.graph) == nodes
    assert {tuple(sorted(e)) for e in canvas.graph.edges} == edges
    assert canvas.notes == notes


O_A = View(expanded=("offender:O-A",))


@pytest.mark.parametrize("view, nodes, edges", [
    (O_A, {"offender:O-A", "case:CASE-1", "state:DE", "state:RO", "agency:DE-POL", "agency:RO-POL"},
     {("case:CASE-1", "offender:O-A"), ("offender:O-A", "state:DE"), ("offender:O-A", "state:RO"),
      ("agency:DE-POL", "offender:O-A"), ("agency:RO-POL", "offender:O-A")}),
    (replace(O_A, period="2021-Q1"), {"offender:O-A", "state:DE", "state:RO"},      # the arrival; nationality has no date
     {("offender:O-A", "state:DE"), ("offender:O-A", "state:RO")}),
    (replace(O_A, period="2020-Q1"), {"offender:O-A", "case:CASE-1", "state:RO", "agency:DE-POL", "agency:RO-POL"},
     {("case:CASE-1", "offender:O-A"), ("offender:O-A", "state:RO"), ("agency:DE-POL", "offender:O-A"),
      ("agency:RO-POL", "offender:O-A")}),
    (replace(O_A, period="2020-01"), {"offender:O-A", "case:CASE-1", "state:RO"},   # the exchange was sent in February
     {("case:CASE-1", "offender:O-A"), ("offender:O-A", "state:RO")}),
    (View(query="CASE-1", kinds=("case",), expanded=("case:CASE-1",), period="2021-Q1"), {"case:CASE-1"}, set()),
    (View(expanded=("state:DE",), period="2020-Q4", links=("moved",)), {"state:DE"}, set()),
    (View(expanded=("agency:DE-POL",), period="2020-Q1", links=("exchange",)), {"agency:DE-POL", "offender:O-A"},
     {("agency:DE-POL", "offender:O-A")}),
    (View(expanded=("movement:M-1",)), {"movement:M-1", "offender:O-A", "state:DE", "state:RO"},
     {("movement:M-1", "offender:O-A"), ("movement:M-1", "state:DE"), ("movement:M-1", "state:RO")}),
    (View(expanded=("movement:M-1",), period="2020-Q1"), {"movement:M-1"}, set()),
])
def test_the_period_keeps_only_links_dated_in_it(explore_store: Store, view: View, nodes: set, edges: set) -> None:
    canvas = explore.build(explore_store, view)
    assert set(canvas.graph) == nodes
    assert {tuple(sorted(e)) for e in canvas.graph.edges} == edges


def test_search_labels_a_movement_with_its_route_and_date(explore_store: Store) -> None:
    assert explore.search(explore_store, "M-1", ("movement",)) == [("movement:M-1", "M-1 RO>DE 2021-01-01")]


def test_span_covers_convictions_arrivals_and_exchanges(explore_store: Store) -> None:
    assert explore.span(explore_store) == ("2020-01-01", "2021-01-01")


def test_connect_draws_the_paths(explore_store: Store) -> None:
    canvas = explore.build(explore_store, View(connect=("O-A", "O-C")))
    assert canvas.paths == [["O-A", "O-B", "O-C"]]
    html = explore.canvas_html(canvas, View(connect=("O-A", "O-C")))
    edges = json.loads(re.search(r"var edges = (\[.*?\]);\n", html).group(1))
    assert {e["color"]["color"] for e in edges} == {explore.PATH_COLOR}


def test_hidden_nodes_stay_in_the_view_but_are_not_drawn(explore_store: Store) -> None:
    view = View(query="ro", kinds=("offender",)).hide("offender:O-A")
    canvas = explore.build(explore_store, view)
    assert set(canvas.graph) == {"offender:O-A", "offender:O-B"}
    assert [n["id"] for n in _nodes(explore.canvas_html(canvas, view))] == ["offender:O-B"]
    assert view.hide("offender:O-A").hidden == ()


def test_every_value_is_escaped(tmp_path_factory: pytest.TempPathFactory, explore_store: Store) -> None:
    tables = _tables()
    tables["agencies"][0]["name"] = "<img src=x onerror=alert(1)>"
    load_tables(explore_store, tmp_path_factory.mktemp("explore-xss"), tables, with_reference=True)
    view = View(query="DE-POL", kinds=("agency",), expanded=("agency:DE-POL",))
    js, css = network_html.vis_library_text()
    ours = explore.canvas_html(explore.build(explore_store, view), view).replace(js, "").replace(css, "")
    # back to the data set the other tests expect
    load_tables(explore_store, tmp_path_factory.mktemp("explore-back"), _tables(), with_reference=True)
    assert "<img" not in ours
    label, title = next((n["label"], n["title"]) for n in _nodes(ours) if n["id"] == "agency:DE-POL")
    assert label == "<img src=x onerror=alert(1)>"  # drawn on the canvas as text, and \u003c in the script
    assert "name: &lt;img src=x onerror=alert(1)&gt;" in title  # the tooltip: escaped HTML


@pytest.mark.parametrize("view", [
    View(), CASE_1, CASE_1.pin("state:DE").hide("offender:O-A"), View(connect=("O-A", "O-C"), selected="case:CASE-1"),
    replace(CASE_1, links=("moved", "located"), kinds=("state", "agency")).remove("offender:O-B"),
    replace(CASE_1, links=()), replace(CASE_1, period="2021-Q1"), View(period="2020-03"),
])
def test_view_survives_the_url(view: View) -> None:
    assert View.from_params(view.params()) == view


@pytest.mark.parametrize("text", ["2021-Q5", "2021-13", "all", "<script>"])
def test_a_period_the_url_cannot_hold_is_the_whole_span(text: str) -> None:
    assert View.from_params({"period": text}).period is None


# --- the page -----------------------------------------------------------------------

def _nodes(html: str) -> list[dict]:
    return json.loads(re.search(r"var nodes = (\[.*?\]);\n", html).group(1))


def _page(params: dict[str, str]) -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT)
    for k, v in params.items():
        at.query_params[k] = v
    return at.run()


def _drawn(at: AppTest) -> set[str]:
    """The nodes of the canvas component's page."""
    (component,) = at.get("component_instance")
    return {n["id"] for n in _nodes(json.loads(component.proto.json_args)["html"])}


def test_page_opens_the_view_of_a_shared_url(explore_store: Store) -> None:
    at = _page({"q": "CASE-1", "kinds": "case", "x": "case:CASE-1", "a": "O-A", "b": "O-C"})
    assert_clean(at)
    assert _drawn(at) == {"case:CASE-1", "offender:O-A", "offender:O-B", "case:CASE-2", "offender:O-C"}
    assert any("1 shortest path(s) of 2 link(s) between **O-A** and **O-C**" in m.value for m in at.markdown)
    assert at.text_input(key="explore_q").value == "CASE-1"


def test_page_search_expand_hide_remove_keep_the_url(explore_store: Store) -> None:
    at = _page({})
    assert_clean(at)
    assert any("The canvas is empty" in i.value for i in at.info)
    at.text_input(key="explore_q").input("ro")
    at.multiselect(key="explore_kinds").set_value(["offender"])
    at.button[0].click().run()  # the search form's button
    assert_clean(at)
    assert _drawn(at) == {"offender:O-A", "offender:O-B"}
    assert at.query_params["q"] == ["ro"] or at.query_params["q"] == "ro"

    assert at.session_state["explore_view"].selected == "offender:O-A"  # the first node, to start with
    for clicked, node in enumerate(["offender:O-B", "offender:O-A"], start=1):
        at.session_state["explore_canvas"] = {"node": node, "at": clicked}  # what a click on the node sends
        at.run()
        assert at.session_state["explore_view"].selected == node
        assert at.selectbox(key="explore_node").value == node
    at.button(key="explore_expand").click().run()
    assert_clean(at)
    assert _drawn(at) == {"offender:O-A", "offender:O-B", "case:CASE-1", "state:DE", "state:RO", "agency:DE-POL",
                          "agency:RO-POL"}
    at.button(key="explore_hide").click().run()
    assert "offender:O-A" not in _drawn(at)
    assert at.session_state["explore_view"].hidden == ("offender:O-A",)
    at.selectbox(key="explore_node").set_value("agency:RO-POL").run()
    at.button(key="explore_remove").click().run()
    assert_clean(at)
    view = at.session_state["explore_view"]
    assert "agency:RO-POL" not in _drawn(at) and view.removed == ("agency:RO-POL",)
    # what the page put in the URL opens the same view in a new session
    again = _page(view.params())
    assert_clean(again)
    assert _drawn(again) == _drawn(at)


def test_page_period_control_filters_the_canvas_and_keeps_the_url(explore_store: Store) -> None:
    at = _page({"x": "offender:O-A", "period": "2021-Q1"})
    assert_clean(at)
    assert at.select_slider(key="explore_period").value == "2021-Q1"
    assert _drawn(at) == {"offender:O-A", "state:DE", "state:RO"}
    at.select_slider(key="explore_period").set_value("2020-Q1").run()
    assert_clean(at)
    assert _drawn(at) == {"offender:O-A", "case:CASE-1", "state:RO", "agency:DE-POL", "agency:RO-POL"}
    assert at.session_state["explore_view"].params() == {"x": "offender:O-A", "period": "2020-Q1",
                                                         "sel": "offender:O-A"}
    at.select_slider(key="explore_period").set_value("all").run()
    assert "period" not in at.session_state["explore_view"].params()
    assert "state:DE" in _drawn(at) and "case:CASE-1" in _drawn(at)


def test_page_audits_the_view_with_keyed_hashes(explore_store: Store) -> None:
    at = _page({"a": "O-A", "b": "O-C", "sel": "offender:O-B"})
    assert_clean(at)
    data_dir = explore_store.settings.data_dir
    entry = audit.show(data_dir, action="view").iloc[-1]
    params = json.loads(entry["params"])
    assert params == {"page": "Explore", "offender": audit.offender_key(data_dir, "O-B"),
                      "offender_a": audit.offender_key(data_dir, "O-A"),
                      "offender_b": audit.offender_key(data_dir, "O-C")}
