"""Benchmark: speed and memory at three sizes, side by side with the alternatives.

    python -m somec_graph.bench [--sizes S,M,L] [--out bench-results]

For each size (S = 2,000, M = 20,000, L = 100,000 offenders, or any number)
and each store (`--stores embedded,neo4j`: the embedded default and a real
Neo4j 5 — the one at SOMEC_NEO4J_URI, which must be empty, or a fresh one
started with tools/neo4j/server) it generates a synthetic data set, loads it
into a fresh store and measures load time, rows/s, peak memory
of the server and the CLI, and each analysis both as a warm CLI call and as an
in-process function call. In the same run it measures what a user would pick
instead: (a) a straightforward loader sending one MERGE per row through the
same driver (on the smallest size), (b) an analyst's pandas script computing
the same gap matrix from the CSV files, (c) one DuckDB SQL statement over the same files
(`pip install -e .[bench]`) — both of whose answers must equal ours.
Prints one table with a column per store side by side (and their ratio) and
writes it as CSV and a Markdown summary.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd

from ..analysis import gaps, networks, paths
from ..analysis.whatif import RULES
from ..config import load_settings
from ..ingest.contract import TABLES
from ..ingest.load import Lookups, _props
from ..ingest.validate import validate
from ..output import render
from ..resources import SEED_DIR
from ..store import Store, embedded, open_store
from ..synth import generate
from .reference import pandas_matrix

SIZES = {"S": 2_000, "M": 20_000, "L": 100_000}


NEO4J_TOOL = Path(__file__).resolve().parents[2] / "tools" / "neo4j" / "server"  # a source checkout's


@dataclass
class Figure:
    store: str
    size: str
    metric: str
    value: float
    unit: str
    target: str = ""
    ratio: str = ""


def _timed(fn: Callable[[], Any], repeat: int = 1) -> tuple[float, Any]:
    """Median wall seconds of `repeat` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def _cli(args: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one `somec-graph` call."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "somec_graph.cli", *args], stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        assert proc.stderr is not None  # stderr=PIPE
        raise RuntimeError(f"somec-graph {' '.join(args)} failed: {proc.stderr.read().decode()[-500:]}")
    return wall, usage.ru_maxrss


def _peak_rss_mb(pid: int) -> float | None:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


@dataclass
class BenchStore:
    """A fresh, empty store of one kind for one size: the environment that selects it, and its server's pid."""
    kind: str
    env: dict[str, str]
    pid: Callable[[], int | None]


@contextmanager
def fresh_store(kind: str, work: Path, offenders: int) -> Iterator[BenchStore]:
    data_dir = work / f"store-{kind}-{offenders}"
    shutil.rmtree(data_dir, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("SOMEC_NEO4J_")}
    env["SOMEC_DATA_DIR"] = str(data_dir)
    if kind == "embedded":
        settings = load_settings(env)
        try:
            yield BenchStore(kind, env, lambda: (embedded.read_state(data_dir) or {}).get("java_pid"))
        finally:
            embedded.stop(settings)
        return
    if os.environ.get("SOMEC_NEO4J_URI"):
        env.update({k: v for k, v in os.environ.items() if k.startswith("SOMEC_NEO4J_")})
        with open_store(load_settings(env)) as store:
            if store.run_text("MATCH (n) RETURN count(n) AS n")[0]["n"]:
                raise SystemExit("The database at SOMEC_NEO4J_URI is not empty; the benchmark needs an empty one.")
        yield BenchStore(kind, env, lambda: None)
        return
    if not NEO4J_TOOL.is_file():
        raise SystemExit("The neo4j column needs SOMEC_NEO4J_URI (an empty database) or a source checkout "
                         "with tools/neo4j/server.")
    home, password = work / f"neo4j-{offenders}", secrets.token_urlsafe(12)
    shutil.rmtree(home, ignore_errors=True)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    started = subprocess.run([str(NEO4J_TOOL), "start", "--data", str(home), "--port", str(port),
                              "--password", password], capture_output=True, text=True)
    if started.returncode:
        raise SystemExit(started.stderr.strip())
    env.update(SOMEC_NEO4J_URI=started.stdout.strip().splitlines()[-1], SOMEC_NEO4J_USER="neo4j",
               SOMEC_NEO4J_PASSWORD=password, SOMEC_NEO4J_DATABASE="neo4j")
    try:
        yield BenchStore(kind, env, lambda: int((home / "run" / "neo4j.pid").read_text()))
    finally:
        subprocess.run([str(NEO4J_TOOL), "stop", "--data", str(home)], capture_output=True)


def changed_copy(folder: Path, dest: Path, share: float = 0.01) -> Path:
    """`folder` copied to `dest` with `share` of the rows of every data file changed in one
    non-key column (risk level, sentence, source, kind): the incremental load the benchmark times."""
    import csv

    from ..vocab import EXCHANGE_KINDS, MOVEMENT_SOURCES, RISK_LEVELS

    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(folder, dest)
    edits = {"offenders": ("risk_level", RISK_LEVELS), "convictions": ("sentence_months", ("7", "11")),
             "movements": ("source", MOVEMENT_SOURCES), "exchanges": ("kind", EXCHANGE_KINDS)}
    step = round(1 / share)
    for name, (column, values) in edits.items():
        with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        for row in rows[::step]:
            row[column] = next(v for v in values if v != row[column])
        with (dest / f"{name}.csv").open("w", encoding="utf-8", newline="") as fh:
            out = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
            out.writeheader()
            out.writerows(rows)
    return dest


# --- the alternatives -------------------------------------------------------

def naive_load(store: Store, folder: Path) -> int:
    """One MERGE statement per row, through the same driver: what a first script does."""
    ds = validate(folder)
    lookups = Lookups.of(ds)
    rows = 0
    for table in TABLES:
        links = table.link_columns
        for r in ds.rows.get(table.name, []):
            row = {"key": r[table.key], "props": _props(table, r, lookups), **{c: r[c] for c in links}}
            store.run(f"load/{table.name}", {"rows": [row]}, write=True)
            rows += 1
    return rows


DUCKDB_MATRIX = """
WITH
cat AS (SELECT code, "group" AS grp FROM read_csv($categories, all_varchar = true)),
agency AS (SELECT agency_id, state FROM read_csv($agencies, all_varchar = true)),
conv AS (SELECT c.offender_id, c.state, c.conviction_date::DATE - DATE '1970-01-01' AS day, cat.grp
         FROM read_csv($convictions, all_varchar = true) c
         LEFT JOIN cat ON cat.code = left(replace(c.offence_code, ' ', ''), 4)),
mov_all AS (SELECT movement_id, offender_id, from_state, to_state, arrival_date::DATE - DATE '1970-01-01' AS day
            FROM read_csv($movements, all_varchar = true)),
exc AS (SELECT offender_id, kind, recipient, sent_date::DATE - DATE '1970-01-01' AS sent,
               coalesce(nullif(received_date, ''), sent_date)::DATE - DATE '1970-01-01' AS effective
        FROM read_csv($exchanges, all_varchar = true)),
as_of AS (SELECT greatest((SELECT max(day) FROM mov_all), (SELECT max(day) FROM conv),
                          (SELECT max(sent) FROM exc), (SELECT max(effective) FROM exc)) AS day),
mov AS (SELECT * FROM mov_all WHERE day <= (SELECT day FROM as_of)),
-- the latest qualifying conviction on or before arrival (SPEC 4.1 lq)
lq AS (SELECT m.*, max(c.day) AS lq FROM mov m
       JOIN conv c ON c.offender_id = m.offender_id AND c.grp IN ('violent', 'sexual') AND c.day <= m.day
       GROUP BY ALL),
events AS (SELECT offender_id, state, day AS event FROM conv
           UNION ALL
           SELECT e.offender_id, a.state, e.effective FROM exc e JOIN agency a ON a.agency_id = e.recipient
           WHERE e.kind IN ('conviction_notice', 'risk_notice', 'alert', 'supervision_transfer', 'reply')),
aware AS (SELECT lq.*, (SELECT min(ev.event) FROM events ev
                        WHERE ev.offender_id = lq.offender_id AND ev.state = lq.to_state AND ev.event >= lq.lq
                          AND ev.event <= (SELECT day FROM as_of)) AS aware
          FROM lq),
classified AS (SELECT from_state, to_state, aware - day AS lag,
                      CASE WHEN aware <= day THEN 'known' WHEN aware <= day + $window THEN 'notified'
                           WHEN aware IS NOT NULL THEN 'late'
                           WHEN day + $window <= (SELECT day FROM as_of) THEN 'unnotified' ELSE 'pending' END AS status
               FROM aware)
SELECT from_state, to_state, count(*) AS movements,
       count(*) FILTER (status = 'known') AS known, count(*) FILTER (status = 'notified') AS notified,
       count(*) FILTER (status = 'late') AS late, count(*) FILTER (status = 'unnotified') AS unnotified,
       count(*) FILTER (status = 'pending') AS pending,
       (count(*) FILTER (status IN ('late', 'unnotified')))
           / nullif(count(*) - count(*) FILTER (status = 'pending'), 0) AS gap_rate,
       median(lag) FILTER (status IN ('notified', 'late')) AS median_lag_days
FROM classified GROUP BY from_state, to_state ORDER BY from_state, to_state
"""


def duckdb_matrix(folder: Path, *, window_days: int = 30) -> pd.DataFrame:
    """The SPEC §4.2 gap matrix as one DuckDB SQL statement over the CSV files: the analytical-engine reference.

    Needs the optional `duckdb` package (`pip install -e .[bench]`).
    """
    import duckdb  # optional: only the benchmark and its test use it

    def path(name: str) -> str:
        own = folder / f"{name}.csv"
        return str(own if own.exists() else SEED_DIR / f"{name}.csv")

    params = {name: path(name) for name in ("offence_categories", "agencies", "convictions", "movements", "exchanges")}
    params["categories"] = params.pop("offence_categories")
    with duckdb.connect() as con:
        frame = con.execute(DUCKDB_MATRIX, {**params, "window": window_days}).df()
    return frame[gaps.MATRIX_COLUMNS]


# --- the run ----------------------------------------------------------------

def bench_size(label: str, offenders: int, work: Path, naive: bool, bench: BenchStore) -> list[Figure]:
    figures: list[Figure] = []

    def add(metric: str, value: float, unit: str, target: str = "", ratio: str = "") -> None:
        figures.append(Figure(bench.kind, label, metric, round(value, 3), unit, target, ratio))
        print(f"  {bench.kind:<8} {label:>6}  {metric:<38} {value:>10.3f} {unit:<6} {target:<10} {ratio}", flush=True)

    folder = work / f"data-{offenders}"
    env = bench.env
    settings = load_settings(env)
    seconds, counts = _timed(lambda: generate(folder, offenders, seed=7))
    rows = sum(counts.values())
    add("synth generate", seconds, "s")
    if settings.embedded:
        _cli(["db", "start"], env)
    load_s, cli_rss = _cli(["load", str(folder)], env)
    add("load wall", load_s, "s", {"M": "<= 60", "L": "<= 300"}.get(label, ""))
    add("load rows/s", rows / load_s, "rows/s")
    add("load CLI peak RSS", cli_rss / 1024, "MB")
    add("first load (bulk path)", load_s, "s", {"M": "<= 10", "L": "<= 60"}.get(label, ""))

    store = open_store(settings)
    ids = [r["offender_id"] for r in store.run("derive/all_offenders")]
    sample = random.Random(1).sample(ids, min(20, len(ids)))
    functions: list[tuple[str, Callable[[], Any]]] = [
        ("gaps matrix", lambda: gaps.matrix(store)),
        ("gaps arrivals", lambda: gaps.arrivals(store)),
        ("corridors --hops 3", lambda: paths.corridors(store, hops=3)),
        ("network states", lambda: networks.state_flow_table(networks.state_flow(store))),
        ("network offenders (communities)", lambda: networks.co_offender_table(networks.co_offenders(store))),
    ]
    ours = None
    for name, fn in functions:
        _timed(fn, repeat=3)  # warm-up: the server's JIT compiles a query's path on its first runs
        seconds, result = _timed(fn, repeat=3)
        if name == "gaps matrix":
            ours, ours_s = result, seconds
        add(f"{name} in-process", seconds, "s")
    journeys = [_timed(partial(paths.journey, store, oid))[0] for oid in sample]
    add("journey in-process (median of 20)", statistics.median(journeys), "s")

    cli_checks: list[tuple[str, list[str], str]] = [
        ("gaps matrix", ["gaps", "matrix", "--format", "csv"], {"M": "<= 2", "L": "<= 5"}.get(label, "")),
        ("gaps arrivals", ["gaps", "arrivals", "--format", "csv"], ""),
        ("corridors --hops 3", ["corridors", "--hops", "3", "--format", "csv"], ""),
        ("network states", ["network", "states", "--format", "csv"], ""),
        ("network offenders (communities)", ["network", "offenders", "--format", "csv"], ""),
        ("gaps matrix --whatif (all rules)", ["gaps", "matrix", "--whatif", ",".join(RULES), "--format", "csv"],
         {"M": "<= 3"}.get(label, "")),
        ("whatif", ["whatif", "--format", "csv"], {"M": "<= 10"}.get(label, "")),
    ]
    startup = [_timed(lambda: subprocess.run([sys.executable, "-c", "import somec_graph.cli"], check=True))[0]
               for _ in range(3)]
    add("CLI start-up (Python imports)", statistics.median(startup), "s")
    for name, args, target in cli_checks:
        _cli(args, env)  # warm-up
        walls = [_cli(args, env)[0] for _ in range(3)]
        add(f"{name} CLI warm", statistics.median(walls), "s", target)
        if name == "gaps matrix":
            matrix_cli_s = statistics.median(walls)
    journey_walls = [_cli(["journey", oid, "--format", "csv"], env)[0] for oid in sample]
    add("journey CLI (median of 20)", statistics.median(journey_walls), "s", "<= 0.5" if label == "M" else "")

    script_s = statistics.median(_timed(lambda: subprocess.run(
        [sys.executable, "-m", "somec_graph.bench.reference", str(folder)], check=True, stdout=subprocess.DEVNULL))[0]
        for _ in range(3))
    add("pandas script gap matrix (new process)", script_s, "s", "CLI <= half",
        f"CLI warm / script {matrix_cli_s / script_s:.2f}")
    pandas_s, theirs = _timed(lambda: pandas_matrix(folder), repeat=1)
    same = render(theirs, "csv") == render(ours, "csv")
    add("pandas script gap matrix", pandas_s, "s", "", f"ours {pandas_s / ours_s:.1f}x faster; same answer: {same}")
    if not same:
        print("  WARNING: the pandas script and somec-graph disagree on the gap matrix", flush=True)
    try:
        duck_s, duck = _timed(lambda: duckdb_matrix(folder), repeat=3)
    except ImportError:
        print("  (no duckdb: pip install -e .[bench] for the DuckDB column)", flush=True)
    else:
        same = render(duck, "csv") == render(ours, "csv")
        add("DuckDB SQL gap matrix", duck_s, "s", "ours <= 2x at M",
            f"ours {ours_s / duck_s:.1f}x its time; same answer: {same}")
        if not same:
            print("  WARNING: the DuckDB script and somec-graph disagree on the gap matrix", flush=True)

    pid = bench.pid()
    server_mb = _peak_rss_mb(pid) if pid else None
    if server_mb is not None:
        add("server peak RSS", server_mb, "MB", "<= 1536" if label == "M" else "")

    # Last: the 1% changed rows make the graph differ from the folder the comparisons above read.
    reload_s, _ = _cli(["load", str(folder)], env)
    add("reload unchanged / first load", 100 * reload_s / load_s, "%", "<= 30", f"{reload_s:.1f} s")
    changed = changed_copy(folder, work / f"data-{offenders}-1pct")
    incremental_s, _ = _cli(["load", str(changed)], env)
    add("1% changed rows load / first load", 100 * incremental_s / load_s, "%", "<= 10", f"{incremental_s:.1f} s")
    if naive:
        store.run_text("MATCH (n) DETACH DELETE n", write=True)
        seconds, naive_rows = _timed(lambda: naive_load(store, folder))
        ratio = (rows / load_s) / (naive_rows / seconds)
        add("one-MERGE-per-row loader rows/s", naive_rows / seconds, "rows/s", ">= 20x",
            f"ours {ratio:.1f}x faster")
    store.close()
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m somec_graph.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="S,M,L", help="Comma-separated S, M, L or offender counts.")
    parser.add_argument("--out", type=Path, default=Path("bench-results"),
                        help="Folder for bench.csv and bench.md (default: bench-results).")
    parser.add_argument("--work", type=Path, default=None, help="Folder for data sets and stores (default: OUT/work).")
    parser.add_argument("--stores", default="embedded", help="Comma-separated: embedded, neo4j (side by side).")
    args = parser.parse_args(argv)
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    if not stores or set(stores) - {"embedded", "neo4j"}:
        parser.error("--stores takes embedded, neo4j or both (comma-separated)")
    labels = [s.strip() for s in args.sizes.split(",") if s.strip()]
    # Resolved here: the embedded server runs in its own data dir and must be handed absolute paths.
    args.out = args.out.resolve()
    work = (args.work or args.out / "work").resolve()
    work.mkdir(parents=True, exist_ok=True)
    memory_gib = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**30
    machine = f"{platform.machine()}, {os.cpu_count()} cores, {memory_gib:.0f} GiB, Python {platform.python_version()}"
    print(f"somec-graph benchmark on {machine}", flush=True)
    figures: list[Figure] = []
    for i, label in enumerate(labels):
        offenders = SIZES.get(label.upper()) or int(label)
        for kind in stores:
            with fresh_store(kind, work, offenders) as bench:
                figures += bench_size(label.upper() if label.upper() in SIZES else label, offenders, work,
                                      naive=i == 0, bench=bench)
    table = side_by_side(pd.DataFrame([f.__dict__ for f in figures]), stores)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.csv").write_text(render(table, "csv"))
    (args.out / "bench.md").write_text(
        f"Benchmark of {time.strftime('%Y-%m-%d')} on {machine}\n\n" + _markdown(table))
    print("\n" + render(table, "table"))
    print(f"Written: {args.out / 'bench.csv'}, {args.out / 'bench.md'}")
    return 0


def side_by_side(long: pd.DataFrame, stores: list[str]) -> pd.DataFrame:
    """One row per (size, metric): each store's value and ratio in its own columns, then neo4j / embedded.

    >>> long = pd.DataFrame({"store": ["embedded", "neo4j"], "size": ["S", "S"], "metric": ["load wall"] * 2,
    ...                      "value": [2.0, 3.0], "unit": ["s", "s"], "target": ["", ""], "ratio": ["", ""]})
    >>> side_by_side(long, ["embedded", "neo4j"]).astype(str).iloc[0].tolist()
    ['S', 'load wall', 's', '', '2.0', '', '3.0', '', '1.5']
    """
    keys = ["size", "metric", "unit", "target"]
    out = long[keys].drop_duplicates().reset_index(drop=True)
    for kind in stores:
        part = long[long["store"] == kind][[*keys, "value", "ratio"]]
        out = out.merge(part.rename(columns={"value": kind, "ratio": f"{kind} ratio"}), on=keys, how="left")
    if len(stores) == 2:
        out["neo4j / embedded"] = (out["neo4j"] / out["embedded"]).round(2)
    return out


def _markdown(table: pd.DataFrame) -> str:
    lines = ["| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join(lines) + "\n"

