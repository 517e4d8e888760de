"""Sync (SPEC §2): a data set folder is the complete current truth, and what it no longer holds goes.

`load_dataset(..., sync=True)` writes the folder's new and changed rows as any
load does, then deletes every agency, offender, conviction, movement and
exchange whose id the folder no longer holds — with the work-queue cases of
deleted movements and, through `DETACH DELETE`, the derived NEXT and
SUPERVISION links through them — and re-derives the facts of every remaining
offender that lost a row. Co-offender relations are read from the remaining
convictions' `case_id` on every call, so they need nothing here. It all
happens inside the load's `Meta` pending window: a sync that dies is completed
by running it again, which re-sends every row and re-derives every offender.

A missing data file never means "delete all": `require_complete` refuses a
folder without one of the four data files before anything is read.

>>> plan = Removal({"movements": ["M9"]}, {"O1"})
>>> plan.total, plan.count("movements"), plan.count("offenders")
(1, 1, 0)
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import SomecGraphError
from ..store import Store
from .contract import TABLES_BY_NAME
from .validate import Dataset

# The tables a sync deletes from, in the order the deletes run: what refers to others goes first.
SYNCED = ("exchanges", "movements", "convictions", "offenders", "agencies")
DATA_FILES = ("offenders", "convictions", "movements", "exchanges")


def require_complete(folder: Path) -> None:
    """Refuse a folder that lacks one of the four data files: under a sync it would delete them all."""
    missing = [f"{name}.csv" for name in DATA_FILES if not (folder / f"{name}.csv").is_file()]
    if missing:
        raise SomecGraphError(
            f"A sync makes the graph equal to {folder}, which has no {' or '.join(missing)}; a missing file never "
            "means 'delete everything', so nothing was changed (give an empty file with its header row instead).")


@dataclass
class Removal:
    """What a sync deletes: keys per table, and the remaining offenders whose facts must be derived again."""
    keys: dict[str, list[str]] = field(default_factory=dict)
    affected: set[str] = field(default_factory=set)

    @property
    def total(self) -> int:
        return sum(len(k) for k in self.keys.values())

    def count(self, table: str) -> int:
        return len(self.keys.get(table, []))


def plan_removal(store: Store, ds: Dataset) -> Removal:
    """Compare the graph's keys with the data set's (reads only)."""
    removal = Removal()
    owners: set[str] = set()
    for name in SYNCED:
        kept = {row[TABLES_BY_NAME[name].key] for row in ds.rows.get(name, [])}
        stored = store.run(f"sync/stored_{name}")[0]
        gone = sorted(k for k in stored["keys"] if k not in kept)
        removal.keys[name] = gone
        owner_of = dict(zip(stored["keys"], stored["offenders"]))
        owners.update(owner_of[k] for k in gone if owner_of[k])
    removal.affected = owners - set(removal.keys["offenders"])
    return removal


def apply_removal(store: Store, removal: Removal, report: Callable[[str, int, int], None]) -> None:
    """Delete what `removal` holds, in batches, cases of deleted movements first."""
    batch = store.settings.batch_size
    total, done = removal.total, 0
    if not total:
        return
    report("deleted rows", 0, total)
    for name in SYNCED:
        keys = removal.keys.get(name, [])
        for start in range(0, len(keys), batch):
            chunk = keys[start:start + batch]
            if name == "movements":
                store.run("delete/cases", {"keys": chunk}, write=True)
            store.run(f"delete/{name}", {"keys": chunk}, write=True)
            done += len(chunk)
            report("deleted rows", done, total)
