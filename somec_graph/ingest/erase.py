"""Erasure (SPEC §2): remove offenders and everything about them, on request, with a reason.

`erase_offenders` deletes each offender's work-queue cases, the exchanges
about them, their movements (and so the derived NEXT and SUPERVISION links)
and their convictions, then — in one last transaction — the offender nodes,
the new latest event day and a bumped data version, so that no dashboard
cache keeps showing them. An erasure killed half-way can be run again: the
offender node goes last, so the ids are still known until it has finished.

No other offender's stored facts depend on an erased offender: derived facts
are computed per offender from its own rows (`derive.py`), and co-offender
relations are read from the remaining convictions' `case_id` on every call.

The audit log records the erasure with its reason and the keyed hash of each
id (never the id: the log pseudonymises it) *before* anything is
deleted, so an erasure is never missing from the log. Those hashes let an
erasure be run again without refusing the ids already gone, and let
`reapply_erasures` erase again what an older backup brings back of the
erasures made after it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime

from .. import audit
from ..days import NO_DAY
from ..errors import AccessDenied, SomecGraphError
from ..store import Store, marker

ERASE_ACTION = "erase"
MAX_REASON_CHARS = 1000
REAPPLY_REASON = "re-applied after a restore: erased before"


@dataclass(frozen=True)
class EraseSummary:
    offenders: int
    convictions: int
    movements: int
    exchanges: int


def erase_offenders(store: Store, offender_ids: list[str], reason: str) -> EraseSummary:
    """Erase the given offenders and everything about them; refuse unknown ids by name.

    Parameters
    ----------
    store : Store acting for an admin
    offender_ids : ids as in offenders.csv; every one must be in the graph
    reason : why (a request, a court order, expungement at the source); audited

    Returns
    -------
    EraseSummary : how many offenders and rows went (ids the audit log
        records as erased already are not counted, and not refused)

    Examples
    --------
    >>> erase_offenders(store, ["OFF-000001"], "expunged at the source").offenders  # doctest: +SKIP
    1
    """
    if not store.user.is_admin:
        raise AccessDenied(f"Erasing offenders needs the admin role; {store.user.name} is {store.user.role}.")
    ids = list(dict.fromkeys(offender_ids))  # once each, in the order given
    reason = reason.strip() if isinstance(reason, str) else ""
    if not ids or not reason or len(reason) > MAX_REASON_CHARS:
        raise SomecGraphError(f"An erasure names at least one offender id and gives a reason of at most "
                              f"{MAX_REASON_CHARS} characters.")
    with marker.writing(store, ERASE_ACTION):
        found = set(store.run("erase/found", {"ids": ids})[0]["ids"])
        missing = [i for i in ids if i not in found]
        # An id the log records as erased is no typo: an erasure run again (after it was killed, say) goes on.
        erased = erased_keys(store) if missing else set()  # reads the whole log: only when needed
        hashes = audit.pseudonymised(store.settings.data_dir, {"offenders": missing})["offenders"]
        unknown = [i for i, key in zip(missing, hashes) if key not in erased]
        if unknown:
            raise SomecGraphError(f"No offender {', '.join(repr(i) for i in unknown)} in the graph; nothing was "
                                  "erased (ids are the offender_id column of offenders.csv).")
        ids = [i for i in ids if i in found]
        if not ids:
            return EraseSummary(0, 0, 0, 0)
        keys = {kind: store.run(f"derive/offender_{kind}", {"ids": ids, "no_day": NO_DAY})[0]["id"]
                for kind in ("convictions", "movements", "exchanges")}
        summary = EraseSummary(len(ids), *(len(keys[k]) for k in ("convictions", "movements", "exchanges")))
        audit.audited(store.settings.data_dir, store.user, ERASE_ACTION,
                     {"offenders": ids, "reason": reason, "convictions": summary.convictions,
                      "movements": summary.movements, "exchanges": summary.exchanges}, rows=len(ids))
        batch = store.settings.batch_size
        for kind in ("exchanges", "movements", "convictions"):
            for start in range(0, len(keys[kind]), batch):
                chunk = keys[kind][start:start + batch]
                if kind == "movements":
                    store.run("delete/cases", {"keys": chunk}, write=True)
                store.run(f"delete/{kind}", {"keys": chunk}, write=True)
        latest = store.run("gaps/latest_event")[0]["day"]
        now = datetime.now(UTC)
        store.run("erase/finish", {"ids": ids, "latest_day": latest, "now": now.isoformat(timespec="seconds"),
                                   "changed_at": now.isoformat()}, write=True)
    return summary


def erased_keys(store: Store, since: str | None = None) -> set[str]:
    """The keyed hashes of the offenders the audit log records as erased (at or after `since`, ISO time)."""
    frame = audit.show(store.settings.data_dir, action=ERASE_ACTION, since=since)
    return {key for params in frame["params"] for key in json.loads(params).get("offenders", [])}


def reapply_erasures(store: Store) -> int:
    """Erase again every offender in the graph that the audit log records as erased after the graph's
    data last changed (after a restore of an older backup, say); returns how many.

    Only erasures logged since the restored data's last change count: an id erased before it and
    loaded again later (a new record at the source) was in the data legitimately when the backup
    was made. Only keyed hashes are compared: the log holds no ids.
    """
    erased = erased_keys(store, since=store.run("load/meta")[0]["changed_at"])
    if not erased:
        return 0
    ids = [r["offender_id"] for r in store.run("derive/all_offenders")]
    hashes = audit.pseudonymised(store.settings.data_dir, {"offenders": ids})["offenders"]  # one key read for all
    back = [i for i, key in zip(ids, hashes) if key in erased]
    if back:
        erase_offenders(store, sorted(back), REAPPLY_REASON)
    return len(back)
