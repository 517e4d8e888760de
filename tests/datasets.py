"""Small hand-made data sets for the validation, load, CLI and store tests.

`base()` is a valid data set of three offenders; tests copy it, change or add a
row and write it with `fixtures.write_dataset`. The expected graph of a data
set is computed here from the rows themselves (`expected_counts`), not by the
code under test.
"""

from __future__ import annotations

import copy
import csv
from collections import Counter
from typing import Any

from somec_graph.resources import SEED_DIR

Rows = dict[str, list[dict[str, str]]]

_BASE: Rows = {
    "agencies": [
        {"agency_id": "DE-POL", "name": "DE Police", "state": "DE", "kind": "police"},
        {"agency_id": "DE-CRA", "name": "DE Criminal Records", "state": "DE", "kind": "criminal_records"},
        {"agency_id": "RO-CRA", "name": "RO Criminal Records", "state": "RO", "kind": "criminal_records"},
        {"agency_id": "FR-POL", "name": "FR Police", "state": "FR", "kind": "police"},
        {"agency_id": "FR-PRB", "name": "FR Probation", "state": "FR", "kind": "probation"},
    ],
    "offenders": [
        {"offender_id": "O1", "nationality": "RO", "birth_year": "1980", "sex": "M", "risk_level": "high"},
        {"offender_id": "O2", "nationality": "PL", "birth_year": "1975", "sex": "F", "risk_level": "medium"},
        {"offender_id": "O3", "nationality": "FR", "birth_year": "", "sex": "", "risk_level": "low"},
    ],
    "convictions": [
        {"conviction_id": "C1", "offender_id": "O1", "state": "RO", "offence_code": "1001",
         "conviction_date": "2020-01-10", "case_id": "K1", "sentence_months": "24", "supervision_end": "2023-01-01"},
        {"conviction_id": "C2", "offender_id": "O2", "state": "DE", "offence_code": "0801",
         "conviction_date": "2020-05-05", "case_id": "K1", "sentence_months": "", "supervision_end": ""},
        {"conviction_id": "C3", "offender_id": "O3", "state": "FR", "offence_code": "1701",
         "conviction_date": "2019-03-03", "case_id": "", "sentence_months": "6", "supervision_end": "2021-06-30"},
    ],
    "movements": [
        {"movement_id": "M1", "offender_id": "O1", "from_state": "RO", "to_state": "DE",
         "arrival_date": "2021-03-01", "detected_by": "DE-POL", "source": "border_check"},
        {"movement_id": "M2", "offender_id": "O1", "from_state": "DE", "to_state": "FR",
         "arrival_date": "2021-09-01", "detected_by": "", "source": ""},
        {"movement_id": "M3", "offender_id": "O2", "from_state": "PL", "to_state": "DE",
         "arrival_date": "2021-02-01", "detected_by": "", "source": "registration"},
        {"movement_id": "M4", "offender_id": "O3", "from_state": "FR", "to_state": "DE",
         "arrival_date": "2021-01-15", "detected_by": "DE-POL", "source": "police_check"},
    ],
    "exchanges": [
        {"exchange_id": "E1", "mechanism": "ECRIS", "sender": "RO-CRA", "recipient": "DE-CRA", "offender_id": "O1",
         "kind": "conviction_notice", "sent_date": "2021-03-10", "received_date": "2021-03-12",
         "conviction_id": "C1", "movement_id": "M1"},
        {"exchange_id": "E2", "mechanism": "SIS", "sender": "DE-POL", "recipient": "FR-POL", "offender_id": "O2",
         "kind": "alert", "sent_date": "2021-04-01", "received_date": "", "conviction_id": "", "movement_id": "M3"},
        {"exchange_id": "E3", "mechanism": "SIS", "sender": "DE-POL", "recipient": "FR-POL", "offender_id": "O2",
         "kind": "alert", "sent_date": "2021-04-01", "received_date": "", "conviction_id": "", "movement_id": ""},
        {"exchange_id": "E4", "mechanism": "FD947", "sender": "FR-PRB", "recipient": "DE-POL", "offender_id": "O3",
         "kind": "supervision_transfer", "sent_date": "2021-01-20", "received_date": "2021-01-25",
         "conviction_id": "C3", "movement_id": ""},
    ],
}


def base() -> Rows:
    """A fresh copy of the valid base data set (agencies ... exchanges; reference tables from seed_data/)."""
    return copy.deepcopy(_BASE)


def seed_rows(name: str) -> list[dict[str, str]]:
    with (SEED_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def expected_counts(rows: Rows) -> dict[tuple[str, str], int]:
    """(kind, name) -> count of the graph the data set should give, worked out from the rows.

    Assumes the reference tables come from seed_data/ and that every row is valid.
    """
    states = seed_rows("states")
    offences = {r["code"]: r["group"] for r in seed_rows("offence_categories")}
    agencies, offenders = rows["agencies"], rows["offenders"]
    convictions, movements, exchanges = rows["convictions"], rows["movements"], rows["exchanges"]
    nodes = {"State": len(states), "OffenceCategory": len(offences), "Mechanism": len(seed_rows("mechanisms")),
             "Agency": len(agencies), "Offender": len(offenders), "Conviction": len(convictions),
             "Movement": len(movements), "Exchange": len(exchanges)}
    per_offender = Counter(m["offender_id"] for m in movements)
    rels = {
        "IN": len(agencies) + len(convictions),
        "NATIONAL_OF": len(offenders),
        "CONVICTED": len(convictions), "FOR": len(convictions),
        "MADE": len(movements), "FROM": len(movements), "TO": len(movements),
        "DETECTED_BY": sum(1 for m in movements if m.get("detected_by")),
        "VIA": len(exchanges), "SENT_BY": len(exchanges), "SENT_TO": len(exchanges), "ABOUT": len(exchanges),
        "CONCERNS": sum(bool(e.get("conviction_id")) + bool(e.get("movement_id")) for e in exchanges),
        "NEXT": sum(n - 1 for n in per_offender.values()),
        # SPEC §4.4: a movement into B on d and a conviction in S != B, dated <= d, supervised beyond d.
        "SUPERVISION": sum(1 for m in movements for c in convictions
                           if c["offender_id"] == m["offender_id"] and c["state"] != m["to_state"]
                           and c.get("supervision_end") and c["supervision_end"] > m["arrival_date"]
                           and c["conviction_date"] <= m["arrival_date"]),
    }
    out = {("node", k): v for k, v in nodes.items() if v}
    out.update({("relationship", k): v for k, v in rels.items() if v})
    return out


def counts_of(rows: list[dict[str, Any]]) -> dict[tuple[str, str], int]:
    """The `counts` query's rows as {(kind, name): count}."""
    return {(r["kind"], r["name"]): r["count"] for r in rows}
