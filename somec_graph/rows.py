"""A listing as plain values: its columns and one tuple per row, sorted as it is shown.

Every analysis listing is computed once, as `Rows`; the DataFrame the library
and the dashboard use is made from it (`Rows.frame`), and the command line
renders it directly (`Rows.render`) without importing pandas, which costs a
short CLI call ≈ 0.3 s (docs/performance.md, "Interactive speed").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .lazy import lazy_module
from .output import render_rows

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")


@dataclass(frozen=True)
class Rows:
    """Column names and row tuples (cells in column order; None for an empty cell).

    Examples
    --------
    >>> r = Rows.of(["id", "days"], [{"id": "M2", "days": None}, {"id": "M1", "days": 3}], key=lambda t: t[0])
    >>> r.values
    [('M1', 3), ('M2', None)]
    >>> print(r.render("csv"), end="")
    id,days
    M1,3
    M2,
    >>> r.frame(days="Int64")["days"].tolist()
    [3, <NA>]
    """
    columns: tuple[str, ...]
    values: list[tuple[Any, ...]]

    @classmethod
    def of(cls, columns: Sequence[str], rows: Iterable[dict[str, Any]],
           key: Callable[[tuple[Any, ...]], Any] | None = None) -> Rows:
        """From dicts holding (at least) `columns`, sorted stably by `key` over the row tuple when given."""
        values = [tuple(r[c] for c in columns) for r in rows]
        if key is not None:
            values.sort(key=key)
        return cls(tuple(columns), values)

    def __len__(self) -> int:
        return len(self.values)

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, v)) for v in self.values]

    def render(self, fmt: str) -> str:
        """In one of `output.FORMATS`, exactly as `output.render(self.frame(), fmt)`."""
        return render_rows(self.columns, self.values, fmt)

    def frame(self, **dtypes: str) -> pd.DataFrame:
        """A DataFrame of these rows (built column by column, as pandas infers them), with `dtypes`
        given per column, e.g. ``lag_days="Int64"``."""
        data = {c: [v[i] for v in self.values] for i, c in enumerate(self.columns)}
        frame = pd.DataFrame(data, columns=list(self.columns))
        for column, dtype in dtypes.items():
            frame[column] = frame[column].astype(dtype)
        return frame
