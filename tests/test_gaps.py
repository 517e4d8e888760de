"""SPEC §4 to the letter: a hand-made data set pins every boundary.

Each offender is one case; expected statuses and lags are worked out by hand in
the comments (window 30 days, as-of 2021-12-31 unless a test says otherwise).
"""

from __future__ import annotations

import pytest
from fixtures import convictions, exchanges, frame_rows, loaded_store, movements, offenders, run_cli

from somec_graph.analysis import gaps
from somec_graph.store import Store

AS_OF = "2021-12-31"
AGENCIES = [{"agency_id": f"{s}-{k}", "name": f"{s} {k}", "state": s,
             "kind": {"POL": "police", "CRA": "criminal_records", "PRB": "probation"}[k]}
            for s in ("DE", "FR", "RO", "PL") for k in ("POL", "CRA", "PRB")]
AGENCIES.append({"agency_id": "EUROPOL", "name": "Europol", "state": "NL", "kind": "international"})

# offender: (nationality, risk_level)
OFFENDERS = {
    "A01": ("RO", "high"), "A02": ("RO", "high"), "A03": ("RO", "high"), "A04": ("RO", "low"),
    "A05": ("RO", "high"), "A06": ("RO", "high"), "A07": ("RO", "high"), "A08": ("RO", "high"),
    "A09": ("RO", "high"), "A10": ("RO", "high"), "A11": ("RO", "high"), "A12": ("RO", "high"),
    "A13": ("RO", "high"), "A14": ("RO", "high"),
    "E1": ("PL", "high"), "E2": ("PL", "high"), "E3": ("PL", "high"), "E5": ("PL", "high"),
    "E6": ("PL", "high"), "E7": ("DE", "high"), "E8": ("PL", "high"), "E9": ("PL", "high"),
    "S1": ("FR", "medium"), "S2": ("FR", "medium"), "S3": ("FR", "medium"), "S4": ("FR", "medium"),
    "S5": ("FR", "medium"), "S6": ("FR", "medium"),
}
# conviction: (offender, state, offence, date, supervision_end)  1001 sexual, 0801 violent, 1701 other
CONVICTIONS = {
    "C-A01": ("A01", "RO", "1001", "2021-01-01", ""),
    "C-A02": ("A02", "RO", "1001", "2021-01-01", ""),
    "C-A03": ("A03", "RO", "0801", "2021-01-01", ""),
    "C-A04": ("A04", "RO", "1001", "2021-01-01", ""),
    "C-A05": ("A05", "RO", "1001", "2021-01-01", ""),
    "C-A06": ("A06", "RO", "1001", "2021-01-01", ""),
    "C-A06-DE": ("A06", "DE", "1701", "2021-02-01", ""),      # conviction in the destination, after lq
    "C-A07": ("A07", "RO", "1001", "2021-01-01", ""),
    "C-A07-DE": ("A07", "DE", "1701", "2020-06-01", ""),      # in the destination, but before lq
    "C-A08-b": ("A08", "PL", "1001", "2021-01-01", ""),       # tie on the date: smallest id wins
    "C-A08-a": ("A08", "FR", "0801", "2021-01-01", ""),
    "C-A09": ("A09", "RO", "1001", "2021-01-01", ""),
    "C-A10": ("A10", "RO", "1001", "2021-01-01", ""),
    "C-A11": ("A11", "RO", "1701", "2021-01-01", ""),         # not qualifying: movement not counted
    "C-A12": ("A12", "RO", "1001", "2021-04-01", ""),         # after the arrival: not counted
    "C-A13": ("A13", "RO", "1001", "2021-01-01", ""),
    "C-A14": ("A14", "RO", "1001", "2021-01-01", ""),
    "C-E1": ("E1", "DE", "1001", "2021-01-01", ""),
    "C-E2": ("E2", "DE", "1001", "2021-01-01", ""),
    "C-E3": ("E3", "DE", "1001", "2021-01-01", ""),
    "C-E5a": ("E5", "DE", "1001", "2021-01-01", ""),
    "C-E5b": ("E5", "DE", "0801", "2021-06-01", ""),
    "C-E6": ("E6", "DE", "1001", "2021-01-01", ""),
    "C-E7": ("E7", "DE", "1001", "2021-01-01", ""),            # nationality = convicting state
    "C-E8": ("E8", "DE", "1001", "2021-01-01", ""),
    "C-E9": ("E9", "DE", "1001", "2021-12-20", ""),
    "C-S1": ("S1", "FR", "1701", "2021-01-01", "2022-01-01"),
    "C-S2": ("S2", "FR", "1701", "2021-01-01", "2021-02-28"),  # ended the day before arrival
    "C-S3": ("S3", "FR", "1701", "2021-01-01", "2021-03-01"),  # ends on the arrival day
    "C-S4": ("S4", "FR", "1701", "2021-01-01", "2021-03-02"),  # ends the day after
    "C-S5": ("S5", "FR", "1701", "2021-01-01", "2022-01-01"),
    "C-S6": ("S6", "DE", "1701", "2021-01-01", "2022-01-01"),  # supervised in the destination itself
}
# movement: (offender, from, to, arrival)
MOVEMENTS = {
    **{f"M-A{n:02d}": (f"A{n:02d}", "RO", "DE", "2021-03-01") for n in range(1, 15) if n != 5},
    "M-A05": ("A05", "RO", "DE", "2021-12-15"),
    "M-A14-late": ("A14", "DE", "FR", "2022-01-10"),  # after as-of: ignored
    **{f"M-S{n}": (f"S{n}", "FR", "DE", "2021-03-01") for n in range(1, 6)},
    "M-S6": ("S6", "FR", "DE", "2021-03-01"),
}
# exchange: (mechanism, sender, recipient, offender, kind, sent, received, conviction_id)
EXCHANGES = {
    "X-A01": ("SIS", "RO-POL", "DE-POL", "A01", "alert", "2021-02-20", "2021-03-01", ""),     # aware on arrival
    "X-A02": ("SIS", "RO-POL", "DE-POL", "A02", "alert", "2021-03-31", "", ""),               # exactly 30 days
    "X-A03": ("SIENA", "EUROPOL", "DE-POL", "A03", "risk_notice", "2021-03-30", "2021-04-01", ""),  # 31 days
    "X-A07": ("SIS", "RO-POL", "DE-POL", "A07", "request", "2021-03-05", "2021-03-05", ""),   # a request informs nobody
    "X-A09": ("SWEDISH", "RO-POL", "DE-POL", "A09", "reply", "2021-03-10", "", ""),           # empty received: sent
    "X-A10": ("SIS", "RO-POL", "DE-POL", "A10", "alert", "2020-12-01", "2020-12-01", ""),     # before lq
    "X-A13": ("SIS", "RO-POL", "DE-POL", "A13", "alert", "2021-12-20", "2022-01-05", ""),     # received after as-of
    "X-E1": ("ECRIS", "DE-CRA", "PL-CRA", "E1", "conviction_notice", "2021-01-05", "2021-01-10", "C-E1"),
    "X-E2": ("ECRIS", "DE-CRA", "PL-CRA", "E2", "conviction_notice", "2021-01-01", "", ""),
    "X-E3": ("ECRIS", "DE-CRA", "PL-CRA", "E3", "conviction_notice", "2020-12-31", "2021-01-02", ""),
    "X-E5": ("ECRIS", "DE-CRA", "PL-CRA", "E5", "conviction_notice", "2021-06-05", "", "C-E5b"),
    "X-E6": ("ECRIS", "DE-CRA", "PL-CRA", "E6", "conviction_notice", "2021-03-01", "", "C-E6"),
    "X-E8": ("BILATERAL", "DE-CRA", "PL-CRA", "E8", "conviction_notice", "2021-01-05", "", "C-E8"),
    "X-S1": ("FD947", "FR-PRB", "DE-PRB", "S1", "supervision_transfer", "2021-03-20", "", ""),
    "X-S5": ("FD947", "FR-PRB", "DE-PRB", "S5", "supervision_transfer", "2021-02-01", "", ""),
}


