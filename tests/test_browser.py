"""The dashboard in a real headless Chromium: every page renders, offline, without errors.

`somec-graph app` serves the test session's embedded database (the seed
data set) on a free loopback port. Each page is opened in Debian's Chromium
through Playwright; the test waits for the page's main elements (KPIs,
charts, maps and the vis-network canvases inside their iframes), records every
request the page makes and fails on any to a host other than the app's own,
on any error text, uncaught script error or dialog, then saves a screenshot to
test-artifacts/screenshots/. The time from navigation to a complete first
render is printed per page and written to test-artifacts/screenshots/timings.txt.

Needs Debian's chromium (`apt-get install -y chromium`) and Playwright's Python
package (`pip install -e .[test]`); never `playwright install`.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from fixtures import ensure_seed, free_port, run_cli
from test_app_login import seed_offenders_involving

from somec_graph.ingest.load import load_dataset
from somec_graph.ingest.validate import validate
from somec_graph.resources import SEED_DIR
from somec_graph.store import Store

pytestmark = [pytest.mark.browser, pytest.mark.slow]
REPO = Path(__file__).resolve().parent.parent
SHOTS = REPO / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("SOMEC_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
VIEWPORT = {"width": 1400, "height": 1000}
RENDER_TIMEOUT_MS = 60_000
ERROR_TEXT = re.compile(r"\bTraceback\b|\bError\b|Exception:")
EVIL = "<img src=x onerror=alert(1)>"
TIMINGS: dict[str, float] = {}

try:  # required, not optional: a skipped browser test would hide a missing install
    from playwright import sync_api
except ImportError:  # pragma: no cover - reported by the app_url fixture
    sync_api = None


@pytest.fixture(scope="module")
def app_url(session_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`somec-graph app` on a free loopback port, against this session's data dir, started
    from a folder without any Streamlit config (the app must bring its own settings)."""
    if sync_api is None:
        pytest.fail("Playwright's Python package is missing: pip install -e .[test] (never `playwright install`; "
                    "the test drives Debian's chromium).", pytrace=False)
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium is not at {CHROMIUM}: install Debian's package (apt-get install -y chromium) "
                    "or set SOMEC_CHROMIUM to its path.", pytrace=False)
    ensure_seed(session_store)
    port = free_port()
    log = tmp_path_factory.mktemp("streamlit") / "streamlit.log"
    cmd = [sys.executable, "-m", "somec_graph.cli", "app", "--port", str(port)]
    with log.open("w") as out:
        proc = subprocess.Popen(cmd, cwd=log.parent, stdout=out, stderr=subprocess.STDOUT, env=dict(os.environ))
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start:\n{log.read_text()[-3000:]}", pytrace=False)
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def browser(app_url: str) -> Iterator[Any]:
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        # Warm the server process once (Python imports, the store connection) on the Data page,
        # which computes none of the other pages' data: their first renders stay first renders.
        warm = Visit(chromium, app_url)
        start = warm.open("data")
        _data(warm)
        warm.settle()
        TIMINGS["(server warm-up)"] = time.monotonic() - start
        warm.close()
        yield chromium
        chromium.close()


@pytest.fixture(scope="module", autouse=True)
def report_timings(request: pytest.FixtureRequest) -> Iterator[None]:
    yield
    if TIMINGS:
        SHOTS.mkdir(parents=True, exist_ok=True)
        lines = [f"{name:<18} {seconds:5.2f} s" for name, seconds in TIMINGS.items()]
        (SHOTS / "timings.txt").write_text("first render after navigation (seed data)\n" + "\n".join(lines) + "\n")
        capman = request.config.pluginmanager.getplugin("capturemanager")
        with capman.global_and_fixture_disabled() if capman else _nothing():
            print("\nFirst render per page (seed data):\n  " + "\n  ".join(lines))


class _nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


