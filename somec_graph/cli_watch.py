"""The `watch` and `alerts` commands (SPEC §10), registered on the main group by `cli.py`, and the
lines `load` prints at its end: how many alerts each rule has now.

They act for `access.users.cli_user()`: the user SOMEC_USER names, or the local admin. Self-contained
(no import of `cli.py`), so that `python -m somec_graph.cli` never imports it twice.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click

from .config import load_settings
from .errors import AccessDenied, SomecGraphError
from .output import FORMATS, render
from .store import Store, open_store
from .vocab import RISK_LEVELS


@contextmanager
def _store() -> Iterator[Store]:
    """The store as the CLI's user; a refusal (a state outside an analyst's, a supervisor) is audited
    as `denied`, as the dashboard audits its refusals."""
    from . import audit
    from .access.users import cli_user

    settings = load_settings()
    user = cli_user(settings)  # before connecting: an unknown SOMEC_USER is refused at once
    with open_store(settings).as_user(user) as store:
        try:
            yield store
        except AccessDenied as exc:
            audit.audited(settings.data_dir, user, "denied", {"reason": str(exc)})
            raise


def _format(f: click.decorators.FC) -> click.decorators.FC:
    return click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True,
                        help="Output format.")(f)


@click.group()
def watch() -> None:
    """Watch rules over a state's work queue: what is new since you last looked (SPEC §10)."""


@watch.command("add")
@click.argument("name")
@click.option("--state", required=True, help="The receiving state whose queue the rule watches, e.g. DE.")
@click.option("--min-risk", type=click.Choice(RISK_LEVELS), default="low", show_default=True,
              help="Lowest risk level that alerts.")
@click.option("--status", "statuses", default="unnotified,pending", show_default=True, metavar="S[,S]",
              help="Queue statuses watched: unnotified, pending or both.")
@click.option("--window-days", type=click.IntRange(0), default=30, show_default=True,
              help="Days after arrival within which a notification counts as on time.")
def watch_add(name: str, state: str, min_risk: str, statuses: str, window_days: int) -> None:
    """Add the rule NAME (yours: SOMEC_USER's, or the local admin's)."""
    from .workqueue.watch import add_rule

    with _store() as store:
        rule = add_rule(store, name, state, min_risk=min_risk, statuses=statuses, window_days=window_days)
    click.echo(f"Added rule {rule.name}: {rule.state}, risk {rule.min_risk} or higher, "
               f"{' or '.join(rule.statuses)}, window {rule.window_days} days.")


@watch.command("list")
@_format
def watch_list(fmt: str) -> None:
    """List your rules (with how many rows each has acknowledged)."""
    from .workqueue.watch import rule_table, rules

    with _store() as store:
        click.echo(render(rule_table(rules(store)), fmt), nl=False)


@watch.command("remove")
@click.argument("name")
def watch_remove(name: str) -> None:
    """Remove your rule NAME and its acknowledgments."""
    from .workqueue.watch import remove_rule

    with _store() as store:
        remove_rule(store, name)
    click.echo(f"Removed rule {name}.")


@click.command()
@click.option("--rule", help="Only this rule's alerts.")
@click.option("--ack", is_flag=True, help="Print the alerts and mark them acknowledged: they are not shown again.")
@_format
def alerts(rule: str | None, ack: bool, fmt: str) -> None:
    """Queue rows new for each of your rules: rule, then the work queue's columns (SPEC §10)."""
    from . import audit
    from .workqueue import alerts as a
    from .workqueue.watch import rules

    with _store() as store:
        if rule is None and not rules(store):  # an empty table alone would not say why
            click.echo("You have no watch rules; add one with somec-graph watch add NAME --state B.", err=True)
        if ack:  # audited as `alerts ack`, per rule
            rows = a.acknowledge(store, rule)
        else:  # a listing of offenders is a consultation: who looked at whom, as keyed hashes
            rows = a.alerts(store, rule)
            audit.audited(store.settings.data_dir, store.user, "alerts",
                          {"rule": rule, "offenders": sorted(set(rows["offender_id"]))}, rows=len(rows))
    click.echo(render(rows, fmt), nl=False)


def report_alerts() -> None:
    """After a load: one line per rule of every owner with how many alerts it has now (nothing without
    rules). The load has succeeded by then, so a failure here is a warning, not the command's error."""
    from .workqueue import alerts as a

    try:
        with open_store(load_settings()) as store:
            found = a.counts(store)
    except SomecGraphError as exc:
        click.echo(f"warning: the watch rules' alerts could not be counted: {exc}", err=True)
        return
    for rule, n in found:
        click.echo(f"Alerts of rule {rule.name} ({rule.owner}, {rule.state}): {n}")
