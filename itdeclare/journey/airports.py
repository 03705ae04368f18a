"""Finding an airport by what the user remembers: its code, city, name or country.

About 7,900 airports are too many for a ``Select``; the airport field is an input with a short
list of matches under it instead. Matching is plain and fast (a scan of prepared lower-case
text); Chinese names come from the ports of entry, the country names and, for cities that
give their name to a time zone, CLDR's Chinese city names (柏林, 伦敦, 纽约).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from itdeclare.i18n import Language

MAX_MATCHES = 6


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
    """City, name and the city's Chinese name, in lower case: what a match ranks 3 in."""
    country: str
    """Both names of the country, in lower case: one text shared by all its airports."""

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
    result = []
    for airport in reference.airports().values():
        en, zh, country_text = _country_names(airport.country)
        port = ports.get(airport.iata)
        zh_name = port.zh if port else ""
        place = " ".join((airport.city, airport.name, airport.city_zh)).lower()
        result.append(
            AirportChoice(
                airport.iata,
                airport.city,
                airport.city_zh,
                airport.name,
                en,
                zh,
                zh_name,
                place,
                country_text,
            )
        )
    return tuple(result)


@cache
def _country_names(alpha3: str) -> tuple[str, str, str]:
    """The country's English and Chinese names, and both in lower case for matching (once per
    country: its airports share the text)."""
    from itdeclare.models import reference

    country = reference.country(alpha3)
    en, zh = (country.en, country.zh) if country else (alpha3, alpha3)
    return en, zh, f"{en} {zh}".lower()


def _rank(choice: AirportChoice, query: str, upper: str) -> int | None:
    if choice.code == upper:
        return 0
    if choice.code.startswith(upper):
        return 1
    city_zh = choice.city_zh
    if choice.city.lower().startswith(query) or choice.zh_name.startswith(query):
        return 2
    if city_zh and city_zh.startswith(query):
        return 2
    # Matches in the city or name beat matches in the country's name.
    if query in choice.place:
        return 3
    if query in choice.country or query in choice.zh_name:
        return 4
    return None


def search_airports(query: str, limit: int = MAX_MATCHES) -> list[AirportChoice]:
    """The best matches for ``query``: exact code, code prefix, city, name, then country."""
    text = query.strip().lower()
    if len(text) < 2:
        return []
    upper = text.upper()
    ranked = []
    for index, choice in enumerate(_choices()):
        rank = _rank(choice, text, upper)
        if rank is not None:
            ranked.append((rank, index, choice))
    ranked.sort(key=lambda entry: (entry[0], entry[1]))
    return [choice for _, _, choice in ranked[:limit]]


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
