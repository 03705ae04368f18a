"""Reference data the declaration is checked against: countries, airports, ports, vaccines.

Countries come from pycountry (ISO 3166-1, with its Chinese translation), corrected to the names
China's own forms use (``data/country_names.json``, which also holds each Chinese name's pinyin
for ordering the Chinese list; ``tests/models/country_names.py`` builds it), airports from
airportsdata (IATA codes with their IANA time zones; a city's Chinese name from CLDR where the
city is its zone's, ``data/zone_cities_zh.json``, built by ``tests/models/zone_cities.py``,
else for the foreign airports with flights to China, ``data/airport_cities_zh.json``);
the ports of entry and vaccine products are shipped with the package in ``data/``. Everything
loads on first use and is cached.
"""

from __future__ import annotations

import gettext
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, tzinfo
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal
from zoneinfo import ZoneInfo

from itdeclare import i18n

Language = Literal["zh", "en"]


def _data(name: str) -> Any:
    return json.loads(resources.files(__package__).joinpath("data", name).read_text("utf-8"))


@dataclass(frozen=True, slots=True)
class Country:
    alpha2: str
    alpha3: str
    en: str
    zh: str
    pinyin: str = ""
    """The Chinese name's pinyin with tone numbers (``de2 guo2``): its place in a Chinese list."""

    def name(self, language: Language) -> str:
        return self.zh if language == "zh" else self.en

    def sort_key(self, language: Language) -> str:
        """Where the country goes in a list in ``language``: by pinyin in Chinese."""
        return self.pinyin if language == "zh" else self.en.casefold()


@cache
def countries() -> dict[str, Country]:
    """Every ISO 3166-1 country by its alpha-3 code, named as China's forms name them."""
    data = _data("country_names.json")
    result = {}
    for code, country in countries_from_iso().items():
        names = data["names"].get(code, {})
        result[code] = Country(
            country.alpha2,
            code,
            names.get("en", country.en),
            names.get("zh", country.zh),
            data["pinyin"].get(code, ""),
        )
    return result


def countries_from_iso() -> dict[str, Country]:
    """The ISO 3166-1 countries with pycountry's English and Chinese names, uncorrected."""
    import pycountry

    chinese = gettext.translation(
        "iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"], fallback=True
    )
    result = {}
    for entry in pycountry.countries:
        english = getattr(entry, "common_name", None) or entry.name
        result[entry.alpha_3] = Country(
            entry.alpha_2, entry.alpha_3, english, chinese.gettext(entry.name)
        )
    return result


@cache
def _countries_by_alpha2() -> dict[str, Country]:
    return {country.alpha2: country for country in countries().values()}


def country(alpha3: str) -> Country | None:
    return countries().get(alpha3)


def country_by_alpha2(alpha2: str) -> Country | None:
    return _countries_by_alpha2().get(alpha2)


@dataclass(frozen=True, slots=True)
class Airport:
    iata: str
    name: str
    city: str
    country: str  # ISO alpha-3
    tz: str
    city_zh: str = ""
    """The city's Chinese name, where it is its time zone's city (CLDR names those) or a
    foreign airport with flights to China."""

    @property
    def zone(self) -> ZoneInfo:
        return _zone(self.tz)


@cache
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


@cache
def _zone_cities_zh() -> dict[str, list[str]]:
    """Time-zone cities' names in English and Chinese (CLDR), by zone."""
    found: dict[str, list[str]] = _data("zone_cities_zh.json")
    return found


@cache
def _gateway_cities_zh() -> dict[str, str]:
    """The Chinese names of the cities of foreign airports with flights to China that CLDR does
    not name (their city is not their zone's: 法兰克福, 旧金山), by IATA code, as the Chinese
    airlines' timetables write them."""
    found: dict[str, str] = _data("airport_cities_zh.json")
    return found


def _city_zh(iata: str, city: str, zone: str) -> str:
    """The Chinese name of an airport's city: its zone's (CLDR's), else the gateway list's."""
    return _zone_city_zh(city, zone) or _gateway_cities_zh().get(iata, "")


