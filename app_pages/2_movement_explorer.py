"""Movement explorer for analysts: one offender's journey, who knew, and who is around them."""

import streamlit as st

from somec_graph.app import charts, downloads, maps, network_html, node_click, periods, reads, session, style, timecontrol

st.title("Movement explorer")
st.caption("Where did this person go, when, and was the receiving state told?")

state = session.require_data()
with session.guard():
    offenders = reads.offender_list(state.key)
if offenders.empty:
    st.info("The data set has no offenders yet. Load a data set with offenders.csv on the Data page.")
    st.stop()

ids = offenders["offender_id"].tolist()
info = offenders.set_index("offender_id")
# Start with an offender who moved (a deep link ?offender=ID wins).
wanted = st.query_params.get("offender")
if "explorer_offender" not in st.session_state:
    busiest = offenders.sort_values(["movements", "convictions", "offender_id"], ascending=[False, False, True])
    st.session_state["explorer_offender"] = wanted if wanted in info.index else busiest["offender_id"].iloc[0]


def describe(offender_id: str) -> str:
    row = info.loc[offender_id]
    risk = style.RISK_LABELS.get(row["risk_level"], row["risk_level"])
    return f"{offender_id} · {row['nationality']} · {risk} risk · {row['movements']} movements"


left, right = st.columns([3, 1])
offender_id = left.selectbox("Offender (type to search by id)", ids, key="explorer_offender", format_func=describe,
                             help="Type part of an id, e.g. 000123, to narrow the suggestions.")
window = int(right.number_input("Notification window (days)", 0, 365, 30, key="explorer_window"))
st.query_params["offender"] = offender_id
session.audit_view("Movement explorer", offender_id=offender_id)  # who looked at whom

row = info.loc[offender_id]
with session.guard(), st.spinner("Reading the journey ..."):
    journey = reads.journey(state.key, offender_id, window)
    tables = reads.offender_tables(state.key, offender_id)
    state_table = reads.states(state.key)
names = dict(zip(state_table["code"], state_table["name"]))

born = f", born {int(row['birth_year'])}" if row["birth_year"] == row["birth_year"] and row["birth_year"] else ""
counted = journey["status"].notna().sum()
gaps = journey["status"].isin(["late", "unnotified"]).sum()
st.markdown(
    f"**{offender_id}** — national of {names.get(row['nationality'], row['nationality'])}{born}, assessed "
    f"**{style.RISK_LABELS.get(row['risk_level'], row['risk_level'])} risk**; {style.fmt_int(row['convictions'])} "
    f"conviction(s), {style.fmt_int(len(journey))} movement(s). "
    + (f"Of {counted} counted arrival(s), {gaps} were notified late or never." if counted else
       "None of the arrivals is counted: there was no violent or sexual conviction before any of them."))

st.subheader("Journey")
if journey.empty:
    st.info("No movements recorded for this offender, so there is no journey to draw.")
else:
    period = timecontrol.period_control("exp", journey["arrival_date"].min(), journey["arrival_date"].max())
    current = periods.stays_in(journey, period) if period else None
    st.html(maps.status_legend_html())
    tl, mp = st.columns([1, 1])
    with tl:
        st.caption("Each bar is a stay, from arrival until the next arrival; colour = what the receiving state knew."
                   + (f" The band marks {period.label}." if period else ""))
        st.altair_chart(charts.journey_timeline(journey, as_of=reads.as_of_date(state.key),
                                                period=(period.date_from, period.date_to) if period else None),
                        width="stretch")
    with mp:
        st.caption("Arcs between capitals in travel order (numbers); each arc bends to the right of its direction. "
                   + ("Grey: outside the period. " if period else "") + "Scroll to zoom, drag to pan.")
        chart = maps.journey_map(journey, state_table, current=current)
        if chart is None:
            st.info("The states of this journey have no capital coordinates in states.csv, so no map can be drawn.")
        else:
            st.altair_chart(chart, width="content")
    shown = journey.assign(status=journey["status"].map(lambda s: style.STATUS_LABELS[s if s in style.STATUS_LABELS
                                                                                  else style.NOT_COUNTED]))
    st.dataframe(shown, hide_index=True, width="stretch")
    st.download_button("Download the journey (CSV)", downloads.safe_csv(journey), f"journey-{offender_id}.csv", "text/csv",
                       icon=":material/download:", on_click=session.audit_download,
                       args=(f"journey-{offender_id}.csv",))

def table_section(title: str, frame, empty: str) -> None:
    """A heading, then the table or a sentence saying why there is none."""
    st.subheader(title)
    if frame.empty:
        st.info(empty)
    else:
        st.dataframe(frame, hide_index=True, width="stretch")


c1, c2 = st.columns(2)
with c1:
    table_section("Convictions", tables["convictions"], "No convictions recorded.")
with c2:
    table_section("Agencies involved", tables["agencies"],
                  "No agency has sent, received or detected anything about this offender.")
table_section("Information exchanges", tables["exchanges"],
              "No information about this offender was exchanged between agencies.")

st.subheader("Ego network")
st.caption("The offender, their convictions, the states and agencies involved, the exchanges about them and their "
           "co-defendants. Movement links are coloured by what the receiving state knew. Hover a node for details; "
           "drag to rearrange, scroll to zoom.")
with session.guard():
    graph = reads.ego_network(state.key, offender_id, window)
if network_html.too_many_nodes(graph.number_of_nodes()):
    st.warning(f"This offender's network has {graph.number_of_nodes():,} nodes, more than a browser can draw "
               f"smoothly ({style.MAX_NETWORK_NODES}); the tables above list everything in it.")
else:
    picture, beside = st.columns([3, 2])
    with picture:
        clicked = node_click.offender_clicked(network_html.ego_network_html(graph, offender_id), height=640,
                                              key="ego_canvas")
    with beside:
        if clicked and f"offender:{clicked}" in graph:
            node_click.offender_box(session.get_store(), clicked, "Movement explorer")
        else:
            st.caption("**Click an offender** (the ego or a co-defendant) for their detail, and to expand them on "
                       "the Explore canvas.")

timecontrol.keep_playing("exp")
