"""Deterministic synthetic data sets in the SPEC §2 CSV format (never real people).

Shape per offender, on average: ~1.5 convictions, ~4 movements and ~5 exchanges,
all dated 2015-01-01..2025-12-31 (only ``supervision_end`` may lie beyond, when a
measure is still running). Each offender lives in their state of nationality until
their first movement; every movement leaves the state of the previous arrival;
convictions happen where the offender lived that day. Nationalities and corridors
follow DOMAIN.md (RO, PL, BG, LT, LV; RO->IT/ES/DE, PL->DE/GB/NL, BG->DE,
LT/LV->GB/IE).

Networks with structure (the planted truth is `planted`): about 15% of offenders
belong to *crews* of 4-7 who offend together in several cases (``case_id``, 2-4
members each) with changing partners, so a crew is a community of overlapping
cases. About 40% of crews are itinerant groups (IMOBEX "mobile banditry"): they
travel a route of 3-5 states together (arrivals 0-10 days apart), staying 1-4
months at each stop and offending there. The rest live in one base state for 1-3
years. A few *brokers* (one per ~8 crews) each offend with every member of two
or three resident crews (two cases per crew), tying the crews together. About 2.5% of the others are lone high-risk
travellers with 7-10 movements.

Exchanges reproduce the SOMEC findings: convictions abroad are usually sent to the
state of nationality, often late (median ~35 days) and ~20% never; a receiving
state hears of a dangerous arrival only ~25% of the time (more often for high
risk, plus INTERPOL Green Notices to likely destinations); supervision rarely
follows the offender (FD947 in ~30% of eligible moves); police and criminal-record
requests/replies make up the rest of the traffic. All criminal-record traffic uses
ECRIS (as SPEC §4.3 expects); SIS, SIENA, the Swedish Initiative and FD947 are only
used where both states take part (the UK until the end of 2020).

The same (offenders, seed) always gives byte-identical files: one
``random.Random(seed)`` drives everything, in a fixed order.
"""

from __future__ import annotations

import csv
import os
import random
import shutil
from bisect import bisect, bisect_right
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Any

from .ingest.contract import TABLES, TABLES_BY_NAME
from .resources import SEED_DIR

START = date(2015, 1, 1)
END = date(2025, 12, 31)
N_DAYS = (END - START).days + 1
_ISO = [(START + timedelta(days=d)).isoformat() for d in range(N_DAYS)]

# The files generated here, their columns in the contract's order (the rows below are built in it);
# the other files of the contract are copied from the reference folder.
_GENERATED = ("offenders", "convictions", "movements", "exchanges")
_COLUMNS = {TABLES_BY_NAME[name].file: TABLES_BY_NAME[name].column_names for name in _GENERATED}
REFERENCE_FILES = tuple(t.file for t in TABLES if t.name not in _GENERATED)
_MECHANISMS_USED = {"ECRIS", "SIS", "SIENA", "INTERPOL", "FD947", "SWEDISH", "BILATERAL"}

# Weights: states or codes not listed get the default of the table they feed.
_NATIONALITY = {"RO": 20, "PL": 16, "BG": 9, "LT": 7, "LV": 5, "HU": 3, "SK": 3, "AL": 3, "UA": 3,
                "CZ": 2, "MD": 2, "RS": 2, "TR": 2, "PT": 2, "GB": 2, "IT": 2, "GR": 2, "HR": 2}
_DESTINATION = {"DE": 20, "GB": 12, "FR": 10, "IT": 9, "ES": 9, "NL": 8, "BE": 5, "AT": 5, "SE": 4,
                "IE": 4, "CH": 4, "NO": 3, "DK": 2, "PL": 2, "CZ": 2, "PT": 2, "GR": 2}
_CORRIDOR_BOOST = {"RO": {"IT": 60, "ES": 50, "DE": 45}, "PL": {"DE": 60, "GB": 45, "NL": 30},
                   "BG": {"DE": 50}, "LT": {"GB": 55, "IE": 30}, "LV": {"GB": 55, "IE": 30}}
_OFFENCE = {"0809": 25, "0811": 20, "1703": 15, "0906": 10, "0907": 8, "0901": 5, "0801": 4,
            "0803": 3, "0808": 3, "0802": 2, "1003": 30, "1001": 20, "1011": 12, "1009": 12,
            "1008": 8, "1010": 6, "1002": 4, "0402": 4, "0406": 2, "1701": 20, "1702": 15,
            "0701": 15, "1603": 12, "0202": 8, "1604": 8, "1606": 6, "2102": 6, "0504": 4}
