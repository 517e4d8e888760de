"""Our own read-only check for user-supplied Cypher.

The embedded server ignores read access mode, so a query from the console or
`somec-graph query` is refused here when it contains a writing clause. Strings
and comments are blanked first so that `WHERE n.name = 'CREATE'` is allowed;
an identifier that merely looks like a keyword is refused — a safe mistake.
"""

from __future__ import annotations

import re

from ..errors import QueryError

# Strings, comments and `quoted names`, in one left-to-right scan: a quote inside a quoted name
# (MATCH (`a'`) ...) must not be taken for the start of a string that hides the clauses after it.
_LITERALS = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|`(?:[^`]|``)*`|//[^\n]*|/\*.*?\*/", re.S)
_WRITES = re.compile(
    r"\b(CREATE|MERGE|SET|DELETE|DETACH|REMOVE|DROP|FOREACH|LOAD\s+CSV|IN\s+TRANSACTIONS|"
    r"GRANT|DENY|REVOKE|ALTER|RENAME|TERMINATE|ENABLE|START\s+DATABASE|STOP\s+DATABASE|USE)\b",
    re.I,
)
# A procedure name, plain or `quoted`, with or without an argument list.
_NAME_PART = r"(?:`[\w.]*`|[A-Za-z_]\w*)"
_CALL = re.compile(rf"\bCALL\s+({_NAME_PART}(?:\s*\.\s*{_NAME_PART})*)", re.I)
# Procedures that only read; any other CALL is refused.
READ_PROCEDURES = {"db.labels", "db.relationshiptypes", "db.propertykeys", "db.schema.visualization"}


def _blank(literal: re.Match[str]) -> str:
    """A string or comment becomes '' ; a `quoted name` keeps only its word characters and dots."""
    text = literal.group(0)
    if text.startswith("`"):
        return "`" + re.sub(r"[^\w.]", "_", text[1:-1]) + "`"
    return "''"


def check_read_only(text: str) -> None:
    """Raise QueryError when `text` could write; return None otherwise.

    >>> check_read_only("MATCH (n:State) RETURN n.code")
    >>> check_read_only("MATCH (n) DETACH DELETE n")
    Traceback (most recent call last):
    ...
    somec_graph.errors.QueryError: Refused: the query contains DETACH, which writes; queries here are read-only.
    """
    code = _LITERALS.sub(_blank, text)
    found = _WRITES.search(code)
    if found:
        clause = " ".join(found.group(1).upper().split())
        raise QueryError(f"Refused: the query contains {clause}, which writes; queries here are read-only.")
    for found_proc in _CALL.findall(code):
        proc = re.sub(r"[`\s]", "", found_proc)
        if proc.lower() not in READ_PROCEDURES:
            raise QueryError(f"Refused: CALL {proc}() is not a known read-only procedure; queries here are read-only.")
