"""Networks: the state flow network and the co-offender network (SPEC §5).

The database aggregates (movements per state pair, members per case, candidate
pairs of arrivals); networkx only ever sees bounded graphs: the ≈40-state flow
graph, the co-offender graph (offenders who share a case, a small part of all
offenders) and one offender's ego network.

Functions that read the store take it first; functions that measure a graph
take the graph first; options are keywords (`seed=` for anything random).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

import networkx as nx

from ..days import to_day
from ..errors import SomecGraphError
from ..lazy import lazy_module
from ..rows import Rows
from ..store import Store
from ..vocab import GAP_STATUSES
from .gaps import arrival_group_rows, status
from .paths import offender_facts

if TYPE_CHECKING:
    import pandas as pd
else:  # the command line renders the `*_rows` listings without it
    pd = lazy_module("pandas")

STATE_FLOW_COLUMNS = ["state", "in_movements", "out_movements", "in_strength", "out_strength", "betweenness"]
CO_OFFENDER_COLUMNS = ["offender_id", "community", "degree", "betweenness"]
MOBILE_GROUP_COLUMNS = ["group_id", "case_id", "state", "members", "first_arrival", "last_arrival"]
EGO_KINDS = ("offender", "conviction", "state", "agency", "exchange", "co_defendant")


# --- state flow ---------------------------------------------------------------

def state_flow(store: Store, *, date_from: str | None = None, date_to: str | None = None,
               window_days: int = 30, as_of: str | int | None = None) -> nx.DiGraph:
    """States as nodes, movements between them as weighted directed edges.

    Parameters
    ----------
    store : Store
    date_from, date_to : str (YYYY-MM-DD), optional
        Inclusive period of the arrival date.
    window_days, as_of :
        Used only for the gap attributes of the edges (SPEC §4.1); as_of
        defaults to the latest event in the data.

    Returns
    -------
    nx.DiGraph
        Every state is a node (attributes ``name, lat, lon``). An edge
        ``from_state -> to_state`` exists when at least one movement in the
        period went that way, with attributes ``movements`` (all movements),
        ``distance`` (``1 / movements``, for shortest paths), ``counted``
        (movements counted in SPEC §4.1 up to as_of), ``pending``, ``gaps``
        (``late + unnotified``) and ``gap_rate`` (``gaps / (counted -
        pending)``, None when that is 0).

    Examples
    --------
    >>> G = state_flow(store, date_from="2024-01-01")  # doctest: +SKIP
    >>> G["RO"]["IT"]["movements"], G.nodes["IT"]["name"]  # doctest: +SKIP
    (41, 'Italy')
    """
    params = {"from_day": to_day(date_from, "The start date") if date_from else None,
              "to_day": to_day(date_to, "The end date") if date_to else None}
    G = nx.DiGraph()
    for s in store.run("networks/states"):
        G.add_node(s["code"], name=s["name"], lat=s["lat"], lon=s["lon"])
    for e in store.run("networks/state_flow", params):
        G.add_edge(e["from_state"], e["to_state"], movements=e["movements"], distance=1 / e["movements"],
                   counted=0, pending=0, gaps=0, gap_rate=None)
    if G.number_of_edges():
        for g in arrival_group_rows(store, window_days=window_days, as_of=as_of, date_from=date_from,
                                    date_to=date_to):  # one row per (from_state, to_state)
            a, b = g["from_state"], g["to_state"]
            if not G.has_edge(a, b):  # a movement dated after as_of cannot be counted, but not before
                continue
            edge = G[a][b]
            edge["counted"] = int(g["movements"])
            edge["pending"] = int(g["pending"])
            edge["gaps"] = int(sum(g[s] for s in GAP_STATUSES))
            seen = edge["counted"] - edge["pending"]
            edge["gap_rate"] = edge["gaps"] / seen if seen else None
    return G


def state_flow_table(G: nx.DiGraph) -> pd.DataFrame:
    """Per state: movements in and out, partner states in and out, and transit-hub betweenness.

    Parameters
    ----------
    G : nx.DiGraph
        A state flow network as made by `state_flow`: edges carry ``movements``.

    Returns
    -------
    DataFrame with columns ``state, in_movements, out_movements, in_strength,
    out_strength, betweenness``, sorted by state:

    - ``in_movements`` / ``out_movements``: movements into / out of the state
      (the weighted in/out degree);
    - ``in_strength`` / ``out_strength``: how many distinct states send
      offenders to it / receive offenders from it (the unweighted in/out
      degree — the breadth of its connections);
    - ``betweenness``: normalised directed betweenness centrality with edge
      length ``1 / movements``, so that busy corridors are short: the share of
      shortest routes between two other states that pass through this one.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edge("RO", "AT", movements=5)
    >>> G.add_edge("AT", "DE", movements=3)
    >>> state_flow_table(G)
      state  in_movements  out_movements  in_strength  out_strength  betweenness
    0    AT             5              3            1             1          0.5
    1    DE             3              0            1             0          0.0
    2    RO             0              5            0             1          0.0
    """
    if G.number_of_nodes() == 0:
        return pd.DataFrame(columns=STATE_FLOW_COLUMNS)
    return state_flow_rows(G).frame()


def state_flow_rows(G: nx.DiGraph) -> Rows:
    """`state_flow_table` as plain rows."""
    H = nx.DiGraph()
    H.add_nodes_from(G)
    H.add_edges_from((a, b, {"distance": 1 / d["movements"]}) for a, b, d in G.edges(data=True) if d["movements"])
    betweenness = nx.betweenness_centrality(H, weight="distance", normalized=True)
    rows = [{"state": s,
             "in_movements": int(G.in_degree(s, weight="movements")),
             "out_movements": int(G.out_degree(s, weight="movements")),
             "in_strength": G.in_degree(s), "out_strength": G.out_degree(s),
             "betweenness": float(betweenness[s])} for s in G]
    return Rows.of(STATE_FLOW_COLUMNS, rows, key=lambda v: v[0])


# --- co-offenders -------------------------------------------------------------

def co_offenders(store: Store) -> nx.Graph:
    """Offenders linked when they were convicted in the same case (share a ``case_id``).

    Returns
    -------
    nx.Graph
        Nodes are the offenders with at least one co-defendant (attributes
        ``nationality, risk_level``); an edge's ``cases`` is the sorted list of
        case ids the two share and ``weight`` its length. The graph attribute
        ``case_dates`` maps each case id to its (first) conviction date.

    Examples
    --------
    >>> G = co_offenders(store)  # doctest: +SKIP
    >>> G.edges["OFF-000013", "OFF-000674"]  # doctest: +SKIP
    {'cases': ['CASE-00058'], 'weight': 1}
    """
    store.user.require_detail("The co-offender network")
    members: dict[str, list[str]] = defaultdict(list)
    G = nx.Graph(case_dates={})
    for r in store.run("networks/co_offenders"):
        G.add_node(r["offender_id"], nationality=r["nationality"], risk_level=r["risk_level"])
        members[r["case_id"]].append(r["offender_id"])
        G.graph["case_dates"][r["case_id"]] = r["case_date"]
    for case_id in sorted(members):
        ids = sorted(set(members[case_id]))
        for i, a in enumerate(ids):
            for b in ids[i + 1:]:
                if G.has_edge(a, b):
                    G[a][b]["cases"].append(case_id)
                    G[a][b]["weight"] += 1
                else:
                    G.add_edge(a, b, cases=[case_id], weight=1)
    return G


def co_offender_table(G: nx.Graph, *, seed: int = 1) -> pd.DataFrame:
    """Per offender of a co-offender network: community, degree and betweenness.

    Parameters
    ----------
    G : nx.Graph
        A co-offender network as made by `co_offenders` (edge ``weight`` =
        shared cases; 1 when absent).
    seed : int, default 1
        Seed of the Louvain community detection: the same seed gives the same
        communities.

    Returns
    -------
    DataFrame with columns ``offender_id, community, degree, betweenness``,
    sorted by offender_id. Communities (Louvain, weighted by shared cases) are
    numbered 1, 2, ... by size, largest first, ties by smallest member id.
    ``degree`` is the number of co-defendants. ``betweenness`` is the
    betweenness centrality normalised over the whole network (the share of all
    pairs of offenders whose shortest links run through this one), so that a
    broker tying several groups together outranks the hub of one small
    isolated group; 0.0 in a pair or a triangle.

    Examples
    --------
    >>> G = nx.Graph([("OFF-1", "OFF-2"), ("OFF-2", "OFF-3"), ("OFF-8", "OFF-9")])
    >>> co_offender_table(G)
      offender_id  community  degree  betweenness
    0       OFF-1          1       1     0.000000
    1       OFF-2          1       2     0.166667
    2       OFF-3          1       1     0.000000
    3       OFF-8          2       1     0.000000
    4       OFF-9          2       1     0.000000
    """
    if G.number_of_nodes() == 0:
        return pd.DataFrame(columns=CO_OFFENDER_COLUMNS)
    return co_offender_rows(G, seed=seed).frame()


def co_offender_rows(G: nx.Graph, *, seed: int = 1) -> Rows:
    """`co_offender_table` as plain rows."""
    found = nx.community.louvain_communities(G, weight="weight", seed=seed)
    ordered = sorted((sorted(c) for c in found), key=lambda c: (-len(c), c[0]))
    community = {n: i for i, members in enumerate(ordered, start=1) for n in members}
    # Brandes' searches never leave a component, so this costs no more than per component.
    betweenness: dict[Any, float] = nx.betweenness_centrality(G, normalized=True)
    rows = [{"offender_id": n, "community": community[n], "degree": G.degree(n), "betweenness": float(betweenness[n])}
            for n in G]
    return Rows.of(CO_OFFENDER_COLUMNS, rows, key=lambda v: v[0])


def mobile_groups(store: Store, *, days: int = 30) -> pd.DataFrame:
    """Co-defendants who arrive in the same state within `days` of each other.

    Two arrivals in the same state by two offenders who share a case are
    linked when their arrival dates are at most `days` apart; a group is a
    connected set of linked arrivals of one case in one state (so a chain of
    arrivals each within `days` of the next is one group).

    Parameters
    ----------
    store : Store
    days : int, default 30
        The largest gap, in days, between two linked arrivals.

    Returns
    -------
    DataFrame with columns ``group_id, case_id, state, members, first_arrival,
    last_arrival``: members are the offender ids joined with ``;`` in order,
    arrivals ISO dates; sorted by case_id, state, first_arrival and numbered
    1, 2, ... in that order.

    Examples
    --------
    >>> mobile_groups(store, days=7).head(1)  # doctest: +SKIP
       group_id     case_id state                  members first_arrival last_arrival
    0         1  CASE-00027    AT  OFF-000008;OFF-000917    2025-02-14   2025-02-18
    """
    return mobile_group_rows(store, days=days).frame(group_id="int64")


def mobile_group_rows(store: Store, *, days: int = 30) -> Rows:
    """`mobile_groups` as plain rows."""
    store.user.require_detail("The mobile groups list")
    if days < 0:
        raise SomecGraphError(f"days must be 0 or more, not {days}.")
    by_place: dict[tuple[str, str], nx.Graph] = defaultdict(nx.Graph)
    for r in store.run("networks/mobile_pairs", {"days": days}):
        g = by_place[(r["case_id"], r["state"])]
        g.add_node(r["movement_a"], offender=r["offender_a"], arrival=r["arrival_date_a"])
        g.add_node(r["movement_b"], offender=r["offender_b"], arrival=r["arrival_date_b"])
        g.add_edge(r["movement_a"], r["movement_b"])
    rows = []
    for (case_id, state), g in by_place.items():
        for component in nx.connected_components(g):
            arrivals = sorted(g.nodes[m]["arrival"] for m in component)
            members = sorted({g.nodes[m]["offender"] for m in component})
            rows.append({"case_id": case_id, "state": state, "members": ";".join(members),
                         "first_arrival": arrivals[0], "last_arrival": arrivals[-1]})
    rows.sort(key=lambda r: (r["case_id"], r["state"], r["first_arrival"], r["members"]))
    for number, r in enumerate(rows, start=1):
        r["group_id"] = number
    return Rows.of(MOBILE_GROUP_COLUMNS, rows)


# --- ego network ------------------------------------------------------------

def _facts(record: dict[str, Any], *names: str) -> dict[str, Any]:
    """The named fields of a graph record that it has (absent and empty ones left out)."""
    return {n: record[n] for n in names if record.get(n) not in (None, "")}


def ego_network(store: Store, offender_id: str, *, window_days: int = 30,
                as_of: str | int | None = None) -> nx.MultiDiGraph:
    """One offender and everything around it up to as_of, for drawing.

    Parameters
    ----------
    store : Store
    offender_id : str
    window_days, as_of :
        For the gap status of the movement edges (SPEC §4.1); events after
        as_of (default: the latest event in the data) are left out.

    Returns
    -------
    nx.MultiDiGraph
        Node ids are ``"<kind>:<id>"`` (``offender:OFF-000001``,
        ``state:DE``, ...). Every node has ``kind`` (one of offender,
        conviction, state, agency, exchange, co_defendant), ``label`` (short)
        and ``facts``: what the graph holds about it, as plain values (the
        dashboard turns them into tooltip text). Every edge has ``kind`` and
        ``status``:

        - ``nationality`` offender -> state; ``convicted`` offender ->
          conviction; ``convicted_in`` conviction -> state;
        - ``movement`` state -> state, one per movement (key = movement_id),
          with ``status`` and ``lag_days`` of SPEC §4.1 (None when the
          movement is not counted), ``arrival_date``, ``days_stayed``,
          ``label`` and ``facts``;
        - ``sent`` agency -> exchange; ``received`` exchange -> agency;
          ``about`` exchange -> offender; ``concerns`` exchange -> conviction;
          ``located_in`` agency -> state;
        - ``co_defendant`` conviction -> co_defendant, with ``case_id``.

        ``status`` is None on every edge but movements. The graph attributes
        hold ``offender_id``, ``as_of`` (day number) and ``window_days``.

    Examples
    --------
    >>> G = ego_network(store, "OFF-000013")  # doctest: +SKIP
    >>> sorted({k for _, k in G.nodes(data="kind")})  # doctest: +SKIP
    ['agency', 'co_defendant', 'conviction', 'exchange', 'offender', 'state']
    """
    store.user.require_detail("An ego network")
    r, day = offender_facts(store, "networks/ego", offender_id, window_days, as_of)
    o = r["offender"]
    names = {s["code"]: s["name"] for s in store.run("networks/states")}
    G = nx.MultiDiGraph(offender_id=offender_id, as_of=day, window_days=window_days)

    def state(code: str) -> str:
        node = f"state:{code}"
        if node not in G:
            G.add_node(node, kind="state", label=code, facts={"code": code, "name": names.get(code, code)})
        return node

    def edge(a: str, b: str, kind: str, key: str | None = None, **attrs: Any) -> None:
        G.add_edge(a, b, key=key or kind, kind=kind, **{"status": None, **attrs})

    me = f"offender:{o['offender_id']}"
    G.add_node(me, kind="offender", label=o["offender_id"], facts=_facts(
        o, "offender_id", "nationality", "risk_level", "birth_year", "sex"))
    edge(me, state(o["nationality"]), "nationality")

    for c in sorted(r["convictions"], key=lambda c: c["conviction_id"]):
        node = f"conviction:{c['conviction_id']}"
        G.add_node(node, kind="conviction", label=f"{c['offence_code']} {c['conviction_date']}", facts=_facts(
            c, "conviction_id", "offence_code", "group", "state", "conviction_date", "case_id", "sentence_months",
            "supervision_end"))
        edge(me, node, "convicted")
        edge(node, state(c["state"]), "convicted_in")

    moves = sorted(r["movements"], key=lambda m: (m["arrival_day"], m["movement_id"]))
    for i, m in enumerate(moves):
        gap, lag = status(m["arrival_day"], m.get("aware_day"), day, window_days) if m.get("counted") else (None, None)
        stayed = None if i == len(moves) - 1 else m.get("stay_days")
        edge(state(m["from_state"]), state(m["to_state"]), "movement", key=m["movement_id"], status=gap,
             lag_days=lag, arrival_date=m["arrival_date"], days_stayed=stayed, label=m["arrival_date"],
             facts=_facts(m, "movement_id", "from_state", "to_state", "detected_by", "source"))

    for e in sorted(r["exchanges"], key=lambda e: e["exchange_id"]):
        node = f"exchange:{e['exchange_id']}"
        G.add_node(node, kind="exchange", label=f"{e['mechanism']} {e['kind']}", facts={
            **_facts(e, "exchange_id", "mechanism", "kind", "sent_date", "received_date", "conviction_id",
                     "movement_id"),
            **{f"{role}_{key}": e[role][key] for role in ("sender", "recipient") if e.get(role)
               for key in ("name", "state")}})
        for role, kind in (("sender", "sent"), ("recipient", "received")):
            a = e.get(role)
            if not a:
                continue
            agency = f"agency:{a['agency_id']}"
            if agency not in G:
                G.add_node(agency, kind="agency", label=a["agency_id"], facts=_facts(a, "name", "kind", "state"))
                edge(agency, state(a["state"]), "located_in")
            if kind == "sent":
                edge(agency, node, kind)
            else:
                edge(node, agency, kind)
        edge(node, me, "about")
        if e.get("conviction_id") and f"conviction:{e['conviction_id']}" in G:
            edge(node, f"conviction:{e['conviction_id']}", "concerns")

    for co in sorted((c for c in r["co_defendants"] if c.get("offender_id")),
                     key=lambda c: (c["offender_id"], c["conviction_id"])):
        node = f"offender:{co['offender_id']}"
        if node not in G:
            G.add_node(node, kind="co_defendant", label=co["offender_id"],
                       facts=_facts(co, "offender_id", "nationality", "risk_level"))
        conviction = f"conviction:{co['conviction_id']}"
        if conviction in G:
            edge(conviction, node, "co_defendant", case_id=co["case_id"])
    return G
