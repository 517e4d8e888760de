"""Watch rules on the dashboard (SPEC §10): the signed-in user's rules on the Work queue page, with
their new rows marked and acknowledged in one click, and the total new in the sidebar. The same
library functions as `somec-graph watch` and `alerts`; rules are added there."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..errors import SomecGraphError
from ..workqueue.watch import WatchRule, rules
from . import style
from .consistency import cached
from .session import data_state, get_store

NEW_COLUMN = "new for"


def _signature(found: list[WatchRule]) -> tuple:
    """What the alerts depend on besides the data version: the rules and how much each acknowledged."""
    return tuple((r.key, r.state, r.min_risk, r.statuses, r.window_days, r.acknowledged) for r in found)


@cached(st.cache_data(show_spinner=False, max_entries=64))
def _new_ids(data_key: str, signature: tuple) -> dict[str, list[str]]:
    """The new movement ids of each rule of this user (keyed by the data version and the rules)."""
    from ..workqueue import alerts

    found = alerts.alerts(get_store())
    return {name: rows["movement_id"].tolist() for name, rows in found.groupby("rule", sort=True)}


def my_rules() -> list[WatchRule]:
    """The signed-in user's rules; none for a supervisor."""
    store = get_store()
    return rules(store) if store.user.may_see_offenders else []


def new_rows() -> tuple[list[WatchRule], dict[str, list[str]]]:
    """The user's rules and, per rule name, its new movement ids."""
    found = my_rules()
    if not found:
        return [], {}
    return found, _new_ids(data_state().key, _signature(found))


def sidebar_total() -> None:
    """The total of new rows over the user's rules, in the sidebar (nothing without rules or data)."""
    try:
        state = data_state()
        if state.empty or not get_store().user.may_see_offenders:
            return
        found, new = new_rows()
    except SomecGraphError as exc:  # a rule outside the user's states, say: said, never a stop of the page
        st.sidebar.caption(f"Alerts: {exc}")
        return
    if found:
        total = sum(len(ids) for ids in new.values())
        st.sidebar.metric("New for your watch rules", style.fmt_int(total),
                          help="Work-queue rows none of your rules has acknowledged yet (Work queue page).")


def _describe(rule: WatchRule) -> str:
    return (f"{rule.state}, {style.RISK_LABELS[rule.min_risk]} risk or higher, "
            f"{' or '.join(rule.statuses)}, {rule.window_days}-day window")


def rules_panel() -> dict[str, list[str]]:
    """Per rule: how many rows are new, and a button that acknowledges them; returns the new ids per rule."""
    found, new = new_rows()
    if not found:
        return {}
    st.subheader("Your watch rules")
    st.caption("Rows new since each rule was last acknowledged are marked in the queue below (column "
               f"“{NEW_COLUMN}”) when they are in the state shown. Add rules with `somec-graph watch add`.")
    for rule in found:
        count = len(new.get(rule.name, []))
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.markdown(f"**{rule.name}** ({_describe(rule)}): **{style.fmt_int(count)}** new")
        right.button(f"Acknowledge {count}", key=f"ack_{rule.name}", disabled=not count,
                     on_click=_acknowledge, args=(rule.name, new.get(rule.name, [])), width="stretch")
    return new


def _acknowledge(name: str, shown: list[str]) -> None:
    """Acknowledge the rows the panel counted, not whatever a load brought since it was drawn."""
    from ..workqueue import alerts

    try:
        done = alerts.acknowledge(get_store(), name, seen=shown)  # audited by the library, offenders as keyed hashes
    except SomecGraphError as exc:
        st.session_state["queue_flash"] = f"Nothing acknowledged: {exc}"
        return
    st.session_state["queue_flash"] = f"Acknowledged {len(done)} row(s) for rule {name}."


def marked(view: pd.DataFrame, new: dict[str, list[str]]) -> pd.DataFrame:
    """The queue rows with a first column naming the rules each row is new for ('' for none).

    >>> marked(pd.DataFrame({"movement_id": ["M1", "M2"]}), {"a": ["M2"], "b": ["M2"]})[NEW_COLUMN].tolist()
    ['', 'a, b']
    """
    sets = {rule: set(ids) for rule, ids in sorted(new.items())}
    shown = view.copy()
    shown.insert(0, NEW_COLUMN, [", ".join(r for r, ids in sets.items() if m in ids) for m in view["movement_id"]])
    return shown
