"""The largest declaration the models accept, built from their own limits.

Every list is as long as its field allows and every text as long, in the characters that cost
the code the most: Latin names of random letters and separators, Chinese names of random
characters from the supplementary planes, institutions of random three-byte characters (each
counting two towards the width limit). Random, so that compression gains nothing; different
from item to item, so that nothing is left out as the same as before. Times are far apart, so
that every gap takes the largest integer form it may (a flight lasts as long as a flight can);
UTC offsets differ from test to test.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from annotated_types import MaxLen
from pydantic import BaseModel

from itdeclare.models import Declaration, LabTest, RuleSet, Subject, limits
from itdeclare.models.consistency import LONGEST_FLIGHT
from itdeclare.models.contact import Residence
from itdeclare.models.limits import TextLimit, field_limit
from itdeclare.models.person import IdentityDocument

#: Rules in force from the year 9999 only: none applies, so tests may be anywhere at any time,
#: which lets them differ the most.
NO_RULES = RuleSet.model_validate(
    {
        "schema_version": 1,
        "version": "none",
        "published": "2026-01-01",
        "rules": [
            {
                "id": "none",
                "effective_from": "9999-01-01",
                "required_tests": [],
                "description": {"en": "none", "zh": "无"},
            }
        ],
    }
)
#: Pairs of airports of one city: a leg may leave from the other one (land at Narita, leave
#: from Haneda), so no origin is left out as the previous arrival.
_CITY_PAIRS = [("JFK", "LGA"), ("LHR", "LGW"), ("CDG", "ORY"), ("NRT", "HND"), ("ICN", "GMP")]
_COUNTRIES = ["USA", "GBR", "FRA", "JPN", "KOR", "DEU", "AUS", "CAN", "SGP", "ARE", "NZL"]
_LATIN = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_CODE = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
#: Far enough apart that every gap in minutes needs CBOR's 4-byte integer.
_GAP = timedelta(minutes=1 << 16)


def list_limit(model: type[BaseModel], field: str) -> int:
    return next(m.max_length for m in model.model_fields[field].metadata if isinstance(m, MaxLen))


def text_limit(model: type[BaseModel], field: str) -> TextLimit:
    found = field_limit(model, field)
    assert found is not None, f"{model.__name__}.{field} has no limit"
    return found


class _Filler:
    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed)

    def latin(self, length: int) -> str:
        return "".join(self.random.choice(_LATIN) for _ in range(length))

    def name(self, length: int) -> str:
        """Letters and separators in turn: the EU DCC's standard form of such a name (``<``
        for a space or hyphen, no apostrophe) shares no run with it, so compression cannot
        store the two once."""
        chars = [self.random.choice(_LATIN)]
        while len(chars) < length:
            chars += [self.random.choice(" -'"), self.random.choice(_LATIN)]
        return "".join(chars[:length]) if length % 2 else "".join(chars[: length - 1]) + "A"

    def code(self, length: int) -> str:
        return "".join(self.random.choice(_CODE) for _ in range(length))

    def han(self, length: int) -> str:
        return "".join(chr(self.random.randint(0x20000, 0x2A6DF)) for _ in range(length))

    def widest(self, limit: TextLimit) -> str:
        """The most bytes a limit allows: four-byte characters for a count of characters;
        for a width, three-byte ones (width two each, where a four-byte one is width four)."""
        if not limit.by_width:
            return "".join(
                chr(self.random.randint(0x10000, 0x10FFFF)) for _ in range(limit.max_length)
            )
        chars: list[str] = []
        while len(chars) < limit.max_length // 2:
            code = self.random.randint(0x800, 0xFFFF)
            if not 0xD800 <= code < 0xE000:  # surrogates are no characters
                chars.append(chr(code))
        text = "".join(chars)
        assert limits.width(text) == limit.max_length - limit.max_length % 2
        return text


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _itinerary(fill: _Filler, issued_at: datetime) -> list[dict[str, Any]]:
    from itdeclare.models import reference

    count = list_limit(Declaration, "itinerary")
    legs, moment = [], issued_at
    for index in range(count):
        origin = _CITY_PAIRS[index - 1][1] if index else "SYD"
        destination = "PVG" if index == count - 1 else _CITY_PAIRS[index][0]
        departs = (moment + _GAP).astimezone(reference.airport(origin).zone)  # type: ignore[union-attr]
        arrives = (departs + LONGEST_FLIGHT).astimezone(reference.airport(destination).zone)  # type: ignore[union-attr]
        flight = fill.latin(1) + fill.code(1) + str(fill.random.randint(1000, 9999)) + "Z"
        legs.append(
            {"flight": flight, "from": origin, "to": destination,
             "departs_at": _iso(departs), "arrives_at": _iso(arrives)}
        )  # fmt: skip
        moment = arrives
    return legs


def _tests(fill: _Filler, issued_at: datetime) -> list[dict[str, Any]]:
    institution = text_limit(LabTest, "institution")
    kinds = [("nucleic_acid", "negative"), ("igm", "positive"), ("igg", "negative")]
    tests = []
    for index in range(list_limit(Declaration, "tests")):
        zone = timezone(timedelta(minutes=-600 + 97 * index))
        sampled = (issued_at - _GAP * (2 * index + 1)).astimezone(zone)
        kind, result = kinds[index % len(kinds)]
        tests.append(
            {"kind": kind, "result": result, "sampled_at": _iso(sampled),
             "institution": fill.widest(institution), "country": _COUNTRIES[index]}
        )  # fmt: skip
    return tests


def _vaccinations() -> list[dict[str, Any]]:
    products = ["EU/1/20/1528", "CoronaVac", "Sputnik-V", "Covaxin", "SCTV01C", "NVSI-06-08"]
    return [
        {
            "product": product,
            "dose": 9,
            "of": 9,
            "date": (date(1900, 1, 2) + timedelta(days=9000 * index)).isoformat(),
            "country": _COUNTRIES[-1 - index],
        }
        for index, product in enumerate(products[: list_limit(Declaration, "vaccinations")])
    ]


def _history() -> list[dict[str, Any]]:
    return [
        {
            "kind": "diagnosis",
            "date": (date(1901, 1, 1) + timedelta(days=7000 * index)).isoformat(),
            "recovered_on": "2026-01-01",
        }
        for index in range(list_limit(Declaration, "history"))
    ]


def largest(seed: int = 0, *, tests: int | None = None) -> dict[str, Any]:
    """The §4.5 document of the largest declaration (``tests`` to have fewer tests, and then no
    vaccination or history either: the largest one that also carries an EU DCC)."""
    fill = _Filler(seed)
    issued_at = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    all_tests = _tests(fill, issued_at)
    document = {
        "type": "other",
        "number": fill.code(text_limit(IdentityDocument, "number").max_length),
        "expires_on": "9999-12-31",
    }
    return {
        "schema_version": 1,
        "relationship": "self",
        "subject": {
            "family_name": fill.name(text_limit(Subject, "family_name").max_length),
            "given_name": fill.name(text_limit(Subject, "given_name").max_length),
            "chinese_name": fill.han(text_limit(Subject, "chinese_name").max_length),
            "sex": "female",
            "date_of_birth": "1900-01-01",
            "nationality": "NZL",
            "document": document,
        },
        "contact": {
            "phone": "+14155550123",
            "email": fill.latin(20).lower() + "@example.com",
        },
        "residence": {
            "country": "USA",
            "city": fill.widest(text_limit(Residence, "city")),
            "address": fill.widest(text_limit(Residence, "address")),
        },
        "status": "employee",
        "employer": fill.widest(text_limit(Declaration, "employer")),
        "itinerary": _itinerary(fill, issued_at),
        "port_of_entry": "PVG",
        "tests": all_tests if tests is None else all_tests[:tests],
        "vaccinations": _vaccinations() if tests is None else [],
        "history": _history() if tests is None else [],
        "attested": True,
    }
