"""Watch rules (SPEC §10): a user's standing question over a state's work queue.

A rule belongs to one user and names a receiving state, a minimum risk level,
the §4.1 statuses it watches and a window. It is its own node,
`(:WatchRule {rule_key})` with `rule_key` = ``owner/name``, never a data-set
row: loads and syncs leave it alone. Its acknowledgments are links to
movements (`alerts.py`), so deleting a movement takes them along.

Analysts watch only their own states; supervisors, who never see queue rows,
have no rules; admins watch any state. Adding and removing a rule is audited
(a rule holds no offender, so nothing needs hashing).

The CLI acts for `access.users.cli_user()`: the configured user named by
SOMEC_USER, or the local admin.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from .. import audit
from ..errors import AccessDenied, SomecGraphError
from ..roles import User
from ..store import Store
from ..vocab import RISK_LEVELS
from .queue import loaded_state

WATCHED_STATUSES = ("unnotified", "pending")  # the §8 queue's statuses, in that order
RULE_COLUMNS = ["rule", "state", "min_risk", "statuses", "window_days", "acknowledged", "created_at"]
_NAME = re.compile(r"[A-Za-z0-9._-]{1,64}", re.ASCII)


@dataclass(frozen=True)
class WatchRule:
    owner: str
    name: str
    state: str
    min_risk: str = "low"
    statuses: tuple[str, ...] = WATCHED_STATUSES
    window_days: int = 30
    created_at: str = ""
    acknowledged: int = 0

    @property
    def key(self) -> str:
        """The rule's key in the graph: owner and name cannot hold '/', so it is unambiguous.

        >>> WatchRule("ana", "de-high", "DE").key
        'ana/de-high'
        """
        return f"{self.owner}/{self.name}"


def rule_key(owner: str, name: str) -> str:
    return f"{owner}/{name}"


def require_watcher(user: User) -> None:
    """Supervisors see the queue's counts per state, never its rows: they have no rules."""
    if not user.may_see_offenders:
        raise AccessDenied(f"Watch rules and alerts list queue rows of individual offenders; the {user.role} "
                           "role sees aggregates only (the queue's counts per state).")


def check_name(name: Any) -> str:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise SomecGraphError(f"The rule name {str(name)[:70]!r} is not allowed; use 1-64 letters, digits, dots, "
                              "dashes or underscores.")
    return name


def parse_statuses(raw: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    """A non-empty subset of unnotified, pending, in that order.

    >>> parse_statuses("pending, unnotified"), parse_statuses(None)
    (('unnotified', 'pending'), ('unnotified', 'pending'))
    """
    if raw is None:
        return WATCHED_STATUSES
    items = [s.strip() for s in (raw.split(",") if isinstance(raw, str) else raw) if s.strip()]
    wrong = [s for s in items if s not in WATCHED_STATUSES]
    if wrong or not items:
        raise SomecGraphError(f"A rule watches one or both of the statuses {', '.join(WATCHED_STATUSES)} "
                              f"(comma-separated), not {','.join(wrong) or 'none'!r}.")
    return tuple(s for s in WATCHED_STATUSES if s in items)


def add_rule(store: Store, name: str, state: str, *, min_risk: str = "low",
             statuses: str | tuple[str, ...] | list[str] | None = None, window_days: int = 30) -> WatchRule:
    """Add a rule for the store's user and audit it; returns the rule as stored.

    Examples
    --------
    >>> add_rule(store, "de-high", "DE", min_risk="high").statuses  # doctest: +SKIP
    ('unnotified', 'pending')
    """
    user = store.user
    require_watcher(user)
    check_name(name)
    code = loaded_state(store, state)
    if not user.may_see_offenders_in(code):
        raise AccessDenied(f"{code} is outside your states ({', '.join(user.states)}); analysts watch only "
                           "the queues of their own states.")
    if min_risk not in RISK_LEVELS:
        raise SomecGraphError(f"The minimum risk must be one of {', '.join(RISK_LEVELS)}, not {min_risk!r}.")
    if isinstance(window_days, bool) or not isinstance(window_days, int) or window_days < 0:
        raise SomecGraphError(f"The window must be a whole number of days, 0 or more, not {window_days!r}.")
    now = datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
    rule = WatchRule(user.name, name, code, min_risk, parse_statuses(statuses), window_days, now)
    props = {"owner": rule.owner, "name": rule.name, "state": rule.state, "min_risk": rule.min_risk,
             "statuses": list(rule.statuses), "window_days": rule.window_days, "created_at": now}
    if not store.run("watch/add", {"rule_key": rule.key, "props": props}, write=True):
        raise SomecGraphError(f"You already have a rule named {name!r}; remove it first "
                              "(somec-graph watch remove) or choose another name.")
    audit.audited(store.settings.data_dir, user, "watch add",
                 {k: v for k, v in props.items() if k not in ("owner", "created_at")})
    return rule


def rules(store: Store, owner: str | None = "") -> list[WatchRule]:
    """The rules of `owner` (default: the store's user; None: every owner's), by owner and name."""
    if owner == "":
        require_watcher(store.user)
        owner = store.user.name
    return [WatchRule(r["owner"], r["name"], r["state"], r["min_risk"], tuple(r["statuses"]), int(r["window_days"]),
                      r["created_at"], int(r["acknowledged"]))
            for r in store.run("watch/rules", {"owner": owner})]


def rule_table(found: list[WatchRule]) -> Any:
    """`rules()` as a table of RULE_COLUMNS (statuses comma-separated)."""
    import pandas as pd

    return pd.DataFrame([[r.name, r.state, r.min_risk, ",".join(r.statuses), r.window_days, r.acknowledged,
                          r.created_at] for r in found], columns=RULE_COLUMNS)


def remove_rule(store: Store, name: str) -> None:
    """Remove one of the store's user's rules, with its acknowledgments; audited."""
    user = store.user
    require_watcher(user)
    check_name(name)
    if not store.run("watch/remove", {"rule_key": rule_key(user.name, name)}, write=True)[0]["removed"]:
        raise SomecGraphError(f"You have no rule named {name!r}; see somec-graph watch list.")
    audit.audited(store.settings.data_dir, user, "watch remove", {"name": name})
