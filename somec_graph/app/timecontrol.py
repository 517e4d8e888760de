"""The period control of the linked views: a slider over months or quarters with step and play buttons.

The period lives in session state under `<prefix>_period`; buttons change it in their callbacks
(before the slider is drawn), and playing moves it one step per run until the last period.
"""

from __future__ import annotations

import time

import streamlit as st

from .periods import ALL, STEPS, Period, periods

PLAY_SECONDS = 1.2  # how long each period stays on screen while playing


def _move(prefix: str, labels: list[str], by: int) -> None:
    key = f"{prefix}_period"
    current = st.session_state.get(key, ALL)
    i = labels.index(current) if current in labels else 0
    if current == ALL:
        i = 1 if by > 0 else len(labels) - 1
    else:
        i = min(max(i + by, 1), len(labels) - 1)
    st.session_state[key] = labels[i]


def _toggle_play(prefix: str, labels: list[str]) -> None:
    playing = not st.session_state.get(f"{prefix}_playing", False)
    st.session_state[f"{prefix}_playing"] = playing
    if playing and st.session_state.get(f"{prefix}_period", ALL) in (ALL, labels[-1]):
        st.session_state[f"{prefix}_period"] = labels[1]  # start from the beginning


def period_control(prefix: str, first: str, last: str) -> Period | None:
    """Step (month/quarter), previous/play/next buttons and a period slider; the chosen period or
    None for the whole span. Call `keep_playing(prefix)` at the end of the page."""
    c0, c1, c2, c3, c4 = st.columns([1.4, 1, 1, 1, 6], vertical_alignment="bottom")
    step = c0.radio("Step", STEPS, horizontal=True, key=f"{prefix}_step", format_func=lambda s: f"by {s}")
    found = periods(first, last, step)
    labels = [ALL, *(p.label for p in found)]
    key = f"{prefix}_period"
    pending = st.session_state.pop(f"{prefix}_pending", None)
    if pending is not None:
        st.session_state[key] = pending
    if st.session_state.get(key) not in labels:
        st.session_state[key] = ALL
    playing = bool(st.session_state.get(f"{prefix}_playing"))
    c1.button("Previous", key=f"{prefix}_prev", icon=":material/skip_previous:", on_click=_move,
              args=(prefix, labels, -1), help="Show the previous period", width="stretch")
    c2.button("Pause" if playing else "Play", key=f"{prefix}_play",
              icon=":material/pause:" if playing else ":material/play_arrow:", on_click=_toggle_play,
              args=(prefix, labels), help="Step through every period", width="stretch")
    c3.button("Next", key=f"{prefix}_next", icon=":material/skip_next:", on_click=_move,
              args=(prefix, labels, 1), help="Show the next period", width="stretch")
    c4.select_slider("Period", labels, key=key, format_func=lambda v: "whole period" if v == ALL else v,
                     help="Every linked view below shows only this month or quarter; 'whole period' for all.")
    st.session_state[f"{prefix}_labels"] = labels
    chosen = st.session_state[key]
    return next((p for p in found if p.label == chosen), None)


def keep_playing(prefix: str) -> None:
    """While playing: wait, then move to the next period and run the page again (stop at the end)."""
    if not st.session_state.get(f"{prefix}_playing"):
        return
    labels = st.session_state.get(f"{prefix}_labels") or [ALL]
    current = st.session_state.get(f"{prefix}_period", ALL)
    i = labels.index(current) if current in labels else 0
    if i + 1 >= len(labels):
        st.session_state[f"{prefix}_playing"] = False
        return
    time.sleep(PLAY_SECONDS)
    st.session_state[f"{prefix}_pending"] = labels[i + 1]  # the slider is drawn already in this run
    st.rerun()
