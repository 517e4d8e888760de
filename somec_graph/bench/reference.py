"""The reference a user would write instead: a plain pandas script that reads the CSV files and
recomputes a listing, run by the benchmark in a new process beside the warm CLI call.

    python -m somec_graph.bench.reference FOLDER    # prints the SPEC §4.2 gap matrix as CSV

It imports only pandas, numpy and the standard library (nothing of somec-graph's store or
analysis), so its time is what such a script costs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

from ..resources import SEED_DIR
from ..vocab import STATUSES

QUALIFYING = ("violent", "sexual")
INFORMING = ("conviction_notice", "risk_notice", "alert", "supervision_transfer", "reply")
MATRIX_COLUMNS = ["from_state", "to_state", "movements", *STATUSES, "gap_rate", "median_lag_days"]


def pandas_matrix(folder: Path, *, window_days: int = 30) -> pd.DataFrame:
    """An analyst's pandas script: the SPEC §4.2 gap matrix straight from the CSV files."""
    def read(name: str) -> pd.DataFrame:
        path = folder / f"{name}.csv"
        return pd.read_csv(path if path.exists() else SEED_DIR / f"{name}.csv", dtype=str, keep_default_na=False)

    def days(column: pd.Series) -> np.ndarray:
        parsed = pd.to_datetime(column.replace("", None), format="%Y-%m-%d")
        return ((parsed - pd.Timestamp("1970-01-01")).dt.days).to_numpy(dtype="float64")

    groups = dict(zip(read("offence_categories")["code"], read("offence_categories")["group"]))
    agency_state = dict(zip(read("agencies")["agency_id"], read("agencies")["state"]))
    conv, mov, exc = read("convictions"), read("movements"), read("exchanges")
    conv["day"] = days(conv["conviction_date"])
    conv["group"] = conv["offence_code"].str.replace(" ", "").str[:4].map(groups)
    mov["day"] = days(mov["arrival_date"])
    exc["sent"] = days(exc["sent_date"])
    exc["effective"] = np.where(exc["received_date"] != "", days(exc["received_date"]), exc["sent"])
    as_of = np.nanmax([mov["day"].max(), conv["day"].max(), exc["sent"].max(), exc["effective"].max()])
    mov = mov[mov["day"] <= as_of]

    # latest qualifying conviction on or before arrival; ties: smallest conviction_id
    q = conv[conv["group"].isin(QUALIFYING)].sort_values(["day", "conviction_id"], ascending=[True, False])
    m = pd.merge_asof(mov.sort_values("day"), q[["offender_id", "day", "conviction_id"]].rename(
        columns={"day": "lq"}), left_on="day", right_on="lq", by="offender_id", direction="backward")
    m = m[m["lq"].notna()]

    events = pd.concat([
        conv[["offender_id", "state", "day"]].rename(columns={"day": "event"}),
        exc[exc["kind"].isin(INFORMING)].assign(state=lambda e: e["recipient"].map(agency_state))
        [["offender_id", "state", "effective"]].rename(columns={"effective": "event"}),
    ])
    joined = m[["movement_id", "offender_id", "to_state", "lq"]].merge(
        events, left_on=["offender_id", "to_state"], right_on=["offender_id", "state"])
    joined = joined[(joined["event"] >= joined["lq"]) & (joined["event"] <= as_of)]
    aware = joined.groupby("movement_id")["event"].min()
    m["aware"] = m["movement_id"].map(aware)
    d, a = m["day"], m["aware"]
    m["status"] = np.select(
        [a <= d, a <= d + window_days, a.notna(), d + window_days <= as_of],
        ["known", "notified", "late", "unnotified"], "pending")
    m["lag"] = np.where(m["status"].isin(["notified", "late"]), a - d, np.nan)
    out = m.pivot_table(index=["from_state", "to_state"], columns="status", values="movement_id",
                        aggfunc="count", fill_value=0).reindex(columns=list(STATUSES), fill_value=0)
    out.insert(0, "movements", out.sum(axis=1))
    out["gap_rate"] = (out["late"] + out["unnotified"]) / (out["movements"] - out["pending"]).replace(0, np.nan)
    out["median_lag_days"] = m.groupby(["from_state", "to_state"])["lag"].median()
    return out.reset_index()[MATRIX_COLUMNS]


if __name__ == "__main__":
    sys.stdout.write(pandas_matrix(Path(sys.argv[1])).to_csv(index=False))
