"""The outbound request and the health authority's record it is answered from."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from itdeclare.models import HealthRecord, OutboundDocument, OutboundRequest, Sex
from itdeclare.models.problems import from_validation_error


def request(**changes: Any) -> dict[str, Any]:
    return {
        "id_card_number": "11010519560301001X",
        "name": "张三",
        "document": {"type": "passport", "number": "E12345678"},
    } | changes


def errors(model: type[Any], data: dict[str, Any]) -> set[tuple[str, str]]:
    try:
        model.model_validate(data)
    except ValidationError as error:
        return {(p.loc, p.code) for p in from_validation_error(error)}
    return set()


def test_valid_request() -> None:
    made = OutboundRequest.model_validate(request(id_card_number="11010519560301001x"))
    assert made.id_card_number == "11010519560301001X"
    assert made.document.number == "E12345678"


@pytest.mark.parametrize("name", ["张三", "阿依古丽·买买提", "Zhang San"])
def test_name_as_on_the_id_card(name: str) -> None:
    assert OutboundRequest.model_validate(request(name=name)).name == name.upper()


def document(kind: str, number: str, **extra: Any) -> dict[str, Any]:
    return {"type": kind, "number": number, **extra}


TYPE_REFUSED = ("document.type", "outbound_document_type")
NUMBER_FORMAT = ("document.number", "document_number_format")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"id_card_number": "110105195603010013"}, ("id_card_number", "id_card_checksum")),
        ({"id_card_number": "E12345678"}, ("id_card_number", "id_card_format")),
        ({"id_card_number": "810000199001011231"}, ("id_card_number", "id_card_checksum")),
        ({"id_card_number": "810000199001011230"}, ("id_card_number", "outbound_mainland_id_only")),
        ({"name": "张3"}, ("name", "name_not_latin")),
        ({"document": document("hk_macao_permit", "H12345678")}, TYPE_REFUSED),
        ({"document": document("foreign_passport", "123456789")}, TYPE_REFUSED),
        ({"document": document("passport", "T1234567")}, NUMBER_FORMAT),
        ({"document": document("passport", "E12345678", x=1)}, ("document.x", "extra_forbidden")),
    ],
)
def test_invalid_request(changes: dict[str, Any], expected: tuple[str, str]) -> None:
    assert errors(OutboundRequest, request(**changes)) == {expected}


@pytest.mark.parametrize(
    ("kind", "number"),
    [
        ("passport", "EA1234567"),
        ("diplomatic_passport", "DE1234567"),
        ("service_passport", "SE1234567"),
        ("public_affairs_passport", "PE1234567"),
        ("travel_document", "T12345678"),
    ],
)
def test_every_outbound_document(kind: str, number: str) -> None:
    assert OutboundDocument.model_validate({"type": kind, "number": number}).number == number


def record(**changes: Any) -> dict[str, Any]:
    return {
        "id_card_number": "310104195007150623",
        "name": "李梅",
        "family_name": "LI",
        "given_name": "MEI",
        "sex": "female",
        "documents": [{"type": "passport", "number": "EJ4062718"}],
        "tests": [
            {
                "kind": "nucleic_acid",
                "sampled_at": "2026-12-06T10:30:00+08:00",
                "result": "negative",
                "institution": "上海市徐汇区中心医院",
                "country": "CHN",
            }
        ],
        "vaccinations": [
            {"product": "CoronaVac", "dose": 2, "of": 2, "date": "2021-05-10", "country": "CHN"}
        ],
    } | changes


def test_health_record() -> None:
    made = HealthRecord.model_validate(record())
    assert made.date_of_birth == date(1950, 7, 15)
    assert made.sex is Sex.FEMALE


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"documents": []}, ("documents", "too_short")),
        ({"id_card_number": "310104195007150624"}, ("id_card_number", "id_card_checksum")),
        ({"family_name": "李"}, ("family_name", "name_not_latin")),
    ],
)
def test_invalid_health_record(changes: dict[str, Any], expected: tuple[str, str]) -> None:
    assert errors(HealthRecord, record(**changes)) == {expected}
