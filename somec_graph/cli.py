"""The `somec-graph` command line: a thin layer over the library.

Every command calls library functions that return data, renders it with
`output.render`, and lets `main()` turn a SomecGraphError into one line on
stderr with a non-zero exit code (a traceback only with --debug).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Callable

import click
import pandas as pd
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from . import cypher, embedded
from .config import load_settings
from .errors import SomecGraphError
from .output import FORMATS, render
from .store import Store, open_store

err = Console(stderr=True, highlight=False, soft_wrap=True)
MAX_PROBLEMS_SHOWN = 50


def format_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                        help="Output format.")(f)


def emit(frame: pd.DataFrame, fmt: str) -> None:
    click.echo(render(frame, fmt), nl=False)


def _store() -> Store:
    return open_store(load_settings())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.version_option(package_name="somec-graph")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """somec-graph: offenders' movements between European states, and where information fails to follow."""
    ctx.obj = {"debug": debug}


# --- load -------------------------------------------------------------------

@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--skip-invalid", is_flag=True, help="Load the valid rows and report the rejected ones.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path),
              help="Write problems as CSV (file, line, column, value, reason). Default with --skip-invalid: rejected-rows.csv")
def load(folder: Path, skip_invalid: bool, report: Path | None) -> None:
    """Validate the data set in FOLDER and load it into the graph."""
    from .load import load_dataset
    from .validate import problems_csv, validate

    if not folder.is_dir():
        raise SomecGraphError(f"{folder} is not a folder; give the folder that holds the data set's CSV files.")
    with err.status(f"Validating {folder} ..."):
        ds = validate(folder)
    for w in ds.warnings:
        err.print(f"[yellow]warning[/yellow] {w}", markup=True)
    if ds.problems:
        if report or skip_invalid:
            report = report or Path("rejected-rows.csv")
            report.write_text(problems_csv(ds.problems), encoding="utf-8")
        for p in ds.problems[:MAX_PROBLEMS_SHOWN]:
            err.print(str(p), markup=False)
        if len(ds.problems) > MAX_PROBLEMS_SHOWN:
            err.print(f"... and {len(ds.problems) - MAX_PROBLEMS_SHOWN} more problems.")
        if not skip_invalid:
            where = f" (all listed in {report})" if report else ""
            raise SomecGraphError(f"{len(ds.problems)} problem(s) in {folder}{where}; nothing was loaded. "
                                  "Fix them, or load the valid rows with --skip-invalid.")
        err.print(f"{ds.rejected_rows} row(s) rejected; reasons written to {report}.")
    with _store() as store, Progress(TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(),
                                     TimeElapsedColumn(), console=err, transient=False) as bar:
        tasks: dict[str, int] = {}

        def progress(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(step, total=max(total, 1))
            bar.update(tasks[step], completed=done if total else 1)

        summary = load_dataset(store, ds, progress)
    if summary.resumed:
        err.print("An earlier load had not finished; it has now been completed.")
    emit(pd.DataFrame(summary.rows(), columns=["file", "created", "updated", "unchanged"]), "table")


# --- query ------------------------------------------------------------------

@cli.command()
@click.argument("name", required=False)
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE", help="A query parameter (repeatable).")
@format_option
def query(name: str | None, params: tuple[str, ...], fmt: str) -> None:
    """Run the named read-only query NAME from cypher/queries/ (no NAME: list them)."""
    if not name:
        rows = [{"name": s.name.split("/")[-1], "parameters": " ".join(p.name for p in s.params), "purpose": s.purpose}
                for s in cypher.named_queries().values()]
        emit(pd.DataFrame(rows, columns=["name", "parameters", "purpose"]), fmt)
        return
    statement = cypher.named_query(name)
    raw: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep:
            raise SomecGraphError(f"--param {item!r} must look like KEY=VALUE.")
        raw[key.strip()] = value
    values = statement.bind(raw)
    with _store() as store:
        rows = store.run_user_query(statement.text, values)
    columns = list(statement.returns) or (list(rows[0]) if rows else [])
    emit(pd.DataFrame(rows, columns=columns), fmt)


# --- embedded server --------------------------------------------------------

@cli.group()
def db() -> None:
    """Start, stop or inspect the embedded database server."""


@db.command("status")
def db_status() -> None:
    """Show whether the embedded server runs, and where its data is."""
    settings = load_settings()
    if not settings.embedded:
        click.echo(f"Using Neo4j at {settings.neo4j_uri} (SOMEC_NEO4J_URI); no embedded server is used.")
        return
    click.echo(json.dumps(embedded.status(settings), indent=1))


@db.command("start")
def db_start() -> None:
    """Start the embedded server (it stops by itself after SOMEC_IDLE_MINUTES unused)."""
    settings = load_settings()
    if not settings.embedded:
        raise SomecGraphError("SOMEC_NEO4J_URI is set, so the embedded server is not used; unset it to use it.")
    with err.status("Starting the embedded database ..."):
        open_store(settings).close()
    click.echo(f"Embedded database running on {embedded.status(settings)['bolt_uri']} (data in {settings.data_dir}).")


@db.command("stop")
def db_stop() -> None:
    """Stop the embedded server."""
    settings = load_settings()
    stopped = embedded.stop(settings)
    click.echo("Embedded database stopped." if stopped else "The embedded database was not running.")


# --- data generation and the dashboard -------------------------------------

@cli.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path))
@click.option("--offenders", type=click.IntRange(1), default=2000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
def synth(out: Path, offenders: int, seed: int) -> None:
    """Write a synthetic data set of the seed data's shape to OUT (deterministic per seed)."""
    from .synth import generate

    with err.status(f"Generating {offenders} offenders ..."):
        counts = generate(out, offenders, seed)
    emit(pd.DataFrame([{"file": k, "rows": v} for k, v in counts.items()]), "table")


@cli.command()
@click.option("--port", type=int, default=8501, show_default=True)
@click.option("--address", default="127.0.0.1", show_default=True, help="Listen address of the dashboard.")
def app(port: int, address: str) -> None:
    """Start the dashboard."""
    import subprocess

    app_py = Path(__file__).resolve().parent.parent / "app.py"
    open_store(load_settings()).close()  # fail early, in one sentence, if the store is unusable
    cmd = [sys.executable, "-m", "streamlit", "run", str(app_py), "--server.port", str(port),
           "--server.address", address, "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    click.echo(f"Dashboard on http://{address}:{port}  (Ctrl+C to stop)")
    raise SystemExit(subprocess.call(cmd))


def main() -> None:
    """Entry point: one place where errors become one line for the user."""
    debug = "--debug" in sys.argv[1:]
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        err.print("Aborted.")
        sys.exit(130)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except SomecGraphError as exc:
        if debug:
            raise
        err.print(f"Error: {exc}", markup=False)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("Interrupted.")
        sys.exit(130)
    except Exception as exc:  # noqa: BLE001 - the last line of defence against tracebacks
        if debug:
            raise
        err.print(f"Unexpected error: {type(exc).__name__}: {exc}. Run again with --debug for details.", markup=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
