"""SPEC §10: watch rules and alerts, on the hand-made data set of test_queue.py (DE's queue is its
EXPECTED, worked out by hand there). Expected alerts are that list filtered by the rule, by hand."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from fixtures import load_folder, run_cli, wipe, write_dataset
from test_queue import EXPECTED, MOVEMENTS, OFFENDERS, _tables

from somec_graph import audit
from somec_graph.access import users
from somec_graph.errors import AccessDenied, SomecGraphError
from somec_graph.ingest.contract import RECORDED_LABELS, RECORDED_LINKS
from somec_graph.ingest.erase import erase_offenders
from somec_graph.resources import CYPHER_DIR
from somec_graph.roles import User
from somec_graph.store import Store
from somec_graph.workqueue import alerts, watch
from somec_graph.workqueue.queue import QUEUE_COLUMNS

ANA = User("ana", "analyst", ("DE",))
FRA = User("fra", "analyst", ("FR", "IT"))
SUP = User("sup", "supervisor")
HIGH = ("high", "very_high")
# Two more offenders arriving in DE: what a larger nightly sync brings.
NEW_OFFENDERS = {**OFFENDERS, "O-Q13": ("RO", "very_high"), "O-Q14": ("PL", "low")}
NEW_MOVEMENTS = {**MOVEMENTS, "M-13": ("O-Q13", "RO", "DE", "2021-10-01"), "M-14": ("O-Q14", "PL", "DE", "2021-09-01")}


def _write(folder: Path, **changes: dict) -> None:
    tables = _tables(**changes)
    tables["convictions"] += [{"conviction_id": f"C-{o[-2:]}", "offender_id": o, "state": "RO", "offence_code": "1001",
                               "conviction_date": "2021-01-01", "supervision_end": ""}
                              for o in ("O-Q13", "O-Q14") if o in changes.get("offenders", {})]
    write_dataset(folder, tables)


def _load(store: Store, folder: Path, sync: bool = False, **changes: dict) -> None:
    _write(folder, **changes)
    load_folder(store, folder, sync=sync)


@pytest.fixture(scope="module")
def base_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("alerts-base")
    _write(folder)
    return folder


def _forget_rules(store: Store) -> None:
    store.run_text("MATCH (n) WHERE n:WatchRule OR n:Case DETACH DELETE n", write=True)


@pytest.fixture
def graph(session_store: Store, base_dir: Path) -> Iterator[Store]:
    """The queue data set exactly (a sync to it undoes any other test's changes), without rules or cases;
    no rule is left for later tests (a load would report it)."""
    if not session_store.run_text("MATCH (m:Movement {movement_id: 'M-11'}) RETURN count(m) AS n")[0]["n"]:
        wipe(session_store)
    load_folder(session_store, base_dir, sync=True)
    _forget_rules(session_store)
    yield session_store
    _forget_rules(session_store)


def _ids(frame: pd.DataFrame) -> list[str]:
    return frame["movement_id"].tolist()


def _expected(min_risk: tuple[str, ...] = ("low", "medium", "high", "very_high"),
              statuses: tuple[str, ...] = ("unnotified", "pending")) -> list[str]:
    return [r[0] for r in EXPECTED if r[2] in min_risk and r[8] in statuses]


def test_recorded_nodes_are_declared_constrained_and_kept_by_loads() -> None:
    schema = (CYPHER_DIR / "schema.cypher").read_text()
    detach = (CYPHER_DIR / "load" / "movements_detach.cypher").read_text()
    for label, key in RECORDED_LABELS.items():
        assert f"FOR (n:{label}) REQUIRE n.{key} IS UNIQUE" in schema
        assert f"NOT x:{label}" in detach  # re-linking a changed movement row keeps their links
    written = set()
    for path in [*(CYPHER_DIR / "watch").glob("*.cypher"), *(CYPHER_DIR / "cases").glob("*.cypher")]:
        text = path.read_text()
        labels = dict(re.findall(r"\((\w+):(\w+)", text))
        for a, rel, b in re.findall(r"(?:MERGE|CREATE)\s+\((\w+)[^)]*\)-\[(?:\w+)?:(\w+)[^\]]*\]->\((\w+)\)", text):
            written.add((labels[a], rel, labels[b]))
    assert written == set(RECORDED_LINKS)


def test_alerts_are_the_rules_queue_rows(graph: Store) -> None:
    store = graph.as_user(ANA)
    watch.add_rule(store, "de-all", "de")
    watch.add_rule(store, "de-high", "DE", min_risk="high", statuses="unnotified")
    watch.add_rule(store, "de-pending", "DE", statuses=["pending"], window_days=400)
    got = alerts.alerts(store)
    assert got.columns.tolist() == ["rule", *QUEUE_COLUMNS]
    assert got["rule"].tolist() == ["de-all"] * 8 + ["de-high"] * 5 + ["de-pending"] * 8  # by rule name
    assert _ids(got[got["rule"] == "de-all"]) == _expected()  # §8 order within a rule
    assert _ids(got[got["rule"] == "de-high"]) == _expected(HIGH, ("unnotified",)) == ["M-11", "M-01", "M-12", "M-02", "M-06b"]
    assert _ids(got[got["rule"] == "de-pending"]) == _expected()  # a 400-day window: every row still pending
    first = got.iloc[0].tolist()
    assert tuple(first[1:]) == EXPECTED[0]
    assert _ids(alerts.alerts(store, "de-high")) == ["M-11", "M-01", "M-12", "M-02", "M-06b"]


def test_acknowledge_then_a_larger_sync_shows_exactly_the_new_rows(graph: Store, tmp_path: Path) -> None:
    store = graph.as_user(ANA)
    watch.add_rule(store, "de-all", "DE")
    watch.add_rule(store, "de-high", "DE", min_risk="high")
    assert _ids(alerts.acknowledge(store, "de-all")) == _expected()
    assert alerts.alerts(store, "de-all").empty
    assert len(alerts.alerts(store, "de-high")) == 6  # acknowledging one rule leaves the other alone
    _load(graph, tmp_path / "larger", sync=True, movements=NEW_MOVEMENTS, offenders=NEW_OFFENDERS)
    got = alerts.alerts(store)
    assert _ids(got[got["rule"] == "de-all"]) == ["M-13", "M-14"]  # very high before low
    assert "M-13" in _ids(got[got["rule"] == "de-high"]) and "M-14" not in _ids(got[got["rule"] == "de-high"])
    assert [r.acknowledged for r in watch.rules(store)] == [8, 0]
    alerts.acknowledge(store)
    assert alerts.alerts(store).empty
    assert [r.acknowledged for r in watch.rules(store)] == [10, 7]


def test_acknowledging_the_rows_seen_leaves_a_row_loaded_since_new(graph: Store, tmp_path: Path) -> None:
    store = graph.as_user(ANA)
    watch.add_rule(store, "de-all", "DE")
    shown = _ids(alerts.alerts(store))  # what the Work queue page drew ...
    _load(graph, tmp_path / "larger", sync=True, movements=NEW_MOVEMENTS, offenders=NEW_OFFENDERS)  # ... a sync ...
    assert _ids(alerts.acknowledge(store, "de-all", seen=shown)) == shown  # ... then the click
    assert _ids(alerts.alerts(store)) == ["M-13", "M-14"]


def test_reloads_and_changed_rows_keep_the_acknowledgments(graph: Store, tmp_path: Path) -> None:
    store = graph.as_user(ANA)
    watch.add_rule(store, "de-all", "DE")
    alerts.acknowledge(store)
    _load(graph, tmp_path / "same")  # the same rows: nothing written
    moved = {**MOVEMENTS, "M-01": ("O-Q01", "RO", "DE", "2021-03-02")}  # a changed row is merged again
    riskier = {**OFFENDERS, "O-Q03": ("DE", "high")}
    _load(graph, tmp_path / "changed", sync=True, movements=moved, offenders=riskier)
    assert alerts.alerts(store).empty
    assert watch.rules(store)[0].acknowledged == 8


def test_erasure_leaves_no_trace_in_rules(graph: Store) -> None:
    store = graph.as_user(ANA)
    watch.add_rule(store, "de-all", "DE")
    alerts.acknowledge(store)
    erase_offenders(graph, ["O-Q01", "O-Q12"], "expunged at the source")
    left = graph.run_text("MATCH (:WatchRule)-[a:ACKNOWLEDGED]->(m:Movement) RETURN collect(m.movement_id) AS ids")
    assert sorted(left[0]["ids"]) == sorted(set(_expected()) - {"M-01", "M-12"})
    held = graph.run_text("MATCH (w:WatchRule) RETURN properties(w) AS p")[0]["p"]
    assert not {"O-Q01", "O-Q12", "M-01", "M-12"} & {str(v) for v in held.values()}
    assert watch.rules(store)[0].acknowledged == 6
    assert "O-Q01" not in audit.log_path(graph.settings.data_dir).read_text()


def test_exports_with_rules(graph: Store, tmp_path: Path) -> None:
    from somec_graph import export

    watch.add_rule(graph, "de-all", "DE")
    alerts.acknowledge(graph)
    nodes = graph.run_text("MATCH (n) WHERE NOT n:WatchRule AND NOT n:Meta RETURN count(n) AS n")[0]["n"]
    assert export.export_graph(graph, tmp_path / "g.graphml", fmt="graphml")["nodes"] == nodes  # rules stay out
    full = export.export_neo4j_import(graph, tmp_path / "import")  # the complete graph keeps them
    assert full["nodes"] == nodes + 2  # the rule and the Meta node
    assert (tmp_path / "import" / "WatchRule.csv").read_text().count("local/de-all") == 1
    assert len((tmp_path / "import" / "WatchRule-ACKNOWLEDGED-Movement.csv").read_text().splitlines()) == 8


def test_scoping_and_ownership(graph: Store) -> None:
    ana, fra = graph.as_user(ANA), graph.as_user(FRA)
    with pytest.raises(AccessDenied, match=r"^DE is outside your states \(FR, IT\); analysts watch only"):
        watch.add_rule(fra, "de", "DE")
    for call in (lambda s: watch.add_rule(s, "de", "DE"), watch.rules, alerts.alerts,
                 lambda s: watch.remove_rule(s, "de")):
        with pytest.raises(AccessDenied, match="the supervisor role sees aggregates only"):
            call(graph.as_user(SUP))
    watch.add_rule(ana, "mine", "DE")
    watch.add_rule(fra, "mine", "FR")  # the same name, another owner: another rule
    assert [(r.owner, r.state) for r in watch.rules(ana)] == [("ana", "DE")]
    assert _ids(alerts.alerts(fra)) == ["M-07b", "M-05b"]
    alerts.acknowledge(fra)
    assert len(alerts.alerts(ana)) == 8  # fra's acknowledgment is fra's
    watch.remove_rule(fra, "mine")
    assert [r.owner for r in watch.rules(graph, owner=None)] == ["ana"]
    with pytest.raises(SomecGraphError, match="You have no rule named 'mine'"):
        watch.remove_rule(fra, "mine")
    assert graph.run_text("MATCH ()-[a:ACKNOWLEDGED]->() RETURN count(a) AS n")[0]["n"] == 0
    watch.add_rule(graph, "any", "PL")  # an admin watches any state
    # an analyst whose jurisdiction no longer holds a rule's state is refused, not shown it
    with pytest.raises(AccessDenied, match="outside your states"):
        alerts.alerts(graph.as_user(User("ana", "analyst", ("NL",))))


@pytest.mark.parametrize("kwargs, message", [
    ({"name": "a b"}, "The rule name 'a b' is not allowed"),
    ({"state": "Germany"}, "'Germany' is not a state code"),
    ({"state": "ZZ"}, "ZZ is not a state of the loaded data; give one of its state codes"),
    ({"min_risk": "severe"}, "The minimum risk must be one of low, medium, high, very_high"),
    ({"statuses": "late"}, "A rule watches one or both of the statuses unnotified, pending"),
    ({"statuses": ""}, "A rule watches one or both"),
    ({"window_days": -1}, "The window must be a whole number of days"),
])
def test_bad_rules_are_refused(graph: Store, kwargs: dict, message: str) -> None:
    args = {"name": "r", "state": "DE", **kwargs}
    with pytest.raises(SomecGraphError, match=message):
        watch.add_rule(graph, args.pop("name"), args.pop("state"), **args)
    assert watch.rules(graph) == []


def test_duplicate_name_and_unknown_rule(graph: Store) -> None:
    watch.add_rule(graph, "r", "DE")
    with pytest.raises(SomecGraphError, match="You already have a rule named 'r'"):
        watch.add_rule(graph, "r", "FR")
    with pytest.raises(SomecGraphError, match="You have no rule named 'x'"):
        alerts.alerts(graph, "x")


def test_cli_watch_alerts_ack_and_load_summary(graph: Store, base_dir: Path, data_dir: Path) -> None:
    users.add_user(data_dir, "awatch", "analyst", "correct horse battery", states=["DE"])
    try:
        _cli_as_analyst(base_dir, data_dir, {"SOMEC_USER": "awatch"})
    finally:
        users.remove_user(data_dir, "awatch")  # a configured user would make the dashboard tests ask for a login


def _cli_as_analyst(base_dir: Path, data_dir: Path, env: dict[str, str]) -> None:
    added = run_cli("watch", "add", "de-high", "--state", "DE", "--min-risk", "high", "--status", "unnotified", env=env)
    assert added.returncode == 0, added.stderr
    refused = run_cli("watch", "add", "fr", "--state", "FR", env=env)
    assert refused.returncode == 1 and refused.stderr.startswith("Error: FR is outside your states (DE)")
    before = run_cli("alerts", "--rule", "de-high", "--format", "csv", env=env)
    assert before.returncode == 0 and len(before.stdout.splitlines()) == 6
    listed = json.loads(run_cli("watch", "list", "--format", "json", env=env).stdout)
    assert [(r["rule"], r["state"], r["min_risk"], r["statuses"], r["window_days"]) for r in listed] == \
        [("de-high", "DE", "high", "unnotified", 30)]
    assert json.loads(run_cli("watch", "list", "--format", "json").stdout) == []  # the local admin's: none
    none = run_cli("alerts", "--format", "csv")
    assert none.returncode == 0 and none.stdout.splitlines() == ["rule," + ",".join(QUEUE_COLUMNS)]
    assert none.stderr.strip() == "You have no watch rules; add one with somec-graph watch add NAME --state B."
    shown = run_cli("alerts", "--ack", "--format", "csv", env=env)
    assert shown.returncode == 0, shown.stderr
    lines = shown.stdout.splitlines()
    assert lines[0] == "rule," + ",".join(QUEUE_COLUMNS)
    new = ("M-11", "M-01", "M-12", "M-02", "M-06b")
    assert lines[1:] == ["de-high," + ",".join(map(str, r)) for r in EXPECTED if r[0] in new]
    assert run_cli("alerts", "--format", "csv", env=env).stdout.splitlines() == [lines[0]]
    entries = audit.show(data_dir, user="awatch")
    denied = json.loads(entries[entries["action"] == "denied"]["params"].iloc[-1])  # the refused `watch add fr`
    assert denied["reason"].startswith("FR is outside your states (DE)")
    listed = entries[entries["action"] == "alerts"]  # a listing is a consultation: before and after the ack
    assert listed["rows"].tolist() == [5, 0]
    assert sorted(json.loads(listed["params"].iloc[0])["offenders"]) == \
        sorted(audit.offender_key(data_dir, o) for o in ("O-Q11", "O-Q01", "O-Q12", "O-Q02", "O-Q06"))
    acked = json.loads(entries[entries["action"] == "alerts ack"]["params"].iloc[-1])
    hashes = sorted(audit.offender_key(data_dir, o) for o in ("O-Q11", "O-Q01", "O-Q12", "O-Q02", "O-Q06"))
    assert {**acked, "offenders": sorted(acked["offenders"])} == {"rule": "de-high", "offenders": hashes}
    assert set(entries["action"]) >= {"watch add", "alerts ack"}
    text = audit.log_path(data_dir).read_text()
    assert "O-Q11" not in text and "M-11" not in text
    loaded = run_cli("load", str(base_dir), "--sync")
    assert loaded.returncode == 0, loaded.stderr
    assert loaded.stdout.splitlines()[-1] == "Alerts of rule de-high (awatch, DE): 0"
    assert run_cli("watch", "remove", "de-high", env=env).returncode == 0
    unknown = run_cli("alerts", env={"SOMEC_USER": "nobody"})
    assert unknown.returncode == 1 and "SOMEC_USER='nobody' names no configured user" in unknown.stderr
