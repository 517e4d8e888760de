"""erase OFFENDER_ID... --reason (SPEC §2): nothing of them anywhere afterwards, and the log holds only keyed hashes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures import invoke, load_folder, wipe
from lifecycle import answers, read, without

from somec_graph import audit
from somec_graph.errors import AccessDenied, SomecGraphError
from somec_graph.ingest.erase import erase_offenders
from somec_graph.roles import User
from somec_graph.store import Store, cypher, writer
from somec_graph.synth import generate
from somec_graph.workqueue.cases import record_case


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("erase-full")
    generate(folder, 120, seed=4)
    return folder


def co_defendants(folder: Path) -> tuple[str, str]:
    """Two offenders convicted in one case: erasing one must change the other's co-offender answers."""
    by_case: dict[str, list[str]] = {}
    for c in read(folder, "convictions"):
        if c["case_id"]:
            by_case.setdefault(c["case_id"], []).append(c["offender_id"])
    a, b = next(sorted(set(ids))[:2] for ids in by_case.values() if len(set(ids)) > 1)
    return a, b


def with_movements(folder: Path, n: int) -> list[str]:
    made = {m["offender_id"] for m in read(folder, "movements")}
    return [o["offender_id"] for o in read(folder, "offenders") if o["offender_id"] in made][:n]


def rows_of(folder: Path, offender: str) -> set[str]:
    """The ids of every row about `offender`."""
    return {r[key] for name, key in (("convictions", "conviction_id"), ("movements", "movement_id"),
                                     ("exchanges", "exchange_id"))
            for r in read(folder, name) if r["offender_id"] == offender}


def test_erase_leaves_the_answers_of_a_fresh_load_without_them(store: Store, full: Path, tmp_path: Path) -> None:
    victim, partner = co_defendants(full)
    other = next(o for o in with_movements(full, 5) if o not in (victim, partner))
    load_folder(store, full)
    movement = next(m["movement_id"] for m in read(full, "movements") if m["offender_id"] == other)
    record_case(store, movement, "closed", reason="left_state", note=f"{other} left")
    result = invoke("erase", victim, other, "--reason", "expunged at the source")
    assert result.returncode == 0, result.stderr
    assert "Erased 2 offender(s)" in result.stdout
    asked = [victim, partner, other, *with_movements(full, 4)]
    erased = answers(asked)
    wipe(store)
    load_folder(store, without(full, tmp_path / "rest", {victim, other}))
    assert erased == answers(asked)
    assert erased[f"journey {victim}"].startswith("error:")


def test_no_trace_anywhere(store: Store, full: Path, tmp_path: Path, data_dir: Path) -> None:
    victim = with_movements(full, 1)[0]
    traces = {victim, *rows_of(full, victim)}
    load_folder(store, full)
    assert invoke("erase", victim, "--reason", "court order").returncode == 0

    def clean(text: str, where: str) -> None:
        found = sorted(t for t in traces if t in text)
        assert not found, f"{where} still shows {found[:3]}"

    for name, statement in cypher.named_queries().items():
        params = {p.name: victim if p.name == "offender_id" else "DE" for p in statement.params
                  if p.default is None}
        result = invoke("query", name, *(a for k, v in params.items() for a in ("--param", f"{k}={v}")),
                        "--format", "csv")
        assert result.returncode == 0, (name, result.stderr)
        clean(result.stdout, f"query {name}")
    for text in answers([], states=("DE", "FR", "AT", "NL", "RO", "PL", "IT", "ES")).values():
        clean(text, "a listing")
    result = invoke("journey", victim)
    assert result.returncode == 1 and not result.stdout
    out = tmp_path / "export"
    assert invoke("export", str(out), "--format", "csv").returncode == 0
    clean((out / "nodes.csv").read_text() + (out / "edges.csv").read_text(), "export")
    assert victim not in audit.log_path(data_dir).read_text()  # row ids may stay there: they name no one


def test_erasure_is_audited_with_reason_and_keyed_hashes(store: Store, full: Path, data_dir: Path) -> None:
    a, b = with_movements(full, 2)
    load_folder(store, full)
    assert invoke("erase", a, b, "--reason", f"request of {a}'s lawyer").returncode == 0
    entry = json.loads(audit.log_path(data_dir).read_text().splitlines()[-1])
    assert entry["action"] == "erase" and entry["rows"] == 2
    keys = [audit.offender_key(data_dir, x) for x in (a, b)]
    assert entry["params"]["offenders"] == keys
    assert entry["params"]["reason"] == f"request of {keys[0]}'s lawyer"  # ids match SOMEC_OFFENDER_ID_PATTERN
    shown = invoke("audit", "show", "--offender", b, "--action", "erase", "--format", "json")
    assert len(json.loads(shown.stdout)) >= 1
    assert audit.verify(data_dir) == []


def test_unknown_id_is_refused_by_name_and_nothing_is_erased(store: Store, full: Path) -> None:
    load_folder(store, full)
    before = answers([])
    known = with_movements(full, 1)[0]
    result = invoke("erase", known, "NOBODY-1", "--reason", "x")
    assert result.returncode == 1 and result.stderr.count("Error:") == 1
    assert "'NOBODY-1'" in result.stderr and "nothing was erased" in result.stderr
    assert answers([]) == before


def test_erasing_again_goes_on_past_ids_already_erased(store: Store, full: Path) -> None:
    a, b = with_movements(full, 2)
    load_folder(store, full)
    assert invoke("erase", a, "--reason", "first").returncode == 0
    result = invoke("erase", a, b, "--reason", "again")
    assert result.returncode == 0, result.stderr
    assert "Erased 1 offender(s)" in result.stdout and "1 of the ids had been erased before" in result.stdout


def test_admin_only_and_under_the_writer_lock(store: Store, full: Path) -> None:
    load_folder(store, full)
    victim = with_movements(full, 1)[0]
    with pytest.raises(AccessDenied, match="admin"):
        erase_offenders(store.as_user(User("ana", "analyst", ("DE",))), [victim], "x")
    with pytest.raises(SomecGraphError, match="reason"):
        erase_offenders(store, [victim], "  ")
    with writer.exclusive(store.settings.data_dir, "someone", "load"):
        with pytest.raises(writer.WriterBusy):
            erase_offenders(store, [victim], "x")
    assert store.run("erase/found", {"ids": [victim]})[0]["ids"] == [victim]
