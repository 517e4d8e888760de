"""What is declared once stays declared once: column types, NO_DAY, Cypher headers, the what-if block,
the tests' fixture builder."""

from __future__ import annotations

import ast
import csv
import re
from pathlib import Path

import pytest

import somec_graph
from somec_graph import synth
from somec_graph.days import NO_DAY
from somec_graph.errors import QueryError
from somec_graph.ingest import validate
from somec_graph.ingest.contract import COLUMN_TYPES, TABLES, Column
from somec_graph.resources import CYPHER_DIR
from somec_graph.store import cypher

PACKAGE = Path(somec_graph.__file__).parent
CYPHER_FILES = sorted(CYPHER_DIR.rglob("*.cypher"))


def test_every_declared_column_type_has_one_parser() -> None:
    assert set(validate._PARSERS) == set(COLUMN_TYPES)
    assert validate._REPEATING <= set(COLUMN_TYPES)


def test_the_contract_uses_declared_types_only() -> None:
    used = {c.type for t in TABLES for c in t.columns}
    assert {"state_code", "offence_code", "birth_year", "state", "offence", "ref"} <= used <= set(COLUMN_TYPES)


@pytest.mark.parametrize("column", [
    lambda: Column("code", "state_kode"),             # a type nobody declared
    lambda: Column("offender_id", "ref"),             # a ref naming no table
    lambda: Column("sex", "enum"),                    # an enum without values
    lambda: Column("name", "text", ref="offenders"),  # a table named by a plain column
], ids=["undeclared", "ref-without-table", "enum-without-values", "text-with-table"])
def test_a_column_the_contract_cannot_honour_is_refused(column) -> None:
    with pytest.raises(ValueError, match="column "):
        column()


def test_reference_targets_come_from_the_column_types() -> None:
    targets = {(t.name, c.name): c.target for t in TABLES for c in t.columns if c.target}
    assert targets[("agencies", "state")] == "states"
    assert targets[("convictions", "offence_code")] == "offence_categories"
    assert targets[("exchanges", "movement_id")] == "movements"
    assert ("states", "code") not in targets and ("offence_categories", "code") not in targets
    for table in TABLES:
        assert all(table.target(link) == next(c for c in table.columns if c.name == link.column).target
                   for link in table.links)


def test_synth_writes_the_contract_columns(tmp_path: Path) -> None:
    synth.generate(tmp_path, offenders=5, seed=3)
    for table in TABLES:
        with (tmp_path / table.file).open(encoding="utf-8") as f:
            header = next(csv.reader(f))
        generated = table.file in synth._COLUMNS
        assert header == table.column_names if generated else set(table.required) <= set(header), table.file


def test_no_day_is_spelt_once_in_python_and_never_in_cypher() -> None:
    assert NO_DAY == -1_000_000_000
    spelt = [p.relative_to(PACKAGE) for p in PACKAGE.rglob("*.py") if "1_000_000_000" in p.read_text("utf-8")]
    assert spelt == [Path("days.py")]
    in_cypher = [p.relative_to(CYPHER_DIR) for p in CYPHER_FILES if "1000000000" in p.read_text("utf-8")]
    assert not in_cypher, f"Cypher files spelling NO_DAY instead of taking $no_day: {in_cypher}"


def test_every_cypher_file_has_a_header_the_parser_accepts() -> None:
    for path in CYPHER_FILES:
        name = str(path.relative_to(CYPHER_DIR).with_suffix(""))
        cypher.parse(name, path.read_text("utf-8"))


@pytest.mark.parametrize(("line", "error"), [
    ("// param: state string - a state", "line 2: '// param: state string - a state' is not a header line"),
    ("// return: state", "line 2: '// return: state' is not a header line"),
    ("// a comment without a key", "line 2: '// a comment without a key' is not a header line"),
    ("// purpose: twice", "line 3: a second 'purpose' line"),  # the first is line 2
    ("// params: state strng - a state", "line 2: bad params line 'state strng - a state'"),
    ("// params: state - a state, in prose", "line 2: bad params line"),
])
def test_a_bad_header_line_is_refused_naming_file_and_line(line: str, error: str) -> None:
    text = f"// name: probe\n{line}\n// purpose: a probe\n// returns: state\nRETURN 1 AS state"
    with pytest.raises(QueryError, match="^queries/probe.cypher, ") as raised:
        cypher.parse("queries/probe", text)
    assert error in str(raised.value)


