"""The Explore canvas as a Streamlit component, so that a click on a node reaches the page.

`st.iframe` only shows a page; this component (`canvas_frontend/index.html`, no build
step, nothing fetched) shows the same self-contained vis-network page in an
inner frame and returns the node last clicked as ``{"node": id, "at": ms}``
(`at` tells two clicks on one node apart), or None before any click.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import streamlit.components.v1 as components

_component = components.declare_component("explore_canvas", path=str(Path(__file__).with_name("canvas_frontend")))


def canvas(html: str, *, height: int, key: str) -> dict[str, Any] | None:
    value = _component(html=html, height=height, key=key, default=None)
    return value if isinstance(value, dict) and isinstance(value.get("node"), str) else None
