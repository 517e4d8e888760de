"""Data: upload a data set, see what is wrong with it, and load it — all of it or nothing."""

import pandas as pd
import streamlit as st

from somec_graph.app import reads, session, style, uploads
from somec_graph.errors import SomecGraphError
from somec_graph.ingest.contract import TABLES
from somec_graph.ingest.intake import checked
from somec_graph.ingest.validate import problems_csv

MAX_PROBLEMS_SHOWN = 500

st.title("Data")
st.caption("Upload a data set as CSV files (or one zip of them), check it, then load it into the graph. A data set "
           "with problems loads nothing unless you choose to load only its valid rows.")

# --- what is loaded now --------------------------------------------------------------
with session.guard():
    current = session.data_state()
if current.empty:
    st.info(session.NO_DATA, icon=":material/info:")
else:
    with session.guard():
        counts = reads.counts(current.key)
    nodes = counts[counts["kind"] == "node"].set_index("name")["count"]
    shown = ", ".join(f"{style.fmt_int(nodes.get(label, 0))} {word}" for label, word in (
        ("Offender", "offenders"), ("Conviction", "convictions"), ("Movement", "movements"),
        ("Exchange", "exchanges"), ("Agency", "agencies"), ("State", "states")))
    st.success(f"Loaded: {shown} (data version {current.version}, last load {current.loaded_at or 'unknown'}).",
               icon=":material/database:")
    if current.pending:
        st.warning("The last load did not finish. Load the same data set again to complete it; nothing is counted "
                   "twice.")

# --- upload and validate ---------------------------------------------------------------
if not session.current_user().is_admin:
    st.info("Loading data needs the admin role; ask an administrator to load new data.", icon=":material/lock:")
    st.stop()
st.subheader("1. Upload")
st.caption("Files of the data contract: " + ", ".join(t.file for t in TABLES) + ". states.csv, "
           "offence_categories.csv and mechanisms.csv may be left out: the shipped reference tables are used.")
uploaded = st.file_uploader("Data set files", type=["csv", "zip"], accept_multiple_files=True, key="data_upload")
if not uploaded:
    uploads.remove_dir(st.session_state.pop("data_folder", None))
    st.session_state.pop("data_check", None)
    st.stop()

signature = tuple(sorted((f.name, f.size, getattr(f, "file_id", "")) for f in uploaded))
check = st.session_state.get("data_check")
if not check or check["signature"] != signature:
    uploads.remove_dir(st.session_state.pop("data_folder", None))
    folder = uploads.new_upload_dir()
    st.session_state["data_folder"] = folder
    try:
        with st.spinner("Checking the files ..."):
            notes = uploads.unpack_upload(uploaded, folder)
            dataset = checked(folder) if any(folder.iterdir()) else None
    except SomecGraphError as exc:
        st.error(str(exc), icon=":material/error:")
        st.stop()
    check = {"signature": signature, "notes": notes, "dataset": dataset, "loaded": None}
    st.session_state["data_check"] = check

for note in check["notes"]:
    st.warning(note)
ds = check["dataset"]
if ds is None:
    st.error("None of the uploaded files is a file of the data contract (offenders.csv, movements.csv, ...); "
             "nothing to check.")
    st.stop()

st.subheader("2. Validation report")
rows = pd.DataFrame([{"file": t.file, "valid rows": len(ds.rows.get(t.name, []))} for t in TABLES])
st.dataframe(rows, hide_index=True, width="content")
for w in ds.warnings:
    st.caption(f"Warning: {w}")
if ds.ok:
    st.success(f"No problems found in {style.fmt_int(int(rows['valid rows'].sum()))} rows.", icon=":material/check:")
else:
    st.error(f"{style.fmt_int(len(ds.problems))} problem(s) in {style.fmt_int(ds.rejected_rows)} row(s). Fix them and "
             "upload again, or load only the valid rows below.", icon=":material/error:")
    problems = pd.DataFrame([{"file": p.file, "line": p.line, "column": p.column, "value": p.value,
                              "reason": p.reason} for p in ds.problems[:MAX_PROBLEMS_SHOWN]])
    st.dataframe(problems, hide_index=True, width="stretch")
    if len(ds.problems) > MAX_PROBLEMS_SHOWN:
        st.caption(f"The first {MAX_PROBLEMS_SHOWN} problems are shown; the download lists all of them.")
    st.download_button("Download the problems (CSV)", problems_csv(ds.problems).encode("utf-8"),
                       "rejected-rows.csv", "text/csv", icon=":material/download:",
                       on_click=session.audit_download, args=("rejected-rows.csv",))

# --- load ----------------------------------------------------------------------------
st.subheader("3. Load")
partial = False
if not ds.ok:
    partial = st.checkbox(f"Load only the valid rows (the {style.fmt_int(ds.rejected_rows)} rejected row(s) are left "
                          "out, and so is anything that refers to them)", key="data_partial")
if check["loaded"] is not None:
    st.success("Loaded. Every page now shows the new data.", icon=":material/check_circle:")
    st.dataframe(pd.DataFrame(check["loaded"]), hide_index=True, width="content")
    st.stop()

blocked = not ds.ok and not partial
if st.button("Load into the graph", type="primary", disabled=blocked, icon=":material/upload:", key="data_load"):
    bar = st.progress(0.0, text="Starting ...")
    steps: list[str] = []
    total_steps = len(TABLES) + 1  # every file, then the derived facts

    def progress(step: str, done: int, total: int) -> None:
        if step not in steps:
            steps.append(step)
        fraction = (len(steps) - 1 + (done / total if total else 1.0)) / total_steps
        bar.progress(min(fraction, 1.0), text=f"{step}: {done:,} of {total:,}")

    try:
        summary = uploads.run_load(ds, progress, skip_invalid=partial)
    except SomecGraphError as exc:
        bar.empty()
        st.error(f"{exc} If the load had started, load the same data set again to complete it (nothing is counted "
                 "twice).", icon=":material/error:")
        st.stop()
    bar.progress(1.0, text="Done.")
    check["loaded"] = summary.rows()
    uploads.clear_caches()
    st.rerun()
if blocked:
    st.caption("Loading is disabled while the data set has problems: nothing is loaded unless every row is valid "
               "or you tick 'load only the valid rows'.")
