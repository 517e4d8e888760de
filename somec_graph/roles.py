"""Roles and jurisdiction, in one place: who may see what (see docs/security.md).

- ``admin``      loads data and manages users; sees everything.
- ``analyst``    sees offender-level detail, but only in the states of their
                 jurisdiction (``states``, at least one).
- ``supervisor`` sees aggregates only, never an offender id.

The store passes `User.scope` to every statement as `$scope`; offender-level
statements filter on it, so scoping holds wherever data is read.

>>> ana = User("ana", "analyst", ("DE",))
>>> ana.scope, ana.may_see_offenders_in("DE"), ana.may_see_offenders_in("FR")
(['DE'], True, False)
>>> User("sam", "supervisor").require_detail("The arrivals list")
Traceback (most recent call last):
...
somec_graph.errors.AccessDenied: The arrivals list lists individual offenders; the supervisor role sees aggregates only.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import AccessDenied

ROLES = ("admin", "analyst", "supervisor")


@dataclass(frozen=True)
class User:
    """Who is acting: a configured user after login, or `LOCAL_ADMIN`."""
    name: str
    role: str
    states: tuple[str, ...] = ()

    @property
    def is_admin(self) -> bool:
        """May load data and manage users."""
        return self.role == "admin"

    @property
    def may_see_offenders(self) -> bool:
        """May see offender-level rows at all (admins everywhere, analysts in their states)."""
        return self.role in ("admin", "analyst")

    @property
    def offender_states(self) -> tuple[str, ...] | None:
        """States whose offender-level data this user may see: None = all, () = none.

        >>> LOCAL_ADMIN.offender_states is None, User("s", "supervisor").offender_states
        (True, ())
        """
        if self.role == "admin":
            return None
        return self.states if self.role == "analyst" else ()

    def may_see_offenders_in(self, state: str) -> bool:
        """May see offender-level detail about `state` (an ISO alpha-2 code)."""
        allowed = self.offender_states
        return allowed is None or state in allowed

    @property
    def scope(self) -> list[str] | None:
        """`$scope` of every statement: the analyst's states, or None (no filter) for everyone else."""
        return list(self.states) if self.role == "analyst" else None

    def require_detail(self, what: str) -> None:
        """Refuse offender-level results to users who may only see aggregates."""
        if not self.may_see_offenders:
            raise AccessDenied(f"{what} lists individual offenders; the {self.role} role sees aggregates only.")

    def check_query(self, short_name: str | None, access: str = "offenders") -> None:
        """Named queries listing offenders need a role that sees them; free-text Cypher
        (`short_name` None) could read around the jurisdiction, so it is for admins only."""
        if short_name is None:
            if not self.is_admin:
                raise AccessDenied("Free-text Cypher is for admins only; pick a named query instead.")
        elif access != "aggregate":
            self.require_detail(f"The query {short_name!r}")


LOCAL_ADMIN = User("local", "admin", ())
