"""Whatever a file holds, checking it yields problems, never another exception.

Every problem also names a field of the file, has a catalogued message in both languages whose
parameters it carries, and a valid declaration survives a round trip through JSON.
"""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, timedelta, timezone
from itertools import pairwise
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from itdeclare import i18n
from itdeclare.models import Declaration, default_rules, partial, validate_declaration
from itdeclare.models.plan import plan_dates
from itdeclare.models.problems import Problem, from_validation_error
from tests.models.helpers import example

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "2026-12-01",
            "2026-12-01T11:00:00-08:00",
            "2026-12-01T11:00:00",
            "9999-12-31T23:59:59+14:00",
            "0001-01-01T00:00:00-12:00",
            "SFO",
            "PVG",
            "XQX",
            "E12345678",
            "+8613800138000",
            "nucleic_acid",
            "positive",
            "CHN",
            "11010519560301001X",
        ]
    ),
)
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


def assert_well_formed(problems: list[Problem]) -> None:
    fields = set(Declaration.model_fields) | {"from"}
    for problem in problems:
        assert isinstance(problem.loc, str)
        key = f"errors.{problem.code}"
        assert i18n.has_text(key), problem
        for language in i18n.LANGUAGES:
            i18n.t(key, language, **problem.params)  # no missing parameter
        head = problem.loc.split(".")[0]
        assert head in fields or problem.code in ("extra_forbidden", "not_an_object"), problem


@given(JSON)
def test_any_json_value(data: Any) -> None:
    assert_well_formed(validate_declaration(data).problems)


