"""The domain's words, defined once: risk levels, offence groups, gap statuses,
exchange kinds, state codes, and the one rule that keeps a text cell from
running as a spreadsheet formula. Every layer (contract, analysis, CLI,
dashboard) takes its terms from here.
"""

from __future__ import annotations

import re
from typing import Any

RISK_LEVELS = ("low", "medium", "high", "very_high")
OFFENCE_GROUPS = ("violent", "sexual", "other")
QUALIFYING_GROUPS = ("violent", "sexual")  # SPEC §4: a qualifying offence
AGENCY_KINDS = ("police", "probation", "criminal_records", "prosecution", "court", "prison", "border",
                "international")
SEXES = ("F", "M", "X")
MOVEMENT_SOURCES = ("border_check", "registration", "police_check", "self_report", "intelligence", "social_media")
EXCHANGE_KINDS = ("conviction_notice", "risk_notice", "alert", "supervision_transfer", "request", "reply")
INFORMING_KINDS = frozenset(EXCHANGE_KINDS) - {"request"}  # a request informs nobody (SPEC §4.1)

STATUSES = ("known", "notified", "late", "unnotified", "pending")
GAP_STATUSES = ("late", "unnotified")

# The EU's own country codes, accepted on input and stored as ISO 3166-1.
STATE_ALIASES = {"UK": "GB", "EL": "GR"}
_STATE_CODE = re.compile(r"[A-Z]{2}", re.ASCII)

# Leading characters that make a spreadsheet run a cell as a formula (or shift it into one).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def risk_rank(level: str) -> int:
    """1 for `low` up to 4 for `very_high`: how the graph compares risk levels.

    >>> risk_rank("low"), risk_rank("very_high")
    (1, 4)
    """
    return RISK_LEVELS.index(level) + 1


def state_code(raw: str) -> str:
    """A state code as stored: trimmed, upper-cased (ASCII only: "ﬁ".upper() is "FI"), UK/EL as GB/GR.

    >>> state_code(" uk"), state_code("de"), state_code("EL")
    ('GB', 'DE', 'GR')
    """
    code = raw.strip()
    code = code.upper() if code.isascii() else code
    return STATE_ALIASES.get(code, code)


def is_state_code(code: str) -> bool:
    """True for two ASCII capitals, the shape of an ISO 3166-1 alpha-2 code.

    >>> is_state_code("DE"), is_state_code("DEU"), is_state_code("de")
    (True, False, False)
    """
    return bool(_STATE_CODE.fullmatch(code))


def formula_safe(value: Any) -> Any:
    """Text a spreadsheet would run as a formula, prefixed with an apostrophe; anything else unchanged.

    >>> formula_safe("=HYPERLINK(1)"), formula_safe("-5"), formula_safe(-5), formula_safe("DE")
    ("'=HYPERLINK(1)", "'-5", -5, 'DE')
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value
