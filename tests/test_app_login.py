"""The dashboard with users configured: login, roles, jurisdiction, session timeout, audit.

Users are added to the session's data folder for this module only (a dashboard
with users always asks for a login), and removed afterwards.
"""

from __future__ import annotations

import csv
import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures import ensure_seed
from streamlit.testing.v1 import AppTest
from test_app import REPO, TIMEOUT, texts

from somec_graph import audit
from somec_graph.access import users
from somec_graph.access.login import SESSION_IDLE_MINUTES
from somec_graph.analysis import gaps
from somec_graph.app.session import SESSION_KEY
from somec_graph.resources import SEED_DIR
from somec_graph.store import Store

PASSWORD = "correct horse battery staple"
PAGES = REPO / "app_pages"


def seeded_with_users(store: Store, analyst: str, supervisor: str) -> Iterator[Path]:
    """The seed data and two dashboard users (an analyst for DE, a supervisor) for a module's tests."""
    ensure_seed(store)
    data_dir = store.settings.data_dir
    for name, role, states in ((analyst, "analyst", ["DE"]), (supervisor, "supervisor", None)):
        users.add_user(data_dir, name, role, PASSWORD, states=states)
    yield data_dir
    for name in (analyst, supervisor):
        users.remove_user(data_dir, name)


@pytest.fixture(scope="module")
def with_users(session_store: Store) -> Iterator[Path]:
    yield from seeded_with_users(session_store, "ana", "sue")


def login(name: str, password: str = PASSWORD) -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT).run()
    at.text_input(key="login_name").input(name)
    at.text_input(key="login_password").input(password)
    at.button[0].click().run()
    return at


def seed_offenders_involving(state: str) -> set[str]:
    """Worked out from the seed CSV files, not by the code under test."""
    agencies = {r["agency_id"]: r["state"] for r in csv.DictReader(open(SEED_DIR / "agencies.csv"))}
    found: set[str] = set()
    for r in csv.DictReader(open(SEED_DIR / "convictions.csv")):
        if r["state"] == state:
            found.add(r["offender_id"])
    for r in csv.DictReader(open(SEED_DIR / "movements.csv")):
        if state in (r["from_state"], r["to_state"]):
            found.add(r["offender_id"])
    for r in csv.DictReader(open(SEED_DIR / "exchanges.csv")):
        if state in (agencies[r["sender"]], agencies[r["recipient"]]):
            found.add(r["offender_id"])
    return found


def test_nothing_without_a_login(with_users: Path) -> None:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert at.text_input(key="login_password")
    assert not at.metric and not at.dataframe


def test_a_page_opened_directly_asks_for_a_login_too(with_users: Path) -> None:
    at = AppTest.from_file(str(PAGES / "2_movement_explorer.py"), default_timeout=TIMEOUT).run()
    assert at.text_input(key="login_password") and not at.dataframe


def test_wrong_password_is_refused_and_audited(with_users: Path) -> None:
    at = login("ana", "not the password at all")
    assert any("Wrong user name or password" in e.value for e in at.error)
    assert not at.metric
    entries = audit.show(with_users, user="ana", action="login failed")
    assert len(entries) >= 1 and PASSWORD not in entries.to_csv() and "not the password" not in entries.to_csv()


def test_supervisor_sees_aggregates_but_no_offender(with_users: Path) -> None:
    at = login("sue")
    assert not at.exception and at.metric, "the Overview shows its figures"
    at.switch_page(str(PAGES / "2_movement_explorer.py")).run()
    assert any("aggregates only" in e.value for e in at.error)
    assert "OFF-" not in texts(at)
    assert not at.selectbox, "not even the offender picker may be drawn"
    assert "offender" not in at.query_params
    denied = audit.show(with_users, user="sue", action="denied")
    assert len(denied) >= 1


def test_only_an_admin_may_load(with_users: Path) -> None:
    at = login("sue")
    at.switch_page(str(PAGES / "5_data.py")).run()
    assert not at.exception
    assert any("admin role" in i.value for i in at.info)
    assert not at.get("file_uploader")


