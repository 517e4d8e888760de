"""The supervisor's report (SPEC §11) on both stores: its numbers are those of `gaps matrix` and
`whatif` for the same filters, it holds no offender id, loads nothing from anywhere, and its PDF
opens with the headline figures in its text. Screenshots of the PDF's first two pages go to
test-artifacts/report/; the Overview offers the download to supervisors, not to analysts.
"""

from __future__ import annotations

import base64
import csv
import io
import re
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fixtures import run_cli
from streamlit.testing.v1 import AppTest
from test_app import REPO, TIMEOUT
from test_app_login import seeded_with_users

from somec_graph.app.session import SESSION_KEY
from somec_graph.roles import User
from somec_graph.store import Store

SHOTS = REPO / "test-artifacts" / "report"
OFFENDER_ID = re.compile(r"OFF-\d+")
MIN_CELL = 5  # SOMEC_MIN_CELL's default, which the tests run under
FILTERS = {"all": [], "DE since 2023": ["--from", "2023-01-01", "--to", "2025-06-30", "--state", "DE"]}


class Parsed(HTMLParser):
    """The report's text cells per section, and every reference to something outside the file."""

    def __init__(self) -> None:
        super().__init__()
        self.section = ""
        self.rows: dict[str, list[list[str]]] = {}
        self.kpis: list[str] = []
        self.refs: list[str] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._style = False
        self.styles: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "section":
            self.section = a.get("id") or ""
        for name, value in attrs:
            if name in ("src", "href", "xlink:href", "srcset", "action", "poster", "data") and value:
                self.refs.append(value)
            if name == "style" and value:
                self.styles.append(value)
        if tag in ("script", "link", "iframe", "object", "embed"):
            self.refs.append(f"<{tag}>")
        self._style = tag == "style"
        if tag == "tr":
            self._row = []
        if tag in ("td", "th") or (tag == "div" and a.get("class") == "value"):
            self._cell = []

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._style:
            self.styles.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._style = False
        if tag == "div" and self._cell is not None and self._row is None:
            self.kpis.append("".join(self._cell).strip())
            self._cell = None
        if tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        if tag == "tr" and self._row is not None:
            self.rows.setdefault(self.section, []).append(self._row)
            self._row = None


def parse(html: str) -> Parsed:
    p = Parsed()
    p.feed(html)
    return p


def pct(rate: float) -> str:
    return f"{rate * 100:.0f}%"


def num(text: str) -> str:
    return f"{int(text):,}"


def write_report(seeded: Store, folder: Path, name: str, suffix: str) -> Path:
    stem = re.sub(r"\W+", "-", name)
    out = folder / f"{stem}.{suffix}"
    result = run_cli("report", str(out), *FILTERS[name])
    assert result.returncode == 0, result.stderr
    assert f"Report written to {out}" in result.stdout
    return out


