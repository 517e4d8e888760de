"""Cached reads for the pages: each an `st.cache_data` function keyed on the data version and
plain hashable filters, over the same analysis functions the CLI uses. Each is checked against
the database's write marker (`consistency.cached`), so a page never shows a half-written graph."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pandas as pd
import streamlit as st

from ..access import disclosure
from .consistency import cached
from .filters import Filters
from .session import get_store


def for_viewer(frame: pd.DataFrame, counts: list[str]) -> pd.DataFrame:
    """An aggregate under disclosure control for the signed-in user (supervisors: small cells suppressed)."""
    store = get_store()
    return disclosure.suppress(frame, counts, store.user, min_cell=store.settings.min_cell)


def min_shown(count: int) -> int:
    """The smallest count a drawn aggregate may have for the signed-in user: `count`, and for a supervisor
    at least SOMEC_MIN_CELL (a picture must not show what a table would suppress)."""
    store = get_store()
    return max(count, store.settings.min_cell) if disclosure.applies_to(store.user) else count

# --- cached reads: gaps -------------------------------------------------------------

@cached(st.cache_data(show_spinner=False, max_entries=64))
def overview(data_key: str, filters: tuple) -> dict[str, Any]:
    from ..analysis import gaps

    return gaps.overview(get_store(), **Filters.of(filters).gap_kwargs())


@cached(st.cache_data(show_spinner=False, max_entries=64))
def gap_matrix(data_key: str, filters: tuple) -> pd.DataFrame:
    from ..analysis import gaps

    return for_viewer(gaps.matrix(get_store(), **Filters.of(filters).gap_kwargs()), ["movements"])


@cached(st.cache_data(show_spinner=False, max_entries=64))
def receiving_rates(data_key: str, filters: tuple) -> pd.DataFrame:
    """Gap rate per receiving state over every sending state, from the whole matrix (then disclosure control)."""
    from ..analysis import gaps
    from .maps import receiving_rates as pooled

    return for_viewer(pooled(gaps.matrix(get_store(), **Filters.of(filters).gap_kwargs())), ["arrivals"])


@cached(st.cache_data(show_spinner=False, max_entries=64))
def yearly(data_key: str, filters: tuple) -> pd.DataFrame:
    from ..analysis import gaps

    return for_viewer(gaps.yearly(get_store(), **Filters.of(filters).gap_kwargs()), ["movements"])


@cached(st.cache_data(show_spinner=False, max_entries=64))
def mechanisms(data_key: str, date_from: str | None, date_to: str | None, states: tuple[str, ...],
               min_risk: str | None) -> pd.DataFrame:
    params = {"date_from": date_from, "date_to": date_to, "states": list(states) or None, "min_risk": min_risk}
    return for_viewer(get_store().frame("queries/exchanges_by_mechanism", params), ["offenders"])


# --- cached reads: reference and offenders ------------------------------------------

@cached(st.cache_data(show_spinner=False, max_entries=8))
def states(data_key: str) -> pd.DataFrame:
    return get_store().frame("queries/states")


@cached(st.cache_data(show_spinner=False, max_entries=8))
def offender_list(data_key: str) -> pd.DataFrame:
    return get_store().frame("queries/offender_list", {"prefix": None, "limit": 10_000_000})


@cached(st.cache_data(show_spinner=False, max_entries=8))
def offenders_by_risk(data_key: str) -> pd.DataFrame:
    return get_store().frame("queries/offenders_by_risk")


@cached(st.cache_data(show_spinner=False, max_entries=16))
def counts(data_key: str) -> pd.DataFrame:
    return get_store().frame("queries/counts")


@cached(st.cache_data(show_spinner=False, max_entries=8))
def as_of_date(data_key: str) -> str:
    """The data's as-of date (SPEC §4), where a stay still under way ends on the timelines."""
    from ..analysis.gaps import default_as_of
    from ..days import to_iso

    return to_iso(default_as_of(get_store()))


@cached(st.cache_data(show_spinner=False, max_entries=256))
def journey(data_key: str, offender_id: str, window_days: int) -> pd.DataFrame:
    from ..analysis import paths

    return paths.journey(get_store(), offender_id, window_days=window_days)


@cached(st.cache_data(show_spinner=False, max_entries=256))
def offender_tables(data_key: str, offender_id: str) -> dict[str, pd.DataFrame]:
    store = get_store()
    params = {"offender_id": offender_id}
    return {"convictions": store.frame("queries/offender_convictions", params),
            "exchanges": store.frame("queries/offender_exchanges", params),
            "agencies": store.frame("queries/offender_agencies", params)}


@cached(st.cache_data(show_spinner=False, max_entries=256))
def ego_network(data_key: str, offender_id: str, window_days: int) -> nx.MultiDiGraph:
    from ..analysis import networks

    return networks.ego_network(get_store(), offender_id, window_days=window_days)


