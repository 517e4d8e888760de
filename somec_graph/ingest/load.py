"""Loading a validated data set into the graph, idempotently.

Each row carries a hash of its content. Before writing, the loader reads the
stored hashes of the rows' keys and sends only new and changed rows (a changed
row first loses the relationships it defines, then is merged again), so
loading the same data set twice writes nothing the second time. Writes are
batched `UNWIND $rows` MERGE statements, one transaction per batch.

A `Meta` node marks a load as pending until it has finished: the next load
after one that died re-sends every row and re-derives every offender, so an
interrupted load can simply be run again. A sync (`sync.py`) also deletes,
inside the same pending window, what the data set no longer holds; a dry run
only counts.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from ..days import NO_DAY, day_number
from ..errors import AccessDenied
from ..progress import Progress
from ..store import Store, cypher, marker
from ..store.facts import FACTS_VERSION
from ..vocab import QUALIFYING_GROUPS, risk_rank
from . import bulk
from .contract import TABLES, TABLES_BY_NAME, Table
from .derive import Derived, derive_offender
from .sync import Removal, apply_removal, plan_removal, require_complete
from .validate import Dataset

DERIVE_BATCH = 2000
READ_BATCH = 20000


@dataclass
class TableSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0  # by a sync only


@dataclass
class LoadSummary:
    tables: dict[str, TableSummary] = field(default_factory=dict)
    derived_offenders: int = 0
    resumed: bool = False

    def rows(self) -> list[dict[str, Any]]:
        return [{"file": f"{name}.csv", "created": s.created, "updated": s.updated, "unchanged": s.unchanged,
                 "deleted": s.deleted} for name, s in self.tables.items()]


def _day_name(column: str) -> str:
    return column[:-5] + "_day" if column.endswith("_date") else column + "_day"


@dataclass(frozen=True)
class Lookups:
    """What rows are denormalised with: the group of each offence code, the state of each agency."""
    groups: dict[str, str]
    agency_states: dict[str, str]

    @classmethod
    def of(cls, ds: Dataset) -> Lookups:
        return cls({r["code"]: r["group"] for r in ds.rows.get("offence_categories", [])},
                   {r["agency_id"]: r["state"] for r in ds.rows.get("agencies", [])})


# json.dumps(props, sort_keys=True, default=str), without building an encoder for every row
_HASH_JSON = json.JSONEncoder(sort_keys=True, default=str)


def _props(table: Table, row: dict[str, Any], lookups: Lookups) -> dict[str, Any]:
    """The node properties of one row: contract columns, day numbers, denormalised facts."""
    props: dict[str, Any] = {}
    for col in table.columns:
        value = row.get(col.name)
        if isinstance(value, date):
            props[col.name] = value.isoformat()
            props[_day_name(col.name)] = day_number(value)
        else:
            props[col.name] = value
            if col.type == "date":
                props[_day_name(col.name)] = None
    if table.name == "offenders":
        props["risk_rank"] = risk_rank(row["risk_level"])
    elif table.name == "convictions":
        group = lookups.groups[row["offence_code"]]
        props.update(group=group, qualifying=group in QUALIFYING_GROUPS)
    elif table.name == "exchanges":
        effective = row["received_date"] or row["sent_date"]
        props.update(sender_state=lookups.agency_states[row["sender"]],
                     recipient_state=lookups.agency_states[row["recipient"]],
                     effective_date=effective.isoformat(), effective_day=day_number(effective),
                     year=row["sent_date"].year)
    props.pop(table.key)
    props["row_hash"] = hashlib.sha1(_HASH_JSON.encode(props).encode()).hexdigest()
    return props


def apply_schema(store: Store) -> None:
    for statement in cypher.split_statements(cypher.load("schema").text):
        store.run_text(statement, write=True)


@dataclass
class _Plan:
    """What one table's load will write: rows new to the graph, rows to merge again, keys whose links change."""
    table: Table
    new: list[dict[str, Any]] = field(default_factory=list)
    merge: list[dict[str, Any]] = field(default_factory=list)
    changed: list[Any] = field(default_factory=list)


