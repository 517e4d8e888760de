"""Where the graph lives: the driver and its errors (`driver`), the embedded
server (`embedded`), the Cypher files by name (`cypher`) and the read-only
check for users' queries (`readonly`)."""

from .driver import Store, open_store, translate_errors, wait_ready

__all__ = ["Store", "open_store", "translate_errors", "wait_ready"]
