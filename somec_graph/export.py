"""Exporting the graph: GraphML, GEXF or CSV for other tools, and the files of
`neo4j-admin database import full` for moving a large graph into Neo4j.

Both exports only read. Nodes are read one label at a time, in pages of
`PAGE_SIZE` ordered by key (`cypher/export/nodes_<table>.cypher`), each page
as one record of column lists; the relationships leaving a page's nodes come
with it (`out_<table>.cypher`), so memory holds one page at a time. The key
property of each label comes from `contract.TABLES`; `Meta` (load
bookkeeping), `Case` (work-queue cases, with analysts' notes) and `WatchRule`
(users' watch rules) are left out of the graph exports and kept in the Neo4j
import, whose graph must be complete.

In an exported file a node's id is ``Label:key`` (``Offender:OFF-000001``),
its attribute ``label`` is its label and the other attributes are its
properties (without ``row_hash``); an edge's attribute ``type`` is its
relationship type (in GEXF, which reserves ``type``, the edge's ``label``).

A filtered export (``offenders=``, ``states=``) is chosen by `select`: the
facts (offenders, convictions, movements, exchanges) the filters name, the
nodes those facts point to (states, agencies, mechanisms, offence
categories), and every relationship between two chosen nodes.

Access (docs/security.md): an export lists offenders, so supervisors are
refused; every statement that reads offenders or their facts filters on the
store's `$scope`, so an analyst's export holds only the offenders of their
jurisdiction (with the reference nodes); the Neo4j import files are for admins.
"""

from __future__ import annotations

import csv
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import networkx as nx

from .errors import AccessDenied, SomecGraphError
from .ingest.contract import TABLES, TABLES_BY_NAME
from .progress import Progress
from .store import Store
from .vocab import state_code

FORMATS = ("graphml", "gexf", "csv")
PAGE_SIZE = 5000          # nodes per read; their outgoing relationships come in the same step
SKIPPED_PROPERTIES = ("row_hash",)
RESERVED_NODE_ATTRIBUTES = ("id", "label")  # a property of that name is written as property_<name>
RESERVED_EDGE_ATTRIBUTES = ("id", "type", "label", "source", "target")
IMPORT_SCRIPT = "import.sh"


@dataclass(frozen=True)
class Kind:
    """A node label the export reads: its key property and the stem of its statements."""
    label: str
    key: str
    stem: str  # cypher/export/nodes_<stem>, nodes_by_key_<stem>, out_<stem>


KINDS = tuple(Kind(t.label, t.key, t.name) for t in TABLES)
META = Kind("Meta", "name", "meta")
CASE = Kind("Case", "case_key", "cases")  # work-queue cases (SPEC §8): kept by the Neo4j import export only
WATCH_RULE = Kind("WatchRule", "rule_key", "watch_rules")  # watch rules (SPEC §10): likewise
KEY_OF = {k.label: k.key for k in (*KINDS, META, CASE, WATCH_RULE)}
# Facts belong to an offender (the offenders table, and every table with an offender_id reference);
# the other labels (states, agencies, mechanisms, offence categories) are context they point to.
FACT_LABELS = frozenset(t.label for t in TABLES
                        if t.name == "offenders" or any(c.ref == "offenders" for c in t.columns))
OFFENDER = TABLES_BY_NAME["offenders"].label
STATE = TABLES_BY_NAME["states"].label


@dataclass(frozen=True)
class Rel:
    start_label: str
    start: str
    type: str
    end_label: str
    end: str
    props: dict[str, Any]


@dataclass
class Page:
    kind: Kind
    keys: list[str]
    props: list[dict[str, Any]]
    rels: list[Rel]


def node_id(label: str, key: str) -> str:
    """The id of a node in an exported file.

    >>> node_id("Offender", "OFF-000001")
    'Offender:OFF-000001'
    """
    return f"{label}:{key}"


# --- reading ------------------------------------------------------------------

def _noop(step: str, done: int, total: int) -> None:
    pass


def _key_pages(store: Store, kind: Kind, page_size: int) -> Iterator[tuple[list[str], list[dict[str, Any]]]]:
    """Every node of a label, a page at a time, in key order (keyset paging: each page starts after the last)."""
    after = ""
    while True:
        row = store.run(f"export/nodes_{kind.stem}", {"after": after, "limit": page_size})[0]
        if row["last"] is None:  # no node after `after` (a page may hold none the user may see, yet go on)
            return
        if row["last"] == after:
            raise SomecGraphError(f"Reading {kind.label} nodes in key order did not advance past {after!r}; "
                                  "the database returned keys out of order.")
        yield row["keys"], row["props"]
        after = row["last"]


