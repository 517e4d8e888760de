"""Periods for the time control of the linked views: months or quarters over the data's span."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

STEPS = ("quarter", "month")
ALL = "all"


@dataclass(frozen=True)
class Period:
    label: str      # "2021-03" or "2021-Q1"
    date_from: str  # first day, YYYY-MM-DD
    date_to: str    # last day, YYYY-MM-DD

    def contains(self, day: str | None) -> bool:
        return bool(day) and self.date_from <= str(day)[:10] <= self.date_to


def periods(first: str, last: str, step: str = "quarter") -> list[Period]:
    """Every month or quarter from the one holding `first` to the one holding `last` (ISO dates).

    >>> [p.label for p in periods("2021-02-10", "2021-07-01")]
    ['2021-Q1', '2021-Q2', '2021-Q3']
    >>> periods("2021-02-10", "2021-03-01", "month")[0]
    Period(label='2021-02', date_from='2021-02-01', date_to='2021-02-28')
    """
    if step not in STEPS:
        raise ValueError(f"step must be one of {STEPS}, not {step!r}")
    freq = "M" if step == "month" else "Q"
    out = []
    for p in pd.period_range(pd.Period(first, freq), pd.Period(last, freq), freq=freq):
        label = str(p) if step == "month" else f"{p.year}-Q{p.quarter}"
        out.append(Period(label, p.start_time.strftime("%Y-%m-%d"), p.end_time.strftime("%Y-%m-%d")))
    return out


def per_period(by_month: pd.DataFrame, step: str = "quarter") -> pd.DataFrame:
    """Movements per period (columns period, movements) from rows with month (YYYY-MM) and movements.

    >>> per_period(pd.DataFrame({"month": ["2021-01", "2021-03", "2021-04"], "movements": [1, 2, 4]}))
        period  movements
    0  2021-Q1          3
    1  2021-Q2          4
    """
    if by_month.empty:
        return pd.DataFrame(columns=["period", "movements"])
    month = pd.PeriodIndex(by_month["month"], freq="M")
    label = month.astype(str) if step == "month" else [f"{m.year}-Q{m.quarter}" for m in month]
    return (by_month.assign(period=label).groupby("period", as_index=False)["movements"].sum()
            .sort_values("period").reset_index(drop=True))


def widest(by_month: pd.DataFrame, step: str = "quarter") -> int:
    """The most movements along one corridor in any one period: a fixed width scale for every period.

    >>> widest(pd.DataFrame({"from_state": ["RO", "RO"], "to_state": ["IT", "IT"],
    ...                      "month": ["2021-01", "2021-02"], "movements": [2, 3]}))
    5
    """
    if by_month.empty:
        return 1
    month = pd.PeriodIndex(by_month["month"], freq="M")
    label = month.astype(str) if step == "month" else [f"{m.year}-Q{m.quarter}" for m in month]
    return int(by_month.assign(period=label).groupby(["from_state", "to_state", "period"])["movements"].sum().max())


def stays_in(journey: pd.DataFrame, period: Period) -> set[str]:
    """The movements of a journey whose stay overlaps `period` (the last stay lasts on).

    >>> j = pd.DataFrame({"movement_id": ["M1", "M2"], "arrival_date": ["2021-01-10", "2021-05-01"],
    ...                   "days_stayed": [30, None]})
    >>> sorted(stays_in(j, Period("2021-Q1", "2021-01-01", "2021-03-31")))
    ['M1']
    >>> sorted(stays_in(j, Period("2021-Q3", "2021-07-01", "2021-09-30")))
    ['M2']
    """
    start = pd.to_datetime(journey["arrival_date"])
    stayed = pd.to_numeric(journey["days_stayed"], errors="coerce")
    end = start + pd.to_timedelta(stayed.fillna(365_000), unit="D")
    overlaps = (start <= pd.Timestamp(period.date_to)) & (end >= pd.Timestamp(period.date_from))
    return set(journey.loc[overlaps, "movement_id"])


def parse(label: str | None) -> Period | None:
    """The period a label names ("2021-03" or "2021-Q1"), or None for anything else (an edited URL).

    >>> parse("2021-Q1")
    Period(label='2021-Q1', date_from='2021-01-01', date_to='2021-03-31')
    >>> parse("2021-02").date_to, parse("all"), parse("2021-13")
    ('2021-02-28', None, None)
    """
    match = re.fullmatch(r"(\d{4})-(?:Q([1-4])|(0[1-9]|1[0-2]))", label or "")
    if not match:
        return None
    year, quarter, month = match.groups()
    first = f"{year}-{int(quarter) * 3 - 2:02d}-01" if quarter else f"{year}-{month}-01"
    return periods(first, first, "quarter" if quarter else "month")[0]