class Visit:
    """One page in a fresh browser context, with everything it requested and every error it raised."""

    def __init__(self, browser: Any, app_url: str) -> None:
        self.context = browser.new_context(viewport=VIEWPORT, service_workers="block")
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.script_errors: list[str] = []
        self.dialogs: list[str] = []
        self.base = app_url
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.script_errors.append(str(e)))

        def dialog(d: Any) -> None:
            self.dialogs.append(d.message)
            d.dismiss()

        self.page.on("dialog", dialog)

    def open(self, path: str) -> float:
        start = time.monotonic()
        self.page.goto(f"{self.base}/{path}", wait_until="domcontentloaded")
        self.page.wait_for_selector("h1", timeout=RENDER_TIMEOUT_MS)
        return start

    def settle(self) -> None:
        """Wait until the script run is over (Streamlit's 'running' widget is gone)."""
        self.page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=RENDER_TIMEOUT_MS)

    def network_ready(self, index: int = 0, *, nested: bool = False) -> Any:
        """Wait for the vis-network inside the page's index-th iframe to have drawn its canvas; `nested`
        when it is drawn through the canvas component (app/canvas.py), one frame deeper."""
        frame = self.page.frame_locator("iframe").nth(index)
        if nested:
            frame = frame.frame_locator("iframe")
        frame.locator("#net canvas").wait_for(state="visible", timeout=RENDER_TIMEOUT_MS)
        frame.locator('body[data-ready="1"]').wait_for(state="attached", timeout=RENDER_TIMEOUT_MS)
        return frame

    def external_requests(self) -> list[str]:
        bad = []
        for url in self.requests:
            parsed = urlparse(url)
            if parsed.scheme in ("data", "blob", "about", "javascript") or url.startswith("about:"):
                continue
            if parsed.hostname not in LOCAL_HOSTS or parsed.port not in (None, urlparse(self.base).port):
                bad.append(url)
        return bad

    def all_text(self) -> str:
        texts = [self.page.inner_text("body")]
        for frame in self.page.frames[1:]:
            try:
                texts.append(frame.inner_text("body", timeout=2000))
            except Exception:  # noqa: BLE001 - a frame that went away has no text to check
                pass
        return "\n".join(texts)

    def screenshot(self, name: str) -> Path:
        """The whole page: Streamlit scrolls inside its main element, so grow the viewport to fit it."""
        SHOTS.mkdir(parents=True, exist_ok=True)
        for _ in range(5):
            height = self.page.evaluate(
                "() => { const m = document.querySelector('[data-testid=\"stMain\"]'); "
                "return m ? m.scrollHeight : document.body.scrollHeight; }")
            target = min(int(height) + 40, 8000)
            if abs(target - self.page.viewport_size["height"]) < 5:
                break
            self.page.set_viewport_size({"width": VIEWPORT["width"], "height": target})
            self.page.wait_for_timeout(700)
        path = SHOTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        self.page.set_viewport_size(VIEWPORT)
        return path

    def check_clean(self) -> None:
        assert not self.external_requests(), f"requests to other hosts: {self.external_requests()}"
        assert not self.dialogs, f"a dialog opened (script injection?): {self.dialogs}"
        assert not self.script_errors, f"uncaught script errors: {self.script_errors}"
        assert self.page.locator('[data-testid="stException"]').count() == 0
        assert self.page.locator('[data-testid="stAlertContentError"]').count() == 0
        assert self.page.get_by_text("Page not found").count() == 0, "Streamlit did not find the page"
        found = ERROR_TEXT.search(self.all_text())
        assert not found, f"error text on the page: {found.group(0)!r}"

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Any, app_url: str) -> Iterator[Visit]:
    v = Visit(browser, app_url)
    yield v
    v.close()


# Page path, screenshot name, what must be on screen for the first render to count as done.
def _overview(v: Visit) -> None:
    v.page.locator('[data-testid="stMetric"]').nth(4).wait_for(timeout=RENDER_TIMEOUT_MS)
    _charts(v, 4)  # heatmap, trend, status mix, mechanisms


def _charts(v: Visit, count: int) -> None:
    v.page.wait_for_function(
        f"() => document.querySelectorAll('.vega-embed svg, .vega-embed canvas').length >= {count}",
        timeout=RENDER_TIMEOUT_MS)


def _explorer(v: Visit) -> None:
    _charts(v, 2)  # the journey's timeline and its map
    v.network_ready(0, nested=True)


