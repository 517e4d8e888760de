"""Loads Cypher statements from `cypher/` by name, and parses their headers.

Every file starts with a header of `//` comment lines, `// KEY: VALUE`, with KEY one of
HEADER_KEYS (any other is refused, naming the file and line):

    // name: counts
    // purpose: One row per node label and relationship type, with its count.
    // params: state string - receiving state (ISO alpha-2), e.g. DE
    // params: limit int = 20 - how many rows
    // access: aggregate - no offender ids; every role may run it
    // cells: count - the columns that count people or movements (disclosure control)
    // returns: kind, name, count

`access` is `aggregate` (no offender-level rows: supervisors may run it) or
`offenders` (the default: refused to supervisors, and the statement must
filter on `$scope`, the analyst's jurisdiction, which the store adds). An
aggregate names in `cells` the columns that count people or movements: a
supervisor sees a row with any of them under SOMEC_MIN_CELL suppressed.
Named analyst queries live in `cypher/queries/`; their parameters are bound
from text (CLI, console), so each of their `params` lines declares one:
NAME TYPE [= DEFAULT] - HELP, with TYPE one of string, int, float, date, bool,
strings (a comma-separated list), or reads `none`. The statements the program
itself runs live beside them; the code passes their parameters, and their
`params` line says in prose what each one holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from ..errors import QueryError
from ..resources import CYPHER_DIR

QUERIES_DIR = CYPHER_DIR / "queries"
PARAM_TYPES = ("string", "int", "float", "date", "bool", "strings")
_PARAM = re.compile(r"^(?P<name>\w+)\s+(?P<type>\w+)(?:\s*=\s*(?P<default>\S+))?\s*(?:-\s*(?P<help>.*))?$")


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    default: str | None
    help: str

    def convert(self, raw: str) -> object:
        """Turn a text value (CLI, form) into the parameter's type."""
        try:
            if self.type == "int":
                return int(raw)
            if self.type == "float":
                return float(raw)
            if self.type == "bool":
                if raw.lower() not in ("true", "false"):
                    raise ValueError
                return raw.lower() == "true"
            if self.type == "date":
                return date.fromisoformat(raw).isoformat()
            if self.type == "strings":
                return [part.strip() for part in raw.split(",") if part.strip()]
        except ValueError:
            raise QueryError(f"Parameter {self.name}={raw!r} is not a valid {self.type}.") from None
        return raw


@dataclass(frozen=True)
class Statement:
    name: str
    text: str
    purpose: str = ""
    returns: tuple[str, ...] = ()
    params: tuple[Param, ...] = field(default_factory=tuple)
    access: str = "offenders"
    cells: tuple[str, ...] = ()

    @property
    def short_name(self) -> str:
        """The name a user types: `counts` for `queries/counts`."""
        return self.name.rsplit("/", 1)[-1]

    def bind(self, raw: dict[str, str]) -> dict[str, object]:
        """Check and convert text parameters; apply defaults; refuse unknown ones."""
        known = {p.name: p for p in self.params}
        unknown = sorted(set(raw) - set(known))
        if unknown:
            raise QueryError(f"Query {self.short_name!r} has no parameter {', '.join(unknown)}; "
                             f"it takes: {', '.join(known) or 'none'}.")
        values: dict[str, object] = {}
        for p in self.params:
            if p.name in raw:
                values[p.name] = p.convert(raw[p.name])
            elif p.default is not None:
                values[p.name] = None if p.default == "null" else p.convert(p.default)
            else:
                raise QueryError(f"Query {self.short_name!r} needs the parameter {p.name} ({p.type}: {p.help}).")
        return values


HEADER_KEYS = ("name", "purpose", "params", "access", "cells", "returns")


def parse(name: str, text: str) -> Statement:
    """Parse a statement's header comment into a Statement."""
    header: dict[str, str] = {}
    params: list[Param] = []
    typed = name.startswith("queries/")  # a named query: its params are bound from text
    for number, line in enumerate(text.splitlines(), 1):
        if not line.startswith("//"):
            break
        key, colon, value = line[2:].strip().partition(":")
        value = value.strip()
        if not colon or key not in HEADER_KEYS:
            raise QueryError(f"{name}.cypher, line {number}: {line.strip()!r} is not a header line "
                             f"'// KEY: VALUE' with KEY one of {', '.join(HEADER_KEYS)}.")
        if key == "params":
            if typed and value != "none":
                m = _PARAM.match(value)
                if not m or m["type"] not in PARAM_TYPES:
                    raise QueryError(f"{name}.cypher, line {number}: bad params line {value!r}; it must read "
                                     f"NAME TYPE [= DEFAULT] - HELP, TYPE one of {', '.join(PARAM_TYPES)}.")
                params.append(Param(m["name"], m["type"], m["default"], (m["help"] or "").strip()))
        elif key in header:
            raise QueryError(f"{name}.cypher, line {number}: a second '{key}' line; only params may repeat.")
        else:
            header[key] = value
    if header.get("name") != name.rsplit("/", 1)[-1]:
        raise QueryError(f"{name}.cypher must start with '// name: {name.rsplit('/', 1)[-1]}'.")
    returns = tuple(c.strip() for c in header.get("returns", "").split(",") if c.strip())
    cells = tuple(c.strip() for c in header.get("cells", "").split(" - ")[0].split(",") if c.strip())
    if set(cells) - set(returns):
        raise QueryError(f"{name}.cypher: cells {', '.join(sorted(set(cells) - set(returns)))} are not returned.")
    access = header.get("access", "offenders").split(" ", 1)[0]
    if access not in ("aggregate", "offenders"):
        raise QueryError(f"{name}.cypher: access must be aggregate or offenders, not {access!r}.")
    return Statement(name, text, header.get("purpose", ""), returns, tuple(params), access, cells)


@cache
def load(name: str) -> Statement:
    """The statement `cypher/<name>.cypher`, e.g. `load("load/offenders")`."""
    path = CYPHER_DIR / f"{name}.cypher"
    if not path.is_file() or ".." in name:
        raise QueryError(f"No Cypher file named {name!r}.")
    return parse(name, path.read_text(encoding="utf-8"))


def named_queries() -> dict[str, Statement]:
    """The analyst queries in `cypher/queries/`, by short name."""
    return {p.stem: load(f"queries/{p.stem}") for p in sorted(QUERIES_DIR.glob("*.cypher"))}


def named_query(name: str) -> Statement:
    queries = named_queries()
    if name not in queries:
        raise QueryError(f"No named query {name!r}; available: {', '.join(queries)}.")
    return queries[name]


def split_statements(text: str) -> list[str]:
    """Split a multi-statement file (e.g. schema.cypher) on ';' at line ends."""
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return [s.strip() for s in re.split(r";\s*(?:\n|$)", body) if s.strip()]