def test_signing_out_forgets_everything_of_the_session(with_users: Path) -> None:
    at = login("ana")
    at.switch_page(str(PAGES / "2_movement_explorer.py")).run()
    assert at.selectbox(key="explorer_offender").value
    at.button(key="sign_out").click().run()
    assert at.text_input(key="login_password")
    assert "explorer_offender" not in at.session_state and SESSION_KEY not in at.session_state


def test_the_audit_log_says_which_offender_an_analyst_looked_at(with_users: Path) -> None:
    at = login("ana")
    at.switch_page(str(PAGES / "2_movement_explorer.py")).run()
    offender = at.selectbox(key="explorer_offender").value
    views = audit.show(with_users, user="ana", action="view")
    assert not any(offender in p for p in views["params"])  # the log holds its keyed hash, never the id
    assert not audit.show(with_users, user="ana", action="view", offender=offender).empty


def test_analyst_sees_only_offenders_of_their_jurisdiction(with_users: Path) -> None:
    at = login("ana")
    at.switch_page(str(PAGES / "2_movement_explorer.py")).run()
    assert not at.exception
    options = {option.split(" · ")[0] for option in at.selectbox(key="explorer_offender").options}
    assert options == seed_offenders_involving("DE")


def test_session_times_out(with_users: Path) -> None:
    at = login("ana")
    assert at.session_state[SESSION_KEY]["user"].name == "ana"
    at.session_state[SESSION_KEY]["seen"] = time.time() - (SESSION_IDLE_MINUTES + 1) * 60
    at.run()
    assert at.text_input(key="login_password")
    assert any("sign in again" in i.value for i in at.info)


def test_views_and_logins_are_in_an_intact_audit_log(with_users: Path) -> None:
    login("ana")
    entries = audit.show(with_users, user="ana")
    assert {"login", "view"} <= set(entries["action"])
    assert audit.verify(with_users) == []


def _heatmap_layers(at: AppTest) -> list[dict]:
    specs = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    return next(s["layer"] for s in specs if "layer" in s and s["layer"][0]["mark"].get("type") == "rect")


def test_supervisor_never_sees_a_rate_from_fewer_than_min_cell_arrivals(with_users: Path,
                                                                         session_store: Store) -> None:
    small = gaps.matrix(session_store).query("movements < 5")
    assert len(small) > 10, "the seed data has small corridors to suppress"
    at = login("sue")
    assert not at.exception
    assert any(f"Grey: {len(small)} corridors counted from fewer than 5 arrivals" in c.value for c in at.caption)
    layers = _heatmap_layers(at)
    assert len(layers) == 2 and layers[1]["mark"]["color"] == "#DDDDDD"
    corridors = next(f.value for f in at.dataframe if "corridor" in f.value.columns)
    assert (corridors["arrivals"] >= 5).all()
    at = login("ana")  # analysts see every cell
    assert not any(c.value.startswith("Grey:") for c in at.caption)
    assert len(_heatmap_layers(at)) == 1


def test_supervisor_gets_aggregate_queries_under_disclosure_control(with_users: Path,
                                                                   session_store: Store) -> None:
    full = session_store.frame("queries/top_corridors", {"date_from": None, "date_to": None, "limit": 500})
    assert (full["offenders"] < 5).any() and (full["offenders"] >= 5).any()
    at = login("sue")
    at.switch_page(str(PAGES / "4_query_console.py")).run()
    at.selectbox(key="console_query").set_value("top_corridors").run()
    at.number_input(key="console_top_corridors_limit").set_value(500)
    at.button(key="FormSubmitter:console_form-Run query").click().run()
    assert not at.exception
    shown = at.dataframe[0].value
    small = shown[shown["suppressed"]]
    assert len(small) == int((full["offenders"] < 5).sum())
    assert small["offenders"].isna().all() and small["movements"].isna().all()  # no count, no rate
    assert (shown.loc[~shown["suppressed"], "offenders"] >= 5).all()
