"""Watch rules on the dashboard (SPEC §10), in AppTest on the seed data: the sidebar's total of new
rows, the Work queue page's rules with their new rows marked, and acknowledging in one click."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from test_app import REPO, assert_clean, texts
from test_app_login import login, seeded_with_users

from somec_graph import audit
from somec_graph.app.watching import NEW_COLUMN
from somec_graph.roles import User
from somec_graph.store import Store
from somec_graph.workqueue import alerts, watch

WORK_QUEUE = REPO / "app_pages" / "7_work_queue.py"
WENDY = User("wendy", "analyst", ("DE",))
SIDEBAR_METRIC = "New for your watch rules"


@pytest.fixture(scope="module")
def people(session_store: Store) -> Iterator[Path]:
    yield from seeded_with_users(session_store, "wendy", "sid")


@pytest.fixture
def rules(people: Path, session_store: Store) -> Iterator[Store]:
    store = session_store.as_user(WENDY)
    session_store.run_text("MATCH (w:WatchRule) DETACH DELETE w", write=True)
    watch.add_rule(store, "de-high", "DE", min_risk="high")
    watch.add_rule(store, "de-pending", "DE", statuses="pending", window_days=3000)
    yield store
    session_store.run_text("MATCH (w:WatchRule) DETACH DELETE w", write=True)  # a later load would report them


def _sidebar_total(at) -> str | None:  # noqa: ANN001 - AppTest
    return next((m.value for m in at.sidebar.metric if m.label == SIDEBAR_METRIC), None)


def test_rules_new_rows_marked_and_acknowledged(rules: Store, people: Path) -> None:
    new = alerts.alerts(rules)
    high = new[new["rule"] == "de-high"]["movement_id"].tolist()
    assert high and len(new) > len(high)  # both rules have rows in the seed data
    at = login("wendy")
    at.switch_page(str(WORK_QUEUE)).run()
    assert_clean(at)
    assert _sidebar_total(at) == f"{len(new):,}"
    assert any(m.value.startswith("**de-high** (DE, high risk or higher") and f"**{len(high):,}** new" in m.value
               for m in at.markdown), [m.value for m in at.markdown]
    table = next(f.value for f in at.dataframe if "movement_id" in f.value.columns)
    marked = table[table[NEW_COLUMN].str.contains("de-high")]["movement_id"].tolist()
    assert sorted(marked) == sorted(high)  # the rule's window is the page's: every new row is in the table
    at.button(key="ack_de-high").click().run()
    assert_clean(at)
    assert any(f"Acknowledged {len(high)} row(s) for rule de-high." in s.value for s in at.success)
    assert alerts.alerts(rules, "de-high").empty
    assert _sidebar_total(at) == f"{len(new) - len(high):,}"
    assert at.button(key="ack_de-high").disabled
    table = next(f.value for f in at.dataframe if "movement_id" in f.value.columns)
    assert not table[NEW_COLUMN].str.contains("de-high").any()
    entries = audit.show(people, user="wendy", action="alerts ack")
    assert len(entries) == 1 and "OFF-" not in entries.to_csv()  # offenders as keyed hashes


def test_supervisor_has_no_rules_and_no_total(rules: Store) -> None:
    at = login("sid")
    at.switch_page(str(WORK_QUEUE)).run()
    assert_clean(at)
    assert _sidebar_total(at) is None
    assert "watch rules" not in texts(at).lower() and "OFF-" not in texts(at)
