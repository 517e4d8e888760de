"""The dashboard's data access: one store per process, cached reads, one-sentence errors.

Pages call the functions here and the builders in `somec_graph.views`; they
never talk to the driver. The store is created once (`st.cache_resource`).
Every read is an `st.cache_data` function whose first argument is the data
version — the `Meta` node's version and load time, which every load that
changes something bumps — so a new load invalidates exactly what it should,
and filters are plain hashable arguments (tuples, strings, ints).

Library errors (`SomecGraphError`, whose message is already one sentence with
what to do) are shown with `st.error` and stop the page; see `guard()`.
"""

from __future__ import annotations

import io
import logging
import shutil
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any

import networkx as nx
import pandas as pd
import streamlit as st
from neo4j.graph import Node, Relationship
from neo4j.graph import Path as GraphPath

from ..access import audit
from ..access.users import LOCAL_ADMIN, SESSION_IDLE_MINUTES, LoginThrottle, User, authenticate, login_required
from ..config import load_settings
from ..errors import AccessDenied, SomecGraphError
from ..ingest.contract import RISK_LEVELS, TABLES
from ..store import Store, cypher, open_store

NO_DATA = ("No data loaded yet — load a data set on the Data page or run `somec-graph load seed_data`.")
DATA_PAGE = "app_pages/5_data.py"
MAX_UPLOAD_FILES = 20
MAX_UNZIPPED_BYTES = 500 * 1024 * 1024
DATA_FILES = {t.file for t in TABLES}

log = logging.getLogger("somec_graph.app")


# --- the store and the data version ----------------------------------------------

@st.cache_resource(show_spinner="Connecting to the graph database ...")
def _shared_store() -> Store:
    """The connection of this dashboard process (starts the embedded server when needed)."""
    return open_store(load_settings())


def get_store() -> Store:
    """The store as seen by this browser session's user: every read is scoped by it."""
    return _shared_store().as_user(current_user())


# --- who is using it: login, session timeout, audit --------------------------------

SESSION_KEY = "somec_session"


@st.cache_resource
def _throttle() -> LoginThrottle:
    return LoginThrottle()


def _login_needed() -> bool:
    address = str(st.get_option("server.address") or "127.0.0.1")
    with guard():
        return login_required(load_settings().data_dir, address)


def current_user() -> User:
    """This session's user: the local admin when no login is needed (no users, loopback);
    otherwise the logged-in user, or the login form and a stop. Sessions end after
    SESSION_IDLE_MINUTES without a page run."""
    if not _login_needed():
        return LOCAL_ADMIN
    session = st.session_state.get(SESSION_KEY)
    now = time.time()
    if session and now - session["seen"] <= SESSION_IDLE_MINUTES * 60:
        session["seen"] = now
        return session["user"]
    if session:
        del st.session_state[SESSION_KEY]
        st.info("Your session ended after a time without use; sign in again.", icon=":material/timer:")
    _login_form()
    st.stop()


def _login_form() -> None:
    data_dir = load_settings().data_dir
    st.title("somec-graph")
    st.caption("Sign in with the account an administrator made for you (`somec-graph users add`).")
    with st.form("login"):
        name = st.text_input("User name", key="login_name")
        password = st.text_input("Password", type="password", key="login_password")
        submitted = st.form_submit_button("Sign in")
    if not submitted:
        return
    wait = _throttle().wait_seconds(name)
    if wait > 0:
        st.error(f"Too many failed attempts for this name; try again in {int(wait) + 1} s.")
        return
    with guard():
        user = authenticate(data_dir, name, password)
    if user is None:
        _throttle().failed(name)
        audit.record(data_dir, name[:64] or "-", "-", "login failed", {})
        st.error("Wrong user name or password.")
        return
    _throttle().succeeded(name)
    st.session_state[SESSION_KEY] = {"user": user, "seen": time.time()}
    audit.record(data_dir, user.name, user.role, "login", {})
    st.rerun()


