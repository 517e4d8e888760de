"""The `somec-graph` command line: a thin layer over the library.

Every command calls library functions that return data, renders it with
`output.render`, and lets `main()` turn a SomecGraphError into one line on
stderr with a non-zero exit code (a traceback only with --debug).
"""

from __future__ import annotations

import functools
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .cli_watch import alerts, report_alerts, watch
from .config import load_settings
from .errors import SomecGraphError
from .lazy import lazy_module
from .output import FORMATS, render, render_rows
from .resources import APP_SCRIPT, SEED_DIR
from .roles import LOCAL_ADMIN
from .rows import Rows
from .store import Store, cypher, embedded, open_store

if TYPE_CHECKING:  # the analysis modules load lazily: start-up time counts for every command
    import pandas as pd
    from rich.console import Console

    from .analysis.whatif import Policy
else:  # so does pandas (≈ 0.3 s): the listings render plain `Rows` and never import it
    pd = lazy_module("pandas")


class _Stderr:
    """rich's Console on stderr, made on first use: a listing never prints there, and rich costs ≈ 0.05 s."""

    @functools.cached_property
    def console(self) -> Console:
        from rich.console import Console

        return Console(stderr=True, highlight=False, soft_wrap=True)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.console, name)


err: Any = _Stderr()
MAX_PROBLEMS_SHOWN = 50


def format_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                        help="Output format.")(f)


def emit(listing: pd.DataFrame | Rows, fmt: str) -> None:
    click.echo(listing.render(fmt) if isinstance(listing, Rows) else render(listing, fmt), nl=False)


def _store() -> Store:
    return open_store(load_settings())


@contextmanager
def progress_bars() -> Iterator[Callable[[str, int, int], None]]:
    """One rich progress bar per step, on stderr; yields the (step, done, total) callback."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err.console) as bar:
        tasks: dict[str, TaskID] = {}

        def progress(step: str, done: int, total: int) -> None:
            if step not in tasks:
                tasks[step] = bar.add_task(step, total=max(total, 1))
            bar.update(tasks[step], completed=done if total else 1, total=max(total, 1))

        yield progress


def _audit(action: str, params: dict[str, Any], rows: int | None = None) -> None:
    """Record a command that lists offenders or writes a file, as the local admin (SOMEC_USER in `cli_watch`).
    Writes to the data, users and backups are audited by the library functions that make them."""
    from . import audit

    audit.audited(load_settings().data_dir, LOCAL_ADMIN, action, params, rows)


def _analysis_params(window_days: int, as_of: str | None, whatif: Policy | None) -> dict[str, Any]:
    """How a gaps listing's audit entry names its options (`audit.ACTIONS`)."""
    hypothetical = {} if whatif is None else {"whatif": list(whatif.rules), "notice_days": whatif.notice_days,
                                              "reply_days": whatif.reply_days}
    return {"window_days": window_days, "as_of": as_of, **hypothetical}


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show full tracebacks on errors.")
@click.version_option(package_name="somec-graph")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """somec-graph: offenders' movements between European states, and where information fails to follow."""
    ctx.obj = {"debug": debug}


# --- load -------------------------------------------------------------------

@cli.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path, resolve_path=True), required=False)
@click.option("--seed", is_flag=True, help="Load the synthetic seed data set that ships with somec-graph.")
@click.option("--skip-invalid", is_flag=True, help="Load the valid rows and report the rejected ones.")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path, resolve_path=True),
              help="Write problems as CSV (file, line, column, value, reason). Default with --skip-invalid: rejected-rows.csv")
@click.option("--sync", is_flag=True,
              help="FOLDER is the complete truth: also delete what it no longer holds, with everything derived from it.")
