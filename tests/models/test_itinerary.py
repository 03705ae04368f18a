"""Flight legs and how they fit together: order, connections, time zones, the port of entry."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from itdeclare import i18n
from itdeclare.models import Declaration, FlightLeg, limits
from tests.models.helpers import found, leg, only, problems, trip

SFO_PVG = leg("UA857", "SFO", "PVG", "2026-12-01T11:00:00-08:00", "2026-12-02T17:00:00+08:00")


def test_leg_uses_from_in_the_file_and_from_underscore_in_python() -> None:
    flight = FlightLeg.model_validate(SFO_PVG)
    assert flight.from_ == "SFO"
    assert flight.model_dump(mode="json") == SFO_PVG


def test_leg_fields_are_normalised() -> None:
    flight = FlightLeg.model_validate(SFO_PVG | {"flight": "ua 0857", "from": "sfo", "to": "pvg"})
    assert (flight.flight, flight.from_, flight.to) == ("UA857", "SFO", "PVG")


def test_unknown_airport_names_the_leg_field(declaration: dict[str, Any]) -> None:
    declaration["itinerary"][0]["from"] = "XQX"
    problem = only(declaration)
    assert (problem.loc, problem.code) == ("itinerary.0.from", "airport_unknown")


def test_missing_from_is_reported_under_its_file_name(declaration: dict[str, Any]) -> None:
    del declaration["itinerary"][0]["from"]
    assert found(declaration) == {("itinerary.0.from", "missing")}


def test_the_python_name_is_unknown_in_the_file(declaration: dict[str, Any]) -> None:
    declaration["itinerary"][0]["from_"] = declaration["itinerary"][0].pop("from")
    assert found(declaration) == {
        ("itinerary.0.from", "missing"),
        ("itinerary.0.from_", "extra_forbidden"),
    }


@pytest.mark.parametrize("field", ["departs_at", "arrives_at"])
def test_times_need_their_offset(declaration: dict[str, Any], field: str) -> None:
    declaration["itinerary"][0][field] = declaration["itinerary"][0][field][:19]
    assert (f"itinerary.0.{field}", "timezone_aware") in found(declaration)


def test_at_least_one_leg_and_at_most_the_limit(declaration: dict[str, Any]) -> None:
    declaration["itinerary"] = []
    assert found(declaration) == {("itinerary", "too_short")}
    declaration["itinerary"] = [SFO_PVG] * (limits.ITINERARY_LEGS + 1)
    assert found(declaration) == {("itinerary", "too_long")}


def test_offset_must_be_the_airports_own(declaration: dict[str, Any]) -> None:
    declaration["itinerary"][0]["departs_at"] = "2026-12-01T11:00:00-05:00"  # New York's offset
    problem = only(declaration)
    assert (problem.loc, problem.code) == ("itinerary.0.departs_at", "time_zone_mismatch")
    assert problem.params["airport"] == "SFO"
    assert problem.params["expected"] == datetime.fromisoformat("2026-12-01T08:00:00-08:00")


def test_same_instant_in_another_offset_is_still_wrong(declaration: dict[str, Any]) -> None:
    """Times are written local to each airport, as on the ticket: a UTC time is refused."""
    declaration["itinerary"][0]["arrives_at"] = "2026-12-02T09:00:00Z"
    assert found(declaration) == {("itinerary.0.arrives_at", "time_zone_mismatch")}


def test_arrival_after_departure(declaration: dict[str, Any]) -> None:
    declaration["itinerary"][0]["arrives_at"] = "2026-12-01T11:00:00+08:00"  # 03:00 UTC
    assert found(declaration) == {("itinerary.0.arrives_at", "arrival_before_departure")}


@pytest.mark.parametrize(
    ("arrives", "expires_on"),
    [
        ("2029-08-01T17:00:00+08:00", "2031-05-01"),  # a code valid for years
        ("2999-12-02T17:00:00+08:00", None),  # no expiry date to stop it
        ("2026-12-03T03:01:00+08:00", "2031-05-01"),  # 24 h 1 min after it left
    ],
)
def test_a_flight_lasts_at_most_a_day(
    declaration: dict[str, Any], arrives: str, expires_on: str | None
) -> None:
    """The certificate's validity follows the arrival: an arrival typed in a later year would
    keep a one-day trip's code valid until then."""
    declaration["subject"]["document"]["expires_on"] = expires_on
    declaration["itinerary"][0]["arrives_at"] = arrives
    problem = only(declaration)
    assert (problem.loc, problem.code) == ("itinerary.0.arrives_at", "flight_too_long")
    assert problem.params == {"hours": 24}
    assert "at most 24 hours" in i18n.problem_message(problem, "en")
    assert "不超过 24 小时" in i18n.problem_message(problem, "zh")


