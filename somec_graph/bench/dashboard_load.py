"""Load test of the dashboard: browser-like sessions over Streamlit's websocket on
loopback read Overview, Work queue and Networks, first on quiet data, then while a sync runs;
prints p50/p95 page time of both phases, and how many pages showed an error or waited.

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
        elif kind == "page_not_found":
            phase.errors.append(f"{page}: page not found")
        elif kind == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
            break
    phase.times.append(time.monotonic() - started)
    phase.waited += waited


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
        finally:
            app.terminate()
            app.wait(timeout=30)
    print(f"{sessions} sessions over loopback, {args.offenders:,} offenders; load average "
          f"{os.getloadavg()[0]:.1f}")
    print(quiet.line("without a sync"))
    print(during.line("during a sync"))
    print(f"sync exit code {sync.returncode}")
    for error in (quiet.errors + during.errors)[:10]:
        print("error:", error)


if __name__ == "__main__":
    main()
