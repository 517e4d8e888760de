"""Work-queue cases (SPEC §8): what an analyst did about an arrival nobody was told of.

A case is its own node, `(:Case)-[:ON]->(:Movement)`, never a property of
the movement: loading a data set again (the same or changed rows) leaves it
alone, and since it is no Exchange it never changes a §4 answer (a request
informs nobody). Recording a case adds a node; the latest one (largest
`case_key`, which sorts by the time it was recorded) is the movement's case.

Analysts record cases only for movements into their own states (the write
statement filters on `$scope`); supervisors never; every case is audited
with the offender as a keyed hash.
"""

from __future__ import annotations

import secrets
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd

from .. import audit
from ..days import to_day
from ..errors import AccessDenied, SomecGraphError
from ..store import Store

CASE_STATUSES = ("requested", "closed")
QUEUE_CASE_STATUSES = ("open", *CASE_STATUSES)  # `open`: nothing recorded yet
CLOSE_REASONS = ("informed_offline", "left_state", "not_applicable")
MAX_NOTE_CHARS = 2000
CASE_COLUMNS = ["movement_id", "case_key", "status", "mechanism", "requested_date", "reason", "note",
                "recorded_by", "recorded_at"]


def _checked(store: Store, status: str, mechanism: str | None, requested_date: str | None, reason: str | None,
             note: str) -> dict[str, Any]:
    """The case's properties, or one sentence saying what is wrong with them."""
    if status not in CASE_STATUSES:
        raise SomecGraphError(f"A case's status must be {' or '.join(CASE_STATUSES)}, not {status!r}.")
    if not isinstance(note, str) or len(note) > MAX_NOTE_CHARS:
        raise SomecGraphError(f"A case's note must be text of at most {MAX_NOTE_CHARS} characters.")
    props: dict[str, Any] = {"status": status, "note": note.strip()}
    if status == "requested":
        codes = store.run("cases/mechanisms")[0]["codes"]
        if mechanism not in codes or reason is not None:
            raise SomecGraphError(f"A requested case names the mechanism used, one of {', '.join(sorted(codes))}, "
                                  "and no closing reason.")
        day = requested_date or date.today().isoformat()
        to_day(day, "The request date")
        props.update(mechanism=mechanism, requested_date=day)
    else:
        if reason not in CLOSE_REASONS or mechanism is not None or requested_date is not None:
            raise SomecGraphError(f"A closed case gives its reason, one of {', '.join(CLOSE_REASONS)}, "
                                  "and no mechanism or request date.")
        props["reason"] = reason
    return props


def record_case(store: Store, movement_id: str, status: str, *, mechanism: str | None = None,
                requested_date: str | None = None, reason: str | None = None, note: str = "") -> dict[str, Any]:
    """Record a case on a movement and audit it; returns the case as stored.

    Parameters
    ----------
    store : Store, acting for its user (analysts: movements into their states only)
    movement_id : the queue row's movement
    status : ``requested`` (give `mechanism`, a mechanism code, and
        `requested_date`, default today) or ``closed`` (give `reason`, one of
        CLOSE_REASONS)
    note : free text, at most MAX_NOTE_CHARS characters

    Examples
    --------
    >>> record_case(store, "MOV-1", "requested", mechanism="ECRIS")["status"]  # doctest: +SKIP
    'requested'
    """
    store.user.require_detail("Recording a case")
    props = _checked(store, status, mechanism, requested_date, reason, note)
    now = datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")
    props.update(movement_id=movement_id, recorded_by=store.user.name, recorded_at=now)
    key = f"{now}-{secrets.token_hex(4)}"
    rows = store.run("cases/record", {"movement_id": movement_id, "case_key": key, "props": props}, write=True)
    if not rows:
        if store.run("cases/movement_exists", {"movement_id": movement_id})[0]["found"]:
            raise AccessDenied(f"Movement {movement_id!r} arrives outside your states "
                               f"({', '.join(store.user.states)}); analysts record cases only there.")
        raise SomecGraphError(f"No movement {movement_id!r} in the graph; movement ids are the movement_id "
                              "column of movements.csv.")
    # The note is free text that may name the offender: the log keeps its length, the graph the text.
    audit.audited(store.settings.data_dir, store.user, "case",
                 {"movement_id": movement_id, "offender": rows[0]["offender_id"],  # logged as its keyed hash
                  **{k: props.get(k) for k in ("status", "mechanism", "requested_date", "reason")},
                  "note_chars": len(props["note"])}, rows=1)
    return {"case_key": key, **props}


def latest_cases(store: Store, movement_ids: list[str]) -> pd.DataFrame:
    """The latest case of each of the given movements that has one, sorted by movement_id.

    Examples
    --------
    >>> latest_cases(store, ["MOV-1"]).columns.tolist()  # doctest: +SKIP
    ['movement_id', 'case_key', 'status', 'mechanism', 'requested_date', 'reason', 'note', 'recorded_by', 'recorded_at']
    """
    store.user.require_detail("The case list")
    cols = store.run("cases/latest", {"ids": list(movement_ids)})[0]
    frame = pd.DataFrame({c: cols[c] for c in CASE_COLUMNS}, columns=CASE_COLUMNS).replace({"": None})
    latest = frame.sort_values("case_key").groupby("movement_id", sort=True).tail(1)
    return latest.sort_values("movement_id").reset_index(drop=True)
