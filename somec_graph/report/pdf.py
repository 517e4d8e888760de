"""The PDF: the report's HTML printed to A4 by a local headless Chromium (page numbers come from
the template's @page rules). A browser is needed only here, never to install or run the rest."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import SomecGraphError

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-pdf-header-footer", "--hide-scrollbars"]
TIMEOUT_S = 120


def find_browser(configured: str = "") -> str:
    """The Chromium to print with: SOMEC_CHROMIUM when set, else the first found on PATH."""
    if configured:
        if shutil.which(configured) or Path(configured).is_file():
            return configured
        raise SomecGraphError(f"SOMEC_CHROMIUM names {configured}, which is not a program; set it to a Chromium "
                              "or Chrome executable, or unset it to look on PATH.")
    for name in CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise SomecGraphError("The PDF needs a Chromium browser and none was found; install one (Debian: "
                          "apt-get install chromium) or set SOMEC_CHROMIUM to its path — or write OUT.html instead.")


def print_pdf(html: str, browser: str) -> bytes:
    """`html` printed to PDF (A4, as the page's CSS asks) by `browser`, offline."""
    with tempfile.TemporaryDirectory(prefix="somec-report-") as tmp:
        page, out = Path(tmp) / "report.html", Path(tmp) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        profile = Path(tmp) / "profile"  # a throwaway profile: nothing of the user's browser is touched
        try:
            done = subprocess.run([browser, *FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={out}",
                                   page.as_uri()], capture_output=True, timeout=TIMEOUT_S,
                                  env={**os.environ, "HOME": tmp}, check=False)
        except subprocess.TimeoutExpired:
            raise SomecGraphError(f"{browser} did not print the PDF within {TIMEOUT_S} s; try again, or write "
                                  "OUT.html and print it from a browser.") from None
        except OSError as exc:
            raise SomecGraphError(f"Cannot run {browser} ({exc.strerror}); set SOMEC_CHROMIUM to a working "
                                  "Chromium.") from None
        if not out.is_file() or out.stat().st_size == 0:
            raise SomecGraphError(f"{browser} printed no PDF (exit code {done.returncode}); set SOMEC_CHROMIUM "
                                  "to a working Chromium, or write OUT.html instead.")
        return out.read_bytes()