def account_sidebar() -> None:
    """Who is signed in, and a way out (nothing to show for the local admin)."""
    session = st.session_state.get(SESSION_KEY)
    if not session:
        return
    user = session["user"]
    where = f" for {', '.join(user.states)}" if user.states else ""
    st.sidebar.caption(f"Signed in as {user.name} ({user.role}{where}).")
    if st.sidebar.button("Sign out", key="sign_out"):
        audit_event("logout", {})
        st.session_state.clear()  # nothing of this user's (results, choices, uploads) may reach the next one
        st.rerun()


def audit_event(action: str, params: dict[str, Any], rows: int | None = None) -> None:
    """Append to the audit log on behalf of this session's user."""
    user = current_user()
    audit.record(load_settings().data_dir, user.name, user.role, action, params, rows)


def audit_view(page: str, **detail: str) -> None:
    """Log a page view (and which offender it shows) once per arrival, not on every widget change."""
    seen = (page, tuple(sorted(detail.items())))
    if st.session_state.get("somec_last_view") != seen:
        st.session_state["somec_last_view"] = seen
        audit_event("view", {"page": page, **detail})


def audit_download(name: str) -> None:
    """`on_click` of every download button."""
    audit_event("download", {"file": name})


@dataclass(frozen=True)
class DataState:
    key: str              # cache key: changes with every load that changed something
    version: int
    loaded_at: str | None
    latest_day: int | None
    pending: bool

    @property
    def empty(self) -> bool:
        return not self.version or self.latest_day is None


def data_state() -> DataState:
    """The loaded data's version (not cached: one tiny read per page run)."""
    store = get_store()
    meta = store.run("load/meta")[0]
    version = int(meta.get("version") or 0)
    # The user's scope is part of the key: cached reads are never shared across jurisdictions.
    scope = f"{store.user.role}:{','.join(store.user.states)}"
    return DataState(key=f"{version}:{meta.get('loaded_at') or ''}:{scope}", version=version, loaded_at=meta.get("loaded_at"),
                     latest_day=meta.get("latest_day"), pending=bool(meta.get("pending")))


@contextmanager
def guard() -> Iterator[None]:
    """Show library errors as one sentence and stop the page (no traceback)."""
    try:
        yield
    except SomecGraphError as exc:
        if isinstance(exc, AccessDenied):
            audit_event("denied", {"reason": str(exc)})  # refused attempts are accountable too
        st.error(str(exc), icon=":material/error:")
        st.stop()


@contextmanager
def last_resort() -> Iterator[None]:
    """Around a whole page: an error nobody foresaw becomes one sentence, never a
    traceback (Streamlit's own stop and rerun signals are BaseExceptions and pass)."""
    try:
        yield
    except Exception as exc:  # noqa: BLE001 - the dashboard's last line of defence
        log.error("page failed: %s", type(exc).__name__)  # the type only: messages may hold data
        st.error("Something went wrong while drawing this page; reload it, and if it happens again "
                 "ask an administrator to check the dashboard's log.", icon=":material/error:")


def require_data() -> DataState:
    """The data state; an explained empty state (and a stop) when nothing is loaded."""
    with guard():
        state = data_state()
    if state.empty:
        st.info(NO_DATA, icon=":material/info:")
        try:
            st.page_link(DATA_PAGE, label="Go to the Data page", icon=":material/upload_file:")
        except Exception:  # noqa: BLE001 - page_link needs st.navigation; AppTest of a single page has none
            pass
        st.stop()
    if state.pending:
        st.warning("The last load did not finish; figures may be incomplete. Load the data set again to complete it.")
    return state


# --- filters ----------------------------------------------------------------------