def _networks(v: Visit) -> None:
    _charts(v, 1)  # the state flow map
    v.network_ready(0, nested=True)


def _console(v: Visit) -> None:
    v.page.locator('[data-testid="stForm"]').wait_for(timeout=RENDER_TIMEOUT_MS)


def _data(v: Visit) -> None:
    v.page.locator('[data-testid="stFileUploader"]').wait_for(timeout=RENDER_TIMEOUT_MS)
    v.page.get_by_text("Loaded:").wait_for(timeout=RENDER_TIMEOUT_MS)


def _what_if(v: Visit) -> None:
    v.page.locator('[data-testid="stMetric"]').nth(3).wait_for(timeout=RENDER_TIMEOUT_MS)
    _charts(v, 2)  # before/after per year, gaps closed per corridor


def _work_queue(v: Visit) -> None:
    v.page.locator('[data-testid="stDataFrame"]').first.wait_for(timeout=RENDER_TIMEOUT_MS)


# The default page (Overview) is served at the root URL: Streamlit ignores its url_path.
PAGES = [("", "1-overview", _overview), ("movement_explorer", "2-movement-explorer", _explorer),
         ("networks", "3-networks", _networks), ("query_console", "4-query-console", _console),
         ("data", "5-data", _data), ("what_if", "9-what-if", _what_if), ("work_queue", "10-work-queue", _work_queue)]


@pytest.mark.parametrize("path, name, ready", PAGES, ids=[p[1][2:] for p in PAGES])
def test_page_renders_offline_without_errors(visit: Visit, path: str, name: str, ready: Any) -> None:
    start = visit.open(path)
    ready(visit)
    visit.settle()
    TIMINGS[name[2:]] = time.monotonic() - start
    visit.screenshot(name)
    visit.check_clean()
    assert visit.requests, "the recorder saw no request at all"


def test_query_console_draws_a_result_graph(visit: Visit) -> None:
    visit.open("query_console")
    _console(visit)
    visit.settle()
    visit.page.get_by_text("Write your own read-only query").click()
    box = visit.page.get_by_role("textbox", name="Cypher")
    box.fill("MATCH (o:Offender {offender_id: 'OFF-000003'})-[r]->(n) RETURN o, r, n")
    box.press("Control+Enter")
    visit.page.get_by_role("button", name="Run my query").click()
    visit.page.get_by_text("Result of your query").wait_for(timeout=RENDER_TIMEOUT_MS)
    visit.settle()
    visit.network_ready(0)
    visit.screenshot("4-query-console-result")
    visit.check_clean()


# A data set whose names and ids carry markup: it must show as text everywhere.
def _write(folder: Path, name: str, rows: list[dict[str, str]]) -> None:
    import csv

    with (folder / name).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def test_markup_in_the_data_renders_as_text(visit: Visit, session_store: Store, tmp_path: Path) -> None:
    _write(tmp_path, "agencies.csv", [{"agency_id": "EVIL-1", "name": EVIL, "state": "DE", "kind": "police"},
                                      {"agency_id": "RO-CRA", "name": "RO Criminal Records Authority",
                                       "state": "RO", "kind": "criminal_records"}])
    _write(tmp_path, "offenders.csv", [{"offender_id": "OFF-EVIL", "nationality": "RO", "birth_year": "1980",
                                        "sex": "M", "risk_level": "high"}])
    _write(tmp_path, "convictions.csv", [{"conviction_id": "CNV-EVIL", "offender_id": "OFF-EVIL", "state": "RO",
                                          "offence_code": "1001", "conviction_date": "2020-01-10",
                                          "case_id": EVIL}])
    _write(tmp_path, "movements.csv", [{"movement_id": "MOV-EVIL", "offender_id": "OFF-EVIL", "from_state": "RO",
                                        "to_state": "DE", "arrival_date": "2021-03-01", "detected_by": "EVIL-1"}])
    _write(tmp_path, "exchanges.csv", [{"exchange_id": "EXC-EVIL", "mechanism": "SIS", "sender": "EVIL-1",
                                        "recipient": "RO-CRA", "offender_id": "OFF-EVIL", "kind": "alert",
                                        "sent_date": "2021-03-05"}])
    ds = validate(tmp_path)
    assert ds.ok, [str(p) for p in ds.problems]
    load_dataset(session_store, ds)

    visit.open("movement_explorer?offender=OFF-EVIL")
    visit.page.get_by_text("OFF-EVIL").first.wait_for(timeout=RENDER_TIMEOUT_MS)
    frame = visit.network_ready(0, nested=True)
    visit.settle()
    # Hover the agency whose name is markup: its tooltip must show the markup as text.
    iframe = visit.page.locator("iframe").first
    iframe.scroll_into_view_if_needed()
    point = frame.locator("body").evaluate(
        "() => { const n = window.somecNetwork; n.focus('agency:EVIL-1', {scale: 1.2, animation: false});"
        " const p = n.canvasToDOM(n.getPositions(['agency:EVIL-1'])['agency:EVIL-1']);"
        " const r = document.querySelector('#net canvas').getBoundingClientRect();"
        " return {x: r.left + p.x, y: r.top + p.y}; }")
    box = iframe.bounding_box()
    visit.page.mouse.move(box["x"] + point["x"] - 30, box["y"] + point["y"] - 30)
    visit.page.mouse.move(box["x"] + point["x"], box["y"] + point["y"], steps=5)
    tooltip = frame.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible", timeout=10_000)
    assert EVIL in tooltip.inner_text()
    assert tooltip.locator("img").count() == 0
    assert frame.locator("img").count() == 0
    visit.screenshot("6-markup-as-text")
    visit.check_clean()
    assert json.dumps(visit.dialogs) == "[]"


