"""The Overview's report download (SPEC §11): the same `report_file` as `somec-graph report`, for
the page's filters, made when the button is clicked; supervisors and admins only, audited."""

from __future__ import annotations

import streamlit as st

from ..errors import SomecGraphError
from ..report import ReportFilters, report_file
from .filters import Filters
from .session import audit_event, current_user, get_store


def may_download() -> bool:
    """Supervisors and admins send reports; analysts work on offenders, not on reports."""
    return current_user().role in ("supervisor", "admin")


def report_filters(f: Filters) -> ReportFilters:
    return ReportFilters(date_from=f.date_from, date_to=f.date_to, states=f.states, window_days=f.window_days,
                         group=f.group, min_risk=f.min_risk)


def audit_report(name: str, filters: ReportFilters) -> None:
    """`on_click` of a report button: the download is logged with the filters it was made for, as
    `somec-graph report` logs its own (what left the system, for whom)."""
    audit_event("download", {"file": name, "from": filters.date_from, "to": filters.date_to,
                             "states": list(filters.states), "window_days": filters.window_days,
                             "group": filters.group, "min_risk": filters.min_risk})


def download_buttons(f: Filters) -> None:
    """"Download the report (HTML / PDF)" for these filters; the PDF button only where a browser
    can print it, otherwise one sentence on how to get one."""
    if not may_download():
        return
    from ..report.pdf import find_browser

    store, filters = get_store(), report_filters(f)  # taken here: the files are made on another thread
    st.markdown("**Download the report** for these filters (aggregates only, one file to pass on):")
    left, right, _ = st.columns([1, 1, 3])
    left.download_button("Report (HTML)", lambda: report_file(store, "html", filters), "somec-report.html",
                         "text/html", icon=":material/download:", key="report_html", on_click=audit_report,
                         args=("somec-report.html", filters))
    try:
        browser = find_browser(store.settings.chromium)
    except SomecGraphError as exc:
        right.caption(str(exc))
        return
    right.download_button("Report (PDF)", lambda: report_file(store, "pdf", filters, browser=browser),
                          "somec-report.pdf", "application/pdf", icon=":material/download:", key="report_pdf",
                          on_click=audit_report, args=("somec-report.pdf", filters))
