"""The supervisor's report (SPEC §11): one self-contained HTML or PDF file of aggregates only.

`contents.build` gathers the figures (the same library functions and disclosure control as the
Overview and What if pages), `html.render` lays them out with the dashboard's charts drawn as
inline SVG, `pdf.print_pdf` prints that HTML to A4 in a local headless Chromium. `report_file`
is the one call the CLI and the dashboard share.
"""

from __future__ import annotations

from .contents import ReportFilters, build
from .files import FORMATS, report_file

__all__ = ["FORMATS", "ReportFilters", "build", "report_file"]
