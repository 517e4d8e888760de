"""The bulk first load into the embedded ArcadeDB server, through its batch loader.

`POST /api/v1/batch/{database}` (ArcadeDB's `GraphBatch` inside the running server, on its
loopback HTTP port, as root) takes JSON lines: vertices (with a temporary id) and edges. The
server takes at most 100 MB per request, so the vertices go in requests that return each one's
record id, then the edges name them by it. Each body is generated while it is sent, so Python
and the server share the two cores; no stop or restart of the server is needed
(docs/performance.md says why this and not the in-process Java API).

Two things keep the result equal to the Cypher path's graph:
- integer and float properties are declared LONG and DOUBLE first: the JSON loader would
  store small integers as 32-bit Integer where Bolt writes Long, and group-by tells them apart;
- edge types are created first, regular (not light) edges, both directions, as Cypher's CREATE makes them.
"""

from __future__ import annotations

import base64
import http.client
import json
from collections.abc import Iterator
from typing import Any

from ..config import EMBEDDED_DATABASE, Settings
from ..errors import StoreError
from ..store import embedded
from .bulk import Graph, Progress
from .contract import DERIVED_LINKS, TABLES

TIMEOUT_S = 3600
CHUNK_BYTES = 1 << 20
REQUEST_BYTES = 80 << 20
# Regular edges in both directions, as Cypher CREATE makes them; no edge chunks pre-allocated per vertex
# (measured at M: the edge phase 18.8 s with them, 11.8 s without).
EDGE_OPTIONS = "?lightEdges=false&bidirectional=true&preAllocateEdgeChunks=false"
_SCALARS = {int: "LONG", float: "DOUBLE"}


def write(settings: Settings, graph: Graph, report: Progress) -> None:
    edge_types = sorted({link.type for table in TABLES for link in table.links} | {t for _, t, _ in DERIVED_LINKS})
    for statement in [f"CREATE EDGE TYPE `{t}` IF NOT EXISTS" for t in edge_types] + _declarations(graph):
        _request(settings, f"/api/v1/command/{EMBEDDED_DATABASE}",
                 json.dumps({"language": "sql", "command": statement}).encode(), "application/json")
    # The vertices first, in requests that return the record id of each temporary id ...
    rids: dict[str, str] = {}
    lines = _vertex_lines(graph, report)
    while (body := _body(lines)) is not None:
        answer = _batch(settings, "?idMapping=true", body)
        rids.update(answer["idMapping"])
    ids = {(node.label, node.key): rids[str(i)] for i, node in enumerate(n for ns in graph.nodes.values() for n in ns)}
    # ... then the edges naming them by record id.
    edges = _edge_lines(graph, ids, report)
    while (body := _body(edges)) is not None:
        _batch(settings, EDGE_OPTIONS, body)


def _batch(settings: Settings, query: str, body: _Body) -> dict[str, Any]:
    answer = _request(settings, f"/api/v1/batch/{EMBEDDED_DATABASE}{query}", body, "application/x-ndjson")
    if answer.get("verticesCreated", 0) + answer.get("edgesCreated", 0) != body.records:
        raise StoreError(f"The embedded server's batch loader created {answer.get('verticesCreated')} nodes and "
                         f"{answer.get('edgesCreated')} relationships of {body.records} records sent; run the load "
                         "again (it starts the first load over).")
    return answer


class _Body:
    """One request's body: JSON lines taken from `lines` in chunks until REQUEST_BYTES (below the
    server's 100 MB limit on a request body), counting the records sent."""

    def __init__(self, first: str, lines: Iterator[str]) -> None:
        self.first, self.lines, self.records = first, lines, 0

    def __iter__(self) -> Iterator[bytes]:
        chunk, size, total = [self.first], len(self.first), len(self.first)
        for line in self.lines:
            chunk.append(line)
            size += len(line) + 1
            if size > CHUNK_BYTES:
                self.records += len(chunk)
                yield ("\n".join(chunk) + "\n").encode()
                total += size
                chunk, size = [], 0
                if total > REQUEST_BYTES:
                    break
        self.records += len(chunk)
        if chunk:
            yield ("\n".join(chunk) + "\n").encode()