@click.option("--dry-run", is_flag=True, help="Only print what would be created, updated (and deleted) per file.")
def load(folder: Path | None, seed: bool, skip_invalid: bool, report: Path | None, sync: bool, dry_run: bool) -> None:
    """Validate the data set in FOLDER (or the shipped seed data, --seed) and load it into the graph."""
    from .ingest.intake import checked, load_checked, refuse_problems
    from .ingest.validate import problems_csv

    if (folder is None) == (not seed):
        raise SomecGraphError("Give either the folder of a data set or --seed (the synthetic seed data), not both.")
    folder = folder or SEED_DIR
    with err.status(f"Validating {folder} ..."):
        ds = checked(folder, sync=sync, skip_invalid=skip_invalid)
    for w in ds.warnings:
        err.print(f"warning {w}", markup=False)
    if report or skip_invalid:
        report = report or Path("rejected-rows.csv")
        try:  # written even when empty, so an old report never passes for this run's
            report.write_text(problems_csv(ds.problems), encoding="utf-8")
        except OSError as exc:
            raise SomecGraphError(f"Cannot write the report {report} ({exc.strerror}); "
                                  "choose another --report path.") from None
    if ds.problems:
        for p in ds.problems[:MAX_PROBLEMS_SHOWN]:
            err.print(str(p), markup=False)
        if len(ds.problems) > MAX_PROBLEMS_SHOWN:
            err.print(f"... and {len(ds.problems) - MAX_PROBLEMS_SHOWN} more problems.")
        refuse_problems(ds, skip_invalid=skip_invalid, report=report)
        err.print(f"{ds.rejected_rows} row(s) rejected; reasons written to {report}.", markup=False)
    with progress_bars() as progress:
        summary = load_checked(load_settings(), ds, progress, skip_invalid=skip_invalid, sync=sync, dry_run=dry_run)
    columns = ["file", "created", "updated", "unchanged", *(["deleted"] if sync else [])]
    if dry_run:
        err.print("Dry run: nothing was written.")
        emit(pd.DataFrame(summary.rows(), columns=columns), "table")
        return
    if summary.resumed:
        err.print("An earlier load had not finished; it has now been completed.")
    emit(pd.DataFrame(summary.rows(), columns=columns), "table")
    report_alerts()  # what is new for each watch rule (SPEC §10), for a scheduled sync's log


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
    with _store() as store:
        rows = store.run_named(statement, raw)
    _audit("query", {"name": name, "params": raw}, len(rows))
    columns = list(statement.returns) or (list(rows[0]) if rows else [])
    emit(pd.DataFrame(rows, columns=columns), fmt)


# --- analyses ---------------------------------------------------------------

def analysis_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("--as-of", help="Analysis date YYYY-MM-DD (default: the latest event in the data).")(f)
    f = click.option("--window-days", type=click.IntRange(0), default=30, show_default=True,
                     help="Days after arrival within which a notification counts as on time.")(f)
    return format_option(f)


