"""The one call of the CLI and the dashboard: the report for some filters as HTML or PDF bytes."""

from __future__ import annotations

from ..errors import SomecGraphError
from ..store import Store
from .contents import ReportFilters, build
from .layout import render

FORMATS = ("html", "pdf")


def report_file(store: Store, fmt: str, filters: ReportFilters | None = None, *, browser: str = "") -> bytes:
    """The supervisor's report (SPEC §11) as the bytes of a self-contained `fmt` file.

    `browser` is SOMEC_CHROMIUM (empty: look on PATH); only a PDF needs one, and it is looked
    for before anything is computed.
    """
    if fmt not in FORMATS:
        raise SomecGraphError(f"The report is written as .html or .pdf, not .{fmt}.")
    if fmt == "pdf":
        from .pdf import find_browser, print_pdf

        chromium = find_browser(browser)
        return print_pdf(render(build(store, filters)), chromium)
    return render(build(store, filters)).encode("utf-8")
