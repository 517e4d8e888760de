"""Click-to-detail on the co-offender and ego network pictures: the picture is drawn through the
Explore canvas component (`canvas.py`), so a click on an offender node reaches the page, which
shows the offender's detail beside the picture with a link that opens it on the Explore canvas.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from ..store import Store
from . import canvas as canvas_component
from . import explore, session


def offender_clicked(html: str, *, height: int, key: str) -> str | None:
    """Draw the picture; the offender id of the node last clicked on it, or None (no click yet,
    or a click on a node that is not an offender: ego nodes are ``kind:key``, co-offender nodes bare ids)."""
    clicked = canvas_component.canvas(html, height=height, key=key)
    if clicked is None:
        return None
    kind, sep, rest = clicked["node"].partition(":")
    if not sep:
        return kind or None
    return rest if kind == "offender" and rest else None


def explore_url(offender_id: str) -> str:
    """The Explore page with the offender on its canvas, expanded and selected.

    >>> explore_url("OFF-1")
    'explore?x=offender%3AOFF-1&sel=offender%3AOFF-1'
    """
    nid = explore.node_id("offender", offender_id)
    return "explore?" + urlencode(explore.View(expanded=(nid,), selected=nid).params())


def offender_box(store: Store, offender_id: str, page: str) -> None:
    """The clicked offender's attributes and neighbour counts, and the link to expand it on Explore."""
    if not store.user.may_see_offenders:
        return
    if st.session_state.get("somec_last_click") != (page, offender_id):  # once per click, not per rerun
        st.session_state["somec_last_click"] = (page, offender_id)
        session.audit_event("view", {"page": page, "clicked_offender": offender_id})  # logged as a keyed hash
    with session.guard():
        d = explore.detail(store, explore.node_id("offender", offender_id))
    with st.container(border=True, key=f"clicked_{page.lower().replace(' ', '_')}"):
        st.subheader(f"Offender {offender_id}")
        if d is None:
            st.info(f"{offender_id} is no longer in the data you may see.")
            return
        st.dataframe(d.table(), hide_index=True, width="stretch")
        st.caption(d.neighbour_counts())
        st.markdown(f"[Expand on the Explore canvas]({explore_url(offender_id)})")