def policy_days_options(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("--reply-days", type=int, default=10, show_default=True,
                     help="What-if: days after an arrival before a hypothetical ECRIS reply is sent.")(f)
    return click.option("--notice-days", type=int, default=10, show_default=True,
                        help="What-if: days before a hypothetical notice, transfer or alert is sent.")(f)


def whatif_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """--whatif RULE[,RULE...] with its days; the command receives `whatif`, a checked Policy or None (SPEC §7)."""
    @functools.wraps(f)
    def wrapper(*args: Any, whatif: str | None, notice_days: int, reply_days: int, **kwargs: Any) -> Any:
        from .analysis.whatif import policy

        return f(*args, whatif=None if whatif is None else policy(whatif, notice_days, reply_days), **kwargs)

    return click.option("--whatif", metavar="RULE[,RULE...]",
                        help="Compute under hypothetical rules: ecris-complete, fd947-always, sis-high-risk, "
                             "ecris-on-arrival (SPEC §7).")(policy_days_options(wrapper))


@cli.group()
def gaps() -> None:
    """Information gaps between states (SPEC §4), also under policy what-if rules (§7)."""


@gaps.command("arrivals")
@analysis_options
@whatif_options
def gaps_arrivals(window_days: int, as_of: str | None, fmt: str, whatif: Policy | None) -> None:
    """Was the receiving state told? One row per counted movement."""
    from .analysis import gaps as g

    with _store() as store:
        rows = g.arrivals_rows(store, window_days=window_days, as_of=as_of, whatif=whatif)
    _audit("gaps arrivals", _analysis_params(window_days, as_of, whatif), len(rows))
    emit(rows, fmt)


@gaps.command("matrix")
@analysis_options
@click.option("--from", "date_from", help="First arrival date (YYYY-MM-DD), inclusive.")
@click.option("--to", "date_to", help="Last arrival date (YYYY-MM-DD), inclusive.")
@click.option("--group", type=click.Choice(["violent", "sexual"]), help="Group of the conviction that sets lq.")
@click.option("--min-risk", type=click.Choice(["low", "medium", "high", "very_high"]), help="Minimum risk level.")
@click.option("--state", "states", multiple=True, help="Keep pairs with this state at either end (repeatable).")
@whatif_options
def gaps_matrix(window_days: int, as_of: str | None, fmt: str, date_from: str | None, date_to: str | None,
                group: str | None, min_risk: str | None, states: tuple[str, ...], whatif: Policy | None) -> None:
    """Origin x destination gap matrix."""
    from .analysis import gaps as g

    with _store() as store:
        emit(g.matrix_rows(store, window_days=window_days, as_of=as_of, date_from=date_from, date_to=date_to,
                      group=group, min_risk=min_risk, states=states or None, whatif=whatif), fmt)


@gaps.command("ecris")
@analysis_options
@whatif_options
def gaps_ecris(window_days: int, as_of: str | None, fmt: str, whatif: Policy | None) -> None:
    """Was the state of nationality told of a conviction abroad?"""
    from .analysis import gaps as g

    with _store() as store:
        rows = g.ecris_rows(store, window_days=window_days, as_of=as_of, whatif=whatif)
    _audit("gaps ecris", _analysis_params(window_days, as_of, whatif), len(rows))
    emit(rows, fmt)


@gaps.command("supervision")
@analysis_options
@whatif_options
def gaps_supervision(window_days: int, as_of: str | None, fmt: str, whatif: Policy | None) -> None:
    """Did supervision follow the offender (FD 947)?"""
    from .analysis import gaps as g

    with _store() as store:
        rows = g.supervision_rows(store, window_days=window_days, as_of=as_of, whatif=whatif)
    _audit("gaps supervision", _analysis_params(window_days, as_of, whatif), len(rows))
    emit(rows, fmt)


@cli.command()
@analysis_options
@policy_days_options
def whatif(window_days: int, as_of: str | None, fmt: str, notice_days: int, reply_days: int) -> None:
    """How many arrival gaps would each policy rule close? Each rule alone, then all (SPEC §7)."""
    from .analysis import whatif as w

    with _store() as store:
        emit(w.summary_rows(store, window_days=window_days, as_of=as_of, notice_days=notice_days,
                       reply_days=reply_days), fmt)


@cli.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path, resolve_path=True))
@click.option("--from", "date_from", help="First arrival date (YYYY-MM-DD), inclusive.")
@click.option("--to", "date_to", help="Last arrival date (YYYY-MM-DD), inclusive.")
@click.option("--state", "states", multiple=True, help="Keep corridors with this state at either end (repeatable).")
def report(out: Path, date_from: str | None, date_to: str | None, states: tuple[str, ...]) -> None:
    """The supervisor's report (SPEC §11) as one self-contained OUT.html or OUT.pdf (A4)."""
    from .report import FORMATS, ReportFilters, report_file

    fmt = out.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise SomecGraphError(f"{out.name}: the report is written as .html or .pdf; name OUT accordingly.")
    filters = ReportFilters(date_from=date_from, date_to=date_to, states=tuple(sorted(set(states))))
    with _store() as store, err.status("Writing the report ..."):
        data = report_file(store, fmt, filters, browser=store.settings.chromium)
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise SomecGraphError(f"Cannot write {out} ({exc.strerror}); choose another path.") from None
    _audit("report", {"out": str(out), "from": date_from, "to": date_to, "states": list(states)}, None)
    click.echo(f"Report written to {out} ({len(data):,} bytes).")


@cli.command()
@click.option("--state", required=True, help="The receiving state, e.g. DE.")
@analysis_options
def queue(state: str, window_days: int, as_of: str | None, fmt: str) -> None:
    """The work queue of a receiving state: arrivals it was never told of, with the request to make (SPEC §8)."""
    from .workqueue import queue as q

    with _store() as store:
        rows = q.queue_rows(store, state, window_days=window_days, as_of=as_of)
    _audit("queue", {"state": state, "window_days": window_days, "as_of": as_of}, len(rows))
    emit(rows, fmt)


