"""The subject of a declaration and the identity document they travel on."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from pydantic import ValidationError

from itdeclare.models import DocumentType, IdentityDocument, Sex, Subject
from itdeclare.models.person import number_identity
from itdeclare.models.problems import from_validation_error
from itdeclare.models.validators import id_card_check_character
from tests.models.helpers import found, only


def subject_problems(subject: dict[str, Any]) -> set[tuple[str, str]]:
    try:
        Subject.model_validate(subject)
    except ValidationError as error:
        return {(p.loc, p.code) for p in from_validation_error(error)}
    return set()


def test_design_subject_is_valid(declaration: dict[str, Any]) -> None:
    subject = Subject.model_validate(declaration["subject"])
    assert subject.sex is Sex.MALE
    assert subject.date_of_birth == date(1956, 3, 1)
    assert subject.document.type is DocumentType.PASSPORT


def test_names_are_normalised(declaration: dict[str, Any]) -> None:
    declaration["subject"] |= {
        "family_name": " zhang ",
        "given_name": "san",
        "chinese_name": "张三",
    }
    subject = Subject.model_validate(declaration["subject"])
    assert (subject.family_name, subject.given_name) == ("ZHANG", "SAN")


@pytest.mark.parametrize("field", ["chinese_name", "id_card_number"])
def test_optional_fields_may_be_null_or_absent(declaration: dict[str, Any], field: str) -> None:
    declaration["subject"][field] = None
    assert subject_problems(declaration["subject"]) == set()
    del declaration["subject"][field]
    assert subject_problems(declaration["subject"]) == set()


def test_document_expiry_may_be_null_or_absent(declaration: dict[str, Any]) -> None:
    declaration["subject"]["document"]["expires_on"] = None
    assert found(declaration) == set()
    del declaration["subject"]["document"]["expires_on"]
    assert found(declaration) == set()


@pytest.mark.parametrize(
    "field",
    ["family_name", "given_name", "sex", "date_of_birth", "nationality", "document"],
)
def test_required_fields(declaration: dict[str, Any], field: str) -> None:
    del declaration["subject"][field]
    assert found(declaration) == {(f"subject.{field}", "missing")}


def test_unknown_fields_are_errors_with_dotted_locations(declaration: dict[str, Any]) -> None:
    declaration["subject"]["middle_name"] = "X"
    declaration["subject"]["document"]["issued_on"] = "2020-01-01"
    declaration["surprise"] = 1
    assert found(declaration) == {
        ("subject.middle_name", "extra_forbidden"),
        ("subject.document.issued_on", "extra_forbidden"),
        ("surprise", "extra_forbidden"),
    }


def test_wrong_check_character_names_the_id_field(declaration: dict[str, Any]) -> None:
    declaration["subject"]["id_card_number"] = "110105195603010013"
    problem = only(declaration)
    assert (problem.loc, problem.code) == ("subject.id_card_number", "id_card_checksum")
    assert problem.params == {"expected": "X"}


def test_id_birth_date_must_match_the_date_of_birth(declaration: dict[str, Any]) -> None:
    declaration["subject"]["date_of_birth"] = "1956-03-02"
    problem = only(declaration)
    assert (problem.loc, problem.code) == ("subject.id_card_number", "id_card_birth_mismatch")
    assert problem.params == {"id_birth": date(1956, 3, 1), "birth": date(1956, 3, 2)}


def test_id_sex_digit_must_match_the_sex(declaration: dict[str, Any]) -> None:
    declaration["subject"]["sex"] = "female"
    problem = only(declaration)
    assert (problem.loc, problem.code) == ("subject.id_card_number", "id_card_sex_mismatch")
    assert problem.params == {"id_sex": Sex.MALE, "sex": Sex.FEMALE}


def test_sex_other_is_not_compared_with_the_id(declaration: dict[str, Any]) -> None:
    declaration["subject"]["sex"] = "other"
    assert found(declaration) == set()


def test_an_invalid_date_of_birth_reports_that_field_alone(declaration: dict[str, Any]) -> None:
    declaration["subject"]["date_of_birth"] = "1956-02-30"
    assert found(declaration) == {("subject.date_of_birth", "date_from_datetime_parsing")}


@pytest.mark.parametrize("born", ["1899-12-31", (date.today() + timedelta(days=1)).isoformat()])
def test_date_of_birth_is_plausible(declaration: dict[str, Any], born: str) -> None:
    declaration["subject"]["date_of_birth"] = born
    del declaration["subject"]["id_card_number"]
    assert found(declaration) == {("subject.date_of_birth", "birth_date_range")}


def test_document_number_is_checked_against_its_type(declaration: dict[str, Any]) -> None:
    declaration["subject"]["document"]["number"] = "T12345678"
    problem = only(declaration)
    assert (problem.loc, problem.code) == ("subject.document.number", "document_number_format")
    assert problem.params == {"document_type": DocumentType.PASSPORT, "example": "E12345678"}


@pytest.mark.parametrize("document_type", ["other", "foreign_passport"])
def test_an_id_card_number_is_not_a_travel_document(
    declaration: dict[str, Any], document_type: str
) -> None:
    declaration["subject"]["document"] = {
        "type": document_type,
        "number": declaration["subject"]["id_card_number"].lower(),
    }
    declaration["subject"]["nationality"] = "USA"
    declaration["subject"]["id_card_number"] = None
    assert found(declaration) == {("subject.document.number", "document_is_id_card")}


def test_a_number_shaped_as_an_id_card_but_not_one_is_a_document(
    declaration: dict[str, Any],
) -> None:
    number = declaration["subject"]["id_card_number"]
    wrong_check = number[:17] + ("1" if number[17] != "1" else "2")
    document = IdentityDocument.model_validate({"type": "other", "number": wrong_check})
    assert document.number == wrong_check


@pytest.mark.parametrize(
    ("number", "identity"),
    [
        ("E12345678", "E12345678"),
        ("e-1234 5678", "E12345678"),
        ("H1234567801", "H12345678"),  # a permit's issue count, whatever the declared type
        ("M-12345678-02", "M12345678"),
        ("1234567804", "12345678"),
        ("12345678", "12345678"),
        ("X1234567801", "X1234567801"),  # not a permit's shape: the number whole
        ("123456789", "123456789"),
    ],
)
def test_a_number_names_its_document_without_separators_or_issue_count(
    number: str, identity: str
) -> None:
    assert number_identity(number) == identity


def test_unknown_document_type_reports_the_type_only(declaration: dict[str, Any]) -> None:
    declaration["subject"]["document"]["type"] = "driving_licence"
    assert found(declaration) == {("subject.document.type", "enum")}


def test_document_number_is_stored_compact_and_upper_case() -> None:
    document = IdentityDocument.model_validate({"type": "passport", "number": "e 1234 5678"})
    assert document.number == "E12345678"


@pytest.mark.parametrize(
    ("document", "number"),
    [
        ("passport", "EA1234567"),
        ("diplomatic_passport", "DE1234567"),
        ("service_passport", "SE1234567"),
        ("public_affairs_passport", "PE1234567"),
        ("travel_document", "T12345678"),
        ("hk_macao_permit", "H12345678"),
        ("taiwan_permit", "12345678"),
    ],
)
def test_chinese_documents_are_held_by_chinese_nationals(
    declaration: dict[str, Any], document: str, number: str
) -> None:
    declaration["subject"]["document"] = {"type": document, "number": number}
    if document.endswith("_permit"):
        del declaration["subject"]["id_card_number"]  # permit holders have no mainland ID card
    assert found(declaration) == set()
    declaration["subject"]["nationality"] = "TWN" if document == "taiwan_permit" else "USA"
    declaration["subject"].pop("id_card_number", None)
    assert found(declaration) == {("subject.nationality", "nationality_chinese_document")}


@pytest.mark.parametrize("nationality", ["USA", "HKG", "DEU"])
def test_foreign_passport_of_a_foreign_national(
    declaration: dict[str, Any], nationality: str
) -> None:
    declaration["subject"] |= {"nationality": nationality, "id_card_number": None}
    declaration["subject"]["document"] = {"type": "foreign_passport", "number": "C01X00T47"}
    assert found(declaration) == set()


def test_a_chinese_national_declares_the_chinese_document(declaration: dict[str, Any]) -> None:
    declaration["subject"]["document"] = {"type": "foreign_passport", "number": "C01X00T47"}
    assert found(declaration) == {("subject.document.type", "chinese_document_required")}


def test_a_mainland_id_card_belongs_to_a_chinese_national(declaration: dict[str, Any]) -> None:
    declaration["subject"]["nationality"] = "USA"
    declaration["subject"]["document"] = {"type": "foreign_passport", "number": "C01X00T47"}
    assert found(declaration) == {
        ("subject.id_card_number", "id_card_requires_chinese_nationality")
    }


def test_hong_kong_resident_with_permit_and_residence_permit_number(
    declaration: dict[str, Any],
) -> None:
    first17 = "81000019560301001"
    declaration["subject"]["document"] = {"type": "hk_macao_permit", "number": "H12345678"}
    declaration["subject"]["id_card_number"] = first17 + id_card_check_character(first17)
    declaration["residence"] = {"country": "HKG", "city": "Hong Kong", "address": "1 Queen's Rd"}
    assert found(declaration) == set()


def test_document_expired_before_arrival(declaration: dict[str, Any]) -> None:
    declaration["subject"]["document"]["expires_on"] = "2026-12-01"  # arrives on 2 Dec
    problem = only(declaration)
    assert (problem.loc, problem.code) == ("subject.document.expires_on", "document_expired")
    declaration["subject"]["document"]["expires_on"] = "2026-12-02"
    assert found(declaration) == set()


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("family_name", "张", "name_not_latin"),
        ("given_name", "", "name_empty"),
        ("chinese_name", "Zhang San", "chinese_name_invalid"),
        ("sex", "m", "enum"),
        ("nationality", "CN", "country_unknown"),
        ("nationality", 156, "string_type"),
        ("date_of_birth", "01/03/1956", "date_from_datetime_parsing"),
        ("document", "E12345678", "model_type"),
    ],
)
def test_field_errors(declaration: dict[str, Any], field: str, value: Any, code: str) -> None:
    declaration["subject"][field] = value
    assert (f"subject.{field}", code) in found(declaration)


@pytest.mark.parametrize(
    ("document", "number", "prefix"),
    [
        ("hk_macao_permit", "H12345678", "81"),
        ("hk_macao_permit", "M12345678", "82"),
        ("taiwan_permit", "12345678", "83"),
    ],
)
def test_permit_holders_have_residence_permit_numbers_only(
    declaration: dict[str, Any], document: str, number: str, prefix: str
) -> None:
    declaration["subject"]["document"] = {"type": document, "number": number}
    problem = only(declaration)  # the example's number is a Beijing resident's
    assert (problem.loc, problem.code) == ("subject.id_card_number", "id_card_permit_holder")
    assert problem.params == {"type": DocumentType(document), "prefix": prefix}
    first17 = f"{prefix}000019560301001"
    declaration["subject"]["id_card_number"] = first17 + id_card_check_character(first17)
    assert found(declaration) == set()
