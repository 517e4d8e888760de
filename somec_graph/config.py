"""Every setting in one table: environment variable, default and help.

Both the CLI and the dashboard read settings through `load_settings()`;
`docs/settings.md` is checked against this table by the test suite.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import ConfigError


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("SOMEC_NEO4J_URI", "", "Bolt URI of a Neo4j 5 / Aura server (bolt://, neo4j://, neo4j+s://). "
            "Empty: use the embedded server."),
    Setting("SOMEC_NEO4J_USER", "neo4j", "User name for SOMEC_NEO4J_URI."),
    Setting("SOMEC_NEO4J_PASSWORD", "", "Password for SOMEC_NEO4J_URI. Never logged."),
    Setting("SOMEC_NEO4J_DATABASE", "neo4j", "Database name on SOMEC_NEO4J_URI."),
    Setting("SOMEC_DATA_DIR", "~/.local/share/somec-graph", "Embedded server folder: database, password and state files."),
    Setting("SOMEC_BOLT_PORT", "0", "Loopback Bolt port of the embedded server; 0 picks a free one at start."),
    Setting("SOMEC_IDLE_MINUTES", "60", "Minutes without use after which the embedded server stops itself; 0 keeps it running."),
    Setting("SOMEC_HEAP", "auto", "Java heap of the embedded server: auto (256 MB + 3.5 x the database's size "
            "on disk, at least 512 MB, at most a quarter of the memory; a load grows it for its data) or a size "
            "such as 2g or 1500m."),
    Setting("SOMEC_BATCH_SIZE", "5000", "Rows per write transaction when loading."),
    Setting("SOMEC_BULK_LOAD", "auto", "auto: a load into an empty store writes the whole graph in bulk "
            "(docs/performance.md); off: always the incremental Cypher path."),
    Setting("SOMEC_MIN_CELL", "5", "Smallest number of movements behind an aggregate a supervisor is shown; "
                                   "smaller cells read 'fewer than N'."),
    Setting("SOMEC_CHROMIUM", "", "Chromium or Chrome that prints the report's PDF (somec-graph report OUT.pdf); "
            "empty: the first chromium or google-chrome on PATH."),
    Setting("SOMEC_OFFENDER_ID_PATTERN", "OFF-[0-9]+", "Regular expression of the data's offender ids: text the audit "
            "log would hold (a query, a reason) that matches it is logged as the id's keyed hash."),
    Setting("SOMEC_USER", "", "The configured user (somec-graph users add) on whose behalf `watch` and `alerts` "
            "act: their rules, their states. Empty: the local admin."),
    Setting("SOMEC_WRITE_STALE_SECONDS", "60", "Seconds without a heartbeat after which a write's claim of the data "
            "counts as dead (its writer was killed), so the next write may take it over."),
    Setting("SOMEC_READ_WAIT_SECONDS", "600", "Longest a reader waits for a running load, sync or erasure to finish "
            "before it answers with a sentence instead."),
)

EMBEDDED_DATABASE = "somec"


@dataclass(frozen=True)
class Settings:
    neo4j_uri: str
    neo4j_user: str
    neo4j_password: str
    neo4j_database: str
    data_dir: Path
    bolt_port: int
    idle_minutes: int
    heap: str
    batch_size: int
    min_cell: int
    offender_id_pattern: re.Pattern[str]
    bulk_load: bool = True
    user: str = ""
    chromium: str = ""
    write_stale_s: int = 60
    read_wait_s: int = 600

    @property
    def embedded(self) -> bool:
        return not self.neo4j_uri


def _int(env: dict[str, str], name: str, minimum: int) -> int:
    raw = env[name]
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name}={raw!r} is not a whole number; set it to a number or unset it.") from None
    if value < minimum:
        raise ConfigError(f"{name}={raw!r} must be at least {minimum}.")
    return value


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read all settings from the environment, applying the defaults above."""
    source = os.environ if environ is None else environ
    env = {s.env: source.get(s.env, "") or s.default for s in SETTINGS}
    heap = env["SOMEC_HEAP"]
    if heap != "auto" and (not heap[:-1].isdigit() or heap[-1].lower() not in "mg"):
        raise ConfigError(f"SOMEC_HEAP={heap!r} must be auto or look like 2g or 1500m.")
    if env["SOMEC_BULK_LOAD"] not in ("auto", "off"):
        raise ConfigError(f"SOMEC_BULK_LOAD={env['SOMEC_BULK_LOAD']!r} must be auto or off.")
    try:
        id_pattern = re.compile(env["SOMEC_OFFENDER_ID_PATTERN"])
    except re.error as exc:
        raise ConfigError(f"SOMEC_OFFENDER_ID_PATTERN is not a regular expression ({exc}); fix it or unset it.") from None
    return Settings(
        neo4j_uri=env["SOMEC_NEO4J_URI"],
        neo4j_user=env["SOMEC_NEO4J_USER"],
        neo4j_password=env["SOMEC_NEO4J_PASSWORD"],
        neo4j_database=env["SOMEC_NEO4J_DATABASE"],
        data_dir=Path(env["SOMEC_DATA_DIR"]).expanduser().resolve(),  # the server runs in it: never relative
        bolt_port=_int(env, "SOMEC_BOLT_PORT", 0),
        idle_minutes=_int(env, "SOMEC_IDLE_MINUTES", 0),
        heap=heap,
        batch_size=_int(env, "SOMEC_BATCH_SIZE", 1),
        min_cell=_int(env, "SOMEC_MIN_CELL", 1),
        offender_id_pattern=id_pattern,
        bulk_load=env["SOMEC_BULK_LOAD"] == "auto",
        user=env["SOMEC_USER"].strip(),
        chromium=env["SOMEC_CHROMIUM"],
        write_stale_s=_int(env, "SOMEC_WRITE_STALE_SECONDS", 1),
        read_wait_s=_int(env, "SOMEC_READ_WAIT_SECONDS", 0),
    )
