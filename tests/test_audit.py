"""The hash-chained audit log (somec_graph.audit): every kind of tampering is named by line."""

from __future__ import annotations

import json
import multiprocessing
import stat
from pathlib import Path

import pytest

from somec_graph import audit
from somec_graph.audit import GENESIS, AuditError, head, offender_key, record, show, verify


def _log(tmp_path: Path, n: int = 5) -> list[dict]:
    return [record(tmp_path, "ana", "analyst", "journey", {"offender_id": f"OFF-{i}"}, rows=i) for i in range(n)]


def _lines(tmp_path: Path) -> list[str]:
    return (tmp_path / "audit.jsonl").read_text().splitlines()


def _write(tmp_path: Path, lines: list[str]) -> None:
    (tmp_path / "audit.jsonl").write_text("".join(line + "\n" for line in lines))


def test_record_builds_a_chain(tmp_path: Path) -> None:
    entries = _log(tmp_path, 3)
    assert [e["seq"] for e in entries] == [1, 2, 3]
    assert entries[0]["prev"] == GENESIS
    assert entries[1]["prev"] == entries[0]["hash"] and entries[2]["prev"] == entries[1]["hash"]
    assert all(e["time"].endswith("Z") for e in entries)
    stored = [json.loads(line) for line in _lines(tmp_path)]
    assert stored == entries
    assert all(audit.entry_hash(e) == e["hash"] for e in stored)
    assert verify(tmp_path) == []
    assert head(tmp_path) == entries[-1]["hash"]
    assert stat.S_IMODE((tmp_path / "audit.jsonl").stat().st_mode) == 0o600


def test_empty_log(tmp_path: Path) -> None:
    assert verify(tmp_path) == [] and head(tmp_path) == GENESIS
    assert verify(tmp_path, expected_head=GENESIS) == []
    assert show(tmp_path).empty


def test_passwords_and_secrets_never_reach_the_log(tmp_path: Path) -> None:
    record(tmp_path, "boss", "admin", "user.add",
           {"name": "ana", "password": "hunter2hunter2", "New_Password": "p4ssw0rd-long",
            "nested": {"client_secret": "s3cr3t", "ok": [1, 2]}, "api_token": "tkn"}, rows=None)
    text = (tmp_path / "audit.jsonl").read_text()
    for secret in ("hunter2hunter2", "p4ssw0rd-long", "s3cr3t", "tkn"):
        assert secret not in text
    assert json.loads(text)["params"] == {"name": "ana", "nested": {"ok": [1, 2]}}


def test_record_refuses_bad_arguments(tmp_path: Path) -> None:
    with pytest.raises(AuditError):
        record(tmp_path, "", "admin", "load", {})
    with pytest.raises(AuditError):
        record(tmp_path, "ana", "admin", "load", {}, rows=-1)
    with pytest.raises(AuditError):
        record(tmp_path, "ana", "admin", "load", ["not", "a", "dict"])  # type: ignore[arg-type]


def test_values_with_newlines_stay_on_one_line(tmp_path: Path) -> None:
    record(tmp_path, "ana", "analyst", "query", {"text": "MATCH (n)\nRETURN n\r\n// \u2028 é"}, rows=0)
    assert len(_lines(tmp_path)) == 1 and verify(tmp_path) == []


def test_edited_field_is_detected(tmp_path: Path) -> None:
    _log(tmp_path)
    lines = _lines(tmp_path)
    entry = json.loads(lines[2])
    entry["user"] = "someone-else"
    lines[2] = json.dumps(entry)
    _write(tmp_path, lines)
    problems = verify(tmp_path)
    assert len(problems) == 1 and problems[0].startswith("line 3:") and "edited" in problems[0]


def test_edit_with_recomputed_hash_is_detected_on_the_next_line(tmp_path: Path) -> None:
    _log(tmp_path)
    lines = _lines(tmp_path)
    entry = json.loads(lines[1])
    entry["rows"] = 0
    entry["hash"] = audit.entry_hash(entry)
    lines[1] = json.dumps(entry)
    _write(tmp_path, lines)
    problems = verify(tmp_path)
    assert len(problems) == 1 and problems[0].startswith("line 3:") and "line 2" in problems[0]


def test_deleted_middle_line_is_detected(tmp_path: Path) -> None:
    _log(tmp_path)
    lines = _lines(tmp_path)
    del lines[2]
    _write(tmp_path, lines)
    problems = verify(tmp_path)
    assert len(problems) == 1 and problems[0].startswith("line 3:") and "missing" in problems[0]


def test_deleted_first_line_is_detected(tmp_path: Path) -> None:
    _log(tmp_path)
    _write(tmp_path, _lines(tmp_path)[1:])
    problems = verify(tmp_path)
    assert len(problems) == 1 and problems[0].startswith("line 1:") and "missing" in problems[0]


