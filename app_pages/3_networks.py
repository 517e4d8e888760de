"""Networks: how offenders flow between states, and who offends (and travels) together."""

import streamlit as st

from somec_graph.app import filters, maps, network, reads, session, style

st.title("Networks")
st.caption("The state flow network on capital coordinates, and the co-offender network of offenders convicted in "
           "the same case.")

state = session.require_data()
f = filters.sidebar_filters(state, show=("period", "window"))
limit = int(st.session_state.get("max_network_nodes", style.MAX_NETWORK_NODES))
key = state.key

# --- state flow ------------------------------------------------------------------
st.header("State flow")
with session.guard(), st.spinner("Building the state flow network ..."):
    edges, hubs = reads.state_flow(key, f.as_tuple())
    state_table = reads.states(key)
names = dict(zip(state_table["code"], state_table["name"]))
if edges.empty:
    st.info("No movements in the chosen period, so there is no flow to draw. Widen the period in the sidebar.")
else:
    top = int(edges["movements"].max())
    # Start with about the 60 busiest corridors: hundreds of arcs hide each other.
    busiest_60 = int(edges["movements"].nlargest(60).min())
    min_moves = st.slider("Hide corridors with fewer movements than", 1, max(2, top), value=max(1, busiest_60),
                          key="flow_min_movements",
                          help="Thin corridors clutter the map; the hub table below always counts every movement.")
    shown = edges[edges["movements"] >= min_moves]
    busiest = edges.sort_values(["movements", "from_state"], ascending=[False, True]).iloc[0]
    route = " → ".join(names.get(busiest[end], busiest[end]) for end in ("from_state", "to_state"))
    st.markdown(
        f"{style.fmt_int(edges['movements'].sum())} movements along {style.fmt_int(len(edges))} corridors between "
        f"{style.fmt_int(len(set(edges['from_state']) | set(edges['to_state'])))} states; the busiest is "
        f"{route} ({style.fmt_int(busiest['movements'])} movements, gap rate {style.fmt_pct(busiest['gap_rate'])}). "
        f"Showing the {style.fmt_int(len(shown))} corridors with at least {min_moves} movements.")
    nodes_drawn = len(set(shown["from_state"]) | set(shown["to_state"]))
    if network.too_many_nodes(nodes_drawn, limit):
        st.warning(f"This view would draw {nodes_drawn:,} states, more than the browser handles smoothly ({limit}); "
                   "raise the minimum number of movements or narrow the period.")
    else:
        chart = maps.state_flow_map(shown, state_table)
        if chart is None:
            st.info("No corridor has both states with capital coordinates in states.csv, so there is nothing to draw.")
        else:
            st.caption("Arc width = movements; colour = share of counted arrivals notified late or never (grey: none "
                       "whose window has closed); each arc bends to the right of its direction of travel. Hover an "
                       "arc for its numbers; scroll to zoom, drag to pan.")
            st.altair_chart(chart, width="content")
    st.subheader("Transit hubs")
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
    st.stop()

communities = table["community"].value_counts().sort_index()
groups_shown = st.container()
c1, c2 = st.columns([2, 1])
picked = c1.multiselect("Communities", communities.index.tolist(), key="co_communities",
                        format_func=lambda c: f"community {c} ({communities[c]} offenders)",
                        help="Empty: all communities.")
only_mobile = c2.toggle("Only mobile groups and their co-defendants", key="co_only_mobile")
with session.guard():
    count, html, mobile_members = reads.co_offender_view(key, days, tuple(sorted(picked)), only_mobile, limit)
groups_shown.markdown(
    f"{style.fmt_int(graph.number_of_nodes())} offenders share a case with at least one other; they form "
    f"{style.fmt_int(len(communities))} communities. {style.fmt_int(len(groups))} mobile group(s): co-defendants who "
    f"arrived in the same state within {days} days of each other ({style.fmt_int(len(mobile_members))} offenders).")
if count == 0:
    st.info("No offender matches this selection; clear the communities or turn off 'only mobile groups'.")
elif html is None:
    st.warning(f"This view would draw {count:,} offenders, more than the browser handles smoothly "
               f"({limit}). Pick one or more communities above, or turn on 'only mobile groups'. Meanwhile, here "
               "is the network summarised by community.")
    sizes = communities.rename_axis("community").reset_index(name="offenders")
    st.bar_chart(sizes.head(40), x="community", y="offenders", width="stretch")
else:
    st.caption("Colour = community; ringed and larger = member of a mobile group; orange links = co-defendants "
               "who travelled together. Hover a node for details.")
    st.iframe(html, height=700, alt="Co-offender network")

c1, c2 = st.columns(2)
with c1:
    st.subheader("Mobile groups")
    if groups.empty:
        st.info(f"No co-defendants arrived in the same state within {days} days of each other.")
    else:
        st.dataframe(groups, hide_index=True, width="stretch")
with c2:
    st.subheader("Most central co-offenders")
    central = table.sort_values(["degree", "betweenness", "offender_id"], ascending=[False, False, True])
    st.dataframe(central.head(15), hide_index=True, width="stretch",
                 column_config={"betweenness": st.column_config.NumberColumn(format="%.3f")})