def test_a_flight_of_exactly_a_day_is_accepted(declaration: dict[str, Any]) -> None:
    declaration["itinerary"][0]["arrives_at"] = "2026-12-03T03:00:00+08:00"  # 11:00 -08:00 + 24 h
    assert found(declaration) == set()


def test_the_longest_scheduled_flight_is_accepted() -> None:
    """New York to Singapore (SQ24): 18 h 40 min on the timetable."""
    data = trip(
        [
            leg("SQ24", "JFK", "SIN", "2026-12-01T22:00:00-05:00", "2026-12-03T05:40:00+08:00"),
            leg("SQ830", "SIN", "PVG", "2026-12-03T09:00:00+08:00", "2026-12-03T14:00:00+08:00"),
        ],
        "2026-12-02T10:00:00+08:00",
        "SGP",
        residence="USA",
    )
    assert found(data) == set()


def test_a_connecting_flight_that_lasts_too_long_is_named() -> None:
    data = trip(
        [
            leg("NH7", "SFO", "NRT", "2026-12-06T11:00:00-08:00", "2026-12-08T15:30:00+09:00"),
            leg("NH919", "NRT", "PVG", "2026-12-08T18:00:00+09:00", "2026-12-08T20:30:00+08:00"),
        ],
        "2026-12-07T09:00:00+09:00",
        "JPN",
        residence="USA",
    )
    assert found(data) == {("itinerary.0.arrives_at", "flight_too_long")}


@pytest.mark.parametrize(
    ("field", "written", "offset"),
    [
        ("departs_at", "0001-01-01T00:00:00+14:00", "UTC-07:53"),  # before UTC's first day
        ("departs_at", "9999-12-31T23:59:00-12:00", "UTC-08:00"),  # after UTC's last day
        ("arrives_at", "9999-12-31T23:59:00-14:00", "UTC+08:00"),
    ],
)
def test_a_time_no_clock_shows_is_checked_against_the_airports_offset(
    declaration: dict[str, Any], field: str, written: str, offset: str
) -> None:
    """Times at the calendar's ends (a slip of the keyboard) whose moment is past the calendar
    in UTC or at the airport: its local time cannot be shown, its offset can (San Francisco
    kept its local mean time, -07:52:58, until 1883)."""
    declaration["itinerary"][0][field] = written
    [problem] = [p for p in problems(declaration) if p.code.startswith("time_zone")]
    assert problem.loc == f"itinerary.0.{field}"
    assert (problem.code, problem.params["offset"]) == ("time_zone_offset_mismatch", offset)
    assert f"are then at {offset}" in i18n.problem_message(problem, "en")
    assert f"时区应为 {offset}" in i18n.problem_message(problem, "zh")


