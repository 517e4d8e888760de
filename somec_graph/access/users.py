"""Users of the dashboard, kept in `<data_dir>/users.json` (their roles: `roles.py`).

Passwords are hashed with scrypt (n=2**14, r=8, p=1, a 16-byte random salt)
and stored as ``scrypt$n$r$p$salt_b64$hash_b64``; they are compared with
`hmac.compare_digest` and are never logged, printed or returned. The file is
owner-only (0600), rewritten atomically (temporary file + rename) under an
exclusive lock, so two admins changing users at once lose nothing.

With no users configured the CLI, and a dashboard listening on loopback only,
act as `roles.LOCAL_ADMIN`: whoever can run them already holds the operating-system
account that owns the data folder (see `login.login_required`).

>>> import tempfile
>>> d = Path(tempfile.mkdtemp())
>>> add_user(d, "ana", "analyst", "correct horse battery", states=["de", "UK"])
User(name='ana', role='analyst', states=('DE', 'GB'))
>>> authenticate(d, "ana", "wrong password!!") is None
True
>>> authenticate(d, "ana", "correct horse battery").may_see_offenders_in("GB")
True
"""

from __future__ import annotations

import base64
import binascii
import fcntl
import hashlib
import hmac
import json
import os
import re
import secrets
import stat
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .. import audit
from ..config import Settings
from ..errors import ConfigError, SomecGraphError
from ..roles import LOCAL_ADMIN, ROLES, User
from ..vocab import is_state_code, state_code

USERS_FILE = "users.json"
LOCK_FILE = "users.lock"
MIN_PASSWORD_CHARS = 12
MAX_PASSWORD_CHARS = 1024
RESERVED_NAMES = ("local",)  # the implicit LOCAL_ADMIN; a configured user must not pass for it
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2 ** 14, 8, 1
SALT_BYTES = 16
HASH_BYTES = 32
# Bounds on the parameters read back from the file: a tampered hash must not
# make every login allocate gigabytes.
_MAX_N, _MAX_R, _MAX_P = 2 ** 20, 32, 16
_NAME = re.compile(r"[A-Za-z0-9._-]{1,64}", re.ASCII)


class UserError(SomecGraphError):
    """A user cannot be added, changed or removed as asked (bad name, role, state or password)."""


class UsersFileError(SomecGraphError):
    """users.json is unreadable, damaged or open to other accounts."""


# --- checks -----------------------------------------------------------------

def check_name(name: Any) -> str:
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise UserError(f"The user name {str(name)[:70]!r} is not allowed; use 1-64 letters, digits, dots, "
                        "dashes or underscores.")
    return name


def check_role(role: Any) -> str:
    if role not in ROLES:
        raise UserError(f"The role {str(role)[:40]!r} is unknown; use one of {', '.join(ROLES)}.")
    return role


def normalise_states(states: Iterable[str] | str | None) -> tuple[str, ...]:
    """ISO 3166-1 alpha-2 codes, upper-case, EU aliases mapped (UK->GB, EL->GR), sorted, unique.

    >>> normalise_states("de, uk ,EL,DE")
    ('DE', 'GB', 'GR')
    """
    if states is None:
        return ()
    items = states.split(",") if isinstance(states, str) else list(states)
    codes: set[str] = set()
    for item in items:
        if not isinstance(item, str):
            raise UserError(f"The state {item!r} is not a two-letter ISO 3166-1 code such as DE.")
        raw = item.strip()
        if not raw:
            continue
        code = state_code(raw)
        if not is_state_code(code):
            raise UserError(f"The state {raw[:20]!r} is not a two-letter ISO 3166-1 code such as DE.")
        codes.add(code)
    return tuple(sorted(codes))


def _check_states(role: str, states: tuple[str, ...]) -> None:
    if role == "analyst" and not states:
        raise UserError("An analyst needs at least one state (their jurisdiction), e.g. states=['DE'].")
    if role != "analyst" and states:
        raise UserError(f"Only analysts are limited to states; a {role} must be added without states.")


def check_password(password: Any) -> str:
    if not isinstance(password, str):
        raise UserError("The password must be text.")
    if len(password) < MIN_PASSWORD_CHARS:
        raise UserError(f"The password is too short; use at least {MIN_PASSWORD_CHARS} characters.")
    if len(password) > MAX_PASSWORD_CHARS:
        raise UserError(f"The password is too long; use at most {MAX_PASSWORD_CHARS} characters.")
    return password


