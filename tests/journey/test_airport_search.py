"""How airport matches are ordered: the code, the code's start, the city's start, a match in
the city or the name, then one in the country's names (either language)."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itdeclare.journey.airports import _choices, search_airports
from itdeclare.models import reference


def codes(query: str, limit: int = 50) -> list[str]:
    return [choice.code for choice in search_airports(query, limit=limit)]


def country_of(code: str) -> str:
    airport = reference.airport(code)
    assert airport is not None
    return airport.country


def test_the_code_comes_first_then_codes_that_start_with_it() -> None:
    assert codes("pvg")[0] == "PVG"
    assert all(code.startswith("PV") for code in codes("pv", 10))


def test_a_match_in_the_city_or_name_comes_before_one_in_the_country() -> None:
    found = search_airports("germ", limit=400)
    in_place = [("germ" in choice.place) for choice in found]
    assert True in in_place and False in in_place
    assert in_place == sorted(in_place, reverse=True)  # every place match first
    assert all(country_of(c.code) == "DEU" for c in found if "germ" not in c.place)
    assert codes("heathrow")[0] == "LHR"


def test_the_country_is_found_by_either_language() -> None:
    english, chinese = codes("germany", 200), codes("德国", 200)
    assert english == chinese
    assert {country_of(code) for code in chinese} == {"DEU"}


def test_a_country_text_is_shared_and_zone_names_kept_once() -> None:
    by_country: dict[str, set[int]] = {}
    for choice in _choices():
        by_country.setdefault(choice.country_en, set()).add(id(choice.country))
    assert all(len(ids) == 1 for ids in by_country.values())
    zones = [airport.tz for airport in reference.airports().values()]
    assert len({id(zone) for zone in zones}) == len(set(zones))
    assert all(zone is sys.intern(zone) for zone in zones[:50])


# --- every airport of a city, by any of its names ----------------------------------------


def same_city(code: str) -> set[str]:
    airport = reference.airport(code)
    assert airport is not None
    return {
        other.iata
        for other in reference.airports().values()
        if (other.city, other.country) == (airport.city, airport.country)
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("shanghai", {"PVG", "SHA"}),
        ("上海", {"PVG", "SHA"}),
        ("beijing", {"PEK", "PKX"}),
        ("北京", {"PEK", "PKX"}),
        ("osaka", {"KIX", "ITM"}),
        ("大阪", {"KIX", "ITM"}),  # Itami has the name Kansai has
        ("tokyo", {"NRT", "HND"}),
        ("东京", {"NRT", "HND"}),
    ],
)
def test_a_city_finds_every_airport_of_it_first(query: str, expected: set[str]) -> None:
    assert set(codes(query)[: len(expected)]) == expected


def test_a_city_comes_before_a_name_that_begins_the_same() -> None:
    # London's airports before Guiyang Longdongbao, a port of entry.
    assert all(country_of(code) == "GBR" for code in codes("lon", 5))


def test_the_likelier_airport_comes_first_among_equal_matches() -> None:
    london = codes("london")
    assert set(london[:7]) == same_city("LHR")  # every London, England airport ...
    assert london.index("YXU") > london.index("LHR")  # ... before London, Ontario
    assert codes("paris")[:3] == ["CDG", "LBG", "ORY"]
    assert codes("sydney")[0] == "SYD"  # international, before Bankstown
    assert codes("berlin")[:2] == ["BER", "BML"]  # Tegel, closed, after both


def test_a_closed_airport_is_found_by_its_code() -> None:
    assert codes("txl", 1) == ["TXL"]


@settings(max_examples=200, deadline=None)
@given(airport=st.sampled_from(sorted(reference.airports())))
def test_an_airport_is_found_first_by_its_code_and_with_its_city_by_the_city(
    airport: str,
) -> None:
    found = reference.airport(airport)
    assert found is not None
    assert codes(airport.lower(), 1) == [airport]
    city = found.city.strip()
    if len(city) >= 2:
        assert same_city(airport) <= set(codes(city, 10_000))
