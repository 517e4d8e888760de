"""The Explore page in a real headless Chromium (the seed data set, the app of test_browser.py):
search, click a node on the canvas, expand it, connect two offenders, then open the page's URL in
a fresh browser (a colleague's) and find the same canvas. Screenshots in test-artifacts/screenshots/.

Seed facts used, read from seed_data/convictions.csv: CASE-00174 is shared by OFF-000240,
OFF-001267, OFF-001456 and OFF-001684; OFF-000240 and OFF-001992 are two links apart.
"""

from __future__ import annotations

import csv
import re
from typing import Any
from urllib.parse import parse_qs, urlparse

from test_browser import RENDER_TIMEOUT_MS, Visit, app_url, browser, pytestmark, visit  # noqa: F401 - fixtures

from somec_graph.resources import SEED_DIR

CASE = "CASE-00174"


def _members(case: str) -> set[str]:
    return {r["offender_id"] for r in csv.DictReader(open(SEED_DIR / "convictions.csv")) if r["case_id"] == case}


def _canvas(v: Visit) -> Any:
    """The vis-network page inside the canvas component, once drawn."""
    frame = v.page.frame_locator("iframe").first.frame_locator("iframe")
    frame.locator("#net canvas").wait_for(state="visible", timeout=RENDER_TIMEOUT_MS)
    frame.locator('body[data-ready="1"]').wait_for(state="attached", timeout=RENDER_TIMEOUT_MS)
    return frame


def _node_ids(canvas: Any) -> set[str]:
    return set(canvas.locator("body").evaluate("() => window.somecNetwork.body.data.nodes.getIds()"))


def _click_node(canvas: Any, node: str) -> None:
    at = canvas.locator("body").evaluate(
        "(_, id) => { const n = window.somecNetwork; return n.canvasToDOM(n.getPositions([id])[id]); }", node)
    canvas.locator("#net canvas").click(position={"x": at["x"], "y": at["y"]})


def _wait_for_url(v: Visit, key: str, value: str) -> None:
    v.page.wait_for_function(
        "([k, want]) => (new URLSearchParams(location.search).get(k) || '').split(',').includes(want)",
        arg=[key, value], timeout=RENDER_TIMEOUT_MS)


def test_search_click_expand_connect_and_share(visit: Visit, browser: Any, app_url: str) -> None:  # noqa: F811
    members = _members(CASE)
    assert "OFF-000240" in members and len(members) == 4
    visit.open("explore")
    visit.settle()
    visit.page.get_by_role("textbox", name="Search").fill(CASE)
    visit.page.get_by_role("button", name="Search", exact=True).click()
    _wait_for_url(visit, "q", CASE)
    visit.settle()
    canvas = _canvas(visit)
    assert _node_ids(canvas) == {f"case:{CASE}"}

    _click_node(canvas, f"case:{CASE}")  # a click on the canvas selects the node ...
    _wait_for_url(visit, "sel", f"case:{CASE}")
    visit.settle()
    _canvas(visit)  # the canvas redrawn for the selection before the next press
    visit.page.get_by_role("button", name="Expand", exact=True).click()  # ... and Expand puts its members around it
    _wait_for_url(visit, "x", f"case:{CASE}")
    visit.settle()
    canvas = _canvas(visit)
    assert _node_ids(canvas) == {f"case:{CASE}"} | {f"offender:{o}" for o in members}

    visit.page.get_by_role("textbox", name="Connect offender").fill("OFF-000240")
    visit.page.get_by_role("textbox", name="with offender").fill("OFF-001992")
    visit.page.get_by_role("button", name="Connect", exact=True).click()
    _wait_for_url(visit, "b", "OFF-001992")
    visit.settle()
    visit.page.get_by_text("shortest path(s) of 2 link(s) between").wait_for(timeout=RENDER_TIMEOUT_MS)
    canvas = _canvas(visit)
    drawn = _node_ids(canvas)
    assert "offender:OFF-001992" in drawn and f"case:{CASE}" in drawn
    visit.screenshot("8-explore")
    visit.check_clean()

    # A colleague opens the shared URL in their own browser: the same view.
    url = visit.page.url
    assert parse_qs(urlparse(url).query)["a"] == ["OFF-000240"]
    other = Visit(browser, app_url)
    try:
        other.page.goto(url, wait_until="domcontentloaded")
        other.page.wait_for_selector("h1", timeout=RENDER_TIMEOUT_MS)
        other.settle()
        assert _node_ids(_canvas(other)) == drawn
        other.page.get_by_text("shortest path(s) of 2 link(s) between").wait_for(timeout=RENDER_TIMEOUT_MS)
        other.screenshot("8-explore-shared")
        other.check_clean()
    finally:
        other.close()


def test_a_click_on_a_co_offender_opens_its_detail_and_explore(visit: Visit) -> None:  # noqa: F811
    visit.open("networks")
    visit.settle()
    canvas = _canvas(visit)
    ids = _node_ids(canvas)
    _click_node(canvas, sorted(ids)[0])
    heading = visit.page.get_by_role("heading", name=re.compile(r"^Offender OFF-"))
    heading.wait_for(timeout=RENDER_TIMEOUT_MS)
    offender = heading.inner_text().split()[-1]
    assert offender in ids  # the node under the pointer (with hundreds drawn, maybe a neighbour of the one aimed at)
    link = visit.page.get_by_role("link", name="Expand on the Explore canvas")
    href = link.get_attribute("href") or ""
    assert href.endswith(f"explore?x=offender%3A{offender}&sel=offender%3A{offender}"), href
    visit.screenshot("3-networks-clicked-offender")
    visit.check_clean()
    visit.open(href.rpartition("/")[2])  # where the link leads: the offender expanded on the Explore canvas
    visit.settle()
    on_canvas = _node_ids(_canvas(visit))
    assert f"offender:{offender}" in on_canvas and len(on_canvas) > 1
    visit.check_clean()