def test_typed_params_in_named_queries_prose_elsewhere() -> None:
    text = "// name: probe\n// params: state string = null - a state\n// params: limit int = 5 - rows\nRETURN 1"
    assert [(p.name, p.type, p.default) for p in cypher.parse("queries/probe", text).params] == [
        ("state", "string", "null"), ("limit", "int", "5")]
    prose = "// name: probe\n// params: as_of - day number; scope - the analyst's states\nRETURN 1"
    assert cypher.parse("gaps/probe", prose).params == ()
    assert cypher.parse("queries/probe", "// name: probe\n// params: none\nRETURN 1").params == ()


def _hypothetical_block(name: str) -> list[str]:
    """The lines of whatif/<name> from the what-if inputs to the earliest aware day."""
    lines = cypher.load(f"whatif/{name}").text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("WITH m, coalesce(m.q_days, [])"))
    end = next(i for i, line in enumerate(lines) if line.endswith(" AS earliest"))
    return lines[start:end + 1]


def test_the_whatif_hypothetical_block_is_the_same_in_both_statements() -> None:
    block = _hypothetical_block("arrivals")
    assert len(block) > 20 and block == _hypothetical_block("arrival_groups")


TESTS = Path(__file__).resolve().parent
TEST_SOURCES = {p.name: p.read_text("utf-8") for p in sorted(TESTS.glob("*.py")) if p.name != "fixtures.py"}


def _body(fn: ast.FunctionDef) -> str:
    """A function's statements without its docstring, as `ast.dump` spells them: equal for a copy under any name."""
    body = fn.body[1:] if ast.get_docstring(fn) is not None else fn.body
    return ast.dump(ast.Module(body=body, type_ignores=[]))


def _rows_from_tuples(node: ast.AST) -> bool:
    """A comprehension building rows of a contract table from tuples: {"<key>": a, "<column>": b, ...} for a, b in ..."""
    return (isinstance(node, ast.ListComp) and isinstance(node.elt, ast.Dict) and bool(node.elt.keys)
            and isinstance(node.elt.keys[0], ast.Constant) and node.elt.keys[0].value in {t.key for t in TABLES}
            and all(isinstance(v, ast.Name) for v in node.elt.values)
            and any(isinstance(g.target, ast.Tuple) for g in node.generators))


def test_tests_share_one_fixture_builder() -> None:
    """tests/fixtures.py holds the tests' helpers: none is imported from conftest, copied into a test file,
    or written again there as a comprehension turning tuples into rows."""
    from_conftest = [name for name, text in TEST_SOURCES.items()
                     if re.search(r"^\s*(from conftest import|import conftest\b)", text, re.MULTILINE)]
    assert not from_conftest, f"import these from fixtures: {from_conftest}"
    shared = {_body(fn): fn.name for fn in ast.parse((TESTS / "fixtures.py").read_text("utf-8")).body
              if isinstance(fn, ast.FunctionDef)}
    trees = {name: ast.parse(text) for name, text in TEST_SOURCES.items()}
    copies = [(name, fn.name, shared[_body(fn)]) for name, tree in trees.items() for fn in ast.walk(tree)
              if isinstance(fn, ast.FunctionDef) and _body(fn) in shared]
    assert not copies, f"copies of fixtures.py's functions: {copies}"
    builders = [(name, node.lineno) for name, tree in trees.items() for node in ast.walk(tree) if _rows_from_tuples(node)]
    assert not builders, f"rows built from tuples by hand (use fixtures.offenders, movements ...): {builders}"
