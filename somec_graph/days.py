"""Dates as whole days since 1970-01-01: how the graph stores and compares them."""

from __future__ import annotations

import re
from datetime import date, timedelta

from .errors import SomecGraphError

EPOCH = date(1970, 1, 1)
# "No day" in the column lists a statement returns (they cannot hold nulls); statements take it as $no_day.
NO_DAY = -1_000_000_000


def day_number(d: date) -> int:
    return (d - EPOCH).days


def to_day(iso: str, what: str = "date") -> int:
    """`2021-06-01` -> 18779; a clear error for anything else."""
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):  # fromisoformat also takes 20200310, 2020W101
            raise ValueError
        return day_number(date.fromisoformat(iso))
    except (TypeError, ValueError):
        raise SomecGraphError(f"{what} {iso!r} is not a date in the form YYYY-MM-DD.") from None


def to_iso(day: int) -> str:
    return (EPOCH + timedelta(days=day)).isoformat()