def _chosen_pages(store: Store, kind: Kind, keys: list[str],
                  page_size: int) -> Iterator[tuple[list[str], list[dict[str, Any]]]]:
    for start in range(0, len(keys), page_size):
        row = store.run(f"export/nodes_by_key_{kind.stem}", {"keys": keys[start:start + page_size]})[0]
        yield row["keys"], row["props"]


def _outgoing(store: Store, kind: Kind, keys: list[str]) -> list[Rel]:
    """The relationships leaving the given nodes; those ending at a label outside the contract are left out."""
    if not keys:
        return []
    row = store.run(f"export/out_{kind.stem}", {"keys": keys, "key_of": KEY_OF})[0]
    return [Rel(kind.label, s, t, lab, e, p or {})
            for s, t, p, lab, e in zip(row["starts"], row["types"], row["props"], row["end_labels"], row["ends"])
            if e is not None and lab in KEY_OF and lab != META.label]


def _pages(store: Store, kinds: Iterable[Kind], selection: dict[str, set[str]] | None, page_size: int,
           totals: dict[str, int], report: Progress) -> Iterator[Page]:
    """Pages of nodes with their outgoing relationships: every node, or the chosen ones
    with only the relationships between two chosen nodes."""
    for kind in kinds:
        if selection is None:
            pages = _key_pages(store, kind, page_size)
            total = totals.get(kind.label, 0)
        else:
            chosen = sorted(selection.get(kind.label, ()))
            pages = _chosen_pages(store, kind, chosen, page_size)
            total = len(chosen)
        done = 0
        report(f"{kind.label} nodes", 0, total)
        for keys, props in pages:
            rels = [] if kind is META else _outgoing(store, kind, keys)
            if selection is not None:
                rels = [r for r in rels if r.end in selection.get(r.end_label, ())]
            done += len(keys)
            report(f"{kind.label} nodes", done, max(total, done))
            yield Page(kind, keys, props, rels)


def _node_totals(store: Store) -> dict[str, int]:
    return {r["label"]: r["nodes"] for r in store.run("export/node_counts")}


def _check_complete(store: Store, totals: dict[str, int], kinds: Iterable[Kind], nodes: int, rels: int) -> None:
    """The whole-graph exports wrote every node and relationship the graph holds."""
    expected_nodes = sum(totals.get(k.label, 0) for k in kinds)
    labels = [k.label for k in kinds]
    expected_rels = store.run("export/relationship_count", {"labels": labels})[0]["relationships"]
    if (nodes, rels) != (expected_nodes, expected_rels):
        others = sorted(set(totals) - set(KEY_OF))
        why = (f"it holds nodes labelled {', '.join(others)}, which the data contract does not know" if others
               else "the graph changed while it was read (was a load running?); run the export again")
        raise SomecGraphError(f"The export wrote {nodes} nodes and {rels} relationships but the graph holds "
                              f"{expected_nodes} and {expected_rels}: {why}.")


# --- choosing a subgraph --------------------------------------------------------

def _normal_states(states: Iterable[str]) -> list[str]:
    return sorted({state_code(s) for s in states if s and s.strip()})


def _label_of(column: str) -> str:
    return TABLES_BY_NAME[column].label