def _plan(store: Store, table: Table, ds: Dataset, lookups: Lookups, resumed: bool, summary: TableSummary,
          affected: set[str], present: int) -> _Plan:
    """Compare the rows' hashes with the stored ones; collect the offenders whose facts may change."""
    rows = [{"key": r[table.key], "props": _props(table, r, lookups), "raw": r}
            for r in ds.rows.get(table.name, [])]
    stored: dict[Any, tuple[str, str]] = {}
    keys = [r["key"] for r in rows] if present else []  # nothing to compare with in an empty label
    for start in range(0, len(keys), READ_BATCH):
        found = store.run(f"load/{table.name}_existing", {"keys": keys[start:start + READ_BATCH]})[0]
        stored.update(zip(found["keys"], zip(found["hashes"], found["offenders"])))
    plan = _Plan(table)
    for r in rows:
        old = stored.get(r["key"])
        if old is None:
            summary.created += 1
            # After an interrupted load a "new" row may already be half written: merge it.
            (plan.merge if resumed else plan.new).append(r)
        elif old[0] != r["props"]["row_hash"]:
            summary.updated += 1
            plan.changed.append(r["key"])
            plan.merge.append(r)
            if old[1]:
                affected.add(old[1])
        else:
            summary.unchanged += 1
            if not resumed:
                continue  # after an interrupted load every row is sent again
            plan.merge.append(r)
        if r["raw"].get("offender_id"):
            affected.add(r["raw"]["offender_id"])
    return plan


def _write(store: Store, plan: _Plan, report: Progress) -> None:
    """Detach changed rows, merge existing ones, create new ones, then the optional links."""
    table, batch = plan.table, store.settings.batch_size
    total = len(plan.new) + len(plan.merge)
    report(table.file, 0, total)
    if plan.changed and not table.reference:
        for start in range(0, len(plan.changed), batch):
            store.run(f"load/{table.name}_detach", {"keys": plan.changed[start:start + batch]}, write=True)
    links = table.link_columns
    done = 0
    for rows, suffix in ((plan.merge, ""), (plan.new, "_new")):
        statement = f"load/{table.name}{suffix if not table.reference else ''}"
        payload = [{"key": r["key"], "props": r["props"], **{c: r["raw"][c] for c in links}} for r in rows]
        for start in range(0, len(payload), batch):
            store.run(statement, {"rows": payload[start:start + batch]}, write=True)
            done += len(payload[start:start + batch])
            report(table.file, done, total)
        for link in table.links:
            if link.statement:  # an optional column: its own statement, for the rows that have it
                field_name = TABLES_BY_NAME[table.target(link)].key
                linked = [{"key": r["key"], field_name: r["raw"][link.column]} for r in rows if r["raw"].get(link.column)]
                store.write_batches(f"load/{link.statement}{suffix}", linked, batch)


def load_dataset(store: Store, ds: Dataset, progress: Progress | None = None, *, sync: bool = False,
                 dry_run: bool = False) -> LoadSummary:
    """Write the valid rows of `ds` to the graph and derive the gap facts.

    Only valid rows are in `ds.rows`; the caller decides whether a data set with
    problems may load at all (the CLI refuses unless --skip-invalid).

    Parameters
    ----------
    sync : also delete every agency, offender, conviction, movement and
        exchange that `ds` does not hold, with everything derived from them
        (SPEC §2); refused when the folder lacks one of the four data files
    dry_run : count what would be created, updated (and deleted) per file,
        and write nothing
    """
    if not store.user.is_admin:
        raise AccessDenied(f"Loading data needs the admin role; {store.user.name} is {store.user.role}.")
    if sync:
        require_complete(ds.folder)
    report = progress or (lambda step, done, total: None)
    if dry_run:  # reads only: no lock, no schema
        return _load(store, ds, report, sync, dry_run=True)
    with marker.writing(store, "sync" if sync else "load"):
        return _load(store, ds, report, sync)


