"""Explore: search for anything, put it on a canvas, expand it step by step, and connect two offenders."""

from dataclasses import replace

import streamlit as st

from somec_graph.app import canvas as canvas_component
from somec_graph.app import explore, periods, session, timecontrol

st.title("Explore")
st.caption("Search offenders (by id, nationality or risk level), agencies, states, cases and movements (by id, "
           "from or to state, or arrival date); put them on the "
           "canvas, select one to see its detail and expand its neighbours, and connect two offenders through "
           "the cases they share (SPEC §9). The address of this page holds the view: share it with a colleague "
           "who has the same rights.")

state = session.require_data()
store = session.get_store()
with session.guard():
    store.user.require_detail("The Explore view")

VIEW = "explore_view"
if VIEW not in st.session_state:  # first run of this session: the URL's view (or an empty one)
    st.session_state[VIEW] = explore.View.from_params(st.query_params.to_dict())
    if st.session_state[VIEW].period:  # the period control starts at the URL's period
        st.session_state["explore_step"] = "quarter" if "Q" in st.session_state[VIEW].period else "month"
        st.session_state["explore_period"] = st.session_state[VIEW].period
view: explore.View = st.session_state[VIEW]


@st.cache_data(show_spinner=False, max_entries=4)
def dated_span(data_key: str) -> tuple[str, str] | None:
    """The span of the period control; `data_key` changes with every load."""
    return explore.span(store)


def change(new: explore.View) -> None:
    st.session_state[VIEW] = new
    st.rerun()


with st.form("explore_search"):
    c1, c2 = st.columns([3, 2])
    query = c1.text_input("Search", value=view.query, key="explore_q",
                          placeholder="OFF-000240, RO, very high, DE-POL, CASE-00174, 2021-03 ...")
    kinds = c2.multiselect("Kinds", explore.KINDS, default=list(view.kinds), key="explore_kinds")
    if st.form_submit_button("Search"):
        change(replace(view, query=query.strip(), kinds=tuple(k for k in explore.KINDS if k in kinds)
                       or explore.KINDS))

links = st.multiselect("Links to follow when expanding", list(explore.LINKS), default=list(view.links),
                       key="explore_links", format_func=lambda k: f"{k}: {explore.LINKS[k]}")
if tuple(links) != view.links:
    change(replace(view, links=tuple(k for k in explore.LINKS if k in links)))

with st.form("explore_connect"):
    c1, c2, c3 = st.columns([2, 2, 1])
    a = c1.text_input("Connect offender", value=view.connect[0] if view.connect else "", key="explore_a")
    b = c2.text_input("with offender", value=view.connect[1] if view.connect else "", key="explore_b")
    if c3.form_submit_button("Connect"):
        change(replace(view, connect=(a.strip(), b.strip()) if a.strip() and b.strip() else None))

with session.guard():
    span = dated_span(state.key)
if span:
    period = timecontrol.period_control("explore", *span)
    st.caption("The period keeps only the links dated in it: convictions in a case, arrivals in a state and "
               "exchanges sent" + (f"; **{period.label}** is shown." if period else "; 'whole period' keeps all."))
    if (period.label if period else None) != view.period:
        change(replace(view, period=period.label if period else None))

with session.guard(), st.spinner("Building the canvas ..."):
    canvas = explore.build(store, view)
session.audit_view("Explore", **explore.audit_detail(view))  # who looked at whom: offenders as keyed hashes
st.query_params.clear()
st.query_params.update(view.params())

for note in canvas.notes:
    st.info(note, icon=":material/info:")
if canvas.paths:
    st.markdown(f"{len(canvas.paths)} shortest path(s) of {len(canvas.paths[0]) - 1} link(s) between "
                f"**{view.connect[0] if view.connect else ''}** and **{view.connect[1] if view.connect else ''}**, "
                "drawn in orange with their cases.")
if canvas.graph.number_of_nodes() == 0:
    st.info("The canvas is empty: search for something above, or connect two offenders.")
    timecontrol.keep_playing("explore")
    st.stop()

shown = canvas.shown(view.hidden)
st.caption(f"{shown.number_of_nodes()} node(s) and {shown.number_of_edges()} link(s) on the canvas (at most "
           f"{explore.MAX_NODES}); {len(view.hidden)} hidden. Hover a node for its attributes.")
left, right = st.columns([3, 2])
with left:
    clicked = canvas_component.canvas(explore.canvas_html(canvas, view), height=660, key="explore_canvas")
    if clicked and clicked["at"] != st.session_state.get("explore_clicked_at") and clicked["node"] in canvas.graph:
        st.session_state["explore_clicked_at"] = clicked["at"]
        if clicked["node"] != view.selected:  # a rerun for a node already selected would drop a button press
            st.session_state.pop("explore_node", None)  # the node box follows the click
            change(replace(view, selected=clicked["node"]))
    st.caption("**Click a node** (or pick it on the right) to see its detail and expand it.")
with right:
    ids = sorted(canvas.graph)
    selected = view.selected if view.selected in canvas.graph else ids[0]
    pick = st.selectbox("Node", ids, index=ids.index(selected), key="explore_node",
                        format_func=lambda n: n + (" (hidden)" if n in view.hidden else "")
                        + (" (pinned)" if n in view.pinned else ""))
    if pick != view.selected:
        change(replace(view, selected=pick))
    with session.guard():
        d = canvas.details.get(pick) or explore.detail(store, pick, periods.parse(view.period))
    if d is None:
        st.info(f"{pick} is no longer in the data you may see.")
    else:
        st.dataframe(d.table(), hide_index=True, width="stretch")
        st.caption(d.neighbour_counts())
    b1, b2, b3, b4 = st.columns(4)
    if b1.button("Expand", key="explore_expand", disabled=pick in view.expanded):
        change(view.expand(pick))
    if b2.button("Unpin" if pick in view.pinned else "Pin", key="explore_pin"):
        change(view.pin(pick))
    if b3.button("Show" if pick in view.hidden else "Hide", key="explore_hide"):
        change(view.hide(pick))
    if b4.button("Remove", key="explore_remove"):
        change(view.remove(pick))
    if st.button("Clear the canvas", key="explore_clear"):
        for widget in ("explore_q", "explore_a", "explore_b"):
            st.session_state.pop(widget, None)
        change(explore.View(links=view.links, period=view.period))
timecontrol.keep_playing("explore")