def test_a_time_past_the_calendar_in_utc_at_the_airports_own_offset(
    declaration: dict[str, Any],
) -> None:
    """20:00 on 31 December 9999 in San Francisco is past the calendar in UTC, yet it is
    written at the airport's offset: the flight is refused for landing before it left."""
    declaration["itinerary"][0]["departs_at"] = "9999-12-31T20:00:00-08:00"
    declaration["itinerary"][0]["arrives_at"] = "9999-12-31T23:59:00+08:00"
    at_the_flight = {(loc, code) for loc, code in found(declaration) if loc.startswith("itin")}
    assert at_the_flight == {("itinerary.0.arrives_at", "arrival_before_departure")}


def test_eastward_over_the_date_line_arrives_earlier_on_the_clock() -> None:
    """Tokyo 21:00 on the 8th to Honolulu 09:00 on the 8th: earlier by the clock, 7 h later."""
    data = trip(
        [
            leg("JL782", "NRT", "HNL", "2026-12-08T21:00:00+09:00", "2026-12-08T09:00:00-10:00"),
            leg("HA2020", "HNL", "PVG", "2026-12-09T13:00:00-10:00", "2026-12-10T19:00:00+08:00"),
        ],
        "2026-12-08T10:00:00-10:00",
        "USA",
    )
    assert found(data) == set()


def test_dst_ambiguous_hour_accepts_both_offsets() -> None:
    """01:30 on 1 Nov 2026 happens twice in San Francisco: PDT (-07:00), then PST (-08:00)."""
    for offset in ("-07:00", "-08:00"):
        data = trip(
            [
                leg(
                    "UA857",
                    "SFO",
                    "PVG",
                    f"2026-11-01T01:30:00{offset}",
                    "2026-11-02T07:00:00+08:00",
                )
            ],
            "2026-10-31T09:00:00-07:00",
            "USA",
        )
        assert found(data) == set(), offset


def test_dst_start_needs_the_summer_offset() -> None:
    """London moves to BST (+01:00) at 01:00 UTC on 29 March 2026."""
    before = leg("CA938", "LHR", "PEK", "2026-03-29T12:00:00+00:00", "2026-03-30T05:00:00+08:00")
    data = trip([before], "2026-03-28T10:00:00+00:00", "GBR")
    assert found(data) == {("itinerary.0.departs_at", "time_zone_mismatch")}
    data["itinerary"][0]["departs_at"] = "2026-03-29T12:00:00+01:00"
    assert found(data) == set()


PARENT_LEGS = [
    leg("LH1115", "MAD", "FRA", "2026-12-05T07:00:00+01:00", "2026-12-05T09:35:00+01:00"),
    leg("LH728", "FRA", "PVG", "2026-12-08T11:45:00+01:00", "2026-12-09T05:55:00+08:00"),
]


def test_legs_in_the_wrong_order(parent_declaration: dict[str, Any]) -> None:
    parent_declaration["itinerary"] = list(reversed(PARENT_LEGS))
    parent_declaration["port_of_entry"] = "FRA"
    assert ("itinerary.1.from", "leg_not_connected") in found(parent_declaration)
    assert ("itinerary.1.departs_at", "leg_departs_before_arrival") in found(parent_declaration)
    assert ("itinerary.0.to", "entry_before_last_leg") in found(parent_declaration)


def test_a_leg_must_leave_from_where_the_last_one_landed(
    parent_declaration: dict[str, Any],
) -> None:
    parent_declaration["itinerary"][1]["from"] = "MUC"
    parent_declaration["itinerary"][1]["departs_at"] = "2026-12-08T11:45:00+01:00"
    assert found(parent_declaration) == {("itinerary.1.from", "leg_not_connected")}


def test_a_connection_between_airports_of_one_city() -> None:
    """Landing at Narita and leaving from Haneda is a connection in Tokyo."""
    data = trip(
        [
            leg("NH7", "SFO", "NRT", "2026-12-06T11:00:00-08:00", "2026-12-07T15:30:00+09:00"),
            leg("NH967", "HND", "PEK", "2026-12-08T09:00:00+09:00", "2026-12-08T12:15:00+08:00"),
        ],
        "2026-12-07T18:00:00+09:00",
        "JPN",
        residence="USA",
    )
    assert found(data) == set()


