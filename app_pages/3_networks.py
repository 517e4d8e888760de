"""Networks: how offenders flow between states, and who offends (and travels) together — through time."""

import streamlit as st

from somec_graph.app import charts, details, filters, maps, node_click, periods, reads, session, style, timecontrol

st.title("Networks")
st.caption("The state flow network on a map of Europe, and the co-offender network of offenders convicted in "
           "the same case; the period control below redraws both, and the timeline, for one month or quarter.")

state = session.require_data()
f = filters.sidebar_filters(state, show=("period", "window"))
limit = int(st.session_state.get("max_network_nodes", style.MAX_NETWORK_NODES))
key = state.key

with session.guard(), st.spinner("Building the state flow network ..."):
    edges_all, _ = reads.state_flow(key, f.as_tuple())
    by_month = reads.flow_by_month(key)
    state_table = reads.states(key)
names = dict(zip(state_table["code"], state_table["name"]))

# --- time -----------------------------------------------------------------------
st.header("Time")
months = by_month[(by_month["month"] >= (f.date_from or "")[:7]) & (by_month["month"] <= (f.date_to or "9999")[:7])]
period = None
if not months.empty:
    period = timecontrol.period_control("net", f"{months['month'].min()}-01", f"{months['month'].max()}-01")
    step = st.session_state.get("net_step", "quarter")
    counts = periods.per_period(months, step)
    st.caption("Movements per " + step + (f"; **{period.label}** is shown below." if period else
                                          "; pick a period (or press Play) to see the networks change through time."))
    st.altair_chart(charts.period_timeline(counts, period.label if period else None), width="stretch")
fp = f if period is None else filters.Filters(window_days=f.window_days, date_from=period.date_from,
                                               date_to=period.date_to)
when = f" in {period.label}" if period else ""

# --- state flow ------------------------------------------------------------------
st.header("State flow" + when)
with session.guard():
    edges, hubs = reads.state_flow(key, fp.as_tuple())
frame = set(edges_all["from_state"]) | set(edges_all["to_state"])  # fixed while time moves
if edges.empty:
    st.info("No movements in the chosen period, so there is no flow to draw. Widen the period in the sidebar"
            + (" or step to another period." if period else "."))
else:
    top = int(edges["movements"].max())
    # Start with about the 60 busiest corridors: hundreds of arcs hide each other.
    busiest_60 = int(edges_all["movements"].nlargest(60).min())
    min_moves = st.slider("Hide corridors with fewer movements than", 1, max(2, int(edges_all["movements"].max())),
                          value=max(1, busiest_60), key="flow_min_movements",
                          help="Thin corridors clutter the map; the hub table below always counts every movement.")
    threshold = 1 if period else min_moves  # a month or quarter has few movements per corridor: draw them all
    threshold = reads.min_shown(threshold)
    shown = edges[edges["movements"] >= threshold]
    busiest = edges.sort_values(["movements", "from_state"], ascending=[False, True]).iloc[0]
    route = " → ".join(names.get(busiest[end], busiest[end]) for end in ("from_state", "to_state"))
    st.markdown(
        f"{style.fmt_int(edges['movements'].sum())} movements along {style.fmt_int(len(edges))} corridors between "
        f"{style.fmt_int(len(set(edges['from_state']) | set(edges['to_state'])))} states{when}; the busiest is "
        f"{route} ({style.fmt_int(busiest['movements'])} movements, gap rate {style.fmt_pct(busiest['gap_rate'])}). "
        f"Showing the {style.fmt_int(len(shown))} corridors with at least {threshold} movements.")
    widest = periods.widest(by_month, st.session_state.get("net_step", "quarter")) if period else None
    chart = maps.state_flow_map(shown, state_table, frame=frame, top=widest)
    if chart is None:
        st.info("No corridor has both states with capital coordinates in states.csv, so there is nothing to draw.")
    else:
        st.caption("Arc width = movements; colour = share of counted arrivals notified late or never (grey: none "
                   "whose window has closed). **Click an arc** for the corridor's arrivals, **a capital** for the "
                   "state's profile (double-click to clear); scroll to zoom, drag to pan.")
        event = st.altair_chart(chart, width="content", key="flow_map", on_select="rerun",
                                selection_mode=[maps.CORRIDOR_PICK, maps.STATE_PICK])
        corridor = maps.picked(event, maps.CORRIDOR_PICK, "corridor_id")
        picked_state = maps.picked(event, maps.STATE_PICK, "code")
        if corridor:
            a, b = corridor.split(">", 1)
            with session.guard():
                arrivals = reads.counted_arrivals(key, f.window_days)
            details.corridor_detail(a, b, arrivals, edges, names, fp.date_from, fp.date_to)
        elif picked_state:
            details.state_detail(picked_state, state_table, hubs, edges)
    st.subheader("Transit hubs" + when)
    st.caption("Betweenness: the share of shortest routes between two other states that pass through this one "
               "(busy corridors count as short). In/out strength: how many states send to / receive from it.")
    hub_view = hubs.assign(name=hubs["state"].map(names)).sort_values("betweenness", ascending=False)
    st.dataframe(hub_view[["state", "name", "in_movements", "out_movements", "in_strength", "out_strength",
                           "betweenness"]].head(15), hide_index=True, width="stretch",
                 column_config={"betweenness": st.column_config.NumberColumn(format="%.3f")})

