"""SPEC §7 read literally: "every §4 answer is then computed exactly as before on
the real plus the hypothetical exchanges".

This test writes the hypothetical exchanges of SPEC §7 out as rows of
exchanges.csv — with its own, deliberately plain implementation of the rule
table, from the CSV rows alone — loads real plus hypothetical data and checks
that the plain §4 answers of that graph equal the what-if answers on the real
data. The synthetic set is changed first so that agency choice matters: FR
loses its criminal records agency, IT its probation service, BG its police
and IE every agency.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import pytest
from fixtures import load_folder, wipe

from somec_graph.analysis import gaps, whatif
from somec_graph.days import to_iso
from somec_graph.output import render
from somec_graph.store import Store
from somec_graph.synth import generate

EC, FD, SIS, EOA = whatif.RULES
DROPPED = {("FR", "criminal_records"), ("IT", "probation"), ("BG", "police")}
NO_AGENCY = "IE"
CASES = [  # (rules, notice_days, reply_days)
    ((EC,), 10, 10), ((FD,), 10, 10), ((SIS,), 10, 10), ((EOA,), 10, 10),
    (whatif.RULES, 10, 10), ((EC, EOA), 45, 3), ((FD, SIS), 0, 0),
]


def read(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write(folder: Path, name: str, rows: list[dict[str, str]], header: list[str]) -> None:
    with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def thin_agencies(folder: Path) -> None:
    """Drop some agencies; rows that named them name a kept agency of the same state (or none)."""
    agencies = read(folder, "agencies")
    kept = [a for a in agencies if (a["state"], a["kind"]) not in DROPPED and a["state"] != NO_AGENCY]
    kept_ids = {a["agency_id"] for a in kept}
    substitute = {a["agency_id"]: min((k["agency_id"] for k in kept if k["state"] == a["state"]), default="")
                  for a in agencies if a["agency_id"] not in kept_ids}
    write(folder, "agencies", kept, list(agencies[0]))
    movements = read(folder, "movements")
    for m in movements:
        m["detected_by"] = substitute.get(m["detected_by"], m["detected_by"])
    write(folder, "movements", movements, list(movements[0]))
    exchanges = [e for e in read(folder, "exchanges")
                 if substitute.get(e["sender"], "-") and substitute.get(e["recipient"], "-")]
    for e in exchanges:
        e["sender"], e["recipient"] = substitute.get(e["sender"], e["sender"]), substitute.get(e["recipient"],
                                                                                            e["recipient"])
    write(folder, "exchanges", exchanges, list(read(folder, "exchanges")[0]))


def hypothetical(folder: Path, rules: tuple[str, ...], notice_days: int, reply_days: int) -> list[dict[str, str]]:
    """The exchanges SPEC §7's table adds, rule by rule in table order, as exchanges.csv rows."""
    agencies = read(folder, "agencies")
    schengen = [s["code"] for s in read(folder, "states") if s["schengen"] == "true"]
    group = {c["code"]: c["group"] for c in read(folder, "offence_categories")}
    offenders = {o["offender_id"]: o for o in read(folder, "offenders")}
    convictions = read(folder, "convictions")
    movements = read(folder, "movements")
    exchanges = read(folder, "exchanges")
    state_of = {a["agency_id"]: a["state"] for a in agencies}

    def agency(state: str, kind: str) -> str | None:
        mine = sorted(a["agency_id"] for a in agencies if a["state"] == state)
        of_kind = sorted(a["agency_id"] for a in agencies if a["state"] == state and a["kind"] == kind)
        return (of_kind or mine or [None])[0]

    def plus(iso: str, days: int) -> str:
        return (date.fromisoformat(iso) + timedelta(days=days)).isoformat()

    def qualifying(c: dict[str, str]) -> bool:
        return group[c["offence_code"]] in ("violent", "sexual")

    added: list[dict[str, str]] = []

    def add(mechanism: str, sender_state: str, recipient_state: str, kind: str, offender: str, sent: str,
            conviction: str = "", movement: str = "") -> None:
        sender = agency(sender_state, {"ECRIS": "criminal_records", "FD947": "probation", "SIS": "police"}[mechanism])
        recipient = agency(recipient_state, {"ECRIS": "criminal_records", "FD947": "probation",
                                             "SIS": "police"}[mechanism])
        if sender and recipient:
            added.append({"exchange_id": f"HYP-{len(added):07d}", "mechanism": mechanism, "sender": sender,
                          "recipient": recipient, "offender_id": offender, "kind": kind, "sent_date": sent,
                          "received_date": "", "conviction_id": conviction, "movement_id": movement})

    if EC in rules:
        for c in convictions:
            nationality = offenders[c["offender_id"]]["nationality"]
            if qualifying(c) and c["state"] != nationality:
                add("ECRIS", c["state"], nationality, "conviction_notice", c["offender_id"],
                    plus(c["conviction_date"], notice_days), conviction=c["conviction_id"])
    if FD in rules:
        for m in movements:
            for c in convictions:
                if (c["offender_id"] == m["offender_id"] and c["state"] != m["to_state"] and c["supervision_end"]
                        and c["supervision_end"] > m["arrival_date"] and c["conviction_date"] <= m["arrival_date"]):
                    add("FD947", c["state"], m["to_state"], "supervision_transfer", m["offender_id"],
                        plus(m["arrival_date"], notice_days), conviction=c["conviction_id"],
                        movement=m["movement_id"])
    if SIS in rules:
        for c in convictions:
            if offenders[c["offender_id"]]["risk_level"] in ("high", "very_high") and qualifying(c):
                for x in schengen:
                    if x != c["state"]:
                        add("SIS", c["state"], x, "alert", c["offender_id"], plus(c["conviction_date"], notice_days),
                            conviction=c["conviction_id"])
    if EOA in rules:
        notices = exchanges + added  # real and earlier-rule exchanges

        def ecris_aware(c: dict[str, str], nationality: str) -> str | None:
            dates = [e["received_date"] or e["sent_date"] for e in notices
                     if e["mechanism"] == "ECRIS" and e["kind"] == "conviction_notice"
                     and e["offender_id"] == c["offender_id"] and state_of[e["sender"]] == c["state"]
                     and state_of[e["recipient"]] == nationality
                     and (e["conviction_id"] == c["conviction_id"]
                          or (not e["conviction_id"] and e["sent_date"] >= c["conviction_date"]))]
            return min(dates, default=None)

        for m in movements:
            nationality = offenders[m["offender_id"]]["nationality"]
            if m["to_state"] == nationality or not m["detected_by"]:
                continue
            d = m["arrival_date"]
            knew = any(c["offender_id"] == m["offender_id"] and qualifying(c) and c["conviction_date"] <= d
                       and (c["state"] == nationality or (ecris_aware(c, nationality) or "9999") <= d)
                       for c in convictions)
            if knew:
                add("ECRIS", nationality, m["to_state"], "reply", m["offender_id"], plus(d, reply_days),
                    movement=m["movement_id"])
    return added


