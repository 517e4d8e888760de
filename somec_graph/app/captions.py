"""Sentences for supervisors: what the filters mean, what the figures say."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from .style import RISK_LABELS, fmt_int, fmt_pct


def describe_filters(*, group: str | None = None, min_risk: str | None = None, states: Sequence[str] | None = None,
                     date_from: str | None = None, date_to: str | None = None) -> dict[str, str]:
    """Plain-language pieces for captions: who, where and when."""
    who = {"violent": "a violent offence", "sexual": "a sexual offence"}.get(group or "", "a violent or sexual offence")
    risk = f" assessed {RISK_LABELS[min_risk]} risk or above" if min_risk and min_risk != "low" else ""
    where = ""
    if states:
        codes = list(states)
        where = " to or from " + (", ".join(codes[:-1]) + " or " + codes[-1] if len(codes) > 1 else codes[0])
    when = ""
    if date_from and date_to:
        when = f" between {date_from} and {date_to}"
    elif date_from:
        when = f" since {date_from}"
    elif date_to:
        when = f" up to {date_to}"
    return {"who": who, "risk": risk, "where": where, "when": when}


def overview_caption(kpis: Mapping[str, Any], window_days: int, **filters: Any) -> str:
    """One sentence a supervisor can repeat, e.g.

    >>> overview_caption({"arrivals": 1240, "gaps": 880, "gap_rate": 0.71, "unnotified_last_12_months": 3,
    ...                   "as_of": "2025-12-31"}, 30, states=["DE"])[:108]
    'Of 1,240 arrivals of offenders convicted of a violent or sexual offence to or from DE, 71% were not notified'
    """
    d = describe_filters(**filters)
    n = kpis.get("arrivals") or 0
    if not n:
        return (f"No arrivals of offenders convicted of {d['who']}{d['risk']}{d['where']}{d['when']} match these "
                "filters; widen the period, lower the risk level or clear the states.")
    return (f"Of {fmt_int(n)} arrivals of offenders convicted of {d['who']}{d['risk']}{d['where']}{d['when']}, "
            f"{fmt_pct(kpis.get('gap_rate'))} were not notified within {window_days} days "
            f"({fmt_int(kpis.get('gaps'))} notified late or never; arrivals whose {window_days}-day window is still "
            f"open are left out). Data as of {kpis.get('as_of')}.")


def worst_receiving_state(matrix: pd.DataFrame, min_arrivals: int = 20) -> dict[str, Any] | None:
    """The receiving state with the highest gap rate among those with enough arrivals, for a caption."""
    if matrix.empty:
        return None
    by = matrix.groupby("to_state")[["movements", "late", "unnotified", "pending"]].sum()
    by = by[by["movements"] >= min_arrivals]
    closed = by["movements"] - by["pending"]
    by = by[closed > 0].assign(rate=(by["late"] + by["unnotified"]) / closed)
    if by.empty:
        return None
    best = by.sort_values(["rate", "movements"], ascending=[False, False]).iloc[0]
    return {"state": best.name, "arrivals": int(best["movements"]), "never": int(best["unnotified"]),
            "rate": float(best["rate"])}


def worst_state_caption(worst: Mapping[str, Any] | None, names: Mapping[str, str], who: str) -> str:
    """'Of 1,240 arrivals ... into Germany (DE), 71% were notified late or never (880 never).'"""
    if not worst:
        return ""
    name = names.get(worst["state"], worst["state"])
    return (f"Receiving state told least often: of {fmt_int(worst['arrivals'])} arrivals of offenders convicted of "
            f"{who} into {name} ({worst['state']}), {fmt_pct(worst['rate'])} were notified late or never "
            f"({fmt_int(worst['never'])} never).")


# --- the What-if page ---------------------------------------------------------------

# What each rule (SPEC §7) would have the states do, in words for a supervisor.
RULE_WORDS = {
    "ecris-complete": "every conviction abroad were notified to the state of nationality through ECRIS within "
                      "{notice} days",
    "fd947-always": "supervision were always transferred through FD 947 within {notice} days of arrival",
    "sis-high-risk": "every high-risk offender's conviction were followed by an SIS alert to the Schengen states "
                     "within {notice} days",
    "ecris-on-arrival": "every detected arrival were checked through ECRIS (answered within {reply} days)",
}


def whatif_sentence(rules: Sequence[str], gaps_before: int, gaps_after: int, *, notice_days: int,
                    reply_days: int) -> str:
    """The what-if result in one sentence.

    >>> whatif_sentence(["ecris-on-arrival"], 200, 150, notice_days=10, reply_days=10)
    'If every detected arrival were checked through ECRIS (answered within 10 days), 50 of 200 gaps (25%) would close.'
    """
    what = " and ".join(RULE_WORDS[r].format(notice=notice_days, reply=reply_days) for r in rules)
    closed = gaps_before - gaps_after
    share = f" ({closed / gaps_before:.0%})" if gaps_before else ""
    return f"If {what}, {closed:,} of {gaps_before:,} gaps{share} would close."
