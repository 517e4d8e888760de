"""SPEC §7 to the letter: a hand-made data set pins each rule's boundaries.

One offender per case (W..); the expected statuses are worked out by hand in
the tables below (window 30, notice and reply 10 days, as-of 2021-12-31 — the
latest real event, M-W21's arrival). Agencies: DE has police, criminal records
and probation; FR police and probation (no criminal records: ECRIS falls back
to FR-POL, its smallest id); RO criminal records only (SIS falls back to
RO-CRA); PL criminal records and police; NL only Europol (seated in NL); GB
police (GB is not a Schengen state); IT none at all (no exchange to or from
it). Convictions are 1001 (sexual, qualifying) unless marked 1701 (other).
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from fixtures import MOVEMENT, convictions, exchanges, frame_rows, loaded_store, movements, offenders, run_cli

from somec_graph.analysis import gaps, whatif
from somec_graph.errors import SomecGraphError
from somec_graph.store import Store

AS_OF = "2021-12-31"
EC, FD, SIS, EOA = whatif.RULES
AGENCIES = [{"agency_id": a, "name": a, "state": a[:2], "kind": k} for a, k in (
    ("DE-POL", "police"), ("DE-CRA", "criminal_records"), ("DE-PRB", "probation"),
    ("FR-POL", "police"), ("FR-PRB", "probation"), ("RO-CRA", "criminal_records"),
    ("PL-CRA", "criminal_records"), ("PL-POL", "police"), ("GB-POL", "police"))]
AGENCIES.append({"agency_id": "EUROPOL", "name": "Europol", "state": "NL", "kind": "international"})

# offender: (nationality, risk_level)
OFFENDERS = {
    "W01": ("PL", "low"), "W02": ("PL", "low"), "W03": ("FR", "low"), "W04": ("IT", "low"),
    "W05": ("FR", "low"), "W06": ("FR", "low"), "W07": ("IT", "low"), "W09": ("RO", "high"),
    "W10": ("RO", "high"), "W11": ("RO", "medium"), "W14": ("PL", "low"), "W15": ("PL", "low"),
    "W16": ("PL", "low"), "W17": ("PL", "low"), "W18": ("PL", "low"), "W19": ("PL", "low"),
    "W20": ("PL", "low"), "W21": ("PL", "low"), "W22": ("FR", "low"), "W23": ("NL", "low"),
}
# conviction: (offender, state, offence, date, supervision_end)
CONVICTIONS = {
    "C-W01": ("W01", "DE", "1001", "2021-01-01", ""),
    "C-W02": ("W02", "IT", "1001", "2021-01-01", ""),            # sender state without an agency
    "C-W03": ("W03", "DE", "1001", "2021-01-01", ""),            # FR has no criminal records agency
    "C-W04": ("W04", "DE", "1001", "2021-01-01", ""),            # recipient state without an agency
    "C-W05": ("W05", "FR", "1701", "2021-01-01", "2022-06-01"),  # supervision only: not counted in §4.1
    "C-W06": ("W06", "FR", "1001", "2021-01-01", "2022-06-01"),
    "C-W07": ("W07", "IT", "1001", "2021-01-01", "2022-06-01"),  # supervised where there is no agency
    "C-W09": ("W09", "RO", "1001", "2021-01-01", ""),
    "C-W10": ("W10", "RO", "1001", "2021-01-01", ""),
    "C-W11": ("W11", "RO", "1001", "2021-01-01", ""),
    "C-W14": ("W14", "PL", "1001", "2021-01-01", ""),            # convicted in the state of nationality
    "C-W15": ("W15", "PL", "1001", "2021-01-01", ""),
    "C-W16": ("W16", "DE", "1001", "2021-01-01", ""),
    "C-W17": ("W17", "DE", "1001", "2021-01-01", ""),
    "C-W18": ("W18", "DE", "1001", "2021-01-01", ""),
    "C-W19": ("W19", "DE", "1001", "2021-02-19", ""),            # ecris-complete notice on 03-01, the arrival day
    "C-W20": ("W20", "PL", "1001", "2021-01-01", ""),
    "C-W21": ("W21", "PL", "1001", "2021-01-01", ""),
    "C-W22": ("W22", "FR", "1701", "2021-01-01", "2022-06-01"),
    "C-W23": ("W23", "DE", "1001", "2021-01-01", ""),            # NL's only agency is Europol
}
# movement: (offender, from, to, arrival, detected_by)
MOVEMENTS = {
    "M-W01": ("W01", "DE", "PL", "2021-01-05", ""),
    "M-W02": ("W02", "IT", "PL", "2021-01-05", ""),
    "M-W03": ("W03", "DE", "FR", "2021-03-01", ""),
    "M-W04": ("W04", "DE", "IT", "2021-03-01", ""),
    "M-W05": ("W05", "FR", "DE", "2021-03-01", ""),
    "M-W06": ("W06", "FR", "DE", "2021-03-01", ""),
    "M-W07": ("W07", "IT", "DE", "2021-03-01", ""),
    "M-W09": ("W09", "RO", "DE", "2021-03-01", ""),
    "M-W10": ("W10", "RO", "GB", "2021-03-01", ""),
    "M-W11": ("W11", "RO", "DE", "2021-03-01", ""),
    "M-W14": ("W14", "PL", "DE", "2021-03-01", "DE-POL"),
    "M-W15": ("W15", "PL", "DE", "2021-03-01", ""),               # not detected: no reply
    "M-W16": ("W16", "DE", "FR", "2021-02-01", "FR-POL"),         # PL's notice is effective on this very day
    "M-W17": ("W17", "DE", "FR", "2021-02-01", "FR-POL"),         # PL's notice a day later
    "M-W18": ("W18", "DE", "FR", "2021-03-01", "FR-POL"),
    "M-W19": ("W19", "DE", "FR", "2021-03-01", "FR-POL"),
    "M-W20a": ("W20", "PL", "DE", "2021-02-01", "DE-POL"),
    "M-W20b": ("W20", "DE", "FR", "2021-02-15", ""),
    "M-W20c": ("W20", "FR", "DE", "2021-05-01", ""),              # DE had M-W20a's reply since 02-11
    "M-W21": ("W21", "PL", "DE", "2021-12-31", "DE-POL"),         # its reply, 2022-01-10, is after as-of
    "M-W22a": ("W22", "FR", "DE", "2021-03-01", ""),
    "M-W22b": ("W22", "DE", "PL", "2021-04-01", ""),
    "M-W22c": ("W22", "PL", "DE", "2021-06-01", ""),              # M-W22a's transfer (03-11) reached DE already
    "M-W23": ("W23", "DE", "NL", "2021-03-01", ""),
}
# exchange: (mechanism, sender, recipient, offender, kind, sent, received, conviction_id)
EXCHANGES = {
    "X-W16": ("ECRIS", "DE-CRA", "PL-CRA", "W16", "conviction_notice", "2021-01-20", "2021-02-01", "C-W16"),
    "X-W17": ("ECRIS", "DE-CRA", "PL-CRA", "W17", "conviction_notice", "2021-02-02", "", "C-W17"),
}

U, P = ("unnotified", None), ("pending", None)
K = ("known", 0)


def N(lag: int) -> tuple[str, int]:
    return ("notified", lag)


# §4.1 per counted movement: real, then each rule alone, then all four; worked out by hand.
ARRIVALS = {  # movement:  real  EC     FD     SIS   EOA    all
    "M-W01":  (U, N(6), U, U, U, N(6)),     # EC notice DE->PL on 01-11, 6 days after arrival
    "M-W02":  (U, U, U, U, U, U),
    "M-W03":  (U, K, U, U, U, K),           # EC notice to FR-POL on 01-11, before arrival
    "M-W04":  (U, U, U, U, U, U),
    "M-W06":  (U, U, N(10), U, U, N(10)),   # FD947 transfer on 03-11
    "M-W07":  (U, U, U, U, U, U),
    "M-W09":  (U, U, U, K, U, K),           # SIS alert from RO-CRA on 01-11
    "M-W10":  (U, U, U, U, U, U),           # GB is not Schengen
    "M-W11":  (U, U, U, U, U, U),           # medium risk
    "M-W14":  (U, U, U, U, N(10), N(10)),   # PL knew (convicted there): reply on 03-11
    "M-W15":  (U, U, U, U, U, U),
    "M-W16":  (U, U, U, U, N(10), N(10)),   # PL knew through the notice effective on the arrival day
    "M-W17":  (U, U, U, U, U, N(10)),       # PL knew only through ecris-complete (01-11)
    "M-W18":  (U, U, U, U, U, N(10)),       # likewise
    "M-W19":  (U, U, U, U, U, N(10)),       # ecris-complete notice dated exactly the arrival day
    "M-W20a": (U, U, U, U, N(10), N(10)),
    "M-W20b": (U, U, U, U, U, U),
    "M-W20c": (U, U, U, U, K, K),
    "M-W21":  (P, P, P, P, P, P),
    "M-W23":  (U, K, U, U, U, K),           # EC notice to Europol, counted in NL
}
RULE_SETS = {"real": None, EC: (EC,), FD: (FD,), SIS: (SIS,), EOA: (EOA,), "all": whatif.RULES}

# §4.3 per counted conviction: real, then under ecris-complete (the only rule that adds ECRIS notices).
ECRIS = {
    "C-W01": (U, N(10)), "C-W02": (U, U), "C-W03": (U, N(10)), "C-W04": (U, U),
    "C-W16": (("late", 31), N(10)), "C-W17": (("late", 32), N(10)), "C-W18": (U, N(10)), "C-W19": (U, N(10)),
    "C-W23": (U, N(10)),
}
# §4.4 per pair: real, then under fd947-always (the only rule that adds FD947 transfers).
SUPERVISION = {
    ("M-W05", "C-W05"): (U, N(10)), ("M-W06", "C-W06"): (U, N(10)), ("M-W07", "C-W07"): (U, U),
    ("M-W22a", "C-W22"): (U, N(10)), ("M-W22b", "C-W22"): (U, N(10)), ("M-W22c", "C-W22"): (U, K),
}


def _tables() -> dict:
    return {"agencies": AGENCIES, "offenders": offenders(OFFENDERS), "convictions": convictions(CONVICTIONS),
            "movements": movements(MOVEMENTS, (*MOVEMENT, "detected_by")), "exchanges": exchanges(EXCHANGES)}


@pytest.fixture(scope="module")
def whatif_store(session_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Store:
    return loaded_store(session_store, tmp_path_factory.mktemp("whatif"), _tables())


def _at(frame: pd.DataFrame, key: str) -> tuple:
    """(status, lag_days) of one row of a listing indexed by its key; a missing lag is None."""
    return tuple(None if pd.isna(x) else x for x in frame.loc[key, ["status", "lag_days"]])


def _rules(name: str) -> whatif.Policy | None:
    rules = RULE_SETS[name]
    return None if rules is None else whatif.policy(rules)


@pytest.mark.parametrize("column, name", list(enumerate(RULE_SETS)))
def test_arrivals_under_each_rule(whatif_store: Store, column: int, name: str) -> None:
    got = gaps.arrivals(whatif_store, as_of=AS_OF, whatif=_rules(name))
    assert {r[0]: (r[6], r[7]) for r in frame_rows(got)} == {m: v[column] for m, v in ARRIVALS.items()}
    assert got.columns.tolist() == gaps.ARRIVAL_COLUMNS and got["movement_id"].is_monotonic_increasing


# Only ecris-complete adds ECRIS conviction notices, only fd947-always FD947 transfers.
@pytest.mark.parametrize("name", RULE_SETS)
def test_ecris_under_each_rule(whatif_store: Store, name: str) -> None:
    column = int(name in (EC, "all"))
    got = gaps.ecris(whatif_store, as_of=AS_OF, whatif=_rules(name))
    assert {r[0]: (r[4], r[5]) for r in frame_rows(got)} == {c: v[column] for c, v in ECRIS.items()}


@pytest.mark.parametrize("name", RULE_SETS)
def test_supervision_under_each_rule(whatif_store: Store, name: str) -> None:
    column = int(name in (FD, "all"))
    got = gaps.supervision(whatif_store, as_of=AS_OF, whatif=_rules(name))
    assert {(r[0], r[1]): (r[5], r[6]) for r in frame_rows(got)} == {k: v[column] for k, v in SUPERVISION.items()}


@pytest.mark.parametrize("rules, expected", [
    ((EOA,), U),                 # PL never knew by 03-01
    ((EC, EOA), N(10)),          # ecris-complete's notice (03-01) lets PL answer
    ((EOA, EC), N(10)),          # applied in table order whatever the order given
])
def test_rule_order_ecris_complete_then_on_arrival(whatif_store: Store, rules: tuple, expected: tuple) -> None:
    got = gaps.arrivals(whatif_store, as_of=AS_OF, whatif=whatif.policy(rules)).set_index("movement_id")
    assert _at(got, "M-W19") == expected
    assert _at(got, "M-W18") == expected


def test_notice_on_the_day_after_arrival_is_too_late_to_answer(whatif_store: Store) -> None:
    # C-W19 of 02-19 + 11 days = 03-02, the day after the arrival: PL did not know by 03-01
    got = gaps.arrivals(whatif_store, as_of=AS_OF, whatif=whatif.policy((EC, EOA), notice_days=11))
    assert _at(got.set_index("movement_id"), "M-W19") == U
    assert _at(got.set_index("movement_id"), "M-W18") == N(10)  # 01-12 still knew


@pytest.mark.parametrize("as_of, window, expected", [
    ("2021-03-08", 5, U),              # transfer of 03-11 is after as-of: ignored; 03-01 + 5 <= as-of
    ("2021-03-10", 30, P),
    ("2021-03-11", 5, ("late", 10)),   # seen from its own day on
    ("2021-03-11", 10, N(10)),
])
def test_hypothetical_exchanges_obey_as_of(whatif_store: Store, as_of: str, window: int, expected: tuple) -> None:
    got = gaps.arrivals(whatif_store, as_of=as_of, window_days=window, whatif=whatif.policy([FD]))
    assert _at(got.set_index("movement_id"), "M-W06") == expected


def test_default_as_of_is_not_moved_by_hypothetical_exchanges(whatif_store: Store) -> None:
    assert gaps.resolve_as_of(whatif_store, None) == gaps.resolve_as_of(whatif_store, AS_OF)
    got = gaps.arrivals(whatif_store, whatif=whatif.policy(whatif.RULES)).set_index("movement_id")
    assert _at(got, "M-W21") == P   # the reply of 2022-01-10 stays unseen
    later = gaps.arrivals(whatif_store, as_of="2022-01-10", whatif=whatif.policy([EOA])).set_index("movement_id")
    assert _at(later, "M-W21") == N(10)


def test_agencies_are_read_per_call(whatif_store: Store) -> None:
    # An agency for IT, added after loading, lets IT's ECRIS notices flow at once (SPEC §7: no exchange
    # from or to a state with no agency); the derived facts are unchanged.
    whatif_store.run_text("CREATE (:Agency {agency_id: 'IT-ZZZ', state: 'IT', kind: 'court'})", write=True)
    try:
        got = gaps.ecris(whatif_store, as_of=AS_OF, whatif=whatif.policy([EC])).set_index("conviction_id")
        assert _at(got, "C-W02") == N(10)
        assert _at(got, "C-W04") == N(10)
    finally:
        whatif_store.run_text("MATCH (a:Agency {agency_id: 'IT-ZZZ'}) DELETE a", write=True)


def test_matrix_under_all_rules(whatif_store: Store) -> None:
    got = gaps.matrix(whatif_store, as_of=AS_OF, whatif=whatif.policy(whatif.RULES))
    assert got.columns.tolist() == gaps.MATRIX_COLUMNS
    rows = [r[:8] + (None if r[8] is None else round(r[8], 6), r[9]) for r in frame_rows(got)]
    assert rows == [  # from the "all" column of ARRIVALS
        ("DE", "FR", 6, 1, 4, 0, 1, 0, 0.166667, 10),    # W03 known; W16-W19 notified 10; W20b unnotified
        ("DE", "IT", 1, 0, 0, 0, 1, 0, 1.0, None),
        ("DE", "NL", 1, 1, 0, 0, 0, 0, 0.0, None),
        ("DE", "PL", 1, 0, 1, 0, 0, 0, 0.0, 6),
        ("FR", "DE", 2, 1, 1, 0, 0, 0, 0.0, 10),         # W06 notified 10, W20c known
        ("IT", "DE", 1, 0, 0, 0, 1, 0, 1.0, None),
        ("IT", "PL", 1, 0, 0, 0, 1, 0, 1.0, None),
        ("PL", "DE", 4, 0, 2, 0, 1, 1, 0.333333, 10),    # W14, W20a notified; W15 unnotified; W21 pending
        ("RO", "DE", 2, 1, 0, 0, 1, 0, 0.5, None),
        ("RO", "GB", 1, 0, 0, 0, 1, 0, 1.0, None),
    ]


def test_matrix_filters_apply_under_whatif(whatif_store: Store) -> None:
    got = gaps.matrix(whatif_store, as_of=AS_OF, states=["GB"], min_risk="high", whatif=whatif.policy([SIS]))
    assert frame_rows(got) == [("RO", "GB", 1, 0, 0, 0, 1, 0, 1.0, None)]


# 20 counted movements; 19 gaps and 1 pending before any rule, so gap_rate_before = 19/19.
SUMMARY_CSV = """rule,movements,gaps_before,gaps_after,gap_rate_before,gap_rate_after
ecris-complete,20,19,16,1,0.842105
fd947-always,20,19,18,1,0.947368
sis-high-risk,20,19,18,1,0.947368
ecris-on-arrival,20,19,15,1,0.789474
all,20,19,7,1,0.368421
"""


def test_summary_is_exact(whatif_store: Store) -> None:
    got = whatif.summary(whatif_store, as_of=AS_OF)
    assert got.columns.tolist() == whatif.SUMMARY_COLUMNS
    assert got["gaps_after"].tolist() == [16, 18, 18, 15, 7]
    assert got["gap_rate_after"].tolist() == pytest.approx([16 / 19, 18 / 19, 18 / 19, 15 / 19, 7 / 19])


def test_summary_of_an_empty_window_has_no_rates(whatif_store: Store) -> None:
    got = whatif.summary(whatif_store, as_of="2020-06-01")  # before every conviction: nothing is counted
    assert frame_rows(got) == [(r, 0, 0, 0, None, None) for r in (*whatif.RULES, "all")]


def test_cli_whatif_csv_json_table(whatif_store: Store) -> None:
    result = run_cli("whatif", "--format", "csv")  # default as-of: 2021-12-31
    assert result.returncode == 0, result.stderr
    assert result.stdout == SUMMARY_CSV
    rows = json.loads(run_cli("whatif", "--format", "json", "--as-of", AS_OF).stdout)
    assert rows[-1] == {"rule": "all", "movements": 20, "gaps_before": 19, "gaps_after": 7,
                        "gap_rate_before": 1, "gap_rate_after": 0.368421}
    lines = run_cli("whatif", "--notice-days", "0", "--reply-days", "0").stdout.splitlines()
    assert lines[0].split() == whatif.SUMMARY_COLUMNS and len(lines) == 7


def test_cli_gaps_listings_take_whatif(whatif_store: Store) -> None:
    result = run_cli("gaps", "matrix", "--format", "csv", "--whatif", "sis-high-risk,ecris-complete")
    assert result.returncode == 0, result.stderr
    assert "RO,DE,2,1,0,0,1,0,0.5,\n" in result.stdout and "DE,PL,1,0,1,0,0,0,0,6\n" in result.stdout
    result = run_cli("gaps", "ecris", "--format", "csv", "--whatif", "ecris-complete", "--notice-days", "31")
    assert "C-W01,W01,DE,PL,late,31\n" in result.stdout
    result = run_cli("gaps", "supervision", "--format", "json", "--whatif", "fd947-always")
    assert {"movement_id": "M-W22c", "conviction_id": "C-W22", "offender_id": "W22", "supervising_state": "FR",
            "to_state": "DE", "status": "known", "lag_days": 0} in json.loads(result.stdout)
    result = run_cli("gaps", "arrivals", "--whatif", "ecris-on-arrival", "--reply-days", "40")
    line = next(x for x in result.stdout.splitlines() if x.startswith("M-W14 "))
    assert line.split()[-2:] == ["late", "40"]


@pytest.mark.parametrize("args, sentence", [
    (["gaps", "matrix", "--whatif", "ecris-complete,sis"],
     "Unknown what-if rule 'sis'; the rules are ecris-complete, fd947-always, sis-high-risk, ecris-on-arrival."),
    (["gaps", "arrivals", "--whatif", ","],
     "No what-if rule given; the rules are ecris-complete, fd947-always, sis-high-risk, ecris-on-arrival."),
    (["gaps", "ecris", "--whatif", "ecris-complete", "--notice-days", "-1"],
     "Notice days must be a whole number of 0 or more, not -1."),
    (["whatif", "--reply-days", "-3"], "Reply days must be a whole number of 0 or more, not -3."),
])
def test_cli_errors_are_one_sentence(whatif_store: Store, args: list[str], sentence: str) -> None:
    result = run_cli(*args)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.strip() == f"Error: {sentence}"


@pytest.mark.parametrize("rules, kwargs, message", [
    ("ecris-complete,nope,also", {}, "Unknown what-if rules 'nope', 'also'"),
    ([], {}, "No what-if rule given"),
    ([EC], {"reply_days": -1}, "Reply days must be"),
    ([EC], {"notice_days": 1.5}, "Notice days must be a whole number"),
])
def test_library_errors_name_no_flags(rules: object, kwargs: dict, message: str) -> None:
    with pytest.raises(SomecGraphError, match=message) as caught:
        whatif.policy(rules, **kwargs)  # type: ignore[arg-type]
    assert "--" not in str(caught.value)
