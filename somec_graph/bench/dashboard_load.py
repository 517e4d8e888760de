"""Load test of the dashboard: browser-like sessions over Streamlit's websocket on
loopback read Overview, Work queue and Networks, first on quiet data, then while a sync runs;
prints p50/p95 page time of both phases, how many pages showed an error or waited, and how many
showed figures (a page's metrics) that are neither those before the sync nor those after it.

    SOMEC_DATA_DIR=/tmp/load-data python -m somec_graph.bench.dashboard_load --offenders 2000

Bounded: `--sessions` (at most 50) sessions, each phase at most `--seconds`. It loads synthetic
data into SOMEC_DATA_DIR's store (use a data folder of its own) and starts the dashboard itself.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import websockets
from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

PAGES = ("", "work_queue", "networks")  # Overview is the root page
MAX_SESSIONS = 50
WAITING = "The data is being changed"


@dataclass
class Phase:
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    waited: int = 0
    figures: list[tuple[str, tuple[tuple[str, str], ...]]] = field(default_factory=list)  # (page, its metrics)

    def seen(self) -> dict[str, set[tuple[tuple[str, str], ...]]]:
        """The distinct figures each page showed (pages that waited for the write show none)."""
        found: dict[str, set[tuple[tuple[str, str], ...]]] = {}
        for page, shown in self.figures:
            found.setdefault(page, set()).add(shown)
        return found

    def line(self, name: str) -> str:
        if not self.times:
            return f"{name}: no page finished"
        q = statistics.quantiles(self.times, n=20) if len(self.times) > 1 else [self.times[0]] * 19
        return (f"{name}: {len(self.times)} pages, p50 {statistics.median(self.times):.2f} s, p95 {q[18]:.2f} s, "
                f"{len(self.errors)} with an error, {self.waited} waited for the write")


async def page_run(ws: websockets.ClientConnection, page: str, phase: Phase) -> None:
    back = BackMsg()
    back.rerun_script.query_string = ""
    back.rerun_script.page_name = page
    started = time.monotonic()
    await ws.send(back.SerializeToString())
    waited = False
    metrics: list[tuple[str, str]] = []
    while True:
        msg = ForwardMsg()
        msg.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=600))
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            which = element.WhichOneof("type")
            if which == "exception" or (which == "alert" and element.alert.format == Alert.ERROR):
                phase.errors.append(f"{page or 'overview'}: {element.alert.body if which == 'alert' else 'exception'}")
            if which == "alert" and WAITING in element.alert.body:
                waited = True
            if which == "metric":
                metrics.append((element.metric.label, element.metric.body))
        elif kind == "page_not_found":
            phase.errors.append(f"{page}: page not found")
        elif kind == "script_finished":
            if msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                break
            metrics.clear()  # the page reran (e.g. after waiting for a write): only its last run is what it shows
    phase.times.append(time.monotonic() - started)
    phase.waited += waited
    if not waited:
        phase.figures.append((page or "overview", tuple(metrics)))


async def session(url: str, phase: Phase, until: float, once: bool) -> None:
    async with websockets.connect(url, subprotocols=[websockets.Subprotocol("streamlit")], max_size=None) as ws:
        while True:
            for page in PAGES:
                await page_run(ws, page, phase)
            if once or time.monotonic() > until:
                return


async def run_phase(url: str, sessions: int, seconds: float, writer: subprocess.Popen | None) -> Phase:
    phase = Phase()
    until = time.monotonic() + seconds
    tasks = [asyncio.create_task(session(url, phase, until, once=writer is None)) for _ in range(sessions)]
    if writer is not None:
        while writer.poll() is None and time.monotonic() < until:
            await asyncio.sleep(0.5)
        until = time.monotonic()  # sessions finish their round once the write has ended
    await asyncio.gather(*tasks)
    return phase


def mixed_line(quiet: Phase, during: Phase, after: Phase) -> str:
    """How many pages read during the sync showed figures other than those before it or after it."""
    before, later = quiet.seen(), after.seen()
    mixed = [page for page, shown in during.figures
             if shown not in before.get(page, set()) | later.get(page, set())]
    unsteady = sorted(page for page, shown in before.items() if len(shown) > 1)
    return (f"figures during the sync: {len(during.figures)} pages drew them, {len(mixed)} neither before nor after"
            + (f" ({', '.join(sorted(set(mixed)))})" if mixed else "")
            + (f"; quiet figures differed between sessions on {', '.join(unsteady)}" if unsteady else ""))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "somec_graph.cli", *args]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m somec_graph.bench.dashboard_load",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--offenders", type=int, default=20_000, help="offenders of the synthetic data (M: 20,000)")
    parser.add_argument("--sessions", type=int, default=20, help=f"browser-like sessions (at most {MAX_SESSIONS})")
    parser.add_argument("--seconds", type=float, default=900, help="longest time of a phase")
    args = parser.parse_args()
    sessions = min(args.sessions, MAX_SESSIONS)
    if not os.environ.get("SOMEC_DATA_DIR"):
        sys.exit("Set SOMEC_DATA_DIR to a data folder of its own: the load test replaces the data in it.")
    from ..config import load_settings
    from ..ingest.load import load_dataset
    from ..ingest.validate import validate
    from ..store import open_store
    from ..synth import generate

    with tempfile.TemporaryDirectory() as tmp:
        a, b = Path(tmp) / "a", Path(tmp) / "b"
        generate(a, args.offenders, seed=1)
        generate(b, args.offenders, seed=2)
        with open_store(load_settings()) as store:
            store.run_text("MATCH (n) DETACH DELETE n", write=True)
            load_dataset(store, validate(a))
        port = _free_port()
        app = subprocess.Popen(_cli("app", "--port", str(port)), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        sys.exit("The dashboard did not start within 120 s.")
                    time.sleep(0.5)
            url = f"ws://127.0.0.1:{port}/_stcore/stream"
            asyncio.run(run_phase(url, 1, args.seconds, None))  # warm the caches once, as a first visitor would
            quiet = asyncio.run(run_phase(url, sessions, args.seconds, None))
            sync = subprocess.Popen(_cli("load", str(b), "--sync"), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                    text=True)
            during = asyncio.run(run_phase(url, sessions, args.seconds, sync))
            sync.wait(timeout=args.seconds)
            after = asyncio.run(run_phase(url, 1, args.seconds, None))  # the figures once the sync is done
        finally:
            app.terminate()
            app.wait(timeout=30)
    print(f"{sessions} sessions over loopback, {args.offenders:,} offenders; load average "
          f"{os.getloadavg()[0]:.1f}")
    print(quiet.line("without a sync"))
    print(during.line("during a sync"))
    print(f"sync exit code {sync.returncode}")
    print(mixed_line(quiet, during, after))
    for error in (quiet.errors + during.errors)[:10]:
        print("error:", error)


if __name__ == "__main__":
    main()
