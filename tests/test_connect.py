"""SPEC §9 to the letter: the shortest paths between two offenders over shared cases.

The co-offender network of the fixture, drawn by hand (a link is a shared case;
every conviction is in DE except those of O-D and O-H, in FR):

    O-A -01- O-B -02- O-C -09- O-H -10- O-I -11- O-J        O-F -08- O-G
    O-A -03- O-D -04- O-C
    O-A -05- O-E -06,07- O-C                                  (O-Z: no case)

So O-A to O-C: three paths of 2 links, via B, D and E in that order; O-E and
O-C share two cases, and CASE-06 is the smaller. O-A to O-J: 5 links, again
three paths. An analyst of DE does not see O-D and O-H.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fixtures import loaded_store, run_cli

from somec_graph import audit
from somec_graph.analysis import connections
from somec_graph.errors import AccessDenied, SomecGraphError
from somec_graph.roles import User
from somec_graph.store import Store

CASES = {"CASE-01": "AB", "CASE-02": "BC", "CASE-03": "AD", "CASE-04": "DC", "CASE-05": "AE", "CASE-06": "EC",
         "CASE-07": "EC", "CASE-08": "FG", "CASE-09": "CH", "CASE-10": "HI", "CASE-11": "IJ"}
IN_FR = {"O-D", "O-H"}
ANALYST_DE = User("ana", "analyst", ("DE",))


def _tables() -> dict:
    offenders = [{"offender_id": f"O-{x}", "nationality": "DE", "risk_level": "high"} for x in "ABCDEFGHIJZ"]
    convictions = []
    for case, members in CASES.items():
        for x in members:
            o = f"O-{x}"
            convictions.append({"conviction_id": f"C-{case[-2:]}-{x}", "offender_id": o,
                                "state": "FR" if o in IN_FR else "DE", "offence_code": "1001",
                                "conviction_date": "2020-01-01", "case_id": case})
    convictions.append({"conviction_id": "C-Z", "offender_id": "O-Z", "state": "DE", "offence_code": "1001",
                        "conviction_date": "2020-01-01", "case_id": ""})
    return {"offenders": offenders, "convictions": convictions}


@pytest.fixture(scope="module")
def connect_store(session_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Store:
    return loaded_store(session_store, tmp_path_factory.mktemp("connect"), _tables(), with_reference=True)


def _paths(*paths: tuple[str, ...]) -> list[tuple]:
    """Rows of the given paths: each an alternation of offender letter and linking case number."""
    rows = []
    for n, path in enumerate(paths, start=1):
        for step, i in enumerate(range(0, len(path), 2)):
            rows.append((n, step, f"O-{path[i]}", f"CASE-{path[i + 1]}" if i + 1 < len(path) else None))
    return rows


VIA_B, VIA_D, VIA_E = ("A", "01", "B", "02", "C"), ("A", "03", "D", "04", "C"), ("A", "05", "E", "06", "C")
C_TO_J = ("09", "H", "10", "I", "11", "J")


@pytest.mark.parametrize("a, b, options, expected", [
    ("O-A", "O-B", {}, _paths(("A", "01", "B"))),
    ("O-B", "O-A", {}, _paths(("B", "01", "A"))),
    ("O-A", "O-C", {}, _paths(VIA_B, VIA_D, VIA_E)),
    ("O-A", "O-C", {"limit": 2}, _paths(VIA_B, VIA_D)),
    ("O-C", "O-A", {}, _paths(("C", "02", "B", "01", "A"), ("C", "04", "D", "03", "A"),
                              ("C", "06", "E", "05", "A"))),
    ("O-A", "O-J", {}, _paths(VIA_B + C_TO_J, VIA_D + C_TO_J,
                              VIA_E + C_TO_J)),
    ("O-A", "O-J", {"max_hops": 5, "limit": 1}, _paths(VIA_B + C_TO_J)),
    ("O-A", "O-J", {"max_hops": 4}, []),   # 5 links needed
    ("O-A", "O-C", {"max_hops": 1}, []),
    ("O-A", "O-F", {}, []),                # another component
    ("O-A", "O-Z", {}, []),                # no case at all
], ids=["one-link", "reversed", "three-paths", "limit", "from-the-other-end", "five-links", "exact-hops",
        "too-few-hops", "one-hop", "unlinked", "no-case"])
def test_paths(connect_store: Store, a: str, b: str, options: dict, expected: list[tuple]) -> None:
    got = connections.connect_rows(connect_store, a, b, **options)
    assert got.columns == tuple(connections.CONNECT_COLUMNS)
    assert got.values == expected


def test_frame(connect_store: Store) -> None:
    frame = connections.connect(connect_store, "O-A", "O-B")
    assert frame.columns.tolist() == ["path", "step", "offender_id", "case_id"]
    assert frame["offender_id"].tolist() == ["O-A", "O-B"]


@pytest.mark.parametrize("a, b, expected", [
    ("O-A", "O-C", _paths(VIA_B, VIA_E)),   # not through O-D
    ("O-A", "O-J", []),                      # every path passes O-H
])
def test_analyst_paths_stay_in_scope(connect_store: Store, a: str, b: str, expected: list[tuple]) -> None:
    assert connections.connect_rows(connect_store.as_user(ANALYST_DE), a, b).values == expected


@pytest.mark.parametrize("user, a, b, error, message", [
    (None, "O-A", "O-A", SomecGraphError, "two different offender ids"),
    (None, "O-A", "O-NOPE", SomecGraphError, "No offender 'O-NOPE'"),
    (ANALYST_DE, "O-D", "O-A", SomecGraphError, "No offender 'O-D'"),  # outside the scope: as if unknown
    (User("sup", "supervisor"), "O-A", "O-B", AccessDenied, "aggregates only"),
])
def test_refused(connect_store: Store, user: User | None, a: str, b: str, error: type, message: str) -> None:
    store = connect_store if user is None else connect_store.as_user(user)
    with pytest.raises(error, match=message):
        connections.connect_rows(store, a, b)


@pytest.mark.parametrize("bounds, message", [
    ({"max_offenders": 4}, "reached more than 4 offenders"),
    ({"max_seconds": 0}, "ran for more than 0 s"),
])
def test_search_is_bounded(connect_store: Store, bounds: dict, message: str) -> None:
    with pytest.raises(connections.SearchTooLarge, match=message):
        connections.connect_rows(connect_store, "O-A", "O-J", **bounds)


@pytest.mark.parametrize("options", [{"max_hops": 0}, {"max_hops": 21}, {"limit": 0}])
def test_bad_options(connect_store: Store, options: dict) -> None:
    with pytest.raises(SomecGraphError):
        connections.connect_rows(connect_store, "O-A", "O-B", **options)


def test_cli(connect_store: Store, data_dir: Path) -> None:
    result = run_cli("connect", "O-A", "O-C", "--limit", "2", "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["path,step,offender_id,case_id", "1,0,O-A,CASE-01", "1,1,O-B,CASE-02",
                                          "1,2,O-C,", "2,0,O-A,CASE-03", "2,1,O-D,CASE-04", "2,2,O-C,"]
    entry = audit.show(data_dir, action="connect").iloc[-1]
    params = json.loads(entry["params"])
    assert params["offenders"] == [audit.offender_key(data_dir, "O-A"), audit.offender_key(data_dir, "O-C")]
    assert "O-A" not in entry["params"] and entry["rows"] == 6

    rows = json.loads(run_cli("connect", "O-A", "O-B", "--format", "json").stdout)
    assert rows == [{"path": 1, "step": 0, "offender_id": "O-A", "case_id": "CASE-01"},
                    {"path": 1, "step": 1, "offender_id": "O-B", "case_id": None}]


@pytest.mark.parametrize("args, code, stdout, stderr", [
    (("O-A", "O-J", "--max-hops", "4", "--format", "csv"), 0, "path,step,offender_id,case_id\n",
     "No path between O-A and O-J within 4 links.\n"),
    (("O-A", "O-A"), 1, "", "Error: Both offenders are 'O-A'; give two different offender ids.\n"),
    (("O-A", "O-NOPE"), 1, "", "Error: No offender 'O-NOPE' in the graph"),
    (("O-A", "O-B", "--max-hops", "0"), 2, "", "Invalid value for '--max-hops'"),
])
def test_cli_no_path_and_errors(connect_store: Store, args: tuple, code: int, stdout: str, stderr: str) -> None:
    result = run_cli("connect", *args)
    assert (result.returncode, result.stdout) == (code, stdout)
    assert result.stderr.startswith(stderr) if code == 1 else stderr in result.stderr
    assert "Traceback" not in result.stderr
