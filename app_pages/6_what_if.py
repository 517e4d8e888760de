"""What if, for supervisors: how many of the gaps would a rule close? (SPEC §7)

Hypothetical exchanges are computed per view; the loaded graph never changes. Aggregates only.
"""

import streamlit as st

from somec_graph.access.disclosure import fewer_than, visible
from somec_graph.analysis.whatif import DEFAULT_NOTICE_DAYS, DEFAULT_REPLY_DAYS, RULES
from somec_graph.app import captions, charts, downloads, filters, reads, session, style, whatif

st.title("What if")
st.caption("How many information gaps would close if the mechanisms were used as the law or good practice "
           "intends? Each rule adds hypothetical exchanges; nothing in the data changes.")

state = session.require_data()
f = filters.sidebar_filters(state)
key, ft = state.key, f.as_tuple()

left, mid, right = st.columns([3, 1, 1])
rules = left.multiselect("Rules", RULES, default=list(RULES), key="whatif_rules",
                         help="Applied in this order, each seeing the exchanges of those before it: "
                              + "; ".join(f"{r} — if {captions.RULE_WORDS[r]}" for r in RULES).format(
                                  notice="N", reply="N") + ".")
notice_days = int(mid.number_input("Notice days", 0, 365, DEFAULT_NOTICE_DAYS, key="whatif_notice",
                                   help="Days from a conviction (or an arrival, for FD 947) to the notice."))
reply_days = int(right.number_input("Reply days", 0, 365, DEFAULT_REPLY_DAYS, key="whatif_reply",
                                    help="Days from a detected arrival to the ECRIS reply of the state of nationality."))
if not rules:
    st.info("Choose at least one rule.")
    st.stop()
chosen = tuple(r for r in RULES if r in rules)

with session.guard(), st.spinner("Applying the rules ..."):
    summary = whatif.summary(key, f.window_days, notice_days, reply_days)
    totals = whatif.totals(key, ft, chosen, notice_days, reply_days)
    before = reads.gap_matrix(key, ft)
    after = whatif.matrix(key, ft, chosen, notice_days, reply_days)
    trend_before = reads.yearly(key, ft)
    trend_after = whatif.yearly(key, ft, chosen, notice_days, reply_days)

shown_before, shown_after = visible(before), visible(after)
gaps_before, gaps_after = totals["gaps_before"], totals["gaps_after"]
rate = whatif.rates(totals)
best, best_closed = whatif.best_rule(summary)

c1, c2, c3, c4 = st.columns(4)
c1.metric("Gap rate as recorded", style.fmt_pct(rate["before"]),
          border=True, help="Late or never notified, over counted arrivals whose window has closed.")
c2.metric("Gap rate with the rules", style.fmt_pct(rate["after"]),
          delta=None if rate["points"] is None else f"{rate['points']:+.0f} points",
          delta_color="inverse", border=True)
c3.metric("Gaps closed", style.fmt_int(gaps_before - gaps_after), border=True,
          help=f"Of {style.fmt_int(gaps_before)} arrivals notified late or never.")
c4.metric("Closes most on its own", best, border=True,
          help=f"{style.fmt_int(best_closed)} gaps closed by this rule alone, over all counted arrivals.")

st.markdown(captions.whatif_sentence(chosen, gaps_before, gaps_after, notice_days=notice_days,
                                     reply_days=reply_days))

left, right = st.columns(2)
with left:
    st.subheader("Gap rate per year, before and after")
    if visible(trend_before).empty:
        st.info("No counted arrivals match these filters.")
    else:
        st.altair_chart(charts.before_after_trend(visible(trend_before), visible(trend_after)), width="stretch")
with right:
    st.subheader("Each rule alone")
    st.caption("Over all counted arrivals (the sidebar's filters do not apply here); `all` is the four together.")
    st.dataframe(summary, hide_index=True, width="stretch", column_config={
        "gap_rate_before": st.column_config.ProgressColumn("gap rate before", format="percent", min_value=0,
                                                           max_value=1),
        "gap_rate_after": st.column_config.ProgressColumn("gap rate after", format="percent", min_value=0,
                                                          max_value=1)})

st.subheader("Gaps closed per corridor")
closed = charts.gaps_closed(shown_before, shown_after)
hidden = len(before) - len(shown_before)
if closed.empty:
    st.info("No counted arrivals match these filters.")
else:
    note = (f" {hidden} corridor{'s' * (hidden != 1)} counted from {fewer_than(session.get_store().settings.min_cell)}"
            " arrivals are not shown (disclosure control)." if hidden else "")
    st.caption("The darker, the more of a corridor's late or never-notified arrivals the rules would close." + note)
    st.altair_chart(charts.gaps_closed_heatmap(closed), width="stretch")
    st.download_button("Download gaps closed per corridor (CSV)", downloads.safe_csv(closed), "gaps-closed.csv",
                       "text/csv", icon=":material/download:", on_click=session.audit_download,
                       args=("gaps-closed.csv",))
