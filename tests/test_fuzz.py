"""Hostile input files: validate() reports problems and never raises.

Random bytes, wrong encodings, BOMs, line endings, broken quoting, embedded
newlines, huge cells, formula-like cells and HTML/JS in names. Whatever comes
in, `validate()` returns a Dataset whose every Problem names a file, a line
(>= 0) and a reason — and names that merely look like code stay data.
Also: the audit log's verify() under garbage lines, the read-only check of
user Cypher, and a one-million-row file in bounded time and memory.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import pytest
from datasets import base
from fixtures import REPO, write_dataset
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from somec_graph import audit
from somec_graph.ingest.contract import TABLES, TABLES_BY_NAME
from somec_graph.ingest.validate import Dataset, problems_csv, validate

# SOMEC_FUZZ_EXAMPLES=5000 for a deeper search than the suite's quick one.
FUZZ = settings(deadline=None, max_examples=int(os.environ.get("SOMEC_FUZZ_EXAMPLES", "120")),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
FILES = [t.file for t in TABLES]
COLUMNS = sorted({c.name for t in TABLES for c in t.columns})
FORMULA_START = ("=", "+", "-", "@")

NASTY = [
    # formula injection
    "=cmd|' /C calc'!A0", "=HYPERLINK(\"http://evil.example\",\"click\")", "+1", "-1", "@SUM(A1:A9)", "=1+1",
    "-2+3+cmd|' /C calc'!A0",
    # HTML / JS / Cypher / shell
    "<img src=x onerror=alert(1)>", "<script>alert(document.cookie)</script>", "javascript:alert(1)",
    "\"><svg onload=alert(1)>", "' OR 1=1 --", "'}) MATCH (n) DETACH DELETE n //", "$(rm -rf /)", "${jndi:ldap://x/a}",
    "{{7*7}}", "%s%s%n", "../../etc/passwd",
    # quoting, separators, line endings
    "\"", "\"\"", "a\"b", "\"quoted\"", ",", "a,b", "line\nbreak", "cr\rlf\r\n", "\r", "\n\n", "\t", "  padded  ",
    # encodings and Unicode oddities
    "\ufeff", "\ufeffDE", "é", "Zürich Polizei", "Łódź", "Ελληνική Αστυνομία", "\u2028", "\u0085", "\u200b",
    "ﬁ", "ß", "\u0130", "١٠٠١", "٣", "２０２０-０１-０１", "𝟐𝟎𝟐𝟎", "\U0001F600",
    # numbers and dates at the edges
    "9" * 5000, "-" + "9" * 5000, "1e999", "nan", "inf", "-0", "0x10", "1_000", "00001001", "1001 00", "100100",
    "2024-02-30", "2024-13-01", "0000-01-01", "9999-12-31", "2024-1-1", "20240101",
    # plausible values (so that some rows pass and the row rules run)
    "", " ", "DE", "FR", "RO", "UK", "EL", "de", "1001", "0801", "1980", "2021-03-01", "2019-01-01", "true", "false",
    "high", "low", "M", "police", "ECRIS", "SIS", "FD947", "O1", "O2", "C1", "M1", "DE-POL", "RO-CRA",
    "conviction_notice", "alert", "border_check",
]
cells = st.one_of(st.sampled_from(NASTY), st.text(max_size=12), st.text(alphabet="0123456789-+ ", max_size=6))
ENCODINGS = ["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16", "utf-16-be", "utf-32"]


def check_invariants(ds: Dataset) -> None:
    """What must hold for any input at all."""
    assert ds.ok == (not ds.problems)
    for p in [*ds.problems, *ds.warnings]:
        assert isinstance(p.file, str) and p.file, p
        assert isinstance(p.line, int) and p.line >= 0, p
        assert isinstance(p.column, str) and isinstance(p.value, str), p
        assert isinstance(p.reason, str) and p.reason.strip(), p
        assert str(p)
    for name, rows in ds.rows.items():
        assert name in TABLES_BY_NAME
        for row in rows:
            assert isinstance(row["_line"], int) and row["_line"] >= 2
    report = list(csv.reader(io.StringIO(problems_csv(ds.problems), newline="")))
    assert report[0] == ["file", "line", "column", "value", "reason"]
    assert len(report) == len(ds.problems) + 1
    for _file, _line, _column, value, _reason in report[1:]:
        assert not value.startswith(FORMULA_START), value  # neutralised for spreadsheets


def _folder() -> tempfile.TemporaryDirectory:
    return tempfile.TemporaryDirectory(prefix="somec-fuzz-")


def _csv_text(header: list[str], rows: list[list[str]], terminator: str, quote: bool) -> str:
    if quote:
        out = io.StringIO()
        csv.writer(out, lineterminator=terminator, quoting=csv.QUOTE_MINIMAL).writerows([header, *rows])
        return out.getvalue()
    return "".join(",".join(r) + terminator for r in [header, *rows])  # no quoting: broken CSV is welcome


# --- 1. anything at all -----------------------------------------------------------

@FUZZ
@given(files=st.dictionaries(st.sampled_from(FILES + ["notes.csv"]), st.binary(max_size=3000), min_size=1, max_size=4))
def test_random_bytes(files: dict[str, bytes]) -> None:
    with _folder() as tmp:
        for name, data in files.items():
            (Path(tmp) / name).write_bytes(data)
        check_invariants(validate(Path(tmp)))


@FUZZ
@given(file=st.sampled_from(FILES),
       header=st.lists(st.one_of(st.sampled_from(COLUMNS), cells), max_size=9),
       rows=st.lists(st.lists(cells, max_size=10), max_size=8),
       terminator=st.sampled_from(["\n", "\r\n", "\r"]),
       quote=st.booleans(), bom=st.booleans(), encoding=st.sampled_from(ENCODINGS))
def test_random_csv_in_any_encoding(file: str, header: list[str], rows: list[list[str]], terminator: str,
                                    quote: bool, bom: bool, encoding: str) -> None:
    text = ("\ufeff" if bom else "") + _csv_text(header, rows, terminator, quote)
    with _folder() as tmp:
        write_dataset(Path(tmp), base())
        (Path(tmp) / file).write_bytes(text.encode(encoding, errors="replace"))
        ds = validate(Path(tmp))
        check_invariants(ds)
        if encoding.startswith(("utf-16", "utf-32")) and text:
            # not UTF-8, or a NUL byte (UTF-16 of "\n" is b"\x00\n", valid UTF-8): refused either way
            assert any(p.file == file and ("UTF-8" in p.reason or "NUL" in p.reason) for p in ds.problems)


# --- 2. a valid data set with cells replaced -------------------------------------

mutations = st.lists(
    st.tuples(st.sampled_from(["agencies", "offenders", "convictions", "movements", "exchanges"]),
              st.integers(0, 4), st.sampled_from(COLUMNS), cells),
    min_size=1, max_size=6)


@FUZZ
@given(changes=mutations, crlf=st.booleans(), bom=st.booleans(), extra_column=st.booleans())
def test_valid_data_set_with_hostile_cells(changes: list[tuple[str, int, str, str]], crlf: bool, bom: bool,
                                           extra_column: bool) -> None:
    rows = base()
    for table, index, column, value in changes:
        target = rows[table][index % len(rows[table])]
        if column in target or extra_column:
            target[column] = value
    with _folder() as tmp:
        folder = write_dataset(Path(tmp), rows)
        if crlf or bom:
            for path in folder.glob("*.csv"):
                text = path.read_text(encoding="utf-8")
                if crlf:
                    text = text.replace("\n", "\r\n")  # also inside quoted cells: still valid CSV
                path.write_bytes(("\ufeff" if bom else "").encode() + text.encode("utf-8"))
        check_invariants(validate(folder))


# --- 3. names are data, not code ------------------------------------------------

free_text = st.one_of(st.sampled_from([v for v in NASTY if v.strip() and v.strip() != "\ufeff"]),
                      st.text(min_size=1, max_size=40).filter(lambda s: s.strip() and "\x00" not in s))


@FUZZ
@given(agency_name=free_text, case_id=free_text, offender_id=free_text, crlf=st.booleans())
def test_hostile_names_in_free_text_columns_are_valid_data(agency_name: str, case_id: str, offender_id: str,
                                                           crlf: bool) -> None:
    assume(offender_id.strip() not in ("O1", "O2"))
    rows = base()
    rows["agencies"][0]["name"] = agency_name
    rows["convictions"][0]["case_id"] = case_id
    for table in ("offenders", "convictions", "movements", "exchanges"):  # rename O3 everywhere
        for row in rows[table]:
            if row["offender_id"] == "O3":
                row["offender_id"] = offender_id
    with _folder() as tmp:
        folder = Path(tmp)
        for table, table_rows in rows.items():
            # As a spreadsheet writes CSV: CRLF with minimal quoting, or LF with every cell quoted. (The csv
            # module quotes only its own line terminator's characters, so LF + minimal quoting would leave
            # a bare "\r" in a cell unquoted: a broken file, rightly refused, but not what this test is about.)
            with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as fh:
                writer = csv.DictWriter(fh, fieldnames=list(table_rows[0]), lineterminator="\r\n" if crlf else "\n",
                                        quoting=csv.QUOTE_MINIMAL if crlf else csv.QUOTE_ALL)
                writer.writeheader()
                writer.writerows(table_rows)
        ds = validate(folder)
        check_invariants(ds)
        assert ds.ok, [str(p) for p in ds.problems]
        assert ds.rows["agencies"][0]["name"] == agency_name.strip()
        assert ds.rows["convictions"][0]["case_id"] == case_id.strip()
        assert offender_id.strip() in {r["offender_id"] for r in ds.rows["offenders"]}


def test_known_hostile_names_validate_unchanged(tmp_path: Path) -> None:
    rows = base()
    names = ["<img src=x onerror=alert(1)>", "=cmd|' /C calc'!A0", "+1", "-1", "@SUM(A1:A9)",
             "Police \"Ouest\", Rennes\nannexe", "Zürich Stadtpolizei"]
    extra = [{"agency_id": f"X{i}", "name": n, "state": "DE", "kind": "police"} for i, n in enumerate(names)]
    rows["agencies"] += extra
    ds = validate(write_dataset(tmp_path, rows))
    assert ds.ok, [str(p) for p in ds.problems]
    assert [r["name"] for r in ds.rows["agencies"][-len(names):]] == names


# --- 4. specific bugs the fuzzing found ------------------------------------------

@pytest.mark.parametrize("column, value, reason", [
    ("birth_year", "9" * 5000, "not a whole number"),       # int() raised ValueError past 4300 digits
    ("birth_year", "١٩٨٠", "not a whole number"),           # Arabic-Indic digits passed as 1980
    ("nationality", "ﬁ", "not an ISO 3166-1 alpha-2"),      # the ligature upper-cased to FI
    ("nationality", "ß", "not an ISO 3166-1 alpha-2"),      # upper-cased to SS
])
def test_cells_that_used_to_crash_or_pass(tmp_path: Path, column: str, value: str, reason: str) -> None:
    rows = base()
    rows["offenders"][0][column] = value
    ds = validate(write_dataset(tmp_path, rows))
    check_invariants(ds)
    first = ds.problems[0]
    assert (first.file, first.line, first.column) == ("offenders.csv", 2, column)
    assert reason in first.reason


def test_blank_lines_before_the_header(tmp_path: Path) -> None:
    write_dataset(tmp_path, base())
    text = (tmp_path / "offenders.csv").read_text()
    (tmp_path / "offenders.csv").write_text("\n\n" + text.replace("O3,FR,,,low", "O3,FR,,,lowish"))
    ds = validate(tmp_path)
    assert [(p.line, p.column, p.value) for p in ds.problems if p.file == "offenders.csv"] == \
        [(6, "risk_level", "lowish")]


def test_unclosed_quote_is_reported_where_the_record_starts(tmp_path: Path) -> None:
    write_dataset(tmp_path, base())
    text = (tmp_path / "offenders.csv").read_text().replace("O2,PL", 'O2,"PL', 1) + "O4,DE,1990,X,low\n" * 50
    (tmp_path / "offenders.csv").write_text(text)
    problems = [p for p in validate(tmp_path).problems if p.file == "offenders.csv"]
    assert [(p.line, p.reason) for p in problems] == [(3, "not valid CSV: unexpected end of data")]


# --- 5. the audit log under garbage ----------------------------------------------

@settings(FUZZ, max_examples=max(FUZZ.max_examples // 3, 10))  # four fsynced appends per example
@given(junk=st.lists(st.one_of(st.binary(max_size=200), st.sampled_from(
    [b"{}", b"[]", b"null", b'{"seq": 1e999}', b"NaN", b"[" * 5000 + b"]" * 5000, b'{"seq": ' + b"9" * 5000 + b"}",
     b"\xff\xfe", b"\r", b"\x00"])), min_size=1, max_size=5),
       where=st.integers(0, 3))
def test_audit_verify_never_raises(junk: list[bytes], where: int) -> None:
    with _folder() as tmp:
        for i in range(3):
            audit.record(tmp, "ana", "analyst", "journey", {"i": i}, rows=i)
        path = Path(tmp) / audit.LOG_FILE
        lines = path.read_bytes().split(b"\n")[:-1]
        lines[where:where] = junk
        path.write_bytes(b"\n".join(lines) + b"\n")
        problems = audit.verify(tmp, expected_head="f" * 64)
        assert problems and all(p.startswith(("line ", "end of log")) for p in problems)
        audit.head(tmp)
        audit.show(tmp)
        audit.record(tmp, "ana", "analyst", "journey", {}, rows=None)  # the log stays writable


# --- 6. the read-only check of user Cypher ----------------------------------------

@pytest.mark.parametrize("text", [
    "MATCH (n) DETACH DELETE n",
    "MATCH (n) WHERE n.x = 'a' CREATE (m) RETURN m",
    "MATCH (n) WHERE n.x = \"\\\\\" CREATE (m) RETURN m",
    "/* ' */ CREATE (m) /* ' */",
    "MATCH (n) CALL apoc.periodic.iterate('x', 'y', {}) YIELD batches RETURN batches",
])
def test_writing_cypher_is_refused(text: str) -> None:
    from somec_graph.errors import QueryError
    from somec_graph.store.readonly import check_read_only

    with pytest.raises(QueryError):
        check_read_only(text)


# A quote or comment opener inside `backticks` once hid the clause up to the next one (found here, fixed in readonly.py).
@pytest.mark.parametrize("text", [
    "MATCH (a:`'`) CREATE (b:`'`) RETURN 1",
    "MATCH (a:`/*`) CREATE (b) RETURN `*/`",
])
def test_backtick_identifiers_do_not_hide_a_write(text: str) -> None:
    from somec_graph.errors import QueryError
    from somec_graph.store.readonly import check_read_only

    with pytest.raises(QueryError):
        check_read_only(text)


# --- 7. very large input ----------------------------------------------------------

BIG_CELL = 10 * 1024 * 1024


@pytest.fixture(scope="module")
def huge_cells(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Written once: a 10 MB agency name, unquoted, and a 10 MB quoted case_id with newlines."""
    folder = write_dataset(tmp_path_factory.mktemp("huge"), base())
    with (folder / "agencies.csv").open("a", encoding="utf-8") as fh:
        fh.write("XX-POL," + "A" * BIG_CELL + ",DE,police\n")
    with (folder / "convictions.csv").open("a", encoding="utf-8") as fh:
        fh.write('C9,O1,DE,1001,2020-01-01,"' + ("x" * 1023 + "\n") * (BIG_CELL // 1024) + '",,\n')
    return folder


def test_ten_megabyte_cells_are_problems_not_crashes(huge_cells: Path) -> None:
    start = time.monotonic()
    ds = validate(huge_cells)
    assert time.monotonic() - start < 20
    check_invariants(ds)
    files = {p.file for p in ds.problems}
    assert {"agencies.csv", "convictions.csv"} <= files
    agency = next(p for p in ds.problems if p.file == "agencies.csv")
    assert agency.line == 7 and ("field" in agency.reason or "longer" in agency.reason)
    conviction = next(p for p in ds.problems if p.file == "convictions.csv")
    assert conviction.line == 5


MILLION_SCRIPT = textwrap.dedent("""
    import json, resource, sys, time
    from pathlib import Path
    from somec_graph.ingest.validate import validate
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start, cpu = time.monotonic(), time.process_time()
    ds = validate(Path(sys.argv[1]))
    print(json.dumps({"seconds": time.monotonic() - start, "cpu_seconds": time.process_time() - cpu,
                      "ok": ds.ok, "rows": len(ds.rows["offenders"]),
                      "problems": [str(p) for p in ds.problems[:5]],
                      "rss_delta_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024}))
""")


def test_a_million_offenders_in_bounded_time_and_memory(tmp_path: Path) -> None:
    n = 1_000_000
    states, risks, sexes = ["DE", "FR", "PL", "RO", "IT", "ES", "NL", "UK"], ["low", "medium", "high", "very_high"], "FMX"
    with (tmp_path / "offenders.csv").open("w", encoding="utf-8", newline="") as fh:
        fh.write("offender_id,nationality,birth_year,sex,risk_level\n")
        for start in range(0, n, 10_000):
            fh.write("".join(f"OFF-{i:07d},{states[i % 8]},{1940 + i % 60},{sexes[i % 3]},{risks[i % 4]}\n"
                             for i in range(start, start + 10_000)))
    # A fresh process, so that ru_maxrss measures this validation and nothing the test session did before.
    done = subprocess.run([sys.executable, "-c", MILLION_SCRIPT, str(tmp_path)], capture_output=True, text=True,
                          timeout=180, cwd=REPO)
    assert done.returncode == 0, done.stderr[-2000:]
    result = json.loads(done.stdout)
    assert result["ok"] and result["rows"] == n, result["problems"]
    # CPU time, so that a busy machine (other test runs, CI neighbours) does not fail it; ~17 s when idle.
    assert result["cpu_seconds"] < 60, result
    assert result["seconds"] < 150, result
    assert result["rss_delta_mb"] < 1500, result
    print(f"1M offenders: {result['seconds']:.1f} s ({result['cpu_seconds']:.1f} s CPU), "
          f"+{result['rss_delta_mb']:.0f} MB")
