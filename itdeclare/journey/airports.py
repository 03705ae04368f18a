"""Finding an airport by what the user remembers: its code, city, name or country.

About 7,900 airports are too many for a ``Select``; the airport field is an input with a short
list of matches under it instead. Matching is plain and fast (a scan of prepared lower-case
text); Chinese names come from the ports of entry, the country names and, for cities that
give their name to a time zone, CLDR's Chinese city names (柏林, 伦敦, 纽约), shared by every
airport of the city (大阪 finds Itami as well as Kansai).

The data says nothing of an airport's size, so among equal matches what the traveller most
likely means comes first: a port of entry, then an airport of a city known by a Chinese name
(London, England before London, Ontario), then one whose name says it is international.
An airport closed to passengers that the data still lists goes after every open one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from itdeclare.i18n import Language

if TYPE_CHECKING:
    from itdeclare.models import reference

#: Enough for every airport of the largest cities (London has seven).
MAX_MATCHES = 8

#: Closed to passenger flights, still in airportsdata: Berlin Tegel (replaced by BER in 2020).
#: Kept findable (a code typed whole), never offered before an open airport.
CLOSED = frozenset({"TXL"})


@dataclass(frozen=True, slots=True)
class AirportChoice:
    code: str
    city: str
    city_zh: str
    name: str
    country_en: str
    country_zh: str
    zh_name: str
    place: str
    """City, name and the city's Chinese name, in lower case, in that order."""
    name_at: int
    """Where the name starts in ``place``."""
    country: str
    """Both names of the country, in lower case: one text shared by all its airports."""
    standing: int
    """Where it goes among equal matches (lower first): see the module's docstring."""

    def label(self, lang: Language) -> str:
        country = self.country_zh if lang == "zh" else self.country_en
        name = self.zh_name if lang == "zh" and self.zh_name else self.name
        city = self.city_zh if lang == "zh" and self.city_zh else self.city
        return f"{self.code}  {name} · {city}, {country}"


@cache
def _choices() -> tuple[AirportChoice, ...]:
    """Every airport, ready to match. The country's names are kept once per country, not in
    each airport's text: with its Chinese name in it, each of 7,900 texts took two bytes a
    letter, and the list 1.3 MB where it now takes 0.5."""
    from itdeclare.models import reference

    ports = reference.ports_of_entry()
    airports = reference.airports().values()
    cities_zh = _cities_zh(airports)
    result = []
    for airport in airports:
        en, zh, country_text = _country_names(airport.country)
        port = ports.get(airport.iata)
        zh_name = port.zh if port else ""
        city_zh = airport.city_zh or cities_zh.get((airport.city, airport.country), "")
        city = airport.city.lower()
        place = " ".join((city, airport.name.lower(), city_zh))
        standing = (
            (8 if airport.iata in CLOSED else 0)
            + (0 if port else 4)
            + (0 if city_zh else 2)
            + (0 if "international" in airport.name.lower() else 1)
        )
        result.append(
            AirportChoice(
                airport.iata,
                airport.city,
                city_zh,
                airport.name,
                en,
                zh,
                zh_name,
                place,
                len(city) + 1,
                country_text,
                standing,
            )
        )
    return tuple(result)


def _cities_zh(airports: Iterable[reference.Airport]) -> dict[tuple[str, str], str]:
    """A city's Chinese name by its English name and country, from whichever of its airports
    has it: CLDR and the gateway list name one airport's city (Kansai's 大阪), not every
    airport of that city (Itami, in Osaka too)."""
    return {(a.city, a.country): a.city_zh for a in airports if a.city_zh}


@cache
def _country_names(alpha3: str) -> tuple[str, str, str]:
    """The country's English and Chinese names, and both in lower case for matching (once per
    country: its airports share the text)."""
    from itdeclare.models import reference

    country = reference.country(alpha3)
    en, zh = (country.en, country.zh) if country else (alpha3, alpha3)
    return en, zh, f"{en} {zh}".lower()


def _rank(choice: AirportChoice, query: str, upper: str) -> int | None:
    """0: the code; 1: a code it begins; 2: a city it begins (in either language); 3: a name
    it begins; 4: it is inside the city or the name; 5: inside the country's names."""
    if choice.code == upper:
        return 0
    if choice.code.startswith(upper):
        return 1
    place = choice.place
    if place.startswith(query) or choice.city_zh.startswith(query):
        return 2
    if place.startswith(query, choice.name_at) or choice.zh_name.startswith(query):
        return 3
    if query in place or query in choice.zh_name:
        return 4
    if query in choice.country:
        return 5
    return None


def search_airports(query: str, limit: int = MAX_MATCHES) -> list[AirportChoice]:
    """The best matches for ``query``: exact code, code prefix, city, name, then country;
    among equal matches, the likelier airport first (``AirportChoice.standing``)."""
    text = query.strip().lower()
    if len(text) < 2:
        return []
    upper = text.upper()
    ranked = []
    for index, choice in enumerate(_choices()):
        rank = _rank(choice, text, upper)
        if rank is not None:
            ranked.append((rank, choice.standing, index, choice))
    ranked.sort(key=lambda entry: entry[:3])
    return [entry[3] for entry in ranked[:limit]]


def describe_airport(code: str, lang: Language) -> str | None:
    """Name, city, country and time zone: 'SFO … · San Francisco, United States · America/…'."""
    from itdeclare.models import reference

    airport = reference.airport(code.strip().upper())
    if airport is None:
        return None
    country = reference.country(airport.country)
    country_name = country.name(lang) if country else airport.country
    port = reference.ports_of_entry().get(airport.iata)
    name = port.name(lang) if port else airport.name
    city = airport.city_zh if lang == "zh" and airport.city_zh else airport.city
    return f"{name} · {city}, {country_name} · {airport.tz}"