# --- login, roles and jurisdiction in a real browser ---------------------------------

PASSWORD = "correct horse battery staple"


@pytest.fixture
def with_users(session_store: Store) -> Iterator[None]:
    from somec_graph.access import users

    data_dir = session_store.settings.data_dir
    users.add_user(data_dir, "sue", "supervisor", PASSWORD)
    users.add_user(data_dir, "ana", "analyst", PASSWORD, states=["DE"])
    yield
    for name in ("sue", "ana"):
        users.remove_user(data_dir, name)


def _sign_in(v: Visit, name: str, path: str = "") -> None:
    v.page.goto(f"{v.base}/{path}", wait_until="domcontentloaded")
    v.page.get_by_label("User name").fill(name, timeout=RENDER_TIMEOUT_MS)
    v.page.get_by_label("Password", exact=True).fill(PASSWORD)
    v.page.get_by_role("button", name="Sign in").click()


def test_login_roles_and_jurisdiction_in_the_browser(visit: Visit, with_users: None) -> None:
    visit.page.goto(visit.base, wait_until="domcontentloaded")
    visit.page.get_by_role("button", name="Sign in").wait_for(timeout=RENDER_TIMEOUT_MS)
    assert visit.page.locator('[data-testid="stMetric"]').count() == 0, "nothing is shown before a login"

    _sign_in(visit, "sue")
    _overview(visit)  # a supervisor sees the aggregates
    assert not re.search(r"\bOFF-\d+", visit.all_text())
    # Navigate as a person does: a new page load would be a new session (and a new login).
    visit.page.get_by_role("link", name="Movement explorer").click()
    visit.page.get_by_text("sees aggregates only").wait_for(timeout=RENDER_TIMEOUT_MS)
    assert not re.search(r"\bOFF-\d+", visit.all_text())
    visit.screenshot("7-supervisor-refused-offender-detail")

    other = Visit(visit.context.browser, visit.base)  # a second person, in a fresh session
    try:
        _sign_in(other, "ana")
        _overview(other)
        other.page.get_by_role("link", name="Movement explorer").click()
        _explorer(other)
        shown = re.search(r"(OFF-\d+) — national of", other.all_text())
        assert shown and shown.group(1) in seed_offenders_involving("DE")
        other.screenshot("8-analyst-explorer")
        other.check_clean()
    finally:
        other.close()


