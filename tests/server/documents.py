"""Declarations and subjects that pass every rule at the moment a test runs."""

from __future__ import annotations

import copy
import itertools
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

LOS_ANGELES = ZoneInfo("America/Los_Angeles")
SHANGHAI = ZoneInfo("Asia/Shanghai")

SUBJECT: dict[str, Any] = {
    "family_name": "ZHANG",
    "given_name": "SAN",
    "chinese_name": "张三",
    "sex": "male",
    "date_of_birth": "1956-03-01",
    "nationality": "CHN",
    "document": {"type": "passport", "number": "E12345678", "expires_on": "2035-05-01"},
    "id_card_number": "11010519560301001X",
}


_serials = itertools.count(1)


def subject(**changes: Any) -> dict[str, Any]:
    return {**copy.deepcopy(SUBJECT), **changes}


def fresh_passport() -> str:
    """A passport number no other declaration of this test process carries: a document has one
    live declaration at a time (DESIGN.md §2), and tests share their server."""
    return f"E{next(_serials):08d}"


def fresh_given_name() -> str:
    """A given name no other traveller of this test process has: a traveller has one live
    declaration in an account, whichever person entry it is filed under (DESIGN.md §2)."""
    serial, letters = next(_serials), ""
    while serial:
        serial, letter = divmod(serial, 26)
        letters += chr(ord("A") + letter)
    return f"SAN {letters}"


def as_new_traveller(declaration: Any, given_name: str) -> Any:
    """``declaration`` about a traveller named ``given_name`` when it is about the usual one
    (ZHANG SAN); as it is otherwise (a test of another name, or of what is sent)."""
    subject = declaration.get("subject") if isinstance(declaration, dict) else None
    if not isinstance(subject, dict) or subject.get("given_name") != SUBJECT["given_name"]:
        return declaration
    return {**declaration, "subject": {**subject, "given_name": given_name}}


def declaration(
    *,
    residence: str = "USA",
    employer: str = "Example Co.",
    now: datetime | None = None,
    tested_days_before: int = 0,
    passport: str | None = None,
) -> dict[str, Any]:
    """A declaration for a flight SFO→PVG tomorrow, tested in the USA an hour ago (or days
    before that), on ``passport`` (by default one of its own)."""
    now = now or datetime.now(LOS_ANGELES)
    departs = (
        (now + timedelta(days=1))
        .astimezone(LOS_ANGELES)
        .replace(hour=11, minute=0, second=0, microsecond=0)
    )
    arrives = (departs + timedelta(hours=13)).astimezone(SHANGHAI)
    sampled = (now - timedelta(hours=1, days=tested_days_before)).astimezone(LOS_ANGELES)
    sampled = sampled.replace(microsecond=0)
    tests = [
        {
            "kind": kind,
            "sampled_at": sampled.isoformat(),
            "result": "negative",
            "institution": "Example Lab",
            "country": "USA",
        }
        for kind in ("nucleic_acid", "igm")
    ]
    return {
        "schema_version": 1,
        "relationship": "self",
        "subject": subject(
            document={**SUBJECT["document"], "number": passport or fresh_passport()}
        ),
        "contact": {"phone": "+14155550123", "email": None},
        "residence": {"country": residence, "city": "Springfield", "address": "1 Main St"},
        "status": "resident",
        "employer": employer,
        "itinerary": [
            {
                "flight": "UA857",
                "from": "SFO",
                "to": "PVG",
                "departs_at": departs.isoformat(),
                "arrives_at": arrives.isoformat(),
            }
        ],
        "port_of_entry": "PVG",
        "tests": tests,
        "vaccinations": [
            {"product": "EU/1/20/1528", "dose": 2, "of": 2, "date": "2021-06-01", "country": "USA"}
        ],
        "history": [],
        "attested": True,
    }