def _zone_city_zh(city: str, zone: str) -> str:
    """The Chinese name of an airport's city where it is its zone's city (CLDR's), the same
    but for accents (Cancun, Cancún) or a district before it (Arnavutköy, Istanbul)."""
    english, chinese = _zone_cities_zh().get(zone, ("", ""))
    if not english:
        return ""
    return chinese if _plain(city.rsplit(",", 1)[-1]) == _plain(english) else ""


def _plain(name: str) -> str:
    import unicodedata

    letters = unicodedata.normalize("NFKD", name.strip())
    return "".join(c for c in letters if not unicodedata.combining(c)).casefold()


@cache
def airports() -> dict[str, Airport]:
    """Every airport with an IATA code, a known country and a time zone (the last row of a code
    wins, as in ``airportsdata.load``). Each is made as its row is read: the strings it keeps
    then sit among few freed ones, and the memory the table's ~28,000 rows churn through goes
    back to be used again (reading every row into a table first, and making the airports
    after, left a process that only reads them holding 1.9 MB more). Each zone's name is kept
    once (``sys.intern``): 7,900 airports share 359 names."""
    result: dict[str, Airport] = {}
    for code, name, city, alpha2, tz in _iata_rows():
        found = country_by_alpha2(alpha2)
        if found is None or not tz:
            result.pop(code, None)  # as a later row of the code replaces an earlier one
            continue
        zone = sys.intern(tz)
        result[code] = Airport(code, name, city, found.alpha3, zone, _city_zh(code, city, zone))
    return result


def _iata_rows() -> Iterator[tuple[str, str, str, str, str]]:
    """airportsdata's rows that have an IATA code, one at a time: the code, name, city,
    country (alpha-2) and time zone. ``airportsdata.load`` makes a dict of every column for
    each of its ~28,000 rows, most of them airfields without an IATA code."""
    import csv

    import airportsdata

    table = resources.files(airportsdata).joinpath("airports.csv")
    with table.open(encoding="utf-8") as file:
        reader = csv.reader(file, quoting=csv.QUOTE_NONNUMERIC)
        columns = next(reader)
        iata, name, city, country, tz = (
            columns.index(column) for column in ("iata", "name", "city", "country", "tz")
        )
        for row in reader:
            if row[iata]:
                yield row[iata], row[name], row[city], row[country], row[tz]


def airport(iata: str) -> Airport | None:
    return airports().get(iata)


def on_clock(moment: datetime, zone: tzinfo) -> datetime | None:
    """``moment`` as a clock in ``zone`` shows it, or None when that is past either end of the
    calendar, there or in UTC on the way (``astimezone`` raises OverflowError): a time typed in
    year 1 or year 9999, a slip of the keyboard, may be."""
    try:
        return moment.astimezone(zone)
    except OverflowError:
        return None


def local_time(moment: datetime, iata: str | None) -> datetime:
    """``moment`` on the clock of the airport ``iata``; as written, at its own UTC offset, when
    the airport is not known or its clock cannot show it (see ``on_clock``)."""
    found = airport(iata) if iata else None
    return (on_clock(moment, found.zone) if found else None) or moment


@lru_cache(maxsize=2048)  # keyed by what a code says: bounded against a batch of made-up ones
def airport_alone(iata: str) -> Airport | None:
    """What :func:`airport` answers, without building all 7,000 airports and every country's
    Chinese name: the verifier needs a few airports' zones, and its whole batch of codes
    should not cost less than that."""
    if airports.cache_info().currsize:
        return airport(iata)
    columns, line = _airport_columns(), _airport_line(iata)
    if line is None:
        return None
    import csv

    entry = dict(zip(columns, next(csv.reader([line], quoting=csv.QUOTE_NONNUMERIC)), strict=True))
    alpha3 = _alpha3_by_alpha2().get(entry["country"])
    if alpha3 is None or not entry.get("tz"):
        return None
    city_zh = _city_zh(iata, entry["city"], entry["tz"])
    return Airport(iata, entry["name"], entry["city"], alpha3, entry["tz"], city_zh)


#: Airports looked up alone before the rows are indexed: up to here each is found by a search
#: through the file's bytes, cheaper than indexing its 28,000 rows for a batch's handful.
AIRPORTS_SEARCHED = 32


