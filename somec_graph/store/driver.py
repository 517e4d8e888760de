"""The one place that talks to the database, through the official neo4j driver.

`open_store()` connects to Neo4j when SOMEC_NEO4J_URI is set and to the
embedded server otherwise. Statements are run by name from `cypher/`, values
always as parameters, `database_` always given; reads are routed to readers so
that a Neo4j cluster serves them from secondaries. Driver errors become one
StoreError sentence with what to do.
"""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from ..config import Settings, load_settings
from ..errors import QueryError, StoreError, StoreUnavailable
from ..lazy import lazy_module
from ..roles import LOCAL_ADMIN, User
from . import cypher, embedded
from .readonly import check_read_only

if TYPE_CHECKING:
    import pandas as pd
else:
    pd = lazy_module("pandas")

# The neo4j driver imports numpy, pandas and pyarrow when it is imported, only to
# support them as parameter and result types (`Result.to_df`, numpy values as
# parameters) — ≈ 0.3 s of every CLI call (docs/performance.md). When they are not
# loaded yet, the driver is imported as if they were not installed; `_plain()` then
# turns any numpy value in parameters into the Python value the driver knows.
NUMERIC_PACKAGES = ("numpy", "pandas", "pyarrow")


class _HideNumericPackages:
    """A finder that reports NUMERIC_PACKAGES as missing while it is on `sys.meta_path`."""

    @staticmethod
    def find_spec(name: str, path: object = None, target: object = None) -> None:
        if name.partition(".")[0] in NUMERIC_PACKAGES:
            raise ModuleNotFoundError(f"{name} is hidden while the neo4j driver is imported", name=name)
        return None


DRIVER_WITHOUT_NUMPY = "neo4j" not in sys.modules and not any(p in sys.modules for p in NUMERIC_PACKAGES)
if DRIVER_WITHOUT_NUMPY:
    sys.meta_path.insert(0, _HideNumericPackages)
try:
    import neo4j
    from neo4j import GraphDatabase, RoutingControl
    from neo4j import exceptions as ne
finally:
    if DRIVER_WITHOUT_NUMPY:
        sys.meta_path.remove(_HideNumericPackages)

READY_TIMEOUT_S = 30
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
# The driver logs each retry as a multi-line warning; errors reach the user as one StoreError sentence.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


