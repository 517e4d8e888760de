"""The data contract of SPEC §2, declared once.

Each input file is a `Table`: its graph label, key column and typed columns.
The validator checks files against these tables, the loader takes its column
lists from them, `cypher/schema.cypher` has one unique constraint per key (a
test checks that), and `docs/graph-model.md` documents them.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..vocab import AGENCY_KINDS, EXCHANGE_KINDS, MOVEMENT_SOURCES, OFFENCE_GROUPS, RISK_LEVELS, SEXES


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "text"          # text, int, float, bool, date, enum, state, offence, ref
    required: bool = False
    values: tuple[str, ...] = ()  # allowed values of an enum
    ref: str | None = None        # table whose key a ref column names


@dataclass(frozen=True)
class Table:
    name: str                 # file stem: offenders -> offenders.csv
    label: str                # node label in the graph
    key: str                  # unique id column
    columns: tuple[Column, ...]
    reference: bool = False   # may be omitted from a data set: taken from seed_data/

    @property
    def file(self) -> str:
        return f"{self.name}.csv"

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if c.required]


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
        _c("kind", "enum", True, AGENCY_KINDS))),
    Table("offenders", "Offender", "offender_id", (
        _c("offender_id", required=True), _c("nationality", "state", True), _c("birth_year", "birth_year"),
        _c("sex", "enum", values=SEXES), _c("risk_level", "enum", True, RISK_LEVELS))),
    Table("convictions", "Conviction", "conviction_id", (
        _c("conviction_id", required=True), _c("offender_id", "ref", True, ref="offenders"),
        _c("state", "state", True), _c("offence_code", "offence", True), _c("conviction_date", "date", True),
        _c("case_id"), _c("sentence_months", "int"), _c("supervision_end", "date"))),
    Table("movements", "Movement", "movement_id", (
        _c("movement_id", required=True), _c("offender_id", "ref", True, ref="offenders"),
        _c("from_state", "state", True), _c("to_state", "state", True), _c("arrival_date", "date", True),
        _c("detected_by", "ref", ref="agencies"),
        _c("source", "enum", values=MOVEMENT_SOURCES))),
    Table("exchanges", "Exchange", "exchange_id", (
        _c("exchange_id", required=True), _c("mechanism", "ref", True, ref="mechanisms"),
        _c("sender", "ref", True, ref="agencies"), _c("recipient", "ref", True, ref="agencies"),
        _c("offender_id", "ref", True, ref="offenders"),
        _c("kind", "enum", True, EXCHANGE_KINDS),
        _c("sent_date", "date", True), _c("received_date", "date"),
        _c("conviction_id", "ref", ref="convictions"), _c("movement_id", "ref", ref="movements"))),
)

TABLES_BY_NAME = {t.name: t for t in TABLES}
