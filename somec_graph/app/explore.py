"""The Explore page's logic: search, a canvas built step by step, and its state in the URL.

A view is a recipe (`View`): the search text and kinds, the nodes expanded (in
order) and through which kinds of link, the nodes pinned, hidden or removed,
two offenders to connect (SPEC §9), the node selected and the period (a month
or quarter: only links dated in it, a conviction, an arrival or an exchange
sent, are followed). The canvas is made
from the recipe on every run (`build`), so the page keeps it in
`st.session_state` as the recipe alone, and a URL holding it (`View.params`)
opens the same view for a colleague with the same rights: every read is scoped
by the store's user. The canvas holds at most `limit` nodes (300) and says so
when a step was cut short.

Node ids are ``kind:key``: ``offender:OFF-1``, ``case:CASE-1``, ``state:DE``,
``agency:DE-POL``, ``movement:MOV-1``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx

from ..analysis import connections
from ..days import to_day
from ..errors import AccessDenied, SomecGraphError
from ..store import Store
from ..vocab import RISK_LEVELS
from .network_html import network_html, packed_layout
from .periods import Period, parse
from .style import KIND_COLORS, KIND_SHAPES

KINDS = ("offender", "agency", "state", "case", "movement")
# kinds of link: what each means, and the kinds of node it joins
LINKS = {"case": "convicted in the case", "moved": "arrived in the state", "national": "national of the state",
         "exchange": "an exchange about the offender, sent or received by the agency",
         "located": "agency located in the state", "made": "the offender's movement",
         "route": "the movement's from or to state"}
MAX_NODES = 300
PER_LINK = 25      # neighbours one expansion adds per kind of link (a state has hundreds of arrivals)
SEARCH_LIMIT = 25  # results per kind of node
PATH_COLOR = "#D55E00"
NO_LINKS = "none"  # the `links` parameter of a view that follows no link (empty means all)
_STYLE_KIND = {"offender": "offender", "agency": "agency", "state": "state", "case": "conviction",
               "movement": "movement"}
_COLOR = {k: KIND_COLORS[s] for k, s in _STYLE_KIND.items()}
_SHAPE = {k: KIND_SHAPES[s] for k, s in _STYLE_KIND.items()}
_SEARCH = {"offender": "explore/search_offenders", "agency": "explore/search_agencies",
           "state": "explore/search_states", "case": "explore/search_cases", "movement": "explore/search_movements"}


def node_id(kind: str, key: str) -> str:
    """>>> node_id("state", "DE")
    'state:DE'"""
    return f"{kind}:{key}"


def split_id(nid: str) -> tuple[str, str]:
    """The kind and key of a node id, or a SomecGraphError naming it.

    >>> split_id("offender:OFF-1")
    ('offender', 'OFF-1')
    """
    kind, sep, key = nid.partition(":")
    if not sep or kind not in KINDS or not key:
        raise SomecGraphError(f"{nid!r} is not a node of the canvas; nodes look like offender:OFF-000001, "
                              "case:CASE-00001, state:DE, agency:DE-POL or movement:MOV-000001.")
    return kind, key


# --- the view: what the URL holds ----------------------------------------------------

def _items(text: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(p for p in (text or "").split(",") if p))


def _nodes(text: str | None) -> tuple[str, ...]:
    """The node ids in a URL parameter; anything else (an edited or cut-off URL) is dropped."""
    return tuple(n for n in _items(text) if n.partition(":")[0] in KINDS and n.partition(":")[2])


def _toggled(items: tuple[str, ...], nid: str) -> tuple[str, ...]:
    return tuple(n for n in items if n != nid) if nid in items else (*items, nid)


@dataclass(frozen=True)
class View:
    """A canvas as a recipe; immutable, so each change is a new view."""
    query: str = ""
    kinds: tuple[str, ...] = KINDS
    expanded: tuple[str, ...] = ()
    links: tuple[str, ...] = tuple(LINKS)
    pinned: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    connect: tuple[str, str] | None = None
    selected: str | None = None
    period: str | None = None  # a Period label, "2021-Q1" or "2021-03"; None for the whole span

    def params(self) -> dict[str, str]:
        """The URL query parameters of this view (defaults left out).

        >>> View(query="RO", expanded=("state:RO",), connect=("OFF-1", "OFF-2")).params()
        {'q': 'RO', 'x': 'state:RO', 'a': 'OFF-1', 'b': 'OFF-2'}
        """
        p = {"q": self.query, "kinds": ",".join(self.kinds) if self.kinds != KINDS else "",
             "x": ",".join(self.expanded),
             "links": "" if self.links == tuple(LINKS) else ",".join(self.links) or NO_LINKS,
             "pin": ",".join(self.pinned), "hide": ",".join(self.hidden), "rm": ",".join(self.removed),
             "a": self.connect[0] if self.connect else "", "b": self.connect[1] if self.connect else "",
             "sel": self.selected or "", "period": self.period or ""}
        return {k: v for k, v in p.items() if v}

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> View:
        """The view a URL's query parameters describe; unknown kinds and links are dropped.

        >>> View.from_params({"q": "RO", "x": "state:RO,bogus", "links": "moved,bogus", "a": "OFF-1", "b": "OFF-2"})
        ... # doctest: +NORMALIZE_WHITESPACE
        View(query='RO', kinds=('offender', 'agency', 'state', 'case', 'movement'), expanded=('state:RO',), links=('moved',),
             pinned=(), hidden=(), removed=(), connect=('OFF-1', 'OFF-2'), selected=None, period=None)
        """
        kinds = tuple(k for k in _items(params.get("kinds")) if k in KINDS) or KINDS
        links = () if params.get("links") == NO_LINKS else \
            tuple(k for k in _items(params.get("links")) if k in LINKS) or tuple(LINKS)
        a, b = params.get("a") or "", params.get("b") or ""
        return cls(query=params.get("q") or "", kinds=kinds, expanded=_nodes(params.get("x")), links=links,
                   pinned=_nodes(params.get("pin")), hidden=_nodes(params.get("hide")),
                   removed=_nodes(params.get("rm")), connect=(a, b) if a and b else None,
                   selected=(_nodes(params.get("sel")) or (None,))[0],
                   period=p.label if (p := parse(params.get("period"))) else None)

    # changes, each returning the new view
    def expand(self, nid: str) -> View:
        return replace(self, expanded=tuple(dict.fromkeys((*self.expanded, nid))), selected=nid)

    def pin(self, nid: str) -> View:
        """Pin or unpin a node: a pinned node stays on the canvas whatever the search."""
        return replace(self, pinned=_toggled(self.pinned, nid))

    def hide(self, nid: str) -> View:
        """Hide or show a node: hidden, it is not drawn but keeps its place in the view."""
        return replace(self, hidden=_toggled(self.hidden, nid))

    def remove(self, nid: str) -> View:
        """Off the canvas, and not brought back by any expansion; its own expansion is undone."""
        return replace(self, removed=tuple(dict.fromkeys((*self.removed, nid))),
                       expanded=tuple(n for n in self.expanded if n != nid),
                       pinned=tuple(n for n in self.pinned if n != nid),
                       selected=None if self.selected == nid else self.selected)


def audit_detail(view: View) -> dict[str, str]:
    """What the audit log records of a view: its search, the offender selected and those connected
    (under names holding "offender", so the log keeps their keyed hashes).

    >>> audit_detail(View(query="RO", connect=("OFF-1", "OFF-2"), selected="offender:OFF-3"))
    {'query': 'RO', 'offender': 'OFF-3', 'offender_a': 'OFF-1', 'offender_b': 'OFF-2'}
    """
    kind, key = split_id(view.selected) if view.selected and ":" in view.selected else ("", "")
    detail = {"query": view.query, "offender": key if kind == "offender" else "",
              "offender_a": view.connect[0] if view.connect else "", "offender_b": view.connect[1] if view.connect else ""}
    return {k: v for k, v in detail.items() if v}


# --- reads ----------------------------------------------------------------------------

def search(store: Store, text: str, kinds: tuple[str, ...] = KINDS,
           limit: int = SEARCH_LIMIT) -> list[tuple[str, str]]:
    """(node id, label) of what matches `text`: ids containing it, or attributes equal to it
    (an offender's nationality or risk level, an agency's state or kind, a case's convicting state,
    a movement's from or to state), or, for movements, an arrival date beginning with it (2021-03).

    Examples
    --------
    >>> search(store, "lv", ("state",))  # doctest: +SKIP
    [('state:LV', 'Latvia')]
    """
    store.user.require_detail("The Explore view")
    needle = text.strip().lower()
    if needle.replace(" ", "_") in RISK_LEVELS:  # "very high" as the dashboard writes it
        needle = needle.replace(" ", "_")
    if not needle:
        return []
    return [(node_id(kind, r["key"]), str(r["label"])) for kind in KINDS if kind in kinds
            for r in store.run(_SEARCH[kind], {"text": needle, "limit": limit})]


def span(store: Store) -> tuple[str, str] | None:
    """The first and last dates (YYYY-MM-DD) of convictions, arrivals and exchanges sent, or None
    when nothing is dated: the span of the period control."""
    (row,) = store.run("explore/span")
    firsts = [str(v)[:10] for k, v in row.items() if k.startswith("first") and v]
    lasts = [str(v)[:10] for k, v in row.items() if k.startswith("last") and v]
    return (min(firsts), max(lasts)) if firsts and lasts else None


@dataclass
class Detail:
    """One node: its attributes, and its neighbours per kind of link (with the totals when cut to PER_LINK)."""
    nid: str
    attrs: dict[str, Any]
    neighbours: dict[str, list[str]] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)

    def table(self) -> list[dict[str, str]]:
        """The attributes as rows for a table beside the picture.

        >>> Detail("case:C-1", {"case_id": "C-1", "states": ["DE", "RO"]}).table()
        [{'attribute': 'case id', 'value': 'C-1'}, {'attribute': 'states', 'value': 'DE, RO'}]
        """
        return [{"attribute": k.replace("_", " "), "value": ", ".join(map(str, v)) if isinstance(v, list) else str(v)}
                for k, v in self.attrs.items()]

    def neighbour_counts(self) -> str:
        """One line: how many neighbours each kind of link has.

        >>> Detail("case:C-1", {}, {"case": ["offender:O-1"]}, {"case": 4}).neighbour_counts()
        'Neighbours: case 4.'
        """
        return "Neighbours: " + "; ".join(f"{link} {self.totals.get(link, 0):,}" for link in self.neighbours) + "."


# which kind of node each kind of link leads to, from each kind of node
_TARGET = {"offender": {"case": "case", "moved": "state", "national": "state", "exchange": "agency"},
           "case": {"case": "offender"},
           "state": {"located": "agency", "moved": "offender", "national": "offender"},
           "agency": {"located": "state", "exchange": "offender"},
           "movement": {"made": "offender", "route": "state"}}  # one way: an offender's expansion adds states


def detail(store: Store, nid: str, period: Period | None = None) -> Detail | None:
    """The node `nid` with its neighbours (through links dated in `period`, when given), or None when
    it does not exist or is out of the user's scope."""
    store.user.require_detail("The Explore view")
    kind, key = split_id(nid)
    days = {"from_day": to_day(period.date_from), "to_day": to_day(period.date_to)} if period else \
        {"from_day": None, "to_day": None}
    rows = store.run(f"explore/{kind}", {"key": key, "limit": PER_LINK, **days})
    if not rows:
        return None
    row = rows[0]
    out = Detail(nid, {k: v for k, v in (row["detail"] or {}).items() if v is not None})
    for link, target in _TARGET[kind].items():
        column = "in_case" if link == "case" else link
        keys = sorted({str(k) for k in row[column] or [] if k is not None})
        out.neighbours[link] = [node_id(target, k) for k in keys][:PER_LINK]
        out.totals[link] = int(row.get(f"{column}_total") or len(keys))
    return out


# --- the canvas -------------------------------------------------------------------------

@dataclass
class Canvas:
    graph: nx.Graph
    notes: list[str]                 # sentences about what was left out
    paths: list[list[str]]           # the §9 paths drawn, as offender ids
    details: dict[str, Detail]

    def shown(self, hidden: tuple[str, ...]) -> nx.Graph:
        return self.graph.subgraph([n for n in self.graph if n not in hidden])


def build(store: Store, view: View, *, limit: int = MAX_NODES) -> Canvas:
    """The canvas of `view`: pinned nodes, search results, each expansion in order, then the paths.

    Every step stops at `limit` nodes and adds a sentence saying what it left out.
    """
    store.user.require_detail("The Explore view")
    G = nx.Graph()
    notes: list[str] = []
    details: dict[str, Detail] = {}
    removed = set(view.removed)
    period = parse(view.period)

    def look(nid: str) -> Detail | None:
        if nid not in details:
            found = detail(store, nid, period)
            if found is None:
                return None
            details[nid] = found
        return details[nid]

    def add(nid: str, label: str | None = None) -> bool:
        if nid in removed:
            return False
        if nid not in G:
            if G.number_of_nodes() >= limit:
                return False
            kind, key = split_id(nid)
            G.add_node(nid, kind=kind, label=label or key)
        return True

    for nid in view.pinned:
        if look(nid) is not None:
            add(nid)
    if view.query:
        results = search(store, view.query, view.kinds)
        if len([r for r in results if r[0] not in removed]) > limit - G.number_of_nodes():
            notes.append(f"The search found more than the canvas holds; showing the first {limit} nodes.")
        for nid, label in results:
            add(nid, label)
        if not results:
            notes.append(f"Nothing matches {view.query!r}; search by id, nationality, risk level, state code or "
                         "arrival date.")
    for nid in view.expanded:
        d = look(nid)
        if d is None or not add(nid):
            continue
        for link in view.links:
            near = d.neighbours.get(link, [])
            kept = [n for n in near if n not in removed]
            added = [n for n in kept if add(n)]
            for n in added:
                G.add_edge(nid, n, link=link)
            if len(added) < len(kept):
                notes.append(f"The canvas holds at most {limit} nodes: {len(kept) - len(added)} neighbour(s) of "
                             f"{split_id(nid)[1]} were left out. Remove or hide nodes, or choose fewer links.")
            elif d.totals.get(link, 0) > len(near):
                notes.append(f"{split_id(nid)[1]}: showing the first {len(near)} of {d.totals[link]:,} "
                             f"({LINKS[link]}).")
    paths: list[list[str]] = []
    if view.connect:
        a, b = view.connect
        by_path: dict[int, list[tuple[str, str | None]]] = {}
        try:
            for n, _step, o, case in connections.connect_rows(store, a, b).values:
                by_path.setdefault(n, []).append((o, case))
        except AccessDenied:
            raise
        except SomecGraphError as exc:  # an unknown id, A = B, a search too large: said, and the canvas stays
            notes.append(str(exc))
        else:
            if not by_path:
                notes.append(f"No path between {a} and {b} within {connections.MAX_HOPS} links.")
        if period and by_path:
            notes.append(f"The paths between {a} and {b} run over cases of any date, not only {period.label}.")
        for steps in by_path.values():
            paths.append([o for o, _ in steps])
            for (o, case), (nxt, _) in zip(steps, steps[1:]):
                ends = [node_id("offender", o), node_id("case", str(case)), node_id("offender", nxt)]
                if all(add(e) for e in ends):
                    G.add_edge(ends[0], ends[1], link="case", path=True)
                    G.add_edge(ends[1], ends[2], link="case", path=True)
                else:
                    notes.append(f"The canvas holds at most {limit} nodes: a path between {a} and {b} is not "
                                 "drawn whole.")
    # links between nodes already on the canvas, from what was read (a case and its members)
    for nid, d in details.items():
        for link, near in d.neighbours.items():
            if link in view.links and nid in G:
                for n in near:
                    if n in G and not G.has_edge(nid, n):
                        G.add_edge(nid, n, link=link)
    return Canvas(G, list(dict.fromkeys(notes)), paths, details)


def canvas_html(canvas: Canvas, view: View, height: int = 620) -> str:
    """The canvas drawn with our vis-network template (every value escaped there)."""
    shown = canvas.shown(view.hidden)
    pos = packed_layout(shown, spacing=40.0)
    on_path = {node_id("offender", o) for p in canvas.paths for o in p}
    nodes = []
    for nid, attrs in shown.nodes(data=True):
        kind = attrs["kind"]
        d = canvas.details.get(nid)
        lines = [f"{kind}: {split_id(nid)[1]}"] + [f"{k.replace('_', ' ')}: {v}" for k, v in
                                                  (d.attrs.items() if d else ())]
        pinned, selected = nid in view.pinned, nid == view.selected
        nodes.append({"id": nid, "label": attrs.get("label", nid), "title": "\n".join(lines),
                      "color": _COLOR[kind], "shape": _SHAPE[kind],
                      "size": 20 if selected else 15 if nid in on_path else 11,
                      "borderWidth": 4 if pinned or selected else 1,
                      "borderColor": "#000000" if pinned or selected else "#555555",
                      "x": pos[nid][0], "y": pos[nid][1]})
    edges = [{"from": u, "to": v, "title": LINKS.get(a.get("link", ""), ""),
              "color": PATH_COLOR if a.get("path") else "#AAAAAA", "width": 3 if a.get("path") else 1.2}
             for u, v, a in shown.edges(data=True)]
    legend = [("node", k, _COLOR[k]) for k in KINDS] + [("edge", "connection (SPEC §9)", PATH_COLOR)]
    return network_html(nodes, edges, legend=legend, height=height, directed=False, title="Explore")
