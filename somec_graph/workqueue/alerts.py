"""Alerts (SPEC §10): what is new in the work queue for each watch rule since it was last acknowledged.

A rule's alerts are the §8 queue rows of its state (as-of = the data's latest
date, the rule's window) whose risk is at least the rule's and whose status it
watches, less the movements already acknowledged for it. Acknowledging links
the rule to those movements, `(:WatchRule)-[:ACKNOWLEDGED {at}]->(:Movement)`:
a reload or sync keeps the link (the movement stays), an erasure or a sync
that deletes the movement deletes the link with it, so no trace of an erased
offender stays with the rule. Acknowledging is audited with the offenders as
keyed hashes (no movement or offender id in clear).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime

import pandas as pd

from .. import audit
from ..errors import SomecGraphError
from ..store import Store
from ..vocab import risk_rank
from .queue import QUEUE_COLUMNS, queue
from .watch import WatchRule, require_watcher, rules

ALERT_COLUMNS = ["rule", *QUEUE_COLUMNS]


def _chosen(store: Store, rule: str | None) -> list[WatchRule]:
    mine = rules(store)
    if rule is None:
        return mine
    found = [r for r in mine if r.name == rule]
    if not found:
        raise SomecGraphError(f"You have no rule named {rule!r}; see somec-graph watch list.")
    return found


def evaluate(store: Store, chosen: list[WatchRule]) -> pd.DataFrame:
    """The alerts of the given rules (any owner's), by rule name, then §8 order, with each rule's key.

    The queue of each (state, window) is built once, however many rules share it; it is
    read as the store's user, so an analyst's rule on a state no longer theirs is refused.
    """
    acked: dict[str, set[str]] = {r.key: set() for r in chosen}
    if chosen:
        cols = store.run("watch/acknowledged", {"keys": list(acked)})[0]
        for key, movement in zip(cols["rule_keys"], cols["movement_ids"]):
            acked[key].add(movement)
    queues: dict[tuple[str, int], pd.DataFrame] = {}
    parts = []
    for rule in sorted(chosen, key=lambda r: (r.name, r.owner)):
        where = (rule.state, rule.window_days)
        if where not in queues:
            queues[where] = queue(store, rule.state, window_days=rule.window_days)
        rows = queues[where]
        keep = (rows["risk_level"].map(risk_rank) >= risk_rank(rule.min_risk)) & rows["status"].isin(rule.statuses) \
            & ~rows["movement_id"].isin(acked[rule.key])
        parts.append(rows[keep].assign(rule=rule.name, rule_key=rule.key))  # the queue's §8 order is kept
    if not parts:
        return pd.DataFrame(columns=[*ALERT_COLUMNS, "rule_key"])
    return pd.concat(parts, ignore_index=True)[[*ALERT_COLUMNS, "rule_key"]]


def alerts(store: Store, rule: str | None = None) -> pd.DataFrame:
    """The store's user's alerts: of every rule, or of the one named; columns ALERT_COLUMNS.

    Examples
    --------
    >>> alerts(store, "de-high").columns.tolist() == ALERT_COLUMNS  # doctest: +SKIP
    True
    """
    require_watcher(store.user)
    return evaluate(store, _chosen(store, rule))[ALERT_COLUMNS]


def acknowledge(store: Store, rule: str | None = None, seen: Collection[str] | None = None) -> pd.DataFrame:
    """Mark the current alerts (of every rule, or the one named) acknowledged; returns them. Audited.

    `seen`: only these movement ids (the rows a page showed): an alert that a load brought in
    after the page was drawn stays new until it is shown.
    """
    found = alerts(store, rule)
    if seen is not None:
        found = found[found["movement_id"].isin(set(seen))]
    user = store.user
    at = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    for name, rows in found.groupby("rule", sort=True):
        offenders = store.run("watch/acknowledge", {"rule_key": f"{user.name}/{name}",
                                                    "ids": rows["movement_id"].tolist(), "at": at}, write=True)
        audit.audited(store.settings.data_dir, user, "alerts ack",
                     {"rule": name, "offenders": sorted({r["offender_id"] for r in offenders})},  # keyed hashes
                     rows=len(offenders))
    return found


def counts(store: Store) -> list[tuple[WatchRule, int]]:
    """How many alerts each rule of every owner has now (the load's summary; the store's user: an admin)."""
    everyone = rules(store, owner=None)
    per_key = evaluate(store, everyone)["rule_key"].value_counts() if everyone else {}
    return [(r, int(per_key.get(r.key, 0))) for r in everyone]