def select(store: Store, *, states: list[str] | None = None,
           offenders: list[str] | None = None) -> dict[str, set[str]]:
    """The keys of the nodes of a filtered export, by label.

    Facts:
      - ``offenders`` only: those offenders, their convictions, their movements
        and the exchanges about them (everything one hop around them);
      - ``states`` only: those states, their agencies, the convictions in
        them, the movements from or to them, the exchanges sent or received by
        an agency in them, and the offenders all these concern;
      - both: the offenders, and those of their convictions, movements and
        exchanges that involve the states; and the states.

    Then the nodes the facts point to: states (nationality, conviction state,
    from/to), agencies (sender, recipient, detected_by), mechanisms and
    offence categories. The export keeps every relationship whose two ends
    are chosen. An offender id or state code that is not in the graph is an
    error (a typo would otherwise export an empty file).
    """
    chosen: dict[str, set[str]] = defaultdict(set)
    if offenders:
        wanted = sorted(set(offenders))
        rows = store.run("export/select_offenders", {"offenders": wanted})
        _refuse_missing("offender", wanted, [r["offenders"] for r in rows], "somec-graph query offender_list",
                        scoped=store.user.scope is not None)
        for r in rows:
            for column, keys in r.items():
                chosen[_label_of(column)].update([keys] if column == "offenders" else keys)
    if states:
        wanted = _normal_states(states)
        found = {_label_of(r["table"]): r for r in store.run("export/select_states", {"states": wanted})}
        keys_of = {label: set(r["keys"]) for label, r in found.items()}  # a table with no match has no row
        _refuse_missing("state", wanted, keys_of.get(STATE, set()), "somec-graph query states")
        if offenders:  # the offenders' facts that involve the states
            for label in FACT_LABELS - {OFFENDER}:
                chosen[label] &= keys_of.get(label, set())
            chosen[STATE] |= keys_of.get(STATE, set())
        else:
            for label, r in found.items():
                chosen[label] |= keys_of[label]
                chosen[OFFENDER].update(r["offenders"])
    for kind in KINDS:
        if kind.label not in FACT_LABELS:
            continue
        keys = sorted(chosen.get(kind.label, ()))
        for start in range(0, len(keys), PAGE_SIZE):
            for rel in _outgoing(store, kind, keys[start:start + PAGE_SIZE]):
                if rel.end_label not in FACT_LABELS:
                    chosen[rel.end_label].add(rel.end)
    return dict(chosen)


def _refuse_missing(what: str, wanted: list[str], found: Iterable[str], hint: str, scoped: bool = False) -> None:
    missing = sorted(set(wanted) - set(found))
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        where = "in the graph or in your jurisdiction" if scoped else "in the graph"
        raise SomecGraphError(f"No {what} {shown} {where}; check the spelling ({hint} lists them).")


# --- graph exports: GraphML, GEXF, CSV ----------------------------------------------

def _attribute_value(value: Any) -> Any:
    """A property value as a GraphML/GEXF attribute: lists become ';'-joined text; None is dropped by the caller.

    >>> _attribute_value(["a", "b"]), _attribute_value(True), _attribute_value(3)
    ('a;b', True, 3)
    """
    if isinstance(value, (list, tuple)):
        return ";".join("" if v is None else str(v).lower() if isinstance(v, bool) else str(v) for v in value)
    return value


def _attributes(props: dict[str, Any], reserved: tuple[str, ...]) -> dict[str, Any]:
    """Properties as attributes: no row_hash, no None, reserved names prefixed with ``property_``.

    >>> _attributes({"label": "Rape", "group": "sexual", "row_hash": "x", "lat": None}, RESERVED_NODE_ATTRIBUTES)
    {'property_label': 'Rape', 'group': 'sexual'}
    """
    out: dict[str, Any] = {}
    for name, value in props.items():
        if value is None or name in SKIPPED_PROPERTIES:
            continue
        out[f"property_{name}" if name in reserved else name] = _attribute_value(value)
    return out


def _json(props: dict[str, Any]) -> str:
    return json.dumps({k: v for k, v in props.items() if v is not None and k not in SKIPPED_PROPERTIES},
                      sort_keys=True, ensure_ascii=False)


