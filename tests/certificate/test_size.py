"""Every declaration that validates gives a code that fits a QR of version 25 at level Q, and a
typical one (one flight, two tests, one dose) version 14 (DESIGN.md §4.3)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, timezone
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from itdeclare.certificate import claim, dcc, qr
from itdeclare.certificate.claim import packing
from itdeclare.certificate.issue import declaration_record, issue_declaration
from itdeclare.certificate.keys import KeyStore
from itdeclare.certificate.trust import TrustList
from itdeclare.certificate.verify import verify
from itdeclare.models import Declaration, limits, validate_declaration

from .conftest import DURING, EXPIRES, ISSUED
from .largest import NO_RULES, largest

#: The backend's declaration ids: 32 hexadecimal digits.
DECLARATION_ID = "ffffffffffffffffffffffffffffffff"
MAX_VERSION = 25
TYPICAL_VERSION = 14
EXAMPLES = Path(__file__).parents[2] / "examples"


def _validated(document: dict[str, object]) -> Declaration:
    report = validate_declaration(document, NO_RULES, datetime(2026, 11, 30, tzinfo=UTC))
    assert report.valid, report.problems
    assert report.declaration is not None
    return report.declaration


def _code(declaration: Declaration, keystore: KeyStore) -> str:
    return issue_declaration(
        declaration,
        declaration_id=DECLARATION_ID,
        signer=keystore.signer(),
        issued_at=ISSUED,
        expires_at=EXPIRES,
    )


@pytest.mark.parametrize("seed", range(3))
def test_the_largest_declaration_fits_version_25(
    seed: int, keystore: KeyStore, capsys: pytest.CaptureFixture[str]
) -> None:
    declaration = _validated(largest(seed))
    payload = _code(declaration, keystore)
    with capsys.disabled():
        print(f"\nlargest declaration: {len(payload)} characters, version {qr.version(payload)}")
    assert qr.version(payload) <= MAX_VERSION


@pytest.mark.parametrize("seed", range(3))
def test_the_largest_declaration_with_an_eu_dcc_fits_version_25(
    seed: int, keystore: KeyStore, capsys: pytest.CaptureFixture[str]
) -> None:
    """One nucleic-acid test and nothing else of health: the code carries an EU DCC too."""
    declaration = _validated(largest(seed, tests=1))
    assert dcc.fits(declaration_record(declaration, DECLARATION_ID))
    payload = _code(declaration, keystore)
    with capsys.disabled():
        print(f"\nlargest with a DCC: {len(payload)} characters, version {qr.version(payload)}")
    assert qr.version(payload) <= MAX_VERSION


def test_a_typical_declaration_fits_version_14(
    keystore: KeyStore, capsys: pytest.CaptureFixture[str]
) -> None:
    document = json.loads((EXAMPLES / "self.json").read_text("utf-8"))
    declaration = _validated(document)
    assert (len(declaration.itinerary), len(declaration.tests)) == (1, 2)
    assert len(declaration.vaccinations) == 1
    payload = _code(declaration, keystore)
    with capsys.disabled():
        print(f"\ntypical declaration: {len(payload)} characters, version {qr.version(payload)}")
    assert qr.version(payload) <= TYPICAL_VERSION


def test_one_more_of_anything_is_a_field_error() -> None:
    """The largest declaration is the largest: one more item or character is refused."""
    document = largest(0)
    document["tests"].append(document["tests"][0])  # type: ignore[attr-defined]
    subject = document["subject"]
    subject["family_name"] += "A"  # type: ignore[index]
    subject["chinese_name"] += "张"  # type: ignore[index]
    document["tests"][0]["institution"] += "x"  # type: ignore[index]
    report = validate_declaration(document, NO_RULES)
    found = {(problem.loc, problem.code) for problem in report.problems}
    assert found == {
        ("tests", "too_long"),
        ("subject.family_name", "name_too_long"),
        ("subject.chinese_name", "name_too_long"),
    }
    del document["tests"][-1]  # type: ignore[attr-defined]
    report = validate_declaration(document, NO_RULES)
    assert ("tests.0.institution", "text_too_wide") in {(p.loc, p.code) for p in report.problems}


def test_every_vaccine_of_the_list_travels_as_an_index() -> None:
    from itdeclare.models import reference

    assert set(reference.vaccines()) <= set(claim.PRODUCTS)


@pytest.mark.parametrize(
    ("text", "alphabet", "packed_length"),
    [
        ("ZHANG", packing.LATIN, 4),
        ("O'NEIL-SMITH JR", packing.LATIN, 10),
        ("E12345678", packing.CODE, 7),
        ("D.1234567", packing.CODE, 7),
        ("欧阳晓明", packing.HAN, 9),
        ("阿依古丽·买买提", packing.HAN, 18),
        ("𠀀𪚥", packing.HAN, 5),
    ],
)
def test_packed_text(text: str, alphabet: packing.Alphabet, packed_length: int) -> None:
    packed = packing.pack(text, alphabet)
    assert isinstance(packed, bytes) and len(packed) == packed_length
    assert packing.unpack(packed, alphabet) == text


@pytest.mark.parametrize(
    ("text", "alphabet"),
    [("ZHANG", packing.HAN), ("Zhang", packing.LATIN), ("A", packing.LATIN), ("", packing.CODE)],
)
def test_text_that_packing_would_not_shorten_stays_text(
    text: str, alphabet: packing.Alphabet
) -> None:
    assert packing.pack(text, alphabet) == text
    assert packing.unpack(text, alphabet) == text


# --- any declaration that validates ----------------------------------------------------------

_KEYS: dict[str, KeyStore] = {}


def _module_keystore(factory: pytest.TempPathFactory) -> KeyStore:
    """One key store for every example (making keys per example would dominate the run)."""
    if "store" not in _KEYS:
        _KEYS["store"] = KeyStore.init(factory.mktemp("keys") / "keys", b"pw")
    return _KEYS["store"]


def _within(limit: int, by_width: bool) -> Callable[[str], str]:
    def cut(text: str) -> str:
        while text and (limits.width(text) if by_width else len(text)) > limit:
            text = text[:-1]
        return text.strip() or "x"

    return cut


_ANY_TEXT = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs")))
_LATIN_NAMES = st.from_regex(r"[A-Z]+(?:[ '\-][A-Z]+)*", fullmatch=True).map(
    lambda name: name[: limits.LATIN_NAME].rstrip(" '-")
)
_CHINESE_NAMES = st.text(
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
    | st.characters(min_codepoint=0x20000, max_codepoint=0x2A6DF),
    min_size=1,
    max_size=limits.CHINESE_NAME,
)
_ROUTES = [["SFO", "PVG"], ["ORD", "SEA", "ICN", "PVG"], ["SYD", "HKG", "PEK"], ["FRA", "CAN"]]
_OFFSETS = st.integers(-12 * 4, 14 * 4).map(
    lambda quarters: timezone(timedelta(minutes=15 * quarters))
)


@st.composite
def _legs(draw: st.DrawFn, start: datetime) -> list[dict[str, Any]]:
    from itdeclare.models import reference

    route = draw(st.sampled_from(_ROUTES))
    legs, moment = [], start + timedelta(minutes=draw(st.integers(60, 60 * 24 * 90)))
    for origin, destination in pairwise(route):
        arrives = moment + timedelta(minutes=draw(st.integers(45, 20 * 60)))
        legs.append(
            {
                "flight": draw(st.from_regex(r"[A-Z][A-Z0-9][1-9][0-9]{0,3}", fullmatch=True)),
                "from": origin,
                "to": destination,
                "departs_at": moment.astimezone(reference.airport(origin).zone).isoformat(),  # type: ignore[union-attr]
                "arrives_at": arrives.astimezone(reference.airport(destination).zone).isoformat(),  # type: ignore[union-attr]
            }
        )
        moment = arrives + timedelta(minutes=draw(st.integers(45, 60 * 24 * 3)))
    return legs


@st.composite
def valid_documents(draw: st.DrawFn) -> dict[str, Any]:
    from itdeclare.models import reference

    start = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    institution = _ANY_TEXT.map(_within(limits.INSTITUTION, by_width=True))
    tests = [
        {
            "kind": draw(st.sampled_from(["nucleic_acid", "igm", "igg"])),
            "sampled_at": (start - timedelta(minutes=draw(st.integers(0, 10**6))))
            .astimezone(draw(_OFFSETS))
            .isoformat(),
            "result": draw(st.sampled_from(["negative", "positive"])),
            "institution": draw(institution),
            "country": draw(st.sampled_from(["USA", "KOR", "JPN", "DEU", "AUS"])),
        }
        for _ in range(draw(st.integers(0, limits.TESTS)))
    ]
    day = st.dates(date(1990, 1, 1), date(2026, 11, 1)).map(date.isoformat)
    doses = [
        {
            "product": draw(st.sampled_from(sorted(reference.vaccines()))),
            "dose": 1,
            "of": draw(st.integers(1, 9)),
            "date": draw(day),
            "country": draw(st.sampled_from(["CHN", "USA", "GBR"])),
        }
        for _ in range(draw(st.integers(0, limits.VACCINATIONS)))
    ]
    history = [
        {"kind": draw(st.sampled_from(["positive_test", "diagnosis"])), "date": draw(day)}
        for _ in range(draw(st.integers(0, limits.HISTORY)))
    ]
    legs = draw(_legs(start))
    return {
        "schema_version": 1,
        "relationship": "self",
        "subject": {
            "family_name": draw(_LATIN_NAMES),
            "given_name": draw(_LATIN_NAMES),
            "chinese_name": draw(st.none() | _CHINESE_NAMES),
            "sex": draw(st.sampled_from(["male", "female", "other"])),
            "date_of_birth": "1980-02-29",
            "nationality": "CHN",
            "document": {
                "type": "passport",
                "number": draw(st.from_regex(r"E[0-9]{8}", fullmatch=True)),
            },
        },
        "contact": {"phone": "+14155550123"},
        "residence": {"country": "USA", "city": "Chicago", "address": "1 Main St"},
        "status": "student",
        "itinerary": legs,
        "port_of_entry": legs[-1]["to"],
        "tests": tests,
        "vaccinations": doses,
        "history": history,
        "attested": True,
    }


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document=valid_documents())
def test_any_declaration_that_validates_fits_and_round_trips(
    document: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> None:
    report = validate_declaration(document, NO_RULES, datetime(2026, 11, 30, tzinfo=UTC))
    assert report.valid, report.problems
    assert report.declaration is not None
    store = _module_keystore(tmp_path_factory)
    payload = _code(report.declaration, store)
    assert qr.version(payload) <= MAX_VERSION
    result = verify(payload, trust_list=TrustList.from_json(store.trust_list()), at=DURING)
    assert result.valid, result.to_json()
    expected = declaration_record(report.declaration, DECLARATION_ID).to_json()
    assert result.record is not None and result.record.to_json() == expected
