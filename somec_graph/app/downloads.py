"""Downloads and tables: CSV that a spreadsheet cannot run as formulas; lists shown as text."""

from __future__ import annotations

import io
import json

import pandas as pd

from ..vocab import formula_safe


def safe_csv(frame: pd.DataFrame) -> bytes:
    """CSV bytes (UTF-8) of a frame with every text cell and header neutralised.

    Numbers stay numbers: only text is prefixed, so a negative count remains
    a number while the text '-1+1' cannot become a formula.
    """
    out = frame.copy()
    out.columns = [str(formula_safe(str(c))) for c in out.columns]
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(formula_safe)
    buf = io.StringIO()
    out.to_csv(buf, index=False, lineterminator="\n")
    return buf.getvalue().encode("utf-8")


def display_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Lists and dicts as text so st.dataframe shows them (query console results)."""
    out = frame.copy()
    for col in out.columns:
        if out[col].dtype == object:
            out[col] = out[col].map(lambda v: json.dumps(v, default=str, ensure_ascii=False)
                                    if isinstance(v, (list, dict, tuple)) else v)
    return out