@dataclass(frozen=True)
class Filters:
    window_days: int = 30
    date_from: str | None = None
    date_to: str | None = None
    group: str | None = None
    min_risk: str | None = None
    states: tuple[str, ...] = ()

    def gap_kwargs(self) -> dict[str, Any]:
        """Keywords of somec_graph.analysis.gaps functions."""
        return {"window_days": self.window_days, "date_from": self.date_from, "date_to": self.date_to,
                "group": self.group, "min_risk": self.min_risk, "states": list(self.states) or None}

    def caption_kwargs(self) -> dict[str, Any]:
        return {"group": self.group, "min_risk": self.min_risk, "states": list(self.states),
                "date_from": self.date_from, "date_to": self.date_to}

    def as_tuple(self) -> tuple:
        return (self.window_days, self.date_from, self.date_to, self.group, self.min_risk, self.states)


def _filters(t: tuple) -> Filters:
    return Filters(*t)


# --- cached reads: gaps -------------------------------------------------------------

@st.cache_data(show_spinner=False, max_entries=64)
def overview(data_key: str, filters: tuple) -> dict[str, Any]:
    from ..analysis import gaps

    return gaps.overview(get_store(), **_filters(filters).gap_kwargs())


@st.cache_data(show_spinner=False, max_entries=64)
def gap_matrix(data_key: str, filters: tuple) -> pd.DataFrame:
    from ..analysis import gaps

    return gaps.matrix(get_store(), **_filters(filters).gap_kwargs())


@st.cache_data(show_spinner=False, max_entries=64)
def yearly(data_key: str, filters: tuple) -> pd.DataFrame:
    from ..analysis import gaps

    return gaps.yearly(get_store(), **_filters(filters).gap_kwargs())


@st.cache_data(show_spinner=False, max_entries=64)
def mechanisms(data_key: str, date_from: str | None, date_to: str | None, states: tuple[str, ...],
               min_risk: str | None) -> pd.DataFrame:
    params = {"date_from": date_from, "date_to": date_to, "states": list(states) or None, "min_risk": min_risk}
    return get_store().frame("queries/exchanges_by_mechanism", params)


# --- cached reads: reference and offenders ------------------------------------------

@st.cache_data(show_spinner=False, max_entries=8)
def states(data_key: str) -> pd.DataFrame:
    return get_store().frame("queries/states")


@st.cache_data(show_spinner=False, max_entries=8)
def offender_list(data_key: str) -> pd.DataFrame:
    return get_store().frame("queries/offender_list", {"prefix": None, "limit": 10_000_000})


@st.cache_data(show_spinner=False, max_entries=8)
def offenders_by_risk(data_key: str) -> pd.DataFrame:
    return get_store().frame("queries/offenders_by_risk")


@st.cache_data(show_spinner=False, max_entries=16)
def counts(data_key: str) -> pd.DataFrame:
    return get_store().frame("queries/counts")


@st.cache_data(show_spinner=False, max_entries=256)
def journey(data_key: str, offender_id: str, window_days: int) -> pd.DataFrame:
    from ..analysis import paths

    return paths.journey(get_store(), offender_id, window_days=window_days)


@st.cache_data(show_spinner=False, max_entries=256)
def offender_tables(data_key: str, offender_id: str) -> dict[str, pd.DataFrame]:
    store = get_store()
    params = {"offender_id": offender_id}
    return {"convictions": store.frame("queries/offender_convictions", params),
            "exchanges": store.frame("queries/offender_exchanges", params),
            "agencies": store.frame("queries/offender_agencies", params)}


@st.cache_data(show_spinner=False, max_entries=256)
def ego_network(data_key: str, offender_id: str, window_days: int) -> nx.MultiDiGraph:
    from ..analysis import networks

    return networks.ego_network(get_store(), offender_id, window_days=window_days)


# --- cached reads: networks ---------------------------------------------------------

