"""The audit log never holds an offender id in clear, from any action (SPEC §2), yet an auditor with the key finds them."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fixtures import invoke, load_folder
from lifecycle import read

from somec_graph import audit
from somec_graph.store import Store
from somec_graph.synth import generate


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("audit-ids")
    generate(out, 60, seed=9)
    return out


def test_no_action_logs_an_id_in_clear(store: Store, folder: Path, data_dir: Path, tmp_path: Path) -> None:
    load_folder(store, folder)
    since = datetime.now(UTC).isoformat()  # the session's log holds other tests' entries too
    ids = [o["offender_id"] for o in read(folder, "offenders")[:5]]
    a, b, c, d, e = ids
    assert invoke("journey", a).returncode == 0
    assert invoke("query", "offender_convictions", "--param", f"offender_id={b}").returncode == 0
    assert invoke("export", str(tmp_path / "one.graphml"), "--offender", c).returncode == 0
    assert invoke("erase", d, "--reason", f"erased on request ({d})").returncode == 0
    # What the dashboard records (session.audit_view / audit_event), through the same record():
    audit.record(data_dir, "ana", "analyst", "view", {"page": "Movement explorer", "offender_id": e})
    audit.record(data_dir, "boss", "admin", "query", {"name": "free text", "params": {
        "text": f"MATCH (o:Offender {{offender_id: '{a}'}}) RETURN o", "ids": [b]}})
    audit.record(data_dir, "ana", "analyst", "denied", {"reason": f"Offender {c} is outside your states."})
    log = audit.log_path(data_dir).read_text()
    assert not [i for i in ids if i in log]
    assert audit.verify(data_dir) == []
    for offender, actions in ((a, {"journey", "query"}), (b, {"query"}), (c, {"export", "denied"}),
                              (d, {"erase"}), (e, {"view"})):
        shown = invoke("audit", "show", "--offender", offender, "--since", since, "--format", "json")
        assert shown.returncode == 0, shown.stderr
        assert {row["action"] for row in json.loads(shown.stdout)} == actions, offender


def test_keyed_hash_is_the_same_for_every_caller(tmp_path: Path) -> None:
    first = audit.record(tmp_path, "a", "admin", "journey", {"offender_id": "OFF-000001"})
    second = audit.record(tmp_path, "a", "admin", "case", {"offender": "OFF-000001", "movement_id": "MOV-1"})
    third = audit.record(tmp_path, "a", "admin", "export", {"offenders": ["OFF-000001", "X-2"], "rows": 3})
    key = audit.offender_key(tmp_path, "OFF-000001")
    assert first["params"]["offender_id"] == second["params"]["offender"] == third["params"]["offenders"][0] == key
    assert third["params"]["offenders"][1] == audit.offender_key(tmp_path, "X-2")  # named like an offender: hashed
    assert second["params"]["movement_id"] == "MOV-1" and third["params"]["rows"] == 3
    assert len(audit.show(tmp_path, offender="OFF-000001")) == 3 and audit.show(tmp_path, offender="OFF-9").empty
