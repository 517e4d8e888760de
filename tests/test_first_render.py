"""What a dashboard page's first render does not have to pay (issue 18). The prewarm
(somec_graph/app/prewarm.py), on both stores: once it has run for a data version, the first run of
each page it serves makes no cache miss (its reads are the pages' own functions and keys); after a
new load the key changes, the pages show the new data, and a prewarm of a key whose version is gone
caches nothing. The network pictures inline vis-network without importing pyvis, and the period
control's movements per corridor and month are read as column lists, with the same answer."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from fixtures import load_folder
from streamlit.runtime.caching.cache_data_api import get_data_cache_stats_provider
from streamlit.runtime.caching.cache_metrics import CACHE_LOOKUPS_FAMILY, get_cache_metrics
from streamlit.testing.v1 import AppTest

from somec_graph.app import prewarm, reads, session
from somec_graph.roles import User
from somec_graph.store import Store
from somec_graph.synth import generate

PAGES = Path(__file__).resolve().parent.parent / "app_pages"
SERVED = ("1_overview.py", "6_what_if.py", "3_networks.py")  # the pages whose default view it computes


def lookups(result: str) -> Counter[str]:
    """Lookups of our cached reads in this process so far, per function, with this result (hit/miss)."""
    return Counter({s.labels["cache"]: int(s.value) for s in get_cache_metrics().get_stats()[CACHE_LOOKUPS_FAMILY]
                    if s.labels["result"] == result and s.labels["cache"].startswith("somec_graph.")})


def cached_entries() -> int:
    return sum(len(stats) for stats in get_data_cache_stats_provider().get_stats().values())


def run(page: str) -> AppTest:
    at = AppTest.from_file(str(PAGES / page), default_timeout=120).run()
    assert not at.exception and not at.error, [e.value for e in [*at.exception, *at.error]]
    return at


def offenders_shown(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "Offenders")


@pytest.fixture
def no_prewarm_running() -> Iterator[None]:
    """Every prewarm thread (also those a page run started, in earlier tests) has ended."""
    def join() -> None:
        for thread in threading.enumerate():
            if thread.name == prewarm.THREAD_NAME:
                thread.join()
    join()
    yield
    join()


def page_store() -> Store:
    return session.get_store()  # as a page run gets it


def test_after_the_prewarm_each_page_first_run_is_all_cache_hits(store: Store, tmp_path: Path,
                                                                  no_prewarm_running: None) -> None:
    generate(tmp_path / "a", 150, seed=3)
    load_folder(store, tmp_path / "a")
    key = session.data_state().key
    thread = prewarm.start(key, page_store())
    assert thread is not None
    thread.join()
    assert prewarm.start(key, page_store()) is None  # once per process and data key

    misses, hits = lookups("miss"), lookups("hit")
    for page in SERVED:
        run(page)
    assert lookups("miss") == misses, "a page read something the prewarm did not compute"
    assert lookups("hit") - hits  # ... and the pages did read: every read a hit


def test_a_page_run_starts_it_and_a_new_load_changes_the_key(store: Store, tmp_path: Path,
                                                             no_prewarm_running: None) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    generate(a, 120, seed=1)
    generate(b, 150, seed=2)
    load_folder(store, a)
    first = session.data_state().key
    assert offenders_shown(run("1_overview.py")) == "120"
    assert prewarm.start(first, page_store()) is None  # the page run started it for its data version

    load_folder(store, b)
    second = session.data_state().key
    assert second != first
    # the first version's entries are still cached, and not served: the page shows the new version
    assert offenders_shown(run("1_overview.py")) == "150"


def test_a_prewarm_of_a_version_that_is_gone_caches_nothing(store: Store, tmp_path: Path,
                                                            no_prewarm_running: None) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    generate(a, 120, seed=1)
    generate(b, 150, seed=2)
    load_folder(store, a)
    gone = session.data_state().key  # e.g. a page run's, just before the next load
    load_folder(store, b)
    st.cache_data.clear()
    stale = prewarm.start(gone, page_store())
    assert stale is not None
    stale.join()
    assert cached_entries() == 0, "a prewarm of a version that is gone cached its reads"
    again = prewarm.start(gone, page_store())
    assert again is not None, "a torn prewarm may be tried again"
    again.join()


def test_for_a_supervisor_it_computes_the_aggregates_only(seeded: Store, no_prewarm_running: None,
                                                           caplog: pytest.LogCaptureFixture) -> None:
    supervisor = seeded.as_user(User("sue", "supervisor"))
    with session.reading_through(supervisor):
        key = session.data_state().key  # the supervisor's scope is part of it
    misses = lookups("miss")
    thread = prewarm.start(key, supervisor)
    assert thread is not None
    thread.join()
    computed = lookups("miss") - misses
    assert {"somec_graph.app.whatif.summary", "somec_graph.app.reads.state_flow",
            "somec_graph.app.reads.gap_matrix"} <= set(computed)
    assert not {"somec_graph.app.reads.co_offenders", "somec_graph.app.reads.offender_list"} & set(computed)
    assert "prewarm stopped" not in caplog.text  # nothing refused, nothing failed


def test_the_network_pictures_find_vis_network_without_importing_pyvis() -> None:
    code = ("import sys; from somec_graph.app import network_html; js, css = network_html.vis_library_text(); "
            "assert js.startswith('/**\\n * vis-network\\n'), js[:80]; print('pyvis' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "False"


def test_flow_by_month_counts_every_movement_per_corridor_and_month(store: Store, tmp_path: Path) -> None:
    assert reads.flow_by_month(session.data_state().key).empty  # the empty graph: one row of empty lists
    generate(tmp_path / "a", 150, seed=4)
    load_folder(store, tmp_path / "a")
    movements = pd.read_csv(tmp_path / "a" / "movements.csv", dtype=str)
    expected = (movements.assign(month=movements["arrival_date"].str[:7])
                .groupby(["month", "from_state", "to_state"]).size().rename("movements").reset_index()
                [["from_state", "to_state", "month", "movements"]])
    got = reads.flow_by_month(session.data_state().key)
    assert list(got.columns) == ["from_state", "to_state", "month", "movements"]
    assert got.astype(str).values.tolist() == expected.astype(str).values.tolist()  # in the same order