_PROFILE = {"violent": 50, "sexual": 30, "other": 20}  # most are "serious offenders"
_CASE_GROUP = {"violent": 60, "sexual": 15, "other": 25}  # itinerant groups: robbery, burglary
_RISK = {"low": 30, "medium": 35, "high": 25, "very_high": 10}
_SEX = {"M": 92, "F": 7, "X": 1}
_N_MOVES = {1: 10, 2: 15, 3: 20, 4: 18, 5: 14, 6: 10, 7: 8, 8: 5}  # mean ~4
_N_CONVICTIONS = {1: 60, 2: 30, 3: 10}  # mean 1.5
_SENTENCE_SERIOUS = {6: 8, 12: 14, 18: 10, 24: 14, 30: 8, 36: 12, 48: 10, 60: 8, 72: 6, 96: 6,
                     120: 4}
_SENTENCE_OTHER = {2: 6, 3: 10, 4: 10, 6: 16, 8: 10, 12: 16, 18: 10, 24: 8}
_SOURCE_DETECTED = {"police_check": 30, "border_check": 20, "registration": 20, "intelligence": 15,
                    "social_media": 8, "self_report": 7}
_SOURCE_UNDETECTED = {"": 70, "registration": 12, "self_report": 10, "social_media": 8}
# High-risk travellers are more often flagged (cf. UK Green Notice practice); mean ~25%.
_ALERT_P = {"low": 0.12, "medium": 0.20, "high": 0.35, "very_high": 0.50}
_GREEN_NOTICE_P = {"high": 0.3, "very_high": 0.6}
_RETURN_HOME_P = 0.35
# The UK used ECRIS, SIS and FD947 as a member state until the end of the Brexit transition.
_EU_UNTIL = {"GB": (date(2020, 12, 31) - START).days}
_CASE_SHARE = 0.15
_CREW_SIZE = (4, 7)
_ITINERANT_P = 0.4
# Where itinerant groups come from (cf. SELEC's IMOBEX work and the busiest corridors in DOMAIN.md).
_ITINERANT_ORIGIN = {"RO": 30, "BG": 15, "LT": 12, "LV": 10, "PL": 10, "MD": 6, "AL": 6, "RS": 4, "UA": 4,
                     "HU": 3}
_CREWS_PER_BROKER = 8
_LONE_P = 0.025
_LONE_RISK = {"high": 40, "very_high": 60}


# (sent, received, mechanism, sender, recipient, kind, conviction_id, movement_id); days as ints
_Exchange = tuple[int, int | None, str, str, str, str, str, str]


class _Weighted:
    """Weighted choice over a dict's keys, with precomputed cumulative weights."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, weights: Mapping[Any, float]) -> None:
        self.items = list(weights)
        self.cum = list(accumulate(weights.values()))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random) -> Any:
        return self.items[bisect(self.cum, rng.random() * self.total)]


@dataclass(slots=True)
class _Case:
    """A co-defendant case: where and when its members were convicted together."""

    case_id: str
    state: str
    day: int
    code: str


# (first day, last day, state, arrive exactly on the first day): where an offender must be
_Stay = tuple[int, int, str, bool]


@dataclass(slots=True)
class _Role:
    """One offender's part in the planted structure."""

    nationality: str | None = None  # the crew's, shared by most members
    cases: list[_Case] = field(default_factory=list)
    stays: list[_Stay] = field(default_factory=list)
    lone: bool = False


@dataclass(frozen=True, slots=True)
class Crew:
    """A planted crew: its members (offender ids), whether it travels, and its route or base."""

    members: tuple[str, ...]
    itinerant: bool
    states: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Planted:
    """The structure `generate` plants, as offender ids (for tests and demos)."""

    crews: tuple[Crew, ...]
    brokers: tuple[str, ...]
    lone_travellers: tuple[str, ...]


@dataclass(slots=True)
class _Conviction:
    id: str
    state: str
    code: str
    day: int
    qualifying: bool
    supervision_end: date | None


@dataclass(slots=True)
class _Movement:
    id: str
    from_state: str
    to_state: str
    day: int
    detected: bool


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _add_months(d: date, months: int) -> date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    last = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return date(year, month, min(d.day, last))


