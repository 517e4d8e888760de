"""The tests' one fixture builder (as datasette's tests/fixtures.py): small data sets written as CSV
files, the tuple-to-row builders the hand-made data sets use, a store loaded with one, and the CLI
run in-process or as a subprocess. Tests import it as `from fixtures import ...`; conftest.py holds
only the pytest fixtures and hooks, built on it.
"""

from __future__ import annotations

import csv
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from somec_graph import cli
from somec_graph.ingest.contract import TABLES_BY_NAME
from somec_graph.ingest.load import load_dataset
from somec_graph.ingest.validate import validate
from somec_graph.resources import SEED_DIR
from somec_graph.store import Store

REPO = Path(__file__).resolve().parent.parent
NEO4J_TOOL = REPO / "tools" / "neo4j" / "server"
STORES = ("embedded", "neo4j")


def chosen_stores(config: pytest.Config) -> list[str]:
    choice = config.getoption("--store")
    return list(STORES) if choice == "both" else [choice]


@dataclass(frozen=True)
class Backend:
    """One store under test and the environment that selects it (also passed to CLI subprocesses)."""
    name: str
    env: dict[str, str]

    @property
    def data_dir(self) -> Path:
        return Path(self.env["SOMEC_DATA_DIR"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wipe(store: Store) -> None:
    """Delete everything, in batches: one transaction over the seed data outgrows the transaction
    memory a Neo4j sized to its data allows (db.memory.transaction.max, half its heap)."""
    while store.run_text("MATCH (n) WITH n LIMIT 5000 DETACH DELETE n RETURN count(*) AS deleted",
                         write=True)[0]["deleted"]:
        pass


def load_folder(store: Store, folder: Path, sync: bool = False) -> None:
    """Validate and load (or sync to) a data set folder, which must be valid."""
    ds = validate(folder)
    assert ds.ok, ds.problems[:5]
    load_dataset(store, ds, sync=sync)


def ensure_seed(store: Store) -> Store:
    """The seed data set in the graph, loaded only when the graph holds something else."""
    offenders = store.run_text("MATCH (o:Offender) RETURN count(o) AS n")[0]["n"]
    meta = store.run("load/meta")[0]
    if not (offenders == 2000 and meta["version"] and not meta["pending"]):
        wipe(store)
        load_folder(store, SEED_DIR)
    return store


Tables = dict[str, list[dict[str, str]] | str]


def write_dataset(folder: Path, tables: Tables, with_reference: bool = False) -> Path:
    """Write CSV files: a table as a list of dicts (header from the first) or as raw text."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in tables.items():
        path = folder / f"{name}.csv"
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
            continue
        header: list[str] = []
        for row in content:
            header += [k for k in row if k not in header]
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(content)
    if with_reference:
        for name in ("states", "offence_categories", "mechanisms"):
            shutil.copy(SEED_DIR / f"{name}.csv", folder / f"{name}.csv")
    return folder


def load_tables(store: Store, folder: Path, tables: Tables, with_reference: bool = False, sync: bool = False) -> None:
    """Write `tables` as a data set under `folder` and load it onto what `store` holds (or sync to it)."""
    load_folder(store, write_dataset(folder, tables, with_reference), sync=sync)


def loaded_store(store: Store, folder: Path, tables: Tables, with_reference: bool = False) -> Store:
    """`store` holding the data set `tables` and nothing else; the data set is written under `folder`."""
    wipe(store)
    load_tables(store, folder, tables, with_reference)
    return store


# --- tuple-to-row builders ----------------------------------------------------------------------
# A hand-made data set lists each table's rows as tuples: {key: (values...)} or [(key, values...)].
# The values are, in order, the columns the builder is given; by default those below.
OFFENDER = ("nationality", "risk_level")
CONVICTION = ("offender_id", "state", "offence_code", "conviction_date", "supervision_end")
MOVEMENT = ("offender_id", "from_state", "to_state", "arrival_date")
EXCHANGE = ("mechanism", "sender", "recipient", "offender_id", "kind", "sent_date", "received_date", "conviction_id")
Spec = Mapping[str, Sequence[str]] | Iterable[Sequence[str]]


def rows(table: str, spec: Spec, columns: Sequence[str]) -> list[dict[str, str]]:
    """CSV rows of a table of the contract (`TABLES`): its key, then `columns`, from each tuple of `spec`."""
    declared = TABLES_BY_NAME[table]
    unknown = [c for c in columns if c not in declared.column_names]
    assert not unknown, f"{table} has no column {unknown}"
    keyed = spec.items() if isinstance(spec, Mapping) else ((values[0], values[1:]) for values in spec)
    out = []
    for key, values in keyed:
        assert len(values) == len(columns), f"{table} {key}: {len(values)} values for the columns {list(columns)}"
        out.append({declared.key: key, **dict(zip(columns, values))})
    return out


def offenders(spec: Spec, columns: Sequence[str] = OFFENDER) -> list[dict[str, str]]:
    return rows("offenders", spec, columns)


def convictions(spec: Spec, columns: Sequence[str] = CONVICTION) -> list[dict[str, str]]:
    return rows("convictions", spec, columns)


def movements(spec: Spec, columns: Sequence[str] = MOVEMENT) -> list[dict[str, str]]:
    return rows("movements", spec, columns)


def exchanges(spec: Spec, columns: Sequence[str] = EXCHANGE) -> list[dict[str, str]]:
    return rows("exchanges", spec, columns)


def frame_rows(frame: pd.DataFrame) -> list[tuple]:
    """An answer's rows as tuples, a missing value as None (so that rows compare with ==)."""
    return [tuple(None if pd.isna(x) else x for x in r) for r in frame.itertuples(index=False)]


def invoke(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The CLI in-process (click's CliRunner isolation), through the same `main()` and its error
    handling; for tests where a subprocess is not the point. Same result shape as `run_cli`."""
    with CliRunner().isolation(env=env) as (out, err, _):
        try:
            cli.main(list(args))
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return subprocess.CompletedProcess(list(args), code, out.getvalue().decode(), err.getvalue().decode())


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the real `somec-graph` CLI in a subprocess, as a user would."""
    return subprocess.run([sys.executable, "-m", "somec_graph.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})}, cwd=REPO)
