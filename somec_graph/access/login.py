"""Dashboard login: when it is required, how long a session lasts, and throttled guessing."""

from __future__ import annotations

import ipaddress
import threading
import time
from pathlib import Path
from typing import Any

from .users import UserError, has_users

SESSION_IDLE_MINUTES = 30   # a dashboard session unused this long must log in again
MAX_FAILURES = 5            # failed logins per name before LoginThrottle makes the next one wait


def is_loopback(address: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, localhost).

    >>> is_loopback("127.0.0.1"), is_loopback("localhost"), is_loopback("0.0.0.0"), is_loopback("10.0.0.5")
    (True, True, False, False)
    """
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to anything


def login_required(data_dir: Path | str, address: str) -> bool:
    """Whether a dashboard listening on `address` must ask for a login.

    No users and loopback: no login, everyone is `roles.LOCAL_ADMIN` (they already hold
    the account that owns the data). Any user configured: login, wherever it
    listens. Off loopback with no users: UserError, since nobody could log in
    and falling back to LOCAL_ADMIN would open everything to the network.
    """
    if has_users(data_dir):
        return True
    if is_loopback(address):
        return False
    raise UserError(f"The dashboard would listen on {address} with no users configured; add one with "
                    "`somec-graph users add NAME --role admin` first, or listen on 127.0.0.1.")


class LoginThrottle:
    """Slows password guessing in one dashboard process: after MAX_FAILURES failed
    logins for a name, each further attempt must wait 2, 4, 8 ... up to 300 seconds.

    >>> t = LoginThrottle(); [t.failed("ana") for _ in range(MAX_FAILURES)] and None
    >>> 0 < t.wait_seconds("ana") <= 2, t.wait_seconds("bob")
    (True, 0.0)
    """

    def __init__(self, clock: Any = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._failures: dict[str, tuple[int, float]] = {}

    def wait_seconds(self, name: str) -> float:
        """Seconds before `name` may try again (0: now). Check before calling authenticate()."""
        with self._lock:
            count, last = self._failures.get(name, (0, 0.0))
        if count < MAX_FAILURES:
            return 0.0
        delay = min(2.0 ** (count - MAX_FAILURES + 1), 300.0)
        return max(0.0, last + delay - self._clock())

    def failed(self, name: str) -> None:
        with self._lock:
            count, _ = self._failures.get(name, (0, 0.0))
            self._failures[name] = (count + 1, self._clock())

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(name, None)
