"""How airport matches are ordered: the code, the code's start, the city's start, a match in
the city or the name, then one in the country's names (either language)."""

from __future__ import annotations

import sys

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
