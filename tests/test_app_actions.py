"""The pages that act on the gaps, in AppTest: What if (supervisors) and Work queue (analysts
record cases on their own states' rows; supervisors see counts per state, never rows)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest
from test_app import REPO, TIMEOUT, assert_clean, texts
from test_app_login import login, seeded_with_users

from somec_graph import audit
from somec_graph.analysis import whatif
from somec_graph.store import Store
from somec_graph.workqueue import queue

WHAT_IF = REPO / "app_pages" / "6_what_if.py"
WORK_QUEUE = REPO / "app_pages" / "7_work_queue.py"


@pytest.fixture(scope="module")
def people(session_store: Store) -> Iterator[Path]:
    yield from seeded_with_users(session_store, "wanda", "sam")


def test_what_if_says_how_many_gaps_all_rules_close(seeded: Store) -> None:
    at = AppTest.from_file(str(WHAT_IF), default_timeout=TIMEOUT).run()
    assert_clean(at)
    total = whatif.summary(seeded).set_index("rule").loc["all"]
    closed = int(total["gaps_before"] - total["gaps_after"])
    assert closed > 0, "the rules close gaps in the seed data"
    assert next(m.value for m in at.metric if m.label == "Gaps closed") == f"{closed:,}"
    sentence = next(m.value for m in at.markdown if m.value.startswith("If every conviction abroad"))
    assert f", {closed:,} of {int(total['gaps_before']):,} gaps" in sentence
    assert len(at.get("vega_lite_chart")) == 2  # before/after per year, and gaps closed per corridor
    assert "OFF-" not in texts(at)  # aggregates only


def test_what_if_with_one_rule(seeded: Store) -> None:
    at = AppTest.from_file(str(WHAT_IF), default_timeout=TIMEOUT).run()
    at.multiselect(key="whatif_rules").set_value(["ecris-on-arrival"]).run()
    assert_clean(at)
    alone = whatif.summary(seeded).set_index("rule").loc["ecris-on-arrival"]
    closed = int(alone["gaps_before"] - alone["gaps_after"])
    assert next(m.value for m in at.metric if m.label == "Gaps closed") == f"{closed:,}"
    assert any(m.value.startswith("If every detected arrival were checked through ECRIS") for m in at.markdown)


def _chart_rows(chart: Any) -> pd.DataFrame:
    """The rows a Vega-Lite chart of the page was given (Streamlit sends them as Arrow tables)."""
    return pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_all().to_pandas()


def test_analyst_records_a_case_on_a_queue_row(people: Path, session_store: Store) -> None:
    at = login("wanda")
    at.switch_page(str(WORK_QUEUE)).run()
    assert_clean(at)
    assert at.selectbox(key="queue_state").options == ["DE – Germany"]  # only the analyst's own state
    rows = queue.queue(session_store, "DE")
    table = next(f for f in at.dataframe if "movement_id" in f.value.columns)
    assert table.value["movement_id"].tolist() == rows["movement_id"].tolist()
    first = rows.iloc[0]
    at.session_state["queue_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert_clean(at)
    assert any(str(first["offender_id"]) in s.value for s in at.subheader), ([s.value for s in at.subheader], first)
    # the timeline's last stay runs to the queue's as-of day, however long ago the arrival was
    bars = _chart_rows(at.get("vega_lite_chart")[0])
    as_of = pd.Timestamp(first["arrival_date"]) + pd.Timedelta(days=int(first["days_since_arrival"]))
    assert bars["end"].max() >= as_of, (bars[["start", "end"]], as_of)
    at.radio(key="case_status").set_value("requested")
    at.selectbox(key="case_mechanism").set_value("ECRIS")
    at.text_area(key="case_note").input("asked the central authority")
    at.button(key="FormSubmitter:record_case-Record").click().run()
    assert_clean(at)
    assert any(f"Case recorded on {first['movement_id']}: requested" in s.value for s in at.success), (
        [e.value for e in at.error], [s.value for s in at.success], [i.value for i in at.info])
    after = queue.queue(session_store, "DE").set_index("movement_id")
    assert after.loc[first["movement_id"], "case_status"] == "requested"
    entries = audit.show(people, user="wanda", action="case")
    assert len(entries) >= 1 and str(first["offender_id"]) not in entries.to_csv()  # keyed hash, never the id


def test_supervisor_sees_queue_counts_never_rows(people: Path) -> None:
    at = login("sam")
    at.switch_page(str(WORK_QUEUE)).run()
    assert_clean(at)
    frame = next(f.value for f in at.dataframe)
    assert list(frame.columns[:5]) == ["state", "rows", "open", "requested", "closed"]
    assert (frame["rows"] >= 5).all()  # disclosure control
    assert "OFF-" not in texts(at) and "MOV-" not in texts(at)