@cli.command()
@click.argument("offender_id")
@analysis_options
def journey(offender_id: str, window_days: int, as_of: str | None, fmt: str) -> None:
    """An offender's movements in arrival order, with days stayed and gap status."""
    from .analysis import paths

    with _store() as store:
        rows = paths.journey_rows(store, offender_id, window_days=window_days, as_of=as_of)
    click.echo(render_rows(paths.JOURNEY_COLUMNS, [[r[c] for c in paths.JOURNEY_COLUMNS] for r in rows], fmt),
               nl=False)
    _audit("journey", {"offender_id": offender_id, "window_days": window_days, "as_of": as_of}, len(rows))


@cli.command()
@click.argument("a", metavar="A")
@click.argument("b", metavar="B")
@click.option("--max-hops", type=click.IntRange(1, 20), default=6, show_default=True,
              help="At most this many links per path.")
@click.option("--limit", type=click.IntRange(1), default=10, show_default=True, help="At most this many paths.")
@format_option
def connect(a: str, b: str, max_hops: int, limit: int, fmt: str) -> None:
    """The shortest paths between offenders A and B over shared cases (SPEC §9)."""
    from .analysis import connections

    with _store() as store:
        rows = connections.connect_rows(store, a, b, max_hops=max_hops, limit=limit)
    _audit("connect", {"offenders": [a, b], "max_hops": max_hops, "limit": limit}, len(rows))
    if not rows:
        err.print(f"No path between {a} and {b} within {max_hops} links.", markup=False)
    emit(rows, fmt)


@cli.command()
@click.argument("offender_ids", nargs=-1, required=True, metavar="OFFENDER_ID...")
@click.option("--reason", required=True, help="Why they are erased (a request, an expungement at the source); audited.")
def erase(offender_ids: tuple[str, ...], reason: str) -> None:
    """Remove offenders with their convictions, movements, the exchanges about them and their cases (SPEC §2)."""
    from .ingest.erase import erase_offenders

    with _store() as store:
        summary = erase_offenders(store, list(offender_ids), reason)
    before = len(set(offender_ids)) - summary.offenders
    click.echo(f"Erased {summary.offenders} offender(s) with {summary.convictions} conviction(s), "
               f"{summary.movements} movement(s) and {summary.exchanges} exchange(s)."
               + (f" {before} of the ids had been erased before." if before else ""))


@cli.command()
@click.option("--hops", type=click.IntRange(1, 3), default=1, show_default=True)
@click.option("--limit", type=click.IntRange(1), help="Show only the N busiest sequences.")
@click.option("--from", "date_from", help="First arrival date (YYYY-MM-DD), inclusive.")
@click.option("--to", "date_to", help="Last arrival date (YYYY-MM-DD), inclusive.")
@format_option
def corridors(hops: int, limit: int | None, date_from: str | None, date_to: str | None, fmt: str) -> None:
    """State sequences most offenders travelled, counted once per offender."""
    from .analysis import paths

    with _store() as store:
        emit(paths.corridors_rows(store, hops=hops, limit=limit, date_from=date_from, date_to=date_to), fmt)


@cli.group()
def network() -> None:
    """State flow and co-offender networks."""


@network.command("states")
@format_option
def network_states(fmt: str) -> None:
    """Per state: movements in and out, partner states, betweenness as a transit hub."""
    from .analysis import networks

    with _store() as store:
        emit(networks.state_flow_rows(networks.state_flow(store)), fmt)


@network.command("offenders")
@click.option("--groups", is_flag=True, help="List mobile groups instead of offenders.")
@click.option("--days", type=click.IntRange(0), default=30, show_default=True,
              help="With --groups: co-offenders arriving in the same state within this many days.")