def _load(store: Store, ds: Dataset, report: Progress, sync: bool, dry_run: bool = False) -> LoadSummary:
    if not dry_run:
        apply_schema(store)
    meta = store.run("load/meta")[0]
    summary = LoadSummary(resumed=bool(meta["pending"]))
    if meta["bulk_pending"] and not dry_run:  # a bulk first load died: start it over (bulk.py)
        bulk.wipe(store, report)
    stale = meta["facts_version"] != FACTS_VERSION
    affected: set[str] = set()
    plans = []
    present = store.run("load/label_counts")[0]
    first = not dry_run and bulk.wanted(store, present)  # an empty store: nothing half written to merge over
    lookups = Lookups.of(ds)
    for table in TABLES:
        summary.tables[table.name] = TableSummary()
        plans.append(_plan(store, table, ds, lookups, summary.resumed and not first, summary.tables[table.name],
                           affected, present[table.name]))
    removal = plan_removal(store, ds) if sync else Removal()
    for name, keys in removal.keys.items():
        summary.tables[name].deleted = len(keys)
    if dry_run or (not stale and not any(p.new or p.merge for p in plans) and not removal.total):
        return summary
    # A changed offence group or agency state can change any offender's facts.
    everything = summary.resumed or stale or any((p.new or p.merge) and (p.table.reference or p.table.name == "agencies")
                                        for p in plans)
    if first:
        graph, summary.derived_offenders = bulk.build(plans, _schengen(plans))
        store.run("load/meta_begin_bulk", write=True)
        bulk.write(store, graph, report)
    else:
        store.run("load/meta_begin", write=True)
        for plan in plans:
            _write(store, plan, report)
        # After the writes: a deleted row is named by no remaining row, and nothing dangles in between.
        apply_removal(store, removal, report)
        affected |= removal.affected
        if everything:
            affected = {r["offender_id"] for r in store.run("derive/all_offenders")}
        summary.derived_offenders = derive(store, sorted(affected), report)
    latest = store.run("gaps/latest_event")[0]["day"]
    now = datetime.now(UTC)
    store.run("load/meta_end", {"now": now.isoformat(timespec="seconds"), "changed_at": now.isoformat(),
                                "latest_day": latest, "facts_version": FACTS_VERSION}, write=True)
    return summary


def _schengen(plans: list[_Plan]) -> frozenset[str]:
    """The Schengen states of a first load, as `derive/schengen_states` would read them from the graph."""
    return frozenset(r["key"] for p in plans if p.table.name == "states" for r in p.new if r["props"]["schengen"] is True)


def derive(store: Store, offender_ids: list[str], report: Progress) -> int:
    """Recompute the derived facts of the given offenders (see derive.py)."""
    total = len(offender_ids)
    report("derived facts", 0, total)
    schengen = frozenset(store.run("derive/schengen_states")[0]["codes"])
    for start in range(0, total, DERIVE_BATCH):
        ids = offender_ids[start:start + DERIVE_BATCH]
        out = Derived()
        for offender in _derive_inputs(store, ids):
            derive_offender(offender, out, schengen)
        store.run("derive/clear_links", {"ids": ids}, write=True)
        batch = store.settings.batch_size
        store.write_batches("derive/movements", out.movements, batch)
        store.write_batches("derive/convictions", out.convictions, batch)
        store.write_batches("derive/next", out.next_pairs, batch)
        store.write_batches("derive/supervision", out.supervision, batch)
        store.write_batches("derive/offenders_scope", out.offenders, batch)
        report("derived facts", min(start + DERIVE_BATCH, total), total)
    return total


def _rows(columns: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Column lists (as the derive/ statements return them) to row dicts."""
    names = list(columns)
    return [dict(zip(names, values)) for values in zip(*columns.values())]


def _derive_inputs(store: Store, ids: list[str]) -> list[dict[str, Any]]:
    """Per offender: nationality, risk rank and its convictions, movements and exchanges."""
    offenders = {r["offender_id"]: {**r, "convictions": [], "movements": [], "exchanges": []}
                 for r in _rows(store.run("derive/offenders", {"ids": ids})[0])}
    for kind in ("convictions", "movements", "exchanges"):
        for row in _rows(store.run(f"derive/offender_{kind}", {"ids": ids, "no_day": NO_DAY})[0]):
            if row.get("supervision_end_day") == NO_DAY:
                row["supervision_end_day"] = None
            if row.get("conviction_id") == "":
                row["conviction_id"] = None
            offenders[row.pop("offender_id")][kind].append(row)
    return list(offenders.values())
