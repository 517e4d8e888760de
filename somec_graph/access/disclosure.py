"""Disclosure control: aggregates a supervisor sees never single anyone out.

A cell (a row of an aggregate: a corridor, a year, a state) counted from fewer
than SOMEC_MIN_CELL movements or people is suppressed for supervisors: its
counts, rates and averages become <NA> and `suppressed` is True, and views show
it as "fewer than N" — never a rate, so a 2-movement corridor cannot look like
the worst one. Analysts and admins, who may see the offenders themselves, see
every cell.

>>> frame = pd.DataFrame({"pair": ["RO>DE", "PL>DE"], "movements": [40, 2], "gap_rate": [0.25, 1.0]})
>>> out = suppress(frame, ["movements"], User("sue", "supervisor"), min_cell=5)
>>> out["movements"].tolist(), out["gap_rate"].tolist(), out["suppressed"].tolist()
([40, <NA>], [0.25, <NA>], [False, True])
>>> suppress(frame, ["movements"], User("ana", "analyst", ("DE",)), min_cell=5)["suppressed"].tolist()
[False, False]
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..roles import User


def applies_to(user: User) -> bool:
    """Whether `user` sees aggregates under disclosure control (supervisors: they see no offenders)."""
    return not user.may_see_offenders


def suppress(frame: pd.DataFrame, counts: Sequence[str], user: User, *, min_cell: int) -> pd.DataFrame:
    """`frame` with a `suppressed` column; for supervisors, rows where any of `counts` is under
    `min_cell` lose every numeric value (counts, rates, averages) — the labels stay."""
    out = frame.copy()
    if not applies_to(user) or out.empty:
        out["suppressed"] = False
        return out
    small = pd.Series(False, index=out.index)
    for column in counts:
        small |= pd.to_numeric(out[column], errors="coerce").fillna(0) < min_cell
    for column in out.columns:
        kind = out[column].dtype
        if pd.api.types.is_numeric_dtype(kind) and not pd.api.types.is_bool_dtype(kind):
            # nullable dtypes: a suppressed cell is <NA> and the column stays numeric for charts
            nullable = "Int64" if pd.api.types.is_integer_dtype(kind) else "Float64"
            out[column] = out[column].astype(nullable).mask(small)
    out["suppressed"] = small
    return out


def visible(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows a chart may draw: those not suppressed (a frame without the column is all visible)."""
    if "suppressed" not in frame:
        return frame
    return frame[~frame["suppressed"].astype(bool)].drop(columns="suppressed").reset_index(drop=True)


def fewer_than(min_cell: int) -> str:
    """How a suppressed value reads."""
    return f"fewer than {min_cell}"
