"""Users, roles and passwords in users.json (somec_graph.access.users)."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import pytest

from somec_graph.access import login, users
from somec_graph.access.users import (
    UserError,
    UsersFileError,
    add_user,
    authenticate,
    list_users,
    remove_user,
    set_password,
)
from somec_graph.errors import SomecGraphError
from somec_graph.roles import LOCAL_ADMIN, User

PASSWORD = "a long enough password"


def test_add_list_remove(tmp_path: Path) -> None:
    assert list_users(tmp_path) == []
    assert add_user(tmp_path, "boss", "admin", PASSWORD) == User("boss", "admin", ())
    assert add_user(tmp_path, "ana", "analyst", PASSWORD, states=["de", "UK", "EL", "DE"]) == \
        User("ana", "analyst", ("DE", "GB", "GR"))
    add_user(tmp_path, "sup", "supervisor", PASSWORD)
    listed = list_users(tmp_path)
    assert [u["name"] for u in listed] == ["ana", "boss", "sup"]
    assert listed[0]["states"] == ["DE", "GB", "GR"] and listed[0]["role"] == "analyst"
    assert set(listed[0]) == {"name", "role", "states", "created"}
    assert listed[0]["created"].endswith("Z")
    assert users.has_users(tmp_path)
    remove_user(tmp_path, "boss")
    assert [u["name"] for u in list_users(tmp_path)] == ["ana", "sup"]
    assert authenticate(tmp_path, "boss", PASSWORD) is None
    with pytest.raises(UserError, match="no user named"):
        remove_user(tmp_path, "boss")


def test_authenticate_and_wrong_password(tmp_path: Path) -> None:
    add_user(tmp_path, "ana", "analyst", PASSWORD, states="FR,PL")
    assert authenticate(tmp_path, "ana", PASSWORD) == User("ana", "analyst", ("FR", "PL"))
    assert authenticate(tmp_path, "ana", PASSWORD + "x") is None
    assert authenticate(tmp_path, "ana", PASSWORD.upper()) is None
    assert authenticate(tmp_path, "ana", "") is None
    assert authenticate(tmp_path, "nobody", PASSWORD) is None
    assert authenticate(tmp_path, "../../etc/passwd", PASSWORD) is None
    assert authenticate(tmp_path / "no-such-dir", "ana", PASSWORD) is None


def test_set_password(tmp_path: Path) -> None:
    add_user(tmp_path, "ana", "analyst", PASSWORD, states=["DE"])
    set_password(tmp_path, "ana", "another long password")
    assert authenticate(tmp_path, "ana", PASSWORD) is None
    assert authenticate(tmp_path, "ana", "another long password") is not None
    with pytest.raises(UserError, match="no user named"):
        set_password(tmp_path, "ghost", "another long password")
    with pytest.raises(UserError, match="too short"):
        set_password(tmp_path, "ana", "short")


def test_file_holds_scrypt_hashes_not_passwords_and_is_owner_only(tmp_path: Path) -> None:
    add_user(tmp_path, "boss", "admin", PASSWORD)
    add_user(tmp_path, "boss2", "admin", PASSWORD)
    path = tmp_path / "users.json"
    text = path.read_text()
    assert PASSWORD not in text
    doc = json.loads(text)["users"]
    stored = doc["boss"]["password"]
    scheme, n, r, p, salt, digest = stored.split("$")
    assert (scheme, n, r, p) == ("scrypt", str(2 ** 14), "8", "1")
    import base64
    assert len(base64.b64decode(salt)) == 16 and len(base64.b64decode(digest)) == 32
    assert doc["boss2"]["password"] != stored  # a fresh salt per user
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # atomic write left nothing behind
    # list_users never hands out hashes
    assert "password" not in json.dumps(list_users(tmp_path))


def test_refuses_a_users_file_open_to_others(tmp_path: Path) -> None:
    add_user(tmp_path, "boss", "admin", PASSWORD)
    os.chmod(tmp_path / "users.json", 0o644)
    with pytest.raises(UsersFileError, match="chmod 600"):
        authenticate(tmp_path, "boss", PASSWORD)


def test_damaged_file_is_an_error_not_an_open_door(tmp_path: Path) -> None:
    (tmp_path / "users.json").write_text("{not json")
    os.chmod(tmp_path / "users.json", 0o600)
    with pytest.raises(UsersFileError, match="damaged"):
        authenticate(tmp_path, "boss", PASSWORD)


@pytest.mark.parametrize("kwargs, message", [
    ({"name": "bad name"}, "not allowed"),
    ({"name": "x" * 65}, "not allowed"),
    ({"name": "../etc"}, "not allowed"),
    ({"name": "local"}, "reserved"),
    ({"role": "root"}, "unknown"),
    ({"role": "analyst", "states": None}, "at least one state"),
    ({"role": "analyst", "states": ["DEU"]}, "two-letter"),
    ({"role": "analyst", "states": ["ﬁ"]}, "two-letter"),  # a ligature that upper-cases to FI
    ({"role": "supervisor", "states": ["DE"]}, "Only analysts"),
    ({"password": "elevenchars"}, "too short"),
    ({"password": "x" * 2000}, "too long"),
])
def test_validation(tmp_path: Path, kwargs: dict, message: str) -> None:
    args = {"name": "someone", "role": "admin", "password": PASSWORD, "states": None} | kwargs
    with pytest.raises(UserError, match=message) as info:
        add_user(tmp_path, **args)
    assert isinstance(info.value, SomecGraphError)
    text = str(info.value)
    assert text.replace("e.g. ", "").count(". ") == 0 and text.endswith(".")  # one sentence
    assert PASSWORD not in text and "x" * 100 not in text


def test_duplicate_name(tmp_path: Path) -> None:
    add_user(tmp_path, "ana", "admin", PASSWORD)
    with pytest.raises(UserError, match="already exists"):
        add_user(tmp_path, "ana", "supervisor", PASSWORD)


def test_roles() -> None:
    admin, analyst, supervisor = LOCAL_ADMIN, User("a", "analyst", ("DE",)), User("s", "supervisor", ())
    assert admin.is_admin and admin.may_see_offenders and admin.may_see_offenders_in("FR")
    assert not analyst.is_admin and analyst.may_see_offenders
    assert analyst.may_see_offenders_in("DE") and not analyst.may_see_offenders_in("FR")
    assert not supervisor.may_see_offenders and not supervisor.may_see_offenders_in("DE")
    assert supervisor.offender_states == () and analyst.offender_states == ("DE",) and admin.offender_states is None
    assert LOCAL_ADMIN == User("local", "admin", ())
    with pytest.raises(AttributeError):
        analyst.role = "admin"  # type: ignore[misc]


def test_unknown_user_costs_a_hash_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add_user(tmp_path, "ana", "admin", PASSWORD)
    calls: list[str] = []
    real = users._scrypt
    monkeypatch.setattr(users, "_scrypt", lambda *a: calls.append("x") or real(*a))
    authenticate(tmp_path, "ana", "wrong password here")
    authenticate(tmp_path, "nobody", "wrong password here")
    authenticate(tmp_path, "bad name!", "wrong password here")
    assert calls == ["x", "x", "x"]


def test_tampered_hash_parameters_are_refused_cheaply(tmp_path: Path) -> None:
    add_user(tmp_path, "ana", "admin", PASSWORD)
    path = tmp_path / "users.json"
    doc = json.loads(path.read_text())
    doc["users"]["ana"]["password"] = doc["users"]["ana"]["password"].replace("$16384$", f"${2 ** 30}$")
    path.write_text(json.dumps(doc))
    assert authenticate(tmp_path, "ana", PASSWORD) is None


def test_concurrent_adds_lose_nothing(tmp_path: Path) -> None:
    errors: list[BaseException] = []

    def add(i: int) -> None:
        try:
            add_user(tmp_path, f"user{i}", "supervisor", PASSWORD)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert len(list_users(tmp_path)) == 8


def test_login_policy_of_the_dashboard(tmp_path: Path) -> None:
    assert login.login_required(tmp_path, "127.0.0.1") is False  # no users, loopback: LOCAL_ADMIN
    assert login.login_required(tmp_path, "::1") is False
    with pytest.raises(UserError, match="no users configured"):
        login.login_required(tmp_path, "0.0.0.0")
    with pytest.raises(UserError):
        login.login_required(tmp_path, "dashboard.example.org")
    add_user(tmp_path, "boss", "admin", PASSWORD)
    assert login.login_required(tmp_path, "127.0.0.1") is True
    assert login.login_required(tmp_path, "0.0.0.0") is True


def test_login_throttle() -> None:
    now = [1000.0]
    throttle = login.LoginThrottle(clock=lambda: now[0])
    for _ in range(login.MAX_FAILURES - 1):
        throttle.failed("ana")
    assert throttle.wait_seconds("ana") == 0
    throttle.failed("ana")
    assert throttle.wait_seconds("ana") == 2
    now[0] += 2
    assert throttle.wait_seconds("ana") == 0
    throttle.failed("ana")
    assert throttle.wait_seconds("ana") == 4
    for _ in range(50):
        throttle.failed("ana")
    assert throttle.wait_seconds("ana") == 300
    assert throttle.wait_seconds("bob") == 0
    throttle.succeeded("ana")
    assert throttle.wait_seconds("ana") == 0
