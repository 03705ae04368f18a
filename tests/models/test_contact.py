"""Contact details and the residence abroad."""

from __future__ import annotations

from typing import Any

import pytest

from itdeclare.models import Contact, Declaration, Residence
from tests.models.helpers import found, only


@pytest.mark.parametrize(
    ("typed", "e164"),
    [
        ("+1 415 555 0123", "+14155550123"),
        ("+86 138 0013 8000", "+8613800138000"),
        ("+44 7400 123456", "+447400123456"),
        ("+81 90 1234 5678", "+819012345678"),
        ("+685 72 12345", "+6857212345"),
    ],
)
def test_phone_is_stored_in_e164(typed: str, e164: str) -> None:
    assert Contact.model_validate({"phone": typed}).phone == e164


def test_phone_with_letters_names_the_phone(declaration: dict[str, Any]) -> None:
    declaration["contact"]["phone"] = "+1 415 555 O123"
    problem = only(declaration)
    assert (problem.loc, problem.code) == ("contact.phone", "phone_letters")


@pytest.mark.parametrize("email", [None, "zhang.san@example.com"])
def test_email_is_optional(declaration: dict[str, Any], email: str | None) -> None:
    declaration["contact"]["email"] = email
    assert found(declaration) == set()
    assert Declaration.model_validate(declaration).contact.email == email


def test_email_may_be_absent(declaration: dict[str, Any]) -> None:
    del declaration["contact"]["email"]
    assert found(declaration) == set()


def test_email_null_is_written_back_as_null(declaration: dict[str, Any]) -> None:
    dumped = Declaration.model_validate(declaration).model_dump(mode="json")
    assert dumped["contact"] == {"phone": "+14155550123", "email": None}


def test_bad_email(declaration: dict[str, Any]) -> None:
    declaration["contact"]["email"] = "zhang.san@"
    assert found(declaration) == {("contact.email", "email_invalid")}


def test_phone_required(declaration: dict[str, Any]) -> None:
    declaration["contact"] = {"email": None}
    assert found(declaration) == {("contact.phone", "missing")}


def test_residence_abroad() -> None:
    residence = Residence.model_validate(
        {"country": "deu", "city": " Frankfurt  am Main ", "address": "Zeil 1"}
    )
    assert (residence.country, residence.city) == ("DEU", "Frankfurt am Main")


def test_residence_cannot_be_in_mainland_china(declaration: dict[str, Any]) -> None:
    declaration["residence"]["country"] = "CHN"
    assert found(declaration) == {("residence.country", "residence_in_china")}


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("city", "", "text_empty"),
        ("address", "   ", "text_empty"),
        ("address", "1 Market St\x00", "text_control"),
        ("address", "x" * 201, "text_too_long"),
        ("country", "XYZ", "country_unknown"),
    ],
)
def test_residence_fields(declaration: dict[str, Any], field: str, value: str, code: str) -> None:
    declaration["residence"][field] = value
    assert found(declaration) == {(f"residence.{field}", code)}


@pytest.mark.parametrize("status", ["student", "employee", "resident", "visitor", "other"])
def test_every_status(declaration: dict[str, Any], status: str) -> None:
    declaration["status"] = status
    assert found(declaration) == set()


def test_unknown_status(declaration: dict[str, Any]) -> None:
    declaration["status"] = "tourist"
    assert found(declaration) == {("status", "enum")}


@pytest.mark.parametrize("employer", [None, "Stanford University"])
def test_employer_or_school_is_optional(declaration: dict[str, Any], employer: str | None) -> None:
    declaration["employer"] = employer
    assert found(declaration) == set()
    del declaration["employer"]
    assert found(declaration) == set()


def test_blank_employer_is_an_error_not_a_silent_null(declaration: dict[str, Any]) -> None:
    declaration["employer"] = " "
    assert found(declaration) == {("employer", "text_empty")}
