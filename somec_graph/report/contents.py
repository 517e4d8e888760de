"""What the report holds, as data: the figures of the Overview and What if pages for one set of
filters, every aggregate under the supervisor's disclosure control (SOMEC_MIN_CELL) whoever asks,
because the report leaves the system. No offender id is read into it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ..access.disclosure import suppress, visible
from ..analysis import gaps, whatif
from ..app.charts import corridor_table
from ..app.maps import receiving_rates
from ..days import to_iso
from ..roles import User
from ..store import Store

# The report is read by people outside the system: its cells are suppressed as for a supervisor.
READER = User("report", "supervisor")


@dataclass(frozen=True)
class ReportFilters:
    """The filters a report is made for: the Overview's (the CLI sets the period and states)."""
    date_from: str | None = None
    date_to: str | None = None
    states: tuple[str, ...] = ()
    window_days: int = 30
    group: str | None = None      # the dashboard's other filters (the CLI has the period and states only)
    min_risk: str | None = None

    def gap_kwargs(self) -> dict[str, Any]:
        """Keywords of somec_graph.analysis.gaps functions (as the dashboard's `Filters.gap_kwargs`)."""
        return {"window_days": self.window_days, "date_from": self.date_from, "date_to": self.date_to,
                "group": self.group, "min_risk": self.min_risk, "states": list(self.states) or None}


@dataclass
class Report:
    filters: ReportFilters
    min_cell: int
    data_version: int
    loaded_at: str | None
    as_of: str                      # the data's date (SPEC §4 as_of)
    headline: dict[str, Any]        # gaps.overview
    matrix: pd.DataFrame            # gaps.matrix, suppressed (column `suppressed`)
    receiving: pd.DataFrame         # gap rate per receiving state, suppressed
    yearly: pd.DataFrame            # gaps.yearly, suppressed
    mechanisms: pd.DataFrame        # exchanges per mechanism, suppressed
    corridors: pd.DataFrame         # the corridors with the most gaps, from the visible cells
    whatif: pd.DataFrame            # whatif.summary (over all counted arrivals, as `somec-graph whatif`)
    names: dict[str, str] = field(default_factory=dict)

    @property
    def hidden_cells(self) -> int:
        return int(self.matrix["suppressed"].sum()) if not self.matrix.empty else 0


def build(store: Store, filters: ReportFilters | None = None) -> Report:
    """Gather every figure of the report from `store`.

    Examples
    --------
    >>> build(store, ReportFilters(date_from="2023-01-01")).headline["arrivals"]  # doctest: +SKIP
    1240
    """
    f = filters or ReportFilters()
    min_cell = store.settings.min_cell
    kwargs = f.gap_kwargs()
    meta = store.run("load/meta")[0]
    full = gaps.matrix(store, **kwargs)
    exchanges = store.frame("queries/exchanges_by_mechanism", {
        "date_from": f.date_from, "date_to": f.date_to, "states": list(f.states) or None, "min_risk": f.min_risk})
    names = dict(zip(*[store.frame("queries/states")[c] for c in ("code", "name")]))
    matrix = suppress(full, ["movements"], READER, min_cell=min_cell)
    return Report(
        filters=f, min_cell=min_cell, data_version=int(meta.get("version") or 0),
        loaded_at=None if meta.get("loaded_at") is None else str(meta["loaded_at"]),
        as_of=to_iso(gaps.default_as_of(store)),
        headline=gaps.overview(store, **kwargs),
        matrix=matrix,
        receiving=suppress(receiving_rates(full), ["arrivals"], READER, min_cell=min_cell),
        yearly=suppress(gaps.yearly(store, **kwargs), ["movements"], READER, min_cell=min_cell),
        mechanisms=suppress(exchanges, ["offenders"], READER, min_cell=min_cell),
        corridors=corridor_table(visible(matrix), names),
        whatif=whatif.summary(store, window_days=f.window_days),
        names=names,
    )
