"""Validation of a data set folder against the contract (SPEC §2).

`validate(folder)` reads every file, checks every cell and every reference and
returns a `Dataset`: the typed rows that passed and every problem found, each
with file, line, column, value and reason. Nothing here touches the database,
so a data set with problems can be refused before anything is written.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from ..resources import SEED_DIR
from ..vocab import formula_safe, is_state_code, state_code
from .contract import TABLES, Column, Table

MAX_FIELD_CHARS = 100_000
# ASCII digits only: \d would also let Arabic-Indic or full-width digits through.
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_OFFENCE = re.compile(r"^([0-9]{4})(?: ?00)?$")
_INT = re.compile(r"^[+-]?[0-9]+$")
MAX_INT_DIGITS = 18  # int() refuses more than 4300 digits with a ValueError; no count here needs 19
MIN_BIRTH_YEAR = 1900
MIN_AGE = 10  # below the age of criminal responsibility anywhere in Europe


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "") + (f": column {self.column}" if self.column else "")
        shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        return f"{where}: {shown!r}: {self.reason}" if self.value else f"{where}: {self.reason}"


@dataclass
class Dataset:
    """Typed, valid rows per table (with their source line) and the problems found."""
    folder: Path
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    rejected_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


_REPEATING = frozenset({"state", "state_code", "offence", "offence_code", "date", "enum", "bool", "birth_year"})


class _Cell(ValueError):
    """A cell's value is bad; the message is the reason."""


def _read(path: Path, problems: list[Problem]) -> tuple[list[str], list[tuple[int, list[str]]]] | None:
    """Header and (line, fields) records of a CSV file, or None if unreadable."""
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        problems.append(Problem(path.name, raw[:exc.start].count(b"\n") + 1, "", "",
                                "the file is not UTF-8 text; save it as UTF-8 CSV"))
        return None
    if "\x00" in text:
        problems.append(Problem(path.name, text[:text.index("\x00")].count("\n") + 1, "", "",
                                "the file contains a NUL byte; it is not a text CSV file"))
        return None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    header: list[str] | None = None
    line = 1
    try:
        while True:
            line = reader.line_num + 1  # where the record starts (a quoted cell may span lines)
            try:
                fields = next(reader)
            except StopIteration:
                break
            if header is None:
                if fields:  # blank lines before the header are skipped, not taken for an empty header
                    header = [h.strip() for h in fields]
            elif fields:
                records.append((line, fields))
    except csv.Error as exc:
        # The line where the broken record starts: an unclosed quote is found only at the end of the file.
        problems.append(Problem(path.name, line, "", "", f"not valid CSV: {exc}"))
        return None
    if not header:
        problems.append(Problem(path.name, 1, "", "", "the file is empty; it needs a header row"))
        return None
    return header, records


def _state(col: Column, value: str) -> str:
    code = state_code(value)
    if not is_state_code(code):
        raise _Cell("not an ISO 3166-1 alpha-2 state code")
    return code


def _offence(col: Column, value: str) -> str:
    m = _OFFENCE.match(value)
    if not m:
        raise _Cell("not a four-digit ECRIS offence category code (e.g. 1001, 1001 00)")
    return m.group(1)