@click.option("--seed", type=int, default=1, show_default=True, help="Seed of the community detection.")
@format_option
def network_offenders(groups: bool, days: int, seed: int, fmt: str) -> None:
    """Co-offender network: community, degree and betweenness per offender."""
    from .analysis import networks

    with _store() as store:
        rows = (networks.mobile_group_rows(store, days=days) if groups
                else networks.co_offender_rows(networks.co_offenders(store), seed=seed))
    _audit("network offenders", {"groups": groups, **({"days": days} if groups else {"seed": seed})}, len(rows))
    emit(rows, fmt)


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


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path, resolve_path=True))
def backup(file: Path) -> None:
    """Write a consistent backup of the embedded database to FILE (a new file), while the dashboard reads on."""
    from .store.backup import backup as make_backup

    size = make_backup(load_settings(), file)
    click.echo(f"Backup written to {file} ({size:,} bytes).")


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path, resolve_path=True))
def restore(file: Path) -> None:
    """Replace the embedded database by the backup in FILE; erasures logged after it was made are applied again."""
    from .ingest.erase import reapply_erasures
    from .store.backup import restore as restore_backup

    with restore_backup(load_settings(), file) as store:  # under the restore's claim: readers see before or after
        again = reapply_erasures(store)
    click.echo(f"Restored the embedded database from {file}"
               + (f"; {again} offender(s) erased since were erased again." if again else "."))


# --- export ------------------------------------------------------------------

@cli.command()
@click.argument("out", type=click.Path(path_type=Path, resolve_path=True))
@click.option("--format", "fmt", type=click.Choice(["graphml", "gexf", "csv"]), default="graphml", show_default=True,
              help="graphml/gexf: one file (for Gephi and networkx); csv: a folder with nodes.csv and edges.csv.")
@click.option("--state", "states", multiple=True, help="Only what involves this state (repeatable).")
@click.option("--offender", "offenders", multiple=True, help="Only this offender and its facts (repeatable).")
@click.option("--neo4j-import", "neo4j_import", is_flag=True,
              help="Instead: write OUT as a folder for `neo4j-admin database import full` (see docs/scaling.md).")
def export(out: Path, fmt: str, states: tuple[str, ...], offenders: tuple[str, ...], neo4j_import: bool) -> None:
    """Export the whole graph or a filtered subgraph."""
    from .export import export_graph, export_neo4j_import

    with _store() as store, progress_bars() as progress:
        if neo4j_import:
            counts = export_neo4j_import(store, out, progress)
        else:
            counts = export_graph(store, out, fmt=fmt, states=list(states) or None, offenders=list(offenders) or None,
                                  progress=progress)
    _audit("export", {"out": str(out.resolve()), "format": "neo4j-import" if neo4j_import else fmt,
                      "states": list(states), "offenders": list(offenders)}, counts["nodes"])
    click.echo(f"Wrote {counts['nodes']} nodes and {counts['relationships']} relationships to {out}.")


# --- users and the audit log -------------------------------------------------

def _new_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@cli.group()
def users() -> None:
    """Dashboard users and their roles (admin, analyst, supervisor)."""


@users.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "analyst", "supervisor"]), required=True)
@click.option("--states", help="An analyst's jurisdiction: comma-separated state codes, e.g. LV,NL.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input (for scripts).")
def users_add(name: str, role: str, states: str | None, password_stdin: bool) -> None:
    """Add a user; the password is asked for (at least 12 characters)."""
    from .access import users as u

    user = u.add_user(load_settings().data_dir, name, role, _new_password(password_stdin), states)
    click.echo(f"Added {user.role} {user.name}" + (f" for {', '.join(user.states)}." if user.states else "."))


@users.command("list")
@format_option
def users_list(fmt: str) -> None:
    """List users (never their passwords)."""
    from .access import users as u

    rows = [{**r, "states": ",".join(r["states"])} for r in u.list_users(load_settings().data_dir)]
    emit(pd.DataFrame(rows, columns=["name", "role", "states", "created"]), fmt)


@users.command("remove")
@click.argument("name")
def users_remove(name: str) -> None:
    """Remove a user."""
    from .access import users as u

    u.remove_user(load_settings().data_dir, name)
    click.echo(f"Removed {name}.")


@users.command("passwd")
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
def users_passwd(name: str, password_stdin: bool) -> None:
    """Set a user's password."""
    from .access import users as u

    u.set_password(load_settings().data_dir, name, _new_password(password_stdin))
    click.echo(f"Password of {name} changed.")


@cli.group("audit")
def audit_group() -> None:
    """The tamper-evident audit log of views, queries, downloads and loads."""