def test_an_analyst_records_a_case_that_survives_a_reload(visit: Visit, with_users: None,
                                                          session_store: Store) -> None:
    from somec_graph.workqueue import queue

    _sign_in(visit, "ana")
    _overview(visit)
    visit.page.get_by_role("link", name="Work queue").click()
    grid = visit.page.locator('[data-testid="stDataFrame"]').first
    grid.wait_for(timeout=RENDER_TIMEOUT_MS)
    visit.settle()
    first = queue.queue(session_store, "DE").iloc[0]
    box = grid.bounding_box()
    assert box is not None
    grid.click(position={"x": 12, "y": 52})  # the first row's selection cell (the grid is a canvas)
    visit.page.get_by_text(f"{first['offender_id']}: arrived in Germany").wait_for(timeout=RENDER_TIMEOUT_MS)
    form = visit.page.locator('[data-testid="stForm"]')
    form.get_by_text("requested", exact=True).click()
    form.locator('[data-testid="stSelectbox"]').first.click()
    visit.page.get_by_role("option", name="ECRIS", exact=True).click()
    form.get_by_role("button", name="Record").click()
    visit.page.get_by_text(f"Case recorded on {first['movement_id']}: requested").wait_for(
        timeout=RENDER_TIMEOUT_MS)
    visit.screenshot("11-work-queue-case-recorded")
    visit.check_clean()
    # a reload of the same data keeps the case (and changes no answer)
    assert run_cli("load", str(SEED_DIR)).returncode == 0
    again = queue.queue(session_store, "DE").set_index("movement_id")
    assert again.loc[first["movement_id"], "case_status"] == "requested"


def _positions(v: Visit) -> dict[str, Any]:
    frame = v.network_ready(0, nested=True)
    return frame.locator("body").evaluate("() => window.somecNetwork.getPositions()")


def _step(v: Visit, button: str, label: str) -> None:
    v.page.get_by_role("button", name=re.compile(button)).first.click()
    v.page.get_by_role("heading", name=re.compile(label)).wait_for(timeout=RENDER_TIMEOUT_MS)
    v.settle()


def test_period_control_redraws_the_linked_views_in_place(visit: Visit) -> None:
    visit.open("networks")
    _networks(visit)
    visit.settle()
    whole = _positions(visit)
    shots = []
    for name, quarter in (("a", "2015-Q1"), ("b", "2015-Q2")):  # the seed data start in 2015
        _step(visit, "Next", f"State flow in {quarter}")
        label = visit.page.get_by_role("heading", name=re.compile(r"State flow in")).inner_text()
        _charts(visit, 2)
        assert _positions(visit) == whole, "a node moved while time moved"
        shots.append((label, visit.screenshot(f"3-networks-period-{name}").read_bytes()))
    (label_a, shot_a), (label_b, shot_b) = shots
    assert label_a != label_b and shot_a != shot_b, "the views did not change with the period"
    visit.check_clean()


def _mercator_fit(lon: float, lat: float, width: int, height: int) -> tuple[float, float]:
    """Where d3's Mercator projection fitted to maps.gap_choropleth's frame puts a point (CSS px)."""
    import math

    def raw(lo: float, la: float) -> tuple[float, float]:
        return math.radians(lo), -math.log(math.tan(math.pi / 4 + math.radians(la) / 2))

    corners = [raw(lo, la) for lo, la in ((-11, 35), (33, 35), (-11, 69), (33, 69))]
    x0, x1 = min(c[0] for c in corners), max(c[0] for c in corners)
    y0, y1 = min(c[1] for c in corners), max(c[1] for c in corners)
    k = min(width / (x1 - x0), height / (y1 - y0))
    tx, ty = (width - k * (x1 + x0)) / 2, (height - k * (y1 + y0)) / 2
    x, y = raw(lon, lat)
    return tx + k * x, ty + k * y