def export_graph(store: Store, out: Path, *, fmt: str, states: list[str] | None = None,
                 offenders: list[str] | None = None, progress: Progress | None = None) -> dict[str, int]:
    """Write the graph, or the subgraph around some offenders or states, for other tools.

    Parameters
    ----------
    store : Store
    out : Path
        The file to write (``graphml``, ``gexf``), or the folder (``csv``:
        ``nodes.csv`` with ``id,label,properties`` and ``edges.csv`` with
        ``source,target,type,properties``, properties as JSON objects).
    fmt : {"graphml", "gexf", "csv"}
    states, offenders : list of str, optional
        Export only the subgraph `select` chooses for them (state codes accept
        the EU aliases UK and EL).
    progress : callable(step, done, total), optional

    Returns
    -------
    dict
        ``{"nodes": n, "relationships": m}`` written. GraphML and GEXF are
        built as a networkx ``MultiDiGraph`` in memory (the writers need the
        whole graph); CSV is streamed page by page. A whole-graph export by an
        unscoped user checks that it wrote everything the graph holds.

    Raises
    ------
    AccessDenied
        For a user who may only see aggregates (supervisor).
    SomecGraphError
        For an unknown format, an offender id or state code not in the graph
        (or, for an analyst, not in their jurisdiction), or a graph that
        changed while it was exported.

    Examples
    --------
    >>> export_graph(store, Path("seed.graphml"), fmt="graphml")  # doctest: +SKIP
    {'nodes': 23471, 'relationships': 95980}
    >>> G = nx.read_graphml("seed.graphml")  # doctest: +SKIP
    >>> G.nodes["Offender:OFF-000001"]["label"], G.nodes["Offender:OFF-000001"]["risk_level"]  # doctest: +SKIP
    ('Offender', 'medium')
    """
    if fmt not in FORMATS:
        raise SomecGraphError(f"Unknown export format {fmt!r}; use one of {', '.join(FORMATS)}.")
    store.user.require_detail("An export")
    report = progress or _noop
    whole = not states and not offenders
    if whole:
        selection, totals = None, _node_totals(store)
    else:
        report("choosing the subgraph", 0, 1)
        selection, totals = select(store, states=states, offenders=offenders), {}
        report("choosing the subgraph", 1, 1)
    pages = _pages(store, KINDS, selection, PAGE_SIZE, totals, report)
    out = Path(out)
    if fmt == "csv":
        counts = _write_csv(pages, out)
    else:
        counts = _write_networkx(pages, out, fmt)
    if whole and store.user.scope is None:  # an analyst's export holds only their jurisdiction's offenders
        _check_complete(store, totals, KINDS, counts["nodes"], counts["relationships"])
    return counts


def _write_csv(pages: Iterable[Page], folder: Path) -> dict[str, int]:
    folder.mkdir(parents=True, exist_ok=True)
    nodes = rels = 0
    with (folder / "nodes.csv").open("w", newline="", encoding="utf-8") as nf, \
            (folder / "edges.csv").open("w", newline="", encoding="utf-8") as ef:
        node_out, edge_out = csv.writer(nf, lineterminator="\n"), csv.writer(ef, lineterminator="\n")
        node_out.writerow(["id", "label", "properties"])
        edge_out.writerow(["source", "target", "type", "properties"])
        for page in pages:
            label = page.kind.label
            node_out.writerows([node_id(label, k), label, _json(p)] for k, p in zip(page.keys, page.props))
            edge_out.writerows([node_id(r.start_label, r.start), node_id(r.end_label, r.end), r.type, _json(r.props)]
                               for r in page.rels)
            nodes += len(page.keys)
            rels += len(page.rels)
    return {"nodes": nodes, "relationships": rels}


def _write_networkx(pages: Iterable[Page], path: Path, fmt: str) -> dict[str, int]:
    G = nx.MultiDiGraph()
    rels = 0
    for page in pages:
        label = page.kind.label
        for key, props in zip(page.keys, page.props):
            G.add_node(node_id(label, key), **_attributes(props, RESERVED_NODE_ATTRIBUTES), label=label)
        for r in page.rels:
            attrs = _attributes(r.props, RESERVED_EDGE_ATTRIBUTES)
            # GEXF reserves an edge's `type` for directed/undirected: the relationship type is its label there.
            attrs["label" if fmt == "gexf" else "type"] = r.type
            G.add_edge(node_id(r.start_label, r.start), node_id(r.end_label, r.end), key=f"e{rels}", **attrs)
            rels += 1
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "graphml":
        nx.write_graphml(G, path)
    else:
        nx.write_gexf(G, path)
    return {"nodes": G.number_of_nodes(), "relationships": rels}


# --- neo4j-admin database import full -----------------------------------------------

def _import_type(value: Any) -> str:
    """The neo4j-admin header type of one value (64-bit long/double, as Cypher stores them).

    >>> [_import_type(v) for v in (True, 3, 2.5, "x", ["a"], [1, 2])]
    ['boolean', 'long', 'double', 'string', 'string[]', 'long[]']
    """
    if isinstance(value, (list, tuple)):
        inner = {_import_type(v) for v in value if v is not None}
        return (_merge_types(inner) if inner else "string") + "[]"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    return "string"


