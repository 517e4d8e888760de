"""Overview for supervisors: where information fails to follow offenders, and whether it improves.

No offender ids on this page: only counts, rates and corridors.
"""

import streamlit as st

from somec_graph.access.disclosure import fewer_than, visible
from somec_graph.app import captions, charts, details, downloads, filters, maps, reads, reports, session, style

st.title("Overview")
st.caption("Arrivals of offenders convicted of a violent or sexual offence, and whether the receiving state was told.")

state = session.require_data()
f = filters.sidebar_filters(state)
key, ft = state.key, f.as_tuple()

with session.guard(), st.spinner("Computing the gaps ..."):
    kpis = reads.overview(key, ft)
    matrix = reads.gap_matrix(key, ft)
    trend = reads.yearly(key, ft)
    mechanisms = reads.mechanisms(key, f.date_from, f.date_to, f.states, f.min_risk)
    offenders = reads.offenders_by_risk(key)
    names = dict(zip(*[reads.states(key)[c] for c in ("code", "name")]))
min_cell = session.get_store().settings.min_cell
hidden = int(matrix["suppressed"].sum()) if not matrix.empty else 0

at_risk = filters.at_least(offenders, f.min_risk)
c1, c2, c3, c4, c5 = st.columns(5)
c1.metric("Offenders", style.fmt_int(int(at_risk["offenders"].sum())), border=True,
          help="Offenders in the data set (at or above the chosen minimum risk level).")
c2.metric("Counted arrivals", style.fmt_int(kpis["arrivals"]), border=True,
          help="Arrivals of offenders who had a violent or sexual conviction by the day they arrived.")
c3.metric("Gap rate", style.fmt_pct(kpis["gap_rate"]), border=True,
          help=f"Share of arrivals (window closed) the receiving state learnt of more than {f.window_days} days "
               "after arrival, or never.")
c4.metric("Median lag", style.fmt_days(kpis["median_lag_days"]), border=True,
          help="Median days from arrival to the receiving state being told, over arrivals it was told about after "
               "arrival.")
c5.metric("Unnotified (12 mo.)", style.fmt_int(kpis["unnotified_last_12_months"]), border=True,
          help=f"Arrivals in the 12 months up to {kpis['as_of']} that the receiving state has never been told about "
               f"(more than {f.window_days} days after arrival).")

who = captions.describe_filters(**f.caption_kwargs())["who"]
st.markdown(captions.overview_caption(kpis, f.window_days, **f.caption_kwargs()))
worst = captions.worst_state_caption(captions.worst_receiving_state(visible(matrix)), names, who)
if worst:
    st.markdown(worst)

reports.download_buttons(f)

if matrix.empty:
    st.info("No counted arrivals match these filters, so there is no gap matrix to show. Widen the period, lower "
            "the minimum risk level or clear the states in the sidebar.")
else:
    st.subheader("Gap matrix: sending × receiving state")
    st.caption("Each cell is one corridor; the darker, the larger the share of arrivals notified late or never, "
               "and the paler, the fewer arrivals stand behind that share. Hover a cell for its numbers and the "
               "95% interval of its rate.")
    if hidden:
        st.caption(f"Grey: {hidden} corridor{'s' * (hidden != 1)} counted from {fewer_than(min_cell)} arrivals, "
                   "shown without a rate (disclosure control).")
    st.altair_chart(charts.gap_heatmap(matrix, names, min_cell), width="stretch")
    st.download_button("Download the gap matrix (CSV)", downloads.safe_csv(matrix), "gap-matrix.csv", "text/csv",
                       icon=":material/download:", on_click=session.audit_download, args=("gap-matrix.csv",))

if not matrix.empty:
    st.subheader("Gap rate by receiving state")
    left, right = st.columns([3, 2])
    with left:
        st.caption("Share of counted arrivals in each state that it was told of late or never, over every sending "
                   "state (pale: no arrival whose window has closed). **Click a state** for its profile.")
        event = st.altair_chart(maps.gap_choropleth(reads.receiving_rates(key, ft)), width="content",
                                key="gap_map", on_select="rerun", selection_mode=maps.STATE_PICK)
    with right:
        codes = sorted(set(matrix["to_state"]))
        chosen = maps.picked(event, maps.STATE_PICK, "code") or st.selectbox(
            "Or choose a receiving state", [None, *codes], key="overview_state",
            format_func=lambda c: "–" if c is None else f"{c} – {names.get(c, c)}")
        if chosen:
            shown = visible(matrix)
            details.state_detail(chosen, reads.states(key), None, shown[shown["to_state"] == chosen])

left, right = st.columns(2)
with left:
    st.subheader("Gap rate per year")
    if trend.empty:
        st.info("No counted arrivals match these filters.")
    else:
        st.caption("Line: share notified late or never. Bars: number of counted arrivals.")
        st.altair_chart(charts.trend_chart(visible(trend)), width="stretch")
with right:
    st.subheader("What the receiving state knew")
    if trend.empty:
        st.info("No counted arrivals match these filters.")
    else:
        st.caption("Share of arrivals per year by status.")
        st.altair_chart(charts.status_mix_chart(visible(trend)), width="stretch")

left, right = st.columns(2)
with left:
    st.subheader("Exchanges per mechanism")
    mechanisms = visible(mechanisms)
    if mechanisms.empty:
        st.info("No information exchanges match the period, states and risk level chosen.")
    else:
        total = int(mechanisms["exchanges"].sum())
        top = mechanisms.iloc[0]
        st.caption(f"{style.fmt_int(total)} exchanges sent in the period; {top['mechanism']} carried "
                   f"{style.fmt_pct(top['exchanges'] / total)} of them. Requests inform nobody until answered. "
                   "(The offence-group filter does not apply to exchanges.)")
        st.altair_chart(charts.mechanism_chart(mechanisms), width="stretch")
with right:
    st.subheader("Corridors with the most gaps")
    table = charts.corridor_table(visible(matrix), names)
    if table.empty:
        st.info("No corridors match these filters.")
    else:
        st.caption("Sending → receiving state, by number of arrivals notified late or never.")
        st.dataframe(table, hide_index=True, width="stretch", column_config={
            "gap rate": st.column_config.ProgressColumn("gap rate", format="percent", min_value=0, max_value=1),
            "median lag (days)": st.column_config.NumberColumn(format="%.0f"),
        })