@audit_group.command("verify")
@click.option("--expected-head", help="A hash printed earlier by `audit head`: also detects a cut-off tail.")
def audit_verify(expected_head: str | None) -> None:
    """Check the hash chain; name every edited, removed or reordered line."""
    from . import audit

    problems = audit.verify(load_settings().data_dir, expected_head)
    if problems:
        for problem in problems:
            err.print(problem, markup=False)
        raise SomecGraphError(f"The audit log fails verification ({len(problems)} problem(s)).")
    click.echo("The audit log is intact.")


@audit_group.command("head")
def audit_head() -> None:
    """Print the latest entry's hash, to write down outside this machine."""
    from . import audit

    click.echo(audit.head(load_settings().data_dir))


@audit_group.command("show")
@click.option("--user", help="Only this user's entries.")
@click.option("--since", help="Only entries on or after this date (YYYY-MM-DD).")
@click.option("--action", help="Only this action, e.g. query, load, view.")
@click.option("--offender", help="Only the entries about this offender id (the log holds its keyed hash).")
@format_option
def audit_show(user: str | None, since: str | None, action: str | None, offender: str | None, fmt: str) -> None:
    """List audit entries, oldest first."""
    from . import audit

    emit(audit.show(load_settings().data_dir, user=user, since=since, action=action, offender=offender), fmt)


# --- data generation and the dashboard -------------------------------------

@cli.command()
@click.argument("out", type=click.Path(file_okay=False, path_type=Path, resolve_path=True))
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
    from .access.login import login_required

    settings = load_settings()
    login_required(settings.data_dir, address)  # refuses a network address with no users configured
    open_store(settings).close()  # fail early, in one sentence, if the store is unusable
    click.echo(f"Dashboard on http://{address}:{port}  (Ctrl+C to stop)")
    sys.stdout.flush()
    # Replace this process with Streamlit, so a SIGTERM to our pid stops the dashboard itself.
    os.execv(sys.executable, [sys.executable, "-m", "streamlit", "run", str(APP_SCRIPT),
                              *streamlit_flags(port, address)])


def streamlit_flags(port: int, address: str) -> list[str]:
    """Streamlit's safety settings, given explicitly so that no working directory's
    `.streamlit/config.toml` decides them: no tracebacks, no usage statistics, no
    file watching, no toolbar links out, our theme."""
    settings = {
        "server.port": port, "server.address": address, "server.headless": "true",
        "server.runOnSave": "false", "server.fileWatcherType": "none", "server.maxUploadSize": 200,
        "server.enableXsrfProtection": "true", "browser.gatherUsageStats": "false",
        "client.showErrorDetails": "none", "client.toolbarMode": "minimal",
        "theme.base": "light", "theme.primaryColor": "#0072B2",
    }
    return [arg for key, value in settings.items() for arg in (f"--{key}", str(value))]


cli.add_command(watch)
cli.add_command(alerts)

# The commands that only read the data: each answers from one state of it (SPEC §2).
READ_COMMANDS = frozenset({"connect", "corridors", "export", "gaps", "journey", "network", "query", "queue", "report", "whatif"})


def _reads(args: list[str]) -> bool:
    command = next((a for a in args if not a.startswith("-")), None)
    return command in READ_COMMANDS and not {"-h", "--help"} & set(args)


def _read_consistently(args: list[str]) -> None:
    """Run a read command so that its answer is from one state of the data (SPEC §2): its output is
    held back, and the command runs again when a write began or ended while it read."""
    import io
    from contextlib import redirect_stdout

    from .store import marker

    def attempt() -> str:
        with redirect_stdout(io.StringIO()) as out:
            cli.main(args=args, prog_name="somec-graph", standalone_mode=False)
        return out.getvalue()

    with _store() as store:
        text = marker.consistent(store, attempt, say=lambda line: err.print(line, markup=False))
    sys.stdout.write(text)
    sys.stdout.flush()  # the held-back answer goes out now, whoever holds the stream (a test runner too)


def main(argv: list[str] | None = None) -> None:
    """Entry point: one place where errors become one line for the user."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    try:
        if _reads(args):
            _read_consistently(args)
        else:
            cli.main(args=args, prog_name="somec-graph", standalone_mode=False)
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
