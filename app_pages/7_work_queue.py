"""Work queue for analysts: who has arrived in my state that we were never told about, and whom
do I ask? (SPEC §8) Analysts see their own states' queues (an admin any state) and record cases;
supervisors see how many rows each state's queue holds, never the rows."""

from datetime import date

import streamlit as st

from somec_graph.access.disclosure import fewer_than, visible
from somec_graph.app import charts, downloads, maps, reads, session, style, watching, workqueue
from somec_graph.vocab import RISK_LEVELS
from somec_graph.workqueue.cases import CLOSE_REASONS

st.title("Work queue")
st.caption("Counted arrivals the receiving state has not been told about (or whose window is still open), where "
           "the offender is, as far as the data shows, still in that state — with the request that would tell it.")

state = session.require_data()
user = session.get_store().user

if not user.may_see_offenders:
    st.subheader("Open work per state")
    with session.guard():
        counts = workqueue.counts()
    shown = visible(counts)
    st.caption("Rows of each receiving state's queue by what analysts recorded (aggregates only). States with "
               f"{fewer_than(session.get_store().settings.min_cell)} rows are not shown (disclosure control).")
    st.dataframe(shown, hide_index=True, width="stretch")
    st.stop()

with session.guard():
    state_table = reads.states(state.key)
names = dict(zip(state_table["code"], state_table["name"]))
choices = list(user.states) if user.role == "analyst" else list(names)
left, mid, right = st.columns([2, 1, 1])
receiving = left.selectbox("Receiving state", choices, key="queue_state",
                           format_func=lambda c: f"{c} – {names.get(c, c)}",
                           help="Analysts see the queues of their own states.")
window = int(mid.number_input("Notification window (days)", 0, 365, 30, key="queue_window"))
with session.guard(), st.spinner("Building the queue ..."):
    rows = workqueue.queue(receiving, window)
if "queue_flash" in st.session_state:  # what the last submit recorded, shown after its rerun
    st.success(st.session_state.pop("queue_flash"), icon=":material/check:")
with session.guard():
    new_ids = watching.rules_panel()  # the user's watch rules (SPEC §10): new rows, acknowledge
if rows.empty:
    st.success(f"Nothing waiting for {names.get(receiving, receiving)}: every counted arrival there was notified, "
               "or the offender has moved on.", icon=":material/task_alt:")
    st.stop()

risks = right.multiselect("Risk", list(reversed(RISK_LEVELS)), default=[], key="queue_risk",
                          format_func=lambda r: style.RISK_LABELS[r], placeholder="any")
actions_wanted = st.multiselect("Recommended request", sorted(rows["action"].unique()), default=[],
                                key="queue_action", placeholder="any")
keep = rows["risk_level"].isin(risks or RISK_LEVELS) & rows["action"].isin(actions_wanted or rows["action"])
view = rows[keep].reset_index(drop=True)
open_rows = int((rows["case_status"] == "open").sum())
c1, c2, c3 = st.columns(3)
c1.metric("In the queue", style.fmt_int(len(rows)), border=True)
c2.metric("Nothing recorded yet", style.fmt_int(open_rows), border=True)
c3.metric("Very high or high risk", style.fmt_int(int(rows["risk_level"].isin(["very_high", "high"]).sum())),
          border=True)

st.caption("Select a row to see the offender's journey and to record what you did.")
picked = st.dataframe(watching.marked(view, new_ids), hide_index=True, width="stretch", key="queue_table", on_select="rerun",
                      selection_mode="single-row", column_config={
                          "risk_level": st.column_config.TextColumn("risk"),
                          "days_since_arrival": st.column_config.NumberColumn("days since arrival", format="%d"),
                          "via": st.column_config.TextColumn("ask"),
                          "case_status": st.column_config.TextColumn("case"),
                          watching.NEW_COLUMN: st.column_config.TextColumn(
                              help="The watch rules this row is new for (not yet acknowledged).")})
left, right = st.columns(2)
left.download_button("Download the queue (CSV, for case management)", downloads.safe_csv(view),
                     f"work-queue-{receiving}.csv", "text/csv", icon=":material/download:",
                     on_click=session.audit_download, args=(f"work-queue-{receiving}.csv",))
right.download_button("Download the queue (JSON)", view.to_json(orient="records", indent=1).encode(),
                      f"work-queue-{receiving}.json", "application/json", icon=":material/data_object:",
                      on_click=session.audit_download, args=(f"work-queue-{receiving}.json",))

chosen = picked.selection.rows if picked and picked.selection else []
if not chosen:
    st.stop()
row = view.iloc[chosen[0]]
session.audit_view("Work queue", offender_id=str(row["offender_id"]))

st.subheader(f"{row['offender_id']}: arrived in {names.get(row['to_state'], row['to_state'])} on "
             f"{row['arrival_date']}, {row['days_since_arrival']} days ago")
st.markdown(f"Assessed **{style.RISK_LABELS[row['risk_level']]} risk**; latest violent or sexual conviction in "
            f"{names.get(row['conviction_state'], row['conviction_state'])}. Recommended: **{row['action']}** "
            f"via **{names.get(row['via'], row['via'])}**. Case: **{row['case_status']}**.")
with session.guard():
    journey = reads.journey(state.key, str(row["offender_id"]), window)
if not journey.empty:
    st.altair_chart(charts.journey_timeline(journey, as_of=reads.as_of_date(state.key)), width="stretch")
    st.altair_chart(maps.journey_map(journey, state_table), width="content")

with st.form("record_case", clear_on_submit=True):
    st.markdown("**Record a case**")
    status = st.radio("Status", ["requested", "closed"], horizontal=True, key="case_status")
    c1, c2, c3 = st.columns(3)
    mechanism = c1.selectbox("Mechanism used (requested)", workqueue.mechanisms(state.key), key="case_mechanism",
                             index=None, placeholder="choose")
    requested = c2.date_input("Requested on", date.today(), key="case_date")
    reason = c3.selectbox("Reason (closed)", CLOSE_REASONS, key="case_reason", index=None, placeholder="choose",
                          format_func=lambda r: r.replace("_", " "))
    note = st.text_area("Note", key="case_note", max_chars=2000)
    if st.form_submit_button("Record", type="primary"):
        details = ({"mechanism": mechanism, "requested_date": requested.isoformat()} if status == "requested"
                   else {"reason": reason})
        with session.guard():
            workqueue.record_case(str(row["movement_id"]), status, note=note, **details)
        st.session_state["queue_flash"] = f"Case recorded on {row['movement_id']}: {status}."
        st.rerun()
