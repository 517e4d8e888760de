"""Load-time inputs of SPEC §7's hypothetical exchanges, per movement.

What a rule would add depends on the call (which rules, `notice_days`,
`reply_days`, which states have an agency), but *which* events it would start
from does not: the offender's qualifying convictions, the supervisions running
on each arrival, the detected arrivals and whether the state of nationality
already knew. Those are stored here on every movement, as parallel lists
sorted by day (so the first entry that passes a filter is the earliest), and
`cypher/whatif/*.cypher` turns them into candidate days per call. Lists hold
only ints or only strings, never nulls: Neo4j stores no mixed or null lists.
An empty list is left out (the property is absent and read as `[]`): an empty
list has no element type, and a bulk export would type it as text.

Per movement *m* of *o* into *B*:

- `nationality`, `to_schengen` — *o*'s state of nationality; whether *B* is
  a Schengen state (the `sis-high-risk` recipients);
- `q_days`, `q_states` — every qualifying conviction of *o* (day, state): the
  sources of `ecris-complete` notices (into *N*) and `sis-high-risk` alerts;
- `fd_days`, `fd_states` — every §4.4 pair of *o* arriving in *B* (arrival
  day, supervising state): `fd947-always` sends on arrival day + notice_days;
- `eoa_days`, `eoa_known` — every arrival of *o* in *B* ≠ *N* with
  `detected_by` (arrival day, 1 when *N* knew of a qualifying conviction by
  that day from the real data, else 0): `ecris-on-arrival` replies.
"""

from __future__ import annotations

from typing import Any


def movement_inputs(offender: dict[str, Any], movements: list[dict[str, Any]], pairs: list[dict[str, Any]],
                    ecris_aware: dict[str, int | None], schengen: frozenset[str]) -> dict[str, dict[str, Any]]:
    """The §7 inputs of each movement of one offender, by movement_id.

    Parameters
    ----------
    offender : the derive input of one offender (nationality, convictions ...)
    movements : its movements, sorted by (day, id)
    pairs : its §4.4 pairs as derived, `{movement_id, facts: {supervising_state}}`
    ecris_aware : per conviction id, its real §4.3 aware day (None: none, or not counted)
    schengen : the codes of the Schengen states

    Examples
    --------
    >>> offender = {"nationality": "RO", "convictions": [
    ...     {"id": "C1", "state": "DE", "day": 100, "qualifying": True},
    ...     {"id": "C2", "state": "RO", "day": 50, "qualifying": False}]}
    >>> moves = [{"id": "M1", "to_state": "FR", "day": 90, "detected_by": "FR-POL"},
    ...          {"id": "M2", "to_state": "FR", "day": 200, "detected_by": ""}]
    >>> got = movement_inputs(offender, moves, [{"movement_id": "M2", "facts": {"supervising_state": "DE"}}],
    ...                       {"C1": 130}, frozenset({"FR"}))
    >>> got["M1"]["q_days"], got["M1"]["fd_days"], got["M1"]["eoa_days"], got["M1"]["eoa_known"]
    ([100], [200], [90], [0])
    >>> got["M2"]["fd_states"], got["M2"]["eoa_days"]  # M2 was not detected; empty lists are left out
    (['DE'], [90])
    """
    nationality = offender["nationality"]
    qualifying = sorted((c for c in offender["convictions"] if c["qualifying"]), key=lambda c: (c["day"], c["id"]))
    arrival = {m["id"]: m for m in movements}
    supervised = sorted((arrival[p["movement_id"]]["day"], p["facts"]["supervising_state"],
                          arrival[p["movement_id"]]["to_state"]) for p in pairs)

    def knew(day: int) -> int:
        """1 when the state of nationality knew of a qualifying conviction by `day` (real data only)."""
        def told(c: dict[str, Any]) -> bool:
            aware = ecris_aware.get(c["id"])
            return c["state"] == nationality or (aware is not None and aware <= day)

        return int(any(c["day"] <= day and told(c) for c in qualifying))

    out: dict[str, dict[str, Any]] = {}
    for m in movements:
        to = m["to_state"]
        detected = [n for n in movements if n["to_state"] == to and n.get("detected_by") and to != nationality]
        lists = {
            "q_days": [c["day"] for c in qualifying],
            "q_states": [c["state"] for c in qualifying],
            "fd_days": [day for day, _, into in supervised if into == to],
            "fd_states": [state for _, state, into in supervised if into == to],
            "eoa_days": [n["day"] for n in detected],
            "eoa_known": [knew(n["day"]) for n in detected],
        }
        out[m["id"]] = {"nationality": nationality, "to_schengen": to in schengen,
                        **{name: values or None for name, values in lists.items()}}
    return out