def _point_showing(v: Visit, box: dict[str, float], start: tuple[float, float], text: str,
                   reach: int = 160) -> tuple[float, float]:
    """A point of the chart whose tooltip names `text`: hover outwards from `start` until Vega's
    tooltip says so (the projection's pixels are Vega's, not ours to compute exactly)."""
    tip = v.page.locator("#vg-tooltip-element")
    seen: set[str] = set()
    for radius in range(0, reach, 8):
        ring = [(0, 0)] if radius == 0 else [(dx, dy) for dx in range(-radius, radius + 1, 8)
                                              for dy in (-radius, radius)] + \
            [(dx, dy) for dx in (-radius, radius) for dy in range(-radius + 8, radius, 8)]
        for dx, dy in ring:
            x, y = box["x"] + start[0] + dx, box["y"] + start[1] + dy
            v.page.mouse.move(x, y)
            if tip.count() and tip.is_visible():
                shown = tip.inner_text()
                if text in shown:
                    return x, y
                seen.add(shown.splitlines()[0] if shown else "")
    raise AssertionError(f"no point of the map shows {text!r} in its tooltip; seen: {sorted(seen)[:20]}, "
                         f"box {box}, tooltips in page: {v.page.locator('[id*=tooltip], [class*=tooltip]').count()}")


def _click_on_chart(v: Visit, key: str, text: str, start: tuple[float, float] | None = None,
                    reach: int = 160) -> None:
    """Click the point of chart `key` whose tooltip names `text` (searched from `start`, default the middle)."""
    chart = v.page.locator(f".st-key-{key} .vega-embed canvas, .st-key-{key} .vega-embed svg.marks").first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box is not None
    x, y = _point_showing(v, box, start or (box["width"] / 2, box["height"] / 2), text, reach)
    v.page.mouse.click(x, y)


def test_a_click_on_a_state_opens_its_profile(visit: Visit) -> None:
    visit.open("")
    _overview(visit)
    visit.settle()
    _click_on_chart(visit, "gap_map", "Germany", start=_mercator_fit(10.4, 51.1, 620, 560))
    visit.page.get_by_text("State profile: DE").wait_for(timeout=RENDER_TIMEOUT_MS)
    visit.settle()
    visit.screenshot("1-overview-state-clicked")
    visit.check_clean()


def test_a_click_on_a_corridor_of_the_state_flow_opens_its_arrivals(visit: Visit) -> None:
    visit.open("networks")
    _networks(visit)
    visit.settle()
    _click_on_chart(visit, "flow_map", "→")
    visit.page.get_by_text("Corridor:").first.wait_for(timeout=RENDER_TIMEOUT_MS)
    visit.settle()
    visit.screenshot("3-networks-corridor-clicked")
    visit.check_clean()


def test_a_click_on_a_state_node_of_the_state_flow_opens_its_profile(visit: Visit) -> None:
    visit.open("networks")
    _networks(visit)
    visit.settle()
    _click_on_chart(visit, "flow_map", "Germany (DE)", reach=320)
    visit.page.get_by_text("State profile: DE").wait_for(timeout=RENDER_TIMEOUT_MS)
    visit.settle()
    visit.check_clean()


def test_a_supervisor_downloads_the_report_from_the_overview_audited(visit: Visit, with_users: None,
                                                                     session_store: Store, tmp_path: Path) -> None:
    """SPEC §11: the Overview's report for its filters, the figures of `somec-graph report` for the
    same period, and the download in the audit log with those filters."""
    from somec_graph import audit

    _sign_in(visit, "sue")
    _overview(visit)
    with visit.page.expect_download(timeout=RENDER_TIMEOUT_MS) as info:
        visit.page.get_by_role("button", name=re.compile(r"Report \(HTML\)")).click()
    html = Path(info.value.path()).read_text(encoding="utf-8")
    assert info.value.suggested_filename == "somec-report.html"
    assert "Headline figures" in html and not re.search(r"\bOFF-\d+", html)
    visit.settle()
    entries = audit.show(session_store.settings.data_dir, user="sue", action="download")
    params = json.loads(entries["params"].iloc[-1])
    assert {k: params[k] for k in ("file", "states", "window_days", "group", "min_risk")} == \
        {"file": "somec-report.html", "states": [], "window_days": 30, "group": None, "min_risk": None}
    period = [a for k, flag in (("from", "--from"), ("to", "--to")) if params[k] for a in (flag, params[k])]
    out = tmp_path / "cli.html"
    assert run_cli("report", str(out), *period).returncode == 0
    kpis = re.compile(r'<div class="value">([^<]*)</div>')
    assert kpis.findall(html) == kpis.findall(out.read_text(encoding="utf-8"))
