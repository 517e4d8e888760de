"""The policy what-if (SPEC §7): its rules, how a gaps statement runs under them, and the summary
of how many arrival gaps each rule would close.

A `Policy` names the rules and the days they wait. The loaded graph never
changes: each §4 statement has a twin in `cypher/whatif/` that takes the
policy as parameters and computes, per movement or conviction, the earliest of
its real aware day and the hypothetical exchanges the rules add, from inputs
stored at load time (`ingest/whatif_inputs.py`). Which states have an agency
is read on every call, so a later load of agencies alone is honoured.

A state's agency of the rule's kind, or failing that its agency with the
smallest agency_id, always lies in that state (an international agency
carries the state of its seat), so the choice of agency decides only whether
an exchange exists — both states need an agency — never where it is received.

The summary (`summary`) is the §4.2 aggregation over all counted movements, once on the real
exchanges and once per rule set on the real plus the hypothetical ones; nothing is stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import SomecGraphError
from ..lazy import lazy_module
from ..rows import Rows
from ..store import Store
from ..store.facts import FACTS_VERSION
from ..vocab import risk_rank

if TYPE_CHECKING:
    import pandas as pd
else:  # the command line renders `summary_rows` without it
    pd = lazy_module("pandas")

# In the order they are applied (SPEC §7): each sees the hypothetical exchanges of those before it.
RULES = ("ecris-complete", "fd947-always", "sis-high-risk", "ecris-on-arrival")
DEFAULT_NOTICE_DAYS = 10
DEFAULT_REPLY_DAYS = 10
SIS_MIN_RISK = "high"  # sis-high-risk alerts on offenders of risk level high or very_high


@dataclass(frozen=True)
class Policy:
    """Rules (in table order) and the days they wait; build it with `policy()`, which checks them."""
    rules: tuple[str, ...]
    notice_days: int = DEFAULT_NOTICE_DAYS
    reply_days: int = DEFAULT_REPLY_DAYS


def policy(rules: str | Iterable[str], notice_days: int = DEFAULT_NOTICE_DAYS,
           reply_days: int = DEFAULT_REPLY_DAYS) -> Policy:
    """A checked Policy from rule names (a list, or text separated by commas), in table order.

    Examples
    --------
    >>> policy("ecris-on-arrival, ecris-complete").rules  # applied in table order, whatever the order given
    ('ecris-complete', 'ecris-on-arrival')
    >>> policy(["sis-high-risk"], notice_days=0)
    Policy(rules=('sis-high-risk',), notice_days=0, reply_days=10)
    >>> policy("ecris-late")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    somec_graph.errors.SomecGraphError: Unknown what-if rule 'ecris-late'; the rules are ecris-complete, ...
    """
    names = [r.strip() for r in (rules.split(",") if isinstance(rules, str) else rules)]
    names = [r for r in names if r]
    valid = ", ".join(RULES)
    unknown = [r for r in names if r not in RULES]
    if unknown:
        listed = ", ".join(repr(r) for r in unknown)
        raise SomecGraphError(f"Unknown what-if rule{'s' if len(unknown) > 1 else ''} {listed}; the rules are {valid}.")
    if not names:
        raise SomecGraphError(f"No what-if rule given; the rules are {valid}.")
    for what, days in (("Notice days", notice_days), ("Reply days", reply_days)):
        if type(days) is not int or days < 0:
            raise SomecGraphError(f"{what} must be a whole number of 0 or more, not {days!r}.")
    return Policy(tuple(r for r in RULES if r in names), notice_days, reply_days)


def parameters(store: Store, rules: Policy) -> dict[str, Any]:
    """The parameters a `cypher/whatif/` statement takes for `rules`, with this call's agency states."""
    found = store.run("whatif/agency_states")[0]
    if found["facts_version"] < FACTS_VERSION:
        raise SomecGraphError("The graph was derived by an earlier version that stored no what-if inputs; "
                              "load the data set again to derive them.")
    return {"rules": list(rules.rules), "notice_days": rules.notice_days, "reply_days": rules.reply_days,
            "agency_states": found["states"], "sis_min_risk": risk_rank(SIS_MIN_RISK)}


def statement(store: Store, name: str, params: dict[str, Any], rules: Policy | None) -> tuple[str, dict[str, Any]]:
    """The statement to run for `gaps/<x>` and its parameters: itself, or its `whatif/<x>` twin under `rules`."""
    if rules is None:
        return name, params
    return "whatif/" + name.rsplit("/", 1)[-1], {**params, **parameters(store, rules)}


SUMMARY_COLUMNS = ["rule", "movements", "gaps_before", "gaps_after", "gap_rate_before", "gap_rate_after"]
ALL = "all"  # the summary's last row: the four rules together


def _totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Counted movements, gaps and gap rate of `arrival_group_rows(by="all")` (no row: no movements)."""
    if not rows:
        return {"movements": 0, "gaps": 0, "gap_rate": None}
    row = rows[0]
    return {"movements": int(row["movements"]), "gaps": int(row["late"] + row["unnotified"]),
            "gap_rate": None if row["gap_rate"] is None else float(row["gap_rate"])}


def summary(store: Store, *, window_days: int = 30, as_of: str | int | None = None,
            notice_days: int = DEFAULT_NOTICE_DAYS, reply_days: int = DEFAULT_REPLY_DAYS) -> pd.DataFrame:
    """One row per rule alone, in table order, then `all`: gaps and gap rate without and with it.

    Parameters
    ----------
    store : Store
    window_days, as_of : as in `gaps.matrix`; as_of defaults to the latest
        event of the real data, which hypothetical exchanges never move
    notice_days, reply_days : the days the rules' exchanges wait (SPEC §7)

    Returns
    -------
    DataFrame with columns ``rule, movements, gaps_before, gaps_after,
    gap_rate_before, gap_rate_after``; the rates are over all counted
    movements together, ``(late + unnotified) / (movements - pending)``,
    empty when that divisor is 0.

    Examples
    --------
    >>> summary(store, notice_days=5)["rule"].tolist()  # doctest: +SKIP
    ['ecris-complete', 'fd947-always', 'sis-high-risk', 'ecris-on-arrival', 'all']
    """
    return summary_rows(store, window_days=window_days, as_of=as_of, notice_days=notice_days,
                        reply_days=reply_days).frame(gap_rate_before="Float64", gap_rate_after="Float64")


def summary_rows(store: Store, *, window_days: int = 30, as_of: str | int | None = None,
                 notice_days: int = DEFAULT_NOTICE_DAYS, reply_days: int = DEFAULT_REPLY_DAYS) -> Rows:
    """`summary` as plain rows."""
    from .gaps import arrival_group_rows, resolve_as_of  # gaps runs its statements through this module

    sets: list[tuple[str, Policy]] = [(r, policy([r], notice_days, reply_days)) for r in RULES]
    sets.append((ALL, policy(RULES, notice_days, reply_days)))
    day = resolve_as_of(store, as_of)
    before = _totals(arrival_group_rows(store, "all", window_days=window_days, as_of=day))
    rows = []
    for name, rules in sets:
        after = _totals(arrival_group_rows(store, "all", window_days=window_days, as_of=day, whatif=rules))
        rows.append({"rule": name, "movements": before["movements"], "gaps_before": before["gaps"],
                     "gaps_after": after["gaps"], "gap_rate_before": before["gap_rate"],
                     "gap_rate_after": after["gap_rate"]})
    return Rows.of(SUMMARY_COLUMNS, rows)
