"""Facts fixed for a data version, computed once per dashboard process and data version before a
page asks for them (issue 18): the reads the pages make at their default settings, called as the
pages call them (the same cached functions, the same keys), so that a page's first render after
navigation is a cache hit. Started in a background thread by the first page run of a data version.

The reads are the pages' own `consistency.cached` functions, so an answer is cached only when it is
of the key's data version; a read torn by a write stops the prewarm (the next page run of the new
version starts another)."""

from __future__ import annotations

import logging
import threading

from ..store import Store
from . import reads, session, style, whatif
from .consistency import TornRead, outside_page
from .filters import Filters

log = logging.getLogger("somec_graph.app")
_started: set[str] = set()  # data keys prewarmed (or being prewarmed) in this process
_lock = threading.Lock()
THREAD_NAME = "somec-prewarm"


def warm(key: str) -> None:
    """The pages' default-view reads for data key `key`, the default page's first."""
    from ..analysis.whatif import DEFAULT_NOTICE_DAYS, DEFAULT_REPLY_DAYS, RULES

    f = Filters()
    ft, window = f.as_tuple(), f.window_days
    with outside_page():
        # the sidebar's filters, then Overview (the root URL)
        reads.yearly(key, ft)
        reads.states(key)
        reads.overview(key, ft)
        reads.gap_matrix(key, ft)
        reads.mechanisms(key, f.date_from, f.date_to, f.states, f.min_risk)
        reads.offenders_by_risk(key)
        reads.receiving_rates(key, ft)
        import altair  # noqa: F401 - the first page that draws a chart would otherwise pay this import
        # What if
        rules = tuple(RULES)
        whatif.summary(key, window, DEFAULT_NOTICE_DAYS, DEFAULT_REPLY_DAYS)
        whatif.totals(key, ft, rules, DEFAULT_NOTICE_DAYS, DEFAULT_REPLY_DAYS)
        whatif.matrix(key, ft, rules, DEFAULT_NOTICE_DAYS, DEFAULT_REPLY_DAYS)
        whatif.yearly(key, ft, rules, DEFAULT_NOTICE_DAYS, DEFAULT_REPLY_DAYS)
        # Networks: its sidebar has only the period and the window (so: the default filters), mobile
        # groups within 30 days, all communities, at most MAX_NETWORK_NODES drawn, no period chosen
        reads.state_flow(key, ft)
        reads.flow_by_month(key)
        if not session.get_store().user.may_see_offenders:
            return  # the rest lists offenders: refused to a role that sees aggregates only
        days = 30
        reads.co_offenders(key)
        reads.mobile_groups(key, days)
        reads.mobile_members(key, days)
        reads.co_offender_view(key, days, (), False, style.MAX_NETWORK_NODES, None)
        # Movement explorer
        reads.offender_list(key)
        reads.as_of_date(key)


def _run(key: str, store: Store) -> None:
    try:
        with session.reading_through(store):
            warm(key)
    except TornRead:
        with _lock:
            _started.discard(key)  # the data changed meanwhile: a later page run may try again
    except Exception as exc:  # noqa: BLE001 - a failed prewarm only means the pages compute on demand
        log.warning("prewarm stopped: %s", type(exc).__name__)  # the type only: messages may hold data


def start(key: str, store: Store) -> threading.Thread | None:
    """Prewarm data key `key` through `store` (the page's: scoped to the user the key names) in a
    background thread, once per process and key; the thread, or None when this key was started already."""
    with _lock:
        if key in _started:
            return None
        _started.add(key)
    thread = threading.Thread(target=_run, args=(key, store), name=THREAD_NAME, daemon=True)
    thread.start()
    return thread