def _date(col: Column, value: str) -> date:
    try:
        if not _DATE.match(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise _Cell("not a date in the form YYYY-MM-DD") from None


def _whole(value: str) -> int:
    if not _INT.match(value):
        raise _Cell("not a whole number")
    if len(value.lstrip("+-0")) > MAX_INT_DIGITS:
        raise _Cell(f"not a whole number of at most {MAX_INT_DIGITS} digits")
    return int(value)


def _int(col: Column, value: str) -> int:
    number = _whole(value)
    if number < 0:
        raise _Cell("must not be negative")
    return number


def _birth_year(col: Column, value: str) -> int:
    year = _whole(value)
    if not MIN_BIRTH_YEAR <= year <= date.today().year - MIN_AGE:
        raise _Cell(f"implausible birth year (expected {MIN_BIRTH_YEAR}–{date.today().year - MIN_AGE})")
    return year


def _float(col: Column, value: str) -> float:
    try:
        if not value.isascii() or "_" in value:  # float() takes "١٢" and "1_0"
            raise ValueError
        degrees = float(value)
    except ValueError:
        raise _Cell("not a number") from None
    limit = 90 if col.name == "lat" else 180
    if not -limit <= degrees <= limit:
        raise _Cell(f"outside -{limit}..{limit}")
    return degrees


def _bool(col: Column, value: str) -> bool:
    if value not in ("true", "false"):
        raise _Cell("must be true or false")
    return value == "true"


def _enum(col: Column, value: str) -> str:
    if value not in col.values:
        raise _Cell(f"must be one of {', '.join(col.values)}")
    return value


def _text(col: Column, value: str) -> str:
    return value


# One parser per declared column type (contract.COLUMN_TYPES; a test checks both name the same types).
_PARSERS: dict[str, Callable[[Column, str], Any]] = {
    "text": _text, "int": _int, "float": _float, "bool": _bool, "date": _date, "enum": _enum,
    "birth_year": _birth_year, "state_code": _state, "offence_code": _offence, "state": _state,
    "offence": _offence, "ref": _text,
}


def _parse(col: Column, value: str) -> Any:
    """The typed value of one non-empty cell, or _Cell with the reason."""
    if len(value) > MAX_FIELD_CHARS:
        raise _Cell(f"longer than {MAX_FIELD_CHARS} characters")
    return _PARSERS[col.type](col, value)


class _Unreadable(Exception):
    """A cell refers to a table whose file could not be read at all (its header failed)."""


class _Keys:
    """Keys seen per table: which are valid, which were rejected (with line), which files were unreadable."""

    def __init__(self) -> None:
        self.valid: dict[str, dict[str, dict[str, Any]]] = {}
        self.rejected: dict[str, dict[str, int]] = {}
        self.unreadable: set[str] = set()
        # keys of rows rejected only for naming an unreadable file: whoever names them, names that file
        self.orphaned: dict[str, dict[str, str]] = {}

    def check(self, table: str, key: Any, label: str) -> None:
        if key in self.valid.get(table, {}):
            return
        if table in self.unreadable:
            raise _Unreadable(table)
        if key in self.orphaned.get(table, {}):
            raise _Unreadable(self.orphaned[table][key])
        if key in self.rejected.get(table, {}):
            raise _Cell(f"refers to {label} {key}, which was rejected (line {self.rejected[table][key]})")
        raise _Cell(f"unknown {label}")


_REF_LABELS = {"states": "state", "offence_categories": "offence code", "mechanisms": "mechanism",
               "agencies": "agency", "offenders": "offender", "convictions": "conviction",
               "movements": "movement"}


def _row_rules(table: Table, row: dict[str, Any], keys: _Keys) -> list[tuple[str, str]]:
    """Rules across cells of one row: (column, reason) for each broken one."""
    broken: list[tuple[str, str]] = []
    name = table.name
    if name == "convictions" and row.get("supervision_end") and row["supervision_end"] < row["conviction_date"]:
        broken.append(("supervision_end", "supervision_end is before conviction_date"))
    if name == "movements" and row["from_state"] == row["to_state"]:
        broken.append(("to_state", "to_state equals from_state"))
    if name == "exchanges":
        if row.get("received_date") and row["received_date"] < row["sent_date"]:
            broken.append(("received_date", "received_date is before sent_date"))
        for col, ref in (("conviction_id", "convictions"), ("movement_id", "movements")):
            target = keys.valid.get(ref, {}).get(row[col])
            if target and target["offender_id"] != row["offender_id"]:
                broken.append((col, f"belongs to offender {target['offender_id']}, not {row['offender_id']}"))
    return broken


def _validate_table(table: Table, path: Path, keys: _Keys, ds: Dataset) -> None:
    read = _read(path, ds.problems)
    if read is None:
        keys.unreadable.add(table.name)
        return
    header, records = read
    fname = path.name
    known = {c.name: c for c in table.columns}
    for i, heading in enumerate(header):
        if heading not in known:
            ds.warnings.append(Problem(fname, 1, heading, "", "unknown column, ignored"))
        elif header.index(heading) != i:
            ds.problems.append(Problem(fname, 1, heading, heading, "duplicate column in header"))
            keys.unreadable.add(table.name)
            return
    missing = [c for c in table.required if c not in header]
    for heading in missing:
        ds.problems.append(Problem(fname, 1, heading, "", f"missing required column {heading}"))
    if missing:
        keys.unreadable.add(table.name)
        return
    positions = [(i, known[h]) for i, h in enumerate(header) if h in known]
    # Codes, dates and enum values repeat across rows: each distinct valid cell is parsed (and checked) once.
    parsed: dict[str, dict[str, Any]] = {c.name: {} for _, c in positions if c.type in _REPEATING}
    valid_keys = keys.valid.setdefault(table.name, {})
    rejected_keys = keys.rejected.setdefault(table.name, {})
    first_line: dict[str, int] = {}
    rows = ds.rows.setdefault(table.name, [])
    # Rows that name a file which could not be read: one summary line per such file, not one per row.
    orphans: dict[str, int] = {}
    for line, fields in records:
        errors: list[Problem] = []
        unreadable: set[str] = set()
        if len(fields) != len(header):
            errors.append(Problem(fname, line, "", "", f"the row has {len(fields)} fields, the header {len(header)}"))
        row: dict[str, Any] = dict.fromkeys(known)  # optional columns absent from the file are missing values
        for i, col in positions:
            value = fields[i].strip() if i < len(fields) else ""
            try:
                if not value:
                    if col.required:
                        raise _Cell(f"{col.name} is required")
                    row[col.name] = None
                    continue
                seen = parsed.get(col.name)
                if seen is not None and value in seen:
                    row[col.name] = seen[value]
                    continue
                row[col.name] = _parse(col, value)
                if col.target is not None:
                    keys.check(col.target, row[col.name], _REF_LABELS[col.target])
                if seen is not None:
                    seen[value] = row[col.name]
            except _Cell as reason:
                errors.append(Problem(fname, line, col.name, value, str(reason)))
            except _Unreadable as file_of:
                unreadable.add(str(file_of))
        key = row[table.key]  # None if empty; the row has every known column
        if key is not None and key in first_line:
            errors.append(Problem(fname, line, table.key, str(key),
                                  f"duplicate {table.key} (first on line {first_line[key]})"))
        if not errors and not unreadable:
            errors = [Problem(fname, line, col, _shown(row.get(col)), reason)
                      for col, reason in _row_rules(table, row, keys)]
        for other in unreadable:
            orphans[other] = orphans.get(other, 0) + 1
        if key is not None:
            first_line.setdefault(key, line)
        if errors or unreadable:
            ds.problems.extend(errors)
            ds.rejected_rows += 1
            if key is not None and key not in valid_keys:
                if errors:
                    rejected_keys.setdefault(key, line)
                else:
                    keys.orphaned.setdefault(table.name, {}).setdefault(key, min(unreadable))
            continue
        row["_line"] = line
        valid_keys[key] = row
        rows.append(row)
    for other, count in sorted(orphans.items()):
        ds.problems.append(Problem(fname, 0, "", "", f"{count:,} row{'s' * (count != 1)} of {fname} refer to "
                                                     f"{other}.csv, which could not be read"))


def _shown(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else "" if value is None else str(value)


def validate(folder: Path, reference_dir: Path = SEED_DIR) -> Dataset:
    """Check a data set folder; reference tables it omits come from `reference_dir`.

    >>> ds = validate(SEED_DIR)
    >>> ds.ok, len(ds.rows["states"]) > 30
    (True, True)
    """
    ds = Dataset(folder)
    keys = _Keys()
    expected = {t.file for t in TABLES}
    for extra in sorted(p.name for p in folder.glob("*.csv") if p.name not in expected):
        ds.warnings.append(Problem(extra, 0, "", "", "not a file of the data contract, ignored"))
    for table in TABLES:
        path = folder / table.file
        if not path.is_file() and table.reference:
            path = reference_dir / table.file
        if not path.is_file():
            ds.rows[table.name] = []
            if table.name == "offenders":
                ds.problems.append(Problem(table.file, 0, "", "", "the data set has no offenders.csv; "
                                           "every other file refers to it"))
            elif not table.reference:
                ds.warnings.append(Problem(table.file, 0, "", "", "missing: the data set has no such rows"))
            continue
        _validate_table(table, path, keys, ds)
    return ds


def problems_csv(problems: list[Problem]) -> str:
    """The rejection report: file, line, column, value, reason."""
    out = io.StringIO()
    # "\r\n" (RFC 4180): the csv module quotes only the characters of its line terminator, so with
    # "\n" a value holding a bare "\r" was written unquoted and split the row in a spreadsheet.
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["file", "line", "column", "value", "reason"])
    for p in problems:
        writer.writerow([p.file, p.line, p.column, formula_safe(p.value), p.reason])
    return out.getvalue()