# --- hashing ----------------------------------------------------------------

def _password_bytes(password: str) -> bytes:
    # NFC so that the same password typed on another keyboard or OS still matches.
    return unicodedata.normalize("NFC", password).encode("utf-8")


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, dklen: int) -> bytes:
    return hashlib.scrypt(_password_bytes(password), salt=salt, n=n, r=r, p=p, dklen=dklen,
                          maxmem=129 * r * n * p + 1024 * 1024)


def hash_password(password: str) -> str:
    """`scrypt$n$r$p$salt_b64$hash_b64` of `password` with a fresh random salt."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P, HASH_BYTES)
    return "$".join(("scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P),
                     base64.b64encode(salt).decode("ascii"), base64.b64encode(digest).decode("ascii")))


def verify_password(password: str, stored: str) -> bool:
    """True when `password` matches the stored scrypt hash; False for any malformed hash."""
    try:
        scheme, n_s, r_s, p_s, salt_b64, hash_b64 = stored.split("$")
        n, r, p = int(n_s), int(r_s), int(p_s)
        salt = base64.b64decode(salt_b64, validate=True)
        expected = base64.b64decode(hash_b64, validate=True)
    except (AttributeError, ValueError, binascii.Error):
        return False
    if (scheme != "scrypt" or not 2 <= n <= _MAX_N or n & (n - 1) or not 1 <= r <= _MAX_R
            or not 1 <= p <= _MAX_P or not salt or not 16 <= len(expected) <= 64):
        return False
    try:
        actual = _scrypt(password, salt, n, r, p, len(expected))
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(actual, expected)


# Unknown users are checked against this hash (of a random password nobody kept), so a
# login takes as long whether the name exists or not.
_DUMMY_HASH = "scrypt$16384$8$1$kzUYE5uH9oIXUA5pPcGxtw==$fzRH/NQEjv1AdJFsBBZs5tgN2Qgbc9S4dMXigS7nvTk="


# --- the file ---------------------------------------------------------------

def users_path(data_dir: Path | str) -> Path:
    return Path(data_dir) / USERS_FILE


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _read(data_dir: Path) -> dict[str, dict[str, Any]]:
    path = users_path(data_dir)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise UsersFileError(f"Cannot read {path} ({exc.strerror}); check that it is a file you own.") from None
    with os.fdopen(fd, "rb") as fh:
        info = os.fstat(fh.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise UsersFileError(f"{path} is not a regular file; remove it or restore it from a backup.")
        if info.st_mode & 0o077:
            raise UsersFileError(f"{path} is open to other accounts (mode {stat.S_IMODE(info.st_mode):o}); "
                                 f"run chmod 600 {path} and check that nobody changed it.")
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            raise UsersFileError(f"{path} belongs to another account; it must belong to the account running "
                                 "somec-graph.")
        raw = fh.read()
    try:
        doc = json.loads(raw.decode("utf-8"))
        users = doc["users"]
        if not isinstance(users, dict) or not all(isinstance(v, dict) for v in users.values()):
            raise ValueError
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise UsersFileError(f"{path} is damaged (not the expected JSON); restore it from a backup.") from None
    return users


def _write(data_dir: Path, users: dict[str, dict[str, Any]]) -> None:
    path = users_path(data_dir)
    text = json.dumps({"version": 1, "users": users}, indent=1, sort_keys=True) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=".users.", suffix=".tmp", dir=data_dir)  # created 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            os.fchmod(fh.fileno(), 0o600)
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    dir_fd = os.open(data_dir, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


@contextmanager
def _locked(data_dir: Path | str, exclusive: bool) -> Iterator[Path]:
    folder = Path(data_dir)
    if exclusive:
        try:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise UsersFileError(f"Cannot create the data folder {folder} ({exc.strerror}); "
                                 "set SOMEC_DATA_DIR to a folder you can write to.") from None
    elif not folder.is_dir():
        yield folder
        return
    try:
        fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError as exc:
        raise UsersFileError(f"Cannot open {folder / LOCK_FILE} ({exc.strerror}); "
                             "check the permissions of the data folder.") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield folder
    finally:
        os.close(fd)


def _user(name: str, entry: dict[str, Any]) -> User:
    return User(name, str(entry.get("role", "")), tuple(entry.get("states") or ()))


# --- the API ----------------------------------------------------------------

def add_user(data_dir: Path | str, name: str, role: str, password: str,
             states: Iterable[str] | str | None = None, *, by: User = LOCAL_ADMIN) -> User:
    """Add a user, audited as done `by`; analysts need at least one state. Raises UserError if the name is taken."""
    check_name(name)
    if name.lower() in RESERVED_NAMES:
        raise UserError(f"The name {name!r} is reserved for the implicit local administrator; choose another.")
    check_role(role)
    codes = normalise_states(states)
    _check_states(role, codes)
    check_password(password)
    hashed = hash_password(password)  # before taking the lock: scrypt is deliberately slow
    with _locked(data_dir, exclusive=True) as folder:
        users = _read(folder)
        if name in users:
            raise UserError(f"A user named {name!r} already exists; remove it first or choose another name.")
        users[name] = {"role": role, "states": list(codes), "password": hashed, "created": _now()}
        _write(folder, users)
    audit.audited(data_dir, by, "users add", {"name": name, "role": role, "states": list(codes)})
    return User(name, role, codes)


def list_users(data_dir: Path | str) -> list[dict[str, Any]]:
    """Every user as {name, role, states, created}, by name; never the password hashes."""
    with _locked(data_dir, exclusive=False) as folder:
        users = _read(folder)
    return [{"name": name, "role": e.get("role"), "states": list(e.get("states") or []), "created": e.get("created")}
            for name, e in sorted(users.items())]


def has_users(data_dir: Path | str) -> bool:
    """True when at least one user is configured (then the dashboard off loopback requires a login)."""
    return bool(list_users(data_dir))


def remove_user(data_dir: Path | str, name: str, *, by: User = LOCAL_ADMIN) -> None:
    """Remove a user, audited as done `by`; raises UserError when there is none of that name."""
    check_name(name)
    with _locked(data_dir, exclusive=True) as folder:
        users = _read(folder)
        if name not in users:
            raise UserError(f"There is no user named {name!r}; see the list of users.")
        del users[name]
        _write(folder, users)
    audit.audited(data_dir, by, "users remove", {"name": name})


def set_password(data_dir: Path | str, name: str, password: str, *, by: User = LOCAL_ADMIN) -> None:
    """Replace a user's password, audited as done `by`; raises UserError for an unknown user or a too-short one."""
    check_name(name)
    check_password(password)
    hashed = hash_password(password)
    with _locked(data_dir, exclusive=True) as folder:
        users = _read(folder)
        if name not in users:
            raise UserError(f"There is no user named {name!r}; see the list of users.")
        users[name]["password"] = hashed
        users[name]["password_changed"] = _now()
        _write(folder, users)
    audit.audited(data_dir, by, "users passwd", {"name": name})