def _body(lines: Iterator[str]) -> _Body | None:
    first = next(lines, None)
    return None if first is None else _Body(first, lines)


def _kind(value: Any) -> str | None:
    if type(value) is list:
        inner = {_SCALARS.get(type(v)) for v in value}
        return f"LIST OF {inner.pop()}" if len(inner) == 1 and None not in inner else None
    return _SCALARS.get(type(value))  # exact types: a bool is no int here


def _declarations(graph: Graph) -> list[str]:
    """CREATE PROPERTY for every integer, float and integer-list property the graph will hold."""
    kinds: dict[tuple[str, str], str] = {}
    for nodes in graph.nodes.values():
        seen: set[str] = set()  # property names typed (or found to be text) already
        for node in nodes:
            for name in node.props.keys() - seen:
                value = node.props[name]
                if type(value) is list and not value:
                    continue
                seen.add(name)
                kind = _kind(value)
                if kind:
                    kinds[(node.label, name)] = kind
    for s in graph.supervision:
        for name, value in s["facts"].items():
            kind = _kind(value)
            if kind:
                kinds.setdefault(("SUPERVISION", name), kind)
    return [f"CREATE PROPERTY `{label}`.`{name}` IF NOT EXISTS {kind}" for (label, name), kind in sorted(kinds.items())]


def _vertex_lines(graph: Graph, report: Progress) -> Iterator[str]:
    dumps, n = json.dumps, 0
    for name, nodes in graph.nodes.items():
        total = len(nodes)
        for i, node in enumerate(nodes):
            yield dumps({"@type": "vertex", "@class": node.label, "@id": str(n), **node.props})
            n += 1
            if i % 10000 == 0:
                report(f"{name}.csv", i, total)
        report(f"{name}.csv", total, total)


def _edge_lines(graph: Graph, ids: dict[tuple[str, Any], str], report: Progress) -> Iterator[str]:
    dumps, total = json.dumps, graph.edge_count()
    for i, (kind, start, end, props) in enumerate(graph.edges()):
        yield (f'{{"@type":"edge","@class":"{kind}","@from":"{ids[start]}","@to":"{ids[end]}"'
               + (f",{dumps(props)[1:]}" if props else "}"))
        if i % 50000 == 0:
            report("relationships", i, total)
    report("relationships", total, total)


def _request(settings: Settings, path: str, body: bytes | _Body, content_type: str) -> dict[str, Any]:
    state = embedded.read_state(settings.data_dir)
    if state is None:
        raise StoreError("The embedded server stopped during the first load; run the load again "
                         f"(it starts the first load over), and see {settings.data_dir / 'server.log'}.")
    if "http_port" not in state:
        raise StoreError("The embedded server was started by an older version of somec-graph; stop it "
                         "(it starts again by itself) and try again.")
    password = (settings.data_dir / "secret").read_text().strip()
    headers = {"Authorization": "Basic " + base64.b64encode(f"root:{password}".encode()).decode(),
               "Content-Type": content_type}
    connection = http.client.HTTPConnection("127.0.0.1", state["http_port"], timeout=TIMEOUT_S)
    try:
        connection.request("POST", path, body=body, headers=headers, encode_chunked=not isinstance(body, bytes))
        response = connection.getresponse()
        text = response.read().decode(errors="replace")
    except OSError as exc:
        raise StoreError(f"The embedded server stopped answering during the first load ({exc}); run the load "
                         f"again (it starts the first load over), and see {settings.data_dir / 'server.log'}.") from None
    finally:
        connection.close()
    if response.status != 200:
        raise StoreError(f"The embedded server refused the first load (HTTP {response.status}: {text[:300]}); "
                         f"see {settings.data_dir / 'server.log'}.")
    return json.loads(text) if text.strip() else {}
