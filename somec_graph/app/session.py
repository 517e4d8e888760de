"""Who is using the dashboard and on which data: the store (one per process), login and idle
timeout, audit of views, the data version that keys every cache, and one-sentence errors."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import streamlit as st
from streamlit import runtime

from .. import audit
from ..access.login import SESSION_IDLE_MINUTES, LoginThrottle, login_required
from ..access.users import authenticate
from ..config import load_settings
from ..errors import AccessDenied, SomecGraphError
from ..roles import LOCAL_ADMIN, User
from ..store import Store, marker, open_store

NO_DATA = ("No data loaded yet — load a data set on the Data page or run `somec-graph load seed_data`.")
DATA_PAGE = "app_pages/5_data.py"
log = logging.getLogger("somec_graph.app")

# --- the store and the data version ----------------------------------------------

@st.cache_resource(show_spinner="Connecting to the graph database ...")
def _shared_store() -> Store:
    """The connection of this dashboard process (starts the embedded server when needed)."""
    return open_store(load_settings())


_outside = threading.local()  # the store of reads made outside a page run (the prewarm's thread)


def get_store() -> Store:
    """The store as seen by this browser session's user: every read is scoped by it."""
    return getattr(_outside, "store", None) or _shared_store().as_user(current_user())


@contextmanager
def reading_through(store: Store) -> Iterator[None]:
    """Reads in this thread through `store` (scoped to its user already), outside a page run, where
    there is no session to ask who the user is."""
    _outside.store = store
    try:
        yield
    finally:
        del _outside.store


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
        audit.audited(data_dir, User(name[:64] or "-", "-"), "login failed")
        st.error("Wrong user name or password.")
        return
    _throttle().succeeded(name)
    st.session_state[SESSION_KEY] = {"user": user, "seen": time.time()}
    audit.audited(data_dir, user, "login")
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
    audit.audited(load_settings().data_dir, current_user(), action, params, rows)


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


def wait_for_writer() -> None:
    """While a load (or another change of the data) runs, say so and wait instead of reading a
    half-written graph: a fragment checks every 2 s and reruns the page once it has finished.
    The marker is the database's (store/marker.py), so a write from any host counts."""
    store = get_store()
    first = marker.read(store)
    if not first.writing:
        return
    note_wait(first.what)

    @st.fragment(run_every=2)
    def waiting() -> None:
        seen = marker.read(store)
        if not seen.writing:
            st.rerun(scope="app")
        elif marker.died(store, seen):
            st.warning(f"The data is half-written: {seen.holder()} stopped before it finished. Run that "
                       f"{seen.what or 'change'} again; the figures appear here once it has finished.")
        else:
            st.info(f"The data is being changed: {seen.holder()}. The figures appear here as soon as it "
                    "has finished.", icon=":material/hourglass_top:")

    waiting()
    st.stop()


WAITED_KEY = "somec_waited_for"


def note_wait(what: str | None) -> None:
    """Remember that this page waited for a write, to say so once it shows the data after it."""
    st.session_state[WAITED_KEY] = what or "change"


def require_data() -> DataState:
    """The data state; an explained empty state (and a stop) when nothing is loaded or a load runs."""
    with guard():
        wait_for_writer()
        state = data_state()
    waited = st.session_state.pop(WAITED_KEY, None)
    if waited:
        st.caption(f"Waited for a {waited} to finish; these figures are from the data after it.")
    if state.empty:
        st.info(NO_DATA, icon=":material/info:")
        try:
            st.page_link(DATA_PAGE, label="Go to the Data page", icon=":material/upload_file:")
        except Exception:  # noqa: BLE001 - page_link needs st.navigation; AppTest of a single page has none
            pass
        st.stop()
    if state.pending:
        st.warning("The last load did not finish; figures may be incomplete. Load the data set again to complete it.")
    elif runtime.exists():  # a dashboard server (or AppTest), not a bare script
        from . import prewarm  # here: prewarm imports the reads, which import this module

        prewarm.start(state.key, get_store())
    return state