@pytest.mark.parametrize("name", list(FILTERS))
def test_the_reports_numbers_are_those_of_gaps_matrix_and_whatif(seeded: Store, tmp_path: Path, name: str) -> None:
    html = write_report(seeded, tmp_path, name, "html").read_text(encoding="utf-8")
    parsed = parse(html)
    cli_filters = FILTERS[name]
    matrix = list(csv.DictReader(io.StringIO(run_cli("gaps", "matrix", "--format", "csv", *cli_filters).stdout)))
    assert matrix, "the filters must leave some corridors"

    # headline: totals over every corridor of `gaps matrix`
    n = sum(int(r["movements"]) for r in matrix)
    gaps = sum(int(r["late"]) + int(r["unnotified"]) for r in matrix)
    closed = n - sum(int(r["pending"]) for r in matrix)
    assert parsed.kpis[:2] == [f"{n:,}", pct(gaps / closed)]

    # the annex: one row per corridor, in `gaps matrix` order; small cells read "fewer than 5" only
    annex = parsed.rows["annex"][1:]
    assert len(annex) == len(matrix)
    for row, m in zip(annex, matrix):
        assert row[0].split()[0] == m["from_state"] and row[1].split()[0] == m["to_state"]
        if int(m["movements"]) < MIN_CELL:
            assert row[2:] == [f"fewer than {MIN_CELL}"] + [""] * 7, row
        else:
            statuses = [m[c] for c in ("movements", "known", "notified", "late", "unnotified", "pending")]
            assert row[2:8] == [num(v) for v in statuses]
            assert row[8] == (pct(float(m["gap_rate"])) if m["gap_rate"] else "–")
    hidden = sum(int(m["movements"]) < MIN_CELL for m in matrix)
    if hidden:
        assert f"Grey: {hidden} corridor" in html

    # the corridors with the most gaps: the visible corridors of `gaps matrix` by late + never
    shown = [m for m in matrix if int(m["movements"]) >= MIN_CELL]
    shown.sort(key=lambda m: (-(int(m["late"]) + int(m["unnotified"])), -int(m["movements"]), m["from_state"],
                              m["to_state"]))
    top = parsed.rows["corridors"][1:]
    assert [r[1:3] for r in top] == [[num(m["movements"]), num(str(int(m["late"]) + int(m["unnotified"])))]
                                     for m in shown[:10]]

    # the what-if summary: `somec-graph whatif`, row for row
    whatif = list(csv.DictReader(io.StringIO(run_cli("whatif", "--format", "csv").stdout)))
    rows = parsed.rows["whatif"][1:]
    assert [r[0] for r in rows] == [w["rule"] for w in whatif]
    for r, w in zip(rows, whatif):
        assert r[1:4] == [num(w["movements"]), num(w["gaps_before"]), num(w["gaps_after"])]
        assert r[5:] == [pct(float(w["gap_rate_before"])), pct(float(w["gap_rate_after"]))]


def test_the_report_holds_no_offender_id_and_loads_nothing(seeded: Store, tmp_path: Path) -> None:
    html = write_report(seeded, tmp_path, "all", "html").read_text(encoding="utf-8")
    assert not OFFENDER_ID.search(html)
    parsed = parse(html)
    assert parsed.refs == [], parsed.refs  # no src/href at all: charts are inline SVG, fonts embedded
    assert not any("@import" in s for s in parsed.styles)
    # every url() in the file, in CSS or an SVG attribute, is its own: an embedded font (data:) or a gradient (#id)
    urls = [u.strip("'\" ") for u in re.findall(r"url\(([^)]*)\)", html)]
    assert urls and all(u.startswith(("data:", "#")) for u in urls), [u[:40] for u in urls]
    fonts = re.findall(r"@font-face \{[^}]*url\(data:font/woff;base64,([A-Za-z0-9+/=]+)\)", html)
    assert len(fonts) == 2 and all(base64.b64decode(f)[:4] == b"wOFF" for f in fonts)  # fonts inside (SPEC §11)
    assert html.count("<svg") == 4  # gap matrix, map, gap rate per year, mechanisms
    assert "Date of the data" in html and re.search(r'id="as-of">\d{4}-\d{2}-\d{2}<', html)
    assert re.search(r'id="data-version">[1-9]\d*<', html)


@pytest.mark.slow
@pytest.mark.browser
def test_the_pdf_opens_with_the_headline_figures_and_page_numbers(seeded: Store, tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    name = "DE since 2023"
    pdf_path = write_report(seeded, tmp_path, name, "pdf")
    assert pdf_path.read_bytes().startswith(b"%PDF")
    headline = parse(write_report(seeded, tmp_path, name, "html").read_text(encoding="utf-8")).kpis
    pdf = pdfium.PdfDocument(str(pdf_path))
    pages = len(pdf)
    assert pages >= 3
    text = "\n".join(pdf[i].get_textpage().get_text_range() for i in range(pages))
    for figure in headline:
        assert figure in text
    assert "Counted arrivals" in text and "Gap rate" in text
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert not OFFENDER_ID.search(text)
    used = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([\w-]+)", pdf_path.read_bytes()))
    assert used == {b"DejaVuSans", b"DejaVuSans-Bold"}, used  # the font inside the report, not the machine's
    width, height = pdf[0].get_size()
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)  # A4 in mm
    SHOTS.mkdir(parents=True, exist_ok=True)
    for i in range(2):
        pdf[i].render(scale=1.5).to_pil().save(SHOTS / f"report-page-{i + 1}.png")