@dataclass
class Store:
    """A connection, and the user on whose behalf it reads.

    Every statement receives `$scope`: the analyst's jurisdiction (a list of
    state codes) or null for everyone else. Read statements that return or
    aggregate offender-level data filter on it, so scoping holds wherever data
    is read, whichever layer asks. `as_user()` gives a view for another user
    over the same driver.
    """
    driver: neo4j.Driver
    database: str
    uri: str
    settings: Settings
    user: User = LOCAL_ADMIN

    def as_user(self, user: User) -> Store:
        return replace(self, user=user)

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- running statements --------------------------------------------------

    def run(self, name: str, params: dict[str, Any] | None = None, *, write: bool = False) -> list[dict]:
        """Run `cypher/<name>.cypher` and return its rows as dicts.

        A named analyst query (`queries/...`) is role-checked here too, so no
        caller can list offenders to a role that sees aggregates only."""
        statement = cypher.load(name)
        if name.startswith("queries/"):
            self.check_access(statement)
        return self.run_text(statement.text, params, write=write)

    def run_text(self, text: str, params: dict[str, Any] | None = None, *, write: bool = False,
                 graph: bool = False) -> list[dict]:
        """Run Cypher text. `graph=True` turns nodes, relationships and paths into plain
        structures (`Record.data()`); our own statements return plain values and skip
        that conversion, which costs more than the query on large column lists."""
        records, _ = self._records(text, params, write)
        return [r.data() for r in records] if graph else [dict(r.items()) for r in records]

    def _records(self, text: str, params: dict[str, Any] | None, write: bool) -> tuple[list[neo4j.Record], list[str]]:
        try:
            return self._execute(text, params, write)
        except StoreUnavailable:
            # The embedded server died (killed, machine asleep): start it again on the
            # same port and retry once; statements are idempotent, so a retry is safe.
            if not self.settings.embedded or not embedded.recover(self.settings):
                raise
            wait_ready(self)
            return self._execute(text, params, write)

    def _execute(self, text: str, params: dict[str, Any] | None, write: bool) -> tuple[list[neo4j.Record], list[str]]:
        if self.settings.embedded:
            embedded.touch(self.settings.data_dir)
        params = {**(params or {}), "scope": self.user.scope}  # ours wins
        if DRIVER_WITHOUT_NUMPY and "numpy" in sys.modules:
            params = _plain(params)
        with translate_errors(self.uri, self.database, embedded=self.settings.embedded):
            records, summary, keys = self.driver.execute_query(
                text, params, database_=self.database,
                routing_=RoutingControl.WRITE if write else RoutingControl.READ,
            )
        return records, list(keys)

    def frame(self, name: str, params: dict[str, Any] | None = None) -> pd.DataFrame:
        """Run a read statement and return a DataFrame with its declared columns."""
        rows = self.run(name, params)
        return pd.DataFrame(rows, columns=list(cypher.load(name).returns) or None)

    def ping(self) -> None:
        """One round trip without the driver's retries, so an unusable store is reported at once."""
        if self.settings.embedded:
            embedded.touch(self.settings.data_dir)
        with translate_errors(self.uri, self.database, embedded=self.settings.embedded):
            with self.driver.session(database=self.database, default_access_mode=neo4j.READ_ACCESS) as session:
                session.run("RETURN 1 AS ok").consume()

    def run_user_query(self, text: str, params: dict[str, Any]) -> list[dict]:
        """A query from a user: refused if it could write, then run in read mode."""
        check_read_only(text)
        return self.run_text(text, params, graph=True)

    def user_records(self, text: str, params: dict[str, Any],
                     statement: cypher.Statement | None = None) -> tuple[list[neo4j.Record], list[str]]:
        """A user's query with nodes and relationships intact (for drawing), under `check_access`."""
        self.check_access(statement)
        check_read_only(text)
        return self._records(text, params, False)

    def run_named(self, statement: cypher.Statement, raw: dict[str, str]) -> list[dict]:
        """A named analyst query with text parameters: role-checked, bound, read-only."""
        self.check_access(statement)
        return self.run_user_query(statement.text, statement.bind(raw))

    def check_access(self, statement: cypher.Statement | None) -> None:
        """The user's right to run a named query (or, `statement` None, free-text Cypher)."""
        if statement is None:
            self.user.check_query(None)
        else:
            self.user.check_query(statement.short_name, statement.access)

    def write_batches(self, name: str, rows: list[dict], batch_size: int, **extra: Any) -> None:
        """`UNWIND $rows` statement over `rows` in batches, one transaction each.

        The driver retries a batch on transient errors (leader switch, deadlock);
        statements are MERGEs, so a retried or re-run batch changes nothing twice.
        """
        text = cypher.load(name).text
        for start in range(0, len(rows), batch_size):
            self.run_text(text, {"rows": rows[start:start + batch_size], **extra}, write=True)


def _plain(value: Any) -> Any:
    """`value` with numpy values (at any depth) turned into Python values and pandas' missing values into None.

    >>> import numpy as np, pandas as pd
    >>> _plain({"rows": [{"n": np.int64(3), "ok": np.bool_(True), "x": pd.NA}], "ids": np.array(["a"])})
    {'rows': [{'n': 3, 'ok': True, 'x': None}], 'ids': ['a']}
    """
    kind = type(value)
    if kind is dict:
        return {k: _plain(v) for k, v in value.items()}
    if kind is list or kind is tuple:  # exact types: the driver's spatial types subclass tuple
        return [_plain(v) for v in value]
    module = kind.__module__.partition(".")[0]
    if module == "numpy":
        return _plain(value.tolist())  # a scalar's tolist() is its Python value
    if module == "pandas" and kind.__name__ in ("NAType", "NaTType"):
        return None
    return value


