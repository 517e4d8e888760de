"""somec-graph dashboard, started by `somec-graph app` (which gives Streamlit its safety settings).

The navigation entry only: each page in app_pages/ is thin and calls the cached
reads in somec_graph.app.reads and the dashboard's other layers and builders in
somec_graph.app (README.md, Layout).
"""

import streamlit as st

from somec_graph.app import session, watching
from somec_graph.resources import PAGES_DIR

# A local favicon: a ":material/...:" page icon would otherwise become a favicon fetched from a font CDN.
st.set_page_config(page_title="somec-graph", page_icon=str(PAGES_DIR / "favicon.png"), layout="wide",
                   initial_sidebar_state="expanded",
                   menu_items={"Get help": None, "Report a bug": None,
                               "About": "somec-graph: offenders' movements between European states and where "
                                        "information fails to follow them. Synthetic data only."})

session.current_user()  # the login form, when users are configured, before anything else
session.account_sidebar()
watching.sidebar_total()  # new work-queue rows for the user's watch rules (SPEC §10)

# The default page is served at the root URL.
PAGES = {
    "Supervisors": [
        st.Page(PAGES_DIR / "1_overview.py", title="Overview", icon=":material/dashboard:", default=True),
        st.Page(PAGES_DIR / "6_what_if.py", title="What if", icon=":material/rule:", url_path="what_if"),
    ],
    "Analysts": [
        st.Page(PAGES_DIR / "7_work_queue.py", title="Work queue", icon=":material/inbox:", url_path="work_queue"),
        st.Page(PAGES_DIR / "2_movement_explorer.py", title="Movement explorer", icon=":material/route:",
                url_path="movement_explorer"),
        st.Page(PAGES_DIR / "3_networks.py", title="Networks", icon=":material/hub:", url_path="networks"),
        st.Page(PAGES_DIR / "8_explore.py", title="Explore", icon=":material/travel_explore:", url_path="explore"),
        st.Page(PAGES_DIR / "4_query_console.py", title="Query console", icon=":material/terminal:",
                url_path="query_console"),
    ],
    "Data": [
        st.Page(PAGES_DIR / "5_data.py", title="Data", icon=":material/upload_file:", url_path="data"),
    ],
}

page = st.navigation(PAGES)
session.audit_view(page.title)
with session.last_resort():
    page.run()
