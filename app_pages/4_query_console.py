"""Query console: run a named, parameterised query from cypher/queries/ (read-only)."""

from datetime import date

import streamlit as st

from somec_graph.app import console, downloads, network_html, session, style
from somec_graph.errors import QueryError, SomecGraphError

st.title("Query console")
st.caption("Pick a named query, fill in its parameters and run it. Queries only read: anything that could change "
           "the graph is refused.")

state = session.require_data()
queries = console.named_queries()
if not queries:
    st.info("There are no named queries in cypher/queries/. Add a .cypher file there with a header "
            "(// name:, // purpose:, // params:, // returns:) and reload this page.")
    st.stop()

name = st.selectbox("Query", list(queries), key="console_query",
                    format_func=lambda n: f"{n} — {queries[n].purpose[:90]}")
statement = queries[name]
st.markdown(f"**{name}**: {statement.purpose}")


def widget(p) -> str | None:
    """One form widget per parameter; returns the text value for Statement.bind (None: use the default)."""
    label = f"{p.name} ({p.type})" + ("" if p.default is not None else " *")
    default = None if p.default in (None, "null") else p.default
    wkey = f"console_{name}_{p.name}"
    if p.type == "bool":
        return "true" if st.checkbox(label, value=default == "true", help=p.help, key=wkey) else "false"
    if p.type in ("int", "float"):
        cast = int if p.type == "int" else float
        try:
            start = cast(default) if default is not None else None
        except ValueError:
            start = None
        value = st.number_input(label, value=start, step=1 if p.type == "int" else 0.1, help=p.help, key=wkey,
                                placeholder="(empty: none)" if p.default == "null" else "")
        return None if value is None else str(cast(value))
    if p.type == "date":
        try:
            start = date.fromisoformat(default) if default else None
        except ValueError:
            start = None
        value = st.date_input(label, value=start, help=p.help, key=wkey, min_value=date(1900, 1, 1),
                              max_value=date(2100, 12, 31))
        return value.isoformat() if isinstance(value, date) else None
    hint = "comma-separated, e.g. DE, FR" if p.type == "strings" else ""
    value = st.text_input(label, value=default or "", help=p.help, key=wkey, placeholder=hint)
    return value.strip() or None


with st.form("console_form", border=True):
    raw: dict[str, str] = {}
    missing: list[str] = []
    cols = st.columns(2) if len(statement.params) > 1 else [st.container()]
    for i, p in enumerate(statement.params):
        with cols[i % len(cols)]:
            value = widget(p)
        if value is not None:
            raw[p.name] = value
        elif p.default is None:
            missing.append(p.name)
    if any(p.default is None for p in statement.params):
        st.caption("Fields marked with an asterisk are required; empty optional fields use the query's default.")
    elif statement.params:
        st.caption("Empty fields use the query's default.")
    run = st.form_submit_button("Run query", type="primary", icon=":material/play_arrow:")

if run:
    st.session_state.pop("console_result", None)
    if missing:
        st.error(f"Fill in {', '.join(missing)}: the query needs {'it' if len(missing) == 1 else 'them'}.")
    else:
        try:
            with st.spinner("Running ..."):
                result = console.run_console_query(statement.text, statement.bind(raw), statement)
            st.session_state["console_result"] = (name, result)
        except SomecGraphError as exc:
            st.error(str(exc), icon=":material/error:")

with st.expander("Write your own read-only query", icon=":material/edit_note:"):
    own = st.text_area("Cypher", key="console_own", height=120,
                       placeholder="MATCH (s:State) RETURN s.code AS code, s.name AS name ORDER BY code",
                       help="Read-only: CREATE, MERGE, SET, DELETE, REMOVE, DROP, LOAD CSV and unknown procedures "
                            "are refused. Parameters are not available here; use a named query for those.")
    if st.button("Run my query", key="console_own_run", icon=":material/play_arrow:"):
        st.session_state.pop("console_result", None)
        if not own.strip():
            st.error("Write a query first, e.g. MATCH (s:State) RETURN s.code AS code.")
        else:
            try:
                with st.spinner("Running ..."):
                    result = console.run_console_query(own, {})
                st.session_state["console_result"] = ("your query", result)
            except QueryError as exc:
                st.error(str(exc), icon=":material/block:")
            except SomecGraphError as exc:
                st.error(str(exc), icon=":material/error:")

if "console_result" in st.session_state:
    title, result = st.session_state["console_result"]
    table = result.table
    st.subheader(f"Result of {title}")
    if table.empty:
        st.info("The query ran and returned no rows. Check the parameters (ids are case-sensitive, e.g. "
                "OFF-000001; state codes are upper case, e.g. DE).")
    else:
        st.caption(f"{style.fmt_int(len(table))} row(s).")
        st.dataframe(downloads.display_frame(table), hide_index=True, width="stretch")
        st.download_button("Download CSV", downloads.safe_csv(downloads.display_frame(table)), f"{title.replace(' ', '-')}.csv",
                           "text/csv", icon=":material/download:", on_click=session.audit_download,
                           args=(f"{title.replace(' ', '-')}.csv",))
    if result.graph.number_of_nodes():
        n = result.graph.number_of_nodes()
        if network_html.too_many_nodes(n, int(st.session_state.get("max_network_nodes", style.MAX_NETWORK_NODES))):
            st.warning(f"The result holds {n:,} nodes, too many to draw smoothly; the table lists them. Add a LIMIT "
                       "or a narrower parameter to see them as a graph.")
        else:
            st.caption("The nodes and relationships the query returned. Hover a node for its properties.")
            st.iframe(network_html.result_graph_html(result.graph), height=560, alt="Nodes and relationships of the result")
