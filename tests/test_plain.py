"""``itdeclare.plain``: plain data into records (dataclasses and ``NamedTuple``s) and back, every
problem reported."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal, NamedTuple

import pytest
from hypothesis import given
from hypothesis import strategies as st

from itdeclare.config import Settings
from itdeclare.models.enums import DeclarationStatus, Relationship
from itdeclare.plain import Bounds, ConversionError, from_plain, to_plain
from itdeclare.storage.records import Certificate, Draft, Person, Session


@dataclass(frozen=True)
class Inner:
    delay: Annotated[float, Bounds(ge=0.5, le=2)] = 1.0
    count: Annotated[int, Bounds(ge=1)] = 3


@dataclass(kw_only=True)
class Sample:
    name: str
    when: datetime
    kind: Relationship = Relationship.SELF
    language: Literal["zh", "en"] | None = None
    enabled: bool = False
    where: Path | None = None
    inner: Inner = field(default_factory=Inner)
    tags: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


WHEN = datetime(2026, 11, 27, 9, 30, tzinfo=UTC)


def problems_of(cls: type, data: Any, **options: Any) -> dict[str, str]:
    with pytest.raises(ConversionError) as caught:
        from_plain(cls, data, **options)
    return {problem.where: problem.code for problem in caught.value.problems}


def test_a_whole_sample_reads_and_writes_back() -> None:
    data = {
        "name": "王芳",
        "when": "2026-11-27T09:30:00Z",
        "kind": "parent",
        "language": "zh",
        "enabled": True,
        "where": "/tmp/x",
        "inner": {"delay": 1.5, "count": 4},
        "tags": ["a", "b"],
        "extra": {"nested": [1, {"deep": None}]},
        "unknown": "ignored",
    }
    sample = from_plain(Sample, data)
    assert sample == Sample(
        name="王芳",
        when=WHEN,
        kind=Relationship.PARENT,
        language="zh",
        enabled=True,
        where=Path("/tmp/x"),
        inner=Inner(1.5, 4),
        tags=["a", "b"],
        extra={"nested": [1, {"deep": None}]},
    )
    assert from_plain(Sample, json.loads(json.dumps(to_plain(sample)))) == sample


def test_every_problem_is_reported_with_its_place() -> None:
    data = {
        "when": "yesterday",
        "kind": "cousin",
        "language": "fr",
        "enabled": "yes",
        "where": "",
        "inner": {"delay": 5, "count": 0},
        "tags": ["a", 3],
        "extra": [],
    }
    assert problems_of(Sample, data) == {
        "name": "missing",
        "when": "not_a_time",
        "kind": "choice",
        "language": "choice",
        "enabled": "not_yes_no",
        "where": "not_a_path",
        "inner.delay": "too_large",
        "inner.count": "too_small",
        "tags.1": "not_text",
        "extra": "not_a_table",
    }


@pytest.mark.parametrize(
    ("value", "code"),
    [("2026-11-27T09:30:00", "not_a_time"), (1764235800, "not_a_time"), (None, "not_a_time")],
)
def test_times_need_an_offset(value: Any, code: str) -> None:
    assert problems_of(Sample, {"name": "x", "when": value}) == {"when": code}


def test_an_offset_other_than_utc_is_kept() -> None:
    sample = from_plain(Sample, {"name": "x", "when": "2026-11-27T17:30:00+08:00"})
    assert sample.when.utcoffset() == timedelta(hours=8)
    assert sample.when == WHEN
    assert sample.when.tzinfo == timezone(timedelta(hours=8))


@pytest.mark.parametrize("value", ["1.5", True, float("nan"), float("inf")])
def test_numbers_are_numbers(value: Any) -> None:
    assert problems_of(Inner, {"delay": value}) == {"delay": "not_number"}


def test_text_is_converted_only_when_asked() -> None:
    text = {"delay": " 1.5 ", "count": "7"}
    assert problems_of(Inner, text) == {"delay": "not_number", "count": "not_whole_number"}
    assert from_plain(Inner, text, from_text=True) == Inner(1.5, 7)
    assert from_plain(
        Sample, {"name": "x", "when": WHEN.isoformat(), "enabled": "ON"}, from_text=True
    ).enabled
    assert problems_of(Inner, {"count": "7.5"}, from_text=True) == {"count": "not_whole_number"}


def test_whole_numbers_and_huge_ones() -> None:
    assert from_plain(Inner, {"count": 4.0}) == Inner(count=4)
    assert problems_of(Inner, {"count": 4.5}) == {"count": "not_whole_number"}
    huge = {"delay": 10**400, "count": 10**400 + 1}
    assert problems_of(Inner, huge) == {"delay": "not_number"}
    assert from_plain(Inner, {"count": 10**400 + 1}).count == 10**400 + 1


def test_not_a_table_at_the_top() -> None:
    assert problems_of(Inner, ["delay", 1]) == {"(top)": "not_a_table"}


def test_messages_exist_in_both_languages() -> None:
    with pytest.raises(ConversionError) as caught:
        from_plain(Inner, {"delay": 9})
    assert caught.value.describe("en") == "delay: should be at most 2"
    assert caught.value.describe("zh") == "delay: 不应大于 2"
    assert str(caught.value) == "delay: should be at most 2"


class Frozen(NamedTuple):
    """A record that is never changed: read and written as a dataclass is."""

    name: str
    inner: Inner = Inner()
    labels: Mapping[str, str] = MappingProxyType({})
    when: datetime | None = None


def test_a_named_tuple_reads_and_writes_back() -> None:
    frozen = from_plain(Frozen, {"name": "x", "labels": {"a": "b"}, "when": "2026-11-27T09:30Z"})
    assert frozen == Frozen("x", Inner(), {"a": "b"}, WHEN)
    assert from_plain(Frozen, json.loads(json.dumps(to_plain(frozen)))) == frozen
    default = Frozen("y")  # its defaults, a read-only mapping among them, write as JSON
    assert json.loads(json.dumps(to_plain(default))) == {
        "name": "y",
        "inner": {"delay": 1.0, "count": 3},
        "labels": {},
        "when": None,
    }
    assert problems_of(Frozen, {"labels": []}) == {"name": "missing", "labels": "not_a_table"}


def test_the_settings_survive_json() -> None:
    settings = Settings(language="zh", keymap={"wizard.next": "ctrl+n"})
    assert from_plain(Settings, json.loads(json.dumps(to_plain(settings)))) == settings
    assert from_plain(Settings, json.loads(json.dumps(to_plain(Settings())))) == Settings()


def test_a_union_other_than_optional_is_a_programming_error() -> None:
    @dataclass
    class Odd:
        value: int | str

    with pytest.raises(TypeError):
        from_plain(Odd, {"value": 1})


# --- the local records, as the store writes and reads them -------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=10,
)
aware_times = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)
)
records = st.one_of(
    st.builds(
        Draft,
        declaration=st.dictionaries(st.text(), json_values, max_size=4),
        step=st.text(),
        focus=st.none() | st.text(),
        revision=st.integers(min_value=0),
        created_at=aware_times,
        submission_started=st.none() | aware_times,
    ),
    st.builds(
        Person,
        relationship=st.sampled_from(Relationship),
        subject=st.dictionaries(st.text(), json_values, max_size=4),
    ),
    st.builds(
        Certificate,
        payload=st.text(),
        issued_at=aware_times,
        expires_at=aware_times,
        status=st.sampled_from(DeclarationStatus),
    ),
    st.builds(Session, server=st.text(), token=st.text(), phone=st.text()),
)


@given(records)
def test_every_record_survives_json(record: Any) -> None:
    written = json.dumps(to_plain(record), ensure_ascii=False)
    assert from_plain(type(record), json.loads(written)) == record


@given(st.sampled_from([Draft, Person, Certificate, Session]), json_values)
def test_any_json_is_read_or_refused_with_a_conversion_error(cls: type, data: Any) -> None:
    try:
        from_plain(cls, data)
    except ConversionError as error:
        assert error.problems