def authenticate(data_dir: Path | str, name: str, password: str) -> User | None:
    """The user when name and password match, else None (same work whether or not the name exists).

    A damaged or unsafe users.json raises UsersFileError rather than letting anyone in.
    """
    entry: dict[str, Any] | None = None
    if isinstance(name, str) and _NAME.fullmatch(name):
        with _locked(data_dir, exclusive=False) as folder:
            entry = _read(folder).get(name)
    if not isinstance(password, str):
        password = ""
    stored = entry.get("password") if entry else None
    if entry is None or not isinstance(stored, str):
        verify_password(password, _DUMMY_HASH)
        return None
    if not verify_password(password, stored):
        return None
    user = _user(name, entry)
    if user.role not in ROLES or (user.role == "analyst" and not user.states):
        return None  # a hand-edited entry that no longer makes sense lets nobody in
    return user


def cli_user(settings: Settings) -> User:
    """Whom the CLI's watch and alerts commands act for: SOMEC_USER's configured user, or the local admin."""
    if not settings.user:
        return LOCAL_ADMIN
    entry = next((u for u in list_users(settings.data_dir) if u["name"] == settings.user), None)
    if entry is None:
        raise ConfigError(f"SOMEC_USER={settings.user[:64]!r} names no configured user; add it with "
                          "`somec-graph users add` or unset SOMEC_USER.")
    return User(entry["name"], str(entry["role"]), tuple(entry["states"]))
