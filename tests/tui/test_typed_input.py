"""Forgiving dates, times and forms as typed (models.typed_dates, models.form_reading)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from itdeclare.models.form_reading import check_form, read_form
from itdeclare.models.typed_dates import (
    canonical_datetime,
    parse_date,
    parse_datetime,
    read_datetime,
)
from tests.tui.seeds import complete_form

TODAY = date(2026, 11, 20)
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
EXPECTED = datetime(2026, 11, 26, 14, 5, tzinfo=LOS_ANGELES)


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-26 14:05",
        "26/11 14:05",
        "14:05 26/11",
        "26.11.2026 14:05",
        "26-11-2026 14:05",
        "2026/11/26 14:05",
        "2026年11月26日 14:05",
        "11月26日 14点05分",
        "nov 26 2:05pm",
        "26 November 2026 14:05",
        "20261126 1405",
        "2026-11-26T14:05",
        "11/26 14:05",  # month first when the day cannot be the second number
        "２０２６－１１－２６　１４：０５",  # fullwidth, as a Chinese IME may type it
        "26/11 2:05 pm",
    ],
)
def test_the_same_moment_typed_many_ways(text: str) -> None:
    assert parse_datetime(text, LOS_ANGELES, TODAY) == EXPECTED


@pytest.mark.parametrize(
    ("text", "offset"),
    [
        ("26/11 14:05 +08:00", timedelta(hours=8)),
        ("26/11 14:05 UTC+8", timedelta(hours=8)),
        ("2026-11-26T14:05:00-05:00", timedelta(hours=-5)),
        ("26/11 14:05z", timedelta(0)),
    ],
)
def test_a_typed_offset_wins_over_the_airport(text: str, offset: timedelta) -> None:
    moment = parse_datetime(text, LOS_ANGELES, TODAY)
    assert moment.utcoffset() == offset
    assert (moment.hour, moment.minute) == (14, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1/3/1956", date(1956, 3, 1)),
        ("1956-03-01", date(1956, 3, 1)),
        ("03/04/2021", date(2021, 4, 3)),  # day first when both are possible
        ("12/25/2021", date(2021, 12, 25)),
        ("3 Jan", date(2027, 1, 3)),  # without a year: the nearest such day
        ("15/11", date(2026, 11, 15)),
        ("1 January 2020", date(2020, 1, 1)),
    ],
)
def test_dates(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("", "date_empty"),
        ("tomorrow", "date_unreadable"),
        ("2026-02-30", "date_invalid"),
        ("31/13/2026", "date_invalid"),
    ],
)
def test_dates_that_cannot_be_read(text: str, code: str) -> None:
    with pytest.raises(PydanticCustomError) as error:
        parse_date(text, TODAY)
    assert error.value.type == code


@pytest.mark.parametrize(
    ("text", "zone", "code"),
    [
        ("soon", LOS_ANGELES, "datetime_unreadable"),
        ("26/11", LOS_ANGELES, "time_missing"),
        ("26/11 25:00", LOS_ANGELES, "time_invalid"),
        ("26/11 14:05", None, "datetime_zone_unknown"),
        ("26/11 14:05 +15:00", LOS_ANGELES, "offset_invalid"),
        ("", LOS_ANGELES, "datetime_empty"),
    ],
)
def test_datetimes_that_cannot_be_read(text: str, zone: ZoneInfo | None, code: str) -> None:
    with pytest.raises(PydanticCustomError) as error:
        parse_datetime(text, zone, TODAY)
    assert error.value.type == code


@given(st.text(max_size=40))
def test_any_text_is_read_or_refused_with_a_code(text: str) -> None:
    for attempt in (
        lambda: parse_date(text, TODAY),
        lambda: parse_datetime(text, LOS_ANGELES, TODAY),
    ):
        try:
            attempt()
        except PydanticCustomError as error:
            assert error.type.replace("_", "").isalpha()


moments = st.datetimes(min_value=datetime(1950, 1, 1), max_value=datetime(2090, 12, 31)).map(
    lambda moment: moment.replace(second=0, microsecond=0)
)


@given(moments)
def test_the_canonical_spelling_reads_back_the_same(moment: datetime) -> None:
    typed = read_datetime(moment.strftime("%d/%m/%Y %H:%M"), TODAY)
    assert typed.local == moment
    assert read_datetime(canonical_datetime(typed), TODAY).local == moment


@given(moments, st.integers(min_value=-12 * 4, max_value=14 * 4))
def test_an_offset_survives_the_canonical_spelling(moment: datetime, quarters: int) -> None:
    offset = timezone(timedelta(minutes=15 * quarters))
    typed = read_datetime(moment.replace(tzinfo=offset).isoformat(), TODAY)
    again = read_datetime(canonical_datetime(typed), TODAY)
    assert again.local == moment
    assert again.explicit_offset is not None
    assert again.explicit_offset.utcoffset(None) == offset.utcoffset(None)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)))
def test_iso_dates_read_back(day: date) -> None:
    assert parse_date(day.isoformat(), TODAY) == day
    assert parse_date(day.strftime("%d/%m/%Y"), TODAY) == day


def test_a_form_reads_into_the_document_of_the_models() -> None:
    reading = read_form(complete_form(), TODAY)
    assert reading.problems == []
    document = reading.document
    assert "email" not in document["contact"]  # empty text is left out
    assert document["itinerary"][0]["departs_at"] == "2026-12-01T11:00:00-08:00"
    assert document["itinerary"][0]["arrives_at"] == "2026-12-02T17:00:00+08:00"
    assert document["tests"][0]["sampled_at"] == "2026-11-30T09:00:00-08:00"  # departure zone
    assert document["vaccinations"][0]["dose"] == 2


def test_unreadable_values_are_problems_at_their_field() -> None:
    form = complete_form()
    form["tests"][1]["sampled_at"] = "yesterday"
    form["vaccinations"][0]["of"] = "two"
    problems = check_form(form, TODAY, now=datetime(2026, 11, 30, 20, tzinfo=UTC))
    found = {(p.loc, p.code) for p in problems}
    assert ("tests.1.sampled_at", "datetime_unreadable") in found
    assert ("vaccinations.0.of", "number_unreadable") in found
    assert not any(p.loc == "tests.1.sampled_at" and p.code == "missing" for p in problems)


def test_the_attestation_is_asked_for_last() -> None:
    now = datetime(2026, 11, 30, 20, tzinfo=UTC)
    assert [p.code for p in check_form(complete_form(), TODAY, now=now)] == ["not_attested"]
    assert check_form(complete_form(attested=True), TODAY, now=now) == []
