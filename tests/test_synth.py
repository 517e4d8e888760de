"""Tests of the synthetic data generator: determinism, shape, and the SPEC §2 rules,
checked by reading the CSV files back independently (no database needed)."""

from __future__ import annotations

import csv
import re
import shutil
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

from somec_graph.synth import generate, planted

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "seed_data"
REFERENCE = ["states.csv", "offence_categories.csv", "mechanisms.csv", "agencies.csv"]
GENERATED = ["offenders.csv", "convictions.csv", "movements.csv", "exchanges.csv"]
HEADERS = {
    "states.csv": "code,name,eu,schengen,selec,lat,lon",
    "offence_categories.csv": "code,label,group",
    "mechanisms.csv": "code,name,legal_basis,purpose",
    "agencies.csv": "agency_id,name,state,kind",
    "offenders.csv": "offender_id,nationality,birth_year,sex,risk_level",
    "convictions.csv": "conviction_id,offender_id,state,offence_code,conviction_date,case_id,"
                       "sentence_months,supervision_end",
    "movements.csv": "movement_id,offender_id,from_state,to_state,arrival_date,detected_by,source",
    "exchanges.csv": "exchange_id,mechanism,sender,recipient,offender_id,kind,sent_date,"
                     "received_date,conviction_id,movement_id",
}
FIRST, LAST = date(2015, 1, 1), date(2025, 12, 31)


def read(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def day(value: str) -> date:
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value), value
    return date.fromisoformat(value)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synth") / "ds"
    generate(folder, 2000, seed=1)
    return folder


@pytest.fixture(scope="module")
def tables(dataset: Path) -> dict[str, list[dict[str, str]]]:
    return {name: read(dataset, name) for name in REFERENCE + GENERATED}


# --- determinism and shape ------------------------------------------------------------


def test_same_seed_gives_identical_bytes_and_other_seed_differs(tmp_path: Path) -> None:
    counts_a = generate(tmp_path / "a", 300, seed=5)
    counts_b = generate(tmp_path / "b", 300, seed=5)
    generate(tmp_path / "c", 300, seed=6)
    assert counts_a == counts_b
    for name in REFERENCE + GENERATED:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    for name in GENERATED:
        assert (tmp_path / "a" / name).read_bytes() != (tmp_path / "c" / name).read_bytes(), name


def test_returned_counts_match_files(dataset: Path, tables: dict[str, list[dict[str, str]]]) -> None:
    counts = generate(dataset.parent / "again", 2000, seed=1)
    assert counts == {name: len(rows) for name, rows in tables.items()}


def test_shape_is_linear_in_offenders(tmp_path: Path) -> None:
    ratios = []
    for n in (500, 4000):
        counts = generate(tmp_path / str(n), n, seed=3)
        assert counts["offenders.csv"] == n
        ratio = {name: counts[name] / n for name in GENERATED[1:]}
        assert 1.35 <= ratio["convictions.csv"] <= 1.65, ratio
        assert 3.6 <= ratio["movements.csv"] <= 4.4, ratio
        assert 4.4 <= ratio["exchanges.csv"] <= 5.6, ratio
        ratios.append(ratio)
    for name in GENERATED[1:]:
        assert abs(ratios[0][name] / ratios[1][name] - 1) < 0.1, name


def test_committed_seed_data_equals_fresh_output(tmp_path: Path) -> None:
    generate(tmp_path, 2000, seed=1)
    for name in REFERENCE + GENERATED:
        assert (SEED / name).read_bytes() == (tmp_path / name).read_bytes(), name


def test_regenerating_into_the_reference_folder_keeps_it(tmp_path: Path) -> None:
    for name in REFERENCE:
        shutil.copyfile(SEED / name, tmp_path / name)
    generate(tmp_path, 50, seed=1, reference_dir=tmp_path)
    for name in REFERENCE:
        assert (tmp_path / name).read_bytes() == (SEED / name).read_bytes(), name


def test_incomplete_reference_data_is_refused(tmp_path: Path) -> None:
    for name in REFERENCE:
        shutil.copyfile(SEED / name, tmp_path / name)
    lines = (tmp_path / "mechanisms.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (tmp_path / "mechanisms.csv").write_text(
        "".join(line for line in lines if not line.startswith("FD947,")), encoding="utf-8")
    with pytest.raises(ValueError, match="FD947"):
        generate(tmp_path / "out", 10, reference_dir=tmp_path)


# --- the SPEC §2 contract ---------------------------------------------------------------