def test_a_report_whose_every_corridor_is_small_shows_no_rate(seeded: Store, tmp_path: Path) -> None:
    """Liechtenstein since 2025: a few corridors, each of fewer than 5 arrivals (all grey, none shaded)."""
    period = ["--state", "LI", "--from", "2025-01-01"]
    matrix = list(csv.DictReader(io.StringIO(run_cli("gaps", "matrix", "--format", "csv", *period).stdout)))
    assert matrix and all(int(m["movements"]) < MIN_CELL for m in matrix)
    out = tmp_path / "li.html"
    result = run_cli("report", str(out), *period)
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    annex = parse(html).rows["annex"][1:]
    assert [r[2:] for r in annex] == [[f"fewer than {MIN_CELL}"] + [""] * 7] * len(matrix)
    assert f"Grey: {len(matrix)} corridors" in html and "No corridors match these filters." in html


def test_a_report_of_fewer_arrivals_than_the_minimum_cell_withholds_the_headline(seeded: Store,
                                                                                tmp_path: Path) -> None:
    period = ["--state", "LI", "--from", "2025-10-01"]
    matrix = list(csv.DictReader(io.StringIO(run_cli("gaps", "matrix", "--format", "csv", *period).stdout)))
    assert 0 < sum(int(m["movements"]) for m in matrix) < MIN_CELL
    out = tmp_path / "li.html"
    assert run_cli("report", str(out), *period).returncode == 0
    html = out.read_text(encoding="utf-8")
    assert parse(html).kpis == [f"fewer than {MIN_CELL}", "–", "–", "–"]
    assert f"Fewer than {MIN_CELL} counted arrivals match these filters" in html


def test_a_report_file_that_is_neither_html_nor_pdf_is_one_sentence(seeded: Store, tmp_path: Path) -> None:
    result = run_cli("report", str(tmp_path / "report.docx"))
    assert result.returncode != 0 and not (tmp_path / "report.docx").exists()
    assert result.stderr.strip() == "Error: report.docx: the report is written as .html or .pdf; name OUT accordingly."


def test_a_missing_browser_is_one_sentence(seeded: Store, tmp_path: Path) -> None:
    result = run_cli("report", str(tmp_path / "r.pdf"), env={"SOMEC_CHROMIUM": str(tmp_path / "no-chromium")})
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "SOMEC_CHROMIUM" in result.stderr and len(result.stderr.strip().splitlines()) == 1


# --- the Overview's download ---------------------------------------------------------

@pytest.fixture(scope="module")
def with_users(session_store: Store) -> Iterator[Path]:
    yield from seeded_with_users(session_store, "rana", "rsue")


def overview_as(user: User) -> AppTest:
    at = AppTest.from_file(str(REPO / "app_pages" / "1_overview.py"), default_timeout=TIMEOUT)
    at.session_state[SESSION_KEY] = {"user": user, "seen": time.time()}
    return at.run()


def download_labels(at: AppTest) -> list[str]:
    return [str(b.proto.label) for b in at.get("download_button")]


def test_the_overview_offers_the_report_to_supervisors_and_admins_not_to_analysts(with_users: Path) -> None:
    supervisor = overview_as(User("rsue", "supervisor"))
    assert not supervisor.exception
    assert {"Report (HTML)", "Report (PDF)"} <= set(download_labels(supervisor))
    assert any("Download the report" in str(m.value) for m in supervisor.markdown)
    admin = overview_as(User("local", "admin"))
    assert not admin.exception and {"Report (HTML)", "Report (PDF)"} <= set(download_labels(admin))
    analyst = overview_as(User("rana", "analyst", ("DE",)))
    assert not analyst.exception
    assert not {"Report (HTML)", "Report (PDF)"} & set(download_labels(analyst))
