"""What a click opens: a state's profile, a corridor's arrivals, an offender's journey.

Pure builders (`state_profile`, `corridor_arrivals`) and the small Streamlit sections that show them.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from .style import STATUS_LABELS, fmt_int, fmt_pct


def state_profile(code: str, states: pd.DataFrame, hubs: pd.DataFrame | None, edges: pd.DataFrame
                  ) -> tuple[str, pd.DataFrame]:
    """A sentence about the state (memberships, movements in and out, hub rank) and its busiest corridors.

    >>> states = pd.DataFrame({"code": ["DE"], "name": ["Germany"], "eu": [True], "schengen": [True], "selec": [False]})
    >>> hubs = pd.DataFrame({"state": ["DE"], "in_movements": [5], "out_movements": [1], "betweenness": [0.2]})
    >>> edges = pd.DataFrame({"from_state": ["RO"], "to_state": ["DE"], "movements": [5], "gap_rate": [0.4]})
    >>> text, corridors = state_profile("DE", states, hubs, edges)
    >>> text
    '**Germany (DE)** — EU, Schengen. 5 arrivals and 1 departures; transit-hub rank 1 of 1 (betweenness 0.200).'
    >>> corridors.to_dict("records")
    [{'corridor': 'RO → DE', 'movements': 5, 'gap rate': '40%'}]
    """
    row = states[states["code"] == code]
    name = str(row["name"].iloc[0]) if not row.empty else code
    member = [label for col, label in (("eu", "EU"), ("schengen", "Schengen"), ("selec", "SELEC"))
              if not row.empty and col in row and bool(row[col].iloc[0])]
    text = f"**{name} ({code})** — {', '.join(member) or 'outside the EU, Schengen and SELEC'}."
    hub = hubs[hubs["state"] == code] if hubs is not None else pd.DataFrame()
    if hubs is not None and not hub.empty:
        rank = int((hubs["betweenness"] > hub["betweenness"].iloc[0]).sum()) + 1
        text += (f" {fmt_int(hub['in_movements'].iloc[0])} arrivals and {fmt_int(hub['out_movements'].iloc[0])} "
                 f"departures; transit-hub rank {rank} of {len(hubs)} (betweenness {hub['betweenness'].iloc[0]:.3f}).")
    mine = edges[(edges["from_state"] == code) | (edges["to_state"] == code)].sort_values("movements", ascending=False)
    corridors = pd.DataFrame({"corridor": [f"{a} → {b}" for a, b in zip(mine["from_state"], mine["to_state"])],
                              "movements": mine["movements"].astype(int).to_numpy(),
                              "gap rate": [fmt_pct(r) for r in mine["gap_rate"]]})
    return text, corridors.head(10).reset_index(drop=True)


def corridor_arrivals(arrivals: pd.DataFrame, from_state: str, to_state: str, date_from: str | None = None,
                      date_to: str | None = None) -> pd.DataFrame:
    """The counted arrivals along one corridor (optionally in a period), newest first, statuses in words.

    >>> a = pd.DataFrame({"movement_id": ["M1", "M2"], "offender_id": ["O1", "O2"], "from_state": ["RO", "PL"],
    ...                   "to_state": ["DE", "DE"], "arrival_date": ["2021-01-01", "2021-02-01"],
    ...                   "status": ["late", "known"], "lag_days": [40, 0]})
    >>> corridor_arrivals(a, "RO", "DE")[["movement_id", "status"]].to_dict("records")
    [{'movement_id': 'M1', 'status': 'notified late'}]
    """
    rows = arrivals[(arrivals["from_state"] == from_state) & (arrivals["to_state"] == to_state)]
    if date_from:
        rows = rows[rows["arrival_date"].astype(str) >= date_from]
    if date_to:
        rows = rows[rows["arrival_date"].astype(str) <= date_to]
    rows = rows.sort_values(["arrival_date", "movement_id"], ascending=[False, True])
    return rows.assign(status=rows["status"].map(lambda s: STATUS_LABELS.get(s, s))).reset_index(drop=True)


# --- the sections a click opens --------------------------------------------------------

def state_detail(code: str, states: pd.DataFrame, hubs: pd.DataFrame | None, edges: pd.DataFrame) -> None:
    text, corridors = state_profile(code, states, hubs, edges)
    with st.container(border=True, key="state_detail"):
        st.subheader(f"State profile: {code}")
        st.markdown(text)
        if corridors.empty:
            st.info("No movements to or from this state in the chosen period.")
        else:
            st.dataframe(corridors, hide_index=True, width="stretch")


def corridor_detail(a: str, b: str, arrivals: pd.DataFrame, edges: pd.DataFrame, names: Mapping[str, str],
                    date_from: str | None, date_to: str | None) -> None:
    rows = corridor_arrivals(arrivals, a, b, date_from, date_to)
    edge = edges[(edges["from_state"] == a) & (edges["to_state"] == b)]
    moves = int(edge["movements"].iloc[0]) if not edge.empty else 0
    with st.container(border=True, key="corridor_detail"):
        st.subheader(f"Corridor: {names.get(a, a)} → {names.get(b, b)}")
        st.markdown(f"{fmt_int(moves)} movements; {fmt_int(len(rows))} counted arrivals (offenders with a violent or "
                    "sexual conviction by the day they arrived), newest first.")
        if not rows.empty:
            st.dataframe(rows, hide_index=True, width="stretch")


def offender_detail(offender_id: str, journey: pd.DataFrame, table: pd.DataFrame,
                    mobile_members: Mapping[str, list[str]]) -> None:
    row = table[table["offender_id"] == offender_id]
    with st.container(border=True, key="offender_detail"):
        st.subheader(f"Journey of {offender_id}")
        if not row.empty:
            r = row.iloc[0]
            groups = mobile_members.get(offender_id, [])
            st.markdown(f"Community {int(r['community'])}, {int(r['degree'])} co-defendants, betweenness "
                        f"{float(r['betweenness']):.4f}" + (f"; mobile groups {', '.join(groups)}." if groups else ".")
                        + f" [Open in the Movement explorer](movement_explorer?offender={offender_id})")
        if journey.empty:
            st.info("No movements recorded for this offender.")
        else:
            st.dataframe(journey.assign(status=journey["status"].map(lambda s: STATUS_LABELS.get(s, s))),
                         hide_index=True, width="stretch")
