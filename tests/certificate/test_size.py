"""Every declaration that validates gives a code that fits a QR of version 25 at level Q, and a
typical one (one flight, two tests, one dose) version 14 (DESIGN.md §4.3)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from itdeclare.certificate import dcc, qr
from itdeclare.certificate.issue import declaration_record, issue_declaration
from itdeclare.certificate.keys import KeyStore
from itdeclare.models import Declaration, validate_declaration

from .conftest import EXPIRES, ISSUED
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
