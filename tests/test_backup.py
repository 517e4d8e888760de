"""backup FILE / restore FILE: the embedded store with ArcadeDB's own backup; Neo4j gets a sentence."""

from __future__ import annotations

import random
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from fixtures import invoke, load_folder
from lifecycle import answers, read, shrink

from somec_graph.errors import SomecGraphError
from somec_graph.store import Store, backup, embedded, writer
from somec_graph.synth import generate


@pytest.fixture(autouse=True)
def own_audit_log(request: pytest.FixtureRequest) -> Iterator[None]:
    """A restore re-applies every erasure the audit log records (by design); erasures made by other
    tests of this session would be applied too, so each test here starts with the log set aside."""
    if "store" not in request.fixturenames:
        yield
        return
    data_dir = request.getfixturevalue("store").settings.data_dir
    log, aside = data_dir / "audit.jsonl", data_dir / "audit.jsonl.aside"
    if log.exists():
        log.rename(aside)
    try:
        yield
    finally:
        log.unlink(missing_ok=True)
        if aside.exists():
            aside.rename(log)


@pytest.fixture(scope="module")
def sets(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    big = tmp_path_factory.mktemp("backup-big")
    generate(big, 100, seed=5)
    return big, shrink(big, tmp_path_factory.mktemp("backup") / "small")


def offenders(folder: Path) -> list[str]:
    return [o["offender_id"] for o in read(folder, "offenders")[:4]]


@pytest.mark.embedded_only
def test_backup_change_restore_gives_the_same_answers(store: Store, sets: tuple[Path, Path], tmp_path: Path) -> None:
    big, small = sets
    load_folder(store, big)
    before = answers(offenders(big))
    reads: list[int] = []
    errors: list[Exception] = []
    stop = threading.Event()

    def dashboard() -> None:  # reads on while the backup is made
        while not stop.is_set():
            try:
                reads.append(store.run("queries/counts")[0]["count"])
            except Exception as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)

    reader = threading.Thread(target=dashboard)
    reader.start()
    try:
        made = invoke("backup", str(tmp_path / "b.zip"))
    finally:
        stop.set()
        reader.join()
    assert made.returncode == 0, made.stderr
    assert not errors and reads
    assert (tmp_path / "b.zip").stat().st_mode & 0o077 == 0
    assert invoke("load", str(small), "--sync").returncode == 0
    assert answers(offenders(big)) != before
    restored = invoke("restore", str(tmp_path / "b.zip"))
    assert restored.returncode == 0, restored.stderr
    assert answers(offenders(big)) == before
    assert not embedded.previous_dir(store.settings).exists()


@pytest.mark.embedded_only
@pytest.mark.parametrize("damage", ["truncated", "random", "foreign zip", "empty", "broken database"])
def test_a_damaged_backup_changes_nothing(store: Store, sets: tuple[Path, Path], tmp_path: Path, damage: str) -> None:
    big, _ = sets
    load_folder(store, big)
    good = tmp_path / "good.zip"
    assert invoke("backup", str(good)).returncode == 0
    before = answers([])
    bad = tmp_path / "bad.zip"
    data = good.read_bytes()
    if damage == "truncated":
        bad.write_bytes(data[: len(data) // 2])
    elif damage == "random":
        bad.write_bytes(random.Random(3).randbytes(len(data)))
    elif damage in ("foreign zip", "broken database"):  # unpacks; the second has a database's files, all garbage
        files = {"notes.txt": b"not a database"} if damage == "foreign zip" else {
            "configuration.json": b'{"x":', "schema.json": b"garbage", "dictionary.0.65536.v1.dict": data[:70000]}
        with zipfile.ZipFile(bad, "w") as archive:
            for name, content in files.items():
                archive.writestr(name, content)
    else:
        bad.write_bytes(b"")
    result = invoke("restore", str(bad))
    assert result.returncode == 1, result.stdout
    assert result.stderr.count("Error:") == 1 and "not a usable backup" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert answers([]) == before


@pytest.mark.embedded_only
def test_restore_erases_again_what_was_erased_after_the_backup(store: Store, sets: tuple[Path, Path],
                                                               tmp_path: Path) -> None:
    big, _ = sets
    returned, victim = offenders(big)[1], offenders(big)[0]
    load_folder(store, big)
    assert invoke("erase", returned, "--reason", "erased, then sent again by the source").returncode == 0
    load_folder(store, big)  # back in the data legitimately before the backup: a restore keeps it
    assert invoke("backup", str(tmp_path / "b.zip")).returncode == 0
    assert invoke("erase", victim, "--reason", "court order").returncode == 0
    after_erase = answers(offenders(big))
    result = invoke("restore", str(tmp_path / "b.zip"))
    assert result.returncode == 0 and "1 offender(s) erased since were erased again" in result.stdout, result.stdout
    assert answers(offenders(big)) == after_erase


@pytest.mark.embedded_only
def test_backup_refuses_an_existing_file_and_a_running_writer(store: Store, tmp_path: Path) -> None:
    existing = tmp_path / "there.zip"
    existing.write_text("keep me")
    result = invoke("backup", str(existing))
    assert result.returncode == 1 and "exists already" in result.stderr and existing.read_text() == "keep me"
    with writer.exclusive(store.settings.data_dir, "someone", "load"):
        busy = invoke("restore", str(existing))
    assert busy.returncode == 1 and "a load by someone" in busy.stderr


@pytest.mark.neo4j_only
def test_neo4j_points_to_neo4j_admin(store: Store, tmp_path: Path) -> None:
    for command in ("backup", "restore"):
        if command == "restore":
            (tmp_path / "x.zip").write_bytes(b"x")
        result = invoke(command, str(tmp_path / "x.zip"))
        assert result.returncode == 1 and result.stderr.count("Error:") == 1
        assert "neo4j-admin database dump" in result.stderr and "docs/security.md" in result.stderr
    with pytest.raises(SomecGraphError, match="neo4j-admin"):
        backup.backup(store.settings, tmp_path / "y.zip")