def _airport_line(iata: str) -> str | None:
    """airportsdata's row for ``iata`` (its last, as :func:`_airport_lines` keeps), unparsed."""
    if airport_alone.cache_info().currsize >= AIRPORTS_SEARCHED:
        return _airport_lines()[1].get(iata)
    if not iata or not iata.isascii() or '"' in iata:
        return None
    data, needle = _airport_bytes(), b'","' + iata.encode("ascii") + b'",'
    end = len(data)
    while (found := data.rfind(needle, 0, end)) >= 0:
        start = data.rfind(b"\n", 0, found) + 1
        if start > 0 and data[start : start + 1] == b'"' and b'"' not in data[start + 1 : found]:
            stop = data.find(b"\n", found)  # the needle ends the row's first column
            return data[start : stop if stop >= 0 else len(data)].decode("utf-8").rstrip("\r")
        end = found  # the text came later in some row: look before it
    return None


@cache
def _airport_bytes() -> bytes:
    import airportsdata

    return resources.files(airportsdata).joinpath("airports.csv").read_bytes()


@cache
def _airport_columns() -> list[str]:
    data = _airport_bytes()
    header = data[: data.index(b"\n")].decode("utf-8").rstrip("\r")
    columns = header.replace('"', "").split(",")
    assert columns[1] == "iata"
    return columns


@cache
def _airport_lines() -> tuple[list[str], dict[str, str]]:
    """airportsdata's columns, and its rows by IATA code unparsed (the last row of a code
    wins, as in ``airportsdata.load``)."""
    lines = _airport_bytes().decode("utf-8").splitlines()
    columns = lines[0].replace('"', "").split(",")
    assert columns[1] == "iata"
    found = {}
    for line in lines[1:]:
        code = line.split(",", 2)[1].strip('"')
        if code:
            found[code] = line
    return columns, found


def alpha2_codes() -> frozenset[str]:
    """Every ISO 3166-1 alpha-2 code, without naming the countries (the verifier checks a
    DCC's countries against them, and a batch of codes should not wait for the names)."""
    return frozenset(_alpha3_by_alpha2())


@cache
def _alpha3_by_alpha2() -> dict[str, str]:
    return {entry["alpha_2"]: entry["alpha_3"] for entry in _iso_countries()}


def _iso_countries() -> list[dict[str, str]]:
    """pycountry's ISO 3166-1 table as it ships it (``databases/iso3166-1.json``), read without
    importing pycountry: its import looks its own version up among every installed
    distribution, which was most of a short ``verify`` run's start-up."""
    from importlib.util import find_spec

    spec = find_spec("pycountry")
    for location in (spec.submodule_search_locations or []) if spec is not None else []:
        table = Path(location, "databases", "iso3166-1.json")
        if table.is_file():
            entries: list[dict[str, str]] = json.loads(table.read_text("utf-8"))["3166-1"]
            return entries
    import pycountry  # laid out otherwise: ask it

    return [{"alpha_2": entry.alpha_2, "alpha_3": entry.alpha_3} for entry in pycountry.countries]


@dataclass(frozen=True, slots=True)
class Port:
    iata: str
    zh: str
    en: str

    def name(self, language: Language) -> str:
        return self.zh if language == "zh" else self.en


@cache
def ports_of_entry() -> dict[str, Port]:
    return {entry["iata"]: Port(**entry) for entry in _data("ports.json")["ports"]}


@dataclass(frozen=True, slots=True)
class Vaccine:
    code: str
    ma: str
    vp: str
    zh: str
    en: str

    def name(self, language: Language) -> str:
        return self.zh if language == "zh" else self.en


@cache
def vaccines() -> dict[str, Vaccine]:
    return {entry["code"]: Vaccine(**entry) for entry in _data("vaccines.json")["vaccines"]}


def _names_of_country(code: str) -> tuple[str, str] | None:
    found = country(code) if len(code) == 3 else country_by_alpha2(code)
    return None if found is None else (found.zh, found.en)


i18n.name_countries_with(_names_of_country)