def test_swapped_lines_are_detected(tmp_path: Path) -> None:
    _log(tmp_path)
    lines = _lines(tmp_path)
    lines[1], lines[2] = lines[2], lines[1]
    _write(tmp_path, lines)
    problems = verify(tmp_path)
    assert [p.split(":")[0] for p in problems] == ["line 2", "line 3"]
    assert "reordered" in problems[1]


def test_duplicated_line_is_detected(tmp_path: Path) -> None:
    _log(tmp_path)
    lines = _lines(tmp_path)
    lines.insert(3, lines[3])
    _write(tmp_path, lines)
    problems = verify(tmp_path)
    assert len(problems) == 1 and problems[0].startswith("line 5:")


def test_truncated_tail_needs_the_recorded_head(tmp_path: Path) -> None:
    _log(tmp_path)
    recorded = head(tmp_path)
    _write(tmp_path, _lines(tmp_path)[:3])
    assert verify(tmp_path) == []  # the limit of a hash chain on its own, as documented
    problems = verify(tmp_path, expected_head=recorded)
    assert len(problems) == 1 and "line 3" in problems[0] and "cut off the end" in problems[0]


def test_recorded_head_still_verifies_after_later_appends(tmp_path: Path) -> None:
    _log(tmp_path, 3)
    recorded = head(tmp_path)
    _log(tmp_path, 2)
    assert verify(tmp_path, expected_head=recorded) == []
    assert verify(tmp_path, expected_head=recorded.upper()) == []


def test_deleted_log_with_recorded_head(tmp_path: Path) -> None:
    _log(tmp_path, 2)
    recorded = head(tmp_path)
    (tmp_path / "audit.jsonl").unlink()
    assert verify(tmp_path) == []
    assert "missing" in verify(tmp_path, expected_head=recorded)[0]
    with pytest.raises(AuditError):
        verify(tmp_path, expected_head="abc")


@pytest.mark.parametrize("garbage", ["this is not json", "{\"seq\": 3}", "[1, 2, 3]", "\udcff", ""])
def test_garbage_line_is_detected(tmp_path: Path, garbage: str) -> None:
    _log(tmp_path)
    lines = _lines(tmp_path)
    lines.insert(2, garbage)
    (tmp_path / "audit.jsonl").write_bytes("".join(line + "\n" for line in lines).encode("utf-8", "surrogateescape"))
    problems = verify(tmp_path)
    assert len(problems) == 1 and problems[0].startswith("line 3:")


def test_torn_last_line_is_reported_and_the_chain_goes_on(tmp_path: Path) -> None:
    _log(tmp_path, 2)
    with (tmp_path / "audit.jsonl").open("a") as fh:
        fh.write('{"seq": 3, "time": "20')  # a writer killed half-way
    entry = record(tmp_path, "ana", "analyst", "gaps.matrix", {}, rows=10)
    assert entry["seq"] == 3
    problems = verify(tmp_path)
    assert len(problems) == 1 and problems[0].startswith("line 3:") and "malformed" in problems[0]
    assert json.loads(_lines(tmp_path)[3])["seq"] == 3


def _writer(data_dir: str, proc: int, count: int, barrier) -> None:
    barrier.wait()
    for i in range(count):
        record(data_dir, f"user{proc}", "analyst", "journey", {"i": i, "proc": proc}, rows=i)


def test_concurrent_writers_never_fork_the_chain(tmp_path: Path) -> None:
    procs, per_proc = 4, 50
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(procs)
    workers = [ctx.Process(target=_writer, args=(str(tmp_path), p, per_proc, barrier)) for p in range(procs)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(120)
    assert [w.exitcode for w in workers] == [0] * procs
    lines = _lines(tmp_path)
    assert len(lines) == procs * per_proc
    assert [json.loads(line)["seq"] for line in lines] == list(range(1, procs * per_proc + 1))
    assert verify(tmp_path) == []
    frame = show(tmp_path)
    assert frame.groupby("user").size().to_dict() == {f"user{p}": per_proc for p in range(procs)}


def test_show_filters(tmp_path: Path) -> None:
    record(tmp_path, "ana", "analyst", "journey", {"offender_id": "OFF-1"}, rows=4)
    record(tmp_path, "boss", "admin", "load", {"folder": "seed_data"}, rows=None)
    record(tmp_path, "ana", "analyst", "gaps.matrix", {"states": ["DE"]}, rows=12)
    frame = show(tmp_path)
    assert list(frame.columns) == ["time", "user", "role", "action", "params", "rows"]
    assert len(frame) == 3 and frame["rows"].isna().tolist() == [False, True, False]
    assert json.loads(frame.loc[0, "params"]) == {"offender_id": offender_key(tmp_path, "OFF-1")}
    assert show(tmp_path, user="ana")["action"].tolist() == ["journey", "gaps.matrix"]
    assert show(tmp_path, action="load")["user"].tolist() == ["boss"]
    assert len(show(tmp_path, since="2000-01-01")) == 3
    assert show(tmp_path, since="2999-01-01").empty
    with pytest.raises(AuditError, match="YYYY-MM-DD"):
        show(tmp_path, since="yesterday")