def test_files_are_plain_utf8_csv_with_contract_headers(dataset: Path) -> None:
    for name, header in HEADERS.items():
        text = (dataset / name).read_text(encoding="utf-8")
        assert text.split("\n", 1)[0] == header, name
        assert "\r" not in text and text.endswith("\n"), name


def test_reference_tables(tables: dict[str, list[dict[str, str]]]) -> None:
    states = tables["states.csv"]
    codes = [s["code"] for s in states]
    assert len(codes) == len(set(codes)) >= 40 and "UK" not in codes and "EL" not in codes
    assert all(re.fullmatch(r"[A-Z]{2}", c) for c in codes)
    for s in states:
        assert {s["eu"], s["schengen"], s["selec"]} <= {"true", "false"}
        assert -90 <= float(s["lat"]) <= 90 and -180 <= float(s["lon"]) <= 180
    assert sum(s["eu"] == "true" for s in states) == 27
    assert {s["code"] for s in states if s["selec"] == "true"} == {
        "AL", "BA", "BG", "GR", "HU", "MD", "ME", "MK", "RO", "RS", "TR"}
    assert {"BG", "RO", "HR"} <= {s["code"] for s in states if s["schengen"] == "true"}
    offences = tables["offence_categories.csv"]
    assert all(re.fullmatch(r"\d{4}", o["code"]) for o in offences)
    assert {o["group"] for o in offences} == {"violent", "sexual", "other"}
    by_code = {o["code"]: o["group"] for o in offences}
    assert {c: by_code[c] for c in ("0801", "0809", "0901", "1001", "1010", "0402", "0406")} == {
        "0801": "violent", "0809": "violent", "0901": "violent", "1001": "sexual", "1010": "sexual",
        "0402": "sexual", "0406": "sexual"}
    assert {m["code"] for m in tables["mechanisms.csv"]} == {
        "ECRIS", "ECRIS-TCN", "SIS", "SIENA", "INTERPOL", "PRUM", "FD947", "ESO", "EAW", "SWEDISH",
        "BILATERAL"}
    agencies = {a["agency_id"]: a for a in tables["agencies.csv"]}
    assert len(agencies) == len(tables["agencies.csv"])
    for code in codes:
        for suffix, kind in (("POL", "police"), ("PRB", "probation"), ("CRA", "criminal_records")):
            assert agencies[f"{code}-{suffix}"]["state"] == code
            assert agencies[f"{code}-{suffix}"]["kind"] == kind
    assert agencies["EUROPOL"]["state"] == "NL" and agencies["INTERPOL"]["state"] == "FR"


def test_ids_unique_and_pseudonymous(tables: dict[str, list[dict[str, str]]]) -> None:
    for name, key, pattern in (("offenders.csv", "offender_id", r"OFF-\d{6}"),
                               ("convictions.csv", "conviction_id", r"CNV-\d{7}"),
                               ("movements.csv", "movement_id", r"MOV-\d{7}"),
                               ("exchanges.csv", "exchange_id", r"EXC-\d{7}")):
        ids = [row[key] for row in tables[name]]
        assert len(ids) == len(set(ids)), name
        assert all(re.fullmatch(pattern, i) for i in ids), name
    assert all(re.fullmatch(r"CASE-\d{5}", c["case_id"])
               for c in tables["convictions.csv"] if c["case_id"])