@pytest.fixture(scope="module")
def oracle_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("oracle")
    generate(folder, 150, seed=11)
    thin_agencies(folder)
    return folder


def answers(store: Store, as_of: int, rules: whatif.Policy | None = None) -> dict[str, str]:
    return {name: render(fn(store, as_of=as_of, whatif=rules), "csv")
            for name, fn in (("arrivals", gaps.arrivals), ("ecris", gaps.ecris), ("supervision", gaps.supervision),
                             ("matrix", gaps.matrix))}


@pytest.fixture(scope="module")
def expected(session_store: Store, oracle_data: Path) -> tuple[int, list[dict[str, str]]]:
    """The what-if answers on the real data, for every case (computed before the graph is replaced)."""
    wipe(session_store)
    load_folder(session_store, oracle_data)
    as_of = gaps.resolve_as_of(session_store, None)
    return as_of, [answers(session_store, as_of, whatif.policy(r, n, d)) for r, n, d in CASES]


@pytest.mark.parametrize("case", range(len(CASES)), ids=[f"{'+'.join(r)}-{n}-{d}" for r, n, d in CASES])
def test_whatif_equals_loading_the_hypothetical_exchanges(session_store: Store, oracle_data: Path,
                                                          expected: tuple[int, list[dict[str, str]]],
                                                          tmp_path: Path, case: int) -> None:
    as_of, whatif_answers = expected
    rules, notice_days, reply_days = CASES[case]
    folder = tmp_path / "materialised"
    folder.mkdir()
    for name in ("states", "offence_categories", "mechanisms", "agencies", "offenders", "convictions", "movements"):
        (folder / f"{name}.csv").write_bytes((oracle_data / f"{name}.csv").read_bytes())
    real = read(oracle_data, "exchanges")
    added = hypothetical(oracle_data, rules, notice_days, reply_days)
    assert added, "the case adds no exchange: it tests nothing"
    write(folder, "exchanges", real + added, list(real[0]))
    wipe(session_store)
    load_folder(session_store, folder)
    got = answers(session_store, as_of)  # as_of of the real data: hypothetical exchanges never move it
    for name, text in whatif_answers[case].items():
        assert got[name] == text, f"{name} differs at as-of {to_iso(as_of)}"
