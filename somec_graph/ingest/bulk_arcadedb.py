"""The bulk first load into the embedded ArcadeDB server: one streamed request to its batch loader.

`POST /api/v1/batch/{database}` (ArcadeDB's `GraphBatch` inside the running server, on its
loopback HTTP port, as root) takes JSON lines, vertices first, then edges naming them by a
temporary id. The request body is generated while it is sent, so Python and the server
share the two cores, and no stop or restart of the server is needed (docs/performance.md says
why this and not the in-process Java API).

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
_SCALARS = {int: "LONG", float: "DOUBLE"}


def write(settings: Settings, graph: Graph, report: Progress) -> None:
    edge_types = sorted({link.type for table in TABLES for link in table.links} | {t for _, t, _ in DERIVED_LINKS})
    for statement in [f"CREATE EDGE TYPE `{t}` IF NOT EXISTS" for t in edge_types] + _declarations(graph):
        _request(settings, f"/api/v1/command/{EMBEDDED_DATABASE}",
                 json.dumps({"language": "sql", "command": statement}).encode(), "application/json")
    vertices = sum(len(nodes) for nodes in graph.nodes.values())
    sent = [0]  # edges, counted while they are sent
    answer = _request(settings, f"/api/v1/batch/{EMBEDDED_DATABASE}?lightEdges=false&bidirectional=true"
                                f"&expectedVertexCount={vertices}", _body(graph, report, sent), "application/x-ndjson")
    edges = sent[0]
    if answer.get("verticesCreated") != vertices or answer.get("edgesCreated") != edges:
        raise StoreError(f"The embedded server's batch loader created {answer.get('verticesCreated')} of {vertices} "
                         f"nodes and {answer.get('edgesCreated')} of {edges} relationships; run the load again "
                         "(it starts the first load over).")


def _kind(value: Any) -> str | None:
    if type(value) is list:
        inner = {_SCALARS.get(type(v)) for v in value}
        return f"LIST OF {inner.pop()}" if len(inner) == 1 and None not in inner else None
    return _SCALARS.get(type(value))  # exact types: a bool is no int here


def _declarations(graph: Graph) -> list[str]:
    """CREATE PROPERTY for every integer, float and integer-list property the graph will hold."""
    kinds: dict[tuple[str, str], str] = {}
    for nodes in graph.nodes.values():
        for node in nodes:
            for name, value in node.props.items():
                kind = _kind(value)
                if kind and (node.label, name) not in kinds:
                    kinds[(node.label, name)] = kind
    for s in graph.supervision:
        for name, value in s["facts"].items():
            kind = _kind(value)
            if kind:
                kinds.setdefault(("SUPERVISION", name), kind)
    return [f"CREATE PROPERTY `{label}`.`{name}` IF NOT EXISTS {kind}" for (label, name), kind in sorted(kinds.items())]


def _body(graph: Graph, report: Progress, sent: list[int]) -> Iterator[bytes]:
    """The batch as JSON lines in chunks of about a megabyte: every vertex, then every edge."""
    ids: dict[tuple[str, Any], str] = {}
    dumps = json.dumps
    chunk: list[str] = []
    size = 0
    for name, nodes in graph.nodes.items():
        total = len(nodes)
        report(f"{name}.csv", 0, total)
        for i, node in enumerate(nodes):
            tid = ids[(node.label, node.key)] = str(len(ids))
            line = dumps({"@type": "vertex", "@class": node.label, "@id": tid, **node.props})
            chunk.append(line)
            size += len(line)
            if size > CHUNK_BYTES:
                yield ("\n".join(chunk) + "\n").encode()
                chunk, size = [], 0
                report(f"{name}.csv", i + 1, total)
        report(f"{name}.csv", total, total)
    for edge in graph.edges():
        line = (f'{{"@type":"edge","@class":"{edge.type}","@from":"{ids[edge.start]}","@to":"{ids[edge.end]}"'
                + (f",{dumps(edge.props)[1:]}" if edge.props else "}"))
        chunk.append(line)
        size += len(line)
        sent[0] += 1
        if size > CHUNK_BYTES:
            yield ("\n".join(chunk) + "\n").encode()
            chunk, size = [], 0
    if chunk:
        yield ("\n".join(chunk) + "\n").encode()


def _request(settings: Settings, path: str, body: bytes | Iterator[bytes], content_type: str) -> dict[str, Any]:
    state = embedded.read_state(settings.data_dir) or {}
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