def test_references_enums_and_dates(tables: dict[str, list[dict[str, str]]]) -> None:
    states = {s["code"] for s in tables["states.csv"]}
    offences = {o["code"] for o in tables["offence_categories.csv"]}
    mechanisms = {m["code"] for m in tables["mechanisms.csv"]}
    agencies = {a["agency_id"]: a for a in tables["agencies.csv"]}
    offenders = {o["offender_id"]: o for o in tables["offenders.csv"]}
    conviction_of = {c["conviction_id"]: c["offender_id"] for c in tables["convictions.csv"]}
    movement_of = {m["movement_id"]: m["offender_id"] for m in tables["movements.csv"]}
    for o in offenders.values():
        assert o["nationality"] in states
        assert 1950 <= int(o["birth_year"]) <= 2003
        assert o["sex"] in {"F", "M", "X"}
        assert o["risk_level"] in {"low", "medium", "high", "very_high"}
    for c in tables["convictions.csv"]:
        assert c["offender_id"] in offenders and c["state"] in states and c["offence_code"] in offences
        convicted = day(c["conviction_date"])
        assert FIRST <= convicted <= LAST
        assert int(c["sentence_months"]) > 0
        if c["supervision_end"]:  # the only date allowed beyond the period: still running
            assert day(c["supervision_end"]) > convicted
    for m in tables["movements.csv"]:
        assert m["offender_id"] in offenders and {m["from_state"], m["to_state"]} <= states
        assert m["from_state"] != m["to_state"]
        assert FIRST <= day(m["arrival_date"]) <= LAST
        if m["detected_by"]:
            assert agencies[m["detected_by"]]["state"] == m["to_state"]
        assert m["source"] in {"", "border_check", "registration", "police_check", "self_report",
                               "intelligence", "social_media"}
    for e in tables["exchanges.csv"]:
        assert e["mechanism"] in mechanisms
        assert e["sender"] in agencies and e["recipient"] in agencies and e["sender"] != e["recipient"]
        assert e["kind"] in {"conviction_notice", "risk_notice", "alert", "supervision_transfer",
                             "request", "reply"}
        sent = day(e["sent_date"])
        assert FIRST <= sent <= LAST
        if e["received_date"]:
            assert sent <= day(e["received_date"]) <= LAST
        if e["conviction_id"]:
            assert conviction_of[e["conviction_id"]] == e["offender_id"]
        if e["movement_id"]:
            assert movement_of[e["movement_id"]] == e["offender_id"]
        assert e["offender_id"] in offenders


def test_journeys_are_chronological_and_connected(tables: dict[str, list[dict[str, str]]]) -> None:
    offenders = {o["offender_id"]: o for o in tables["offenders.csv"]}
    journeys: dict[str, list[dict[str, str]]] = defaultdict(list)
    for m in tables["movements.csv"]:
        journeys[m["offender_id"]].append(m)
    for offender_id, moves in journeys.items():
        moves.sort(key=lambda m: m["arrival_date"])
        assert moves[0]["from_state"] == offenders[offender_id]["nationality"]
        for before, after in zip(moves, moves[1:]):
            assert before["arrival_date"] < after["arrival_date"]
            assert after["from_state"] == before["to_state"]
    # convicted where they lived at the time (arrivals on the conviction day count)
    for c in tables["convictions.csv"]:
        arrived = [m for m in journeys[c["offender_id"]] if m["arrival_date"] <= c["conviction_date"]]
        lived = arrived[-1]["to_state"] if arrived else offenders[c["offender_id"]]["nationality"]
        assert c["state"] == lived, c


def test_co_defendant_cases(tables: dict[str, list[dict[str, str]]]) -> None:
    cases: dict[str, list[dict[str, str]]] = defaultdict(list)
    for c in tables["convictions.csv"]:
        if c["case_id"]:
            cases[c["case_id"]].append(c)
    co_defendants = {r["offender_id"] for rows in cases.values() for r in rows}
    assert 0.12 <= len(co_defendants) / len(tables["offenders.csv"]) <= 0.18
    for rows in cases.values():
        assert 2 <= len(rows) <= 5
        assert len({r["offender_id"] for r in rows}) == len(rows)
        assert len({(r["state"], r["conviction_date"], r["offence_code"]) for r in rows}) == 1
    # offenders co-offend in several cases with changing partners
    per_offender = Counter(r["offender_id"] for rows in cases.values() for r in rows)
    assert sum(n >= 2 for n in per_offender.values()) / len(per_offender) > 0.3


def test_planted_crews_brokers_and_travellers(tables: dict[str, list[dict[str, str]]]) -> None:
    p = planted(2000, seed=1)
    case_members: dict[str, set[str]] = defaultdict(set)
    for c in tables["convictions.csv"]:
        if c["case_id"]:
            case_members[c["case_id"]].add(c["offender_id"])
    crew_of = {m: i for i, crew in enumerate(p.crews) for m in crew.members}
    assert not set(p.brokers) & set(crew_of) and not set(p.lone_travellers) & set(crew_of)
    for members in case_members.values():  # every case is one crew's, with or without one broker
        crews = {crew_of[m] for m in members if m in crew_of}
        assert len(crews) == 1 and len(members - set(crew_of)) <= 1 and members - set(crew_of) <= set(p.brokers)
    for broker in p.brokers:  # a broker offends with every member of two or three crews
        partners = set().union(*(m for m in case_members.values() if broker in m)) - {broker}
        crews = {crew_of[m] for m in partners}
        assert 2 <= len(crews) <= 3 and partners == {m for i in crews for m in p.crews[i].members}
    journeys: dict[str, list[dict[str, str]]] = defaultdict(list)
    for m in tables["movements.csv"]:
        journeys[m["offender_id"]].append(m)
    itinerant = [c for c in p.crews if c.itinerant]
    assert 0.25 <= len(itinerant) / len(p.crews) <= 0.55
    for crew in itinerant:  # they arrive at every stop of the route within 10 days of each other
        assert len(crew.states) >= 3
        for i, state in enumerate(crew.states):
            arrivals = [sorted(day(m["arrival_date"]) for m in journeys[o] if m["to_state"] == state)
                        for o in crew.members]
            assert all(arrivals), (crew, state)
            firsts = [a[0] for a in arrivals] if i == 0 else [min(a) for a in arrivals]
            near = [d for a in arrivals for d in a if any(abs((d - f).days) <= 10 for f in firsts)]
            assert len(near) >= len(crew.members)
    risk = {o["offender_id"]: o["risk_level"] for o in tables["offenders.csv"]}
    assert p.lone_travellers and all(risk[o] in ("high", "very_high") for o in p.lone_travellers)
    assert all(len(journeys[o]) >= 7 for o in p.lone_travellers)


