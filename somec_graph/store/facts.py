"""The version of the facts a load derives and stores (`ingest/derive.py`), kept in the Meta node.

Here, below both stages, because the loader writes it and the analyses check it: a
graph derived by an earlier version lacks what they read (the what-if inputs, say).
"""

# Bumped whenever the derived facts change: the next load re-derives a graph derived by an earlier version.
FACTS_VERSION = 2
