"""The rules of the policy what-if (SPEC §7) and how a gaps statement runs under them.

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
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from ..errors import SomecGraphError
from ..store import Store
from ..store.facts import FACTS_VERSION
from ..vocab import risk_rank

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
