"""The library's own exceptions. The CLI and the dashboard turn each into one
sentence for the user; nothing else reaches them as a traceback."""


class SomecGraphError(Exception):
    """Base class: the message is written for the user, with what to do."""


class ConfigError(SomecGraphError):
    """A setting is wrong (bad value, unwritable data dir, busy port)."""


class StoreError(SomecGraphError):
    """The database cannot be reached or refused us."""


class StoreUnavailable(StoreError):
    """The database cannot be reached at all (down, restarting, wrong address)."""


class QueryError(SomecGraphError):
    """A named query is unknown, badly parameterised or not read-only."""


class AccessDenied(SomecGraphError):
    """The user's role or jurisdiction does not allow this."""