def test_realistic_distributions(tables: dict[str, list[dict[str, str]]]) -> None:
    offenders, convictions = tables["offenders.csv"], tables["convictions.csv"]
    movements, exchanges = tables["movements.csv"], tables["exchanges.csv"]
    n = len(offenders)
    risk = Counter(o["risk_level"] for o in offenders)
    for level, share in (("low", 0.30), ("medium", 0.35), ("high", 0.25), ("very_high", 0.10)):
        assert abs(risk[level] / n - share) < 0.04, level
    assert Counter(o["sex"] for o in offenders).most_common(1)[0][0] == "M"
    top5 = {s for s, _ in Counter(o["nationality"] for o in offenders).most_common(5)}
    assert top5 == {"RO", "PL", "BG", "LT", "LV"}
    group = {o["code"]: o["group"] for o in tables["offence_categories.csv"]}
    serious = {c["offender_id"] for c in convictions if group[c["offence_code"]] != "other"}
    assert len(serious) / n > 0.7
    assert 0.25 <= sum(bool(c["supervision_end"]) for c in convictions) / len(convictions) <= 0.35
    assert 0.55 <= sum(bool(m["detected_by"]) for m in movements) / len(movements) <= 0.65
    kinds = Counter(e["kind"] for e in exchanges)
    assert set(kinds) == {"conviction_notice", "risk_notice", "alert", "supervision_transfer",
                          "request", "reply"}
    assert all(e["mechanism"] == "FD947" for e in exchanges if e["kind"] == "supervision_transfer")


def test_replies_answer_an_earlier_request(tables: dict[str, list[dict[str, str]]]) -> None:
    requests = defaultdict(list)
    for e in tables["exchanges.csv"]:
        if e["kind"] == "request":
            requests[(e["offender_id"], e["sender"], e["recipient"], e["mechanism"])].append(e)
    for e in tables["exchanges.csv"]:
        if e["kind"] == "reply":
            asked = requests[(e["offender_id"], e["recipient"], e["sender"], e["mechanism"])]
            lags = [(day(e["sent_date"]) - day(r["sent_date"])).days for r in asked]
            assert any(5 <= lag <= 30 for lag in lags), e


def test_conviction_notices_go_to_the_state_of_nationality(
        tables: dict[str, list[dict[str, str]]]) -> None:
    agencies = {a["agency_id"]: a for a in tables["agencies.csv"]}
    nationality = {o["offender_id"]: o["nationality"] for o in tables["offenders.csv"]}
    convictions = {c["conviction_id"]: c for c in tables["convictions.csv"]}
    abroad = [c for c in convictions.values() if c["state"] != nationality[c["offender_id"]]]
    notices = [e for e in tables["exchanges.csv"] if e["kind"] == "conviction_notice"]
    lags = []
    for e in notices:
        assert e["mechanism"] == "ECRIS"
        assert agencies[e["sender"]]["kind"] == agencies[e["recipient"]]["kind"] == "criminal_records"
        assert agencies[e["recipient"]]["state"] == nationality[e["offender_id"]]
        if e["conviction_id"]:
            c = convictions[e["conviction_id"]]
            assert agencies[e["sender"]]["state"] == c["state"]
            lag = (day(e["sent_date"]) - day(c["conviction_date"])).days
            assert 0 <= lag <= 120
            lags.append(lag)
    assert 0.6 <= len(notices) / len(abroad) <= 0.9  # ~20% never notified
    assert 20 <= sorted(lags)[len(lags) // 2] <= 50  # often late: median ~35 days