@st.cache_data(show_spinner=False, max_entries=32)
def state_flow(data_key: str, filters: tuple) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(edges, hubs): one row per (from_state, to_state) with movements and gap_rate; the hub table.

    The flow counts all movements in the period; only the period and the window apply.
    """
    from ..analysis import networks

    f = _filters(filters)
    graph = networks.state_flow(get_store(), date_from=f.date_from, date_to=f.date_to, window_days=f.window_days)
    edges = pd.DataFrame([{"from_state": u, "to_state": v, "movements": a["movements"], "gap_rate": a.get("gap_rate")}
                          for u, v, a in graph.edges(data=True)],
                         columns=["from_state", "to_state", "movements", "gap_rate"])
    edges["gap_rate"] = pd.to_numeric(edges["gap_rate"], errors="coerce")
    return edges, networks.state_flow_table(graph)


@st.cache_data(show_spinner=False, max_entries=8)
def co_offenders(data_key: str) -> tuple[nx.Graph, pd.DataFrame]:
    from ..analysis import networks

    graph = networks.co_offenders(get_store())
    return graph, networks.co_offender_table(graph, seed=1)


@st.cache_data(show_spinner=False, max_entries=32)
def co_offender_view(data_key: str, days: int, communities: tuple[int, ...], only_mobile: bool,
                     limit: int) -> tuple[int, str | None, dict[str, list[str]]]:
    """(nodes selected, network HTML or None when over `limit`, offender -> mobile group ids) for a selection."""
    from . import views

    graph, table = co_offenders(data_key)
    groups = mobile_groups(data_key, days)
    members: dict[str, list[str]] = {}
    for g in groups.itertuples():
        for member in str(g.members).split(";"):
            members.setdefault(member, []).append(str(g.group_id))
    chosen = table if not communities else table[table["community"].isin(communities)]
    selected = set(chosen["offender_id"])
    if only_mobile:
        core = {m for m in members if m in selected}
        selected = core | {n for m in core for n in graph.neighbors(m)}
    sub = graph.subgraph(selected)
    n = sub.number_of_nodes()
    if n == 0 or views.too_many_nodes(n, limit):
        return n, None, members
    return n, views.co_offender_html(sub, table, members), members


@st.cache_data(show_spinner=False, max_entries=32)
def mobile_groups(data_key: str, days: int) -> pd.DataFrame:
    from ..analysis import networks

    return networks.mobile_groups(get_store(), days=days)


# --- the query console --------------------------------------------------------------

def named_queries() -> dict[str, cypher.Statement]:
    return cypher.named_queries()


@dataclass
class QueryResult:
    table: pd.DataFrame
    graph: nx.MultiDiGraph


# The identifying property of each label (the data contract's keys), then a fallback order.
_LABEL_KEYS = {"Offender": "offender_id", "Conviction": "conviction_id", "Movement": "movement_id",
               "Exchange": "exchange_id", "Agency": "agency_id", "State": "code", "OffenceCategory": "code",
               "Mechanism": "code", "Meta": "name"}
_KEYS = ("conviction_id", "movement_id", "exchange_id", "agency_id", "offender_id", "code", "name")
_KINDS = {"Offender": "offender", "Conviction": "conviction", "State": "state", "Agency": "agency",
          "Exchange": "exchange", "Movement": "movement", "Mechanism": "mechanism", "OffenceCategory": "offence"}


def _node_info(node: Node) -> tuple[str, dict[str, Any]]:
    props = dict(node)
    label = next(iter(sorted(node.labels)), "Node")
    own = _LABEL_KEYS.get(label)
    key = props[own] if own and props.get(own) is not None else \
        next((props[k] for k in _KEYS if props.get(k) is not None), node.element_id)
    title = "\n".join([label] + [f"{k}: {v}" for k, v in props.items() if k != "row_hash"][:14])
    return node.element_id, {"kind": _KINDS.get(label, "other"), "label": str(key), "title": title}


def _cell(value: Any, graph: nx.MultiDiGraph) -> Any:
    """A record value as a table cell; nodes and relationships also go into `graph`."""
    if isinstance(value, Node):
        node_id, attrs = _node_info(value)
        graph.add_node(node_id, **attrs)
        return attrs["label"]
    if isinstance(value, Relationship):
        cells = [_cell(n, graph) for n in (value.start_node, value.end_node) if n is not None]
        if value.start_node is not None and value.end_node is not None:
            graph.add_edge(value.start_node.element_id, value.end_node.element_id, title=value.type)
        return f"{cells[0] if cells else '?'} -[{value.type}]-> {cells[-1] if cells else '?'}"
    if isinstance(value, GraphPath):
        for rel in value.relationships:
            _cell(rel, graph)
        return " / ".join(_cell(n, graph) for n in value.nodes)
    if isinstance(value, (list, tuple)):
        return [_cell(v, graph) for v in value]
    if isinstance(value, dict):
        return {k: _cell(v, graph) for k, v in value.items()}
    if hasattr(value, "iso_format"):
        return value.iso_format()
    return value


def run_console_query(text: str, params: dict[str, Any], statement: cypher.Statement | None = None) -> QueryResult:
    """Run a read-only query from the console; keep nodes and relationships for a graph view.

    `Store.user_records` applies the rules of the command line's `query`: role
    check, the user's `$scope`, refused writes, read mode.
    """
    records, keys = get_store().user_records(text, params, statement)
    audit_event("query", {"name": statement.short_name if statement else "free text", "params": params}, len(records))
    graph = nx.MultiDiGraph()
    rows = [{k: _cell(rec[k], graph) for k in keys} for rec in records]
    return QueryResult(pd.DataFrame(rows, columns=keys), graph)


def _safe_name(name: str) -> str:
    """The bare file name of an upload or a zip member: no folders, so no path traversal."""
    return PurePath(name.replace("\\", "/")).name


def unpack_upload(files: list[Any], folder: Path) -> list[str]:
    """Write the uploaded CSV files, and the CSV members of uploaded zips, into `folder`.

    Returns notes on what was skipped. Only the file names of the data contract
    are written, by their bare name, and a zip may not unpack to more than
    MAX_UNZIPPED_BYTES (a zip bomb is refused before it fills the disk).
    """
    if len(files) > MAX_UPLOAD_FILES:
        raise SomecGraphError(f"Upload at most {MAX_UPLOAD_FILES} files at once (or one zip).")
    notes: list[str] = []
    members: list[tuple[str, Callable[[], bytes]]] = []
    for upload in files:
        if upload.name.lower().endswith(".zip"):
            try:
                archive = zipfile.ZipFile(io.BytesIO(upload.getvalue()))
            except zipfile.BadZipFile:
                raise SomecGraphError(f"{_safe_name(upload.name)} is not a readable zip file.") from None
            infos = [info for info in archive.infolist() if not info.is_dir()]
            if sum(info.file_size for info in infos) > MAX_UNZIPPED_BYTES:
                raise SomecGraphError(f"{_safe_name(upload.name)} unpacks to more than "
                                      f"{MAX_UNZIPPED_BYTES // 2**20} MB; split the data set.")
            members += [(info.filename, lambda a=archive, i=info: a.read(i)) for info in infos]
        else:
            members.append((upload.name, upload.getvalue))
    written: set[str] = set()
    for raw_name, read in members:
        name = _safe_name(raw_name)
        if name not in DATA_FILES:
            notes.append(f"{name} is not a file of the data contract; skipped.")
            continue
        if name in written:
            notes.append(f"{name} was uploaded more than once; the last copy is used.")
        (folder / name).write_bytes(read())
        written.add(name)
    return notes


def new_upload_dir() -> Path:
    return Path(tempfile.mkdtemp(prefix="somec-upload-"))


def remove_dir(folder: Path | None) -> None:
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def clear_caches() -> None:
    """After a load: drop cached data (the new version would miss it anyway; this frees memory)."""
    st.cache_data.clear()


def risk_levels() -> tuple[str, ...]:
    return RISK_LEVELS


def run_load(ds: Any, progress: Callable[[str, int, int], None]) -> Any:
    from ..ingest.load import load_dataset

    summary = load_dataset(get_store(), ds, progress)
    audit_event("load", {"folder": str(ds.folder.name), "rejected_rows": ds.rejected_rows},
                sum(t.created + t.updated for t in summary.tables.values()))
    return summary


# --- sidebar filters (shared by the pages that aggregate) --------------------------

GROUP_CHOICES = {"violent or sexual": None, "violent": "violent", "sexual": "sexual"}
RISK_CHOICES = {"any": None, "medium": "medium", "high": "high", "very high": "very_high"}


def _seed(name: str, default: Any, valid: Callable[[Any], bool] = lambda v: True) -> str:
    """Widget key for a filter whose value survives page changes.

    Streamlit forgets a widget's state when a page without it runs; the value is
    kept under `f_<name>` and copied into the widget key before it is drawn.
    """
    key = f"_w_{name}"
    if key not in st.session_state:
        value = st.session_state.get(f"f_{name}", default)
        st.session_state[key] = value if valid(value) else default
    return key


def _keep(name: str) -> Any:
    st.session_state[f"f_{name}"] = st.session_state[f"_w_{name}"]
    return st.session_state[f"f_{name}"]


def sidebar_filters(state: DataState, *, show: tuple[str, ...] = ("period", "group", "risk", "states", "window"),
                    ) -> Filters:
    """The filter widgets in the sidebar; values persist across pages in session state."""
    sb = st.sidebar
    sb.header("Filters")
    with guard():
        years_frame = yearly(state.key, Filters().as_tuple())
        state_table = states(state.key)
    years = sorted(int(y) for y in years_frame["year"]) if not years_frame.empty else []
    date_from = date_to = None
    if "period" in show and len(years) > 1:
        lo, hi = years[0], years[-1]
        key = _seed("period", (lo, hi), lambda v: isinstance(v, tuple) and lo <= v[0] <= v[1] <= hi)
        sb.slider("Period (arrival year)", lo, hi, key=key, help="Arrivals whose arrival date falls in these years.")
        start, end = _keep("period")
        date_from = f"{start}-01-01" if start > lo else None
        date_to = f"{end}-12-31" if end < hi else None
    group = None
    if "group" in show:
        key = _seed("group", "violent or sexual", lambda v: v in GROUP_CHOICES)
        sb.selectbox("Offence group", list(GROUP_CHOICES), key=key,
                     help="The group of the conviction that makes the arrival count (the latest violent or sexual "
                          "conviction before arrival).")
        group = GROUP_CHOICES[_keep("group")]
    min_risk = None
    if "risk" in show:
        key = _seed("risk", "any", lambda v: v in RISK_CHOICES)
        sb.select_slider("Minimum risk level", list(RISK_CHOICES), key=key,
                         help="Only offenders assessed at this risk level or above.")
        min_risk = RISK_CHOICES[_keep("risk")]
    chosen: tuple[str, ...] = ()
    if "states" in show:
        names = dict(zip(state_table["code"], state_table["name"]))
        key = _seed("states", [], lambda v: isinstance(v, list) and all(c in names for c in v))
        sb.multiselect("States", list(names), key=key, format_func=lambda c: f"{c} – {names.get(c, c)}",
                       help="Corridors with any of these states at either end; empty for all.")
        chosen = tuple(sorted(_keep("states")))
    window = 30
    if "window" in show:
        key = _seed("window", 30, lambda v: isinstance(v, int) and 0 <= v <= 365)
        sb.number_input("Notification window (days)", min_value=0, max_value=365, step=1, key=key,
                        help="A receiving state told within this many days of arrival counts as notified in time.")
        window = int(_keep("window"))
    return Filters(window_days=window, date_from=date_from, date_to=date_to, group=group, min_risk=min_risk,
                   states=chosen)
