"""Facts derived at load time, per offender, that no window or as-of date changes.

For each movement: its place in the journey, the days stayed, the latest
qualifying conviction on or before arrival (SPEC §4.1 *lq*) and the earliest
information event for the receiving state on or after it (*aware*). For each
qualifying conviction abroad: the earliest ECRIS notice to the state of
nationality (§4.3). For each movement and each supervision still running in
another state: the earliest FD947 transfer (§4.4). A later "as of" date only
hides events after it; since *aware* is the *earliest* event, "no aware on or
before as_of" is simply `aware_day > as_of`, so every window and as-of is a
cheap aggregation over these stored facts (see `analysis/gaps.py`). The
inputs of the policy what-if (SPEC §7) are added per movement by
`whatif_inputs.py`.

Days are whole days since 1970-01-01.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..vocab import INFORMING_KINDS
from .whatif_inputs import movement_inputs


@dataclass
class Derived:
    movements: list[dict[str, Any]] = field(default_factory=list)    # {key, facts}
    convictions: list[dict[str, Any]] = field(default_factory=list)  # {key, facts}
    next_pairs: list[dict[str, str]] = field(default_factory=list)   # {from, to}
    supervision: list[dict[str, Any]] = field(default_factory=list)  # {movement_id, conviction_id, facts}
    offenders: list[dict[str, Any]] = field(default_factory=list)    # {key, scope_states}


def _earliest(days: list[int]) -> int | None:
    return min(days) if days else None


def derive_offender(offender: dict[str, Any], out: Derived, schengen: frozenset[str] = frozenset()) -> None:
    """Append the derived facts of one offender (see `load._derive_inputs`) to `out`.

    `schengen` holds the codes of the Schengen states (an input of SPEC §7).

    >>> out = Derived()
    >>> derive_offender({"offender_id": "O1", "nationality": "RO", "risk_rank": 3,
    ...   "convictions": [{"id": "C1", "state": "RO", "day": 100, "qualifying": True, "grp": "violent",
    ...                    "supervision_end_day": None}],
    ...   "movements": [{"id": "M1", "from_state": "RO", "to_state": "DE", "day": 200}],
    ...   "exchanges": [{"id": "E1", "kind": "alert", "mechanism": "SIS", "sender_state": "RO",
    ...                  "recipient_state": "DE", "sent_day": 210, "effective_day": 212, "conviction_id": None}]}, out)
    >>> out.movements[0]["facts"]["aware_day"], out.movements[0]["facts"]["conviction_state"]
    (212, 'RO')
    """
    convictions = offender["convictions"]
    movements = sorted(offender["movements"], key=lambda m: (m["day"], m["id"]))
    exchanges = offender["exchanges"]
    qualifying = sorted((c for c in convictions if c["qualifying"]), key=lambda c: (-c["day"], c["id"]))
    nationality = offender["nationality"]
    # The states an analyst's jurisdiction must include to see this offender (issue: scoping).
    scope = sorted({c["state"] for c in convictions} | {m[k] for m in movements for k in ("from_state", "to_state")}
                   | {e[k] for e in exchanges for k in ("sender_state", "recipient_state")})
    out.offenders.append({"key": offender["offender_id"], "scope_states": scope})
    ecris_aware = {c["id"]: _ecris_aware(c, nationality, exchanges) for c in convictions}
    first_movement, first_pair = len(out.movements), len(out.supervision)

    for i, m in enumerate(movements):
        d, to = m["day"], m["to_state"]
        nxt = movements[i + 1] if i + 1 < len(movements) else None
        if nxt:
            out.next_pairs.append({"from": m["id"], "to": nxt["id"]})
        # latest qualifying conviction on or before arrival; ties: smallest id
        lq = next((c for c in qualifying if c["day"] <= d), None)
        facts: dict[str, Any] = {
            "seq": i + 1,
            "stay_days": nxt["day"] - d if nxt else None,
            "risk_rank": offender["risk_rank"],
            "scope_states": scope,
            "counted": lq is not None,
            "lq_day": None, "lq_conviction_id": None, "conviction_state": None, "lq_group": None,
            "aware_day": None,
        }
        if lq is not None:
            events = [c["day"] for c in convictions if c["state"] == to]
            events += [e["effective_day"] for e in exchanges
                       if e["recipient_state"] == to and e["kind"] in INFORMING_KINDS]
            facts.update(lq_day=lq["day"], lq_conviction_id=lq["id"], conviction_state=lq["state"],
                         lq_group=lq["grp"], aware_day=_earliest([day for day in events if day >= lq["day"]]))
        out.movements.append({"key": m["id"], "facts": facts})

        for c in convictions:
            end = c.get("supervision_end_day")
            if c["state"] == to or end is None or not (end > d and c["day"] <= d):
                continue
            transfers = [e["effective_day"] for e in exchanges
                         if e["mechanism"] == "FD947" and e["kind"] == "supervision_transfer"
                         and e["sender_state"] == c["state"] and e["recipient_state"] == to
                         and e["effective_day"] >= c["day"]]
            out.supervision.append({"movement_id": m["id"], "conviction_id": c["id"],
                                    "facts": {"supervising_state": c["state"], "aware_day": _earliest(transfers)}})

    inputs = movement_inputs(offender, movements, out.supervision[first_pair:], ecris_aware, schengen)
    for row in out.movements[first_movement:]:
        row["facts"].update(inputs[row["key"]])

    for c in convictions:
        counted = bool(c["qualifying"]) and c["state"] != nationality
        out.convictions.append({"key": c["id"], "facts": {"ecris_counted": counted,
                                                          "ecris_aware_day": ecris_aware[c["id"]],
                                                          "scope_states": scope}})


def _ecris_aware(c: dict[str, Any], nationality: str, exchanges: list[dict[str, Any]]) -> int | None:
    """SPEC §4.3: the earliest ECRIS notice of conviction `c` to the state of nationality (None if not counted)."""
    if not c["qualifying"] or c["state"] == nationality:
        return None
    return _earliest([
        e["effective_day"] for e in exchanges
        if e["mechanism"] == "ECRIS" and e["kind"] == "conviction_notice"
        and e["sender_state"] == c["state"] and e["recipient_state"] == nationality
        and (e["conviction_id"] == c["id"] or (e["conviction_id"] is None and e["sent_day"] >= c["day"]))
    ])
