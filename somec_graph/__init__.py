"""somec-graph: a graph-based explorer of offender movements and the
information gaps between European states.

Data flows one way: CSV -> validate -> load -> graph -> analyse -> CLI/dashboard.
"""

__version__ = "0.1.0"
