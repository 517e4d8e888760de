"""The data contract of SPEC §2 and the graph model, declared once.

Each input file is a `Table`: its graph label, key column, typed columns and
the relationships (`Link`) its columns define. The validator checks files
against these tables, the loader takes its column lists and optional links
from them, `cypher/schema.cypher` has one unique constraint per key, and the
per-label load statements in `cypher/load/` write exactly the declared links
(tests check both); `docs/graph-model.md` documents them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..vocab import AGENCY_KINDS, EXCHANGE_KINDS, MOVEMENT_SOURCES, OFFENCE_GROUPS, RISK_LEVELS, SEXES

# The column types, declared once: validate.py has one parser per type (a test checks), and a column
# of a type not declared here is refused when the contract is built. Type -> what a cell holds.
COLUMN_TYPES: dict[str, str] = {
    "text": "any text",
    "int": "a whole number, 0 or more",
    "float": "a number (lat within -90..90, other columns within -180..180)",
    "bool": "true or false",
    "date": "a date, YYYY-MM-DD",
    "enum": "one of the column's values",
    "birth_year": "a plausible year of birth",
    "state_code": "an ISO 3166-1 alpha-2 state code (the key of states)",
    "offence_code": "a four-digit ECRIS offence category code (the key of offence_categories)",
    "state": "a state of states.csv, by its code",
    "offence": "an offence category of offence_categories.csv, by its code",
    "ref": "the key of a row of the table the column names",
}
# The types whose cells name a row of a fixed table (a `ref` column names its own).
TYPE_TARGETS = {"state": "states", "offence": "offence_categories"}


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "text"          # a key of COLUMN_TYPES
    required: bool = False
    values: tuple[str, ...] = ()  # allowed values of an enum
    ref: str | None = None        # table whose key a ref column names

    def __post_init__(self) -> None:
        if self.type not in COLUMN_TYPES:
            raise ValueError(f"column {self.name}: type {self.type!r} is not declared in COLUMN_TYPES")
        if (self.type == "ref") != (self.ref is not None) or (self.type == "enum") != bool(self.values):
            raise ValueError(f"column {self.name}: a ref column names a table and an enum its values, no other")

    @property
    def target(self) -> str | None:
        """The table whose key the column's cells name, if any."""
        return TYPE_TARGETS.get(self.type) or self.ref


@dataclass(frozen=True)
class Link:
    """A relationship that a column of a table's row defines.

    (row node)-[:TYPE]->(node the column names), or the other way round when
    `inbound` (an offender MADE a movement). A link of an optional column is
    written by its own statement `load/<statement>`, for the rows that have it.
    """
    column: str
    type: str
    inbound: bool = False
    statement: str | None = None


@dataclass(frozen=True)
class Table:
    name: str                 # file stem: offenders -> offenders.csv
    label: str                # node label in the graph
    key: str                  # unique id column
    columns: tuple[Column, ...]
    reference: bool = False   # may be omitted from a data set: taken from seed_data/
    links: tuple[Link, ...] = ()

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    @property
    def link_columns(self) -> tuple[str, ...]:
        """Columns of the links written with the row itself (the row's own load statement)."""
        return tuple(link.column for link in self.links if link.statement is None)

    def target(self, link: Link) -> str:
        """The table whose node a link's column names."""
        column = next(c for c in self.columns if c.name == link.column)
        return str(column.target)


def _c(name: str, type: str = "text", required: bool = False, values: tuple[str, ...] = (), ref: str | None = None) -> Column:
    return Column(name, type, required, values, ref)


# In load order: every table refers only to tables above it.
TABLES: tuple[Table, ...] = (
    Table("states", "State", "code", (
        _c("code", "state_code", True), _c("name", required=True), _c("eu", "bool"), _c("schengen", "bool"),
        _c("selec", "bool"), _c("lat", "float"), _c("lon", "float")), reference=True),
    Table("offence_categories", "OffenceCategory", "code", (
        _c("code", "offence_code", True), _c("label", required=True),
        _c("group", "enum", True, OFFENCE_GROUPS)), reference=True),
    Table("mechanisms", "Mechanism", "code", (
        _c("code", required=True), _c("name", required=True), _c("legal_basis"), _c("purpose")), reference=True),
    Table("agencies", "Agency", "agency_id", (
        _c("agency_id", required=True), _c("name", required=True), _c("state", "state", True),
        _c("kind", "enum", True, AGENCY_KINDS)),
        links=(Link("state", "IN"),)),
    Table("offenders", "Offender", "offender_id", (
        _c("offender_id", required=True), _c("nationality", "state", True), _c("birth_year", "birth_year"),
        _c("sex", "enum", values=SEXES), _c("risk_level", "enum", True, RISK_LEVELS)),
        links=(Link("nationality", "NATIONAL_OF"),)),
    Table("convictions", "Conviction", "conviction_id", (
        _c("conviction_id", required=True), _c("offender_id", "ref", True, ref="offenders"),
        _c("state", "state", True), _c("offence_code", "offence", True), _c("conviction_date", "date", True),
        _c("case_id"), _c("sentence_months", "int"), _c("supervision_end", "date")),
        links=(Link("offender_id", "CONVICTED", inbound=True), Link("state", "IN"), Link("offence_code", "FOR"))),
    Table("movements", "Movement", "movement_id", (
        _c("movement_id", required=True), _c("offender_id", "ref", True, ref="offenders"),
        _c("from_state", "state", True), _c("to_state", "state", True), _c("arrival_date", "date", True),
        _c("detected_by", "ref", ref="agencies"),
        _c("source", "enum", values=MOVEMENT_SOURCES)),
        links=(Link("offender_id", "MADE", inbound=True), Link("from_state", "FROM"), Link("to_state", "TO"),
               Link("detected_by", "DETECTED_BY", statement="movement_detected_by"))),
    Table("exchanges", "Exchange", "exchange_id", (
        _c("exchange_id", required=True), _c("mechanism", "ref", True, ref="mechanisms"),
        _c("sender", "ref", True, ref="agencies"), _c("recipient", "ref", True, ref="agencies"),
        _c("offender_id", "ref", True, ref="offenders"),
        _c("kind", "enum", True, EXCHANGE_KINDS),
        _c("sent_date", "date", True), _c("received_date", "date"),
        _c("conviction_id", "ref", ref="convictions"), _c("movement_id", "ref", ref="movements")),
        links=(Link("mechanism", "VIA"), Link("sender", "SENT_BY"), Link("recipient", "SENT_TO"),
               Link("offender_id", "ABOUT"), Link("conviction_id", "CONCERNS", statement="exchange_conviction"),
               Link("movement_id", "CONCERNS", statement="exchange_movement"))),
)

TABLES_BY_NAME = {t.name: t for t in TABLES}

# Relationships the loader derives from several rows (`derive.py`), not from one column:
# (from label, type, to label).
DERIVED_LINKS = (("Movement", "NEXT", "Movement"), ("Movement", "SUPERVISION", "Conviction"))

# Nodes that users record, not data-set rows: a load or sync never writes them and keeps their links
# (`load/movements_detach`); deleting a movement (sync, erasure) takes its links with it.
# label -> key property, and their relationships (from label, type, to label).
RECORDED_LABELS = {"Case": "case_key", "WatchRule": "rule_key"}
RECORDED_LINKS = (("Case", "ON", "Movement"), ("WatchRule", "ACKNOWLEDGED", "Movement"))
