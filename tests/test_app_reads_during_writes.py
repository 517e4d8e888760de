"""SPEC §2 "Reads while data is written" on the dashboard, on both stores, with AppTest: a page
never shows figures of a half-written graph. It waits while a write is under way — also one that
began after the page's first look at the write marker, in the middle of its reads — says so in
one line, and once the write has finished shows the figures after it, saying that it waited."""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st
from fixtures import load_folder
from streamlit.testing.v1 import AppTest

from somec_graph.analysis import gaps
from somec_graph.store import Store, marker
from somec_graph.synth import generate

OVERVIEW = Path(__file__).resolve().parent.parent / "app_pages" / "1_overview.py"
TOKEN = "writer-on-another-host"
BEING_CHANGED = "The data is being changed: a sync by bea on host-b"
WAITED = "Waited for a sync to finish; these figures are from the data after it."


def claim(store: Store) -> None:
    """A sync begins on another host: its claim of the database's write marker."""
    now = time.time()
    mine = store.run("meta/claim", {"token": TOKEN, "what": "sync", "who": "bea", "host": "host-b",
                                    "owner": "host-b:/data", "now": now, "stale_before": now - 60}, write=True)
    assert mine[0]["mine"]


def finish(store: Store, folder: Path) -> None:
    """That sync ends (its claim released), and a write of new data completes after it."""
    store.run("meta/release", {"token": TOKEN}, write=True)
    load_folder(store, folder)


def texts(at: AppTest) -> str:
    return "\n".join(str(e.value) for kind in ("info", "warning", "caption", "markdown") for e in getattr(at, kind))


def data_sets(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a", tmp_path / "b"
    generate(a, 120, seed=1)
    generate(b, 120, seed=2)
    return a, b


def held_then_waited(at: AppTest, store: Store, rest: Path) -> None:
    """The page shows no figures while the write is under way; once it completes, it says it waited."""
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
    assert not at.metric, "figures shown while a write was under way"
    assert BEING_CHANGED in texts(at)
    finish(store, rest)
    at.run()
    assert not at.exception and not at.error
    assert WAITED in texts(at)


def test_a_page_waits_for_a_write_under_way_and_then_says_it_waited(store: Store, tmp_path: Path) -> None:
    a, b = data_sets(tmp_path)
    load_folder(store, a)
    st.cache_data.clear()
    claim(store)
    at = AppTest.from_file(str(OVERVIEW), default_timeout=90).run()
    held_then_waited(at, store, b)
    arrivals = next(m.value for m in at.metric if m.label == "Counted arrivals")
    assert int(arrivals.replace(",", "")) == gaps.overview(store)["arrivals"]


def started_writing_mid_page() -> None:
    """A page whose data is changed by another host after its first look at the marker, before its reads."""
    import time

    import streamlit as st

    from somec_graph.app import filters, reads, session

    state = session.require_data()
    if not st.session_state.get("claimed"):
        st.session_state["claimed"] = True
        now = time.time()
        session.get_store().run("meta/claim", {"token": "writer-on-another-host", "what": "sync", "who": "bea",
                                               "host": "host-b", "owner": "host-b:/data", "now": now,
                                               "stale_before": now - 60}, write=True)
    figures = reads.overview(state.key, filters.Filters().as_tuple())
    st.metric("Counted arrivals", figures["arrivals"])


def test_a_write_beginning_during_a_page_s_reads_is_waited_for(store: Store, tmp_path: Path) -> None:
    a, b = data_sets(tmp_path)
    load_folder(store, a)
    st.cache_data.clear()
    at = AppTest.from_function(started_writing_mid_page, default_timeout=90).run()
    assert marker.read(store).writing
    held_then_waited(at, store, b)
    assert [m.value for m in at.metric] == [str(gaps.overview(store)["arrivals"])]