def test_next_leg_departs_before_the_previous_one_lands() -> None:
    data = trip(
        [
            leg("NH7", "SFO", "NRT", "2026-12-06T11:00:00-08:00", "2026-12-07T15:30:00+09:00"),
            leg("NH919", "NRT", "PVG", "2026-12-07T15:00:00+09:00", "2026-12-07T17:30:00+08:00"),
        ],
        "2026-12-06T09:00:00+09:00",
        "JPN",
        residence="USA",
    )
    problem = only(data)
    assert (problem.loc, problem.code) == ("itinerary.1.departs_at", "leg_departs_before_arrival")
    assert problem.params == {
        "flight": "NH7",
        "arrival": datetime.fromisoformat("2026-12-07T15:30:00+09:00"),
    }


def test_a_flight_cannot_land_where_it_left(declaration: dict[str, Any]) -> None:
    declaration["itinerary"][0]["to"] = "SFO"
    declaration["itinerary"][0]["arrives_at"] = "2026-12-01T13:00:00-08:00"
    assert ("itinerary.0.to", "leg_same_airport") in found(declaration)


def test_only_the_last_leg_lands_in_china() -> None:
    data = trip(
        [
            leg("UA857", "SFO", "PVG", "2026-12-01T11:00:00-08:00", "2026-12-02T17:00:00+08:00"),
            leg("MU5101", "PVG", "PEK", "2026-12-02T20:00:00+08:00", "2026-12-02T22:15:00+08:00"),
        ],
        "2026-11-30T09:00:00-08:00",
        "USA",
    )
    assert found(data) >= {("itinerary.0.to", "entry_before_last_leg")}


def test_the_last_leg_must_reach_a_port_of_entry(declaration: dict[str, Any]) -> None:
    declaration["itinerary"][0]["to"] = "NRT"
    declaration["itinerary"][0]["arrives_at"] = "2026-12-02T16:00:00+09:00"
    problem = only(declaration)
    assert (problem.loc, problem.code) == ("itinerary.0.to", "entry_not_port")
    assert problem.params == {"airport": "NRT"}


def test_port_of_entry_is_where_the_last_leg_lands(declaration: dict[str, Any]) -> None:
    declaration["port_of_entry"] = "PEK"
    problem = only(declaration)
    assert (problem.loc, problem.code) == ("port_of_entry", "port_not_final_arrival")
    assert problem.params == {"expected": "PVG"}


@pytest.mark.parametrize(("port", "code"), [("SFO", "port_not_entry"), ("XQX", "airport_unknown")])
def test_port_of_entry_must_be_a_chinese_port(
    declaration: dict[str, Any], port: str, code: str
) -> None:
    declaration["port_of_entry"] = port
    assert found(declaration) == {("port_of_entry", code)}


def test_entry_leg_is_the_last(parent_declaration: dict[str, Any]) -> None:
    assert Declaration.model_validate(parent_declaration).entry_leg.flight == "LH728"


@pytest.mark.parametrize(
    ("written", "local"), [("-08:00", "03:30:00-07:00"), ("-07:00", "01:30:00-08:00")]
)
def test_a_time_that_does_not_exist_locally(written: str, local: str) -> None:
    """02:30 on 8 March 2026 never happens in San Francisco: clocks jump from 02:00 to 03:00."""
    departs = f"2026-03-08T02:30:00{written}"
    data = trip(
        [leg("UA857", "SFO", "PVG", departs, "2026-03-09T08:00:00+08:00")],
        "2026-03-07T09:00:00-08:00",
        "USA",
    )
    problem = only(data)
    assert (problem.loc, problem.code) == ("itinerary.0.departs_at", "time_zone_mismatch")
    assert problem.params["expected"] == datetime.fromisoformat(f"2026-03-08T{local}")
