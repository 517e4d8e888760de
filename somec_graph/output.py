"""Rendering result tables as text, CSV or JSON (SPEC §6 number formats).

Missing values are empty cells (null in JSON); whole numbers print without a
decimal point; other numbers are rounded to 6 places and printed in their
shortest form (`0.5`, `12.5`, `0.333333`).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pandas is imported by whoever builds a frame; `render_rows` works without it
    import pandas as pd

FORMATS = ("table", "csv", "json")


def _value(v: Any) -> Any:
    """A cell as a plain JSON-able value."""
    # pd.NA by its type's name: rendering rows must not need to import pandas
    if v is None or (isinstance(v, float) and math.isnan(v)) or type(v).__name__ == "NAType":
        return None
    if hasattr(v, "item"):  # numpy scalars
        v = v.item()
    if isinstance(v, float):
        return int(v) if v.is_integer() else round(v, 6)
    if hasattr(v, "isoformat"):
        return v.isoformat()
    if isinstance(v, (list, tuple)):
        return [_value(x) for x in v]
    return v


def _text(v: Any) -> str:
    v = _value(v)
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, list):
        return ";".join(_text(x) for x in v)
    return str(v)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{c: _value(v) for c, v in zip(frame.columns, row)} for row in frame.itertuples(index=False)]


def render(frame: pd.DataFrame, fmt: str) -> str:
    """The frame in one of FORMATS, ending with a newline."""
    return render_rows(list(frame.columns), frame.itertuples(index=False), fmt)


def render_rows(columns: Sequence[Any], values: Iterable[Sequence[Any]], fmt: str) -> str:
    """Rows of cell values (one sequence per row, in `columns` order) in one of FORMATS.

    What `render` does for a frame, without pandas: a short CLI call that has its
    rows as plain values renders them without importing it.

    >>> print(render_rows(["id", "days"], [("M1", 3), ("M2", None)], "csv"), end="")
    id,days
    M1,3
    M2,
    """
    if fmt == "json":
        return json.dumps([{c: _value(v) for c, v in zip(columns, row)} for row in values],
                          ensure_ascii=False, indent=1) + "\n"
    rows = [[_text(v) for v in row] for row in values]
    header = [str(c) for c in columns]
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
        return out.getvalue()
    return table(header, rows)


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A plain aligned text table; numbers right-aligned."""
    if not rows:
        return "  ".join(header) + "\n(no rows)\n"
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    numeric = [all(_is_number(r[i]) for r in rows if r[i]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.rjust(w) if num else c.ljust(w) for c, w, num in zip(cells, widths, numeric)).rstrip()

    return "\n".join([line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]) + "\n"


def _is_number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True
