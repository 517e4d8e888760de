"""A tamper-evident, append-only audit log: `<data_dir>/audit.jsonl`.

Each line is one JSON entry ``{seq, time, user, role, action, params, rows,
prev, hash}``: `seq` counts from 1, `time` is UTC ISO 8601, `prev` is the hash
of the entry before (64 zeros for the first) and `hash` is the SHA-256 of the
entry without `hash` as canonical JSON (sorted keys, no spaces, ASCII). So
editing a line, removing one, inserting one or reordering them breaks the
chain, and `verify()` names the line.

What the chain cannot see on its own: cutting entries off the *end* leaves a
shorter chain that is still intact. `head()` gives the latest hash; an operator
who writes it down elsewhere (a ticket, a mail, another machine) can later pass
it as `verify(data_dir, expected_head=...)`, which then reports a log that no
longer contains that entry. Anyone who can write the file can also rebuild the
whole chain with fresh hashes; only an externally recorded head catches that.

The product records through `audited()`, which checks each action's parameters against `ACTIONS`
(one schema per action, whoever records it); `record()` is the log's own append.

An offender id never goes into the log in clear, whoever records the entry:
`record()` itself replaces it by `offender_key()`, its keyed hash
(HMAC-SHA256 with a random key kept owner-only in `<data_dir>/audit.key`,
created on first use) — every text value of a parameter named like an
offender (`offender_id`, `offender`, `offenders`, at any depth), and in any
other text every match of SOMEC_OFFENDER_ID_PATTERN (an id typed into a
free-text query or a reason). So an erasure leaves nothing to scrub, while an
auditor holding the key can still find an id's entries (`show(offender=...)`).

Writers (the CLI and the dashboard, in several processes) take an exclusive
`fcntl.flock` on `audit.lock` around read-last-entry-then-append, so entries
never interleave and the chain never forks. Parameters whose key contains
"password", "passwd", "secret" or "token" are dropped before anything is written.

>>> import tempfile
>>> d = Path(tempfile.mkdtemp())
>>> e = record(d, "ana", "analyst", "journey", {"offender_id": "OFF-1", "password": "x"}, rows=3)
>>> e["seq"], e["params"] == {"offender_id": offender_key(d, "OFF-1")}, verify(d), head(d) == e["hash"]
(1, True, [], True)
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import math
import os
import re
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import load_settings
from .errors import SomecGraphError
from .roles import User

if TYPE_CHECKING:  # pandas only when show() is called: record() runs on every CLI command
    import pandas as pd

LOG_FILE = "audit.jsonl"
LOCK_FILE = "audit.lock"
KEY_FILE = "audit.key"
KEY_BYTES = 32
GENESIS = "0" * 64
FIELDS = ("seq", "time", "user", "role", "action", "params", "rows", "prev", "hash")
SENSITIVE = ("password", "passwd", "secret", "token")
OFFENDER_PARAM = "offender"  # a parameter whose name holds it names offenders: its text is logged as keyed hashes
MAX_TEXT_CHARS = 4000   # a parameter value longer than this is cut (a pasted query, say)
MAX_NAME_CHARS = 200
_TAIL_CHUNK = 64 * 1024


class AuditError(SomecGraphError):
    """The audit log cannot be written or read, or an argument is unusable."""


_ANALYSIS = ("window_days", "as_of", "whatif", "notice_days", "reply_days")
# Every action the product records, with the names its parameters may have: one schema per action,
# whoever records it (library, command line, dashboard), so `audit show` reads the same for all.
ACTIONS: dict[str, frozenset[str]] = {name: frozenset(params) for name, params in {
    # writes, recorded by the library function that makes them
    "load": ("folder", "skip_invalid", "sync", "rejected_rows"),
    "erase": ("offenders", "reason", "convictions", "movements", "exchanges"),
    "case": ("movement_id", "offender", "status", "mechanism", "requested_date", "reason", "note_chars"),
    "watch add": ("name", "state", "min_risk", "statuses", "window_days"),
    "watch remove": ("name",),
    "alerts ack": ("rule", "offenders"),
    "users add": ("name", "role", "states"),
    "users remove": ("name",),
    "users passwd": ("name",),
    "backup": ("file",),
    "restore": ("file",),
    # reads that list offenders or leave the system, recorded by the front that shows them
    "query": ("name", "params"),
    "queue": ("state", "window_days", "as_of"),
    "journey": ("offender_id", "window_days", "as_of"),
    "connect": ("offenders", "max_hops", "limit"),
    "gaps arrivals": _ANALYSIS,
    "gaps ecris": _ANALYSIS,
    "gaps supervision": _ANALYSIS,
    "network offenders": ("groups", "days", "seed"),
    "alerts": ("rule", "offenders"),
    "report": ("out", "from", "to", "states"),
    "export": ("out", "format", "states", "offenders"),
    "download": ("file", "from", "to", "states", "window_days", "group", "min_risk"),
    "view": ("page", "offender_id", "clicked_offender", "query", "offender", "offender_a", "offender_b"),
    # sessions and refusals
    "login": (), "login failed": (), "logout": (),
    "denied": ("reason",),
}.items()}


def audited(data_dir: Path | str, user: User, action: str, params: dict[str, Any] | None = None,
            rows: int | None = None) -> dict[str, Any]:
    """Record `action` by `user` (see `record`), its parameters checked against `ACTIONS`: how the product audits.

    >>> import tempfile
    >>> audited(tempfile.mkdtemp(), User("ana", "analyst", ("DE",)), "journey", {"offender": "OFF-1"})
    Traceback (most recent call last):
    ...
    somec_graph.audit.AuditError: The audit action 'journey' has no parameter 'offender' (it has as_of, ...
    """
    schema = ACTIONS.get(action)
    if schema is None:
        raise AuditError(f"{action!r} is not an audited action; declare it and its parameters in audit.ACTIONS.")
    extra = sorted(set(params or {}) - schema)
    if extra:
        raise AuditError(f"The audit action {action!r} has no parameter {', '.join(map(repr, extra))} "
                         f"(it has {', '.join(sorted(schema)) or 'none'}); declare it in audit.ACTIONS.")
    return record(data_dir, user.name, user.role, action, params, rows)


# --- entries ----------------------------------------------------------------

def canonical(entry: dict[str, Any]) -> bytes:
    """The bytes that are hashed: the entry without `hash`, sorted keys, no spaces, ASCII."""
    body = {k: v for k, v in entry.items() if k != "hash"}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=True,
                      allow_nan=False).encode("ascii")


def entry_hash(entry: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(entry)).hexdigest()


def _sensitive(key: str) -> bool:
    low = key.lower()
    return any(word in low for word in SENSITIVE)


def clean_params(value: Any, _depth: int = 0) -> Any:
    """`value` made JSON-safe, without sensitive keys at any depth, long text cut.

    >>> clean_params({"Password": "x", "db": {"api_token": "y", "n": 1}, "when": date(2024, 1, 2)})
    {'db': {'n': 1}, 'when': '2024-01-02'}
    """
    if _depth > 20:
        return "…(nested too deep)"
    if isinstance(value, dict):
        return {str(k): clean_params(v, _depth + 1) for k, v in value.items() if not _sensitive(str(k))}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return [clean_params(v, _depth + 1) for v in items]
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, (date, datetime, time)):
        return value.isoformat()
    text = value if isinstance(value, str) else str(value)
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS] + f"…({len(text) - MAX_TEXT_CHARS} more characters)"
    return text


def pseudonymised(data_dir: Path | str, value: Any, pattern: re.Pattern[str] | None = None) -> Any:
    """`value` (cleaned params) with every offender id replaced by its keyed hash.

    Text under a key containing "offender" is hashed whole; any other text has
    each match of `pattern` (default: SOMEC_OFFENDER_ID_PATTERN) hashed. The
    key file is read only when something is replaced.

    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> p = pseudonymised(d, {"offenders": ["O1"], "text": "MATCH ({offender_id: 'OFF-7'})", "n": 1})
    >>> p["offenders"] == [offender_key(d, "O1")], p["text"] == f"MATCH ({{offender_id: '{offender_key(d, 'OFF-7')}'}})"
    (True, True)
    """
    folder = Path(data_dir)
    pattern = pattern or load_settings().offender_id_pattern
    key: list[bytes] = []  # read once, on the first replacement

    def keyed(text: str) -> str:
        if not key:
            key.append(_hash_key(folder))
        return hmac.new(key[0], text.encode("utf-8"), hashlib.sha256).hexdigest()

    def walk(item: Any, named: bool) -> Any:
        if isinstance(item, dict):
            return {k: walk(v, named or OFFENDER_PARAM in k.lower()) for k, v in item.items()}
        if isinstance(item, list):
            return [walk(v, named) for v in item]
        if isinstance(item, str):
            return keyed(item) if named else pattern.sub(lambda m: keyed(m.group(0)), item)
        return item

    return walk(value, False)


def _name(label: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise AuditError(f"The audit {label} must be non-empty text.")
    return value[:MAX_NAME_CHARS]


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


# --- the file ---------------------------------------------------------------

def log_path(data_dir: Path | str) -> Path:
    return Path(data_dir) / LOG_FILE


@contextmanager
def _locked(data_dir: Path | str, exclusive: bool) -> Iterator[None]:
    folder = Path(data_dir)
    try:
        if exclusive:
            folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    except FileNotFoundError:
        yield  # reading a folder that does not exist: nothing to lock, nothing to read
        return
    except OSError as exc:
        raise AuditError(f"Cannot open the audit lock in {folder} ({exc.strerror}); "
                         "check that the data folder is writable.") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH)
        yield
    finally:
        os.close(fd)


def _parse(line: bytes) -> dict[str, Any] | str:
    """The entry on one line, or the reason it is not a well-formed entry."""
    try:
        entry = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError:
        return "not UTF-8 text"
    except (ValueError, RecursionError):
        return "not valid JSON"
    if not isinstance(entry, dict):
        return "not a JSON object"
    if set(entry) != set(FIELDS):
        missing = [f for f in FIELDS if f not in entry]
        extra = sorted(set(entry) - set(FIELDS))
        return "fields " + (f"missing: {', '.join(missing)}" if missing else f"unexpected: {', '.join(extra)}")
    if type(entry["seq"]) is not int or entry["seq"] < 1:
        return "seq is not a positive whole number"
    for key in ("time", "user", "role", "action", "prev", "hash"):
        if not isinstance(entry[key], str):
            return f"{key} is not text"
    if not isinstance(entry["params"], dict):
        return "params is not an object"
    if entry["rows"] is not None and type(entry["rows"]) is not int:
        return "rows is not a whole number"
    return entry


def _last_entry(fd: int) -> tuple[dict[str, Any] | None, bool]:
    """The last well-formed entry of the open log (None if none) and whether the file ends with a newline."""
    size = os.fstat(fd).st_size
    if size == 0:
        return None, True
    ends_with_newline = os.pread(fd, 1, size - 1) == b"\n"
    end, buf = size, b""
    while end > 0:
        start = max(0, end - _TAIL_CHUNK)
        buf = os.pread(fd, end - start, start) + buf
        end = start
        lines = buf.split(b"\n")
        complete = lines if start == 0 else lines[1:]  # the first piece may be a partial line
        for line in reversed(complete):
            if line.strip():
                parsed = _parse(line)
                if isinstance(parsed, dict):
                    return parsed, ends_with_newline
        buf = lines[0] if start else b""
    return None, ends_with_newline


def record(data_dir: Path | str, user: str, role: str, action: str, params: dict[str, Any] | None = None,
           rows: int | None = None) -> dict[str, Any]:
    """Append one entry and return it (with seq, time, prev and hash).

    Keys of `params` that contain "password", "passwd", "secret" or "token" are
    dropped; values become JSON (dates as ISO text); text longer than
    MAX_TEXT_CHARS is cut; offender ids become keyed hashes (`pseudonymised`).
    The file is created owner-only (0600).
    """
    entry: dict[str, Any] = {"user": _name("user", user), "role": _name("role", role),
                             "action": _name("action", action)}
    if params is not None and not isinstance(params, dict):
        raise AuditError("The audit params must be a dict of names and values.")
    if rows is not None and (type(rows) is not int or rows < 0):
        raise AuditError("The audit rows must be a whole number of at least 0, or None.")
    entry["params"] = pseudonymised(data_dir, clean_params(params or {}))
    entry["rows"] = rows
    with _locked(data_dir, exclusive=True):
        try:
            fd = os.open(log_path(data_dir), os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError as exc:
            raise AuditError(f"Cannot open the audit log {log_path(data_dir)} ({exc.strerror}).") from None
        try:
            last, ends_with_newline = _last_entry(fd)
            entry["seq"] = last["seq"] + 1 if last else 1
            entry["time"] = _now()
            entry["prev"] = last["hash"] if last else GENESIS
            entry["hash"] = entry_hash(entry)
            line = json.dumps({k: entry[k] for k in FIELDS}, separators=(",", ":"), ensure_ascii=True) + "\n"
            # A torn last line (a writer killed mid-write) stays on a line of its own for verify() to report.
            data = (b"" if ends_with_newline else b"\n") + line.encode("ascii")
            written = os.write(fd, data)
            if written != len(data):
                raise AuditError(f"The audit log {log_path(data_dir)} could not be written completely "
                                 "(disk full?); check the disk and run verify.")
            os.fsync(fd)
        except OSError as exc:
            raise AuditError(f"Cannot write the audit log {log_path(data_dir)} ({exc.strerror}).") from None
        finally:
            os.close(fd)
    return {k: entry[k] for k in FIELDS}


def offender_key(data_dir: Path | str, offender_id: str) -> str:
    """The keyed hash that stands for `offender_id` in the log: HMAC-SHA256, hex.

    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> k = offender_key(d, "OFF-1")
    >>> len(k), k == offender_key(d, "OFF-1"), k == offender_key(d, "OFF-2"), "OFF-1" in k
    (64, True, False, False)
    """
    return hmac.new(_hash_key(Path(data_dir)), offender_id.encode("utf-8"), hashlib.sha256).hexdigest()


def _hash_key(folder: Path) -> bytes:
    """The random key of `offender_key`, created owner-only on first use (atomically: two first
    writers agree on one key, and no reader sees a half-written file)."""
    path = folder / KEY_FILE
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = folder / f"{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            try:
                os.write(fd, secrets.token_bytes(KEY_BYTES))
                os.fsync(fd)
            finally:
                os.close(fd)
            try:
                os.link(tmp, path)  # fails if another writer was first: then its key is the key
            except FileExistsError:
                pass
        except OSError as exc:
            raise AuditError(f"Cannot create the audit key {path} ({exc.strerror}); "
                             "check that the data folder is writable.") from None
        finally:
            tmp.unlink(missing_ok=True)
    try:
        info = path.stat()
        key = path.read_bytes()
    except OSError as exc:
        raise AuditError(f"Cannot read the audit key {path} ({exc.strerror}).") from None
    if info.st_mode & 0o077:
        raise AuditError(f"The audit key {path} is open to other accounts (mode {stat.S_IMODE(info.st_mode):o}); "
                         "make it owner-only with chmod 600.")
    if len(key) != KEY_BYTES:
        raise AuditError(f"The audit key {path} is damaged ({len(key)} bytes, not {KEY_BYTES}); "
                         "restore it from a backup.")
    return key


def head(data_dir: Path | str) -> str:
    """The hash of the latest entry (64 zeros when the log is empty): write it down elsewhere."""
    with _locked(data_dir, exclusive=False):
        try:
            fd = os.open(log_path(data_dir), os.O_RDONLY)
        except FileNotFoundError:
            return GENESIS
        except OSError as exc:
            raise AuditError(f"Cannot read the audit log {log_path(data_dir)} ({exc.strerror}).") from None
        try:
            last, _ = _last_entry(fd)
        finally:
            os.close(fd)
    return last["hash"] if last else GENESIS


def _read_lines(data_dir: Path | str) -> list[bytes] | None:
    with _locked(data_dir, exclusive=False):
        try:
            raw = log_path(data_dir).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise AuditError(f"Cannot read the audit log {log_path(data_dir)} ({exc.strerror}).") from None
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    return lines


def verify(data_dir: Path | str, expected_head: str | None = None) -> list[str]:
    """Problems found in the chain, each naming its line; an empty list means intact.

    With `expected_head` (a hash from `head()` written down earlier), also
    report a log that no longer contains that entry: entries cut off the end,
    or the log rebuilt.
    """
    lines = _read_lines(data_dir)
    problems: list[str] = []
    if expected_head is not None and (not isinstance(expected_head, str) or len(expected_head) != 64):
        raise AuditError("The expected head must be a 64-character hash as given by head().")
    expected_head = expected_head.lower() if expected_head else None
    if lines is None:
        if expected_head not in (None, GENESIS):
            problems.append(f"{LOG_FILE} is missing, but the recorded head {expected_head[:12]}… says it had "
                            "entries: the log was deleted.")
        return problems
    last: dict[str, Any] | None = None   # the entry the next one must follow
    last_line = 0
    hashes: set[str] = {GENESIS}
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            problems.append(f"line {number}: empty line (a line was blanked or the log was edited).")
            continue
        entry = _parse(raw)
        if isinstance(entry, str):
            problems.append(f"line {number}: malformed entry ({entry}); the line was edited, inserted or torn.")
            continue
        seq = entry["seq"]
        try:
            computed = entry_hash(entry)
        except (ValueError, RecursionError):  # NaN or absurd nesting: no honest writer produced it
            computed = ""
        if computed != entry["hash"]:
            problems.append(f"line {number}: hash mismatch for seq {seq}: the entry was edited after it was written.")
        want_seq = last["seq"] + 1 if last else 1
        want_prev = last["hash"] if last else GENESIS
        after = f"line {last_line} (seq {last['seq']})" if last else "the start of the log"
        if seq != want_seq:
            if last and seq <= last["seq"]:
                problems.append(f"line {number}: seq {seq} comes after seq {last['seq']} on line {last_line}: "
                                "lines were reordered, duplicated or inserted.")
                hashes.add(entry["hash"])
                continue  # the chain goes on from the highest entry so far: one problem per moved line
            if seq > want_seq:
                missing = seq - want_seq
                problems.append(f"line {number}: seq {seq} follows {after}: {missing} entr"
                                f"{'y' if missing == 1 else 'ies'} missing before this line (removed or reordered).")
        elif entry["prev"] != want_prev:
            problems.append(f"line {number}: prev does not match the hash of {after}: "
                            "the entry before it was edited or replaced.")
        last, last_line = entry, number
        hashes.add(entry["hash"])
    if expected_head is not None and expected_head not in hashes:
        end = f"line {last_line} (seq {last['seq']})" if last else "an empty log"
        problems.append(f"end of log ({end}): the recorded head {expected_head[:12]}… is not in the log: "
                        "entries were cut off the end, or the log was rebuilt.")
    return problems


def show(data_dir: Path | str, user: str | None = None, since: str | date | None = None,
         action: str | None = None, offender: str | None = None) -> pd.DataFrame:
    """Entries as a table (time, user, role, action, params as JSON text, rows), oldest first.

    `since` is an ISO date (or date-time, UTC) — entries at or after it; `user`
    and `action` keep exact matches; `offender` (an id in clear) keeps the
    entries that hold its keyed hash. Malformed lines are skipped (verify() reports them).
    """
    import pandas as pd

    columns = ["time", "user", "role", "action", "params", "rows"]
    start = _since(since)
    wanted = offender_key(data_dir, offender) if offender is not None else None
    rows: list[dict[str, Any]] = []
    for raw in _read_lines(data_dir) or []:
        entry = _parse(raw) if raw.strip() else "empty"
        if isinstance(entry, str):
            continue
        if user is not None and entry["user"] != user:
            continue
        if action is not None and entry["action"] != action:
            continue
        if start is not None and _entry_time(entry) < start:
            continue
        if wanted is not None and wanted not in json.dumps(entry["params"]):
            continue
        rows.append({"time": entry["time"], "user": entry["user"], "role": entry["role"],
                     "action": entry["action"],
                     "params": json.dumps(entry["params"], sort_keys=True, ensure_ascii=False),
                     "rows": entry["rows"]})
    frame = pd.DataFrame(rows, columns=columns)
    frame["rows"] = frame["rows"].astype("Int64")
    return frame


def _since(since: str | date | None) -> datetime | None:
    if since is None or since == "":
        return None
    if isinstance(since, datetime):
        moment = since
    elif isinstance(since, date):
        moment = datetime.combine(since, time.min)
    else:
        try:
            moment = datetime.fromisoformat(str(since).strip().replace("Z", "+00:00"))
        except ValueError:
            raise AuditError(f"since={str(since)[:40]!r} is not a date in the form YYYY-MM-DD.") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _entry_time(entry: dict[str, Any]) -> datetime:
    try:
        moment = datetime.fromisoformat(entry["time"].replace("Z", "+00:00"))
    except ValueError:
        return datetime.min.replace(tzinfo=UTC)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