@contextmanager
def translate_errors(uri: str, database: str, *, embedded: bool = False) -> Iterator[None]:
    """Turn driver exceptions into one user-facing sentence."""
    try:
        yield
    except ne.AuthError:
        if embedded:  # its password is ours: refused only by a server stopping (a restore, say), so wait and retry
            raise StoreUnavailable(f"The embedded database at {uri} is stopping; it starts again by itself, "
                                   "so try again in a moment.") from None
        raise StoreError(f"The database at {uri} refused the user name or password; "
                         "check SOMEC_NEO4J_USER and SOMEC_NEO4J_PASSWORD.") from None
    except ne.ClientError as exc:
        code = exc.code or ""
        if "DatabaseNotFound" in code:
            raise StoreError(f"The database {database!r} does not exist at {uri}; "
                             "set SOMEC_NEO4J_DATABASE to an existing database.") from None
        if code.endswith("Statement.AccessMode"):  # Neo4j enforces read sessions; our own check says the same
            raise QueryError("Refused: the query writes; queries here are read-only.") from None
        if "ConstraintValidationFailed" in code:
            raise StoreError("The database refused a second node with the same key (was another load running at "
                             "the same time?); run the load again.") from None
        if "Statement" in code:
            raise QueryError(f"The database rejected the query: {exc.message}") from None
        raise StoreError(f"The database at {uri} refused the request: {exc.message}") from None
    except (ne.ServiceUnavailable, ne.SessionExpired, OSError) as exc:
        raise StoreUnavailable(f"Cannot reach the database at {uri} ({type(exc).__name__}); check that it is "
                         "running (embedded: somec-graph db start) and SOMEC_NEO4J_URI is right.") from None
    except ne.ConfigurationError as exc:
        raise StoreError(f"The database address {uri!r} is not usable: {exc}; fix SOMEC_NEO4J_URI.") from None
    except ne.Neo4jError as exc:
        raise StoreError(f"The database reported an error: {exc.message}") from None
    except ne.DriverError as exc:
        raise StoreError(f"The database driver failed: {exc}; try again, and if it persists check the database log.") from None


def open_store(settings: Settings | None = None) -> Store:
    """Connect to the configured store and check that the database answers."""
    settings = settings or load_settings()
    if settings.embedded:
        info = embedded.ensure_running(settings)
        uri, auth, database = info.uri, (info.user, info.password), info.database
    else:
        uri, auth, database = settings.neo4j_uri, (settings.neo4j_user, settings.neo4j_password), settings.neo4j_database
        if uri.partition("://")[0].lower() not in BOLT_SCHEMES:
            # The driver would take http:// as its preview HTTP API, which needs packages we do not ship.
            raise StoreError(f"The database address {uri!r} is not usable: it must start with "
                             "bolt://, bolt+s://, neo4j:// or neo4j+s://; fix SOMEC_NEO4J_URI.")
    # A cluster may take a while to elect a leader; a loopback server is either there or not.
    retry_s = 2 if settings.embedded else 30
    with translate_errors(uri, database):
        driver = GraphDatabase.driver(uri, auth=auth, connection_timeout=10, max_transaction_retry_time=retry_s)
    store = Store(driver, database, uri, settings)
    try:
        try:
            wait_ready(store)
        except StoreUnavailable:
            # The embedded server died a moment ago (its state file still names it): start it again, once.
            if not settings.embedded or not embedded.recover(settings):
                raise
            wait_ready(store)
    except StoreError:
        driver.close()
        raise
    return store


def wait_ready(store: Store) -> None:
    """Wait until the database answers; an embedded server opens it a moment after Bolt listens."""
    deadline = time.monotonic() + (READY_TIMEOUT_S if store.settings.embedded else 0)
    while True:
        try:
            store.ping()  # no driver retries: an unreachable or refusing server is reported at once
            return
        except StoreError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.3)