class _Generator:
    """Holds the reference data, the weighted tables and the single random stream."""

    def __init__(self, reference_dir: Path, seed: int) -> None:
        self.rng = random.Random(seed)
        self.counters = {"CNV": 0, "MOV": 0, "EXC": 0}
        self.reference = {name: _read(reference_dir / name) for name in REFERENCE_FILES}
        state_rows = self.reference["states.csv"]
        states = [r["code"] for r in state_rows]
        self.eu = {r["code"] for r in state_rows if r.get("eu") == "true"}
        self.schengen = {r["code"] for r in state_rows if r.get("schengen") == "true"}
        self.agency = {(r["state"], r["kind"]): r["agency_id"]
                       for r in reversed(self.reference["agencies.csv"])}  # first listed wins
        self._check_reference(states)
        self.group = {r["code"]: r["group"] for r in self.reference["offence_categories.csv"]}
        self.offences = {
            g: _Weighted({c: _OFFENCE.get(c, 1) for c, cg in self.group.items() if cg == g})
            for g in ("violent", "sexual", "other")}
        self.nationality = _Weighted({s: _NATIONALITY.get(s, 1) for s in states})
        self.destinations = {
            n: _Weighted({s: _DESTINATION.get(s, 0.5) + _CORRIDOR_BOOST.get(n, {}).get(s, 0)
                          for s in states if s != n})
            for n in states}
        self.tables = {name: _Weighted(w) for name, w in (
            ("profile", _PROFILE), ("case_group", _CASE_GROUP), ("risk", _RISK), ("sex", _SEX),
            ("moves", _N_MOVES), ("convictions", _N_CONVICTIONS),
            ("sentence_serious", _SENTENCE_SERIOUS), ("sentence_other", _SENTENCE_OTHER),
            ("source_detected", _SOURCE_DETECTED),
            ("source_undetected", _SOURCE_UNDETECTED), ("lone_risk", _LONE_RISK),
            ("itinerant_origin", {s: w for s, w in _ITINERANT_ORIGIN.items() if s in states}))}

    def _check_reference(self, states: list[str]) -> None:
        mechanisms = {r["code"] for r in self.reference["mechanisms.csv"]}
        missing = sorted(_MECHANISMS_USED - mechanisms)
        kinds = ("police", "probation", "criminal_records")
        missing += [f"{s} {k} agency" for s in states for k in kinds if (s, k) not in self.agency]
        agency_ids = {r["agency_id"] for r in self.reference["agencies.csv"]}
        missing += sorted({"EUROPOL", "INTERPOL"} - agency_ids)
        if len(states) < 3 or missing:
            problem = ", ".join(missing) or "fewer than 3 states"
            raise ValueError(f"reference data incomplete: {problem}")

    def pick(self, table: str) -> Any:
        return self.tables[table].pick(self.rng)

    def police(self, state: str) -> str:
        return self.agency[(state, "police")]

    def records(self, state: str) -> str:
        return self.agency[(state, "criminal_records")]

    def probation(self, state: str) -> str:
        return self.agency[(state, "probation")]

    # --- travel -----------------------------------------------------------------

    def _next_state(self, nationality: str, current: str, avoid: str | None) -> str:
        if current != nationality and nationality != avoid and self.rng.random() < _RETURN_HOME_P:
            return nationality
        while True:
            state = self.destinations[nationality].pick(self.rng)
            if state != current and state != avoid:
                return state

    def _route(self, nationality: str, origin: str, days: list[int], end: str | None = None
               ) -> list[tuple[int, str]]:
        """Arrivals on `days` from `origin`, never staying put; the last in `end` if given."""
        route, current, n = [], origin, len(days)
        for i, day in enumerate(days):
            if end is not None and i == n - 1:
                state = end
            else:  # the one before last must differ from `end` so the last hop is a real move
                state = self._next_state(nationality, current, end if i == n - 2 else None)
            route.append((day, state))
            current = state
        return route

    def _days(self, lo: int, hi: int, k: int) -> list[int]:
        return sorted(self.rng.sample(range(lo, hi), k))

    def _timeline(self, nationality: str, role: _Role) -> list[tuple[int, str]]:
        """(arrival day, state) in order from the state of nationality, honouring the role's stays.

        Free movements fall on random days outside the stays; before each stay the
        offender travels to its state (arriving exactly on its first day when the
        stay says so), and makes no movement during it.
        """
        rng = self.rng
        n = rng.randint(7, 10) if role.lone else self.pick("moves")
        stays = role.stays
        starts = [s[0] for s in stays]
        free: list[set[int]] = [set() for _ in range(len(stays) + 1)]  # free days per gap
        for _ in range(n):
            day = rng.randrange(N_DAYS)
            gap = bisect_right(starts, day)
            if gap and day <= stays[gap - 1][1]:
                continue  # inside a stay: they stay put
            if gap < len(stays) and day == starts[gap]:
                continue
            free[gap].add(day)
        route: list[tuple[int, str]] = []
        current, lo = nationality, 0
        for (start, end, state, exact), days in zip(stays, free):
            days_in = sorted(days)
            if exact:
                if not days_in and current == state and start - 1 > lo:
                    days_in = [rng.randrange(lo, start - 1)]  # leave first, to arrive on the day
                days_in.append(start)
            elif not days_in and current != state:
                days_in = [rng.randint(max(lo, start - 365), start)]
            if len(days_in) == 1 and current == state:
                days_in = []  # already there, and no room to leave and come back
            if days_in:
                route += self._route(nationality, current, days_in, state)
            current, lo = state, end + 1
        return route + self._route(nationality, current, sorted(free[-1]))

    def _case_members(self, members: list[int], k: int) -> list[list[int]]:
        """At least `k` cases of 2-4 members, together covering the crew and keeping it connected."""
        rng = self.rng
        uncovered = members[:]
        rng.shuffle(uncovered)
        covered: list[int] = []
        cases: list[list[int]] = []
        while uncovered or len(cases) < k:
            size = rng.randint(2, min(4, len(members)))
            if not covered:
                chosen = uncovered[:size]
            elif uncovered:
                chosen = [rng.choice(covered), *uncovered[:size - 1]]
            else:
                chosen = rng.sample(members, size)
            covered += [m for m in chosen if m not in covered]
            uncovered = [m for m in uncovered if m not in chosen]
            cases.append(sorted(chosen))
        return cases

    def plan(self, offenders: int) -> tuple[dict[int, _Role], Planted]:
        """Plant crews (~15% of offenders), brokers between resident crews, and lone travellers."""
        rng, order = self.rng, list(range(offenders))
        rng.shuffle(order)
        roles: dict[int, _Role] = {}
        crews: list[tuple[list[int], bool, list[str]]] = []
        residents: list[tuple[list[int], str, int, int]] = []  # members, base, first day, last day
        number = 0

        def case(state: str, day: int, members: list[int]) -> None:
            nonlocal number
            number += 1
            c = _Case(f"CASE-{number:05d}", state, day, self.offences[self.pick("case_group")].pick(rng))
            for m in members:
                roles[m].cases.append(c)

        pos, target = 0, round(offenders * _CASE_SHARE)
        while pos < target:
            size = rng.randint(*_CREW_SIZE)
            if pos + size > offenders:
                break
            members = order[pos:pos + size]
            pos += size
            itinerant = rng.random() < _ITINERANT_P
            nationality = self.pick("itinerant_origin") if itinerant else self.nationality.pick(rng)
            for m in members:
                roles[m] = _Role(nationality=nationality)
            groups = self._case_members(members, 2)
            if itinerant:  # travel a route together, offending at the stops
                start = rng.randrange(365, N_DAYS - 2 * 365)
                days = [start]
                for _ in range(rng.randint(3, 5) - 1):
                    days.append(days[-1] + rng.randint(30, 120))
                route = self._route(nationality, nationality, days)
                ends = [*days[1:], days[-1] + rng.randint(30, 120)]
                for m in members:  # each arrives 0-10 days after the stop's date
                    jitter = [d + rng.randint(0, 10) for d in days]
                    roles[m].stays = [(a, b - 1 if i + 1 < len(jitter) else ends[-1], s, True)
                                      for i, (a, b, (_, s)) in enumerate(zip(jitter, [*jitter[1:], 0], route))]
                for g in groups:
                    stop = rng.randrange(len(route))
                    case(route[stop][1], rng.randint(days[stop] + 11, ends[stop] - 1), g)
                crews.append((members, True, [s for _, s in route]))
            else:  # live in one base state for 1-3 years
                base = nationality if rng.random() < 0.25 else self.destinations[nationality].pick(rng)
                first = rng.randrange(365, N_DAYS - 2 * 365)
                last = min(first + rng.randint(365, 3 * 365), N_DAYS - 60)
                for m in members:
                    roles[m].stays = [(first, last, base, False)]
                for g in groups:
                    case(base, rng.randint(first, last), g)
                crews.append((members, False, [base]))
                residents.append((members, base, first, last))

        brokers: list[int] = []
        for _ in range(len(crews) // _CREWS_PER_BROKER):
            if pos >= offenders or len(residents) < 2:
                break
            visits: list[tuple[int, str, list[int]]] = []
            for crew in rng.sample(residents, min(rng.randint(2, 3), len(residents))):
                members, base, first, last = crew
                day = rng.randint(first + 30, last - 30)
                if all(abs(day - d) > 90 for d, *_ in visits):
                    visits.append((day, base, members))
                    residents.remove(crew)  # one broker per crew: brokers, not their partners, bridge
            if len(visits) < 2:
                continue
            broker = order[pos]
            pos += 1
            roles[broker] = _Role()
            for day, base, members in sorted(visits):
                # two cases, each with half of the crew: the broker knows every member, so the crews
                # reach each other through the broker alone
                later = day + rng.randint(3, 20)
                roles[broker].stays.append((day - rng.randint(5, 40), later + rng.randint(1, 20), base, False))
                partners = rng.sample(members, len(members))
                half = len(partners) // 2
                case(base, day, [broker, *partners[:half]])
                case(base, later, [broker, *partners[half:]])
            brokers.append(broker)
        for role in roles.values():
            role.cases.sort(key=lambda c: c.day)

        lone = [i for i in order[pos:] if rng.random() < _LONE_P]
        for i in lone:
            roles[i] = _Role(lone=True)
        oid = _offender_id
        planted = Planted(
            crews=tuple(Crew(tuple(sorted(oid(m) for m in members)), itinerant, tuple(states))
                        for members, itinerant, states in crews),
            brokers=tuple(sorted(oid(b) for b in brokers)), lone_travellers=tuple(sorted(oid(i) for i in lone)))
        return roles, planted

    # --- convictions ----------------------------------------------------------

    def _convictions(self, nationality: str, moves: list[_Movement], cases: list[_Case]
                     ) -> list[tuple[int, str, str, str]]:
        """(day, state, offence_code, case_id) sorted by day; the state is where they lived."""
        rng, profile = self.rng, self.pick("profile")
        n = max(self.pick("convictions") - len(cases), 0)
        groups = [profile if i == 0 or rng.random() < 0.5 else "other" for i in range(n)]
        days = [rng.randrange(N_DAYS) for _ in groups]
        if days and moves and moves[0].day > 0 and rng.random() < 0.6:
            days[0] = rng.randrange(moves[0].day)  # known at home before leaving it
        move_days = [m.day for m in moves]
        out = [(d, moves[i - 1].to_state if (i := bisect_right(move_days, d)) else nationality,
                self.offences[g].pick(rng), "") for d, g in zip(days, groups)]
        out += [(c.day, c.state, c.code, c.case_id) for c in cases]
        return sorted(out, key=lambda c: c[0])

    def _sentence(self, code: str, day: int) -> tuple[int, date | None]:
        """Sentence in months and, for ~30% of convictions, the end of the supervision after it."""
        qualifying = self.group[code] != "other"
        months = self.pick("sentence_serious" if qualifying else "sentence_other")
        if self.rng.random() >= (0.37 if qualifying else 0.15):
            return months, None
        return months, _add_months(START + timedelta(days=day), months + self.rng.randint(12, 60))

    # --- exchanges ---------------------------------------------------------------

    def _received(self, sent: int, max_lag: int, p_missing: float) -> int | None:
        if self.rng.random() < p_missing:
            return None
        day = sent + self.rng.randint(0, max_lag)
        return day if day < N_DAYS else None

    def _delay(self, median: float, cap: int) -> int:
        """Lognormal delay in days with the given median, redrawn above `cap`."""
        while (d := int(self.rng.lognormvariate(0, 0.8) * median)) > cap:
            pass
        return d

    def _eu(self, a: str, b: str, day: int) -> bool:
        """Both states bound by EU instruments on that day."""
        return all(s in self.eu or day <= _EU_UNTIL.get(s, -1) for s in (a, b))

    def _police_mechanism(self, a: str, b: str, day: int, alert: bool) -> str:
        options = ["INTERPOL", "BILATERAL"]
        if self._eu(a, b, day):
            options += ["SWEDISH", "SIENA", "SWEDISH"]
        if alert and all(s in self.schengen or day <= _EU_UNTIL.get(s, -1) for s in (a, b)):
            options += ["SIS", "SIS", "SIS"]
        return self.rng.choice(options)

    def _exchanges(self, nationality: str, risk: str, convictions: list[_Conviction],
                   moves: list[_Movement]) -> list[_Exchange]:
        """All exchanges about one offender, ordered by sent day."""
        rng = self.rng
        out: list[_Exchange] = []
        cra, pol = self.records, self.police

        def add(sent: int, max_lag: int, p_missing: float, mechanism: str, sender: str, recipient: str,
                kind: str, conviction_id: str, movement_id: str) -> int | None:
            if not 0 <= sent < N_DAYS:
                return None
            out.append((sent, self._received(sent, max_lag, p_missing), mechanism, sender, recipient, kind,
                        conviction_id, movement_id))
            return sent

        def pair(sent: int, mechanism: str, asker: str, asked: str, lag: tuple[int, int],
                 movement: str) -> None:
            if add(sent, 2, 0.1, mechanism, asker, asked, "request", "", movement) is not None:
                reply = sent + rng.randint(*lag)
                add(reply, 2, 0.1, mechanism, asked, asker, "reply", "", movement)

        for c in convictions:
            if c.state == nationality:
                continue
            if rng.random() < 0.7:  # the court asks the state of nationality for the record
                pair(max(c.day - rng.randint(20, 150), 0), "ECRIS", cra(c.state), cra(nationality),
                     (14, 28), "")
            if rng.random() >= 0.2:  # ~20% of convictions abroad are never notified
                add(c.day + self._delay(35, 120), 10, 0.2, "ECRIS", cra(c.state), cra(nationality),
                    "conviction_notice", c.id if rng.random() >= 0.1 else "", "")
        qualifying = [c for c in convictions if c.qualifying]
        if qualifying and rng.random() < _GREEN_NOTICE_P.get(risk, 0):
            # Green Notice after the first serious conviction, to the likely destinations
            first = qualifying[0]
            sent = first.day + self._delay(90, 365)
            targets = {self.destinations[nationality].pick(rng) for _ in range(rng.randint(3, 6))}
            for state in sorted(targets - {first.state}):
                add(sent, 2, 0.1, "INTERPOL", pol(first.state), pol(state), "alert", first.id, "")
        for m in moves:
            known = [c for c in qualifying if c.day <= m.day]
            lq = known[-1] if known else None  # the latest serious conviction before arriving
            if lq is not None and lq.state != m.to_state and rng.random() < _ALERT_P[risk]:
                sent = max(m.day + rng.randint(-60, 180), lq.day)
                roll = rng.random()
                if roll < 0.2:
                    sender, mech = "EUROPOL", "SIENA"
                elif roll < 0.3:
                    sender, mech = "INTERPOL", "INTERPOL"
                else:
                    sender = pol(lq.state)
                    mech = self._police_mechanism(lq.state, m.to_state, sent, alert=True)
                risk_notice = mech not in ("SIS", "INTERPOL") and rng.random() >= 0.4
                kind = "risk_notice" if risk_notice else "alert"
                add(sent, 3, 0.1, mech, sender, pol(m.to_state), kind,
                    lq.id if rng.random() < 0.5 else "", m.id if rng.random() < 0.9 else "")
            for c in convictions:
                if (c.supervision_end is not None and c.state != m.to_state and c.day <= m.day
                        and c.supervision_end > START + timedelta(days=m.day) and rng.random() < 0.3
                        and self._eu(c.state, m.to_state, m.day)):  # FD947 is EU-only
                    add(max(m.day + rng.randint(-30, 120), c.day), 10, 0.1, "FD947",
                        self.probation(c.state), self.probation(m.to_state), "supervision_transfer",
                        c.id, m.id)
            if m.detected and rng.random() < 0.4:  # police check who they have found
                asked = nationality if nationality != m.to_state else m.from_state
                sent = m.day + rng.randint(0, 90)
                pair(sent, self._police_mechanism(m.to_state, asked, sent, alert=False),
                     pol(m.to_state), pol(asked), (5, 30), m.id)
            if m.to_state != nationality and rng.random() < 0.1:  # background check, e.g. vetting
                pair(m.day + rng.randint(30, 365), "ECRIS", cra(m.to_state), cra(nationality),
                     (14, 28), "")
        return sorted(out, key=lambda e: e[0])

    # --- one offender ---------------------------------------------------------------

    def _next_id(self, prefix: str) -> str:
        self.counters[prefix] += 1
        return f"{prefix}-{self.counters[prefix]:07d}"

    def offender(self, number: int, role: _Role) -> dict[str, list[list[Any]]]:
        """CSV rows (per file name) for offender `number` (1-based)."""
        rng, offender_id = self.rng, f"OFF-{number:06d}"
        shared = role.nationality is not None and rng.random() < 0.8  # most of a crew share a nationality
        nationality = role.nationality if role.nationality and shared else self.nationality.pick(rng)
        risk, sex = self.pick("risk"), self.pick("sex")
        if role.lone:
            risk = self.pick("lone_risk")
        rows: dict[str, list[list[Any]]] = {name: [] for name in _COLUMNS}
        moves, current = [], nationality
        for day, state in self._timeline(nationality, role):
            detected = rng.random() < 0.6
            source = self.pick("source_detected" if detected else "source_undetected")
            moves.append(_Movement(self._next_id("MOV"), current, state, day, detected))
            rows["movements.csv"].append([moves[-1].id, offender_id, current, state, _ISO[day],
                                          self.police(state) if detected else "", source])
            current = state
        convictions = []
        for day, state, code, case_id in self._convictions(nationality, moves, role.cases):
            months, end = self._sentence(code, day)
            qualifying = self.group[code] != "other"
            c = _Conviction(self._next_id("CNV"), state, code, day, qualifying, end)
            convictions.append(c)
            rows["convictions.csv"].append([c.id, offender_id, state, code, _ISO[day], case_id,
                                            months, end.isoformat() if end else ""])
        # Born 1950-2003, mostly in the 1980s, and at least 16 at the first event.
        first_day = min([N_DAYS - 1, *(m.day for m in moves), *(c.day for c in convictions)])
        first_year = (START + timedelta(days=first_day)).year
        birth_year = min(int(rng.triangular(1950, 2004, 1988)), 2003, first_year - 16)
        rows["offenders.csv"].append([offender_id, nationality, birth_year, sex, risk])
        for sent, received, *rest in self._exchanges(nationality, risk, convictions, moves):
            mechanism, sender, recipient, kind, conviction_id, movement_id = rest
            rows["exchanges.csv"].append([
                self._next_id("EXC"), mechanism, sender, recipient, offender_id, kind, _ISO[sent],
                _ISO[received] if received is not None else "", conviction_id, movement_id])
        return rows


def _offender_id(index: int) -> str:
    return f"OFF-{index + 1:06d}"


_NO_ROLE = _Role()


def planted(offenders: int, seed: int = 1, reference_dir: Path | None = None) -> Planted:
    """The crews, brokers and lone travellers that `generate` plants for the same arguments.

    Examples
    --------
    >>> p = planted(2000, seed=1)
    >>> len(p.crews) > 40, len(p.brokers) > 3, all(len(c.members) >= 4 for c in p.crews)
    (True, True, True)
    """
    return _Generator(Path(reference_dir or SEED_DIR), seed).plan(offenders)[1]


def generate(out_dir: Path, offenders: int, seed: int = 1,
             reference_dir: Path | None = None) -> dict[str, int]:
    """Write a complete data set (SPEC §2) into `out_dir`; return the row count per file name."""
    out_dir, reference_dir = Path(out_dir), Path(reference_dir or SEED_DIR)
    gen = _Generator(reference_dir, seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in REFERENCE_FILES:  # regenerating into seed_data/ copies a file onto itself
        src, dst = reference_dir / name, out_dir / name
        if not (dst.exists() and os.path.samefile(src, dst)):
            shutil.copyfile(src, dst)
    counts = {name: len(rows) for name, rows in gen.reference.items()}
    counts.update({name: 0 for name in _COLUMNS})
    roles, _ = gen.plan(offenders)
    files = {name: (out_dir / name).open("w", encoding="utf-8", newline="") for name in _COLUMNS}
    try:
        writers = {name: csv.writer(f, lineterminator="\n") for name, f in files.items()}
        for name, columns in _COLUMNS.items():
            writers[name].writerow(columns)
        for i in range(offenders):
            for name, rows in gen.offender(i + 1, roles.get(i, _NO_ROLE)).items():
                writers[name].writerows(rows)
                counts[name] += len(rows)
    finally:
        for f in files.values():
            f.close()
    return counts