# --- cached reads: networks ---------------------------------------------------------

@cached(st.cache_data(show_spinner=False, max_entries=32))
def state_flow(data_key: str, filters: tuple) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(edges, hubs): one row per (from_state, to_state) with movements and gap_rate; the hub table.

    The flow counts all movements in the period; only the period and the window apply.
    """
    from ..analysis import networks

    f = Filters.of(filters)
    graph = networks.state_flow(get_store(), date_from=f.date_from, date_to=f.date_to, window_days=f.window_days)
    edges = pd.DataFrame([{"from_state": u, "to_state": v, "movements": a["movements"], "gap_rate": a.get("gap_rate")}
                          for u, v, a in graph.edges(data=True)],
                         columns=["from_state", "to_state", "movements", "gap_rate"])
    edges["gap_rate"] = pd.to_numeric(edges["gap_rate"], errors="coerce")
    return edges, networks.state_flow_table(graph)


@cached(st.cache_resource(show_spinner=False, max_entries=8))
def co_offenders(data_key: str) -> tuple[nx.Graph, pd.DataFrame]:
    """Fixed for a data version: communities and betweenness computed once per process and data key,
    shared without the copy `cache_data` makes on every read (callers must not change them)."""
    from ..analysis import networks

    graph = networks.co_offenders(get_store())
    return graph, networks.co_offender_table(graph, seed=1)


@cached(st.cache_data(show_spinner=False, max_entries=32))
def co_offender_layout(data_key: str, days: int, communities: tuple[int, ...], only_mobile: bool,
                       limit: int) -> tuple[int, list[str], dict[str, tuple[float, float]]]:
    """(offenders selected, the ones drawn — at most `limit`, whole communities —, their positions).

    Positions are computed once per selection, for the whole period: the period control reuses them.
    """
    from . import network_html

    graph, table = co_offenders(data_key)
    members = mobile_members(data_key, days)
    chosen = table if not communities else table[table["community"].isin(communities)]
    selected = set(chosen["offender_id"])
    if only_mobile:
        core = {m for m in members if m in selected}
        selected = core | {n for m in core for n in graph.neighbors(m)}
    sub = network_html.capped(graph.subgraph(selected), table, limit)
    pos = network_html.packed_layout(sub)
    return len(selected), sorted(sub), {str(n): p for n, p in pos.items()}


@cached(st.cache_data(show_spinner=False, max_entries=64))
def co_offender_view(data_key: str, days: int, communities: tuple[int, ...], only_mobile: bool, limit: int,
                     period: tuple[str, str, str] | None = None) -> tuple[int, int, str | None]:
    """(offenders selected, offenders drawn, network HTML or None when none) for a selection; with a
    period (label, first day, last day) only the cases convicted in it are drawn in colour."""
    from . import network_html

    graph, table = co_offenders(data_key)
    total, shown, pos = co_offender_layout(data_key, days, communities, only_mobile, limit)
    if not shown:
        return total, 0, None
    active = None
    if period is not None:
        _, first, last = period
        active = {c for c, d in graph.graph.get("case_dates", {}).items() if d and first <= str(d)[:10] <= last}
    sub = graph.subgraph(shown)
    html = network_html.co_offender_html(sub, table, mobile_members(data_key, days), pos=pos, active_cases=active,
                                    period=period[0] if period else None)
    return total, len(shown), html


@cached(st.cache_data(show_spinner=False, max_entries=32))
def mobile_members(data_key: str, days: int) -> dict[str, list[str]]:
    """offender_id -> the ids of the mobile groups they belong to."""
    members: dict[str, list[str]] = {}
    for g in mobile_groups(data_key, days).itertuples():
        for member in str(g.members).split(";"):
            members.setdefault(member, []).append(str(g.group_id))
    return members


@cached(st.cache_data(show_spinner=False, max_entries=8))
def flow_by_month(data_key: str) -> pd.DataFrame:
    """Movements per corridor and arrival month (columns from_state, to_state, month, movements),
    sorted by month, from_state, to_state. Read as one row of column lists: thousands of rows one by
    one through the driver cost seconds."""
    return pd.DataFrame(get_store().run("networks/flow_by_month")[0],
                        columns=["from_state", "to_state", "month", "movements"])


@cached(st.cache_data(show_spinner=False, max_entries=16))
def counted_arrivals(data_key: str, window_days: int) -> pd.DataFrame:
    """Every counted arrival with its status (SPEC §4.1), for the corridor detail."""
    from ..analysis import gaps

    return gaps.arrivals(get_store(), window_days=window_days)


@cached(st.cache_data(show_spinner=False, max_entries=32))
def mobile_groups(data_key: str, days: int) -> pd.DataFrame:
    from ..analysis import networks

    return networks.mobile_groups(get_store(), days=days)