def _merge_types(seen: set[str]) -> str:
    """One column type for the value types seen in it; numbers widen to double, anything else mixed is string.

    >>> _merge_types({"long"}), _merge_types({"long", "double"}), _merge_types({"long", "string"}), _merge_types(set())
    ('long', 'double', 'string', 'string')
    """
    if len(seen) == 1:
        return next(iter(seen))
    if seen == {"long", "double"}:
        return "double"
    if seen == {"long[]", "double[]"}:
        return "double[]"
    return "string[]" if seen and all(t.endswith("[]") for t in seen) else "string"


def _cell(value: Any) -> str:
    """A value as a neo4j-admin CSV field: strings always quoted (so "" stays an empty string),
    numbers and booleans bare, a missing value empty (no property).

    >>> [_cell(v) for v in (None, True, 42, 0.1, 'a "b" c', ["a", "b"])]
    ['', 'true', '42', '0.1', '"a ""b"" c"', '"a;b"']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return repr(value)
    if isinstance(value, (list, tuple)):  # an array: elements joined by neo4j-admin's array delimiter
        text = ";".join(v if isinstance(v, str) else _cell(v) for v in value)
        return '"' + text.replace('"', '""') + '"'
    return '"' + str(value).replace('"', '""') + '"'


@dataclass
class _ImportFile:
    """One data source: a header file written at the end (when the column types are known) and a data file."""
    stem: str
    id_columns: list[str]        # :ID(...) or :START_ID(...), :END_ID(...)
    columns: list[str]           # property names, in order
    trailer: str                 # :LABEL or :TYPE
    handle: TextIO
    rows: int = 0
    types: dict[str, set[str]] = field(default_factory=dict)

    def write(self, ids: list[str], props: dict[str, Any], trailer_value: str) -> None:
        unknown = set(props) - set(self.columns)
        if unknown:
            raise SomecGraphError(f"Property {', '.join(sorted(unknown))} appeared in {self.stem} while it was "
                                  "exported: the graph changed during the export; run it again.")
        cells = [_cell(i) for i in ids]
        for name in self.columns:
            value = props.get(name)
            if value is not None:
                self.types.setdefault(name, set()).add(_import_type(value))
            cells.append(_cell(value))
        cells.append(trailer_value)
        self.handle.write(",".join(cells) + "\n")
        self.rows += 1

    def header(self) -> str:
        typed = [f"{c}:{_merge_types(self.types.get(c, set()))}" for c in self.columns]
        return ",".join([*self.id_columns, *typed, self.trailer]) + "\n"


def _column_order(label: str, names: Iterable[str]) -> list[str]:
    """Contract columns in contract order, then the other (derived) properties by name."""
    table = next((t for t in TABLES if t.label == label), None)
    order = [c.name for c in table.columns] if table else []
    names = set(names)
    return [c for c in order if c in names] + sorted(names - set(order))


def export_neo4j_import(store: Store, out_dir: Path, progress: Progress | None = None) -> dict[str, int]:
    """Write the whole graph as the input of ``neo4j-admin database import full``.

    Per label ``<Label>_header.csv`` (``offender_id:ID(Offender),nationality,
    birth_year:long,...,:LABEL``) and ``<Label>.csv``; per relationship type
    and pair of end labels ``<Start>-<TYPE>-<End>_header.csv``
    (``:START_ID(Start),:END_ID(End),prop:type,...,:TYPE``) and its data
    file. Each label is its own ID space, keyed by its contract key. Every
    property is kept, `row_hash` and the derived facts included, and the
    `Meta` node, the work-queue cases and the watch rules too: the imported graph is complete, and a later
    ``somec-graph load`` of the same data changes nothing. Also writes
    ``import.sh`` with the exact command. Data files are streamed page by
    page; the header files are written last, when every column's type is
    known. Admins only (`AccessDenied` otherwise).

    Returns ``{"nodes": n, "relationships": m}``.

    Examples
    --------
    >>> export_neo4j_import(store, Path("/tmp/somec-import"))  # doctest: +SKIP
    {'nodes': 23472, 'relationships': 95980}
    """
    if not store.user.is_admin:
        raise AccessDenied("The Neo4j import files copy the whole graph, every offender included; "
                           f"only an admin may write them, not the {store.user.role} role.")
    report = progress or _noop
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    totals = _node_totals(store)
    node_columns: dict[str, set[str]] = defaultdict(set)
    for r in store.run("export/node_properties"):
        node_columns[r["label"]].add(r["property"])
    rel_columns: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for r in store.run("export/relationship_properties"):
        rel_columns[(r["start_label"], r["type"], r["end_label"])].add(r["property"])

    kinds = (*KINDS, META, CASE, WATCH_RULE)
    node_files: dict[str, _ImportFile] = {}
    rel_files: dict[tuple[str, str, str], _ImportFile] = {}
    try:
        for page in _pages(store, kinds, None, PAGE_SIZE, totals, report):
            kind = page.kind
            f = node_files.get(kind.label)
            if f is None:
                columns = _column_order(kind.label, node_columns[kind.label] - {kind.key})
                f = node_files[kind.label] = _ImportFile(
                    kind.label, [f"{kind.key}:ID({kind.label})"], columns, ":LABEL",
                    (out_dir / f"{kind.label}.csv").open("w", encoding="utf-8", newline=""))
            for key, props in zip(page.keys, page.props):
                f.write([key], {k: v for k, v in props.items() if k != kind.key}, kind.label)
            for rel in page.rels:
                triple = (rel.start_label, rel.type, rel.end_label)
                rf = rel_files.get(triple)
                if rf is None:
                    stem = "-".join(triple)
                    rf = rel_files[triple] = _ImportFile(
                        stem, [f":START_ID({rel.start_label})", f":END_ID({rel.end_label})"],
                        sorted(rel_columns.get(triple, ())), ":TYPE",
                        (out_dir / f"{stem}.csv").open("w", encoding="utf-8", newline=""))
                rf.write([rel.start, rel.end], rel.props, rel.type)
    finally:
        for f in (*node_files.values(), *rel_files.values()):
            f.handle.close()

    for f in (*node_files.values(), *rel_files.values()):
        (out_dir / f"{f.stem}_header.csv").write_text(f.header(), encoding="utf-8")
    script = out_dir / IMPORT_SCRIPT
    script.write_text(import_command(node_files, rel_files), encoding="utf-8")
    script.chmod(0o755)
    nodes = sum(f.rows for f in node_files.values())
    rels = sum(f.rows for f in rel_files.values())
    _check_complete(store, totals, kinds, nodes, rels)
    return {"nodes": nodes, "relationships": rels}


def import_command(node_files: dict[str, Any], rel_files: dict[tuple[str, str, str], Any]) -> str:
    """The text of import.sh: the neo4j-admin command over the files written.

    >>> print(import_command({"State": None}, {("Agency", "IN", "State"): None}))  # doctest: +ELLIPSIS
    #!/bin/sh
    ...
    "$NEO4J_ADMIN" database import full "$DATABASE" \\
      --nodes=State=State_header.csv,State.csv \\
      --relationships=IN=Agency-IN-State_header.csv,Agency-IN-State.csv \\
      --multiline-fields=true "$@"
    <BLANKLINE>
    """
    sources = [f"--nodes={label}={label}_header.csv,{label}.csv" for label in node_files]
    for start, rel_type, end in rel_files:
        stem = f"{start}-{rel_type}-{end}"
        sources.append(f"--relationships={rel_type}={stem}_header.csv,{stem}.csv")
    lines = "".join(f"  {s} \\\n" for s in sources)
    return (
        "#!/bin/sh\n"
        "# Written by somec-graph (export --neo4j-import): bulk-import these files into a NEW Neo4j 5 database.\n"
        "# Run on the Neo4j server as the user owning its data directory, with the database stopped or absent:\n"
        "#   sh import.sh [DATABASE] [more neo4j-admin options, e.g. --overwrite-destination=true]\n"
        "# NEO4J_ADMIN may name the neo4j-admin binary (default: neo4j-admin on PATH).\n"
        "# Community has one database, neo4j: import into it with --overwrite-destination=true. Afterwards (Enterprise:\n"
        "# CREATE DATABASE if new) create the constraints and indexes of cypher/schema.cypher,\n"
        "# e.g. cypher-shell -d DATABASE -f cypher/schema.cypher (see docs/scaling.md).\n"
        "set -eu\n"
        'cd "$(dirname "$0")"\n'
        'DATABASE="${1:-neo4j}"\n'
        'if [ "$#" -gt 0 ]; then shift; fi\n'
        'NEO4J_ADMIN="${NEO4J_ADMIN:-neo4j-admin}"\n'
        '"$NEO4J_ADMIN" database import full "$DATABASE" \\\n'
        f"{lines}"
        '  --multiline-fields=true "$@"\n'
    )