@given(st.dictionaries(st.sampled_from(sorted(Declaration.model_fields)), JSON, max_size=14))
def test_any_object_with_the_right_keys(data: dict[str, Any]) -> None:
    try:
        Declaration.model_validate(data)
    except ValidationError as error:
        assert_well_formed(from_validation_error(error))
    assert_well_formed(validate_declaration(data).problems)


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside the document."""
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


EXAMPLES = {name: example(name) for name in ("self", "parent")}
MUTATIONS = st.sampled_from(["replace", "delete", "duplicate_list_item"])


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    """A shipped example with a few values replaced, removed or repeated."""
    data = copy.deepcopy(EXAMPLES[draw(st.sampled_from(sorted(EXAMPLES)))])
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        where = draw(st.sampled_from(paths(data)))
        *parents, last = where
        node: Any = data
        for step in parents:
            node = node[step]
        action = draw(MUTATIONS)
        if action == "delete":
            del node[last]
            break  # paths computed before may be gone now
        if action == "duplicate_list_item" and isinstance(node, list):
            node.append(copy.deepcopy(node[last]))
        else:
            node[last] = draw(JSON)
    return data


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=300)
@given(mutated())
def test_mutated_declarations(data: dict[str, Any]) -> None:
    report = validate_declaration(data)
    assert_well_formed(report.problems)
    assert report.valid == (report.declaration is not None and not report.problems)


#: Ways a person may type the same values: (path, the value as stored, spellings). ``None`` is
#: null and ``...`` leaves the (optional) field out.
SPELLINGS: list[tuple[tuple[Any, ...], Any, list[Any]]] = [
    (("subject", "family_name"), "ZHANG", ["ZHANG", "zhang", " Zhang "]),
    (("subject", "chinese_name"), "张三", ["张三", " 张三 ", None, ...]),
    (("subject", "id_card_number"), "11010519560301001X", ["11010519560301001x", None, ...]),
    (("subject", "document", "number"), "E12345678", ["E12345678", "e1234 5678"]),
    (("subject", "document", "expires_on"), "2031-05-01", ["2031-05-01", None, ...]),
    (("contact", "phone"), "+14155550123", ["+1 (415) 555-0123", "＋１ ４１５ ５５５ ０１２３"]),
    (("contact", "email"), "Zhang.San@example.com", ["Zhang.San@Example.COM", None, ...]),
    (("residence", "country"), "USA", ["USA", "usa"]),
    (("employer",), "Example Co.", ["Example Co.", "  Example   Co. ", None, ...]),
    (("itinerary", 0, "flight"), "UA857", ["UA857", "ua 0857"]),
    (("itinerary", 0, "from"), "SFO", ["SFO", "sfo"]),
    (
        ("itinerary", 0, "departs_at"),
        "2026-12-01T11:00:00-08:00",
        ["2026-12-01T11:00:00-08:00", "2026-12-01T11:00-08:00", "2026-12-01 11:00:00.000-08:00"],
    ),
    (("tests", 0, "country"), "USA", ["USA", " usa "]),
    (("tests", 1, "institution"), "Example Lab", ["Example Lab", "Example\tLab"]),
]


def locate(data: Any, path: tuple[Any, ...]) -> tuple[Any, Any]:
    *parents, last = path
    for step in parents:
        data = data[step]
    return data, last


@st.composite
def respelled(draw: st.DrawFn) -> dict[str, Any]:
    data = example("self")
    for path, _, spellings in SPELLINGS:
        node, last = locate(data, path)
        choice = draw(st.sampled_from(spellings))
        if choice is ...:
            del node[last]
        else:
            node[last] = choice
    return data


@given(respelled())
def test_every_spelling_validates_and_normalises_once(data: dict[str, Any]) -> None:
    report = validate_declaration(data)
    assert report.problems == []
    assert report.declaration is not None
    dumped = json.loads(report.declaration.model_dump_json())
    again = Declaration.model_validate(dumped)
    assert again == report.declaration
    assert again.model_dump(mode="json") == dumped
    for path, stored, _ in SPELLINGS:
        node, last = locate(dumped, path)
        assert node[last] in (stored, None), path


#: Values that reach the corners of pydantic's parsers: huge and non-finite numbers, impossible
#: dates and offsets, containers where scalars belong.
ODD_VALUES: list[Any] = [
    None,
    True,
    0,
    -1,
    2**70,
    1.5,
    float("nan"),
    float("inf"),
    "",
    "  ",
    "x",
    "9" * 5000,
    "1e400",
    "2026-13-01",
    "2026-12-01T25:00:00+08:00",
    "2026-12-01T11:00:00+25:00",
    "2026-12-01",
    1700000000.5,
    [],
    {},
    [1],
    {"a": 1},
]


def test_every_field_with_every_odd_value() -> None:
    """Deterministic companion of the properties above: each leaf of both examples, each value."""
    for name, base in EXAMPLES.items():
        for path in paths(base):
            for value in ODD_VALUES:
                data = copy.deepcopy(base)
                node: Any = data
                for step in path[:-1]:
                    node = node[step]
                node[path[-1]] = value
                try:
                    assert_well_formed(validate_declaration(data).problems)
                except AssertionError as error:
                    raise AssertionError(f"{name}.json {path} = {value!r}") from error


#: Every UTC offset a time may be written with, to the minute (as the validators keep them).
OFFSETS = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
#: Within two days of either end of the calendar, where a step to UTC or to an airport's clock
#: (whose offsets reached about 16 h before standard time) falls off it.
NEAR_THE_ENDS = st.builds(
    lambda first, step, offset: ((datetime.min + step) if first else (datetime.max - step)).replace(
        tzinfo=offset
    ),
    st.booleans(),
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=2)),
    OFFSETS,
)
MOMENTS = st.datetimes(timezones=OFFSETS) | NEAR_THE_ENDS
#: Airports whose clocks reach the extremes: Kiritimati (+14), Pago Pago (-11), Auckland
#: (+13 in summer), Kathmandu (+05:45), Manila and Juneau (local mean times -15:56 and +15:02
#: before they crossed the date line), and ports of entry.
AIRPORTS = st.sampled_from(["CXI", "PPG", "AKL", "KTM", "MNL", "JNU", "SFO", "PVG", "PEK"])
DAYS = st.dates() | st.sampled_from([date.min, date.max])


@st.composite
def trips_in_any_year(draw: st.DrawFn) -> tuple[dict[str, Any], datetime | None]:
    """The self example with its flights, tests and history at any moment of the calendar,
    written with any offset, and a clock that may be anywhere too."""
    data = example("self")
    stops = draw(st.lists(AIRPORTS, min_size=2, max_size=3))
    data["itinerary"] = [
        {
            "flight": "UA857",
            "from": origin,
            "to": destination,
            "departs_at": draw(MOMENTS).isoformat(),
            "arrives_at": draw(MOMENTS).isoformat(),
        }
        for origin, destination in pairwise(stops)
    ]
    data["port_of_entry"] = stops[-1]
    for test in data["tests"]:
        test["sampled_at"] = draw(MOMENTS).isoformat()
    data["vaccinations"][0]["date"] = draw(DAYS).isoformat()
    data["history"] = [{"kind": "positive_test", "date": draw(DAYS).isoformat()}]
    data["subject"]["document"]["expires_on"] = draw(DAYS).isoformat()
    return data, draw(st.none() | MOMENTS)


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=300)
@given(trips_in_any_year())
def test_times_anywhere_in_the_calendar_are_judged_never_raise(
    trip: tuple[dict[str, Any], datetime | None],
) -> None:
    """Year 1 and year 9999 are slips of the keyboard: the checks that take a time to UTC, to an
    airport's clock, or count days from it, answer with problems (or pass), never an exception."""
    data, now = trip
    report = validate_declaration(data, now=now)
    assert_well_formed(report.problems)
    for warning in report.warnings:
        for language in i18n.LANGUAGES:
            i18n.warning_message(warning, language)
    plan_dates(partial.from_data(data), default_rules())