# --- co-offenders ----------------------------------------------------------------
st.header("Co-offenders")
days = int(st.columns([1, 3])[0].number_input("Mobile groups: co-defendants arriving in the same state within "
                                               "(days)", 0, 365, 30, key="mobile_days"))
with session.guard(), st.spinner("Building the co-offender network ..."):
    graph, table = reads.co_offenders(key)
    groups = reads.mobile_groups(key, days)
if graph.number_of_nodes() == 0:
    st.info("No two offenders share a case_id, so there is no co-offender network. convictions.csv links "
            "co-defendants through its case_id column.")
    timecontrol.keep_playing("net")
    st.stop()

communities = table["community"].value_counts().sort_index()
groups_shown = st.container()
c1, c2 = st.columns([2, 1])
picked = c1.multiselect("Communities", communities.index.tolist(), key="co_communities",
                        format_func=lambda c: f"community {c} ({communities[c]} offenders)",
                        help="Empty: all communities.")
only_mobile = c2.toggle("Only mobile groups and their co-defendants", key="co_only_mobile")
span = (period.label, period.date_from, period.date_to) if period else None
with session.guard():
    count, drawn, html = reads.co_offender_view(key, days, tuple(sorted(picked)), only_mobile, limit, span)
    mobile_members = reads.mobile_members(key, days)
brokers = table.sort_values("betweenness", ascending=False).head(5)
groups_shown.markdown(
    f"{style.fmt_int(graph.number_of_nodes())} offenders share a case with at least one other; they form "
    f"{style.fmt_int(len(communities))} communities. {style.fmt_int(len(groups))} mobile group(s): co-defendants who "
    f"arrived in the same state within {days} days of each other ({style.fmt_int(len(mobile_members))} offenders). "
    f"Brokers between groups (highest betweenness): {', '.join(brokers['offender_id'])}.")
if count == 0:
    st.info("No offender matches this selection; clear the communities or turn off 'only mobile groups'.")
else:
    if drawn < count:
        st.warning(f"Showing {drawn:,} of {count:,} offenders (whole communities, largest first) — more than "
                   f"{limit} do not draw smoothly. Filter to see more: pick communities above, or turn on "
                   "'only mobile groups'.")
    st.caption("Colour = community; ringed and larger = member of a mobile group; orange links = co-defendants "
               "who travelled together" + (f"; grey = no case convicted in {period.label}" if period else "")
               + ". Positions stay fixed while time moves. Hover a node for details.")
    picture, beside = st.columns([3, 2])
    with picture:
        clicked = node_click.offender_clicked(html, height=700, key="co_canvas")
    with beside:
        if clicked and clicked in graph:
            node_click.offender_box(session.get_store(), clicked, "Networks")
        else:
            st.caption("**Click an offender** in the network for their detail, and to expand them on the Explore "
                       "canvas.")

c1, c2 = st.columns(2)
with c1:
    st.subheader("Mobile groups")
    if groups.empty:
        st.info(f"No co-defendants arrived in the same state within {days} days of each other.")
    else:
        st.dataframe(groups, hide_index=True, width="stretch")
with c2:
    st.subheader("Most central co-offenders")
    st.caption("**Select a row** to open the offender's journey.")
    central = table.sort_values(["betweenness", "degree", "offender_id"], ascending=[False, False, True]).head(15)
    event = st.dataframe(central, hide_index=True, width="stretch", key="central_pick", on_select="rerun",
                         selection_mode="single-row",
                         column_config={"betweenness": st.column_config.NumberColumn(format="%.4f")})
rows = event.selection.rows if event is not None else []
if rows:
    offender_id = str(central.iloc[rows[0]]["offender_id"])
    session.audit_view("Networks", offender_id=offender_id)
    with session.guard():
        journey = reads.journey(key, offender_id, f.window_days)
    details.offender_detail(offender_id, journey, table, mobile_members)

timecontrol.keep_playing("net")