def _tables() -> dict:
    return {"agencies": AGENCIES, "offenders": offenders(OFFENDERS), "convictions": convictions(CONVICTIONS),
            "movements": movements(MOVEMENTS), "exchanges": exchanges(EXCHANGES)}


@pytest.fixture(scope="module")
def gap_store(session_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Store:
    return loaded_store(session_store, tmp_path_factory.mktemp("gaps"), _tables())


# movement -> (conviction_state, status, lag_days) at as-of 2021-12-31, window 30
EXPECTED_ARRIVALS = {
    "M-A01": ("RO", "known", 0),        # alert received on the arrival day
    "M-A02": ("RO", "notified", 30),    # exactly window days later
    "M-A03": ("RO", "late", 31),        # one day later
    "M-A04": ("RO", "unnotified", None),
    "M-A05": ("RO", "pending", None),   # 2021-12-15 + 30 > as-of
    "M-A06": ("RO", "known", 0),        # convicted in DE after lq, before arrival
    "M-A07": ("RO", "unnotified", None),  # DE conviction before lq; a request does not count
    "M-A08": ("FR", "unnotified", None),  # tie on lq date: C-A08-a < C-A08-b
    "M-A09": ("RO", "notified", 9),     # empty received_date: the sent date counts
    "M-A10": ("RO", "unnotified", None),  # the alert predates lq
    "M-A13": ("RO", "unnotified", None),  # received after as-of: not seen
    "M-A14": ("RO", "unnotified", None),
    "M-S1": None, "M-S2": None, "M-S3": None, "M-S4": None, "M-S5": None, "M-S6": None,  # not qualifying
}


def test_arrivals_exact_rows(gap_store: Store) -> None:
    got = gaps.arrivals(gap_store, window_days=30, as_of=AS_OF)
    expected = [(m, MOVEMENTS[m][0], "RO", "DE", MOVEMENTS[m][3], *v)
                for m, v in sorted(EXPECTED_ARRIVALS.items()) if v is not None]
    rows = frame_rows(got)
    assert rows == expected


def test_as_of_moves_the_boundaries(gap_store: Store) -> None:
    got = gaps.arrivals(gap_store, window_days=30, as_of="2021-03-31").set_index("movement_id")
    assert got.loc["M-A02", "status"] == "notified"      # aware 03-31 = as-of: seen
    assert got.loc["M-A04", "status"] == "unnotified"    # 03-01 + 30 = 03-31 <= as-of
    assert got.loc["M-A03", "status"] == "unnotified"    # aware 04-01 not yet seen and the window has closed
    got = gaps.arrivals(gap_store, window_days=30, as_of="2021-03-30").set_index("movement_id")
    assert got.loc["M-A02", "status"] == "pending"
    assert "M-A05" not in got.index                      # arrivals after as-of are ignored
    got = gaps.arrivals(gap_store, window_days=30, as_of="2022-01-06").set_index("movement_id")
    assert tuple(got.loc["M-A13", ["status", "lag_days"]]) == ("late", 310)


def test_default_as_of_is_latest_event(gap_store: Store) -> None:
    # latest: received 2022-01-05 (X-A13) < arrival 2022-01-10 (M-A14-late); supervision_end 2022-01-01 does not count
    assert gaps.resolve_as_of(gap_store, None) == gaps.resolve_as_of(gap_store, "2022-01-10")


def test_ecris_exact_rows(gap_store: Store) -> None:
    got = gaps.ecris(gap_store, window_days=30, as_of=AS_OF)
    rows = frame_rows(got)
    assert rows == [
        ("C-A08-a", "A08", "FR", "RO", "unnotified", None),  # convicted outside RO: counted too
        ("C-A08-b", "A08", "PL", "RO", "unnotified", None),
        ("C-E1", "E1", "DE", "PL", "notified", 9),     # named notice received 9 days later
        ("C-E2", "E2", "DE", "PL", "notified", 0),     # unnamed notice sent on the conviction date
        ("C-E3", "E3", "DE", "PL", "unnotified", None),  # unnamed notice sent before the conviction
        ("C-E5a", "E5", "DE", "PL", "unnotified", None),  # the notice names the other conviction
        ("C-E5b", "E5", "DE", "PL", "notified", 4),
        ("C-E6", "E6", "DE", "PL", "late", 59),
        ("C-E8", "E8", "DE", "PL", "unnotified", None),  # not via ECRIS
        ("C-E9", "E9", "DE", "PL", "pending", None),
    ]  # the A-cases are convicted in their state of nationality: not counted


def test_supervision_exact_rows(gap_store: Store) -> None:
    got = gaps.supervision(gap_store, window_days=30, as_of=AS_OF)
    rows = frame_rows(got)
    assert rows == [
        ("M-S1", "C-S1", "S1", "FR", "DE", "notified", 19),
        ("M-S4", "C-S4", "S4", "FR", "DE", "unnotified", None),  # ends the day after arrival: running
        ("M-S5", "C-S5", "S5", "FR", "DE", "known", 0),          # transferred before arrival
    ]


def test_matrix_matches_hand_count(gap_store: Store) -> None:
    got = gaps.matrix(gap_store, window_days=30, as_of=AS_OF)
    assert got.columns.tolist() == gaps.MATRIX_COLUMNS
    row = got.iloc[0]
    # RO->DE: 12 counted (A11, A12 are not); known A01 A06, notified A02 A09, late A03,
    # unnotified A04 A07 A08 A10 A13 A14, pending A05
    assert (row.from_state, row.to_state, row.movements, row.known, row.notified, row.late, row.unnotified,
            row.pending) == ("RO", "DE", 12, 2, 2, 1, 6, 1)
    assert row.gap_rate == pytest.approx(7 / 11)
    assert row.median_lag_days == 30  # lags 30, 31, 9 -> median 30
    assert len(got) == 1


@pytest.mark.parametrize("filters, movements", [
    ({"group": "violent"}, 2),           # A03 (0801) and A08 (lq set by C-A08-a, 0801)
    ({"group": "sexual"}, 10),
    ({"min_risk": "high"}, 11),          # A04 is low
    ({"states": ["PL"]}, 0),
    ({"states": ["de"]}, 12),
    ({"date_from": "2021-03-02"}, 1),    # only A05 (12-15)
    ({"date_to": "2021-03-01"}, 11),     # inclusive
])
def test_matrix_filters(gap_store: Store, filters: dict, movements: int) -> None:
    got = gaps.matrix(gap_store, window_days=30, as_of=AS_OF, **filters)
    assert int(got["movements"].sum()) == movements


def test_cli_csv_is_spec_exact(gap_store: Store) -> None:
    result = run_cli("gaps", "matrix", "--format", "csv", "--as-of", AS_OF)
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "from_state,to_state,movements,known,notified,late,unnotified,pending,gap_rate,median_lag_days\n"
        "RO,DE,12,2,2,1,6,1,0.636364,30\n")
    result = run_cli("gaps", "ecris", "--format", "csv", "--as-of", AS_OF, "--window-days", "60")
    assert "C-E6,E6,DE,PL,notified,59\n" in result.stdout


def test_state_filter_accepts_the_eu_aliases(gap_store: Store) -> None:
    # SPEC §2: UK and EL are accepted on input and mean GB and GR
    assert gaps.matrix(gap_store, as_of=AS_OF, states=["uk"]).empty
    assert gaps.arrival_groups(gap_store, "pair", as_of=AS_OF, states=["EL"]).empty
    assert int(gaps.matrix(gap_store, as_of=AS_OF, states=["de", "UK"])["movements"].sum()) == 12


@pytest.mark.parametrize("value", ["20210301", "2021W101", "2021-3-1", "2021-03-01T00:00"])
def test_cli_dates_must_be_yyyy_mm_dd(gap_store: Store, value: str) -> None:
    result = run_cli("gaps", "arrivals", "--as-of", value)
    assert result.returncode != 0 and "YYYY-MM-DD" in result.stderr and "Traceback" not in result.stderr
