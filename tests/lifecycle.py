"""Data sets and answers for the lifecycle tests (sync, erasure, backup).

`shrink()` derives from a data set folder a smaller one that keeps it valid:
some offenders go with all their rows, some movements, convictions and
exchanges of the others go (with the exchanges that name them), an offender's
risk level and an exchange's date change. `answers()` is every §4–§8 answer
as the CLI prints it in CSV, so "sync to the smaller set" can be compared
with "fresh load of the smaller set" line by line.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from fixtures import invoke

DATA_FILES = ("agencies", "offenders", "convictions", "movements", "exchanges")
STATES = ("DE", "FR", "AT", "NL", "RO")


def read(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write(folder: Path, name: str, rows: list[dict[str, str]], header: list[str]) -> None:
    with (folder / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
        out = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        out.writeheader()
        out.writerows(rows)


def copy_set(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def without(src: Path, dst: Path, offenders: set[str], movements: set[str] = frozenset(),  # type: ignore[assignment]
            convictions: set[str] = frozenset(), exchanges: set[str] = frozenset()) -> Path:  # type: ignore[assignment]
    """`src` copied to `dst` without the given offenders (and all their rows) and rows (and the exchanges naming them)."""
    copy_set(src, dst)
    for name in DATA_FILES[1:]:
        rows = read(src, name)
        header = list(rows[0]) if rows else []
        kept = [r for r in rows if r["offender_id"] not in offenders
                and r.get("movement_id", "") not in movements and r.get("conviction_id", "") not in convictions
                and r.get("exchange_id", "") not in exchanges]
        write(dst, name, kept, header)
    return dst


def shrink(src: Path, dst: Path) -> Path:
    """A smaller valid data set: see the module docstring. Deterministic."""
    offenders = read(src, "offenders")
    gone = {o["offender_id"] for o in offenders[::7]}
    movements = {m["movement_id"] for m in read(src, "movements")[3::11] if m["offender_id"] not in gone}
    convictions = {c["conviction_id"] for c in read(src, "convictions")[2::13] if c["offender_id"] not in gone}
    exchanges = {e["exchange_id"] for e in read(src, "exchanges")[5::9] if e["offender_id"] not in gone}
    without(src, dst, gone, movements, convictions, exchanges)
    # An agency that no remaining row names goes too (a remaining row would be refused first).
    named = {m["detected_by"] for m in read(dst, "movements")} | {
        e[k] for e in read(dst, "exchanges") for k in ("sender", "recipient")}
    agencies = read(dst, "agencies")
    unused = [a for a in agencies if a["agency_id"] not in named]
    write(dst, "agencies", [a for a in agencies if a not in unused[:1]], list(agencies[0]))
    # Changed rows: the sync updates them in place.
    kept = read(dst, "offenders")
    kept[1]["risk_level"] = "very_high" if kept[1]["risk_level"] != "very_high" else "low"
    write(dst, "offenders", kept, list(kept[0]))
    return dst


def answers(offenders: list[str], states: tuple[str, ...] = STATES) -> dict[str, str]:
    """Every §4–§8 answer, as CSV from the CLI (in-process), by command line."""
    commands = [["gaps", g] for g in ("arrivals", "matrix", "ecris", "supervision")]
    commands += [["whatif"], ["query", "counts"], ["network", "offenders"], ["network", "offenders", "--groups"]]
    commands += [["queue", "--state", s] for s in states]
    commands += [["corridors", "--hops", str(k)] for k in (1, 2, 3)]
    commands += [["journey", o] for o in offenders]
    out = {}
    for command in commands:
        result = invoke(*command, "--format", "csv")
        out[" ".join(command)] = result.stdout if result.returncode == 0 else f"error: {result.stderr.strip()}"
    return out
