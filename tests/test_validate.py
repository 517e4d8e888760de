"""SPEC §2 bad-input rules: one case per rule, each pinning the exact Problem.

The base data set (tests/datasets.py) is valid; each case adds one bad row at
the end of one file, so the expected line is the file's last line and nothing
else may be reported.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from datasets import base, seed_rows
from fixtures import write_dataset

from somec_graph.ingest.validate import Problem, problems_csv, validate

# A valid new row per file, to be changed by a case.
NEW_ROW = {
    "agencies": {"agency_id": "PL-POL", "name": "PL Police", "state": "PL", "kind": "police"},
    "offenders": {"offender_id": "N1", "nationality": "DE", "birth_year": "1990", "sex": "X", "risk_level": "low"},
    "convictions": {"conviction_id": "CN", "offender_id": "O1", "state": "DE", "offence_code": "1001",
                    "conviction_date": "2021-06-01", "case_id": "", "sentence_months": "12",
                    "supervision_end": "2022-06-01"},
    "movements": {"movement_id": "MN", "offender_id": "O1", "from_state": "FR", "to_state": "PL",
                  "arrival_date": "2022-01-01", "detected_by": "", "source": "intelligence"},
    "exchanges": {"exchange_id": "EN", "mechanism": "ECRIS", "sender": "RO-CRA", "recipient": "DE-CRA",
                  "offender_id": "O1", "kind": "risk_notice", "sent_date": "2021-05-01", "received_date": "2021-05-02",
                  "conviction_id": "C1", "movement_id": "M1"},
}
THIS_YEAR = date.today().year

# (id, file, changes to NEW_ROW[file], expected column, expected value, reason substring)
CASES = [
    ("duplicate id", "offenders", {"offender_id": "O2"}, "offender_id", "O2",
     "duplicate offender_id (first on line 3)"),
    ("duplicate id exchange", "exchanges", {"exchange_id": "E1"}, "exchange_id", "E1",
     "duplicate exchange_id (first on line 2)"),
    ("unknown state nationality", "offenders", {"nationality": "XX"}, "nationality", "XX", "unknown state"),
    ("unknown state agency", "agencies", {"state": "QQ"}, "state", "QQ", "unknown state"),
    ("unknown state movement", "movements", {"to_state": "ZZ"}, "to_state", "ZZ", "unknown state"),
    ("malformed state", "convictions", {"state": "Germany"}, "state", "Germany", "not an ISO 3166-1 alpha-2"),
    ("unknown agency detected_by", "movements", {"detected_by": "XX-POL"}, "detected_by", "XX-POL", "unknown agency"),
    ("unknown agency sender", "exchanges", {"sender": "NOBODY"}, "sender", "NOBODY", "unknown agency"),
    ("unknown agency recipient", "exchanges", {"recipient": "NOBODY"}, "recipient", "NOBODY", "unknown agency"),
    ("unknown mechanism", "exchanges", {"mechanism": "PIGEON"}, "mechanism", "PIGEON", "unknown mechanism"),
    ("unknown offence code", "convictions", {"offence_code": "9999"}, "offence_code", "9999", "unknown offence code"),
    ("malformed offence code", "convictions", {"offence_code": "10-01"}, "offence_code", "10-01",
     "not a four-digit ECRIS offence category code"),
    ("unknown offender conviction", "convictions", {"offender_id": "O9"}, "offender_id", "O9", "unknown offender"),
    ("unknown offender movement", "movements", {"offender_id": "O9"}, "offender_id", "O9", "unknown offender"),
    ("unknown offender exchange", "exchanges", {"offender_id": "O9", "conviction_id": "", "movement_id": ""},
     "offender_id", "O9", "unknown offender"),
    ("unknown conviction", "exchanges", {"conviction_id": "C9"}, "conviction_id", "C9", "unknown conviction"),
    ("unknown movement", "exchanges", {"movement_id": "M9"}, "movement_id", "M9", "unknown movement"),
    ("unparsable date slashes", "convictions", {"conviction_date": "10/01/2020"}, "conviction_date", "10/01/2020",
     "not a date in the form YYYY-MM-DD"),
    ("unparsable date no such day", "movements", {"arrival_date": "2021-02-30"}, "arrival_date", "2021-02-30",
     "not a date in the form YYYY-MM-DD"),
    ("unparsable optional date", "exchanges", {"received_date": "soon"}, "received_date", "soon",
     "not a date in the form YYYY-MM-DD"),
    ("unparsable number", "convictions", {"sentence_months": "two years"}, "sentence_months", "two years",
     "not a whole number"),
    ("unparsable birth year", "offenders", {"birth_year": "19x0"}, "birth_year", "19x0", "not a whole number"),
    ("negative number", "convictions", {"sentence_months": "-3"}, "sentence_months", "-3", "must not be negative"),
    ("enum risk_level", "offenders", {"risk_level": "extreme"}, "risk_level", "extreme",
     "must be one of low, medium, high, very_high"),
    ("enum sex", "offenders", {"sex": "male"}, "sex", "male", "must be one of F, M, X"),
    ("enum agency kind", "agencies", {"kind": "army"}, "kind", "army", "must be one of police, probation"),
    ("enum movement source", "movements", {"source": "rumour"}, "source", "rumour", "must be one of border_check"),
    ("enum exchange kind", "exchanges", {"kind": "gossip"}, "kind", "gossip", "must be one of conviction_notice"),
    ("enum is case-sensitive", "offenders", {"risk_level": "HIGH"}, "risk_level", "HIGH", "must be one of"),
    ("required cell empty", "offenders", {"risk_level": ""}, "risk_level", "", "risk_level is required"),
    ("received before sent", "exchanges", {"received_date": "2021-04-30"}, "received_date", "2021-04-30",
     "received_date is before sent_date"),
    ("supervision_end before conviction_date", "convictions", {"supervision_end": "2021-05-31"}, "supervision_end",
     "2021-05-31", "supervision_end is before conviction_date"),
    ("from_state equals to_state", "movements", {"from_state": "PL"}, "to_state", "PL", "to_state equals from_state"),
    ("from equals to through an alias", "movements", {"from_state": "UK", "to_state": "GB"}, "to_state", "GB",
     "to_state equals from_state"),
    ("another offender's conviction", "exchanges", {"conviction_id": "C2"}, "conviction_id", "C2",
     "belongs to offender O2, not O1"),
    ("another offender's movement", "exchanges", {"movement_id": "M3"}, "movement_id", "M3",
     "belongs to offender O2, not O1"),
    ("birth year too early", "offenders", {"birth_year": "1850"}, "birth_year", "1850", "implausible birth year"),
    ("birth year in the future", "offenders", {"birth_year": str(THIS_YEAR + 1)}, "birth_year", str(THIS_YEAR + 1),
     "implausible birth year"),
    ("birth year of a child", "offenders", {"birth_year": str(THIS_YEAR - 2)}, "birth_year", str(THIS_YEAR - 2),
     "implausible birth year"),
]


@pytest.mark.parametrize("file, changes, column, value, reason",
                         [pytest.param(*c[1:], id=c[0]) for c in CASES])
def test_bad_row_gives_exactly_one_problem(tmp_path: Path, file: str, changes: dict[str, str], column: str,
                                           value: str, reason: str) -> None:
    rows = base()
    rows[file].append({**NEW_ROW[file], **changes})
    ds = validate(write_dataset(tmp_path, rows))

    line = len(rows[file]) + 1  # the header is line 1
    assert len(ds.problems) == 1, ds.problems
    problem = ds.problems[0]
    assert (problem.file, problem.line, problem.column, problem.value) == (f"{file}.csv", line, column, value)
    assert reason in problem.reason
    assert not ds.ok and ds.rejected_rows == 1
    # the other rows are kept, the bad one is not
    assert [r["_line"] for r in ds.rows[file]] == list(range(2, line))
    assert ds.warnings == []


def test_base_data_set_is_valid(tmp_path: Path) -> None:
    ds = validate(write_dataset(tmp_path, base()))
    assert ds.ok and ds.problems == [] and ds.warnings == []
    assert {name: len(rows) for name, rows in ds.rows.items() if name in base()} == \
        {name: len(rows) for name, rows in base().items()}
    assert len(ds.rows["states"]) == len(seed_rows("states"))  # reference tables from seed_data/


def test_unparsable_float_in_a_reference_table(tmp_path: Path) -> None:
    states = seed_rows("states") + [{"code": "XK", "name": "Kosovo", "eu": "false", "schengen": "false",
                                     "selec": "false", "lat": "north", "lon": "21.17"}]
    ds = validate(write_dataset(tmp_path, {**base(), "states": states}))
    assert [(p.file, p.line, p.column, p.value) for p in ds.problems] == [("states.csv", len(states) + 1, "lat", "north")]
    assert "not a number" in ds.problems[0].reason


@pytest.mark.parametrize("file, column", [("offenders", "risk_level"), ("agencies", "kind"),
                                          ("convictions", "conviction_date"), ("exchanges", "sent_date")])
def test_missing_required_column(tmp_path: Path, file: str, column: str) -> None:
    rows = base()
    for row in rows[file]:
        del row[column]
    ds = validate(write_dataset(tmp_path, rows))
    assert ds.problems[0] == Problem(f"{file}.csv", 1, column, "", f"missing required column {column}")
    assert ds.rows.get(file, []) == []  # the file is refused as a whole


def test_non_utf8_file(tmp_path: Path) -> None:
    write_dataset(tmp_path, base())
    (tmp_path / "offenders.csv").write_bytes(
        "offender_id,nationality,birth_year,sex,risk_level\nO1,RO,1980,M,high\nO2,PL,1975,F,medium\n"
        "O3,FR,,,low\nOé,FR,,,low\n".encode("latin-1"))
    ds = validate(tmp_path)
    first = ds.problems[0]
    assert (first.file, first.line, first.column, first.value) == ("offenders.csv", 5, "", "")
    assert "not UTF-8" in first.reason
    assert ds.rows.get("offenders", []) == []


@pytest.mark.parametrize("extra, reason", [(",surplus", "the row has 6 fields, the header 5"),
                                           ("", "the row has 4 fields, the header 5")])
def test_row_with_wrong_field_count(tmp_path: Path, extra: str, reason: str) -> None:
    rows = base()
    write_dataset(tmp_path, rows)
    text = (tmp_path / "offenders.csv").read_text()
    line = "N1,DE,1990,X,low" + extra if extra else "N1,DE,1990,low"
    (tmp_path / "offenders.csv").write_text(text + line + "\n")
    ds = validate(tmp_path)
    assert Problem("offenders.csv", 5, "", "", reason) in ds.problems
    assert all(p.line == 5 for p in ds.problems)
    assert "N1" not in {r["offender_id"] for r in ds.rows["offenders"]}


def test_eu_aliases_are_stored_as_iso(tmp_path: Path) -> None:
    rows = base()
    rows["agencies"].append({"agency_id": "UK-POL", "name": "UK Police", "state": "UK", "kind": "police"})
    rows["offenders"] += [{**NEW_ROW["offenders"], "offender_id": "N1", "nationality": "UK"},
                          {**NEW_ROW["offenders"], "offender_id": "N2", "nationality": "EL"},
                          {**NEW_ROW["offenders"], "offender_id": "N3", "nationality": "el"}]
    rows["movements"].append({**NEW_ROW["movements"], "from_state": "EL", "to_state": "UK"})
    ds = validate(write_dataset(tmp_path, rows))
    assert ds.ok, ds.problems
    nationality = {r["offender_id"]: r["nationality"] for r in ds.rows["offenders"]}
    assert (nationality["N1"], nationality["N2"], nationality["N3"]) == ("GB", "GR", "GR")
    assert ds.rows["agencies"][-1]["state"] == "GB"
    assert (ds.rows["movements"][-1]["from_state"], ds.rows["movements"][-1]["to_state"]) == ("GR", "GB")


@pytest.mark.parametrize("code", ["1001", "1001 00", "100100"])
def test_offence_code_is_normalised(tmp_path: Path, code: str) -> None:
    rows = base()
    rows["convictions"].append({**NEW_ROW["convictions"], "offence_code": code})
    ds = validate(write_dataset(tmp_path, rows))
    assert ds.ok, ds.problems
    assert ds.rows["convictions"][-1]["offence_code"] == "1001"


def test_unknown_column_is_a_warning_and_ignored(tmp_path: Path) -> None:
    rows = base()
    for row in rows["offenders"]:
        row["notes"] = "anything"
    ds = validate(write_dataset(tmp_path, rows))
    assert ds.ok
    assert ds.warnings == [Problem("offenders.csv", 1, "notes", "", "unknown column, ignored")]
    assert all("notes" not in r for r in ds.rows["offenders"])


def test_unknown_file_is_a_warning(tmp_path: Path) -> None:
    write_dataset(tmp_path, {**base(), "victims": [{"victim_id": "V1"}]})
    ds = validate(tmp_path)
    assert ds.ok
    assert [(w.file, w.reason) for w in ds.warnings] == [("victims.csv", "not a file of the data contract, ignored")]


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    write_dataset(tmp_path, base())
    text = "offender_id,nationality,birth_year,sex,risk_level\r\nO1,RO,1980,M,high\r\nO2,PL,1975,F,medium\r\n" \
           "O3,FR,,,low\r\nO4,DE,1990,X,nonsense\r\n"
    (tmp_path / "offenders.csv").write_bytes(b"\xef\xbb\xbf" + text.encode())
    ds = validate(tmp_path)
    assert [r["offender_id"] for r in ds.rows["offenders"]] == ["O1", "O2", "O3"]
    assert ds.warnings == []  # the BOM is not part of the first column's name
    assert [(p.line, p.column, p.value) for p in ds.problems] == [(5, "risk_level", "nonsense")]


def test_embedded_newline_keeps_line_numbers(tmp_path: Path) -> None:
    write_dataset(tmp_path, base())
    (tmp_path / "agencies.csv").write_text(
        "agency_id,name,state,kind\n"
        'DE-POL,"DE Police,\nBundeskriminalamt",DE,police\n'   # lines 2-3
        "DE-CRA,DE Criminal Records,DE,criminal_records\n"     # line 4
        'RO-CRA,"RO\n\nRecords",RO,criminal_records\n'          # lines 5-7
        "FR-POL,FR Police,FR,cops\n"                            # line 8: bad
        "FR-PRB,FR Probation,FR,probation\n")                   # line 9
    ds = validate(tmp_path)
    assert [(p.file, p.line, p.column, p.value) for p in ds.problems[:1]] == [("agencies.csv", 8, "kind", "cops")]
    assert [r["_line"] for r in ds.rows["agencies"]] == [2, 4, 5, 9]
    assert ds.rows["agencies"][0]["name"] == "DE Police,\nBundeskriminalamt"


def test_reference_to_a_rejected_row_says_so(tmp_path: Path) -> None:
    rows = base()
    rows["offenders"][2]["risk_level"] = "unknown"  # O3 on line 4
    ds = validate(write_dataset(tmp_path, rows))
    assert ds.problems[0] == Problem("offenders.csv", 4, "risk_level", "unknown",
                                     "must be one of low, medium, high, very_high")
    # C3 (convictions line 4), M4 (movements line 5) and E4 (exchanges line 5) belong to O3
    follow = {(p.file, p.line, p.column): p.reason for p in ds.problems[1:]}
    assert follow[("convictions.csv", 4, "offender_id")] == "refers to offender O3, which was rejected (line 4)"
    assert follow[("movements.csv", 5, "offender_id")] == "refers to offender O3, which was rejected (line 4)"
    assert follow[("exchanges.csv", 5, "offender_id")] == "refers to offender O3, which was rejected (line 4)"
    # E4 names C3, itself rejected in turn
    assert follow[("exchanges.csv", 5, "conviction_id")] == "refers to conviction C3, which was rejected (line 4)"
    assert ds.rejected_rows == 4


def test_problems_report_csv(tmp_path: Path) -> None:
    problems = [Problem("offenders.csv", 5, "risk_level", "=cmd()", "must be one of low"),
                Problem("offenders.csv", 1, "notes", "", "unknown column")]
    assert problems_csv(problems).splitlines() == [
        "file,line,column,value,reason",
        "offenders.csv,5,risk_level,'=cmd(),must be one of low",  # no formula in a spreadsheet
        "offenders.csv,1,notes,,unknown column",
    ]


def test_unclosed_quote_is_reported_where_the_record_starts(tmp_path: Path) -> None:
    write_dataset(tmp_path, base())
    text = (tmp_path / "offenders.csv").read_text()
    (tmp_path / "offenders.csv").write_text(text + 'N1,"DE,1990,X,low\nN2,DE,1990,X,low\n')
    ds = validate(tmp_path)
    first = ds.problems[0]
    assert (first.file, first.line, first.column, first.value) == ("offenders.csv", 5, "", "")
    assert first.reason.startswith("not valid CSV")


def test_a_missing_offenders_file_is_a_problem_and_other_missing_files_are_named(tmp_path: Path) -> None:
    write_dataset(tmp_path, {"agencies": [{"agency_id": "DE-POL", "name": "DE police", "state": "DE",
                                           "kind": "police"}]})
    ds = validate(tmp_path)
    assert [(p.file, p.reason) for p in ds.problems] == [
        ("offenders.csv", "the data set has no offenders.csv; every other file refers to it")]
    assert {w.file for w in ds.warnings} == {"convictions.csv", "movements.csv", "exchanges.csv"}


# --- a file that cannot be read does not bury the report ---------------------------------

def _without_column(rows: list[dict[str, str]], column: str) -> list[dict[str, str]]:
    return [{k: v for k, v in row.items() if k != column} for row in rows]


@pytest.mark.parametrize("broken, how", [
    ("offenders", "missing column"), ("offenders", "duplicate column"), ("movements", "missing column"),
])
def test_a_header_error_gives_one_summary_line_per_dependent_file(tmp_path: Path, broken: str, how: str) -> None:
    rows = base()
    # 40 more movements of O1, each with an exchange naming it: what a real data set looks like
    rows["movements"] += [{**rows["movements"][0], "movement_id": f"MX{i}", "arrival_date": f"2022-01-{i + 1:02d}"}
                          for i in range(28)]
    rows["exchanges"] += [{**rows["exchanges"][0], "exchange_id": f"EX{i}", "movement_id": f"MX{i}"}
                          for i in range(28)]
    key = {"offenders": "risk_level", "movements": "to_state"}[broken]
    tables: dict[str, list[dict[str, str]] | str] = dict(rows)
    if how == "missing column":
        tables[broken] = _without_column(rows[broken], key)
    else:
        header = ",".join([*rows[broken][0], key])
        lines = [",".join([*r.values(), r[key]]) for r in rows[broken]]
        tables[broken] = "\n".join([header, *lines]) + "\n"
    ds = validate(write_dataset(tmp_path, tables, with_reference=True))
    header_problem = (Problem(f"{broken}.csv", 1, key, "", f"missing required column {key}") if how == "missing column"
                      else Problem(f"{broken}.csv", 1, key, key, "duplicate column in header"))
    # Counted by hand from the rows above: every row that names the broken file, directly or through a row
    # that could not load because of it.
    n_movements, n_exchanges = len(rows["movements"]), len(rows["exchanges"])
    expected = {
        "offenders": [header_problem,
                      Problem("convictions.csv", 0, "", "", "3 rows of convictions.csv refer to offenders.csv, "
                                                            "which could not be read"),
                      Problem("movements.csv", 0, "", "", f"{n_movements} rows of movements.csv refer to "
                                                          "offenders.csv, which could not be read"),
                      Problem("exchanges.csv", 0, "", "", f"{n_exchanges} rows of exchanges.csv refer to "
                                                          "offenders.csv, which could not be read")],
        "movements": [header_problem,
                      Problem("exchanges.csv", 0, "", "", "30 rows of exchanges.csv refer to movements.csv, "
                                                          "which could not be read")],
    }[broken]
    assert ds.problems == expected

