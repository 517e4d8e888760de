"""Network views as self-contained HTML: vis-network inlined from the installed pyvis package,
a Content-Security-Policy that forbids any fetch, every value from data escaped, layouts computed here."""

from __future__ import annotations

import html
import importlib.util
import json
import math
import re
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
import pandas as pd

from .style import (
    COMMUNITY_COLORS,
    KIND_COLORS,
    KIND_SHAPES,
    MAX_NETWORK_NODES,
    MOBILE_COLOR,
    NOT_COUNTED,
    OTHER_LINK,
    STATUS_COLORS,
    STATUS_LABELS,
    STATUS_ORDER,
    community_color,
)

# --- network HTML (vis-network inlined from the installed pyvis package) --------

@cache
def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS as bundled with pyvis (read once). Found without importing pyvis,
    which imports IPython and jinja2 (0.1 s on a quiet machine, ≈ 0.5 s under load) for two files."""
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:  # pragma: no cover - pyvis not installed
        raise RuntimeError("The pyvis package (it ships vis-network) is not installed; install somec-graph again.")
    lib = Path(next(iter(spec.submodule_search_locations))).resolve() / "lib"
    folder = next((p for p in sorted(lib.glob("vis-*"), reverse=True)
                   if (p / "vis-network.min.js").is_file() and (p / "vis-network.css").is_file()), None)
    if folder is None:  # pragma: no cover - a broken pyvis install
        raise RuntimeError(f"vis-network is missing from the pyvis package in {lib}; reinstall pyvis.")
    js = (folder / "vis-network.min.js").read_text(encoding="utf-8")
    css = (folder / "vis-network.css").read_text(encoding="utf-8")
    # Keep the rules we use (tooltip, canvas, overlays); drop those for the navigation and editing
    # buttons, which are not shown: they are base64 icons, 94% of the file.
    css = "\n".join(rule for rule in re.findall(r"[^{}]+\{[^{}]*\}", css) if "data:" not in rule)
    # Neither may close our <script>/<style> element early.
    if "</script" in js.lower() or "</style" in css.lower():  # pragma: no cover
        raise RuntimeError("The bundled vis-network cannot be inlined safely.")
    return js, css


def vis_library_text() -> tuple[str, str]:
    """The inlined library text (for tests that check our own HTML around it)."""
    return _vis_assets()


def script_json(value: Any) -> str:
    """JSON safe to place inside a <script> element.

    >>> script_json({"a": "</script><img src=x>"})
    '{"a": "\\\\u003c/script\\\\u003e\\\\u003cimg src=x\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, default=str)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def title_html(text: Any) -> str:
    """Plain tooltip text (lines separated by newlines) as escaped HTML with <br>.

    >>> title_html("Agency: <img src=x onerror=alert(1)>\\nState: DE")
    'Agency: &lt;img src=x onerror=alert(1)&gt;<br>State: DE'
    """
    return "<br>".join(html.escape(line) for line in str(text or "").splitlines())


_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
        "font-src data:; connect-src 'none'")

_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{csp}">
<title>{title}</title>
<style>{vis_css}</style>
<style>
html, body {{ margin: 0; padding: 0; font-family: "Source Sans Pro", "Source Sans 3", Arial, sans-serif;
  font-size: 13px; color: #31333F; background: #FFFFFF; }}
#net {{ width: 100%; height: {height}px; border: 1px solid #E6E6E6; border-radius: 6px; box-sizing: border-box; }}
#legend {{ display: flex; flex-wrap: wrap; gap: 4px 14px; padding: 4px 2px 8px 2px; }}
#legend .item {{ display: inline-flex; align-items: center; gap: 5px; white-space: nowrap; }}
#legend .sw {{ display: inline-block; width: 12px; height: 12px; border-radius: 50%; }}
#legend .ln {{ display: inline-block; width: 18px; height: 3px; border-radius: 2px; }}
#legend .group {{ font-weight: 600; margin-right: 2px; }}
div.vis-tooltip {{ white-space: normal; max-width: 360px; font-family: inherit; font-size: 12px;
  line-height: 1.4; padding: 6px 8px; background: #FFFFFF; border: 1px solid #CCCCCC; border-radius: 4px;
  box-shadow: 0 2px 6px rgba(0,0,0,.15); }}
</style>
<script>{vis_js}</script>
</head><body>
<div id="legend" role="list" aria-label="Legend">{legend}</div>
<div id="net" role="img" aria-label="{title}"></div>
<script>
(function () {{
  var nodes = {nodes};
  var edges = {edges};
  // Titles arrive as escaped HTML (every data value passed through html.escape);
  // turning them into elements makes the <br> line breaks work while any
  // markup that came from data stays text.
  function tip(h) {{ var d = document.createElement("div"); d.innerHTML = h; return d; }}
  nodes.forEach(function (n) {{ if (n.title) n.title = tip(n.title); }});
  edges.forEach(function (e) {{ if (e.title) e.title = tip(e.title); }});
  var data = {{ nodes: new vis.DataSet(nodes), edges: new vis.DataSet(edges) }};
  var options = {options};
  var network = new vis.Network(document.getElementById("net"), data, options);
  var done = false;
  function ready() {{
    if (done) return; done = true;
    network.setOptions({{ physics: false }});
    network.fit({{ animation: false }});
    document.body.setAttribute("data-ready", "1");
  }}
  network.once("stabilizationIterationsDone", ready);
  network.once("afterDrawing", function () {{ if (!options.physics || !options.physics.enabled) ready(); }});
  setTimeout(ready, 4000);
  // A click on a node tells the frame around this page (the Explore canvas component listens; elsewhere
  // nobody does): only the node id travels.
  network.on("click", function (p) {{
    if (p.nodes.length && window.parent !== window) window.parent.postMessage({{ somecNode: String(p.nodes[0]) }}, "*");
  }});
  window.somecNetwork = network;
}})();
</script>
</body></html>
"""


def network_html(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], *,
                 legend: Sequence[tuple[str, str, str]] = (), height: int = 560, physics: bool = True,
                 directed: bool = True, title: str = "Network") -> str:
    """A self-contained vis-network page: no external resource, every data value escaped.

    nodes: dicts with id, label (plain text, drawn on the canvas), title (plain
    text, newline-separated lines), color, and optionally shape, size, x, y,
    borderWidth, borderColor. edges: dicts with from, to, and optionally color,
    title, width, dashes. legend: (kind, label, colour) with kind "node" or "edge".
    """
    vis_js, vis_css = _vis_assets()
    vis_nodes = []
    for n in nodes:
        node: dict[str, Any] = {"id": str(n["id"]), "label": str(n.get("label", n["id"])),
                                "title": title_html(n.get("title", "")), "shape": n.get("shape", "dot"),
                                "size": n.get("size", 12)}
        color = n.get("color", KIND_COLORS["other"])
        border = n.get("borderColor", "#555555")
        node["color"] = {"background": color, "border": border,
                         "highlight": {"background": color, "border": "#000000"},
                         "hover": {"background": color, "border": "#000000"}}
        node["borderWidth"] = n.get("borderWidth", 1)
        for key in ("x", "y", "font", "physics", "fixed"):
            if key in n:
                node[key] = n[key]
        vis_nodes.append(node)
    if vis_nodes and all("x" in n and "y" in n for n in vis_nodes):
        physics = False  # laid out in Python: draw at once
    vis_edges = []
    for i, e in enumerate(edges):
        edge: dict[str, Any] = {"id": f"e{i}", "from": str(e["from"]), "to": str(e["to"]),
                                "color": {"color": e.get("color", "#AAAAAA"), "highlight": "#000000",
                                          "hover": "#000000"},
                                "width": e.get("width", 1.5)}
        if e.get("title"):
            edge["title"] = title_html(e["title"])
        if e.get("dashes"):
            edge["dashes"] = True
        vis_edges.append(edge)
    options = {
        "autoResize": True,
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False, "keyboard": False,
                        "multiselect": False},
        # Labels smaller than 8 px on screen are not drawn (zoom in to read them): faster and less clutter.
        "nodes": {"font": {"size": 12, "face": "arial", "color": "#222222", "strokeWidth": 3,
                           "strokeColor": "#FFFFFF"}, "scaling": {"label": {"drawThreshold": 8}}},
        # Curved edges cost a lot to draw; past ~150 edges straight lines keep the first draw quick.
        "edges": {"smooth": {"enabled": len(vis_edges) <= 150, "type": "dynamic" if physics else "continuous"},
                  "arrows": {"to": {"enabled": directed, "scaleFactor": 0.5}}},
        "physics": {"enabled": physics, "solver": "forceAtlas2Based",
                    "forceAtlas2Based": {"gravitationalConstant": -40, "springLength": 80, "avoidOverlap": 0.4},
                    "stabilization": {"enabled": physics, "iterations": 250, "fit": True}},
        "layout": {"randomSeed": 7, "improvedLayout": len(vis_nodes) <= 150},
    }
    items = []
    for kind, label, color in legend:
        swatch = "ln" if kind == "edge" else "sw"
        items.append(f'<span class="item" role="listitem"><span class="{swatch}" '
                     f'style="background:{html.escape(color)}"></span>{html.escape(label)}</span>')
    return _TEMPLATE.format(csp=_CSP, title=html.escape(title), vis_css=vis_css, vis_js=vis_js,
                            legend="".join(items), nodes=script_json(vis_nodes), edges=script_json(vis_edges),
                            options=script_json(options), height=int(height))


def _scaled(pos: Mapping[Any, Any], radius: float) -> dict[Any, tuple[float, float]]:
    """Positions centred on 0 and scaled to fit a circle of `radius` pixels."""
    if not pos:
        return {}
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    cx, cy = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
    span = max(max(xs) - min(xs), max(ys) - min(ys)) / 2 or 1.0
    return {n: ((p[0] - cx) / span * radius, (p[1] - cy) / span * radius) for n, p in pos.items()}


def _component_layout(graph: nx.Graph, radius: float, seed: int = 1) -> dict[Any, tuple[float, float]]:
    simple = nx.Graph(graph.to_undirected() if graph.is_directed() else graph)
    n = simple.number_of_nodes()
    if n == 1:
        return {next(iter(simple)): (0.0, 0.0)}
    if n <= 3:
        return _scaled(nx.circular_layout(sorted(simple, key=str)), radius)
    try:  # numpy's Fruchterman-Reingold (no scipy needed below 500 nodes)
        pos = nx.spring_layout(simple, seed=seed, iterations=120, k=1.6 / math.sqrt(n))
    except Exception:  # noqa: BLE001 - a degenerate graph: fall back to a circle
        pos = nx.circular_layout(sorted(simple, key=str))
    return _scaled(pos, radius)


def packed_layout(graph: nx.Graph, *, seed: int = 1, spacing: float = 26.0,
                  aspect: float = 1.8) -> dict[Any, tuple[float, float]]:
    """Pixel positions: each connected component laid out on its own, components packed in rows.

    Computed once in Python (deterministic for a seed), so the browser draws the
    network at once instead of running a physics simulation.

    >>> G = nx.Graph([("a", "b"), ("c", "d"), ("d", "e")])
    >>> pos = packed_layout(G)
    >>> sorted(pos) == ["a", "b", "c", "d", "e"]
    True
    """
    components = sorted((sorted(c, key=str) for c in nx.connected_components(
        graph.to_undirected() if graph.is_directed() else graph)), key=lambda c: (-len(c), str(c[0])))
    radii = [spacing * (0.7 + math.sqrt(len(c))) for c in components]
    area = sum((2 * r + 1.6 * spacing) ** 2 for r in radii)
    row_width = max(math.sqrt(area * aspect), 2 * (radii[0] if radii else 0) + 1.6 * spacing)
    pos: dict[Any, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for comp, r in zip(components, radii):
        size = 2 * r + 1.6 * spacing  # room for the labels between components
        if x > 0 and x + size > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        local = _component_layout(graph.subgraph(comp), r, seed)
        for node, (px, py) in local.items():
            pos[node] = (round(x + size / 2 + px, 1), round(y + size / 2 + py, 1))
        x += size
        row_height = max(row_height, size)
    return pos


def _kind(value: Any) -> str:
    kind = str(value or "other").lower().replace("-", "_").replace(" ", "_")
    if kind in ("codefendant", "co_offender"):
        kind = "co_defendant"
    return kind if kind in KIND_COLORS else "other"


def _lines(*parts: Any) -> str:
    return "\n".join(str(p) for p in parts if p not in (None, "", False))


def ego_node_title(kind: str, facts: Mapping[str, Any] | None) -> str:
    """The tooltip text (plain, lines by newline) of an ego network node from its `facts`.

    >>> ego_node_title("agency", {"name": "Polizei", "kind": "police", "state": "DE"})
    'Polizei\\npolice agency in DE'
    """
    f = facts or {}
    if not f:
        return ""
    if kind == "state":
        return _lines(f["name"], f"State {f['code']}")
    if kind in ("offender", "co_defendant"):
        first = f["offender_id"] if kind == "offender" else f"Co-defendant {f['offender_id']}"
        return _lines(first, f"Nationality: {f['nationality']}", f"Risk level: {f['risk_level']}",
                      "birth_year" in f and f"Born: {f.get('birth_year')}", "sex" in f and f"Sex: {f.get('sex')}")
    if kind == "conviction":
        return _lines(f"Conviction {f['conviction_id']}", f"Offence {f['offence_code']} ({f['group']})",
                      f"Convicted in {f['state']} on {f['conviction_date']}", "case_id" in f and f"Case {f.get('case_id')}",
                      "sentence_months" in f and f"Sentence: {f.get('sentence_months')} months",
                      "supervision_end" in f and f"Supervision until {f.get('supervision_end')}")
    if kind == "exchange":
        return _lines(f"Exchange {f['exchange_id']} ({f['mechanism']}, {f['kind']})",
                      f"Sent {f['sent_date']}" + (f", received {f['received_date']}" if "received_date" in f else ""),
                      "sender_name" in f and f"From {f.get('sender_name')} ({f.get('sender_state')})",
                      "recipient_name" in f and f"To {f.get('recipient_name')} ({f.get('recipient_state')})",
                      "conviction_id" in f and f"Names conviction {f.get('conviction_id')}",
                      "movement_id" in f and f"Names movement {f.get('movement_id')}")
    if kind == "agency":
        return _lines(f["name"], f"{f['kind']} agency in {f['state']}")
    return ""


def ego_edge_title(kind: str, attrs: Mapping[str, Any]) -> str:
    """The tooltip text of an ego network movement or co-defendant link ("" for the other links)."""
    if kind == "co_defendant" and attrs.get("case_id"):
        return f"Same case {attrs['case_id']}"
    f = attrs.get("facts") or {}
    if kind != "movement" or not f:
        return ""
    gap, lag, stayed = attrs.get("status"), attrs.get("lag_days"), attrs.get("days_stayed")
    return _lines(f"Movement {f['movement_id']}: {f['from_state']} -> {f['to_state']}", f"Arrived {attrs['arrival_date']}",
                  stayed is not None and f"Stayed {stayed} days",
                  f"Receiving state: {gap}" + (f" (lag {lag} days)" if lag else "") if gap
                  else "Not counted (no qualifying conviction yet)",
                  "detected_by" in f and f"Detected by {f.get('detected_by')}", "source" in f and f"Source: {f.get('source')}")


def ego_network_html(graph: nx.Graph, offender_id: str, height: int = 560) -> str:
    """The ego network of one offender: nodes coloured by kind, edges by arrival-gap status."""
    nodes, edges = [], []
    kinds, statuses = [], []
    pos = packed_layout(graph, spacing=60.0)
    for node_id, attrs in graph.nodes(data=True):
        kind = _kind(attrs.get("kind"))
        kinds.append(kind)
        is_ego = str(node_id) in (str(offender_id), f"offender:{offender_id}")
        nodes.append({"id": node_id, "label": attrs.get("label", node_id),
                      "title": ego_node_title(kind, attrs.get("facts")) or f"{kind.replace('_', ' ')}: "
                                                                                    f"{attrs.get('label', node_id)}",
                      "color": KIND_COLORS[kind], "shape": KIND_SHAPES[kind],
                      "size": 24 if is_ego else 13 if kind in ("state", "conviction") else 11,
                      "borderWidth": 3 if is_ego else 1, "borderColor": "#000000" if is_ego else "#555555",
                      "x": pos[node_id][0], "y": pos[node_id][1]})
    for u, v, attrs in graph.edges(data=True):
        kind = str(attrs.get("kind") or "")
        status = attrs.get("status")
        status = status if isinstance(status, str) and status in STATUS_COLORS else None
        if kind == "movement" and status is None:
            status = NOT_COUNTED
        if status:
            statuses.append(status)
        title = ego_edge_title(kind, attrs) or "\n".join(
            x for x in (kind.replace("_", " "), f"receiving state: {STATUS_LABELS[status]}" if status else "") if x)
        edges.append({"from": u, "to": v, "color": STATUS_COLORS[status] if status else OTHER_LINK,
                      "width": 3 if status else 1.2, "title": title})
    legend = [("node", k.replace("_", "-") if k == "co_defendant" else k, KIND_COLORS[k])
              for k in KIND_COLORS if k in kinds]
    legend += [("edge", f"arrival: {STATUS_LABELS[s]}", STATUS_COLORS[s])
               for s in [*STATUS_ORDER, NOT_COUNTED] if s in statuses]
    legend += [("edge", "other link", OTHER_LINK)]
    return network_html(nodes, edges, legend=legend, height=height, title=f"Ego network of {offender_id}")


FADED = "#E6E6E6"


def capped(graph: nx.Graph, table: pd.DataFrame, limit: int) -> nx.Graph:
    """At most `limit` nodes: whole communities, largest first (community 1, 2, ...), as many as fit.

    >>> G = nx.Graph([("a", "b"), ("b", "c"), ("d", "e")])
    >>> t = pd.DataFrame({"offender_id": list("abcde"), "community": [1, 1, 1, 2, 2]})
    >>> sorted(capped(G, t, 3))
    ['a', 'b', 'c']
    """
    if graph.number_of_nodes() <= limit:
        return graph
    chosen: list[Any] = []
    present = set(graph)
    for _, members in table[table["offender_id"].isin(present)].groupby("community", sort=True):
        if len(chosen) + len(members) <= limit:
            chosen += members["offender_id"].tolist()
    return graph.subgraph(chosen)


def co_offender_html(graph: nx.Graph, table: pd.DataFrame, mobile_members: Mapping[str, list[str]] | None = None,
                     height: int = 620, *, pos: Mapping[Any, tuple[float, float]] | None = None,
                     active_cases: set[str] | None = None, period: str | None = None) -> str:
    """Co-offender network: one colour per community; members of mobile groups ringed and larger.

    table: co_offender_table(G) rows (offender_id, community, degree, betweenness).
    mobile_members: offender_id -> the mobile group ids they belong to.
    pos: fixed positions (default: `packed_layout(graph)`); a caller that redraws the network
    period by period passes the same positions each time, so nothing moves.
    active_cases: when given, only links of these cases (and their offenders) are drawn in colour,
    the rest faded; `period` names them in the legend.
    """
    mobile_members = mobile_members or {}
    info = {str(r.offender_id): r for r in table.itertuples()} if not table.empty else {}
    nodes, edges = [], []
    pos = pos if pos is not None else packed_layout(graph)
    lit: set[str] | None = None
    if active_cases is not None:
        lit = {str(n) for u, v, a in graph.edges(data=True) if set(a.get("cases") or []) & active_cases
               for n in (u, v)}
    for node_id, attrs in graph.nodes(data=True):
        key = str(node_id)
        row = info.get(key)
        community = getattr(row, "community", None)
        groups = mobile_members.get(key, [])
        lines = [f"Offender {key}"]
        for attr in ("nationality", "risk_level"):
            if attrs.get(attr) is not None:
                lines.append(f"{attr.replace('_', ' ')}: {attrs[attr]}")
        if row is not None:
            lines += [f"community: {community}", f"co-defendants: {getattr(row, 'degree', '')}",
                      f"betweenness: {float(getattr(row, 'betweenness', 0) or 0):.3f}"]
        if groups:
            lines.append("mobile group: " + ", ".join(str(g) for g in groups))
        on = lit is None or key in lit
        nodes.append({"id": key, "label": attrs.get("label", key), "title": "\n".join(lines),
                      "color": community_color(community) if on else FADED, "size": 20 if groups else 13,
                      "borderWidth": 4 if groups else 1,
                      "borderColor": (MOBILE_COLOR if groups else "#555555") if on else "#CCCCCC",
                      "x": pos[node_id][0], "y": pos[node_id][1]})
    for u, v, attrs in graph.edges(data=True):
        raw = attrs.get("cases") or attrs.get("case_ids") or attrs.get("case_id")
        cases = ", ".join(str(c) for c in raw) if isinstance(raw, (list, tuple, set)) else raw
        on = active_cases is None or bool(set(attrs.get("cases") or []) & active_cases)
        both = str(u) in mobile_members and str(v) in mobile_members and \
            set(mobile_members[str(u)]) & set(mobile_members[str(v)])
        edges.append({"from": str(u), "to": str(v), "color": (MOBILE_COLOR if both else "#BBBBBB") if on else FADED,
                      "width": (2.5 if both else 1) if on else 0.6,
                      "title": f"shared case: {cases}" if cases else "co-defendants"})
    legend = [("node", "colour = community", COMMUNITY_COLORS[0]),
              ("node", "ringed = member of a mobile group", MOBILE_COLOR),
              ("edge", "travelled together (mobile group)", MOBILE_COLOR), ("edge", "co-defendants", "#BBBBBB")]
    if active_cases is not None:
        legend.append(("edge", f"grey = no case in {period or 'this period'}", FADED))
    return network_html(nodes, edges, legend=legend, height=height, directed=False, title="Co-offender network")


def result_graph_html(graph: nx.MultiDiGraph, height: int = 520) -> str:
    """Nodes and relationships returned by a console query."""
    nodes, kinds = [], []
    pos = packed_layout(graph, spacing=50.0)
    for node_id, attrs in graph.nodes(data=True):
        kind = _kind(attrs.get("kind"))
        kinds.append(kind)
        nodes.append({"id": node_id, "label": attrs.get("label", node_id), "title": attrs.get("title", ""),
                      "color": KIND_COLORS[kind], "shape": KIND_SHAPES[kind], "x": pos[node_id][0],
                      "y": pos[node_id][1]})
    edges = [{"from": u, "to": v, "title": attrs.get("title", ""), "color": "#999999"}
             for u, v, attrs in graph.edges(data=True)]
    legend = [("node", k.replace("_", "-"), KIND_COLORS[k]) for k in KIND_COLORS if k in kinds]
    return network_html(nodes, edges, legend=legend, height=height, title="Query result")


def too_many_nodes(count: int, limit: int = MAX_NETWORK_NODES) -> bool:
    """True when a network view would draw more nodes than a browser handles comfortably."""
    return count > limit
